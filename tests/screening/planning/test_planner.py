"""The inspection planner: capacity edge cases, overdue first, deadlines, two-person visits, clustering."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from screening.planning import (
    BibobOutcome,
    Inspector,
    LocationFacts,
    PermitType,
    PlanningError,
    PriorityOverride,
    Urgency,
    propose_plan,
    same_day_distances_km,
)
from screening.planning.geo import haversine_km
from screening.planning.planner import REASON_CAPACITY, REASON_TWO_PERSON

TODAY = date(2025, 3, 28)  # a Friday
MONDAY = date(2025, 3, 31)
ASSEN = (52.993, 6.562)
EMMEN = (52.785, 6.897)


def loc(location_id: str, *, days_ago: int | None = 400, near=ASSEN, offset: float = 0.0, **kwargs) -> LocationFacts:
    """A Wgv location; ``days_ago=400`` makes it overdue (interval 365), ``None`` never inspected."""
    values = {
        "location_id": location_id,
        "name": f"Locatie {location_id}",
        "permit_type": PermitType.HUISVESTING_AM,
        "bibob_outcome": BibobOutcome.GEEN,
        "address": f"Straat {location_id}",
        "lat": near[0] + offset,
        "lon": near[1] + offset,
        "last_inspection_on": None if days_ago is None else TODAY - timedelta(days=days_ago),
    }
    values.update(kwargs)
    return LocationFacts(**values)


def inspector(inspector_id: str, per_week: int = 5, **kwargs) -> Inspector:
    return Inspector(inspector_id, f"Toezichthouder {inspector_id}", per_week, **kwargs)


# --- input errors and empty capacity ---------------------------------------------------------


@pytest.mark.parametrize("weeks", [0, -1])
def test_period_ending_before_it_starts_is_an_error(weeks):
    with pytest.raises(PlanningError, match="minstens één week"):
        propose_plan([loc("A")], [inspector("T1")], MONDAY, weeks, today=TODAY)


def test_period_in_the_past_is_an_error():
    with pytest.raises(PlanningError, match="ligt in het verleden"):
        propose_plan([loc("A")], [inspector("T1")], date(2025, 1, 6), 2, today=TODAY)


def test_duplicate_ids_are_an_error():
    with pytest.raises(PlanningError, match="Dubbele locatie-id 'A'"):
        propose_plan([loc("A"), loc("A")], [inspector("T1")], MONDAY, 1, today=TODAY)
    with pytest.raises(PlanningError, match="Dubbele toezichthouder-id"):
        propose_plan([loc("A")], [inspector("T1"), inspector("T1")], MONDAY, 1, today=TODAY)


def test_negative_capacity_is_an_error():
    with pytest.raises(PlanningError, match="niet negatief"):
        inspector("T1", per_week=-1)


def test_no_inspectors_gives_an_empty_plan_with_warning():
    plan = propose_plan([loc("A"), loc("B", days_ago=10)], [], MONDAY, 4, today=TODAY)
    assert plan.visits == ()
    assert plan.capacity == 0
    assert [(u.location_id, u.reason) for u in plan.unplanned] == [("A", REASON_CAPACITY)]
    assert plan.not_due == ("B",)
    assert any("Geen toezichthouders" in w for w in plan.warnings)
    assert any("achterstallige" in w for w in plan.warnings)


def test_zero_capacity_gives_an_empty_plan_with_warning():
    staff = [
        inspector("T1", per_week=0),
        inspector("T2", unavailable_on=frozenset(MONDAY + timedelta(d) for d in range(7))),
    ]
    plan = propose_plan([loc("A")], staff, MONDAY, 1, today=TODAY)
    assert plan.visits == ()
    assert plan.unplanned[0].reason == "onvoldoende capaciteit"
    assert any("geen capaciteit" in w for w in plan.warnings)


# --- capacity ---------------------------------------------------------------------------------


def test_more_locations_than_capacity_keeps_the_highest_risk():
    locations = [loc(f"L{k:02d}", recent_violations=k % 4, offset=k * 0.001) for k in range(20)]
    plan = propose_plan(locations, [inspector("T1", per_week=5)], MONDAY, 1, today=TODAY)
    assert len(plan.visits) == plan.capacity == plan.used_capacity == 5
    assert len(plan.unplanned) == 15
    assert all(u.reason == REASON_CAPACITY for u in plan.unplanned)
    planned = {v.location_id for v in plan.visits}
    worst_unplanned = max(u.score for u in plan.unplanned)
    assert all(plan.scores[i].final >= worst_unplanned for i in planned)


def test_weekly_capacity_workdays_and_closed_days_are_respected():
    holiday = MONDAY + timedelta(days=21)  # a Monday in week 4
    staff = [
        inspector("T1", per_week=3, workdays=frozenset({0, 2, 4})),
        inspector("T2", per_week=4, unavailable_on=frozenset({MONDAY + timedelta(days=1)})),
    ]
    locations = [loc(f"L{k:02d}", offset=k * 0.002) for k in range(60)]
    plan = propose_plan(locations, staff, MONDAY, 4, today=TODAY, closed_on={holiday})
    per_week = Counter(((v.date - MONDAY).days // 7, i) for v in plan.visits for i in v.inspector_ids)
    assert all(per_week[(w, "T1")] <= 3 and per_week[(w, "T2")] <= 4 for w in range(4))
    assert all(v.date.weekday() < 5 for v in plan.visits)
    assert all(v.date != holiday for v in plan.visits)
    assert not [v for v in plan.visits if "T1" in v.inspector_ids and v.date.weekday() not in (0, 2, 4)]
    assert not [v for v in plan.visits if "T2" in v.inspector_ids and v.date == MONDAY + timedelta(days=1)]


def test_period_already_started_plans_from_today():
    wednesday = MONDAY + timedelta(days=2)
    plan = propose_plan([loc(f"L{k}") for k in range(10)], [inspector("T1")], MONDAY, 1, today=wednesday)
    assert all(v.date >= wednesday for v in plan.visits)
    assert any("al begonnen" in w for w in plan.warnings)


# --- urgency ----------------------------------------------------------------------------------


def test_overdue_first_always():
    overdue = [loc(f"O{k}", days_ago=400, offset=k * 0.001) for k in range(4)]
    # Not due but very high risk: still after every overdue location.
    risky = [
        loc(f"R{k}", days_ago=60, bibob_outcome=BibobOutcome.ERNSTIG, open_signal_weights=(3, 3), offset=k * 0.001)
        for k in range(4)
    ]
    plan = propose_plan(overdue + risky, [inspector("T1", per_week=5)], MONDAY, 2, today=TODAY)
    urgencies = [v.urgency for v in plan.visits]
    assert urgencies == sorted(urgencies)
    assert {v.location_id for v in plan.visits} == {f"O{k}" for k in range(4)} | {f"R{k}" for k in range(4)}
    assert max(plan.scores[f"R{k}"].final for k in range(4)) > max(plan.scores[f"O{k}"].final for k in range(4))


def test_overdue_beats_due_and_risk_when_capacity_is_short():
    overdue = [loc(f"O{k}", days_ago=400, offset=k * 0.001) for k in range(5)]
    due = [loc(f"D{k}", days_ago=360, recent_violations=3, offset=k * 0.001) for k in range(3)]
    plan = propose_plan(overdue + due, [inspector("T1", per_week=5)], MONDAY, 1, today=TODAY)
    assert {v.location_id for v in plan.visits} == {f"O{k}" for k in range(5)}
    assert {u.urgency for u in plan.unplanned} == {Urgency.DUE}
    assert any("maximale controle-interval" in w for w in plan.warnings)


def test_due_location_is_visited_before_its_deadline_despite_an_overdue_backlog():
    backlog = [loc(f"O{k:02d}", days_ago=500, offset=k * 0.001) for k in range(12)]
    # Due on Wednesday of week 1 (365-day interval).
    due = loc("D", days_ago=365 - 5, near=EMMEN)
    plan = propose_plan([*backlog, due], [inspector("T1", per_week=5)], MONDAY, 3, today=TODAY)
    visit = next(v for v in plan.visits if v.location_id == "D")
    assert visit.urgency is Urgency.DUE
    assert visit.date <= due.due_on
    assert not visit.is_late
    assert len(plan.visits) == 13  # the backlog still fits in the period
    overdue_dates = [v.date for v in plan.visits if v.urgency is Urgency.OVERDUE]
    assert min(overdue_dates) == MONDAY  # overdue locations still take the first slot


def test_not_due_low_risk_locations_are_not_planned():
    plan = propose_plan([loc("calm", days_ago=30), loc("late")], [inspector("T1")], MONDAY, 1, today=TODAY)
    assert [v.location_id for v in plan.visits] == ["late"]
    assert plan.not_due == ("calm",)
    assert plan.unplanned == ()


def test_recently_inspected_high_risk_location_is_not_revisited():
    risky = loc("R", days_ago=7, bibob_outcome=BibobOutcome.ERNSTIG, open_signal_weights=(3, 3, 3))
    plan = propose_plan([risky], [inspector("T1")], MONDAY, 1, today=TODAY)
    assert plan.visits == ()
    assert plan.not_due == ("R",)


def test_reasons_are_dutch_and_specific():
    locations = [
        loc("never", days_ago=None),
        loc("over"),
        loc("due", days_ago=360),
        loc("nopermit", days_ago=None, has_permit=False),
    ]
    plan = propose_plan(locations, [inspector("T1")], MONDAY, 1, today=TODAY)
    reasons = {v.location_id: v.reason for v in plan.visits}
    assert reasons["never"] == "Nog nooit gecontroleerd"
    assert reasons["over"].startswith("Achterstallig: uiterste controledatum")
    assert reasons["due"].startswith("Controle uiterlijk")
    assert "geen vergunning" in reasons["nopermit"]


def test_manual_override_changes_the_order_and_is_reported():
    low = loc("low", override=PriorityOverride(40, "Tip politie"))
    high = loc("high", recent_violations=3)
    plan = propose_plan([low, high], [inspector("T1", per_week=1)], MONDAY, 1, today=TODAY)
    assert [v.location_id for v in plan.visits] == ["low"]
    assert any("handmatig aangepast" in w for w in plan.warnings)


# --- two-person inspections -------------------------------------------------------------------


def test_sex_business_is_inspected_by_two_inspectors():
    club = loc("club", permit_type=PermitType.SEKSBEDRIJF)
    plan = propose_plan([club, loc("house")], [inspector("T1"), inspector("T2")], MONDAY, 1, today=TODAY)
    visit = next(v for v in plan.visits if v.location_id == "club")
    assert visit.inspector_ids == ("T1", "T2")
    assert plan.used_capacity == 3  # two slots for the club, one for the house


def test_sex_business_with_a_single_inspector_is_not_planned():
    club = loc("club", permit_type=PermitType.SEKSBEDRIJF)
    plan = propose_plan([club, loc("house")], [inspector("T1")], MONDAY, 2, today=TODAY)
    assert [v.location_id for v in plan.visits] == ["house"]
    assert [(u.location_id, u.reason) for u in plan.unplanned] == [("club", REASON_TWO_PERSON)]
    assert REASON_TWO_PERSON.startswith("onvoldoende capaciteit")
    assert any("twee toezichthouders" in w for w in plan.warnings)


def test_two_person_visit_needs_both_on_the_same_day():
    # T1 works Mondays only, T2 Tuesdays only: never together.
    staff = [inspector("T1", workdays=frozenset({0})), inspector("T2", workdays=frozenset({1}))]
    plan = propose_plan([loc("club", permit_type=PermitType.ESCORTBEDRIJF)], staff, MONDAY, 2, today=TODAY)
    assert plan.visits == ()
    assert plan.unplanned[0].reason == REASON_TWO_PERSON


def test_two_person_visits_use_capacity_of_two():
    clubs = [loc(f"C{k}", permit_type=PermitType.SEKSBEDRIJF, offset=k * 0.001) for k in range(6)]
    plan = propose_plan(clubs, [inspector("T1", per_week=5), inspector("T2", per_week=5)], MONDAY, 1, today=TODAY)
    assert len(plan.visits) == 5
    assert all(len(v.inspector_ids) == 2 for v in plan.visits)
    assert len(plan.unplanned) == 1


# --- clustering and determinism ---------------------------------------------------------------


def test_nearby_locations_share_a_day():
    rng = random.Random(1)
    locations = []
    for k in range(6):
        # Interleave the risk so that a pure risk order would alternate between the two towns.
        locations.append(loc(f"A{k}", near=ASSEN, offset=rng.uniform(-0.01, 0.01), recent_violations=k % 3))
        locations.append(loc(f"E{k}", near=EMMEN, offset=rng.uniform(-0.01, 0.01), recent_violations=(k + 1) % 3))
    plan = propose_plan(locations, [inspector("T1", per_week=15)], MONDAY, 1, today=TODAY)
    assert len(plan.visits) == 12
    for day in {v.date for v in plan.visits}:
        towns = {v.location_id[0] for v in plan.visits_on(day)}
        assert len(towns) <= 2
    assert sorted(Counter(v.location_id[0] for v in plan.visits_on(MONDAY)).values()) == [3]
    # At most one switch between the towns per day (when a town runs out mid-day).
    distances = same_day_distances_km(plan, locations)
    assert sum(d > 20 for d in distances) <= 1


def test_clustering_by_pc4_without_coordinates():
    locations = [
        loc(f"{pc}-{k}", lat=None, lon=None, postcode4=pc, recent_violations=(k + i) % 3)
        for i, pc in enumerate(("9401", "7811"))
        for k in range(3)
    ]
    plan = propose_plan(locations, [inspector("T1", per_week=6)], MONDAY, 1, today=TODAY)
    for day in {v.date for v in plan.visits}:
        assert len({v.location_id[:4] for v in plan.visits_on(day)}) == 1


def test_same_day_visits_stay_within_the_cluster_radius_mostly():
    rng = random.Random(7)
    locations = [loc(f"L{k:03d}", near=rng.choice((ASSEN, EMMEN)), offset=rng.uniform(-0.03, 0.03)) for k in range(120)]
    plan = propose_plan(locations, [inspector(f"T{k}", per_week=10) for k in range(3)], MONDAY, 4, today=TODAY)
    distances = same_day_distances_km(plan, locations)
    assert sum(d <= 10.0 for d in distances) / len(distances) > 0.9
    a, b = ASSEN, EMMEN
    assert haversine_km(*a, *b) > 25


def test_output_is_deterministic_regardless_of_input_order():
    rng = random.Random(3)
    locations = [
        loc(
            f"L{k:03d}",
            days_ago=rng.choice((None, 30, 200, 364, 400, 800)),
            near=rng.choice((ASSEN, EMMEN)),
            offset=rng.uniform(-0.05, 0.05),
            permit_type=rng.choice(list(PermitType)),
            recent_violations=rng.randint(0, 3),
        )
        for k in range(150)
    ]
    staff = [inspector(f"T{k}", per_week=6) for k in range(4)]
    first = propose_plan(locations, staff, MONDAY, 3, today=TODAY)
    shuffled = locations[:]
    rng.shuffle(shuffled)
    second = propose_plan(shuffled, list(reversed(staff)), MONDAY, 3, today=TODAY)
    assert first == second
    assert first.visits == second.visits
    assert len({v.location_id for v in first.visits}) == len(first.visits)  # one visit per location
