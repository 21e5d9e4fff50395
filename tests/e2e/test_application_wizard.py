"""A vergunningverlener takes in an application of each type through every step of the wizard.

Type, aanvrager, betrokkenen, locatie, gegevens, documenten (a real PDF upload) and controle en
indienen; each path also fails one validation on purpose and checks that the input is still there
with a Dutch message next to the field. Every page on the way is audited (axe, CSP; conftest.py).
"""

from __future__ import annotations

import io
import re

import pytest

from tests.e2e.conftest import ACCOUNTS, Visit


def make_pdf(title: str) -> bytes:
    """A real PDF, as a scanner or a word processor would deliver it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    pdf.drawString(72, 760, title)
    pdf.drawString(72, 740, "Bedrijfsplan met intakegesprek en alarmvoorzieningen.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def fill(visitor: Visit, values: dict[str, str]) -> None:
    """Fill fields by their id (WTForms ids: ``surname``, ``address-postcode``, ``rooms-0-beds``)."""
    for field_id, value in values.items():
        visitor.page.locator(f"#{field_id}").fill(value)


def save_and_next(visitor: Visit, *, status: int = 200):
    return visitor.click(visitor.page.get_by_role("button", name="Bewaren en verder"), status=status)


def step_heading(visitor: Visit) -> str:
    return visitor.page.locator("main h2").first.inner_text()


def start(visitor: Visit, permit_type_label: str, *, sub_type: str | None = None, trade_name: str) -> int:
    visitor.goto("/aanvragen/nieuw")
    assert step_heading(visitor).startswith("1. Soort aanvraag")
    visitor.page.get_by_label(permit_type_label, exact=True).check()
    if sub_type:
        visitor.page.locator("#sub_type").select_option(sub_type)
    fill(visitor, {"trade_name": trade_name})
    visitor.click(visitor.page.get_by_role("button", name="Concept aanmaken en verder"))
    assert step_heading(visitor).startswith("2. Aanvrager"), visitor.text()[:400]
    match = re.search(r"/aanvragen/(\d+)/stap/aanvrager", visitor.page.url)
    assert match, visitor.page.url
    return int(match.group(1))


def applicant_organisation(visitor: Visit, name: str, kvk: str) -> None:
    visitor.page.get_by_label("Organisatie (rechtspersoon of onderneming)").check()
    fill(visitor, {"name": name, "kvk_number": kvk, "address-street": "Markt", "address-house_number": "3",
                   "address-postcode": "9401 GS", "address-city": "Assen"})
    visitor.page.locator("#legal_form").select_option("bv")
    save_and_next(visitor)
    assert step_heading(visitor).startswith("3. Betrokkenen"), visitor.text()[:600]


def add_person_party(visitor: Visit, role: str, given: str, surname: str, birth: str) -> None:
    visitor.page.locator("#role").select_option(role)
    visitor.page.get_by_label("Natuurlijk persoon").check()
    fill(visitor, {"given_names": given, "surname": surname, "birth_date": birth, "nationality": "Nederlands"})
    visitor.click(visitor.page.get_by_role("button", name="Betrokkene toevoegen"))
    assert "Betrokkene toegevoegd" in visitor.flash()
    assert surname in visitor.text("main table")


def location(visitor: Visit, street: str, number: str, postcode: str, city: str = "Assen") -> None:
    assert step_heading(visitor).startswith("4. Locatie")
    fill(visitor, {"address-street": street, "address-house_number": number, "address-postcode": postcode,
                   "address-city": city})
    save_and_next(visitor)
    assert step_heading(visitor).startswith("5. Gegevens"), visitor.text()[:600]


def upload_and_submit(visitor: Visit, tmp_path, kind: str, filename: str) -> None:
    assert step_heading(visitor).startswith("6. Documenten")
    pdf = tmp_path / filename
    pdf.write_bytes(make_pdf(filename))
    visitor.page.locator("#kind").select_option(kind)
    visitor.page.locator("#file").set_input_files(str(pdf))
    visitor.click(visitor.page.get_by_role("button", name="Uploaden"))
    assert "Document toegevoegd" in visitor.flash()
    link = visitor.page.get_by_role("link", name=filename)
    assert link.count() == 1
    # The upload comes back as an attachment (never shown inline), with the bytes that went in.
    with visitor.page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == filename
    assert download.path().read_bytes() == pdf.read_bytes()
    visitor.click(visitor.page.get_by_role("button", name="Verder naar controle"))
    assert step_heading(visitor).startswith("7. Controle en indienen")
    visitor.click(visitor.page.get_by_role("button", name="Aanvraag indienen"))
    assert "is ingediend" in visitor.flash()
    assert re.search(r"/aanvragen/\d+$", visitor.page.url), visitor.page.url


@pytest.fixture
def officer(visit) -> Visit:
    return visit.as_user(ACCOUNTS["vergunningverlener"])


def test_a_seksinrichting_through_every_step(officer, tmp_path):
    application_id = start(officer, "Exploitatievergunning seksinrichting", sub_type="club", trade_name="Club Noorderlicht")
    applicant_organisation(officer, "Noorderlicht Exploitatie B.V.", "12345678")
    add_person_party(officer, "bestuurder", "Henk", "Noorman", "1975-03-02")
    officer.click(officer.page.get_by_role("button", name="Klaar met betrokkenen, verder"))
    location(officer, "Industrieweg", "14", "9403 AB")
    # Failed validation: no opening hours and an impossible number of workrooms. Typed text stays.
    fill(officer, {"workrooms": "9999", "business_plan_summary": "Intake bij elke nieuwe sekswerker."})
    save_and_next(officer)
    assert step_heading(officer).startswith("5. Gegevens")
    assert officer.page.locator(".error-summary").count() == 1
    assert "Vul de openingstijden in." in officer.text("#opening_hours-error")
    assert "tussen 0 en 500" in officer.text("#workrooms-error")
    assert officer.page.locator("#workrooms").input_value() == "9999"
    assert officer.page.locator("#business_plan_summary").input_value() == "Intake bij elke nieuwe sekswerker."
    assert officer.page.locator("#workrooms").get_attribute("aria-invalid") == "true"
    fill(officer, {"opening_hours": "ma-za 12:00-02:00", "workrooms": "4", "max_sex_workers": "6"})
    officer.page.locator("#intake_procedure").check()
    officer.page.locator("#alarm_buttons").check()
    save_and_next(officer)
    upload_and_submit(officer, tmp_path, "bedrijfsplan", "bedrijfsplan-noorderlicht.pdf")
    page_text = officer.text()
    assert "Club Noorderlicht" in page_text
    assert "Noorderlicht Exploitatie B.V." in page_text
    assert officer.server.scalar("SELECT status FROM applications WHERE id = :id", id=application_id) == "ontvangen"


def test_an_escortbedrijf_through_every_step(officer, tmp_path):
    application_id = start(officer, "Exploitatievergunning escortbedrijf", trade_name="Escort Drenthe")
    # Failed validation: a BSN that fails the 11-proef and no date of birth; the names stay.
    officer.page.get_by_label("Natuurlijk persoon").check()
    fill(officer, {"given_names": "Anna Maria", "surname_prefix": "van der", "surname": "Berg", "bsn": "123456780"})
    save_and_next(officer)
    assert step_heading(officer).startswith("2. Aanvrager")
    assert "elfproef" in officer.text("#bsn-error")
    assert "Vul de geboortedatum in." in officer.text("#birth_date-error")
    assert officer.page.locator("#given_names").input_value() == "Anna Maria"
    assert officer.page.locator("#surname_prefix").input_value() == "van der"
    assert officer.page.locator("#surname").input_value() == "Berg"
    # The error summary links to the field, so a user can jump to it.
    assert officer.page.locator(".error-summary a[href='#bsn']").count() == 1
    fill(officer, {"bsn": "111222333", "birth_date": "1988-11-23"})
    save_and_next(officer)
    assert step_heading(officer).startswith("3. Betrokkenen"), officer.text()[:600]
    add_person_party(officer, "leidinggevende", "Joost", "Kuipers", "1990-01-15")
    officer.click(officer.page.get_by_role("button", name="Klaar met betrokkenen, verder"))
    # An escortbedrijf has a business address (its own step) but no workplace.
    location(officer, "Kloosterstraat", "8", "9401 KD")
    fill(officer, {"opening_hours": "dagelijks 18:00-04:00", "phone_numbers": "0612345678\n0592123456",
                   "websites": "https://escort-drenthe.example", "max_sex_workers": "5"})
    officer.page.locator("#intake_procedure").check()
    save_and_next(officer)
    upload_and_submit(officer, tmp_path, "identiteitsbewijs", "id-berg.pdf")
    assert "Escort Drenthe" in officer.text()
    assert officer.server.scalar("SELECT permit_type FROM applications WHERE id = :id", id=application_id) == "escortbedrijf"


def test_a_verhuurvergunning_through_every_step(officer, tmp_path):
    application_id = start(officer, "Verhuurvergunning verblijfsruimte arbeidsmigranten (Wet goed verhuurderschap)",
                           trade_name="Huisvesting Vaart")
    applicant_organisation(officer, "Vaart Huisvesting B.V.", "87654321")
    add_person_party(officer, "eigenaar_pand", "Gerrit", "Vos", "1962-07-30")
    officer.click(officer.page.get_by_role("button", name="Klaar met betrokkenen, verder"))
    location(officer, "Vaart Zuidzijde", "40", "9401 GE")
    # Failed validation: zero persons and a too-short telephone number; everything typed stays.
    officer.page.locator("#accommodation_type").select_option("a")
    fill(officer, {"persons": "0", "floor_area_m2": "120", "toilets": "2", "showers": "2", "kitchens": "1",
                   "contact_name": "Beheer Vaart", "contact_phone": "0612",
                   "rooms-0-area_m2": "12", "rooms-0-beds": "2", "rooms-1-area_m2": "10", "rooms-1-beds": "2"})
    officer.page.get_by_label("Nee").check()
    save_and_next(officer)
    assert step_heading(officer).startswith("5. Gegevens")
    assert "tussen 1 en 2000" in officer.text("#persons-error")
    assert "minstens 9 cijfers" in officer.text("#contact_phone-error")
    assert officer.page.locator("#contact_name").input_value() == "Beheer Vaart"
    assert officer.page.locator("#rooms-1-area_m2").input_value() in ("10", "10.0")
    assert officer.page.locator("#accommodation_type").input_value() == "a"
    fill(officer, {"persons": "4", "contact_phone": "0612345678"})
    save_and_next(officer)
    upload_and_submit(officer, tmp_path, "plattegrond", "plattegrond-vaart.pdf")
    assert "Vaart Huisvesting B.V." in officer.text()
    assert officer.server.scalar("SELECT count(*) FROM documents WHERE application_id = :id", id=application_id) == 1
