"""Models of the integration API: machine clients, idempotency records and the events feed."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from barrier.db import TimestampMixin, db, utcnow
from barrier.models.region import Gemeente


class ApiScope(StrEnum):
    """What a client may do (issue 8 §3); one client may hold several."""

    APPLICATIONS_WRITE = "applications:write"
    APPLICATIONS_READ = "applications:read"
    REGISTER_WRITE = "register:write"
    SCREENING_MATCH = "screening:match"

    @property
    def label(self) -> str:
        return {
            "applications:write": "Aanvragen indienen (e-formulier)",
            "applications:read": "Status van aanvragen en gebeurtenissen lezen (zaaksysteem, portaal)",
            "register:write": "Risicoregister bijwerken (synchronisatie)",
            "screening:match": "Personen, organisaties en adressen screenen tegen het risicoregister",
        }[self.value]


class ApiClient(TimestampMixin, db.Model):
    """A machine account of another system (e-form, zaaksysteem, RIEC partner).

    The key is ``brr_<prefix>_<secret>``: the prefix finds the row, the secret is only kept as its
    SHA-256. The secret is 32 random bytes, so a slow password hash would add nothing but latency
    on every call (see ``barrier.api.keys``).
    """

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Null: a regional client (all gemeenten of the region).
    gemeente_id: Mapped[int | None] = mapped_column(sa.ForeignKey("gemeenten.id"), index=True)
    scopes: Mapped[list] = mapped_column(sa.JSON, default=list)
    key_prefix: Mapped[str] = mapped_column(sa.String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(sa.String(64))
    # A Flask-Limiter rate limit string, e.g. "120 per minute".
    rate_limit: Mapped[str] = mapped_column(sa.String(60), default="120 per minute")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    last_used_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    gemeente: Mapped[Gemeente | None] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_regional(self) -> bool:
        return self.gemeente_id is None

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    def __repr__(self) -> str:
        return f"<ApiClient {self.id} {self.name}>"


class ApiIdempotencyRecord(db.Model):
    """The first answer to a request with a client's ``Idempotency-Key``; a repeat gets it again.

    Only the SHA-256 of the canonical request body is kept, never the body (it holds BSNs).
    """

    __tablename__ = "api_idempotency_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("api_clients.id"), index=True)
    key: Mapped[str] = mapped_column(sa.String(200))
    endpoint: Mapped[str] = mapped_column(sa.String(80))
    request_hash: Mapped[str] = mapped_column(sa.String(64))
    response_status: Mapped[int] = mapped_column(default=0)
    response_body: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("client_id", "key", name="one_per_client"),)


class ApiEvent(db.Model):
    """One entry of the events feed (``GET /api/v1/events``); append-only.

    ``tx_order`` is the writing transaction's id on PostgreSQL (0 on SQLite, where writers are
    serialised): the feed orders by (tx_order, id) and hands out only events of finished
    transactions, so a poller never skips an event that commits late.
    """

    __tablename__ = "api_events"

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)
    tx_order: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(sa.String(60))
    gemeente_id: Mapped[int | None] = mapped_column(sa.ForeignKey("gemeenten.id"), index=True)
    # The scope a client needs to see this event.
    scope: Mapped[str] = mapped_column(sa.String(40))
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("applications.id", ondelete="SET NULL"))
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    __table_args__ = (sa.Index("ix_api_events_order", "tx_order", "id"),)

    def __repr__(self) -> str:
        return f"<ApiEvent {self.id} {self.kind}>"
