"""The risk register: known risk entities, its version counter, imports, screening hits, proposals.

The register holds persons, organisations and addresses that came back in Bibob decisions,
refused or revoked permits, RIEC signals, bankruptcies, sanctions lists and inspections. Every
party and address of an application is screened against it (``screening.matching``); each hit
is reviewed by a Bibob-coördinator. Register contents are Bibob information: need-to-know
(Wet Bibob art. 28, AVG art. 10), so every entry carries a confidentiality level that decides
who may see the details of its hits.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from barrier.db import TimestampMixin, db, enum_column, utcnow
from barrier.models.applications import Application
from barrier.models.region import Gemeente
from barrier.models.users import User


class EntityKind(StrEnum):
    PERSON = "persoon"
    ORGANISATION = "organisatie"
    ADDRESS = "adres"

    @property
    def label(self) -> str:
        return {"persoon": "Persoon", "organisatie": "Organisatie", "adres": "Adres"}[self.value]


class RegisterSource(StrEnum):
    """Where a register entry comes from (issue 4 §1; domain.md §1.1, §1.6, §4)."""

    BIBOB_BESLUIT = "bibob_besluit"              # own Bibob decision (weigering/intrekking art. 3)
    VERGUNNING_GEWEIGERD = "vergunning_geweigerd"  # refused or revoked permit in a gemeente of the region
    RIEC_SIGNAAL = "riec_signaal"                # RIEC Noord-Nederland signal
    FAILLISSEMENT = "faillissement"              # Centraal Insolventieregister
    SANCTIELIJST = "sanctielijst"                # EU / UN / national sanctions list
    INSPECTIE = "inspectie"                      # confirmed inspection finding (signals of trafficking)

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]


SOURCE_LABELS = {
    RegisterSource.BIBOB_BESLUIT: "Eigen Bibob-besluit",
    RegisterSource.VERGUNNING_GEWEIGERD: "Geweigerde of ingetrokken vergunning (regio)",
    RegisterSource.RIEC_SIGNAAL: "RIEC-signaal",
    RegisterSource.FAILLISSEMENT: "Faillissement",
    RegisterSource.SANCTIELIJST: "Sanctielijst",
    RegisterSource.INSPECTIE: "Bevinding bij inspectie",
}


class Confidentiality(StrEnum):
    """Who may see the details of an entry and its hits, widest first.

    Everyone who may use the register sees *that* an application has a hit; the details (name,
    reason, explanation) follow this level: the need-to-know of Wet Bibob art. 28.
    """

    REGIONAAL = "regionaal"                      # register users of the whole region (incl. beheerder)
    BIBOB_COORDINATOREN = "bibob_coordinatoren"  # Bibob-coördinatoren of every gemeente of the region
    EIGEN_GEMEENTE = "eigen_gemeente"            # Bibob-coördinatoren of the recording gemeente only

    @property
    def label(self) -> str:
        return {"regionaal": "Regionaal", "bibob_coordinatoren": "Alleen Bibob-coördinatoren",
                "eigen_gemeente": "Alleen eigen gemeente"}[self.value]


class RegisterVersion(db.Model):
    """One row per change of the register: its id is the register version.

    The token is random per row: a version number that was rolled back (SQLite reuses ids) can
    never be mistaken for a committed one by the in-memory index cache. ``entity_ids`` lists the
    entries a small change touched, so an index can be updated instead of rebuilt.
    """

    __tablename__ = "register_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(32))
    kind: Mapped[str] = mapped_column(sa.String(20))  # import, toegevoegd, gewijzigd, verwijderd, voorstel
    summary: Mapped[str] = mapped_column(sa.String(300), default="")
    entity_ids: Mapped[list | None] = mapped_column(sa.JSON)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<RegisterVersion {self.id} {self.kind}>"


class RiskEntity(TimestampMixin, db.Model):
    """A person, organisation or address in the risk register."""

    __tablename__ = "risk_entities"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EntityKind] = mapped_column(enum_column(EntityKind, length=20), index=True)
    # The id in the source system, so a re-import updates instead of duplicating.
    external_id: Mapped[str | None] = mapped_column(sa.String(100), unique=True)
    # Person
    given_names: Mapped[str] = mapped_column(sa.String(200), default="")
    surname_prefix: Mapped[str] = mapped_column(sa.String(30), default="")
    surname: Mapped[str] = mapped_column(sa.String(200), default="")
    birth_date: Mapped[date | None]
    nationality: Mapped[str] = mapped_column(sa.String(80), default="")
    # domain.md §7: a BSN is never stored in the clear here; its keyed digest finds the person.
    bsn_digest: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    bsn_last4: Mapped[str | None] = mapped_column(sa.String(4))
    # Organisation
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    legal_form: Mapped[str] = mapped_column(sa.String(60), default="")
    kvk_number: Mapped[str | None] = mapped_column(sa.String(8), index=True)
    # Address (of the person or organisation, or the risky address itself)
    street: Mapped[str] = mapped_column(sa.String(200), default="")
    house_number: Mapped[str] = mapped_column(sa.String(10), default="")
    house_number_suffix: Mapped[str] = mapped_column(sa.String(10), default="")
    postcode: Mapped[str] = mapped_column(sa.String(10), default="", index=True)
    city: Mapped[str] = mapped_column(sa.String(120), default="")
    country: Mapped[str] = mapped_column(sa.String(2), default="NL")
    # Why it is in the register
    source: Mapped[RegisterSource] = mapped_column(enum_column(RegisterSource), index=True)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    gemeente_id: Mapped[int | None] = mapped_column(sa.ForeignKey("gemeenten.id"), index=True)  # None: regional
    recorded_on: Mapped[date]
    valid_until: Mapped[date | None] = mapped_column(index=True)
    confidentiality: Mapped[Confidentiality] = mapped_column(enum_column(Confidentiality, length=30),
                                                             default=Confidentiality.BIBOB_COORDINATOREN)
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("register_imports.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    deleted_at: Mapped[datetime | None] = mapped_column(index=True)
    # Bumped by every edit, to detect concurrent edits (DESIGN.md principles).
    version: Mapped[int] = mapped_column(default=1)

    gemeente: Mapped[Gemeente | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def display_name(self) -> str:
        if self.kind is EntityKind.PERSON:
            return " ".join(p for p in (self.given_names, self.surname_prefix, self.surname) if p) or "—"
        if self.kind is EntityKind.ORGANISATION:
            return " ".join(p for p in (self.name, self.legal_form) if p and p.lower() not in self.name.lower()) \
                or self.name or "—"
        return self.address_label

    @property
    def address_line(self) -> str:
        number = f"{self.house_number}{('-' + self.house_number_suffix) if self.house_number_suffix else ''}"
        return " ".join(part for part in (self.street, number) if part).strip()

    @property
    def address_label(self) -> str:
        place = " ".join(part for part in (self.postcode, self.city) if part)
        return ", ".join(part for part in (self.address_line, place) if part) or "—"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def is_valid_on(self, day: date) -> bool:
        return self.deleted_at is None and (self.valid_until is None or self.valid_until >= day)

    def __repr__(self) -> str:
        return f"<RiskEntity {self.id} {self.kind.value}>"


class ImportStatus(StrEnum):
    GEUPLOAD = "geupload"
    GECONTROLEERD = "gecontroleerd"
    AFGEKEURD = "afgekeurd"
    VASTGELEGD = "vastgelegd"

    @property
    def label(self) -> str:
        return {"geupload": "Geüpload", "gecontroleerd": "Gecontroleerd (proefimport)",
                "afgekeurd": "Fouten gevonden", "vastgelegd": "Vastgelegd"}[self.value]


class RegisterImport(db.Model):
    """An uploaded register file on its way through the wizard: mapping, dry run, commit.

    The bytes live on disk under their SHA-256 (DESIGN.md); ``report`` keeps the dry run's
    summary and its first errors for the report page.
    """

    __tablename__ = "register_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    original_filename: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size_bytes: Mapped[int]
    file_format: Mapped[str] = mapped_column(sa.String(10))  # csv | xlsx
    status: Mapped[ImportStatus] = mapped_column(enum_column(ImportStatus, length=20), default=ImportStatus.GEUPLOAD)
    mapping: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    defaults: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    report: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    gemeente_id: Mapped[int | None] = mapped_column(sa.ForeignKey("gemeenten.id"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    committed_at: Mapped[datetime | None]
    register_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("register_versions.id"))
    created_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)

    uploaded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<RegisterImport {self.id} {self.status.value}>"


class HitStatus(StrEnum):
    """The review state of a hit; the values are what other areas read (bibob, inspections)."""

    OPEN = "open"
    BEVESTIGD = "bevestigd"
    AFGEWEZEN = "afgewezen"
    ONZEKER = "onzeker"

    @property
    def label(self) -> str:
        return {"open": "Te beoordelen", "bevestigd": "Bevestigd", "afgewezen": "Afgewezen",
                "onzeker": "Onzeker"}[self.value]

    @property
    def tone(self) -> str:
        return {"open": "warning", "bevestigd": "danger", "afgewezen": "neutral", "onzeker": "info"}[self.value]


class RegisterHit(db.Model):
    """A register entity that may be a party or address of an application, with its review.

    One row per (application, subject, entity). ``subject_fingerprint`` is a hash of the screened
    data: a decision holds for the pair (fingerprint, entity) and is only asked again when the
    data changed or the score rose (issue 4 §3).
    """

    __tablename__ = "register_hits"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    entity_id: Mapped[int] = mapped_column(sa.ForeignKey("risk_entities.id"), index=True)
    subject_key: Mapped[str] = mapped_column(sa.String(40))  # person:12, organisation:3, address:7
    subject_kind: Mapped[EntityKind] = mapped_column(enum_column(EntityKind, length=20))
    subject_label: Mapped[str] = mapped_column(sa.String(300), default="")
    subject_fingerprint: Mapped[str] = mapped_column(sa.String(32))
    score: Mapped[float]
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    features: Mapped[list] = mapped_column(sa.JSON, default=list)
    register_version: Mapped[int]
    engine_version: Mapped[str] = mapped_column(sa.String(20))
    # False once a later screening no longer finds it (party removed, entry deleted or expired).
    is_current: Mapped[bool] = mapped_column(default=True, index=True)
    status: Mapped[HitStatus] = mapped_column(enum_column(HitStatus, length=20), default=HitStatus.OPEN, index=True)
    reviewed_score: Mapped[float | None]
    review_reason: Mapped[str] = mapped_column(sa.Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    # The earlier decision on the same pair that this hit carries over (on another application).
    carried_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("register_hits.id"))
    found_at: Mapped[datetime] = mapped_column(default=utcnow)
    screened_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship()
    entity: Mapped[RiskEntity] = relationship()
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    __table_args__ = (
        sa.UniqueConstraint("application_id", "subject_key", "entity_id", name="one_per_pair"),
        sa.Index("ix_register_hits_pair", "subject_fingerprint", "entity_id"),
    )

    @property
    def is_open(self) -> bool:
        return self.is_current and self.status is HitStatus.OPEN

    def __repr__(self) -> str:
        return f"<RegisterHit {self.id} app={self.application_id} entity={self.entity_id} {self.status.value}>"


class ApplicationScreening(db.Model):
    """Against which register and engine version an application was last screened.

    Re-screening skips applications already screened against the current version, so a run that
    was killed half-way resumes where it stopped.
    """

    __tablename__ = "application_screenings"

    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"),
                                                primary_key=True)
    register_version: Mapped[int] = mapped_column(index=True)
    engine_version: Mapped[str] = mapped_column(sa.String(20))
    subjects: Mapped[int] = mapped_column(default=0)
    hits: Mapped[int] = mapped_column(default=0)
    screened_at: Mapped[datetime] = mapped_column(default=utcnow)


class RescreenStatus(StrEnum):
    BEZIG = "bezig"
    KLAAR = "klaar"
    MISLUKT = "mislukt"

    @property
    def label(self) -> str:
        return {"bezig": "Bezig", "klaar": "Klaar", "mislukt": "Mislukt"}[self.value]


class RescreenRun(db.Model):
    """A re-screening of the open applications and valid permits, with its progress."""

    __tablename__ = "rescreen_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[RescreenStatus] = mapped_column(enum_column(RescreenStatus, length=20), default=RescreenStatus.BEZIG)
    register_version: Mapped[int]
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    new_hits: Mapped[int] = mapped_column(default=0)
    reopened_hits: Mapped[int] = mapped_column(default=0)
    started_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(sa.String(500), default="")

    started_by: Mapped[User | None] = relationship()


class ProposalStatus(StrEnum):
    VOORGESTELD = "voorgesteld"
    BEVESTIGD = "bevestigd"
    AFGEWEZEN = "afgewezen"

    @property
    def label(self) -> str:
        return {"voorgesteld": "Wacht op bevestiging", "bevestigd": "Opgenomen", "afgewezen": "Niet opgenomen"}[self.value]


class RegisterProposal(db.Model):
    """A proposed register entry from a decision or inspection: added only after a confirmation."""

    __tablename__ = "register_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EntityKind] = mapped_column(enum_column(EntityKind, length=20))
    # The entry's fields as RiskEntity column values (dates as ISO strings).
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    label: Mapped[str] = mapped_column(sa.String(300), default="")
    subject_key: Mapped[str] = mapped_column(sa.String(40), default="")
    source: Mapped[RegisterSource] = mapped_column(enum_column(RegisterSource))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    origin: Mapped[str] = mapped_column(sa.String(30), default="")  # bibob, inspections, applications
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("applications.id", ondelete="SET NULL"),
                                                       index=True)
    gemeente_id: Mapped[int | None] = mapped_column(sa.ForeignKey("gemeenten.id"), index=True)
    status: Mapped[ProposalStatus] = mapped_column(enum_column(ProposalStatus, length=20),
                                                   default=ProposalStatus.VOORGESTELD, index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(sa.Text, default="")
    entity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("risk_entities.id"))

    application: Mapped[Application | None] = relationship()
    gemeente: Mapped[Gemeente | None] = relationship()
    entity: Mapped[RiskEntity | None] = relationship()
