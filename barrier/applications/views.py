from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from barrier import audit
from barrier.applications import bp, rules, sections, services
from barrier.applications import deadlines as app_deadlines
from barrier.applications.formdata import address_of, party_of
from barrier.applications.services import ApplicationError
from barrier.auth.permissions import Permission, has_permission, require
from barrier.auth.scoping import get_in_scope_or_404, scope_to_user
from barrier.db import db
from barrier.documents import DocumentError, open_stored, store
from barrier.models import (
    Application,
    ApplicationEvent,
    ApplicationParty,
    ApplicationStatus,
    ClockEventKind,
    Document,
    DocumentKind,
    Gemeente,
    Organisation,
    PartyRole,
    Permit,
    PermitStatus,
    PermitType,
    Person,
)
from forms.applications import (
    ApplicationFilterForm,
    ClockEventForm,
    DecisionForm,
    DocumentUploadForm,
    EscortDetailsForm,
    HousingDetailsForm,
    LocationForm,
    PartyForm,
    SexBusinessDetailsForm,
    TransitionForm,
    TypeForm,
)
from forms.base import options

STEPS = (
    ("type", "Soort aanvraag"),
    ("aanvrager", "Aanvrager"),
    ("betrokkenen", "Betrokkenen"),
    ("locatie", "Locatie"),
    ("gegevens", "Gegevens"),
    ("documenten", "Documenten"),
    ("controle", "Controle en indienen"),
)
STEP_KEYS = [key for key, _ in STEPS]
DETAIL_FORMS = {
    PermitType.SEKSINRICHTING: SexBusinessDetailsForm,
    PermitType.ESCORTBEDRIJF: EscortDetailsForm,
    PermitType.VERHUURVERGUNNING: HousingDetailsForm,
}


def _norms(app: Application):
    """The housing-norm check of a verhuurvergunning (domain.md §2.7 SNF), or None."""
    if app.permit_type is not PermitType.VERHUURVERGUNNING or not app.details:
        return None
    from screening.housing import check_housing

    return check_housing(app_deadlines.housing_input(app.details), assessed_on=_today())


def _today() -> date:
    return date.today()  # noqa: DTZ011 - the server's local date is the working day


def _load(application_id: int, options: Sequence[Any] = ()) -> Application:
    return get_in_scope_or_404(Application, application_id, options=options)


# What the application page shows, each in one query instead of one per party, event and document.
DETAIL_LOADS = (
    selectinload(Application.parties).selectinload(ApplicationParty.person).selectinload(Person.address),
    selectinload(Application.parties).selectinload(ApplicationParty.organisation).selectinload(Organisation.address),
    selectinload(Application.events).selectinload(ApplicationEvent.actor),
    selectinload(Application.documents).selectinload(Document.uploaded_by),
    selectinload(Application.clock_events),
    selectinload(Application.location),
)


def _load_editable(application_id: int, options: Sequence[Any] = ()) -> Application:
    app = _load(application_id, options)
    if app.status is ApplicationStatus.CONCEPT and app.created_by_id != current_user.id and not has_permission(
            current_user, Permission.DECIDE_APPLICATIONS):
        abort(404)
    return app


def _error_to_form(form, error: ApplicationError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "danger")


def _next_step(step: str) -> str:
    index = STEP_KEYS.index(step)
    return STEP_KEYS[min(index + 1, len(STEP_KEYS) - 1)]


# --- lists ------------------------------------------------------------------------------------

def _filter_form() -> tuple[ApplicationFilterForm, services.ListFilter]:
    form = ApplicationFilterForm(request.args)
    gemeenten = db.session.scalars(scope_to_user(db.select(Gemeente), Gemeente.id).order_by(Gemeente.name)).all()
    form.gemeente.choices = options([("", "Alle gemeenten")] + [(str(g.id), g.name) for g in gemeenten])
    form.status.choices = options([("", "Alle statussen"), ("open", "Alle open aanvragen")] + [
        (s.value, s.label) for s in ApplicationStatus])
    flt = services.ListFilter()
    if form.validate():
        flt = services.ListFilter(q=form.q.data or "", gemeente_id=int(form.gemeente.data) if form.gemeente.data else None,
                                  permit_type=form.permit_type.data or "", status=form.status.data or "",
                                  deadline=form.deadline.data or "", sort=form.sort.data or "deadline")
    return form, flt


@bp.get("/aanvragen")
@require(Permission.VIEW_APPLICATIONS)
def list_applications():
    form, flt = _filter_form()
    page = db.paginate(services.list_query(current_user, flt, today=_today()),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False, count=True)
    return render_template("applications/list.html", form=form, page=page, today=_today(),
                           section_badges=sections.list_badges(page.items))


@bp.get("/aanvragen/export.csv")
@require(Permission.EXPORT_APPLICATIONS)
def export_applications():
    _form, flt = _filter_form()
    rows = db.session.scalars(services.list_query(current_user, flt, today=_today()).limit(50_000)).all()
    audit.record("applications.exported", object_type="applications", gemeente_id=current_user.gemeente_id,
                 count=len(rows), filters={k: str(v) for k, v in flt.__dict__.items() if v})
    db.session.commit()
    return Response(services.export_csv(rows), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename=aanvragen-{_today().isoformat()}.csv"})


# --- the wizard -------------------------------------------------------------------------------

@bp.route("/aanvragen/nieuw", methods=["GET", "POST"])
@require(Permission.EDIT_APPLICATIONS)
def new_application():
    form = TypeForm()
    if current_user.gemeente_id is None:
        flash("Een aanvraag hoort bij een gemeente; uw account is regionaal.", "warning")
        return redirect(url_for("applications.list_applications"))
    if form.validate_on_submit():
        app = services.new_application(actor=current_user, gemeente_id=current_user.gemeente_id,
                                       permit_type=PermitType(form.permit_type.data), sub_type=form.sub_type.data or "",
                                       trade_name=form.trade_name.data or "", received_on=form.received_on.data)
        db.session.commit()
        flash("Concept bewaard. Vul nu de aanvrager in.", "success")
        return redirect(url_for("applications.wizard_step", application_id=app.id, step="aanvrager"))
    return render_template("applications/wizard/type.html", form=form, app=None, steps=STEPS, step="type")


@bp.route("/aanvragen/<int:application_id>/stap/<step>", methods=["GET", "POST"])
@require(Permission.EDIT_APPLICATIONS)
def wizard_step(application_id: int, step: str):
    if step not in STEP_KEYS:
        abort(404)
    app = _load_editable(application_id)
    if app.status.is_decided and step != "controle":
        flash("Op deze aanvraag is al besloten; gegevens wijzigen kan niet meer.", "info")
        return redirect(url_for("applications.application_detail", application_id=app.id))
    handler = {
        "type": _step_type, "aanvrager": _step_applicant, "betrokkenen": _step_parties, "locatie": _step_location,
        "gegevens": _step_details, "documenten": _step_documents, "controle": _step_review,
    }[step]
    return handler(app)


def _render_step(app: Application, step: str, **context):
    return render_template(f"applications/wizard/{step}.html", app=app, steps=STEPS, step=step,
                           is_concept=app.status is ApplicationStatus.CONCEPT, **context)


def _after_save(app: Application, step: str):
    services.mark_step(app, _next_step(step))
    db.session.commit()
    if request.form.get("action") == "bewaar":
        flash("Bewaard.", "success")
        return redirect(url_for("applications.wizard_step", application_id=app.id, step=step))
    if app.status is not ApplicationStatus.CONCEPT and step != "betrokkenen":
        flash("Wijzigingen bewaard.", "success")
        return redirect(url_for("applications.application_detail", application_id=app.id))
    return redirect(url_for("applications.wizard_step", application_id=app.id, step=_next_step(step)))


def _step_type(app: Application):
    form = TypeForm(obj=app if request.method == "GET" else None)
    if request.method == "GET":
        form.permit_type.data = app.permit_type.value
    if form.validate_on_submit():
        try:
            services.check_version(app, request.form.get("version"))
            services.update_type(app, permit_type=PermitType(form.permit_type.data), sub_type=form.sub_type.data or "",
                                 trade_name=form.trade_name.data or "", received_on=form.received_on.data, actor=current_user)
        except ApplicationError as error:
            _error_to_form(form, error)
        else:
            return _after_save(app, "type")
    return _render_step(app, "type", form=form)


def _add_party_from(app: Application, form: PartyForm) -> bool:
    try:
        services.check_version(app, request.form.get("version"))
        person, organisation = party_of(form)
        services.add_party(app, role=PartyRole(form.role.data), person=person, organisation=organisation,
                           since=form.since.data, percentage=float(form.percentage.data) if form.percentage.data is not None else None,
                           amount_eur=float(form.amount_eur.data) if form.amount_eur.data is not None else None,
                           notes=form.notes.data or "", actor=current_user)
    except ApplicationError as error:
        db.session.rollback()
        _error_to_form(form, error)
        return False
    return True


def _step_applicant(app: Application):
    form = PartyForm()
    form.role.data = "aanvrager"
    if request.method == "POST" and request.form.get("action") == "verder" and app.applicant and not request.form.get("kind_submitted"):
        services.mark_step(app, "betrokkenen")
        db.session.commit()
        return redirect(url_for("applications.wizard_step", application_id=app.id, step="betrokkenen"))
    if form.validate_on_submit():
        form.role.data = "aanvrager"
        if app.applicant is not None:
            services.remove_party(app, app.applicant.id, actor=current_user)
        if _add_party_from(app, form):
            return _after_save(app, "aanvrager")
    return _render_step(app, "aanvrager", form=form)


def _step_parties(app: Application):
    form = PartyForm()
    form.role.choices = [c for c in form.role.choices if c.value != "aanvrager"]
    if request.method == "POST" and request.form.get("action") == "verder":
        services.mark_step(app, "locatie")
        db.session.commit()
        target = "locatie" if app.status is ApplicationStatus.CONCEPT else None
        if target:
            return redirect(url_for("applications.wizard_step", application_id=app.id, step=target))
        return redirect(url_for("applications.application_detail", application_id=app.id))
    if request.method == "POST" and form.validate_on_submit() and _add_party_from(app, form):
        services.mark_step(app, "betrokkenen")
        db.session.commit()
        flash("Betrokkene toegevoegd.", "success")
        return redirect(url_for("applications.wizard_step", application_id=app.id, step="betrokkenen"))
    return _render_step(app, "betrokkenen", form=form)


@bp.post("/aanvragen/<int:application_id>/betrokkenen/<int:party_id>/verwijderen")
@require(Permission.EDIT_APPLICATIONS)
def remove_party(application_id: int, party_id: int):
    app = _load_editable(application_id)
    try:
        services.remove_party(app, party_id, actor=current_user)
    except ApplicationError as error:
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash("Betrokkene verwijderd.", "success")
    return redirect(request.referrer if request.referrer and request.referrer.startswith(request.host_url)
                    else url_for("applications.wizard_step", application_id=app.id, step="betrokkenen"))


def _step_location(app: Application):
    form = LocationForm()
    if request.method == "GET" and app.location:
        for name in ("street", "house_number", "house_number_suffix", "postcode", "city"):
            getattr(form.address.form, name).data = getattr(app.location, name)
        form.bag_id.data = app.location.bag_id
    if form.validate_on_submit():
        try:
            services.check_version(app, request.form.get("version"))
            services.set_location(app, address_of(form.address.form), bag_id=form.bag_id.data or None, actor=current_user)
        except ApplicationError as error:
            _error_to_form(form, error)
        else:
            return _after_save(app, "locatie")
    return _render_step(app, "locatie", form=form, optional=app.permit_type is PermitType.ESCORTBEDRIJF)


def _step_details(app: Application):
    form_class = DETAIL_FORMS[app.permit_type]
    form = form_class(data=app.details if request.method == "GET" and app.details else None)
    if form.validate_on_submit():
        try:
            services.check_version(app, request.form.get("version"))
            services.set_details(app, form.data, actor=current_user)
        except ApplicationError as error:
            _error_to_form(form, error)
        else:
            return _after_save(app, "gegevens")
    return _render_step(app, "gegevens", form=form, norms=_norms(app))


def _step_documents(app: Application):
    form = DocumentUploadForm()
    if request.method == "POST" and request.form.get("action") == "verder":
        services.mark_step(app, "controle")
        db.session.commit()
        return redirect(url_for("applications.wizard_step", application_id=app.id, step="controle"))
    if form.validate_on_submit() and _upload(app, form):
        services.mark_step(app, "documenten")
        db.session.commit()
        flash("Document toegevoegd.", "success")
        return redirect(url_for("applications.wizard_step", application_id=app.id, step="documenten"))
    return _render_step(app, "documenten", form=form, missing=services.completeness(app))


def _upload(app: Application, form: DocumentUploadForm) -> bool:
    upload = form.file.data
    try:
        stored = store(upload.stream, upload.filename)
    except DocumentError as error:
        form.file.errors = [*form.file.errors, str(error)]
        return False
    try:
        services.attach_document(app, stored, kind=DocumentKind(form.kind.data), actor=current_user)
    except ApplicationError as error:
        form.file.errors = [*form.file.errors, error.message]
        return False
    return True


def _step_review(app: Application):
    missing = services.completeness(app)
    norms = _norms(app)
    if request.method == "POST":
        if app.status is not ApplicationStatus.CONCEPT:
            return redirect(url_for("applications.application_detail", application_id=app.id))
        try:
            services.check_version(app, request.form.get("version"))
            missing = services.submit(app, actor=current_user, today=_today())
        except ApplicationError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            if missing:
                flash(f"Aanvraag {app.reference} is ingediend; er ontbreekt nog {len(missing)} onderdeel/onderdelen. "
                      "Vraag zo nodig een aanvulling (dat schort de termijn op).", "warning")
            else:
                flash(f"Aanvraag {app.reference} is ingediend en compleet.", "success")
            return redirect(url_for("applications.application_detail", application_id=app.id))
    return _render_step(app, "controle", missing=missing, norms=norms)


# --- the application page and casework ----------------------------------------------------------

@bp.get("/aanvragen/<int:application_id>")
@require(Permission.VIEW_APPLICATIONS)
def application_detail(application_id: int):
    app = _load_editable(application_id, options=DETAIL_LOADS)
    if app.status is ApplicationStatus.CONCEPT:
        return redirect(url_for("applications.wizard_step", application_id=app.id, step=app.draft_step or "aanvrager"))
    today = _today()
    result = app_deadlines.compute(app, today=today)
    norms = _norms(app)
    audit.record("application.viewed", object_type="applications", object_id=app.id, gemeente_id=app.gemeente_id)
    # The sections before the commit: their audited reads (register hits) go in the same transaction.
    extra_sections = sections.sections_for(app)
    audit.commit_read()
    return render_template(
        "applications/detail.html", app=app, deadline=result, timebar=app_deadlines.timebar(result) if result else None,
        missing=services.completeness(app), norms=norms, transitions=[
            s for s in services.allowed_next(app) if s in rules.SIMPLE_TRANSITIONS],
        actions=rules.TRANSITION_ACTIONS, can_decide=bool(set(services.allowed_next(app)) & rules.DECISION_STATUSES),
        transition_form=TransitionForm(), clock_form=ClockEventForm(formdata=None), decision_form=DecisionForm(formdata=None),
        extra_sections=extra_sections, today=today)


@bp.post("/aanvragen/<int:application_id>/status")
@require(Permission.EDIT_APPLICATIONS)
def change_status(application_id: int):
    app = _load(application_id)
    form = TransitionForm()
    if not form.validate_on_submit() or form.to_status.data not in {s.value for s in ApplicationStatus}:
        flash("Ongeldige statuswijziging.", "danger")
        return redirect(url_for("applications.application_detail", application_id=app.id))
    target = ApplicationStatus(form.to_status.data)
    if target is ApplicationStatus.INGETROKKEN and not has_permission(current_user, Permission.DECIDE_APPLICATIONS):
        abort(403)
    try:
        services.check_version(app, form.version.data)
        services.transition(app, target, actor=current_user, note=form.note.data or "", today=_today())
    except ApplicationError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(f"Status gewijzigd naar {target.label}.", "success")
    return redirect(url_for("applications.application_detail", application_id=app.id))


def _detail_with_errors(app: Application, **forms):
    today = _today()
    result = app_deadlines.compute(app, today=today)
    context = {
        "transition_form": TransitionForm(), "clock_form": ClockEventForm(formdata=None),
        "decision_form": DecisionForm(formdata=None), **forms,
    }
    norms = _norms(app)
    return render_template(
        "applications/detail.html", app=app, deadline=result, timebar=app_deadlines.timebar(result) if result else None,
        missing=services.completeness(app), norms=norms,
        transitions=[s for s in services.allowed_next(app) if s in rules.SIMPLE_TRANSITIONS],
        actions=rules.TRANSITION_ACTIONS, can_decide=bool(set(services.allowed_next(app)) & rules.DECISION_STATUSES),
        extra_sections=sections.sections_for(app), today=today, **context), 422


@bp.post("/aanvragen/<int:application_id>/besluit")
@require(Permission.DECIDE_APPLICATIONS)
def decide(application_id: int):
    app = _load(application_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            services.check_version(app, form.version.data)
            services.decide(app, outcome=ApplicationStatus(form.outcome.data), decided_on=form.decided_on.data,
                            grounds=form.grounds.data, valid_from=form.valid_from.data, valid_until=form.valid_until.data,
                            conditions=form.conditions.data or "", max_persons=form.max_persons.data, actor=current_user,
                            today=_today())
        except ApplicationError as error:
            db.session.rollback()
            app = _load(application_id)
            _error_to_form(form, error)
        else:
            db.session.commit()
            flash(f"Besluit vastgelegd: {app.status.label}.", "success")
            return redirect(url_for("applications.application_detail", application_id=app.id))
    return _detail_with_errors(app, decision_form=form, open_panel="besluit")


@bp.post("/aanvragen/<int:application_id>/termijn")
@require(Permission.EDIT_APPLICATIONS)
def add_clock_event(application_id: int):
    app = _load(application_id)
    form = ClockEventForm()
    if form.validate_on_submit():
        try:
            services.add_clock_event(app, kind=ClockEventKind(form.kind.data), start_on=form.start_on.data,
                                     end_on=form.end_on.data, weeks=form.weeks.data, notice_logged=form.notice_logged.data,
                                     note=form.note.data or "", actor=current_user, today=_today())
        except ApplicationError as error:
            db.session.rollback()
            app = _load(application_id)
            _error_to_form(form, error)
        else:
            db.session.commit()
            flash("Termijngebeurtenis vastgelegd; de uiterste beslisdatum is herberekend.", "success")
            return redirect(url_for("applications.application_detail", application_id=app.id) + "#termijn")
    return _detail_with_errors(app, clock_form=form, open_panel="termijn")


@bp.post("/aanvragen/<int:application_id>/termijn/<int:event_id>/einde")
@require(Permission.EDIT_APPLICATIONS)
def close_clock_event(application_id: int, event_id: int):
    app = _load(application_id)
    form = ClockEventForm()
    end_on = None
    try:
        end_on = date.fromisoformat(request.form.get("end_on", ""))
    except ValueError:
        flash("Vul een geldige einddatum in.", "danger")
    if end_on and form.csrf_token.validate(form):
        try:
            services.close_clock_event(app, event_id, end_on=end_on, actor=current_user, today=_today())
        except ApplicationError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash("Einddatum vastgelegd; de uiterste beslisdatum is herberekend.", "success")
    return redirect(url_for("applications.application_detail", application_id=app.id) + "#termijn")


@bp.post("/aanvragen/<int:application_id>/documenten")
@require(Permission.EDIT_APPLICATIONS)
def upload_document(application_id: int):
    app = _load(application_id)
    form = DocumentUploadForm()
    if form.validate_on_submit() and _upload(app, form):
        db.session.commit()
        flash("Document toegevoegd.", "success")
    else:
        for error in (*form.kind.errors, *form.file.errors, *form.csrf_token.errors):
            flash(error, "danger")
    return redirect(url_for("applications.application_detail", application_id=app.id) + "#documenten")


@bp.get("/documenten/<int:document_id>")
@require(Permission.VIEW_APPLICATIONS)
def download_document(document_id: int):
    document = get_in_scope_or_404(Document, document_id)
    if document.context != "application":
        abort(404)  # Bibob and inspection files have their own, stricter routes
    try:
        stream = open_stored(document.sha256)
    except FileNotFoundError:
        # Metadata without bytes (demo data, a restore without its files): not found, not a crash.
        current_app.logger.error("document %s: stored file %s is missing", document.id, document.sha256)
        abort(404)
    audit.record("document.downloaded", object_type="documents", object_id=document.id,
                 gemeente_id=document.gemeente_id, application_id=document.application_id)
    db.session.commit()
    # Always as an attachment with our sniffed type: never rendered inline as the uploader's type.
    return send_file(stream, mimetype=document.content_type, as_attachment=True,
                     download_name=document.original_filename, max_age=0)


# --- permit register -------------------------------------------------------------------------------

@bp.get("/vergunningen")
@require(Permission.VIEW_PERMITS)
def list_permits():
    status = request.args.get("status", "geldig")
    stmt = scope_to_user(db.select(Permit), Permit.gemeente_id).order_by(Permit.valid_until.is_(None), Permit.valid_until)
    if status in {s.value for s in PermitStatus}:
        stmt = stmt.where(Permit.status == PermitStatus(status))
    permit_type = request.args.get("soort", "")
    if permit_type in {t.value for t in PermitType}:
        stmt = stmt.where(Permit.permit_type == PermitType(permit_type))
    page = db.paginate(stmt, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("applications/permits.html", page=page, status=status, permit_type=permit_type,
                           statuses=list(PermitStatus), types=list(PermitType), today=_today())


@bp.get("/vergunningen/<int:permit_id>")
@require(Permission.VIEW_PERMITS)
def permit_detail(permit_id: int):
    permit = get_in_scope_or_404(Permit, permit_id)
    return render_template("applications/permit_detail.html", permit=permit, today=_today())
