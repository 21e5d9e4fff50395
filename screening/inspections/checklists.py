"""Inspection checklists as data (domain.md §3.8 seksbedrijf; §2.2, §2.3, §2.7 Wgv/SNF housing).

Each checklist is a versioned YAML file in ``data/``; every item has a stable id (stored with the
finding), a category, a Dutch question, an answer type and the §4.2 signal ids an inspector is
prompted to consider when the answer deviates. :func:`assess` turns answers into findings and a
list of *suggested* signals; the inspector confirms them (STYLE H10: results say which items fired).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from screening.signals._loader import DataFileError, read_yaml, require_unique, validate
from screening.signals.catalogue import Catalogue, load_catalogue

#: Packaged checklists by code; the file name is an implementation detail.
CHECKLIST_FILES = MappingProxyType(
    {
        "INS-SB": "controle_seksbedrijf.yaml",
        "INS-WGV": "controle_huisvesting_wgv.yaml",
    }
)


class AnswerType(StrEnum):
    JA_NEE = "JA_NEE"
    JA_NEE_NVT = "JA_NEE_NVT"
    AANTAL = "AANTAL"
    GETAL = "GETAL"
    TEKST = "TEKST"
    SIGNALEN = "SIGNALEN"

    @property
    def label(self) -> str:
        return {
            AnswerType.JA_NEE: "Ja / nee",
            AnswerType.JA_NEE_NVT: "Ja / nee / n.v.t.",
            AnswerType.AANTAL: "Aantal",
            AnswerType.GETAL: "Getal",
            AnswerType.TEKST: "Tekst",
            AnswerType.SIGNALEN: "Signalen (meerkeuze)",
        }[self]


@dataclass(frozen=True, slots=True)
class Threshold:
    """A configurable norm for numeric answers; ``*_param`` is a per-location value passed to assess()."""

    unit: str
    min: float | None = None
    max: float | None = None
    min_param: str | None = None
    max_param: str | None = None
    per: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    id: str
    category: str
    question: str
    answer_type: AnswerType
    signals: tuple[str, ...]
    basis: tuple[str, ...]
    deviating_answer: str | None = None
    threshold: Threshold | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class InspectionChecklist:
    code: str
    version: int
    title: str
    permit_type: str
    effective_from: str
    source: str
    team_size: int
    practice: tuple[str, ...]
    items: tuple[ChecklistItem, ...]
    follow_up_actions: tuple[str, ...]
    _by_id: Mapping[str, ChecklistItem] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", MappingProxyType({i.id: i for i in self.items}))

    def item(self, item_id: str) -> ChecklistItem:
        return self._by_id[item_id]

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i.category for i in self.items))


@dataclass(frozen=True, slots=True)
class Finding:
    """An item whose answer deviates from the norm; ``signals`` are prompts, not conclusions."""

    item_id: str
    category: str
    question: str
    answer: Any
    reason: str
    signals: tuple[str, ...]
    is_signal_selection: bool = False


@dataclass(frozen=True, slots=True)
class Assessment:
    checklist_code: str
    checklist_version: int
    findings: tuple[Finding, ...]
    suggested_signals: tuple[str, ...]
    unanswered: tuple[str, ...]

    @property
    def violation_count(self) -> int:
        """Deviations from a norm (not the signal picks): the 'bevindingen' the risk score counts."""
        return sum(1 for f in self.findings if not f.is_signal_selection)


_THRESHOLD = {
    "type": "object",
    "required": ["unit"],
    "additionalProperties": False,
    "properties": {
        "unit": {"type": "string"},
        "min": {"type": "number"},
        "max": {"type": "number"},
        "min_param": {"type": "string", "pattern": "^[a-z_]+$"},
        "max_param": {"type": "string", "pattern": "^[a-z_]+$"},
        "per": {"type": "string"},
        "note": {"type": "string"},
    },
    "anyOf": [
        {"required": ["min"]},
        {"required": ["max"]},
        {"required": ["min_param"]},
        {"required": ["max_param"]},
    ],
}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "code",
        "version",
        "title",
        "permit_type",
        "effective_from",
        "source",
        "team_size",
        "practice",
        "items",
        "outcome",
    ],
    "additionalProperties": False,
    "properties": {
        "code": {"type": "string", "pattern": "^INS-[A-Z]+$"},
        "version": {"type": "integer", "minimum": 1},
        "title": {"type": "string", "minLength": 1},
        "permit_type": {"enum": ["SEKSBEDRIJF", "HUISVESTING_AM"]},
        "effective_from": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "source": {"type": "string"},
        "team_size": {"type": "integer", "minimum": 1, "maximum": 4},
        "practice": {"type": "array", "items": {"type": "string"}},
        "items": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "category", "question", "answer_type", "signals", "basis"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^INS-[A-Z]+-[0-9]{2}$"},
                    "category": {"type": "string", "minLength": 1},
                    "question": {"type": "string", "minLength": 1},
                    "answer_type": {"enum": [a.value for a in AnswerType]},
                    "deviating_answer": {"enum": ["JA", "NEE"]},
                    "signals": {
                        "type": "array",
                        "items": {"type": "string", "pattern": "^SIG-[A-Z]{3}-[0-9]{2}$"},
                    },
                    "basis": {"type": "array", "items": {"type": "string"}},
                    "threshold": _THRESHOLD,
                    "note": {"type": "string"},
                },
                # A yes/no question must say which answer is the deviation; a number needs a norm to deviate.
                "allOf": [
                    {
                        "if": {"properties": {"answer_type": {"enum": ["JA_NEE", "JA_NEE_NVT"]}}},
                        "then": {"required": ["deviating_answer"]},
                    },
                    {
                        "if": {"properties": {"answer_type": {"const": "SIGNALEN"}}},
                        "then": {"properties": {"signals": {"minItems": 1}}},
                    },
                ],
            },
        },
        "outcome": {
            "type": "object",
            "required": ["vervolgactie"],
            "additionalProperties": False,
            "properties": {"vervolgactie": {"type": "array", "minItems": 1, "items": {"type": "string"}}},
        },
    },
}


def parse_checklist(document: Any, *, name: str, catalogue: Catalogue | None = None) -> InspectionChecklist:
    """Validate a checklist document; every linked signal id must exist in the catalogue."""
    validate(document, SCHEMA, name=name)
    require_unique([i["id"] for i in document["items"]], name=name, what="vraagcodes")
    cat = catalogue or load_catalogue()
    wrong_prefix = [i["id"] for i in document["items"] if not i["id"].startswith(document["code"] + "-")]
    unknown = [f"{i['id']}: {s}" for i in document["items"] for s in i["signals"] if not cat.has_signal(s)]
    if wrong_prefix or unknown:
        problems = [f"{i}: code past niet bij checklist {document['code']}" for i in wrong_prefix]
        problems += [f"onbekend signaal {u}" for u in unknown]
        raise DataFileError(f"Gegevensbestand {name} is ongeldig:\n" + "\n".join(problems))
    items = tuple(
        ChecklistItem(
            id=i["id"],
            category=i["category"],
            question=i["question"],
            answer_type=AnswerType(i["answer_type"]),
            signals=tuple(i["signals"]),
            basis=tuple(i["basis"]),
            deviating_answer=i.get("deviating_answer"),
            threshold=Threshold(**i["threshold"]) if "threshold" in i else None,
            note=i.get("note"),
        )
        for i in document["items"]
    )
    return InspectionChecklist(
        code=document["code"],
        version=document["version"],
        title=document["title"],
        permit_type=document["permit_type"],
        effective_from=document["effective_from"],
        source=document["source"],
        team_size=document["team_size"],
        practice=tuple(document["practice"]),
        items=items,
        follow_up_actions=tuple(document["outcome"]["vervolgactie"]),
    )


@lru_cache(maxsize=8)
def _load_packaged(code: str) -> InspectionChecklist:
    return parse_checklist(
        read_yaml("screening.inspections", CHECKLIST_FILES[code]), name=CHECKLIST_FILES[code]
    )


def load_checklist(code: str, path: str | Path | None = None) -> InspectionChecklist:
    """Load the packaged checklist *code* (``INS-SB``, ``INS-WGV``), or the file at *path*."""
    if path is not None:
        return parse_checklist(read_yaml("screening.inspections", "", path), name=str(path))
    if code not in CHECKLIST_FILES:
        raise KeyError(f"Onbekende checklist {code}; beschikbaar: {', '.join(CHECKLIST_FILES)}")
    return _load_packaged(code)


def checklist_for_permit_type(permit_type: str) -> InspectionChecklist:
    """The packaged checklist for a permit type (``SEKSBEDRIJF`` or ``HUISVESTING_AM``)."""
    for code in CHECKLIST_FILES:
        checklist = load_checklist(code)
        if checklist.permit_type == permit_type:
            return checklist
    raise KeyError(f"Geen controlelijst voor vergunningtype {permit_type}")


def _nl(value: float) -> str:
    """Dutch decimal comma: 3,5 m²."""
    return f"{value:g}".replace(".", ",")


def _numeric_deviation(item: ChecklistItem, value: float, params: Mapping[str, float]) -> str | None:
    t = item.threshold
    if t is None:
        return None
    low = t.min if t.min is not None else params.get(t.min_param) if t.min_param else None
    high = t.max if t.max is not None else params.get(t.max_param) if t.max_param else None
    if low is not None and value < low:
        return f"{_nl(value)} {t.unit} is minder dan de norm van {_nl(low)} {t.unit}"
    if high is not None and value > high:
        return f"{_nl(value)} {t.unit} is meer dan het maximum van {_nl(high)} {t.unit}"
    return None


def assess(
    checklist: InspectionChecklist,
    answers: Mapping[str, Any],
    *,
    params: Mapping[str, float] | None = None,
) -> Assessment:
    """Turn *answers* (item id -> answer) into findings and suggested signals.

    Yes/no answers are ``"JA"``/``"NEE"``/``"NVT"`` (or booleans); numeric answers are compared with
    the item's threshold (``params`` supplies per-location norms such as ``permitted_occupancy``).
    For SIGNALEN items the answer is the list of observed signal ids; ids outside the item's list
    raise ``ValueError`` so an inspector cannot record a signal the checklist does not offer there.
    """
    params = params or {}
    unknown_items = sorted(set(answers) - {i.id for i in checklist.items})
    if unknown_items:
        raise ValueError(f"Onbekende vraagcode(s) voor {checklist.code}: {', '.join(unknown_items)}")
    findings: list[Finding] = []
    unanswered: list[str] = []
    for item in checklist.items:
        if item.id not in answers or answers[item.id] is None:
            unanswered.append(item.id)
            continue
        answer = answers[item.id]
        reason: str | None = None
        signals = item.signals
        is_selection = False
        match item.answer_type:
            case AnswerType.JA_NEE | AnswerType.JA_NEE_NVT:
                if isinstance(answer, bool):
                    normalised = "JA" if answer else "NEE"
                else:
                    normalised = str(answer).strip().upper().replace(".", "")
                allowed = {"JA", "NEE", "NVT"} if item.answer_type is AnswerType.JA_NEE_NVT else {"JA", "NEE"}
                if normalised not in allowed:
                    raise ValueError(
                        f"{item.id}: ongeldig antwoord {answer!r}; kies uit {', '.join(sorted(allowed))}"
                    )
                if normalised == item.deviating_answer:
                    reason = f"Antwoord {normalised}"
            case AnswerType.AANTAL | AnswerType.GETAL:
                if isinstance(answer, bool) or not isinstance(answer, int | float):
                    raise ValueError(f"{item.id}: verwacht een getal, kreeg {answer!r}")
                reason = _numeric_deviation(item, float(answer), params)
            case AnswerType.SIGNALEN:
                chosen = tuple(dict.fromkeys(answer))
                outside = [s for s in chosen if s not in item.signals]
                if outside:
                    raise ValueError(f"{item.id}: signaal {', '.join(outside)} hoort niet bij deze vraag")
                if chosen:
                    reason = "Signalen waargenomen: " + ", ".join(chosen)
                    signals = chosen
                    is_selection = True
            case AnswerType.TEKST:
                reason = None
        if reason is not None:
            findings.append(
                Finding(item.id, item.category, item.question, answer, reason, signals, is_selection)
            )
    suggested = tuple(dict.fromkeys(s for f in findings for s in f.signals))
    return Assessment(
        checklist_code=checklist.code,
        checklist_version=checklist.version,
        findings=tuple(findings),
        suggested_signals=suggested,
        unanswered=tuple(unanswered),
    )
