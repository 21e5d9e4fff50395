"""Inspection checklists and the enforcement ladder as data (domain.md §2.6-2.7, §3.6, §3.8)."""

from screening.inspections.checklists import (
    AnswerType,
    Assessment,
    ChecklistItem,
    Finding,
    InspectionChecklist,
    Threshold,
    assess,
    checklist_for_permit_type,
    load_checklist,
)
from screening.inspections.enforcement import (
    EnforcementLadder,
    FineCategory,
    FineMaximum,
    MeasureType,
    ParameterSpec,
    category_amount,
    check_measure,
    load_enforcement,
    wgv_fine_maximum,
)

__all__ = [
    "AnswerType",
    "Assessment",
    "ChecklistItem",
    "EnforcementLadder",
    "Finding",
    "FineCategory",
    "FineMaximum",
    "InspectionChecklist",
    "MeasureType",
    "ParameterSpec",
    "Threshold",
    "assess",
    "category_amount",
    "check_measure",
    "checklist_for_permit_type",
    "load_checklist",
    "load_enforcement",
    "wgv_fine_maximum",
]
