"""The one audit service every area calls.

``record()`` adds an event to the current transaction, so it commits (or rolls back) with
the change it describes. For events that must survive a failed request (refused access,
failed logins) use ``record_now()``, which discards the request's pending work first.

Context values must be primitives (str, int, float, bool, None, or lists/dicts of them):
never ORM objects, never BSNs or passwords.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import event

from barrier.db import db
from barrier.models.audit import AuditEvent
from barrier.models.users import User

Primitive = str | int | float | bool | None


def _actor(actor: User | None) -> User | None:
    if actor is not None:
        return actor
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user._get_current_object()  # type: ignore[attr-defined]
    return None


def _check_primitive(value: Any, path: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _check_primitive(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_primitive(item, f"{path}[{index}]")
    elif not isinstance(value, str | int | float | bool | type(None)):
        raise TypeError(f"audit detail {path} must be a primitive, not {type(value).__name__}")


def build_event(
    action: str,
    *,
    object_type: str = "",
    object_id: int | str | None = None,
    gemeente_id: int | None = None,
    actor: User | None = None,
    **details: Any,
) -> AuditEvent:
    _check_primitive(details, "details")
    who = _actor(actor)
    event_row = AuditEvent(
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        gemeente_id=gemeente_id,
        actor_id=who.id if who else None,
        actor_label=f"{who.full_name} <{who.email}>" if who else ("" if has_request_context() else "systeem"),
        actor_role=who.role.value if who else "",
        details=details,
    )
    if has_request_context():
        event_row.remote_addr = (request.remote_addr or "")[:64]
        event_row.user_agent = (request.user_agent.string or "")[:300]
    return event_row


def record(action: str, **kwargs: Any) -> AuditEvent:
    """Add an audit event to the current transaction (flushes nothing, commits nothing)."""
    event_row = build_event(action, **kwargs)
    db.session.add(event_row)
    return event_row


def record_now(action: str, **kwargs: Any) -> None:
    """Roll back whatever the request had pending, then write and commit just this event.

    For error handlers and refused logins: the request failed, but the attempt must be logged.
    """
    db.session.rollback()
    db.session.add(build_event(action, **kwargs))
    db.session.commit()


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(mapper, connection, target):  # noqa: ARG001
    raise PermissionError("Het auditlog is alleen-toevoegen: gebeurtenissen wijzigen of wissen kan niet.")


def commit_read() -> None:
    """Commit the audit record of a read, keeping what the request loaded.

    A page that shows audited details commits the record before it renders. A plain commit would
    expire every loaded object, and rendering would then reload each one with its own query (25
    hits listed: 100 queries). Only the audit row is new in this transaction, so the loaded objects
    are still what the database holds.
    """
    session = db.session()
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire
