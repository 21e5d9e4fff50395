"""The beheerder's legal settings per gemeente and permit type drive the deadline engine."""

from __future__ import annotations

from sqlalchemy import select

from barrier.models import AuditEvent, PermitSettings, PermitType, Role
from tests.factories import gemeente_by_code


def test_a_beheerder_sees_the_settings_of_every_gemeente_with_their_sources(login_as, db):
    html = login_as(Role.BEHEERDER).get("/beheer/instellingen").get_data(as_text=True)
    assert html.count("Wijzigen<span") == 12 * 3
    assert "Westerveld" in html


def test_saving_settings_changes_the_term_and_is_audited(login_as, db, make_application):
    browser = login_as(Role.BEHEERDER)
    assen = gemeente_by_code(db.session, "GM0106")
    url = f"/beheer/instellingen/{assen.id}/escortbedrijf"
    response = browser.submit(url, {"deadline_config": "seksbedrijf_awb", "term_weeks": "6", "atw_mode": "none",
                                    "suspension_count": "strict", "lex_silencio": "nee",
                                    "require_notice_for_suspension": "", "bibob_policy": "altijd",
                                    "permit_duration_months": "12"})
    assert response.status_code == 302
    stored = db.session.scalar(select(PermitSettings).where(PermitSettings.gemeente_id == assen.id,
                                                            PermitSettings.permit_type == PermitType.ESCORTBEDRIJF))
    assert stored.overrides["term_weeks"] == 6 and stored.overrides["suspension_count"] == "strict"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "permit_settings.saved"))
    from datetime import date, timedelta

    application = make_application(PermitType.ESCORTBEDRIJF, received_days_ago=3)
    assert application.deadline_on == date.today() - timedelta(days=3) + timedelta(weeks=6)  # noqa: DTZ011


def test_a_gemeente_beheerder_cannot_change_another_gemeente(login_as, db):
    browser = login_as(Role.BEHEERDER, gemeente="GM0106")
    emmen = gemeente_by_code(db.session, "GM0114")
    assert browser.get(f"/beheer/instellingen/{emmen.id}/escortbedrijf").status_code == 404
    assert browser.get("/beheer/instellingen/1/onbekend").status_code == 404


def test_invalid_settings_are_refused_next_to_the_field(login_as, db):
    browser = login_as(Role.BEHEERDER)
    assen = gemeente_by_code(db.session, "GM0106")
    response = browser.submit(f"/beheer/instellingen/{assen.id}/seksinrichting", {"term_weeks": "0", "bibob_policy": "altijd",
                                                                                  "deadline_config": "seksbedrijf_apv"})
    assert response.status_code == 200
    assert "Vul 1 tot 52 weken in." in response.get_data(as_text=True)
