"""Opening a Bibob dossier: by the Beleidsregel on submission, or by the coordinator; betrokkenen snapshot."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from barrier.applications import services as app_services
from barrier.bibob import services
from barrier.bibob.services import BibobError
from barrier.models import ApplicationStatus, PartyRole, PermitType
from barrier.models.bibob import BibobDossier, DossierStage, OpenReason
from tests.barrier.bibob.conftest import TODAY, audit_actions, set_policy
from tests.barrier.conftest import person


def _dossiers(db, app):
    return list(db.session.scalars(select(BibobDossier).where(BibobDossier.application_id == app.id)))


@pytest.mark.parametrize("permit_type", list(PermitType), ids=lambda t: t.value)
def test_submission_opens_a_dossier_when_the_policy_says_always(bibob, db, permit_type):
    coordinator = bibob.coordinator()
    app = bibob.application(permit_type, status=ApplicationStatus.ONTVANGEN, policy=None)  # no setting: the default
    [dossier] = _dossiers(db, app)
    assert dossier.open_reason is OpenReason.BELEIDSREGEL
    assert "BIB-SCOPE" in dossier.policy_source
    assert dossier.reference == f"BIBOB-{app.reference}"
    assert dossier.coordinator_id == coordinator.id
    assert dossier.stage is DossierStage.VRAGENFORMULIER
    expected = "wgv_verhuurvergunning" if permit_type is PermitType.VERHUURVERGUNNING else "seksbedrijf"
    assert dossier.checklist_key == f"{expected}-v1"
    # The betrokkenen are a snapshot of the application's parties, linked to them.
    assert [(p.name, p.role, p.application_party_id) for p in dossier.parties] == [
        (p.name, p.role.value, p.id) for p in app.parties]
    # Submitting is not held up: the application keeps its status.
    assert app.status is ApplicationStatus.ONTVANGEN
    assert audit_actions(db, "bibob_dossier.opened", dossier.id)[0].details["reason"] == "beleidsregel"


def test_no_dossier_is_opened_automatically_when_the_policy_says_bij_signaal(bibob, db):
    app = bibob.application(policy="bij_signaal")
    assert _dossiers(db, app) == []
    with bibob.flask_app.test_request_context():
        policy = services.bibob_policy(app)
    assert policy.value == "bij_signaal" and not policy.always
    assert "Beleidsregel Bibob Assen" in policy.source


def test_the_coordinator_opens_a_dossier_from_the_application_page(bibob, db, coordinator_browser):
    app = bibob.application(status=ApplicationStatus.IN_BEHANDELING)
    browser = coordinator_browser()
    page = browser.get(f"/aanvragen/{app.id}").get_data(as_text=True)
    assert "Bibob-dossier openen" in page
    response = browser.submit(f"/bibob/aanvragen/{app.id}/openen", form_url=f"/aanvragen/{app.id}")
    assert response.status_code == 302
    [dossier] = _dossiers(db, app)
    assert response.headers["Location"].endswith(f"/bibob/dossiers/{dossier.id}")
    assert dossier.open_reason is OpenReason.HANDMATIG
    assert dossier.coordinator_id == browser.user.id
    db.session.refresh(app)
    assert app.status is ApplicationStatus.BIBOB_ONDERZOEK  # the investigation starts (domain.md §1.6)
    assert any(e.text.startswith(f"Bibob-dossier {dossier.reference} geopend") for e in app.events)


def test_a_second_dossier_on_the_same_application_is_refused(bibob):
    dossier = bibob.dossier()
    with pytest.raises(BibobError, match="loopt al Bibob-dossier"):
        bibob.dossier(dossier.application)


def test_a_draft_gets_no_dossier(bibob):
    app = bibob.application(status=ApplicationStatus.CONCEPT)
    with pytest.raises(BibobError, match="ingediende aanvraag"):
        bibob.dossier(app)


def test_a_coordinator_of_another_gemeente_cannot_open_a_dossier_here(bibob, db, coordinator_browser):
    app = bibob.application()
    browser = coordinator_browser("GM0114")
    response = browser.submit(f"/bibob/aanvragen/{app.id}/openen", form_url="/")
    assert response.status_code == 404
    assert _dossiers(db, app) == []


def test_new_parties_on_the_application_are_shown_and_taken_over_on_request(bibob, db, coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.dossier(coordinator=browser.user)
    app = dossier.application
    with bibob.flask_app.test_request_context():
        lender = app_services.upsert_person(person(surname="Bakker", given="Rob"))
        app_services.add_party(app, role=PartyRole.VERMOGENSVERSCHAFFER, person=lender, amount_eur=85000.0,
                               actor=app.officer)
        db.session.commit()
        changes = services.party_changes(dossier)
    assert [p.name for p in changes.new] == ["Rob Bakker"]
    page = browser.get(f"/bibob/dossiers/{dossier.id}").get_data(as_text=True)
    assert "nog niet in het dossier zijn opgenomen" in page
    assert browser.submit(f"/bibob/dossiers/{dossier.id}/betrokkenen", form_url=f"/bibob/dossiers/{dossier.id}").status_code == 302
    dossier = bibob.reload(dossier)
    assert "Rob Bakker" in [p.name for p in dossier.parties]
    assert dossier.parties[-1].identifier == "geb. 17-05-1980"  # never the BSN


def test_a_decision_on_the_application_closes_the_dossier_and_starts_retention(bibob, db):
    dossier = bibob.judged()
    app = dossier.application
    with bibob.flask_app.test_request_context():
        app_services.decide(app, outcome=ApplicationStatus.VERLEEND_MET_VOORSCHRIFTEN, decided_on=TODAY, grounds="Bibob: voorschriften.",
                            valid_from=None, valid_until=None, conditions="Jaarrekening overleggen.", max_persons=None,
                            actor=app.officer, today=TODAY)
        db.session.commit()
    dossier = bibob.reload(dossier)
    assert dossier.stage is DossierStage.AFGEROND
    assert dossier.decided_on == TODAY


def test_opening_is_refused_with_a_clear_error_when_the_checklist_cannot_be_loaded(bibob, app, tmp_path, monkeypatch):
    application = bibob.application()
    monkeypatch.setitem(app.config, "BIBOB_CHECKLIST_DIR", str(tmp_path))  # an empty directory
    with pytest.raises(BibobError, match="checklist kan niet worden geladen"):
        bibob.dossier(application)


def test_the_automatic_opening_never_breaks_a_submission(bibob, db, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "BIBOB_CHECKLIST_DIR", str(tmp_path))
    application = bibob.application(policy="altijd", status=ApplicationStatus.ONTVANGEN)
    assert application.reference and _dossiers(db, application) == []
    assert audit_actions(db, "bibob_dossier.auto_open_failed", application.id)


def test_policy_defaults_follow_domain_md(bibob, db):
    set_policy(db, "GM0106", PermitType.VERHUURVERGUNNING, "steekproef")
    escort = bibob.application(PermitType.ESCORTBEDRIJF, policy=None, status=ApplicationStatus.ONTVANGEN)
    housing = bibob.application(PermitType.VERHUURVERGUNNING, policy=None, status=ApplicationStatus.ONTVANGEN)
    with bibob.flask_app.test_request_context():
        assert services.bibob_policy(escort).always
        assert "BIB-SCOPE-SEKS" in services.bibob_policy(escort).source
        assert services.bibob_policy(housing).value == "steekproef"
    assert _dossiers(db, escort) and not _dossiers(db, housing)


def test_a_party_removed_from_the_application_stays_in_the_snapshot_and_is_flagged(bibob, db, coordinator_browser):
    browser = coordinator_browser()
    app = bibob.application()
    with bibob.flask_app.test_request_context():
        lender = app_services.upsert_person(person(surname="Bakker", given="Rob"))
        party = app_services.add_party(app, role=PartyRole.VERMOGENSVERSCHAFFER, person=lender, amount_eur=85000.0,
                                       actor=app.officer)
        db.session.commit()
    dossier = bibob.dossier(app, coordinator=browser.user)
    assert "Rob Bakker" in [p.name for p in dossier.parties]
    with bibob.flask_app.test_request_context():
        app_services.remove_party(app, party.id, actor=app.officer)
        db.session.commit()
    dossier = bibob.reload(dossier)
    [kept] = [p for p in dossier.parties if p.name == "Rob Bakker"]
    assert kept.application_party_id is None and kept.amount_eur == 85000.0  # what was investigated is kept
    page = browser.get(f"/bibob/dossiers/{dossier.id}").get_data(as_text=True)
    assert "niet meer op de aanvraag" in page and "€ 85.000,00" in page
