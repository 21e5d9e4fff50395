from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from barrier import audit
from barrier.admin import bp, services
from barrier.auth import services as auth_services
from barrier.auth.permissions import Permission, require
from barrier.auth.scoping import can_access_gemeente, get_in_scope_or_404
from barrier.db import db
from barrier.models import Role, User
from forms.auth import AuditFilterForm, UserForm
from forms.base import options


def _fill_choices(form: UserForm) -> None:
    form.role.choices = options([("", "— kies een rol —")] + [(r.value, r.label) for r in Role])
    gemeenten = services.gemeenten()
    if not current_user.is_regional:
        gemeenten = [g for g in gemeenten if g.id == current_user.gemeente_id]
    form.gemeente_id.choices = options([(0, "— geen (regionaal) —")] + [(g.id, g.name) for g in gemeenten])


def _check_gemeente_choice(form: UserForm) -> bool:
    gemeente_id = form.gemeente_id.data or None
    if gemeente_id is None and not current_user.is_regional:
        form.gemeente_id.errors.append("Als beheerder van één gemeente maakt u alleen gebruikers van die gemeente.")
        return False
    if gemeente_id is not None and not can_access_gemeente(gemeente_id):
        abort(403)
    return True


@bp.get("/gebruikers")
@require(Permission.MANAGE_USERS)
def list_users():
    users = db.paginate(services.users_query(current_user), per_page=current_app.config["PAGE_SIZE"],
                        error_out=False)
    return render_template("admin/users.html", users=users)


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@require(Permission.MANAGE_USERS)
def new_user():
    form = UserForm()
    _fill_choices(form)
    if form.validate_on_submit() and _check_gemeente_choice(form):
        if not form.password.data:
            form.password.errors.append("Geef een nieuwe gebruiker een eerste wachtwoord.")
        else:
            try:
                user = auth_services.create_user(
                    email=form.email.data, full_name=form.full_name.data, password=form.password.data,
                    role=Role(form.role.data), gemeente_id=form.gemeente_id.data or None)
            except auth_services.UserDataError as error:
                getattr(form, error.field).errors.append(error.message)
            else:
                db.session.commit()
                flash(f"Gebruiker {user.full_name} is aangemaakt.", "success")
                return redirect(url_for("admin.list_users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
@require(Permission.MANAGE_USERS)
def edit_user(user_id: int):
    user = get_in_scope_or_404(User, user_id)
    form = UserForm(obj=user if request.method == "GET" else None)
    _fill_choices(form)
    if request.method == "GET":
        form.role.data = user.role.value
        form.gemeente_id.data = user.gemeente_id or 0
        form.version.data = str(user.version)
    if form.validate_on_submit() and _check_gemeente_choice(form):
        if form.version.data != str(user.version):
            flash("Iemand anders heeft deze gebruiker intussen gewijzigd. Uw invoer staat hieronder; "
                  "controleer de huidige gegevens en sla opnieuw op.", "warning")
            form.version.data = str(user.version)
        elif user.id == current_user.id and (Role(form.role.data) != user.role or not form.is_active_account.data):
            form.role.errors.append("U kunt uw eigen rol niet wijzigen en uzelf niet deactiveren.")
        else:
            try:
                auth_services.update_user(
                    user, email=form.email.data, full_name=form.full_name.data, role=Role(form.role.data),
                    gemeente_id=form.gemeente_id.data or None, is_active_account=form.is_active_account.data,
                    password=form.password.data or None)
                db.session.commit()
            except auth_services.UserDataError as error:
                getattr(form, error.field).errors.append(error.message)
            else:
                flash(f"Gebruiker {user.full_name} is opgeslagen.", "success")
                return redirect(url_for("admin.list_users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.get("/auditlog")
@require(Permission.VIEW_AUDIT_LOG)
def audit_log():
    form = AuditFilterForm(request.args)
    flt = services.AuditFilter()
    if request.args and form.validate():
        flt = services.AuditFilter(
            action=form.action.data or "", actor=form.actor.data or "", object_type=form.object_type.data or "",
            object_id=form.object_id.data or "", date_from=form.date_from.data, date_to=form.date_to.data)
    events = db.paginate(services.audit_query(current_user, flt), per_page=50, error_out=False)
    audit.record("audit_log.viewed", object_type="audit_events", gemeente_id=current_user.gemeente_id,
                 filters={k: str(v) for k, v in flt.__dict__.items() if v})
    db.session.commit()
    return render_template("admin/audit_log.html", form=form, events=events, actions=services.audit_actions(current_user))


@bp.get("/gemeenten")
@require(Permission.MANAGE_SETTINGS)
def list_gemeenten():
    return render_template("admin/gemeenten.html", gemeenten=services.gemeenten())


@bp.get("/instellingen")
@require(Permission.MANAGE_SETTINGS)
def list_settings():
    from barrier.admin import settings as settings_service
    from barrier.models import PermitType

    gemeenten = [g for g in services.gemeenten() if can_access_gemeente(g.id)]
    rows = []
    for gemeente in gemeenten:
        for permit_type in PermitType:
            stored = settings_service.settings_for(gemeente, permit_type)
            rows.append((gemeente, permit_type, stored, settings_service.effective_rules(gemeente, permit_type)))
    return render_template("admin/settings.html", rows=rows, policies=settings_service.BIBOB_POLICIES)


@bp.route("/instellingen/<int:gemeente_id>/<permit_type>", methods=["GET", "POST"])
@require(Permission.MANAGE_SETTINGS)
def edit_settings(gemeente_id: int, permit_type: str):
    from barrier.admin import settings as settings_service
    from barrier.models import Gemeente, PermitType
    from forms.auth import PermitSettingsForm

    gemeente = get_in_scope_or_404(Gemeente, gemeente_id, gemeente_attr="id")
    if permit_type not in {t.value for t in PermitType}:
        abort(404)
    kind = PermitType(permit_type)
    stored = settings_service.settings_for(gemeente, kind)
    form = PermitSettingsForm()
    form.deadline_config.choices = options(list(settings_service.CONFIGS.items()))
    form.atw_mode.choices = options(list(settings_service.ATW_MODES.items()))
    form.suspension_count.choices = options(list(settings_service.COUNTS.items()))
    form.lex_silencio.choices = options(list(settings_service.TRI_STATE.items()))
    form.require_notice_for_suspension.choices = options(list(settings_service.TRI_STATE.items()))
    form.bibob_policy.choices = options(list(settings_service.BIBOB_POLICIES.items()))
    if request.method == "GET":
        overrides = stored.overrides if stored else {}
        form.deadline_config.data = (stored.deadline_config if stored and stored.deadline_config
                                     else settings_service.DEFAULT_CONFIG[kind])
        form.term_weeks.data = overrides.get("term_weeks")
        form.atw_mode.data = overrides.get("atw_mode", "")
        form.suspension_count.data = overrides.get("suspension_count", "")
        for key in ("lex_silencio", "require_notice_for_suspension"):
            getattr(form, key).data = {True: "ja", False: "nee"}.get(overrides.get(key), "")
        form.bibob_policy.data = stored.bibob_policy if stored else "altijd"
        form.permit_duration_months.data = stored.permit_duration_months if stored else None
        form.version.data = str(stored.version) if stored else ""
    if form.validate_on_submit():
        try:
            settings_service.save_settings(gemeente, kind, values=form.data, actor=current_user, version=form.version.data)
        except settings_service.SettingsError as error:
            field = getattr(form, error.field, None) if error.field else None
            if field is not None:
                field.errors = [*field.errors, error.message]
            else:
                flash(error.message, "warning")
        else:
            db.session.commit()
            flash(f"Instellingen voor {kind.short_label.lower()} in {gemeente.name} opgeslagen.", "success")
            return redirect(url_for("admin.list_settings"))
    return render_template("admin/settings_form.html", form=form, gemeente=gemeente, permit_type=kind,
                           rules=settings_service.effective_rules(gemeente, kind))
