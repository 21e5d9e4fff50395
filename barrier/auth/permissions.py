"""Who may do what: the one permission table of Barrier.

Every view declares its permission with ``@require(Permission.X)`` (or ``@public`` for the
login page and health check); a test walks the URL map and fails on any view without one.
Object-level rules (which gemeente, need-to-know on Bibob files) live in
``barrier.auth.scoping`` and in each area's ``can_*`` helpers.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort
from flask_login import current_user

from barrier.models.users import Role

F = TypeVar("F", bound=Callable[..., Any])


class Permission(StrEnum):
    VIEW_HOME = "view_home"
    # Applications and permits (issue: applications)
    VIEW_APPLICATIONS = "view_applications"
    EDIT_APPLICATIONS = "edit_applications"
    DECIDE_APPLICATIONS = "decide_applications"
    EXPORT_APPLICATIONS = "export_applications"
    VIEW_PERMITS = "view_permits"
    # Bibob: the stage and conclusion are for the vergunningverlener; details are need-to-know
    # (Wet Bibob art. 28, AVG art. 10).
    VIEW_BIBOB_STATUS = "view_bibob_status"
    VIEW_BIBOB_DETAILS = "view_bibob_details"
    EDIT_BIBOB = "edit_bibob"
    ISSUE_BIBOB_REPORT = "issue_bibob_report"
    MANAGE_BIBOB_RETENTION = "manage_bibob_retention"
    # Risk register and matching
    VIEW_REGISTER = "view_register"
    EDIT_REGISTER = "edit_register"
    IMPORT_REGISTER = "import_register"
    REVIEW_HITS = "review_hits"
    RUN_RESCREENING = "run_rescreening"
    # Inspections and enforcement
    VIEW_LOCATIONS = "view_locations"
    EDIT_LOCATIONS = "edit_locations"
    PLAN_INSPECTIONS = "plan_inspections"
    RECORD_INSPECTIONS = "record_inspections"
    MANAGE_ENFORCEMENT = "manage_enforcement"
    # Signals and the meldroute: anyone may raise a signal (beleidsplan §4.2, bijlage 4).
    CREATE_SIGNALS = "create_signals"
    VIEW_SIGNALS = "view_signals"
    ROUTE_SIGNALS = "route_signals"
    VIEW_REGIONAL_OVERVIEW = "view_regional_overview"
    # Administration
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_SETTINGS = "manage_settings"
    MANAGE_API_CLIENTS = "manage_api_clients"


P = Permission

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VERGUNNINGVERLENER: frozenset({
        P.VIEW_HOME, P.VIEW_APPLICATIONS, P.EDIT_APPLICATIONS, P.DECIDE_APPLICATIONS,
        P.EXPORT_APPLICATIONS, P.VIEW_PERMITS, P.VIEW_BIBOB_STATUS, P.VIEW_LOCATIONS, P.CREATE_SIGNALS,
    }),
    Role.BIBOB_COORDINATOR: frozenset({
        P.VIEW_HOME, P.VIEW_APPLICATIONS, P.EXPORT_APPLICATIONS, P.VIEW_PERMITS,
        P.VIEW_BIBOB_STATUS, P.VIEW_BIBOB_DETAILS, P.EDIT_BIBOB, P.ISSUE_BIBOB_REPORT,
        P.VIEW_REGISTER, P.EDIT_REGISTER, P.IMPORT_REGISTER, P.REVIEW_HITS, P.RUN_RESCREENING,
        P.CREATE_SIGNALS,
    }),
    Role.TOEZICHTHOUDER: frozenset({
        P.VIEW_HOME, P.VIEW_PERMITS, P.VIEW_LOCATIONS, P.EDIT_LOCATIONS, P.PLAN_INSPECTIONS,
        P.RECORD_INSPECTIONS, P.MANAGE_ENFORCEMENT, P.CREATE_SIGNALS,
    }),
    Role.AANDACHTFUNCTIONARIS: frozenset({
        P.VIEW_HOME, P.CREATE_SIGNALS, P.VIEW_SIGNALS, P.ROUTE_SIGNALS,
    }),
    Role.KETENREGISSEUR: frozenset({
        P.VIEW_HOME, P.CREATE_SIGNALS, P.VIEW_SIGNALS, P.ROUTE_SIGNALS, P.VIEW_REGIONAL_OVERVIEW,
    }),
    # The beheerder administers; reading Bibob contents is not administration (need-to-know),
    # but purging them at the end of their retention period is.
    Role.BEHEERDER: frozenset({
        P.VIEW_HOME, P.MANAGE_USERS, P.VIEW_AUDIT_LOG, P.MANAGE_SETTINGS, P.MANAGE_API_CLIENTS,
        P.MANAGE_BIBOB_RETENTION, P.VIEW_REGISTER, P.IMPORT_REGISTER, P.RUN_RESCREENING,
        P.CREATE_SIGNALS, P.VIEW_REGIONAL_OVERVIEW,
    }),
}


def has_permission(user: Any, permission: Permission) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return permission in ROLE_PERMISSIONS.get(user.role, frozenset())


def require(permission: Permission) -> Callable[[F], F]:
    """Declare and enforce the permission of a view: 401 (login) when anonymous, 403 otherwise."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                from barrier.extensions import login_manager

                return login_manager.unauthorized()
            if not has_permission(current_user, permission):
                abort(403, description=f"permission:{permission.value}")
            return view(*args, **kwargs)

        wrapped.barrier_permission = permission  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def public(view: F) -> F:
    """Mark a view as open to anonymous users (login, health). Declared, so the route test passes."""
    view.barrier_public = True  # type: ignore[attr-defined]
    return view


def declared_access(view: Callable[..., Any]) -> str | None:
    """What a view declares: a permission value, 'public', an API scope, or None (undeclared)."""
    if getattr(view, "barrier_public", False):
        return "public"
    permission = getattr(view, "barrier_permission", None)
    if permission is not None:
        return permission.value
    scope = getattr(view, "barrier_api_scope", None)
    if scope is not None:
        return f"api:{scope}"
    return None


def is_safe_next_url(target: str | None) -> bool:
    """Only relative paths on this site are allowed as a post-login redirect (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and not any(ord(c) < 32 for c in target)
