"""Parties and addresses: stored once, shared by every application, permit and register check.

A person or company comes back across gemeenten and permit types (that is what Bibob screening
is about), so parties belong to the region, not to one gemeente; who may see them follows from
the applications they appear in.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from barrier.db import TimestampMixin, db


class Address(TimestampMixin, db.Model):
    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    street: Mapped[str] = mapped_column(sa.String(200), default="")
    house_number: Mapped[str] = mapped_column(sa.String(10), default="")
    house_number_suffix: Mapped[str] = mapped_column(sa.String(10), default="")
    postcode: Mapped[str] = mapped_column(sa.String(10), default="", index=True)  # "1234 AB" for NL
    city: Mapped[str] = mapped_column(sa.String(120), default="")
    country: Mapped[str] = mapped_column(sa.String(2), default="NL")
    gemeente_id: Mapped[int | None] = mapped_column(sa.ForeignKey("gemeenten.id"), index=True)
    bag_id: Mapped[str | None] = mapped_column(sa.String(16))  # BAG nummeraanduiding-id, 16 digits
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]

    gemeente = relationship("Gemeente")

    __table_args__ = (sa.Index("ix_addresses_postcode_number", "postcode", "house_number", "house_number_suffix"),)

    @property
    def line(self) -> str:
        number = f"{self.house_number}{('-' + self.house_number_suffix) if self.house_number_suffix else ''}"
        return " ".join(part for part in (self.street, number) if part).strip()

    @property
    def label(self) -> str:
        place = " ".join(part for part in (self.postcode, self.city) if part)
        return ", ".join(part for part in (self.line, place) if part) or "—"

    def __repr__(self) -> str:
        return f"<Address {self.id} {self.label}>"


class Person(TimestampMixin, db.Model):
    """A natural person. The BSN is stored encrypted; a keyed digest finds the same person again."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    given_names: Mapped[str] = mapped_column(sa.String(200), default="")
    surname_prefix: Mapped[str] = mapped_column(sa.String(30), default="")  # tussenvoegsel
    surname: Mapped[str] = mapped_column(sa.String(200))
    birth_date: Mapped[date | None]
    birth_place: Mapped[str] = mapped_column(sa.String(120), default="")
    nationality: Mapped[str] = mapped_column(sa.String(80), default="")
    # domain.md §7: BSN encrypted at field level, shown masked, never in URLs or logs.
    bsn_encrypted: Mapped[str | None] = mapped_column(sa.Text)
    bsn_digest: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    bsn_last4: Mapped[str | None] = mapped_column(sa.String(4))
    address_id: Mapped[int | None] = mapped_column(sa.ForeignKey("addresses.id"))
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")

    address: Mapped[Address | None] = relationship()

    __table_args__ = (sa.Index("ix_persons_surname_birth_date", "surname", "birth_date"),)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.surname_prefix, self.surname) if p)

    @property
    def sort_name(self) -> str:
        return f"{self.surname}, {self.given_names} {self.surname_prefix}".strip().rstrip(",")

    @property
    def bsn_masked(self) -> str:
        return f"*****{self.bsn_last4}" if self.bsn_last4 else "—"

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.full_name}>"


class Organisation(TimestampMixin, db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    legal_form: Mapped[str] = mapped_column(sa.String(60), default="")
    trade_names: Mapped[str] = mapped_column(sa.String(400), default="")
    kvk_number: Mapped[str | None] = mapped_column(sa.String(8), unique=True)
    vestigingsnummer: Mapped[str | None] = mapped_column(sa.String(12))
    rsin: Mapped[str | None] = mapped_column(sa.String(9))
    address_id: Mapped[int | None] = mapped_column(sa.ForeignKey("addresses.id"))

    address: Mapped[Address | None] = relationship()

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name}>"
