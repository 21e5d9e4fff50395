"""The advice report: issued versions stored with their hashes, downloads only with a legal basis
(each a DisclosureEvent and an audit entry), parsed back with pypdf; bad input gives a clear error
or a correct PDF."""

from __future__ import annotations

import hashlib
import io
import time

import pypdf
import pytest
from sqlalchemy import select

from barrier.bibob import reports, services
from barrier.bibob.reports import NotReportable
from barrier.models.bibob import AdviceReportVersion, DisclosureBasis, DisclosureEvent, InvestigationSource
from screening.report import MARKING, SECTION_TITLES, ReportStatus
from tests.barrier.bibob.conftest import TODAY, audit_actions


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text().replace("\u00a0", " ") for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _issue(bibob, dossier) -> AdviceReportVersion:
    return bibob.run(reports.issue_report, dossier, actor=dossier.coordinator, today=TODAY)


def test_an_issued_report_is_stored_downloaded_with_a_legal_basis_parsed_back_and_audited(bibob, db, coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.judged(coordinator=browser.user)
    bibob.run(services.add_investigation, dossier, source=InvestigationSource.KVK, consulted_on=TODAY, subject="aanvrager",
              outcome="Ingeschreven sinds 2024; bestuur klopt met de aanvraag.", is_finding=True, actor=browser.user,
              today=TODAY)
    url = f"/bibob/dossiers/{dossier.id}/rapport"
    assert browser.submit(f"/bibob/dossiers/{dossier.id}/rapport/vaststellen", form_url=url).status_code == 302
    [version] = bibob.reload(dossier).reports
    assert (version.version, len(version.pdf)) == (1, version.size_bytes)
    assert version.pdf_sha256 == hashlib.sha256(version.pdf).hexdigest()
    assert audit_actions(db, "bibob_report.issued", dossier.id)[0].details["content_hash"] == version.content_hash

    response = browser.submit(f"/bibob/rapporten/{version.id}/download", {
        "legal_basis": "DISC-INTERN", "recipient": "Eigen gebruik", "purpose": "dossiervorming"}, form_url=url)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert f"bibob-advies-{dossier.reference}-v1.pdf" in response.headers["Content-Disposition"]
    pdf = response.data
    assert pdf == version.pdf
    pages = _pages(pdf)
    text = "\n".join(pages)
    for number, page in enumerate(pages, start=1):
        assert MARKING in page
        assert f"pagina {number} van {len(pages)}" in page
    assert dossier.reference in pages[0] and "Definitief" in pages[0]
    assert version.content_hash in pages[0]
    positions = [text.find(title) for title in SECTION_TITLES]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), positions
    assert "Ingeschreven sinds 2024" in text  # the own investigation, with its source
    assert "Kamer van Koophandel" in text
    assert "Pieter Jansen" in text  # the betrokkene from the snapshot

    [event] = db.session.scalars(select(DisclosureEvent).where(DisclosureEvent.dossier_id == dossier.id)).all()
    assert event.legal_basis is DisclosureBasis.INTERN
    assert event.document_hash == hashlib.sha256(pdf).hexdigest()
    assert (event.report_id, event.report_version, event.actor_id, event.channel) == (version.id, 1, browser.user.id, "download")
    [audited] = audit_actions(db, "bibob_report.downloaded", dossier.id)
    assert audited.details["legal_basis"] == "DISC-INTERN" and audited.actor_id == browser.user.id
    # The disclosure is on the report page.
    assert "DISC-INTERN" in browser.get(url).get_data(as_text=True)


def test_a_download_without_a_legal_basis_is_refused(bibob, db, coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.judged(coordinator=browser.user)
    version = _issue(bibob, dossier)
    url = f"/bibob/dossiers/{dossier.id}/rapport"
    for data in ({"legal_basis": "", "recipient": "RIEC Noord"}, {"legal_basis": "DISC-VRIEND", "recipient": "een vriend"}):
        response = browser.submit(f"/bibob/rapporten/{version.id}/download", data, form_url=url)
        assert response.mimetype == "text/html"
        assert "%PDF" not in response.get_data(as_text=True)[:20]
    assert "Kies de wettelijke grondslag" in browser.submit(
        f"/bibob/rapporten/{version.id}/download", {"recipient": "x"}, form_url=url).get_data(as_text=True)
    assert db.session.scalars(select(DisclosureEvent)).all() == []
    assert audit_actions(db, "bibob_report.disclosure_refused", dossier.id)
    with bibob.flask_app.test_request_context(), pytest.raises(services.BibobError, match="wettelijke grondslag"):
        reports.record_disclosure(dossier, pdf=version.pdf, content_hash=version.content_hash, basis=None,
                                  recipient="x", purpose="", channel="download", actor=browser.user, report=version)


def test_a_concept_is_rendered_on_the_fly_and_its_download_is_a_disclosure_too(bibob, db, coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.judged(coordinator=browser.user)
    response = browser.submit(f"/bibob/dossiers/{dossier.id}/rapport/concept", {
        "legal_basis": "DISC-DRIEHOEK", "recipient": "Driehoek Assen"}, form_url=f"/bibob/dossiers/{dossier.id}/rapport")
    assert response.mimetype == "application/pdf"
    pages = _pages(response.data)
    assert "Concept" in pages[0] and "CONCEPT" in "\n".join(pages)
    assert bibob.reload(dossier).reports == []  # a concept is not stored
    [event] = db.session.scalars(select(DisclosureEvent)).all()
    assert event.is_concept and event.legal_basis is DisclosureBasis.DRIEHOEK and event.report_id is None


def test_a_report_asked_for_a_dossier_that_is_not_ready_gives_a_clear_error(bibob, db, coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.dossier(coordinator=browser.user)
    url = f"/bibob/dossiers/{dossier.id}/rapport"
    assert "Nog geen rapport mogelijk: er is nog geen oordeel" in browser.get(url).get_data(as_text=True)
    response = browser.submit(f"/bibob/dossiers/{dossier.id}/rapport/vaststellen", form_url=url, follow_redirects=True)
    assert "niet klaar voor een adviesrapport" in response.get_data(as_text=True)
    response = browser.submit(f"/bibob/dossiers/{dossier.id}/rapport/concept",
                              {"legal_basis": "DISC-INTERN", "recipient": "x"}, form_url=url, follow_redirects=True)
    assert response.mimetype == "text/html" and "niet klaar voor een adviesrapport" in response.get_data(as_text=True)
    with bibob.flask_app.test_request_context(), pytest.raises(NotReportable):
        reports.render_concept(dossier, today=TODAY)
    assert db.session.scalars(select(AdviceReportVersion)).all() == []


HOSTILE = ("<b>vet</b> & <script>alert(1)</script> <para>x</para> 😈🔥 "
           "مرحبا بالعالم שלום \u202ereversed\u202c " + "Zeerlangwoordzonderspaties" * 40 + " \x00\x07 ]]> %PDF-")


def test_hostile_text_in_findings_and_judgement_still_gives_a_correct_pdf(bibob, coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.dossier(coordinator=browser.user)
    bibob.run(services.add_investigation, dossier, source=InvestigationSource.OPEN_BRONNEN, consulted_on=TODAY,
              subject=HOSTILE[:200], outcome=HOSTILE * 3, is_finding=True, actor=browser.user, today=TODAY)
    bibob.run(services.save_report_texts, dossier, summary=HOSTILE, aanleiding=HOSTILE, actor=browser.user)
    bibob.judged(dossier, answers={"BIB-CL-SEK-I03": HOSTILE, "BIB-CL-SEK-E03": "ja"})
    version = _issue(bibob, dossier)
    pages = _pages(version.pdf)
    assert version.pdf.startswith(b"%PDF-") and version.pdf.rstrip().endswith(b"%%EOF")
    text = "\n".join(pages)
    assert "vet" in text and "Zeerlangwoord" in text
    assert all(MARKING in page for page in pages)


def test_the_report_is_generated_well_under_a_second(bibob):
    dossier = bibob.judged()
    with bibob.flask_app.test_request_context():
        reports.render_concept(dossier, today=TODAY)  # fonts and checklist warm
        started = time.perf_counter()
        rendered = reports.render(dossier, status=ReportStatus.DEFINITIEF, version=1, dated_on=TODAY)
        elapsed = time.perf_counter() - started
    assert rendered.pdf.startswith(b"%PDF-")
    assert elapsed < 1.0, f"{elapsed:.2f} s"


def test_each_issue_is_a_new_version_and_earlier_versions_stay_downloadable(bibob, coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.judged(coordinator=browser.user)
    first = _issue(bibob, dossier)
    bibob.run(services.save_report_texts, dossier, summary="Nieuwe samenvatting na zienswijze.", aanleiding="",
              actor=browser.user)
    second = _issue(bibob, dossier)
    assert (first.version, second.version) == (1, 2)
    assert first.content_hash != second.content_hash
    response = browser.submit(f"/bibob/rapporten/{first.id}/download", {"legal_basis": "DISC-BEZWAAR",
                              "recipient": "Bezwaarschriftencommissie"}, form_url=f"/bibob/dossiers/{dossier.id}/rapport")
    assert response.data == first.pdf
    assert "Nieuwe samenvatting" in "\n".join(_pages(second.pdf))


def test_issuing_again_without_any_change_is_refused(bibob, coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.judged(coordinator=browser.user)
    _issue(bibob, dossier)
    page = browser.get(f"/bibob/dossiers/{dossier.id}/rapport").get_data(as_text=True)
    assert "geeft de huidige stand van het dossier weer" in page and "Versie 2 definitief vaststellen" not in page
    with pytest.raises(services.BibobError, match="niets gewijzigd"):
        _issue(bibob, dossier)
    bibob.run(services.add_investigation, dossier, source=InvestigationSource.BRP, consulted_on=TODAY, subject="aanvrager",
              outcome="Woont op het opgegeven adres.", is_finding=True, actor=browser.user, today=TODAY)
    assert "Versie 2 definitief vaststellen" in browser.get(f"/bibob/dossiers/{dossier.id}/rapport").get_data(as_text=True)
    assert _issue(bibob, dossier).version == 2
