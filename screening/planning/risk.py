"""Explainable risk score per location for risk-based inspection planning (DESIGN.md: toezichthouder).

The score is a sum of factor points, each factor shown with its value and weight, capped at 100.
The weights live in one documented structure, :data:`DEFAULT_WEIGHTS`; they are a municipal
policy choice (no source prescribes them), so callers may pass their own. A manual raise or
lower with a reason is applied on top and stays visible (DESIGN.md principle: "an inspection
priority can be overruled with a reason, and the reason is kept").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType


class PermitType(StrEnum):
    """What kind of location this is; a location without a permit keeps its suspected kind."""

    SEKSBEDRIJF = "seksbedrijf"  # exploitatievergunning seksbedrijf/seksinrichting (APV, domain.md §3)
    ESCORTBEDRIJF = "escortbedrijf"  # escortbedrijf (APV, §3.1)
    HUISVESTING_AM = "huisvesting_am"  # verhuurvergunning verblijfsruimte arbeidsmigranten (Wgv art 5 lid 1 sub b)
    OVERIG = "overig"

    @property
    def label(self) -> str:
        return {
            PermitType.SEKSBEDRIJF: "Seksbedrijf",
            PermitType.ESCORTBEDRIJF: "Escortbedrijf",
            PermitType.HUISVESTING_AM: "Huisvesting arbeidsmigranten",
            PermitType.OVERIG: "Overig",
        }[self]

    @property
    def team_size(self) -> int:
        """Inspectors needed on site: sex businesses are always checked by two people (domain.md §3.8)."""
        return 2 if self in (PermitType.SEKSBEDRIJF, PermitType.ESCORTBEDRIJF) else 1


class BibobOutcome(StrEnum):
    """Bibob conclusion for the permit holder (Wet Bibob art 3; domain.md §1.3)."""

    GEEN = "geen"
    MINDERE_MATE = "mindere_mate"
    ERNSTIG = "ernstig"
    NIET_ONDERZOCHT = "niet_onderzocht"

    @property
    def label(self) -> str:
        return {
            BibobOutcome.GEEN: "Geen (gebleken) gevaar",
            BibobOutcome.MINDERE_MATE: "Mindere mate van gevaar",
            BibobOutcome.ERNSTIG: "Ernstig gevaar",
            BibobOutcome.NIET_ONDERZOCHT: "Niet onderzocht",
        }[self]


@dataclass(frozen=True, slots=True)
class RiskWeights:
    """Points per factor. Policy defaults, not law: tune per gemeente and keep the version with the plan.

    Each ``*_cap`` bounds one factor so that no single kind of fact can fill the whole 0..100 scale
    on its own, except ``no_permit``: a suspected location without a permit is high risk by itself.
    """

    #: Bibob outcome of the permit holder. 'Ernstig' normally leads to refusal (art 3 lid 1), so a
    #: location that still operates with it (e.g. pending revocation) weighs most.
    bibob: Mapping[BibobOutcome, int] = field(
        default_factory=lambda: MappingProxyType(
            {
                BibobOutcome.GEEN: 0,
                BibobOutcome.NIET_ONDERZOCHT: 5,
                BibobOutcome.MINDERE_MATE: 15,
                BibobOutcome.ERNSTIG: 30,
            }
        )
    )
    #: Per confirmed risk-register hit on the holder, their betrokkenen or the address.
    register_hit: int = 8
    register_hit_cap: int = 16
    #: Per violation found in the last inspections (bevindingen).
    violation: int = 5
    violation_cap: int = 15
    #: Per open enforcement measure (last onder dwangsom/bestuursdwang, boete not yet paid, ...).
    enforcement: int = 7
    enforcement_cap: int = 14
    #: Per unit of open signal weight (§4.2 weights 1..3): a strong signal (3) gives 9 points.
    signal_weight: int = 3
    signal_cap: int = 21
    #: Occupancy above the permitted number: base points plus points per 10 % over, capped.
    occupancy_base: int = 5
    occupancy_per_10pct: int = 2
    occupancy_cap: int = 15
    #: Time since last inspection: 0 points up to half the maximum interval, rising linearly to the
    #: cap at the full interval and beyond; never inspected counts as the full cap.
    interval_cap: int = 15
    interval_start_fraction: float = 0.5
    #: Inherent risk of the kind of location (sex work and labour-migrant housing: domain.md §4.1).
    permit_type: Mapping[PermitType, int] = field(
        default_factory=lambda: MappingProxyType(
            {
                PermitType.SEKSBEDRIJF: 10,
                PermitType.ESCORTBEDRIJF: 10,
                PermitType.HUISVESTING_AM: 6,
                PermitType.OVERIG: 2,
            }
        )
    )
    #: A suspected location without a permit (illegal prostitution, unlicensed housing): the plan
    #: notes most sexual exploitation happens in illegal prostitution (Beleidsplan Drenthe §2.2).
    no_permit: int = 40


DEFAULT_WEIGHTS = RiskWeights()

#: Maximum days between two inspections per kind of location (policy defaults, configurable per
#: gemeente). A suspected location without a permit gets a short follow-up interval.
DEFAULT_MAX_INTERVAL_DAYS: Mapping[PermitType, int] = MappingProxyType(
    {
        PermitType.SEKSBEDRIJF: 182,
        PermitType.ESCORTBEDRIJF: 365,
        PermitType.HUISVESTING_AM: 365,
        PermitType.OVERIG: 730,
    }
)
NO_PERMIT_MAX_INTERVAL_DAYS = 42

#: Manual adjustments are bounded so that an override stays a correction, not a replacement score.
MAX_OVERRIDE_POINTS = 50

_PC4 = re.compile(r"^[1-9][0-9]{3}$")


@dataclass(frozen=True, slots=True)
class PriorityOverride:
    """A manual raise (positive) or lower (negative) of the score; the reason is mandatory and kept."""

    points: int
    reason: str
    set_by: str | None = None

    def __post_init__(self) -> None:
        if not self.reason or not self.reason.strip():
            raise ValueError("Een handmatige aanpassing van de prioriteit vereist een reden.")
        if not -MAX_OVERRIDE_POINTS <= self.points <= MAX_OVERRIDE_POINTS:
            raise ValueError(f"Een handmatige aanpassing ligt tussen -{MAX_OVERRIDE_POINTS} en +{MAX_OVERRIDE_POINTS}.")


@dataclass(frozen=True, slots=True)
class LocationFacts:
    """What the planner knows about one location; built by the app from its records (no ORM here)."""

    location_id: str
    name: str
    permit_type: PermitType
    has_permit: bool = True
    address: str = ""
    postcode4: str | None = None
    lat: float | None = None
    lon: float | None = None
    gemeente_code: str | None = None
    bibob_outcome: BibobOutcome = BibobOutcome.NIET_ONDERZOCHT
    confirmed_register_hits: int = 0
    recent_violations: int = 0
    open_enforcement_measures: int = 0
    open_signal_weights: tuple[int, ...] = ()
    occupancy: int | None = None
    permitted_occupancy: int | None = None
    last_inspection_on: date | None = None
    max_interval_days: int | None = None
    override: PriorityOverride | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "permit_type", PermitType(self.permit_type))
        object.__setattr__(self, "bibob_outcome", BibobOutcome(self.bibob_outcome))
        object.__setattr__(self, "open_signal_weights", tuple(self.open_signal_weights))
        if not self.location_id:
            raise ValueError("Een locatie heeft een id nodig.")
        for name in ("confirmed_register_hits", "recent_violations", "open_enforcement_measures"):
            if getattr(self, name) < 0:
                raise ValueError(f"{self.location_id}: {name} mag niet negatief zijn.")
        if any(w not in (1, 2, 3) for w in self.open_signal_weights):
            raise ValueError(f"{self.location_id}: signaalgewichten zijn 1, 2 of 3 (domain.md §4.2).")
        if self.occupancy is not None and self.occupancy < 0:
            raise ValueError(f"{self.location_id}: bezetting mag niet negatief zijn.")
        if self.permitted_occupancy is not None and self.permitted_occupancy < 0:
            raise ValueError(f"{self.location_id}: vergunde bezetting mag niet negatief zijn.")
        if self.max_interval_days is not None and self.max_interval_days < 1:
            raise ValueError(f"{self.location_id}: het maximale controle-interval is minstens 1 dag.")
        if (self.lat is None) != (self.lon is None):
            raise ValueError(f"{self.location_id}: geef zowel breedte- als lengtegraad, of geen van beide.")
        if self.lat is not None and not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
            raise ValueError(f"{self.location_id}: ongeldige coördinaten.")
        if self.postcode4 is not None and not _PC4.match(self.postcode4):
            raise ValueError(f"{self.location_id}: postcode4 moet vier cijfers zijn (bijv. 9401).")

    @property
    def interval_days(self) -> int:
        """The maximum inspection interval in force for this location."""
        if self.max_interval_days is not None:
            return self.max_interval_days
        if not self.has_permit:
            return NO_PERMIT_MAX_INTERVAL_DAYS
        return DEFAULT_MAX_INTERVAL_DAYS[self.permit_type]

    @property
    def due_on(self) -> date | None:
        """Last day on which the next inspection is within the maximum interval; None if never inspected."""
        if self.last_inspection_on is None:
            return None
        return self.last_inspection_on + timedelta(days=self.interval_days)


@dataclass(frozen=True, slots=True)
class Factor:
    """One line of the explanation: what was counted, how it was shown, its weight and its points."""

    code: str
    label: str
    value: str
    weight: float
    points: int


@dataclass(frozen=True, slots=True)
class RiskScore:
    location_id: str
    total: int
    factors: tuple[Factor, ...]
    priority_override: int | None
    override_reason: str | None
    final: int

    @property
    def band(self) -> str:
        """Dutch priority band for badges: Hoog >= 60, Midden >= 30, else Laag."""
        if self.final >= 60:
            return "Hoog"
        if self.final >= 30:
            return "Midden"
        return "Laag"

    def factor(self, code: str) -> Factor:
        for f in self.factors:
            if f.code == code:
                return f
        raise KeyError(code)


def _clamp(value: float, low: int = 0, high: int = 100) -> int:
    return int(max(low, min(high, round(value))))


def score_location(facts: LocationFacts, *, today: date, weights: RiskWeights = DEFAULT_WEIGHTS) -> RiskScore:
    """Compute the explainable risk score of *facts* on *today* (0..100; override applied on top).

    Every factor is listed, also with 0 points, so the inspector sees what was considered.
    """
    w = weights
    factors: list[Factor] = []

    def add(code: str, label: str, value: str, weight: float, points: float) -> None:
        factors.append(Factor(code, label, value, weight, int(round(points))))

    if not facts.has_permit:
        add("GEEN_VERGUNNING", "Geen vergunning (vermoedelijke locatie)", "geen vergunning", w.no_permit, w.no_permit)
    add(
        "VERGUNNINGTYPE",
        "Soort locatie",
        facts.permit_type.label,
        w.permit_type[facts.permit_type],
        w.permit_type[facts.permit_type],
    )
    if facts.has_permit:
        points = w.bibob[facts.bibob_outcome]
        add("BIBOB", "Bibob-uitkomst vergunninghouder", facts.bibob_outcome.label, points, points)
    hits = facts.confirmed_register_hits
    add(
        "REGISTERTREFFERS",
        "Bevestigde treffers risicoregister",
        str(hits),
        w.register_hit,
        min(w.register_hit_cap, hits * w.register_hit),
    )
    add(
        "BEVINDINGEN",
        "Overtredingen bij laatste controles",
        str(facts.recent_violations),
        w.violation,
        min(w.violation_cap, facts.recent_violations * w.violation),
    )
    add(
        "HANDHAVING",
        "Openstaande handhavingsmaatregelen",
        str(facts.open_enforcement_measures),
        w.enforcement,
        min(w.enforcement_cap, facts.open_enforcement_measures * w.enforcement),
    )
    signal_sum = sum(facts.open_signal_weights)
    add(
        "SIGNALEN",
        "Open signalen mensenhandel",
        f"{len(facts.open_signal_weights)} (totaalgewicht {signal_sum})",
        w.signal_weight,
        min(w.signal_cap, signal_sum * w.signal_weight),
    )
    if facts.occupancy is not None and facts.permitted_occupancy is not None:
        occ, allowed = facts.occupancy, facts.permitted_occupancy
        if occ > allowed:
            over_pct = 100.0 * (occ - allowed) / allowed if allowed else 100.0
            points = min(w.occupancy_cap, w.occupancy_base + w.occupancy_per_10pct * over_pct / 10)
        else:
            points = 0
        add("BEZETTING", "Bezetting t.o.v. vergund aantal", f"{occ} van {allowed}", w.occupancy_per_10pct, points)
    interval = facts.interval_days
    if facts.last_inspection_on is None:
        add("INTERVAL", "Tijd sinds laatste controle", "nooit gecontroleerd", w.interval_cap, w.interval_cap)
    else:
        days = (today - facts.last_inspection_on).days
        fraction = days / interval
        start = w.interval_start_fraction
        ramp = 0.0 if fraction <= start else min(1.0, (fraction - start) / (1.0 - start))
        add(
            "INTERVAL",
            "Tijd sinds laatste controle",
            f"{days} van max. {interval} dagen",
            w.interval_cap,
            w.interval_cap * ramp,
        )
    total = _clamp(sum(f.points for f in factors))
    override = facts.override
    final = _clamp(total + override.points) if override else total
    return RiskScore(
        location_id=facts.location_id,
        total=total,
        factors=tuple(factors),
        priority_override=override.points if override else None,
        override_reason=override.reason if override else None,
        final=final,
    )
