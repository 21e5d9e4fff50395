"""Benchmark the inspection planner against a naive baseline: ``python -m benchmarks.planning``.

Scenario: 10,000 synthetic locations spread over Drenthe (clustered around the twelve municipal
centres, plus a rural spread), planned for one quarter (13 weeks) with 12, 25 and 40 inspectors.

Baseline ("naief"): sort every location by risk score only and fill the days inspector by
inspector, without urgency groups, deadlines or clustering; two-person visits take the next
inspector with capacity. It shows what the planner's rules buy: overdue coverage, deadlines met
and shorter same-day distances, at the cost of some time.

Options: ``--locations N``, ``--weeks W``, ``--inspectors 12,25,40``, ``--per-week K``, ``--seed S``.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from screening.planning import (
    DEFAULT_MAX_INTERVAL_DAYS,
    BibobOutcome,
    Inspector,
    LocationFacts,
    PermitType,
    Plan,
    PriorityOverride,
    propose_plan,
    same_day_distances_km,
    score_location,
)
from screening.planning.planner import REASON_CAPACITY, Unplanned, Urgency, Visit
from screening.planning.risk import NO_PERMIT_MAX_INTERVAL_DAYS

TODAY = date(2025, 3, 28)
PERIOD_START = date(2025, 3, 31)  # a Monday

#: Approximate centres of the twelve Drenthe municipalities (main town), for synthetic clustering.
CENTRES = (
    (52.993, 6.562),  # Assen
    (52.785, 6.897),  # Emmen
    (52.724, 6.476),  # Hoogeveen
    (52.696, 6.194),  # Meppel
    (52.661, 6.741),  # Coevorden
    (52.923, 6.794),  # Borger-Odoorn
    (53.003, 6.765),  # Aa en Hunze (Gieten)
    (52.862, 6.514),  # Midden-Drenthe (Beilen)
    (53.138, 6.430),  # Noordenveld (Roden)
    (53.093, 6.684),  # Tynaarlo (Zuidlaren)
    (52.849, 6.318),  # Westerveld (Diever)
    (52.668, 6.430),  # De Wolden (Zuidwolde)
)


def make_locations(n: int, seed: int) -> list[LocationFacts]:
    rng = random.Random(seed)
    out: list[LocationFacts] = []
    for k in range(n):
        if rng.random() < 0.7:
            clat, clon = rng.choice(CENTRES)
            lat = clat + rng.gauss(0, 0.035)
            lon = clon + rng.gauss(0, 0.055)
        else:
            lat, lon = rng.uniform(52.62, 53.18), rng.uniform(6.15, 7.05)
        roll = rng.random()
        kind = (
            PermitType.SEKSBEDRIJF
            if roll < 0.04
            else PermitType.ESCORTBEDRIJF
            if roll < 0.05
            else PermitType.HUISVESTING_AM
            if roll < 0.90
            else PermitType.OVERIG
        )
        has_permit = rng.random() > 0.06
        permitted = rng.randint(4, 40) if kind is PermitType.HUISVESTING_AM else None
        occupancy = None if permitted is None else max(0, permitted + rng.randint(-6, 8))
        # Last inspections spread over 1.25 maximum intervals: about a fifth overdue, 5 % never inspected.
        interval = NO_PERMIT_MAX_INTERVAL_DAYS if not has_permit else DEFAULT_MAX_INTERVAL_DAYS[kind]
        last = None if rng.random() < 0.05 else TODAY - timedelta(days=rng.randint(1, int(interval * 1.25)))
        override = PriorityOverride(15, "Tip van de wijkagent") if rng.random() < 0.01 else None
        out.append(
            LocationFacts(
                location_id=f"LOC-{k:05d}",
                name=f"Locatie {k}",
                permit_type=kind,
                has_permit=has_permit,
                address=f"Dorpsstraat {k % 200 + 1}, Drenthe",
                lat=lat,
                lon=lon,
                bibob_outcome=rng.choice(list(BibobOutcome)),
                confirmed_register_hits=rng.choice((0, 0, 0, 0, 1, 2)),
                recent_violations=rng.choice((0, 0, 0, 1, 2, 3)),
                open_enforcement_measures=rng.choice((0, 0, 0, 0, 1)),
                open_signal_weights=tuple(rng.choice((1, 2, 3)) for _ in range(rng.choice((0, 0, 0, 0, 1, 2)))),
                occupancy=occupancy,
                permitted_occupancy=permitted,
                last_inspection_on=last,
                override=override,
            )
        )
    return out


def make_inspectors(count: int, per_week: int) -> list[Inspector]:
    return [
        Inspector(
            f"T{k:02d}",
            f"Toezichthouder {k}",
            per_week,
            # Every fourth inspector works four days.
            workdays=frozenset(range(4)) if k % 4 == 3 else frozenset(range(5)),
        )
        for k in range(count)
    ]


def naive_plan(
    locations: Sequence[LocationFacts], inspectors: Sequence[Inspector], period_start: date, weeks: int, *, today: date
) -> Plan:
    """Baseline: highest score first, days filled in inspector order, no urgency groups, no clustering."""
    scores = {f.location_id: score_location(f, today=today) for f in locations}
    queue = sorted(locations, key=lambda f: (-scores[f.location_id].final, f.location_id))
    staff = sorted(inspectors, key=lambda i: i.inspector_id)
    visits: list[Visit] = []
    pointer = 0
    weekly = {}
    for offset in range(7 * weeks):
        day = period_start + timedelta(days=offset)
        week = offset // 7
        slots = {}
        for i in staff:
            if day.weekday() in i.workdays:
                left = weekly.setdefault((i.inspector_id, week), i.inspections_per_week)
                slots[i.inspector_id] = min(left, math.ceil(i.inspections_per_week / len(i.workdays)))
        for i in staff:
            while slots.get(i.inspector_id, 0) > 0 and pointer < len(queue):
                f = queue[pointer]
                team = [i.inspector_id]
                if f.permit_type.team_size == 2:
                    partner = next((j for j, s in slots.items() if j != i.inspector_id and s > 0), None)
                    if partner is None:
                        break
                    team.append(partner)
                pointer += 1
                for t in team:
                    slots[t] -= 1
                    weekly[(t, week)] -= 1
                urgency = Urgency.OVERDUE if f.due_on is None or f.due_on < period_start else Urgency.DUE
                visits.append(
                    Visit(
                        f.location_id,
                        day,
                        tuple(sorted(team)),
                        "risico",
                        f.name,
                        f.address,
                        scores[f.location_id].final,
                        urgency,
                        f.due_on,
                        len(visits),
                    )
                )
    unplanned = tuple(
        Unplanned(f.location_id, f.name, REASON_CAPACITY, Urgency.RISK, scores[f.location_id].final, f.due_on)
        for f in queue[pointer:]
    )
    return Plan(
        period_start,
        period_start + timedelta(days=7 * weeks - 1),
        tuple(visits),
        unplanned,
        (),
        tuple(staff),
        0,
        0,
        (),
        scores,
    )


def measure(fn: Callable[[], Plan]) -> tuple[Plan, float, float]:
    """Wall time of a clean run, then peak traced memory of a second run (tracemalloc slows code down)."""
    started = time.perf_counter()
    plan = fn()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return plan, elapsed, peak / 2**20


def evaluate(plan: Plan, locations: Sequence[LocationFacts], period_start: date, period_end: date) -> dict[str, str]:
    visited = {v.location_id: v for v in plan.visits}
    overdue = [f for f in locations if f.due_on is None or f.due_on < period_start]
    due = [f for f in locations if f.due_on is not None and period_start <= f.due_on <= period_end]
    overdue_hit = sum(1 for f in overdue if f.location_id in visited)
    due_in_time = sum(1 for f in due if f.location_id in visited and visited[f.location_id].date <= f.due_on)
    distances = same_day_distances_km(plan, locations)
    return {
        "visits": f"{len(plan.visits)}",
        "slots": f"{sum(len(v.inspector_ids) for v in plan.visits)}",
        "overdue": f"{overdue_hit}/{len(overdue)}",
        "due_in_time": f"{due_in_time}/{len(due)}",
        "distance": f"{statistics.fmean(distances):.1f}" if distances else "-",
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locations", type=int, default=10_000)
    parser.add_argument("--weeks", type=int, default=13)
    parser.add_argument("--inspectors", default="12,25,40")
    parser.add_argument("--per-week", type=int, default=12)
    parser.add_argument("--seed", type=int, default=20250331)
    args = parser.parse_args(argv)

    locations = make_locations(args.locations, args.seed)
    period_end = PERIOD_START + timedelta(days=7 * args.weeks - 1)
    print(
        f"Inspectieplanning: {args.locations} locaties, {args.weeks} weken vanaf {PERIOD_START}, "
        f"{args.per_week} controles per toezichthouder per week"
    )
    header = (
        f"{'toezichth.':>10} {'capaciteit':>10} {'methode':<8} {'tijd (s)':>9} {'geheugen (MB)':>14} "
        f"{'bezoeken':>9} {'plaatsen':>9} "
        f"{'achterstallig gedekt':>21} {'op tijd (interval)':>19} {'gem. afstand zelfde dag (km)':>29}"
    )
    print(header)
    print("-" * len(header))
    for count in (int(c) for c in args.inspectors.split(",")):
        inspectors = make_inspectors(count, args.per_week)
        capacity = args.per_week * count * args.weeks  # inspector-slots; a two-person visit uses two
        runs = (
            ("planner", propose_plan),
            ("naief", naive_plan),
        )
        for label, fn in runs:
            plan, elapsed, peak = measure(
                lambda fn=fn, staff=inspectors: fn(locations, staff, PERIOD_START, args.weeks, today=TODAY)
            )
            stats = evaluate(plan, locations, PERIOD_START, period_end)
            print(
                f"{count:>10} {capacity:>10} {label:<8} {elapsed:>9.2f} {peak:>14.1f} {stats['visits']:>9} "
                f"{stats['slots']:>9} "
                f"{stats['overdue']:>21} {stats['due_in_time']:>19} {stats['distance']:>29}"
            )


if __name__ == "__main__":
    main()
