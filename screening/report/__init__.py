"""PDF documents from plain dataclasses: the Bibob advice report and simple documents.

``render_advice_report(report) -> bytes``; the view streams the bytes and records a disclosure
event (art. 28 Wet Bibob). No I/O, no clock: the date is part of the report.
"""

from screening.report.advice import (
    MARKING,
    SECTION_TITLES,
    SHORT_HASH_LENGTH,
    canonical_content,
    findings_from_assessment,
    ground_conclusions_from_assessment,
    render_advice_report,
    report_hash,
)
from screening.report.model import (
    AdviceReport,
    Finding,
    FindingSection,
    GroundConclusion,
    Party,
    PartyRelation,
    PartyRole,
    RegisterHit,
    ReportStatus,
    Weighing,
)
from screening.report.simple import SimpleSection, render_simple_document

__all__ = [
    "MARKING",
    "SECTION_TITLES",
    "SHORT_HASH_LENGTH",
    "AdviceReport",
    "Finding",
    "FindingSection",
    "GroundConclusion",
    "Party",
    "PartyRelation",
    "PartyRole",
    "RegisterHit",
    "SimpleSection",
    "ReportStatus",
    "Weighing",
    "canonical_content",
    "findings_from_assessment",
    "ground_conclusions_from_assessment",
    "render_advice_report",
    "render_simple_document",
    "report_hash",
]
