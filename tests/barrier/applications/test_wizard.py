"""The intake wizard through the real forms: every step, drafts, failed validation keeps input."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from barrier.models import Application, ApplicationStatus, Document, PartyRole, Person, Role

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"0" * 200


def _app(db, app_id) -> Application:
    db.session.expire_all()
    return db.session.get(Application, app_id)


def _field_errors(html: str) -> list[str]:
    return re.findall(r'class="field__error"[^>]*>(.*?)</p>', html, re.S)


def _start(browser, permit_type: str, **extra) -> int:
    response = browser.submit("/aanvragen/nieuw", {"permit_type": permit_type, "trade_name": "De Linde", **extra})
    assert response.status_code == 302, _field_errors(response.get_data(as_text=True))
    return int(re.search(r"/aanvragen/(\d+)/stap/aanvrager", response.headers["Location"]).group(1))


ADDRESS = {"address-street": "Kloosterstraat", "address-house_number": "12", "address-house_number_suffix": "a",
           "address-postcode": "9401ab", "address-city": "Assen"}


def _applicant_org(browser, app_id):
    url = f"/aanvragen/{app_id}/stap/aanvrager"
    return browser.submit(url, {"role": "aanvrager", "kind": "organisatie", "kind_submitted": "1", "name": "De Linde B.V.",
                                "legal_form": "bv", "kvk_number": "6972 2334", "action": "verder", **ADDRESS})


def test_a_verhuurvergunning_goes_through_every_step_and_is_submitted(login_as, db):
    browser = login_as(Role.VERGUNNINGVERLENER)
    app_id = _start(browser, "verhuurvergunning")
    assert _app(db, app_id).status is ApplicationStatus.CONCEPT
    assert _applicant_org(browser, app_id).status_code == 302
    # betrokkenen: the owner of the building, a person with a BSN
    owner = browser.submit(f"/aanvragen/{app_id}/stap/betrokkenen", {
        "role": "eigenaar_pand", "kind": "persoon", "given_names": "Jan", "surname_prefix": "de", "surname": "Vries",
        "birth_date": "1971-03-02", "bsn": "111222333", "action": "toevoegen"})
    assert owner.status_code == 302, _field_errors(owner.get_data(as_text=True))
    browser.submit(f"/aanvragen/{app_id}/stap/betrokkenen", {"action": "verder"})
    located = browser.submit(f"/aanvragen/{app_id}/stap/locatie", {**ADDRESS, "action": "verder"})
    assert located.status_code == 302
    details = {"persons": "8", "accommodation_type": "a", "floor_area_m2": "110", "toilets": "1", "showers": "1",
               "landlord_is_employer": "nee", "contact_name": "Beheer", "contact_phone": "0612345678",
               "rooms-0-area_m2": "10", "rooms-0-beds": "2", "rooms-1-area_m2": "10", "rooms-1-beds": "2",
               "rooms-2-area_m2": "10", "rooms-2-beds": "2", "rooms-3-area_m2": "10", "rooms-3-beds": "2", "action": "verder"}
    saved = browser.submit(f"/aanvragen/{app_id}/stap/gegevens", details)
    assert saved.status_code == 302, _field_errors(saved.get_data(as_text=True))
    upload = browser.submit(f"/aanvragen/{app_id}/stap/documenten",
                            {"kind": "plattegrond", "file": (__import__("io").BytesIO(PDF), "plattegrond.pdf")},
                            content_type="multipart/form-data")
    assert upload.status_code == 302
    review = browser.get(f"/aanvragen/{app_id}/stap/controle").get_data(as_text=True)
    assert "Huisvestingsnormen" in review
    assert "Model-huurovereenkomst" in review  # still missing: listed with its source
    submitted = browser.submit(f"/aanvragen/{app_id}/stap/controle", {})
    assert submitted.status_code == 302
    app = _app(db, app_id)
    assert app.status is ApplicationStatus.ONTVANGEN
    assert re.fullmatch(r"0106-\d{4}-\d{5}", app.reference)
    assert app.deadline_on is not None
    assert {p.role for p in app.parties} == {PartyRole.AANVRAGER, PartyRole.EIGENAAR_PAND}
    owner_person = db.session.scalar(select(Person).where(Person.surname == "Vries"))
    assert owner_person.bsn_last4 == "2333" and "111222333" not in (owner_person.bsn_encrypted or "")
    assert app.location.postcode == "9401 AB" and app.location.house_number_suffix == "A"
    assert db.session.scalar(select(Document).where(Document.application_id == app_id)).content_type == "application/pdf"
    page = browser.get(f"/aanvragen/{app_id}").get_data(as_text=True)
    assert app.reference in page and "Uiterste beslisdatum" in page
    assert "111222333" not in page and "*****2333" in page


@pytest.mark.parametrize("permit_type", ["seksinrichting", "escortbedrijf"])
def test_sex_business_applications_have_their_own_particulars(login_as, db, permit_type):
    browser = login_as(Role.VERGUNNINGVERLENER)
    extra = {"sub_type": "club"} if permit_type == "seksinrichting" else {}
    app_id = _start(browser, permit_type, **extra)
    _applicant_org(browser, app_id)
    html = browser.get(f"/aanvragen/{app_id}/stap/gegevens").get_data(as_text=True)
    if permit_type == "seksinrichting":
        assert "Aantal werkkamers" in html
        data = {"opening_hours": "ma-za 12-02", "workrooms": "5", "action": "verder"}
    else:
        assert "Telefoonnummers" in html and "werkkamers" not in html
        data = {"opening_hours": "dagelijks", "phone_numbers": "0612345678", "websites": "https://escort.example",
                "action": "verder"}
    assert browser.submit(f"/aanvragen/{app_id}/stap/gegevens", data).status_code == 302
    assert _app(db, app_id).details["opening_hours"]


def test_a_seksinrichting_needs_its_sub_type(login_as, db):
    browser = login_as(Role.VERGUNNINGVERLENER)
    response = browser.submit("/aanvragen/nieuw", {"permit_type": "seksinrichting", "trade_name": "Club Rood"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Kies het soort seksinrichting." in html
    assert 'value="Club Rood"' in html  # kept


def test_failed_validation_keeps_everything_typed_and_explains_next_to_the_field(login_as, db):
    browser = login_as(Role.VERGUNNINGVERLENER)
    app_id = _start(browser, "verhuurvergunning")
    response = browser.submit(f"/aanvragen/{app_id}/stap/aanvrager", {
        "role": "aanvrager", "kind": "persoon", "kind_submitted": "1", "given_names": "Anna", "surname": "Bakker",
        "birth_date": "2999-01-01", "bsn": "123456789", "address-postcode": "94O1 AB", "address-street": "Markt",
        "address-house_number": "3", "address-city": "Assen", "action": "verder"})
    html = response.get_data(as_text=True)
    errors = " ".join(_field_errors(html))
    assert response.status_code == 200
    assert "Een geboortedatum kan niet in de toekomst liggen." in errors
    assert "elfproef" in errors
    assert "geldige postcode" in errors
    for kept in ('value="Anna"', 'value="Bakker"', 'value="94O1 AB"', 'value="Markt"'):
        assert kept in html
    assert 'class="error-summary"' in html
    assert _app(db, app_id).applicant is None  # nothing half-saved


def test_an_organisations_trade_names_are_kept_and_shown(login_as, db):
    browser = login_as(Role.VERGUNNINGVERLENER)
    app_id = _start(browser, "verhuurvergunning")
    url = f"/aanvragen/{app_id}/stap/aanvrager"
    fields = {"role": "aanvrager", "kind": "organisatie", "kind_submitted": "1", "name": "De Linde B.V.",
              "legal_form": "bv", "kvk_number": "6972 2334", "action": "verder", **ADDRESS}
    too_long = browser.submit(url, {**fields, "trade_names": "Linde Wonen; " * 40})
    html = too_long.get_data(as_text=True)
    assert any("400" in e for e in _field_errors(html)) and "Linde Wonen; Linde Wonen" in html  # typed text kept
    assert _app(db, app_id).applicant is None
    assert browser.submit(url, {**fields, "trade_names": "Linde Wonen; Short Stay Assen"}).status_code == 302
    organisation = _app(db, app_id).applicant.organisation
    assert organisation.trade_names == "Linde Wonen; Short Stay Assen"
    page = browser.get(f"/aanvragen/{app_id}/stap/betrokkenen").get_data(as_text=True)
    assert "h.o.d.n. Linde Wonen; Short Stay Assen" in page


def test_an_organisation_without_kvk_or_a_person_without_name_is_refused(login_as, db):
    browser = login_as(Role.VERGUNNINGVERLENER)
    app_id = _start(browser, "verhuurvergunning")
    org = browser.submit(f"/aanvragen/{app_id}/stap/aanvrager", {"role": "aanvrager", "kind": "organisatie",
                                                                 "kind_submitted": "1", "legal_form": "bv"})
    assert "Vul de statutaire naam in." in org.get_data(as_text=True)
    assert "Vul het KvK-nummer in" in org.get_data(as_text=True)


def test_hostile_and_oversized_input_is_contained(login_as, db):
    browser = login_as(Role.VERGUNNINGVERLENER)
    app_id = _start(browser, "verhuurvergunning")
    hostile = "<img src=x onerror=alert(1)>'; DROP TABLE applications;--\x00\x1b[31m"
    response = browser.submit(f"/aanvragen/{app_id}/stap/aanvrager", {
        "role": "aanvrager", "kind": "persoon", "kind_submitted": "1", "given_names": hostile, "surname": "x" * 300,
        "birth_date": "1980-01-01", "action": "verder"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<img src=x" not in html and "&lt;img src=x" in html
    assert "\x00" not in html
    assert any("200" in e for e in _field_errors(html))  # Length(max=200)


def test_a_draft_is_resumed_from_the_home_page(login_as, db):
    browser = login_as(Role.VERGUNNINGVERLENER)
    app_id = _start(browser, "escortbedrijf")
    home = browser.get("/").get_data(as_text=True)
    assert f"/aanvragen/{app_id}/stap/aanvrager" in home
    assert "Concepten" in home


def test_submitting_without_an_applicant_is_refused(login_as, db):
    browser = login_as(Role.VERGUNNINGVERLENER)
    app_id = _start(browser, "escortbedrijf")
    response = browser.submit(f"/aanvragen/{app_id}/stap/controle", {}, follow_redirects=True)
    assert "Voeg eerst de aanvrager toe" in response.get_data(as_text=True)
    assert _app(db, app_id).status is ApplicationStatus.CONCEPT


def test_a_concurrent_edit_is_detected(login_as, db):
    browser = login_as(Role.VERGUNNINGVERLENER)
    app_id = _start(browser, "verhuurvergunning")
    stale = _app(db, app_id).version
    _applicant_org(browser, app_id)  # bumps the version
    response = browser.submit(f"/aanvragen/{app_id}/stap/locatie", {**ADDRESS, "version": str(stale), "action": "verder"})
    html = response.get_data(as_text=True)
    assert "Iemand anders heeft deze aanvraag intussen gewijzigd" in html
    assert 'value="Kloosterstraat"' in html
    assert _app(db, app_id).location is None


def test_another_officers_draft_is_not_visible(login_as, db):
    browser = login_as(Role.VERGUNNINGVERLENER)
    app_id = _start(browser, "verhuurvergunning")
    colleague = login_as(Role.BIBOB_COORDINATOR)
    assert colleague.get(f"/aanvragen/{app_id}").status_code in (403, 404)
    assert f">concept #{app_id}<" not in colleague.get("/aanvragen").get_data(as_text=True)
