"""Signals of possible human trafficking and where they went on the Drenthe meldroute (domain.md §4-5).

A signal belongs to one gemeente: it goes to that gemeente's aandachtfunctionaris, then to the
ketenregisseur/zorgcoördinatoren of the ZVHD (Beleidsplan 'Drenthe tegen mensenhandel', bijlage 4).
Every forward is recorded with its recipient, time, sender and legal basis. Care data from
zorgpartners lives in its own table (a separate compartment) and marks the signal for good, so
``screening.signals.check_forward`` keeps it away from the RIEC route (Beleidsplan §4.5, MR-04).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from barrier.db import TimestampMixin, db, enum_column, utcnow
from barrier.models.inspections import Inspection, InspectionLocation
from barrier.models.region import Gemeente
from barrier.models.users import User


class SignalSource(StrEnum):
    INSPECTIE = "inspectie"
    COLLEGA = "collega"
    BALIE = "balie"
    EXTERN = "extern"

    @property
    def label(self) -> str:
        return {"inspectie": "Bij een controle (eigen waarneming)", "collega": "Van een collega",
                "balie": "Aan de balie (BRP, vergunningen)", "extern": "Van buiten de gemeente"}[self.value]


class ExploitationForm(StrEnum):
    """Form of exploitation as stated by the reporter (art 273f Sr; domain.md §4.1)."""

    SEKS = "seks"
    ARBEID = "arbeid"
    CRIMINEEL = "crimineel"
    ONBEKEND = "onbekend"

    @property
    def label(self) -> str:
        return {"seks": "Seksuele uitbuiting", "arbeid": "Arbeidsuitbuiting", "crimineel": "Criminele uitbuiting",
                "onbekend": "Nog onbekend"}[self.value]


class SignalUrgency(StrEnum):
    NORMAAL = "normaal"
    HOOG = "hoog"
    ACUUT = "acuut"  # acute danger: 112 first (MR-00)

    @property
    def label(self) -> str:
        return {"normaal": "Normaal", "hoog": "Met voorrang", "acuut": "Acuut gevaar (eerst 112)"}[self.value]

    @property
    def tone(self) -> str:
        return {"normaal": "info", "hoog": "warning", "acuut": "danger"}[self.value]


class SignalStatus(StrEnum):
    OPEN = "open"
    AFGESLOTEN = "afgesloten"

    @property
    def label(self) -> str:
        return {"open": "Open", "afgesloten": "Afgesloten"}[self.value]


class Signal(TimestampMixin, db.Model):
    """A signal (melding in the making, domain.md §5 'Recommended Melding record')."""

    __tablename__ = "signals"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    # Required: without a gemeente nobody is responsible for the signal (bijlage 4).
    gemeente_id: Mapped[int] = mapped_column(sa.ForeignKey("gemeenten.id"), index=True)
    location_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inspection_locations.id"), index=True)
    inspection_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inspections.id"), index=True)
    address_text: Mapped[str] = mapped_column(sa.String(300), default="")
    source: Mapped[SignalSource] = mapped_column(enum_column(SignalSource), default=SignalSource.COLLEGA)
    # Catalogue ids (SIG-...), their total weight from evaluate_signals() at the last save.
    signal_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    total_weight: Mapped[int] = mapped_column(default=0)
    vorm: Mapped[ExploitationForm] = mapped_column(enum_column(ExploitationForm), default=ExploitationForm.ONBEKEND,
                                                   index=True)
    urgency: Mapped[SignalUrgency] = mapped_column(enum_column(SignalUrgency), default=SignalUrgency.NORMAAL)
    observation: Mapped[str] = mapped_column(sa.Text, default="")
    # Persons are described pseudonymised by default (domain.md §5): "vrouw, ca. 20 jaar".
    persons: Mapped[str] = mapped_column(sa.Text, default="")
    has_undermining_component: Mapped[bool] = mapped_column(default=False)
    needs_care: Mapped[bool] = mapped_column(default=False)
    is_bibob_relevant: Mapped[bool] = mapped_column(default=False)
    # Sticky marks: once set they are never cleared (a care note added later stays care data).
    contains_care_data: Mapped[bool] = mapped_column(default=False)
    contains_bibob_data: Mapped[bool] = mapped_column(default=False)
    # Where the signal is on the meldroute: screening.signals.Stage values.
    stage: Mapped[str] = mapped_column(sa.String(30), default="MEDEWERKER", index=True)
    status: Mapped[SignalStatus] = mapped_column(enum_column(SignalStatus), default=SignalStatus.OPEN, index=True)
    reported_on: Mapped[date] = mapped_column(index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    closed_at: Mapped[datetime | None]
    closing_note: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    gemeente: Mapped[Gemeente] = relationship()
    created_by: Mapped[User | None] = relationship()
    location: Mapped[InspectionLocation | None] = relationship()
    inspection: Mapped[Inspection | None] = relationship()
    forwards: Mapped[list[SignalForward]] = relationship(back_populates="signal", cascade="all, delete-orphan",
                                                         order_by="SignalForward.forwarded_at")
    care_notes: Mapped[list[SignalCareNote]] = relationship(back_populates="signal", cascade="all, delete-orphan",
                                                            order_by="SignalCareNote.added_at")

    __table_args__ = (
        sa.Index("ix_signals_gemeente_reported", "gemeente_id", "reported_on"),
        sa.CheckConstraint("total_weight >= 0", name="weight_positive"),
    )

    @property
    def display_reference(self) -> str:
        return self.reference or f"signaal #{self.id}"

    def __repr__(self) -> str:
        return f"<Signal {self.id} {self.reference} {self.stage}>"


class SignalForward(db.Model):
    """One step on the meldroute: to whom, when, by whom, on which legal basis (check_forward allowed it)."""

    __tablename__ = "signal_forwards"

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(sa.ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    # screening.signals.Target value and the MR rule it follows (MR-01 ... MR-08), if any.
    target: Mapped[str] = mapped_column(sa.String(30), index=True)
    rule_id: Mapped[str] = mapped_column(sa.String(10), default="")
    legal_bases: Mapped[list] = mapped_column(sa.JSON, default=list)
    motivation: Mapped[str] = mapped_column(sa.Text, default="")
    stage_before: Mapped[str] = mapped_column(sa.String(30))
    stage_after: Mapped[str] = mapped_column(sa.String(30))
    forwarded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    forwarded_at: Mapped[datetime] = mapped_column(default=utcnow)

    signal: Mapped[Signal] = relationship(back_populates="forwards")
    forwarded_by: Mapped[User | None] = relationship()


class SignalCareNote(db.Model):
    """Care data from ZVHD zorgpartners, kept apart from the signal (its own compartment, MR-04)."""

    __tablename__ = "signal_care_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(sa.ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    signal: Mapped[Signal] = relationship(back_populates="care_notes")
    added_by: Mapped[User | None] = relationship()
