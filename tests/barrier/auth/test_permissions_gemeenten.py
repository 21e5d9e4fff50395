"""Every route, as every role, of two gemeenten, against real records of the other gemeente.

``test_permissions.py`` proves the permission table per role with placeholder ids. This crawl adds
the object level, on the full demo data: a user of Assen (or Emmen) who asks for a real record of
the other gemeente by URL gets 404 when the role may use the route at all (403 when it may not),
and a refused POST changes nothing. Regional roles (ketenregisseur, regional beheerder) see the
whole region: they are never refused for the gemeente. Own-gemeente records never give 403 or 5xx
to a role that holds the route's permission.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from barrier.auth.permissions import ROLE_PERMISSIONS, Permission, declared_access
from barrier.db import db as _db
from barrier.models import Role
from tests.conftest import TEST_PASSWORD, csrf_token_from
from tests.demo_app import demo_app, login_fresh_user

GEMEENTEN = ("GM0106", "GM0114")  # Assen and Emmen: both have records of every area in the demo data

# Which table a URL parameter names; a route may override it (the Bibob download takes a document
# id of a Bibob attachment).
PARAM_TABLES = {
    "application_id": "applications", "client_id": "api_clients", "document_id": "documents",
    "dossier_id": "bibob_dossiers", "entity_id": "risk_entities", "event_id": "clock_events",
    "gemeente_id": "gemeenten", "hit_id": "register_hits", "import_id": "register_imports",
    "inspection_id": "inspections", "location_id": "inspection_locations", "measure_id": "enforcement_measures",
    "party_id": "application_parties", "permit_id": "permits", "photo_id": "inspection_photos",
    "plan_id": "inspection_plans", "proposal_id": "register_proposals", "report_id": "bibob_reports",
    "request_id": "bibob_lbb_requests", "signal_id": "signals", "user_id": "users", "visit_id": "planned_visits",
}
DOCUMENT_CONTEXT = {"bibob.download_attachment": "bibob", "applications.download_document": "application"}
# Routes whose refusal for another gemeente is not a 404 by design.
OTHER_GEMEENTE_STATUS = {
    # The risk register is regional: a coordinator reads entries of the whole region (confidential
    # ones masked, tested in tests/barrier/register); editing or deleting another gemeente's entry is a 404.
    "register.entity_detail": 200,
}
PLACEHOLDER = 987654


@pytest.fixture(scope="module")
def app_with_demo(tmp_path_factory):
    with demo_app(tmp_path_factory, "authz") as app:
        yield app


def _gemeente_path(metadata: sa.MetaData, table: str, depth: int = 0) -> list[tuple[str, str, str]] | None:
    """Joins from ``table`` to a table with a gemeente_id column, following foreign keys."""
    t = metadata.tables[table]
    if "gemeente_id" in t.c or table == "gemeenten":
        return []
    if depth > 2:
        return None
    for fk in sorted(t.foreign_keys, key=lambda fk: fk.parent.name):
        parent = fk.column.table.name
        if parent in ("users", "gemeenten"):
            continue
        rest = _gemeente_path(metadata, parent, depth + 1)
        if rest is not None:
            return [(table, fk.parent.name, parent), *rest]
    return None


_CACHE: dict[tuple, int | None] = {}


def _record_of(app, table: str, gemeente_code: str, endpoint: str) -> int | None:
    key = (id(app), table, gemeente_code, DOCUMENT_CONTEXT.get(endpoint) if table == "documents" else None)
    if key not in _CACHE:
        _CACHE[key] = _find_record(app, table, gemeente_code, endpoint)
    return _CACHE[key]


def _find_record(app, table: str, gemeente_code: str, endpoint: str) -> int | None:
    with app.app_context():
        metadata = _db.metadata  # the models' tables, with their foreign keys
        if table not in metadata.tables:
            return None
        path = _gemeente_path(metadata, table)
        if path is None:
            return None
        joins, alias = [], "t0"
        for index, (_child, column, parent) in enumerate(path, start=1):
            joins.append(f"JOIN {parent} t{index} ON t{index}.id = {alias}.{column}")
            alias = f"t{index}"
        gemeente_column = "t0.id" if table == "gemeenten" else f"{alias}.gemeente_id"
        where = [f"{gemeente_column} = (SELECT id FROM gemeenten WHERE cbs_code = :code)"]  # noqa: S608
        if table == "documents" and endpoint in DOCUMENT_CONTEXT:
            where.append(f"t0.context = '{DOCUMENT_CONTEXT[endpoint]}'")
        if table == "risk_entities":
            # A regional entry, which every register user may read; the narrower levels are
            # refused by need-to-know, not by gemeente (tests/barrier/register/test_views.py).
            where.append("t0.confidentiality = 'regionaal'")
        # Table and column names come from the models' metadata, never from input.
        sql = f"SELECT t0.id FROM {table} t0 {' '.join(joins)} WHERE {' AND '.join(where)} ORDER BY t0.id LIMIT 1"  # noqa: S608
        value = _db.session.execute(sa.text(sql), {"code": gemeente_code}).scalar()
        _db.session.rollback()
        return value


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint == "auth.logout":
            continue
        access = declared_access(app.view_functions[rule.endpoint])
        if access in (None, "public") or access.startswith("api:"):
            continue
        yield rule, Permission(access)


def _url(app, rule, gemeente_code: str) -> tuple[str, bool]:
    """The rule's URL with ids of ``gemeente_code``'s records; False when some id has no record."""
    complete = True

    def fill(match):
        nonlocal complete
        converter, name = match.group(1), match.group(2)
        if converter != "int":
            return {"permit_type": "seksinrichting", "step": "type"}.get(name, "x")
        table = PARAM_TABLES.get(name)
        record = _record_of(app, table, gemeente_code, rule.endpoint) if table else None
        if record is None:
            complete = False
            return str(PLACEHOLDER)
        return str(record)

    return re.sub(r"<(?:([^:>]+):)?([^>]+)>", fill, rule.rule), complete


CASES = [(role, code) for role in Role if not role.is_regional for code in GEMEENTEN] + [
    (role, None) for role in Role if role.is_regional or role is Role.BEHEERDER]


@pytest.mark.parametrize(("role", "home"), CASES, ids=lambda v: getattr(v, "value", v or "regio"))
def test_records_of_the_other_gemeente_are_not_found_on_any_route(app_with_demo, role, home):
    app = app_with_demo
    browser = login_fresh_user(app, role, home, TEST_PASSWORD)
    token = csrf_token_from(browser.get("/").get_data(as_text=True))
    allowed = ROLE_PERMISSIONS[role]
    other = next(code for code in GEMEENTEN if code != home) if home else GEMEENTEN[1]
    checked, object_level = 0, 0
    for rule, permission in _routes(app):
        if "<" not in rule.rule:
            continue
        url, complete = _url(app, rule, other)
        if not complete:
            continue  # the demo data has no such record in the other gemeente (nothing to leak)
        if "GET" in rule.methods:
            response = browser.get(url)
        else:
            response = browser.client.post(url, data={"csrf_token": token}, headers={"Referer": "https://localhost/"})
        status = response.status_code
        assert status < 500, (rule.rule, url, status)
        if permission not in allowed:
            assert status == 403, (rule.rule, url, status)
        elif home is not None:
            expected = OTHER_GEMEENTE_STATUS.get(rule.endpoint, 404)
            assert status == expected, f"{role.value} of {home} got {status} for {url} ({rule.endpoint})"
            object_level += 1
        else:
            assert status not in (403,), (rule.rule, url, status)
        checked += 1
    assert checked > 20
    if home is not None and any(p for p in allowed if p is not Permission.VIEW_HOME and p is not Permission.CREATE_SIGNALS):
        assert object_level > 0


@pytest.mark.parametrize("role", [r for r in Role if not r.is_regional], ids=lambda r: r.value)
def test_own_gemeente_records_are_never_refused_to_a_permitted_role(app_with_demo, role):
    app = app_with_demo
    browser = login_fresh_user(app, role, GEMEENTEN[0], TEST_PASSWORD)
    allowed = ROLE_PERMISSIONS[role]
    for rule, permission in _routes(app):
        if "GET" not in rule.methods or "<" not in rule.rule or permission not in allowed:
            continue
        url, complete = _url(app, rule, GEMEENTEN[0])
        if not complete:
            continue
        response = browser.get(url)
        assert response.status_code not in (403, 500), (rule.endpoint, url, response.status_code)
