"""Beslistermijn arithmetic for permit applications (domain.md §10), pure Python.

Usage from a service::

    from screening.deadlines import DeadlineCase, AanvullingRequested, compute_deadline, rules_for

    rules = rules_for("wgv_verhuurvergunning", gemeente_code="GM0106", overrides={"lex_silencio": False})
    case = DeadlineCase(received_on=date(2026, 3, 3),
                        events=[AanvullingRequested(date(2026, 3, 10), hersteltermijn_weeks=2)])
    result = compute_deadline(case, rules, today=date(2026, 4, 1))
    result.end_on, result.status, result.explanation

The rules, with their sources (see the module docstrings for detail):

A. Start and counting. The term runs from the day after receipt (Awb 4:13); W weeks end at the end
   of ``received_on + 7·W`` days, the same weekday. An incomplete application still starts the term.
B. Term. A regulation's term applies (Awb 4:13 lid 1; APV art. 1:2: 8 weeks + verdaging ≤ 8 weeks);
   without one, a reasonable term of at most 8 weeks (Awb 4:13 lid 2). Per permit type and gemeente
   in :class:`DeadlineRules`; defaults ``seksbedrijf_apv``, ``seksbedrijf_awb``, ``wgv_verhuurvergunning``.
C. Suspension (Awb 4:15; Wet Bibob art. 31 and 12 lid 4). Aanvulling: Q+1 .. X (``practical``) or
   .. X−1 (``strict``); no hersteltermijn, no suspension (ABRvS 2016:2527). LBB advice:
   ``min(A − Q, 56 + 7·ext)`` days from Q+1, the full cap when no advice came; LBB questions on top
   of that cap. Consent, applicant's delay and overmacht: both dates inclusive. Overlapping days
   count once; a request after the current end has no effect.
D. Verdaging (APV art. 1:2 lid 2; Awb 4:14 lid 3): notified on or before the current end, at most
   ``max_weeks`` and ``max_count`` from the settings; counted from the end after suspensions.
   An Awb 4:14 lid 1 notice extends nothing.
E. Atw. Only when ``atw_mode`` says so, once, on the final date: a Saturday, Sunday, Atw holiday
   (art. 3, computed) or KB-gelijkgestelde dag (data table) moves to the next working day.
F. Dwangsom (Awb 4:17): €23/€35/€45 per day, at most 42 days / €1,442, from receipt of the
   ingebrekestelling + 14 days; van rechtswege (Awb 4:20b) only where ``lex_silencio`` is set.
G/I. Every legal parameter is a :class:`LegalParam` with ``source`` and ``effective_from``; the
   uncertain points of §10.I are settings, not code.

Invalid input raises :class:`DeadlineError` with a Dutch ``message`` and the offending ``field``.
"""

from screening.deadlines.dutch import format_date
from screening.deadlines.dwangsom import DwangsomState, dwangsom_daily_amount, dwangsom_state, dwangsom_total
from screening.deadlines.engine import (
    DeadlineResult,
    DeadlineStatus,
    Extension,
    IgnoredEvent,
    SuspensionPeriod,
    compute_deadline,
    deadline,
)
from screening.deadlines.errors import DeadlineError
from screening.deadlines.events import (
    EVENT_TYPES,
    AanvullingRequested,
    ApplicantDelay,
    ConsentPeriod,
    DeadlineCase,
    DelayNotice,
    Event,
    ForeignAuthorityRequest,
    Ingebrekestelling,
    LbbAdviceRequested,
    LbbQuestions,
    Overmacht,
    SuspensionKind,
    Verdaging,
    event_from_mapping,
)
from screening.deadlines.holidays import (
    KbDay,
    KbTable,
    atw_holidays,
    default_kb_table,
    easter_sunday,
    is_rest_day,
    kings_day,
    next_working_day,
    parse_kb_table,
    previous_working_day,
    rest_day_name,
)
from screening.deadlines.rules import (
    DEFAULT_RULES,
    PERMIT_TYPES,
    AtwMode,
    BibobCaps,
    DeadlineRules,
    DwangsomRules,
    LegalParam,
    SuspensionCount,
    TermSource,
    VerdagingKind,
    VerdagingRule,
    rules_for,
)

__all__ = [
    "DEFAULT_RULES",
    "EVENT_TYPES",
    "PERMIT_TYPES",
    "AanvullingRequested",
    "ApplicantDelay",
    "AtwMode",
    "BibobCaps",
    "ConsentPeriod",
    "DeadlineCase",
    "DeadlineError",
    "DeadlineResult",
    "DeadlineRules",
    "DeadlineStatus",
    "DelayNotice",
    "DwangsomRules",
    "DwangsomState",
    "Event",
    "Extension",
    "ForeignAuthorityRequest",
    "IgnoredEvent",
    "Ingebrekestelling",
    "KbDay",
    "KbTable",
    "LbbAdviceRequested",
    "LbbQuestions",
    "LegalParam",
    "Overmacht",
    "SuspensionCount",
    "SuspensionKind",
    "SuspensionPeriod",
    "TermSource",
    "Verdaging",
    "VerdagingKind",
    "VerdagingRule",
    "atw_holidays",
    "compute_deadline",
    "deadline",
    "default_kb_table",
    "dwangsom_daily_amount",
    "dwangsom_state",
    "dwangsom_total",
    "easter_sunday",
    "event_from_mapping",
    "format_date",
    "is_rest_day",
    "kings_day",
    "next_working_day",
    "parse_kb_table",
    "previous_working_day",
    "rest_day_name",
    "rules_for",
]
