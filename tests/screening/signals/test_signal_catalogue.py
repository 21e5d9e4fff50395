"""Signal catalogue and signal_rule (domain.md §4.1-4.2)."""

from __future__ import annotations

import copy

import pytest
import yaml

from screening.signals import (
    DataFileError,
    UnknownSignalError,
    Vorm,
    evaluate_signals,
    load_catalogue,
)
from screening.signals._loader import read_yaml
from screening.signals.catalogue import parse_catalogue


@pytest.fixture(scope="module")
def document():
    return read_yaml("screening.signals", "signalen.yaml")


def test_catalogue_holds_every_signal_and_barrier_of_the_domain():
    cat = load_catalogue()
    ids = {s.id for s in cat.signals}
    assert len(cat.signals) == 36
    assert {f"SIG-ALG-{i:02d}" for i in range(1, 11)} <= ids
    assert {f"SIG-SEX-{i:02d}" for i in range(1, 10)} <= ids
    assert {f"SIG-HUI-{i:02d}" for i in range(1, 11)} <= ids
    assert {"SIG-ARB-01", "SIG-ARB-04", "SIG-BIB-01", "SIG-BIB-03"} <= ids
    assert [b.id for b in cat.barriers] == [
        "BAR-ENTREE", "BAR-HUISVESTING", "BAR-IDENTITEIT", "BAR-ARBEID",
        "BAR-FINANCIEN", "BAR-VERBLIJF", "BAR-TERUGKEER",
    ]  # fmt: skip


def test_signal_fields_match_the_catalogue():
    sig = load_catalogue().signal("SIG-ALG-01")
    assert sig.barrier == "BAR-IDENTITEIT"
    assert sig.vorm is Vorm.ALLE
    assert sig.weight == 3
    assert sig.sources == ("B4", "B5")
    assert "paspoort" in sig.text


def test_every_cited_source_is_listed():
    cat = load_catalogue()
    cited = {k for s in cat.signals for k in s.sources} | {k for b in cat.barriers for k in b.sources}
    assert cited <= set(cat.sources)
    assert cat.sources["B4"].url.startswith("https://")


def test_signals_for_a_form_include_the_all_forms_signals():
    cat = load_catalogue()
    seks = cat.signals_for(vorm=Vorm.SEKS)
    assert {s.vorm for s in seks} == {Vorm.SEKS, Vorm.ALLE}
    assert all(s.barrier == "BAR-HUISVESTING" for s in cat.signals_for(barrier="BAR-HUISVESTING"))


@pytest.mark.parametrize(
    ("ids", "consider", "total"),
    [
        ([], False, 0),
        (["SIG-HUI-08"], False, 1),  # one weak signal
        (["SIG-HUI-08", "SIG-ALG-10"], False, 2),
        (["SIG-HUI-02", "SIG-HUI-08"], False, 3),  # just below the sum threshold
        (["SIG-HUI-02", "SIG-HUI-03"], True, 4),  # sum(weights) >= 4
        (["SIG-ALG-01"], True, 3),  # any weight-3 signal
        (["SIG-SEX-02"], True, 3),
    ],
)
def test_signal_rule(ids, consider, total):
    result = evaluate_signals(ids)
    assert result.consider_report is consider
    assert result.total_weight == total
    assert result.auto_send is False
    assert result.requires_human_decision is True


def test_reasons_name_the_strong_signal_and_the_sum():
    result = evaluate_signals(["SIG-ALG-01", "SIG-HUI-02"])
    assert result.strong_signals[0].id == "SIG-ALG-01"
    assert any("SIG-ALG-01" in r for r in result.reasons)
    assert any("Totaalgewicht 5" in r for r in result.reasons)


def test_no_report_reason_is_dutch():
    (reason,) = evaluate_signals(["SIG-HUI-08"]).reasons
    assert "geen melding voorgesteld" in reason


def test_duplicate_signals_count_once():
    assert evaluate_signals(["SIG-HUI-02", "SIG-HUI-02"]).total_weight == 2


def test_unknown_signal_raises_instead_of_lowering_the_weight():
    with pytest.raises(UnknownSignalError) as info:
        evaluate_signals(["SIG-HUI-02", "SIG-XXX-99"])
    assert info.value.ids == ("SIG-XXX-99",)
    assert "Onbekende signaalcode" in str(info.value)


def test_evaluation_collects_forms_and_barriers():
    result = evaluate_signals(["SIG-SEX-01", "SIG-ARB-01", "SIG-ALG-01"])
    assert result.vormen == frozenset({Vorm.SEKS, Vorm.ARBEID})  # ALLE names no form
    assert result.barriers == ("BAR-ARBEID", "BAR-IDENTITEIT")
    assert result.signal_ids[0] in {"SIG-SEX-01", "SIG-ALG-01"}  # strongest first


def test_custom_rule_thresholds_come_from_the_data(document):
    doc = copy.deepcopy(document)
    doc["rule"]["sum_threshold"] = 6
    cat = parse_catalogue(doc)
    assert evaluate_signals(["SIG-HUI-02", "SIG-HUI-03"], catalogue=cat).consider_report is False


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["signals"][0].update(weight=4), "weight"),
        (lambda d: d["signals"][0].update(vorm="ORGAAN"), "vorm"),
        (lambda d: d["signals"][1].update(id=d["signals"][0]["id"]), "dubbele signaalcodes"),
        (lambda d: d["signals"][0].update(barrier="BAR-ONBEKEND"), "onbekende barrière"),
        (lambda d: d["signals"][0].update(sources=["B99"]), "onbekende bron B99"),
        (lambda d: d["signals"][0].pop("text"), "text"),
    ],
)
def test_invalid_catalogue_is_rejected(document, mutate, message):
    doc = copy.deepcopy(document)
    mutate(doc)
    with pytest.raises(DataFileError, match=message):
        parse_catalogue(doc)


def test_catalogue_loads_from_a_file(tmp_path, document):
    path = tmp_path / "signalen.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    assert load_catalogue(path).signal("SIG-SEX-02").weight == 3
