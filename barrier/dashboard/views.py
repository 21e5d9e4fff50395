from __future__ import annotations

from flask import render_template
from flask_login import current_user

from barrier.auth.permissions import Permission, has_permission, public, require
from barrier.dashboard import bp
from barrier.dashboard.registry import PANELS
from barrier.db import db


@bp.get("/")
@require(Permission.VIEW_HOME)
def home():
    panels = [
        (panel, panel.provider(current_user))
        for panel in PANELS
        if has_permission(current_user, panel.permission)
    ]
    return render_template("dashboard/home.html", panels=panels)


@bp.get("/gezondheid")
@public
def health():
    """For load balancers: the app answers and the database is reachable."""
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok"}
