"""The signal catalogue (signalenlijst) and the barrier model, as data (domain.md §4.1-4.2).

``data/signalen.yaml`` holds the barriers and signals; this module loads and validates it and
implements ``signal_rule`` (§4.2): *any weight-3 signal OR sum(weights) >= 4 -> prompt
'melding overwegen'; never auto-send; always a human decision with a motivation.*
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from screening.signals._loader import DataFileError, read_yaml, require_unique, validate


class Vorm(StrEnum):
    """Form of exploitation (art 273f Sr; domain.md §4.1). ALLE = applies to every form."""

    SEKS = "SEKS"
    ARBEID = "ARBEID"
    CRIMINEEL = "CRIMINEEL"
    ALLE = "ALLE"

    @property
    def label(self) -> str:
        return _VORM_LABELS[self]


_VORM_LABELS = {
    Vorm.SEKS: "Seksuele uitbuiting",
    Vorm.ARBEID: "Arbeidsuitbuiting",
    Vorm.CRIMINEEL: "Criminele uitbuiting",
    Vorm.ALLE: "Alle vormen",
}


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    title: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Barrier:
    """A phase of the barrier model where the gemeente can raise a barrier (§4.1)."""

    id: str
    name: str
    municipal_barriers: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Signal:
    """One signal of the signalenlijst (§4.2). ``weight`` 1 = zwak, 2 = middel, 3 = sterk."""

    id: str
    barrier: str
    vorm: Vorm
    weight: int
    text: str
    sources: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True, slots=True)
class SignalRule:
    strong_weight: int
    sum_threshold: int
    prompt: str
    text: str


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The validated content of ``signalen.yaml``."""

    version: int
    effective_from: str
    barriers: tuple[Barrier, ...]
    signals: tuple[Signal, ...]
    rule: SignalRule
    sources: MappingProxyType[str, Source] = field(compare=False)
    _by_id: dict[str, Signal] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {s.id: s for s in self.signals})

    def signal(self, signal_id: str) -> Signal:
        """Return the signal with *signal_id*; raise :class:`UnknownSignalError` if absent."""
        try:
            return self._by_id[signal_id]
        except KeyError:
            raise UnknownSignalError([signal_id]) from None

    def barrier(self, barrier_id: str) -> Barrier:
        for barrier in self.barriers:
            if barrier.id == barrier_id:
                return barrier
        raise KeyError(barrier_id)

    def signals_for(self, *, vorm: Vorm | None = None, barrier: str | None = None) -> tuple[Signal, ...]:
        """Signals of one form (ALLE-signals included, they apply to every form) and/or one barrier."""
        return tuple(
            s
            for s in self.signals
            if (vorm is None or s.vorm in (vorm, Vorm.ALLE)) and (barrier is None or s.barrier == barrier)
        )

    def has_signal(self, signal_id: str) -> bool:
        return signal_id in self._by_id


class UnknownSignalError(KeyError):
    """One or more signal ids are not in the catalogue."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.ids = tuple(ids)
        super().__init__(f"Onbekende signaalcode(s): {', '.join(self.ids)}")

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True, slots=True)
class SignalEvaluation:
    """Result of :func:`evaluate_signals`: which signals fired and whether a melding is prompted.

    ``consider_report`` only *prompts* the user (§4.2 "never auto-send"): ``auto_send`` is always
    False and ``requires_human_decision`` always True, so no caller can read it as an instruction.
    """

    signals: tuple[Signal, ...]
    total_weight: int
    strong_signals: tuple[Signal, ...]
    consider_report: bool
    reasons: tuple[str, ...]
    vormen: frozenset[Vorm]
    barriers: tuple[str, ...]
    auto_send: bool = False
    requires_human_decision: bool = True

    @property
    def signal_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.signals)


_SOURCE_KEYS = {"type": "array", "items": {"type": "string", "pattern": "^[A-Z]+[0-9]+$"}}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "effective_from", "source", "rule", "sources", "barriers", "signals"],
    "additionalProperties": False,
    "properties": {
        "version": {"type": "integer", "minimum": 1},
        "effective_from": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "source": {"type": "string"},
        "rule": {
            "type": "object",
            "required": ["strong_weight", "sum_threshold", "prompt", "text"],
            "additionalProperties": False,
            "properties": {
                "strong_weight": {"type": "integer", "minimum": 1, "maximum": 3},
                "sum_threshold": {"type": "integer", "minimum": 1},
                "prompt": {"type": "string", "minLength": 1},
                "text": {"type": "string", "minLength": 1},
            },
        },
        "sources": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["title"],
                "additionalProperties": False,
                "properties": {"title": {"type": "string"}, "url": {"type": "string"}},
            },
        },
        "barriers": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "name", "municipal_barriers", "sources"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^BAR-[A-Z]+$"},
                    "name": {"type": "string", "minLength": 1},
                    "municipal_barriers": {"type": "array", "items": {"type": "string"}},
                    "sources": _SOURCE_KEYS,
                },
            },
        },
        "signals": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "barrier", "vorm", "weight", "text", "sources"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^SIG-[A-Z]{3}-[0-9]{2}$"},
                    "barrier": {"type": "string", "pattern": "^BAR-[A-Z]+$"},
                    "vorm": {"enum": [v.value for v in Vorm]},
                    "weight": {"type": "integer", "minimum": 1, "maximum": 3},
                    "text": {"type": "string", "minLength": 1},
                    "sources": _SOURCE_KEYS,
                    "note": {"type": "string"},
                },
            },
        },
    },
}


def parse_catalogue(document: Any, *, name: str = "signalen.yaml") -> Catalogue:
    """Validate a parsed catalogue document (schema + cross references) and build the dataclasses."""
    validate(document, SCHEMA, name=name)
    require_unique([b["id"] for b in document["barriers"]], name=name, what="barrière-ids")
    require_unique([s["id"] for s in document["signals"]], name=name, what="signaalcodes")
    barrier_ids = {b["id"] for b in document["barriers"]}
    source_keys = set(document["sources"])
    problems: list[str] = []
    for item in [*document["barriers"], *document["signals"]]:
        problems += [f"{item['id']}: onbekende bron {k}" for k in item["sources"] if k not in source_keys]
    problems += [
        f"{s['id']}: onbekende barrière {s['barrier']}"
        for s in document["signals"]
        if s["barrier"] not in barrier_ids
    ]
    if problems:
        raise DataFileError(f"Gegevensbestand {name} is ongeldig:\n" + "\n".join(problems))
    return Catalogue(
        version=document["version"],
        effective_from=document["effective_from"],
        barriers=tuple(
            Barrier(b["id"], b["name"], tuple(b["municipal_barriers"]), tuple(b["sources"]))
            for b in document["barriers"]
        ),
        signals=tuple(
            Signal(
                s["id"],
                s["barrier"],
                Vorm(s["vorm"]),
                s["weight"],
                s["text"],
                tuple(s["sources"]),
                s.get("note"),
            )
            for s in document["signals"]
        ),
        rule=SignalRule(**document["rule"]),
        sources=MappingProxyType(
            {k: Source(k, v["title"], v.get("url")) for k, v in sorted(document["sources"].items())}
        ),
    )


@lru_cache(maxsize=4)
def _load_packaged() -> Catalogue:
    return parse_catalogue(read_yaml("screening.signals", "signalen.yaml"))


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Load the packaged signal catalogue (cached), or the catalogue file at *path* (a local version)."""
    if path is None:
        return _load_packaged()
    return parse_catalogue(read_yaml("screening.signals", "signalen.yaml", path), name=str(path))


def evaluate_signals(signal_ids: Iterable[str], *, catalogue: Catalogue | None = None) -> SignalEvaluation:
    """Apply ``signal_rule`` (domain.md §4.2) to the observed *signal_ids*.

    A signal observed twice counts once (it is one observation of one indicator). Unknown ids
    raise :class:`UnknownSignalError`: a typo must not silently lower the total weight.
    The result only prompts "melding overwegen"; it never sends anything (§4.2, §5).
    """
    cat = catalogue or load_catalogue()
    unique_ids = list(dict.fromkeys(signal_ids))
    unknown = [i for i in unique_ids if not cat.has_signal(i)]
    if unknown:
        raise UnknownSignalError(unknown)
    signals = tuple(sorted((cat.signal(i) for i in unique_ids), key=lambda s: (-s.weight, s.id)))
    total = sum(s.weight for s in signals)
    strong = tuple(s for s in signals if s.weight >= cat.rule.strong_weight)
    reasons: list[str] = []
    if strong:
        reasons.append(
            f"Sterk signaal (gewicht {cat.rule.strong_weight}): " + ", ".join(s.id for s in strong)
        )
    if total >= cat.rule.sum_threshold:
        reasons.append(f"Totaalgewicht {total} is {cat.rule.sum_threshold} of meer")
    consider = bool(reasons)
    if not consider:
        reasons.append(
            f"Geen sterk signaal en totaalgewicht {total} is lager dan {cat.rule.sum_threshold}: "
            "geen melding voorgesteld (wel vastleggen)"
        )
    return SignalEvaluation(
        signals=signals,
        total_weight=total,
        strong_signals=strong,
        consider_report=consider,
        reasons=tuple(reasons),
        vormen=frozenset(s.vorm for s in signals if s.vorm is not Vorm.ALLE),
        barriers=tuple(sorted({s.barrier for s in signals})),
    )
