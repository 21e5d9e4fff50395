"""Use cases of the api area: clients and keys, idempotency, application status, the events feed.

Services flush, never commit: the API's request boundary (``require_scope``) or the management
view commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app, url_for
from sqlalchemy import delete, func, or_, select, text
from sqlalchemy.exc import IntegrityError

from barrier import audit
from barrier.api import keys
from barrier.api.auth import visible_gemeente_ids
from barrier.api.problems import ApiProblem
from barrier.applications import deadlines
from barrier.applications import services as app_services
from barrier.db import as_utc, db, utcnow
from barrier.models import Application, ApplicationStatus, Gemeente, User
from barrier.models.api import ApiClient, ApiEvent, ApiIdempotencyRecord, ApiScope

RATE_LIMIT_CHOICES = ("60 per minute", "120 per minute", "600 per minute", "6000 per minute", "60000 per minute")


class ApiClientError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


# --- clients and keys ---------------------------------------------------------------------------------

def clients_query(user: User):
    stmt = select(ApiClient).order_by(ApiClient.revoked_at.is_not(None), ApiClient.name)
    if not user.is_regional:
        stmt = stmt.where(ApiClient.gemeente_id == user.gemeente_id)
    return stmt


def create_client(*, name: str, description: str, gemeente_id: int | None, scopes: list[str], rate_limit: str,
                  actor: User) -> tuple[ApiClient, str]:
    """A new client and its key; the plaintext key is returned once and never stored."""
    if db.session.scalar(select(ApiClient.id).where(func.lower(ApiClient.name) == name.strip().lower())):
        raise ApiClientError("Er is al een API-client met deze naam.", "name")
    unknown = set(scopes) - {s.value for s in ApiScope}
    if not scopes or unknown:
        raise ApiClientError("Kies een of meer bestaande scopes.", "scopes")
    key = keys.new_key()
    client = ApiClient(name=name.strip(), description=description, gemeente_id=gemeente_id,
                       scopes=sorted(scopes), rate_limit=rate_limit, key_prefix=key.prefix, key_hash=key.digest,
                       created_by_id=actor.id)
    db.session.add(client)
    db.session.flush()
    audit.record("api_client.created", object_type="api_clients", object_id=client.id, gemeente_id=gemeente_id,
                 actor=actor, client_name=client.name, scopes=client.scopes, rate_limit=rate_limit,
                 key_prefix=key.prefix)
    return client, key.plaintext


def rotate_key(client: ApiClient, *, actor: User) -> str:
    """A new key for the client; the old one stops working at once."""
    if client.is_revoked:
        raise ApiClientError("Een ingetrokken API-client krijgt geen nieuwe sleutel.")
    key = keys.new_key()
    old_prefix = client.key_prefix
    client.key_prefix, client.key_hash = key.prefix, key.digest
    client.version += 1
    audit.record("api_client.key_rotated", object_type="api_clients", object_id=client.id,
                 gemeente_id=client.gemeente_id, actor=actor, client_name=client.name, old_key_prefix=old_prefix,
                 key_prefix=key.prefix)
    return key.plaintext


def revoke(client: ApiClient, *, actor: User) -> None:
    if client.is_revoked:
        return
    client.revoked_at, client.revoked_by_id = utcnow(), actor.id
    client.version += 1
    audit.record("api_client.revoked", object_type="api_clients", object_id=client.id,
                 gemeente_id=client.gemeente_id, actor=actor, client_name=client.name)


# --- idempotency ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Replay:
    status: int
    body: dict[str, Any]


def idempotency_cutoff(now: datetime | None = None) -> datetime:
    """Records created before this are expired: their key counts as new (API_IDEMPOTENCY_DAYS)."""
    return (now or utcnow()) - timedelta(days=current_app.config["API_IDEMPOTENCY_DAYS"])


def _find_record(client_id: int, key: str) -> ApiIdempotencyRecord | None:
    record = db.session.scalar(select(ApiIdempotencyRecord).where(
        ApiIdempotencyRecord.client_id == client_id, ApiIdempotencyRecord.key == key))
    # Expired, or a request that never finished (its worker died) long ago: the key starts afresh.
    if record is not None and as_utc(record.created_at) < idempotency_cutoff():
        with db.session.begin_nested():
            db.session.delete(record)
        return None
    return record


def prune_idempotency_records(now: datetime | None = None) -> int:
    """Delete the expired idempotency records; returns how many. Run daily (``api-prune``)."""
    cutoff = idempotency_cutoff(now)
    result = db.session.execute(delete(ApiIdempotencyRecord).where(ApiIdempotencyRecord.created_at < cutoff))
    if result.rowcount:
        audit.record("api.idempotency_pruned", object_type="api_clients", count=result.rowcount,
                     before=cutoff.isoformat())
    return result.rowcount


def _replay_or_refuse(record: ApiIdempotencyRecord, endpoint: str, request_hash: str) -> Replay:
    if record.endpoint != endpoint or record.request_hash != request_hash:
        raise ApiProblem("idempotentiesleutel-hergebruikt", detail=(
            "Deze Idempotency-Key is eerder gebruikt met een ander bericht. Er is niets opgeslagen; "
            "gebruik voor een nieuwe aanvraag een nieuwe sleutel."))
    return Replay(record.response_status, record.response_body)


def claim(client_id: int, key: str, endpoint: str, request_hash: str) -> Replay | ApiIdempotencyRecord:
    """The stored answer to an earlier request with this key, or a fresh record to complete.

    The record is inserted first: a concurrent request with the same key waits on the unique index
    and, once the first commits, gets its answer instead of doing the work twice.
    """
    existing = _find_record(client_id, key)
    if existing is not None:
        return _replay_or_refuse(existing, endpoint, request_hash)
    record = ApiIdempotencyRecord(client_id=client_id, key=key, endpoint=endpoint, request_hash=request_hash)
    try:
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError:
        existing = _find_record(client_id, key)
        if existing is None or not existing.response_status:
            raise ApiProblem("idempotentie-in-behandeling", detail=(
                "Een verzoek met deze Idempotency-Key wordt nog verwerkt; probeer het zo opnieuw.")) from None
        return _replay_or_refuse(existing, endpoint, request_hash)
    return record


def complete(record: ApiIdempotencyRecord, status: int, body: dict[str, Any]) -> None:
    record.response_status, record.response_body = status, body


# --- application status ---------------------------------------------------------------------------------

def application_for(client: ApiClient, reference: str) -> Application:
    """A submitted application of the client's gemeente; 404 otherwise (existence does not leak)."""
    app = db.session.scalar(select(Application).where(Application.reference == reference))
    ids = visible_gemeente_ids(client)
    if app is None or app.status is ApplicationStatus.CONCEPT or (ids is not None and app.gemeente_id not in ids):
        raise ApiProblem("niet-gevonden", detail="Er is geen aanvraag met dit kenmerk voor deze API-client.")
    return app


def application_status(app: Application, *, today: date) -> dict[str, Any]:
    """Status, deadline and what is missing; Bibob contents never (Wet Bibob art. 28)."""
    result = deadlines.compute(app, today=today) if not app.status.is_decided else None
    missing = [] if app.status.is_decided else app_services.completeness(app)
    return {
        "reference": app.reference,
        "gemeente": {"code": app.gemeente.cbs_code, "name": app.gemeente.name},
        "permit_type": app.permit_type.value,
        "permit_type_label": app.permit_type.label,
        "status": app.status.value,
        "status_label": app.status.label,
        "received_on": app.received_on.isoformat() if app.received_on else None,
        "decided_on": app.decided_on.isoformat() if app.decided_on else None,
        "deadline": {
            "end_on": result.end_on.isoformat(), "days_left": result.days_left, "status": result.status.value,
            "status_label": result.status.label, "is_suspended": result.is_provisional,
        } if result else None,
        "missing": [{"what": m.what, "source": m.source} for m in missing],
        "links": {"self": url_for("api.v1.get_application", reference=app.reference, _external=True)},
    }


def applications_query(client: ApiClient, status: str | None):
    stmt = select(Application).where(Application.status != ApplicationStatus.CONCEPT)
    ids = visible_gemeente_ids(client)
    if ids is not None:
        stmt = stmt.where(Application.gemeente_id.in_(ids))
    if status:
        stmt = stmt.where(Application.status == ApplicationStatus(status))
    return stmt.order_by(Application.received_on.desc(), Application.id.desc())


# --- the events feed -------------------------------------------------------------------------------------

def _transaction_order() -> int:
    """The writing transaction's id on PostgreSQL (see ApiEvent); 0 where writers are serialised."""
    if db.session.get_bind().dialect.name == "postgresql":
        return int(db.session.execute(text("SELECT pg_current_xact_id()::text::bigint")).scalar_one())
    return 0


def add_event(kind: str, *, scope: ApiScope, gemeente_id: int | None, application: Application | None = None,
              **data: Any) -> ApiEvent:
    event = ApiEvent(kind=kind, scope=scope.value, gemeente_id=gemeente_id, tx_order=_transaction_order(),
                     application_id=application.id if application is not None else None,
                     payload={"reference": application.reference if application is not None else None, **data})
    db.session.add(event)
    return event


def encode_cursor(tx_order: int, event_id: int) -> str:
    return f"v1.{tx_order}.{event_id}"


def decode_cursor(cursor: str | None) -> tuple[int, int]:
    """The position of a cursor (its shape is checked by the query model: v1.<digits>.<digits>)."""
    if not cursor:
        return (0, 0)
    _version, tx_order, event_id = cursor.split(".")
    return int(tx_order), int(event_id)


def events_after(client: ApiClient, cursor: str | None, limit: int) -> tuple[list[ApiEvent], str]:
    """Events the client may see after *cursor*, oldest first, and the cursor to continue from.

    On PostgreSQL only events of transactions older than every running one are handed out
    (plus those of this very transaction), so an event that commits late is never skipped.
    """
    tx_order, event_id = decode_cursor(cursor)
    scopes = list(client.scopes or [])
    stmt = select(ApiEvent).where(ApiEvent.scope.in_(scopes), or_(
        ApiEvent.tx_order > tx_order, (ApiEvent.tx_order == tx_order) & (ApiEvent.id > event_id)))
    ids = visible_gemeente_ids(client)
    if ids is not None:
        stmt = stmt.where(ApiEvent.gemeente_id.in_(ids))
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.where(or_(
            ApiEvent.tx_order < text("pg_snapshot_xmin(pg_current_snapshot())::text::bigint"),
            ApiEvent.tx_order == text("COALESCE(pg_current_xact_id_if_assigned()::text::bigint, -1)")))
    rows = list(db.session.scalars(stmt.order_by(ApiEvent.tx_order, ApiEvent.id).limit(limit)))
    if rows:
        last = rows[-1]
        return rows, encode_cursor(last.tx_order, last.id)
    return rows, cursor or encode_cursor(0, 0)


def event_out(event: ApiEvent, gemeenten: dict[int, str]) -> dict[str, Any]:
    payload = dict(event.payload or {})
    reference = payload.pop("reference", None)
    return {
        "cursor": encode_cursor(event.tx_order, event.id),
        "kind": event.kind,
        "at": as_utc(event.at).isoformat(),
        "gemeente": gemeenten.get(event.gemeente_id) if event.gemeente_id else None,
        "application": reference,
        "data": payload,
    }


def gemeente_codes() -> dict[int, str]:
    return dict(db.session.execute(select(Gemeente.id, Gemeente.cbs_code)).all())
