from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from barrier import audit
from barrier.auth import bp, services
from barrier.auth.permissions import Permission, is_safe_next_url, public, require
from barrier.extensions import db, limiter
from forms.auth import ChangePasswordForm, LoginForm


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"],
               error_message="Te veel inlogpogingen vanaf dit adres. Wacht een minuut en probeer het opnieuw.")
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    form = LoginForm()
    next_url = request.args.get("next")
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except services.AuthError as error:
            form.password.errors.append(str(error))
        else:
            # The login and its audit record are stored first: a login that cannot be recorded
            # (the database unavailable) must not leave the browser logged in.
            db.session.commit()
            # A fresh session on login: nothing from before the login carries over (session fixation).
            session.clear()
            login_user(user)
            session.permanent = True
            flash(f"Welkom, {user.full_name}.", "success")
            return redirect(next_url if is_safe_next_url(next_url) else url_for("dashboard.home"))
    return render_template("auth/login.html", form=form, next_url=next_url if is_safe_next_url(next_url) else None)


@bp.post("/uitloggen")
@require(Permission.VIEW_HOME)
def logout():
    audit.record("auth.logged_out", object_type="users", object_id=current_user.id,
                 gemeente_id=current_user.gemeente_id)
    db.session.commit()
    logout_user()
    session.clear()
    flash("U bent uitgelogd.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/wachtwoord", methods=["GET", "POST"])
@require(Permission.VIEW_HOME)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_own_password(current_user, current_password=form.current_password.data,
                                         new_password=form.new_password.data)
        except services.UserDataError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            # The session token rotated: log in again in this browser with the new id.
            login_user(current_user._get_current_object())
            flash("Uw wachtwoord is gewijzigd. Andere sessies zijn beëindigd.", "success")
            return redirect(url_for("dashboard.home"))
    return render_template("auth/change_password.html", form=form)
