"""Evaluate a checklist against the answers of a Bibob dossier into a proposed degree of danger.

Rules (domain.md §1.3; thresholds come from the checklist file):

* An item is an *indicator* when its trigger fires on the answer; it adds its weight (per choice for
  ``keuze`` items) to every ground it bears on.
* Per ground (a-grond, b-grond): score >= ``ernstig`` threshold -> ERNSTIG, >= ``mindere_mate`` ->
  MINDERE_MATE, else GEEN. An indicator with ``minimum_level`` lifts its grounds to at least that level.
* An LBB conclusion per ground lifts the ground to at least the LBB's degree (the LBB has sources the
  municipality lacks, and deviating needs its own motivation under Awb 3:9).
* Any ART4 indicator (refusal to supply information) makes the proposal ERNSTIG: art. 4 lid 1 Wet Bibob.
* LID6 indicators are summed separately; from the ``LID6.indicatie`` threshold the assessment flags an
  art. 3 lid 6 indication. It does not change the degree of danger: it is a ground of its own that
  must be weighed for proportionality on its own (Rb Noord-Nederland 2023:5357).
* The overall proposal is the highest of both grounds, ART4 and the LBB's overall conclusion; the
  advice follows from it (``advice_for``). A person decides: the assessment is a proposal with reasons.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from screening.checklists.levels import DANGER_GROUNDS, Advice, DangerLevel, Ground, advice_for
from screening.checklists.model import (
    Answer,
    AnswerType,
    Checklist,
    ChecklistItem,
    GroundThresholds,
    Section,
    SectionCode,
)

#: Items answered "onbekend" are not indicators, but are listed for further investigation.
UNKNOWN = "onbekend"


class AnswerError(ValueError):
    """An answer does not fit its checklist item (wrong type, unknown choice, unknown item)."""

    def __init__(self, item_id: str, message: str):
        self.item_id = item_id
        super().__init__(f"{item_id}: {message}")


@dataclass(frozen=True, slots=True)
class ConfirmedHit:
    """A register hit the Bibob coordinator has confirmed (reviewed as the same person or company)."""

    kind: str  # e.g. "mensenhandel", "witwassen", "vergunning_geweigerd"; see the definition files
    subject: str = ""
    description: str = ""
    reference: str = ""


@dataclass(frozen=True, slots=True)
class LbbAdvice:
    """The conclusion of the Landelijk Bureau Bibob (art. 9); not binding, but weighed (Awb 3:9)."""

    a_grond: DangerLevel | None = None
    b_grond: DangerLevel | None = None
    #: A conclusion without a ground split (e.g. when only the overall degree was recorded).
    conclusion: DangerLevel | None = None
    art3_lid6: bool = False
    issued_on: date | None = None
    reference: str | None = None
    summary: str | None = None
    requested_on: date | None = None
    #: Awb 3:9: the municipality checked that the LBB investigation was careful (None = not yet recorded).
    vergewist: bool | None = None
    vergewis_note: str | None = None

    def for_ground(self, ground: Ground) -> DangerLevel | None:
        return {Ground.A_GROND: self.a_grond, Ground.B_GROND: self.b_grond}.get(ground)

    @property
    def level(self) -> DangerLevel:
        return DangerLevel.highest(*(lvl for lvl in (self.a_grond, self.b_grond, self.conclusion) if lvl))


@dataclass(frozen=True, slots=True)
class Indicator:
    """A checklist item whose trigger fired, with the answer that made it fire."""

    item: ChecklistItem
    answer: Answer
    weight: int

    @property
    def code(self) -> str:
        return self.item.id

    @property
    def grounds(self) -> tuple[Ground, ...]:
        return self.item.grounds

    def describe(self) -> str:
        question = self.item.question.rstrip("?")
        return f"{self.code} {question} (antwoord: {format_answer(self.answer)}, gewicht {self.weight})"


@dataclass(frozen=True, slots=True)
class SectionFindings:
    section: Section
    indicators: tuple[Indicator, ...]
    unanswered: tuple[ChecklistItem, ...]

    @property
    def score(self) -> int:
        return sum(i.weight for i in self.indicators)


@dataclass(frozen=True, slots=True)
class GroundAssessment:
    ground: Ground
    score: int
    thresholds: GroundThresholds
    score_level: DangerLevel  # from the thresholds alone
    own_level: DangerLevel  # after the minimum_level rules: the municipality's own conclusion
    level: DangerLevel  # proposal for this ground: own_level, lifted to the LBB's degree
    indicators: tuple[Indicator, ...]
    raised_by: tuple[str, ...] = ()  # item ids whose minimum_level lifted the level
    lbb_level: DangerLevel | None = None


@dataclass(frozen=True, slots=True)
class Assessment:
    checklist_key: str
    sections: tuple[SectionFindings, ...]
    grounds: tuple[GroundAssessment, ...]
    art4_refusal: bool
    art4_indicators: tuple[Indicator, ...]
    lid6_score: int
    lid6_indicated: bool
    lid6_indicators: tuple[Indicator, ...]
    lbb_advice: LbbAdvice | None
    proposal: DangerLevel
    advice: Advice
    rationale: tuple[str, ...]
    unanswered: tuple[ChecklistItem, ...]
    unknown: tuple[ChecklistItem, ...]
    related_refusal_grounds: tuple[str, ...]
    confirmed_hits: tuple[ConfirmedHit, ...] = ()

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for s in self.sections for i in s.indicators)

    @property
    def is_complete(self) -> bool:
        return not self.unanswered

    def ground(self, ground: Ground) -> GroundAssessment:
        for g in self.grounds:
            if g.ground is ground:
                return g
        raise KeyError(ground)

    def fired(self, item_id: str) -> bool:
        return any(i.code == item_id for i in self.indicators)


def format_answer(answer: Answer) -> str:
    if isinstance(answer, Decimal):
        return format_eur(answer)
    return str(answer)


def format_eur(amount: Decimal) -> str:
    """Dutch notation: € 12.500,00."""
    text = f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"€ {text}"


def _normalise_answer(item: ChecklistItem, raw: Any) -> Answer | None:
    """Return the normalised answer, or None when the item counts as unanswered."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = item.answer_type
    if kind in (AnswerType.JA_NEE, AnswerType.JA_NEE_ONBEKEND):
        if isinstance(raw, bool):
            return "ja" if raw else "nee"
        value = str(raw).strip().lower()
        allowed = ("ja", "nee") if kind is AnswerType.JA_NEE else ("ja", "nee", UNKNOWN)
        if value not in allowed:
            raise AnswerError(item.id, f"antwoord moet {' of '.join(allowed)} zijn, niet {raw!r}")
        return value
    if kind is AnswerType.KEUZE:
        value = str(raw).strip().lower()
        for choice in item.choices:
            if choice.lower() == value:
                return choice
        raise AnswerError(item.id, f"onbekende keuze {raw!r}; mogelijk: {', '.join(item.choices)}")
    if kind is AnswerType.TEKST:
        return str(raw)
    number = _to_decimal(item, raw)
    if number < 0:
        raise AnswerError(item.id, f"een {kind} kan niet negatief zijn ({raw!r})")
    if kind is AnswerType.AANTAL:
        if number != number.to_integral_value():
            raise AnswerError(item.id, f"een aantal is een geheel getal, niet {raw!r}")
        return int(number)
    return number


def _to_decimal(item: ChecklistItem, raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise AnswerError(item.id, f"verwacht een getal, niet {raw!r}")
    if isinstance(raw, float) and not math.isfinite(raw):
        raise AnswerError(item.id, f"verwacht een eindig getal, niet {raw!r}")
    try:
        number = Decimal(str(raw).strip().replace(" ", "")) if not isinstance(raw, Decimal) else raw
    except InvalidOperation:
        raise AnswerError(item.id, f"verwacht een getal, niet {raw!r}") from None
    if not number.is_finite():
        raise AnswerError(item.id, f"verwacht een eindig getal, niet {raw!r}")
    return number


def _count_hits(item: ChecklistItem, hits: Sequence[ConfirmedHit]) -> int:
    kinds = item.hit_kinds or ()
    if "*" in kinds:
        return len(hits)
    return sum(1 for hit in hits if hit.kind in kinds)


def assess(
    checklist: Checklist,
    answers: Mapping[str, Any],
    *,
    confirmed_hits: Iterable[ConfirmedHit | str] = (),
    lbb_advice: LbbAdvice | DangerLevel | None = None,
) -> Assessment:
    """Evaluate *answers* (item id -> answer) against *checklist*; see the module docstring for the rules.

    REGISTER items are answered from *confirmed_hits* (a plain string counts as a hit of that kind);
    giving an answer for them, or for an id the checklist does not know, raises ``AnswerError``.
    """
    hits = tuple(h if isinstance(h, ConfirmedHit) else ConfirmedHit(kind=str(h)) for h in confirmed_hits)
    hits = tuple(ConfirmedHit(h.kind.strip().lower(), h.subject, h.description, h.reference) for h in hits)
    if isinstance(lbb_advice, DangerLevel | str):
        lbb_advice = LbbAdvice(conclusion=DangerLevel(lbb_advice))

    known = {item.id: item for item in checklist.items}
    for item_id in answers:
        if item_id not in known:
            raise AnswerError(str(item_id), f"geen vraag van checklist {checklist.key}")
        if known[item_id].is_derived and answers[item_id] is not None:
            raise AnswerError(item_id, "wordt afgeleid uit de bevestigde registertreffers, niet ingevuld")

    indicators: list[Indicator] = []
    unanswered: list[ChecklistItem] = []
    unknown: list[ChecklistItem] = []
    section_results = []
    for section in checklist.sections:
        found: list[Indicator] = []
        missing: list[ChecklistItem] = []
        for item in checklist.items_in(section.code):
            answer = (
                _count_hits(item, hits) if item.is_derived else _normalise_answer(item, answers.get(item.id))
            )
            if answer is None:
                missing.append(item)
                continue
            if answer == UNKNOWN:
                unknown.append(item)
            if item.trigger.fires(answer):
                found.append(Indicator(item, answer, item.weight_for(answer)))
        indicators.extend(found)
        unanswered.extend(missing)
        section_results.append(SectionFindings(section, tuple(found), tuple(missing)))

    grounds = tuple(_assess_ground(checklist, g, indicators, lbb_advice) for g in DANGER_GROUNDS)
    art4 = tuple(i for i in indicators if Ground.ART4 in i.grounds)
    lid6 = tuple(i for i in indicators if Ground.LID6 in i.grounds)
    lid6_score = sum(i.weight for i in lid6)
    lid6_indicated = lid6_score >= checklist.thresholds.lid6_indication or bool(
        lbb_advice and lbb_advice.art3_lid6
    )

    levels = [g.level for g in grounds]
    if art4:
        levels.append(DangerLevel.ERNSTIG)  # art. 4 lid 1: refusing information counts as ernstig gevaar
    if lbb_advice is not None:
        levels.append(lbb_advice.level)
    proposal = DangerLevel.highest(*levels)
    advice = advice_for(proposal)
    related = tuple(
        dict.fromkeys(i.item.related_refusal_ground for i in indicators if i.item.related_refusal_ground)
    )

    rationale = _rationale(
        checklist=checklist,
        grounds=grounds,
        art4=art4,
        lid6=lid6,
        lid6_score=lid6_score,
        lid6_indicated=lid6_indicated,
        lbb_advice=lbb_advice,
        proposal=proposal,
        advice=advice,
        indicators=indicators,
        unanswered=unanswered,
        unknown=unknown,
        hits=hits,
    )
    return Assessment(
        checklist_key=checklist.key,
        sections=tuple(section_results),
        grounds=grounds,
        art4_refusal=bool(art4),
        art4_indicators=art4,
        lid6_score=lid6_score,
        lid6_indicated=lid6_indicated,
        lid6_indicators=lid6,
        lbb_advice=lbb_advice,
        proposal=proposal,
        advice=advice,
        rationale=rationale,
        unanswered=tuple(unanswered),
        unknown=tuple(unknown),
        related_refusal_grounds=related,
        confirmed_hits=hits,
    )


def _assess_ground(
    checklist: Checklist, ground: Ground, indicators: Sequence[Indicator], lbb: LbbAdvice | None
) -> GroundAssessment:
    own = tuple(i for i in indicators if ground in i.grounds)
    thresholds = checklist.thresholds.for_ground(ground)
    score = sum(i.weight for i in own)
    score_level = thresholds.level_for(score)
    level = score_level
    raised_by = []
    for indicator in own:
        floor = indicator.item.minimum_level
        if floor is not None and floor.rank > score_level.rank:
            raised_by.append(indicator.code)
            level = DangerLevel.highest(level, floor)
    own_level = level
    lbb_level = lbb.for_ground(ground) if lbb else None
    if lbb_level is not None:
        level = DangerLevel.highest(level, lbb_level)
    return GroundAssessment(
        ground, score, thresholds, score_level, own_level, level, own, tuple(raised_by), lbb_level
    )


def _ground_name(ground: Ground) -> str:
    return {Ground.A_GROND: "a-grond", Ground.B_GROND: "b-grond"}[ground]


def _rationale(
    *,
    checklist: Checklist,
    grounds: Sequence[GroundAssessment],
    art4: Sequence[Indicator],
    lid6: Sequence[Indicator],
    lid6_score: int,
    lid6_indicated: bool,
    lbb_advice: LbbAdvice | None,
    proposal: DangerLevel,
    advice: Advice,
    indicators: Sequence[Indicator],
    unanswered: Sequence[ChecklistItem],
    unknown: Sequence[ChecklistItem],
    hits: Sequence[ConfirmedHit],
) -> tuple[str, ...]:
    lines = [f"Voorgestelde conclusie: {proposal.label.lower()}; voorgesteld advies: {advice.label.lower()}."]
    if not indicators:
        lines.append(
            f"Geen van de {len(checklist.items)} vragen van checklist {checklist.key} wijst op gevaar."
        )

    for g in grounds:
        name = _ground_name(g.ground)
        t = g.thresholds
        line = (
            f"{name.capitalize()}: score {g.score} "
            f"(mindere mate vanaf {t.mindere_mate}, ernstig vanaf {t.ernstig})"
            f" geeft {g.score_level.label.lower()}."
        )
        if g.indicators:
            drivers = sorted(g.indicators, key=lambda i: (-i.weight, i.code))
            line += " Bepalend: " + "; ".join(i.describe() for i in drivers) + "."
        lines.append(line)
        for code in g.raised_by:
            item = checklist.item(code)
            lines.append(
                f"{name.capitalize()}: {code} brengt de conclusie op ten minste "
                f"{item.minimum_level.label.lower()} ({item.question.rstrip('?')})."
            )
        if g.lbb_level is not None:
            if g.lbb_level.rank > g.own_level.rank:
                lines.append(
                    f"{name.capitalize()}: het LBB concludeert {g.lbb_level.label.lower()}; "
                    "het voorstel is daarom "
                    f"ten minste {g.lbb_level.label.lower()} (vergewisplicht, art. 3:9 Awb)."
                )
            elif g.lbb_level.rank < g.own_level.rank:
                lines.append(
                    f"{name.capitalize()}: de eigen bevindingen gaan verder dan de LBB-conclusie "
                    f"({g.lbb_level.label.lower()}); motiveer deze afwijking."
                )
            else:
                lines.append(
                    f"{name.capitalize()}: het LBB komt tot dezelfde conclusie ({g.lbb_level.label.lower()})."
                )

    if lbb_advice is not None and lbb_advice.conclusion is not None:
        own = DangerLevel.highest(*(g.level for g in grounds))
        if lbb_advice.conclusion.rank > own.rank:
            lines.append(
                f"Het LBB concludeert {lbb_advice.conclusion.label.lower()}; "
                "het voorstel is daarom ten minste "
                f"{lbb_advice.conclusion.label.lower()} (vergewisplicht, art. 3:9 Awb)."
            )
        else:
            lines.append(f"Het LBB concludeert {lbb_advice.conclusion.label.lower()}.")

    if art4:
        codes = ", ".join(i.code for i in art4)
        lines.append(
            f"Betrokkene weigert gevraagde gegevens te verstrekken ({codes}): dit geldt als ernstig gevaar "
            "(art. 4 lid 1 Wet Bibob). Bij een nieuwe aanvraag kan de aanvraag ook buiten behandeling worden "
            "gelaten (art. 4:5 Awb)."
        )

    if lid6_indicated:
        parts = [i.describe() for i in lid6]
        if lbb_advice is not None and lbb_advice.art3_lid6:
            parts.append("het LBB ziet aanwijzingen voor een strafbaar feit ter verkrijging")
        lines.append(
            "Art. 3 lid 6 Wet Bibob: aanwijzingen dat een strafbaar feit is gepleegd "
            f"om de vergunning te verkrijgen (score {lid6_score}, "
            f"drempel {checklist.thresholds.lid6_indication}): {'; '.join(parts)}. "
            "Dit is een zelfstandige weigeringsgrond, los van de mate van gevaar; "
            "weigering moet evenredig zijn aan de ernst "
            "van het feit."
        )
    elif lid6:
        lines.append(
            f"Art. 3 lid 6 Wet Bibob: indicatoren met score {lid6_score}, onder de drempel "
            f"{checklist.thresholds.lid6_indication}: " + "; ".join(i.describe() for i in lid6) + "."
        )

    for indicator in indicators:
        if indicator.item.related_refusal_ground:
            lines.append(
                f"{indicator.code} wijst ook op de zelfstandige weigeringsgrond "
                f"{indicator.item.related_refusal_ground} "
                "buiten de Wet Bibob; beoordeel die afzonderlijk."
            )

    if hits:
        kinds = ", ".join(sorted({h.kind for h in hits}))
        lines.append(f"{len(hits)} bevestigde registertreffer(s) meegewogen ({kinds}).")
    if unanswered:
        lines.append(
            f"{len(unanswered)} vraag/vragen nog niet beantwoord ({', '.join(i.id for i in unanswered)}); "
            "het voorstel is voorlopig."
        )
    if unknown:
        lines.append(
            f"Beantwoord met 'onbekend' ({', '.join(i.id for i in unknown)}): nader onderzoek aanbevolen."
        )
    lines.append(f"Advies: {advice.label.lower()}. {advice.legal_note}")
    return tuple(lines)


def sections_with_indicators(assessment: Assessment) -> tuple[SectionFindings, ...]:
    """Only the sections in which something was found, in checklist order."""
    return tuple(s for s in assessment.sections if s.indicators)


__all__ = [
    "UNKNOWN",
    "AnswerError",
    "Assessment",
    "ConfirmedHit",
    "GroundAssessment",
    "Indicator",
    "LbbAdvice",
    "SectionCode",
    "SectionFindings",
    "assess",
    "format_answer",
    "format_eur",
    "sections_with_indicators",
]
