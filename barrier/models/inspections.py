"""Inspections: locations, risk-based plans and visits, on-site inspections, photos and enforcement.

A location is an inspectable address: every permitted address (seksinrichting, escortbedrijf,
verhuurvergunning arbeidsmigranten) and any address a toezichthouder adds by hand on a suspicion
(illegal prostitution in a holiday park, an overcrowded house). The risk score itself is not
stored: ``screening.planning`` computes it from the facts on the day it is asked (explainable,
never stale); only the manual raise or lower with its reason is kept here (DESIGN.md principles).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from barrier.db import TimestampMixin, db, enum_column, utcnow
from barrier.models.applications import Document, Permit, PermitType
from barrier.models.parties import Address
from barrier.models.region import Gemeente
from barrier.models.users import User


class LocationKind(StrEnum):
    """What kind of place this is; the values are those of ``screening.planning.PermitType``."""

    SEKSBEDRIJF = "seksbedrijf"
    ESCORTBEDRIJF = "escortbedrijf"
    HUISVESTING_AM = "huisvesting_am"
    OVERIG = "overig"

    @property
    def label(self) -> str:
        return {
            "seksbedrijf": "Seksbedrijf", "escortbedrijf": "Escortbedrijf",
            "huisvesting_am": "Huisvesting arbeidsmigranten", "overig": "Overig",
        }[self.value]

    @property
    def checklist_code(self) -> str:
        """The checklist of domain.md §3.8 (sex businesses) or §2.7 (Wgv/SNF housing)."""
        return "INS-SB" if self in (LocationKind.SEKSBEDRIJF, LocationKind.ESCORTBEDRIJF) else "INS-WGV"

    @classmethod
    def for_permit_type(cls, permit_type: PermitType) -> LocationKind:
        return {
            PermitType.SEKSINRICHTING: cls.SEKSBEDRIJF,
            PermitType.ESCORTBEDRIJF: cls.ESCORTBEDRIJF,
            PermitType.VERHUURVERGUNNING: cls.HUISVESTING_AM,
        }[permit_type]


class InspectionLocation(TimestampMixin, db.Model):
    """An inspectable address, with or without a permit."""

    __tablename__ = "inspection_locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(sa.ForeignKey("gemeenten.id"), index=True)
    address_id: Mapped[int] = mapped_column(sa.ForeignKey("addresses.id"), index=True)
    # One location per permit; a hand-added location has none and shows as "zonder vergunning".
    permit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("permits.id"), unique=True)
    kind: Mapped[LocationKind] = mapped_column(enum_column(LocationKind), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # Why a location without permit was added (the suspicion), or notes on a permitted one.
    description: Mapped[str] = mapped_column(sa.Text, default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    # Manual raise (+) or lower (-) of the risk score with its reason (kept and audited).
    override_points: Mapped[int | None]
    override_reason: Mapped[str] = mapped_column(sa.Text, default="")
    override_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    override_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    gemeente: Mapped[Gemeente] = relationship()
    address: Mapped[Address] = relationship()
    permit: Mapped[Permit | None] = relationship()
    override_by: Mapped[User | None] = relationship(foreign_keys=[override_by_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    inspections: Mapped[list[Inspection]] = relationship(back_populates="location",
                                                         order_by="Inspection.inspected_on.desc()")
    measures: Mapped[list[EnforcementMeasure]] = relationship(back_populates="location",
                                                              order_by="EnforcementMeasure.issued_on.desc()")

    __table_args__ = (
        sa.CheckConstraint("override_points IS NULL OR (override_points BETWEEN -50 AND 50)",
                           name="override_bounds"),
    )

    @property
    def has_permit_record(self) -> bool:
        return self.permit_id is not None

    def __repr__(self) -> str:
        return f"<InspectionLocation {self.id} {self.name}>"


class PlanStatus(StrEnum):
    CONCEPT = "concept"
    VASTGESTELD = "vastgesteld"

    @property
    def label(self) -> str:
        return {"concept": "Concept (voorstel)", "vastgesteld": "Vastgesteld"}[self.value]


class InspectionPlan(TimestampMixin, db.Model):
    """An inspection plan for a period: proposed by the planner, adjusted, then fixed (vastgesteld)."""

    __tablename__ = "inspection_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(sa.ForeignKey("gemeenten.id"), index=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    weeks: Mapped[int]
    status: Mapped[PlanStatus] = mapped_column(enum_column(PlanStatus), default=PlanStatus.CONCEPT, index=True)
    # The inspectors and their weekly capacity the proposal was made with:
    # [{"id": user id, "name": "...", "capacity": 4}], and the planner's warnings and unplanned list.
    inspectors: Mapped[list] = mapped_column(sa.JSON, default=list)
    warnings: Mapped[list] = mapped_column(sa.JSON, default=list)
    unplanned: Mapped[list] = mapped_column(sa.JSON, default=list)
    capacity: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    fixed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    fixed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    gemeente: Mapped[Gemeente] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    fixed_by: Mapped[User | None] = relationship(foreign_keys=[fixed_by_id])
    visits: Mapped[list[PlannedVisit]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                      order_by="(PlannedVisit.planned_on, PlannedVisit.sequence)")

    __table_args__ = (sa.CheckConstraint("period_end >= period_start", name="period_order"),)

    def __repr__(self) -> str:
        return f"<InspectionPlan {self.id} {self.period_start}..{self.period_end} {self.status.value}>"


class VisitSource(StrEnum):
    PLANNER = "planner"
    HANDMATIG = "handmatig"
    HERCONTROLE = "hercontrole"

    @property
    def label(self) -> str:
        return {"planner": "Voorstel planner", "handmatig": "Handmatig toegevoegd",
                "hercontrole": "Hercontrole na handhaving"}[self.value]


class VisitStatus(StrEnum):
    GEPLAND = "gepland"
    UITGEVOERD = "uitgevoerd"
    VERVALLEN = "vervallen"

    @property
    def label(self) -> str:
        return {"gepland": "Gepland", "uitgevoerd": "Uitgevoerd", "vervallen": "Vervallen"}[self.value]


class PlannedVisit(db.Model):
    """One planned inspection: in a plan, or a re-inspection planned after an enforcement term."""

    __tablename__ = "planned_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(sa.ForeignKey("gemeenten.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inspection_plans.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection_locations.id"), index=True)
    planned_on: Mapped[date] = mapped_column(index=True)
    inspector_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # Sex businesses are inspected by two people (domain.md §3.8).
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    score: Mapped[int] = mapped_column(default=0)
    urgency: Mapped[str] = mapped_column(sa.String(20), default="")
    due_on: Mapped[date | None]
    sequence: Mapped[int] = mapped_column(default=0)
    source: Mapped[VisitSource] = mapped_column(enum_column(VisitSource), default=VisitSource.PLANNER)
    status: Mapped[VisitStatus] = mapped_column(enum_column(VisitStatus), default=VisitStatus.GEPLAND, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[InspectionPlan | None] = relationship(back_populates="visits")
    location: Mapped[InspectionLocation] = relationship()
    inspector: Mapped[User | None] = relationship(foreign_keys=[inspector_id])
    partner: Mapped[User | None] = relationship(foreign_keys=[partner_id])

    @property
    def inspector_ids(self) -> tuple[int, ...]:
        return tuple(i for i in (self.inspector_id, self.partner_id) if i is not None)

    def __repr__(self) -> str:
        return f"<PlannedVisit {self.id} loc={self.location_id} {self.planned_on}>"


class InspectionStatus(StrEnum):
    CONCEPT = "concept"
    AFGEROND = "afgerond"

    @property
    def label(self) -> str:
        return {"concept": "Concept (wordt ingevuld)", "afgerond": "Afgerond"}[self.value]


class InspectionOutcome(StrEnum):
    """The outcome of an inspection (issue 6 §4)."""

    GEEN_BEVINDINGEN = "geen_bevindingen"
    OVERTREDINGEN = "overtredingen"
    SIGNALEN_MENSENHANDEL = "signalen_mensenhandel"

    @property
    def label(self) -> str:
        return {"geen_bevindingen": "Geen bevindingen", "overtredingen": "Overtredingen",
                "signalen_mensenhandel": "Signalen mensenhandel"}[self.value]

    @property
    def tone(self) -> str:
        return {"geen_bevindingen": "success", "overtredingen": "warning",
                "signalen_mensenhandel": "danger"}[self.value]


class Inspection(TimestampMixin, db.Model):
    """An inspection on site, filled in on a phone and saved as it goes.

    ``submission_token`` is generated when the form is first shown and travels in a hidden field:
    a form sent twice over a bad connection updates the same row instead of adding a second one
    (unique constraint, so even two concurrent requests cannot both insert).
    """

    __tablename__ = "inspections"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_token: Mapped[str] = mapped_column(sa.String(36), unique=True)
    gemeente_id: Mapped[int] = mapped_column(sa.ForeignKey("gemeenten.id"), index=True)
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection_locations.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("planned_visits.id"), index=True)
    checklist_code: Mapped[str] = mapped_column(sa.String(20))
    checklist_version: Mapped[int]
    inspected_on: Mapped[date] = mapped_column(index=True)
    inspector_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    partner_name: Mapped[str] = mapped_column(sa.String(120), default="")
    status: Mapped[InspectionStatus] = mapped_column(enum_column(InspectionStatus),
                                                     default=InspectionStatus.CONCEPT, index=True)
    # Checklist answers by item id: "JA"/"NEE"/"NVT", numbers, text, or a list of signal ids.
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    persons_present: Mapped[int | None]
    identities_checked: Mapped[int | None]
    occupancy: Mapped[int | None]
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    outcome: Mapped[InspectionOutcome | None] = mapped_column(enum_column(InspectionOutcome))
    # Denormalised from screening.inspections.assess() at every save, for lists and the risk score.
    violation_count: Mapped[int] = mapped_column(default=0)
    signal_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    completed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    location: Mapped[InspectionLocation] = relationship(back_populates="inspections")
    visit: Mapped[PlannedVisit | None] = relationship()
    inspector: Mapped[User | None] = relationship()
    photos: Mapped[list[InspectionPhoto]] = relationship(back_populates="inspection", cascade="all, delete-orphan",
                                                         order_by="InspectionPhoto.id")
    measures: Mapped[list[EnforcementMeasure]] = relationship(back_populates="inspection",
                                                              order_by="EnforcementMeasure.id")

    __table_args__ = (
        sa.CheckConstraint("persons_present IS NULL OR persons_present >= 0", name="persons_present_positive"),
        sa.CheckConstraint("identities_checked IS NULL OR identities_checked >= 0", name="identities_positive"),
        sa.CheckConstraint("occupancy IS NULL OR occupancy >= 0", name="occupancy_positive"),
    )

    @property
    def is_completed(self) -> bool:
        return self.status is InspectionStatus.AFGEROND

    def __repr__(self) -> str:
        return f"<Inspection {self.id} loc={self.location_id} {self.inspected_on} {self.status.value}>"


class InspectionPhoto(db.Model):
    """A photo taken on site; the bytes are a Document with context "inspection"."""

    __tablename__ = "inspection_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), unique=True)
    caption: Mapped[str] = mapped_column(sa.String(300), default="")
    # domain.md §3.8: "no faces of sex workers by default" - a photo with faces needs a reason.
    shows_faces: Mapped[bool] = mapped_column(default=False)
    faces_reason: Mapped[str] = mapped_column(sa.Text, default="")

    inspection: Mapped[Inspection] = relationship(back_populates="photos")
    document: Mapped[Document] = relationship()


class MeasureStatus(StrEnum):
    OPEN = "open"
    NAGELEEFD = "nageleefd"
    NIET_NAGELEEFD = "niet_nageleefd"
    INGETROKKEN = "ingetrokken"

    @property
    def label(self) -> str:
        return {"open": "Open", "nageleefd": "Nageleefd / hersteld", "niet_nageleefd": "Niet nageleefd",
                "ingetrokken": "Ingetrokken"}[self.value]

    @property
    def is_open(self) -> bool:
        return self is MeasureStatus.OPEN


class EnforcementMeasure(TimestampMixin, db.Model):
    """An enforcement measure for one violation (domain.md §2.6, §3.6), checked by ``check_measure``."""

    __tablename__ = "enforcement_measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(sa.ForeignKey("gemeenten.id"), index=True)
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection_locations.id"), index=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspections.id"), index=True)
    # The checklist item the violation was recorded on (stable id, e.g. INS-WGV-23).
    violation_item_id: Mapped[str] = mapped_column(sa.String(20))
    violation_text: Mapped[str] = mapped_column(sa.Text, default="")
    # A code of screening/inspections/data/handhaving.yaml (WAARSCHUWING, LAST_ONDER_DWANGSOM, ...).
    measure_code: Mapped[str] = mapped_column(sa.String(40), index=True)
    parameters: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    issued_on: Mapped[date]
    # End of the begunstigings-/hersteltermijn or of the schorsing: the work list sorts on it.
    deadline_on: Mapped[date | None] = mapped_column(index=True)
    status: Mapped[MeasureStatus] = mapped_column(enum_column(MeasureStatus), default=MeasureStatus.OPEN, index=True)
    closed_on: Mapped[date | None]
    closing_note: Mapped[str] = mapped_column(sa.Text, default="")
    # The re-inspection planned automatically after the term (issue 6 §5).
    reinspection_visit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("planned_visits.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    location: Mapped[InspectionLocation] = relationship(back_populates="measures")
    reinspection_visit: Mapped[PlannedVisit | None] = relationship()
    inspection: Mapped[Inspection] = relationship(back_populates="measures")
    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<EnforcementMeasure {self.id} {self.measure_code} {self.status.value}>"
