"""The declarative base, the Flask-SQLAlchemy handle and shared column helpers.

Models import ``db`` and ``Base`` from here (not from ``extensions``) so that
``barrier.models`` can be imported without a circular import (STYLE.md G6).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry

# Constraint names become predictable (pk_users, fk_users_gemeente_id_gemeenten), so
# migrations can drop and alter them by name on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    # Both the metadata and the type map go through an explicit registry (STYLE.md G5).
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        # Every Mapped[datetime] is stored timezone-aware: store UTC, show Europe/Amsterdam.
        type_annotation_map={datetime: sa.DateTime(timezone=True)},
    )


db = SQLAlchemy(model_class=Base)


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    """A stored moment as an aware UTC datetime: SQLite hands back naive ones (stored in UTC)."""
    return moment if moment is None or moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def enum_column(enum_cls: type, length: int = 40, **kwargs) -> sa.Enum:
    """A string-valued enum column: stores the value ('bibob_coordinator'), never needs ALTER TYPE."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        **kwargs,
    )
