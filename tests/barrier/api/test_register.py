"""Register sync (JSON Lines, all-or-nothing, same rules as the CSV import) and screening."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from barrier.models import AuditEvent
from barrier.models.register import RegisterVersion, RiskEntity

JSONL = "application/jsonl"


def _lines(*rows: dict) -> bytes:
    return "\n".join(json.dumps(row) for row in rows).encode() + b"\n"


def person(external_id="riec-1", **kw) -> dict:
    return {"op": "upsert", "external_id": external_id, "kind": "persoon", "given_names": "Pieter", "surname": "Jansen",
            "birth_date": "1980-05-17", "source": "riec_signaal", "reason": "Signaal uitbuiting", **kw}


def organisation(external_id="org-1", **kw) -> dict:
    return {"op": "upsert", "external_id": external_id, "kind": "organisatie", "name": "Schaduw Holding B.V.",
            "kvk_number": "87654321", "source": "faillissement", "reason": "Faillissement 2025",
            "confidentiality": "regionaal", **kw}


def _count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(RiskEntity).where(RiskEntity.deleted_at.is_(None)))


def sync(client, headers, *rows):
    return client.post("/api/v1/register/sync", data=_lines(*rows), content_type=JSONL, headers=headers)


def test_a_sync_upserts_and_deletes_and_returns_the_new_version(client, db, api_key):
    first = sync(client, api_key.headers, person(), organisation())
    assert first.status_code == 200, first.get_json()
    body = first.get_json()
    assert (body["created"], body["updated"], body["deleted"], body["lines"]) == (2, 0, 0, 2)
    assert body["register_version"] == db.session.scalar(select(func.max(RegisterVersion.id)))
    entity = db.session.scalar(select(RiskEntity).where(RiskEntity.external_id == "riec-1"))
    assert entity.gemeente.cbs_code == "GM0106"  # the client's gemeente by default
    assert entity.confidentiality.value == "bibob_coordinatoren"
    second = sync(client, api_key.headers, person(surname="Jansen-de Boer"),
                  {"op": "delete", "external_id": "org-1", "reason": "Rechtsherstel"})
    assert second.get_json()["updated"] == 1 and second.get_json()["deleted"] == 1
    assert second.get_json()["register_version"] > body["register_version"]
    assert _count(db) == 1
    version = client.get("/api/v1/register", headers=api_key.headers).get_json()
    assert version["register_version"] == second.get_json()["register_version"]


def test_one_wrong_line_changes_nothing_and_every_problem_is_named(client, db, api_key):
    before = (_count(db), db.session.scalar(select(func.count()).select_from(RegisterVersion)))
    response = sync(client, api_key.headers,
                    person(),
                    person("riec-2", bsn="123456789"),                      # elfproef
                    organisation("org-2", kvk_number="123"),               # 8 digits
                    {"op": "upsert", "external_id": "x", "kind": "robot"},  # shape
                    person("riec-1"),                                       # duplicate id
                    {"op": "delete", "external_id": "unknown", "reason": "weg"})
    assert response.status_code == 422
    reasons = {p["name"]: p["reason"] for p in response.get_json()["invalid-params"]}
    assert reasons["lines[2].bsn"] == "Dit BSN klopt niet (de elfproef faalt). Controleer de cijfers."
    assert reasons["lines[3].kvk_number"] == "Een KvK-nummer bestaat uit precies 8 cijfers."
    assert reasons["lines[4].kind"].startswith("Kies een van")
    assert "regel 1" in reasons["lines[5].external_id"]
    assert "geen (actieve) registratie" in reasons["lines[6].external_id"]
    assert (_count(db), db.session.scalar(select(func.count()).select_from(RegisterVersion))) == before


def test_a_delete_with_a_blank_reason_is_a_problem_and_changes_nothing(client, db, api_key):
    """Found by fuzzing: a whitespace reason passed the schema, then delete_entity refused it after
    the upserts were written: a 500."""
    sync(client, api_key.headers, person())
    before = (_count(db), db.session.scalar(select(func.count()).select_from(RegisterVersion)))
    response = sync(client, api_key.headers, organisation(), {"op": "delete", "external_id": "riec-1", "reason": " \t"})
    assert response.status_code == 422, response.get_json()
    assert [p["name"] for p in response.get_json()["invalid-params"]] == ["lines[2].reason"]
    assert (_count(db), db.session.scalar(select(func.count()).select_from(RegisterVersion))) == before


def test_bad_json_lines_and_wrong_media_type_are_problems(client, api_key):
    broken = client.post("/api/v1/register/sync", data=b'{"op": "upsert"}\n{not json\n', content_type=JSONL,
                         headers=api_key.headers)
    assert broken.status_code == 400 and "Regel 2" in broken.get_json()["detail"]
    wrong = client.post("/api/v1/register/sync", data=b"external_id;kind\n", content_type="text/csv",
                        headers=api_key.headers)
    assert wrong.status_code == 415


def test_a_bound_client_writes_only_its_own_gemeentes_entries(client, db, make_api_client):
    emmen, assen = make_api_client(gemeente="GM0114"), make_api_client(gemeente="GM0106")
    assert sync(client, emmen.headers, person("emmen-1")).status_code == 200
    taken = sync(client, assen.headers, person("emmen-1", surname="Anders"))
    assert taken.status_code == 422
    assert taken.get_json()["invalid-params"][0]["name"] == "lines[1].external_id"
    other = sync(client, assen.headers, person("assen-9", gemeente="GM0114"))
    assert other.get_json()["invalid-params"][0]["name"] == "lines[1].gemeente"


def test_screening_returns_hits_with_scores_and_dutch_explanations(client, db, api_key):
    sync(client, api_key.headers, organisation(), person(confidentiality="regionaal"))
    response = client.post("/api/v1/screening", headers=api_key.headers, json={"subjects": [
        {"kind": "organisatie", "ref": "a", "name": "Schaduw Holding BV", "kvk_number": "87654321"},
        {"kind": "persoon", "ref": "b", "given_names": "Piet", "surname": "Jansen", "birth_date": "1980-05-17"},
        {"kind": "persoon", "ref": "c", "given_names": "Zeldzaam", "surname": "Onbekendveld"},
    ]})
    assert response.status_code == 200, response.get_json()
    results = {r["ref"]: r["hits"] for r in response.get_json()["results"]}
    top = results["a"][0]
    assert top["score"] >= 0.9 and top["entry"]["external_id"] == "org-1" and top["confidential"] is False
    assert "KvK" in top["explanation"] or "kvk" in top["explanation"].lower()
    assert top["features"]
    assert results["b"] and results["b"][0]["entry"]["external_id"] == "riec-1"
    assert results["c"] == []
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "api.screened")).all()[-1]
    assert audit.details["subjects"] == 3 and audit.details["client_id"] == api_key.client.id
    assert "Jansen" not in json.dumps(audit.details)


def test_screening_masks_entries_the_client_has_no_need_to_know_of(client, db, api_key):
    sync(client, api_key.headers, person(confidentiality="eigen_gemeente", reason="Geheim dossier"))
    response = client.post("/api/v1/screening", headers=api_key.headers, json={"subjects": [
        {"kind": "persoon", "given_names": "Pieter", "surname": "Jansen", "birth_date": "1980-05-17"}]})
    hit = response.get_json()["results"][0]["hits"][0]
    assert hit["confidential"] is True and hit["entry"] is None and hit["features"] == []
    assert hit["recording_gemeente"] == "Assen"
    assert "Geheim" not in response.get_data(as_text=True) and "Pieter" not in hit["label"]


def test_screening_input_is_validated_per_subject(client, api_key):
    response = client.post("/api/v1/screening", headers=api_key.headers, json={"subjects": [
        {"kind": "persoon", "surname": "Jansen", "bsn": "123456789"},
        {"kind": "adres", "street": "Kerkstraat"},
        {"kind": "organisatie"}]})
    assert response.status_code == 422
    names = {p["name"] for p in response.get_json()["invalid-params"]}
    assert names == {"subjects[0].bsn", "subjects[1]", "subjects[2].name"}


def test_new_hits_appear_in_the_events_feed_for_screening_clients_only(client, db, make_api_client, housing_body):
    from tests.barrier.api.conftest import idem

    full = make_api_client()
    reader = make_api_client(scopes=["applications:read"])
    start_full = client.get("/api/v1/events", headers=full.headers).get_json()["next_cursor"]
    start_reader = client.get("/api/v1/events", headers=reader.headers).get_json()["next_cursor"]
    sync(client, full.headers, organisation(name="Huisvesting Noord B.V.", kvk_number="12345678"))
    created = client.post("/api/v1/applications", json=housing_body, headers={**full.headers, **idem()})
    assert created.status_code == 201
    kinds = [e["kind"] for e in client.get(f"/api/v1/events?since={start_full}", headers=full.headers).get_json()["events"]]
    assert "register.hit_found" in kinds and "application.submitted" in kinds
    kinds = [e["kind"] for e in client.get(f"/api/v1/events?since={start_reader}", headers=reader.headers).get_json()["events"]]
    assert "register.hit_found" not in kinds and "application.submitted" in kinds
