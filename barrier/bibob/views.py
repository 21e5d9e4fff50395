from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select

from barrier import audit
from barrier.applications import deadlines as app_deadlines
from barrier.auth.permissions import Permission, require
from barrier.auth.scoping import get_in_scope_or_404
from barrier.bibob import bp, reports, retention, services
from barrier.bibob.access import load_dossier_or_404, record_read
from barrier.bibob.questionnaire import QUESTIONS, SECTIONS
from barrier.bibob.services import BibobError, JudgementInput
from barrier.db import db
from barrier.documents import DocumentError, open_stored, store
from barrier.models import Application, AuditEvent, Document, DocumentKind, User
from barrier.models.bibob import (
    STAGE_ORDER,
    AdviceReportVersion,
    BibobAttachment,
    BibobDossier,
    DisclosureBasis,
    DossierStage,
    InvestigationSource,
)
from forms.base import options
from forms.bibob import (
    CoordinatorForm,
    DisclosureForm,
    DossierFilterForm,
    IntentionForm,
    InvestigationForm,
    IssueReportForm,
    JudgementForm,
    LbbAdviceForm,
    LbbAnswersForm,
    LbbExtensionForm,
    LbbQuestionsForm,
    LbbRequestForm,
    LegalHoldForm,
    PurgeForm,
    ReportTextsForm,
    RetentionYearsForm,
    ZienswijzeForm,
    checklist_form,
    field_key,
    questionnaire_form,
)
from screening.checklists import Advice, DangerLevel, Ground, format_answer
from screening.report import MARKING

GROUND_NAMES = {"a_grond": "a-grond", "b_grond": "b-grond", "lid6": "art. 3 lid 6", "art4": "art. 4 lid 1",
                "none": "informatief"}
TABS = (
    ("overzicht", "Overzicht", "bibob.dossier_detail"),
    ("vragenformulier", "Vragenformulier", "bibob.dossier_questionnaire"),
    ("checklist", "Checklist en beoordeling", "bibob.dossier_checklist"),
    ("onderzoek", "Eigen onderzoek", "bibob.dossier_investigation"),
    ("lbb", "LBB-advies", "bibob.dossier_lbb"),
    ("oordeel", "Oordeel", "bibob.dossier_judgement"),
    ("procedure", "Voornemen en zienswijze", "bibob.dossier_procedure"),
    ("rapport", "Rapport", "bibob.dossier_report"),
)
DOCUMENT_KINDS = {"BIB-Q-B02": DocumentKind.IDENTITEITSBEWIJS, "BIB-Q-C02": DocumentKind.KVK_UITTREKSEL,
                  "BIB-Q-E02": DocumentKind.FINANCIERING, "BIB-Q-E03": DocumentKind.FINANCIERING,
                  "BIB-Q-E06": DocumentKind.FINANCIERING, "BIB-Q-F02": DocumentKind.HUUR_KOOPOVEREENKOMST,
                  "BIB-Q-F03": DocumentKind.HUUR_KOOPOVEREENKOMST}


def _today() -> date:
    return date.today()  # noqa: DTZ011 - the server's local date is the working day


def _error_to_form(form, error: BibobError) -> None:
    field = getattr(form, field_key(error.field), None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "danger")


def _url(dossier: BibobDossier, endpoint: str = "bibob.dossier_detail", anchor: str = "") -> str:
    return url_for(endpoint, dossier_id=dossier.id) + (f"#{anchor}" if anchor else "")


def _page(dossier: BibobDossier, tab: str, template: str, *, failed: bool = False, **context):
    """Render a tab of the dossier; the read is audited. After a failed POST the session is rolled back first."""
    if failed:
        db.session.rollback()
    record_read(dossier, tab)
    audit.commit_read()
    app = dossier.application
    coordinator_form = CoordinatorForm(coordinator_id=dossier.coordinator_id)
    coordinator_form.coordinator_id.choices = options(
        [(u.id, u.full_name) for u in services.coordinators_for(dossier.gemeente_id)] or [(0, "— geen coördinator —")])
    return render_template(template, dossier=dossier, app=app, tab=tab, tabs=TABS, today=_today(),
                           stage_order=STAGE_ORDER, coordinator_form=coordinator_form, marking=MARKING, **context)


def _writable(dossier: BibobDossier):
    if dossier.is_purged:
        flash("Dit dossier is vernietigd na afloop van de bewaartermijn.", "warning")
        return redirect(_url(dossier))
    return None


# --- list and opening --------------------------------------------------------------------------------

@bp.get("/bibob")
@require(Permission.VIEW_BIBOB_DETAILS)
def list_dossiers():
    form = DossierFilterForm(request.args)
    form.stage.choices = options([("", "Alle open dossiers"), ("alle", "Alle dossiers")]
                                 + [(s.value, s.label) for s in DossierStage])
    stmt = select(BibobDossier).join(Application, BibobDossier.application_id == Application.id)
    # Need-to-know: a coordinator sees the dossiers of the own gemeente only (none without a gemeente).
    stmt = stmt.where(BibobDossier.gemeente_id == (current_user.gemeente_id or -1))
    # A search text over 100 characters is shown back with its error, and not applied.
    query = (form.q.data or "") if form.validate() or not form.q.errors else ""
    stage = form.stage.data or ""
    if stage in {s.value for s in DossierStage}:
        stmt = stmt.where(BibobDossier.stage == DossierStage(stage))
    elif stage != "alle":
        stmt = stmt.where(BibobDossier.stage.in_([s for s in DossierStage if s.is_open]))
    if form.mine.data:
        stmt = stmt.where(BibobDossier.coordinator_id == current_user.id)
    if query:
        for word in query.lower().split()[:5]:
            stmt = stmt.where(or_(func.lower(BibobDossier.reference).contains(word, autoescape=True),
                                  Application.search_text.contains(word, autoescape=True)))
    stmt = stmt.order_by(Application.deadline_on.asc().nulls_last(), BibobDossier.id)
    page = db.paginate(stmt, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("bibob/list.html", form=form, page=page, today=_today())


@bp.post("/bibob/aanvragen/<int:application_id>/openen")
@require(Permission.EDIT_BIBOB)
def open_dossier(application_id: int):
    app = get_in_scope_or_404(Application, application_id)
    if current_user.gemeente_id != app.gemeente_id:
        abort(404)  # need-to-know: only the coordinator of the application's own gemeente
    form = IssueReportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        dossier = services.open_dossier(app, actor=current_user, today=_today())
    except BibobError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("applications.application_detail", application_id=app.id))
    db.session.commit()
    flash(f"Bibob-dossier {dossier.reference} is geopend met checklist {dossier.checklist_key}.", "success")
    return redirect(_url(dossier))


# --- overview ---------------------------------------------------------------------------------------

ACTION_LABELS = {
    "bibob_dossier.opened": "Dossier geopend", "bibob_dossier.viewed": "Ingezien",
    "bibob_dossier.coordinator_assigned": "Coördinator toegewezen", "bibob_dossier.parties_refreshed": "Betrokkenen bijgewerkt",
    "bibob_dossier.questionnaire_saved": "Vragenformulier opgeslagen", "bibob_dossier.document_added": "Document toegevoegd",
    "bibob_dossier.checklist_saved": "Checklist ingevuld", "bibob_dossier.investigation_added": "Raadpleging vastgelegd",
    "bibob_dossier.lbb_requested": "Advies LBB aangevraagd", "bibob_dossier.lbb_extended": "Adviestermijn LBB verlengd",
    "bibob_dossier.lbb_questions_asked": "Vragen LBB vastgelegd", "bibob_dossier.lbb_questions_answered": "Vragen LBB beantwoord",
    "bibob_dossier.lbb_advice_recorded": "Advies LBB vastgelegd", "bibob_dossier.judged": "Oordeel vastgesteld",
    "bibob_dossier.report_texts_saved": "Rapportteksten opgeslagen", "bibob_dossier.intention_recorded": "Voornemen vastgelegd",
    "bibob_dossier.zienswijze_recorded": "Zienswijze vastgelegd", "bibob_dossier.closed": "Besluit op de aanvraag",
    "bibob_dossier.legal_hold_set": "Bewaren wegens procedure", "bibob_dossier.legal_hold_lifted": "Bewaring opgeheven",
    "bibob_dossier.purge_approved": "Vernietiging goedgekeurd", "bibob_dossier.purged": "Vernietigd",
    "bibob_dossier.retention_set": "Bewaartermijn gewijzigd", "bibob_report.issued": "Rapport vastgesteld",
    "bibob_report.downloaded": "Rapport gedownload", "bibob_report.exported": "Rapport geëxporteerd",
    "bibob_report.disclosure_refused": "Verstrekking geweigerd (geen grondslag)",
    "bibob_document.downloaded": "Document gedownload", "access.bibob_refused": "Toegang geweigerd",
}


def _recent_activity(dossier: BibobDossier) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "bibob_dossiers", AuditEvent.object_id == str(dossier.id))
        .order_by(AuditEvent.id.desc()).limit(15)))


@bp.get("/bibob/dossiers/<int:dossier_id>")
@require(Permission.VIEW_BIBOB_DETAILS)
def dossier_detail(dossier_id: int):
    dossier = load_dossier_or_404(dossier_id)
    return _overview(dossier)


def _overview(dossier: BibobDossier, *, failed: bool = False, hold_form: LegalHoldForm | None = None):
    hits = None if dossier.is_purged else services.register_hits(dossier)
    assessment = None if dossier.is_purged else services.assessment_for(dossier)
    deadline = app_deadlines.compute(dossier.application, today=_today())
    return _page(dossier, "overzicht", "bibob/dossier_overview.html", failed=failed, hits=hits, assessment=assessment,
                 changes=services.party_changes(dossier), missing=services.missing_questions(dossier),
                 deadline=deadline, retention_until=retention.retention_until(dossier),
                 hold_form=hold_form or LegalHoldForm(hold=dossier.legal_hold, reason=dossier.legal_hold_reason),
                 activity=_recent_activity(dossier), action_labels=ACTION_LABELS, policy=services.bibob_policy(dossier.application))


@bp.post("/bibob/dossiers/<int:dossier_id>/coordinator")
@require(Permission.EDIT_BIBOB)
def assign_coordinator(dossier_id: int):
    dossier = load_dossier_or_404(dossier_id)
    form = CoordinatorForm()
    try:
        services.assign_coordinator(dossier, int(form.coordinator_id.data or 0), actor=current_user)
    except (BibobError, ValueError, TypeError) as error:
        db.session.rollback()
        flash(getattr(error, "message", "Kies een Bibob-coördinator van deze gemeente."), "danger")
    else:
        db.session.commit()
        flash("De coördinator is toegewezen.", "success")
    return redirect(_url(dossier))


@bp.post("/bibob/dossiers/<int:dossier_id>/betrokkenen")
@require(Permission.EDIT_BIBOB)
def refresh_parties(dossier_id: int):
    dossier = load_dossier_or_404(dossier_id)
    if (closed := _writable(dossier)) is not None:
        return closed
    added = services.refresh_parties(dossier, actor=current_user, today=_today())
    db.session.commit()
    flash(f"{added} betrokkene(n) van de aanvraag toegevoegd aan het dossier.", "success")
    return redirect(_url(dossier, anchor="betrokkenen"))


@bp.post("/bibob/dossiers/<int:dossier_id>/bewaartermijn")
@require(Permission.EDIT_BIBOB)
def set_legal_hold(dossier_id: int):
    dossier = load_dossier_or_404(dossier_id)
    form = LegalHoldForm()
    if form.validate_on_submit():
        try:
            retention.set_legal_hold(dossier, hold=form.hold.data, reason=form.reason.data or "", actor=current_user)
        except BibobError as error:
            _error_to_form(form, error)
        else:
            db.session.commit()
            flash("De bewaring is vastgelegd.", "success")
            return redirect(_url(dossier, anchor="bewaartermijn"))
    return _overview(dossier, failed=True, hold_form=form)


# --- questionnaire -----------------------------------------------------------------------------------

def _questions() -> list[tuple[str, str, bool]]:
    return [(q.id, q.text, q.needs_document) for s in SECTIONS for q in s.questions]


def _questionnaire_page(dossier: BibobDossier, form=None, *, failed: bool = False):
    if form is None:
        data = {"sent_on": dossier.questionnaire_sent_on, "received_on": dossier.questionnaire_received_on,
                "version": dossier.version}
        for answer in dossier.questionnaire_answers:
            data[f"a_{field_key(answer.question_id)}"] = answer.answer
            data[f"na_{field_key(answer.question_id)}"] = answer.not_applicable
        form = questionnaire_form(_questions())(data=data)
    return _page(dossier, "vragenformulier", "bibob/dossier_questionnaire.html", failed=failed, form=form,
                 state=services.questionnaire_state(dossier), field_key=field_key)


@bp.get("/bibob/dossiers/<int:dossier_id>/vragenformulier")
@require(Permission.VIEW_BIBOB_DETAILS)
def dossier_questionnaire(dossier_id: int):
    return _questionnaire_page(load_dossier_or_404(dossier_id))


@bp.post("/bibob/dossiers/<int:dossier_id>/vragenformulier")
@require(Permission.EDIT_BIBOB)
def save_questionnaire(dossier_id: int):
    dossier = load_dossier_or_404(dossier_id)
    if (closed := _writable(dossier)) is not None:
        return closed
    form = questionnaire_form(_questions())()
    if not form.validate_on_submit():
        return _questionnaire_page(dossier, form, failed=True)
    try:
        services.check_version(dossier, form.version.data)
        answers = {qid: ((form[f"a_{field_key(qid)}"].data or ""), bool(form[f"na_{field_key(qid)}"].data))
                   for qid in QUESTIONS}
        services.save_questionnaire(dossier, answers, sent_on=form.sent_on.data, received_on=form.received_on.data,
                                    actor=current_user)
        uploaded = 0
        for qid in QUESTIONS:
            upload = form[f"f_{field_key(qid)}"]
            if upload.data and getattr(upload.data, "filename", ""):
                try:
                    stored = store(upload.data.stream, upload.data.filename)
                except DocumentError as error:
                    raise BibobError(str(error), field=f"f_{field_key(qid)}") from error
                services.attach_document(dossier, stored, actor=current_user, question_id=qid,
                                         kind=DOCUMENT_KINDS.get(qid, DocumentKind.BIBOB_VRAGENFORMULIER))
                uploaded += 1
    except BibobError as error:
        if error.field and error.field.startswith("f_"):
            getattr(form, error.field).errors = [error.message]
        else:
            _error_to_form(form, error)
        return _questionnaire_page(dossier, form, failed=True)
    db.session.commit()
    missing = len(services.missing_questions(dossier))
    flash("Het vragenformulier is opgeslagen" + (f", met {uploaded} bewijsstuk(ken)" if uploaded else "")
          + (f". Nog {missing} vraag/vragen onvolledig." if missing else ". Alle vragen zijn beantwoord."),
          "warning" if missing else "success")
    return redirect(_url(dossier, "bibob.dossier_questionnaire"))


# --- checklist and assessment ---------------------------------------------------------------------------

def _checklist_page(dossier: BibobDossier, form=None, *, failed: bool = False):
    checklist = services.checklist_for(dossier)
    if form is None:
        data = {field_key(k): (Decimal(v) if checklist.item(k).answer_type.value == "bedrag" else v)
                for k, v in (dossier.answers or {}).items()}
        form = checklist_form(checklist)(data={**data, "version": dossier.version})
    assessment = services.assessment_for(dossier) if not dossier.is_purged else None
    hits = None if dossier.is_purged else services.register_hits(dossier)
    return _page(dossier, "checklist", "bibob/dossier_checklist.html", failed=failed, form=form, checklist=checklist,
                 assessment=assessment, hits=hits, field_key=field_key, format_answer=format_answer,
                 ground_names=GROUND_NAMES)


@bp.get("/bibob/dossiers/<int:dossier_id>/checklist")
@require(Permission.VIEW_BIBOB_DETAILS)
def dossier_checklist(dossier_id: int):
    dossier = load_dossier_or_404(dossier_id)
    if dossier.is_purged:
        return redirect(_url(dossier))
    return _checklist_page(dossier)


@bp.post("/bibob/dossiers/<int:dossier_id>/checklist")
@require(Permission.EDIT_BIBOB)
def save_checklist(dossier_id: int):
    dossier = load_dossier_or_404(dossier_id)
    if (closed := _writable(dossier)) is not None:
        return closed
    checklist = services.checklist_for(dossier)
    form = checklist_form(checklist)()
    if not form.validate_on_submit():
        return _checklist_page(dossier, form, failed=True)
    answers = {item.id: form[field_key(item.id)].data for item in checklist.items if not item.is_derived}
    try:
        services.check_version(dossier, form.version.data)
        services.save_answers(dossier, answers, actor=current_user)
    except BibobError as error:
        _error_to_form(form, error)
        return _checklist_page(dossier, form, failed=True)
    db.session.commit()
    flash("De antwoorden zijn opgeslagen; de beoordeling hieronder is bijgewerkt.", "success")
    return redirect(_url(dossier, "bibob.dossier_checklist", "beoordeling"))


# --- own investigation ------------------------------------------------------------------------------

def _investigation_page(dossier: BibobDossier, form=None, *, failed: bool = False):
    return _page(dossier, "onderzoek", "bibob/dossier_investigation.html", failed=failed,
                 form=form or InvestigationForm(consulted_on=_today()), sources=InvestigationSource)


@bp.get("/bibob/dossiers/<int:dossier_id>/onderzoek")
@require(Permission.VIEW_BIBOB_DETAILS)
def dossier_investigation(dossier_id: int):
    return _investigation_page(load_dossier_or_404(dossier_id))


@bp.post("/bibob/dossiers/<int:dossier_id>/onderzoek")
@require(Permission.EDIT_BIBOB)
def add_investigation(dossier_id: int):
    dossier = load_dossier_or_404(dossier_id)
    if (closed := _writable(dossier)) is not None:
        return closed
    form = InvestigationForm()
    if not form.validate_on_submit():
        return _investigation_page(dossier, form, failed=True)
    try:
        entry = services.add_investigation(
            dossier, source=InvestigationSource(form.source.data), consulted_on=form.consulted_on.data,
            subject=form.subject.data or "", outcome=form.outcome.data, is_finding=form.is_finding.data,
            actor=current_user, today=_today())
        if form.file.data and getattr(form.file.data, "filename", ""):
            try:
                stored = store(form.file.data.stream, form.file.data.filename)
            except DocumentError as error:
                raise BibobError(str(error), field="file") from error
            services.attach_document(dossier, stored, actor=current_user, investigation=entry)
    except BibobError as error:
        _error_to_form(form, error)
        return _investigation_page(dossier, form, failed=True)
    db.session.commit()
    flash("De raadpleging is vastgelegd.", "success")
    return redirect(_url(dossier, "bibob.dossier_investigation"))


@bp.get("/bibob/documenten/<int:document_id>")
@require(Permission.VIEW_BIBOB_DETAILS)
def download_attachment(document_id: int):
    attachment = db.session.scalar(select(BibobAttachment).where(BibobAttachment.document_id == document_id).limit(1))
    if attachment is None:
        abort(404)
    dossier = load_dossier_or_404(attachment.dossier_id)
    document: Document = attachment.document
    audit.record("bibob_document.downloaded", object_type="bibob_dossiers", object_id=dossier.id,
                 gemeente_id=dossier.gemeente_id, reference=dossier.reference, document_id=document.id)
    db.session.commit()
    try:
        stream = open_stored(document.sha256)
    except OSError:
        abort(404)
    return send_file(stream, mimetype=document.content_type, as_attachment=True,
                     download_name=document.original_filename, max_age=0)


# --- LBB advice ---------------------------------------------------------------------------------------

def _lbb_page(dossier: BibobDossier, *, failed: bool = False, **forms):
    request_ = dossier.lbb_request
    open_request = request_ if request_ is not None and not request_.is_received else None
    defaults = {
        "request_form": LbbRequestForm(requested_on=_today()),
        "advice_form": LbbAdviceForm(received_on=_today()),
        "extension_form": LbbExtensionForm(extension_weeks=open_request.extension_weeks if open_request else 0),
        "questions_form": LbbQuestionsForm(asked_on=_today()),
        "answers_form": LbbAnswersForm(answered_on=_today()),
    }
    defaults.update(forms)
    # A form posted from a stale page (another tab moved the request on) is no longer on the page
    # rendered now: its errors would be invisible, so they are shown as a message instead.
    questions_open = bool(open_request and open_request.questions_event and not open_request.questions_event.end_on)
    visible = ({"advice_form", "extension_form", "answers_form" if questions_open else "questions_form"}
               if open_request else {"request_form"})
    for name, form in forms.items():
        if name not in visible:
            for messages in form.errors.values():
                for message in messages if isinstance(messages, list) else [messages]:
                    flash(str(message), "danger")
    return _page(dossier, "lbb", "bibob/dossier_lbb.html", failed=failed, open_request=open_request,
                 due=services.LbbDue.of(open_request) if open_request else None,
                 deadline=app_deadlines.compute(dossier.application, today=_today()), **defaults)


@bp.get("/bibob/dossiers/<int:dossier_id>/lbb")
@require(Permission.VIEW_BIBOB_DETAILS)
def dossier_lbb(dossier_id: int):
    return _lbb_page(load_dossier_or_404(dossier_id))


@bp.post("/bibob/dossiers/<int:dossier_id>/lbb")
@require(Permission.EDIT_BIBOB)
def request_lbb(dossier_id: int):
    dossier = load_dossier_or_404(dossier_id)
    if (closed := _writable(dossier)) is not None:
        return closed
    form = LbbRequestForm()
    if form.validate_on_submit():
        try:
            services.request_lbb_advice(dossier, requested_on=form.requested_on.data,
                                        extension_weeks=form.extension_weeks.data or 0,
                                        notice_logged=form.notice_logged.data, supplementary=form.supplementary.data,
                                        actor=current_user, today=_today())
        except BibobError as error:
            _error_to_form(form, error)
        else:
            db.session.commit()
            flash("De adviesaanvraag is vastgelegd; de beslistermijn van de aanvraag is opgeschort "
                  f"(nieuwe uiterste beslisdatum {dossier.application.deadline_on:%d-%m-%Y}).", "success")
            return redirect(_url(dossier, "bibob.dossier_lbb"))
    return _lbb_page(dossier, failed=True, request_form=form)


def _request_id(dossier: BibobDossier, request_id: int) -> int:
    if not any(r.id == request_id for r in dossier.lbb_requests):
        abort(404)
    return request_id


@bp.post("/bibob/dossiers/<int:dossier_id>/lbb/<int:request_id>/verlenging")
@require(Permission.EDIT_BIBOB)
def extend_lbb(dossier_id: int, request_id: int):
    dossier = load_dossier_or_404(dossier_id)
    request_id = _request_id(dossier, request_id)
    form = LbbExtensionForm()
    if form.validate_on_submit():
        try:
            services.set_lbb_extension(dossier, request_id, weeks=form.extension_weeks.data, actor=current_user,
                                       today=_today())
        except BibobError as error:
            _error_to_form(form, error)
        else:
            db.session.commit()
            flash("De verlenging van de adviestermijn is vastgelegd.", "success")
            return redirect(_url(dossier, "bibob.dossier_lbb"))
    return _lbb_page(dossier, failed=True, extension_form=form)


@bp.post("/bibob/dossiers/<int:dossier_id>/lbb/<int:request_id>/vragen")
@require(Permission.EDIT_BIBOB)
def lbb_questions(dossier_id: int, request_id: int):
    dossier = load_dossier_or_404(dossier_id)
    request_id = _request_id(dossier, request_id)
    form = LbbQuestionsForm()
    if form.validate_on_submit():
        try:
            services.record_lbb_questions(dossier, request_id, asked_on=form.asked_on.data, actor=current_user,
                                          today=_today())
        except BibobError as error:
            _error_to_form(form, error)
        else:
            db.session.commit()
            flash("De vragen van het LBB zijn vastgelegd; de beslistermijn is opgeschort tot ze zijn beantwoord.",
                  "success")
            return redirect(_url(dossier, "bibob.dossier_lbb"))
    return _lbb_page(dossier, failed=True, questions_form=form)


@bp.post("/bibob/dossiers/<int:dossier_id>/lbb/<int:request_id>/antwoorden")
@require(Permission.EDIT_BIBOB)
def lbb_answers(dossier_id: int, request_id: int):
    dossier = load_dossier_or_404(dossier_id)
    request_id = _request_id(dossier, request_id)
    form = LbbAnswersForm()
    if form.validate_on_submit():
        try:
            services.record_lbb_answers(dossier, request_id, answered_on=form.answered_on.data, actor=current_user,
                                        today=_today())
        except BibobError as error:
            _error_to_form(form, error)
        else:
            db.session.commit()
            flash("De beantwoording is vastgelegd.", "success")
            return redirect(_url(dossier, "bibob.dossier_lbb"))
    return _lbb_page(dossier, failed=True, answers_form=form)


def _level(value: str | None) -> DangerLevel | None:
    return DangerLevel(value) if value else None


@bp.post("/bibob/dossiers/<int:dossier_id>/lbb/<int:request_id>/advies")
@require(Permission.EDIT_BIBOB)
def record_lbb_advice(dossier_id: int, request_id: int):
    dossier = load_dossier_or_404(dossier_id)
    request_id = _request_id(dossier, request_id)
    form = LbbAdviceForm()
    if form.validate_on_submit():
        vergewist = {"ja": True, "nee": False}.get(form.vergewist.data or "")
        try:
            services.record_lbb_advice(
                dossier, request_id, received_on=form.received_on.data, reference=form.reference.data or "",
                a_level=_level(form.a_level.data), b_level=_level(form.b_level.data), art3_lid6=form.art3_lid6.data,
                summary=form.summary.data or "", vergewist=vergewist, vergewis_note=form.vergewis_note.data or "",
                actor=current_user, today=_today())
        except BibobError as error:
            _error_to_form(form, error)
        else:
            db.session.commit()
            flash("Het advies van het LBB is vastgelegd; de opschorting van de beslistermijn is beëindigd.", "success")
            return redirect(_url(dossier, "bibob.dossier_lbb"))
    return _lbb_page(dossier, failed=True, advice_form=form)


# --- judgement -----------------------------------------------------------------------------------------

def _judgement_form(dossier: BibobDossier, assessment) -> JudgementForm:
    current = dossier.judgement
    if current is not None:
        return JudgementForm(
            a_level=current.a_level.value, b_level=current.b_level.value, level=current.level.value,
            advice=current.advice.value, art3_lid6=current.art3_lid6, deviation_reason=current.deviation_reason,
            motivation=current.motivation, conditions=current.conditions, lbb_weight=current.lbb_weight,
            weighing_ernst=current.weighing_ernst, weighing_samenhang=current.weighing_samenhang,
            weighing_tijdsverloop=current.weighing_tijdsverloop,
            weighing_evenredigheid=current.weighing_evenredigheid, version=dossier.version)
    return JudgementForm(a_level=assessment.ground(Ground.A_GROND).level.value,
                         b_level=assessment.ground(Ground.B_GROND).level.value, level=assessment.proposal.value,
                         advice=assessment.advice.value, art3_lid6=assessment.lid6_indicated, version=dossier.version)


def _judgement_page(dossier: BibobDossier, form=None, texts_form=None, *, failed: bool = False):
    if dossier.is_purged:
        return _page(dossier, "oordeel", "bibob/dossier_judgement.html", failed=failed, assessment=None, form=None,
                     texts_form=None, lbb=None)
    assessment = services.assessment_for(dossier)
    return _page(dossier, "oordeel", "bibob/dossier_judgement.html", failed=failed, assessment=assessment,
                 form=form or _judgement_form(dossier, assessment), lbb=services.lbb_advice_for(dossier),
                 texts_form=texts_form or ReportTextsForm(summary=dossier.summary, aanleiding=dossier.aanleiding,
                                                          version=dossier.version))


@bp.get("/bibob/dossiers/<int:dossier_id>/oordeel")
@require(Permission.VIEW_BIBOB_DETAILS)
def dossier_judgement(dossier_id: int):
    return _judgement_page(load_dossier_or_404(dossier_id))


@bp.post("/bibob/dossiers/<int:dossier_id>/oordeel")
@require(Permission.EDIT_BIBOB)
def save_judgement(dossier_id: int):
    dossier = load_dossier_or_404(dossier_id)
    if (closed := _writable(dossier)) is not None:
        return closed
    form = JudgementForm()
    if not form.validate_on_submit():
        return _judgement_page(dossier, form, failed=True)
    data = JudgementInput(
        a_level=DangerLevel(form.a_level.data), b_level=DangerLevel(form.b_level.data), level=DangerLevel(form.level.data),
        advice=Advice(form.advice.data), art3_lid6=form.art3_lid6.data,
        deviation_reason=form.deviation_reason.data or "", motivation=form.motivation.data or "",
        conditions=form.conditions.data or "", lbb_weight=form.lbb_weight.data or "",
        weighing_ernst=form.weighing_ernst.data or "", weighing_samenhang=form.weighing_samenhang.data or "",
        weighing_tijdsverloop=form.weighing_tijdsverloop.data or "",
        weighing_evenredigheid=form.weighing_evenredigheid.data or "")
    try:
        services.check_version(dossier, form.version.data)
        judgement = services.record_judgement(dossier, data, actor=current_user)
    except BibobError as error:
        _error_to_form(form, error)
        return _judgement_page(dossier, form, failed=True)
    db.session.commit()
    flash("Het oordeel is vastgelegd" + (" (afwijkend van het voorstel, met reden)." if judgement.deviates else "."),
          "success")
    return redirect(_url(dossier, "bibob.dossier_judgement"))


@bp.post("/bibob/dossiers/<int:dossier_id>/rapporttekst")
@require(Permission.EDIT_BIBOB)
def save_report_texts(dossier_id: int):
    dossier = load_dossier_or_404(dossier_id)
    if (closed := _writable(dossier)) is not None:
        return closed
    form = ReportTextsForm()
    if form.validate_on_submit():
        try:
            services.check_version(dossier, form.version.data)
            services.save_report_texts(dossier, summary=form.summary.data or "", aanleiding=form.aanleiding.data or "",
                                       actor=current_user)
        except BibobError as error:
            _error_to_form(form, error)
        else:
            db.session.commit()
            flash("De teksten voor het rapport zijn opgeslagen.", "success")
            return redirect(_url(dossier, "bibob.dossier_judgement", "rapporttekst"))
    return _judgement_page(dossier, texts_form=form, failed=True)


# --- voornemen and zienswijze ---------------------------------------------------------------------------

def _procedure_page(dossier: BibobDossier, *, failed: bool = False, **forms):
    context = {"intention_form": IntentionForm(sent_on=_today()), "zienswijze_form": ZienswijzeForm(received_on=_today())}
    context.update(forms)
    return _page(dossier, "procedure", "bibob/dossier_procedure.html", failed=failed, **context)


@bp.get("/bibob/dossiers/<int:dossier_id>/procedure")
@require(Permission.VIEW_BIBOB_DETAILS)
def dossier_procedure(dossier_id: int):
    return _procedure_page(load_dossier_or_404(dossier_id))


@bp.post("/bibob/dossiers/<int:dossier_id>/voornemen")
@require(Permission.EDIT_BIBOB)
def record_intention(dossier_id: int):
    dossier = load_dossier_or_404(dossier_id)
    if (closed := _writable(dossier)) is not None:
        return closed
    form = IntentionForm()
    if form.validate_on_submit():
        try:
            services.record_intention(dossier, sent_on=form.sent_on.data, text=form.text.data,
                                      zienswijze_due_on=form.zienswijze_due_on.data, actor=current_user, today=_today())
        except BibobError as error:
            _error_to_form(form, error)
        else:
            db.session.commit()
            flash("Het voornemen tot weigeren is vastgelegd; de aanvraag staat op 'Voornemen tot weigeren'.", "success")
            return redirect(_url(dossier, "bibob.dossier_procedure"))
    return _procedure_page(dossier, failed=True, intention_form=form)


@bp.post("/bibob/dossiers/<int:dossier_id>/zienswijze")
@require(Permission.EDIT_BIBOB)
def record_zienswijze(dossier_id: int):
    dossier = load_dossier_or_404(dossier_id)
    if (closed := _writable(dossier)) is not None:
        return closed
    form = ZienswijzeForm()
    if form.validate_on_submit():
        try:
            services.record_zienswijze(dossier, received_on=form.received_on.data, text=form.text.data,
                                       weighing=form.weighing.data or "", actor=current_user, today=_today())
        except BibobError as error:
            _error_to_form(form, error)
        else:
            db.session.commit()
            flash("De zienswijze is vastgelegd.", "success")
            return redirect(_url(dossier, "bibob.dossier_procedure"))
    return _procedure_page(dossier, failed=True, zienswijze_form=form)


# --- report, versions and disclosures --------------------------------------------------------------------

def _report_page(dossier: BibobDossier, *, failed: bool = False, disclosure_form=None, form_for: str = ""):
    return _page(dossier, "rapport", "bibob/dossier_report.html", failed=failed,
                 not_ready=reports.readiness(dossier), in_concept=reports.report_in_concept(dossier),
                 disclosure_form=disclosure_form or DisclosureForm(), form_for=form_for,
                 issue_form=IssueReportForm(), disclosures=reports.disclosures_of(dossier), bases=DisclosureBasis)


@bp.get("/bibob/dossiers/<int:dossier_id>/rapport")
@require(Permission.VIEW_BIBOB_DETAILS)
def dossier_report(dossier_id: int):
    return _report_page(load_dossier_or_404(dossier_id))


def _pdf_response(pdf: bytes, name: str):
    response = send_file(BytesIO(pdf), mimetype="application/pdf", as_attachment=True, download_name=name, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response


def _refused(dossier: BibobDossier, form: DisclosureForm, form_for: str, message: str | None = None):
    if message:
        form.legal_basis.errors = [*form.legal_basis.errors, message]
    db.session.rollback()
    audit.record("bibob_report.disclosure_refused", object_type="bibob_dossiers", object_id=dossier.id,
                 gemeente_id=dossier.gemeente_id, reference=dossier.reference,
                 reason="; ".join(e for f in form for e in f.errors)[:500])
    return _report_page(dossier, disclosure_form=form, form_for=form_for)


@bp.post("/bibob/dossiers/<int:dossier_id>/rapport/concept")
@require(Permission.VIEW_BIBOB_DETAILS)
def download_concept(dossier_id: int):
    """A concept of the next version, streamed and not stored; it leaves Barrier, so it is a disclosure."""
    dossier = load_dossier_or_404(dossier_id)
    form = DisclosureForm()
    if not form.validate_on_submit():
        return _refused(dossier, form, "concept")
    try:
        rendered = reports.render_concept(dossier, today=_today())
        reports.record_disclosure(dossier, pdf=rendered.pdf, content_hash=rendered.content_hash,
                                  basis=form.legal_basis.data, recipient=form.recipient.data,
                                  purpose=form.purpose.data or "", channel="download", actor=current_user,
                                  version=rendered.version, is_concept=True)
    except BibobError as error:
        if error.field:
            _error_to_form(form, error)
            return _refused(dossier, form, "concept")
        flash(error.message, "danger")
        return redirect(_url(dossier, "bibob.dossier_report"))
    db.session.commit()
    return _pdf_response(rendered.pdf, f"bibob-advies-{dossier.reference}-concept-v{rendered.version}.pdf")


@bp.post("/bibob/dossiers/<int:dossier_id>/rapport/vaststellen")
@require(Permission.ISSUE_BIBOB_REPORT)
def issue_report(dossier_id: int):
    dossier = load_dossier_or_404(dossier_id)
    if (closed := _writable(dossier)) is not None:
        return closed
    if not IssueReportForm().validate_on_submit():
        abort(400)
    try:
        version = reports.issue_report(dossier, actor=current_user, today=_today())
    except BibobError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(f"Versie {version.version} van het adviesrapport is definitief vastgesteld "
              f"(document-hash {version.content_hash[:12]}).", "success")
    return redirect(_url(dossier, "bibob.dossier_report"))


@bp.post("/bibob/rapporten/<int:report_id>/download")
@require(Permission.VIEW_BIBOB_DETAILS)
def download_report(report_id: int):
    version = db.session.get(AdviceReportVersion, report_id)
    if version is None:
        abort(404)
    dossier = load_dossier_or_404(version.dossier_id)
    form = DisclosureForm()
    if not form.validate_on_submit():
        return _refused(dossier, form, f"v{version.id}")
    try:
        reports.record_disclosure(dossier, pdf=version.pdf, content_hash=version.content_hash,
                                  basis=form.legal_basis.data, recipient=form.recipient.data,
                                  purpose=form.purpose.data or "", channel="download", actor=current_user,
                                  report=version)
    except BibobError as error:
        _error_to_form(form, error)
        return _refused(dossier, form, f"v{version.id}")
    db.session.commit()
    return _pdf_response(version.pdf, f"bibob-advies-{dossier.reference}-v{version.version}.pdf")


# --- retention (beheerder) --------------------------------------------------------------------------------

def _retention_scope() -> set[int] | None:
    return None if current_user.gemeente_id is None else {current_user.gemeente_id}


def _retention_dossier(dossier_id: int) -> BibobDossier:
    dossier = db.session.get(BibobDossier, dossier_id)
    scope = _retention_scope()
    if dossier is None or (scope is not None and dossier.gemeente_id not in scope):
        abort(404)
    return dossier


@bp.get("/bibob/bewaartermijnen")
@require(Permission.MANAGE_BIBOB_RETENTION)
def retention_overview():
    rows = retention.overview(today=_today(), gemeente_ids=_retention_scope(), due_only=request.args.get("alle") != "1")
    return render_template("bibob/retention.html", rows=rows, today=_today(), form=PurgeForm(),
                           show_all=request.args.get("alle") == "1", hold_form=LegalHoldForm(),
                           years_form=RetentionYearsForm())


def _back_to_retention():
    return redirect(url_for("bibob.retention_overview", **({"alle": "1"} if request.form.get("alle") == "1" else {})))


@bp.post("/bibob/bewaartermijnen/<int:dossier_id>/goedkeuren")
@require(Permission.MANAGE_BIBOB_RETENTION)
def approve_purge(dossier_id: int):
    dossier = _retention_dossier(dossier_id)
    if not PurgeForm().validate_on_submit():
        abort(400)
    try:
        retention.approve_purge(dossier, approver=current_user, today=_today())
    except BibobError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(f"Vernietiging van {dossier.reference} goedgekeurd. Een andere beheerder voert haar uit.", "success")
    return _back_to_retention()


@bp.post("/bibob/bewaartermijnen/<int:dossier_id>/vernietigen")
@require(Permission.MANAGE_BIBOB_RETENTION)
def purge_dossier(dossier_id: int):
    dossier = _retention_dossier(dossier_id)
    if not PurgeForm().validate_on_submit():
        abort(400)
    try:
        files = retention.purge(dossier, executor=current_user, approver=None, today=_today())
    except BibobError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        retention.remove_unreferenced_files(files)
        flash(f"Dossier {dossier.reference} is vernietigd; de vernietiging is vastgelegd.", "success")
    return _back_to_retention()


@bp.post("/bibob/bewaartermijnen/<int:dossier_id>/bewaren")
@require(Permission.MANAGE_BIBOB_RETENTION)
def retention_hold(dossier_id: int):
    dossier = _retention_dossier(dossier_id)
    form = LegalHoldForm()
    years_form = RetentionYearsForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        retention.set_legal_hold(dossier, hold=form.hold.data, reason=form.reason.data or "", actor=current_user)
        if years_form.years.data and years_form.years.data != dossier.retention_years:
            retention.set_retention_years(dossier, years=years_form.years.data, actor=current_user)
    except BibobError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(f"Bewaring van {dossier.reference} bijgewerkt.", "success")
    return _back_to_retention()


def user_label(user: User | None) -> str:
    return user.full_name if user else "—"
