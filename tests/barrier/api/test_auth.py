"""API keys: hashed, scoped, revocable, bound to a gemeente, rate-limited; every call audited."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from barrier.api import keys
from barrier.models import Application, AuditEvent, Role
from tests.barrier.api.conftest import idem


def _last_audit(db, action: str) -> AuditEvent:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id.desc())).first()


def test_keys_are_random_and_only_their_hash_is_stored(api_key):
    prefix, secret = keys.parse(api_key.key)
    assert api_key.client.key_prefix == prefix
    assert api_key.client.key_hash == keys.digest(secret) != secret
    assert secret not in api_key.client.key_hash
    assert len(secret) == 43  # 32 random bytes
    assert keys.new_key().plaintext != keys.new_key().plaintext


@pytest.mark.parametrize("header", [
    None, "Bearer", "Basic dXNlcjpwYXNz", "Bearer brr_short", "Bearer brr_abcdefghijkl_" + "x" * 43,
])
def test_missing_malformed_or_unknown_keys_get_401_and_are_audited(client, db, header):
    response = client.get("/api/v1/events", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    refused = _last_audit(db, "api.refused")
    assert refused.details["status"] == 401 and refused.details["path"] == "/api/v1/events"
    assert refused.actor_id is None


def test_a_right_prefix_with_a_wrong_secret_is_refused(client, api_key):
    prefix, _secret = keys.parse(api_key.key)
    forged = f"brr_{prefix}_{'A' * 43}"
    assert client.get("/api/v1/events", headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_a_revoked_key_is_refused_nothing_is_stored_and_the_attempt_is_audited(client, db, make_api_client,
                                                                                housing_body):
    revoked = make_api_client(revoked=True)
    before = db.session.scalar(select(func.count()).select_from(Application))
    response = client.post("/api/v1/applications", json=housing_body, headers={**revoked.headers, **idem()})
    assert response.status_code == 401
    assert "ingetrokken" in response.get_json()["detail"]
    assert db.session.scalar(select(func.count()).select_from(Application)) == before
    refused = _last_audit(db, "api.refused")
    assert refused.details["client_id"] == revoked.client.id
    assert refused.details["client_name"] == revoked.client.name
    assert refused.actor_role == "api_client"


@pytest.mark.parametrize(("method", "url", "scope"), [
    ("post", "/api/v1/applications", "applications:write"),
    ("get", "/api/v1/applications", "applications:read"),
    ("get", "/api/v1/applications/0106-2026-00001", "applications:read"),
    ("get", "/api/v1/events", "applications:read"),
])
def test_a_key_without_the_scope_gets_403(client, db, make_api_client, housing_body, method, url, scope):
    others = [s for s in ("applications:read", "applications:write", "register:write", "screening:match") if s != scope]
    keyed = make_api_client(scopes=others)
    before = db.session.scalar(select(func.count()).select_from(Application))
    kwargs = {"json": housing_body} if method == "post" else {}
    response = getattr(client, method)(url, headers={**keyed.headers, **idem()}, **kwargs)
    assert response.status_code == 403
    assert scope in response.get_json()["detail"]
    assert db.session.scalar(select(func.count()).select_from(Application)) == before
    assert _last_audit(db, "api.refused").details["problem"] == "onvoldoende-rechten"


def test_every_successful_call_is_audited_with_the_client(client, db, api_key):
    assert client.get("/api/v1/events", headers=api_key.headers).status_code == 200
    called = _last_audit(db, "api.called")
    assert called.details["client_id"] == api_key.client.id
    assert called.details["status"] == 200
    assert called.actor_label.startswith(f"API-client {api_key.client.name}")
    assert called.gemeente_id == api_key.client.gemeente_id


def test_a_session_cookie_does_not_authenticate_the_api(login_as):
    browser = login_as(Role.BEHEERDER)
    response = browser.get("/api/v1/events")
    assert response.status_code == 401


def test_each_client_has_its_own_rate_limit(client, db, make_api_client):
    slow, other = make_api_client(rate_limit="2 per minute"), make_api_client(rate_limit="2 per minute")
    assert [client.get("/api/v1/events", headers=slow.headers).status_code for _ in range(3)] == [200, 200, 429]
    limited = client.get("/api/v1/events", headers=slow.headers)
    assert limited.status_code == 429
    assert limited.mimetype == "application/problem+json"
    assert int(limited.headers["Retry-After"]) > 0
    assert _last_audit(db, "api.refused").details["status"] == 429
    assert client.get("/api/v1/events", headers=other.headers).status_code == 200
