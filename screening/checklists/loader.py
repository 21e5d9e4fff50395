"""Load and validate versioned checklist definition files.

A definition file is ``<permit_type>-v<version>.yaml`` in ``definitions/``. It is validated
against ``schema.json`` and then against rules a schema cannot express (unique ids, triggers
that fit the answer type, thresholds in order). Every problem is reported in Dutch with the
file, the item and the field, so a beheerder can repair a file without reading code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from screening.checklists.levels import DangerLevel, Ground
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

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
SCHEMA_PATH = Path(__file__).parent / "schema.json"

_FILE_NAME = re.compile(r"^(?P<permit_type>[a-z][a-z0-9_]*)-v(?P<version>[1-9][0-9]*)\.ya?ml$")

#: Question ids of the Bibob questionnaire (domain.md §1.5); an item may only refer to these,
#: because a bestuursorgaan may select from Bijlage 1 but never add questions (Regeling art. 5).
QUESTIONNAIRE_IDS = frozenset(
    [f"BIB-Q-A0{n}" for n in (1, 2)]
    + [f"BIB-Q-B0{n}" for n in (1, 2)]
    + [f"BIB-Q-C0{n}" for n in (1, 2, 3)]
    + [f"BIB-Q-D0{n}" for n in (1, 2, 3, 4)]
    + [f"BIB-Q-E0{n}" for n in (1, 2, 3, 4, 5, 6)]
    + [f"BIB-Q-F0{n}" for n in (1, 2, 3, 4)]
    + [f"BIB-Q-G0{n}" for n in (1, 2, 3, 4)]
    + ["BIB-Q-H01", "BIB-Q-I01"]
)

_YES_NO = ("ja", "nee")
_YES_NO_UNKNOWN = ("ja", "nee", "onbekend")

# Dutch explanations per field, used when the schema rejects a value of that field.
_FIELD_HINTS = {
    "permit_type": "vergunningtype in kleine letters, cijfers en '_' (bijv. seksbedrijf)",
    "version": "versie moet een positief geheel getal zijn (bijv. 1)",
    "effective_from": "ingangsdatum in de vorm JJJJ-MM-DD",
    "id": "id moet de vorm BIB-CL-XXX-A00 hebben (bijv. BIB-CL-SEK-E03)",
    "weight": "gewicht moet een geheel getal van 0 tot en met 10 zijn (bij 'keuze' ook per keuze)",
    "section": "onbekende sectie; toegestaan: " + ", ".join(code.value for code in SectionCode),
    "code": "onbekende sectie; toegestaan: " + ", ".join(code.value for code in SectionCode),
    "ground": "onbekende grond; toegestaan: A_GROND, B_GROND, LID6, ART4, NONE",
    "answer_type": "onbekend antwoordtype; toegestaan: " + ", ".join(t.value for t in AnswerType),
    "refs": "bronsleutel uit domain.md §9 (bijv. S7, W10)",
    "article": "wetsartikel van de bron ontbreekt of is te kort",
    "questionnaire_ref": "verwijzing naar een vraag van het vragenformulier (bijv. BIB-Q-E05)",
    "weging": "onbekende wegingsfactor; toegestaan: W-ERNST, W-SAMENHANG, W-AANTAL, W-VOORDEEL, "
    "W-RELATIE, W-VERMOEDEN, W-TIJDSVERLOOP, W-ONHERROEPELIJK, W-EVENREDIGHEID",
    "trigger": "trigger moet precies één voorwaarde hebben: equals, in, greater_than, at_least of not_empty",
    "minimum_level": "minimum_level moet MINDERE_MATE of ERNSTIG zijn",
    "signal_ref": "verwijzing naar een signaal (bijv. SIG-BIB-01)",
    "mindere_mate": "drempel moet een positief geheel getal zijn",
    "ernstig": "drempel moet een positief geheel getal zijn",
    "indicatie": "drempel moet een positief geheel getal zijn",
}


@dataclass(frozen=True, slots=True)
class ChecklistProblem:
    """One thing wrong with a definition file."""

    item_id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.item_id:
            where.append(f"item {self.item_id}")
        if self.field:
            where.append(f"veld '{self.field}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ChecklistError(Exception):
    """A checklist cannot be found or its definition file is broken; the message names file, item, problem."""

    def __init__(self, file: str, problems: Iterable[ChecklistProblem | str]):
        self.file = file
        self.problems = tuple(
            p if isinstance(p, ChecklistProblem) else ChecklistProblem(None, None, p) for p in problems
        )
        lines = [str(p) for p in self.problems]
        if len(lines) == 1:
            message = f"Checklist {file}: {lines[0]}"
        else:
            message = f"Checklist {file} bevat {len(lines)} fouten:\n" + "\n".join(
                f"- {line}" for line in lines
            )
        super().__init__(message)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(p.item_id for p in self.problems if p.item_id)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (PyYAML would silently keep the last one)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"dubbele sleutel '{key}'", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def load_checklist_file(path: str | Path) -> Checklist:
    """Load one definition file; raise ``ChecklistError`` naming the file, item and problem."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise ChecklistError(path.name, [f"bestand niet leesbaar ({exc.strerror})"]) from exc
    return _load_cached(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _load_cached(path: str, _mtime_ns: int, _size: int) -> Checklist:
    # Keyed on mtime and size so an edited file is read again; a Checklist is immutable, so sharing is safe.
    return _parse(Path(path))


def _parse(path: Path) -> Checklist:
    name = path.name
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass  # nosec B506
    except UnicodeDecodeError as exc:
        raise ChecklistError(name, ["bestand is geen UTF-8"]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f" (regel {mark.line + 1}, kolom {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ChecklistError(name, [f"geen geldige YAML{where}: {problem}"]) from exc
    except ValueError as exc:
        # PyYAML reads 2024-02-30 as a date and then fails in datetime.date().
        raise ChecklistError(name, [f"ongeldige waarde in YAML: {exc}"]) from exc
    if not isinstance(data, dict):
        raise ChecklistError(
            name, ["het bestand moet een YAML-mapping met permit_type, version, ... bevatten"]
        )

    data = _normalise(data)
    problems = _schema_problems(data)
    if problems:
        raise ChecklistError(name, problems)
    problems = _semantic_problems(data, name)
    if problems:
        raise ChecklistError(name, problems)
    return _build(data, name)


def _normalise(data: dict) -> dict:
    """Turn YAML dates into ISO strings and scalar lists into lists, so the schema sees one shape."""

    def convert(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        return value

    data = convert(data)
    for item in data.get("items") or []:
        if isinstance(item, dict):
            for key in ("ground", "weging", "hit_kinds"):
                if isinstance(item.get(key), str):
                    item[key] = [item[key]]
    return data


def _item_id_at(data: dict, path: Iterable[Any]) -> str | None:
    path = list(path)
    if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int):
        items = data.get("items") or []
        if path[1] < len(items) and isinstance(items[path[1]], dict):
            item_id = items[path[1]].get("id")
            return str(item_id) if item_id is not None else f"#{path[1] + 1} (zonder id)"
    return None


def _schema_problems(data: dict) -> list[ChecklistProblem]:
    problems = []
    for error in sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        path = list(error.absolute_path)
        item_id = _item_id_at(data, path)
        field = next((p for p in reversed(path) if isinstance(p, str)), None)
        problems.append(ChecklistProblem(item_id, field, _describe(error, field)))
    return problems


def _describe(error: jsonschema.ValidationError, field: str | None) -> str:
    instance = error.instance
    if error.validator == "required":
        missing = [k for k in error.validator_value if isinstance(instance, dict) and k not in instance]
        return "verplicht veld ontbreekt: " + ", ".join(f"'{k}'" for k in missing)
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(str(k) for k in instance if k not in allowed)
        return "onbekend veld: " + ", ".join(f"'{k}'" for k in extra)
    hint = _FIELD_HINTS.get(field or "")
    if error.validator == "uniqueItems":
        return "waarde komt dubbel voor in de lijst"
    if error.validator == "minItems":
        return "lijst mag niet leeg zijn" + (f" ({hint})" if hint else "")
    if hint:
        return f"{hint} (gevonden: {instance!r})"
    if error.validator in ("minimum", "maximum"):
        return f"waarde {instance!r} ligt buiten het toegestane bereik"
    if error.validator == "type":
        return f"verwacht type {error.validator_value}, gevonden {instance!r}"
    return f"ongeldige waarde {instance!r} ({error.message})"


def _semantic_problems(data: dict, file_name: str) -> list[ChecklistProblem]:
    problems: list[ChecklistProblem] = []

    def add(item_id: str | None, field: str | None, message: str) -> None:
        problems.append(ChecklistProblem(item_id, field, message))

    match = _FILE_NAME.match(file_name)
    if not match:
        add(None, None, "bestandsnaam moet <vergunningtype>-v<versie>.yaml zijn (bijv. seksbedrijf-v1.yaml)")
    else:
        if match["permit_type"] != data["permit_type"]:
            add(None, "permit_type", f"'{data['permit_type']}' past niet bij de bestandsnaam")
        if int(match["version"]) != data["version"]:
            add(None, "version", f"versie {data['version']} past niet bij de bestandsnaam")
    try:
        date.fromisoformat(data["effective_from"])
    except ValueError:
        add(None, "effective_from", f"geen bestaande datum: {data['effective_from']!r}")

    for ground in ("A_GROND", "B_GROND"):
        limits = data["thresholds"][ground]
        if limits["mindere_mate"] >= limits["ernstig"]:
            add(None, "thresholds", f"{ground}: drempel mindere_mate moet lager zijn dan drempel ernstig")

    section_codes = [s["code"] for s in data["sections"]]
    for code in {c for c in section_codes if section_codes.count(c) > 1}:
        add(None, "sections", f"sectie {code} staat dubbel in de lijst")

    seen: set[str] = set()
    for item in data["items"]:
        item_id = item["id"]
        if item_id in seen:
            add(item_id, "id", "dubbel id: ieder item moet een eigen, stabiel id hebben")
        seen.add(item_id)
        if item["section"] not in section_codes:
            add(item_id, "section", f"sectie {item['section']} staat niet in 'sections' van dit bestand")
        for message in _item_problems(item):
            add(item_id, message[0], message[1])
    return problems


def _item_problems(item: dict) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    answer_type = AnswerType(item["answer_type"])
    trigger = item["trigger"]
    kind, value = next(iter(trigger.items()))
    choices = item.get("choices")
    weight = item["weight"]

    if answer_type is AnswerType.KEUZE and not choices:
        problems.append(("choices", "een 'keuze'-item moet 'choices' hebben"))
    if answer_type is not AnswerType.KEUZE and choices:
        problems.append(("choices", "'choices' hoort alleen bij antwoordtype 'keuze'"))
    if isinstance(weight, dict):
        if answer_type is not AnswerType.KEUZE:
            problems.append(("weight", "een gewicht per keuze kan alleen bij antwoordtype 'keuze'"))
        elif choices:
            unknown = [k for k in weight if k not in choices]
            if unknown:
                problems.append(("weight", f"gewicht voor onbekende keuze(s): {', '.join(unknown)}"))
            trigger_values = [value] if kind == "equals" else value if kind == "in" else []
            without = [v for v in trigger_values if v not in weight]
            if without:
                problems.append(("weight", f"geen gewicht voor triggerwaarde(n): {', '.join(without)}"))

    allowed_kinds = {
        AnswerType.JA_NEE: {"equals"},
        AnswerType.JA_NEE_ONBEKEND: {"equals", "in"},
        AnswerType.KEUZE: {"equals", "in"},
        AnswerType.BEDRAG: {"greater_than", "at_least"},
        AnswerType.AANTAL: {"greater_than", "at_least"},
        AnswerType.TEKST: {"not_empty"},
    }[answer_type]
    if kind not in allowed_kinds:
        problems.append(
            (
                "trigger",
                f"voorwaarde '{kind}' past niet bij antwoordtype '{answer_type}'; "
                f"gebruik {' of '.join(sorted(allowed_kinds))}",
            )
        )
    else:
        values = [value] if kind == "equals" else value if kind == "in" else []
        valid = {
            AnswerType.JA_NEE: _YES_NO,
            AnswerType.JA_NEE_ONBEKEND: _YES_NO_UNKNOWN,
            AnswerType.KEUZE: tuple(choices or ()),
        }.get(answer_type)
        if valid is not None:
            wrong = [v for v in values if v not in valid]
            if wrong:
                problems.append(
                    (
                        "trigger",
                        f"triggerwaarde(n) {', '.join(map(repr, wrong))} kunnen geen antwoord zijn; "
                        f"mogelijk: {', '.join(valid)}",
                    )
                )
        if answer_type is AnswerType.AANTAL and kind in ("greater_than", "at_least") and value != int(value):
            problems.append(("trigger", "een aantal vergelijkt met een geheel getal"))

    grounds = item["ground"]
    if "NONE" in grounds and len(grounds) > 1:
        problems.append(("ground", "NONE kan niet samen met een andere grond"))
    if item.get("minimum_level") and not set(grounds) & {"A_GROND", "B_GROND"}:
        problems.append(("minimum_level", "minimum_level werkt alleen op A_GROND of B_GROND"))
    if item.get("hit_kinds") is not None:
        if item["section"] != "REGISTER":
            problems.append(
                ("hit_kinds", "alleen items in sectie REGISTER worden uit registertreffers afgeleid")
            )
        if answer_type is not AnswerType.AANTAL:
            problems.append(
                ("hit_kinds", "een uit registertreffers afgeleid item heeft antwoordtype 'aantal'")
            )
    ref = item.get("questionnaire_ref")
    if ref and ref not in QUESTIONNAIRE_IDS:
        problems.append(
            ("questionnaire_ref", f"{ref} is geen vraag van het Bibob-vragenformulier (domain.md §1.5)")
        )
    return problems


def _build(data: dict, file_name: str) -> Checklist:
    sections = tuple(Section(SectionCode(s["code"]), s["title"]) for s in data["sections"])
    items = tuple(_build_item(item) for item in data["items"])
    t = data["thresholds"]
    thresholds = Thresholds(
        a_grond=GroundThresholds(t["A_GROND"]["mindere_mate"], t["A_GROND"]["ernstig"]),
        b_grond=GroundThresholds(t["B_GROND"]["mindere_mate"], t["B_GROND"]["ernstig"]),
        lid6_indication=t["LID6"]["indicatie"],
    )
    return Checklist(
        permit_type=data["permit_type"],
        version=data["version"],
        effective_from=date.fromisoformat(data["effective_from"]),
        title=data["title"],
        sections=sections,
        items=items,
        thresholds=thresholds,
        source_file=file_name,
    )


def _build_item(item: dict) -> ChecklistItem:
    kind, value = next(iter(item["trigger"].items()))
    kind = TriggerKind(kind)
    if kind is TriggerKind.EQUALS:
        trigger = Trigger(kind, values=(value,))
    elif kind is TriggerKind.IN:
        trigger = Trigger(kind, values=tuple(value))
    elif kind is TriggerKind.NOT_EMPTY:
        trigger = Trigger(kind)
    else:
        trigger = Trigger(kind, threshold=Decimal(str(value)))
    weight = item["weight"]
    choice_weights: tuple[tuple[str, int], ...] = ()
    if isinstance(weight, Mapping):
        choice_weights = tuple(weight.items())
        weight = max(weight.values())
    return ChecklistItem(
        id=item["id"],
        section=SectionCode(item["section"]),
        question=item["question"].strip(),
        answer_type=AnswerType(item["answer_type"]),
        weight=weight,
        grounds=tuple(Ground[g] for g in item["ground"]),
        source=LegalSource(item["source"]["article"], tuple(item["source"]["refs"])),
        trigger=trigger,
        choices=tuple(item.get("choices") or ()),
        choice_weights=choice_weights,
        questionnaire_ref=item.get("questionnaire_ref"),
        weging=tuple(item.get("weging") or ()),
        signal_ref=item.get("signal_ref"),
        minimum_level=DangerLevel[item["minimum_level"]] if item.get("minimum_level") else None,
        hit_kinds=tuple(item["hit_kinds"]) if item.get("hit_kinds") is not None else None,
        related_refusal_ground=item.get("related_refusal_ground"),
        note=item.get("note"),
    )


def _files_for(permit_type: str, directory: Path) -> list[Path]:
    found = []
    for path in sorted(directory.glob(f"{permit_type}-v*.y*ml")):
        match = _FILE_NAME.match(path.name)
        if match and match["permit_type"] == permit_type:
            found.append(path)
    return found


def available_versions(
    permit_type: str, *, directory: str | Path | None = None
) -> tuple[ChecklistVersion, ...]:
    """Every version of the checklist for *permit_type*, oldest first (each file is validated)."""
    directory = Path(directory) if directory is not None else DEFINITIONS_DIR
    versions = []
    for path in _files_for(permit_type, directory):
        checklist = load_checklist_file(path)
        versions.append(
            ChecklistVersion(checklist.permit_type, checklist.version, checklist.effective_from, path.name)
        )
    return tuple(sorted(versions, key=lambda v: v.version))


def load_checklist(
    permit_type: str,
    version: int | None = None,
    *,
    on: date | None = None,
    directory: str | Path | None = None,
) -> Checklist:
    """Load the checklist for *permit_type*.

    With *version*: exactly that version (a dossier keeps the version it started on).
    Without: the newest version in force *on* the given date (``effective_from <= on``); when
    *on* is not given, the newest version of all. The engine does not read the clock (house
    rule H8), so the app passes ``on=today``.
    """
    directory = Path(directory) if directory is not None else DEFINITIONS_DIR
    versions = available_versions(permit_type, directory=directory)
    label = f"{permit_type} ({directory.name})" if directory != DEFINITIONS_DIR else permit_type
    if not versions:
        raise ChecklistError(label, ["geen checklist voor dit vergunningtype"])
    if version is not None:
        for v in versions:
            if v.version == version:
                return load_checklist_file(directory / v.source_file)
        listed = ", ".join(str(v.version) for v in versions)
        raise ChecklistError(label, [f"versie {version} bestaat niet; beschikbaar: {listed}"])
    candidates = [v for v in versions if on is None or v.effective_from <= on]
    if not candidates:
        first = min(v.effective_from for v in versions)
        raise ChecklistError(
            label, [f"geen versie in werking op {on.isoformat()}; de eerste geldt vanaf {first}"]
        )
    chosen = max(candidates, key=lambda v: (v.effective_from, v.version))
    return load_checklist_file(directory / chosen.source_file)
