"""The beslistermijn of an application: computed by the engine, suspended and extended (domain.md §10)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from barrier.applications import deadlines, services
from barrier.applications.services import ApplicationError
from barrier.models import ApplicationStatus, ClockEventKind, PermitType, Role
from tests.factories import UserFactory

TODAY = date.today()  # noqa: DTZ011


def _add(app, browser, **data):
    return browser.submit(f"/aanvragen/{app.id}/termijn", data, form_url=f"/aanvragen/{app.id}")


def test_a_submitted_application_gets_its_deadline(db, make_application):
    application = make_application(PermitType.SEKSINRICHTING, received_days_ago=10)
    # 8 weeks from receipt (APV art. 1:2 default for sex businesses; no Atw shift for a verordening term).
    assert application.deadline_on == TODAY - timedelta(days=10) + timedelta(weeks=8)


def test_an_aanvulling_with_hersteltermijn_suspends_the_deadline(login_as, db, make_application):
    application = make_application(PermitType.SEKSINRICHTING, received_days_ago=20, status=ApplicationStatus.IN_BEHANDELING)
    before = application.deadline_on
    browser = login_as(Role.VERGUNNINGVERLENER)
    asked, received = TODAY - timedelta(days=15), TODAY - timedelta(days=5)
    response = _add(application, browser, kind="aanvulling", start_on=asked.isoformat(), end_on=received.isoformat(),
                    weeks="2", notice_logged="y")
    assert response.status_code == 302
    db.session.expire_all()
    after = db.session.get(type(application), application.id).deadline_on
    assert (after - before).days == (received - asked).days  # practical counting, X - Q (§10.C.9)


def test_an_aanvulling_without_hersteltermijn_does_not_suspend(app, db, make_application):
    application = make_application(PermitType.SEKSINRICHTING, received_days_ago=20)
    before = application.deadline_on
    with app.test_request_context():
        services.add_clock_event(application, kind=ClockEventKind.AANVULLING, start_on=TODAY - timedelta(days=15),
                                 end_on=TODAY - timedelta(days=5), weeks=None, notice_logged=True, note="",
                                 actor=UserFactory(), today=TODAY)
    assert application.deadline_on == before  # ABRvS 2016:2527


def test_the_lbb_suspension_is_capped_at_eight_weeks_without_extension(app, db, make_application):
    application = make_application(PermitType.VERHUURVERGUNNING, received_days_ago=120)
    before = application.deadline_on
    with app.test_request_context():
        services.add_clock_event(application, kind=ClockEventKind.LBB_ADVIES, start_on=TODAY - timedelta(days=110),
                                 end_on=None, weeks=0, notice_logged=True, note="", actor=UserFactory(), today=TODAY)
    assert (application.deadline_on - before).days >= 56
    result = deadlines.compute(application, today=TODAY)
    assert result.suspended_days == 56


def test_invalid_clock_input_is_refused_next_to_the_field(login_as, db, make_application):
    application = make_application(PermitType.SEKSINRICHTING, received_days_ago=5)
    browser = login_as(Role.VERGUNNINGVERLENER)
    response = _add(application, browser, kind="instemming", start_on=(TODAY - timedelta(days=10)).isoformat())
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "vóór de datum van ontvangst" in html
    response = _add(application, browser, kind="instemming", start_on=(TODAY - timedelta(days=2)).isoformat(),
                    end_on=(TODAY - timedelta(days=4)).isoformat())
    assert "De einddatum ligt vóór de begindatum." in response.get_data(as_text=True)


def test_a_verdaging_after_the_end_is_refused(app, db, make_application):
    application = make_application(PermitType.SEKSINRICHTING, received_days_ago=80)
    assert application.deadline_on < TODAY
    with app.test_request_context(), pytest.raises(ApplicationError):
        services.add_clock_event(application, kind=ClockEventKind.VERDAGING, start_on=TODAY - timedelta(days=1),
                                 end_on=None, weeks=8, notice_logged=True, note="", actor=UserFactory(), today=TODAY)
    assert not application.clock_events


def test_a_timely_verdaging_extends_the_deadline(app, db, make_application):
    application = make_application(PermitType.SEKSINRICHTING, received_days_ago=30)
    before = application.deadline_on
    with app.test_request_context():
        services.add_clock_event(application, kind=ClockEventKind.VERDAGING, start_on=TODAY - timedelta(days=1),
                                 end_on=None, weeks=4, notice_logged=True, note="", actor=UserFactory(), today=TODAY)
    assert application.deadline_on == before + timedelta(weeks=4)


def test_the_application_page_draws_the_time_bar_and_explains(login_as, db, make_application):
    application = make_application(PermitType.VERHUURVERGUNNING, received_days_ago=20)
    html = login_as(Role.VERGUNNINGVERLENER).get(f"/aanvragen/{application.id}").get_data(as_text=True)
    assert "timebar__running" in html
    assert "Hoe is deze datum berekend?" in html


def test_overdue_applications_top_the_home_page(db, login_as, make_application):
    application = make_application(PermitType.SEKSINRICHTING, received_days_ago=70)
    home = login_as(Role.VERGUNNINGVERLENER).get("/").get_data(as_text=True)
    assert application.reference in home
    assert "over termijn" in home
