"""LBB advice: the request suspends the application's deadline (8 + 4 weeks), questions suspend further,
the advice received ends the suspension; vergewissing; voornemen tot weigeren and zienswijze."""

from __future__ import annotations

from datetime import timedelta

import pytest

from barrier.applications import deadlines
from barrier.bibob import services
from barrier.bibob.services import BibobError, JudgementInput
from barrier.models import ApplicationStatus, ClockEventKind
from barrier.models.bibob import DossierStage
from screening.checklists import Advice, DangerLevel
from tests.barrier.bibob.conftest import TODAY, audit_actions


def _suspended(bibob, app) -> int:
    with bibob.flask_app.test_request_context():
        return deadlines.compute(app, today=TODAY).suspended_days


def test_an_lbb_request_suspends_the_application_deadline(bibob, db, coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.dossier(coordinator=browser.user, received_days_ago=20)
    app = dossier.application
    before = app.deadline_on
    requested = TODAY - timedelta(days=5)
    response = browser.submit(f"/bibob/dossiers/{dossier.id}/lbb", {
        "requested_on": requested.isoformat(), "extension_weeks": "0", "notice_logged": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.refresh(app)
    # While the advice is awaited the full cap counts: 8 weeks (domain.md §10 rule 13).
    assert app.deadline_on == before + timedelta(days=56)
    [event] = [e for e in app.clock_events if e.kind is ClockEventKind.LBB_ADVIES]
    dossier = bibob.reload(dossier)
    assert dossier.lbb_request.clock_event_id == event.id
    assert dossier.stage is DossierStage.LBB_AANGEVRAAGD
    assert app.status is ApplicationStatus.BIBOB_ONDERZOEK
    assert audit_actions(db, "bibob_dossier.lbb_requested", dossier.id)

    # The LBB extends by 4 weeks: the suspension grows to 12 weeks.
    browser.submit(f"/bibob/dossiers/{dossier.id}/lbb/{dossier.lbb_request.id}/verlenging", {"extension_weeks": "4"},
                   form_url=f"/bibob/dossiers/{dossier.id}/lbb")
    db.session.refresh(app)
    assert app.deadline_on == before + timedelta(days=84)

    # The advice arrives 3 days after the request: only those days stay suspended.
    received = requested + timedelta(days=3)
    response = browser.submit(f"/bibob/dossiers/{dossier.id}/lbb/{dossier.lbb_request.id}/advies", {
        "received_on": received.isoformat(), "reference": "LBB-2026-17", "a_level": "ernstig", "b_level": "geen",
        "summary": "Onverklaarde herkomst van vermogen.", "vergewist": "ja", "vergewis_note": "Bronnen nagelopen."},
        form_url=f"/bibob/dossiers/{dossier.id}/lbb")
    assert response.status_code == 302
    db.session.refresh(app)
    assert app.deadline_on == before + timedelta(days=3)
    assert event.end_on == received
    dossier = bibob.reload(dossier)
    assert dossier.stage is DossierStage.ADVIES_ONTVANGEN
    with bibob.flask_app.test_request_context():
        assessment = services.assessment_for(dossier)
    # The LBB's conclusion lifts the proposal (vergewisplicht, Awb 3:9).
    assert assessment.proposal is DangerLevel.ERNSTIG


def test_lbb_questions_to_the_betrokkene_suspend_on_top_of_the_cap(bibob, db):
    dossier = bibob.dossier(received_days_ago=30)
    coordinator = dossier.coordinator
    request = bibob.run(services.request_lbb_advice, dossier, requested_on=TODAY - timedelta(days=20), extension_weeks=0,
                        notice_logged=True, supplementary=False, actor=coordinator, today=TODAY)
    app = dossier.application
    base = app.deadline_on
    bibob.run(services.record_lbb_questions, dossier, request.id, asked_on=TODAY - timedelta(days=10), actor=coordinator,
              today=TODAY)
    assert bibob.reload(dossier).stage is DossierStage.LBB_VRAGEN
    bibob.run(services.record_lbb_answers, dossier, request.id, answered_on=TODAY - timedelta(days=4),
              actor=coordinator, today=TODAY)
    db.session.refresh(app)
    assert app.deadline_on == base + timedelta(days=6)  # art. 12 lid 4: the days until the answer
    assert bibob.reload(dossier).stage is DossierStage.LBB_AANGEVRAAGD


def test_an_lbb_event_the_officer_already_recorded_is_linked_not_duplicated(bibob, db):
    dossier = bibob.dossier(received_days_ago=30)
    app = dossier.application
    from barrier.applications import services as app_services

    requested = TODAY - timedelta(days=7)
    bibob.run(app_services.add_clock_event, app, kind=ClockEventKind.LBB_ADVIES, start_on=requested, end_on=None, weeks=0,
              notice_logged=True, note="door de vergunningverlener", actor=app.officer, today=TODAY)
    request = bibob.run(services.request_lbb_advice, dossier, requested_on=requested, extension_weeks=0,
                        notice_logged=True, supplementary=False, actor=dossier.coordinator, today=TODAY)
    assert len([e for e in app.clock_events if e.kind is ClockEventKind.LBB_ADVIES]) == 1
    assert request.clock_event.note == "door de vergunningverlener"


def test_a_request_in_the_future_or_a_second_open_request_is_refused(bibob):
    dossier = bibob.dossier()
    with pytest.raises(BibobError) as error:
        bibob.run(services.request_lbb_advice, dossier, requested_on=TODAY + timedelta(days=1), extension_weeks=0,
                  notice_logged=True, supplementary=False, actor=dossier.coordinator, today=TODAY)
    assert error.value.field == "requested_on"
    bibob.run(services.request_lbb_advice, dossier, requested_on=TODAY, extension_weeks=0, notice_logged=True,
              supplementary=False, actor=dossier.coordinator, today=TODAY)
    with pytest.raises(BibobError, match="loopt al een adviesaanvraag"):
        bibob.run(services.request_lbb_advice, dossier, requested_on=TODAY, extension_weeks=0, notice_logged=True,
                  supplementary=False, actor=dossier.coordinator, today=TODAY)
    with pytest.raises(BibobError, match="ten hoogste 4 weken"):
        bibob.run(services.set_lbb_extension, dossier, dossier.lbb_request.id, weeks=5, actor=dossier.coordinator,
                  today=TODAY)


def test_a_received_lbb_advice_needs_the_vergewissing_and_its_weight_before_the_judgement(bibob):
    dossier = bibob.dossier(received_days_ago=30)
    coordinator = dossier.coordinator
    request = bibob.run(services.request_lbb_advice, dossier, requested_on=TODAY - timedelta(days=20), extension_weeks=0,
                        notice_logged=True, supplementary=False, actor=coordinator, today=TODAY)
    bibob.run(services.record_lbb_advice, dossier, request.id, received_on=TODAY - timedelta(days=2), reference="",
              a_level=DangerLevel.GEEN, b_level=DangerLevel.GEEN, art3_lid6=False, summary="", vergewist=None,
              vergewis_note="", actor=coordinator, today=TODAY)
    judgement = JudgementInput(a_level=DangerLevel.GEEN, b_level=DangerLevel.GEEN, level=DangerLevel.GEEN,
                               advice=Advice.VERLENEN, art3_lid6=False, motivation="Geen aanwijzingen.")
    with pytest.raises(BibobError, match="vergewist") as error:
        bibob.run(services.record_judgement, dossier, judgement, actor=coordinator)
    assert error.value.field == "lbb_weight"
    request.vergewist = True
    with pytest.raises(BibobError, match="gewogen"):
        bibob.run(services.record_judgement, dossier, judgement, actor=coordinator)
    judgement = JudgementInput(**{**judgement.__dict__, "lbb_weight": "Het LBB vond niets; dat bevestigt het eigen onderzoek."})
    assert bibob.run(services.record_judgement, dossier, judgement, actor=coordinator).lbb_weight


def test_voornemen_and_zienswijze_are_recorded_and_move_the_application(bibob, db, coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.dossier(coordinator=browser.user, received_days_ago=40)
    url = f"/bibob/dossiers/{dossier.id}/procedure"
    # Before a judgement there is no voornemen.
    early = browser.submit(f"/bibob/dossiers/{dossier.id}/voornemen", {
        "sent_on": TODAY.isoformat(), "text": "Voornemen tot weigeren."}, form_url=url)
    assert "Leg eerst het oordeel vast" in early.get_data(as_text=True)
    bibob.judged(dossier, answers={"BIB-CL-SEK-G01": "veroordeling", "BIB-CL-SEK-H01": "ja", "BIB-CL-SEK-E03": "ja"})
    sent = TODAY - timedelta(days=15)
    assert browser.submit(f"/bibob/dossiers/{dossier.id}/voornemen", {
        "sent_on": sent.isoformat(), "text": "Voornemen tot weigeren op grond van art. 3 lid 1 sub b."},
        form_url=url).status_code == 302
    app = dossier.application
    db.session.refresh(app)
    assert app.status is ApplicationStatus.VOORNEMEN_WEIGEREN
    dossier = bibob.reload(dossier)
    assert dossier.zienswijze_due_on == sent + timedelta(days=14)
    assert dossier.stage is DossierStage.VOORNEMEN_WEIGEREN
    # The application's timeline, read by the vergunningverlener, names the step but not the contents.
    assert not any("art. 3 lid 1 sub b" in e.text for e in app.events)
    assert browser.submit(f"/bibob/dossiers/{dossier.id}/zienswijze", {
        "received_on": (sent + timedelta(days=10)).isoformat(), "text": "De veroordeling is van lang geleden.",
        "weighing": "Tijdsverloop meegewogen."}, form_url=url).status_code == 302
    db.session.refresh(app)
    assert app.status is ApplicationStatus.ZIENSWIJZE
    dossier = bibob.reload(dossier)
    assert dossier.stage is DossierStage.ZIENSWIJZE
    page = browser.get(url).get_data(as_text=True)
    assert "De veroordeling is van lang geleden." in page


def test_a_zienswijze_before_the_voornemen_is_refused(bibob):
    dossier = bibob.judged()
    with pytest.raises(BibobError, match="geen voornemen"):
        bibob.run(services.record_zienswijze, dossier, received_on=TODAY, text="x", weighing="", actor=dossier.coordinator,
                  today=TODAY)


def test_a_form_posted_from_a_stale_page_shows_why_it_was_refused(bibob, db, coordinator_browser):
    """Questions recorded in another tab: posting the questions form again from the old page is refused,
    and the reason is shown although that form is no longer on the page (the answers form is)."""
    browser = coordinator_browser()
    dossier = bibob.dossier(coordinator=browser.user, received_days_ago=20)
    lbb = f"/bibob/dossiers/{dossier.id}/lbb"
    browser.submit(lbb, {"requested_on": (TODAY - timedelta(days=5)).isoformat(), "extension_weeks": "0",
                         "notice_logged": "y"})
    request_id = bibob.reload(dossier).lbb_request.id
    questions = {"asked_on": (TODAY - timedelta(days=2)).isoformat()}
    assert browser.submit(f"{lbb}/{request_id}/vragen", questions, form_url=lbb).status_code == 302
    stale = browser.submit(f"{lbb}/{request_id}/vragen", questions, form_url=lbb)
    page = stale.get_data(as_text=True)
    assert stale.status_code == 200
    assert len(audit_actions(db, "bibob_dossier.lbb_questions_asked", dossier.id)) == 1
    assert [e.kind for e in bibob.reload(dossier).application.clock_events].count(ClockEventKind.LBB_VRAGEN) == 1
    assert "Er staan al vragen van het LBB open." in page
    assert 'name="answered_on"' in page and 'name="asked_on"' not in page
