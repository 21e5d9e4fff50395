"""Use cases of the inspections area: locations, risk scores, inspections on site, photos, enforcement.

Services flush, never commit (STYLE.md H3): the view or CLI command commits once. The rules
(risk weights, checklist norms, the enforcement ladder) live in ``screening``; this module maps
records to the engine and back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, BinaryIO

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from barrier import audit
from barrier.auth.scoping import scope_to_user
from barrier.db import db, utcnow
from barrier.documents import IMAGE_TYPES, store
from barrier.inspections.facts import build_facts
from barrier.models.applications import Document, DocumentKind, Permit, PermitStatus
from barrier.models.inspections import (
    EnforcementMeasure,
    Inspection,
    InspectionLocation,
    InspectionOutcome,
    InspectionPhoto,
    InspectionStatus,
    LocationKind,
    MeasureStatus,
    PlannedVisit,
    VisitSource,
    VisitStatus,
)
from barrier.models.parties import Address
from barrier.models.users import Role, User
from screening.inspections import (
    AnswerType,
    Assessment,
    InspectionChecklist,
    MeasureType,
    assess,
    check_measure,
    load_checklist,
    load_enforcement,
)
from screening.planning import LocationFacts, PriorityOverride, RiskScore, score_location

TOKEN_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class InspectionError(Exception):
    """A refused action; the Dutch message belongs next to ``field`` (or in a flash message)."""

    def __init__(self, message: str, *, field: str | None = None, problems: tuple[str, ...] = ()):
        super().__init__(message)
        self.message = message
        self.field = field
        self.problems = problems


# --- locations --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddressInput:
    street: str
    house_number: str
    postcode: str
    city: str
    house_number_suffix: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class ScoredLocation:
    location: InspectionLocation
    facts: LocationFacts
    score: RiskScore
    has_permit: bool


def locations_query(user: Any) -> Select:
    """The active locations the user may see (own gemeente; the region for regional roles)."""
    stmt = select(InspectionLocation).where(InspectionLocation.is_active.is_(True))
    return scope_to_user(stmt, InspectionLocation.gemeente_id, user)


def _location_name(permit: Permit) -> str:
    trade_name = permit.application.trade_name if permit.application else ""
    return (trade_name or permit.holder_name or permit.permit_number)[:200]


def ensure_location_for_permit(permit: Permit) -> InspectionLocation | None:
    """Make the permit's address an inspectable location (idempotent; issue 6 §1).

    A location added by hand at the same address (a suspicion) is linked to the new permit
    instead of duplicated, so its history and inspections stay together.
    """
    if permit.location_id is None or permit.status not in (PermitStatus.GELDIG, PermitStatus.GESCHORST):
        return None
    existing = db.session.scalar(select(InspectionLocation).where(InspectionLocation.permit_id == permit.id))
    if existing is not None:
        return existing
    suspected = db.session.scalar(select(InspectionLocation).where(
        InspectionLocation.address_id == permit.location_id, InspectionLocation.permit_id.is_(None),
        InspectionLocation.gemeente_id == permit.gemeente_id).limit(1))
    kind = LocationKind.for_permit_type(permit.permit_type)
    if suspected is not None:
        suspected.permit_id, suspected.kind, suspected.is_active = permit.id, kind, True
        suspected.version += 1
        location = suspected
    else:
        location = InspectionLocation(gemeente_id=permit.gemeente_id, address_id=permit.location_id,
                                      permit_id=permit.id, kind=kind, name=_location_name(permit))
        db.session.add(location)
    db.session.flush()
    audit.record("inspection_location.linked_to_permit", object_type="inspection_locations", object_id=location.id,
                 gemeente_id=location.gemeente_id, permit_id=permit.id)
    return location


def permits_without_location(gemeente_ids: set[int] | None) -> list[Permit]:
    stmt = (select(Permit).outerjoin(InspectionLocation, InspectionLocation.permit_id == Permit.id)
            .where(InspectionLocation.id.is_(None), Permit.location_id.is_not(None),
                   Permit.status.in_((PermitStatus.GELDIG, PermitStatus.GESCHORST))))
    if gemeente_ids is not None:
        stmt = stmt.where(Permit.gemeente_id.in_(gemeente_ids))
    return list(db.session.scalars(stmt.order_by(Permit.id)))


def sync_permit_locations(gemeente_ids: set[int] | None = None) -> int:
    """Add a location for every permit in force that has none yet; returns how many were added."""
    added = 0
    for permit in permits_without_location(gemeente_ids):
        if ensure_location_for_permit(permit) is not None:
            added += 1
    return added


def add_location(*, gemeente_id: int, name: str, kind: LocationKind, address: AddressInput, description: str,
                 actor: User) -> InspectionLocation:
    """A location without a permit, added on a suspicion (issue 6 §1); it shows as such everywhere."""
    if not description.strip():
        raise InspectionError("Beschrijf waarom deze locatie wordt toegevoegd (het vermoeden).", field="description")
    row = Address(street=address.street, house_number=address.house_number,
                  house_number_suffix=address.house_number_suffix, postcode=address.postcode, city=address.city,
                  gemeente_id=gemeente_id, latitude=address.latitude, longitude=address.longitude)
    db.session.add(row)
    location = InspectionLocation(gemeente_id=gemeente_id, address=row, kind=kind, name=name.strip()[:200],
                                  description=description.strip(), created_by_id=actor.id)
    db.session.add(location)
    db.session.flush()
    audit.record("inspection_location.added", object_type="inspection_locations", object_id=location.id,
                 gemeente_id=gemeente_id, kind=kind.value, has_permit=False)
    return location


def set_priority_override(location: InspectionLocation, *, points: int | None, reason: str, actor: User) -> None:
    """Raise or lower a location's risk score by hand; the reason is required, kept and audited.

    ``points=None`` removes the adjustment (the reason for removing it is audited too).
    """
    reason = (reason or "").strip()
    if not reason:
        raise InspectionError("Geef een reden: een aanpassing van de prioriteit wordt altijd gemotiveerd.",
                              field="reason")
    if points is not None:
        if points == 0:
            raise InspectionError("Een aanpassing van 0 punten verandert niets; kies ophogen of verlagen.",
                                  field="points")
        try:
            PriorityOverride(points, reason)  # the engine's bounds (±50) and rule: a reason is required
        except ValueError as error:
            raise InspectionError(str(error), field="points") from error
    previous = location.override_points
    location.override_points = points
    location.override_reason = reason if points is not None else ""
    location.override_by_id = actor.id if points is not None else None
    location.override_at = utcnow() if points is not None else None
    location.version += 1
    db.session.flush()
    audit.record("inspection_location.priority_overridden" if points is not None else
                 "inspection_location.priority_override_removed",
                 object_type="inspection_locations", object_id=location.id, gemeente_id=location.gemeente_id,
                 points=points, previous_points=previous, reason=reason)


def score_locations(locations: list[InspectionLocation], *, today: date) -> list[ScoredLocation]:
    """Every location with its facts and explainable score, highest final score first."""
    from barrier.inspections.facts import permit_in_force

    facts = build_facts(locations, today=today)
    scored = [ScoredLocation(loc, facts[loc.id], score_location(facts[loc.id], today=today),
                             permit_in_force(loc, today)) for loc in locations]
    scored.sort(key=lambda s: (-s.score.final, s.location.name.lower(), s.location.id))
    return scored


def score_location_record(location: InspectionLocation, *, today: date) -> ScoredLocation:
    return score_locations([location], today=today)[0]


# --- inspections on site ------------------------------------------------------------------------------------


def checklist_for_location(location: InspectionLocation, code: str | None = None) -> InspectionChecklist:
    """Sex businesses get INS-SB (domain.md §3.8), housing INS-WGV (§2.7); 'overig' may choose."""
    return load_checklist(code or location.kind.checklist_code)


def checklist_of(inspection: Inspection) -> InspectionChecklist:
    # Answers are read with the checklist they were recorded on; a newer version may differ.
    return load_checklist(inspection.checklist_code)


def assessment_of(inspection: Inspection) -> Assessment:
    return assess(checklist_of(inspection), inspection.answers or {}, params=_norm_params(inspection.location))


def _norm_params(location: InspectionLocation) -> dict[str, float]:
    permit = location.permit
    if permit is not None and permit.max_persons is not None:
        return {"permitted_occupancy": float(permit.max_persons)}
    return {}


def unanswered_questions(checklist: InspectionChecklist, assessment: Assessment) -> tuple[str, ...]:
    """Items left open; an empty signal selection is an answer ("none observed"), not a gap."""
    return tuple(i for i in assessment.unanswered if checklist.item(i).answer_type is not AnswerType.SIGNALEN)


def suggested_outcome(assessment: Assessment) -> InspectionOutcome:
    if any(f.is_signal_selection for f in assessment.findings):
        return InspectionOutcome.SIGNALEN_MENSENHANDEL
    if assessment.violation_count:
        return InspectionOutcome.OVERTREDINGEN
    return InspectionOutcome.GEEN_BEVINDINGEN


@dataclass(frozen=True)
class InspectionInput:
    inspected_on: date
    answers: dict[str, Any]
    partner_name: str = ""
    persons_present: int | None = None
    identities_checked: int | None = None
    notes: str = ""
    outcome: InspectionOutcome | None = None
    checklist_code: str | None = None


@dataclass
class SaveResult:
    inspection: Inspection
    created: bool
    already_completed: bool = False
    warnings: list[str] = field(default_factory=list)


def _occupancy(checklist: InspectionChecklist, data: InspectionInput) -> int | None:
    # INS-WGV-01 is the count of persons at the address; for a sex business, the persons present.
    for item in checklist.items:
        if item.threshold is not None and item.threshold.max_param == "permitted_occupancy":
            value = data.answers.get(item.id)
            if isinstance(value, int | float) and not isinstance(value, bool):
                return int(value)
    return data.persons_present


def save_inspection(location: InspectionLocation, *, token: str, data: InspectionInput, complete: bool,
                    actor: User, today: date, visit: PlannedVisit | None = None) -> SaveResult:
    """Create or update the inspection identified by ``token``: saving twice never makes two (issue 6).

    A completed inspection is not changed by a late or repeated save (a phone resending the final
    submit): the result says ``already_completed`` and nothing is written.
    """
    if not TOKEN_RE.match(token or ""):
        raise InspectionError("Het formulier is onvolledig verzonden (ontbrekend kenmerk). Laad de pagina opnieuw; "
                              "wat u invulde staat nog op dit toestel.")
    if data.inspected_on > today:
        raise InspectionError("De controledatum ligt in de toekomst.", field="inspected_on")
    inspection = db.session.scalar(select(Inspection).where(Inspection.submission_token == token))
    created = False
    if inspection is None:
        checklist = checklist_for_location(location, data.checklist_code)
        inspection = Inspection(submission_token=token, gemeente_id=location.gemeente_id, location_id=location.id,
                                checklist_code=checklist.code, checklist_version=checklist.version,
                                inspected_on=data.inspected_on, inspector_id=actor.id,
                                visit_id=visit.id if visit else None)
        try:
            with db.session.begin_nested():
                db.session.add(inspection)
        except IntegrityError:
            # A concurrent request with the same token inserted first: update that row instead.
            inspection = db.session.scalar(select(Inspection).where(Inspection.submission_token == token))
            if inspection is None:
                raise
        else:
            created = True
    if inspection.location_id != location.id:
        raise InspectionError("Dit formulier hoort bij een controle op een andere locatie. Laad de pagina opnieuw.")
    if inspection.is_completed:
        return SaveResult(inspection, created=False, already_completed=True)
    checklist = checklist_of(inspection)
    answers = {k: v for k, v in data.answers.items() if v not in (None, "", [])}
    try:
        assessment = assess(checklist, answers, params=_norm_params(location))
    except ValueError as error:
        raise InspectionError(str(error)) from error
    inspection.inspected_on = data.inspected_on
    inspection.answers = answers
    inspection.partner_name = data.partner_name
    inspection.persons_present = data.persons_present
    inspection.identities_checked = data.identities_checked
    inspection.occupancy = _occupancy(checklist, data)
    inspection.notes = data.notes
    inspection.violation_count = assessment.violation_count
    inspection.signal_ids = [s for f in assessment.findings if f.is_signal_selection for s in f.signals]
    inspection.outcome = data.outcome
    inspection.version += 1
    warnings: list[str] = []
    if data.persons_present is not None and data.identities_checked is not None \
            and data.identities_checked > data.persons_present:
        raise InspectionError("Er zijn meer identiteiten gecontroleerd dan personen aanwezig.", field="identities_checked")
    if complete:
        if data.outcome is None:
            raise InspectionError("Kies de uitkomst van de controle om af te ronden.", field="outcome")
        unanswered = unanswered_questions(checklist, assessment)
        if unanswered:
            warnings.append(f"{len(unanswered)} vraag/vragen niet beantwoord: " + ", ".join(unanswered) + ".")
        inspection.status = InspectionStatus.AFGEROND
        inspection.completed_at = utcnow()
        if inspection.visit is not None:
            inspection.visit.status = VisitStatus.UITGEVOERD
    db.session.flush()
    audit.record("inspection.completed" if complete else ("inspection.created" if created else "inspection.saved"),
                 object_type="inspections", object_id=inspection.id, gemeente_id=inspection.gemeente_id,
                 location_id=location.id, violations=inspection.violation_count,
                 outcome=inspection.outcome.value if inspection.outcome else None)
    return SaveResult(inspection, created=created, warnings=warnings)


def inspections_query(user: Any) -> Select:
    return scope_to_user(select(Inspection), Inspection.gemeente_id, user)


def add_photo(inspection: Inspection, *, stream: BinaryIO, filename: str, caption: str, shows_faces: bool,
              faces_reason: str, actor: User) -> tuple[InspectionPhoto, bool]:
    """Attach a photo; only JPEG and PNG by content (documents.store). The same photo twice is kept once.

    domain.md §3.8: no faces of sex workers by default; a photo that shows faces needs a reason.
    """
    if shows_faces and not faces_reason.strip():
        raise InspectionError("Geef aan waarom herkenbare gezichten op de foto nodig zijn.", field="faces_reason")
    stored = store(stream, filename, allowed=IMAGE_TYPES)  # DocumentError: the view shows its Dutch message
    for photo in inspection.photos:
        if photo.document.sha256 == stored.sha256:
            return photo, False
    document = Document(application_id=None, gemeente_id=inspection.gemeente_id, kind=DocumentKind.OVERIG,
                        original_filename=stored.original_filename, sha256=stored.sha256,
                        size_bytes=stored.size_bytes, content_type=stored.content_type,
                        uploaded_by_id=actor.id, context="inspection")
    photo = InspectionPhoto(inspection=inspection, document=document, caption=caption.strip()[:300],
                            shows_faces=shows_faces, faces_reason=faces_reason.strip() if shows_faces else "")
    db.session.add(photo)
    db.session.flush()
    audit.record("inspection.photo_added", object_type="inspections", object_id=inspection.id,
                 gemeente_id=inspection.gemeente_id, document_id=document.id, shows_faces=shows_faces)
    return photo, True


# --- enforcement ---------------------------------------------------------------------------------------------


def ladder_permit_type(inspection: Inspection) -> str:
    """The enforcement ladder's permit type: sex businesses under the APV, housing under the Wgv."""
    return "SEKSBEDRIJF" if inspection.checklist_code == "INS-SB" else "HUISVESTING_AM"


def available_measures(inspection: Inspection) -> tuple[MeasureType, ...]:
    return load_enforcement().for_permit_type(ladder_permit_type(inspection))


def violations_of(inspection: Inspection) -> list[tuple[str, str]]:
    """(item id, Dutch description) of every norm deviation found (the signal picks are no violation)."""
    return [(f.item_id, f"{f.item_id}: {f.question} — {f.reason}")
            for f in assessment_of(inspection).findings if not f.is_signal_selection]


#: Parameters that set a term, in days or weeks, after which the measure must be complied with.
_TERM_DAYS = ("begunstigingstermijn_dagen", "hersteltermijn_dagen")
_TERM_WEEKS = ("duur_weken",)


def measure_deadline(values: dict[str, Any], issued_on: date) -> date | None:
    for name in _TERM_DAYS:
        if isinstance(values.get(name), int | float) and values[name] >= 0:
            return issued_on + timedelta(days=int(values[name]))
    for name in _TERM_WEEKS:
        if isinstance(values.get(name), int | float) and values[name] > 0:
            return issued_on + timedelta(weeks=int(values[name]))
    return None


def next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}


def add_measure(inspection: Inspection, *, violation_item_id: str, measure_code: str, values: dict[str, Any],
                issued_on: date, actor: User, today: date) -> EnforcementMeasure:
    """Record an enforcement measure for one violation, checked against the ladder (check_measure).

    With a term (begunstigings-/hersteltermijn, schorsing) the deadline goes on the work list and a
    re-inspection is planned on the first working day after it (issue 6 §5).
    """
    if not inspection.is_completed:
        raise InspectionError("Rond de controle eerst af; daarna legt u maatregelen vast.")
    violations = dict(violations_of(inspection))
    if violation_item_id not in violations:
        raise InspectionError("Kies een overtreding die bij deze controle is vastgesteld.", field="violation")
    if issued_on > today:
        raise InspectionError("De datum van de maatregel ligt in de toekomst.", field="issued_on")
    if issued_on < inspection.inspected_on:
        raise InspectionError("De maatregel ligt vóór de controledatum.", field="issued_on")
    ladder = load_enforcement()
    try:
        measure_type = ladder.measure(measure_code)
    except KeyError as error:
        raise InspectionError("Kies een maatregel.", field="measure_code") from error
    allowed = {p.name for p in measure_type.parameters}
    relevant = {k: v for k, v in values.items() if k in allowed and v not in (None, "")}
    problems = list(check_measure(measure_code, ladder_permit_type(inspection), relevant, ladder=ladder))
    if measure_code in ("SCHORSING", "INTREKKING") and inspection.location.permit is None:
        problems.append("Op deze locatie is geen vergunning: er valt niets te schorsen of in te trekken.")
    if problems:
        raise InspectionError("De maatregel is niet volledig of niet toegestaan.", problems=tuple(problems))
    deadline = measure_deadline(relevant, issued_on)
    measure = EnforcementMeasure(gemeente_id=inspection.gemeente_id, location_id=inspection.location_id,
                                 inspection=inspection, violation_item_id=violation_item_id,
                                 violation_text=violations[violation_item_id], measure_code=measure_code,
                                 parameters=_jsonable(relevant), issued_on=issued_on, deadline_on=deadline,
                                 created_by_id=actor.id)
    db.session.add(measure)
    if deadline is not None:
        measure.reinspection_visit = PlannedVisit(
            gemeente_id=inspection.gemeente_id, location_id=inspection.location_id,
            planned_on=next_working_day(max(deadline, today)), inspector_id=actor.id if actor.role is Role.TOEZICHTHOUDER else None,
            reason=f"Hercontrole na {measure_type.label.lower()} (termijn tot {deadline:%d-%m-%Y})",
            urgency="DUE", due_on=next_working_day(max(deadline, today)), source=VisitSource.HERCONTROLE)
        db.session.add(measure.reinspection_visit)
    db.session.flush()
    audit.record("enforcement.measure_added", object_type="enforcement_measures", object_id=measure.id,
                 gemeente_id=measure.gemeente_id, inspection_id=inspection.id, measure=measure_code,
                 deadline=deadline.isoformat() if deadline else None)
    return measure


def close_measure(measure: EnforcementMeasure, *, status: MeasureStatus, note: str, actor: User,
                  today: date) -> None:
    if not measure.status.is_open:
        raise InspectionError("Deze maatregel is al afgesloten.")
    if status is MeasureStatus.OPEN:
        raise InspectionError("Kies hoe de maatregel is afgelopen.", field="status")
    measure.status, measure.closing_note, measure.closed_on = status, note.strip(), today
    visit = measure.reinspection_visit
    if status is MeasureStatus.INGETROKKEN and visit is not None and visit.status is VisitStatus.GEPLAND:
        visit.status = VisitStatus.VERVALLEN
    db.session.flush()
    audit.record("enforcement.measure_closed", object_type="enforcement_measures", object_id=measure.id,
                 gemeente_id=measure.gemeente_id, actor=actor, status=status.value)


def open_measures_query(user: Any) -> Select:
    stmt = select(EnforcementMeasure).where(EnforcementMeasure.status == MeasureStatus.OPEN)
    return scope_to_user(stmt, EnforcementMeasure.gemeente_id, user).order_by(
        EnforcementMeasure.deadline_on.is_(None), EnforcementMeasure.deadline_on, EnforcementMeasure.id)


def _format_value(unit: str, value: Any) -> str:
    if unit == "EUR" and isinstance(value, int | float):
        return "€ " + f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".").removesuffix(",00")
    if unit in ("dagen", "weken"):
        return f"{value:g} {unit}" if isinstance(value, int | float) else str(value)
    if unit == "datum" and isinstance(value, str):
        try:
            return date.fromisoformat(value).strftime("%d-%m-%Y")
        except ValueError:
            return value
    if unit == "ja_nee":
        return "ja" if value else "nee"
    if unit == "keuze":
        return str(value).lower()
    return str(value)


def measure_parameters(measure: EnforcementMeasure) -> list[tuple[str, str]]:
    """The measure's parameters as (Dutch label, value with unit), in the ladder's order."""
    try:
        specs = load_enforcement().measure(measure.measure_code).parameters
    except KeyError:
        return [(k, str(v)) for k, v in (measure.parameters or {}).items()]
    return [(spec.label, _format_value(spec.unit, measure.parameters[spec.name]))
            for spec in specs if spec.name in (measure.parameters or {})]


def measure_label(code: str) -> str:
    try:
        return load_enforcement().measure(code).label
    except KeyError:
        return code


def my_visits_query(user: Any, *, until: date) -> Select:
    """Planned visits of this inspector up to *until* (also overdue ones not yet done)."""
    return (select(PlannedVisit)
            .where(PlannedVisit.status == VisitStatus.GEPLAND, PlannedVisit.planned_on <= until,
                   (PlannedVisit.inspector_id == user.id) | (PlannedVisit.partner_id == user.id))
            .order_by(PlannedVisit.planned_on, PlannedVisit.sequence))
