"""The beheerder creates API clients (key shown once), rotates keys and revokes clients."""

from __future__ import annotations

import re

from sqlalchemy import select

from barrier.api import keys
from barrier.models import AuditEvent, Role
from barrier.models.api import ApiClient

KEY_RE = re.compile(r'value="(brr_[a-z0-9]{12}_[A-Za-z0-9_-]{43})"')


def _create(browser, **data):
    payload = {"name": "E-formulieren Assen", "description": "Open Formulieren", "gemeente_id": "0",
               "scopes": ["applications:write", "applications:read"], "rate_limit": "120 per minute", **data}
    return browser.submit("/beheer/api-clients/nieuw", payload)


def test_a_beheerder_creates_a_client_and_sees_the_key_once(client, db, login_as):
    browser = login_as(Role.BEHEERDER)
    response = _create(browser)
    assert response.status_code == 200
    key = KEY_RE.search(response.get_data(as_text=True)).group(1)
    created = db.session.scalar(select(ApiClient).where(ApiClient.name == "E-formulieren Assen"))
    assert created.scopes == ["applications:read", "applications:write"]
    assert created.gemeente_id is None
    prefix, secret = keys.parse(key)
    assert created.key_prefix == prefix and created.key_hash == keys.digest(secret)
    assert response.headers["Cache-Control"] == "no-store"
    # Never again: the detail page shows only the prefix.
    detail = browser.get(f"/beheer/api-clients/{created.id}").get_data(as_text=True)
    assert secret not in detail and prefix in detail
    assert client.get("/api/v1/events", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api_client.created"))
    assert audit.details["client_name"] == "E-formulieren Assen" and secret not in str(audit.details)


def test_a_client_needs_a_name_and_a_scope(db, login_as):
    response = _create(login_as(Role.BEHEERDER), name="", scopes=[])
    page = response.get_data(as_text=True)
    assert "Vul een naam in." in page and "Kies minstens één scope." in page
    assert db.session.scalar(select(ApiClient)) is None


def test_rotating_the_key_stops_the_old_one_and_revoking_stops_the_client(client, db, login_as):
    browser = login_as(Role.BEHEERDER)
    old_key = KEY_RE.search(_create(browser).get_data(as_text=True)).group(1)
    created = db.session.scalar(select(ApiClient))
    rotated = browser.submit(f"/beheer/api-clients/{created.id}/nieuwe-sleutel", form_url=f"/beheer/api-clients/{created.id}")
    new_key = KEY_RE.search(rotated.get_data(as_text=True)).group(1)
    assert client.get("/api/v1/events", headers={"Authorization": f"Bearer {old_key}"}).status_code == 401
    assert client.get("/api/v1/events", headers={"Authorization": f"Bearer {new_key}"}).status_code == 200
    browser.submit(f"/beheer/api-clients/{created.id}/intrekken", form_url=f"/beheer/api-clients/{created.id}")
    assert client.get("/api/v1/events", headers={"Authorization": f"Bearer {new_key}"}).status_code == 401
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("api_client.%"))).all()
    assert actions == ["api_client.created", "api_client.key_rotated", "api_client.revoked"]


def test_a_beheerder_of_one_gemeente_manages_only_its_clients(db, login_as, make_api_client):
    emmen_client = make_api_client(gemeente="GM0114")
    browser = login_as(Role.BEHEERDER, gemeente="GM0106")
    assert browser.get(f"/beheer/api-clients/{emmen_client.client.id}").status_code == 404
    assert emmen_client.client.name not in browser.get("/beheer/api-clients").get_data(as_text=True)
    response = _create(browser, gemeente_id="0")
    assert db.session.scalar(select(ApiClient).where(ApiClient.name == "E-formulieren Assen")) is None
    assert response.status_code == 200


def test_only_the_beheerder_manages_api_clients(login_as):
    assert login_as(Role.VERGUNNINGVERLENER).get("/beheer/api-clients").status_code == 403
    assert login_as(Role.BEHEERDER).get("/beheer/api-clients").status_code == 200
