"""The enforcement ladder (handhaving) as data: measure types, their parameters and sources.

Wgv: warning, last onder bestuursdwang/dwangsom, bestuurlijke boete (art 19: 4th category, 5th
on recidive within 4 years), beheerovername as ultimum remedium (domain.md §2.6). APV sex
businesses: the same lasten plus schorsing and intrekking (§3.6). No ladder is mandatory: a
Wgv fine can be imposed straight away [W11][W13][W29]. Amounts are Sr art 23 categories with an
index table by ``effective_from`` (domain.md §2.6: store the category, not a hard-coded amount).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from screening.signals._loader import DataFileError, read_yaml, require_unique, validate

PERMIT_TYPES = ("SEKSBEDRIJF", "HUISVESTING_AM")


@dataclass(frozen=True, slots=True)
class ParameterSpec:
    name: str
    label: str
    unit: str
    required: bool
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MeasureType:
    """One rung of the ladder; ``step`` orders the rungs (1 = lightest)."""

    code: str
    label: str
    step: int
    applies_to: tuple[str, ...]
    legal_basis: str
    source: str
    parameters: tuple[ParameterSpec, ...]
    note: str | None = None


@dataclass(frozen=True, slots=True)
class FineCategory:
    category: int
    amount_eur: int
    effective_from: date
    source: str


@dataclass(frozen=True, slots=True)
class WgvFineRule:
    article: str
    in_force_from: date
    first_offence_category: int
    recidive_category: int
    recidive_window_years: int
    recidive_definition: str
    publication: str
    modifiers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FineMaximum:
    """The statutory maximum for one Wgv offence, with why this category applies."""

    category: int
    amount_eur: int
    is_recidive: bool
    reason: str
    article: str
    source: str


@dataclass(frozen=True, slots=True)
class EnforcementLadder:
    version: int
    escalation_note: str
    measures: tuple[MeasureType, ...]
    fine_categories: tuple[FineCategory, ...]
    wgv_fine: WgvFineRule

    def measure(self, code: str) -> MeasureType:
        for m in self.measures:
            if m.code == code:
                return m
        raise KeyError(f"Onbekende maatregel {code}")

    def for_permit_type(self, permit_type: str) -> tuple[MeasureType, ...]:
        """The measures available for *permit_type*, lightest first."""
        if permit_type not in PERMIT_TYPES:
            raise KeyError(f"Onbekend vergunningtype {permit_type}")
        return tuple(m for m in self.measures if permit_type in m.applies_to)


_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "source", "escalation_note", "measures", "fine_categories", "wgv_fine"],
    "additionalProperties": False,
    "properties": {
        "version": {"type": "integer", "minimum": 1},
        "source": {"type": "string"},
        "escalation_note": {"type": "string"},
        "measures": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "label", "step", "applies_to", "legal_basis", "source", "parameters"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "pattern": "^[A-Z_]+$"},
                    "label": {"type": "string", "minLength": 1},
                    "step": {"type": "integer", "minimum": 1},
                    "applies_to": {"type": "array", "minItems": 1, "items": {"enum": list(PERMIT_TYPES)}},
                    "legal_basis": {"type": "string", "minLength": 1},
                    "source": {"type": "string", "minLength": 1},
                    "note": {"type": "string"},
                    "parameters": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["name", "label", "unit", "required"],
                            "additionalProperties": False,
                            "properties": {
                                "name": {"type": "string", "pattern": "^[a-z_]+$"},
                                "label": {"type": "string"},
                                "unit": {
                                    "enum": ["dagen", "weken", "EUR", "keuze", "ja_nee", "datum", "tekst"]
                                },
                                "required": {"type": "boolean"},
                                "min": {"type": "number"},
                                "max": {"type": "number"},
                                "choices": {"type": "array", "items": {"type": "string"}},
                            },
                        },
                    },
                },
            },
        },
        "fine_categories": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["category", "amount_eur", "effective_from", "source"],
                "additionalProperties": False,
                "properties": {
                    "category": {"type": "integer", "minimum": 1, "maximum": 6},
                    "amount_eur": {"type": "integer", "minimum": 1},
                    "effective_from": _DATE,
                    "source": {"type": "string"},
                },
            },
        },
        "wgv_fine": {
            "type": "object",
            "required": [
                "article",
                "in_force_from",
                "first_offence_category",
                "recidive_category",
                "recidive_window_years",
                "recidive_definition",
                "publication",
                "modifiers",
            ],
            "additionalProperties": False,
            "properties": {
                "article": {"type": "string"},
                "in_force_from": _DATE,
                "first_offence_category": {"type": "integer", "minimum": 1, "maximum": 6},
                "recidive_category": {"type": "integer", "minimum": 1, "maximum": 6},
                "recidive_window_years": {"type": "integer", "minimum": 1},
                "recidive_definition": {"type": "string"},
                "publication": {"type": "string"},
                "modifiers": {"type": "array", "items": {"type": "string"}},
            },
        },
    },
}


def parse_enforcement(document: Any, *, name: str = "handhaving.yaml") -> EnforcementLadder:
    validate(document, SCHEMA, name=name)
    require_unique([m["code"] for m in document["measures"]], name=name, what="maatregelcodes")
    require_unique(
        [f"{c['category']}@{c['effective_from']}" for c in document["fine_categories"]],
        name=name,
        what="boetecategorieën",
    )
    wgv = document["wgv_fine"]
    known = {c["category"] for c in document["fine_categories"]}
    for key in ("first_offence_category", "recidive_category"):
        if wgv[key] not in known:
            raise DataFileError(
                f"Gegevensbestand {name}: categorie {wgv[key]} ({key}) ontbreekt in fine_categories"
            )
    measures = tuple(
        sorted(
            (
                MeasureType(
                    code=m["code"],
                    label=m["label"],
                    step=m["step"],
                    applies_to=tuple(m["applies_to"]),
                    legal_basis=m["legal_basis"],
                    source=m["source"],
                    note=m.get("note"),
                    parameters=tuple(
                        ParameterSpec(
                            name=p["name"],
                            label=p["label"],
                            unit=p["unit"],
                            required=p["required"],
                            min=p.get("min"),
                            max=p.get("max"),
                            choices=tuple(p.get("choices", ())),
                        )
                        for p in m["parameters"]
                    ),
                )
                for m in document["measures"]
            ),
            key=lambda m: (m.step, m.code),
        )
    )
    return EnforcementLadder(
        version=document["version"],
        escalation_note=document["escalation_note"].strip(),
        measures=measures,
        fine_categories=tuple(
            sorted(
                (
                    FineCategory(
                        c["category"], c["amount_eur"], date.fromisoformat(c["effective_from"]), c["source"]
                    )
                    for c in document["fine_categories"]
                ),
                key=lambda c: (c.category, c.effective_from),
            )
        ),
        wgv_fine=WgvFineRule(
            article=wgv["article"],
            in_force_from=date.fromisoformat(wgv["in_force_from"]),
            first_offence_category=wgv["first_offence_category"],
            recidive_category=wgv["recidive_category"],
            recidive_window_years=wgv["recidive_window_years"],
            recidive_definition=wgv["recidive_definition"],
            publication=wgv["publication"],
            modifiers=tuple(wgv["modifiers"]),
        ),
    )


@lru_cache(maxsize=2)
def _load_packaged() -> EnforcementLadder:
    return parse_enforcement(read_yaml("screening.inspections", "handhaving.yaml"))


def load_enforcement(path: str | Path | None = None) -> EnforcementLadder:
    """Load the packaged enforcement ladder (cached), or the file at *path*."""
    if path is None:
        return _load_packaged()
    return parse_enforcement(read_yaml("screening.inspections", "handhaving.yaml", path), name=str(path))


def _euro(amount: float) -> str:
    """Dutch notation: € 25.750 (dot as thousands separator)."""
    return "€ " + f"{amount:,.0f}".replace(",", ".")


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February -> 28 February
        return day.replace(year=day.year + years, day=28)


def category_amount(category: int, on: date, *, ladder: EnforcementLadder | None = None) -> FineCategory:
    """The amount of fine *category* in force on *on* (Sr art 23 categories are re-indexed periodically)."""
    lad = ladder or load_enforcement()
    candidates = [c for c in lad.fine_categories if c.category == category and c.effective_from <= on]
    if not candidates:
        raise LookupError(f"Geen bedrag bekend voor boetecategorie {category} op {on.isoformat()}")
    return max(candidates, key=lambda c: c.effective_from)


def wgv_fine_maximum(
    offence_on: date,
    *,
    previous_fine_on: date | None = None,
    ladder: EnforcementLadder | None = None,
) -> FineMaximum:
    """Maximum Wgv fine for an offence on *offence_on* (Wgv art 19 lid 1 and lid 3 sub b).

    Recidive: the offence falls within ``recidive_window_years`` (4) after an earlier fine [W16];
    then the 5th category applies (€103,000 in 2024), otherwise the 4th (€25,750 in 2024).
    """
    lad = ladder or load_enforcement()
    rule = lad.wgv_fine
    if offence_on < rule.in_force_from:
        raise ValueError(
            f"De Wet goed verhuurderschap geldt vanaf {rule.in_force_from.isoformat()}; "
            f"geen boete mogelijk voor een overtreding op {offence_on.isoformat()}."
        )
    is_recidive = previous_fine_on is not None and previous_fine_on <= offence_on < _add_years(
        previous_fine_on, rule.recidive_window_years
    )
    category = rule.recidive_category if is_recidive else rule.first_offence_category
    amount = category_amount(category, offence_on, ladder=lad)
    if is_recidive:
        assert previous_fine_on is not None
        reason = (
            f"Recidive: overtreding binnen {rule.recidive_window_years} jaar na de boete van "
            f"{previous_fine_on.isoformat()} ({rule.article} lid 3 sub b): maximum {category}e categorie."
        )
    else:
        reason = f"Eerste overtreding ({rule.article} lid 1): maximum {category}e categorie."
    return FineMaximum(
        category=category,
        amount_eur=amount.amount_eur,
        is_recidive=is_recidive,
        reason=reason,
        article=rule.article,
        source=amount.source,
    )


def check_measure(
    code: str,
    permit_type: str,
    values: Mapping[str, Any],
    *,
    ladder: EnforcementLadder | None = None,
) -> tuple[str, ...]:
    """Return Dutch problems with a proposed measure (empty tuple = complete and within bounds).

    Checks that the measure exists for the permit type, required parameters are present (a last
    onder dwangsom needs a term, an amount, a unit and a maximum), numbers are within bounds and,
    for a Wgv fine, that the amount does not exceed the art 19 maximum for the offence date.
    """
    lad = ladder or load_enforcement()
    measure = lad.measure(code)
    problems: list[str] = []
    if permit_type not in measure.applies_to:
        problems.append(f"{measure.label} is niet mogelijk bij vergunningtype {permit_type}.")
    specs = {p.name: p for p in measure.parameters}
    problems += [f"Onbekend gegeven '{k}' voor {measure.label}." for k in sorted(set(values) - set(specs))]
    for spec in measure.parameters:
        value = values.get(spec.name)
        if value is None or value == "":
            if spec.required:
                problems.append(f"{spec.label} is verplicht bij {measure.label.lower()}.")
            continue
        if spec.unit in ("dagen", "weken", "EUR"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                problems.append(f"{spec.label} moet een getal zijn.")
                continue
            if spec.min is not None and value < spec.min:
                problems.append(f"{spec.label} moet minstens {spec.min:g} {spec.unit} zijn.")
            if spec.max is not None and value > spec.max:
                problems.append(f"{spec.label} mag hoogstens {spec.max:g} {spec.unit} zijn.")
        elif spec.unit == "keuze" and value not in spec.choices:
            problems.append(f"{spec.label}: kies uit {', '.join(spec.choices)}.")
        elif spec.unit == "datum" and not isinstance(value, date):
            problems.append(f"{spec.label} moet een datum zijn.")
    if code == "LAST_ONDER_DWANGSOM":
        amount, maximum = values.get("bedrag_eur"), values.get("maximum_eur")
        if isinstance(amount, int | float) and isinstance(maximum, int | float) and maximum < amount:
            problems.append("Het maximaal te verbeuren bedrag is lager dan het dwangsombedrag.")
    if code == "BESTUURLIJKE_BOETE" and isinstance(values.get("overtreding_op"), date):
        try:
            maximum_fine = wgv_fine_maximum(
                values["overtreding_op"], previous_fine_on=values.get("vorige_boete_op"), ladder=lad
            )
        except ValueError as exc:
            problems.append(str(exc))
        else:
            amount = values.get("bedrag_eur")
            if isinstance(amount, int | float) and amount > maximum_fine.amount_eur:
                problems.append(
                    f"Boetebedrag {_euro(amount)} is hoger dan het wettelijk maximum van "
                    f"{_euro(maximum_fine.amount_eur)}. {maximum_fine.reason}"
                )
    return tuple(problems)
