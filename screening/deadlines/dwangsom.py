"""Dwangsom bij niet tijdig beslissen (Awb 4:17, 4:18; domain.md §10.F.26).

* The ingebrekestelling must come *after* the deadline has passed; one sent on or before the
  last day is premature (ABRvS; a deadline ending on a Sunday shifted by the Atw counts).
* The body can still decide up to receipt + 14 days; the dwangsom runs from the next day
  (common reading of "de dag waarop twee weken zijn verstreken", [M] on the exact day).
* €23 per day for days 1–14, €35 for days 15–28, €45 for days 29–42; at most 42 days, so at most
  €1,442. The Atw does not apply to the 42 days (Awb 4:17 lid 1).
* A decision ends the default: the decision day itself is not counted [M].
* Awb 4:18: the body fixes the amount by beschikking within 2 weeks after the last dwangsom day.
* Awb 6:12 lid 2: beroep niet tijdig beslissen once two weeks have passed after receipt [M].
* Awb 4:17 lid 6: no dwangsom if the ingebrekestelling came unreasonably late, the applicant is
  not a belanghebbende, or the application is kennelijk niet-ontvankelijk / kennelijk ongegrond.
  That is a judgment, not arithmetic: the engine only reminds the user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from screening.deadlines.dutch import format_date, format_euro, plural
from screening.deadlines.rules import DwangsomRules

DEFAULT_DWANGSOM = DwangsomRules()


def dwangsom_daily_amount(day_number: int, rules: DwangsomRules = DEFAULT_DWANGSOM) -> int:
    """Amount in euros owed for dwangsom day *day_number* (1-based; 0 beyond the 42nd day). Awb 4:17 lid 2."""
    return rules.daily_amount(day_number)


def dwangsom_total(days: int, rules: DwangsomRules = DEFAULT_DWANGSOM) -> int:
    """Total in euros after *days* dwangsom days, capped at 42 days / €1,442 (Awb 4:17 lid 2)."""
    return rules.total(days)


@dataclass(frozen=True, slots=True)
class DwangsomState:
    """Where the dwangsom stands on *today* for one ingebrekestelling."""

    ingebrekestelling_received_on: date
    is_premature: bool
    decide_by: date | None  # last day to decide without owing a dwangsom
    first_day: date | None
    last_day: date | None  # the 42nd dwangsom day
    beroep_from: date | None  # Awb 6:12 lid 2
    days_owed: int
    amount_owed: int
    daily_amount_today: int | None  # None when no dwangsom runs today
    max_total: int
    is_running: bool
    vaststelling_by: date | None  # Awb 4:18, once the dwangsom has stopped
    explanation: tuple[str, ...]


def dwangsom_state(
    ingebrekestelling_received_on: date,
    *,
    deadline_end_on: date,
    today: date,
    decided_on: date | None = None,
    sent_on: date | None = None,
    rules: DwangsomRules = DEFAULT_DWANGSOM,
) -> DwangsomState:
    """The dwangsom state for an ingebrekestelling received on *ingebrekestelling_received_on*.

    *deadline_end_on* is the final end of the beslistermijn (after suspensions, verdaging and any
    Atw shift). An ingebrekestelling sent (or, if ``sent_on`` is unknown, received) on or before
    that day is premature and starts no dwangsom (Awb 4:17 lid 3).
    """
    received = ingebrekestelling_received_on
    sent = sent_on or received
    max_total = rules.max_total
    if sent <= deadline_end_on:
        return DwangsomState(
            ingebrekestelling_received_on=received,
            is_premature=True,
            decide_by=None,
            first_day=None,
            last_day=None,
            beroep_from=None,
            days_owed=0,
            amount_owed=0,
            daily_amount_today=None,
            max_total=max_total,
            is_running=False,
            vaststelling_by=None,
            explanation=(
                f"Ingebrekestelling van {format_date(sent)} is voorbarig: de beslistermijn liep tot en met "
                f"{format_date(deadline_end_on)} (Awb 4:17 lid 3). Er loopt geen dwangsom.",
            ),
        )

    decide_by = received + timedelta(days=rules.grace_days)
    first_day = decide_by + timedelta(days=1)
    last_day = first_day + timedelta(days=rules.max_days - 1)
    # The default ends with the decision; the decision day itself is not a dwangsom day [M].
    stop = min(today, last_day)
    if decided_on is not None:
        stop = min(stop, decided_on - timedelta(days=1))
    days_owed = max(0, (stop - first_day).days + 1)
    amount = rules.total(days_owed)
    is_running = decided_on is None and first_day <= today <= last_day
    daily_today = rules.daily_amount((today - first_day).days + 1) if is_running else None
    stopped = days_owed > 0 and (decided_on is not None or today > last_day)
    vaststelling_by = (
        first_day + timedelta(days=days_owed - 1 + rules.vaststelling_days) if stopped else None
    )

    lines = [
        f"Ingebrekestelling ontvangen op {format_date(received)}: het bestuursorgaan kan nog beslissen tot en met "
        f"{format_date(decide_by)} (Awb 4:17 lid 3).",
        f"Daarna loopt de dwangsom vanaf {format_date(first_day)} tot uiterlijk {format_date(last_day)}: "
        f"{format_euro(rules.daily_amounts[0])} per dag de eerste {rules.tier_days} dagen, oplopend tot ten hoogste "
        f"{format_euro(max_total)} in {rules.max_days} dagen (Awb 4:17 lid 1–2; de Atw geldt hier niet).",
        f"Beroep wegens niet tijdig beslissen is mogelijk vanaf {format_date(first_day)} (Awb 6:12 lid 2).",
    ]
    if days_owed:
        lines.append(f"Verschuldigd tot nu toe: {plural(days_owed, 'dag', 'dagen')}, {format_euro(amount)}.")
    if decided_on is not None:
        lines.append(f"Besluit genomen op {format_date(decided_on)}: de dwangsom loopt niet verder.")
    if vaststelling_by is not None:
        lines.append(
            f"Stel de dwangsom vast bij beschikking uiterlijk op {format_date(vaststelling_by)} (Awb 4:18)."
        )
    lines.append(
        "Geen dwangsom bij een onredelijk late ingebrekestelling, een aanvrager die geen belanghebbende is "
        "of een kennelijk niet-ontvankelijke of kennelijk ongegronde aanvraag (Awb 4:17 lid 6)."
    )
    return DwangsomState(
        ingebrekestelling_received_on=received,
        is_premature=False,
        decide_by=decide_by,
        first_day=first_day,
        last_day=last_day,
        beroep_from=first_day,
        days_owed=days_owed,
        amount_owed=amount,
        daily_amount_today=daily_today,
        max_total=max_total,
        is_running=is_running,
        vaststelling_by=vaststelling_by,
        explanation=tuple(lines),
    )
