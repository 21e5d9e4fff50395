"""The risk score of a location, from the app's records: each factor moves it as the engine defines."""

from __future__ import annotations

import sys
import types

import pytest

from barrier.db import db
from barrier.inspections import services
from barrier.models import AuditEvent, PermitStatus, Role
from barrier.models.inspections import LocationKind
from tests.barrier.inspections.builders import TODAY


def score(app, location):
    with app.test_request_context():
        return services.score_location_record(db.session.get(type(location), location.id), today=TODAY)


def points(app, location, code: str) -> int:
    return score(app, location).score.factor(code).points


def test_a_location_without_permit_carries_the_no_permit_factor(app, world):
    permitted = world.location(LocationKind.HUISVESTING_AM)
    suspected = world.location(LocationKind.HUISVESTING_AM, permit=False)
    assert "GEEN_VERGUNNING" not in {f.code for f in score(app, permitted).score.factors}
    assert points(app, suspected, "GEEN_VERGUNNING") == 40
    assert score(app, suspected).score.final > score(app, permitted).score.final


def test_an_expired_permit_counts_as_no_permit(app, world):
    revoked = world.location(LocationKind.SEKSBEDRIJF, permit_status=PermitStatus.INGETROKKEN)
    assert score(app, revoked).has_permit is False
    assert points(app, revoked, "GEEN_VERGUNNING") == 40


def test_the_permit_type_weighs_sex_businesses_above_housing(app, world):
    assert points(app, world.location(LocationKind.SEKSBEDRIJF), "VERGUNNINGTYPE") == 10
    assert points(app, world.location(LocationKind.HUISVESTING_AM), "VERGUNNINGTYPE") == 6


def test_the_bibob_outcome_comes_from_the_bibob_area_when_it_can_tell(app, world, monkeypatch, make_application):
    location = world.location(LocationKind.HUISVESTING_AM, application=make_application())
    assert points(app, location, "BIBOB") == 5  # niet onderzocht: the area says nothing (yet)
    import barrier.bibob.services as bibob_services

    seen = []
    monkeypatch.setattr(bibob_services, "outcome_for_application",
                        lambda application_id: seen.append(application_id) or "ernstig", raising=False)
    assert points(app, location, "BIBOB") == 30
    assert seen == [location.permit.application_id]
    monkeypatch.setattr(bibob_services, "outcome_for_application", lambda application_id: "mindere_mate",
                        raising=False)
    assert points(app, location, "BIBOB") == 15


def test_confirmed_register_hits_come_from_the_register_area(app, world, monkeypatch, make_application):
    location = world.location(LocationKind.HUISVESTING_AM, application=make_application())
    assert points(app, location, "REGISTERTREFFERS") == 0
    fake = types.ModuleType("barrier.register.services")
    fake.confirmed_hit_count_for_application = lambda application_id: 1
    package = types.ModuleType("barrier.register")
    package.services = fake
    monkeypatch.setitem(sys.modules, "barrier.register", package)
    monkeypatch.setitem(sys.modules, "barrier.register.services", fake)
    assert points(app, location, "REGISTERTREFFERS") == 8
    fake.confirmed_hit_count_for_application = lambda application_id: 5
    assert points(app, location, "REGISTERTREFFERS") == 16  # capped


def test_earlier_violations_count_for_the_last_two_inspections(app, world):
    location = world.location(LocationKind.HUISVESTING_AM)
    assert points(app, location, "BEVINDINGEN") == 0
    world.inspection(location, days_ago=400, deviations={"INS-WGV-22": "NEE", "INS-WGV-23": "NEE", "INS-WGV-25": "NEE"})
    world.inspection(location, days_ago=200, deviations={"INS-WGV-22": "NEE"})
    world.inspection(location, days_ago=100, deviations={"INS-WGV-23": "NEE"})
    assert points(app, location, "BEVINDINGEN") == 10  # 1 + 1 violations x 5; the oldest three no longer count


def test_open_enforcement_measures_raise_the_score_until_closed(app, world):
    location = world.location(LocationKind.HUISVESTING_AM)
    inspection = world.inspection(location, days_ago=20, deviations={"INS-WGV-23": "NEE"})
    measure = world.measure(inspection, item_id="INS-WGV-23")
    assert points(app, location, "HANDHAVING") == 7
    with app.test_request_context():
        from barrier.models.inspections import MeasureStatus

        services.close_measure(measure, status=MeasureStatus.NAGELEEFD, note="Hersteld", actor=inspection.inspector,
                               today=TODAY)
        db.session.commit()
    assert points(app, location, "HANDHAVING") == 0


def test_open_signals_at_the_location_count_by_their_weight(app, world):
    location = world.location(LocationKind.SEKSBEDRIJF)
    world.signal(location=location, ids=["SIG-ALG-01"])  # weight 3 (sterk)
    assert points(app, location, "SIGNALEN") == 9
    world.signal(location=location, ids=["SIG-SEX-05", "SIG-SEX-08"])  # 2 + 1
    assert points(app, location, "SIGNALEN") == 18


def test_occupancy_above_the_permitted_number_raises_the_score(app, world):
    location = world.location(LocationKind.HUISVESTING_AM, max_persons=8)
    world.inspection(location, days_ago=10, occupancy=8)
    assert points(app, location, "BEZETTING") == 0
    world.inspection(location, days_ago=5, occupancy=10)  # 25 % over: 5 + 2 x 2.5
    assert points(app, location, "BEZETTING") == 10


@pytest.mark.parametrize(("days_ago", "expected"), [(None, 15), (30, 0), (365 - 1, 15), (273, 7)])
def test_time_since_the_last_inspection_ramps_up_to_the_interval(app, world, days_ago, expected):
    location = world.location(LocationKind.HUISVESTING_AM)  # max. 365 days
    if days_ago is not None:
        world.inspection(location, days_ago=days_ago)
    assert points(app, location, "INTERVAL") == pytest.approx(expected, abs=1)


def test_the_location_page_shows_every_factor_with_its_weight(login_as, world):
    location = world.location(LocationKind.SEKSBEDRIJF, permit=False)
    html = login_as(Role.TOEZICHTHOUDER).get(f"/inspecties/locaties/{location.id}").get_data(as_text=True)
    for label in ("Geen vergunning (vermoedelijke locatie)", "Soort locatie", "Bevestigde treffers risicoregister",
                  "Overtredingen bij laatste controles", "Openstaande handhavingsmaatregelen",
                  "Open signalen mensenhandel", "Tijd sinds laatste controle", "Gewicht", "Eindscore"):
        assert label in html


def test_a_priority_override_needs_a_reason_and_is_kept_and_audited(app, db, login_as, world):
    location = world.location(LocationKind.HUISVESTING_AM)
    before = score(app, location).score.final
    browser = login_as(Role.TOEZICHTHOUDER)
    url = f"/inspecties/locaties/{location.id}"
    refused = browser.submit(f"{url}/prioriteit", {"direction": "verhogen", "points": "10", "reason": ""}, form_url=url)
    assert refused.status_code == 400
    assert "Geef een reden" in refused.get_data(as_text=True)

    response = browser.submit(f"{url}/prioriteit", {"direction": "verhogen", "points": "10",
                                                    "reason": "Melding buren: veel wisselende bewoners"}, form_url=url)
    assert response.status_code == 302
    result = score(app, location).score
    assert result.final == before + 10 and result.override_reason == "Melding buren: veel wisselende bewoners"
    page = browser.get(url).get_data(as_text=True)
    assert "Melding buren: veel wisselende bewoners" in page and "+10" in page
    events = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action == "inspection_location.priority_overridden")).all()
    assert [e.details["points"] for e in events] == [10]

    browser.submit(f"{url}/prioriteit", {"direction": "verlagen", "points": "60", "reason": "te veel"}, form_url=url)
    assert score(app, location).score.final == before + 10  # bounded (±50): refused, nothing changed
    browser.submit(f"{url}/prioriteit", {"direction": "verwijderen", "reason": "Situatie opgelost"}, form_url=url)
    assert score(app, location).score.priority_override is None


def test_a_vergunningverlener_sees_scores_but_may_not_override(login_as, world):
    location = world.location(LocationKind.HUISVESTING_AM)
    browser = login_as(Role.VERGUNNINGVERLENER)
    url = f"/inspecties/locaties/{location.id}"
    assert browser.get(url).status_code == 200
    response = browser.submit(f"{url}/prioriteit", {"direction": "verhogen", "points": "5", "reason": "x"}, form_url=url)
    assert response.status_code == 403
