"""The audit log: append-only, written by ``barrier.audit.record`` and nowhere else."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from barrier.db import db, utcnow


class AuditEvent(db.Model):
    """Who did what to which object, when and from where.

    Rows are never updated or deleted by the application (an ORM guard raises) and, on
    both SQLite and PostgreSQL, a trigger made by the migration refuses UPDATE and DELETE.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Kept as plain values as well as ids, so the log stays readable after a user is renamed.
    actor_id: Mapped[int | None] = mapped_column(index=True)
    actor_label: Mapped[str] = mapped_column(sa.String(200), default="")
    actor_role: Mapped[str] = mapped_column(sa.String(40), default="")
    gemeente_id: Mapped[int | None] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(sa.String(80), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(60), default="", index=True)
    object_id: Mapped[str] = mapped_column(sa.String(60), default="")
    remote_addr: Mapped[str] = mapped_column(sa.String(64), default="")
    user_agent: Mapped[str] = mapped_column(sa.String(300), default="")
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    __table_args__ = (sa.Index("ix_audit_events_object", "object_type", "object_id"),)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action} {self.object_type}:{self.object_id}>"
