"""The permission table is declared on every route and enforced for every role.

The matrix is generated from the app's URL map, so a new route joins it automatically; a route
that declares nothing fails ``test_every_route_declares_who_may_use_it``.
"""

from __future__ import annotations

import re

import pytest

from barrier.auth.permissions import ROLE_PERMISSIONS, Permission, declared_access
from barrier.models import Role
from tests.conftest import csrf_token_from

PLACEHOLDER = 987654  # an id that never exists: a permitted role gets 404, a refused one 403


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        yield rule, declared_access(view)


def _url(rule) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", str(PLACEHOLDER), rule.rule)


def test_every_route_declares_who_may_use_it(app):
    undeclared = [rule.endpoint for rule, access in _routes(app) if access is None]
    assert undeclared == [], f"routes without @require/@public: {undeclared}"


def test_every_permission_is_granted_to_some_role():
    granted = set().union(*ROLE_PERMISSIONS.values())
    assert set(Permission) - granted == set()


def test_every_role_has_an_entry_in_the_permission_table():
    assert set(ROLE_PERMISSIONS) == set(Role)


def test_anonymous_users_are_sent_to_the_login_page_for_every_protected_route(app, client):
    for rule, access in _routes(app):
        if access == "public" or (access or "").startswith("api:"):
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(_url(rule), method=method)
        if method == "POST":
            # Without a session there is no valid CSRF token either: refused before the view.
            assert response.status_code in (302, 400), rule.rule
        else:
            assert response.status_code == 302, rule.rule
            assert "/inloggen" in response.headers["Location"]


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_the_permission_table_is_enforced_on_every_route(app, login_as, role):
    browser = login_as(role)
    token = csrf_token_from(browser.get("/").get_data(as_text=True))
    allowed = ROLE_PERMISSIONS[role]
    checked = 0
    for rule, access in _routes(app):
        if access in (None, "public") or access.startswith("api:"):
            continue
        permission = Permission(access)
        if "GET" in rule.methods:
            response = browser.get(_url(rule))
        else:
            response = browser.client.post(_url(rule), data={"csrf_token": token},
                                           headers={"Referer": "https://localhost/"})
        if rule.endpoint == "auth.logout":
            browser = login_as(role)
            token = csrf_token_from(browser.get("/").get_data(as_text=True))
            continue
        if permission in allowed:
            assert response.status_code not in (403, 500), (rule.rule, response.status_code)
        else:
            assert response.status_code == 403, (rule.rule, response.status_code)
            assert "Geen toegang" in response.get_data(as_text=True)
        checked += 1
    assert checked > 0
