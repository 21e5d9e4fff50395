"""Casework: allowed and refused transitions, decisions with grounds, permits, the timeline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from barrier.applications import rules, services
from barrier.applications.services import ApplicationError
from barrier.models import ApplicationStatus, AuditEvent, Permit, PermitStatus, PermitType, Role
from tests.factories import UserFactory

S = ApplicationStatus
TODAY = date.today()  # noqa: DTZ011

ALL_PAIRS = [(a, b) for a in ApplicationStatus for b in ApplicationStatus
             if a is not S.CONCEPT and b not in rules.DECISION_STATUSES and b is not S.CONCEPT]


def _put_in(app, status):
    """Force a status for the matrix test (the path to it is tested elsewhere)."""
    app.status = status


@pytest.mark.parametrize(("source", "target"), ALL_PAIRS, ids=lambda s: s.value)
def test_every_transition_is_allowed_or_refused_as_the_table_says(app, db, make_application, source, target):
    application = make_application(PermitType.VERHUURVERGUNNING)
    officer = UserFactory()
    with app.test_request_context():
        _put_in(application, source)
        if target in rules.ALLOWED_TRANSITIONS[source]:
            services.transition(application, target, actor=officer, today=TODAY)
            assert application.status is target
            assert application.events[-1].to_status == target.value
        else:
            with pytest.raises(ApplicationError):
                services.transition(application, target, actor=officer, today=TODAY)
            assert application.status is source


def test_refusal_needs_a_voornemen_first(login_as, db, make_application):
    application = make_application(PermitType.SEKSINRICHTING, status=S.IN_BEHANDELING)
    browser = login_as(Role.VERGUNNINGVERLENER)
    response = browser.submit(f"/aanvragen/{application.id}/besluit", {
        "outcome": "geweigerd", "decided_on": TODAY.isoformat(), "grounds": "Ernstig gevaar"},
        form_url=f"/aanvragen/{application.id}")
    assert response.status_code == 422
    assert "voornemen tot weigeren" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(application), application.id).status is S.IN_BEHANDELING


def test_a_grant_with_conditions_creates_a_permit_in_the_register(login_as, db, make_application):
    application = make_application(PermitType.VERHUURVERGUNNING, status=S.IN_BEHANDELING)
    browser = login_as(Role.VERGUNNINGVERLENER)
    response = browser.submit(f"/aanvragen/{application.id}/besluit", {
        "outcome": "verleend_met_voorschriften", "decided_on": TODAY.isoformat(), "grounds": "Voldoet aan de verordening.",
        "valid_from": TODAY.isoformat(), "conditions": "Maximaal 8 bewoners\nRegister van bewoners", "max_persons": "8"},
        form_url=f"/aanvragen/{application.id}")
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    permit = db.session.scalar(select(Permit).where(Permit.application_id == application.id))
    assert permit.status is PermitStatus.GELDIG and permit.max_persons == 8
    assert "Register van bewoners" in permit.conditions
    assert permit.valid_until > permit.valid_from
    register = browser.get("/vergunningen").get_data(as_text=True)
    assert permit.permit_number in register
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "application.decided",
                                                      AuditEvent.object_id == str(application.id)))


def test_a_decision_without_grounds_is_refused_with_the_input_kept(login_as, db, make_application):
    application = make_application(PermitType.VERHUURVERGUNNING, status=S.IN_BEHANDELING)
    browser = login_as(Role.VERGUNNINGVERLENER)
    response = browser.submit(f"/aanvragen/{application.id}/besluit", {
        "outcome": "verleend_met_voorschriften", "decided_on": TODAY.isoformat(), "grounds": "",
        "conditions": "Mijn voorschrift"}, form_url=f"/aanvragen/{application.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "moet worden gemotiveerd" in html
    assert "Mijn voorschrift" in html


def test_revoking_a_permit_marks_it_revoked(app, db, make_application):
    application = make_application(PermitType.VERHUURVERGUNNING, status=S.IN_BEHANDELING)
    officer = UserFactory()
    with app.test_request_context():
        services.decide(application, outcome=S.VERLEEND, decided_on=TODAY, grounds="ok", valid_from=TODAY,
                        valid_until=None, conditions="", max_persons=None, actor=officer, today=TODAY)
        services.transition(application, S.INGETROKKEN, actor=officer, note="Bibob", today=TODAY)
    assert application.permit.status is PermitStatus.INGETROKKEN


def test_status_changes_are_in_the_timeline_and_audit_log(login_as, db, make_application):
    application = make_application(PermitType.ESCORTBEDRIJF)
    browser = login_as(Role.VERGUNNINGVERLENER)
    response = browser.submit(f"/aanvragen/{application.id}/status", {"to_status": "in_behandeling", "note": "gestart",
                                                                        "version": str(application.version)},
                              form_url=f"/aanvragen/{application.id}")
    assert response.status_code == 302
    page = browser.get(f"/aanvragen/{application.id}").get_data(as_text=True)
    assert "Ontvangen → In behandeling: gestart" in page
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "application.status_changed"))


def test_a_refused_transition_by_url_is_a_dutch_message_not_a_500(login_as, db, make_application):
    application = make_application(PermitType.ESCORTBEDRIJF)
    browser = login_as(Role.VERGUNNINGVERLENER)
    response = browser.submit(f"/aanvragen/{application.id}/status", {"to_status": "zienswijze"},
                              form_url=f"/aanvragen/{application.id}", follow_redirects=True)
    assert response.status_code == 200
    assert "geen toegestane stap" in response.get_data(as_text=True)


def test_the_decision_date_cannot_precede_receipt(app, db, make_application):
    application = make_application(PermitType.ESCORTBEDRIJF, status=S.IN_BEHANDELING, received_days_ago=5)
    with app.test_request_context(), pytest.raises(ApplicationError, match="vóór de datum van ontvangst"):
        services.decide(application, outcome=S.VERLEEND, decided_on=TODAY - timedelta(days=30), grounds="x",
                        valid_from=TODAY, valid_until=None, conditions="", max_persons=None, actor=UserFactory(),
                        today=TODAY)
