"""Exports of an inspection plan: iCalendar (agenda) and CSV (spreadsheet).

CSV choices:

* Separator ``;``: Excel with a Dutch locale uses the comma as decimal separator and ``;`` as list
  separator, so a semicolon file opens in columns on double-click; a comma file lands in one column.
* Dates as ISO ``jjjj-mm-dd``: unambiguous, sortable, and Excel-NL still recognises them as dates.
* Text cells starting with ``= + - @`` (or tab / carriage return) are prefixed with ``'`` so a
  spreadsheet never evaluates a location name as a formula (CSV/formula injection, OWASP).
* ``bom=True`` prepends U+FEFF so Excel detects UTF-8 (accented street names); the view encodes
  the returned text as UTF-8.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import UTC, datetime, time, timedelta

from icalendar import Calendar, Event, vCalAddress, vText

from screening.planning.planner import Plan, weekday_nl

#: Characters that make a spreadsheet treat a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

CSV_HEADERS = (
    "Status",
    "Datum",
    "Weekdag",
    "Locatie-id",
    "Naam",
    "Adres",
    "Toezichthouders",
    "Risicoscore",
    "Urgentie",
    "Uiterste controledatum",
    "Reden",
)

PRODID = "-//Barrier//Inspectieplanning//NL"


def neutralise_cell(value: str) -> str:
    """Prefix a text cell that a spreadsheet would read as a formula with an apostrophe."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _uid_part(value: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", value).strip("-")
    if slug == value and slug:
        return slug
    # Keep UIDs stable and unique even when ids contain characters a UID should not carry.
    return (slug[:40] + "-" if slug else "") + hashlib.sha256(value.encode()).hexdigest()[:12]


def visit_uid(plan: Plan, location_id: str, *, uid_domain: str = "barrier.local") -> str:
    """Stable UID: one event per location per plan period, so re-planning moves the same event."""
    return f"inspectie-{plan.period_start:%Y%m%d}-{_uid_part(location_id)}@{uid_domain}"


def plan_to_ical(
    plan: Plan,
    *,
    uid_domain: str = "barrier.local",
    calendar_name: str | None = None,
    generated_at: datetime | None = None,
) -> bytes:
    """Render *plan* as an iCalendar file: one all-day VEVENT per visit.

    ``generated_at`` becomes every event's DTSTAMP (RFC 5545 requires one); it defaults to the
    period start at 00:00 UTC so the same plan always gives the same bytes (the engine reads no clock).
    """
    stamp = generated_at or datetime.combine(plan.period_start, time(0, 0), tzinfo=UTC)
    if stamp.tzinfo is None:
        raise ValueError("generated_at moet een tijdzone hebben")
    names = {i.inspector_id: i for i in plan.inspectors}
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add(
        "x-wr-calname",
        calendar_name or f"Inspectieplanning {plan.period_start.isoformat()} t/m {plan.period_end.isoformat()}",
    )
    for visit in plan.visits:
        event = Event()
        event.add("uid", visit_uid(plan, visit.location_id, uid_domain=uid_domain))
        event.add("dtstamp", stamp.astimezone(UTC))
        event.add("dtstart", visit.date)
        event.add("dtend", visit.date + timedelta(days=1))
        event.add("summary", f"Controle {visit.name}")
        if visit.address:
            event.add("location", visit.address)
        inspectors = ", ".join(names[i].name if i in names else i for i in visit.inspector_ids)
        description = [
            visit.reason,
            f"Risicoscore: {visit.score}",
            f"Toezichthouders: {inspectors}",
        ]
        if len(visit.inspector_ids) > 1:
            description.append("Controle met twee personen (domain.md §3.8).")
        event.add("description", "\n".join(description))
        event.add("categories", ["Toezicht", visit.urgency.label])
        event.add("transp", "TRANSPARENT")
        for inspector_id in visit.inspector_ids:
            inspector = names.get(inspector_id)
            address = (
                f"mailto:{inspector.email}"
                if inspector and inspector.email
                else f"urn:barrier:toezichthouder:{_uid_part(inspector_id)}"
            )
            attendee = vCalAddress(address)
            attendee.params["cn"] = vText(inspector.name if inspector else inspector_id)
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            event.add("attendee", attendee, encode=0)
        cal.add_component(event)
    return cal.to_ical()


def plan_to_csv(plan: Plan, *, include_unplanned: bool = True, bom: bool = False) -> str:
    """Render *plan* as semicolon-separated CSV with Dutch headers (see the module docstring).

    Planned visits come first in date order; then, if *include_unplanned*, the locations that did
    not fit, with their reason in 'Reden' and an empty date.
    """
    names = {i.inspector_id: i.name for i in plan.inspectors}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for v in plan.visits:
        writer.writerow(
            [
                "Gepland",
                v.date.isoformat(),
                weekday_nl(v.date),
                neutralise_cell(v.location_id),
                neutralise_cell(v.name),
                neutralise_cell(v.address),
                neutralise_cell(", ".join(names.get(i, i) for i in v.inspector_ids)),
                v.score,
                v.urgency.label,
                v.due_on.isoformat() if v.due_on else "",
                neutralise_cell(v.reason),
            ]
        )
    if include_unplanned:
        for u in plan.unplanned:
            writer.writerow(
                [
                    "Niet ingepland",
                    "",
                    "",
                    neutralise_cell(u.location_id),
                    neutralise_cell(u.name),
                    "",
                    "",
                    u.score,
                    u.urgency.label,
                    u.due_on.isoformat() if u.due_on else "",
                    neutralise_cell(u.reason),
                ]
            )
    text = buffer.getvalue()
    return "\ufeff" + text if bom else text
