"""The Drenthe meldroute (MR-00..MR-08) as data plus a small rules engine (domain.md §5).

Route: medewerker -> aandachtfunctionaris (gemeente) -> ketenregisseur/zorgcoördinatoren ZVHD
-> Drieluik-overleg -> NLA / politie TMM / RIEC / zorgcoördinator; 112 first when acute
(Beleidsplan 'Drenthe tegen mensenhandel', bijlage 4). The rules and recipients live in
``data/meldroute.yaml``.

Two entry points:

* :func:`propose_route` lists the steps a signal should take from where it is now. It proposes;
  a person decides and sends (§4.2 "never auto-send").
* :func:`check_forward` is the hard privacy gate for one forward: care data never to the RIEC
  (MR-04 data_rule, plan §4.5), Bibob data only under a Wet Bibob art 28 whitelist code
  (DISC-RIEC, DISC-DRIEHOEK, DISC-INTERN; §1.7), always a legal basis that covers the
  recipient, and no skipping of route steps.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from screening.signals._loader import DataFileError, read_yaml, require_unique, validate
from screening.signals.catalogue import SignalEvaluation, Vorm

#: Signals that mean the person may be a minor; for minors coercion need not be proven (art 273f Sr, §4.1).
MINOR_SIGNAL_IDS = frozenset({"SIG-SEX-02"})

PLAN_REFERENCE = "Beleidsplan Drenthe tegen mensenhandel (CVDR737104), bijlage 4"


class Stage(StrEnum):
    """Where a signal is now on the meldroute (bijlage 4), in route order."""

    MEDEWERKER = "MEDEWERKER"
    AANDACHTFUNCTIONARIS = "AANDACHTFUNCTIONARIS"
    ZVHD = "ZVHD"
    DRIELUIK = "DRIELUIK"

    @property
    def label(self) -> str:
        return load_meldroute().stages[self].label

    @property
    def order(self) -> int:
        return load_meldroute().stages[self].order


class Target(StrEnum):
    """A recipient on the meldroute. Contact details are configured per installation, not here."""

    POLITIE_112 = "POLITIE_112"
    AANDACHTFUNCTIONARIS = "AANDACHTFUNCTIONARIS"
    ZVHD = "ZVHD"
    DRIELUIK = "DRIELUIK"
    RIEC = "RIEC"
    NLA = "NLA"
    POLITIE_TMM = "POLITIE_TMM"
    ZORGCOORDINATOR = "ZORGCOORDINATOR"
    BIBOB_COORDINATOR = "BIBOB_COORDINATOR"

    @property
    def label(self) -> str:
        return load_meldroute().targets[self]


class Condition(StrEnum):
    """When a rule applies; evaluated by :func:`_applies`."""

    ACUTE = "ACUTE"
    ALWAYS = "ALWAYS"
    UNDERMINING = "UNDERMINING"
    VORM_ARBEID = "VORM_ARBEID"
    VORM_SEKS_OF_CRIMINEEL = "VORM_SEKS_OF_CRIMINEEL"
    CARE_NEEDED = "CARE_NEEDED"
    BIBOB_RELEVANT = "BIBOB_RELEVANT"


#: ``performed_at`` values besides the stages: ANY (whoever holds the signal), GEMEENTE (medewerker
#: or aandachtfunctionaris, inside the gemeente).
_PERFORMED_AT_EXTRA = ("ANY", "GEMEENTE")
_GEMEENTE_STAGES = frozenset({Stage.MEDEWERKER, Stage.AANDACHTFUNCTIONARIS})


@dataclass(frozen=True, slots=True)
class StageInfo:
    code: Stage
    order: int
    label: str
    forward_to: tuple[Target, ...]


@dataclass(frozen=True, slots=True)
class RouteRule:
    id: str
    when: str
    condition: Condition
    target: Target
    performed_at: str
    action: str
    basis: str
    data_rule: str | None = None


@dataclass(frozen=True, slots=True)
class LegalBasis:
    code: str
    label: str
    targets: tuple[Target, ...]
    source: str
    covers_bibob: bool = False


@dataclass(frozen=True, slots=True)
class DataRule:
    id: str
    text: str
    source: str


@dataclass(frozen=True, slots=True)
class Meldroute:
    """The validated content of ``meldroute.yaml``."""

    version: int
    effective_from: str
    stages: MappingProxyType[Stage, StageInfo] = field(compare=False)
    targets: MappingProxyType[Target, str] = field(compare=False)
    rules: tuple[RouteRule, ...]
    legal_bases: MappingProxyType[str, LegalBasis] = field(compare=False)
    data_rules: MappingProxyType[str, DataRule] = field(compare=False)

    def rule(self, rule_id: str) -> RouteRule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


@dataclass(frozen=True, slots=True)
class SignalReport:
    """What the route engine needs to know about one signal (a Melding in the making, §5).

    ``vormen`` are the forms of exploitation observed (ALLE is ignored: it names no form).
    ``contains_care_data`` = the record holds personal data from ZVHD care partners;
    ``contains_bibob_data`` = the record holds information obtained under the Wet Bibob.
    """

    vormen: frozenset[Vorm] = frozenset()
    is_acute: bool = False
    involves_minor: bool = False
    has_undermining_component: bool = False
    needs_care: bool = False
    is_bibob_relevant: bool = False
    current_stage: Stage = Stage.MEDEWERKER
    contains_care_data: bool = False
    contains_bibob_data: bool = False
    signal_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "vormen", frozenset(Vorm(v) for v in self.vormen) - {Vorm.ALLE})
        object.__setattr__(self, "current_stage", Stage(self.current_stage))
        object.__setattr__(self, "signal_ids", tuple(self.signal_ids))

    @classmethod
    def from_evaluation(cls, evaluation: SignalEvaluation, **facts: Any) -> SignalReport:
        """Build a report from :func:`evaluate_signals` output plus the facts the user adds.

        The forms come from the signals; a minor-signal (SIG-SEX-02) marks ``involves_minor``.
        """
        report = cls(vormen=evaluation.vormen, signal_ids=evaluation.signal_ids, **facts)
        if MINOR_SIGNAL_IDS & set(evaluation.signal_ids):
            report = replace(report, involves_minor=True)
        return report


@dataclass(frozen=True, slots=True)
class RouteStep:
    """One proposed step: who receives what, under which rule and plan section."""

    rule_id: str
    target: Target
    target_label: str
    action: str
    basis: str
    performed_at: str
    is_next: bool
    legal_bases: tuple[str, ...]
    notes: tuple[str, ...] = ()
    data_rule: str | None = None


@dataclass(frozen=True, slots=True)
class RouteProposal:
    """The proposed route. ``auto_send`` is always False: a person decides and motivates (§4.2)."""

    steps: tuple[RouteStep, ...]
    warnings: tuple[str, ...]
    is_acute: bool
    current_stage: Stage
    reference: str = PLAN_REFERENCE
    auto_send: bool = False
    requires_human_decision: bool = True

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(s.rule_id for s in self.steps)

    @property
    def targets(self) -> tuple[Target, ...]:
        return tuple(s.target for s in self.steps)


@dataclass(frozen=True, slots=True)
class ForwardDecision:
    """Outcome of :func:`check_forward`. ``blocked_by`` holds the data-rule ids that failed."""

    allowed: bool
    target: Target
    legal_bases: tuple[str, ...]
    reasons: tuple[str, ...]
    blocked_by: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


_CODE = {"type": "string", "pattern": "^[A-Z0-9_-]+$"}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "version",
        "effective_from",
        "source",
        "stages",
        "targets",
        "rules",
        "legal_bases",
        "data_rules",
    ],
    "additionalProperties": False,
    "properties": {
        "version": {"type": "integer", "minimum": 1},
        "effective_from": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "source": {"type": "string"},
        "stages": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "order", "label", "forward_to"],
                "additionalProperties": False,
                "properties": {
                    "code": {"enum": [s.value for s in Stage]},
                    "order": {"type": "integer", "minimum": 0},
                    "label": {"type": "string", "minLength": 1},
                    "forward_to": {"type": "array", "items": {"enum": [t.value for t in Target]}},
                },
            },
        },
        "targets": {
            "type": "object",
            "propertyNames": {"enum": [t.value for t in Target]},
            "additionalProperties": {"type": "string", "minLength": 1},
        },
        "rules": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "when", "condition", "target", "performed_at", "action", "basis"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^MR-[0-9]{2}$"},
                    "when": {"type": "string", "minLength": 1},
                    "condition": {"enum": [c.value for c in Condition]},
                    "target": {"enum": [t.value for t in Target]},
                    "performed_at": {"enum": [*(s.value for s in Stage), *_PERFORMED_AT_EXTRA]},
                    "action": {"type": "string", "minLength": 1},
                    "basis": {"type": "string", "minLength": 1},
                    "data_rule": {"type": "string"},
                },
            },
        },
        "legal_bases": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "label", "targets", "source"],
                "additionalProperties": False,
                "properties": {
                    "code": _CODE,
                    "label": {"type": "string", "minLength": 1},
                    "targets": {"type": "array", "minItems": 1, "items": {"enum": [t.value for t in Target]}},
                    "source": {"type": "string"},
                    "covers_bibob": {"type": "boolean"},
                },
            },
        },
        "data_rules": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "text", "source"],
                "additionalProperties": False,
                "properties": {"id": _CODE, "text": {"type": "string"}, "source": {"type": "string"}},
            },
        },
    },
}


def parse_meldroute(document: Any, *, name: str = "meldroute.yaml") -> Meldroute:
    """Validate a parsed meldroute document and build the dataclasses."""
    validate(document, SCHEMA, name=name)
    require_unique([s["code"] for s in document["stages"]], name=name, what="stappen")
    require_unique([r["id"] for r in document["rules"]], name=name, what="regels")
    require_unique([b["code"] for b in document["legal_bases"]], name=name, what="grondslagen")
    missing = [s.value for s in Stage if s.value not in {x["code"] for x in document["stages"]}]
    missing += [t.value for t in Target if t.value not in document["targets"]]
    if missing:
        raise DataFileError(f"Gegevensbestand {name}: ontbrekende stap of ontvanger: {', '.join(missing)}")
    stages = sorted(
        (
            StageInfo(Stage(s["code"]), s["order"], s["label"], tuple(Target(t) for t in s["forward_to"]))
            for s in document["stages"]
        ),
        key=lambda s: s.order,
    )
    return Meldroute(
        version=document["version"],
        effective_from=document["effective_from"],
        stages=MappingProxyType({s.code: s for s in stages}),
        targets=MappingProxyType({Target(k): v for k, v in document["targets"].items()}),
        rules=tuple(
            RouteRule(
                id=r["id"],
                when=r["when"],
                condition=Condition(r["condition"]),
                target=Target(r["target"]),
                performed_at=r["performed_at"],
                action=r["action"],
                basis=r["basis"],
                data_rule=r.get("data_rule"),
            )
            for r in sorted(document["rules"], key=lambda r: r["id"])
        ),
        legal_bases=MappingProxyType(
            {
                b["code"]: LegalBasis(
                    b["code"],
                    b["label"],
                    tuple(Target(t) for t in b["targets"]),
                    b["source"],
                    b.get("covers_bibob", False),
                )
                for b in document["legal_bases"]
            }
        ),
        data_rules=MappingProxyType(
            {d["id"]: DataRule(d["id"], d["text"], d["source"]) for d in document["data_rules"]}
        ),
    )


@lru_cache(maxsize=2)
def _load_packaged() -> Meldroute:
    return parse_meldroute(read_yaml("screening.signals", "meldroute.yaml"))


def load_meldroute(path: str | Path | None = None) -> Meldroute:
    """Load the packaged meldroute (cached), or a meldroute file at *path*."""
    if path is None:
        return _load_packaged()
    return parse_meldroute(read_yaml("screening.signals", "meldroute.yaml", path), name=str(path))


def _applies(condition: Condition, report: SignalReport) -> bool:
    match condition:
        case Condition.ACUTE:
            return report.is_acute
        case Condition.ALWAYS:
            return True
        case Condition.UNDERMINING:
            return report.has_undermining_component
        case Condition.VORM_ARBEID:
            return Vorm.ARBEID in report.vormen
        case Condition.VORM_SEKS_OF_CRIMINEEL:
            return bool({Vorm.SEKS, Vorm.CRIMINEEL} & report.vormen)
        case Condition.CARE_NEEDED:
            return report.needs_care
        case Condition.BIBOB_RELEVANT:
            return report.is_bibob_relevant
    raise AssertionError(condition)  # pragma: no cover - exhaustive match


def _performed_order(performed_at: str, route: Meldroute) -> int:
    if performed_at == "ANY":
        return -1
    if performed_at == "GEMEENTE":
        return route.stages[Stage.AANDACHTFUNCTIONARIS].order
    return route.stages[Stage(performed_at)].order


def _is_now(performed_at: str, stage: Stage) -> bool:
    if performed_at == "ANY":
        return True
    if performed_at == "GEMEENTE":
        return stage in _GEMEENTE_STAGES
    return performed_at == stage.value


def _step_notes(rule: RouteRule, report: SignalReport) -> tuple[str, ...]:
    notes: list[str] = []
    if rule.target is Target.RIEC and report.contains_care_data:
        notes.append("Zorggegevens van ZVHD-zorgpartners niet meesturen: alleen fenomeeninformatie (MR-04).")
    if report.contains_bibob_data and rule.target is not Target.BIBOB_COORDINATOR:
        notes.append(
            "Bibob-gegevens niet meesturen (Wet Bibob art. 28), "
            "tenzij DISC-RIEC of DISC-DRIEHOEK van toepassing is."
        )
    if rule.id == "MR-02" and report.is_acute:
        notes.append("Na de 112-melding achteraf contact opnemen met de ketenregisseur of zorgcoördinator.")
    return tuple(notes)


def propose_route(report: SignalReport, *, meldroute: Meldroute | None = None) -> RouteProposal:
    """Propose the meldroute steps for *report*, from its current stage onward (domain.md §5).

    * MR-00 (112) comes first whenever the situation is acute, at any stage (bijlage 4: spoed).
    * The chain MR-01..MR-03 is proposed from the current stage on; steps already taken are left out.
    * Follow-up at the Drieluik: MR-04 RIEC (ondermijning), MR-05 NLA (arbeid), MR-06 politie TMM
      (seks/crimineel), MR-07 zorgcoördinator (zorg/opvang).
    * MR-08 (Bibob-coördinator, intern) runs in parallel inside the gemeente when Bibob-relevant.
    """
    route = meldroute or load_meldroute()
    stage = report.current_stage
    current_order = route.stages[stage].order
    steps: list[RouteStep] = []
    for rule in route.rules:
        if not _applies(rule.condition, report):
            continue
        performed = _performed_order(rule.performed_at, route)
        # Chain steps that lie behind the signal are done; follow-up and parallel steps stay proposed.
        if rule.condition is Condition.ALWAYS and performed < current_order:
            continue
        steps.append(
            RouteStep(
                rule_id=rule.id,
                target=rule.target,
                target_label=route.targets[rule.target],
                action=rule.action,
                basis=rule.basis,
                performed_at=rule.performed_at,
                is_next=_is_now(rule.performed_at, stage),
                legal_bases=tuple(code for code, b in route.legal_bases.items() if rule.target in b.targets),
                notes=_step_notes(rule, report),
                data_rule=rule.data_rule,
            )
        )

    def sort_key(step: RouteStep) -> tuple[int, int, str]:
        # 112 first; the gemeente-internal Bibob track last, it runs beside the route.
        if step.rule_id == "MR-00":
            return (0, 0, step.rule_id)
        if step.performed_at == "GEMEENTE":
            return (2, 0, step.rule_id)
        return (1, _performed_order(step.performed_at, route), step.rule_id)

    steps.sort(key=sort_key)
    warnings: list[str] = []
    if report.involves_minor:
        warnings.append(
            "Minderjarige betrokken: dwang hoeft niet te worden aangetoond (art. 273f Sr); "
            "behandel met voorrang."
        )
    if not report.vormen:
        warnings.append(
            "Vorm van uitbuiting nog onbekend: het Drieluik-overleg bepaalt wie de beste "
            "interventiemogelijkheid heeft."
        )
    if report.contains_care_data and report.has_undermining_component:
        warnings.append(
            "Het signaal bevat zorggegevens: naar het RIEC gaat alleen fenomeeninformatie "
            "(Beleidsplan §4.5, MR-04)."
        )
    if report.contains_bibob_data:
        warnings.append(
            "Het signaal bevat Bibob-gegevens: die blijven onder de geheimhoudingsplicht (Wet Bibob art. 28)."
        )
    return RouteProposal(
        steps=tuple(steps), warnings=tuple(warnings), is_acute=report.is_acute, current_stage=stage
    )


def check_forward(
    report: SignalReport,
    target: Target | str,
    legal_basis: str | Iterable[str] | None,
    *,
    meldroute: Meldroute | None = None,
) -> ForwardDecision:
    """Decide whether *report* may be forwarded to *target* under *legal_basis* (hard privacy checks).

    Every failed check is reported, not just the first, so the user sees all reasons at once:

    * ``GRONDSLAG``: at least one known legal-basis code, each covering the recipient.
    * ``MR-04-ZORGDATA``: care data (ZVHD care partners) never to the RIEC, whatever the basis
      (plan §4.5: the RIEC is no party to the ZVHD convenant; only phenomenon information).
    * ``MR-08-BIBOB``: Bibob data only under a whitelist code for that recipient (DISC-RIEC,
      DISC-DRIEHOEK, DISC-INTERN; Wet Bibob art 28, §1.7).
    * ``VOLGORDE``: only recipients that are next on the route from the current stage; 112 always.
    """
    route = meldroute or load_meldroute()
    target = Target(target)
    if legal_basis is None:
        codes: tuple[str, ...] = ()
    elif isinstance(legal_basis, str):
        codes = (legal_basis.strip(),) if legal_basis.strip() else ()
    else:
        codes = tuple(dict.fromkeys(c.strip() for c in legal_basis if c and c.strip()))
    reasons: list[str] = []
    blocked: list[str] = []
    warnings: list[str] = []

    def block(rule_id: str, reason: str) -> None:
        if rule_id not in blocked:
            blocked.append(rule_id)
        reasons.append(reason)

    bases = [route.legal_bases[c] for c in codes if c in route.legal_bases]
    if not codes:
        block("GRONDSLAG", "Geen grondslag opgegeven: doorzenden vereist een vastgelegde grondslag.")
    for code in codes:
        if code not in route.legal_bases:
            block("GRONDSLAG", f"Onbekende grondslag '{code}': kies een grondslag uit de lijst.")
    for basis in bases:
        if target not in basis.targets:
            block("GRONDSLAG", f"Grondslag {basis.code} dekt geen verstrekking aan {route.targets[target]}.")

    if report.contains_care_data and target is Target.RIEC:
        block(
            "MR-04-ZORGDATA",
            "Zorggegevens van zorgpartners van het ZVHD mogen nooit naar het RIEC (Beleidsplan §4.5, MR-04); "
            "deel alleen fenomeeninformatie zonder persoonsgegevens.",
        )
    if report.contains_bibob_data and not any(b.covers_bibob and target in b.targets for b in bases):
        block(
            "MR-08-BIBOB",
            "Bibob-gegevens vallen onder de geheimhoudingsplicht (Wet Bibob art. 28): alleen verstrekken met "
            "DISC-RIEC (aan het RIEC), DISC-DRIEHOEK (aan de politie) of DISC-INTERN "
            "(aan de Bibob-coördinator). "
            "Verwijder de Bibob-gegevens of kies de juiste grondslag.",
        )

    stage_info = route.stages[report.current_stage]
    if target is not Target.POLITIE_112 and target not in stage_info.forward_to:
        allowed_labels = ", ".join(route.targets[t] for t in stage_info.forward_to)
        block(
            "VOLGORDE",
            f"Volg de meldroute (bijlage 4): vanaf '{stage_info.label}' "
            f"gaat het signaal naar {allowed_labels}.",
        )

    if target is Target.NLA and Vorm.ARBEID not in report.vormen:
        warnings.append(
            "Geen arbeidsuitbuiting vastgesteld; de NLA pakt signalen van arbeidsuitbuiting op (MR-05)."
        )
    if target is Target.POLITIE_TMM and not {Vorm.SEKS, Vorm.CRIMINEEL} & report.vormen:
        warnings.append("Geen seksuele of criminele uitbuiting vastgesteld; TMM pakt die vormen op (MR-06).")
    if target is Target.RIEC and not report.has_undermining_component:
        warnings.append("Geen ondermijnende component vastgesteld; het RIEC is voor ondermijning (MR-04).")
    convenant = route.legal_bases.get("CONVENANT-ZVHD")
    if (
        report.contains_care_data
        and target not in (Target.RIEC, Target.POLITIE_112)
        and convenant is not None
        and target not in convenant.targets
    ):
        warnings.append("Zorggegevens alleen delen binnen het privacyconvenant ZVHD (addendum mensenhandel).")

    allowed = not blocked
    if allowed:
        reasons.append(
            f"Doorzenden naar {route.targets[target]} toegestaan op grond van "
            + ", ".join(b.code for b in bases)
            + ". Een medewerker verstuurt en legt de motivering vast."
        )
    return ForwardDecision(
        allowed=allowed,
        target=target,
        legal_bases=codes,
        reasons=tuple(reasons),
        blocked_by=tuple(blocked),
        warnings=tuple(warnings),
    )
