"""The Drenthe meldroute rules engine and the forward privacy checks (domain.md §5, plan bijlage 4, §4.5)."""

from __future__ import annotations

import copy

import pytest

from screening.signals import (
    DataFileError,
    SignalReport,
    Stage,
    Target,
    Vorm,
    check_forward,
    evaluate_signals,
    load_meldroute,
    propose_route,
)
from screening.signals._loader import read_yaml
from screening.signals.meldroute import parse_meldroute


def test_all_rules_mr00_to_mr08_are_loaded_with_a_plan_section():
    route = load_meldroute()
    assert [r.id for r in route.rules] == [f"MR-0{i}" for i in range(9)]
    assert all(r.basis for r in route.rules)
    assert "bijlage 4" in route.rule("MR-04").basis
    assert "fenomeen" in route.rule("MR-04").data_rule


def test_stage_order_follows_bijlage_4():
    assert [s.order for s in (Stage.MEDEWERKER, Stage.AANDACHTFUNCTIONARIS, Stage.ZVHD, Stage.DRIELUIK)] == [
        0, 1, 2, 3,
    ]  # fmt: skip
    assert Stage.DRIELUIK.label.startswith("Drieluik")
    assert Target.NLA.label == "Nederlandse Arbeidsinspectie"


def test_plain_signal_from_a_medewerker_walks_the_whole_chain():
    proposal = propose_route(SignalReport(vormen={Vorm.ARBEID}))
    assert proposal.rule_ids == ("MR-01", "MR-02", "MR-03", "MR-05")
    assert proposal.targets == (Target.AANDACHTFUNCTIONARIS, Target.ZVHD, Target.DRIELUIK, Target.NLA)
    assert [s.is_next for s in proposal.steps] == [True, False, False, False]
    assert proposal.auto_send is False
    assert proposal.requires_human_decision is True
    assert "bijlage 4" in proposal.reference


def test_acute_danger_puts_112_first():
    proposal = propose_route(
        SignalReport(vormen={Vorm.SEKS}, is_acute=True, current_stage=Stage.AANDACHTFUNCTIONARIS)
    )
    first = proposal.steps[0]
    assert (first.rule_id, first.target, first.is_next) == ("MR-00", Target.POLITIE_112, True)
    assert "112" in first.action
    assert proposal.rule_ids[1:] == ("MR-02", "MR-03", "MR-06")
    mr02 = proposal.steps[1]
    assert any("achteraf" in n for n in mr02.notes)


def test_acute_at_the_drieluik_still_calls_112_first():
    proposal = propose_route(SignalReport(is_acute=True, current_stage=Stage.DRIELUIK))
    assert proposal.rule_ids == ("MR-00",)


@pytest.mark.parametrize(
    ("vormen", "expected"),
    [
        ({Vorm.ARBEID}, {"MR-05"}),
        ({Vorm.SEKS}, {"MR-06"}),
        ({Vorm.CRIMINEEL}, {"MR-06"}),
        ({Vorm.ARBEID, Vorm.SEKS}, {"MR-05", "MR-06"}),
        ({Vorm.ALLE}, set()),
    ],
)
def test_form_of_exploitation_selects_nla_or_tmm(vormen, expected):
    proposal = propose_route(SignalReport(vormen=vormen, current_stage=Stage.DRIELUIK))
    assert set(proposal.rule_ids) == expected


def test_unknown_form_warns_that_the_drieluik_decides():
    proposal = propose_route(SignalReport())
    assert any("Drieluik" in w for w in proposal.warnings)


def test_follow_up_rules_at_the_drieluik():
    report = SignalReport(
        vormen={Vorm.ARBEID},
        has_undermining_component=True,
        needs_care=True,
        current_stage=Stage.DRIELUIK,
    )
    proposal = propose_route(report)
    assert proposal.rule_ids == ("MR-04", "MR-05", "MR-07")
    assert all(s.is_next for s in proposal.steps)
    assert proposal.steps[0].target is Target.RIEC
    assert "RIEC-CONVENANT" in proposal.steps[0].legal_bases


def test_chain_steps_already_taken_are_left_out():
    proposal = propose_route(SignalReport(vormen={Vorm.SEKS}, current_stage=Stage.ZVHD))
    assert proposal.rule_ids == ("MR-03", "MR-06")
    assert proposal.steps[0].is_next


def test_bibob_relevant_signal_goes_to_the_bibob_coordinator_in_parallel():
    proposal = propose_route(SignalReport(vormen={Vorm.ARBEID}, is_bibob_relevant=True))
    assert proposal.rule_ids[-1] == "MR-08"
    mr08 = proposal.steps[-1]
    assert mr08.target is Target.BIBOB_COORDINATOR
    assert mr08.is_next  # inside the gemeente, can happen now
    assert "art. 28" in mr08.basis


def test_care_data_note_on_the_riec_step():
    report = SignalReport(
        has_undermining_component=True, contains_care_data=True, current_stage=Stage.DRIELUIK
    )
    proposal = propose_route(report)
    riec = next(s for s in proposal.steps if s.target is Target.RIEC)
    assert any("fenomeeninformatie" in n for n in riec.notes)
    assert any("zorggegevens" in w for w in proposal.warnings)


def test_minor_signal_marks_the_report_and_warns():
    evaluation = evaluate_signals(["SIG-SEX-02"])
    report = SignalReport.from_evaluation(evaluation, needs_care=True)
    assert report.involves_minor
    assert report.vormen == frozenset({Vorm.SEKS})
    proposal = propose_route(report)
    assert any("273f" in w for w in proposal.warnings)
    assert "MR-00" not in proposal.rule_ids  # a minor alone is not 'acute'
    assert "MR-07" in proposal.rule_ids


# --- check_forward: hard privacy checks ------------------------------------------------


def drieluik(**kwargs):
    return SignalReport(current_stage=Stage.DRIELUIK, **kwargs)


def test_forward_along_the_route_with_a_basis_is_allowed():
    decision = check_forward(SignalReport(), Target.AANDACHTFUNCTIONARIS, "INTERNE-MELDROUTE")
    assert decision.allowed
    assert decision.blocked_by == ()
    assert "toegestaan" in decision.reasons[0]


@pytest.mark.parametrize("basis", [None, "", "   ", []])
def test_forward_without_legal_basis_is_blocked(basis):
    decision = check_forward(SignalReport(), Target.AANDACHTFUNCTIONARIS, basis)
    assert not decision.allowed
    assert decision.blocked_by == ("GRONDSLAG",)
    assert "grondslag" in decision.reasons[0]


def test_unknown_or_non_covering_basis_is_blocked():
    assert check_forward(SignalReport(), "AANDACHTFUNCTIONARIS", "WIE-DIT-LEEST").blocked_by == ("GRONDSLAG",)
    decision = check_forward(drieluik(vormen={Vorm.ARBEID}), Target.NLA, "RIEC-CONVENANT")
    assert decision.blocked_by == ("GRONDSLAG",)
    assert "dekt geen verstrekking" in decision.reasons[0]


def test_care_data_never_goes_to_the_riec_whatever_the_basis():
    report = drieluik(has_undermining_component=True, contains_care_data=True)
    for basis in ("RIEC-CONVENANT", "DISC-RIEC", ["RIEC-CONVENANT", "DISC-RIEC"]):
        decision = check_forward(report, Target.RIEC, basis)
        assert not decision.allowed
        assert "MR-04-ZORGDATA" in decision.blocked_by
        assert any("nooit naar het RIEC" in r for r in decision.reasons)


def test_phenomenon_information_without_care_data_may_go_to_the_riec():
    report = drieluik(has_undermining_component=True, contains_care_data=False)
    assert check_forward(report, Target.RIEC, "RIEC-CONVENANT").allowed


def test_care_data_may_go_within_the_zvhd_convenant():
    report = SignalReport(current_stage=Stage.AANDACHTFUNCTIONARIS, contains_care_data=True)
    assert check_forward(report, Target.ZVHD, "CONVENANT-ZVHD").allowed


def test_bibob_data_is_blocked_from_meldroute_exports():
    report = SignalReport(current_stage=Stage.AANDACHTFUNCTIONARIS, contains_bibob_data=True)
    decision = check_forward(report, Target.ZVHD, "CONVENANT-ZVHD")
    assert not decision.allowed
    assert decision.blocked_by == ("MR-08-BIBOB",)
    assert "art. 28" in decision.reasons[0]


def test_bibob_data_passes_only_under_disc_riec_or_disc_driehoek():
    report = drieluik(vormen={Vorm.SEKS}, has_undermining_component=True, contains_bibob_data=True)
    assert check_forward(report, Target.RIEC, ["RIEC-CONVENANT", "DISC-RIEC"]).allowed
    assert check_forward(report, Target.POLITIE_TMM, ["CONVENANT-ZVHD", "DISC-DRIEHOEK"]).allowed
    # DISC-RIEC does not cover the police, DISC-DRIEHOEK does not cover the RIEC.
    assert (
        "MR-08-BIBOB" in check_forward(report, Target.POLITIE_TMM, ["CONVENANT-ZVHD", "DISC-RIEC"]).blocked_by
    )
    assert "MR-08-BIBOB" in check_forward(report, Target.RIEC, ["RIEC-CONVENANT", "DISC-DRIEHOEK"]).blocked_by
    # The NLA is on no whitelist at all.
    nla = check_forward(drieluik(vormen={Vorm.ARBEID}, contains_bibob_data=True), Target.NLA, "MELDING-NLA")
    assert nla.blocked_by == ("MR-08-BIBOB",)


def test_bibob_data_to_the_bibob_coordinator_needs_disc_intern():
    report = SignalReport(contains_bibob_data=True, is_bibob_relevant=True)
    assert not check_forward(report, Target.BIBOB_COORDINATOR, "INTERNE-MELDROUTE").allowed
    assert check_forward(report, Target.BIBOB_COORDINATOR, ["INTERNE-MELDROUTE", "DISC-INTERN"]).allowed


def test_skipping_route_steps_is_blocked():
    decision = check_forward(SignalReport(vormen={Vorm.ARBEID}), Target.NLA, "MELDING-NLA")
    assert decision.blocked_by == ("VOLGORDE",)
    assert "Aandachtfunctionaris" in decision.reasons[0]


def test_112_is_always_reachable():
    for stage in Stage:
        assert check_forward(
            SignalReport(is_acute=True, current_stage=stage), Target.POLITIE_112, "VITAAL-BELANG"
        ).allowed


def test_all_violations_are_reported_together():
    report = SignalReport(contains_care_data=True, contains_bibob_data=True)
    decision = check_forward(report, Target.RIEC, None)
    assert set(decision.blocked_by) == {"GRONDSLAG", "MR-04-ZORGDATA", "MR-08-BIBOB", "VOLGORDE"}
    assert len(decision.reasons) == 4


def test_mismatched_target_gives_a_warning_not_a_block():
    decision = check_forward(drieluik(vormen={Vorm.SEKS}), Target.NLA, "MELDING-NLA")
    assert decision.allowed
    assert any("arbeidsuitbuiting" in w for w in decision.warnings)


def test_unknown_target_is_rejected():
    with pytest.raises(ValueError, match="NIEMAND"):
        check_forward(SignalReport(), "NIEMAND", "INTERNE-MELDROUTE")


def test_invalid_meldroute_file_is_rejected():
    doc = copy.deepcopy(read_yaml("screening.signals", "meldroute.yaml"))
    doc["rules"][0]["target"] = "BUURMAN"
    with pytest.raises(DataFileError, match="rules/0/target"):
        parse_meldroute(doc)
    doc = copy.deepcopy(read_yaml("screening.signals", "meldroute.yaml"))
    del doc["targets"]["NLA"]
    with pytest.raises(DataFileError, match="NLA"):
        parse_meldroute(doc)
