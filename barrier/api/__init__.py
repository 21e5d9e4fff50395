"""The integration API (issue 8): a versioned JSON API under /api/v1 and the management of its clients.

Two blueprints: ``api.v1`` holds the machine endpoints (API keys, no cookies, no CSRF, errors as
``application/problem+json``); ``api`` itself holds the beheerder's pages to manage the clients
(session login and CSRF as every other page).
"""

from flask import Blueprint

from barrier.auth.permissions import Permission
from barrier.dashboard.registry import NavItem, register_nav
from barrier.extensions import csrf

# cli_group=None: the commands are top-level (`flask --app wsgi api-prune`).
bp = Blueprint("api", __name__, cli_group=None)
v1 = Blueprint("v1", __name__, url_prefix="/api/v1")
# API keys, not cookies, authenticate /api/v1: a cross-site form cannot forge a bearer header.
csrf.exempt(v1)

from barrier.api import cli, manage, receivers, views  # noqa: E402,F401

bp.register_blueprint(v1)

register_nav(NavItem("API-clients", "api.list_clients", Permission.MANAGE_API_CLIENTS, order=940,
                     active_prefixes=("api.",)))
