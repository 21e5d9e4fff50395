"""The beslistermijn computation: domain.md §10.H, with the rules of §10.A–F.

Outline (``compute_deadline``):

1. ``N = 7 · term_weeks`` running days; day 1 is the day after receipt (§10.A.1–4).
2. Every event is validated (Dutch :class:`DeadlineError` on nonsense) and turned into a
   suspended period or a verdaging (§10.C, §10.D).
3. Events are applied in date order. An event is judged against the end *as it stood at the start
   of its day*: a suspension whose request (or first suspended day) falls after that end has no
   effect (§10.C.16), a verdaging notified after it is an error (§10.D.17).
4. ``deadline(N, S)`` = the N-th date after receipt that is not in the union S of suspended days,
   so a day covered by two suspensions counts once (§10.C.16).
5. The Atw shifts the final date once, only when ``atw_mode`` says so (§10.E.20–24).

Suspended days per ground (Q = request date, X = end date; "strict" drops the last day, §10.C.9):

* aanvulling (Awb 4:15 lid 1 sub a): Q+1 .. X, X = aanvulling received or last day of the
  hersteltermijn, whichever comes first; no hersteltermijn → no suspension (ABRvS 2016:2527).
* LBB advice (Wet Bibob art. 31): Q+1 .. Q + min(A − Q, 56 + 7·ext), full cap without advice;
  never subject to the strict reading (the cap formula is fixed).
* LBB questions (Wet Bibob art. 12 lid 4): Q+1 .. answer day (strict: −1), on top of the cap.
* information from a foreign authority (Awb 4:15 lid 1 sub b): notice+1 .. received (strict: −1).
* consent (lid 2 sub a), applicant's delay (lid 2 sub b), overmacht (lid 2 sub c): start .. end
  inclusive. An open period (no answer, no end) runs through *today* and the result is provisional.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from screening.deadlines.dutch import format_date, plural
from screening.deadlines.dwangsom import DwangsomState, dwangsom_state
from screening.deadlines.errors import DeadlineError
from screening.deadlines.events import (
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
)
from screening.deadlines.holidays import (
    KbTable,
    next_working_day,
    previous_working_day,
    rest_day_name,
)
from screening.deadlines.rules import AtwMode, DeadlineRules, SuspensionCount

ONE_DAY = timedelta(days=1)


class DeadlineStatus(StrEnum):
    """Where a deadline stands relative to *today*."""

    OP_TIJD = "op_tijd"
    BIJNA = "bijna"
    VANDAAG = "vandaag"
    VERLOPEN = "verlopen"

    @property
    def label(self) -> str:
        return {
            DeadlineStatus.OP_TIJD: "op tijd",
            DeadlineStatus.BIJNA: "bijna verlopen",
            DeadlineStatus.VANDAAG: "laatste dag",
            DeadlineStatus.VERLOPEN: "verlopen",
        }[self]


@dataclass(frozen=True, slots=True)
class SuspensionPeriod:
    """One suspended period as recorded (periods may overlap; ``suspended_ranges`` is their union)."""

    kind: SuspensionKind
    first_day: date
    last_day: date
    days: int
    basis: str
    label: str
    event_index: int
    is_provisional: bool = False
    note: str = ""
    #: For LBB questions inside an LBB advice period: the index of that advice request. Such days
    #: lengthen the advice suspension instead of overlapping it, so they are not counted as overlap.
    within_event_index: int | None = None


@dataclass(frozen=True, slots=True)
class IgnoredEvent:
    """An event that was recorded but does not move the deadline, and why (Dutch)."""

    event_index: int
    event_type: str
    on: date
    reason: str


@dataclass(frozen=True, slots=True)
class Extension:
    """A verdaging that was applied: the end before and after it (both before any Atw shift)."""

    event_index: int
    notified_on: date
    weeks: int
    basis: str
    end_before: date
    end_after: date


@dataclass(frozen=True, slots=True)
class DeadlineResult:
    """Everything a permit officer needs to see about one beslistermijn, with Dutch explanations."""

    received_on: date
    term_weeks: int
    term_basis: str
    base_end_on: date  # received_on + 7 · term_weeks
    end_before_atw_on: date  # after suspensions and verdaging
    end_on: date  # the last day on which a timely decision can be made
    suspended_days: int  # union: a day covered twice counts once
    suspensions: tuple[SuspensionPeriod, ...]
    suspended_ranges: tuple[tuple[date, date], ...]  # union of suspended days, for the time bar
    overlap_days: int
    extensions: tuple[Extension, ...]
    extension_days: int
    ignored: tuple[IgnoredEvent, ...]
    atw_applies: bool
    atw_shifted: bool
    atw_shifted_from: date | None
    latest_working_day_on: date  # last non-rest day on or before end_on
    today: date
    days_left: int  # end_on − today; negative once overdue
    status: DeadlineStatus
    is_provisional: bool  # an open suspension may still move the end date
    lex_silencio: bool
    van_rechtswege_risk: bool
    van_rechtswege_warning: str | None
    decided_on: date | None
    decided_in_time: bool | None
    dwangsom: DwangsomState | None
    warnings: tuple[str, ...]
    explanation: tuple[str, ...]


# --- the arithmetic of §10.H ------------------------------------------------------------------------------------


def deadline(received_on: date, running_days: int, suspended: set[date] | frozenset[date]) -> date:
    """The *running_days*-th date after *received_on* that is not a suspended day (§10.H ``deadline(N, S)``)."""
    day = received_on
    counted = 0
    while counted < running_days:
        day += ONE_DAY
        if day not in suspended:
            counted += 1
    return day


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _ranges(days: Iterable[date]) -> tuple[tuple[date, date], ...]:
    out: list[tuple[date, date]] = []
    for day in sorted(days):
        if out and out[-1][1] + ONE_DAY == day:
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return tuple(out)


# --- validation helpers -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Planned:
    """A validated event waiting to be applied: a suspension, a verdaging or a mere notice."""

    moment: date  # the day the event happened; it is judged against the end as it stood that morning
    index: int
    event: Event
    first_day: date | None = None
    last_day: date | None = None
    kind: SuspensionKind | None = None
    is_provisional: bool = False
    note: str = ""
    within_event_index: int | None = None


class _Checker:
    def __init__(self, received_on: date, today: date) -> None:
        self.received_on = received_on
        self.today = today

    def on_or_after_receipt(self, value: date | None, name: str, what: str) -> None:
        if value is not None and value < self.received_on:
            raise DeadlineError(
                f"{what} ({format_date(value)}) ligt vóór de ontvangst van de aanvraag "
                f"({format_date(self.received_on)}).",
                field=name,
            )

    def not_future(self, value: date | None, name: str, what: str) -> None:
        if value is not None and value > self.today:
            raise DeadlineError(f"{what} ({format_date(value)}) ligt na vandaag.", field=name)

    def fact(self, value: date | None, name: str, what: str) -> None:
        """A date on which something happened: on or after receipt, not in the future."""
        self.on_or_after_receipt(value, name, what)
        self.not_future(value, name, what)

    @staticmethod
    def not_before(later: date | None, earlier: date, name: str, message: str) -> None:
        if later is not None and later < earlier:
            raise DeadlineError(message, field=name)


def _positive_int(value: object, name: str, message: str, *, minimum: int = 1, maximum: int = 520) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise DeadlineError(message, field=name)
    return value


def _plan(
    case: DeadlineCase, rules: DeadlineRules, today: date
) -> tuple[list[_Planned], list[IgnoredEvent], list[str]]:
    """Validate the events and turn them into planned suspensions / verdagingen (unordered)."""
    check = _Checker(case.received_on, today)
    strict = rules.suspension_count.value is SuspensionCount.STRICT
    require_notice = rules.require_notice_for_suspension.value
    caps = rules.bibob_caps.value
    planned: list[_Planned] = []
    ignored: list[IgnoredEvent] = []
    warnings: list[str] = []

    def tot(last: date) -> date:
        # Awb 4:15 'tot de dag waarop': the strict reading leaves out that day itself (§10.C.9).
        return last - ONE_DAY if strict else last

    # Pre-pass for the LBB (§10.C.13–14): validate requests and questions, then link each question
    # period to the advice request whose window it falls in. Such a period comes *on top of* the
    # 8/12-week cap: the LBB's own term is suspended while the betrokkene answers.
    questions: dict[int, tuple[date, date | None]] = {}
    requests: list[tuple[int, LbbAdviceRequested]] = []
    for i, event in enumerate(case.events):
        p = f"events[{i}]"
        if isinstance(event, LbbQuestions):
            check.fact(event.asked_on, f"{p}.asked_on", "De datum van de vragen van het LBB")
            check.fact(event.answered_on, f"{p}.answered_on", "De datum van het antwoord op de LBB-vragen")
            check.not_before(event.answered_on, event.asked_on, f"{p}.answered_on",
                             "Het antwoord op de LBB-vragen ligt vóór de vragen zelf.")
            questions[i] = (event.asked_on, event.answered_on)
        elif isinstance(event, LbbAdviceRequested):
            q = event.requested_on
            check.fact(q, f"{p}.requested_on", "De datum van de adviesaanvraag bij het LBB")
            check.fact(event.advice_received_on, f"{p}.advice_received_on", "De ontvangstdatum van het LBB-advies")
            check.not_before(event.advice_received_on, q, f"{p}.advice_received_on",
                             "Het LBB-advies is ontvangen vóór de adviesaanvraag.")
            _positive_int(
                event.extension_weeks, f"{p}.extension_weeks",
                f"Het LBB kan zijn adviestermijn met 0 tot en met {caps.max_extension_weeks} weken verlengen.",
                minimum=0, maximum=caps.max_extension_weeks,
            )
            requests.append((i, event))
    question_link: dict[int, int] = {}
    lbb_links: dict[int, list[int]] = {}
    lbb_windows: dict[int, int] = {}
    # Ties on a date are broken by the events' content, never by their position in the list: the
    # result must not depend on the order in which the events were recorded.
    for i, request in sorted(requests, key=lambda item: (item[1].requested_on, repr(item[1]), item[0])):
        q = request.requested_on
        window = caps.base_days + 7 * request.extension_weeks
        lbb_links[i] = []
        for j, (asked, answered) in sorted(questions.items(), key=lambda item: (item[1][0], repr(item[1]), item[0])):
            stop = q + timedelta(days=window)
            if request.advice_received_on is not None:
                stop = min(stop, request.advice_received_on)
            if not q <= asked < stop:
                continue
            # Questions within the window of more than one request (only when requests overlap)
            # extend each of them: a question recorded later can then never shorten the term.
            question_link.setdefault(j, i)
            lbb_links[i].append(j)
            window += max(0, (tot(answered or today) - asked).days)
        lbb_windows[i] = window

    for i, event in enumerate(case.events):
        p = f"events[{i}]"
        if isinstance(event, AanvullingRequested):
            q = event.requested_on
            check.fact(q, f"{p}.requested_on", "De datum van het verzoek om aanvulling")
            check.fact(event.received_on, f"{p}.received_on", "De ontvangstdatum van de aanvulling")
            check.not_before(event.received_on, q, f"{p}.received_on",
                             "De aanvulling is ontvangen vóór het verzoek om aanvulling.")
            if event.hersteltermijn_until is not None:
                if event.hersteltermijn_until <= q:
                    raise DeadlineError("Het einde van de hersteltermijn moet na de datum van het verzoek liggen.",
                                        field=f"{p}.hersteltermijn_until")
                last_herstel = event.hersteltermijn_until
            elif event.hersteltermijn_weeks is not None:
                weeks = _positive_int(event.hersteltermijn_weeks, f"{p}.hersteltermijn_weeks",
                                      "De hersteltermijn is een geheel aantal weken van minstens 1.", maximum=52)
                last_herstel = q + timedelta(weeks=weeks)
            else:
                ignored.append(IgnoredEvent(
                    i, event.type, q,
                    f"Verzoek om aanvulling van {format_date(q)} zonder hersteltermijn: dit schort de "
                    "beslistermijn niet op (ABRvS 21-9-2016, ECLI:NL:RVS:2016:2527).",
                ))
                continue
            received = event.received_on
            x = min(received, last_herstel) if received is not None else last_herstel
            note = f"verzoek {format_date(q)}, hersteltermijn t/m {format_date(last_herstel)}"
            if received is None:
                note += ", aanvulling nog niet ontvangen"
                if last_herstel < today:
                    bb_until = last_herstel + timedelta(weeks=rules.buiten_behandeling_weeks.value)
                    warnings.append(
                        f"Hersteltermijn ongebruikt verstreken op {format_date(last_herstel)}: een besluit de "
                        f"aanvraag niet te behandelen uiterlijk {format_date(bb_until)} bekendmaken "
                        f"({rules.buiten_behandeling_weeks.source})."
                    )
            elif received > last_herstel:
                note += f", aanvulling te laat ontvangen op {format_date(received)}"
            else:
                note += f", aanvulling ontvangen op {format_date(received)}"
            planned.append(_Planned(
                moment=q, index=i, event=event, first_day=q + ONE_DAY, last_day=tot(x),
                kind=SuspensionKind.AANVULLING,
                is_provisional=received is None and today < last_herstel, note=note,
            ))

        elif isinstance(event, LbbAdviceRequested):
            q = event.requested_on
            if require_notice and not event.notice_logged:
                ignored.append(IgnoredEvent(
                    i, event.type, q,
                    f"Adviesaanvraag LBB van {format_date(q)}: opschorting nog niet toegepast, want de "
                    "mededeling aan de aanvrager is niet vastgelegd (instelling: mededeling vereist).",
                ))
                for j in lbb_links[i]:
                    ignored.append(IgnoredEvent(
                        j, LbbQuestions.type, questions[j][0],
                        "Vragen van het LBB binnen een adviesaanvraag waarvan de opschorting niet is toegepast.",
                    ))
                continue
            cap = caps.base_days + 7 * event.extension_weeks
            window = lbb_windows[i]
            a = event.advice_received_on
            days = min((a - q).days, window) if a is not None else window
            note = f"aangevraagd {format_date(q)}, maximaal {plural(cap, 'dag', 'dagen')}"
            if event.extension_weeks:
                note += f" (incl. verlenging {plural(event.extension_weeks, 'week', 'weken')})"
            if window > cap:
                note += f" plus {plural(window - cap, 'dag', 'dagen')} voor vragen aan de betrokkene"
            if a is None:
                note += ", advies nog niet ontvangen" if today < q + timedelta(days=window) else (
                    ", geen advies binnen de maximale duur: opschorting geëindigd"
                )
            elif (a - q).days > window:
                note += f", advies ontvangen op {format_date(a)} (na de maximale duur)"
            else:
                note += f", advies ontvangen op {format_date(a)}"
            open_questions = any(questions[j][1] is None for j in lbb_links[i])
            planned.append(_Planned(
                moment=q, index=i, event=event, first_day=q + ONE_DAY, last_day=q + timedelta(days=days),
                kind=SuspensionKind.LBB_ADVIES,
                is_provisional=a is None and (today < q + timedelta(days=window) or open_questions), note=note,
            ))

        elif isinstance(event, LbbQuestions):
            q = event.asked_on
            x = event.answered_on or today
            linked_to = question_link.get(i)
            note = f"vragen gesteld {format_date(q)}, " + (
                f"beantwoord {format_date(event.answered_on)}" if event.answered_on else "nog niet beantwoord"
            )
            if linked_to is not None:
                if require_notice and not case.events[linked_to].notice_logged:  # type: ignore[union-attr]
                    continue  # reported with its advice request
                note += "; verlengt de maximale opschorting voor het LBB-advies"
            else:
                warnings.append("Vragen van het LBB geregistreerd buiten een adviesaanvraag bij het LBB: "
                                "controleer de gebeurtenissen.")
            planned.append(_Planned(
                moment=q, index=i, event=event, first_day=q + ONE_DAY, last_day=tot(x),
                kind=SuspensionKind.LBB_VRAGEN, is_provisional=event.answered_on is None, note=note,
                within_event_index=linked_to,
            ))

        elif isinstance(event, ConsentPeriod):
            check.on_or_after_receipt(event.start, f"{p}.start", "Het begin van de opschorting")
            check.not_before(event.end, event.start, f"{p}.end", "Het einde van de opschorting ligt vóór het begin.")
            check.fact(event.agreed_on, f"{p}.agreed_on", "De datum van de instemming")
            moment = event.agreed_on or event.start
            planned.append(_Planned(
                moment=moment, index=i, event=event, first_day=max(event.start, case.received_on + ONE_DAY),
                last_day=event.end, kind=SuspensionKind.TOESTEMMING,
                note=f"schriftelijk ingestemde periode {format_date(event.start)} t/m {format_date(event.end)}",
            ))

        elif isinstance(event, ForeignAuthorityRequest):
            n = event.applicant_notified_on
            check.fact(n, f"{p}.applicant_notified_on", "De datum van de mededeling aan de aanvrager")
            check.fact(event.information_received_on, f"{p}.information_received_on",
                       "De ontvangstdatum van de buitenlandse informatie")
            check.not_before(event.information_received_on, n, f"{p}.information_received_on",
                             "De informatie is ontvangen vóór de mededeling aan de aanvrager.")
            x = event.information_received_on or today
            planned.append(_Planned(
                moment=n, index=i, event=event, first_day=n + ONE_DAY, last_day=tot(x),
                kind=SuspensionKind.BUITENLANDSE_INSTANTIE,
                is_provisional=event.information_received_on is None,
                note=f"aanvrager ingelicht {format_date(n)}",
            ))
            warnings.append("Meld de aanvrager het einde van de opschorting en de nieuwe termijn (Awb 4:15 lid 4).")

        elif isinstance(event, ApplicantDelay):
            check.on_or_after_receipt(event.start, f"{p}.start", "Het begin van de vertraging")
            check.not_before(event.end, event.start, f"{p}.end", "Het einde van de vertraging ligt vóór het begin.")
            planned.append(_Planned(
                moment=event.start, index=i, event=event, first_day=max(event.start, case.received_on + ONE_DAY),
                last_day=event.end, kind=SuspensionKind.VERTRAGING_AANVRAGER,
                note=f"{format_date(event.start)} t/m {format_date(event.end)}",
            ))
            warnings.append("Meld de aanvrager het einde van de opschorting en de nieuwe termijn (Awb 4:15 lid 4).")

        elif isinstance(event, Overmacht):
            check.fact(event.start, f"{p}.start", "Het begin van de overmacht")
            check.not_before(event.end, event.start, f"{p}.end", "Het einde van de overmacht ligt vóór het begin.")
            if require_notice and not event.notice_logged:
                ignored.append(IgnoredEvent(
                    i, event.type, event.start,
                    f"Overmacht vanaf {format_date(event.start)}: opschorting nog niet toegepast, want de "
                    "mededeling aan de aanvrager is niet vastgelegd (Awb 4:15 lid 3).",
                ))
                continue
            last = event.end or today
            planned.append(_Planned(
                moment=event.start, index=i, event=event, first_day=max(event.start, case.received_on + ONE_DAY),
                last_day=last, kind=SuspensionKind.OVERMACHT, is_provisional=event.end is None,
                note=f"vanaf {format_date(event.start)}" + ("" if event.end else ", duurt nog voort"),
            ))
            warnings.append("Meld de aanvrager het einde van de opschorting en de nieuwe termijn (Awb 4:15 lid 4).")

        elif isinstance(event, Verdaging):
            check.fact(event.notified_on, f"{p}.notified_on", "De datum van de verdaging")
            _positive_int(event.weeks, f"{p}.weeks", "Verdaag met een geheel aantal weken van minstens 1.")
            planned.append(_Planned(moment=event.notified_on, index=i, event=event))

        elif isinstance(event, DelayNotice):
            check.fact(event.notified_on, f"{p}.notified_on", "De datum van de mededeling")
            planned.append(_Planned(moment=event.notified_on, index=i, event=event))

        elif isinstance(event, Ingebrekestelling):
            check.fact(event.received_on, f"{p}.received_on", "De ontvangstdatum van de ingebrekestelling")
            check.fact(event.sent_on, f"{p}.sent_on", "De verzenddatum van de ingebrekestelling")
            check.not_before(event.received_on, event.sent_on or event.received_on, f"{p}.received_on",
                             "De ingebrekestelling is ontvangen vóór zij is verzonden.")

        else:
            raise DeadlineError(f"Onbekende gebeurtenis: {type(event).__name__}.", field=p)

    return planned, ignored, list(dict.fromkeys(warnings))


# --- main entry point -------------------------------------------------------------------------------------------


def compute_deadline(case: DeadlineCase, rules: DeadlineRules, *, today: date) -> DeadlineResult:
    """Compute the beslistermijn of *case* under *rules* as of *today* (domain.md §10.H).

    Raises :class:`DeadlineError` (Dutch message, ``field`` set) on invalid input: dates before
    receipt or in the future, a period that ends before it starts, a verdaging notified after the
    current end, more or longer verdagingen than *rules* allow.
    """
    if isinstance(today, datetime):
        today = today.date()
    if not isinstance(today, date):
        raise DeadlineError("Geef de datum van vandaag mee.", field="today")
    received = case.received_on
    check = _Checker(received, today)
    check.not_future(received, "received_on", "De ontvangstdatum van de aanvraag")
    check.fact(case.decided_on, "decided_on", "De datum van het besluit")

    planned, ignored, warnings = _plan(case, rules, today)
    term_weeks = rules.term_weeks.value
    running = 7 * term_weeks
    suspended: set[date] = set()
    periods: list[SuspensionPeriod] = []
    extensions: list[Extension] = []
    lines: list[str] = []
    notice_lines: list[str] = []
    base_end = received + timedelta(days=running)

    # Apply in date order; everything on one day is judged against the end as it stood that morning.
    planned.sort(key=lambda item: (item.moment, repr(item.event), item.index))
    for moment in sorted({item.moment for item in planned}):
        end_that_morning = deadline(received, running, suspended)
        for item in (x for x in planned if x.moment == moment):
            event = item.event
            if item.kind is not None:
                assert item.first_day is not None and item.last_day is not None
                if item.moment > end_that_morning or item.first_day > end_that_morning:
                    ignored.append(IgnoredEvent(
                        item.index, event.type, item.moment,
                        f"{item.kind.label} ({format_date(item.moment)}) ligt na het einde van de termijn "
                        f"({format_date(end_that_morning)}) en heeft geen effect (domain.md §10.C.16).",
                    ))
                    continue
                if item.last_day < item.first_day:
                    ignored.append(IgnoredEvent(
                        item.index, event.type, item.moment,
                        f"{item.kind.label} ({item.note}): 0 dagen opgeschort.",
                    ))
                    continue
                days = _days(item.first_day, item.last_day)
                suspended.update(days)
                periods.append(SuspensionPeriod(
                    kind=item.kind, first_day=item.first_day, last_day=item.last_day, days=len(days),
                    basis=item.kind.basis, label=item.kind.label, event_index=item.index,
                    is_provisional=item.is_provisional, note=item.note,
                    within_event_index=item.within_event_index,
                ))
            elif isinstance(event, Verdaging):
                basis = _check_verdaging(event, item.index, end_that_morning, len(extensions), rules)
                before = deadline(received, running, suspended)
                running += 7 * event.weeks
                after = deadline(received, running, suspended)
                extensions.append(Extension(item.index, event.notified_on, event.weeks, basis, before, after))
                if event.named_end_on is not None and event.named_end_on != after:
                    warnings.append(
                        f"De brief over de verdaging noemt {format_date(event.named_end_on)}; de berekende einddatum "
                        f"is {format_date(after)}."
                    )
            elif isinstance(event, DelayNotice):
                notice_lines.append(
                    f"Mededeling van {format_date(event.notified_on)} dat niet tijdig kan worden beslist "
                    "(Awb 4:14 lid 1): dit verlengt de termijn niet; het dwangsomrisico blijft."
                )

    end_before_atw = deadline(received, running, suspended)
    counted = {d for d in suspended if received < d <= end_before_atw}
    suspended_days = len(counted)
    top_level = [period for period in periods if period.within_event_index is None]
    top_level_days = {d for period in top_level for d in _days(period.first_day, period.last_day)}
    overlap = sum(period.days for period in top_level) - len(top_level_days)
    extension_days = sum(7 * ext.weeks for ext in extensions)

    # --- Algemene termijnenwet (§10.E.20–24) ---
    kb = rules.kb_gelijkgestelde_dagen.value
    mode = rules.atw_mode.value
    atw_applies, atw_reason = _atw_applies(mode, extensions, rules)
    end = next_working_day(end_before_atw, kb) if atw_applies else end_before_atw
    shifted = end != end_before_atw
    latest_working = previous_working_day(end, kb)
    for year in sorted({end_before_atw.year, end.year}):
        if not kb.covers(year):
            warnings.append(
                f"De tabel met bij KB gelijkgestelde dagen dekt {year} nog niet (Atw art. 3 lid 3): "
                "laat de beheerder het nieuwe besluit toevoegen."
            )

    # --- status, decision, van rechtswege, dwangsom ---
    days_left = (end - today).days
    if days_left < 0:
        status = DeadlineStatus.VERLOPEN
    elif days_left == 0:
        status = DeadlineStatus.VANDAAG
    elif days_left <= rules.bijna_within_days:
        status = DeadlineStatus.BIJNA
    else:
        status = DeadlineStatus.OP_TIJD
    decided_in_time = None if case.decided_on is None else case.decided_on <= end
    is_provisional = any(period.is_provisional for period in periods)
    lex = rules.lex_silencio.value
    risk, rw_warning = _van_rechtswege(lex, status, case.decided_on, decided_in_time, end)
    if lex and (rules.suspension_count.value is SuspensionCount.PRACTICAL or atw_applies):
        warnings.append(
            "Van rechtswege verlenen is hier mogelijk: een dag te laat betekent een vergunning van rechtswege. "
            "Overweeg de behoudende telling (strikte opschorting, geen Atw-verschuiving)."
        )
    dwangsom, dwangsom_warnings = _dwangsom(case, end, today, rules)
    warnings.extend(dwangsom_warnings)
    if lex and dwangsom is not None:
        warnings.append("Geldt de positieve fictieve beschikking, dan is de dwangsomregeling mogelijk niet van "
                        "toepassing: laat de jurist dit nagaan.")

    # --- explanation ---
    lines.append(
        f"Ontvangen op {format_date(received)}; termijn {plural(term_weeks, 'week', 'weken')} "
        f"({rules.term_weeks.source}): basiseinddatum {format_date(base_end)}."
    )
    for period in periods:
        lines.append(
            f"{period.label} ({period.basis}): opgeschort van {format_date(period.first_day)} t/m "
            f"{format_date(period.last_day)}, {plural(period.days, 'dag', 'dagen')} ({period.note})."
            + (" Voorlopig: de einddatum kan nog verschuiven." if period.is_provisional else "")
        )
    for item in sorted(ignored, key=lambda x: (x.on, x.event_index)):
        lines.append(f"Niet meegeteld: {item.reason}")
    if overlap > 0:
        lines.append(
            f"{plural(overlap, 'dag valt', 'dagen vallen')} onder meer dan één opschorting en "
            f"{'telt' if overlap == 1 else 'tellen'} één keer."
        )
    if suspended_days:
        count_label = rules.suspension_count.value.label
        lines.append(
            f"Totaal opgeschort: {plural(suspended_days, 'dag', 'dagen')} ({count_label}); "
            f"einddatum na opschorting {format_date(received + timedelta(days=7 * term_weeks + suspended_days))}."
        )
    for ext in extensions:
        lines.append(
            f"{ext.basis}: meegedeeld op {format_date(ext.notified_on)}, {plural(ext.weeks, 'week', 'weken')}; "
            f"einddatum van {format_date(ext.end_before)} naar {format_date(ext.end_after)}."
        )
    lines.extend(notice_lines)
    lines.extend(_atw_lines(atw_applies, atw_reason, shifted, end_before_atw, end, latest_working, kb))
    lines.append(f"Uiterlijke beslisdatum: {format_date(end)}; {_days_left_text(days_left)} ({status.label}).")
    if case.decided_on is not None:
        lines.append(
            f"Besluit genomen op {format_date(case.decided_on)}: "
            + ("tijdig." if decided_in_time else "na afloop van de termijn.")
        )
    if rw_warning:
        lines.append(rw_warning)

    return DeadlineResult(
        received_on=received,
        term_weeks=term_weeks,
        term_basis=rules.term_weeks.source,
        base_end_on=base_end,
        end_before_atw_on=end_before_atw,
        end_on=end,
        suspended_days=suspended_days,
        suspensions=tuple(periods),
        suspended_ranges=_ranges(counted),
        overlap_days=overlap,
        extensions=tuple(extensions),
        extension_days=extension_days,
        ignored=tuple(sorted(ignored, key=lambda x: (x.on, x.event_index))),
        atw_applies=atw_applies,
        atw_shifted=shifted,
        atw_shifted_from=end_before_atw if shifted else None,
        latest_working_day_on=latest_working,
        today=today,
        days_left=days_left,
        status=status,
        is_provisional=is_provisional,
        lex_silencio=lex,
        van_rechtswege_risk=risk,
        van_rechtswege_warning=rw_warning,
        decided_on=case.decided_on,
        decided_in_time=decided_in_time,
        dwangsom=dwangsom,
        warnings=tuple(dict.fromkeys(warnings)),
        explanation=tuple(lines),
    )


# --- pieces ------------------------------------------------------------------------------------------------------


def _check_verdaging(event: Verdaging, index: int, current_end: date, already: int, rules: DeadlineRules) -> str:
    """Check a verdaging against §10.D.17–18 and the gemeente's settings; raise DeadlineError if invalid."""
    rule = rules.verdaging.value
    source = rules.verdaging.source
    field = f"events[{index}]"
    if not rule.allowed:
        raise DeadlineError(f"Verdagen is voor dit vergunningtype niet toegestaan ({source}).", field=field)
    if rule.max_count is not None and already >= rule.max_count:
        raise DeadlineError(
            f"Er mag ten hoogste {plural(rule.max_count, 'keer', 'keer')} worden verdaagd ({source}).",
            field=field,
        )
    if rule.max_weeks is not None and event.weeks > rule.max_weeks:
        raise DeadlineError(
            f"Verdagen kan met ten hoogste {plural(rule.max_weeks, 'week', 'weken')} ({source}).",
            field=f"{field}.weeks",
        )
    if rule.must_precede_deadline and event.notified_on > current_end:
        raise DeadlineError(
            f"De verdaging is meegedeeld op {format_date(event.notified_on)}, na het einde van de termijn "
            f"({format_date(current_end)}). Verdagen kan alleen vóór het einde van de termijn ({source}).",
            field=f"{field}.notified_on",
        )
    return rule.kind.label


def _atw_applies(mode: AtwMode, extensions: list[Extension], rules: DeadlineRules) -> tuple[bool, str]:
    """Whether the Atw shifts the end date, and why not (Dutch) — §10.E.23–24 and setting ``atw_mode``."""
    if mode is AtwMode.NONE:
        return False, f"instelling: Atw niet toepassen ({rules.atw_mode.source})"
    if 7 * rules.term_weeks.value > rules.atw_max_term_days.value:
        return False, f"termijn langer dan {rules.atw_max_term_days.value} dagen ({rules.atw_max_term_days.source})"
    if mode is AtwMode.APPLY and extensions:
        return False, "de termijn is door het bestuursorgaan verlengd; de Atw geldt niet voor een zelf gestelde termijn"
    return True, ""


def _atw_lines(
    applies: bool, reason: str, shifted: bool, before: date, end: date, latest_working: date, kb: KbTable
) -> list[str]:
    if applies and shifted:
        name = rest_day_name(before, kb)
        return [
            f"{format_date(before)} valt op een {name}: Algemene termijnenwet art. 1 lid 1 verlengt tot en met "
            f"{format_date(end)}."
        ]
    if applies:
        return []
    lines = [f"Atw niet toegepast: {reason}."]
    name = rest_day_name(end, kb)
    if name is not None:
        lines.append(
            f"De einddatum valt op een {name}: beslis uiterlijk op de laatste werkdag ervoor, "
            f"{format_date(latest_working)}."
        )
    return lines


def _days_left_text(days_left: int) -> str:
    if days_left > 0:
        return f"nog {plural(days_left, 'dag', 'dagen')}"
    if days_left == 0:
        return "vandaag is de laatste dag"
    return f"{plural(-days_left, 'dag', 'dagen')} verlopen"


def _van_rechtswege(
    lex: bool, status: DeadlineStatus, decided_on: date | None, decided_in_time: bool | None, end: date
) -> tuple[bool, str | None]:
    """Lex silencio positivo (Awb 4:20a–4:20b, §10.F.27): warn while it can still go wrong, flag when it did."""
    if not lex:
        return False, None
    if decided_on is not None:
        if decided_in_time:
            return False, None
        return True, (f"Besluit na {format_date(end)}: de vergunning is mogelijk al van rechtswege verleend "
                      "(Awb 4:20b lid 1).")
    if status is DeadlineStatus.VERLOPEN:
        return True, (f"Termijn verstreken op {format_date(end)}: de vergunning is mogelijk van rechtswege "
                      "verleend (Awb 4:20b lid 1).")
    if status in (DeadlineStatus.BIJNA, DeadlineStatus.VANDAAG):
        return True, (f"Let op: zonder besluit uiterlijk {format_date(end)} is de vergunning van rechtswege "
                      "verleend (Awb 4:20b lid 1).")
    return False, ("Paragraaf 4.1.3.3 Awb is van toepassing: niet tijdig beslissen geeft een vergunning van "
                   "rechtswege (Awb 4:20b lid 1).")


def _dwangsom(
    case: DeadlineCase, end: date, today: date, rules: DeadlineRules
) -> tuple[DwangsomState | None, list[str]]:
    notices = sorted((e for e in case.events if isinstance(e, Ingebrekestelling)), key=lambda e: e.received_on)
    if not notices:
        return None, []
    states = [
        dwangsom_state(n.received_on, deadline_end_on=end, today=today, decided_on=case.decided_on,
                       sent_on=n.sent_on, rules=rules.dwangsom.value)
        for n in notices
    ]
    warnings = [state.explanation[0] for state in states if state.is_premature]
    timely = [state for state in states if not state.is_premature]
    return (timely[0] if timely else states[-1]), warnings
