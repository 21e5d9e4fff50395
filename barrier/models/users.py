"""Users and their roles."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from barrier.db import TimestampMixin, db, enum_column
from barrier.models.region import Gemeente


class Role(StrEnum):
    """The roles of DESIGN.md; what each may do is in ``barrier.auth.permissions``."""

    VERGUNNINGVERLENER = "vergunningverlener"
    BIBOB_COORDINATOR = "bibob_coordinator"
    TOEZICHTHOUDER = "toezichthouder"
    AANDACHTFUNCTIONARIS = "aandachtfunctionaris"
    KETENREGISSEUR = "ketenregisseur"
    BEHEERDER = "beheerder"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def is_regional(self) -> bool:
        """Regional roles work for the whole region and belong to no gemeente (DESIGN.md)."""
        return self is Role.KETENREGISSEUR


ROLE_LABELS = {
    Role.VERGUNNINGVERLENER: "Vergunningverlener",
    Role.BIBOB_COORDINATOR: "Bibob-coördinator",
    Role.TOEZICHTHOUDER: "Toezichthouder",
    Role.AANDACHTFUNCTIONARIS: "Aandachtfunctionaris mensenhandel",
    Role.KETENREGISSEUR: "Ketenregisseur / zorgcoördinator (regio)",
    Role.BEHEERDER: "Beheerder",
}


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, TimestampMixin, db.Model):
    """A person who works in Barrier. No self-registration: a beheerder creates accounts."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role), index=True)
    # Null for regional roles and for a regional beheerder.
    gemeente_id: Mapped[int | None] = mapped_column(sa.ForeignKey("gemeenten.id"), index=True)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    failed_login_count: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    # Part of the login cookie's id: rotating it logs the user out everywhere
    # (password change, deactivation, "log overal uit").
    session_token: Mapped[str] = mapped_column(sa.String(32), default=new_session_token)
    # Bumped by edits of the account's data (not by logins), to detect concurrent edits.
    version: Mapped[int] = mapped_column(default=1)

    gemeente: Mapped[Gemeente | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.is_active_account

    @property
    def is_regional(self) -> bool:
        return self.role.is_regional or self.gemeente_id is None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role.value}>"
