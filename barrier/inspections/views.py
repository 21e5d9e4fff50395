"""Views of the inspections area: thin (parse, call a service, commit once, render or redirect)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from flask import Response, abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import format_datetime
from flask_login import current_user
from sqlalchemy import select

from barrier import audit
from barrier.auth.permissions import Permission, has_permission, require
from barrier.auth.scoping import get_in_scope_or_404, scope_to_user, visible_gemeente_ids
from barrier.db import db
from barrier.documents import DocumentError, open_stored
from barrier.inspections import bp, planning, services
from barrier.inspections.services import AddressInput, InspectionError, InspectionInput
from barrier.models import Gemeente, User
from barrier.models.inspections import (
    EnforcementMeasure,
    Inspection,
    InspectionLocation,
    InspectionOutcome,
    InspectionPhoto,
    InspectionPlan,
    InspectionStatus,
    LocationKind,
    MeasureStatus,
    PlannedVisit,
    PlanStatus,
    VisitSource,
    VisitStatus,
)
from forms.base import options
from forms.inspections import (
    CloseMeasureForm,
    LocationForm,
    MeasureForm,
    OverrideForm,
    PhotoForm,
    VisitForm,
    inspection_form,
    plan_form,
)
from screening.inspections import AnswerType, load_enforcement
from screening.planning import PlanningError
from screening.signals import evaluate_signals, load_catalogue

LOCATIONS_PER_PAGE = 50


def _today() -> date:
    return date.today()  # noqa: DTZ011 - the server's local date is the working day


def _is_fetch() -> bool:
    # barrier.js / inspections.js send this header when saving in the background.
    return request.headers.get("X-Requested-With") == "fetch"


def _error_to_form(form, error: InspectionError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "danger")
    for problem in error.problems:
        flash(problem, "danger")


def _gemeente_choices() -> list[tuple[str, str]]:
    gemeenten = db.session.scalars(scope_to_user(select(Gemeente), Gemeente.id).order_by(Gemeente.name))
    return [(str(g.id), g.name) for g in gemeenten]


# --- locations ---------------------------------------------------------------------------------------------


@bp.get("/locaties")
@require(Permission.VIEW_LOCATIONS)
def list_locations():
    today = _today()
    stmt = services.locations_query(current_user)
    kind = request.args.get("soort", "")
    if kind in {k.value for k in LocationKind}:
        stmt = stmt.where(InspectionLocation.kind == LocationKind(kind))
    q = (request.args.get("q") or "").strip()
    if q:
        stmt = stmt.where(InspectionLocation.name.ilike(f"%{q[:100]}%"))
    scored = services.score_locations(list(db.session.scalars(stmt)), today=today)
    permit_filter = request.args.get("vergunning", "")
    if permit_filter == "met":
        scored = [s for s in scored if s.has_permit]
    elif permit_filter == "zonder":
        scored = [s for s in scored if not s.has_permit]
    page = max(1, request.args.get("page", 1, type=int) or 1)
    pages = max(1, -(-len(scored) // LOCATIONS_PER_PAGE))
    page = min(page, pages)
    shown = scored[(page - 1) * LOCATIONS_PER_PAGE: page * LOCATIONS_PER_PAGE]
    missing = 0
    if has_permission(current_user, Permission.EDIT_LOCATIONS):
        missing = len(services.permits_without_location(visible_gemeente_ids(current_user)))
    return render_template("inspections/locations.html", scored=shown, total=len(scored), page=page, pages=pages,
                           kind=kind, q=q, permit_filter=permit_filter, kinds=list(LocationKind), missing=missing,
                           today=today)


@bp.post("/locaties/bijwerken")
@require(Permission.EDIT_LOCATIONS)
def sync_locations():
    added = services.sync_permit_locations(visible_gemeente_ids(current_user))
    db.session.commit()
    flash(f"{added} vergunde locatie(s) toegevoegd." if added else "Alle vergunde adressen staan al in de lijst.",
          "success")
    return redirect(url_for("inspections.list_locations"))


@bp.route("/locaties/nieuw", methods=["GET", "POST"])
@require(Permission.EDIT_LOCATIONS)
def new_location():
    form = LocationForm()
    form.gemeente.choices = options(_gemeente_choices())
    if request.method == "GET" and current_user.gemeente_id:
        form.gemeente.data = str(current_user.gemeente_id)
    if form.validate_on_submit():
        try:
            location = services.add_location(
                gemeente_id=int(form.gemeente.data), name=form.name.data, kind=LocationKind(form.kind.data),
                address=AddressInput(street=form.street.data, house_number=form.house_number.data,
                                     house_number_suffix=form.house_number_suffix.data or "",
                                     postcode=form.postcode.data, city=form.city.data,
                                     latitude=float(form.latitude.data) if form.latitude.data is not None else None,
                                     longitude=float(form.longitude.data) if form.longitude.data is not None else None),
                description=form.description.data, actor=current_user)
        except InspectionError as error:
            _error_to_form(form, error)
        else:
            db.session.commit()
            flash("Locatie zonder vergunning toegevoegd; zij telt mee in de risicoplanning.", "success")
            return redirect(url_for("inspections.location_detail", location_id=location.id))
    return render_template("inspections/location_form.html", form=form)


@bp.get("/locaties/<int:location_id>")
@require(Permission.VIEW_LOCATIONS)
def location_detail(location_id: int):
    location = get_in_scope_or_404(InspectionLocation, location_id)
    return _render_location(location, OverrideForm())


def _render_location(location: InspectionLocation, override_form: OverrideForm, status: int = 200):
    today = _today()
    scored = services.score_location_record(location, today=today)
    visits = db.session.scalars(select(PlannedVisit).where(
        PlannedVisit.location_id == location.id, PlannedVisit.status == VisitStatus.GEPLAND)
        .order_by(PlannedVisit.planned_on)).all()
    visits = [v for v in visits if v.plan is None or v.plan.status is PlanStatus.VASTGESTELD]
    return render_template("inspections/location_detail.html", location=location, scored=scored,
                           override_form=override_form, visits=visits, today=today,
                           measure_label=services.measure_label), status


@bp.post("/locaties/<int:location_id>/prioriteit")
@require(Permission.EDIT_LOCATIONS)
def set_priority(location_id: int):
    location = get_in_scope_or_404(InspectionLocation, location_id)
    form = OverrideForm()
    if form.validate_on_submit():
        try:
            services.set_priority_override(location, points=form.signed_points, reason=form.reason.data,
                                           actor=current_user)
        except InspectionError as error:
            _error_to_form(form, error)
        else:
            db.session.commit()
            flash("Prioriteit aangepast; de reden is vastgelegd." if form.signed_points is not None
                  else "Handmatige aanpassing verwijderd.", "success")
            return redirect(url_for("inspections.location_detail", location_id=location.id) + "#risico")
    return _render_location(location, form, status=400 if form.errors else 200)


# --- the inspection on site ----------------------------------------------------------------------------------


def _visit_for(location: InspectionLocation, visit_id: int | None) -> PlannedVisit | None:
    if not visit_id:
        return None
    visit = db.session.get(PlannedVisit, visit_id)
    if visit is None or visit.location_id != location.id or visit.status is not VisitStatus.GEPLAND:
        return None
    return visit


def _checklist_code(location: InspectionLocation, requested: str | None) -> str:
    # A location of kind 'overig' may be inspected with either checklist; others use their own.
    if location.kind is LocationKind.OVERIG and requested in ("INS-SB", "INS-WGV"):
        return requested
    return location.kind.checklist_code


def _norm_text(item) -> str:
    """'Norm: hoogstens 8 personen per toilet' for numeric items (the threshold is checklist data)."""
    t = item.threshold
    parts = [item.note] if item.note else []
    if t is not None:
        def nl(v):
            return f"{v:g}".replace(".", ",")

        per = f" per {t.per}" if t.per else ""
        if t.max is not None:
            parts.append(f"Norm: hoogstens {nl(t.max)} {t.unit}{per}.")
        elif t.max_param:
            parts.append(f"Norm: hoogstens het vergunde aantal {t.unit}{per}.")
        if t.min is not None:
            parts.append(f"Norm: minstens {nl(t.min)} {t.unit}{per}.")
    return " ".join(parts)


def _render_inspection_form(location, form, checklist, *, inspection=None, visit=None, status=200):
    catalogue = load_catalogue()
    groups: list[tuple[str, list]] = []
    for category in checklist.categories:
        groups.append((category, [i for i in checklist.items if i.category == category]))
    barrier_names = {b.id: b.name for b in catalogue.barriers}
    return render_template("inspections/inspection_form.html", location=location, form=form, checklist=checklist,
                           groups=groups, inspection=inspection, visit=visit, catalogue=catalogue,
                           barrier_names=barrier_names, AnswerType=AnswerType, field_name=_field_name,
                           norm_text=_norm_text, photo_form=PhotoForm() if inspection is not None else None), status


def _field_name(item_id: str) -> str:
    from forms.inspections import field_name

    return field_name(item_id)


@bp.get("/locaties/<int:location_id>/controle")
@require(Permission.RECORD_INSPECTIONS)
def new_inspection(location_id: int):
    location = get_in_scope_or_404(InspectionLocation, location_id)
    visit = _visit_for(location, request.args.get("bezoek", type=int))
    code = _checklist_code(location, request.args.get("lijst"))
    checklist = services.checklist_for_location(location, code)
    form = inspection_form(checklist, load_catalogue(), formdata=None)
    # The token that makes a repeated submit update this inspection instead of adding one (issue 6).
    form.submission_token.data = str(uuid.uuid4())
    form.checklist_code.data = checklist.code
    form.inspected_on.data = _today()
    if visit is not None and visit.partner is not None:
        other = visit.partner if visit.inspector_id == current_user.id else visit.inspector
        form.partner_name.data = other.full_name if other else ""
    return _render_inspection_form(location, form, checklist, visit=visit)


@bp.post("/locaties/<int:location_id>/controle")
@require(Permission.RECORD_INSPECTIONS)
def save_inspection(location_id: int):
    location = get_in_scope_or_404(InspectionLocation, location_id)
    token = request.form.get("submission_token", "")
    existing = db.session.scalar(select(Inspection).where(Inspection.submission_token == token)) if token else None
    code = existing.checklist_code if existing else _checklist_code(location, request.form.get("checklist_code"))
    checklist = services.checklist_for_location(location, code)
    form = inspection_form(checklist, load_catalogue())
    visit = existing.visit if existing else _visit_for(location, request.args.get("bezoek", type=int))
    complete = request.form.get("action") == "afronden"
    if form.validate_on_submit():
        outcome = InspectionOutcome(form.outcome.data) if form.outcome.data else None
        data = InspectionInput(inspected_on=form.inspected_on.data, answers=form.answers(),
                               partner_name=form.partner_name.data or "", persons_present=form.persons_present.data,
                               identities_checked=form.identities_checked.data, notes=form.notes.data or "",
                               outcome=outcome, checklist_code=checklist.code)
        try:
            result = services.save_inspection(location, token=form.submission_token.data, data=data,
                                              complete=complete, actor=current_user, today=_today(), visit=visit)
        except InspectionError as error:
            db.session.rollback()
            if _is_fetch():
                return jsonify(ok=False, error=error.message), 400
            _error_to_form(form, error)
        else:
            db.session.commit()
            inspection = result.inspection
            if _is_fetch():
                return jsonify(ok=True, inspection_id=inspection.id, completed=inspection.is_completed,
                               saved_at=format_datetime(inspection.updated_at, "HH:mm:ss"),
                               edit_url=url_for("inspections.edit_inspection", inspection_id=inspection.id))
            if result.already_completed:
                flash("Deze controle was al afgerond en opgeslagen; er is niets dubbel vastgelegd.", "info")
                return redirect(url_for("inspections.inspection_detail", inspection_id=inspection.id))
            for warning in result.warnings:
                flash(warning, "warning")
            if inspection.is_completed:
                flash("Controle afgerond en opgeslagen.", "success")
                return redirect(url_for("inspections.inspection_detail", inspection_id=inspection.id))
            flash("Tussentijds opgeslagen.", "success")
            return redirect(url_for("inspections.edit_inspection", inspection_id=inspection.id))
    elif _is_fetch():
        errors = {name: list(errs) for name, errs in form.errors.items()}
        first = next(iter(form.errors.values()), ["Controleer het formulier."])[0]
        return jsonify(ok=False, error=str(first), errors=errors), 400
    return _render_inspection_form(location, form, checklist, inspection=existing, visit=visit,
                                   status=400 if form.errors else 200)


@bp.get("/controles/<int:inspection_id>/bewerken")
@require(Permission.RECORD_INSPECTIONS)
def edit_inspection(inspection_id: int):
    inspection = get_in_scope_or_404(Inspection, inspection_id)
    if inspection.is_completed:
        return redirect(url_for("inspections.inspection_detail", inspection_id=inspection.id))
    checklist = services.checklist_of(inspection)
    form = inspection_form(checklist, load_catalogue(), formdata=None)
    form.submission_token.data = inspection.submission_token
    form.checklist_code.data = inspection.checklist_code
    form.inspected_on.data = inspection.inspected_on
    form.partner_name.data = inspection.partner_name
    form.persons_present.data = inspection.persons_present
    form.identities_checked.data = inspection.identities_checked
    form.notes.data = inspection.notes
    form.outcome.data = inspection.outcome.value if inspection.outcome else None
    form.fill(inspection.answers or {})
    return _render_inspection_form(inspection.location, form, checklist, inspection=inspection,
                                   visit=inspection.visit)


@bp.get("/controles")
@require(Permission.RECORD_INSPECTIONS)
def list_inspections():
    stmt = services.inspections_query(current_user).order_by(Inspection.inspected_on.desc(), Inspection.id.desc())
    page = db.paginate(stmt, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("inspections/inspections.html", page=page)


@bp.get("/controles/<int:inspection_id>")
@require(Permission.RECORD_INSPECTIONS)
def inspection_detail(inspection_id: int):
    inspection = get_in_scope_or_404(Inspection, inspection_id)
    return _render_inspection_detail(inspection)


def _measure_form(inspection: Inspection, formdata=None) -> MeasureForm:
    form = MeasureForm(formdata=formdata) if formdata is not None else MeasureForm()
    form.violation.choices = options([(item_id, text[:160]) for item_id, text in services.violations_of(inspection)])
    form.measure_code.choices = options([(m.code, m.label) for m in services.available_measures(inspection)])
    if request.method == "GET":
        form.issued_on.data = _today()
        form.offence_on.data = inspection.inspected_on
    return form


def _render_inspection_detail(inspection: Inspection, *, photo_form=None, measure_form=None, status=200):
    assessment = services.assessment_of(inspection)
    observed = list(inspection.signal_ids or [])
    evaluation = evaluate_signals(observed) if observed else None
    catalogue = load_catalogue()
    prompts = [s for s in assessment.suggested_signals if s not in observed and catalogue.has_signal(s)]
    checklist = services.checklist_of(inspection)
    measure_types = {m.code: m for m in load_enforcement().measures}
    return render_template(
        "inspections/inspection_detail.html", inspection=inspection, location=inspection.location,
        assessment=assessment, evaluation=evaluation, prompts=prompts, catalogue=catalogue, checklist=checklist,
        photo_form=photo_form or PhotoForm(), measure_form=measure_form or _measure_form(inspection),
        close_form=CloseMeasureForm(), measure_types=measure_types, measure_label=services.measure_label,
        measure_parameters=services.measure_parameters, unanswered=services.unanswered_questions(checklist, assessment),
        today=_today()), status


@bp.post("/controles/<int:inspection_id>/fotos")
@require(Permission.RECORD_INSPECTIONS)
def upload_photo(inspection_id: int):
    inspection = get_in_scope_or_404(Inspection, inspection_id)
    form = PhotoForm()
    if form.validate_on_submit():
        upload = form.photo.data
        try:
            _photo, is_new = services.add_photo(inspection, stream=upload.stream, filename=upload.filename or "foto",
                                                caption=form.caption.data or "", shows_faces=bool(form.shows_faces.data),
                                                faces_reason=form.faces_reason.data or "", actor=current_user)
        except DocumentError as error:
            db.session.rollback()
            form.photo.errors = [*form.photo.errors, str(error)]
        except InspectionError as error:
            db.session.rollback()
            _error_to_form(form, error)
        else:
            db.session.commit()
            flash("Foto toegevoegd." if is_new else "Deze foto was al toegevoegd.", "success")
            target = request.form.get("next", "")
            if target.startswith("/inspecties/controles/") and "//" not in target:
                return redirect(target + "#fotos")
            return redirect(url_for("inspections.inspection_detail", inspection_id=inspection.id) + "#fotos")
    return _render_inspection_detail(inspection, photo_form=form, status=400)


@bp.get("/fotos/<int:photo_id>")
@require(Permission.RECORD_INSPECTIONS)
def view_photo(photo_id: int):
    photo = db.session.get(InspectionPhoto, photo_id)
    if photo is None:
        abort(404)
    get_in_scope_or_404(Inspection, photo.inspection_id)
    document = photo.document
    if document.context != "inspection":
        abort(404)
    audit.record("inspection.photo_viewed", object_type="inspections", object_id=photo.inspection_id,
                 gemeente_id=document.gemeente_id, document_id=document.id)
    db.session.commit()
    try:
        stream = open_stored(document.sha256)
    except FileNotFoundError:
        abort(404)
    # Only JPEG/PNG reach storage (sniffed on upload), so showing them inline is safe; a sandboxed
    # CSP and nosniff keep even a polyglot file from running as a page if opened on its own.
    response = send_file(stream, mimetype=document.content_type, as_attachment=False,
                         download_name=document.original_filename, max_age=0)
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- enforcement ---------------------------------------------------------------------------------------------


@bp.post("/controles/<int:inspection_id>/maatregelen")
@require(Permission.MANAGE_ENFORCEMENT)
def add_measure(inspection_id: int):
    inspection = get_in_scope_or_404(Inspection, inspection_id)
    form = _measure_form(inspection, formdata=request.form)
    if form.validate_on_submit():
        try:
            measure = services.add_measure(inspection, violation_item_id=form.violation.data,
                                           measure_code=form.measure_code.data, values=form.values(),
                                           issued_on=form.issued_on.data, actor=current_user, today=_today())
        except InspectionError as error:
            db.session.rollback()
            _error_to_form(form, error)
        else:
            db.session.commit()
            message = f"{services.measure_label(measure.measure_code)} vastgelegd."
            if measure.reinspection_visit is not None:
                message += f" Hercontrole gepland op {measure.reinspection_visit.planned_on:%d-%m-%Y}."
            flash(message, "success")
            return redirect(url_for("inspections.inspection_detail", inspection_id=inspection.id) + "#handhaving")
    return _render_inspection_detail(inspection, measure_form=form, status=400)


@bp.get("/handhaving")
@require(Permission.MANAGE_ENFORCEMENT)
def enforcement_worklist():
    measures = db.session.scalars(services.open_measures_query(current_user)).all()
    reinspections = db.session.scalars(scope_to_user(
        select(PlannedVisit).where(PlannedVisit.source == VisitSource.HERCONTROLE,
                                   PlannedVisit.status == VisitStatus.GEPLAND),
        PlannedVisit.gemeente_id).order_by(PlannedVisit.planned_on)).all()
    return render_template("inspections/enforcement.html", measures=measures, reinspections=reinspections,
                           today=_today(), measure_label=services.measure_label, close_form=CloseMeasureForm())


@bp.post("/handhaving/<int:measure_id>/afsluiten")
@require(Permission.MANAGE_ENFORCEMENT)
def close_measure(measure_id: int):
    measure = get_in_scope_or_404(EnforcementMeasure, measure_id)
    form = CloseMeasureForm()
    if form.validate_on_submit():
        try:
            services.close_measure(measure, status=MeasureStatus(form.status.data), note=form.note.data or "",
                                   actor=current_user, today=_today())
        except InspectionError as error:
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash("Maatregel afgesloten.", "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "danger")
    return redirect(request.form.get("next") if request.form.get("next", "").startswith("/inspecties/")
                    else url_for("inspections.enforcement_worklist"))


# --- my visits -----------------------------------------------------------------------------------------------


@bp.get("/mijn-controles")
@require(Permission.RECORD_INSPECTIONS)
def my_visits():
    today = _today()
    visits = [v for v in db.session.scalars(services.my_visits_query(current_user, until=today + timedelta(weeks=8)))
              if v.plan is None or v.plan.status is PlanStatus.VASTGESTELD]
    drafts = db.session.scalars(select(Inspection).where(
        Inspection.inspector_id == current_user.id, Inspection.status == InspectionStatus.CONCEPT)
        .order_by(Inspection.updated_at.desc()).limit(20)).all()
    return render_template("inspections/my_visits.html", visits=visits, drafts=drafts, today=today)


# --- planning ------------------------------------------------------------------------------------------------


def _own_gemeente_id() -> int | None:
    return current_user.gemeente_id


def _plan_form(formdata=None):
    gemeente_id = _own_gemeente_id()
    inspectors = planning.inspectors_of(gemeente_id) if gemeente_id else []
    kwargs = {} if formdata is None else {"formdata": formdata}
    form = plan_form([(u.id, u.full_name) for u in inspectors],
                     default_capacity=planning.DEFAULT_CAPACITY_PER_WEEK, **kwargs)
    if formdata is None:
        today = _today()
        monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
        form.start.data = monday
        form.end.data = monday + timedelta(weeks=4, days=-1)
    return form, inspectors


def _render_plans(form, status=200, planning_error: str | None = None):
    plans = db.session.scalars(scope_to_user(select(InspectionPlan), InspectionPlan.gemeente_id)
                               .order_by(InspectionPlan.period_start.desc()).limit(50)).all()
    return render_template("inspections/plans.html", form=form, plans=plans, planning_error=planning_error), status


@bp.get("/planning")
@require(Permission.PLAN_INSPECTIONS)
def list_plans():
    form, _inspectors = _plan_form()
    return _render_plans(form)


@bp.post("/planning")
@require(Permission.PLAN_INSPECTIONS)
def propose_plan():
    form, inspectors = _plan_form(formdata=request.form)
    gemeente_id = _own_gemeente_id()
    if gemeente_id is None:
        return _render_plans(form, 400, "Een plan hoort bij een gemeente; uw account is regionaal.")
    if not form.validate_on_submit():
        return _render_plans(form, 400)
    by_id = {u.id: u for u in inspectors}
    capacities = [(by_id[user_id], capacity) for user_id, capacity in form.capacities() if capacity > 0]
    try:
        plan = planning.propose(gemeente_id, start=form.start.data, end=form.end.data, capacities=capacities,
                                actor=current_user, today=_today())
    except PlanningError as error:
        db.session.rollback()
        return _render_plans(form, 400, str(error))
    db.session.commit()
    flash(f"Voorstel gemaakt: {len(plan.visits)} bezoek(en). Pas het zo nodig aan en stel het daarna vast.", "success")
    return redirect(url_for("inspections.plan_detail", plan_id=plan.id))


def _load_plan(plan_id: int) -> InspectionPlan:
    return get_in_scope_or_404(InspectionPlan, plan_id)


def _visit_form(plan: InspectionPlan, *, adding: bool, formdata=None) -> VisitForm:
    form = VisitForm(formdata=formdata) if formdata is not None else VisitForm()
    people = planning.inspectors_of(plan.gemeente_id)
    form.inspector.choices = options([(str(u.id), u.full_name) for u in people])
    form.partner.choices = options([("", "— geen —")] + [(str(u.id), u.full_name) for u in people])
    if adding:
        locations = db.session.scalars(select(InspectionLocation).where(
            InspectionLocation.gemeente_id == plan.gemeente_id, InspectionLocation.is_active.is_(True))
            .order_by(InspectionLocation.name)).all()
        planned = {v.location_id for v in plan.visits}
        form.location.choices = options([(str(loc.id), loc.name) for loc in locations if loc.id not in planned])
    return form


@bp.get("/planning/<int:plan_id>")
@require(Permission.PLAN_INSPECTIONS)
def plan_detail(plan_id: int):
    plan = _load_plan(plan_id)
    return _render_plan(plan)


def _render_plan(plan: InspectionPlan, *, add_form: VisitForm | None = None, status: int = 200):
    inspector_id = request.args.get("toezichthouder", type=int)
    add_form = add_form or _visit_form(plan, adding=True)
    if request.method == "GET":
        add_form.planned_on.data = max(plan.period_start, _today())
    return render_template("inspections/plan_detail.html", plan=plan,
                           weeks=planning.calendar(plan, inspector_id=inspector_id), inspector_id=inspector_id,
                           add_form=add_form, today=_today()), status


def _load_visit(plan: InspectionPlan, visit_id: int) -> PlannedVisit:
    visit = db.session.get(PlannedVisit, visit_id)
    if visit is None or visit.plan_id != plan.id:
        abort(404)
    return visit


def _user_in_gemeente(value: str | None, gemeente_id: int) -> User | None:
    if not value:
        return None
    user = db.session.get(User, int(value)) if value.isdigit() else None
    if user is None or user.gemeente_id != gemeente_id:
        raise InspectionError("Kies een toezichthouder van deze gemeente.", field="inspector")
    return user


@bp.route("/planning/<int:plan_id>/bezoeken/<int:visit_id>", methods=["GET", "POST"])
@require(Permission.PLAN_INSPECTIONS)
def edit_visit(plan_id: int, visit_id: int):
    plan = _load_plan(plan_id)
    visit = _load_visit(plan, visit_id)
    form = _visit_form(plan, adding=False, formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.planned_on.data = visit.planned_on
        form.inspector.data = str(visit.inspector_id or "")
        form.partner.data = str(visit.partner_id or "")
    elif form.validate_on_submit():
        try:
            warning = planning.move_visit(plan, visit, planned_on=form.planned_on.data,
                                          inspector=_user_in_gemeente(form.inspector.data, plan.gemeente_id),
                                          partner=_user_in_gemeente(form.partner.data, plan.gemeente_id),
                                          actor=current_user)
        except InspectionError as error:
            db.session.rollback()
            _error_to_form(form, error)
        else:
            db.session.commit()
            flash("Bezoek verplaatst.", "success")
            if warning:
                flash(warning, "warning")
            return redirect(url_for("inspections.plan_detail", plan_id=plan.id))
    return render_template("inspections/visit_form.html", plan=plan, visit=visit, form=form), (
        400 if form.errors else 200)


@bp.post("/planning/<int:plan_id>/bezoeken/<int:visit_id>/verwijderen")
@require(Permission.PLAN_INSPECTIONS)
def remove_visit(plan_id: int, visit_id: int):
    plan = _load_plan(plan_id)
    visit = _load_visit(plan, visit_id)
    try:
        planning.remove_visit(plan, visit, actor=current_user)
    except InspectionError as error:
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash("Bezoek uit het plan verwijderd.", "success")
    return redirect(url_for("inspections.plan_detail", plan_id=plan.id))


@bp.post("/planning/<int:plan_id>/bezoeken")
@require(Permission.PLAN_INSPECTIONS)
def add_visit(plan_id: int):
    plan = _load_plan(plan_id)
    form = _visit_form(plan, adding=True, formdata=request.form)
    if form.validate_on_submit():
        location = db.session.get(InspectionLocation, int(form.location.data)) if (form.location.data or "").isdigit() else None
        try:
            if location is None:
                raise InspectionError("Kies een locatie.", field="location")
            warning = planning.add_visit(plan, location=location, planned_on=form.planned_on.data,
                                         inspector=_user_in_gemeente(form.inspector.data, plan.gemeente_id),
                                         partner=_user_in_gemeente(form.partner.data, plan.gemeente_id),
                                         actor=current_user, today=_today())
        except InspectionError as error:
            db.session.rollback()
            _error_to_form(form, error)
        else:
            db.session.commit()
            flash("Bezoek toegevoegd.", "success")
            if warning:
                flash(warning, "warning")
            return redirect(url_for("inspections.plan_detail", plan_id=plan.id))
    return _render_plan(plan, add_form=form, status=400)


@bp.post("/planning/<int:plan_id>/vaststellen")
@require(Permission.PLAN_INSPECTIONS)
def fix_plan(plan_id: int):
    plan = _load_plan(plan_id)
    try:
        planning.fix_plan(plan, actor=current_user)
    except InspectionError as error:
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash("Plan vastgesteld. De bezoeken staan in de agenda van de toezichthouders.", "success")
    return redirect(url_for("inspections.plan_detail", plan_id=plan.id))


@bp.post("/planning/<int:plan_id>/verwijderen")
@require(Permission.PLAN_INSPECTIONS)
def delete_plan(plan_id: int):
    plan = _load_plan(plan_id)
    try:
        planning.delete_plan(plan, actor=current_user)
    except InspectionError as error:
        flash(error.message, "danger")
        return redirect(url_for("inspections.plan_detail", plan_id=plan.id))
    db.session.commit()
    flash("Conceptplan verwijderd.", "success")
    return redirect(url_for("inspections.list_plans"))


def _export_name(plan: InspectionPlan, extension: str) -> str:
    return f"inspectieplanning-{plan.gemeente.cbs_code}-{plan.period_start.isoformat()}.{extension}"


@bp.get("/planning/<int:plan_id>/planning.ics")
@require(Permission.PLAN_INSPECTIONS)
def export_plan_ical(plan_id: int):
    plan = _load_plan(plan_id)
    body = planning.export_ical(plan, uid_domain=current_app.config.get("ICAL_UID_DOMAIN", "barrier.local"))
    audit.record("inspection_plan.exported", object_type="inspection_plans", object_id=plan.id,
                 gemeente_id=plan.gemeente_id, format="ics")
    db.session.commit()
    return Response(body, mimetype="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={_export_name(plan, 'ics')}"})


@bp.get("/planning/<int:plan_id>/planning.csv")
@require(Permission.PLAN_INSPECTIONS)
def export_plan_csv(plan_id: int):
    plan = _load_plan(plan_id)
    body = planning.export_csv(plan)
    audit.record("inspection_plan.exported", object_type="inspection_plans", object_id=plan.id,
                 gemeente_id=plan.gemeente_id, format="csv")
    db.session.commit()
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={_export_name(plan, 'csv')}"})
