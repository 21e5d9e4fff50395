"""The register's pages: list and search, entries, the import wizard, hits and their review,
proposals, and re-screening. Views are thin: load (404 outside need-to-know), call a service,
commit once, flash, redirect."""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import date
from pathlib import Path

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from barrier import audit
from barrier.applications.services import _csv_cell
from barrier.auth.permissions import Permission, has_permission, require
from barrier.auth.scoping import can_access_gemeente, scope_to_user
from barrier.db import db
from barrier.models import Application
from barrier.models.register import (
    Confidentiality,
    EntityKind,
    HitStatus,
    ImportStatus,
    ProposalStatus,
    RegisterHit,
    RegisterImport,
    RegisterProposal,
    RegisterSource,
    RegisterVersion,
    RescreenRun,
    RiskEntity,
)
from barrier.register import bp, importer, rescreen, services
from barrier.register.access import can_edit_entity, can_view_entity_details, visible_entities_clause
from barrier.register.index import cached_index_info, current_index, register_size
from barrier.register.records import statutory_and_trade_names
from forms.base import options
from forms.register import (
    DeleteEntityForm,
    EntityFilterForm,
    EntityForm,
    HitFilterForm,
    ImportUploadForm,
    ProposalConfirmForm,
    ProposalRejectForm,
    ReviewForm,
    mapping_form,
)


def _today() -> date:
    return date.today()  # noqa: DTZ011 - the server's local date is the working day


def _gemeente_options(first: str) -> list:
    return options([("", first)] + [(str(g.id), g.name) for g in services.gemeente_choices()])


# --- list, search, export ---------------------------------------------------------------------

def _entity_query(form: EntityFilterForm):
    stmt = select(RiskEntity).where(visible_entities_clause(current_user)).options(selectinload(RiskEntity.gemeente))
    status = form.status.data or "actief"
    today = _today()
    if status == "actief":
        stmt = stmt.where(RiskEntity.deleted_at.is_(None),
                          or_(RiskEntity.valid_until.is_(None), RiskEntity.valid_until >= today))
    elif status == "verlopen":
        stmt = stmt.where(RiskEntity.deleted_at.is_(None), RiskEntity.valid_until < today)
    elif status == "verwijderd":
        stmt = stmt.where(RiskEntity.deleted_at.is_not(None))
    if form.kind.data in {k.value for k in EntityKind}:
        stmt = stmt.where(RiskEntity.kind == EntityKind(form.kind.data))
    if form.source.data in {s.value for s in RegisterSource}:
        stmt = stmt.where(RiskEntity.source == RegisterSource(form.source.data))
    if form.gemeente.data and form.gemeente.data.isdigit():
        stmt = stmt.where(RiskEntity.gemeente_id == int(form.gemeente.data))
    q = (form.q.data or "").strip().lower()
    for word in q.split()[:6]:
        word = word.replace(" ", "")
        stmt = stmt.where(RiskEntity.search_text.contains(word, autoescape=True))
    return stmt.order_by(RiskEntity.recorded_on.desc(), RiskEntity.id.desc())


def _filter_form() -> EntityFilterForm:
    form = EntityFilterForm(request.args)
    form.gemeente.choices = _gemeente_options("Alle gemeenten")
    if not form.validate():
        form = EntityFilterForm(formdata=None)
        form.gemeente.choices = _gemeente_options("Alle gemeenten")
    return form


@bp.get("")
@require(Permission.VIEW_REGISTER)
def list_entities():
    form = _filter_form()
    page = db.paginate(_entity_query(form), per_page=current_app.config["PAGE_SIZE"], error_out=False, count=True)
    fuzzy = []
    q = (form.q.data or "").strip()
    if q:
        # The engine finds what the literal search misses ("Vries, J. de" for "Jan de Vries").
        found = services.fuzzy_search(q, today=_today())
        literal = {e.id for e in page.items}
        entities = {e.id: e for e in db.session.scalars(
            select(RiskEntity).where(RiskEntity.id.in_([i for i, _s, _e in found]),
                                     visible_entities_clause(current_user)))}
        fuzzy = [(entities[i], score, explanation) for i, score, explanation in found
                 if i in entities and i not in literal]
        audit.record("register.searched", object_type="risk_entities", gemeente_id=current_user.gemeente_id,
                     query_length=len(q), results=page.total + len(fuzzy))
    hidden = db.session.scalar(select(func.count()).select_from(RiskEntity).where(
        RiskEntity.deleted_at.is_(None), ~visible_entities_clause(current_user))) or 0
    db.session.commit()
    return render_template("register/list.html", form=form, page=page, fuzzy=fuzzy, hidden=hidden,
                           version=services.current_version(), today=_today())


@bp.get("/export.csv")
@require(Permission.VIEW_REGISTER)
def export_entities():
    form = _filter_form()
    rows = db.session.scalars(_entity_query(form).limit(100_000)).all()
    audit.record("register.exported", object_type="risk_entities", gemeente_id=current_user.gemeente_id, count=len(rows))
    db.session.commit()
    return Response(export_csv(rows), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename=risicoregister-{_today().isoformat()}.csv"})


EXPORT_HEADERS = ["Extern id", "Soort", "Voornamen", "Tussenvoegsel", "Achternaam", "Geboortedatum", "Naam organisatie",
                  "KvK-nummer", "Straat", "Huisnummer", "Toevoeging", "Postcode", "Plaats", "Land", "Bron", "Reden",
                  "Gemeente", "Registratiedatum", "Geldig tot", "Vertrouwelijkheid"]


def export_csv(entities) -> str:
    """Semicolon-separated with a BOM (Dutch Excel); every cell neutralised against formulas."""
    import csv
    import io

    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_HEADERS)
    for e in entities:
        writer.writerow([_csv_cell(v) for v in (
            e.external_id or "", e.kind.value, e.given_names, e.surname_prefix, e.surname,
            e.birth_date.isoformat() if e.birth_date else "", e.name, e.kvk_number or "", e.street, e.house_number,
            e.house_number_suffix, e.postcode, e.city, e.country, e.source.value, e.reason,
            e.gemeente.cbs_code if e.gemeente else "", e.recorded_on.isoformat(),
            e.valid_until.isoformat() if e.valid_until else "", e.confidentiality.value)])
    return out.getvalue()


# --- one entry --------------------------------------------------------------------------------

def _load_entity(entity_id: int) -> RiskEntity:
    entity = db.session.get(RiskEntity, entity_id)
    if entity is None:
        abort(404)
    if not can_view_entity_details(current_user, entity):
        audit.record_now("access.register_refused", object_type="risk_entities", object_id=entity_id,
                         gemeente_id=current_user.gemeente_id)
        abort(404)
    return entity


def _load_editable(entity_id: int) -> RiskEntity:
    """An entry the user may change: one of their own gemeente (others answer 404, as records of
    another gemeente do everywhere; the attempt is audited)."""
    entity = _load_entity(entity_id)
    if not can_edit_entity(current_user, entity):
        audit.record_now("access.other_gemeente_refused", object_type="risk_entities", object_id=entity_id,
                         gemeente_id=current_user.gemeente_id)
        abort(404)
    return entity


@bp.get("/<int:entity_id>")
@require(Permission.VIEW_REGISTER)
def entity_detail(entity_id: int):
    entity = _load_entity(entity_id)
    hits_stmt = (select(RegisterHit).join(Application).where(RegisterHit.entity_id == entity.id)
                 .options(selectinload(RegisterHit.application)).order_by(RegisterHit.found_at.desc()))
    hits = (db.session.scalars(scope_to_user(hits_stmt, Application.gemeente_id)).all()
            if has_permission(current_user, Permission.REVIEW_HITS) else [])
    audit.record("register_entity.viewed", object_type="risk_entities", object_id=entity.id,
                 gemeente_id=current_user.gemeente_id, entity_gemeente_id=entity.gemeente_id)
    audit.commit_read()
    statutory, trade_names = statutory_and_trade_names(entity.name)
    return render_template("register/entity_detail.html", entity=entity, hits=hits, delete_form=DeleteEntityForm(),
                           can_edit=can_edit_entity(current_user, entity), statutory=statutory,
                           trade_names=trade_names)


def _entity_form(formdata=None, obj_data: dict | None = None) -> EntityForm:
    form = EntityForm(formdata=formdata, data=obj_data) if obj_data is not None else EntityForm(formdata=formdata)
    form.gemeente.choices = _gemeente_options("— regionaal (geen gemeente) —")
    return form


def _name_from_form(form: EntityForm) -> str:
    if form.kind.data != EntityKind.ORGANISATION.value:
        return form.name.data or ""
    name, too_long = services.register_name(form.name.data or "", form.trade_names.data or "")
    if too_long:
        raise services.RegisterError(too_long, field="trade_names")
    return name


def _data_from_form(form: EntityForm, *, keep: services.EntityData | None = None) -> services.EntityData:
    data = services.EntityData(
        kind=EntityKind(form.kind.data), source=RegisterSource(form.source.data), reason=form.reason.data or "",
        recorded_on=form.recorded_on.data, confidentiality=Confidentiality(form.confidentiality.data),
        gemeente_id=int(form.gemeente.data) if form.gemeente.data else None, valid_until=form.valid_until.data,
        external_id=form.external_id.data or "", given_names=form.given_names.data or "",
        surname_prefix=form.surname_prefix.data or "", surname=form.surname.data or "", birth_date=form.birth_date.data,
        nationality=form.nationality.data or "", bsn=form.bsn.data or "", name=_name_from_form(form),
        legal_form=form.legal_form.data or "", kvk_number=form.kvk_number.data or "", street=form.street.data or "",
        house_number=form.house_number.data or "", house_number_suffix=form.house_number_suffix.data or "",
        postcode=form.postcode.data or "", city=form.city.data or "", country=(form.country.data or "NL").upper())
    if keep is not None and not data.bsn:
        data.bsn_digest, data.bsn_last4 = keep.bsn_digest, keep.bsn_last4
    return data


def _form_error(form: EntityForm, error: services.RegisterError) -> None:
    target = getattr(form, error.field, None) if error.field else None
    if target is not None and error.field != "version":
        target.errors = [*target.errors, error.message]
    else:
        flash(error.message, "danger")


@bp.route("/nieuw", methods=["GET", "POST"])
@require(Permission.EDIT_REGISTER)
def new_entity():
    if current_user.gemeente_id is None:
        flash("Een registratie hoort bij een gemeente; regionale registraties komen via een import.", "warning")
        return redirect(url_for("register.list_entities"))
    form = _entity_form(request.form if request.method == "POST" else None,
                        None if request.method == "POST" else {"recorded_on": _today(), "country": "NL",
                                                               "gemeente": str(current_user.gemeente_id)})
    refused = request.method == "POST" and not form.validate()
    if request.method == "POST" and not refused:
        try:
            data = _data_from_form(form)
            if data.gemeente_id != current_user.gemeente_id:
                raise services.RegisterError("U legt registraties vast voor uw eigen gemeente.", field="gemeente")
            entity = services.create_entity(data, actor=current_user, today=_today())
        except services.RegisterError as error:
            db.session.rollback()
            _form_error(form, error)
            refused = True
        else:
            db.session.commit()
            flash(f"Registratie toegevoegd; het register staat nu op versie {services.current_version()}. "
                  "Nieuwe aanvragen worden er direct tegen gescreend; herscreen de lopende aanvragen.", "success")
            return redirect(url_for("register.entity_detail", entity_id=entity.id))
    return render_template("register/entity_form.html", form=form, entity=None), 422 if refused else 200


@bp.route("/<int:entity_id>/bewerken", methods=["GET", "POST"])
@require(Permission.EDIT_REGISTER)
def edit_entity(entity_id: int):
    entity = _load_editable(entity_id)
    if entity.is_deleted:
        abort(404)
    stored = services.data_of(entity)
    initial = {k: getattr(stored, k) for k in ("given_names", "surname_prefix", "surname", "birth_date", "nationality",
                                               "name", "legal_form", "kvk_number", "street", "house_number",
                                               "house_number_suffix", "postcode", "city", "country", "reason",
                                               "recorded_on", "valid_until", "external_id")}
    initial["name"], initial["trade_names"] = statutory_and_trade_names(stored.name)
    initial.update(kind=entity.kind.value, source=entity.source.value, confidentiality=entity.confidentiality.value,
                   gemeente=str(entity.gemeente_id or ""), version=str(entity.version))
    form = _entity_form(request.form if request.method == "POST" else None,
                        None if request.method == "POST" else initial)
    refused = request.method == "POST" and not form.validate()
    if request.method == "POST" and not refused:
        try:
            data = _data_from_form(form, keep=stored)
            if data.gemeente_id != current_user.gemeente_id:
                raise services.RegisterError("U legt registraties vast voor uw eigen gemeente.", field="gemeente")
            services.update_entity(entity, data, actor=current_user, today=_today(), submitted_version=form.version.data)
        except services.RegisterError as error:
            db.session.rollback()
            _form_error(form, error)
            refused = True
            if isinstance(error, services.ConcurrentEditError):
                # The user's input stays; saving again now overwrites knowingly (DESIGN.md principles).
                form.version.data = str(db.session.get(RiskEntity, entity_id).version)
        else:
            db.session.commit()
            flash("Registratie bijgewerkt.", "success")
            return redirect(url_for("register.entity_detail", entity_id=entity.id))
    return render_template("register/entity_form.html", form=form, entity=entity), 422 if refused else 200


@bp.post("/<int:entity_id>/verwijderen")
@require(Permission.EDIT_REGISTER)
def delete_entity(entity_id: int):
    entity = _load_editable(entity_id)
    form = DeleteEntityForm()
    if not form.validate_on_submit():
        flash(next(iter(form.errors.values()))[0] if form.errors else "Ongeldig verzoek.", "danger")
        return redirect(url_for("register.entity_detail", entity_id=entity.id))
    try:
        services.delete_entity(entity, actor=current_user, reason=form.reason.data or "")
    except services.RegisterError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("register.entity_detail", entity_id=entity.id))
    db.session.commit()
    flash("Registratie verwijderd uit het register.", "success")
    return redirect(url_for("register.list_entities"))


# --- the import wizard: upload -> mapping -> dry-run report -> commit --------------------------

def import_folder() -> Path:
    folder = Path(current_app.instance_path) / "register_imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _store_upload(stream) -> tuple[str, int, Path]:
    """Write the upload atomically under its SHA-256 (DESIGN.md: never under the user's filename)."""
    folder = import_folder()
    digest = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        path = folder / digest.hexdigest()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size, path


def _load_import(import_id: int) -> RegisterImport:
    record = db.session.get(RegisterImport, import_id)
    if record is None or not can_access_gemeente(record.gemeente_id):
        abort(404)
    return record


def _table(record: RegisterImport) -> importer.Table:
    return importer.open_table(import_folder() / record.sha256, record.original_filename)


@bp.route("/import", methods=["GET", "POST"])
@require(Permission.IMPORT_REGISTER)
def import_upload():
    form = ImportUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        sha256, size, _path = _store_upload(upload.stream)
        filename = os.path.basename(upload.filename or "register.csv")[:255]
        record = RegisterImport(original_filename=filename, sha256=sha256, size_bytes=size,
                                file_format="xlsx" if filename.lower().endswith(".xlsx") else "csv",
                                gemeente_id=current_user.gemeente_id, uploaded_by_id=current_user.id)
        db.session.add(record)
        db.session.flush()
        try:
            table = _table(record)
        except importer.ImportFileError as error:
            record.status = ImportStatus.AFGEKEURD
            record.report = importer.ImportReport(file_errors=[str(error)]).as_dict()
        else:
            record.file_format = table.file_format
            record.mapping = importer.suggest_mapping(table.headers)
        audit.record("register.import_uploaded", object_type="register_imports", object_id=record.id,
                     gemeente_id=record.gemeente_id, size=size, file_format=record.file_format)
        db.session.commit()
        if record.status is ImportStatus.AFGEKEURD:
            return redirect(url_for("register.import_report", import_id=record.id))
        return redirect(url_for("register.import_mapping", import_id=record.id))
    recent = db.session.scalars(scope_to_user(select(RegisterImport), RegisterImport.gemeente_id)
                                .order_by(RegisterImport.id.desc()).limit(10)).all()
    return render_template("register/import_upload.html", form=form, recent=recent), 422 if form.errors else 200


@bp.route("/import/<int:import_id>/koppeling", methods=["GET", "POST"])
@require(Permission.IMPORT_REGISTER)
def import_mapping(import_id: int):
    record = _load_import(import_id)
    if record.status is ImportStatus.VASTGELEGD:
        return redirect(url_for("register.import_report", import_id=record.id))
    try:
        table = _table(record)
    except (importer.ImportFileError, OSError) as error:
        flash(str(error), "danger")
        return redirect(url_for("register.import_upload"))
    fields = [(f.key, f.label) for f in importer.FIELDS]
    defaults = importer.Defaults.from_dict(record.defaults)
    initial = {f"map_{k}": v for k, v in (record.mapping or {}).items()}
    initial.update(default_source=defaults.source, default_confidentiality=defaults.confidentiality,
                   default_gemeente=str(defaults.gemeente_id or current_user.gemeente_id or ""),
                   default_reason=defaults.reason)
    form = mapping_form(fields, table.headers, formdata=request.form if request.method == "POST" else None,
                        data=None if request.method == "POST" else initial)
    form.default_gemeente.choices = _gemeente_options("— geen (regionaal) —")
    preview = []
    try:
        for _line, cells in table.rows():
            preview.append([c[:60] for c in cells[:len(table.headers)]])
            if len(preview) >= 5:
                break
    except importer.ImportFileError:
        pass  # a file broken within its first rows: the check after the mapping reports where
    if request.method == "POST" and form.validate():
        record.mapping = {key: getattr(form, f"map_{key}").data for key, _label in fields
                          if getattr(form, f"map_{key}").data}
        record.defaults = importer.Defaults(
            source=form.default_source.data or "", confidentiality=form.default_confidentiality.data,
            gemeente_id=int(form.default_gemeente.data) if form.default_gemeente.data else None,
            reason=form.default_reason.data or "").as_dict()
        report = importer.dry_run(table, record.mapping, importer.Defaults.from_dict(record.defaults), today=_today())
        record.report = report.as_dict()
        record.status = ImportStatus.GECONTROLEERD if report.ok else ImportStatus.AFGEKEURD
        audit.record("register.import_checked", object_type="register_imports", object_id=record.id,
                     gemeente_id=record.gemeente_id, rows=report.rows, invalid=report.invalid, ok=report.ok)
        db.session.commit()
        return redirect(url_for("register.import_report", import_id=record.id))
    return render_template("register/import_mapping.html", record=record, table=table, form=form, fields=fields,
                           preview=preview), 422 if form.errors else 200


@bp.get("/import/<int:import_id>")
@require(Permission.IMPORT_REGISTER)
def import_report(import_id: int):
    record = _load_import(import_id)
    report = importer.ImportReport.from_dict(record.report)
    return render_template("register/import_report.html", record=record, report=report,
                           labels=importer.FIELD_LABELS)


@bp.post("/import/<int:import_id>/vastleggen")
@require(Permission.IMPORT_REGISTER)
def import_commit(import_id: int):
    record = _load_import(import_id)
    if record.status is not ImportStatus.GECONTROLEERD:
        flash("Alleen een proefimport zonder fouten kan worden vastgelegd.", "warning")
        return redirect(url_for("register.import_report", import_id=record.id))
    try:
        table = _table(record)
        report = importer.commit(table, record.mapping, importer.Defaults.from_dict(record.defaults), today=_today(),
                                 actor=current_user, record=record)
    except importer.ImportRefused as refused:
        db.session.rollback()
        record = _load_import(import_id)
        record.status, record.report = ImportStatus.AFGEKEURD, refused.report.as_dict()
        db.session.commit()
        flash("Het bestand bevat fouten; er is niets geïmporteerd.", "danger")
        return redirect(url_for("register.import_report", import_id=record.id))
    except (importer.ImportFileError, OSError) as error:
        db.session.rollback()
        flash(f"{error} Het register is ongewijzigd.", "danger")
        return redirect(url_for("register.import_report", import_id=import_id))
    db.session.commit()
    flash(f"Import vastgelegd: {report.to_create} nieuw, {report.to_update} bijgewerkt. Het register staat nu op "
          f"versie {services.current_version()}; herscreen de lopende aanvragen en vergunningen.", "success")
    return redirect(url_for("register.rescreen_status"))


# --- re-screening -----------------------------------------------------------------------------

@bp.get("/herscreening")
@require(Permission.RUN_RESCREENING)
def rescreen_status():
    version = services.current_version()
    pending, total = services.rescreen_targets(version=version, today=_today())
    running = rescreen.active_run()
    db.session.commit()
    runs = db.session.scalars(select(RescreenRun).options(selectinload(RescreenRun.started_by))
                              .order_by(RescreenRun.id.desc()).limit(10)).all()
    versions = db.session.scalars(select(RegisterVersion).options(selectinload(RegisterVersion.actor))
                                  .order_by(RegisterVersion.id.desc()).limit(10)).all()
    response = Response(render_template(
        "register/rescreen.html", version=version, pending=len(pending), total=total, running=running, runs=runs,
        versions=versions, size=register_size(), index_info=cached_index_info()))
    if running is not None:
        response.headers["Refresh"] = "3"  # progress without inline script (CSP)
    return response


@bp.post("/herscreening")
@require(Permission.RUN_RESCREENING)
def start_rescreen():
    lock = rescreen.start_lock()
    if not lock.acquire(blocking=False):
        flash("Er wordt al een herscreening gestart.", "warning")
        return redirect(url_for("register.rescreen_status"))
    try:
        if rescreen.active_run() is not None:
            db.session.commit()
            flash("Er loopt al een herscreening; de voortgang staat hieronder.", "warning")
            return redirect(url_for("register.rescreen_status"))
        index = current_index()
        run = rescreen.new_run(actor=current_user, index=index)
        db.session.commit()
        if current_app.config.get("REGISTER_RESCREEN_BACKGROUND", not current_app.testing):
            rescreen.start_in_background(current_app._get_current_object(), run.id, current_user.id)
            flash("Herscreening gestart; deze pagina toont de voortgang.", "success")
        else:
            run = rescreen.execute(run, index=index, actor=current_user)
            flash(f"Herscreening klaar: {run.done} gescreend, {run.skipped} waren al bij, "
                  f"{run.new_hits} nieuwe treffers.", "success")
    finally:
        lock.release()
    return redirect(url_for("register.rescreen_status"))


# --- hits and their review --------------------------------------------------------------------

def _load_hit(hit_id: int) -> RegisterHit:
    hit = db.session.get(RegisterHit, hit_id)
    if hit is None:
        abort(404)
    if not can_access_gemeente(hit.application.gemeente_id):
        audit.record_now("access.other_gemeente_refused", object_type="register_hits", object_id=hit_id,
                         gemeente_id=current_user.gemeente_id)
        abort(404)
    return hit


@bp.get("/treffers")
@require(Permission.REVIEW_HITS)
def list_hits():
    form = HitFilterForm(request.args)
    status = form.status.data if form.validate() and form.status.data else "open"
    stmt = (select(RegisterHit).join(Application).where(RegisterHit.is_current.is_(True))
            .options(selectinload(RegisterHit.application), selectinload(RegisterHit.entity).selectinload(RiskEntity.gemeente)))
    stmt = scope_to_user(stmt, Application.gemeente_id)
    if status in {s.value for s in HitStatus}:
        stmt = stmt.where(RegisterHit.status == HitStatus(status))
    stmt = stmt.order_by(RegisterHit.score.desc(), RegisterHit.id)
    page = db.paginate(stmt, per_page=current_app.config["PAGE_SIZE"], error_out=False, count=True)
    rows = [(hit, services.summarise(hit, visible=can_view_entity_details(current_user, hit.entity)))
            for hit in page.items]
    audit.record("register_hits.listed", object_type="register_hits", gemeente_id=current_user.gemeente_id,
                 status=status, count=len(rows))
    audit.commit_read()
    return render_template("register/hits.html", form=form, page=page, rows=rows, status=status)


@bp.get("/treffers/<int:hit_id>")
@require(Permission.REVIEW_HITS)
def hit_detail(hit_id: int):
    hit = _load_hit(hit_id)
    visible = can_view_entity_details(current_user, hit.entity)
    audit.record("register_hit.viewed", object_type="register_hits", object_id=hit.id,
                 gemeente_id=hit.application.gemeente_id, details_shown=visible)
    audit.commit_read()
    form = ReviewForm(formdata=None, data={"decision": hit.status.value if hit.status is not HitStatus.OPEN else None,
                                            "reason": hit.review_reason})
    return render_template("register/hit_detail.html", hit=hit, visible=visible, form=form,
                           summary=services.summarise(hit, visible=visible))


@bp.post("/treffers/<int:hit_id>/beoordelen")
@require(Permission.REVIEW_HITS)
def review_hit(hit_id: int):
    hit = _load_hit(hit_id)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            services.review_hit(hit, decision=HitStatus(form.decision.data), reason=form.reason.data or "",
                                actor=current_user)
        except services.RegisterError as error:
            db.session.rollback()
            getattr(form, error.field or "decision").errors = [error.message]
        else:
            db.session.commit()
            flash(f"Treffer beoordeeld: {hit.status.label.lower()}.", "success")
            target = request.form.get("next", "")
            if target == "application":
                return redirect(url_for("applications.application_detail", application_id=hit.application_id) + "#section-register-hits")
            return redirect(url_for("register.hit_detail", hit_id=hit.id))
    visible = can_view_entity_details(current_user, hit.entity)
    return render_template("register/hit_detail.html", hit=hit, visible=visible, form=form,
                           summary=services.summarise(hit, visible=visible)), 422


# --- proposals --------------------------------------------------------------------------------

def _load_proposal(proposal_id: int) -> RegisterProposal:
    proposal = db.session.get(RegisterProposal, proposal_id)
    if proposal is None or current_user.gemeente_id is None or proposal.gemeente_id != current_user.gemeente_id:
        abort(404)
    return proposal


@bp.get("/voorstellen")
@require(Permission.EDIT_REGISTER)
def list_proposals():
    stmt = (select(RegisterProposal).where(RegisterProposal.gemeente_id == current_user.gemeente_id)
            .options(selectinload(RegisterProposal.application))
            .order_by(RegisterProposal.status != ProposalStatus.VOORGESTELD, RegisterProposal.proposed_at.desc()))
    proposals = db.session.scalars(stmt.limit(200)).all() if current_user.gemeente_id else []
    # One pair of forms per proposal, prefixed, so every field on the page has its own id.
    forms = {p.id: (ProposalConfirmForm(formdata=None, prefix=f"p{p.id}"), ProposalRejectForm(formdata=None, prefix=f"p{p.id}"))
             for p in proposals if p.status is ProposalStatus.VOORGESTELD}
    return render_template("register/proposals.html", proposals=proposals, forms=forms)


@bp.post("/voorstellen/<int:proposal_id>/bevestigen")
@require(Permission.EDIT_REGISTER)
def confirm_proposal(proposal_id: int):
    proposal = _load_proposal(proposal_id)
    form = ProposalConfirmForm(prefix=f"p{proposal.id}")
    if not form.validate_on_submit():
        flash(next(iter(form.errors.values()))[0] if form.errors else "Ongeldig verzoek.", "danger")
        return redirect(url_for("register.list_proposals"))
    try:
        entity = services.confirm_proposal(proposal, actor=current_user, today=_today(),
                                           confidentiality=Confidentiality(form.confidentiality.data),
                                           valid_until=form.valid_until.data, reason=form.reason.data or "")
    except services.RegisterError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("register.list_proposals"))
    db.session.commit()
    flash(f"Opgenomen in het register: {entity.display_name}.", "success")
    return redirect(url_for("register.list_proposals"))


@bp.post("/voorstellen/<int:proposal_id>/afwijzen")
@require(Permission.EDIT_REGISTER)
def reject_proposal(proposal_id: int):
    proposal = _load_proposal(proposal_id)
    form = ProposalRejectForm(prefix=f"p{proposal.id}")
    if not form.validate_on_submit():
        flash(next(iter(form.errors.values()))[0] if form.errors else "Ongeldig verzoek.", "danger")
        return redirect(url_for("register.list_proposals"))
    try:
        services.reject_proposal(proposal, actor=current_user, note=form.note.data or "")
    except services.RegisterError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("register.list_proposals"))
    db.session.commit()
    flash("Voorstel niet opgenomen; de reden is bewaard.", "success")
    return redirect(url_for("register.list_proposals"))

