"""Submitting an application as an e-form, idempotency, reading its status, gemeente isolation."""

from __future__ import annotations

from sqlalchemy import func, select

from barrier.models import Application, AuditEvent, Document
from barrier.models.api import ApiIdempotencyRecord
from tests.barrier.api.conftest import PNG, b64, idem


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_valid_e_form_submission_creates_a_received_application(client, db, api_key, housing_body):
    response = client.post("/api/v1/applications", json=housing_body, headers={**api_key.headers, **idem()})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "ontvangen"
    assert body["reference"].startswith("0106-")
    assert body["gemeente"] == {"code": "GM0106", "name": "Assen"}
    assert body["deadline"]["end_on"]
    assert response.headers["Location"].endswith(f"/api/v1/applications/{body['reference']}")
    app = db.session.scalar(select(Application).where(Application.reference == body["reference"]))
    assert app.details["persons"] == 8 and app.details["landlord_is_employer"] == "nee"
    assert {p.role.value for p in app.parties} == {"aanvrager", "bestuurder"}
    assert app.location.postcode == "9401 AB"
    assert [d.kind.value for d in app.documents] == ["plattegrond"]
    assert app.created_by_id is None
    submitted = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "application.submitted",
                                                           AuditEvent.object_id == str(app.id)))
    assert submitted.actor_role == "api_client" and api_key.client.name in submitted.actor_label


def test_the_applicant_companys_trade_names_are_taken_in(client, db, api_key, housing_body):
    housing_body["applicant"]["trade_names"] = "Noord Wonen; Short Stay Assen"
    response = client.post("/api/v1/applications", json=housing_body, headers={**api_key.headers, **idem()})
    assert response.status_code == 201, response.get_json()
    app = db.session.scalar(select(Application).where(Application.reference == response.get_json()["reference"]))
    assert app.applicant.organisation.trade_names == "Noord Wonen; Short Stay Assen"


def test_the_same_validation_as_the_web_form_is_reported_per_field(client, db, api_key, housing_body):
    housing_body["parties"][0]["bsn"] = "123456789"          # fails the elfproef
    housing_body["location"]["postcode"] = "9401 SS"          # SS does not exist
    housing_body["details"]["persons"] = 0                    # 1..2000
    housing_body["details"]["rooms"][1] = {"area_m2": 0.1, "beds": 2}
    before = _count(db, Application)
    response = client.post("/api/v1/applications", json=housing_body, headers={**api_key.headers, **idem()})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    reasons = {p["name"]: p["reason"] for p in problem["invalid-params"]}
    assert reasons["parties[0].bsn"] == "Dit BSN klopt niet (de elfproef faalt). Controleer de cijfers."
    assert reasons["location.postcode"] == "Vul een geldige postcode in, bijvoorbeeld 9401 AB."
    assert reasons["details.persons"] == "Vul een aantal tussen 1 en 2000 in."
    assert reasons["details.rooms[1].area_m2"] == "Een slaapkamer is tussen 0,5 en 500 m²."
    assert _count(db, Application) == before


def test_a_person_without_the_fields_a_person_needs_is_refused_like_the_wizard(client, api_key, housing_body):
    housing_body["parties"][0].update(given_names="", surname="")
    response = client.post("/api/v1/applications", json=housing_body, headers={**api_key.headers, **idem()})
    reasons = {p["name"]: p["reason"] for p in response.get_json()["invalid-params"]}
    assert reasons == {"parties[0].given_names": "Vul de voornamen in.", "parties[0].surname": "Vul de achternaam in."}


def test_unknown_fields_are_refused_by_name(client, api_key, housing_body):
    housing_body["details"]["swimming_pool"] = True
    housing_body["aanvrager"] = "x"
    response = client.post("/api/v1/applications", json=housing_body, headers={**api_key.headers, **idem()})
    assert response.status_code == 422
    names = {p["name"] for p in response.get_json()["invalid-params"]}
    assert names == {"details.swimming_pool", "aanvrager"}
    assert all(p["code"] == "extra_forbidden" for p in response.get_json()["invalid-params"])


def test_a_base64_document_that_is_not_what_it_claims_is_refused_and_nothing_is_stored(client, db, api_key, housing_body):
    housing_body["documents"] = [
        {"kind": "plattegrond", "filename": "plan.pdf", "content_type": "application/pdf", "content": b64(PNG)},
        {"kind": "bedrijfsplan", "filename": "plan.pdf", "content_type": "application/pdf", "content": b64(b"MZ\x90\x00" * 30)},
        {"kind": "overig", "filename": "x.pdf", "content_type": "application/pdf", "content": "not base64!"},
    ]
    before = (_count(db, Application), _count(db, Document))
    response = client.post("/api/v1/applications", json=housing_body, headers={**api_key.headers, **idem()})
    assert response.status_code == 422
    reasons = {p["name"]: p["reason"] for p in response.get_json()["invalid-params"]}
    assert reasons["documents[0].content_type"] == ("De inhoud is een PNG-afbeelding, niet een PDF zoals "
                                                    "content_type zegt.")
    assert "niet wat het zegt te zijn" in reasons["documents[1].content"]
    assert "base64" in reasons["documents[2].content"]
    assert (_count(db, Application), _count(db, Document)) == before
    refused = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "api.refused")).all()[-1]
    assert refused.details["status"] == 422 and refused.details["client_id"] == api_key.client.id
    assert "documents[0].content_type" in refused.details["fields"]


def test_a_repeated_submit_returns_the_first_result_and_stores_nothing_twice(client, db, api_key, housing_body):
    headers = {**api_key.headers, **idem()}
    first = client.post("/api/v1/applications", json=housing_body, headers=headers)
    count = _count(db, Application)
    # The same body with other whitespace and key order is the same request.
    again = client.post("/api/v1/applications", data=__import__("json").dumps(housing_body, indent=2, sort_keys=True),
                        content_type="application/json", headers=headers)
    assert again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(db, Application) == count
    assert _count(db, ApiIdempotencyRecord) == 1


def test_a_replayed_idempotency_key_with_another_body_is_refused(client, db, api_key, housing_body):
    headers = {**api_key.headers, **idem()}
    assert client.post("/api/v1/applications", json=housing_body, headers=headers).status_code == 201
    count = _count(db, Application)
    housing_body["trade_name"] = "Iets anders"
    response = client.post("/api/v1/applications", json=housing_body, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["type"].endswith("#probleem-idempotentiesleutel-hergebruikt")
    assert _count(db, Application) == count
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "api.refused")).all()[-1].details[
        "problem"] == "idempotentiesleutel-hergebruikt"


def test_idempotency_keys_belong_to_one_client(client, db, make_api_client, housing_body):
    first, second = make_api_client(), make_api_client()
    key = idem()
    assert client.post("/api/v1/applications", json=housing_body, headers={**first.headers, **key}).status_code == 201
    housing_body["trade_name"] = "Ander bericht van een andere client"
    assert client.post("/api/v1/applications", json=housing_body, headers={**second.headers, **key}).status_code == 201


def test_the_idempotency_key_is_required(client, api_key, housing_body):
    response = client.post("/api/v1/applications", json=housing_body, headers=api_key.headers)
    assert response.status_code == 422
    assert response.get_json()["invalid-params"][0]["name"] == "Idempotency-Key"


def test_a_regional_client_names_the_gemeente_and_a_bound_client_may_not_name_another(client, make_api_client,
                                                                                       housing_body):
    regional = make_api_client(gemeente=None)
    response = client.post("/api/v1/applications", json=housing_body, headers={**regional.headers, **idem()})
    assert response.status_code == 422 and response.get_json()["invalid-params"][0]["name"] == "gemeente"
    housing_body["gemeente"] = "GM0114"
    response = client.post("/api/v1/applications", json=housing_body, headers={**regional.headers, **idem()})
    assert response.status_code == 201 and response.get_json()["gemeente"]["name"] == "Emmen"
    assen = make_api_client(gemeente="GM0106")
    response = client.post("/api/v1/applications", json=housing_body, headers={**assen.headers, **idem()})
    assert response.status_code == 403


def test_status_shows_deadline_and_missing_parts_but_never_bibob_contents(client, api_key, make_application):
    app = make_application()
    response = client.get(f"/api/v1/applications/{app.reference}", headers=api_key.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ontvangen" and body["deadline"]["days_left"] > 0
    assert any(m["what"].startswith("Document") for m in body["missing"])
    assert "bibob" not in __import__("json").dumps(body).lower().replace("bibob_onderzoek", "")


def test_another_gemeentes_application_does_not_exist_for_a_bound_client(client, db, make_api_client, make_application):
    emmen_app = make_application(gemeente="GM0114")
    assen = make_api_client(gemeente="GM0106")
    response = client.get(f"/api/v1/applications/{emmen_app.reference}", headers=assen.headers)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    listed = client.get("/api/v1/applications?pageSize=100", headers=assen.headers).get_json()
    assert emmen_app.reference not in {a["reference"] for a in listed["applications"]}
    regional = make_api_client(gemeente=None)
    assert client.get(f"/api/v1/applications/{emmen_app.reference}", headers=regional.headers).status_code == 200


def test_the_list_is_paginated_with_links(client, api_key, make_application):
    for _ in range(3):
        make_application()
    page = client.get("/api/v1/applications?page=2&pageSize=1", headers=api_key.headers).get_json()
    assert page["page"] == 2 and page["pageSize"] == 1 and page["total"] >= 3
    assert page["links"]["prev"].endswith("page=1&pageSize=1")
    assert page["links"]["next"].endswith("page=3&pageSize=1")
    assert len(page["applications"]) == 1


def test_an_escort_and_a_sex_business_application_use_their_own_details(client, api_key, housing_body):
    escort = {**housing_body, "permit_type": "escortbedrijf", "location": None,
              "details": {"opening_hours": "dag en nacht", "phone_numbers": ["0612345678"],
                          "websites": ["https://escort.example"]}}
    response = client.post("/api/v1/applications", json=escort, headers={**api_key.headers, **idem()})
    assert response.status_code == 201, response.get_json()
    sex = {**housing_body, "permit_type": "seksinrichting", "sub_type": "club",
           "details": {"opening_hours": "ma-za 12-02", "workrooms": 4, "intake_procedure": True}}
    response = client.post("/api/v1/applications", json=sex, headers={**api_key.headers, **idem()})
    assert response.status_code == 201, response.get_json()
    housing_details_on_escort = {**escort, "details": housing_body["details"]}
    response = client.post("/api/v1/applications", json=housing_details_on_escort, headers={**api_key.headers, **idem()})
    assert response.status_code == 422
    assert "details.persons" in {p["name"] for p in response.get_json()["invalid-params"]}


def test_the_same_document_twice_in_one_submission_is_a_field_error_not_a_500(client, db, api_key, housing_body):
    housing_body["documents"] = [housing_body["documents"][0], dict(housing_body["documents"][0], kind="overig")]
    before = (_count(db, Application), _count(db, Document))
    response = client.post("/api/v1/applications", json=housing_body, headers={**api_key.headers, **idem()})
    assert response.status_code == 422, response.get_json()
    reasons = {p["name"]: p["reason"] for p in response.get_json()["invalid-params"]}
    assert reasons["documents[1].content"] == "Dit bestand staat al in documents[0]."
    assert (_count(db, Application), _count(db, Document)) == before


def test_an_expired_idempotency_key_counts_as_new_and_the_prune_command_forgets_old_keys(app, client, db, api_key,
                                                                                          housing_body):
    from datetime import timedelta

    from barrier.db import utcnow

    key = idem()
    headers = {**api_key.headers, **key}
    first = client.post("/api/v1/applications", json=housing_body, headers=headers).get_json()
    days = app.config["API_IDEMPOTENCY_DAYS"]
    record = db.session.scalar(select(ApiIdempotencyRecord))
    # Within the period the same key replays the first answer.
    record.created_at = utcnow() - timedelta(days=days - 1)
    db.session.commit()
    assert client.post("/api/v1/applications", json=housing_body, headers=headers).get_json() == first
    assert _count(db, Application) == 1
    # After it the key starts afresh: a second application, one record for the key.
    record.created_at = utcnow() - timedelta(days=days + 1)
    db.session.commit()
    second = client.post("/api/v1/applications", json=housing_body, headers=headers)
    assert second.status_code == 201 and second.get_json()["reference"] != first["reference"]
    assert _count(db, Application) == 2 and _count(db, ApiIdempotencyRecord) == 1
    # The daily command forgets expired keys only, and says how many.
    fresh_key = idem()
    fresh = client.post("/api/v1/applications", json=housing_body, headers={**api_key.headers, **fresh_key})
    assert fresh.status_code == 201
    old = db.session.scalar(select(ApiIdempotencyRecord).where(ApiIdempotencyRecord.key == key["Idempotency-Key"]))
    old.created_at = utcnow() - timedelta(days=days + 5)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["api-prune"])
    assert result.exit_code == 0 and result.output.startswith("1 verlopen")
    assert db.session.scalars(select(ApiIdempotencyRecord.key)).all() == [fresh_key["Idempotency-Key"]]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api.idempotency_pruned")).details[
        "count"] == 1


def test_a_request_that_never_finished_does_not_block_its_key_forever(app, client, db, api_key, housing_body):
    from datetime import timedelta

    from barrier.db import utcnow

    key = idem()
    # A worker died mid-request long ago: its record was claimed but never completed.
    db.session.add(ApiIdempotencyRecord(client_id=api_key.client.id, key=key["Idempotency-Key"],
                                        endpoint="submit_application", request_hash="0" * 64, response_status=0,
                                        created_at=utcnow() - timedelta(days=app.config["API_IDEMPOTENCY_DAYS"] + 1)))
    db.session.commit()
    response = client.post("/api/v1/applications", json=housing_body, headers={**api_key.headers, **key})
    assert response.status_code == 201, response.get_json()
    assert _count(db, ApiIdempotencyRecord) == 1
