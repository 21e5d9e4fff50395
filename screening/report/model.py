"""Plain frozen dataclasses the advice report is rendered from (domain.md §1.9 bibob_rapport).

No ORM object crosses this line: ``barrier.bibob.mapping`` builds an ``AdviceReport`` from the
dossier, ``render_advice_report`` turns it into PDF bytes. Free text may be anything a user typed;
the renderer makes it safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from screening.checklists.assess import LbbAdvice
from screening.checklists.levels import Advice, DangerLevel, Ground


class ReportStatus(StrEnum):
    CONCEPT = "concept"
    DEFINITIEF = "definitief"

    @property
    def label(self) -> str:
        return {ReportStatus.CONCEPT: "Concept", ReportStatus.DEFINITIEF: "Definitief"}[self]


class PartyRole(StrEnum):
    """Relation of a party to the betrokkene (domain.md §1.2 relation_types)."""

    AANVRAGER = "aanvrager"
    BESTUURDER = "bestuurder"
    FEITELIJK_LEIDINGGEVENDE = "feitelijk_leidinggevende"
    AANDEELHOUDER = "aandeelhouder"
    UBO = "ubo"
    VERMOGENSVERSCHAFFER = "vermogensverschaffer"
    ZAKELIJK_SAMENWERKINGSVERBAND = "zakelijk_samenwerkingsverband"
    VERHUURDER_PAND = "verhuurder_pand"
    EIGENAAR_PAND = "eigenaar_pand"
    GEMACHTIGDE = "gemachtigde"
    OVERIG = "overig"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    PartyRole.AANVRAGER: "Aanvrager (betrokkene)",
    PartyRole.BESTUURDER: "Bestuurder",
    PartyRole.FEITELIJK_LEIDINGGEVENDE: "Feitelijk leidinggevende / beheerder",
    PartyRole.AANDEELHOUDER: "Aandeelhouder",
    PartyRole.UBO: "Uiteindelijk belanghebbende (UBO)",
    PartyRole.VERMOGENSVERSCHAFFER: "Vermogensverschaffer",
    PartyRole.ZAKELIJK_SAMENWERKINGSVERBAND: "Zakelijk samenwerkingsverband",
    PartyRole.VERHUURDER_PAND: "Verhuurder van het pand",
    PartyRole.EIGENAAR_PAND: "Eigenaar van het pand",
    PartyRole.GEMACHTIGDE: "Gemachtigde",
    PartyRole.OVERIG: "Overige relatie",
}


@dataclass(frozen=True, slots=True)
class PartyRelation:
    role: PartyRole
    since: date | None = None
    until: date | None = None  # set: a former relation ("heeft gehad" counts in Bibob)
    percentage: Decimal | None = None  # shareholding
    amount_eur: Decimal | None = None  # financing
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Party:
    """A person or legal entity investigated. Never put a BSN here: the report does not need it."""

    name: str
    relations: tuple[PartyRelation, ...] = ()
    is_legal_entity: bool = False
    identifier: str | None = None  # KvK-nummer or geboortedatum
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    text: str
    sources: tuple[str, ...] = ()  # e.g. "KvK-uittreksel 12-01-2025", "Vragenformulier vraag E02"
    indicator_code: str | None = None
    weight: int | None = None
    amount_eur: Decimal | None = None
    observed_on: date | None = None


@dataclass(frozen=True, slots=True)
class FindingSection:
    """The facts found for one checklist section (A_ALGEMEEN ... EIGEN_ONDERZOEK)."""

    title: str
    findings: tuple[Finding, ...] = ()
    code: str | None = None
    score: int | None = None


@dataclass(frozen=True, slots=True)
class RegisterHit:
    """A confirmed register hit and why it was taken to be the same person or company."""

    subject: str  # the party the hit is about
    entry: str  # what the register says, e.g. "Veroordeling art. 273f Sr (2019)"
    kind: str = ""  # register kind code, e.g. "mensenhandel"
    source: str = ""  # the register source
    explanation: str = ""  # the match explanation (identifier equal, name similarity ...)
    score: Decimal | None = None
    reference: str | None = None
    confirmed_by: str | None = None
    confirmed_on: date | None = None


@dataclass(frozen=True, slots=True)
class Weighing:
    """The weighing factors of domain.md §1.4 in the coordinator's words."""

    ernst: str = ""  # W-ERNST, W-VERMOEDEN
    samenhang: str = ""  # W-SAMENHANG: relatie tot de aangevraagde vergunning
    tijdsverloop: str = ""  # W-TIJDSVERLOOP
    evenredigheid: str = ""  # W-EVENREDIGHEID, art. 3 lid 5
    other: tuple[tuple[str, str], ...] = ()  # (kop, tekst), e.g. ("Omvang van het voordeel", "...")


@dataclass(frozen=True, slots=True)
class GroundConclusion:
    ground: Ground
    level: DangerLevel
    score: int | None = None
    motivation: str = ""


@dataclass(frozen=True, slots=True)
class AdviceReport:
    """Everything the Bibob advice report shows; the document hash is computed over all of it."""

    reference: str  # zaaknummer
    gemeente: str
    permit_type: str  # e.g. "Exploitatievergunning seksinrichting"
    betrokkene: str
    author: str
    dated_on: date
    advice: Advice
    status: ReportStatus = ReportStatus.CONCEPT
    version: int = 1
    bevoegd_gezag: str = ""
    summary: str = ""
    aanleiding: str = ""
    legal_basis: str = "Wet Bibob art. 3, 7a en 9; Beleidsregel Bibob van de gemeente"
    checklist_key: str | None = None
    parties: tuple[Party, ...] = ()
    finding_sections: tuple[FindingSection, ...] = ()
    register_hits: tuple[RegisterHit, ...] = ()
    lbb_advice: LbbAdvice | None = None
    weighing: Weighing | None = None
    ground_conclusions: tuple[GroundConclusion, ...] = ()
    overall_level: DangerLevel | None = None  # None: the highest of the ground conclusions
    art3_lid6: bool = False
    art3_lid6_motivation: str = ""
    art4_refusal: bool = False
    rationale: tuple[str, ...] = ()  # e.g. Assessment.rationale
    advice_motivation: str = ""
    conditions: tuple[str, ...] = ()  # proposed voorschriften (art. 3 lid 7)

    @property
    def level(self) -> DangerLevel:
        if self.overall_level is not None:
            return self.overall_level
        levels = [c.level for c in self.ground_conclusions]
        if self.art4_refusal:
            levels.append(DangerLevel.ERNSTIG)
        return DangerLevel.highest(*levels)
