"""The register's pages: who sees what (roles, confidentiality), review in the browser, the re-screen button."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from barrier.models import ApplicationStatus, AuditEvent, Role
from barrier.models.register import Confidentiality, HitStatus, RegisterHit, RescreenRun, RescreenStatus, RiskEntity
from barrier.register import services

TODAY = date.today()  # noqa: DTZ011


@pytest.fixture
def hit_setup(make_entity, make_application, db):
    """An Assen application whose applicant is in the register twice: a shared entry and an Emmen-only one."""
    shared = make_entity(given_names="P.", surname="Jansen", birth_date=date(1980, 5, 17), reason="RIEC: katvanger")
    secret = make_entity("adres", street="Kloosterstraat", house_number="12", postcode="9401 AB", city="Assen",
                         gemeente="GM0114", confidentiality=Confidentiality.EIGEN_GEMEENTE,
                         reason="Emmen: lopend onderzoek uitbuiting")
    application = make_application(status=ApplicationStatus.ONTVANGEN)
    hits = {h.entity_id: h for h in db.session.scalars(select(RegisterHit).where(
        RegisterHit.application_id == application.id))}
    return application, shared, secret, hits[shared.id], hits[secret.id]


@pytest.mark.parametrize(("role", "status"), [
    (Role.VERGUNNINGVERLENER, 403), (Role.TOEZICHTHOUDER, 403), (Role.AANDACHTFUNCTIONARIS, 403),
    (Role.KETENREGISSEUR, 403), (Role.BIBOB_COORDINATOR, 200), (Role.BEHEERDER, 200),
])
def test_the_register_is_for_coordinators_and_the_beheerder(login_as, role, status):
    assert login_as(role).get("/register").status_code == status


def test_the_vergunningverlener_sees_no_hits_on_the_application_nor_in_the_list(login_as, hit_setup):
    application = hit_setup[0]
    browser = login_as(Role.VERGUNNINGVERLENER)
    page = browser.get(f"/aanvragen/{application.id}").get_data(as_text=True)
    assert "Registertreffers" not in page and "Jansen" in page
    assert "open treffer" not in browser.get("/aanvragen").get_data(as_text=True)
    assert browser.get(f"/register/treffers/{hit_setup[3].id}").status_code == 403


def test_the_coordinator_sees_hits_on_the_application_and_a_badge_in_the_list(login_as, hit_setup, db):
    application, shared, _secret, shared_hit, secret_hit = hit_setup
    browser = login_as(Role.BIBOB_COORDINATOR)
    assert "2 open treffers" in browser.get("/aanvragen").get_data(as_text=True)
    page = browser.get(f"/aanvragen/{application.id}").get_data(as_text=True)
    assert "Registertreffers" in page and "P. Jansen" in page and "geboortedatum" in page
    assert "Vertrouwelijke registratie (Emmen)" in page and "lopend onderzoek" not in page
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "register_hits.viewed",
                                                      AuditEvent.object_id == str(application.id)))
    home = browser.get("/").get_data(as_text=True)
    assert "Treffers wachtend op beoordeling" in home and application.reference in home


def test_a_coordinator_of_another_gemeente_never_sees_an_own_gemeente_entry(login_as, hit_setup, make_entity):
    _application, _shared, secret, _shared_hit, secret_hit = hit_setup
    assen = login_as(Role.BIBOB_COORDINATOR, gemeente="GM0106")
    assert assen.get(f"/register/{secret.id}").status_code == 404
    listing = assen.get("/register?q=kloosterstraat").get_data(as_text=True)
    assert "lopend onderzoek" not in listing and f"/register/{secret.id}\"" not in listing
    detail = assen.get(f"/register/treffers/{secret_hit.id}").get_data(as_text=True)
    assert "Vertrouwelijke registratie (Emmen)" in detail
    assert "lopend onderzoek" not in detail and "Kloosterstr" not in detail.split("Mogelijk in het register als")[1]
    emmen = login_as(Role.BIBOB_COORDINATOR, gemeente="GM0114")
    page = emmen.get(f"/register/{secret.id}").get_data(as_text=True)
    assert "lopend onderzoek uitbuiting" in page
    assert emmen.get(f"/register/treffers/{secret_hit.id}").status_code == 404  # an Assen application


def test_the_beheerder_sees_regional_entries_only(login_as, make_entity):
    regional = make_entity(surname="Sanctie", gemeente=None, confidentiality=Confidentiality.REGIONAAL,
                           reason="EU-sanctielijst")
    coordinators_only = make_entity(surname="Geheim", reason="Alleen coördinatoren")
    beheerder = login_as(Role.BEHEERDER)
    assert beheerder.get(f"/register/{regional.id}").status_code == 200
    assert beheerder.get(f"/register/{coordinators_only.id}").status_code == 404
    listing = beheerder.get("/register").get_data(as_text=True)
    assert "Sanctie" in listing and "Geheim" not in listing and "niet getoond" in listing


def test_the_search_uses_the_engine_for_other_spellings(login_as, make_entity):
    entity = make_entity(given_names="J.", surname="Vries", surname_prefix="de", birth_date=date(1970, 1, 1))
    page = login_as(Role.BIBOB_COORDINATOR).get("/register?q=Jan+de+Fries").get_data(as_text=True)
    assert "Lijkt op" in page and f"/register/{entity.id}" in page


def test_reviewing_in_the_browser_is_audited_and_a_dismissal_needs_a_reason(login_as, hit_setup, db):
    application, _shared, _secret, shared_hit, _secret_hit = hit_setup
    browser = login_as(Role.BIBOB_COORDINATOR)
    url = f"/register/treffers/{shared_hit.id}"
    detail = browser.get(url).get_data(as_text=True)
    assert "Beoordeling opslaan" in detail
    # The features table writes contributions the Dutch way, as the explanation does ("+0,47").
    contributions = re.findall(r'<td class="num">([^<]*)</td>', detail)
    assert contributions and all(re.fullmatch(r"[+−]\d,\d\d", c) for c in contributions), contributions
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "register_hit.viewed",
                                                      AuditEvent.object_id == str(shared_hit.id)))
    response = browser.submit(f"{url}/beoordelen", {"decision": "afgewezen", "reason": ""}, form_url=url)
    assert response.status_code == 422 and "Geef een reden" in response.get_data(as_text=True)
    assert db.session.get(RegisterHit, shared_hit.id).status is HitStatus.OPEN
    response = browser.submit(f"{url}/beoordelen", {"decision": "afgewezen", "reason": "Andere geboorteplaats"},
                              form_url=url)
    assert response.status_code == 302
    hit = db.session.get(RegisterHit, shared_hit.id)
    assert hit.status is HitStatus.AFGEWEZEN and hit.review_reason == "Andere geboorteplaats"
    response = browser.submit(f"{url}/beoordelen", {"decision": "bevestigd", "next": "application"}, form_url=url)
    assert response.headers["Location"].endswith(f"/aanvragen/{application.id}#section-register-hits")
    assert [e.details["decision"] for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "register_hit.reviewed").order_by(AuditEvent.id))] == [
        "afgewezen", "bevestigd"]
    assert "1 open treffer" in browser.get("/aanvragen").get_data(as_text=True)


def test_adding_editing_and_deleting_an_entry_each_raise_the_version(login_as, db):
    browser = login_as(Role.BIBOB_COORDINATOR)
    start = services.current_version()
    form = {"kind": "organisatie", "name": "Noorderlicht Wellness B.V.", "kvk_number": "12345678",
            "source": "bibob_besluit", "reason": "Weigering art. 3 Wet Bibob", "gemeente": "", "country": "NL",
            "recorded_on": TODAY.isoformat(), "confidentiality": "eigen_gemeente"}
    response = browser.submit("/register/nieuw", {**form, "gemeente": ""})
    assert response.status_code == 422  # another gemeente (none) than the coordinator's own
    from tests.factories import gemeente_by_code

    form["gemeente"] = str(gemeente_by_code(db.session, "GM0106").id)
    response = browser.submit("/register/nieuw", form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    entity = db.session.scalar(select(RiskEntity).where(RiskEntity.name == "Noorderlicht Wellness B.V."))
    created = services.current_version()
    assert created > start  # versions rise; on PostgreSQL a rolled-back id is skipped
    edit_url = f"/register/{entity.id}/bewerken"
    stale = {**form, "reason": "Eerste wijziging", "version": "1"}
    assert browser.submit(edit_url, stale).status_code == 302
    edited = services.current_version()
    assert edited > created
    response = browser.submit(edit_url, {**form, "reason": "Tweede, verouderd formulier", "version": "1"})
    assert response.status_code == 422 and "intussen gewijzigd" in response.get_data(as_text=True)
    assert 'name="version" type="hidden" value="2"' in response.get_data(as_text=True)  # saving again is deliberate
    assert services.current_version() == edited  # the refused stale form added no version
    response = browser.submit(f"/register/{entity.id}/verwijderen", {"reason": "Besluit vernietigd in beroep"},
                              form_url=f"/register/{entity.id}")
    assert response.status_code == 302
    assert db.session.get(RiskEntity, entity.id).is_deleted and services.current_version() > edited


def test_an_organisation_is_entered_with_its_trade_names_in_a_field_of_their_own(login_as, db):
    from tests.factories import gemeente_by_code

    browser = login_as(Role.BIBOB_COORDINATOR)
    form = {"kind": "organisatie", "name": "Lubbers Beheer B.V.", "trade_names": "Club Venus; Venus Escort",
            "kvk_number": "", "source": "bibob_besluit", "reason": "Weigering art. 3 Wet Bibob", "country": "NL",
            "gemeente": str(gemeente_by_code(db.session, "GM0106").id), "recorded_on": TODAY.isoformat(),
            "confidentiality": "regionaal"}
    # Together too long for the register: said on the trade names, and nothing typed is lost.
    too_long = {**form, "trade_names": "; ".join(f"Handelsnaam nummer {i} van deze onderneming" for i in range(5))}
    response = browser.submit("/register/nieuw", too_long)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="trade_names-error"[^>]*>[^<]*Naam en handelsnamen zijn samen 2\d\d tekens, maximaal 200',
                     page), page[:3000]
    assert "Handelsnaam nummer 4 van deze onderneming" in page and 'value="Lubbers Beheer B.V."' in page
    assert db.session.scalar(select(RiskEntity).where(RiskEntity.name.like("Lubbers%"))) is None

    response = browser.submit("/register/nieuw", form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    entity = db.session.scalar(select(RiskEntity).where(RiskEntity.name.like("Lubbers%")))
    assert entity.name == "Lubbers Beheer B.V. h.o.d.n. Club Venus h.o.d.n. Venus Escort"
    detail = browser.get(f"/register/{entity.id}").get_data(as_text=True)
    assert "<dt>Naam</dt><dd>Lubbers Beheer B.V.</dd>" in detail
    assert "<dt>Handelsnamen</dt><dd>Club Venus; Venus Escort</dd>" in detail
    # The search finds the entry by a trade name alone.
    listing = browser.get("/register?q=Venus+Escort").get_data(as_text=True)
    assert f"/register/{entity.id}" in listing
    # Editing shows the names apart again, and saving them unchanged keeps the name.
    edit = browser.get(f"/register/{entity.id}/bewerken").get_data(as_text=True)
    assert 'name="name" type="text" value="Lubbers Beheer B.V."' in edit
    assert 'value="Club Venus; Venus Escort"' in edit
    response = browser.submit(f"/register/{entity.id}/bewerken",
                              {**form, "trade_names": "Club Venus", "version": str(entity.version)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(RiskEntity, entity.id).name == "Lubbers Beheer B.V. h.o.d.n. Club Venus"


def test_an_entry_of_another_gemeente_cannot_be_edited(login_as, make_entity):
    entity = make_entity(surname="Elders", gemeente="GM0114")
    browser = login_as(Role.BIBOB_COORDINATOR, gemeente="GM0106")
    assert browser.get(f"/register/{entity.id}").status_code == 200  # bibob_coordinatoren: visible
    assert browser.get(f"/register/{entity.id}/bewerken").status_code == 404


def test_the_beheerder_re_screens_with_the_button(login_as, hit_setup, make_entity, db):
    make_entity(given_names="Kees", surname="Nieuw", reason="Nieuw signaal")
    browser = login_as(Role.BEHEERDER)
    page = browser.get("/register/herscreening").get_data(as_text=True)
    assert "1 te screenen" in page
    response = browser.submit("/register/herscreening", {})
    assert response.status_code == 302
    run = db.session.scalars(select(RescreenRun).order_by(RescreenRun.id.desc())).first()
    assert run.status is RescreenStatus.KLAAR and run.done == 1 and run.total == 1
    assert "alles bij" in browser.get("/register/herscreening").get_data(as_text=True)
    assert "Registerimport / herscreening" in browser.get("/").get_data(as_text=True)


def test_proposals_are_confirmed_in_the_browser(login_as, make_application, app, db):
    from barrier.models import Application
    from barrier.models.register import RegisterProposal

    application = make_application(status=ApplicationStatus.ONTVANGEN)
    with app.test_request_context():
        services.propose_register_entries(db.session.get(Application, application.id), "Geweigerd op Bibob-gronden",
                                          "vergunning_geweigerd")
        db.session.commit()
    browser = login_as(Role.BIBOB_COORDINATOR)
    assert "Voorstellen voor het risicoregister" in browser.get("/").get_data(as_text=True)
    proposal = db.session.scalars(select(RegisterProposal).order_by(RegisterProposal.id)).first()
    page = browser.get("/register/voorstellen").get_data(as_text=True)
    assert "Pieter Jansen" in page
    response = browser.submit(f"/register/voorstellen/{proposal.id}/bevestigen",
                              {f"p{proposal.id}-confidentiality": "regionaal"}, form_url="/register/voorstellen")
    assert response.status_code == 302
    assert db.session.get(RegisterProposal, proposal.id).entity_id is not None
