"""Locations: every permitted address, plus addresses added by hand on a suspicion."""

from __future__ import annotations

from datetime import timedelta

from barrier.applications import services as application_services
from barrier.db import db
from barrier.inspections import services
from barrier.models import ApplicationStatus, AuditEvent, Permit, PermitType, Role
from barrier.models.inspections import InspectionLocation, LocationKind
from tests.barrier.inspections.builders import TODAY


def grant(app, application, officer=None):
    with app.test_request_context():
        permit = application_services.decide(
            application, outcome=ApplicationStatus.VERLEEND, decided_on=TODAY, grounds="Voldoet aan de APV.",
            valid_from=TODAY, valid_until=TODAY + timedelta(days=365), conditions="", max_persons=None,
            actor=officer or application.officer or application.created_by, today=TODAY)
        db.session.commit()
        return permit


def test_a_granted_permit_becomes_an_inspectable_location(app, db, make_application):
    application = make_application(status=ApplicationStatus.IN_BEHANDELING)
    permit = grant(app, application)
    location = db.session.scalar(db.select(InspectionLocation).where(InspectionLocation.permit_id == permit.id))
    assert location is not None
    assert location.kind is LocationKind.HUISVESTING_AM and location.address_id == permit.location_id
    assert location.gemeente_id == permit.gemeente_id


def test_sync_adds_permits_without_location_once(app, db, world):
    world.location(LocationKind.SEKSBEDRIJF)
    permit = db.session.scalar(db.select(Permit))
    db.session.delete(db.session.scalar(db.select(InspectionLocation)))
    db.session.commit()
    with app.test_request_context():
        assert services.sync_permit_locations() == 1
        assert services.sync_permit_locations() == 0
        db.session.commit()
    assert db.session.scalar(db.select(InspectionLocation)).permit_id == permit.id


def test_the_list_offers_to_add_missing_permitted_addresses(db, world, login_as):
    world.location(LocationKind.SEKSBEDRIJF)
    db.session.delete(db.session.scalar(db.select(InspectionLocation)))
    db.session.commit()
    browser = login_as(Role.TOEZICHTHOUDER)
    assert "1 vergunning(en) met een adres" in browser.get("/inspecties/locaties").get_data(as_text=True)
    assert browser.submit("/inspecties/locaties/bijwerken", form_url="/inspecties/locaties").status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(InspectionLocation)) == 1


def test_a_location_without_permit_is_added_by_hand_and_shows_as_such(db, login_as):
    browser = login_as(Role.TOEZICHTHOUDER)
    form_url = "/inspecties/locaties/nieuw"
    missing = browser.submit(form_url, {"gemeente": str(browser.user.gemeente_id), "name": "Vakantiepark De Bosrand",
                                        "kind": "seksbedrijf", "street": "Bosrandweg", "house_number": "12",
                                        "postcode": "9405 PA", "city": "Assen", "description": ""})
    assert missing.status_code == 200 and "Beschrijf het vermoeden" in missing.get_data(as_text=True)
    response = browser.submit(form_url, {"gemeente": str(browser.user.gemeente_id), "name": "Vakantiepark De Bosrand",
                                         "kind": "seksbedrijf", "street": "Bosrandweg", "house_number": "12",
                                         "postcode": "9405pa", "city": "Assen", "latitude": "53.01",
                                         "longitude": "6.53", "description": "Advertenties met dit adres."})
    assert response.status_code == 302
    location = db.session.scalar(db.select(InspectionLocation))
    assert location.permit_id is None and location.address.postcode == "9405 PA"
    listing = browser.get("/inspecties/locaties?vergunning=zonder").get_data(as_text=True)
    assert "Vakantiepark De Bosrand" in listing and "Zonder vergunning (vermoeden)" in listing
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "inspection_location.added"))


def test_a_suspected_location_is_linked_when_a_permit_is_granted_at_that_address(app, db, world):
    suspected = world.location(LocationKind.HUISVESTING_AM, permit=False)
    permit = Permit(permit_number="KOPPEL-1", gemeente_id=suspected.gemeente_id,
                    permit_type=PermitType.VERHUURVERGUNNING, holder_name="Nieuwe houder",
                    location_id=suspected.address_id, valid_from=TODAY)
    db.session.add(permit)
    db.session.commit()
    with app.test_request_context():
        linked = services.ensure_location_for_permit(permit)
        db.session.commit()
    assert linked.id == suspected.id and linked.permit_id == permit.id
    assert db.session.scalar(db.select(db.func.count()).select_from(InspectionLocation)) == 1


def test_locations_of_another_gemeente_are_not_listed_and_answer_404(world, login_as):
    emmen = world.location(LocationKind.HUISVESTING_AM, gemeente="GM0114", name="Emmer locatie")
    browser = login_as(Role.TOEZICHTHOUDER)
    assert "Emmer locatie" not in browser.get("/inspecties/locaties").get_data(as_text=True)
    assert browser.get(f"/inspecties/locaties/{emmen.id}").status_code == 404
    assert browser.get(f"/inspecties/locaties/{emmen.id}/controle").status_code == 404
