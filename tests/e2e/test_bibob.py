"""The Bibob-coördinator: opens a dossier, reviews a register hit, completes the checklist and
downloads the advice report as a PDF. Every page on the way is audited (axe, CSP; conftest.py)."""

from __future__ import annotations

import re

from tests.e2e.conftest import ACCOUNTS


def _unanswered(assessment: str) -> int:
    match = re.search(r"(\d+) vra(?:ag|gen) nog niet beantwoord", assessment)
    return int(match.group(1)) if match else 0


def test_the_bibob_coordinator_works_a_dossier_from_hit_to_advice_pdf(visit, live_server):
    coordinator = visit.as_user(ACCOUNTS["bibob"])
    coordinator.click(coordinator.page.locator("nav.main-nav").get_by_role("link", name="Bibob"))
    assert "/bibob" in coordinator.page.url

    # A register hit on an Assen application, waiting for review.
    hit_id = live_server.scalar(
        "SELECT h.id FROM register_hits h JOIN applications a ON a.id = h.application_id "
        "WHERE a.gemeente_id = (SELECT id FROM gemeenten WHERE cbs_code = 'GM0106') AND h.status = 'open' "
        "ORDER BY h.id LIMIT 1")
    assert hit_id, "the demo data has no open register hit in Assen"
    coordinator.goto(f"/register/treffers/{hit_id}")
    radios = coordinator.page.locator("input[name=decision]")
    if radios.count():
        radios.last.check()
    else:
        decision = coordinator.page.locator("select[name=decision]")
        decision.select_option([v for v in decision.locator("option").evaluate_all("os => os.map(o => o.value)") if v][-1])
    coordinator.page.locator("#reason").fill("Andere geboortedatum en woonplaats: niet dezelfde persoon.")
    coordinator.click(coordinator.page.get_by_role("button", name="Beoordeling opslaan"))
    assert "Treffer beoordeeld" in coordinator.flash()
    assert live_server.scalar("SELECT status FROM register_hits WHERE id = :id", id=hit_id) != "open"

    # The dossier of an Assen application: overview, then the checklist, every question answered.
    dossier_id = live_server.scalar(
        "SELECT id FROM bibob_dossiers WHERE gemeente_id = (SELECT id FROM gemeenten WHERE cbs_code = 'GM0106') "
        "AND id NOT IN "
        "(SELECT dossier_id FROM bibob_reports) ORDER BY id LIMIT 1") or live_server.scalar(
        "SELECT id FROM bibob_dossiers WHERE gemeente_id = (SELECT id FROM gemeenten WHERE cbs_code = 'GM0106') "
        "ORDER BY id LIMIT 1")
    assert dossier_id, "the demo data has no Bibob dossier in Assen"
    coordinator.goto(f"/bibob/dossiers/{dossier_id}")
    coordinator.goto(f"/bibob/dossiers/{dossier_id}/checklist")
    before = _unanswered(coordinator.text("section#beoordeling"))
    selects = coordinator.page.locator("form[action$='/checklist'] select")
    for index in range(selects.count()):
        select = selects.nth(index)
        values = select.locator("option").evaluate_all("os => os.map(o => o.value)")
        select.select_option("nee" if "nee" in values else next(v for v in values if v))
    coordinator.click(coordinator.page.get_by_role("button", name="Antwoorden opslaan en beoordelen"))
    # Every question the coordinator answers is answered; what stays open derives from the register
    # or the questionnaire, not from this form.
    assert "/checklist" in coordinator.page.url
    assert coordinator.page.locator(".error-summary").count() == 0
    after = _unanswered(coordinator.text("section#beoordeling"))
    assert after < before or before == 0, (before, after)

    # The advice report of a dossier that has one: the PDF, with a legal basis for the disclosure.
    reported = live_server.scalar(
        "SELECT r.dossier_id FROM bibob_reports r JOIN bibob_dossiers d ON d.id = r.dossier_id "
        "WHERE d.gemeente_id = (SELECT id FROM gemeenten WHERE cbs_code = 'GM0106') ORDER BY r.id LIMIT 1")
    assert reported, "the demo data has no Bibob report in Assen"
    coordinator.goto(f"/bibob/dossiers/{reported}/rapport")
    basis = coordinator.page.locator("#legal_basis")
    if basis.input_value() == "":
        basis.select_option(index=1)
    coordinator.page.locator("#purpose").fill("Advies aan de vergunningverlener")
    with coordinator.page.expect_download() as download_info:
        coordinator.page.locator(".download-buttons button").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert download.path().read_bytes().startswith(b"%PDF-")
