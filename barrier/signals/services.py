"""Use cases of the signals area: record a signal, route it along the meldroute, close it.

The route rules and the privacy gate are ``screening.signals`` (propose_route, check_forward);
this module turns a Signal record into a ``SignalReport``, records what was decided and by whom,
and never sends anything by itself (domain.md §4.2: "never auto-send; always a human decision").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select

from barrier import audit
from barrier.db import db, utcnow
from barrier.models.inspections import Inspection, InspectionLocation
from barrier.models.signals import (
    ExploitationForm,
    Signal,
    SignalCareNote,
    SignalForward,
    SignalSource,
    SignalStatus,
    SignalUrgency,
)
from barrier.models.users import Role, User
from screening.signals import (
    ForwardDecision,
    RouteProposal,
    SignalReport,
    Stage,
    Target,
    UnknownSignalError,
    Vorm,
    check_forward,
    evaluate_signals,
    load_catalogue,
    load_meldroute,
    propose_route,
)

#: Forwarding to these recipients moves the signal along the chain of bijlage 4.
STAGE_AFTER_FORWARD = {
    Target.AANDACHTFUNCTIONARIS: Stage.AANDACHTFUNCTIONARIS,
    Target.ZVHD: Stage.ZVHD,
    Target.DRIELUIK: Stage.DRIELUIK,
}
#: Stages at which the gemeente holds the signal; from ZVHD on the region (ketenregisseur) does.
GEMEENTE_STAGES = frozenset({Stage.MEDEWERKER, Stage.AANDACHTFUNCTIONARIS})
REGION_STAGES = frozenset({Stage.ZVHD, Stage.DRIELUIK})
#: The legal basis of the first, internal step (MR-01) recorded when a signal is created.
INTERNAL_BASIS = "INTERNE-MELDROUTE"

_VORM = {ExploitationForm.SEKS: Vorm.SEKS, ExploitationForm.ARBEID: Vorm.ARBEID,
         ExploitationForm.CRIMINEEL: Vorm.CRIMINEEL}


class SignalError(Exception):
    def __init__(self, message: str, *, field: str | None = None, reasons: tuple[str, ...] = ()):
        super().__init__(message)
        self.message = message
        self.field = field
        self.reasons = reasons


class ForwardRefused(SignalError):
    """check_forward said no; ``decision.blocked_by`` names the rules (MR-04-ZORGDATA, GRONDSLAG...)."""

    def __init__(self, decision: ForwardDecision):
        super().__init__("Doorsturen is niet toegestaan.", reasons=decision.reasons)
        self.decision = decision


@dataclass(frozen=True)
class SignalInput:
    gemeente_id: int | None
    signal_ids: list[str]
    vorm: ExploitationForm
    urgency: SignalUrgency
    source: SignalSource
    observation: str
    persons: str = ""
    address_text: str = ""
    location_id: int | None = None
    inspection_id: int | None = None
    has_undermining_component: bool = False
    needs_care: bool = False
    is_bibob_relevant: bool = False
    contains_bibob_data: bool = False
    reported_on: date | None = None


def stage_of(signal: Signal) -> Stage:
    return Stage(signal.stage)


def report_for(signal: Signal) -> SignalReport:
    """The engine's view of a signal: forms from the catalogue plus the form the reporter stated."""
    catalogue = load_catalogue()
    evaluation = evaluate_signals([s for s in signal.signal_ids or [] if catalogue.has_signal(s)])
    report = SignalReport.from_evaluation(
        evaluation, is_acute=signal.urgency is SignalUrgency.ACUUT,
        has_undermining_component=signal.has_undermining_component, needs_care=signal.needs_care,
        is_bibob_relevant=signal.is_bibob_relevant, current_stage=stage_of(signal),
        contains_care_data=signal.contains_care_data, contains_bibob_data=signal.contains_bibob_data)
    if signal.vorm in _VORM:
        from dataclasses import replace

        report = replace(report, vormen=report.vormen | {_VORM[signal.vorm]})
    return report


def proposal_for(signal: Signal) -> RouteProposal:
    return propose_route(report_for(signal))


def visible_signals(user: Any) -> Select:
    """Need-to-know: the gemeente sees its own signals; the region sees them once forwarded to the ZVHD."""
    stmt = select(Signal)
    if user.role is Role.KETENREGISSEUR or user.gemeente_id is None:
        return stmt.where(or_(Signal.stage.in_([s.value for s in REGION_STAGES]), Signal.created_by_id == user.id))
    return stmt.where(Signal.gemeente_id == user.gemeente_id)


def can_see_care_notes(user: Any) -> bool:
    # Care data from zorgpartners stays with the ZVHD (convenant ZVHD, Beleidsplan §4.5).
    return user.role is Role.KETENREGISSEUR


def _check_ids(signal_ids: list[str]):
    try:
        return evaluate_signals(signal_ids)
    except UnknownSignalError as error:
        raise SignalError(str(error), field="signal_ids") from error


def create_signal(data: SignalInput, *, actor: User, today: date) -> Signal:
    """Record a signal and hand it to the gemeente's aandachtfunctionaris (MR-01, bijlage 4).

    A medewerker's signal is forwarded at once under the internal meldroute; an aandachtfunctionaris
    of that gemeente starts at their own stage, a ketenregisseur at the ZVHD.
    """
    if data.gemeente_id is None:
        raise SignalError("Kies de gemeente waar het signaal speelt: zonder gemeente kan het signaal niet naar de "
                          "aandachtfunctionaris mensenhandel.", field="gemeente")
    if not data.observation.strip():
        raise SignalError("Beschrijf wat u heeft waargenomen.", field="observation")
    evaluation = _check_ids(data.signal_ids)
    reported_on = data.reported_on or today
    if reported_on > today:
        raise SignalError("De datum van het signaal ligt in de toekomst.", field="reported_on")
    if data.location_id is not None:
        location = db.session.get(InspectionLocation, data.location_id)
        if location is None or location.gemeente_id != data.gemeente_id:
            raise SignalError("De locatie hoort niet bij de gekozen gemeente.", field="gemeente")
    if data.inspection_id is not None:
        inspection = db.session.get(Inspection, data.inspection_id)
        if inspection is None or inspection.gemeente_id != data.gemeente_id:
            raise SignalError("De controle hoort niet bij de gekozen gemeente.", field="gemeente")
    if actor.role is Role.AANDACHTFUNCTIONARIS and actor.gemeente_id == data.gemeente_id:
        stage = Stage.AANDACHTFUNCTIONARIS
    elif actor.role is Role.KETENREGISSEUR:
        stage = Stage.ZVHD
    else:
        stage = Stage.MEDEWERKER
    signal = Signal(
        gemeente_id=data.gemeente_id, location_id=data.location_id, inspection_id=data.inspection_id,
        address_text=data.address_text.strip()[:300], source=data.source, signal_ids=list(evaluation.signal_ids),
        total_weight=evaluation.total_weight, vorm=data.vorm, urgency=data.urgency,
        observation=data.observation.strip(), persons=data.persons.strip(),
        has_undermining_component=data.has_undermining_component, needs_care=data.needs_care,
        is_bibob_relevant=data.is_bibob_relevant, contains_bibob_data=data.contains_bibob_data,
        stage=stage.value, reported_on=reported_on, created_by_id=actor.id)
    db.session.add(signal)
    db.session.flush()
    signal.reference = f"SIG-{reported_on.year}-{signal.id:05d}"
    audit.record("signal.created", object_type="signals", object_id=signal.id, gemeente_id=signal.gemeente_id,
                 actor=actor, stage=stage.value, urgency=data.urgency.value, signal_count=len(signal.signal_ids))
    if stage is Stage.MEDEWERKER:
        forward_signal(signal, target=Target.AANDACHTFUNCTIONARIS, legal_bases=[INTERNAL_BASIS],
                       motivation="Vastgelegd signaal: naar de aandachtfunctionaris mensenhandel van de gemeente "
                                  "(interne meldroute).", actor=actor, check_holder=False)
    return signal


def _rule_for(signal: Signal, target: Target) -> str:
    for step in proposal_for(signal).steps:
        if step.target is target:
            return step.rule_id
    return ""


def holder_may_route(signal: Signal, user: Any) -> bool:
    """Who holds the signal now: the gemeente (aandachtfunctionaris) or the region (ketenregisseur)."""
    stage = stage_of(signal)
    if user.role is Role.KETENREGISSEUR:
        return stage in REGION_STAGES
    return stage in GEMEENTE_STAGES and user.gemeente_id == signal.gemeente_id


def forward_signal(signal: Signal, *, target: Target | str, legal_bases: list[str], motivation: str, actor: User,
                   check_holder: bool = True) -> SignalForward:
    """Record that the signal went to *target*, after ``check_forward`` allowed it (hard privacy gate).

    Refused forwards raise :class:`ForwardRefused` and are not recorded as forwards (the view
    audits the refusal). Care data never reaches the RIEC (MR-04): check_forward blocks it.
    """
    target = Target(target)
    if signal.status is SignalStatus.AFGESLOTEN:
        raise SignalError("Dit signaal is afgesloten.")
    if check_holder and target is not Target.POLITIE_112 and not holder_may_route(signal, actor):
        where = "de gemeente" if stage_of(signal) in GEMEENTE_STAGES else "het ZVHD"
        raise SignalError(f"Dit signaal ligt nu bij {where}; alleen die kan het doorsturen.")
    if not motivation.strip():
        raise SignalError("Leg vast waarom het signaal wordt doorgestuurd.", field="motivation")
    decision = check_forward(report_for(signal), target, legal_bases)
    if not decision.allowed:
        raise ForwardRefused(decision)
    before = stage_of(signal)
    after = STAGE_AFTER_FORWARD.get(target, before)
    forward = SignalForward(signal=signal, target=target.value, rule_id=_rule_for(signal, target),
                            legal_bases=list(decision.legal_bases), motivation=motivation.strip(),
                            stage_before=before.value, stage_after=after.value, forwarded_by_id=actor.id)
    db.session.add(forward)
    signal.stage = after.value
    signal.version += 1
    db.session.flush()
    audit.record("signal.forwarded", object_type="signals", object_id=signal.id, gemeente_id=signal.gemeente_id,
                 actor=actor, target=target.value, legal_bases=list(decision.legal_bases),
                 stage_before=before.value, stage_after=after.value)
    return forward


def add_care_note(signal: Signal, *, text: str, actor: User) -> SignalCareNote:
    """Add care data from ZVHD zorgpartners; it marks the signal for good (the RIEC block, MR-04)."""
    if not can_see_care_notes(actor):
        raise SignalError("Zorggegevens van zorgpartners legt alleen het ZVHD vast.")
    if not text.strip():
        raise SignalError("Vul de zorggegevens in.", field="text")
    note = SignalCareNote(signal=signal, text=text.strip(), added_by_id=actor.id)
    db.session.add(note)
    signal.contains_care_data = True  # sticky: never cleared, also not when a note is removed
    signal.version += 1
    db.session.flush()
    audit.record("signal.care_data_added", object_type="signals", object_id=signal.id,
                 gemeente_id=signal.gemeente_id, actor=actor)
    return note


def close_signal(signal: Signal, *, note: str, actor: User) -> None:
    if signal.status is SignalStatus.AFGESLOTEN:
        raise SignalError("Dit signaal is al afgesloten.")
    if not holder_may_route(signal, actor):
        raise SignalError("Alleen wie het signaal nu in behandeling heeft, kan het afsluiten.")
    if not note.strip():
        raise SignalError("Geef aan waarom het signaal wordt afgesloten.", field="note")
    signal.status, signal.closing_note, signal.closed_at = SignalStatus.AFGESLOTEN, note.strip(), utcnow()
    signal.version += 1
    db.session.flush()
    audit.record("signal.closed", object_type="signals", object_id=signal.id, gemeente_id=signal.gemeente_id,
                 actor=actor)


def legal_basis_choices() -> list[tuple[str, str]]:
    return [(code, f"{code}: {basis.label}") for code, basis in load_meldroute().legal_bases.items()]


def target_choices() -> list[tuple[str, str]]:
    return [(t.value, t.label) for t in Target]
