"""Administration queries: users in scope, the filtered audit log, home-page panels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import url_for
from sqlalchemy import Select, func, or_, select

from barrier.auth.scoping import scope_to_user
from barrier.dashboard.registry import PanelItem
from barrier.db import db, utcnow
from barrier.models import AuditEvent, Gemeente, User

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
REFUSAL_ACTIONS = ("access.denied", "access.other_gemeente_refused", "auth.login_refused_locked")


def users_query(user) -> Select:
    return scope_to_user(select(User).order_by(User.full_name), User.gemeente_id, user)


def gemeenten() -> list[Gemeente]:
    return list(db.session.scalars(select(Gemeente).order_by(Gemeente.name)))


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _local_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=AMSTERDAM)


def audit_query(user, flt: AuditFilter) -> Select:
    """The audit log, newest first, filtered; a beheerder of a gemeente sees that gemeente's events."""
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if not user.is_regional:
        stmt = stmt.where(or_(AuditEvent.gemeente_id == user.gemeente_id,
                              AuditEvent.actor_id.in_(select(User.id).where(User.gemeente_id == user.gemeente_id))))
    if flt.action:
        stmt = stmt.where(AuditEvent.action.startswith(flt.action, autoescape=True))
    if flt.actor:
        stmt = stmt.where(AuditEvent.actor_label.icontains(flt.actor, autoescape=True))
    if flt.object_type:
        stmt = stmt.where(AuditEvent.object_type == flt.object_type)
    if flt.object_id:
        stmt = stmt.where(AuditEvent.object_id == flt.object_id)
    if flt.date_from:
        stmt = stmt.where(AuditEvent.at >= _local_midnight_utc(flt.date_from))
    if flt.date_to:
        stmt = stmt.where(AuditEvent.at < _local_midnight_utc(flt.date_to + timedelta(days=1)))
    return stmt


def audit_actions(user) -> list[str]:
    """The actions that occur in the user's part of the log (suggestions for the filter)."""
    scoped = audit_query(user, AuditFilter()).order_by(None).subquery()
    return list(db.session.scalars(select(scoped.c.action).distinct().order_by(scoped.c.action)))


def locked_user_items(user) -> list[PanelItem]:
    stmt = users_query(user).where(User.locked_until > utcnow()).limit(10)
    return [
        PanelItem(u.full_name, url_for("admin.edit_user", user_id=u.id), u.email, "geblokkeerd", "warning")
        for u in db.session.scalars(stmt)
    ]


def recent_refusal_items(user) -> list[PanelItem]:
    since = utcnow() - timedelta(days=7)
    stmt = (audit_query(user, AuditFilter()).where(AuditEvent.action.in_(REFUSAL_ACTIONS), AuditEvent.at >= since)
            .limit(10))
    return [
        PanelItem(e.actor_label or "onbekend", url_for("admin.audit_log", action=e.action),
                  f"{e.action} {e.object_type} {e.object_id}".strip(), "geweigerd", "danger")
        for e in db.session.scalars(stmt)
    ]


def count(stmt: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
