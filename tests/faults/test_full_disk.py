"""A full disk on upload: a clear Dutch message, no document row, no file left behind.

Mounting a small filesystem needs root (or user namespaces CI may not have), so the disk is made
full differently: the upload's temporary file is opened on ``/dev/full``, the kernel's always-full
device, so the writes fail with a real ``ENOSPC`` (not a raised exception) after the temporary file
was created, as on a disk that fills up during the upload. An upload folder that cannot be
created at all (a real ``ENOTDIR``) must get the same message. The case that the final rename
fails is tests/barrier/applications/test_documents.py (monkeypatched ``os.replace``).
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from sqlalchemy import func, select

from barrier.models import AuditEvent, Document, PermitType, Role

# Larger than the write buffer: the disk fills up in the middle of the file, not at the end.
PDF = b"%PDF-1.7\n" + b"x" * (3 * 1024 * 1024) + b"\n%%EOF\n"
FULL_MESSAGE = "opslag vol of niet beschikbaar"


def _upload(browser, application):
    return browser.submit(f"/aanvragen/{application.id}/documenten",
                          {"kind": "bedrijfsplan", "file": (io.BytesIO(PDF), "bedrijfsplan.pdf")},
                          form_url=f"/aanvragen/{application.id}", content_type="multipart/form-data",
                          follow_redirects=True)


def _uploads_recorded(db) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "document.uploaded"))


def _nothing_stored(db, application, folder: Path, recorded: int) -> None:
    assert db.session.scalar(select(func.count()).select_from(Document)
                             .where(Document.application_id == application.id)) == 0
    assert _uploads_recorded(db) == recorded
    leftovers = [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []
    assert leftovers == [], leftovers


def test_a_disk_that_fills_up_during_an_upload_leaves_nothing(app, login_as, db, make_application, monkeypatch,
                                                               tmp_path):
    import barrier.documents as documents

    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "documents"))
    real_mkstemp = tempfile.mkstemp
    opened = []

    def on_a_full_disk(*args, **kwargs):
        fd, name = real_mkstemp(*args, **kwargs)  # the temporary file exists, as on a real disk
        os.close(fd)
        opened.append(name)
        return os.open("/dev/full", os.O_WRONLY), name

    monkeypatch.setattr(documents.tempfile, "mkstemp", on_a_full_disk)
    application = make_application(PermitType.SEKSINRICHTING)
    recorded = _uploads_recorded(db)
    page = _upload(login_as(Role.VERGUNNINGVERLENER), application).get_data(as_text=True)
    assert FULL_MESSAGE in page and "Er is niets bewaard" in page
    assert opened and not Path(opened[0]).exists()  # the half-written temporary file was removed
    _nothing_stored(db, application, tmp_path / "documents", recorded)


def test_an_upload_folder_that_cannot_be_created_gives_the_same_message(app, login_as, db, make_application,
                                                                          monkeypatch, tmp_path):
    blocker = tmp_path / "opslag"
    blocker.write_text("a file where the documents folder should be")
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(blocker / "documents"))
    application = make_application(PermitType.SEKSINRICHTING)
    recorded = _uploads_recorded(db)
    response = _upload(login_as(Role.VERGUNNINGVERLENER), application)
    assert response.status_code == 200
    assert FULL_MESSAGE in response.get_data(as_text=True)
    _nothing_stored(db, application, blocker / "documents", recorded)
