"""Tests for screening.deadlines: every rule of domain.md §10 by number, plus invariants (hypothesis)."""

from __future__ import annotations

import dataclasses
import pathlib
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.deadlines import (
    DEFAULT_RULES,
    PERMIT_TYPES,
    AanvullingRequested,
    ApplicantDelay,
    AtwMode,
    ConsentPeriod,
    DeadlineCase,
    DeadlineError,
    DeadlineStatus,
    DelayNotice,
    ForeignAuthorityRequest,
    Ingebrekestelling,
    KbTable,
    LbbAdviceRequested,
    LbbQuestions,
    LegalParam,
    Overmacht,
    SuspensionCount,
    SuspensionKind,
    TermSource,
    Verdaging,
    VerdagingKind,
    atw_holidays,
    compute_deadline,
    default_kb_table,
    dwangsom_daily_amount,
    dwangsom_state,
    dwangsom_total,
    easter_sunday,
    event_from_mapping,
    format_date,
    is_rest_day,
    kings_day,
    next_working_day,
    parse_kb_table,
    previous_working_day,
    rest_day_name,
    rules_for,
)

D = date
APV = rules_for("seksbedrijf_apv")
AWB = rules_for("seksbedrijf_awb")
WGV = rules_for("wgv_verhuurvergunning")
NO_NOTICE = {"require_notice_for_suspension": False}
FAR = D(2030, 1, 1)  # "today" well after every event, so no event is in the future
RECEIVED = D(2026, 3, 3)  # a Tuesday; 8 weeks later is Tuesday 28 April 2026
BASE_END = D(2026, 4, 28)


def run(events=(), rules=AWB, *, received=RECEIVED, today=FAR, decided_on=None):
    return compute_deadline(DeadlineCase(received, tuple(events), decided_on), rules, today=today)


def test_no_date_today_inside_the_engine():
    # H8: the engine gets `today` passed in; it never reads the clock.
    package = pathlib.Path(__file__).parents[2] / "screening" / "deadlines"
    for path in package.glob("*.py"):
        text = path.read_text("utf-8")
        assert "date.today(" not in text and "datetime.now(" not in text, path.name


# --- A. Start and counting ------------------------------------------------------------------------------------


class TestA_StartAndCounting:
    def test_rule_1_day_of_receipt_does_not_count(self):
        result = run(rules=APV)
        assert result.base_end_on == RECEIVED + timedelta(days=56)
        # day 1 is 4 March, day 56 is 28 April
        assert result.base_end_on == BASE_END

    def test_rule_2_w_weeks_end_on_the_same_weekday(self):
        result = run(rules=APV)
        assert result.end_on == BASE_END
        assert result.end_on.weekday() == RECEIVED.weekday() == 1  # Tuesday
        assert result.explanation[0] == (
            "Ontvangen op di 3 maart 2026; termijn 8 weken (APV art. 1:2 lid 1 (model-APV)): "
            "basiseinddatum di 28 april 2026."
        )

    def test_rule_2_explanation_names_the_awb_article(self):
        assert run(rules=AWB).explanation[0].startswith(
            "Ontvangen op di 3 maart 2026; termijn 8 weken (Awb 4:13 lid 2)"
        )

    def test_rule_3_received_on_a_saturday_counts_from_that_saturday(self):
        saturday = D(2026, 3, 7)
        result = run(rules=APV, received=saturday)  # APV: no Atw shift
        assert result.end_on == D(2026, 5, 2)
        assert result.end_on.weekday() == 5
        assert result.latest_working_day_on == D(2026, 5, 1)

    def test_rule_3_incomplete_application_starts_the_term_suspension_handles_it(self):
        result = run([AanvullingRequested(RECEIVED, 2)], rules=APV)
        assert result.base_end_on == BASE_END
        assert result.suspensions[0].first_day == RECEIVED + timedelta(days=1)

    def test_rule_4_weeks_are_seven_calendar_days(self):
        rules = rules_for("seksbedrijf_apv", overrides={"term_weeks": 6})
        assert run(rules=rules).end_on == RECEIVED + timedelta(days=42)


# --- B. Length of the term ------------------------------------------------------------------------------------


class TestB_TermPerPermitType:
    def test_three_configurations_exist(self):
        assert set(PERMIT_TYPES) == set(DEFAULT_RULES) == {
            "seksbedrijf_apv", "seksbedrijf_awb", "wgv_verhuurvergunning",
        }

    def test_rule_5_apv_8_weeks_plus_verdaging_of_8_weeks(self):
        assert APV.term_weeks.value == 8
        assert APV.term_source.value is TermSource.VERORDENING
        assert APV.verdaging.value.max_weeks == 8
        assert APV.verdaging.value.kind is VerdagingKind.APV_1_2_LID_2
        assert "1:2 lid 2" in APV.verdaging.source

    def test_rule_6_awb_redelijke_termijn_8_weeks_extension_by_4_14_lid_3(self):
        assert AWB.term_weeks.value == 8
        assert AWB.term_source.value is TermSource.AWB_4_13_LID_2
        assert AWB.verdaging.value.kind is VerdagingKind.AWB_4_14_LID_3
        assert AWB.verdaging.value.max_weeks is None  # "zo kort mogelijk", no statutory maximum
        assert AWB.term_weeks.source == "Awb 4:13 lid 2"

    def test_rule_7_the_two_seksbedrijf_configurations_differ_in_atw(self):
        assert APV.atw_mode.value is AtwMode.NONE
        assert AWB.atw_mode.value is AtwMode.APPLY
        assert APV.lex_silencio.value is False and AWB.lex_silencio.value is False

    def test_rule_8_wgv_defaults_to_awb_and_is_marked_unverified(self):
        assert WGV.term_weeks.value == 8
        assert WGV.term_source.value is TermSource.AWB_4_13_LID_2
        assert WGV.term_weeks.verified is False
        assert WGV.lex_silencio.value is False and WGV.lex_silencio.verified is False


# --- C. Suspension --------------------------------------------------------------------------------------------


class TestC_Suspension:
    def test_rule_9_aanvulling_practical_counts_x_minus_q(self):
        # Q = 10 March, aanvulling received 17 March: 11..17 March suspended = 7 days.
        result = run([AanvullingRequested(D(2026, 3, 10), 2, D(2026, 3, 17))], rules=APV)
        period = result.suspensions[0]
        assert (period.first_day, period.last_day, period.days) == (D(2026, 3, 11), D(2026, 3, 17), 7)
        assert period.kind is SuspensionKind.AANVULLING
        assert period.basis == "Awb 4:15 lid 1 sub a jo. 4:5"
        assert result.suspended_days == 7
        assert result.end_on == D(2026, 5, 5)

    def test_rule_9_aanvulling_strict_counts_x_minus_q_minus_1(self):
        rules = rules_for("seksbedrijf_apv", overrides={"suspension_count": "strict"})
        result = run([AanvullingRequested(D(2026, 3, 10), 2, D(2026, 3, 17))], rules=rules)
        assert result.suspended_days == 6
        assert result.suspensions[0].last_day == D(2026, 3, 16)
        assert result.end_on == D(2026, 5, 4)

    def test_rule_9_unused_hersteltermijn_suspends_to_its_last_day(self):
        result = run([AanvullingRequested(D(2026, 3, 10), 2)], rules=APV)
        assert result.suspensions[0].last_day == D(2026, 3, 24)
        assert result.suspended_days == 14
        assert result.end_on == D(2026, 5, 12)

    def test_rule_9_late_aanvulling_suspends_only_to_the_end_of_the_hersteltermijn(self):
        result = run([AanvullingRequested(D(2026, 3, 10), 1, D(2026, 3, 30))], rules=APV)
        assert result.suspended_days == 7
        assert "te laat ontvangen" in result.suspensions[0].note

    def test_rule_9_hersteltermijn_named_as_a_date(self):
        event = AanvullingRequested(D(2026, 3, 10), None, None, hersteltermijn_until=D(2026, 3, 20))
        assert run([event], rules=APV).suspended_days == 10

    def test_rule_9_pending_aanvulling_is_provisional(self):
        result = run([AanvullingRequested(D(2026, 3, 10), 2)], rules=APV, today=D(2026, 3, 12))
        assert result.is_provisional
        assert "Voorlopig" in result.explanation[1]

    def test_rule_10_request_without_hersteltermijn_does_not_suspend(self):
        result = run([AanvullingRequested(D(2026, 3, 10), None, D(2026, 3, 17))], rules=APV)
        assert result.suspended_days == 0
        assert result.end_on == BASE_END
        assert "ECLI:NL:RVS:2016:2527" in result.ignored[0].reason
        assert any("ECLI:NL:RVS:2016:2527" in line for line in result.explanation)

    def test_rule_10_hersteltermijn_must_be_positive(self):
        with pytest.raises(DeadlineError) as err:
            run([AanvullingRequested(D(2026, 3, 10), 0)])
        assert err.value.field == "events[0].hersteltermijn_weeks"

    def test_rule_11_buiten_behandeling_deadline_after_unused_hersteltermijn(self):
        result = run([AanvullingRequested(D(2026, 3, 10), 2)], rules=APV, today=D(2026, 4, 1))
        # hersteltermijn ended 24 March; Awb 4:5 lid 4: decision within 4 weeks, by 21 April
        assert any("di 21 april 2026" in w and "Awb 4:5 lid 4" in w for w in result.warnings)
        assert result.suspended_days == 14  # the suspension still counts

    def test_rule_12_lid_2a_consent_period_is_inclusive(self):
        result = run([ConsentPeriod(D(2026, 3, 20), D(2026, 3, 29))])
        assert result.suspended_days == 10
        assert result.suspensions[0].basis == "Awb 4:15 lid 2 sub a"

    def test_rule_12_lid_1b_foreign_authority(self):
        result = run([ForeignAuthorityRequest(D(2026, 3, 10), D(2026, 3, 20))])
        assert result.suspended_days == 10
        assert result.suspensions[0].basis == "Awb 4:15 lid 1 sub b"
        assert any("Awb 4:15 lid 4" in w for w in result.warnings)

    def test_rule_12_lid_2b_applicant_delay_inclusive(self):
        result = run([ApplicantDelay(D(2026, 3, 10), D(2026, 3, 12))])
        assert result.suspended_days == 3
        assert result.suspensions[0].basis == "Awb 4:15 lid 2 sub b"

    def test_rule_12_lid_2c_overmacht_needs_the_notice_when_configured(self):
        ignored = run([Overmacht(D(2026, 3, 10), D(2026, 3, 12), notice_logged=False)])
        assert ignored.suspended_days == 0
        assert "Awb 4:15 lid 3" in ignored.ignored[0].reason
        applied = run([Overmacht(D(2026, 3, 10), D(2026, 3, 12), notice_logged=True)])
        assert applied.suspended_days == 3

    def test_rule_12_open_overmacht_runs_through_today(self):
        result = run([Overmacht(D(2026, 3, 10), None, notice_logged=True)], today=D(2026, 3, 15))
        assert result.suspended_days == 6
        assert result.is_provisional

    def test_rule_13_lbb_without_advice_uses_the_8_week_cap(self):
        result = run([LbbAdviceRequested(D(2026, 3, 10), 0, None, notice_logged=True)])
        period = result.suspensions[0]
        assert (period.first_day, period.days) == (D(2026, 3, 11), 56)
        assert result.end_on == BASE_END + timedelta(days=56)  # Tue 23 June 2026
        assert period.basis == "Wet Bibob art. 31"

    def test_rule_13_lbb_extension_gives_12_week_cap(self):
        result = run([LbbAdviceRequested(D(2026, 3, 10), 4, None, notice_logged=True)])
        assert result.suspended_days == 84
        assert result.end_on == D(2026, 7, 21)

    @pytest.mark.parametrize(("ext", "cap"), [(0, 56), (1, 63), (2, 70), (3, 77), (4, 84)])
    def test_rule_13_cap_is_56_plus_7_times_extension(self, ext, cap):
        assert run([LbbAdviceRequested(D(2026, 3, 10), ext, None, True)]).suspended_days == cap

    def test_rule_13_advice_received_early_ends_the_suspension(self):
        result = run([LbbAdviceRequested(D(2026, 3, 10), 0, D(2026, 3, 31), notice_logged=True)])
        assert result.suspended_days == 21  # min(A − Q, 56)
        assert result.suspensions[0].last_day == D(2026, 3, 31)

    def test_rule_13_advice_after_the_cap_is_capped(self):
        result = run([LbbAdviceRequested(D(2026, 3, 10), 0, D(2026, 6, 1), notice_logged=True)])
        assert result.suspended_days == 56
        result = run([LbbAdviceRequested(D(2026, 3, 10), 4, D(2026, 6, 1), notice_logged=True)])
        assert result.suspended_days == 83  # A − Q = 83 < 84

    def test_rule_13_strict_reading_does_not_change_the_lbb_formula(self):
        rules = rules_for("seksbedrijf_awb", overrides={"suspension_count": "strict"})
        assert run([LbbAdviceRequested(D(2026, 3, 10), 0, D(2026, 3, 31), True)], rules=rules).suspended_days == 21

    def test_rule_13_extension_above_four_weeks_is_invalid(self):
        with pytest.raises(DeadlineError) as err:
            run([LbbAdviceRequested(D(2026, 3, 10), 5, None, True)])
        assert err.value.field == "events[0].extension_weeks"

    def test_rule_13_no_notice_no_suspension_when_required(self):
        result = run([LbbAdviceRequested(D(2026, 3, 10), 0, None, notice_logged=False)])
        assert result.suspended_days == 0
        assert "mededeling" in result.ignored[0].reason

    def test_rule_13_notice_not_required_when_configured(self):
        rules = rules_for("seksbedrijf_awb", overrides=NO_NOTICE)
        assert run([LbbAdviceRequested(D(2026, 3, 10), 0, None, False)], rules=rules).suspended_days == 56

    def test_rule_13_pending_advice_is_provisional_until_the_cap(self):
        event = LbbAdviceRequested(D(2026, 3, 10), 0, None, True)
        assert run([event], today=D(2026, 4, 1)).is_provisional
        assert not run([event], today=D(2026, 5, 6)).is_provisional  # 10 March + 56 = 5 May

    def test_rule_14_lbb_questions_come_on_top_of_the_cap(self):
        events = [
            LbbAdviceRequested(D(2026, 3, 10), 0, None, notice_logged=True),
            LbbQuestions(D(2026, 4, 1), D(2026, 4, 11)),
        ]
        result = run(events)
        assert result.suspended_days == 56 + 10
        assert result.overlap_days == 0  # the questions lengthen the advice period, they do not overlap it
        questions = next(p for p in result.suspensions if p.kind is SuspensionKind.LBB_VRAGEN)
        assert questions.within_event_index == 0

    def test_rule_14_advice_received_before_the_extended_cap(self):
        events = [
            LbbAdviceRequested(D(2026, 3, 10), 0, D(2026, 5, 10), notice_logged=True),
            LbbQuestions(D(2026, 4, 1), D(2026, 4, 11)),
        ]
        assert run(events).suspended_days == 61  # A − Q = 61 <= 56 + 10

    def test_rule_14_lbb_questions_without_request_still_suspend(self):
        result = run([LbbQuestions(D(2026, 4, 1), D(2026, 4, 11))])
        assert result.suspended_days == 10
        assert any("buiten een adviesaanvraag" in w for w in result.warnings)

    def test_rule_15_incomplete_questionnaire_is_an_aanvulling(self):
        # The Bibob questionnaire is part of the application: Awb 4:5 with a hersteltermijn (rule 9).
        result = run([AanvullingRequested(D(2026, 3, 5), 2, D(2026, 3, 12))])
        assert result.suspended_days == 7

    def test_rule_16_overlapping_suspensions_count_once(self):
        events = [
            AanvullingRequested(D(2026, 3, 10), 2, D(2026, 3, 17)),  # 11..17
            ConsentPeriod(D(2026, 3, 15), D(2026, 3, 20)),  # 15..20
        ]
        result = run(events, rules=APV)
        assert result.suspended_days == 10
        assert result.overlap_days == 3
        assert result.suspended_ranges == ((D(2026, 3, 11), D(2026, 3, 20)),)
        assert result.end_on == D(2026, 5, 8)
        assert any("3 dagen vallen onder meer dan één opschorting" in line for line in result.explanation)

    def test_rule_16_request_after_the_deadline_has_no_effect(self):
        result = run([AanvullingRequested(D(2026, 4, 29), 2)], rules=APV)
        assert result.end_on == BASE_END
        assert "geen effect" in result.ignored[0].reason

    def test_rule_16_request_on_the_last_day_has_no_effect(self):
        result = run([AanvullingRequested(BASE_END, 2)], rules=APV)
        assert result.end_on == BASE_END
        assert result.suspended_days == 0

    def test_rule_16_request_on_the_day_before_the_end_has_effect(self):
        result = run([AanvullingRequested(BASE_END - timedelta(days=1), 1)], rules=APV)
        assert result.suspended_days == 7

    def test_rule_16_consent_starting_on_the_last_day_has_effect(self):
        result = run([ConsentPeriod(BASE_END, BASE_END + timedelta(days=2))], rules=APV)
        assert result.suspended_days == 3
        assert result.end_on == D(2026, 5, 1)

    def test_rule_16_a_late_request_counts_when_an_earlier_suspension_moved_the_end(self):
        events = [
            AanvullingRequested(D(2026, 3, 10), 2, D(2026, 3, 17)),  # end becomes 5 May
            AanvullingRequested(D(2026, 5, 1), 1, D(2026, 5, 4)),  # after 28 April, before 5 May
        ]
        assert run(events, rules=APV).suspended_days == 10


# --- D. Verdaging -----------------------------------------------------------------------------------------------


class TestD_Verdaging:
    def test_rule_17_apv_verdaging_before_the_end(self):
        result = run([Verdaging(D(2026, 4, 20), 8)], rules=APV)
        assert result.end_on == BASE_END + timedelta(weeks=8)
        assert result.extension_days == 56
        ext = result.extensions[0]
        assert (ext.end_before, ext.end_after) == (BASE_END, D(2026, 6, 23))
        assert ext.basis == "Verdaging (APV art. 1:2 lid 2)"

    def test_rule_17_verdaging_on_the_last_day_is_in_time(self):
        assert run([Verdaging(BASE_END, 4)], rules=APV).end_on == BASE_END + timedelta(weeks=4)

    def test_rule_17_verdaging_after_the_end_is_an_error(self):
        with pytest.raises(DeadlineError) as err:
            run([Verdaging(BASE_END + timedelta(days=1), 4)], rules=APV)
        assert err.value.field == "events[0].notified_on"
        assert "na het einde van de termijn" in err.value.message
        assert "di 28 april 2026" in err.value.message

    def test_rule_17_verdaging_counts_from_the_end_after_suspensions(self):
        events = [AanvullingRequested(D(2026, 3, 10), 2, D(2026, 3, 17)), Verdaging(D(2026, 5, 1), 8)]
        result = run(events, rules=APV)
        assert result.extensions[0].end_before == D(2026, 5, 5)
        assert result.end_on == D(2026, 6, 30)

    def test_rule_17_verdaging_after_original_end_but_before_suspended_end(self):
        events = [AanvullingRequested(D(2026, 3, 10), 2, D(2026, 3, 17)), Verdaging(D(2026, 5, 4), 2)]
        assert run(events, rules=APV).end_on == D(2026, 5, 19)

    def test_rule_17_more_weeks_than_allowed_is_an_error(self):
        with pytest.raises(DeadlineError) as err:
            run([Verdaging(D(2026, 4, 1), 9)], rules=APV)
        assert err.value.field == "events[0].weeks"
        assert "ten hoogste 8 weken" in err.value.message

    def test_rule_17_only_once(self):
        with pytest.raises(DeadlineError) as err:
            run([Verdaging(D(2026, 4, 1), 4), Verdaging(D(2026, 5, 1), 4)], rules=APV)
        assert err.value.field == "events[1]"

    def test_rule_17_count_and_weeks_come_from_the_configuration(self):
        rules = rules_for("seksbedrijf_apv", overrides={"verdaging": {"max_count": 2, "max_weeks": 4}})
        result = run([Verdaging(D(2026, 4, 1), 4), Verdaging(D(2026, 5, 1), 4)], rules=rules)
        assert result.end_on == BASE_END + timedelta(weeks=8)
        with pytest.raises(DeadlineError):
            run([Verdaging(D(2026, 4, 1), 6)], rules=rules)

    def test_rule_17_verdaging_not_allowed(self):
        rules = rules_for("seksbedrijf_apv", overrides={"verdaging": {"allowed": False}})
        with pytest.raises(DeadlineError, match="niet toegestaan"):
            run([Verdaging(D(2026, 4, 1), 4)], rules=rules)

    def test_rule_17_must_precede_can_be_switched_off(self):
        rules = rules_for("seksbedrijf_apv", overrides={"verdaging": {"must_precede_deadline": False}})
        assert run([Verdaging(D(2026, 5, 1), 4)], rules=rules).end_on == BASE_END + timedelta(weeks=4)

    def test_rule_17_letter_with_a_different_date_gives_a_warning(self):
        result = run([Verdaging(D(2026, 4, 1), 4, named_end_on=D(2026, 5, 27))], rules=APV)
        assert any("noemt wo 27 mei 2026" in w for w in result.warnings)

    def test_rule_18_lid_3_notice_extends_the_awb_term(self):
        result = run([Verdaging(D(2026, 4, 1), 6)], rules=AWB)
        assert result.end_on == BASE_END + timedelta(weeks=6)
        assert result.extensions[0].basis.startswith("Mededeling nieuwe redelijke termijn (Awb 4:14 lid 3)")

    def test_rule_18_lid_1_notice_does_not_extend(self):
        result = run([DelayNotice(D(2026, 4, 1), D(2026, 6, 1))], rules=AWB)
        assert result.end_on == BASE_END
        assert any("Awb 4:14 lid 1" in line and "verlengt de termijn niet" in line for line in result.explanation)

    def test_rule_19_order_of_events_does_not_matter(self):
        events = [
            Verdaging(D(2026, 4, 20), 8),
            ConsentPeriod(D(2026, 3, 15), D(2026, 3, 20)),
            AanvullingRequested(D(2026, 3, 10), 2, D(2026, 3, 17)),
        ]
        assert run(events, rules=APV).end_on == run(list(reversed(events)), rules=APV).end_on


# --- E. Atw ----------------------------------------------------------------------------------------------------


HOLIDAY_TABLE = {  # domain.md §10.E.25
    2026: [D(2026, 1, 1), D(2026, 1, 2), D(2026, 4, 3), D(2026, 4, 6), D(2026, 4, 27), D(2026, 5, 5),
           D(2026, 5, 14), D(2026, 5, 15), D(2026, 5, 25), D(2026, 12, 25), D(2026, 12, 26)],
    2027: [D(2027, 1, 1), D(2027, 3, 26), D(2027, 3, 29), D(2027, 4, 27), D(2027, 5, 5), D(2027, 5, 6),
           D(2027, 5, 7), D(2027, 5, 17), D(2027, 12, 25), D(2027, 12, 26)],
    2028: [D(2028, 1, 1), D(2028, 4, 14), D(2028, 4, 17), D(2028, 4, 27), D(2028, 4, 28), D(2028, 5, 5),
           D(2028, 5, 25), D(2028, 5, 26), D(2028, 6, 5), D(2028, 12, 25), D(2028, 12, 26)],
}
WEEKDAYS = {  # the weekday column of the table, 0 = Monday
    D(2026, 1, 1): 3, D(2026, 1, 2): 4, D(2026, 4, 3): 4, D(2026, 4, 6): 0, D(2026, 4, 27): 0, D(2026, 5, 5): 1,
    D(2026, 5, 14): 3, D(2026, 5, 15): 4, D(2026, 5, 25): 0, D(2026, 12, 25): 4, D(2026, 12, 26): 5,
    D(2027, 1, 1): 4, D(2027, 3, 26): 4, D(2027, 3, 29): 0, D(2027, 4, 27): 1, D(2027, 5, 5): 2, D(2027, 5, 6): 3,
    D(2027, 5, 7): 4, D(2027, 5, 17): 0, D(2027, 12, 25): 5, D(2027, 12, 26): 6,
    D(2028, 1, 1): 5, D(2028, 4, 14): 4, D(2028, 4, 17): 0, D(2028, 4, 27): 3, D(2028, 4, 28): 4, D(2028, 5, 5): 4,
    D(2028, 5, 25): 3, D(2028, 5, 26): 4, D(2028, 6, 5): 0, D(2028, 12, 25): 0, D(2028, 12, 26): 1,
}


class TestE_Atw:
    @pytest.mark.parametrize("year", [2026, 2027, 2028])
    def test_rule_25_holiday_table_date_by_date(self, year):
        assert sorted(atw_holidays(year)) == HOLIDAY_TABLE[year]

    @pytest.mark.parametrize("day", sorted(WEEKDAYS))
    def test_rule_25_each_table_date_has_its_weekday_and_is_a_rest_day(self, day):
        assert day.weekday() == WEEKDAYS[day]
        assert is_rest_day(day)

    @pytest.mark.parametrize(("year", "easter"), [(2026, D(2026, 4, 5)), (2027, D(2027, 3, 28)),
                                                  (2028, D(2028, 4, 16)), (2024, D(2024, 3, 31)),
                                                  (2025, D(2025, 4, 20)), (2000, D(2000, 4, 23)),
                                                  (2038, D(2038, 4, 25)), (2285, D(2285, 3, 22))])
    def test_rule_22_easter(self, year, easter):
        assert easter_sunday(year) == easter

    def test_rule_22_holiday_names(self):
        names = atw_holidays(2026)
        assert names[D(2026, 4, 3)] == "Goede Vrijdag"
        assert names[D(2026, 4, 6)] == "Tweede Paasdag"
        assert names[D(2026, 5, 14)] == "Hemelvaartsdag"
        assert names[D(2026, 5, 25)] == "Tweede Pinksterdag"
        assert names[D(2026, 1, 2)].startswith("gelijkgesteld bij KB")

    def test_rule_22_koningsdag_2025_on_26_april(self):
        assert kings_day(2025) == D(2025, 4, 26)
        holidays = atw_holidays(2025)
        assert D(2025, 4, 26) in holidays and D(2025, 4, 27) not in holidays

    @pytest.mark.parametrize("year", [2031, 2036])
    def test_rule_22_koningsdag_moves_when_27_april_is_a_sunday(self, year):
        assert kings_day(year) == D(year, 4, 26)

    def test_rule_22_koninginnedag_before_2014(self):
        assert kings_day(2013) == D(2013, 4, 30)
        assert kings_day(2006) == D(2006, 4, 29)  # 30 April 2006 was a Sunday

    @pytest.mark.parametrize("year", [2023, 2024, 2026, 2027, 2029])
    def test_rule_22_5_mei_every_year(self, year):
        assert D(year, 5, 5) in atw_holidays(year)

    def test_rule_22_kb_days_2023_2025_from_the_data_table(self):
        kb = default_kb_table()
        assert {d.on for d in kb.days if d.on.year <= 2025} == {
            D(2023, 4, 28), D(2023, 5, 19), D(2024, 5, 10), D(2024, 12, 27), D(2025, 5, 30),
        }
        assert kb.covered_years == frozenset(range(2023, 2029))
        assert all("Atw art. 3 lid 3" in d.source for d in kb.days)

    def test_rule_22_local_closing_days_do_not_count(self):
        assert not is_rest_day(D(2026, 2, 16))  # carnaval Monday
        assert not is_rest_day(D(2026, 3, 11))  # biddag

    def test_rule_22_kb_table_can_be_extended_by_a_beheerder(self):
        kb = default_kb_table().extended(
            [{"date": "2029-05-11", "description": "vrijdag na Hemelvaartsdag"}],
            years=(2029, 2031), source="KB 2029–2031 (Atw art. 3 lid 3)",
        )
        assert kb.covers(2029)
        assert is_rest_day(D(2029, 5, 11), kb)
        assert not is_rest_day(D(2029, 5, 11))

    def test_rule_22_malformed_kb_table_raises_dutch_error(self):
        with pytest.raises(DeadlineError, match="buiten de jaren"):
            parse_kb_table({"periods": [{"years": [2029, 2031], "source": "x", "days": [{"date": "2032-01-02"}]}]})
        with pytest.raises(DeadlineError, match="Ongeldige datum"):
            parse_kb_table({"periods": [{"years": [2029, 2031], "source": "x", "days": [{"date": "morgen"}]}]})
        with pytest.raises(DeadlineError):
            parse_kb_table({})

    def test_uncovered_year_gives_a_warning(self):
        result = run(received=D(2028, 12, 1), today=D(2029, 1, 1))
        assert any("dekt 2029 nog niet" in w for w in result.warnings)

    def test_weekends(self):
        assert rest_day_name(D(2026, 3, 7)) == "zaterdag"
        assert rest_day_name(D(2026, 3, 8)) == "zondag"
        assert rest_day_name(D(2026, 3, 9)) is None
        assert next_working_day(D(2026, 3, 7)) == D(2026, 3, 9)
        assert previous_working_day(D(2026, 3, 8)) == D(2026, 3, 6)

    def test_rule_20_saturday_end_shifts_to_monday_when_atw_applies(self):
        result = run(rules=AWB, received=D(2026, 3, 7))
        assert result.end_before_atw_on == D(2026, 5, 2)
        assert result.end_on == D(2026, 5, 4)
        assert result.atw_shifted and result.atw_shifted_from == D(2026, 5, 2)
        assert any("za 2 mei 2026 valt op een zaterdag" in line and "ma 4 mei 2026" in line
                   for line in result.explanation)

    def test_rule_20_goede_vrijdag_easter_weekend_and_tweede_paasdag(self):
        result = run(rules=AWB, received=D(2026, 2, 6))  # + 56 days = Goede Vrijdag 3 April 2026
        assert result.end_before_atw_on == D(2026, 4, 3)
        assert result.end_on == D(2026, 4, 7)

    def test_rule_20_hemelvaart_and_kb_friday(self):
        result = run(rules=AWB, received=D(2026, 3, 19))  # + 56 = Thursday 14 May 2026
        assert result.end_on == D(2026, 5, 18)

    def test_rule_20_kb_day_2_january_2026(self):
        result = run(rules=AWB, received=D(2025, 11, 7))  # + 56 = Friday 2 January 2026
        assert result.end_on == D(2026, 1, 5)

    def test_rule_20_5_mei_after_an_aanvulling(self):
        result = run([AanvullingRequested(D(2026, 3, 10), 2, D(2026, 3, 17))], rules=AWB)
        assert result.end_before_atw_on == D(2026, 5, 5)
        assert result.end_on == D(2026, 5, 6)

    def test_rule_20_koningsdag_2025(self):
        result = run(rules=AWB, received=D(2025, 2, 27), today=D(2025, 3, 1))  # + 56 = Thursday 24 April
        assert result.end_on == D(2025, 4, 24)
        result = run(rules=AWB, received=D(2025, 3, 1), today=D(2025, 3, 2))  # + 56 = Saturday 26 April
        assert result.end_on == D(2025, 4, 28)

    def test_rule_24_no_shift_when_atw_mode_is_none(self):
        result = run(rules=APV, received=D(2026, 2, 6))
        assert result.end_on == D(2026, 4, 3)
        assert not result.atw_applies and not result.atw_shifted
        assert result.latest_working_day_on == D(2026, 4, 2)
        assert any("Goede Vrijdag" in line and "do 2 april 2026" in line for line in result.explanation)

    def test_rule_24_apply_mode_does_not_shift_a_body_set_term(self):
        result = run([Verdaging(D(2026, 4, 1), 1)], rules=AWB, received=D(2026, 2, 6))
        assert result.end_on == D(2026, 4, 10)  # 3 April + 7 days, a Friday anyway
        result = run([Verdaging(D(2026, 3, 1), 1)], rules=AWB, received=D(2026, 1, 30))
        assert result.end_before_atw_on == D(2026, 4, 3)
        assert result.end_on == D(2026, 4, 3)  # Goede Vrijdag, yet no shift after a verdaging
        assert not result.atw_applies

    def test_rule_24_apply_by_analogy_shifts_also_after_verdaging(self):
        rules = rules_for("seksbedrijf_apv", overrides={"atw_mode": "apply_by_analogy"})
        result = run([Verdaging(D(2026, 3, 1), 1)], rules=rules, received=D(2026, 1, 30))
        assert result.end_on == D(2026, 4, 7)

    def test_rule_23_terms_longer_than_12_weeks_are_excluded(self):
        rules = rules_for("seksbedrijf_awb", overrides={"term_weeks": 13})
        received = D(2026, 1, 3) - timedelta(days=0)
        result = run(rules=rules, received=received, today=D(2026, 2, 1))
        assert result.end_before_atw_on == D(2026, 4, 4)  # a Saturday
        assert result.end_on == D(2026, 4, 4)
        assert not result.atw_applies

    def test_rule_23_a_suspended_8_week_term_stays_an_8_week_term(self):
        result = run([LbbAdviceRequested(D(2026, 3, 10), 4, None, True)], rules=AWB, received=D(2026, 3, 7))
        assert result.atw_applies  # 8 weeks + 84 days suspended, still an 8-week term


# --- F. Dwangsom and van rechtswege -----------------------------------------------------------------------------


class TestF_Dwangsom:
    @pytest.mark.parametrize(("day", "daily", "total"), [
        (1, 23, 23), (14, 23, 322), (15, 35, 357), (28, 35, 812), (29, 45, 857), (42, 45, 1442), (100, 0, 1442),
    ])
    def test_rule_26_amounts(self, day, daily, total):
        assert dwangsom_daily_amount(day) == daily
        assert dwangsom_total(day) == total

    def test_rule_26_maximum_is_1442(self):
        assert dwangsom_total(42) == dwangsom_total(10_000) == 1442 == AWB.dwangsom.value.max_total
        assert dwangsom_total(0) == 0 and dwangsom_total(-3) == 0
        assert dwangsom_daily_amount(0) == 0

    @pytest.mark.parametrize(("day", "owed", "daily"), [
        (1, 23, 23), (14, 322, 23), (15, 357, 35), (28, 812, 35), (29, 857, 45), (42, 1442, 45), (100, 1442, None),
    ])
    def test_rule_26_state_by_dwangsom_day(self, day, owed, daily):
        received = D(2026, 5, 4)  # deadline 28 April has passed
        first = D(2026, 5, 19)  # receipt + 14 days = 18 May is the last day to decide
        state = dwangsom_state(received, deadline_end_on=BASE_END, today=first + timedelta(days=day - 1))
        assert state.decide_by == D(2026, 5, 18)
        assert state.first_day == first
        assert state.last_day == first + timedelta(days=41)
        assert state.days_owed == min(day, 42)
        assert state.amount_owed == owed
        assert state.daily_amount_today == daily

    def test_rule_26_nothing_owed_during_the_two_weeks(self):
        state = dwangsom_state(D(2026, 5, 4), deadline_end_on=BASE_END, today=D(2026, 5, 18))
        assert state.days_owed == 0 and state.amount_owed == 0 and not state.is_running

    def test_rule_26_atw_does_not_apply_to_the_42_days(self):
        state = dwangsom_state(D(2026, 5, 4), deadline_end_on=BASE_END, today=D(2026, 7, 1))
        assert state.last_day == D(2026, 6, 29)  # a Monday by plain counting, no holiday logic
        assert "de Atw geldt hier niet" in state.explanation[1]

    def test_rule_26_premature_ingebrekestelling(self):
        state = dwangsom_state(BASE_END, deadline_end_on=BASE_END, today=D(2026, 7, 1))
        assert state.is_premature and state.amount_owed == 0
        assert "voorbarig" in state.explanation[0]

    def test_rule_26_premature_when_sent_on_a_shifted_sunday_deadline(self):
        # Atw moves a Sunday end to Monday; an ingebrekestelling sent on that Monday is premature (V18).
        result = run([Ingebrekestelling(D(2026, 5, 5), sent_on=D(2026, 5, 4))], rules=AWB, received=D(2026, 3, 8))
        assert result.end_on == D(2026, 5, 4)
        assert result.dwangsom is not None and result.dwangsom.is_premature
        assert any("voorbarig" in w for w in result.warnings)

    def test_rule_26_decision_stops_the_dwangsom_and_4_18_date(self):
        state = dwangsom_state(D(2026, 5, 4), deadline_end_on=BASE_END, today=D(2026, 7, 1),
                               decided_on=D(2026, 5, 24))
        assert state.days_owed == 5  # 19..23 May; the decision day itself not counted
        assert state.amount_owed == 115
        assert not state.is_running
        assert state.vaststelling_by == D(2026, 6, 6)  # Awb 4:18: last day 23 May + 14

    def test_rule_26_after_42_days_vaststelling_date(self):
        state = dwangsom_state(D(2026, 5, 4), deadline_end_on=BASE_END, today=D(2026, 9, 1))
        assert state.vaststelling_by == D(2026, 7, 13)
        assert state.beroep_from == D(2026, 5, 19)

    def test_rule_26_in_the_result(self):
        result = run([Ingebrekestelling(D(2026, 5, 4))], rules=APV, today=D(2026, 5, 20))
        assert result.dwangsom is not None
        assert result.dwangsom.days_owed == 2 and result.dwangsom.amount_owed == 46
        assert result.status is DeadlineStatus.VERLOPEN

    def test_rule_26_amounts_are_configurable(self):
        rules = rules_for("seksbedrijf_apv", overrides={"dwangsom": {"daily_amounts": [20, 30, 40]}})
        assert rules.dwangsom.value.max_total == 1260

    def test_rule_27_no_van_rechtswege_by_default(self):
        result = run(rules=WGV, today=D(2026, 5, 1))
        assert not result.lex_silencio and not result.van_rechtswege_risk
        assert result.van_rechtswege_warning is None

    def test_rule_27_lex_silencio_flag_warns(self):
        rules = rules_for("wgv_verhuurvergunning", overrides={"lex_silencio": True})
        overdue = run(rules=rules, today=D(2026, 4, 29))
        assert overdue.van_rechtswege_risk
        assert "van rechtswege verleend (Awb 4:20b lid 1)" in overdue.van_rechtswege_warning
        near = run(rules=rules, today=D(2026, 4, 27))
        assert near.van_rechtswege_risk and near.van_rechtswege_warning.startswith("Let op")
        early = run(rules=rules, today=D(2026, 3, 10))
        assert not early.van_rechtswege_risk and "4.1.3.3" in early.van_rechtswege_warning
        assert any("behoudende telling" in w for w in early.warnings)
        in_time = run(rules=rules, today=D(2026, 5, 10), decided_on=D(2026, 4, 20))
        assert not in_time.van_rechtswege_risk and in_time.decided_in_time


# --- status -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("today", "status", "left"), [
    (D(2026, 3, 3), DeadlineStatus.OP_TIJD, 56),
    (D(2026, 4, 13), DeadlineStatus.OP_TIJD, 15),
    (D(2026, 4, 14), DeadlineStatus.BIJNA, 14),
    (D(2026, 4, 27), DeadlineStatus.BIJNA, 1),
    (D(2026, 4, 28), DeadlineStatus.VANDAAG, 0),
    (D(2026, 4, 29), DeadlineStatus.VERLOPEN, -1),
])
def test_status_relative_to_today(today, status, left):
    result = run(rules=APV, today=today)
    assert (result.status, result.days_left) == (status, left)
    assert result.explanation[-1].startswith("Uiterlijke beslisdatum: di 28 april 2026")


def test_status_threshold_is_configurable():
    rules = rules_for("seksbedrijf_apv", overrides={"bijna_within_days": 3})
    assert run(rules=rules, today=D(2026, 4, 20)).status is DeadlineStatus.OP_TIJD


def test_status_labels_are_dutch():
    assert DeadlineStatus.VERLOPEN.label == "verlopen"
    assert DeadlineStatus.VANDAAG.label == "laatste dag"


def test_decided_late():
    result = run(rules=APV, decided_on=D(2026, 5, 1))
    assert result.decided_in_time is False
    assert any("na afloop van de termijn" in line for line in result.explanation)


# --- invalid input ----------------------------------------------------------------------------------------------


class TestInvalidInput:
    def test_suspension_ending_before_it_starts(self):
        with pytest.raises(DeadlineError) as err:
            run([ConsentPeriod(D(2026, 3, 20), D(2026, 3, 10))])
        assert err.value.field == "events[0].end"
        assert err.value.message == "Het einde van de opschorting ligt vóór het begin."

    def test_aanvulling_received_before_request(self):
        with pytest.raises(DeadlineError, match="vóór het verzoek") as err:
            run([AanvullingRequested(D(2026, 3, 10), 2, D(2026, 3, 9))])
        assert err.value.field == "events[0].received_on"

    def test_lbb_advice_before_request(self):
        with pytest.raises(DeadlineError, match="vóór de adviesaanvraag"):
            run([LbbAdviceRequested(D(2026, 3, 10), 0, D(2026, 3, 9), True)])

    def test_lbb_answer_before_questions(self):
        with pytest.raises(DeadlineError, match="vóór de vragen"):
            run([LbbQuestions(D(2026, 3, 10), D(2026, 3, 9))])

    def test_overmacht_end_before_start(self):
        with pytest.raises(DeadlineError, match="vóór het begin"):
            run([Overmacht(D(2026, 3, 10), D(2026, 3, 9), True)])

    @pytest.mark.parametrize("event", [
        AanvullingRequested(D(2026, 3, 1), 2),
        LbbAdviceRequested(D(2026, 3, 1), 0, None, True),
        LbbQuestions(D(2026, 3, 1)),
        ConsentPeriod(D(2026, 3, 1), D(2026, 3, 10)),
        ApplicantDelay(D(2026, 3, 1), D(2026, 3, 10)),
        Overmacht(D(2026, 3, 1), None, True),
        Verdaging(D(2026, 3, 1), 2),
        DelayNotice(D(2026, 3, 1)),
        Ingebrekestelling(D(2026, 3, 1)),
        ForeignAuthorityRequest(D(2026, 3, 1)),
    ])
    def test_dates_before_receipt(self, event):
        with pytest.raises(DeadlineError, match="vóór de ontvangst van de aanvraag") as err:
            run([event])
        assert err.value.field.startswith("events[0].")
        assert "di 3 maart 2026" in err.value.message

    def test_facts_in_the_future(self):
        with pytest.raises(DeadlineError, match="ligt na vandaag") as err:
            run([AanvullingRequested(D(2026, 3, 10), 2)], today=D(2026, 3, 5))
        assert err.value.field == "events[0].requested_on"
        with pytest.raises(DeadlineError, match="ligt na vandaag"):
            run(today=D(2026, 3, 1))

    def test_planned_consent_period_may_end_in_the_future(self):
        result = run([ConsentPeriod(D(2026, 3, 4), D(2026, 3, 20), agreed_on=D(2026, 3, 4))], today=D(2026, 3, 5))
        assert result.suspended_days == 17

    def test_verdaging_weeks_must_be_positive(self):
        with pytest.raises(DeadlineError) as err:
            run([Verdaging(D(2026, 4, 1), 0)], rules=APV)
        assert err.value.field == "events[0].weeks"

    def test_decision_before_receipt(self):
        with pytest.raises(DeadlineError) as err:
            run(decided_on=D(2026, 3, 1))
        assert err.value.field == "decided_on"

    def test_bad_iso_date(self):
        with pytest.raises(DeadlineError) as err:
            AanvullingRequested("10-03-2026", 2)
        assert err.value.field == "requested_on"

    def test_missing_received_on(self):
        with pytest.raises(DeadlineError) as err:
            DeadlineCase(None)
        assert err.value.field == "received_on"


# --- plain values in, for the Flask app ----------------------------------------------------------------------


def test_iso_strings_and_lists_are_accepted():
    case = DeadlineCase("2026-03-03", [AanvullingRequested("2026-03-10", 2, "2026-03-17")])
    assert isinstance(case.events, tuple)
    assert compute_deadline(case, APV, today=FAR).end_on == D(2026, 5, 5)


def test_event_from_mapping():
    event = event_from_mapping({"type": "lbb_advies", "requested_on": "2026-03-10", "extension_weeks": 2,
                                "notice_logged": True})
    assert event == LbbAdviceRequested(D(2026, 3, 10), 2, None, True)
    with pytest.raises(DeadlineError, match="Onbekend soort"):
        event_from_mapping({"type": "iets"})
    with pytest.raises(DeadlineError) as err:
        event_from_mapping({"type": "verdaging", "notified_on": "2026-03-10"})
    assert err.value.field == "weeks"
    with pytest.raises(DeadlineError) as err:
        event_from_mapping({"type": "verdaging", "notified_on": "2026-03-10", "weeks": 2, "kleur": "rood"})
    assert err.value.field == "kleur"


def test_format_date():
    assert format_date(D(2026, 3, 3)) == "di 3 maart 2026"
    assert format_date(D(2026, 3, 3), weekday=False) == "3 maart 2026"


def test_explanation_of_a_full_case():
    events = [
        AanvullingRequested(D(2026, 3, 10), 2, D(2026, 3, 17)),
        LbbAdviceRequested(D(2026, 3, 20), 0, D(2026, 4, 24), notice_logged=True),
    ]
    result = run(events, rules=AWB, today=D(2026, 5, 1))
    assert result.explanation == (
        "Ontvangen op di 3 maart 2026; termijn 8 weken (Awb 4:13 lid 2): basiseinddatum di 28 april 2026.",
        "Aanvulling aanvraag (Awb 4:15 lid 1 sub a jo. 4:5): opgeschort van wo 11 maart 2026 t/m di 17 maart 2026, "
        "7 dagen (verzoek di 10 maart 2026, hersteltermijn t/m di 24 maart 2026, aanvulling ontvangen op "
        "di 17 maart 2026).",
        "Advies Landelijk Bureau Bibob (Wet Bibob art. 31): opgeschort van za 21 maart 2026 t/m vr 24 april 2026, "
        "35 dagen (aangevraagd vr 20 maart 2026, maximaal 56 dagen, advies ontvangen op vr 24 april 2026).",
        "Totaal opgeschort: 42 dagen (telling praktisch: X − Q); einddatum na opschorting di 9 juni 2026.",
        "Uiterlijke beslisdatum: di 9 juni 2026; nog 39 dagen (op tijd).",
    )
    assert [(p.kind, p.first_day, p.last_day) for p in result.suspensions] == [
        (SuspensionKind.AANVULLING, D(2026, 3, 11), D(2026, 3, 17)),
        (SuspensionKind.LBB_ADVIES, D(2026, 3, 21), D(2026, 4, 24)),
    ]
    assert result.suspended_ranges == ((D(2026, 3, 11), D(2026, 3, 17)), (D(2026, 3, 21), D(2026, 4, 24)))


# --- G. Configuration -----------------------------------------------------------------------------------------


CONFIG_KEYS = {
    "term_weeks", "term_source", "verdaging", "atw_mode", "suspension_count", "lex_silencio", "bibob_caps",
    "kb_gelijkgestelde_dagen", "require_notice_for_suspension", "hersteltermijn_default_weeks",
}


class TestG_Configuration:
    @pytest.mark.parametrize("permit_type", PERMIT_TYPES)
    def test_every_key_of_10g_is_a_legal_param_with_a_source(self, permit_type):
        rules = DEFAULT_RULES[permit_type]
        keys = {key for key, _ in rules.rows()}
        assert keys >= CONFIG_KEYS
        for _key, param in rules.rows():
            assert isinstance(param, LegalParam)
            assert param.source
            assert hasattr(param, "effective_from")

    def test_defaults_of_10g(self):
        for rules in DEFAULT_RULES.values():
            assert rules.suspension_count.value is SuspensionCount.PRACTICAL
            assert rules.bibob_caps.value.base_days == 56 and rules.bibob_caps.value.max_days == 84
            assert rules.require_notice_for_suspension.value is True
            assert rules.hersteltermijn_default_weeks.value == 2
            assert rules.lex_silencio.value is False
            assert isinstance(rules.kb_gelijkgestelde_dagen.value, KbTable)

    def test_rules_are_frozen(self):
        with pytest.raises(dataclasses.FrozenInstanceError):
            APV.term_weeks = LegalParam(6, source="x")  # type: ignore[misc]

    def test_gemeente_override_keeps_a_source(self):
        rules = rules_for("wgv_verhuurvergunning", gemeente_code="GM0106",
                          overrides={"term_weeks": 10}, source="Verhuurverordening Assen art. 6",
                          effective_from=D(2025, 1, 1))
        assert rules.gemeente_code == "GM0106"
        assert rules.term_weeks == LegalParam(10, "Verhuurverordening Assen art. 6", D(2025, 1, 1), False)
        default = rules_for("wgv_verhuurvergunning", gemeente_code="GM0106", overrides={"atw_mode": "none"})
        assert "GM0106" in default.atw_mode.source and "Atw art. 1" in default.atw_mode.source

    def test_override_with_a_legal_param(self):
        param = LegalParam(True, source="Verhuurverordening X art. 9", effective_from=D(2025, 7, 1), verified=True)
        rules = rules_for("wgv_verhuurvergunning", overrides={"lex_silencio": param})
        assert rules.lex_silencio == param

    @pytest.mark.parametrize(("overrides", "field"), [
        ({"term_weeks": 0}, "term_weeks"),
        ({"term_weeks": "acht"}, "term_weeks"),
        ({"atw_mode": "soms"}, "atw_mode"),
        ({"suspension_count": "ruim"}, "suspension_count"),
        ({"lex_silencio": "ja"}, "lex_silencio"),
        ({"verdaging": {"max_weeks": 0}}, "verdaging.max_weeks"),
        ({"verdaging": {"kleur": 1}}, "verdaging"),
        ({"bibob_caps": {"advice_weeks": 0}}, "bibob_caps.advice_weeks"),
        ({"onbekend": 1}, "onbekend"),
    ])
    def test_invalid_overrides_raise_dutch_errors(self, overrides, field):
        with pytest.raises(DeadlineError) as err:
            rules_for("seksbedrijf_apv", overrides=overrides)
        assert err.value.field == field

    def test_unknown_permit_type(self):
        with pytest.raises(DeadlineError, match="Onbekend vergunningtype"):
            rules_for("kapvergunning")

    def test_strict_counting_and_atw_are_settings_not_code(self):
        # §10.I: the open points are configuration.
        rules = rules_for("seksbedrijf_apv", overrides={"suspension_count": "strict", "atw_mode": "apply"})
        result = run([AanvullingRequested(D(2026, 3, 10), 2, D(2026, 3, 17))], rules=rules, received=D(2026, 3, 7))
        assert result.end_before_atw_on == D(2026, 5, 8)
        assert result.end_on == D(2026, 5, 8)


# --- H. Invariants (hypothesis) ----------------------------------------------------------------------------------


RULES_FOR_PROPS = {
    "apv": rules_for("seksbedrijf_apv", overrides=NO_NOTICE),
    "awb": rules_for("seksbedrijf_awb", overrides=NO_NOTICE),
    "awb_strict": rules_for("seksbedrijf_awb", overrides={**NO_NOTICE, "suspension_count": "strict"}),
}
PROP_TODAY = D(2031, 1, 1)


@st.composite
def suspension_events(draw, received: date):
    offset = draw(st.integers(0, 90))
    start = received + timedelta(days=offset)
    kind = draw(st.sampled_from(["aanvulling", "lbb", "vragen", "consent", "delay", "overmacht"]))
    length = draw(st.integers(0, 60))
    if kind == "aanvulling":
        weeks = draw(st.integers(1, 6))
        got = draw(st.one_of(st.none(), st.integers(0, 50)))
        return AanvullingRequested(start, weeks, None if got is None else start + timedelta(days=got))
    if kind == "lbb":
        advice = draw(st.one_of(st.none(), st.integers(0, 100)))
        return LbbAdviceRequested(start, draw(st.integers(0, 4)),
                                  None if advice is None else start + timedelta(days=advice), True)
    if kind == "vragen":
        return LbbQuestions(start, start + timedelta(days=length))
    if kind == "consent":
        return ConsentPeriod(start, start + timedelta(days=length))
    if kind == "delay":
        return ApplicantDelay(start, start + timedelta(days=length))
    return Overmacht(start, start + timedelta(days=length), True)


@st.composite
def cases(draw):
    received = draw(st.dates(D(2023, 1, 1), D(2028, 6, 30)))
    events = draw(st.lists(suspension_events(received), max_size=6))
    if draw(st.booleans()):
        events.append(Verdaging(received + timedelta(days=draw(st.integers(0, 56))), draw(st.integers(1, 8))))
    return received, events


def _compute(received, events, key="awb"):
    return compute_deadline(DeadlineCase(received, tuple(events)), RULES_FOR_PROPS[key], today=PROP_TODAY)


PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class TestH_Invariants:
    @PROPS
    @given(cases(), st.sampled_from(sorted(RULES_FOR_PROPS)))
    def test_closed_form_and_never_before_base_end(self, case, key):
        received, events = case
        result = _compute(received, events, key)
        # §10.H: without overlaps (and with them, counting the union) end = receipt + N + S + V, then Atw.
        assert result.end_before_atw_on == received + timedelta(
            days=7 * result.term_weeks + result.suspended_days + result.extension_days
        )
        assert result.end_on >= result.end_before_atw_on >= result.base_end_on
        assert sum((b - a).days + 1 for a, b in result.suspended_ranges) == result.suspended_days
        assert all(received < a <= b <= result.end_before_atw_on for a, b in result.suspended_ranges)

    @PROPS
    @given(st.lists(suspension_events(D(2026, 1, 5)), max_size=6), suspension_events(D(2026, 1, 5)))
    def test_a_further_suspension_never_shortens_the_term(self, events, extra):
        received = D(2026, 1, 5)
        before = _compute(received, events)
        after = _compute(received, [*events, extra])
        assert after.end_before_atw_on >= before.end_before_atw_on
        assert after.end_on >= before.end_on
        assert after.suspended_days >= before.suspended_days

    @PROPS
    @given(cases())
    def test_order_of_events_does_not_matter(self, case):
        received, events = case
        assert _compute(received, events).end_on == _compute(received, list(reversed(events))).end_on

    @PROPS
    @given(cases())
    def test_strict_never_later_than_practical(self, case):
        received, events = case
        assert _compute(received, events, "awb_strict").end_on <= _compute(received, events, "awb").end_on

    @PROPS
    @given(cases())
    def test_atw_shift_lands_on_a_working_day_over_rest_days_only(self, case):
        received, events = case
        result = _compute(received, events, "awb")
        if result.atw_applies:
            assert not is_rest_day(result.end_on)
            day = result.end_before_atw_on
            while day < result.end_on:
                assert is_rest_day(day)
                day += timedelta(days=1)
        assert (result.end_on - result.end_before_atw_on).days < 10
        assert not is_rest_day(result.latest_working_day_on)
        assert result.latest_working_day_on <= result.end_on

    @settings(max_examples=300, deadline=None)
    @given(st.integers(1900, 2400))
    def test_easter_is_a_sunday_in_its_window(self, year):
        easter = easter_sunday(year)
        assert easter.weekday() == 6
        assert D(year, 3, 22) <= easter <= D(year, 4, 25)
        if year >= 2014:
            assert kings_day(year).weekday() != 6



def test_wgv_term_applies_from_the_wgv_start_date():
    assert WGV.term_weeks.effective_from == D(2023, 7, 1)
    assert AWB.kb_gelijkgestelde_dagen.effective_from == D(2023, 1, 1)


def test_today_may_be_a_datetime():
    assert run(rules=APV, today=datetime(2026, 4, 28, 15, 30)).status is DeadlineStatus.VANDAAG
