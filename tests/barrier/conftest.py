"""Helpers to build applications through the real services (as the wizard does)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from barrier.applications import services
from barrier.applications.services import AddressData, OrganisationData, PersonData
from barrier.models import ApplicationStatus, PartyRole, PermitType, Role
from tests.factories import UserFactory, gemeente_by_code

TODAY = date.today()  # noqa: DTZ011


def person(surname="Jansen", given="Pieter", prefix="", birth=date(1980, 5, 17), bsn="", **kw) -> PersonData:
    return PersonData(given_names=given, surname=surname, surname_prefix=prefix, birth_date=birth, bsn=bsn, **kw)


def location(number="12", postcode="9401 AB", street="Kloosterstraat", city="Assen") -> AddressData:
    return AddressData(street=street, house_number=number, postcode=postcode, city=city)


HOUSING = {"persons": 8, "accommodation_type": "a", "floor_area_m2": 110.0,
           "rooms": [{"area_m2": 10.0, "beds": 2}] * 4, "toilets": 1, "showers": 1, "kitchens": 1,
           "rent_per_person": 110.0, "service_costs": 15.0, "landlord_is_employer": "nee",
           "contact_name": "Beheer BV", "contact_phone": "0612345678", "snf_certified": True}
SEX = {"opening_hours": "ma-za 12-02", "workrooms": 4, "max_sex_workers": 6, "intake_procedure": True,
       "alarm_buttons": True, "business_plan_summary": "Intake"}


@pytest.fixture
def make_application(app, db):
    """``make_application(permit_type=..., status=..., gemeente="GM0106", received_days_ago=10)``.

    Each call pushes its own short request context, so no context stays pushed while a test
    client makes requests (STYLE.md G1).
    """

    def _make(*args, **kwargs):
        with app.test_request_context():
            return _build(*args, **kwargs)

    def _build(permit_type: PermitType = PermitType.VERHUURVERGUNNING, *, status: ApplicationStatus = ApplicationStatus.ONTVANGEN,
              gemeente: str = "GM0106", received_days_ago: int = 10, officer=None, applicant: PersonData | OrganisationData | None = None):
        officer = officer or UserFactory(role=Role.VERGUNNINGVERLENER, gemeente_code=gemeente)
        app = services.new_application(actor=officer, gemeente_id=gemeente_by_code(db.session, gemeente).id,
                                       permit_type=permit_type, sub_type="club" if permit_type is PermitType.SEKSINRICHTING else "",
                                       received_on=TODAY - timedelta(days=received_days_ago))
        applicant = applicant or person()
        if isinstance(applicant, PersonData):
            services.add_party(app, role=PartyRole.AANVRAGER, person=services.upsert_person(applicant), actor=officer)
        else:
            services.add_party(app, role=PartyRole.AANVRAGER, organisation=services.upsert_organisation(applicant), actor=officer)
        services.set_location(app, location(), bag_id=None, actor=officer)
        services.set_details(app, HOUSING if permit_type is PermitType.VERHUURVERGUNNING else SEX, actor=officer)
        if status is not ApplicationStatus.CONCEPT:
            services.submit(app, actor=officer, today=TODAY)
        if status not in (ApplicationStatus.CONCEPT, ApplicationStatus.ONTVANGEN):
            services.transition(app, ApplicationStatus.IN_BEHANDELING, actor=officer, today=TODAY)
            if status is not ApplicationStatus.IN_BEHANDELING:
                services.transition(app, status, actor=officer, today=TODAY)
        db.session.commit()
        return app

    return _make
