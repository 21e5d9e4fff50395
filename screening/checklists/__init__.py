"""Bibob risk checklists as data: versioned definition files, their loader and their evaluation.

Usage::

    checklist = load_checklist("seksbedrijf", on=today)           # or version=1 for an older dossier
    result = assess(checklist, {"BIB-CL-SEK-E03": "ja"}, confirmed_hits=[ConfirmedHit("witwassen")])
    result.proposal.label, result.advice.label, result.rationale
"""

from screening.checklists.assess import (
    UNKNOWN,
    AnswerError,
    Assessment,
    ConfirmedHit,
    GroundAssessment,
    Indicator,
    LbbAdvice,
    SectionFindings,
    assess,
    format_answer,
    format_eur,
    sections_with_indicators,
)
from screening.checklists.levels import (
    DANGER_GROUNDS,
    Advice,
    DangerLevel,
    Ground,
    RiskLevel,
    advice_for,
)
from screening.checklists.loader import (
    DEFINITIONS_DIR,
    ChecklistError,
    ChecklistProblem,
    available_versions,
    load_checklist,
    load_checklist_file,
)
from screening.checklists.model import (
    AnswerType,
    Checklist,
    ChecklistItem,
    ChecklistVersion,
    GroundThresholds,
    LegalSource,
    Section,
    SectionCode,
    Thresholds,
    Trigger,
    TriggerKind,
)

__all__ = [
    "DANGER_GROUNDS",
    "DEFINITIONS_DIR",
    "UNKNOWN",
    "Advice",
    "AnswerError",
    "AnswerType",
    "Assessment",
    "Checklist",
    "ChecklistError",
    "ChecklistItem",
    "ChecklistProblem",
    "ChecklistVersion",
    "ConfirmedHit",
    "DangerLevel",
    "Ground",
    "GroundAssessment",
    "GroundThresholds",
    "Indicator",
    "LbbAdvice",
    "LegalSource",
    "RiskLevel",
    "Section",
    "SectionCode",
    "SectionFindings",
    "Thresholds",
    "Trigger",
    "TriggerKind",
    "advice_for",
    "assess",
    "available_versions",
    "format_answer",
    "format_eur",
    "load_checklist",
    "load_checklist_file",
    "sections_with_indicators",
]
