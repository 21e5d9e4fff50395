"""The inspection form on site: per checklist, saved as it goes, idempotent on a double submit, photos."""

from __future__ import annotations

import io
import re
import uuid
from datetime import timedelta

import pytest

from barrier.inspections import services
from barrier.inspections.services import InspectionError, InspectionInput
from barrier.models import Document, Role
from barrier.models.inspections import (
    Inspection,
    InspectionPhoto,
    InspectionStatus,
    LocationKind,
    PlannedVisit,
    VisitStatus,
)
from forms.inspections import field_name
from tests.barrier.inspections.builders import TODAY

# The smallest valid PNG (1x1 pixel) and a JPEG header: what documents.store sniffs.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
TOKEN_RE = re.compile(r'name="submission_token"[^>]*value="([^"]+)"')


def form_url(location) -> str:
    return f"/inspecties/locaties/{location.id}/controle"


def token_of(browser, location) -> str:
    html = browser.get(form_url(location)).get_data(as_text=True)
    return TOKEN_RE.search(html).group(1)


def answers(**items) -> dict:
    return {field_name(k.replace("_", "-")): v for k, v in items.items()}


@pytest.fixture
def inspector(login_as):
    return login_as(Role.TOEZICHTHOUDER)


def test_the_form_follows_the_checklist_of_the_permit_type(world, inspector):
    housing = inspector.get(form_url(world.location(LocationKind.HUISVESTING_AM))).get_data(as_text=True)
    sex = inspector.get(form_url(world.location(LocationKind.SEKSBEDRIJF))).get_data(as_text=True)
    assert "Controle huisvesting arbeidsmigranten (Wgv/SNF)" in housing and "INS-WGV-23" in housing
    assert "Controle seksbedrijf" in sex and "INS-SB-08" in sex and "INS-WGV" not in sex
    # persons present and identity, occupancy with its norm, signals grouped per barrier
    assert "Aantal aanwezige personen" in housing and "Waarvan identiteit gecontroleerd" in housing
    assert "Norm: hoogstens 8 personen per toilet." in housing
    assert "Barrière: Huisvesting" in housing and "Barrière: Financiën" in sex
    # phone: autosave to the server and in the browser, a token that makes resubmits idempotent
    assert "data-server-autosave" in housing and "data-autosave-restore" in housing
    assert TOKEN_RE.search(housing)


def test_an_inspection_saved_twice_is_one_record(db, world, inspector):
    location = world.location(LocationKind.HUISVESTING_AM, max_persons=6)
    token = token_of(inspector, location)
    data = {"submission_token": token, "inspected_on": TODAY.isoformat(), "persons_present": "9",
            "action": "opslaan", **answers(INS_WGV_01=9, INS_WGV_23="NEE")}
    first = inspector.submit(form_url(location), data)
    second = inspector.submit(form_url(location), {**data, **answers(INS_WGV_22="NEE")})
    assert first.status_code == second.status_code == 302
    rows = db.session.scalars(db.select(Inspection).where(Inspection.location_id == location.id)).all()
    assert len(rows) == 1
    inspection = rows[0]
    db.session.refresh(inspection)
    assert inspection.answers["INS-WGV-22"] == "NEE" and inspection.violation_count == 3  # 01 over 6, 22, 23
    assert inspection.occupancy == 9 and inspection.status is InspectionStatus.CONCEPT


def test_the_final_submit_sent_twice_completes_once(db, world, inspector):
    location = world.location(LocationKind.HUISVESTING_AM)
    token = token_of(inspector, location)
    data = {"submission_token": token, "inspected_on": TODAY.isoformat(), "action": "afronden",
            "outcome": "overtredingen", **answers(INS_WGV_23="NEE")}
    first = inspector.submit(form_url(location), data)
    assert first.status_code == 302 and "/inspecties/controles/" in first.headers["Location"]
    again = inspector.submit(form_url(location), {**data, **answers(INS_WGV_23="JA")}, follow_redirects=True)
    assert "al afgerond en opgeslagen" in again.get_data(as_text=True)
    rows = db.session.scalars(db.select(Inspection).where(Inspection.location_id == location.id)).all()
    assert len(rows) == 1 and rows[0].status is InspectionStatus.AFGEROND
    assert rows[0].answers["INS-WGV-23"] == "NEE"  # the late resend changed nothing


def test_two_concurrent_first_saves_with_one_token_make_one_record(app, db, world):
    """The unique token decides: the second insert finds the first row and updates it."""
    location = world.location(LocationKind.HUISVESTING_AM)
    actor = world.inspector()
    token = str(uuid.uuid4())
    data = InspectionInput(inspected_on=TODAY, answers={"INS-WGV-23": "NEE"})
    with app.test_request_context():
        services.save_inspection(location, token=token, data=data, complete=False, actor=actor, today=TODAY)
        db.session.commit()
        real_scalar = db.session.scalar
        calls = {"n": 0}

        def first_lookup_misses(stmt, *args, **kwargs):
            calls["n"] += 1
            # Simulate the race: the other request's row is not visible at the first look-up.
            return None if calls["n"] == 1 else real_scalar(stmt, *args, **kwargs)

        db.session.scalar = first_lookup_misses
        try:
            result = services.save_inspection(location, token=token, complete=False, actor=actor, today=TODAY,
                                              data=InspectionInput(inspected_on=TODAY, answers={"INS-WGV-22": "NEE"}))
        finally:
            del db.session.scalar
        db.session.commit()
    assert result.created is False
    rows = db.session.scalars(db.select(Inspection).where(Inspection.submission_token == token)).all()
    assert len(rows) == 1 and rows[0].answers == {"INS-WGV-22": "NEE"}


def test_background_autosave_answers_json_and_reports_errors_in_dutch(db, world, inspector):
    location = world.location(LocationKind.SEKSBEDRIJF)
    token = token_of(inspector, location)
    headers = {"X-Requested-With": "fetch"}
    ok = inspector.submit(form_url(location), {"submission_token": token, "inspected_on": TODAY.isoformat(),
                                               **answers(INS_SB_03="NEE")}, headers=headers)
    assert ok.status_code == 200 and ok.json["ok"] is True
    assert ok.json["edit_url"].endswith("/bewerken")
    bad = inspector.submit(form_url(location), {"submission_token": token,
                                                "inspected_on": (TODAY + timedelta(days=3)).isoformat()},
                           headers=headers)
    assert bad.status_code == 400 and bad.json["ok"] is False
    assert "toekomst" in bad.json["error"]
    # Reopening the edit page shows the saved answers with the same token.
    edit = inspector.get(ok.json["edit_url"]).get_data(as_text=True)
    assert token in edit


def test_completing_needs_an_outcome_and_keeps_what_was_typed(db, world, inspector):
    location = world.location(LocationKind.HUISVESTING_AM)
    token = token_of(inspector, location)
    response = inspector.submit(form_url(location), {"submission_token": token, "inspected_on": TODAY.isoformat(),
                                                     "action": "afronden", "notes": "Zolder bewoond",
                                                     **answers(INS_WGV_04="JA")})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Kies de uitkomst van de controle" in html
    assert "Zolder bewoond" in html
    assert db.session.scalar(db.select(Inspection).where(Inspection.submission_token == token)) is None


def test_more_identities_than_persons_is_refused(world, inspector):
    location = world.location(LocationKind.SEKSBEDRIJF)
    response = inspector.submit(form_url(location), {"submission_token": token_of(inspector, location),
                                                     "inspected_on": TODAY.isoformat(), "persons_present": "2",
                                                     "identities_checked": "3"})
    assert response.status_code == 400
    assert "meer identiteiten gecontroleerd dan personen aanwezig" in response.get_data(as_text=True)


def test_completing_a_planned_visit_marks_it_done(db, world, inspector):
    location = world.location(LocationKind.HUISVESTING_AM)
    visit = PlannedVisit(gemeente_id=location.gemeente_id, location_id=location.id, planned_on=TODAY,
                         inspector_id=inspector.user.id)
    db.session.add(visit)
    db.session.commit()
    page = f"{form_url(location)}?bezoek={visit.id}"
    html = inspector.get(page).get_data(as_text=True)
    token = TOKEN_RE.search(html).group(1)
    inspector.submit(page, {"submission_token": token, "inspected_on": TODAY.isoformat(), "action": "afronden",
                            "outcome": "geen_bevindingen"}, form_url=page)
    db.session.refresh(visit)
    assert visit.status is VisitStatus.UITGEVOERD


def test_a_service_refuses_a_missing_token(app, world):
    location = world.location(LocationKind.HUISVESTING_AM)
    with app.test_request_context(), pytest.raises(InspectionError, match="kenmerk"):
        services.save_inspection(location, token="", data=InspectionInput(inspected_on=TODAY, answers={}),
                                 complete=False, actor=world.inspector(), today=TODAY)


# --- photos ------------------------------------------------------------------------------------------------------


def completed(world, location=None):
    location = location or world.location(LocationKind.HUISVESTING_AM)
    return world.inspection(location, days_ago=1, deviations={"INS-WGV-23": "NEE"})


def upload(browser, inspection, content: bytes, filename: str, **extra):
    url = f"/inspecties/controles/{inspection.id}"
    return browser.submit(f"{url}/fotos", {"photo": (io.BytesIO(content), filename), "caption": "Rookmelder",
                                           **extra}, form_url=url, content_type="multipart/form-data")


def test_a_photo_is_stored_as_an_inspection_document_and_shown(db, world, inspector):
    inspection = completed(world)
    response = upload(inspector, inspection, PNG, "rookmelder.png")
    assert response.status_code == 302
    photo = db.session.scalar(db.select(InspectionPhoto).where(InspectionPhoto.inspection_id == inspection.id))
    assert photo.document.context == "inspection" and photo.document.content_type == "image/png"
    assert photo.document.application_id is None and photo.shows_faces is False
    shown = inspector.get(f"/inspecties/fotos/{photo.id}")
    assert shown.status_code == 200 and shown.mimetype == "image/png" and shown.data == PNG
    # Shown inline only as an image: sandboxed, never sniffed into a page.
    assert "sandbox" in shown.headers["Content-Security-Policy"]
    assert shown.headers["X-Content-Type-Options"] == "nosniff"
    # The applications download route refuses inspection files (need-to-know).
    assert inspector.get(f"/documenten/{photo.document_id}").status_code in (403, 404)
    # The same photo sent twice is kept once.
    upload(inspector, inspection, PNG, "nogmaals.png")
    assert db.session.scalar(db.select(db.func.count()).select_from(InspectionPhoto)) == 1


@pytest.mark.parametrize(("content", "filename"), [
    (b"%PDF-1.7\n" + b"x" * 200, "rapport.pdf"),
    (b"MZ\x90\x00 not an image", "foto.jpg"),
    (b"GIF89a......", "foto.gif"),
])
def test_a_file_that_is_not_a_jpeg_or_png_is_refused(db, world, inspector, content, filename):
    inspection = completed(world)
    response = upload(inspector, inspection, content, filename)
    assert response.status_code == 400
    assert "Dit bestand is geen JPEG" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(InspectionPhoto)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Document)) == 0


def test_a_photo_with_faces_needs_a_reason(db, world, inspector):
    inspection = completed(world)
    response = upload(inspector, inspection, PNG, "gezicht.png", shows_faces="y")
    assert response.status_code == 400
    assert "waarom herkenbare gezichten" in response.get_data(as_text=True)
    assert upload(inspector, inspection, PNG, "gezicht.png", shows_faces="y",
                  faces_reason="Bewijs van de 'begeleider' bij de deur").status_code == 302


def test_photos_are_not_for_other_roles_or_gemeenten(db, world, inspector, login_as):
    inspection = completed(world)
    upload(inspector, inspection, PNG, "foto.png")
    photo = db.session.scalar(db.select(InspectionPhoto))
    assert login_as(Role.VERGUNNINGVERLENER).get(f"/inspecties/fotos/{photo.id}").status_code == 403
    assert login_as(Role.TOEZICHTHOUDER, gemeente="GM0114").get(f"/inspecties/fotos/{photo.id}").status_code == 404
