"""Assessment rules on crafted cases: every indicator moves the proposal as the file defines."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from screening.checklists import (
    Advice,
    AnswerError,
    ConfirmedHit,
    DangerLevel,
    Ground,
    LbbAdvice,
    RiskLevel,
    SectionCode,
    advice_for,
    assess,
    load_checklist,
)
from tests.screening.checklists.checklist_helpers import (
    definition,
    firing_input,
    non_firing_answer,
    write_definition,
)

PERMIT_TYPES = ("seksbedrijf", "wgv_verhuurvergunning")
ALL_ITEMS = [(p, item.id) for p in PERMIT_TYPES for item in load_checklist(p).items]


@pytest.fixture
def tst(tmp_path):
    return load_checklist("testvergunning", directory=write_definition(tmp_path, definition()).parent)


@pytest.fixture
def sek():
    return load_checklist("seksbedrijf")


@pytest.fixture
def wgv():
    return load_checklist("wgv_verhuurvergunning")


# --- vocabulary --------------------------------------------------------------------------------------


def test_danger_labels_are_dutch():
    assert DangerLevel.GEEN.label == "Geen aanwijzingen voor gevaar"
    assert DangerLevel.MINDERE_MATE.label == "Mindere mate van gevaar"
    assert DangerLevel.ERNSTIG.label == "Ernstig gevaar"
    assert RiskLevel is DangerLevel
    assert DangerLevel("ernstig") is DangerLevel.ERNSTIG


@pytest.mark.parametrize(
    ("level", "advice"),
    [
        (DangerLevel.ERNSTIG, Advice.WEIGEREN),
        (DangerLevel.MINDERE_MATE, Advice.VERLENEN_MET_VOORSCHRIFTEN),
        (DangerLevel.GEEN, Advice.VERLENEN),
    ],
)
def test_advice_mapping(level, advice):
    assert advice_for(level) is advice


def test_advice_notes_name_the_articles():
    assert "art. 3 lid 5" in Advice.WEIGEREN.legal_note  # evenredigheid
    assert "art. 3 lid 7" in Advice.VERLENEN_MET_VOORSCHRIFTEN.legal_note
    assert Advice.VERLENEN_MET_VOORSCHRIFTEN.label == "Verlenen met voorschriften"


# --- data-driven: every shipped item moves the proposal as defined ----------------------------------


@pytest.mark.parametrize(("permit_type", "item_id"), ALL_ITEMS)
def test_each_shipped_indicator_moves_the_proposal_as_defined(permit_type, item_id):
    checklist = load_checklist(permit_type)
    item = checklist.item(item_id)
    answers, hits = firing_input(item)
    result = assess(checklist, answers, confirmed_hits=hits)

    fired = {i.code for i in result.indicators}
    # R01 counts every hit, so hits made for another register item also fire it.
    assert item_id in fired
    assert fired - {item_id} <= {i.id for i in checklist.items if i.hit_kinds == ("*",)}

    expected_levels = []
    for ground in (Ground.A_GROND, Ground.B_GROND):
        g = result.ground(ground)
        expected_score = sum(i.weight for i in result.indicators if ground in i.grounds)
        assert g.score == expected_score
        assert (item_id in {i.code for i in g.indicators}) is (ground in item.grounds)
        expected = checklist.thresholds.for_ground(ground).level_for(g.score)
        if ground in item.grounds and item.minimum_level:
            expected = DangerLevel.highest(expected, item.minimum_level)
        assert g.level is expected
        expected_levels.append(expected)
    if Ground.ART4 in item.grounds:
        expected_levels.append(DangerLevel.ERNSTIG)
    assert result.proposal is DangerLevel.highest(*expected_levels)
    assert result.advice is advice_for(result.proposal)
    assert result.art4_refusal is (Ground.ART4 in item.grounds)
    if Ground.LID6 in item.grounds:
        assert result.lid6_score == item.weight
        assert result.lid6_indicated is (item.weight >= checklist.thresholds.lid6_indication)
    else:
        assert result.lid6_score == 0 and not result.lid6_indicated
    # The indicator is reported in its own section and named in the rationale when it weighs.
    section = next(s for s in result.sections if s.section.code is item.section)
    assert item_id in {i.code for i in section.indicators}
    if item.weight:
        assert any(item_id in line for line in result.rationale)


@pytest.mark.parametrize(("permit_type", "item_id"), ALL_ITEMS)
def test_each_shipped_item_does_not_fire_on_a_harmless_answer(permit_type, item_id):
    checklist = load_checklist(permit_type)
    item = checklist.item(item_id)
    answers = {} if item.is_derived else {item_id: non_firing_answer(item)}
    result = assess(checklist, answers)
    assert not result.indicators
    assert result.proposal is DangerLevel.GEEN


# --- crafted cases on the shipped seksbedrijf checklist ----------------------------------------------


def _all_harmless(checklist):
    return {i.id: non_firing_answer(i) or "geen bijzonderheden" for i in checklist.items if not i.is_derived}


def test_nothing_answered_is_geen_but_provisional(sek):
    result = assess(sek, {})
    assert result.proposal is DangerLevel.GEEN
    assert result.advice is Advice.VERLENEN
    assert not result.is_complete
    assert len(result.unanswered) == len([i for i in sek.items if not i.is_derived])
    assert any("voorlopig" in line for line in result.rationale)


def test_everything_harmless_is_complete_and_geen(sek):
    answers = _all_harmless(sek)
    for item_id in ("BIB-CL-SEK-I03", "BIB-CL-SEK-O03"):
        answers[item_id] = None  # free-text notes may stay empty
    result = assess(sek, answers)
    assert result.proposal is DangerLevel.GEEN
    assert [i.id for i in result.unanswered] == ["BIB-CL-SEK-I03", "BIB-CL-SEK-O03"]
    assert result.rationale[0] == (
        "Voorgestelde conclusie: geen aanwijzingen voor gevaar; voorgesteld advies: verlenen."
    )
    assert any("wijst op gevaar" in line for line in result.rationale)


def test_cash_and_unexplained_equity_is_mindere_mate_on_the_a_ground(sek):
    result = assess(sek, {"BIB-CL-SEK-E01": "ja", "BIB-CL-SEK-E03": "ja"})
    a = result.ground(Ground.A_GROND)
    assert (a.score, a.level) == (7, DangerLevel.MINDERE_MATE)
    assert result.ground(Ground.B_GROND).level is DangerLevel.GEEN
    assert result.proposal is DangerLevel.MINDERE_MATE
    assert result.advice is Advice.VERLENEN_MET_VOORSCHRIFTEN
    assert "A-grond: score 7 (mindere mate vanaf 4, ernstig vanaf 10)" in result.rationale[1]
    assert "BIB-CL-SEK-E01" in result.rationale[1] and "BIB-CL-SEK-E03" in result.rationale[1]


def test_unexplained_amount_cash_and_equity_is_ernstig(sek):
    result = assess(sek, {"BIB-CL-SEK-E01": "ja", "BIB-CL-SEK-E02": Decimal("25000"), "BIB-CL-SEK-E03": "ja"})
    assert result.ground(Ground.A_GROND).score == 11
    assert result.proposal is DangerLevel.ERNSTIG
    assert result.advice is Advice.WEIGEREN
    assert any("€ 25.000,00" in line for line in result.rationale)
    assert "art. 3 lid 5" in result.rationale[-1]


@pytest.mark.parametrize(
    ("amount", "fires"), [("10000", False), ("10000.01", True), (0, False), (250000, True)]
)
def test_amount_threshold_is_strictly_greater(sek, amount, fires):
    assert assess(sek, {"BIB-CL-SEK-E02": amount}).fired("BIB-CL-SEK-E02") is fires


def test_conviction_alone_is_mindere_mate_and_with_samenhang_ernstig_on_b(sek):
    alone = assess(sek, {"BIB-CL-SEK-G01": "veroordeling"})
    assert alone.ground(Ground.B_GROND).score == 9
    assert alone.ground(Ground.B_GROND).level is DangerLevel.MINDERE_MATE
    linked = assess(sek, {"BIB-CL-SEK-G01": "veroordeling", "BIB-CL-SEK-G03": "ja"})
    assert linked.ground(Ground.B_GROND).score == 13
    assert linked.ground(Ground.B_GROND).level is DangerLevel.ERNSTIG
    # Samenhang bears on the b-grond only (art. 3 lid 3).
    assert linked.ground(Ground.A_GROND).score == 9


def test_hardness_orders_the_antecedent_weight(sek):
    scores = {
        choice: assess(sek, {"BIB-CL-SEK-G01": choice}).ground(Ground.B_GROND).score
        for choice in ("geen", "verdenking", "sepot", "transactie", "veroordeling")
    }
    assert scores == {"geen": 0, "verdenking": 3, "sepot": 4, "transactie": 7, "veroordeling": 9}
    other = assess(sek, {"BIB-CL-SEK-G02": "veroordeling"}).ground(Ground.B_GROND).score
    assert other < scores["veroordeling"]


def test_frequent_director_changes_and_bankruptcies(sek):
    result = assess(sek, {"BIB-CL-SEK-C01": 2, "BIB-CL-SEK-G09": 1})
    assert result.fired("BIB-CL-SEK-C01") and not result.fired("BIB-CL-SEK-G09")
    result = assess(sek, {"BIB-CL-SEK-C01": 3, "BIB-CL-SEK-G09": 2, "BIB-CL-SEK-G07": "ja"})
    assert result.ground(Ground.B_GROND).score == 11
    assert result.proposal is DangerLevel.ERNSTIG


def test_landlord_with_influence_is_a_zakelijk_samenwerkingsverband(sek):
    result = assess(sek, {"BIB-CL-SEK-F01": "ja"})
    assert result.ground(Ground.A_GROND).score == result.ground(Ground.B_GROND).score == 4
    assert result.proposal is DangerLevel.MINDERE_MATE


def test_refusal_to_supply_information_is_ernstig(sek):
    result = assess(sek, {"BIB-CL-SEK-I04": "ja"})
    assert result.art4_refusal
    assert result.proposal is DangerLevel.ERNSTIG
    assert result.advice is Advice.WEIGEREN
    # The grounds themselves are untouched: art. 4 is its own rule.
    assert result.ground(Ground.A_GROND).level is DangerLevel.GEEN
    text = " ".join(result.rationale)
    assert "art. 4 lid 1 Wet Bibob" in text and "art. 4:5 Awb" in text


def test_false_answers_flag_art3_lid6_separately(sek):
    result = assess(sek, {"BIB-CL-SEK-I01": "ja"})
    assert result.lid6_indicated and result.lid6_score == 4
    assert result.proposal is DangerLevel.GEEN  # a separate ground, not a degree of danger
    assert any(line.startswith("Art. 3 lid 6 Wet Bibob: aanwijzingen") for line in result.rationale)


def test_lid6_below_threshold_is_listed_not_flagged(sek):
    result = assess(sek, {"BIB-CL-SEK-O02": "ja"})
    assert not result.lid6_indicated and result.lid6_score == 3
    assert any("onder de drempel" in line for line in result.rationale)


def test_lbb_art3_lid6_flags_it_too(sek):
    result = assess(sek, {}, lbb_advice=LbbAdvice(art3_lid6=True))
    assert result.lid6_indicated


def test_lbb_ernstig_makes_the_proposal_at_least_ernstig(sek):
    result = assess(sek, {"BIB-CL-SEK-E03": "ja"}, lbb_advice=LbbAdvice(b_grond=DangerLevel.ERNSTIG))
    assert result.ground(Ground.B_GROND).own_level is DangerLevel.GEEN
    assert result.ground(Ground.B_GROND).level is DangerLevel.ERNSTIG
    assert result.proposal is DangerLevel.ERNSTIG
    assert result.advice is Advice.WEIGEREN
    assert any(
        "het LBB concludeert ernstig gevaar" in line and "ten minste ernstig gevaar" in line
        for line in result.rationale
    )


def test_lbb_overall_conclusion_as_a_plain_level(sek):
    result = assess(sek, {}, lbb_advice=DangerLevel.ERNSTIG)
    assert result.proposal is DangerLevel.ERNSTIG
    assert result.lbb_advice == LbbAdvice(conclusion=DangerLevel.ERNSTIG)
    assert any(
        "Het LBB concludeert ernstig gevaar; het voorstel is daarom" in line for line in result.rationale
    )


def test_lbb_mindere_mate_lifts_geen(sek):
    result = assess(sek, {}, lbb_advice=LbbAdvice(a_grond=DangerLevel.MINDERE_MATE))
    assert result.proposal is DangerLevel.MINDERE_MATE
    assert result.advice is Advice.VERLENEN_MET_VOORSCHRIFTEN


def test_own_findings_beyond_the_lbb_are_kept_and_must_be_motivated(sek):
    result = assess(
        sek,
        {"BIB-CL-SEK-E01": "ja", "BIB-CL-SEK-E03": "ja"},
        lbb_advice=LbbAdvice(a_grond=DangerLevel.GEEN, b_grond=DangerLevel.GEEN),
    )
    assert result.proposal is DangerLevel.MINDERE_MATE
    assert any("gaan verder dan de LBB-conclusie" in line for line in result.rationale)


def test_confirmed_register_hits_count_by_kind(sek):
    serious = assess(sek, {}, confirmed_hits=[ConfirmedHit("Witwassen", subject="X B.V.")])
    assert {i.code for i in serious.indicators} == {"BIB-CL-SEK-R01", "BIB-CL-SEK-R02"}
    assert serious.ground(Ground.A_GROND).score == 7
    assert serious.proposal is DangerLevel.MINDERE_MATE
    assert serious.confirmed_hits[0].kind == "witwassen"
    pattern = assess(sek, {}, confirmed_hits=["overig", "overig", "handhaving"])
    assert {i.code for i in pattern.indicators} == {"BIB-CL-SEK-R01", "BIB-CL-SEK-R03"}
    assert pattern.ground(Ground.A_GROND).level is DangerLevel.GEEN
    assert pattern.ground(Ground.B_GROND).score == 5
    assert pattern.ground(Ground.B_GROND).level is DangerLevel.MINDERE_MATE
    assert next(i for i in pattern.indicators if i.code == "BIB-CL-SEK-R01").answer == 3


def test_unknown_answers_are_listed_not_fired(sek):
    result = assess(sek, {"BIB-CL-SEK-D01": "onbekend"})
    assert not result.indicators
    assert [i.id for i in result.unknown] == ["BIB-CL-SEK-D01"]
    assert any("'onbekend'" in line for line in result.rationale)


@pytest.mark.parametrize(
    ("raw", "normalised"), [(True, "ja"), (False, "nee"), (" JA ", "ja"), ("Nee", "nee")]
)
def test_yes_no_answers_are_normalised(sek, raw, normalised):
    result = assess(sek, {"BIB-CL-SEK-E03": raw})
    assert result.fired("BIB-CL-SEK-E03") is (normalised == "ja")


@pytest.mark.parametrize(
    ("item_id", "answer", "message"),
    [
        ("BIB-CL-SEK-E03", "misschien", "ja of nee"),
        ("BIB-CL-SEK-E03", "onbekend", "ja of nee"),
        ("BIB-CL-SEK-E02", -5, "negatief"),
        ("BIB-CL-SEK-E02", "veel", "verwacht een getal"),
        ("BIB-CL-SEK-E02", True, "verwacht een getal"),
        ("BIB-CL-SEK-E02", float("nan"), "eindig"),
        ("BIB-CL-SEK-C01", 2.5, "geheel getal"),
        ("BIB-CL-SEK-G01", "veroordeeld", "onbekende keuze"),
        ("BIB-CL-SEK-X99", "ja", "geen vraag van checklist seksbedrijf-v1"),
        ("BIB-CL-SEK-R01", 3, "registertreffers"),
    ],
)
def test_invalid_answers_raise_answer_error(sek, item_id, answer, message):
    with pytest.raises(AnswerError, match=message) as info:
        assess(sek, {item_id: answer})
    assert info.value.item_id == item_id


def test_sections_keep_checklist_order_and_hold_their_indicators(sek):
    result = assess(sek, {"BIB-CL-SEK-E03": "ja", "BIB-CL-SEK-F01": "ja"})
    assert [s.section.code for s in result.sections] == [s.code for s in sek.sections]
    by_code = {s.section.code: s for s in result.sections}
    assert [i.code for i in by_code[SectionCode.E_FINANCIERING].indicators] == ["BIB-CL-SEK-E03"]
    assert by_code[SectionCode.E_FINANCIERING].score == 3
    assert by_code[SectionCode.F_PAND_VESTIGING].indicators[0].grounds == (Ground.A_GROND, Ground.B_GROND)


def test_assessment_is_frozen(sek):
    result = assess(sek, {})
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.proposal = DangerLevel.ERNSTIG


# --- Wgv specifics ---------------------------------------------------------------------------------


def test_wgv_enforcement_and_beheer_point_at_wgv_refusal_grounds(wgv):
    result = assess(wgv, {"BIB-CL-WGV-G08": "ja", "BIB-CL-WGV-G09": "ja"})
    assert result.related_refusal_grounds == ("WGV-W02", "WGV-W03")
    assert result.ground(Ground.B_GROND).score == 9
    assert result.proposal is DangerLevel.MINDERE_MATE
    assert any("zelfstandige weigeringsgrond WGV-W02" in line for line in result.rationale)


def test_wgv_landlord_is_employer(wgv):
    alone = assess(wgv, {"BIB-CL-WGV-F01": "ja"})
    assert alone.ground(Ground.B_GROND).score == 3 and alone.proposal is DangerLevel.GEEN
    with_exploitation = assess(wgv, {"BIB-CL-WGV-F01": "ja", "BIB-CL-WGV-F02": "ja"})
    assert with_exploitation.proposal is DangerLevel.MINDERE_MATE


def test_wgv_register_hits_of_enforcement(wgv):
    result = assess(wgv, {}, confirmed_hits=[ConfirmedHit("beheerovername")])
    assert {i.code for i in result.indicators} == {"BIB-CL-WGV-R01", "BIB-CL-WGV-R05"}
    assert result.related_refusal_grounds == ("WGV-W02",)


# --- engine rules on a synthetic checklist ---------------------------------------------------------


def test_minimum_level_lifts_a_low_score(tst):
    result = assess(tst, {"BIB-CL-TST-G02": "ja"})
    b = result.ground(Ground.B_GROND)
    assert (b.score, b.score_level, b.level) == (1, DangerLevel.GEEN, DangerLevel.ERNSTIG)
    assert b.raised_by == ("BIB-CL-TST-G02",)
    assert result.proposal is DangerLevel.ERNSTIG
    assert any("brengt de conclusie op ten minste ernstig gevaar" in line for line in result.rationale)


def test_thresholds_come_from_the_file(tmp_path):
    data = definition()
    data["thresholds"]["A_GROND"] = {"mindere_mate": 2, "ernstig": 4}
    checklist = load_checklist("testvergunning", directory=write_definition(tmp_path, data).parent)
    assert assess(checklist, {"BIB-CL-TST-E01": "ja"}).proposal is DangerLevel.ERNSTIG


def test_choice_weights_and_two_grounds(tst):
    result = assess(tst, {"BIB-CL-TST-G01": "verdenking"})
    assert result.ground(Ground.A_GROND).score == result.ground(Ground.B_GROND).score == 2
    result = assess(tst, {"BIB-CL-TST-G01": "Veroordeling"})
    assert result.indicators[0].answer == "veroordeling"
    assert result.ground(Ground.A_GROND).score == 9


def test_register_threshold_counts_hits_of_listed_kinds_only(tst):
    assert not assess(tst, {}, confirmed_hits=["witwassen", "geweld"]).fired("BIB-CL-TST-R01")
    result = assess(tst, {}, confirmed_hits=["witwassen", "witwassen"])
    assert result.fired("BIB-CL-TST-R01")
    assert result.related_refusal_grounds == ("WGV-W02",)


def test_text_items_fire_on_content_without_weight(tst):
    result = assess(tst, {"BIB-CL-TST-I03": "Bankafschrift wijkt af"})
    assert result.fired("BIB-CL-TST-I03")
    assert result.proposal is DangerLevel.GEEN
    assert assess(tst, {"BIB-CL-TST-I03": "   "}).unanswered[-1].id == "BIB-CL-TST-I03"
