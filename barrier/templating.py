"""Jinja filters and globals: Dutch dates and amounts, permissions, navigation."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, request
from flask_babel import format_date, format_datetime, format_decimal
from flask_login import current_user

from barrier.auth.permissions import Permission, has_permission
from barrier.dashboard.registry import NAV_ITEMS


def nl_date(value: date | datetime | None, fmt: str = "d MMMM yyyy") -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):  # shown as the date in Europe/Amsterdam
        return format_datetime(value, fmt)
    return format_date(value, fmt)


def nl_datetime(value: datetime | None) -> str:
    if value is None:
        return "—"
    return format_datetime(value, "d MMM yyyy HH:mm")


def euro(value) -> str:
    if value is None or value == "":
        return "—"
    return "€ " + format_decimal(value, format="#,##0.00")


def signed(value: float) -> str:
    """A contribution with its sign, the Dutch way: +0,42 / −0,40 (as the engine's explanations)."""
    return format_decimal(value, format="+0.00;−0.00")


def register_templating(app: Flask) -> None:
    app.jinja_env.filters["nl_date"] = nl_date
    app.jinja_env.filters["nl_datetime"] = nl_datetime
    app.jinja_env.filters["euro"] = euro
    app.jinja_env.filters["signed"] = signed
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def inject():
        def can(permission: Permission) -> bool:
            return has_permission(current_user, permission)

        def nav_items():
            if not getattr(current_user, "is_authenticated", False):
                return []
            endpoint = request.endpoint or ""
            return [
                (item, endpoint == item.endpoint or any(endpoint.startswith(p) for p in item.active_prefixes))
                for item in NAV_ITEMS
                if has_permission(current_user, item.permission)
            ]

        return {"can": can, "Permission": Permission, "nav_items": nav_items}
