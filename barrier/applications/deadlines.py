"""The bridge between applications and the deadline engine (``screening.deadlines``).

Clock events stored on the application become the engine's events; the gemeente's settings
become its rules; the result is shown on the application page and its end date is stored on the
application (``deadline_on``) so work lists sort and filter in SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app

from barrier.models import Application, ClockEvent, ClockEventKind, PermitSettings, PermitType
from screening.deadlines import (
    AanvullingRequested,
    ApplicantDelay,
    ConsentPeriod,
    DeadlineCase,
    DeadlineError,
    DeadlineResult,
    Ingebrekestelling,
    LbbAdviceRequested,
    LbbQuestions,
    Overmacht,
    Verdaging,
    compute_deadline,
    rules_for,
)

# Which engine configuration a permit type uses unless the gemeente chose another (domain.md §10.B).
DEFAULT_CONFIG = {
    PermitType.SEKSINRICHTING: "seksbedrijf_apv",
    PermitType.ESCORTBEDRIJF: "seksbedrijf_apv",
    PermitType.VERHUURVERGUNNING: "wgv_verhuurvergunning",
}
CONFIG_CHOICES = {
    "seksbedrijf_apv": "APV art. 1:2: 8 weken, verdaging max. 8 weken (domain.md §10.7a)",
    "seksbedrijf_awb": "Awb 4:13 lid 2: 8 weken, verlenging via 4:14 lid 3 (domain.md §10.7b)",
    "wgv_verhuurvergunning": "Awb 4:13 lid 2 voor de Wgv-verhuurvergunning (domain.md §10.8)",
}

# Engine field names -> the form field of the clock event they came from.
_FIELD_MAP = {
    "requested_on": "start_on", "asked_on": "start_on", "start": "start_on", "notified_on": "start_on",
    "applicant_notified_on": "start_on", "received_on": "end_on", "advice_received_on": "end_on",
    "answered_on": "end_on", "end": "end_on", "hersteltermijn_weeks": "weeks", "extension_weeks": "weeks",
    "weeks": "weeks",
}


class DeadlineInputError(ValueError):
    def __init__(self, message: str, field: str | None):
        super().__init__(message)
        self.field = field


def permit_settings(app: Application) -> PermitSettings | None:
    """The gemeente's settings for this permit type (deadlines, Bibob policy), or None for the defaults."""
    from sqlalchemy import select

    from barrier.db import db

    return db.session.scalar(select(PermitSettings).where(PermitSettings.gemeente_id == app.gemeente_id,
                                                          PermitSettings.permit_type == app.permit_type))


def rules_for_application(app: Application):
    settings = permit_settings(app)
    config = (settings.deadline_config if settings and settings.deadline_config else DEFAULT_CONFIG[app.permit_type])
    return rules_for(config, gemeente_code=app.gemeente.cbs_code if app.gemeente else None,
                     overrides=(settings.overrides if settings else None) or None,
                     source=f"Instelling gemeente {app.gemeente.name}" if settings and app.gemeente else None)


def _engine_event(event: ClockEvent):
    k = ClockEventKind
    if event.kind is k.AANVULLING:
        return AanvullingRequested(requested_on=event.start_on, hersteltermijn_weeks=event.weeks, received_on=event.end_on)
    if event.kind is k.LBB_ADVIES:
        return LbbAdviceRequested(requested_on=event.start_on, extension_weeks=event.weeks or 0,
                                  advice_received_on=event.end_on, notice_logged=event.notice_logged)
    if event.kind is k.LBB_VRAGEN:
        return LbbQuestions(asked_on=event.start_on, answered_on=event.end_on)
    if event.kind in (k.INSTEMMING, k.VERTRAGING_AANVRAGER):
        if event.end_on is None:
            raise DeadlineError("Vul de einddatum van deze opschorting in.", field="end")
        cls = ConsentPeriod if event.kind is k.INSTEMMING else ApplicantDelay
        return cls(start=event.start_on, end=event.end_on)
    if event.kind is k.OVERMACHT:
        return Overmacht(start=event.start_on, end=event.end_on, notice_logged=event.notice_logged)
    if event.kind is k.VERDAGING:
        if not event.weeks:
            raise DeadlineError("Vul het aantal weken van de verdaging in.", field="weeks")
        return Verdaging(notified_on=event.start_on, weeks=event.weeks)
    return Ingebrekestelling(received_on=event.start_on)


def _case(app: Application, extra: ClockEvent | None = None) -> DeadlineCase:
    events = []
    for event in [*app.clock_events, *([extra] if extra is not None else [])]:
        try:
            events.append(_engine_event(event))
        except DeadlineError as error:
            raise DeadlineError(error.message, field=f"events[{len(events)}].{error.field}") from error
    return DeadlineCase(received_on=app.received_on, events=tuple(events), decided_on=app.decided_on)


def _form_field(engine_field: str | None) -> str | None:
    if not engine_field:
        return None
    name = re.sub(r"^events\[\d+\]\.", "", engine_field)
    return _FIELD_MAP.get(name)


def compute(app: Application, *, today: date, strict: bool = False,
            extra: ClockEvent | None = None) -> DeadlineResult | None:
    """The deadline of a received application; None for a concept (no term yet).

    ``extra`` is a clock event not yet attached to the application: the result shows what it would do.
    """
    if app.received_on is None:
        return None
    try:
        return compute_deadline(_case(app, extra), rules_for_application(app), today=today)
    except DeadlineError as error:
        if strict:
            raise DeadlineInputError(error.message, _form_field(error.field)) from error
        current_app.logger.warning("deadline of application %s not computable: %s", app.id, error.message)
        return None


def refresh(app: Application, *, today: date, strict: bool = False) -> DeadlineResult | None:
    """Recompute the deadline and store it on the application while it runs.

    Only an open application has a deadline running: a decided one stores none, so that lists
    ordered by deadline show what is still to decide first (NULLS LAST), the page computes its
    history from the clock events anyway.
    """
    result = compute(app, today=today, strict=strict)
    app.deadline_on = result.end_on if result and app.status.is_open else None
    return result


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    kind: str  # running | suspended | extension
    label: str


@dataclass(frozen=True)
class TimeBar:
    segments: tuple[Segment, ...]
    today_x: float | None
    end_x: float
    start: date
    end: date


def timebar(result: DeadlineResult) -> TimeBar:
    """Proportions (0..100) of the term drawn as a bar: running days, suspensions, extensions."""
    start = result.received_on
    stop = max(result.end_on, result.today)
    total = max(1, (stop - start).days)

    def x(day: date) -> float:
        return round(100 * max(0, (day - start).days) / total, 2)

    segments = [Segment(0, x(result.end_on), "running", "Beslistermijn loopt")]
    for first, last in result.suspended_ranges:
        segments.append(Segment(x(first) - 100 / total, max(0.5, x(last) - x(first) + 100 / total), "suspended",
                                f"Opgeschort {first.isoformat()} t/m {last.isoformat()}"))
    for extension in result.extensions:
        segments.append(Segment(x(extension.end_before), max(0.5, x(extension.end_after) - x(extension.end_before)),
                                "extension", f"Verdaging {extension.weeks} weken"))
    today_x = x(result.today) if start <= result.today <= stop else None
    return TimeBar(tuple(segments), today_x, x(result.end_on), start, stop)


def housing_input(details: dict[str, Any]) -> dict[str, Any]:
    """The verhuurvergunning particulars as the input mapping of ``screening.housing.check_housing``."""
    return {
        "persons": details.get("persons"),
        "floor_area_m2": details.get("floor_area_m2"),
        "verblijfsvorm": details.get("accommodation_type") or None,
        "bedrooms": [{"area_m2": r.get("area_m2"), "beds": r.get("beds"), "name": f"Slaapkamer {i}"}
                     for i, r in enumerate(details.get("rooms") or [], start=1)],
        "toilets": details.get("toilets"),
        "showers": details.get("showers"),
    }
