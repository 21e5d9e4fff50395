"""Housing-norm check for a verhuurvergunning verblijfsruimte arbeidsmigranten (domain.md §2.7, §2.8).

The quantitative SNF norms (Stichting Normering Flexwonen, source [W18] unless noted) that can be
checked from the application's floor plan:

* SNF-1.2   verblijfsvorm is one of a reguliere woning, b hotel/pension, c wooneenheden in een
            gebouwencomplex, d woonunits (bestemming logies or wonen), e recreatieterrein.
* SNF-1.3a  GBO (gebruiksoppervlak wonen) ≥ 10 m² per person for b, e and d with bestemming logies.
* SNF-1.3b  GBO ≥ 12 m² per person for a, c and d with bestemming wonen.
* SNF-1.4.1 every slaapvertrek ≥ 3,5 m² floor area per person (bed). The 2,7 m² exception on a
            recreatieterrein (max 2 per room) ended 31-12-2023 [W22]; it is kept with
            ``effective_until`` so assessments of earlier dates still come out right.
* SNF-1.4.2 a bed per resident.
* SNF-2.1 / SNF-2.2  at least 1 toilet / 1 shower per 8 persons.

Optional norms, off by default (enable per gemeente):

* SNF-NEW-2025     GBO ≥ 15 m² per person (incl. slaapkamer) for new-build and hotels/pensions from
                   1-7-2025, and a bedroom in principle for one person [W23]. Low confidence
                   (secondary source), hence off by default.
* GEM-2.8-SLAAPKAMER  at most 2 persons per bedroom (common municipal policy, unverified).
* GEM-2.8-WONING      at most 4 arbeidsmigranten in a regular house (verblijfsvorm a; unverified).

Every threshold is data (:class:`NormThreshold`) with its ``source``, ``effective_from`` and
``effective_until``; a gemeente adjusts them with :meth:`HousingNorms.with_overrides`.

The check never raises on bad input: a missing, zero, negative or non-numeric value becomes a
failed ``INVOER`` result with a Dutch message and the input field it concerns, and the norms that
need it are reported as "niet te beoordelen". The result also gives the maximum number of persons
the dwelling allows under the enabled norms, and which norm limits it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

# --- vocabulary -----------------------------------------------------------------------------------------------


class Verblijfsvorm(StrEnum):
    """SNF-1.2 permitted forms of accommodation; d is split by its planning designation (SNF-1.3)."""

    REGULIERE_WONING = "a"
    HOTEL_PENSION = "b"
    WOONEENHEDEN_COMPLEX = "c"
    WOONUNITS_LOGIES = "d_logies"
    WOONUNITS_WONEN = "d_wonen"
    RECREATIETERREIN = "e"

    @property
    def label(self) -> str:
        return {
            Verblijfsvorm.REGULIERE_WONING: "a. reguliere woning",
            Verblijfsvorm.HOTEL_PENSION: "b. hotel of pension",
            Verblijfsvorm.WOONEENHEDEN_COMPLEX: "c. wooneenheden in een gebouwencomplex",
            Verblijfsvorm.WOONUNITS_LOGIES: "d. woonunits (bestemming logies)",
            Verblijfsvorm.WOONUNITS_WONEN: "d. woonunits (bestemming wonen)",
            Verblijfsvorm.RECREATIETERREIN: "e. recreatieterrein",
        }[self]


class NormStatus(StrEnum):
    VOLDOET = "voldoet"
    VOLDOET_NIET = "voldoet_niet"
    NIET_TE_BEOORDELEN = "niet_te_beoordelen"

    @property
    def label(self) -> str:
        return {
            NormStatus.VOLDOET: "voldoet",
            NormStatus.VOLDOET_NIET: "voldoet niet",
            NormStatus.NIET_TE_BEOORDELEN: "niet te beoordelen",
        }[self]


class Verdict(StrEnum):
    VOLDOET = "voldoet"
    VOLDOET_NIET = "voldoet_niet"
    ONVOLLEDIG = "onvolledig"

    @property
    def label(self) -> str:
        return {
            Verdict.VOLDOET: "Voldoet aan de huisvestingsnormen",
            Verdict.VOLDOET_NIET: "Voldoet niet aan de huisvestingsnormen",
            Verdict.ONVOLLEDIG: "Onvolledig: niet alle normen zijn te beoordelen",
        }[self]


# --- configuration ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NormThreshold:
    """One configurable norm: the threshold value with its source and period of validity."""

    id: str
    description: str
    value: Decimal
    unit: str
    source: str
    effective_from: date | None = None
    effective_until: date | None = None
    enabled: bool = True
    confidence: str = "bron"  # "bron" (stored source) / "laag" (secondary source) / "geheugen" (unverified)
    applies_to: frozenset[Verblijfsvorm] | None = None  # None = every verblijfsvorm
    note: str = ""

    def in_force(self, on: date | None) -> bool:
        """Whether the norm applies on *on*; without a date, historic norms (with an end date) do not."""
        if not self.enabled:
            return False
        if on is None:
            return self.effective_until is None
        if self.effective_from is not None and on < self.effective_from:
            return False
        return self.effective_until is None or on <= self.effective_until


_SNF = "SNF-normering huisvesting arbeidsmigranten"
_A, _B, _C = Verblijfsvorm.REGULIERE_WONING, Verblijfsvorm.HOTEL_PENSION, Verblijfsvorm.WOONEENHEDEN_COMPLEX
_DL, _DW, _E = Verblijfsvorm.WOONUNITS_LOGIES, Verblijfsvorm.WOONUNITS_WONEN, Verblijfsvorm.RECREATIETERREIN

DEFAULT_THRESHOLDS: tuple[NormThreshold, ...] = (
    NormThreshold("SNF-1.3a", "Gebruiksoppervlak wonen (GBO) per persoon", Decimal("10"), "m² per persoon",
                  f"{_SNF}, norm 1.3a [W18]", applies_to=frozenset({_B, _E, _DL})),
    NormThreshold("SNF-1.3b", "Gebruiksoppervlak wonen (GBO) per persoon", Decimal("12"), "m² per persoon",
                  f"{_SNF}, norm 1.3b [W18]", applies_to=frozenset({_A, _C, _DW})),
    NormThreshold("SNF-1.4.1", "Vloeroppervlak slaapvertrek per persoon", Decimal("3.5"), "m² per persoon",
                  f"{_SNF}, norm 1.4.1 [W18]"),
    NormThreshold("SNF-1.4.1-recreatie", "Vloeroppervlak slaapvertrek per persoon op recreatieterrein "
                  "(uitzondering, max. 2 personen per slaapvertrek)", Decimal("2.7"), "m² per persoon",
                  f"{_SNF}, norm 1.4.1 (uitzondering) [W22]", effective_until=date(2023, 12, 31),
                  applies_to=frozenset({_E}), note="Uitzondering vervallen per 31-12-2023."),
    NormThreshold("SNF-1.4.2", "Per bewoner een bed", Decimal("1"), "bed per persoon", f"{_SNF}, norm 1.4.2 [W18]"),
    NormThreshold("SNF-2.1", "Minimaal 1 toilet per 8 personen", Decimal("8"), "personen per toilet",
                  f"{_SNF}, norm 2.1 [W18]"),
    NormThreshold("SNF-2.2", "Minimaal 1 douche per 8 personen", Decimal("8"), "personen per douche",
                  f"{_SNF}, norm 2.2 [W18]"),
    NormThreshold("SNF-NEW-2025", "GBO per persoon (incl. slaapkamer) bij nieuwbouw en hotels/pensions",
                  Decimal("15"), "m² per persoon", f"{_SNF}, wijziging per 1-7-2025 [W23] (secundaire bron)",
                  effective_from=date(2025, 7, 1), enabled=False, confidence="laag",
                  note="Geldt voor nieuwbouw en voor hotels/pensions (verblijfsvorm b)."),
    NormThreshold("SNF-NEW-2025-SK", "Slaapkamer in beginsel voor één persoon (nieuwbouw en hotels/pensions)",
                  Decimal("1"), "personen per slaapkamer", f"{_SNF}, wijziging per 1-7-2025 [W23] (secundaire bron)",
                  effective_from=date(2025, 7, 1), enabled=False, confidence="laag",
                  note="'In beginsel': een afwijking kan gemotiveerd worden toegestaan."),
    NormThreshold("GEM-2.8-SLAAPKAMER", "Maximaal aantal personen per slaapkamer", Decimal("2"),
                  "personen per slaapkamer", "Gemeentelijk beleid (domain.md §2.8, niet geverifieerd)",
                  enabled=False, confidence="geheugen"),
    NormThreshold("GEM-2.8-WONING", "Maximaal aantal arbeidsmigranten in een reguliere woning", Decimal("4"),
                  "personen", "Gemeentelijk beleid (domain.md §2.8, niet geverifieerd)", enabled=False,
                  confidence="geheugen", applies_to=frozenset({_A})),
)


@dataclass(frozen=True, slots=True)
class HousingNorms:
    """The set of thresholds used for one gemeente."""

    thresholds: tuple[NormThreshold, ...] = DEFAULT_THRESHOLDS

    def get(self, norm_id: str) -> NormThreshold:
        for threshold in self.thresholds:
            if threshold.id == norm_id:
                return threshold
        raise KeyError(norm_id)

    def with_overrides(self, overrides: Mapping[str, Mapping[str, Any]]) -> HousingNorms:
        """Copy with per-norm changes, e.g. ``{"SNF-NEW-2025": {"enabled": True}, "SNF-1.3b": {"value": 14}}``.

        Unknown norm ids or fields raise ``KeyError``/``ValueError``: this is beheerder configuration,
        checked when it is saved, not applicant input.
        """
        allowed = {"value", "enabled", "source", "effective_from", "effective_until", "description", "note"}
        out = []
        known = {t.id for t in self.thresholds}
        unknown = set(overrides) - known
        if unknown:
            raise KeyError(f"Onbekende norm: {sorted(unknown)[0]}")
        for threshold in self.thresholds:
            changes = dict(overrides.get(threshold.id, {}))
            bad = set(changes) - allowed
            if bad:
                raise ValueError(f"Onbekend veld bij {threshold.id}: {sorted(bad)[0]}")
            if "value" in changes:
                value, problem = _number(changes["value"])
                if value is None or problem or value <= 0:
                    raise ValueError(f"Ongeldige waarde voor {threshold.id}: {changes['value']!r}")
                changes["value"] = value
            out.append(dataclasses.replace(threshold, **changes))
        return HousingNorms(tuple(out))


DEFAULT_NORMS = HousingNorms()


# --- input ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bedroom:
    """A slaapvertrek from the floor plan. Values may be numbers or strings ("7,5"); they are checked, not trusted."""

    area_m2: Any = None
    beds: Any = None
    name: str = ""


@dataclass(frozen=True, slots=True)
class HousingInput:
    """What the application says about the dwelling (WGV-A04/A05 of domain.md §2.4)."""

    persons: Any = None
    floor_area_m2: Any = None  # GBO, gebruiksoppervlak wonen
    verblijfsvorm: Any = None  # "a", "b", "c", "d_logies", "d_wonen", "e" (or a Verblijfsvorm)
    bedrooms: Any = ()
    toilets: Any = None
    showers: Any = None
    is_new_build: bool = False  # for SNF-NEW-2025

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> HousingInput:
        """Build from a plain mapping (form data / JSON); bedrooms as a list of mappings. Never raises."""
        data = data if isinstance(data, Mapping) else {}
        rooms_raw = data.get("bedrooms") or ()
        rooms: list[Any] = []
        if isinstance(rooms_raw, Iterable) and not isinstance(rooms_raw, str | bytes | Mapping):
            for room in rooms_raw:
                if isinstance(room, Mapping):
                    rooms.append(Bedroom(room.get("area_m2"), room.get("beds"), str(room.get("name") or "")))
                else:
                    rooms.append(room)
        return cls(
            persons=data.get("persons"),
            floor_area_m2=data.get("floor_area_m2"),
            verblijfsvorm=data.get("verblijfsvorm"),
            bedrooms=tuple(rooms),
            toilets=data.get("toilets"),
            showers=data.get("showers"),
            is_new_build=data.get("is_new_build") is True,
        )


# --- output --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NormResult:
    """The outcome of one norm (or of one input check, id ``INVOER``)."""

    id: str
    description: str
    required: str  # human-readable, e.g. "≥ 72 m² (12 m² × 6 personen)"
    actual: str
    passes: bool
    status: NormStatus
    source: str
    message: str
    subject: str = ""  # e.g. "Slaapkamer 2"
    field: str | None = None  # the input field concerned, for showing the message next to it
    required_value: float | None = None
    actual_value: float | None = None


@dataclass(frozen=True, slots=True)
class CapacityFactor:
    """How many persons one norm allows, given the dwelling."""

    norm_id: str
    label: str
    persons: int


@dataclass(frozen=True, slots=True)
class HousingResult:
    verdict: Verdict
    norms: tuple[NormResult, ...]
    max_persons: int | None
    limited_by: tuple[str, ...]  # norm ids that set max_persons
    capacity: tuple[CapacityFactor, ...]
    summary: tuple[str, ...]

    @property
    def passes(self) -> bool:
        return self.verdict is Verdict.VOLDOET

    @property
    def failed(self) -> tuple[NormResult, ...]:
        return tuple(n for n in self.norms if not n.passes)


# --- helpers -------------------------------------------------------------------------------------------------------


#: Anything larger is a typing error, not a dwelling (and keeps Decimal arithmetic in range).
_MAX_INPUT = Decimal(10_000_000)


def _number(value: Any) -> tuple[Decimal | None, str | None]:
    """Parse a number (int, float, Decimal or Dutch/English string); return (value, problem)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "ontbreekt"
    if isinstance(value, bool):
        return None, "is geen getal"
    try:
        if isinstance(value, str):
            text = value.strip().replace("m²", "").replace("m2", "").strip()
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            number = Decimal(text)
        elif isinstance(value, int | float | Decimal):
            number = Decimal(str(value))
        else:
            return None, "is geen getal"
    except (InvalidOperation, ValueError):
        return None, "is geen getal"
    if not number.is_finite():
        return None, "is geen getal"
    if abs(number) > _MAX_INPUT:
        return None, "is onwaarschijnlijk groot"
    return number, None


def _fmt(value: Decimal | int) -> str:
    """Dutch number: ``12``, ``12,5``, ``3,25``."""
    try:
        d = Decimal(value).quantize(Decimal("0.01")).normalize()
    except InvalidOperation:
        d = Decimal(value)
    text = f"{d:f}"
    return text.replace(".", ",")


def _persons_word(n: Decimal | int) -> str:
    return f"{_fmt(n)} {'persoon' if n == 1 else 'personen'}"


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def _parse_verblijfsvorm(value: Any) -> tuple[Verblijfsvorm | None, str | None]:
    if isinstance(value, Verblijfsvorm):
        return value, None
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "Verblijfsvorm ontbreekt: kies a, b, c, d (logies of wonen) of e (SNF-1.2)."
    text = str(value).strip().lower().replace(" ", "_").replace("-", "_")
    if text == "d":
        return None, ("Verblijfsvorm d (woonunits): geef aan of de bestemming logies of wonen is (SNF-1.3). "
                      "De strengste norm is toegepast.")
    try:
        return Verblijfsvorm(text), None
    except ValueError:
        return None, f"Onbekende verblijfsvorm '{value}': kies a, b, c, d (logies of wonen) of e (SNF-1.2)."


# --- the check -----------------------------------------------------------------------------------------------------


def check_housing(
    housing: HousingInput | Mapping[str, Any],
    *,
    norms: HousingNorms = DEFAULT_NORMS,
    assessed_on: date | None = None,
) -> HousingResult:
    """Check a dwelling for arbeidsmigranten against the SNF norms (domain.md §2.7) and gemeente policy (§2.8).

    *assessed_on* selects the norms in force on that date (``effective_from`` / ``effective_until``);
    without it, every enabled norm without an end date applies. Never raises on bad input.
    """
    if isinstance(housing, Mapping):
        housing = HousingInput.from_mapping(housing)
    elif not isinstance(housing, HousingInput):
        housing = HousingInput()
    results: list[NormResult] = []

    def invoer(field: str, subject: str, message: str) -> None:
        results.append(NormResult(
            id="INVOER", description="Invoer controleren", required="geldige waarde", actual="ongeldig",
            passes=False, status=NormStatus.NIET_TE_BEOORDELEN, source="Aanvraag (WGV-A04/A05)",
            message=message, subject=subject, field=field,
        ))

    def not_assessable(threshold: NormThreshold, message: str, subject: str = "") -> None:
        results.append(NormResult(
            id=threshold.id, description=threshold.description, required="", actual="",
            passes=False, status=NormStatus.NIET_TE_BEOORDELEN, source=threshold.source,
            message=f"Niet te beoordelen: {message}", subject=subject,
        ))

    def outcome(threshold: NormThreshold, ok: bool, required: str, actual: str, message: str, *,
                subject: str = "", required_value: Decimal | int | None = None,
                actual_value: Decimal | int | None = None) -> None:
        results.append(NormResult(
            id=threshold.id, description=threshold.description, required=required, actual=actual, passes=ok,
            status=NormStatus.VOLDOET if ok else NormStatus.VOLDOET_NIET, source=threshold.source,
            message=message, subject=subject,
            required_value=None if required_value is None else float(required_value),
            actual_value=None if actual_value is None else float(actual_value),
        ))

    def active(norm_id: str, form: Verblijfsvorm | None = None) -> NormThreshold | None:
        try:
            threshold = norms.get(norm_id)
        except KeyError:
            return None
        if not threshold.in_force(assessed_on):
            return None
        if threshold.applies_to is not None and form is not None and form not in threshold.applies_to:
            return None
        return threshold

    # --- input ---
    persons_raw, problem = _number(housing.persons)
    persons: int | None = None
    if problem:
        invoer("persons", "Aantal personen", f"Aantal personen {problem}: vul een geheel getal van minstens 1 in.")
    elif persons_raw is not None and (persons_raw != persons_raw.to_integral_value() or persons_raw < 1):
        invoer("persons", "Aantal personen",
               f"Aantal personen ({_fmt(persons_raw)}) is ongeldig: vul een geheel getal van minstens 1 in.")
    else:
        persons = int(persons_raw) if persons_raw is not None else None

    gbo, problem = _number(housing.floor_area_m2)
    if problem:
        invoer("floor_area_m2", "Gebruiksoppervlak (GBO)", f"Gebruiksoppervlak (GBO) {problem}: vul het aantal m² in.")
        gbo = None
    elif gbo is not None and gbo <= 0:
        invoer("floor_area_m2", "Gebruiksoppervlak (GBO)",
               f"Gebruiksoppervlak (GBO) van {_fmt(gbo)} m² is ongeldig: vul een oppervlakte groter dan 0 in.")
        gbo = None

    def count(value: Any, field: str, label: str) -> int | None:
        number, problem = _number(value)
        if problem:
            invoer(field, label, f"Aantal {label.lower()} {problem}: vul een geheel getal in (0 of meer).")
            return None
        assert number is not None
        if number < 0 or number != number.to_integral_value():
            invoer(field, label, f"Aantal {label.lower()} ({_fmt(number)}) is ongeldig: vul een geheel getal "
                                 "van 0 of meer in.")
            return None
        return int(number)

    toilets = count(housing.toilets, "toilets", "Toiletten")
    showers = count(housing.showers, "showers", "Douches")

    form, form_problem = _parse_verblijfsvorm(housing.verblijfsvorm)
    snf_12 = NormThreshold("SNF-1.2", "Toegestane verblijfsvorm (a–e)", Decimal(0), "", f"{_SNF}, norm 1.2 [W18]")
    if form is not None:
        outcome(snf_12, True, "a, b, c, d of e", form.label, f"Verblijfsvorm {form.label}.")
    else:
        results.append(NormResult(
            id="SNF-1.2", description=snf_12.description, required="a, b, c, d (logies of wonen) of e",
            actual=str(housing.verblijfsvorm or "—"), passes=False, status=NormStatus.NIET_TE_BEOORDELEN,
            source=snf_12.source, message=form_problem or "", field="verblijfsvorm",
        ))

    rooms: list[tuple[str, Decimal | None, int | None]] = []
    rooms_raw = housing.bedrooms
    if rooms_raw is None or isinstance(rooms_raw, str | bytes | Mapping) or not isinstance(rooms_raw, Iterable):
        rooms_raw = ()
    for i, room in enumerate(rooms_raw):
        if isinstance(room, Mapping):
            room = Bedroom(room.get("area_m2"), room.get("beds"), str(room.get("name") or ""))
        if not isinstance(room, Bedroom):
            invoer(f"bedrooms[{i}]", f"Slaapkamer {i + 1}", f"Slaapkamer {i + 1}: onleesbare gegevens.")
            rooms.append((f"Slaapkamer {i + 1}", None, None))
            continue
        name = room.name or f"Slaapkamer {i + 1}"
        area, problem = _number(room.area_m2)
        if problem:
            invoer(f"bedrooms[{i}].area_m2", name, f"{name}: vloeroppervlak {problem}; vul het aantal m² in.")
            area = None
        elif area is not None and area <= 0:
            invoer(f"bedrooms[{i}].area_m2", name,
                   f"{name}: vloeroppervlak van {_fmt(area)} m² is ongeldig; vul een oppervlakte groter dan 0 in.")
            area = None
        beds = count(room.beds, f"bedrooms[{i}].beds", f"Bedden ({name})")
        rooms.append((name, area, beds))
    if not rooms:
        invoer("bedrooms", "Slaapkamers", "Geen slaapkamers opgegeven: vul per slaapkamer de m² en het aantal bedden in.")

    # --- SNF-1.3: GBO per person; the strictest applicable threshold when the form is unknown ---
    gbo_thresholds = [t for t in (active("SNF-1.3a", form), active("SNF-1.3b", form)) if t is not None]
    if form is None and len(gbo_thresholds) > 1:
        gbo_thresholds = [max(gbo_thresholds, key=lambda t: t.value)]
    new_build_rule = active("SNF-NEW-2025")
    new_rule_applies = new_build_rule is not None and (housing.is_new_build is True or form is _B)
    if new_rule_applies and new_build_rule is not None:
        gbo_thresholds.append(new_build_rule)
    for threshold in gbo_thresholds:
        if persons is None or gbo is None:
            not_assessable(threshold, "aantal personen of gebruiksoppervlak ontbreekt of is ongeldig.")
            continue
        needed = threshold.value * persons
        ok = gbo >= needed
        outcome(
            threshold, ok, f"≥ {_fmt(needed)} m² ({_fmt(threshold.value)} m² × {_persons_word(persons)})",
            f"{_fmt(gbo)} m²",
            (f"GBO {_fmt(gbo)} m² voor {_persons_word(persons)}: "
             f"{_fmt(gbo / persons)} m² per persoon, norm {_fmt(threshold.value)} m²."),
            required_value=needed, actual_value=gbo,
        )

    # --- SNF-1.4.1: bedroom area per person; the recreation exception where (still) in force ---
    room_norm = active("SNF-1.4.1")
    recreation = active("SNF-1.4.1-recreatie", form) if form is _E else None
    single_room = active("SNF-NEW-2025-SK") if new_rule_applies else None
    max_per_room = active("GEM-2.8-SLAAPKAMER")
    for name, area, beds in rooms:
        threshold = room_norm
        if recreation is not None and beds is not None and beds <= 2:
            threshold = recreation
        if threshold is not None:
            if area is None or beds is None:
                not_assessable(threshold, "oppervlak of aantal bedden ontbreekt of is ongeldig.", subject=name)
            else:
                needed = threshold.value * beds
                outcome(threshold, area >= needed,
                        f"≥ {_fmt(needed)} m² ({_fmt(threshold.value)} m² × {_persons_word(beds)})",
                        f"{_fmt(area)} m²",
                        f"{name}: {_fmt(area)} m² voor {_persons_word(beds)}.", subject=name,
                        required_value=needed, actual_value=area)
        for limit in (single_room, max_per_room):
            if limit is None:
                continue
            if beds is None:
                not_assessable(limit, "aantal bedden ontbreekt of is ongeldig.", subject=name)
            else:
                outcome(limit, beds <= limit.value, f"≤ {_persons_word(limit.value)}", _persons_word(beds),
                        f"{name}: {_persons_word(beds)}.", subject=name,
                        required_value=limit.value, actual_value=beds)

    # --- SNF-1.4.2: a bed per resident ---
    bed_norm = active("SNF-1.4.2")
    known_beds = [beds for _, _, beds in rooms]
    total_beds = sum(b for b in known_beds if b is not None) if rooms and None not in known_beds else None
    if bed_norm is not None:
        if persons is None or total_beds is None:
            not_assessable(bed_norm, "aantal personen of bedden ontbreekt of is ongeldig.")
        else:
            outcome(bed_norm, total_beds >= persons, f"≥ {persons} bedden", f"{total_beds} bedden",
                    f"{total_beds} bedden voor {_persons_word(persons)}.",
                    required_value=persons, actual_value=total_beds)

    # --- SNF-2.1 / 2.2: sanitary ---
    for norm_id, amount, noun, plural_noun in (("SNF-2.1", toilets, "toilet", "toiletten"),
                                               ("SNF-2.2", showers, "douche", "douches")):
        threshold = active(norm_id)
        if threshold is None:
            continue
        if persons is None or amount is None:
            not_assessable(threshold, f"aantal personen of {plural_noun} ontbreekt of is ongeldig.")
            continue
        needed = math.ceil(persons / threshold.value)
        outcome(threshold, amount >= needed, f"≥ {needed} {noun if needed == 1 else plural_noun}",
                f"{amount} {noun if amount == 1 else plural_noun}",
                f"{amount} {noun if amount == 1 else plural_noun} voor {_persons_word(persons)} "
                f"(1 per {_fmt(threshold.value)}).", required_value=needed, actual_value=amount)

    # --- GEM-2.8-WONING: cap on a regular house ---
    house_cap = active("GEM-2.8-WONING", form) if form is _A else None
    if house_cap is not None:
        if persons is None:
            not_assessable(house_cap, "aantal personen ontbreekt of is ongeldig.")
        else:
            outcome(house_cap, persons <= house_cap.value, f"≤ {_persons_word(house_cap.value)}",
                    _persons_word(persons), f"{_persons_word(persons)} in een reguliere woning.",
                    required_value=house_cap.value, actual_value=persons)

    # --- maximum persons under the enabled norms ---
    capacity: list[CapacityFactor] = []
    missing: list[str] = []
    if gbo is None:
        missing.append("gebruiksoppervlak")
    else:
        for threshold in gbo_thresholds:
            capacity.append(CapacityFactor(threshold.id, f"GBO {_fmt(gbo)} m² / {_fmt(threshold.value)} m²",
                                           _floor(gbo / threshold.value)))
    if not rooms or any(area is None or beds is None for _, area, beds in rooms):
        missing.append("slaapkamers")
    elif room_norm is not None:
        room_capacity = 0
        for _name, area, beds in rooms:
            assert area is not None and beds is not None
            threshold = recreation if recreation is not None and beds <= 2 else room_norm
            per_room = _floor(area / threshold.value)
            if recreation is not None and threshold is recreation:
                per_room = min(per_room, 2)
            for limit in (single_room, max_per_room):
                if limit is not None:
                    per_room = min(per_room, _floor(limit.value))
            room_capacity += per_room
        capacity.append(CapacityFactor("SNF-1.4.1", "slaapkameroppervlak", room_capacity))
        if bed_norm is not None and total_beds is not None:
            capacity.append(CapacityFactor("SNF-1.4.2", "aantal bedden", total_beds))
    for norm_id, amount, one, many in (("SNF-2.1", toilets, "toilet", "toiletten"),
                                       ("SNF-2.2", showers, "douche", "douches")):
        threshold = active(norm_id)
        if threshold is None:
            continue
        if amount is None:
            missing.append(many)
        else:
            capacity.append(CapacityFactor(
                norm_id, f"{amount} {one if amount == 1 else many} × {_fmt(threshold.value)} personen",
                _floor(amount * threshold.value),
            ))
    if house_cap is not None:
        capacity.append(CapacityFactor(house_cap.id, "beleid reguliere woning", _floor(house_cap.value)))
    max_persons = None if missing or not capacity else min(c.persons for c in capacity)
    limited_by = tuple(c.norm_id for c in capacity if c.persons == max_persons) if max_persons is not None else ()

    # --- verdict and summary ---
    if any(r.status is NormStatus.VOLDOET_NIET for r in results):
        verdict = Verdict.VOLDOET_NIET
    elif any(r.status is NormStatus.NIET_TE_BEOORDELEN for r in results):
        verdict = Verdict.ONVOLLEDIG
    else:
        verdict = Verdict.VOLDOET
    summary = [f"{verdict.label}."]
    failing = [r for r in results if r.status is NormStatus.VOLDOET_NIET]
    if failing:
        summary.append("Niet voldaan: " + "; ".join(
            f"{r.id}{f' ({r.subject})' if r.subject else ''}: {r.message}" for r in failing
        ))
    if max_persons is not None:
        summary.append(f"Maximaal {_persons_word(max_persons)} volgens deze normen (beperkt door "
                       f"{', '.join(limited_by)}).")
        if persons is not None and persons > max_persons:
            summary.append(f"Aangevraagd: {_persons_word(persons)}, meer dan het maximum.")
        if form is None:
            summary.append("Verblijfsvorm onbekend: voor het gebruiksoppervlak is de strengste norm toegepast.")
    else:
        summary.append("Maximum aantal personen niet te bepalen: " + ", ".join(dict.fromkeys(missing))
                       + " ontbreekt of is ongeldig.")
    return HousingResult(
        verdict=verdict, norms=tuple(results), max_persons=max_persons, limited_by=limited_by,
        capacity=tuple(capacity), summary=tuple(summary),
    )
