"""Enforcement per violation: checked against the ladder, deadlines on the work list, re-inspection planned."""

from __future__ import annotations

from datetime import timedelta

import pytest

from barrier.inspections import services
from barrier.inspections.services import InspectionError, next_working_day
from barrier.models import Role
from barrier.models.inspections import EnforcementMeasure, LocationKind, MeasureStatus, VisitSource, VisitStatus
from tests.barrier.inspections.builders import TODAY


@pytest.fixture
def violation(world, login_as):
    """A completed housing inspection 10 days ago with a smoke-detector violation, and the inspector's browser."""
    browser = login_as(Role.TOEZICHTHOUDER)
    location = world.location(LocationKind.HUISVESTING_AM, max_persons=6)
    inspection = world.inspection(location, days_ago=10, occupancy=9, inspector=browser.user,
                                  deviations={"INS-WGV-23": "NEE"})
    return browser, inspection


def add(browser, inspection, data):
    url = f"/inspecties/controles/{inspection.id}"
    return browser.submit(f"{url}/maatregelen", {"issued_on": TODAY.isoformat(), **data}, form_url=url)


def test_a_dwangsom_with_term_and_amount_gets_a_deadline_and_a_reinspection(db, violation):
    browser, inspection = violation
    response = add(browser, inspection, {"violation": "INS-WGV-01", "measure_code": "LAST_ONDER_DWANGSOM",
                                         "term_days": "28", "amount_eur": "250", "per": "DAG", "maximum_eur": "10000"})
    assert response.status_code == 302
    measure = db.session.scalar(db.select(EnforcementMeasure))
    assert measure.deadline_on == TODAY + timedelta(days=28)
    assert measure.parameters == {"begunstigingstermijn_dagen": 28, "bedrag_eur": 250.0, "per": "DAG",
                                  "maximum_eur": 10000.0}
    visit = measure.reinspection_visit
    assert visit.source is VisitSource.HERCONTROLE and visit.status is VisitStatus.GEPLAND
    assert visit.planned_on == next_working_day(measure.deadline_on) and visit.planned_on.weekday() < 5
    assert visit.inspector_id == browser.user.id
    worklist = browser.get("/inspecties/handhaving").get_data(as_text=True)
    assert "Last onder dwangsom" in worklist and "Geplande hercontroles" in worklist
    home = browser.get("/").get_data(as_text=True)
    assert "Handhaving: termijnen" in home and "Last onder dwangsom" in home


def test_an_incomplete_dwangsom_is_refused_with_the_ladders_dutch_reasons(db, violation):
    browser, inspection = violation
    response = add(browser, inspection, {"violation": "INS-WGV-23", "measure_code": "LAST_ONDER_DWANGSOM",
                                         "term_days": "14"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Dwangsombedrag is verplicht" in html and "Maximaal te verbeuren bedrag is verplicht" in html
    assert db.session.scalar(db.select(db.func.count()).select_from(EnforcementMeasure)) == 0


def test_a_fine_above_the_wgv_maximum_is_refused(db, violation):
    browser, inspection = violation
    response = add(browser, inspection, {"violation": "INS-WGV-23", "measure_code": "BESTUURLIJKE_BOETE",
                                         "amount_eur": "50000", "offence_on": inspection.inspected_on.isoformat()})
    assert response.status_code == 400
    assert "hoger dan het wettelijk maximum" in response.get_data(as_text=True)
    ok = add(browser, inspection, {"violation": "INS-WGV-23", "measure_code": "BESTUURLIJKE_BOETE",
                                   "amount_eur": "5000", "offence_on": inspection.inspected_on.isoformat()})
    assert ok.status_code == 302
    fine = db.session.scalar(db.select(EnforcementMeasure))
    assert fine.deadline_on is None and fine.reinspection_visit is None  # a fine has no term


def test_measures_follow_the_permit_type(app, world):
    sex = world.inspection(world.location(LocationKind.SEKSBEDRIJF), days_ago=5, deviations={"INS-SB-06": "NEE"})
    housing = world.inspection(world.location(LocationKind.HUISVESTING_AM), days_ago=5,
                               deviations={"INS-WGV-23": "NEE"})
    with app.test_request_context():
        assert "SCHORSING" in {m.code for m in services.available_measures(sex)}
        assert "BESTUURLIJKE_BOETE" not in {m.code for m in services.available_measures(sex)}
        assert "BESTUURLIJKE_BOETE" in {m.code for m in services.available_measures(housing)}
        with pytest.raises(InspectionError) as refused:
            services.add_measure(sex, violation_item_id="INS-SB-06", measure_code="BESTUURLIJKE_BOETE",
                                 values={"bedrag_eur": 100.0, "overtreding_op": sex.inspected_on},
                                 issued_on=TODAY, actor=sex.inspector, today=TODAY)
        assert any("niet mogelijk bij vergunningtype SEKSBEDRIJF" in p for p in refused.value.problems)


def test_a_suspension_needs_a_permit_and_ends_after_its_weeks(app, world):
    suspected = world.inspection(world.location(LocationKind.SEKSBEDRIJF, permit=False), days_ago=3,
                                 deviations={"INS-SB-03": "NEE"})
    permitted = world.inspection(world.location(LocationKind.SEKSBEDRIJF), days_ago=3,
                                 deviations={"INS-SB-03": "NEE"})
    with app.test_request_context():
        with pytest.raises(InspectionError) as refused:
            services.add_measure(suspected, violation_item_id="INS-SB-03", measure_code="SCHORSING",
                                 values={"duur_weken": 6}, issued_on=TODAY, actor=suspected.inspector, today=TODAY)
        assert any("geen vergunning" in p for p in refused.value.problems)
        measure = services.add_measure(permitted, violation_item_id="INS-SB-03", measure_code="SCHORSING",
                                       values={"duur_weken": 6}, issued_on=TODAY, actor=permitted.inspector, today=TODAY)
        assert measure.deadline_on == TODAY + timedelta(weeks=6)


def test_only_violations_found_at_this_inspection_can_be_enforced(db, violation):
    browser, inspection = violation
    response = add(browser, inspection, {"violation": "INS-WGV-05", "measure_code": "WAARSCHUWING", "term_days": "7"})
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(EnforcementMeasure)) == 0


def test_closing_a_withdrawn_measure_cancels_its_reinspection(db, violation):
    browser, inspection = violation
    add(browser, inspection, {"violation": "INS-WGV-23", "measure_code": "WAARSCHUWING", "term_days": "14"})
    measure = db.session.scalar(db.select(EnforcementMeasure))
    response = browser.submit(f"/inspecties/handhaving/{measure.id}/afsluiten",
                              {"status": "ingetrokken", "note": "Ten onrechte opgelegd"}, form_url="/inspecties/handhaving")
    assert response.status_code == 302
    db.session.refresh(measure)
    assert measure.status is MeasureStatus.INGETROKKEN and measure.closed_on == TODAY
    assert measure.reinspection_visit.status is VisitStatus.VERVALLEN
    again = browser.submit(f"/inspecties/handhaving/{measure.id}/afsluiten", {"status": "nageleefd"},
                           form_url="/inspecties/handhaving", follow_redirects=True)
    assert "al afgesloten" in again.get_data(as_text=True)


def test_enforcement_is_for_the_toezichthouder_of_the_gemeente(db, violation, login_as):
    browser, inspection = violation
    add(browser, inspection, {"violation": "INS-WGV-23", "measure_code": "WAARSCHUWING", "term_days": "14"})
    measure = db.session.scalar(db.select(EnforcementMeasure))
    assert login_as(Role.VERGUNNINGVERLENER).get("/inspecties/handhaving").status_code == 403
    emmen = login_as(Role.TOEZICHTHOUDER, gemeente="GM0114")
    assert "Geen openstaande maatregelen" in emmen.get("/inspecties/handhaving").get_data(as_text=True)
    assert emmen.submit(f"/inspecties/handhaving/{measure.id}/afsluiten", {"status": "nageleefd"},
                        form_url="/").status_code == 404
    assert emmen.submit(f"/inspecties/controles/{inspection.id}/maatregelen", {}, form_url="/").status_code == 404
