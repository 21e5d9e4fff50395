"""Inspection planner: a period, the inspectors' capacity and the locations in, a proposed plan out.

Rules, in order of precedence:

1. Overdue locations first, always (past their maximum interval, or never inspected).
2. Then every location whose maximum interval ends inside the period. Each gets a reserved
   latest day on or before its deadline (backward scheduling); overdue locations fill all other
   slots first, and a due location is pulled ahead of them only on its reserved day, so overdue
   ones come first wherever that does not make another location late.
3. Then other high-risk locations (``risk_threshold``) while capacity lasts.
   Within a group the highest risk wins when capacity is short.
4. Sex businesses are checked by two inspectors together (domain.md §3.8): such a visit uses one
   slot of each of two inspectors on the same day.
5. Nearby locations go on the same day where possible: each inspector-day starts at the most
   urgent location left and continues with the nearest remaining locations of the same urgency
   group within ``cluster_radius_km`` (haversine on lat/lon; same PC4 when coordinates are missing).

Which locations get a visit is decided before the days are arranged, strictly by rule 1-3 order,
so clustering only changes *when* a location is visited, never *whether*.

Edge cases: a period shorter than a week or ending before today raises :class:`PlanningError`,
as do duplicate ids and negative capacity (input errors). No inspectors, or zero capacity, is a
legitimate situation (everyone on leave): the result is an empty plan that lists every location
that needed a visit as unplanned ("onvoldoende capaciteit") plus a Dutch warning, so the overdue
locations stay visible. The output is deterministic: input order does not matter.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import IntEnum
from types import MappingProxyType

from screening.planning.geo import GridIndex, approx_km, haversine_km
from screening.planning.risk import DEFAULT_WEIGHTS, LocationFacts, RiskScore, RiskWeights, score_location

#: Locations within this distance of the previous visit are grouped onto the same inspector-day.
DEFAULT_CLUSTER_RADIUS_KM = 10.0
#: Locations that are not due are only planned from this final risk score up (band "Hoog" is 60).
DEFAULT_RISK_THRESHOLD = 50
#: A not-due location inspected this recently is not proposed again for risk alone.
DEFAULT_MIN_DAYS_BETWEEN_VISITS = 28
#: Grid cell size for the nearest-neighbour search.
GRID_CELL_KM = 2.0
#: Stand-in distance for two locations in the same PC4 area without coordinates.
SAME_PC4_KM = 2.0

REASON_CAPACITY = "onvoldoende capaciteit"
REASON_TWO_PERSON = "onvoldoende capaciteit: controle seksbedrijf vereist twee toezichthouders op dezelfde dag"

_WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


class PlanningError(ValueError):
    """The planning request itself is invalid; the message is Dutch and meant for the user."""


class Urgency(IntEnum):
    """Why a location is on the plan; lower is more urgent."""

    OVERDUE = 0
    DUE = 1
    RISK = 2

    @property
    def label(self) -> str:
        return ("Achterstallig", "Binnen interval", "Hoog risico")[self]


@dataclass(frozen=True, slots=True)
class Inspector:
    """A toezichthouder with a weekly capacity; ``workdays`` use Monday = 0 .. Sunday = 6."""

    inspector_id: str
    name: str
    inspections_per_week: int
    workdays: frozenset[int] = frozenset(range(5))
    unavailable_on: frozenset[date] = frozenset()
    email: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        object.__setattr__(self, "unavailable_on", frozenset(self.unavailable_on))
        if not self.inspector_id:
            raise PlanningError("Een toezichthouder heeft een id nodig.")
        if self.inspections_per_week < 0:
            raise PlanningError(f"Toezichthouder {self.name}: het aantal controles per week kan niet negatief zijn.")
        if not self.workdays <= frozenset(range(7)):
            raise PlanningError(f"Toezichthouder {self.name}: werkdagen zijn 0 (maandag) t/m 6 (zondag).")


@dataclass(frozen=True, slots=True)
class Visit:
    location_id: str
    date: date
    inspector_ids: tuple[str, ...]
    reason: str
    name: str
    address: str
    score: int
    urgency: Urgency
    due_on: date | None
    sequence: int

    @property
    def is_late(self) -> bool:
        """Planned after the last day of the location's maximum interval."""
        return self.due_on is not None and self.date > self.due_on


@dataclass(frozen=True, slots=True)
class Unplanned:
    location_id: str
    name: str
    reason: str
    urgency: Urgency
    score: int
    due_on: date | None


@dataclass(frozen=True, slots=True)
class Plan:
    period_start: date
    period_end: date
    visits: tuple[Visit, ...]
    unplanned: tuple[Unplanned, ...]
    warnings: tuple[str, ...]
    inspectors: tuple[Inspector, ...]
    capacity: int
    used_capacity: int
    not_due: tuple[str, ...]
    scores: Mapping[str, RiskScore] = field(compare=False, repr=False)

    def visits_on(self, day: date) -> tuple[Visit, ...]:
        return tuple(v for v in self.visits if v.date == day)

    def visits_for(self, inspector_id: str) -> tuple[Visit, ...]:
        return tuple(v for v in self.visits if inspector_id in v.inspector_ids)

    def inspector(self, inspector_id: str) -> Inspector:
        for i in self.inspectors:
            if i.inspector_id == inspector_id:
                return i
        raise KeyError(inspector_id)


@dataclass(slots=True, eq=False)  # identity semantics: entries are dict keys
class _Entry:
    facts: LocationFacts
    score: RiskScore
    urgency: Urgency
    due_on: date | None
    cost: int
    rank: int = 0  # position in its urgency group's seed order
    assigned: bool = False


def _classify(
    facts: LocationFacts,
    score: RiskScore,
    *,
    period_start: date,
    period_end: date,
    today: date,
    risk_threshold: int,
    min_days_between_visits: int,
) -> Urgency | None:
    due = facts.due_on
    if due is None or due < period_start:
        return Urgency.OVERDUE
    if due <= period_end:
        return Urgency.DUE
    recent = facts.last_inspection_on is not None and (today - facts.last_inspection_on).days < min_days_between_visits
    if score.final >= risk_threshold and not recent:
        return Urgency.RISK
    return None


def _reason(entry: _Entry) -> str:
    f, due = entry.facts, entry.due_on
    suffix = "" if f.has_permit else "; geen vergunning (vermoedelijke locatie)"
    if entry.urgency is Urgency.OVERDUE:
        if f.last_inspection_on is None:
            return "Nog nooit gecontroleerd" + suffix
        return (
            f"Achterstallig: uiterste controledatum {due.isoformat()} verstreken (max. {f.interval_days} dagen)"
            + suffix
        )
    if entry.urgency is Urgency.DUE:
        return f"Controle uiterlijk {due.isoformat()} (max. {f.interval_days} dagen)" + suffix
    return f"Hoog risico (score {entry.score.final})" + suffix


def _selection_key(e: _Entry) -> tuple:
    # Which locations fit: urgency group first, then highest risk, then earliest deadline.
    return (e.urgency, -e.score.final, e.due_on or date.min, e.facts.location_id)


def _arrangement_key(e: _Entry) -> tuple:
    # In which order seeds are planned: overdue by risk; due-in-period by deadline (EDF keeps
    # deadlines feasible), then risk; high-risk by risk.
    if e.urgency is Urgency.DUE:
        return (e.due_on, -e.score.final, e.facts.location_id)
    return (-e.score.final, e.due_on or date.min, e.facts.location_id)


class _Group:
    """Unassigned selected entries of one urgency group, with a seed order and spatial lookups."""

    def __init__(self, entries: list[_Entry], cell_km: float) -> None:
        self.seeds = sorted(entries, key=_arrangement_key)
        for rank, e in enumerate(self.seeds):
            e.rank = rank
        self.pointer = 0
        self.left = len(self.seeds)
        # Cells smaller than the radius: the ring search then touches few points per lookup.
        self.grid = GridIndex(min(cell_km, GRID_CELL_KM))
        self.by_pc4: defaultdict[str, set[int]] = defaultdict(set)
        for e in self.seeds:
            if e.facts.lat is not None:
                self.grid.add(e.rank, e.facts.lat, e.facts.lon)
            if e.facts.postcode4:
                self.by_pc4[e.facts.postcode4].add(e.rank)

    def remove(self, e: _Entry) -> None:
        e.assigned = True
        self.left -= 1
        self.grid.discard(e.rank)
        if e.facts.postcode4:
            self.by_pc4[e.facts.postcode4].discard(e.rank)

    def first_feasible(self, feasible) -> _Entry | None:
        while self.pointer < len(self.seeds) and self.seeds[self.pointer].assigned:
            self.pointer += 1
        for k in range(self.pointer, len(self.seeds)):
            e = self.seeds[k]
            if not e.assigned and feasible(e):
                return e
        return None

    def nearest(self, origin: LocationFacts, radius_km: float, feasible) -> tuple[_Entry, float] | None:
        """Nearest feasible entry within *radius_km* of *origin*, ties broken by priority rank.

        Searches the grid ring by ring and stops once no unseen cell can hold anything closer.
        """
        best: tuple[float, int] | None = None
        if origin.lat is not None:
            cos_lat = math.cos(math.radians(origin.lat))
            cell = self.grid.cell_km
            max_ring = math.ceil(radius_km / cell) + 1
            for r in range(max_ring + 1):
                for rank in self.grid.ring(origin.lat, origin.lon, r):
                    e = self.seeds[rank]
                    d = approx_km(origin.lat, origin.lon, e.facts.lat, e.facts.lon, cos_lat)
                    if d <= radius_km and (best is None or (d, rank) < best) and feasible(e):
                        best = (d, rank)
                # Cells in ring r+1 are at least r cells away (0.9: slack for the longitude scaling).
                if best is not None and best[0] <= 0.9 * r * cell:
                    break
        if origin.postcode4:
            for rank in self.by_pc4.get(origin.postcode4, ()):
                e = self.seeds[rank]
                if origin.lat is not None and e.facts.lat is not None:
                    continue  # measured exactly above
                d = SAME_PC4_KM
                if d <= radius_km and (best is None or (d, rank) < best) and feasible(e):
                    best = (d, rank)
        if best is None:
            return None
        return self.seeds[best[1]], best[0]


def _period_days(first_day: date, period_end: date, closed_on: Collection[date]) -> list[date]:
    days, day = [], first_day
    while day <= period_end:
        if day not in closed_on:
            days.append(day)
        day += timedelta(days=1)
    return days


def propose_plan(
    locations: Iterable[LocationFacts],
    inspectors: Sequence[Inspector],
    period_start: date,
    weeks: int,
    *,
    today: date,
    closed_on: Collection[date] = frozenset(),
    scores: Mapping[str, RiskScore] | None = None,
    weights: RiskWeights = DEFAULT_WEIGHTS,
    cluster_radius_km: float = DEFAULT_CLUSTER_RADIUS_KM,
    risk_threshold: int = DEFAULT_RISK_THRESHOLD,
    min_days_between_visits: int = DEFAULT_MIN_DAYS_BETWEEN_VISITS,
) -> Plan:
    """Propose an inspection plan for *weeks* weeks from *period_start* (see the module docstring).

    ``closed_on`` are days nobody works (public holidays); ``scores`` may carry precomputed
    scores by location id (otherwise :func:`score_location` is applied on *today*).
    """
    if weeks < 1:
        raise PlanningError(
            "De planperiode moet minstens één week beslaan: een periode die eindigt vóór de begindatum "
            "kan niet worden gepland."
        )
    if cluster_radius_km <= 0:
        raise PlanningError("De clusterafstand moet groter dan 0 km zijn.")
    period_end = period_start + timedelta(days=7 * weeks - 1)
    if period_end < today:
        raise PlanningError(
            f"De planperiode ({period_start.isoformat()} t/m {period_end.isoformat()}) ligt in het verleden."
        )
    facts_list = sorted(locations, key=lambda f: f.location_id)
    _require_unique([f.location_id for f in facts_list], "locatie")
    staff = tuple(sorted(inspectors, key=lambda i: i.inspector_id))
    _require_unique([i.inspector_id for i in staff], "toezichthouder")

    warnings: list[str] = []
    first_day = max(period_start, today)
    if first_day > period_start:
        warnings.append(f"De periode is al begonnen: er wordt gepland vanaf {first_day.isoformat()}.")

    score_map: dict[str, RiskScore] = {}
    entries: list[_Entry] = []
    not_due: list[str] = []
    for f in facts_list:
        score = (scores or {}).get(f.location_id) or score_location(f, today=today, weights=weights)
        score_map[f.location_id] = score
        urgency = _classify(
            f,
            score,
            period_start=first_day,
            period_end=period_end,
            today=today,
            risk_threshold=risk_threshold,
            min_days_between_visits=min_days_between_visits,
        )
        if urgency is None:
            not_due.append(f.location_id)
        else:
            entries.append(_Entry(f, score, urgency, f.due_on, f.permit_type.team_size))

    # --- capacity: each inspector's weekly number spread evenly over their working days of that week.
    days = _period_days(first_day, period_end, frozenset(closed_on))
    day_slots = _day_slots(staff, days, period_start)
    capacity = sum(day_slots.values())
    if not staff:
        warnings.append("Geen toezichthouders opgegeven: er kan niets worden ingepland.")
    elif capacity == 0:
        warnings.append("De toezichthouders hebben in deze periode geen capaciteit (0 controles).")
    # Two-person visits need a day with two inspectors who both have capacity.
    on_duty: defaultdict[date, int] = defaultdict(int)
    for (_n, d), k in day_slots.items():
        if k > 0:
            on_duty[d] += 1
    pair_days = {d for d, count in on_duty.items() if count >= 2}

    # --- selection: strictly by urgency, then risk (clustering must never displace a more urgent location).
    unplanned: list[Unplanned] = []
    selected: list[_Entry] = []
    remaining = capacity
    for e in sorted(entries, key=_selection_key):
        if e.cost == 2 and not pair_days:
            unplanned.append(_unplanned(e, REASON_TWO_PERSON))
        elif e.cost <= remaining:
            selected.append(e)
            remaining -= e.cost
        else:
            unplanned.append(_unplanned(e, REASON_CAPACITY))

    # --- deadlines: reserve for each selected due location the latest day on or before its deadline
    # (backward scheduling). Overdue locations take every other slot first; a due location is
    # pulled in ahead of them only on its reserved day, so it stays within its maximum interval.
    latest = _reserve_latest_days(
        [e for e in selected if e.urgency is Urgency.DUE], days, day_slots, pair_days, len(staff)
    )
    must_from: defaultdict[date, list[_Entry]] = defaultdict(list)
    for e, day in latest.items():
        must_from[day].append(e)

    # --- arrangement: day by day, inspector by inspector, nearest-neighbour within the urgency group.
    groups = {u: _Group([e for e in selected if e.urgency is u], cluster_radius_km) for u in Urgency}
    visits: list[Visit] = []
    must: list[_Entry] = []
    for day in days:
        if not any(g.left for g in groups.values()):
            break
        must = [e for e in must if not e.assigned] + must_from.get(day, [])
        slots = {n: day_slots.get((n, day), 0) for n in range(len(staff)) if day_slots.get((n, day), 0) > 0}
        position: dict[int, LocationFacts] = {}
        sequence = 0  # creation order within the day = each inspector's route order
        for n in sorted(slots):
            while slots[n] > 0:
                pick = _pick(n, slots, position, groups, must, cluster_radius_km)
                if pick is None:
                    break
                entry, team = pick
                groups[entry.urgency].remove(entry)
                for m in team:
                    slots[m] -= 1
                    position[m] = entry.facts
                sequence += 1
                visits.append(
                    Visit(
                        location_id=entry.facts.location_id,
                        date=day,
                        inspector_ids=tuple(staff[m].inspector_id for m in team),
                        reason=_reason(entry),
                        name=entry.facts.name,
                        address=entry.facts.address,
                        score=entry.score.final,
                        urgency=entry.urgency,
                        due_on=entry.due_on,
                        sequence=sequence,
                    )
                )
    for e in selected:
        if not e.assigned:
            unplanned.append(_unplanned(e, REASON_TWO_PERSON if e.cost == 2 else REASON_CAPACITY))

    visits.sort(key=lambda v: (v.date, v.inspector_ids, v.sequence, v.location_id))
    unplanned.sort(key=lambda u: (u.urgency, -u.score, u.location_id))
    warnings += _summary_warnings(visits, unplanned, facts_list)
    return Plan(
        period_start=period_start,
        period_end=period_end,
        visits=tuple(visits),
        unplanned=tuple(unplanned),
        warnings=tuple(warnings),
        inspectors=staff,
        capacity=capacity,
        used_capacity=sum(len(v.inspector_ids) for v in visits),
        not_due=tuple(not_due),
        scores=MappingProxyType(score_map),
    )


def _day_slots(staff: Sequence[Inspector], days: list[date], period_start: date) -> dict[tuple[int, date], int]:
    """Slots per (inspector index, day): the weekly number spread evenly, remainder on the first days."""
    slots: dict[tuple[int, date], int] = {}
    for n, insp in enumerate(staff):
        by_week: defaultdict[int, list[date]] = defaultdict(list)
        for d in days:
            if d.weekday() in insp.workdays and d not in insp.unavailable_on:
                by_week[(d - period_start).days // 7].append(d)
        for week_days in by_week.values():
            base, extra = divmod(insp.inspections_per_week, len(week_days))
            for k, d in enumerate(sorted(week_days)):
                if base + (k < extra):
                    slots[(n, d)] = base + (k < extra)
    return slots


def _reserve_latest_days(
    due: list[_Entry],
    days: list[date],
    day_slots: Mapping[tuple[int, date], int],
    pair_days: Collection[date],
    staff_count: int,
) -> dict[_Entry, date]:
    """Backward scheduling: latest day with free capacity on or before each deadline, latest deadlines first.

    A location that cannot be reserved in time gets the first day (it will be late; the plan warns).
    """
    free = {d: sum(day_slots.get((n, d), 0) for n in range(staff_count)) for d in days}
    out: dict[_Entry, date] = {}
    for e in sorted(due, key=lambda e: (e.due_on, e.score.final, e.facts.location_id), reverse=True):
        k = bisect_right(days, e.due_on) - 1
        while k >= 0:
            d = days[k]
            if free[d] >= e.cost and (e.cost == 1 or d in pair_days):
                free[d] -= e.cost
                out[e] = d
                break
            k -= 1
        else:
            out[e] = days[0] if days else e.due_on
    return out


def _require_unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise PlanningError(f"Dubbele {what}-id '{i}' in de invoer.")
        seen.add(i)


def _unplanned(e: _Entry, reason: str) -> Unplanned:
    return Unplanned(e.facts.location_id, e.facts.name, reason, e.urgency, e.score.final, e.due_on)


def _pick(
    n: int,
    slots: dict[int, int],
    position: dict[int, LocationFacts],
    groups: dict[Urgency, _Group],
    must: list[_Entry],
    radius_km: float,
) -> tuple[_Entry, tuple[int, ...]] | None:
    """Next location for inspector *n* today, and the team (n plus a partner for two-person visits).

    Order: due locations whose reserved (latest) day is today come first in the day overall (see
    the inline rule); otherwise the nearest location of the most urgent group within the radius;
    else that group's next seed.
    """
    has_partner = any(m != n and s > 0 for m, s in slots.items())

    def feasible(e: _Entry) -> bool:
        return e.cost == 1 or has_partner

    entry: _Entry | None = None
    pending = [e for e in must if not e.assigned and feasible(e)]
    here = position.get(n)
    active = [u for u in Urgency if groups[u].left]
    if pending:
        # Reserved visits must happen today. Take one now when starting the day (it anchors the
        # route) or when the inspectors after this one could not absorb the rest; otherwise take
        # one only when it is nearer than the nearest ordinary candidate.
        nearest_must = min(pending, key=lambda e: (_distance(here, e.facts), e.due_on, e.rank))
        later = sum(s for m, s in slots.items() if m > n)
        if here is None or sum(e.cost for e in pending) >= later:
            entry = nearest_must
        else:
            # A two-person visit would also use a later inspector's slot that a reserved visit may need.
            found = groups[active[0]].nearest(here, radius_km, lambda e: e.cost == 1) if active else None
            entry = nearest_must if found is None or _distance(here, nearest_must.facts) <= found[1] else found[0]
    else:
        if not active:
            return None
        if here is not None:
            found = groups[active[0]].nearest(here, radius_km, feasible)
            entry = found[0] if found else None
        if entry is None:
            # Fall through to the next group only when nothing in the more urgent one can be done today.
            for u in active:
                entry = groups[u].first_feasible(feasible)
                if entry is not None:
                    break
    if entry is None:
        return None
    if entry.cost == 1:
        return entry, (n,)
    partner = min(
        (m for m, s in slots.items() if m != n and s > 0),
        key=lambda m: (_distance(position.get(m), entry.facts), -slots[m], m),
    )
    return entry, tuple(sorted((n, partner)))


def _distance(a: LocationFacts | None, b: LocationFacts) -> float:
    if a is None or a.lat is None or b.lat is None:
        return 0.0
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _summary_warnings(visits: list[Visit], unplanned: list[Unplanned], facts: list[LocationFacts]) -> list[str]:
    warnings: list[str] = []
    overdue = [u for u in unplanned if u.urgency is Urgency.OVERDUE]
    due = [u for u in unplanned if u.urgency is Urgency.DUE]
    two = [u for u in unplanned if u.reason == REASON_TWO_PERSON]
    # Overdue visits are late by definition; warn about the ones this plan makes late.
    late = [v for v in visits if v.urgency is Urgency.DUE and v.is_late]
    if overdue:
        warnings.append(f"{len(overdue)} achterstallige locatie(s) passen niet in de capaciteit van deze periode.")
    if due:
        warnings.append(
            f"{len(due)} locatie(s) bereiken in deze periode hun maximale controle-interval maar passen niet "
            "in de capaciteit."
        )
    if two:
        warnings.append(
            f"{len(two)} controle(s) van seksbedrijven niet ingepland: daarvoor zijn twee toezichthouders "
            "op dezelfde dag nodig (domain.md §3.8)."
        )
    if late:
        warnings.append(f"{len(late)} controle(s) gepland na de uiterste controledatum.")
    unlocated = sum(1 for f in facts if f.lat is None and not f.postcode4)
    if unlocated:
        warnings.append(f"{unlocated} locatie(s) zonder coördinaten of postcode: niet geclusterd op afstand.")
    overrides = sum(1 for f in facts if f.override is not None)
    if overrides:
        warnings.append(f"{overrides} risicoscore(s) handmatig aangepast; de reden staat bij de locatie.")
    return warnings


def same_day_distances_km(plan: Plan, locations: Iterable[LocationFacts]) -> tuple[float, ...]:
    """Distances between consecutive visits of each inspector on each day (for benchmarks and the UI)."""
    where = {f.location_id: f for f in locations}
    routes: defaultdict[tuple[str, date], list[Visit]] = defaultdict(list)
    for v in plan.visits:
        for i in v.inspector_ids:
            routes[(i, v.date)].append(v)
    out: list[float] = []
    for key in sorted(routes):
        stops = [where[v.location_id] for v in sorted(routes[key], key=lambda v: v.sequence)]
        for a, b in zip(stops, stops[1:], strict=False):
            if a.lat is not None and b.lat is not None:
                out.append(haversine_km(a.lat, a.lon, b.lat, b.lon))
    return tuple(out)


def weekday_nl(day: date) -> str:
    return _WEEKDAYS_NL[day.weekday()]
