"""Permit applications, their parties, documents, deadline events, decisions and permits."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from barrier.db import TimestampMixin, db, enum_column, utcnow
from barrier.models.parties import Address, Organisation, Person
from barrier.models.region import Gemeente
from barrier.models.users import User


class PermitType(StrEnum):
    """The permit types Barrier handles (domain.md §2.4, §3)."""

    SEKSINRICHTING = "seksinrichting"      # exploitatievergunning seksinrichting (APV hfd 3)
    ESCORTBEDRIJF = "escortbedrijf"        # exploitatievergunning escortbedrijf (APV hfd 3)
    VERHUURVERGUNNING = "verhuurvergunning"  # verblijfsruimte arbeidsmigranten, Wgv art. 5 lid 1 sub b

    @property
    def label(self) -> str:
        return {
            PermitType.SEKSINRICHTING: "Exploitatievergunning seksinrichting",
            PermitType.ESCORTBEDRIJF: "Exploitatievergunning escortbedrijf",
            PermitType.VERHUURVERGUNNING: "Verhuurvergunning arbeidsmigranten (Wgv)",
        }[self]

    @property
    def short_label(self) -> str:
        return {PermitType.SEKSINRICHTING: "Seksinrichting", PermitType.ESCORTBEDRIJF: "Escortbedrijf",
                PermitType.VERHUURVERGUNNING: "Verhuurvergunning"}[self]

    @property
    def is_sex_business(self) -> bool:
        return self is not PermitType.VERHUURVERGUNNING


class SexBusinessKind(StrEnum):
    """Sub-types of a seksinrichting (domain.md §3.2 SEK-A01)."""

    PROSTITUTIEBEDRIJF = "prostitutiebedrijf"
    RAAMPROSTITUTIE = "raamprostitutie"
    CLUB = "club"
    MASSAGESALON = "massagesalon"
    PARENCLUB = "parenclub"
    SEKSBIOSCOOP = "seksbioscoop"
    SEKSTHEATER = "sekstheater"

    @property
    def label(self) -> str:
        return {
            "prostitutiebedrijf": "Prostitutiebedrijf (privéhuis)", "raamprostitutie": "Raamprostitutiebedrijf",
            "club": "Club", "massagesalon": "Erotische massagesalon", "parenclub": "Parenclub",
            "seksbioscoop": "Seksbioscoop", "sekstheater": "Sekstheater",
        }[self.value]


class ApplicationStatus(StrEnum):
    CONCEPT = "concept"
    ONTVANGEN = "ontvangen"
    IN_BEHANDELING = "in_behandeling"
    AANVULLING_GEVRAAGD = "aanvulling_gevraagd"
    BIBOB_ONDERZOEK = "bibob_onderzoek"
    VOORNEMEN_WEIGEREN = "voornemen_weigeren"
    ZIENSWIJZE = "zienswijze"
    VERLEEND = "verleend"
    VERLEEND_MET_VOORSCHRIFTEN = "verleend_met_voorschriften"
    GEWEIGERD = "geweigerd"
    BUITEN_BEHANDELING = "buiten_behandeling"
    INGETROKKEN = "ingetrokken"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_decided(self) -> bool:
        return self in DECIDED_STATUSES

    @property
    def is_open(self) -> bool:
        return self not in DECIDED_STATUSES and self is not ApplicationStatus.CONCEPT

    @property
    def tone(self) -> str:
        if self in (ApplicationStatus.VERLEEND, ApplicationStatus.VERLEEND_MET_VOORSCHRIFTEN):
            return "success"
        if self in (ApplicationStatus.GEWEIGERD, ApplicationStatus.INGETROKKEN, ApplicationStatus.VOORNEMEN_WEIGEREN):
            return "danger"
        if self in (ApplicationStatus.AANVULLING_GEVRAAGD, ApplicationStatus.BIBOB_ONDERZOEK,
                    ApplicationStatus.ZIENSWIJZE):
            return "warning"
        return "info" if self.is_open else "neutral"


STATUS_LABELS = {
    ApplicationStatus.CONCEPT: "Concept",
    ApplicationStatus.ONTVANGEN: "Ontvangen",
    ApplicationStatus.IN_BEHANDELING: "In behandeling",
    ApplicationStatus.AANVULLING_GEVRAAGD: "Aanvulling gevraagd",
    ApplicationStatus.BIBOB_ONDERZOEK: "Bibob-onderzoek",
    ApplicationStatus.VOORNEMEN_WEIGEREN: "Voornemen tot weigeren",
    ApplicationStatus.ZIENSWIJZE: "Zienswijze",
    ApplicationStatus.VERLEEND: "Verleend",
    ApplicationStatus.VERLEEND_MET_VOORSCHRIFTEN: "Verleend met voorschriften",
    ApplicationStatus.GEWEIGERD: "Geweigerd",
    ApplicationStatus.BUITEN_BEHANDELING: "Buiten behandeling",
    ApplicationStatus.INGETROKKEN: "Ingetrokken",
}
DECIDED_STATUSES = frozenset({
    ApplicationStatus.VERLEEND, ApplicationStatus.VERLEEND_MET_VOORSCHRIFTEN, ApplicationStatus.GEWEIGERD,
    ApplicationStatus.BUITEN_BEHANDELING, ApplicationStatus.INGETROKKEN,
})


class PartyRole(StrEnum):
    """How a party relates to the application (domain.md §1.2 relation types)."""

    AANVRAGER = "aanvrager"
    BESTUURDER = "bestuurder"
    AANDEELHOUDER = "aandeelhouder"
    UBO = "ubo"
    BEHEERDER = "beheerder"
    LEIDINGGEVENDE = "leidinggevende"
    VERMOGENSVERSCHAFFER = "vermogensverschaffer"
    EIGENAAR_PAND = "eigenaar_pand"
    VERHUURDER = "verhuurder"
    WERKGEVER = "werkgever"
    ZAKELIJKE_RELATIE = "zakelijke_relatie"

    @property
    def label(self) -> str:
        return {
            "aanvrager": "Aanvrager", "bestuurder": "Bestuurder", "aandeelhouder": "Aandeelhouder",
            "ubo": "UBO (uiteindelijk belanghebbende)", "beheerder": "Beheerder", "leidinggevende": "Leidinggevende",
            "vermogensverschaffer": "Vermogensverschaffer", "eigenaar_pand": "Eigenaar pand",
            "verhuurder": "Verhuurder", "werkgever": "Werkgever", "zakelijke_relatie": "Zakelijke relatie",
        }[self.value]


class ClockEventKind(StrEnum):
    """Events that suspend or extend the beslistermijn (domain.md §10 C-F)."""

    AANVULLING = "aanvulling"              # Awb 4:15 lid 1 sub a with 4:5 hersteltermijn
    LBB_ADVIES = "lbb_advies"              # Wet Bibob: LBB advice, 8 + max 4 weeks
    LBB_VRAGEN = "lbb_vragen"              # Wet Bibob art. 12 lid 4: questions to the betrokkene
    INSTEMMING = "instemming"              # Awb 4:15 lid 2 sub a: suspension with consent
    OVERMACHT = "overmacht"                # Awb 4:15 lid 2 sub c
    VERTRAGING_AANVRAGER = "vertraging_aanvrager"  # Awb 4:15 lid 2 sub b
    VERDAGING = "verdaging"                # APV 1:2 lid 2 / Awb 4:14
    INGEBREKESTELLING = "ingebrekestelling"  # Awb 4:17

    @property
    def label(self) -> str:
        return {
            "aanvulling": "Aanvulling gevraagd (Awb 4:15 lid 1 sub a)",
            "lbb_advies": "Bibob-advies LBB gevraagd (Wet Bibob)",
            "lbb_vragen": "Vragen LBB aan betrokkene (Wet Bibob art. 12 lid 4)",
            "instemming": "Opschorting met instemming aanvrager (Awb 4:15 lid 2 sub a)",
            "overmacht": "Overmacht (Awb 4:15 lid 2 sub c)",
            "vertraging_aanvrager": "Vertraging toe te rekenen aan aanvrager (Awb 4:15 lid 2 sub b)",
            "verdaging": "Verdaging van de beslistermijn",
            "ingebrekestelling": "Ingebrekestelling ontvangen (Awb 4:17)",
        }[self.value]


class Application(TimestampMixin, db.Model):
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(sa.String(30), unique=True)
    gemeente_id: Mapped[int] = mapped_column(sa.ForeignKey("gemeenten.id"), index=True)
    permit_type: Mapped[PermitType] = mapped_column(enum_column(PermitType), index=True)
    sub_type: Mapped[str] = mapped_column(sa.String(40), default="")
    status: Mapped[ApplicationStatus] = mapped_column(enum_column(ApplicationStatus),
                                                      default=ApplicationStatus.CONCEPT, index=True)
    # The wizard step the draft was last saved at.
    draft_step: Mapped[str] = mapped_column(sa.String(30), default="type")
    trade_name: Mapped[str] = mapped_column(sa.String(200), default="")
    received_on: Mapped[date | None] = mapped_column(index=True)
    location_id: Mapped[int | None] = mapped_column(sa.ForeignKey("addresses.id"), index=True)
    # Type-specific particulars (opening hours, workrooms, persons, m², sanitary ...), validated by
    # the forms of the permit type; shapes documented in barrier.applications.details.
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    officer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # Denormalised from the deadline engine so work lists can sort and filter in SQL; recomputed by
    # the service on every change that affects the deadline.
    deadline_on: Mapped[date | None] = mapped_column(index=True)
    # Decision (Awb: a besluit records its grounds).
    decided_on: Mapped[date | None]
    decision_grounds: Mapped[str] = mapped_column(sa.Text, default="")
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    gemeente: Mapped[Gemeente] = relationship()
    location: Mapped[Address | None] = relationship()
    officer: Mapped[User | None] = relationship(foreign_keys=[officer_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    parties: Mapped[list[ApplicationParty]] = relationship(back_populates="application",
                                                          cascade="all, delete-orphan",
                                                          order_by="ApplicationParty.id")
    events: Mapped[list[ApplicationEvent]] = relationship(back_populates="application",
                                                          cascade="all, delete-orphan",
                                                          order_by="ApplicationEvent.id")
    clock_events: Mapped[list[ClockEvent]] = relationship(back_populates="application",
                                                          cascade="all, delete-orphan",
                                                          order_by="ClockEvent.start_on")
    documents: Mapped[list[Document]] = relationship(back_populates="application",
                                                     order_by="Document.uploaded_at")
    permit: Mapped[Permit | None] = relationship(back_populates="application", uselist=False)

    __table_args__ = (
        sa.Index("ix_applications_gemeente_status_deadline", "gemeente_id", "status", "deadline_on"),
        # The list's count (own gemeente, not others' drafts) from the index alone, without the table.
        sa.Index("ix_applications_gemeente_status_creator", "gemeente_id", "status", "created_by_id"),
    )

    @property
    def display_reference(self) -> str:
        return self.reference or f"concept #{self.id}"

    @property
    def applicant(self) -> ApplicationParty | None:
        return next((p for p in self.parties if p.role is PartyRole.AANVRAGER), None)

    def __repr__(self) -> str:
        return f"<Application {self.id} {self.reference} {self.status.value}>"


class ApplicationParty(db.Model):
    """A person or organisation in a role on an application (exactly one of the two is set)."""

    __tablename__ = "application_parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    role: Mapped[PartyRole] = mapped_column(enum_column(PartyRole))
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    since: Mapped[date | None]
    until: Mapped[date | None]
    percentage: Mapped[float | None]      # aandeelhouder
    amount_eur: Mapped[float | None]      # vermogensverschaffer
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    application: Mapped[Application] = relationship(back_populates="parties")
    person: Mapped[Person | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("(person_id IS NULL) <> (organisation_id IS NULL)", name="one_party"),
    )

    @property
    def name(self) -> str:
        return self.person.full_name if self.person else (self.organisation.name if self.organisation else "—")

    @property
    def kind(self) -> str:
        return "persoon" if self.person_id else "organisatie"


class ApplicationEvent(db.Model):
    """The application's timeline: every status change, clock event, document and note."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(sa.String(40))
    from_status: Mapped[str] = mapped_column(sa.String(40), default="")
    to_status: Mapped[str] = mapped_column(sa.String(40), default="")
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(sa.Text, default="")

    application: Mapped[Application] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class ClockEvent(db.Model):
    """A suspension, extension or ingebrekestelling that the deadline engine takes into account."""

    __tablename__ = "clock_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ClockEventKind] = mapped_column(enum_column(ClockEventKind))
    start_on: Mapped[date]               # request / notice / start date
    end_on: Mapped[date | None]          # received / answered / end date (None while running)
    weeks: Mapped[int | None]            # hersteltermijn, LBB extension or verdaging weeks
    notice_logged: Mapped[bool] = mapped_column(default=True)  # applicant told in writing
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship(back_populates="clock_events")


class DocumentKind(StrEnum):
    BEDRIJFSPLAN = "bedrijfsplan"
    PLATTEGROND = "plattegrond"
    IDENTITEITSBEWIJS = "identiteitsbewijs"
    KVK_UITTREKSEL = "kvk_uittreksel"
    HUUR_KOOPOVEREENKOMST = "huur_koopovereenkomst"
    BIBOB_VRAGENFORMULIER = "bibob_vragenformulier"
    HUUROVEREENKOMST_MODEL = "huurovereenkomst_model"
    INFORMATIE_IN_TAAL = "informatie_in_taal"
    OMGEVINGSVERGUNNING = "omgevingsvergunning"
    BRANDVEILIGHEID = "brandveiligheid"
    SNF_CERTIFICAAT = "snf_certificaat"
    FINANCIERING = "financiering"
    OVERIG = "overig"

    @property
    def label(self) -> str:
        return DOCUMENT_LABELS[self]


DOCUMENT_LABELS = {
    DocumentKind.BEDRIJFSPLAN: "Bedrijfsplan",
    DocumentKind.PLATTEGROND: "Plattegrond (met m² per ruimte)",
    DocumentKind.IDENTITEITSBEWIJS: "Kopie identiteitsbewijs",
    DocumentKind.KVK_UITTREKSEL: "Uittreksel KvK",
    DocumentKind.HUUR_KOOPOVEREENKOMST: "Huur- of koopovereenkomst pand",
    DocumentKind.BIBOB_VRAGENFORMULIER: "Bibob-vragenformulier",
    DocumentKind.HUUROVEREENKOMST_MODEL: "Model-huurovereenkomst (los van arbeidscontract)",
    DocumentKind.INFORMATIE_IN_TAAL: "Informatie voor bewoners in eigen taal",
    DocumentKind.OMGEVINGSVERGUNNING: "Omgevingsvergunning / toestemming omgevingsplan",
    DocumentKind.BRANDVEILIGHEID: "Gebruiksmelding brandveilig gebruik",
    DocumentKind.SNF_CERTIFICAAT: "SNF-certificaat of gelijkwaardig",
    DocumentKind.FINANCIERING: "Stukken over de financiering",
    DocumentKind.OVERIG: "Overig",
}


class Document(db.Model):
    """An uploaded file; the bytes live on disk under their SHA-256, never under the user's name."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("applications.id"), index=True)
    gemeente_id: Mapped[int] = mapped_column(sa.ForeignKey("gemeenten.id"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind))
    original_filename: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    size_bytes: Mapped[int]
    content_type: Mapped[str] = mapped_column(sa.String(60))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Which area the document belongs to: applications, bibob, inspections ... (need-to-know).
    context: Mapped[str] = mapped_column(sa.String(30), default="application")

    application: Mapped[Application | None] = relationship(back_populates="documents")
    uploaded_by: Mapped[User | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("application_id", "sha256", "context", name="document_once"),)


class PermitStatus(StrEnum):
    GELDIG = "geldig"
    GESCHORST = "geschorst"
    INGETROKKEN = "ingetrokken"
    VERLOPEN = "verlopen"

    @property
    def label(self) -> str:
        return {"geldig": "Geldig", "geschorst": "Geschorst", "ingetrokken": "Ingetrokken",
                "verlopen": "Verlopen"}[self.value]


class Permit(TimestampMixin, db.Model):
    """A granted permit: what inspections plan from (the permit register)."""

    __tablename__ = "permits"

    id: Mapped[int] = mapped_column(primary_key=True)
    permit_number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("applications.id"), unique=True)
    gemeente_id: Mapped[int] = mapped_column(sa.ForeignKey("gemeenten.id"), index=True)
    permit_type: Mapped[PermitType] = mapped_column(enum_column(PermitType), index=True)
    holder_name: Mapped[str] = mapped_column(sa.String(200))
    location_id: Mapped[int | None] = mapped_column(sa.ForeignKey("addresses.id"))
    valid_from: Mapped[date]
    valid_until: Mapped[date | None]
    conditions: Mapped[str] = mapped_column(sa.Text, default="")
    max_persons: Mapped[int | None]  # verhuurvergunning: maximum number of arbeidsmigranten
    status: Mapped[PermitStatus] = mapped_column(enum_column(PermitStatus), default=PermitStatus.GELDIG,
                                                 index=True)

    application: Mapped[Application | None] = relationship(back_populates="permit")
    gemeente: Mapped[Gemeente] = relationship()
    location: Mapped[Address | None] = relationship()


class PermitSettings(db.Model):
    """Per gemeente and permit type: the legal settings of domain.md §10.G and the Bibob policy.

    Missing rows mean the national defaults of ``screening.deadlines`` for that permit type.
    """

    __tablename__ = "permit_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(sa.ForeignKey("gemeenten.id"))
    permit_type: Mapped[PermitType] = mapped_column(enum_column(PermitType))
    deadline_config: Mapped[str] = mapped_column(sa.String(40), default="")  # engine preset name
    overrides: Mapped[dict] = mapped_column(sa.JSON, default=dict)          # engine rule overrides
    # Beleidsregel Bibob (domain.md §1.1): altijd / steekproef / bij_signaal.
    bibob_policy: Mapped[str] = mapped_column(sa.String(20), default="altijd")
    permit_duration_months: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)

    __table_args__ = (sa.UniqueConstraint("gemeente_id", "permit_type", name="one_per_type"),)


class ReferenceCounter(db.Model):
    """Gap-free numbering of references per gemeente and year (row-locked while incremented)."""

    __tablename__ = "reference_counters"

    gemeente_id: Mapped[int] = mapped_column(sa.ForeignKey("gemeenten.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)
