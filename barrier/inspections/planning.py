"""Inspection planning: propose with ``screening.planning``, store, adjust, fix (vaststellen), export.

The proposal is the engine's; the toezichthouder adjusts it (move, remove, add visits) and fixes
it. Exports are made from the stored plan, so what is exported is what was fixed, adjustments
included. The CLI runs the same :func:`compute_plan` as a dry run (nothing stored).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

from sqlalchemy import select

from barrier import audit
from barrier.db import db, utcnow
from barrier.inspections.facts import build_facts
from barrier.inspections.services import InspectionError, sync_permit_locations
from barrier.models.inspections import (
    InspectionLocation,
    InspectionPlan,
    LocationKind,
    PlannedVisit,
    PlanStatus,
    VisitSource,
    VisitStatus,
)
from barrier.models.users import Role, User
from screening.planning import (
    Inspector,
    LocationFacts,
    Plan,
    PlanningError,
    RiskScore,
    Urgency,
    Visit,
    plan_to_csv,
    plan_to_ical,
    propose_plan,
    score_location,
)

#: Default weekly capacity per toezichthouder offered in the planning form and the CLI (policy choice).
DEFAULT_CAPACITY_PER_WEEK = 4


def weeks_between(start: date, end: date) -> int:
    """Whole weeks covering start..end (a period ending before it starts gives 0: the engine refuses it)."""
    if end < start:
        return 0
    return math.ceil(((end - start).days + 1) / 7)


def inspectors_of(gemeente_id: int) -> list[User]:
    """The active toezichthouders of a gemeente: who can be planned."""
    return list(db.session.scalars(
        select(User).where(User.gemeente_id == gemeente_id, User.role == Role.TOEZICHTHOUDER,
                           User.is_active_account.is_(True)).order_by(User.full_name)))


@dataclass(frozen=True)
class ComputedPlan:
    plan: Plan
    facts: dict[int, LocationFacts]
    locations: dict[int, InspectionLocation]
    already_planned: tuple[int, ...]


def compute_plan(gemeente_id: int, *, start: date, weeks: int, capacities: list[tuple[User, int]],
                 today: date) -> ComputedPlan:
    """Run the planner on the gemeente's current locations (raises ``PlanningError`` in Dutch).

    Locations that already have a visit planned in the period (a re-inspection after an
    enforcement term, or a fixed plan) are not proposed again.
    """
    sync_permit_locations({gemeente_id})
    locations = {loc.id: loc for loc in db.session.scalars(
        select(InspectionLocation).where(InspectionLocation.gemeente_id == gemeente_id,
                                         InspectionLocation.is_active.is_(True)))}
    period_end = start + timedelta(days=7 * max(weeks, 0) - 1)
    booked = set(db.session.scalars(
        select(PlannedVisit.location_id).where(
            PlannedVisit.gemeente_id == gemeente_id, PlannedVisit.status == VisitStatus.GEPLAND,
            PlannedVisit.planned_on >= start, PlannedVisit.planned_on <= period_end,
            (PlannedVisit.plan_id.is_(None)) | PlannedVisit.plan.has(InspectionPlan.status == PlanStatus.VASTGESTELD))))
    facts = build_facts(list(locations.values()), today=today)
    inspectors = [Inspector(str(user.id), user.full_name, capacity, email=user.email) for user, capacity in capacities]
    plan = propose_plan([f for loc_id, f in facts.items() if loc_id not in booked], inspectors, start, weeks,
                        today=today)
    if booked:
        plan = _with_warning(plan, f"{len(booked)} locatie(s) hebben al een geplande controle in deze periode "
                                   "(hercontrole of vastgesteld plan) en zijn niet opnieuw voorgesteld.")
    return ComputedPlan(plan, facts, locations, tuple(sorted(booked)))


def _with_warning(plan: Plan, warning: str) -> Plan:
    from dataclasses import replace

    return replace(plan, warnings=(*plan.warnings, warning))


def propose(gemeente_id: int, *, start: date, end: date, capacities: list[tuple[User, int]], actor: User,
            today: date) -> InspectionPlan:
    """Make a concept plan from the planner's proposal (issue 6 §3)."""
    weeks = weeks_between(start, end)
    computed = compute_plan(gemeente_id, start=start, weeks=weeks, capacities=capacities, today=today)
    plan = computed.plan
    if plan.capacity == 0:
        # Nothing can be planned (no inspectors, or all at 0): say so and store nothing; the
        # locations that needed a visit stay visible in the message (engine warning first).
        needed = len(plan.unplanned)
        raise PlanningError(" ".join(plan.warnings[:1]) + f" {needed} locatie(s) hadden in deze periode een "
                            "controle nodig. Geef ten minste één toezichthouder met capaciteit op.")
    record = InspectionPlan(
        gemeente_id=gemeente_id, period_start=plan.period_start, period_end=plan.period_end, weeks=weeks,
        inspectors=[{"id": int(i.inspector_id), "name": i.name, "capacity": i.inspections_per_week}
                    for i in plan.inspectors],
        warnings=list(plan.warnings), capacity=plan.capacity, created_by_id=actor.id,
        unplanned=[{"location_id": int(u.location_id), "name": u.name, "reason": u.reason,
                    "urgency": u.urgency.label, "score": u.score, "due_on": u.due_on.isoformat() if u.due_on else None}
                   for u in plan.unplanned])
    db.session.add(record)
    for visit in plan.visits:
        ids = [int(i) for i in visit.inspector_ids]
        record.visits.append(PlannedVisit(
            gemeente_id=gemeente_id, location_id=int(visit.location_id), planned_on=visit.date,
            inspector_id=ids[0], partner_id=ids[1] if len(ids) > 1 else None, reason=visit.reason,
            score=visit.score, urgency=visit.urgency.name, due_on=visit.due_on, sequence=visit.sequence,
            source=VisitSource.PLANNER))
    db.session.flush()
    audit.record("inspection_plan.proposed", object_type="inspection_plans", object_id=record.id,
                 gemeente_id=gemeente_id, actor=actor, visits=len(plan.visits), unplanned=len(plan.unplanned),
                 period_start=plan.period_start.isoformat(), period_end=plan.period_end.isoformat())
    return record


def _editable(plan: InspectionPlan) -> None:
    if plan.status is not PlanStatus.CONCEPT:
        raise InspectionError("Dit plan is vastgesteld en kan niet meer worden aangepast.")


def _check_day(plan: InspectionPlan, day: date) -> None:
    if not plan.period_start <= day <= plan.period_end:
        raise InspectionError(f"Kies een datum binnen de planperiode ({plan.period_start:%d-%m-%Y} t/m "
                              f"{plan.period_end:%d-%m-%Y}).", field="planned_on")


def _check_team(plan: InspectionPlan, inspector: User, partner: User | None) -> None:
    for user in (inspector, partner):
        if user is not None and (user.gemeente_id != plan.gemeente_id or user.role is not Role.TOEZICHTHOUDER):
            raise InspectionError("Kies een toezichthouder van deze gemeente.", field="inspector")
    if partner is not None and partner.id == inspector.id:
        raise InspectionError("Kies twee verschillende toezichthouders.", field="partner")


def team_warning(location: InspectionLocation, partner: User | None) -> str | None:
    if location.kind in (LocationKind.SEKSBEDRIJF, LocationKind.ESCORTBEDRIJF) and partner is None:
        return "Let op: een seksbedrijf wordt altijd met twee toezichthouders gecontroleerd (domain.md §3.8)."
    return None


def move_visit(plan: InspectionPlan, visit: PlannedVisit, *, planned_on: date, inspector: User,
               partner: User | None, actor: User) -> str | None:
    _editable(plan)
    _check_day(plan, planned_on)
    _check_team(plan, inspector, partner)
    before = visit.planned_on
    visit.planned_on, visit.inspector_id, visit.partner_id = planned_on, inspector.id, partner.id if partner else None
    plan.version += 1
    db.session.flush()
    audit.record("inspection_plan.visit_moved", object_type="inspection_plans", object_id=plan.id,
                 gemeente_id=plan.gemeente_id, actor=actor, visit_id=visit.id, location_id=visit.location_id,
                 from_date=before.isoformat(), to_date=planned_on.isoformat())
    return team_warning(visit.location, partner)


def remove_visit(plan: InspectionPlan, visit: PlannedVisit, *, actor: User) -> None:
    _editable(plan)
    plan.visits.remove(visit)
    plan.version += 1
    db.session.flush()
    audit.record("inspection_plan.visit_removed", object_type="inspection_plans", object_id=plan.id,
                 gemeente_id=plan.gemeente_id, actor=actor, location_id=visit.location_id,
                 planned_on=visit.planned_on.isoformat())


def add_visit(plan: InspectionPlan, *, location: InspectionLocation, planned_on: date, inspector: User,
              partner: User | None, actor: User, today: date) -> str | None:
    """Add a visit by hand; its urgency is read from the location's facts like the planner would."""
    _editable(plan)
    if location.gemeente_id != plan.gemeente_id:
        raise InspectionError("Kies een locatie van deze gemeente.", field="location")
    _check_day(plan, planned_on)
    _check_team(plan, inspector, partner)
    if any(v.location_id == location.id for v in plan.visits):
        raise InspectionError("Deze locatie staat al in het plan; verplaats dat bezoek.", field="location")
    facts = build_facts([location], today=today)[location.id]
    score = score_location(facts, today=today)
    due = facts.due_on
    urgency = (Urgency.OVERDUE if due is None or due < plan.period_start
               else Urgency.DUE if due <= plan.period_end else Urgency.RISK)
    sequence = 1 + max((v.sequence for v in plan.visits if v.planned_on == planned_on), default=0)
    plan.visits.append(PlannedVisit(
        gemeente_id=plan.gemeente_id, location_id=location.id, planned_on=planned_on, inspector_id=inspector.id,
        partner_id=partner.id if partner else None, reason=f"Handmatig toegevoegd door {actor.full_name}",
        score=score.final, urgency=urgency.name, due_on=due, sequence=sequence, source=VisitSource.HANDMATIG))
    plan.unplanned = [u for u in plan.unplanned if u.get("location_id") != location.id]
    plan.version += 1
    db.session.flush()
    audit.record("inspection_plan.visit_added", object_type="inspection_plans", object_id=plan.id,
                 gemeente_id=plan.gemeente_id, actor=actor, location_id=location.id,
                 planned_on=planned_on.isoformat())
    return team_warning(location, partner)


def fix_plan(plan: InspectionPlan, *, actor: User) -> None:
    """Vaststellen: the plan becomes the work of the inspectors and can no longer be changed."""
    _editable(plan)
    if not plan.visits:
        raise InspectionError("Een plan zonder bezoeken kan niet worden vastgesteld.")
    plan.status, plan.fixed_by_id, plan.fixed_at = PlanStatus.VASTGESTELD, actor.id, utcnow()
    plan.version += 1
    db.session.flush()
    audit.record("inspection_plan.fixed", object_type="inspection_plans", object_id=plan.id,
                 gemeente_id=plan.gemeente_id, actor=actor, visits=len(plan.visits))


def delete_plan(plan: InspectionPlan, *, actor: User) -> None:
    _editable(plan)
    audit.record("inspection_plan.deleted", object_type="inspection_plans", object_id=plan.id,
                 gemeente_id=plan.gemeente_id, actor=actor)
    db.session.delete(plan)
    db.session.flush()


# --- the stored plan as the engine's Plan (exports and calendar) -----------------------------------------------


def _urgency(name: str) -> Urgency:
    try:
        return Urgency[name]
    except KeyError:
        return Urgency.RISK


def as_engine_plan(plan: InspectionPlan) -> Plan:
    """The stored plan, with every adjustment, in the shape the exporters take."""
    inspectors: dict[str, Inspector] = {}
    for entry in plan.inspectors or []:
        inspectors[str(entry["id"])] = Inspector(str(entry["id"]), entry["name"], int(entry.get("capacity", 0)))
    visits = []
    for v in plan.visits:
        for user in (v.inspector, v.partner):
            if user is not None:
                # Contact address for the iCalendar ATTENDEE, also for inspectors added while adjusting.
                previous = inspectors.get(str(user.id))
                inspectors[str(user.id)] = Inspector(str(user.id), user.full_name,
                                                     previous.inspections_per_week if previous else 0, email=user.email)
        visits.append(Visit(location_id=str(v.location_id), date=v.planned_on,
                            inspector_ids=tuple(str(i) for i in v.inspector_ids), reason=v.reason,
                            name=v.location.name, address=v.location.address.label if v.location.address else "",
                            score=v.score, urgency=_urgency(v.urgency), due_on=v.due_on, sequence=v.sequence))
    return Plan(period_start=plan.period_start, period_end=plan.period_end, visits=tuple(visits), unplanned=(),
                warnings=tuple(plan.warnings or ()), inspectors=tuple(inspectors.values()), capacity=plan.capacity,
                used_capacity=sum(len(v.inspector_ids) for v in visits), not_due=(),
                scores=MappingProxyType({}))


def export_ical(plan: InspectionPlan, *, uid_domain: str) -> bytes:
    name = f"Inspectieplanning {plan.gemeente.name} {plan.period_start:%d-%m-%Y} t/m {plan.period_end:%d-%m-%Y}"
    return plan_to_ical(as_engine_plan(plan), uid_domain=uid_domain, calendar_name=name)


def export_csv(plan: InspectionPlan) -> bytes:
    return plan_to_csv(as_engine_plan(plan), bom=True).encode("utf-8")


# --- calendar view ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarWeek:
    start: date
    days: tuple[date, ...]
    rows: tuple[tuple[Any, tuple[tuple[PlannedVisit, ...], ...]], ...]  # (inspector entry, visits per day)
    count: int


def calendar(plan: InspectionPlan, *, inspector_id: int | None = None) -> list[CalendarWeek]:
    """Weeks of the plan with a row per inspector and a cell per working day (weekend when used)."""
    people: dict[int, dict] = {int(e["id"]): e for e in plan.inspectors or []}
    for v in plan.visits:
        for user in (v.inspector, v.partner):
            if user is not None and user.id not in people:
                people[user.id] = {"id": user.id, "name": user.full_name, "capacity": 0}
    if inspector_id is not None:
        people = {k: e for k, e in people.items() if k == inspector_id}
    by_cell: dict[tuple[int, date], list[PlannedVisit]] = defaultdict(list)
    for v in plan.visits:
        for i in v.inspector_ids:
            by_cell[(i, v.planned_on)].append(v)
    weeks: list[CalendarWeek] = []
    start = plan.period_start - timedelta(days=plan.period_start.weekday())
    while start <= plan.period_end:
        all_days = [start + timedelta(days=n) for n in range(7)]
        used_weekend = any(by_cell.get((i, d)) for i in people for d in all_days[5:])
        days = tuple(d for d in all_days if (d.weekday() < 5 or used_weekend))
        rows = tuple((entry, tuple(tuple(sorted(by_cell.get((pid, d), []), key=lambda v: v.sequence)) for d in days))
                     for pid, entry in sorted(people.items(), key=lambda item: item[1]["name"]))
        count = len({v.id for _e, cells in rows for cell in cells for v in cell})
        weeks.append(CalendarWeek(start, days, rows, count))
        start += timedelta(days=7)
    return weeks


__all__ = [
    "DEFAULT_CAPACITY_PER_WEEK", "ComputedPlan", "PlanningError", "RiskScore", "add_visit", "as_engine_plan",
    "calendar", "compute_plan", "delete_plan", "export_csv", "export_ical", "fix_plan", "inspectors_of",
    "move_visit", "propose", "remove_visit", "weeks_between",
]
