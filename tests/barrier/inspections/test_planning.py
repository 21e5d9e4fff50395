"""The planner through the UI and the CLI: capacity edge cases, adjusting, fixing, iCalendar and CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import icalendar
import pytest

from barrier.db import db
from barrier.models import AuditEvent, Role, User
from barrier.models.inspections import InspectionLocation, InspectionPlan, LocationKind, PlannedVisit, PlanStatus
from tests.barrier.inspections.builders import TODAY

START = TODAY + timedelta(days=7 - TODAY.weekday())  # next Monday: the period never lies in the past


def plan_data(start=START, end=None, capacities=None) -> dict:
    """The form as a browser sends it: every toezichthouder's field, 0 unless given."""
    data = {"start": start.isoformat(), "end": (end or start + timedelta(weeks=2, days=-1)).isoformat()}
    everyone = db.session.scalars(db.select(User).where(User.role == Role.TOEZICHTHOUDER)).all()
    data.update({f"capacity_{user.id}": "0" for user in everyone})
    data.update({f"capacity_{user.id}": str(n) for user, n in (capacities or {}).items()})
    return data


@pytest.fixture
def team(world, login_as):
    """A logged-in toezichthouder of Assen and a colleague, and the browser."""
    browser = login_as(Role.TOEZICHTHOUDER)
    colleague = world.inspector("GM0106", full_name="Johan Collega")
    return browser, browser.user, colleague


def propose(browser, data):
    return browser.submit("/inspecties/planning", data, form_url="/inspecties/planning")


def test_a_proposal_plans_overdue_locations_and_is_stored_as_a_concept(db, world, team):
    browser, me, colleague = team
    never = world.location(LocationKind.HUISVESTING_AM, permit=False, name="Nooit gecontroleerd")
    recent = world.location(LocationKind.HUISVESTING_AM, name="Net gecontroleerd")
    world.inspection(recent, days_ago=10)
    response = propose(browser, plan_data(capacities={me: 3, colleague: 3}))
    assert response.status_code == 302
    plan = db.session.scalar(db.select(InspectionPlan))
    assert plan.status is PlanStatus.CONCEPT and plan.period_start == START
    planned = {v.location_id for v in plan.visits}
    assert never.id in planned and recent.id not in planned
    assert {e["id"] for e in plan.inspectors} == {me.id, colleague.id}
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nooit gecontroleerd" in page and "Week " in page


def test_a_plan_without_inspectors_says_so_in_dutch_and_stores_nothing(db, world, team):
    browser, me, colleague = team
    world.location(LocationKind.HUISVESTING_AM, permit=False)
    response = propose(browser, plan_data(capacities={me: 0, colleague: 0}))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Geen toezichthouders opgegeven" in html and "1 locatie(s) hadden in deze periode een controle nodig" in html
    assert db.session.scalar(db.select(db.func.count()).select_from(InspectionPlan)) == 0


def test_a_period_that_ends_before_it_starts_is_refused_in_dutch(db, team):
    browser, me, _colleague = team
    response = propose(browser, plan_data(end=START - timedelta(days=3), capacities={me: 3}))
    assert response.status_code == 400
    assert "De periode eindigt vóór de begindatum" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(InspectionPlan)) == 0


def test_a_period_in_the_past_is_refused_by_the_planner(db, team):
    browser, me, _colleague = team
    past = TODAY - timedelta(weeks=5)
    response = propose(browser, plan_data(start=past, end=past + timedelta(weeks=2), capacities={me: 3}))
    assert response.status_code == 400
    assert "ligt in het verleden" in response.get_data(as_text=True)


def test_more_locations_than_capacity_plans_the_most_urgent_and_lists_the_rest(db, world, team):
    browser, me, _colleague = team
    overdue = [world.location(LocationKind.HUISVESTING_AM, name=f"Achterstallig {n}") for n in range(3)]
    for location in overdue:
        world.inspection(location, days_ago=500)
    fresh = [world.location(LocationKind.HUISVESTING_AM, permit=False, name=f"Nieuw {n}") for n in range(3)]
    response = propose(browser, plan_data(end=START + timedelta(days=6), capacities={me: 4}))
    plan = db.session.scalar(db.select(InspectionPlan))
    assert response.status_code == 302 and len(plan.visits) == 4
    # never inspected and overdue are both "achterstallig"; the no-permit ones score highest
    assert {u["location_id"] for u in plan.unplanned} <= {loc.id for loc in overdue}
    assert len(plan.unplanned) == 2
    assert any("passen niet in de capaciteit" in w for w in plan.warnings)
    assert {loc.id for loc in fresh} <= {v.location_id for v in plan.visits}


def test_adjusting_moving_removing_adding_then_fixing(db, world, team):
    browser, me, colleague = team
    first = world.location(LocationKind.HUISVESTING_AM, permit=False, name="Eerste")
    second = world.location(LocationKind.HUISVESTING_AM, permit=False, name="Tweede")
    extra = world.location(LocationKind.HUISVESTING_AM, name="Extra")
    world.inspection(extra, days_ago=20)  # not due: the planner leaves it out
    propose(browser, plan_data(capacities={me: 5}))
    plan = db.session.scalar(db.select(InspectionPlan))
    visit = next(v for v in plan.visits if v.location_id == first.id)
    url = f"/inspecties/planning/{plan.id}"

    outside = browser.submit(f"{url}/bezoeken/{visit.id}", {"planned_on": (START - timedelta(days=1)).isoformat(),
                                                           "inspector": str(me.id)}, form_url=f"{url}/bezoeken/{visit.id}")
    assert outside.status_code == 400 and "binnen de planperiode" in outside.get_data(as_text=True)
    moved_to = START + timedelta(days=3)
    moved = browser.submit(f"{url}/bezoeken/{visit.id}", {"planned_on": moved_to.isoformat(), "inspector": str(colleague.id)},
                           form_url=f"{url}/bezoeken/{visit.id}")
    assert moved.status_code == 302
    db.session.refresh(visit)
    assert visit.planned_on == moved_to and visit.inspector_id == colleague.id

    other = next(v for v in plan.visits if v.location_id == second.id)
    assert browser.submit(f"{url}/bezoeken/{other.id}/verwijderen", form_url=url).status_code == 302
    added = browser.submit(f"{url}/bezoeken", {"location": str(extra.id), "planned_on": START.isoformat(),
                                               "inspector": str(me.id)}, form_url=url)
    assert added.status_code == 302
    db.session.expire_all()
    plan = db.session.get(InspectionPlan, plan.id)
    assert {v.location_id for v in plan.visits} == {first.id, extra.id}

    assert browser.submit(f"{url}/vaststellen", form_url=url).status_code == 302
    db.session.refresh(plan)
    assert plan.status is PlanStatus.VASTGESTELD and plan.fixed_by_id == me.id
    late = browser.submit(f"{url}/bezoeken/{visit.id}", {"planned_on": START.isoformat(), "inspector": str(me.id)},
                          form_url=url)
    assert "vastgesteld en kan niet meer worden aangepast" in late.get_data(as_text=True)
    actions = set(db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.object_type == "inspection_plans")))
    assert {"inspection_plan.proposed", "inspection_plan.visit_moved", "inspection_plan.visit_removed",
            "inspection_plan.visit_added", "inspection_plan.fixed"} <= actions


def test_the_ical_export_parses_back_with_every_visit_as_adjusted(db, world, team):
    browser, me, colleague = team
    sex = world.location(LocationKind.SEKSBEDRIJF, permit=False, name="Club Rood")
    house = world.location(LocationKind.HUISVESTING_AM, permit=False, name="Woning Oost")
    propose(browser, plan_data(capacities={me: 3, colleague: 3}))
    plan = db.session.scalar(db.select(InspectionPlan))
    visit = next(v for v in plan.visits if v.location_id == house.id)
    new_day = START + timedelta(days=4)
    browser.submit(f"/inspecties/planning/{plan.id}/bezoeken/{visit.id}",
                   {"planned_on": new_day.isoformat(), "inspector": str(me.id)}, form_url="/inspecties/planning")
    response = browser.get(f"/inspecties/planning/{plan.id}/planning.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    events = {str(e.get("summary")): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Controle Club Rood", "Controle Woning Oost"}
    assert events["Controle Woning Oost"].decoded("dtstart") == new_day
    club = events["Controle Club Rood"]
    attendees = club.get("attendee")
    assert len(attendees) == 2  # a sex business is inspected by two (domain.md §3.8)
    assert {str(a.params["cn"]) for a in attendees} == {me.full_name, colleague.full_name}
    assert len({str(e.get("uid")) for e in events.values()}) == 2
    assert sex.id in {v.location_id for v in plan.visits}


def test_the_csv_export_has_dutch_headers_and_a_row_per_visit(db, world, team):
    browser, me, _colleague = team
    world.location(LocationKind.HUISVESTING_AM, permit=False, name="=HYPERLINK(\"x\")")
    propose(browser, plan_data(capacities={me: 3}))
    plan = db.session.scalar(db.select(InspectionPlan))
    response = browser.get(f"/inspecties/planning/{plan.id}/planning.csv")
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Status", "Datum", "Weekdag"]
    assert len(rows) == 1 + len(plan.visits)
    assert rows[1][4].startswith("'=")  # formula injection neutralised


def test_a_plan_of_another_gemeente_answers_404(db, world, login_as):
    emmen = login_as(Role.TOEZICHTHOUDER, gemeente="GM0114")
    world.location(LocationKind.HUISVESTING_AM, permit=False, gemeente="GM0114")
    propose(emmen, plan_data(capacities={emmen.user: 3}))
    plan = db.session.scalar(db.select(InspectionPlan))
    assen = login_as(Role.TOEZICHTHOUDER)
    for url in (f"/inspecties/planning/{plan.id}", f"/inspecties/planning/{plan.id}/planning.ics",
                f"/inspecties/planning/{plan.id}/planning.csv"):
        assert assen.get(url).status_code == 404
    assert assen.submit(f"/inspecties/planning/{plan.id}/vaststellen", form_url="/").status_code == 404


# --- the CLI dry run -------------------------------------------------------------------------------------------


def test_the_cli_writes_an_icalendar_dry_run_and_stores_nothing(app, db, world, tmp_path):
    world.inspector("GM0106")
    world.inspector("GM0106")
    world.location(LocationKind.HUISVESTING_AM, permit=False, name="CLI-locatie")
    output = tmp_path / "plan.ics"
    result = app.test_cli_runner().invoke(args=["inspection-plan", "--start", START.isoformat(), "--weeks", "2",
                                                "--output", str(output), "--gemeente", "GM0106"])
    assert result.exit_code == 0, result.output
    assert "Proefrun, niets opgeslagen" in result.output
    calendar = icalendar.Calendar.from_ical(output.read_bytes())
    assert "Controle CLI-locatie" in {str(e.get("summary")) for e in calendar.walk("VEVENT")}
    assert db.session.scalar(db.select(db.func.count()).select_from(InspectionPlan)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(PlannedVisit)) == 0


def test_the_cli_writes_csv_by_extension(app, world, tmp_path):
    world.inspector("GM0106")
    world.location(LocationKind.HUISVESTING_AM, permit=False, name="CSV-locatie")
    output = tmp_path / "plan.csv"
    result = app.test_cli_runner().invoke(args=["inspection-plan", "--start", START.isoformat(), "--weeks", "1",
                                                "--output", str(output), "--gemeente", "GM0106"])
    assert result.exit_code == 0, result.output
    assert "CSV-locatie" in output.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(("args", "message"), [
    (["--weeks", "0", "--output", "plan.ics"], "minstens één week"),
    (["--weeks", "2", "--output", "plan.txt"], "extensie .ics"),
    (["--weeks", "2", "--output", "plan.ics", "--gemeente", "GM9999"], "Onbekende gemeentecode"),
])
def test_the_cli_refuses_bad_input_in_dutch(app, db, world, tmp_path, args, message):
    world.location(LocationKind.HUISVESTING_AM, permit=False)
    args = [a if not a.startswith("plan.") else str(tmp_path / a) for a in args]
    result = app.test_cli_runner().invoke(args=["inspection-plan", "--start", START.isoformat(), *args])
    assert result.exit_code != 0
    assert message in result.output


def test_the_cli_without_inspectors_lists_what_could_not_be_planned(app, db, world, tmp_path):
    world.location(LocationKind.HUISVESTING_AM, permit=False, gemeente="GM1701")
    output = tmp_path / "leeg.csv"
    result = app.test_cli_runner().invoke(args=["inspection-plan", "--start", START.isoformat(), "--weeks", "1",
                                                "--output", str(output), "--gemeente", "GM1701"])
    assert result.exit_code == 0, result.output
    assert "Geen toezichthouders opgegeven" in result.output
    assert "Niet ingepland" in output.read_text(encoding="utf-8-sig")
    assert db.session.scalar(db.select(db.func.count()).select_from(InspectionLocation).where(
        InspectionLocation.gemeente_id == db.session.scalar(db.select(InspectionLocation.gemeente_id)))) >= 1
