"""The beheerder's pages for API clients: create (key shown once), view, rotate the key, revoke."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from barrier.admin import services as admin_services
from barrier.api import bp, services
from barrier.auth.permissions import Permission, require
from barrier.auth.scoping import can_access_gemeente, get_in_scope_or_404
from barrier.db import db
from barrier.models import AuditEvent
from barrier.models.api import ApiClient, ApiScope
from forms.api import ApiClientForm
from forms.base import options


def _fill_choices(form: ApiClientForm) -> None:
    gemeenten = admin_services.gemeenten()
    if not current_user.is_regional:
        gemeenten = [g for g in gemeenten if g.id == current_user.gemeente_id]
    regional = [(0, "— regionaal (alle gemeenten) —")] if current_user.is_regional else []
    form.gemeente_id.choices = options(regional + [(g.id, g.name) for g in gemeenten])
    form.scopes.choices = options([(s.value, f"{s.value}: {s.label}") for s in ApiScope])
    form.rate_limit.choices = options([(value, value.replace("per minute", "per minuut"))
                                       for value in services.RATE_LIMIT_CHOICES])
    if not form.rate_limit.data:
        form.rate_limit.data = "120 per minute"


@bp.get("/beheer/api-clients")
@require(Permission.MANAGE_API_CLIENTS)
def list_clients():
    clients = db.paginate(services.clients_query(current_user), per_page=current_app.config["PAGE_SIZE"],
                          error_out=False)
    return render_template("api/clients.html", clients=clients)


@bp.route("/beheer/api-clients/nieuw", methods=["GET", "POST"])
@require(Permission.MANAGE_API_CLIENTS)
def new_client():
    form = ApiClientForm()
    _fill_choices(form)
    if form.validate_on_submit():
        gemeente_id = form.gemeente_id.data or None
        if gemeente_id is None and not current_user.is_regional:
            form.gemeente_id.errors.append("Als beheerder van één gemeente maakt u alleen clients van die gemeente.")
        elif gemeente_id is not None and not can_access_gemeente(gemeente_id):
            form.gemeente_id.errors.append("Kies een gemeente uit de lijst.")
        else:
            try:
                client, key = services.create_client(
                    name=form.name.data, description=form.description.data or "", gemeente_id=gemeente_id,
                    scopes=form.scopes.data, rate_limit=form.rate_limit.data, actor=current_user)
            except services.ApiClientError as error:
                getattr(form, error.field or "name").errors.append(error.message)
            else:
                db.session.commit()
                # Shown once, in this response only: never in a flash message or the session cookie.
                return render_template("api/client_key.html", client=client, key=key, new=True)
    return render_template("api/client_form.html", form=form)


@bp.get("/beheer/api-clients/<int:client_id>")
@require(Permission.MANAGE_API_CLIENTS)
def client_detail(client_id: int):
    client = get_in_scope_or_404(ApiClient, client_id)
    recent = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "api_clients", AuditEvent.object_id == str(client.id))
        .order_by(AuditEvent.id.desc()).limit(25)).all()
    return render_template("api/client_detail.html", client=client, recent=recent,
                           scope_labels={s.value: s.label for s in ApiScope})


@bp.post("/beheer/api-clients/<int:client_id>/nieuwe-sleutel")
@require(Permission.MANAGE_API_CLIENTS)
def rotate_key(client_id: int):
    client = get_in_scope_or_404(ApiClient, client_id)
    try:
        key = services.rotate_key(client, actor=current_user)
    except services.ApiClientError as error:
        flash(error.message, "danger")
        return redirect(url_for("api.client_detail", client_id=client.id))
    db.session.commit()
    return render_template("api/client_key.html", client=client, key=key, new=False)


@bp.post("/beheer/api-clients/<int:client_id>/intrekken")
@require(Permission.MANAGE_API_CLIENTS)
def revoke_client(client_id: int):
    client = get_in_scope_or_404(ApiClient, client_id)
    services.revoke(client, actor=current_user)
    db.session.commit()
    flash(f"API-client {client.name} is ingetrokken: de sleutel werkt niet meer.", "success")
    return redirect(url_for("api.client_detail", client_id=client.id))
