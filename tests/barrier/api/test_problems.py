"""Bad input gets problem+json (RFC 9457) with the right status, nothing stored, and an audit record."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from barrier.models import Application, AuditEvent
from tests.barrier.api.conftest import idem

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def _refusals(db) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "api.refused"))


def _applications(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Application))


@pytest.mark.parametrize(("data", "content_type", "status", "slug"), [
    (b'{"permit_type": "verhuurvergunning",', "application/json", 400, "ongeldige-json"),
    (b"\xff\xfe{}", "application/json", 400, "ongeldige-json"),
    (b'{"a": NaN}', "application/json", 400, "ongeldige-json"),
    (b"permit_type=verhuurvergunning", "application/x-www-form-urlencoded", 415, "mediatype-niet-ondersteund"),
    (b"<aanvraag/>", "application/xml", 415, "mediatype-niet-ondersteund"),
    (b"[]", "application/json", 422, "ongeldige-invoer"),
])
def test_malformed_bodies_get_the_right_problem(client, db, api_key, data, content_type, status, slug):
    before, refusals = _applications(db), _refusals(db)
    response = client.post("/api/v1/applications", data=data, content_type=content_type,
                           headers={**api_key.headers, **idem()})
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert set(problem) >= PROBLEM_KEYS
    assert problem["status"] == status
    assert problem["type"].endswith(f"#probleem-{slug}")
    assert problem["instance"] == "/api/v1/applications"
    assert "Traceback" not in response.get_data(as_text=True)
    assert _applications(db) == before
    assert _refusals(db) == refusals + 1


def test_a_50_mb_body_gets_413_and_is_audited(client, db, api_key):
    refusals = _refusals(db)
    response = client.post("/api/v1/applications", data=b"{" + b" " * (50 * 1024 * 1024) + b"}",
                           content_type="application/json", headers={**api_key.headers, **idem()})
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["title"] == "Bericht te groot"
    assert _refusals(db) == refusals + 1


def test_invalid_params_name_every_wrong_field_in_dutch(client, api_key, housing_body):
    housing_body["details"]["persons"] = "veel"
    housing_body["applicant"]["legal_form"] = "gmbh"
    del housing_body["details"]["toilets"]
    housing_body["parties"][0]["birth_date"] = "17-05-1980"
    response = client.post("/api/v1/applications", json=housing_body, headers={**api_key.headers, **idem()})
    problem = response.get_json()
    assert problem["title"] == "Ongeldige invoer"
    reasons = {p["name"]: p["reason"] for p in problem["invalid-params"]}
    assert reasons["details.persons"] == "Vul hier een geheel getal in."
    assert reasons["details.toilets"] == "Dit veld is verplicht."
    assert reasons["applicant.legal_form"].startswith("Kies een van: 'eenmanszaak'")
    assert reasons["parties[0].birth_date"] == "Vul een datum in als JJJJ-MM-DD."


def test_an_unknown_permit_type_names_the_choices(client, api_key, housing_body):
    housing_body["permit_type"] = "horeca"
    problem = client.post("/api/v1/applications", json=housing_body, headers={**api_key.headers, **idem()}).get_json()
    assert problem["invalid-params"][0]["name"] == "permit_type"
    assert "verhuurvergunning" in problem["invalid-params"][0]["reason"]


def test_unknown_addresses_and_methods_are_problems_too(client):
    missing = client.get("/api/v1/does-not-exist")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    wrong_method = client.delete("/api/v1/events")
    assert wrong_method.status_code == 405 and "GET" in wrong_method.headers["Allow"]
    assert wrong_method.mimetype == "application/problem+json"


def test_an_unexpected_error_is_a_500_problem_without_a_stack_trace(client, db, api_key, monkeypatch):
    from barrier.api import services

    def boom(*_args, **_kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(services, "events_after", boom)
    response = client.get("/api/v1/events", headers=api_key.headers)
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_unknown_query_parameters_are_refused_by_name(client, api_key):
    response = client.get("/api/v1/applications?pagesize=5", headers=api_key.headers)
    assert response.status_code == 422
    assert response.get_json()["invalid-params"] == [
        {"name": "pagesize", "code": "extra_forbidden", "reason": "Onbekend veld: dit veld hoort niet in het bericht."}]
