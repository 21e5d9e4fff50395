"""Inspection checklists (domain.md §3.8, §2.2-2.3, §2.7) and the enforcement ladder (§2.6, §3.6)."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from screening.inspections import (
    AnswerType,
    assess,
    category_amount,
    check_measure,
    checklist_for_permit_type,
    load_checklist,
    load_enforcement,
    wgv_fine_maximum,
)
from screening.inspections.checklists import parse_checklist
from screening.signals import DataFileError, load_catalogue
from screening.signals._loader import read_yaml


def test_seksbedrijf_checklist_has_items_01_to_12():
    checklist = load_checklist("INS-SB")
    assert [i.id for i in checklist.items] == [f"INS-SB-{n:02d}" for n in range(1, 13)]
    assert checklist.team_size == 2  # controls with two people (§3.8)
    assert any("twee personen" in p for p in checklist.practice)
    assert checklist.item("INS-SB-08").category == "zelfbeschikking"
    assert "MELDING_POLITIE_112" in checklist.follow_up_actions


def test_signals_item_offers_all_sex_signals():
    item = load_checklist("INS-SB").item("INS-SB-09")
    assert item.answer_type is AnswerType.SIGNALEN
    assert {f"SIG-SEX-{n:02d}" for n in range(1, 10)} <= set(item.signals)


def test_wgv_checklist_covers_snf_wgv_rules_identity_and_occupancy():
    checklist = checklist_for_permit_type("HUISVESTING_AM")
    basis = {b for i in checklist.items for b in i.basis}
    assert {
        "SNF-1.3a",
        "SNF-1.3b",
        "SNF-1.4.1",
        "SNF-2.1",
        "SNF-2.2",
        "SNF-5.1.1",
        "SNF-5.1.3",
        "SNF-1.5",
    } <= basis
    assert {f"WGV-R0{n}" for n in range(1, 8)} <= basis
    assert {"WGV-AM01", "WGV-AM02", "WGV-AM03"} <= basis
    assert {"identiteit", "bezetting"} <= set(checklist.categories)
    gbo = checklist.item("INS-WGV-11")
    assert gbo.threshold.min == 12
    assert checklist.item("INS-WGV-17").threshold.max == 8  # 1 toilet per 8 persons


def test_every_linked_signal_exists():
    catalogue = load_catalogue()
    for code in ("INS-SB", "INS-WGV"):
        for item in load_checklist(code).items:
            assert all(catalogue.has_signal(s) for s in item.signals), item.id
            assert item.question.endswith("?") or item.question.endswith("."), item.id


def test_unknown_signal_link_is_rejected():
    doc = copy.deepcopy(read_yaml("screening.inspections", "controle_seksbedrijf.yaml"))
    doc["items"][0]["signals"] = ["SIG-ZZZ-01"]
    with pytest.raises(DataFileError, match="onbekend signaal"):
        parse_checklist(doc, name="test")


def test_yes_no_item_must_say_which_answer_deviates():
    doc = copy.deepcopy(read_yaml("screening.inspections", "controle_seksbedrijf.yaml"))
    del doc["items"][0]["deviating_answer"]
    with pytest.raises(DataFileError, match="deviating_answer"):
        parse_checklist(doc, name="test")


def test_assess_turns_answers_into_findings_and_suggested_signals():
    checklist = load_checklist("INS-WGV")
    result = assess(
        checklist,
        {
            "INS-WGV-01": 9,
            "INS-WGV-05": "nee",
            "INS-WGV-11": 8.5,
            "INS-WGV-13": 4.0,
            "INS-WGV-26": True,
            "INS-WGV-32": "JA",
            "INS-WGV-36": ["SIG-HUI-04"],
        },
        params={"permitted_occupancy": 6},
    )
    by_id = {f.item_id: f for f in result.findings}
    assert set(by_id) == {"INS-WGV-01", "INS-WGV-05", "INS-WGV-11", "INS-WGV-32", "INS-WGV-36"}
    assert "8,5 m² is minder dan de norm van 12 m²" in by_id["INS-WGV-11"].reason
    assert "maximum van 6" in by_id["INS-WGV-01"].reason
    assert result.violation_count == 4  # the signal pick is not a violation
    assert result.suggested_signals == ("SIG-HUI-02", "SIG-ALG-01", "SIG-HUI-07", "SIG-HUI-04")
    assert "INS-WGV-02" in result.unanswered


def test_assess_rejects_bad_answers():
    checklist = load_checklist("INS-SB")
    with pytest.raises(ValueError, match="ongeldig antwoord"):
        assess(checklist, {"INS-SB-01": "misschien"})
    with pytest.raises(ValueError, match="hoort niet bij deze vraag"):
        assess(checklist, {"INS-SB-09": ["SIG-HUI-02"]})
    with pytest.raises(ValueError, match="Onbekende vraagcode"):
        assess(checklist, {"INS-XX-01": "JA"})


# --- enforcement ladder ----------------------------------------------------------------


def test_ladder_per_permit_type():
    ladder = load_enforcement()
    wgv = [m.code for m in ladder.for_permit_type("HUISVESTING_AM")]
    sex = [m.code for m in ladder.for_permit_type("SEKSBEDRIJF")]
    assert wgv == [
        "WAARSCHUWING", "LAST_ONDER_BESTUURSDWANG", "LAST_ONDER_DWANGSOM",
        "BESTUURLIJKE_BOETE", "INTREKKING", "BEHEEROVERNAME",
    ]  # fmt: skip
    assert "SCHORSING" in sex and "BESTUURLIJKE_BOETE" not in sex
    assert all(m.source and m.legal_basis for m in ladder.measures)
    assert "niet verplicht" in ladder.escalation_note


def test_dwangsom_has_term_and_amount():
    params = {p.name: p for p in load_enforcement().measure("LAST_ONDER_DWANGSOM").parameters}
    assert params["begunstigingstermijn_dagen"].required
    assert params["bedrag_eur"].required
    assert params["maximum_eur"].required


@pytest.mark.parametrize(
    ("offence", "previous", "category", "amount"),
    [
        (date(2025, 3, 1), None, 4, 25_750),
        (date(2025, 3, 1), date(2022, 3, 2), 5, 103_000),  # within 4 years
        (date(2026, 3, 2), date(2022, 3, 2), 4, 25_750),  # exactly 4 years later: no recidive
        (date(2023, 9, 1), None, 4, 22_500),  # 2022 index still in force
    ],
)
def test_wgv_fine_maximum(offence, previous, category, amount):
    result = wgv_fine_maximum(offence, previous_fine_on=previous)
    assert (result.category, result.amount_eur) == (category, amount)
    assert result.is_recidive is (category == 5)
    assert "art. 19" in result.reason


def test_wgv_fine_before_the_act_took_effect():
    with pytest.raises(ValueError, match="2023-07-01"):
        wgv_fine_maximum(date(2023, 6, 30))


def test_category_amount_uses_the_index_in_force():
    assert category_amount(5, date(2024, 1, 1)).amount_eur == 103_000
    with pytest.raises(LookupError):
        category_amount(4, date(2020, 1, 1))


def test_check_measure_reports_missing_and_out_of_bounds_values():
    problems = check_measure("LAST_ONDER_DWANGSOM", "HUISVESTING_AM", {"bedrag_eur": 500, "maximum_eur": 100})
    assert any("Begunstigingstermijn is verplicht" in p for p in problems)
    assert any("lager dan het dwangsombedrag" in p for p in problems)
    assert check_measure("SCHORSING", "SEKSBEDRIJF", {"duur_weken": 13}) == (
        "Duur van de schorsing mag hoogstens 12 weken zijn.",
    )
    assert (
        check_measure(
            "LAST_ONDER_DWANGSOM",
            "SEKSBEDRIJF",
            {"begunstigingstermijn_dagen": 14, "bedrag_eur": 1000, "per": "WEEK", "maximum_eur": 10000},
        )
        == ()
    )


def test_check_measure_fine_above_maximum_and_wrong_permit_type():
    problems = check_measure(
        "BESTUURLIJKE_BOETE", "SEKSBEDRIJF", {"bedrag_eur": 50_000, "overtreding_op": date(2025, 1, 1)}
    )
    assert problems[0] == "Bestuurlijke boete is niet mogelijk bij vergunningtype SEKSBEDRIJF."
    assert "€ 25.750" in problems[1]
    ok = check_measure(
        "BESTUURLIJKE_BOETE",
        "HUISVESTING_AM",
        {"bedrag_eur": 50_000, "overtreding_op": date(2025, 1, 1), "vorige_boete_op": date(2024, 1, 1)},
    )
    assert ok == ()
