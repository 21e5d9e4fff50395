"""Frozen dataclasses for a Bibob risk checklist as loaded from its definition file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from screening.checklists.levels import DangerLevel, Ground


class SectionCode(StrEnum):
    """Sections of the Bibob questionnaire (domain.md §1.5) plus register hits and own investigation."""

    A_ALGEMEEN = "A_ALGEMEEN"
    B_AANVRAGER_NATUURLIJK_PERSOON = "B_AANVRAGER_NATUURLIJK_PERSOON"
    C_AANVRAGER_RECHTSPERSOON = "C_AANVRAGER_RECHTSPERSOON"
    D_ZEGGENSCHAP_EIGENDOMSSTRUCTUUR = "D_ZEGGENSCHAP_EIGENDOMSSTRUCTUUR"
    E_FINANCIERING = "E_FINANCIERING"
    F_PAND_VESTIGING = "F_PAND_VESTIGING"
    G_ANTECEDENTEN = "G_ANTECEDENTEN"
    H_ZAKELIJKE_RELATIES = "H_ZAKELIJKE_RELATIES"
    I_ONDERTEKENING = "I_ONDERTEKENING"
    REGISTER = "REGISTER"
    EIGEN_ONDERZOEK = "EIGEN_ONDERZOEK"


class AnswerType(StrEnum):
    JA_NEE = "ja_nee"
    JA_NEE_ONBEKEND = "ja_nee_onbekend"
    BEDRAG = "bedrag"  # euro's
    TEKST = "tekst"
    AANTAL = "aantal"
    KEUZE = "keuze"


class TriggerKind(StrEnum):
    EQUALS = "equals"  # answer == value (ja_nee, ja_nee_onbekend, keuze)
    IN = "in"  # answer in values (ja_nee_onbekend, keuze)
    GREATER_THAN = "greater_than"  # answer > value (bedrag, aantal)
    AT_LEAST = "at_least"  # answer >= value (bedrag, aantal)
    NOT_EMPTY = "not_empty"  # a non-blank text (tekst)


#: An answer after normalisation: "ja"/"nee"/"onbekend", a choice, a text, a count or an amount.
Answer = str | int | Decimal


@dataclass(frozen=True, slots=True)
class Trigger:
    """When an item's answer makes it an indicator ("het indicator vuurt")."""

    kind: TriggerKind
    values: tuple[str, ...] = ()
    threshold: Decimal | None = None

    def fires(self, answer: Answer) -> bool:
        if self.kind is TriggerKind.NOT_EMPTY:
            return isinstance(answer, str) and bool(answer.strip())
        if self.kind in (TriggerKind.EQUALS, TriggerKind.IN):
            return isinstance(answer, str) and answer in self.values
        if isinstance(answer, str) or self.threshold is None:
            return False
        if self.kind is TriggerKind.GREATER_THAN:
            return Decimal(answer) > self.threshold
        return Decimal(answer) >= self.threshold

    def describe(self) -> str:
        """Dutch wording of the condition, for rationales and the beheerder's screen."""
        if self.kind is TriggerKind.NOT_EMPTY:
            return "antwoord ingevuld"
        if self.kind is TriggerKind.EQUALS:
            return f"antwoord is '{self.values[0]}'"
        if self.kind is TriggerKind.IN:
            return "antwoord is " + " of ".join(f"'{v}'" for v in self.values)
        if self.kind is TriggerKind.GREATER_THAN:
            return f"meer dan {self.threshold}"
        return f"ten minste {self.threshold}"


@dataclass(frozen=True, slots=True)
class LegalSource:
    """Where the indicator comes from: the article and the domain.md source keys ([S7], [W10], ...)."""

    article: str
    refs: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.article} [{', '.join(self.refs)}]"


@dataclass(frozen=True, slots=True)
class Section:
    code: SectionCode
    title: str


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One question of the checklist; it becomes an indicator when its trigger fires."""

    id: str
    section: SectionCode
    question: str
    answer_type: AnswerType
    weight: int
    grounds: tuple[Ground, ...]
    source: LegalSource
    trigger: Trigger
    choices: tuple[str, ...] = ()
    #: For ``keuze`` items: a weight per choice (hardness of an antecedent); overrides ``weight``.
    choice_weights: tuple[tuple[str, int], ...] = ()
    questionnaire_ref: str | None = None
    weging: tuple[str, ...] = ()
    signal_ref: str | None = None
    #: A firing indicator puts its grounds at least at this level (a hard rule kept in the data).
    minimum_level: DangerLevel | None = None
    #: REGISTER items are answered from confirmed register hits: the count of hits of these kinds
    #: ("*" = every kind). Such items take no answer from the user.
    hit_kinds: tuple[str, ...] | None = None
    #: A refusal ground outside the Wet Bibob the indicator also points at (e.g. WGV-W02).
    related_refusal_ground: str | None = None
    note: str | None = None

    @property
    def is_derived(self) -> bool:
        return self.hit_kinds is not None

    def weight_for(self, answer: Answer) -> int:
        if self.choice_weights and isinstance(answer, str):
            return dict(self.choice_weights).get(answer, self.weight)
        return self.weight


@dataclass(frozen=True, slots=True)
class GroundThresholds:
    """Score from which a ground is at a degree of danger (score >= threshold)."""

    mindere_mate: int
    ernstig: int

    def level_for(self, score: int) -> DangerLevel:
        if score >= self.ernstig:
            return DangerLevel.ERNSTIG
        if score >= self.mindere_mate:
            return DangerLevel.MINDERE_MATE
        return DangerLevel.GEEN


@dataclass(frozen=True, slots=True)
class Thresholds:
    a_grond: GroundThresholds
    b_grond: GroundThresholds
    #: LID6 score from which an art. 3 lid 6 indication is flagged.
    lid6_indication: int

    def for_ground(self, ground: Ground) -> GroundThresholds:
        if ground is Ground.A_GROND:
            return self.a_grond
        if ground is Ground.B_GROND:
            return self.b_grond
        raise ValueError(f"geen drempels voor {ground}")


@dataclass(frozen=True, slots=True)
class Checklist:
    permit_type: str
    version: int
    effective_from: date
    title: str
    sections: tuple[Section, ...]
    items: tuple[ChecklistItem, ...]
    thresholds: Thresholds
    source_file: str

    @property
    def key(self) -> str:
        """Stable identifier of this version, stored with a dossier (e.g. ``seksbedrijf-v1``)."""
        return f"{self.permit_type}-v{self.version}"

    def item(self, item_id: str) -> ChecklistItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def items_in(self, section: SectionCode) -> tuple[ChecklistItem, ...]:
        return tuple(item for item in self.items if item.section == section)

    def section(self, code: SectionCode) -> Section:
        for section in self.sections:
            if section.code == code:
                return section
        raise KeyError(code)


@dataclass(frozen=True, slots=True)
class ChecklistVersion:
    """What ``available_versions`` lists: enough to choose, without the items."""

    permit_type: str
    version: int
    effective_from: date
    source_file: str
