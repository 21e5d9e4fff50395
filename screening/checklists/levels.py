"""Vocabulary shared by the checklist engine and the advice report.

The grounds and degrees of danger follow Wet Bibob art. 3 and art. 4 (domain.md §1.3);
the advice outcomes follow art. 3 lid 1, 5 and 7.
"""

from __future__ import annotations

from enum import StrEnum


class DangerLevel(StrEnum):
    """Degree of danger ("mate van gevaar") as the LBB and the municipality conclude it (art. 3)."""

    GEEN = "geen"
    MINDERE_MATE = "mindere_mate"
    ERNSTIG = "ernstig"

    @property
    def label(self) -> str:
        return _DANGER_LABELS[self]

    @property
    def rank(self) -> int:
        """Order for comparisons: GEEN < MINDERE_MATE < ERNSTIG."""
        return _DANGER_RANK[self]

    @classmethod
    def highest(cls, *levels: DangerLevel) -> DangerLevel:
        return max(levels, key=lambda level: level.rank, default=cls.GEEN)


#: The name the style guide uses; the same enum.
RiskLevel = DangerLevel

_DANGER_LABELS = {
    DangerLevel.GEEN: "Geen aanwijzingen voor gevaar",
    DangerLevel.MINDERE_MATE: "Mindere mate van gevaar",
    DangerLevel.ERNSTIG: "Ernstig gevaar",
}
_DANGER_RANK = {DangerLevel.GEEN: 0, DangerLevel.MINDERE_MATE: 1, DangerLevel.ERNSTIG: 2}


class Ground(StrEnum):
    """The ground an indicator bears on. In definition files the member name is written (``A_GROND``)."""

    A_GROND = "a_grond"  # art. 3 lid 1 sub a: benutten van crimineel verkregen vermogen
    B_GROND = "b_grond"  # art. 3 lid 1 sub b: plegen van strafbare feiten
    LID6 = "lid6"  # art. 3 lid 6: strafbaar feit gepleegd ter verkrijging van de beschikking
    ART4 = "art4"  # art. 4 lid 1: weigering gegevens te verstrekken
    NONE = "none"  # informatief: telt voor geen grond

    @property
    def label(self) -> str:
        return _GROUND_LABELS[self]


_GROUND_LABELS = {
    Ground.A_GROND: "a-grond (art. 3 lid 1 sub a Wet Bibob)",
    Ground.B_GROND: "b-grond (art. 3 lid 1 sub b Wet Bibob)",
    Ground.LID6: "strafbaar feit ter verkrijging (art. 3 lid 6 Wet Bibob)",
    Ground.ART4: "weigering gegevens te verstrekken (art. 4 lid 1 Wet Bibob)",
    Ground.NONE: "informatief (geen grond)",
}

#: The two grounds on which a degree of danger is concluded (art. 3 lid 1).
DANGER_GROUNDS: tuple[Ground, ...] = (Ground.A_GROND, Ground.B_GROND)


class Advice(StrEnum):
    """The advised decision (domain.md §1.3 decision_outcomes, for the application route)."""

    VERLENEN = "verlenen"
    VERLENEN_MET_VOORSCHRIFTEN = "verlenen_met_voorschriften"
    WEIGEREN = "weigeren"

    @property
    def label(self) -> str:
        return _ADVICE_LABELS[self]

    @property
    def legal_note(self) -> str:
        """The article that governs this outcome, to print next to it."""
        return _ADVICE_NOTES[self]


_ADVICE_LABELS = {
    Advice.VERLENEN: "Verlenen",
    Advice.VERLENEN_MET_VOORSCHRIFTEN: "Verlenen met voorschriften",
    Advice.WEIGEREN: "Weigeren",
}
_ADVICE_NOTES = {
    Advice.VERLENEN: "Geen gebleken gevaar: de Wet Bibob staat verlening niet in de weg.",
    Advice.VERLENEN_MET_VOORSCHRIFTEN: (
        "Mindere mate van gevaar: voorschriften die het gevaar wegnemen of beperken (art. 3 lid 7 Wet Bibob)."
    ),
    Advice.WEIGEREN: (
        "Ernstig gevaar: weigeren is mogelijk (art. 3 lid 1 Wet Bibob), mits evenredig "
        "aan de mate van gevaar en de ernst van de feiten (art. 3 lid 5 Wet Bibob)."
    ),
}


def advice_for(level: DangerLevel) -> Advice:
    """Map a degree of danger to the advised decision.

    ERNSTIG -> weigeren (art. 3 lid 1, subject to evenredigheid, lid 5);
    MINDERE_MATE -> verlenen met voorschriften (art. 3 lid 7); GEEN -> verlenen.
    """
    return {
        DangerLevel.GEEN: Advice.VERLENEN,
        DangerLevel.MINDERE_MATE: Advice.VERLENEN_MET_VOORSCHRIFTEN,
        DangerLevel.ERNSTIG: Advice.WEIGEREN,
    }[DangerLevel(level)]
