"""Bibob dossiers: betrokkenen, questionnaire, checklist answers, own investigation, LBB advice,
judgements, issued advice reports and disclosures (domain.md §1).

Everything here is confidential under art. 28 Wet Bibob: who may read it is decided in
``barrier.bibob.access`` (need-to-know), and every read is audited. Register hits are not stored
here: the register area owns them and the dossier reads them through ``barrier.bibob.services``.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from barrier.db import TimestampMixin, db, enum_column, utcnow
from barrier.models.applications import Application, ClockEvent, Document, PartyRole
from barrier.models.region import Gemeente
from barrier.models.users import User
from screening.checklists import Advice, DangerLevel


class DossierStage(StrEnum):
    """Where the Bibob procedure stands (domain.md §1.6 bibob_workflow)."""

    VRAGENFORMULIER = "vragenformulier"        # art. 7a: questionnaire sent, answers awaited
    EIGEN_ONDERZOEK = "eigen_onderzoek"        # own investigation
    LBB_AANGEVRAAGD = "lbb_aangevraagd"        # art. 9: advice requested from the LBB
    LBB_VRAGEN = "lbb_vragen"                  # art. 12 lid 4: LBB questions to the betrokkene
    ADVIES_ONTVANGEN = "advies_ontvangen"      # LBB advice received, vergewissen (Awb 3:9)
    OORDEEL = "oordeel"                        # the coordinator's judgement is recorded
    VOORNEMEN_WEIGEREN = "voornemen_weigeren"  # Awb 4:8 voornemen sent
    ZIENSWIJZE = "zienswijze"                  # zienswijze received
    AFGEROND = "afgerond"                      # the application was decided
    VERNIETIGD = "vernietigd"                  # destroyed after its retention period (§1.8)

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]

    @property
    def tone(self) -> str:
        if self in (DossierStage.VOORNEMEN_WEIGEREN, DossierStage.ZIENSWIJZE):
            return "danger"
        if self in (DossierStage.AFGEROND, DossierStage.VERNIETIGD):
            return "neutral"
        if self is DossierStage.OORDEEL:
            return "success"
        return "warning"

    @property
    def is_open(self) -> bool:
        return self not in (DossierStage.AFGEROND, DossierStage.VERNIETIGD)


STAGE_LABELS = {
    DossierStage.VRAGENFORMULIER: "Vragenformulier uitgezet",
    DossierStage.EIGEN_ONDERZOEK: "Eigen onderzoek",
    DossierStage.LBB_AANGEVRAAGD: "Advies LBB aangevraagd",
    DossierStage.LBB_VRAGEN: "Aanvullende vragen LBB",
    DossierStage.ADVIES_ONTVANGEN: "Advies LBB ontvangen",
    DossierStage.OORDEEL: "Oordeel vastgesteld",
    DossierStage.VOORNEMEN_WEIGEREN: "Voornemen tot weigeren",
    DossierStage.ZIENSWIJZE: "Zienswijze ontvangen",
    DossierStage.AFGEROND: "Afgerond (besluit genomen)",
    DossierStage.VERNIETIGD: "Vernietigd (bewaartermijn verstreken)",
}
#: The stages in procedural order, for the progress line on the dossier page.
STAGE_ORDER = tuple(DossierStage)


class OpenReason(StrEnum):
    HANDMATIG = "handmatig"
    BELEIDSREGEL = "beleidsregel"

    @property
    def label(self) -> str:
        return {"handmatig": "Geopend door de Bibob-coördinator",
                "beleidsregel": "Automatisch geopend volgens de Beleidsregel Bibob"}[self.value]

    @property
    def short_label(self) -> str:
        return {"handmatig": "door de Bibob-coördinator",
                "beleidsregel": "automatisch volgens de Beleidsregel Bibob"}[self.value]


class InvestigationSource(StrEnum):
    """Sources of the own investigation (domain.md §1.6 EIGEN_ONDERZOEK); each finding records its source."""

    OPEN_BRONNEN = "open_bronnen"
    KVK = "kvk"
    KADASTER = "kadaster"
    BRP = "brp"
    JUSTIS = "justis"
    POLITIE = "politie"
    BELASTINGDIENST = "belastingdienst"
    RIEC = "riec"
    EIGEN_DOSSIERS = "eigen_dossiers"
    OVERIG = "overig"

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]


SOURCE_LABELS = {
    InvestigationSource.OPEN_BRONNEN: "Open bronnen (internet, media)",
    InvestigationSource.KVK: "Kamer van Koophandel (Handelsregister, UBO-register)",
    InvestigationSource.KADASTER: "Kadaster",
    InvestigationSource.BRP: "Basisregistratie Personen (BRP)",
    InvestigationSource.JUSTIS: "Justis / justitiële documentatie (art. 7c, Besluit jsg)",
    InvestigationSource.POLITIE: "Politie",
    InvestigationSource.BELASTINGDIENST: "Belastingdienst",
    InvestigationSource.RIEC: "RIEC",
    InvestigationSource.EIGEN_DOSSIERS: "Eigen dossiers van de gemeente",
    InvestigationSource.OVERIG: "Overige bron",
}


class DisclosureBasis(StrEnum):
    """The whitelist of recipients of Bibob information (art. 28 Wet Bibob; domain.md §1.7).

    Nothing leaves Barrier without one of these codes; every export is a ``DisclosureEvent``.
    """

    BETROKKENE = "DISC-BETROKKENE"
    DERDE = "DISC-DERDE"
    DRIEHOEK = "DISC-DRIEHOEK"
    RIEC = "DISC-RIEC"
    BEZWAAR = "DISC-BEZWAAR"
    RECHTER = "DISC-RECHTER"
    INTERN = "DISC-INTERN"

    @property
    def label(self) -> str:
        return DISCLOSURE_LABELS[self][0]

    @property
    def scope(self) -> str:
        return DISCLOSURE_LABELS[self][1]


DISCLOSURE_LABELS = {
    DisclosureBasis.BETROKKENE: ("Betrokkene", "in de beschikking, ter motivering daarvan"),
    DisclosureBasis.DERDE: ("Derde die in de motivering van het advies voorkomt",
                            "uitsluitend gegevens die hem betreffen"),
    DisclosureBasis.DRIEHOEK: ("Driehoeksoverleg (burgemeester, OM, politie)",
                               "uitsluitend voor zover noodzakelijk ter ondersteuning bij de motivering van het besluit"),
    DisclosureBasis.RIEC: ("RIEC", "uitsluitend voor zover noodzakelijk bij ondersteuning van het bestuursorgaan "
                                   "bij toepassing van de Wet Bibob"),
    DisclosureBasis.BEZWAAR: ("Bezwaarschriftencommissie", "voor de behandeling van het bezwaar"),
    DisclosureBasis.RECHTER: ("Rechter", "voor de behandeling van het (hoger) beroep"),
    DisclosureBasis.INTERN: ("Ambtenaren en adviseurs onder verantwoordelijkheid van het bestuursorgaan",
                             "need-to-know; voor de behandeling van dit dossier"),
}


class BibobDossier(TimestampMixin, db.Model):
    """A Bibob investigation on one application.

    After its retention period the dossier is purged: its contents are deleted and this row stays
    as a record of the destruction (reference, dates, who purged and who approved).
    """

    __tablename__ = "bibob_dossiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(40), unique=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id"), index=True)
    gemeente_id: Mapped[int] = mapped_column(sa.ForeignKey("gemeenten.id"), index=True)
    coordinator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    stage: Mapped[DossierStage] = mapped_column(enum_column(DossierStage), default=DossierStage.VRAGENFORMULIER,
                                                index=True)
    opened_on: Mapped[date]
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    open_reason: Mapped[OpenReason] = mapped_column(enum_column(OpenReason), default=OpenReason.HANDMATIG)
    policy_source: Mapped[str] = mapped_column(sa.String(200), default="")
    # The checklist version is pinned when the dossier opens: a new version applies to new dossiers only.
    checklist_permit_type: Mapped[str] = mapped_column(sa.String(40))
    checklist_version: Mapped[int]
    # Checklist item id -> answer (strings and numbers, as typed); REGISTER items are never stored.
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    questionnaire_sent_on: Mapped[date | None]
    questionnaire_received_on: Mapped[date | None]
    # Report texts and the weighing (domain.md §1.4, §1.9).
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    aanleiding: Mapped[str] = mapped_column(sa.Text, default="")
    # Voornemen tot weigeren and zienswijze (Awb 4:8).
    intention_sent_on: Mapped[date | None]
    intention_text: Mapped[str] = mapped_column(sa.Text, default="")
    zienswijze_due_on: Mapped[date | None]
    zienswijze_received_on: Mapped[date | None]
    zienswijze_text: Mapped[str] = mapped_column(sa.Text, default="")
    zienswijze_weighing: Mapped[str] = mapped_column(sa.Text, default="")
    # Retention (domain.md §1.8): destroyed retention_years after the decision became final or the
    # permit ended, whichever is later; a legal hold (pending proceedings) stops destruction.
    decided_on: Mapped[date | None]
    retention_years: Mapped[int] = mapped_column(default=5)
    legal_hold: Mapped[bool] = mapped_column(default=False)
    legal_hold_reason: Mapped[str] = mapped_column(sa.Text, default="")
    purge_approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    purge_approved_at: Mapped[datetime | None]
    purged_at: Mapped[datetime | None]
    purged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    application: Mapped[Application] = relationship()
    gemeente: Mapped[Gemeente] = relationship()
    coordinator: Mapped[User | None] = relationship(foreign_keys=[coordinator_id])
    opened_by: Mapped[User | None] = relationship(foreign_keys=[opened_by_id])
    purge_approved_by: Mapped[User | None] = relationship(foreign_keys=[purge_approved_by_id])
    purged_by: Mapped[User | None] = relationship(foreign_keys=[purged_by_id])
    parties: Mapped[list[BibobParty]] = relationship(back_populates="dossier", cascade="all, delete-orphan",
                                                     order_by="BibobParty.id")
    questionnaire_answers: Mapped[list[QuestionnaireAnswer]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="QuestionnaireAnswer.question_id")
    attachments: Mapped[list[BibobAttachment]] = relationship(back_populates="dossier", cascade="all, delete-orphan",
                                                              order_by="BibobAttachment.id")
    investigations: Mapped[list[InvestigationEntry]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan",
        order_by="(InvestigationEntry.consulted_on.desc(), InvestigationEntry.id.desc())")
    lbb_requests: Mapped[list[LbbRequest]] = relationship(back_populates="dossier", cascade="all, delete-orphan",
                                                          order_by="LbbRequest.requested_on")
    judgements: Mapped[list[Judgement]] = relationship(back_populates="dossier", cascade="all, delete-orphan",
                                                       order_by="Judgement.id")
    reports: Mapped[list[AdviceReportVersion]] = relationship(back_populates="dossier", cascade="all, delete-orphan",
                                                              order_by="AdviceReportVersion.version")

    __table_args__ = (
        sa.CheckConstraint("retention_years BETWEEN 1 AND 30", name="retention_years_range"),
    )

    @property
    def checklist_key(self) -> str:
        return f"{self.checklist_permit_type}-v{self.checklist_version}"

    @property
    def judgement(self) -> Judgement | None:
        """The current judgement: the latest one (earlier ones are kept as history)."""
        return self.judgements[-1] if self.judgements else None

    @property
    def lbb_request(self) -> LbbRequest | None:
        return self.lbb_requests[-1] if self.lbb_requests else None

    @property
    def latest_report(self) -> AdviceReportVersion | None:
        return self.reports[-1] if self.reports else None

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None

    def __repr__(self) -> str:
        return f"<BibobDossier {self.id} {self.reference} {self.stage.value}>"


class BibobParty(db.Model):
    """A betrokkene of the dossier: a snapshot of an application party, linked to it (domain.md §1.2).

    The snapshot keeps what was investigated even when the application's parties change later.
    """

    __tablename__ = "bibob_parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("bibob_dossiers.id", ondelete="CASCADE"), index=True)
    application_party_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("application_parties.id", ondelete="SET NULL"), index=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(200))
    is_organisation: Mapped[bool] = mapped_column(default=False)
    # KvK-nummer or date of birth; never the BSN (domain.md §7).
    identifier: Mapped[str] = mapped_column(sa.String(60), default="")
    since: Mapped[date | None]
    until: Mapped[date | None]
    percentage: Mapped[float | None]
    amount_eur: Mapped[float | None]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    snapshot_on: Mapped[date]

    dossier: Mapped[BibobDossier] = relationship(back_populates="parties")

    @property
    def role_label(self) -> str:
        try:
            return PartyRole(self.role).label
        except ValueError:
            return self.role


class QuestionnaireAnswer(db.Model):
    """The betrokkene's answer to one question of the Bibob-vragenformulier (domain.md §1.5)."""

    __tablename__ = "bibob_questionnaire_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("bibob_dossiers.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(sa.String(12))
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    not_applicable: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    dossier: Mapped[BibobDossier] = relationship(back_populates="questionnaire_answers")

    __table_args__ = (sa.UniqueConstraint("dossier_id", "question_id", name="one_answer"),)


class InvestigationEntry(db.Model):
    """One consultation of a source in the own investigation: when, which source, what came out."""

    __tablename__ = "bibob_investigation_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("bibob_dossiers.id", ondelete="CASCADE"), index=True)
    source: Mapped[InvestigationSource] = mapped_column(enum_column(InvestigationSource))
    consulted_on: Mapped[date]
    subject: Mapped[str] = mapped_column(sa.String(200), default="")
    outcome: Mapped[str] = mapped_column(sa.Text)
    # A relevant outcome is a finding: it goes into the advice report with its source.
    is_finding: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    dossier: Mapped[BibobDossier] = relationship(back_populates="investigations")
    created_by: Mapped[User | None] = relationship()
    attachments: Mapped[list[BibobAttachment]] = relationship(back_populates="investigation")


class BibobAttachment(db.Model):
    """A document of the dossier (``Document.context == "bibob"``) and what it supports."""

    __tablename__ = "bibob_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("bibob_dossiers.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), index=True)
    question_id: Mapped[str | None] = mapped_column(sa.String(12))
    investigation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("bibob_investigation_entries.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(sa.String(200), default="")

    dossier: Mapped[BibobDossier] = relationship(back_populates="attachments")
    document: Mapped[Document] = relationship()
    investigation: Mapped[InvestigationEntry | None] = relationship(back_populates="attachments")


class LbbRequest(db.Model):
    """An advice request to the Landelijk Bureau Bibob (art. 9) and the advice received.

    The request suspends the application's beslistermijn through a clock event of the
    applications area (8 weeks + at most 4 weeks extension; domain.md §10 rule 13); questions of the
    LBB to the betrokkene suspend it further (art. 12 lid 4; rule 14).
    """

    __tablename__ = "bibob_lbb_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("bibob_dossiers.id", ondelete="CASCADE"), index=True)
    clock_event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("clock_events.id", ondelete="SET NULL"))
    questions_event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("clock_events.id", ondelete="SET NULL"))
    requested_on: Mapped[date]
    is_supplementary: Mapped[bool] = mapped_column(default=False)  # aanvullend advies (after a zienswijze)
    extension_weeks: Mapped[int] = mapped_column(default=0)
    notice_logged: Mapped[bool] = mapped_column(default=True)
    received_on: Mapped[date | None]
    reference: Mapped[str] = mapped_column(sa.String(60), default="")
    a_level: Mapped[DangerLevel | None] = mapped_column(enum_column(DangerLevel, length=20))
    b_level: Mapped[DangerLevel | None] = mapped_column(enum_column(DangerLevel, length=20))
    art3_lid6: Mapped[bool] = mapped_column(default=False)
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    # Awb 3:9: the municipality checked that the LBB investigation was careful.
    vergewist: Mapped[bool | None]
    vergewis_note: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    dossier: Mapped[BibobDossier] = relationship(back_populates="lbb_requests")
    clock_event: Mapped[ClockEvent | None] = relationship(foreign_keys=[clock_event_id])
    questions_event: Mapped[ClockEvent | None] = relationship(foreign_keys=[questions_event_id])

    __table_args__ = (
        sa.CheckConstraint("extension_weeks BETWEEN 0 AND 4", name="extension_weeks_range"),
    )

    @property
    def is_received(self) -> bool:
        return self.received_on is not None


class Judgement(db.Model):
    """The coordinator's judgement, with the checklist's proposal it was made against.

    Both are kept (DESIGN.md: the system proposes, a person decides); a deviation needs a reason.
    A new judgement does not overwrite an earlier one: the latest is current, earlier ones are history.
    """

    __tablename__ = "bibob_judgements"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("bibob_dossiers.id", ondelete="CASCADE"), index=True)
    judged_at: Mapped[datetime] = mapped_column(default=utcnow)
    judged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    checklist_key: Mapped[str] = mapped_column(sa.String(60))
    # The engine's proposal at the moment of judging.
    proposed_a_level: Mapped[DangerLevel] = mapped_column(enum_column(DangerLevel, length=20))
    proposed_b_level: Mapped[DangerLevel] = mapped_column(enum_column(DangerLevel, length=20))
    proposed_level: Mapped[DangerLevel] = mapped_column(enum_column(DangerLevel, length=20))
    proposed_advice: Mapped[Advice] = mapped_column(enum_column(Advice, length=30))
    proposed_lid6: Mapped[bool] = mapped_column(default=False)
    proposed_art4: Mapped[bool] = mapped_column(default=False)
    rationale: Mapped[list] = mapped_column(sa.JSON, default=list)
    # The coordinator's final judgement.
    a_level: Mapped[DangerLevel] = mapped_column(enum_column(DangerLevel, length=20))
    b_level: Mapped[DangerLevel] = mapped_column(enum_column(DangerLevel, length=20))
    level: Mapped[DangerLevel] = mapped_column(enum_column(DangerLevel, length=20))
    advice: Mapped[Advice] = mapped_column(enum_column(Advice, length=30))
    art3_lid6: Mapped[bool] = mapped_column(default=False)
    deviates: Mapped[bool] = mapped_column(default=False)
    deviation_reason: Mapped[str] = mapped_column(sa.Text, default="")
    motivation: Mapped[str] = mapped_column(sa.Text, default="")
    conditions: Mapped[str] = mapped_column(sa.Text, default="")  # one voorschrift per line (art. 3 lid 7)
    lbb_weight: Mapped[str] = mapped_column(sa.Text, default="")  # how the LBB advice was weighed
    # The weighing factors of domain.md §1.4.
    weighing_ernst: Mapped[str] = mapped_column(sa.Text, default="")
    weighing_samenhang: Mapped[str] = mapped_column(sa.Text, default="")
    weighing_tijdsverloop: Mapped[str] = mapped_column(sa.Text, default="")
    weighing_evenredigheid: Mapped[str] = mapped_column(sa.Text, default="")

    dossier: Mapped[BibobDossier] = relationship(back_populates="judgements")
    judged_by: Mapped[User | None] = relationship()

    @property
    def condition_lines(self) -> list[str]:
        return [line.strip() for line in self.conditions.splitlines() if line.strip()]


class AdviceReportVersion(db.Model):
    """An issued (definitief) version of the Bibob advice report, frozen with its PDF and hashes."""

    __tablename__ = "bibob_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("bibob_dossiers.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    judgement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bibob_judgements.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    dated_on: Mapped[date]
    # SHA-256 of the report's canonical content (printed in the PDF) and of the PDF bytes.
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    pdf_sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    size_bytes: Mapped[int]
    pdf: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)

    dossier: Mapped[BibobDossier] = relationship(back_populates="reports")
    issued_by: Mapped[User | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("dossier_id", "version", name="one_version"),)


class DisclosureEvent(db.Model):
    """Every export, print or share of a Bibob document (art. 28 Wet Bibob; domain.md §1.7).

    Append-only, and kept when a dossier is purged: it says who gave what (by hash) to whom and on
    which legal basis, and holds no content.
    """

    __tablename__ = "bibob_disclosures"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("bibob_dossiers.id"), index=True)
    gemeente_id: Mapped[int] = mapped_column(sa.ForeignKey("gemeenten.id"), index=True)
    report_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bibob_reports.id", ondelete="SET NULL"))
    report_version: Mapped[int | None]
    is_concept: Mapped[bool] = mapped_column(default=False)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(sa.String(200), default="")
    recipient: Mapped[str] = mapped_column(sa.String(200))
    legal_basis: Mapped[DisclosureBasis] = mapped_column(enum_column(DisclosureBasis, length=20))
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    channel: Mapped[str] = mapped_column(sa.String(20), default="download")  # download | cli
    document_hash: Mapped[str] = mapped_column(sa.String(64))  # SHA-256 of the PDF given out
    content_hash: Mapped[str] = mapped_column(sa.String(64), default="")

    dossier: Mapped[BibobDossier] = relationship()
    actor: Mapped[User | None] = relationship()


@event.listens_for(DisclosureEvent, "before_update")
@event.listens_for(DisclosureEvent, "before_delete")
def _disclosures_are_append_only(mapper, connection, target):  # noqa: ARG001
    raise PermissionError("Verstrekkingen aan derden worden alleen toegevoegd, nooit gewijzigd of gewist.")
