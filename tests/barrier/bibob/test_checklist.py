"""Questionnaire, checklist (pinned version), assessment and the coordinator's final judgement."""

from __future__ import annotations

import io
import shutil

from barrier.bibob import services
from barrier.models import Document, PermitType
from barrier.models.bibob import DossierStage, Judgement
from screening.checklists import DEFINITIONS_DIR, DangerLevel
from tests.barrier.bibob.conftest import audit_actions

PDF = b"%PDF-1.4\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 4 + b"%%EOF\n"


def test_the_checklist_version_is_pinned_when_the_dossier_opens(bibob, app, tmp_path, monkeypatch, coordinator_browser):
    monkeypatch.setitem(app.config, "BIBOB_CHECKLIST_DIR", str(tmp_path))
    shutil.copy(DEFINITIONS_DIR / "seksbedrijf-v1.yaml", tmp_path / "seksbedrijf-v1.yaml")
    browser = coordinator_browser()
    first = bibob.dossier(coordinator=browser.user)
    # A new version comes into force: stricter threshold and its own title.
    text = (DEFINITIONS_DIR / "seksbedrijf-v1.yaml").read_text(encoding="utf-8")
    text = text.replace("version: 1\n", "version: 2\n").replace("effective_from: 2024-02-01", "effective_from: 2025-01-01")
    text = text.replace("A_GROND: {mindere_mate: 4, ernstig: 10}", "A_GROND: {mindere_mate: 3, ernstig: 10}")
    text = text.replace("title: Bibob-risicochecklist", "title: Versie 2 Bibob-risicochecklist")
    (tmp_path / "seksbedrijf-v2.yaml").write_text(text, encoding="utf-8")
    second = bibob.dossier(coordinator=browser.user)
    assert (first.checklist_key, second.checklist_key) == ("seksbedrijf-v1", "seksbedrijf-v2")
    with bibob.flask_app.test_request_context():
        assert services.checklist_for(first).version == 1
        # The same answer is weighed by each dossier's own version: E03 (weight 3) is mindere mate only under v2.
        for dossier in (first, second):
            services.save_answers(dossier, {"BIB-CL-SEK-E03": "ja"}, actor=browser.user)
        assert services.assessment_for(first).proposal is DangerLevel.GEEN
        assert services.assessment_for(second).proposal is DangerLevel.MINDERE_MATE
    page = browser.get(f"/bibob/dossiers/{first.id}/checklist").get_data(as_text=True)
    assert "seksbedrijf-v1" in page and "Versie 2" not in page


def test_answers_entered_on_the_page_give_the_assessment_per_section(bibob, db, coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.dossier(coordinator=browser.user)
    url = f"/bibob/dossiers/{dossier.id}/checklist"
    response = browser.submit(url, {"BIB_CL_SEK_E03": "ja", "BIB_CL_SEK_E02": "25000", "BIB_CL_SEK_G01": "veroordeling",
                                    "version": dossier.version})
    assert response.status_code == 302
    dossier = bibob.reload(dossier)
    assert dossier.answers == {"BIB-CL-SEK-E03": "ja", "BIB-CL-SEK-E02": "25000", "BIB-CL-SEK-G01": "veroordeling"}
    assert dossier.stage is DossierStage.EIGEN_ONDERZOEK
    page = browser.get(url).get_data(as_text=True)
    # Indicators per section with their weight, the degree per ground and the rationale in words.
    assert "BIB-CL-SEK-E03" in page and "Financiering" in page
    assert "Ernstig gevaar" in page  # a-grond: 3 + 4 + 9 = 16 >= 10
    assert "Voorgestelde conclusie: ernstig gevaar" in page
    assert "Het risicoregister is nog niet beschikbaar" in page or "registertreffers" in page
    assert audit_actions(db, "bibob_dossier.checklist_saved", dossier.id)


def test_a_wrong_answer_comes_back_next_to_its_field_with_everything_typed(bibob, coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.dossier(coordinator=browser.user)
    response = browser.submit(f"/bibob/dossiers/{dossier.id}/checklist",
                              {"BIB_CL_SEK_C01": "drie", "BIB_CL_SEK_I03": "Lening <b>niet</b> vermeld",
                               "version": dossier.version})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "field--invalid" in page
    assert "Lening &lt;b&gt;niet&lt;/b&gt; vermeld" in page
    assert bibob.reload(dossier).answers == {}


def test_a_concurrent_edit_of_the_checklist_is_detected(bibob, coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.dossier(coordinator=browser.user)
    stale = dossier.version
    bibob.run(services.save_answers, dossier, {"BIB-CL-SEK-E03": "nee"}, actor=browser.user)
    response = browser.submit(f"/bibob/dossiers/{dossier.id}/checklist", {"BIB_CL_SEK_E03": "ja", "version": stale})
    assert "intussen gewijzigd" in response.get_data(as_text=True)
    assert bibob.reload(dossier).answers == {"BIB-CL-SEK-E03": "nee"}


def test_the_questionnaire_flags_missing_answers_and_missing_evidence(bibob, db, coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.dossier(coordinator=browser.user)  # applicant is a natural person: section B, not C
    url = f"/bibob/dossiers/{dossier.id}/vragenformulier"
    page = browser.get(url).get_data(as_text=True)
    assert "B. Aanvrager (natuurlijk persoon)" in page and "C. Aanvrager (rechtspersoon)" not in page
    response = browser.submit(url, {
        "version": dossier.version, "sent_on": dossier.opened_on.isoformat(),
        "a_BIB_Q_E02": "Spaargeld € 70.000", "a_BIB_Q_A01": "Nieuwe vergunning", "na_BIB_Q_F02": "y",
        "f_BIB_Q_E02": (io.BytesIO(PDF), "bankafschrift.pdf"),
    }, content_type="multipart/form-data")
    assert response.status_code == 302
    dossier = bibob.reload(dossier)
    with bibob.flask_app.test_request_context():
        missing = {q.id: q.missing for q in services.missing_questions(dossier)}
    assert "BIB-Q-E02" not in missing and "BIB-Q-A01" not in missing and "BIB-Q-F02" not in missing
    assert missing["BIB-Q-E03"] == "Geen antwoord"
    assert missing["BIB-Q-B02"] == "Geen antwoord"  # a file question: the ID copy is missing
    [attachment] = dossier.attachments
    assert attachment.question_id == "BIB-Q-E02"
    assert attachment.document.context == "bibob"
    page = browser.get(url).get_data(as_text=True)
    assert "bankafschrift.pdf" in page and "Bewijsstuk ontbreekt" not in page.split("BIB-Q-E02")[1][:600]
    # A Bibob document never comes out of the application's own download route.
    assert browser.get(f"/documenten/{attachment.document_id}").status_code == 404
    download = browser.get(f"/bibob/documenten/{attachment.document_id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert audit_actions(db, "bibob_document.downloaded", dossier.id)


def test_an_answer_without_its_evidence_is_flagged(bibob, coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.dossier(coordinator=browser.user)
    browser.submit(f"/bibob/dossiers/{dossier.id}/vragenformulier",
                   {"version": dossier.version, "a_BIB_Q_E03": "Lening van de schoonvader, € 40.000"})
    with bibob.flask_app.test_request_context():
        missing = {q.id: q.missing for q in services.missing_questions(bibob.reload(dossier))}
    assert missing["BIB-Q-E03"] == "Bewijsstuk ontbreekt"


def test_an_upload_that_is_not_a_pdf_or_image_is_refused_next_to_its_question(bibob, db, coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.dossier(coordinator=browser.user)
    response = browser.submit(f"/bibob/dossiers/{dossier.id}/vragenformulier", {
        "version": dossier.version, "a_BIB_Q_E02": "Spaargeld",
        "f_BIB_Q_E02": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "afschrift.exe"),
    }, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "geen PDF" in page
    assert "Spaargeld" in page  # nothing typed is lost
    assert db.session.query(Document).filter_by(context="bibob").count() == 0


def test_the_final_judgement_may_differ_from_the_proposal_with_a_reason_and_both_are_kept(bibob, db, coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.dossier(coordinator=browser.user)
    bibob.run(services.save_answers, dossier, {"BIB-CL-SEK-E03": "ja", "BIB-CL-SEK-E02": "25000"}, actor=browser.user)
    url = f"/bibob/dossiers/{dossier.id}/oordeel"
    page = browser.get(url).get_data(as_text=True)
    assert "Voorstel van de checklist" in page
    # Proposal: a-grond 7 -> mindere mate, verlenen met voorschriften. The coordinator says: geen gevaar.
    data = {"a_level": "geen", "b_level": "geen", "level": "geen", "advice": "verlenen",
            "motivation": "De contante betaling is verklaard met een kassabon van de inventaris.", "version": dossier.version}
    refused = browser.submit(url, data)
    assert refused.status_code == 200
    assert "wijkt af van het voorstel" in refused.get_data(as_text=True)
    assert db.session.query(Judgement).count() == 0
    data["deviation_reason"] = "Herkomst van het bedrag alsnog aangetoond met bankafschriften (bijlage E02)."
    assert browser.submit(url, data).status_code == 302
    [judgement] = bibob.reload(dossier).judgements
    assert (judgement.proposed_a_level, judgement.proposed_advice.value) == (DangerLevel.MINDERE_MATE, "verlenen_met_voorschriften")
    assert (judgement.a_level, judgement.advice.value) == (DangerLevel.GEEN, "verlenen")
    assert judgement.deviates and judgement.deviation_reason.startswith("Herkomst")
    assert judgement.rationale and judgement.rationale[0].startswith("Voorgestelde conclusie")
    assert bibob.reload(dossier).stage is DossierStage.OORDEEL
    page = browser.get(url).get_data(as_text=True)
    assert "Afwijking van het voorstel" in page
    # The vergunningverlener's section shows the conclusion, not the reasons.
    assert audit_actions(db, "bibob_dossier.judged", dossier.id)[0].details["deviates"] is True


def test_refusing_without_ernstig_gevaar_or_an_art_3_lid_6_ground_is_refused(bibob, coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.dossier(coordinator=browser.user)
    response = browser.submit(f"/bibob/dossiers/{dossier.id}/oordeel", {
        "a_level": "geen", "b_level": "geen", "level": "geen", "advice": "weigeren", "motivation": "Onderbuik.",
        "deviation_reason": "Ik vertrouw het niet, maar heb geen feiten.", "version": dossier.version})
    assert "vereist ernstig gevaar" in response.get_data(as_text=True)


def test_granting_with_conditions_needs_the_conditions(bibob, coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.dossier(coordinator=browser.user)
    bibob.run(services.save_answers, dossier, {"BIB-CL-SEK-E03": "ja", "BIB-CL-SEK-E02": "25000"}, actor=browser.user)
    response = browser.submit(f"/bibob/dossiers/{dossier.id}/oordeel", {
        "a_level": "mindere_mate", "b_level": "geen", "level": "mindere_mate", "advice": "verlenen_met_voorschriften",
        "motivation": "Onverklaard deel van de financiering.", "version": dossier.version})
    assert "art. 3 lid 7" in response.get_data(as_text=True)


def test_the_wgv_checklist_is_used_for_a_verhuurvergunning(bibob, coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.dossier(coordinator=browser.user, permit_type=PermitType.VERHUURVERGUNNING)
    assert dossier.checklist_key == "wgv_verhuurvergunning-v1"
    assert "BIB-CL-WGV-E01" in browser.get(f"/bibob/dossiers/{dossier.id}/checklist").get_data(as_text=True)
