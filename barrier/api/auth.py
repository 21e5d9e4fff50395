"""Authentication of API calls: a bearer key per client, its scopes, gemeente, rate limit and audit.

``require_scope(scope)`` is the request boundary of every API endpoint, as ``require`` is for the
web pages: it authenticates the key (never a session cookie), checks revocation and scope, applies
the client's rate limit, checks the body's media type and JSON, runs the view, audits the call
with the client, and commits once. Refusals raise ``ApiProblem``; the blueprint's error handler
answers problem+json and audits them with ``record_now`` (they must survive the rollback).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, request
from sqlalchemy import select

from barrier import audit
from barrier.api import keys
from barrier.api.problems import ApiProblem
from barrier.db import as_utc, db, utcnow
from barrier.extensions import limiter
from barrier.models.api import ApiClient, ApiScope

F = TypeVar("F", bound=Callable[..., Any])

JSON_LINES_TYPES = frozenset({"application/jsonl", "application/x-ndjson", "application/jsonlines"})
# last_used_at is a hint for the beheerder, not a log (the audit log is): write it at most this often,
# so a busy client does not update its own row on every call.
LAST_USED_RESOLUTION = timedelta(minutes=5)


class ApiRole(StrEnum):
    API_CLIENT = "api_client"

    @property
    def label(self) -> str:
        return "API-client"


@dataclass(frozen=True)
class ApiActor:
    """The actor of an API call, for services that take ``actor=``: a machine client, not a user.

    It has no ``users`` row (``id`` is None, so created_by / actor columns stay empty); the audit
    log records it as ``API-client <name> <api-client-<id>>`` with role ``api_client``.
    """

    client_id: int
    name: str
    gemeente_id: int | None
    id: None = None
    role: ApiRole = ApiRole.API_CLIENT
    is_authenticated: bool = False

    @property
    def full_name(self) -> str:
        return f"API-client {self.name}"

    @property
    def email(self) -> str:
        return f"api-client-{self.client_id}"

    @property
    def is_regional(self) -> bool:
        return self.gemeente_id is None


def actor_for(client: ApiClient) -> ApiActor:
    return ApiActor(client_id=client.id, name=client.name, gemeente_id=client.gemeente_id)


def current_client() -> ApiClient:
    return g.api_client


def visible_gemeente_ids(client: ApiClient) -> set[int] | None:
    """The gemeenten a client may read and write; None for a regional client."""
    return None if client.gemeente_id is None else {client.gemeente_id}


def _unauthenticated(detail: str) -> ApiProblem:
    return ApiProblem("niet-geauthenticeerd", detail=detail,
                      headers={"WWW-Authenticate": 'Bearer realm="barrier-api"'})


def authenticate(scope: str) -> ApiClient:
    """The client of the request's bearer key, or an ApiProblem (401 no/unknown/revoked key, 403 scope)."""
    header = request.headers.get("Authorization", "")
    if not header:
        raise _unauthenticated("Stuur de API-sleutel mee in de header Authorization: Bearer <sleutel>.")
    scheme, _, token = header.partition(" ")
    parsed = keys.parse(token.strip()) if scheme.lower() == "bearer" else None
    if parsed is None:
        raise _unauthenticated("De header Authorization bevat geen geldige API-sleutel (Bearer brr_...).")
    prefix, secret = parsed
    g.api_key_prefix = prefix
    client = db.session.scalar(select(ApiClient).where(ApiClient.key_prefix == prefix))
    if client is None or not keys.matches(secret, client.key_hash):
        raise _unauthenticated("Deze API-sleutel is onbekend.")
    g.api_client = client
    if client.is_revoked:
        raise _unauthenticated("Deze API-sleutel is ingetrokken.")
    if not client.has_scope(scope):
        raise ApiProblem("onvoldoende-rechten", detail=f"Deze API-client heeft de scope '{scope}' niet.")
    return client


def _client_key() -> str:
    return f"api-client:{g.api_client.id}"


def _client_limit() -> str:
    return g.api_client.rate_limit or current_app.config["API_DEFAULT_RATE_LIMIT"]


def parse_json_body() -> Any:
    """The request body as JSON, strictly: the right media type, valid UTF-8 JSON, no NaN."""
    if request.mimetype != "application/json" and not request.mimetype.endswith("+json"):
        raise ApiProblem("mediatype-niet-ondersteund",
                         detail=f"Stuur het bericht als application/json, niet als '{request.mimetype or 'geen type'}'.")
    return _loads(request.get_data(cache=True), what="Het bericht")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is geen geldige JSON-waarde")


def _loads(data: bytes, *, what: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError as error:
        raise ApiProblem("ongeldige-json", detail=f"{what} is geen geldige UTF-8-tekst.") from error
    except json.JSONDecodeError as error:
        raise ApiProblem("ongeldige-json", detail=f"{what} is geen geldige JSON: {error.msg} "
                                                  f"(regel {error.lineno}, kolom {error.colno}).") from error
    except ValueError as error:
        raise ApiProblem("ongeldige-json", detail=f"{what} is geen geldige JSON: {error}.") from error


def parse_json_lines_body() -> list[tuple[int, Any]]:
    """(line number, value) of each non-empty line of a JSON Lines body."""
    if request.mimetype not in JSON_LINES_TYPES:
        raise ApiProblem("mediatype-niet-ondersteund",
                         detail=f"Stuur het bericht als application/jsonl (JSON Lines), niet als "
                                f"'{request.mimetype or 'geen type'}'.")
    lines = []
    for number, raw in enumerate(request.get_data(cache=True).split(b"\n"), start=1):
        if raw.strip():
            lines.append((number, _loads(raw, what=f"Regel {number}")))
    return lines


def _check_size() -> None:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and request.content_length and request.content_length > limit:
        raise ApiProblem("te-groot", detail=f"Het bericht is groter dan {limit // (1024 * 1024)} MB.")


def require_scope(scope: ApiScope | str, *, body: str | None = None) -> Callable[[F], F]:
    """Declare and enforce the scope of an API endpoint (see the module docstring).

    ``body`` is "json" or "jsonl" for endpoints that take one: the media type and the syntax are
    checked here, before the schema validation, so each gets its own problem (415, 400, 422).
    """
    scope = str(scope)

    def decorator(view: F) -> F:
        limited = limiter.limit(_client_limit, key_func=_client_key)(view)

        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            client = authenticate(scope)
            _check_size()
            if body == "json":
                parse_json_body()
            elif body == "jsonl":
                g.api_json_lines = parse_json_lines_body()
            response = current_app.make_response(limited(*args, **kwargs))
            now = utcnow()
            last = client.last_used_at
            if last is None or now - as_utc(last) > LAST_USED_RESOLUTION:
                client.last_used_at = now
            # One audit row per call; a view may name it and add details (``g.api_audit``).
            extra = dict(g.get("api_audit") or {})
            action = extra.pop("action", "api.called")
            audit.record(action, object_type="api_clients", object_id=client.id,
                         gemeente_id=client.gemeente_id, actor=actor_for(client), client_id=client.id,
                         client_name=client.name, method=request.method, endpoint=request.endpoint or "",
                         path=request.path[:200], status=response.status_code, **extra)
            db.session.commit()
            return response

        wrapped.barrier_api_scope = scope  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator
