"""Uploads: type checked by content, size limit, duplicates, stored by SHA-256, download audited."""

from __future__ import annotations

import hashlib
import io

from sqlalchemy import select

from barrier.documents import path_for
from barrier.models import AuditEvent, Document, PermitType, Role

PDF = b"%PDF-1.7\n" + b"x" * 500 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def _upload(browser, application, content: bytes, name: str, kind: str = "bedrijfsplan"):
    return browser.submit(f"/aanvragen/{application.id}/documenten",
                          {"kind": kind, "file": (io.BytesIO(content), name)}, form_url=f"/aanvragen/{application.id}",
                          content_type="multipart/form-data", follow_redirects=True)


def test_a_pdf_is_stored_under_its_hash_and_downloaded_as_attachment(app, login_as, db, make_application):
    application = make_application(PermitType.SEKSINRICHTING)
    browser = login_as(Role.VERGUNNINGVERLENER)
    assert "Document toegevoegd." in _upload(browser, application, PDF, "../../etc/passwd.pdf").get_data(as_text=True)
    document = db.session.scalar(select(Document).where(Document.application_id == application.id))
    digest = hashlib.sha256(PDF).hexdigest()
    assert document.sha256 == digest and document.original_filename == "passwd.pdf"
    with app.app_context():
        assert path_for(digest).read_bytes() == PDF
    response = browser.get(f"/documenten/{document.id}")
    assert response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Content-Type"] == "application/pdf"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "document.downloaded"))


def test_a_file_that_lies_about_its_type_is_refused(login_as, db, make_application):
    application = make_application(PermitType.SEKSINRICHTING)
    html = _upload(login_as(Role.VERGUNNINGVERLENER), application, b"<html><script>alert(1)</script>", "plan.pdf")
    assert "geen PDF" in html.get_data(as_text=True)
    assert db.session.scalar(select(Document).where(Document.application_id == application.id)) is None


def test_a_png_is_accepted_by_its_content_whatever_its_name(login_as, db, make_application):
    application = make_application(PermitType.SEKSINRICHTING)
    _upload(login_as(Role.VERGUNNINGVERLENER), application, PNG, "foto.pdf", kind="plattegrond")
    assert db.session.scalar(select(Document).where(Document.application_id == application.id)).content_type == "image/png"


def test_too_large_files_are_refused_and_leave_nothing(app, login_as, db, make_application, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1000)
    application = make_application(PermitType.SEKSINRICHTING)
    html = _upload(login_as(Role.VERGUNNINGVERLENER), application, PDF + b"y" * 2000, "groot.pdf")
    assert "groter dan" in html.get_data(as_text=True)
    assert db.session.scalar(select(Document).where(Document.application_id == application.id)) is None


def test_the_same_file_twice_is_refused(login_as, db, make_application):
    application = make_application(PermitType.SEKSINRICHTING)
    browser = login_as(Role.VERGUNNINGVERLENER)
    _upload(browser, application, PDF, "a.pdf")
    assert "al bij deze aanvraag" in _upload(browser, application, PDF, "b.pdf").get_data(as_text=True)


def test_a_full_disk_gives_a_clear_message_and_no_row(login_as, db, make_application, monkeypatch):
    application = make_application(PermitType.SEKSINRICHTING)
    import barrier.documents as documents

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(documents.os, "replace", full)
    html = _upload(login_as(Role.VERGUNNINGVERLENER), application, PDF, "a.pdf").get_data(as_text=True)
    assert "opslag vol of niet beschikbaar" in html
    assert db.session.scalar(select(Document).where(Document.application_id == application.id)) is None


def test_completeness_lists_what_is_missing_per_permit_type(login_as, db, make_application):
    application = make_application(PermitType.VERHUURVERGUNNING)
    html = login_as(Role.VERGUNNINGVERLENER).get(f"/aanvragen/{application.id}").get_data(as_text=True)
    assert "Model-huurovereenkomst" in html and "WGV-A06" in html
    assert "Eigenaar pand" in html or "eigenaar pand" in html
