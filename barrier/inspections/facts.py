"""From records to the planner's facts: one ``screening.planning.LocationFacts`` per location.

The engine decides what the facts mean (weights, caps, intervals); this module only counts.
Bibob outcomes and register hits belong to areas that are built beside this one, so they are
read defensively: when the other area (or its function) is not there, the fact is "niet
onderzocht" / 0 hits, never a guess.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from barrier.db import db
from barrier.models.applications import PermitStatus
from barrier.models.inspections import (
    EnforcementMeasure,
    Inspection,
    InspectionLocation,
    InspectionStatus,
    MeasureStatus,
)
from barrier.models.signals import Signal, SignalStatus
from screening.planning import BibobOutcome, LocationFacts, PermitType, PriorityOverride
from screening.signals import load_catalogue

#: "Earlier findings" counts the violations of this many most recent completed inspections.
RECENT_INSPECTIONS_COUNTED = 2

_PC4 = re.compile(r"^\s*([1-9][0-9]{3})")

_OUTCOME_ALIASES = {
    "geen": BibobOutcome.GEEN, "geen_gevaar": BibobOutcome.GEEN, "none": BibobOutcome.GEEN,
    "mindere_mate": BibobOutcome.MINDERE_MATE, "minder": BibobOutcome.MINDERE_MATE, "minor": BibobOutcome.MINDERE_MATE,
    "ernstig": BibobOutcome.ERNSTIG, "ernstig_gevaar": BibobOutcome.ERNSTIG, "serious": BibobOutcome.ERNSTIG,
    "niet_onderzocht": BibobOutcome.NIET_ONDERZOCHT,
}


def to_bibob_outcome(value: Any) -> BibobOutcome:
    """Map whatever the Bibob area reports (enum, value or None) onto the planner's outcome."""
    if value is None:
        return BibobOutcome.NIET_ONDERZOCHT
    if isinstance(value, BibobOutcome):
        return value
    key = str(getattr(value, "value", value)).strip().lower().replace(" ", "_").replace("-", "_")
    return _OUTCOME_ALIASES.get(key, BibobOutcome.NIET_ONDERZOCHT)


def bibob_outcome_for_application(application_id: int | None) -> BibobOutcome:
    """The Bibob conclusion on the permit holder's application, if the Bibob area can tell."""
    if application_id is None:
        return BibobOutcome.NIET_ONDERZOCHT
    try:
        from barrier.bibob import services as bibob_services
    except ImportError:
        return BibobOutcome.NIET_ONDERZOCHT
    reader = getattr(bibob_services, "outcome_for_application", None)
    if reader is None:
        return BibobOutcome.NIET_ONDERZOCHT
    return to_bibob_outcome(reader(application_id))


def confirmed_register_hits(application_id: int | None) -> int:
    """Confirmed risk-register hits on the application's parties, if the register area can tell."""
    if application_id is None:
        return 0
    try:
        from barrier.register import services as register_services
    except ImportError:
        return 0
    reader = getattr(register_services, "confirmed_hit_count_for_application", None)
    if reader is None:
        return 0
    return max(0, int(reader(application_id) or 0))


def permit_in_force(location: InspectionLocation, today: date) -> bool:
    """A location 'has a permit' while its permit is valid or suspended and not expired."""
    permit = location.permit
    if permit is None or permit.status not in (PermitStatus.GELDIG, PermitStatus.GESCHORST):
        return False
    return permit.valid_until is None or permit.valid_until >= today


def postcode4(postcode: str | None) -> str | None:
    match = _PC4.match(postcode or "")
    return match.group(1) if match else None


def signal_weights(signal_ids: Iterable[str]) -> tuple[int, ...]:
    """The catalogue weights (1..3) of the observed signal ids; unknown ids (old catalogue) are skipped."""
    catalogue = load_catalogue()
    return tuple(catalogue.signal(i).weight for i in dict.fromkeys(signal_ids) if catalogue.has_signal(i))


def build_facts(locations: Sequence[InspectionLocation], *, today: date) -> dict[int, LocationFacts]:
    """Facts for every location, with a fixed number of queries (lists and the planner use this)."""
    ids = [loc.id for loc in locations]
    if not ids:
        return {}
    # Load address, permit, gemeente and override author for all locations at once (no N+1 lazy loads).
    for chunk in range(0, len(ids), 2000):
        db.session.scalars(select(InspectionLocation).where(InspectionLocation.id.in_(ids[chunk:chunk + 2000])).options(
            selectinload(InspectionLocation.address), selectinload(InspectionLocation.permit),
            selectinload(InspectionLocation.gemeente), selectinload(InspectionLocation.override_by))).all()
    completed: dict[int, list[Inspection]] = defaultdict(list)
    rows = db.session.scalars(
        select(Inspection)
        .where(Inspection.location_id.in_(ids), Inspection.status == InspectionStatus.AFGEROND)
        .order_by(Inspection.location_id, Inspection.inspected_on.desc(), Inspection.id.desc())
    )
    for inspection in rows:
        completed[inspection.location_id].append(inspection)
    open_measures = dict(db.session.execute(
        select(EnforcementMeasure.location_id, func.count())
        .where(EnforcementMeasure.location_id.in_(ids), EnforcementMeasure.status == MeasureStatus.OPEN)
        .group_by(EnforcementMeasure.location_id)
    ).all())
    weights: dict[int, list[int]] = defaultdict(list)
    for location_id, signal_ids in db.session.execute(
        select(Signal.location_id, Signal.signal_ids)
        .where(Signal.location_id.in_(ids), Signal.status == SignalStatus.OPEN)
    ):
        weights[location_id].extend(signal_weights(signal_ids or []))

    facts: dict[int, LocationFacts] = {}
    for loc in locations:
        history = completed.get(loc.id, [])
        last = history[0] if history else None
        permit = loc.permit
        has_permit = permit_in_force(loc, today)
        application_id = permit.application_id if permit else None
        address = loc.address
        lat = address.latitude if address and address.longitude is not None else None
        lon = address.longitude if lat is not None else None
        override = None
        if loc.override_points is not None and loc.override_reason.strip():
            override = PriorityOverride(loc.override_points, loc.override_reason,
                                        loc.override_by.full_name if loc.override_by else None)
        facts[loc.id] = LocationFacts(
            location_id=str(loc.id),
            name=loc.name,
            permit_type=PermitType(loc.kind.value),
            has_permit=has_permit,
            address=address.label if address else "",
            postcode4=postcode4(address.postcode if address else None),
            lat=lat,
            lon=lon,
            gemeente_code=loc.gemeente.cbs_code if loc.gemeente else None,
            bibob_outcome=bibob_outcome_for_application(application_id) if has_permit else BibobOutcome.NIET_ONDERZOCHT,
            confirmed_register_hits=confirmed_register_hits(application_id) if has_permit else 0,
            recent_violations=sum(i.violation_count for i in history[:RECENT_INSPECTIONS_COUNTED]),
            open_enforcement_measures=int(open_measures.get(loc.id, 0)),
            open_signal_weights=tuple(weights.get(loc.id, ())),
            occupancy=last.occupancy if last else None,
            permitted_occupancy=permit.max_persons if permit and has_permit else None,
            last_inspection_on=last.inspected_on if last else None,
            override=override,
        )
    return facts
