"""Use cases of permit applications: drafts, parties, submission, casework, decisions, permits.

Services flush, never commit (the view or CLI commits once); they record the timeline and the
audit log, and raise domain errors with Dutch messages that the view puts next to the field.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import Select, and_, func, or_, select, update
from sqlalchemy.orm import selectinload

from barrier import audit, crypto, events
from barrier.applications import rules
from barrier.auth.scoping import scope_to_user
from barrier.db import db
from barrier.documents import StoredFile
from barrier.models import (
    Address,
    Application,
    ApplicationEvent,
    ApplicationParty,
    ApplicationStatus,
    ClockEvent,
    ClockEventKind,
    Document,
    DocumentKind,
    Gemeente,
    Organisation,
    PartyRole,
    Permit,
    PermitStatus,
    PermitType,
    Person,
    ReferenceCounter,
    User,
)

S = ApplicationStatus


class ApplicationError(Exception):
    """A refused action; ``field`` names the form field the Dutch message belongs to (or None)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ConcurrentEditError(ApplicationError):
    def __init__(self) -> None:
        super().__init__("Iemand anders heeft deze aanvraag intussen gewijzigd. Uw invoer staat hieronder; "
                         "bekijk de actuele gegevens en sla opnieuw op.")


# --- timeline -----------------------------------------------------------------------------

def _timeline(app: Application, kind: str, text: str, *, actor: User | None,
              from_status: str = "", to_status: str = "") -> None:
    db.session.add(ApplicationEvent(application=app, kind=kind, text=text, actor_id=actor.id if actor else None,
                                    from_status=from_status, to_status=to_status))


def _audit(action: str, app: Application, actor: User | None, **details: Any) -> None:
    audit.record(action, object_type="applications", object_id=app.id, gemeente_id=app.gemeente_id,
                 actor=actor, reference=app.reference or "", **details)


def check_version(app: Application, submitted_version: str | int | None) -> None:
    """Detect a concurrent edit: the form carries the version it was rendered with."""
    if submitted_version in (None, ""):
        return
    if str(app.version) != str(submitted_version):
        raise ConcurrentEditError()


def _bump(app: Application) -> None:
    app.version += 1


# --- parties and addresses -------------------------------------------------------------------

@dataclass(frozen=True)
class AddressData:
    street: str = ""
    house_number: str = ""
    house_number_suffix: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "NL"

    @property
    def is_empty(self) -> bool:
        return not any((self.street, self.house_number, self.postcode, self.city))


@dataclass(frozen=True)
class PersonData:
    given_names: str
    surname: str
    surname_prefix: str = ""
    birth_date: date | None = None
    birth_place: str = ""
    nationality: str = ""
    bsn: str = ""
    address: AddressData | None = None


@dataclass(frozen=True)
class OrganisationData:
    name: str
    legal_form: str = ""
    trade_names: str = ""  # "; "-separated, as in the KvK extract; screened with the name
    kvk_number: str = ""
    vestigingsnummer: str = ""
    rsin: str = ""
    address: AddressData | None = None


def upsert_address(data: AddressData | None, *, gemeente_id: int | None = None, bag_id: str | None = None) -> Address | None:
    """One row per address: an existing (postcode, number, suffix) is reused and completed."""
    if data is None or data.is_empty:
        return None
    existing = None
    if data.postcode and data.house_number:
        existing = db.session.scalar(select(Address).where(
            Address.postcode == data.postcode, Address.house_number == data.house_number,
            Address.house_number_suffix == data.house_number_suffix).limit(1))
    address = existing or Address()
    address.street = data.street or address.street
    address.house_number, address.house_number_suffix = data.house_number, data.house_number_suffix
    address.postcode, address.city = data.postcode, data.city or address.city
    address.country = data.country or "NL"
    if gemeente_id and not address.gemeente_id:
        address.gemeente_id = gemeente_id
    if bag_id:
        address.bag_id = bag_id
    if existing is None:
        db.session.add(address)
    db.session.flush()
    return address


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").strip()).lower()


def upsert_person(data: PersonData) -> Person:
    """The same person once: found again by BSN (keyed digest), else by name and birth date."""
    person = None
    bsn_digest = crypto.digest(data.bsn) if data.bsn else None
    if bsn_digest:
        person = db.session.scalar(select(Person).where(Person.bsn_digest == bsn_digest))
    if person is None and data.birth_date:
        candidates = db.session.scalars(select(Person).where(
            func.lower(Person.surname) == _normal(data.surname), Person.birth_date == data.birth_date)).all()
        person = next((p for p in candidates
                       if _normal(p.given_names) == _normal(data.given_names)
                       and _normal(p.surname_prefix) == _normal(data.surname_prefix)
                       and (not p.bsn_digest or not bsn_digest)), None)
    if person is None:
        person = Person(surname=data.surname)
        db.session.add(person)
    person.given_names, person.surname_prefix, person.surname = data.given_names, data.surname_prefix, data.surname
    person.birth_date = data.birth_date or person.birth_date
    person.birth_place = data.birth_place or person.birth_place
    person.nationality = data.nationality or person.nationality
    if data.bsn:
        person.bsn_encrypted, person.bsn_digest, person.bsn_last4 = crypto.encrypt(data.bsn), bsn_digest, data.bsn[-4:]
    if data.address and not data.address.is_empty:
        person.address = upsert_address(data.address)
    db.session.flush()
    return person


def upsert_organisation(data: OrganisationData) -> Organisation:
    """The same company once: found again by KvK-nummer, else by exact name without KvK."""
    organisation = None
    if data.kvk_number:
        organisation = db.session.scalar(select(Organisation).where(Organisation.kvk_number == data.kvk_number))
    if organisation is None and not data.kvk_number:
        organisation = db.session.scalar(select(Organisation).where(
            func.lower(Organisation.name) == _normal(data.name), Organisation.kvk_number.is_(None)).limit(1))
    if organisation is None:
        organisation = Organisation(name=data.name)
        db.session.add(organisation)
    organisation.name, organisation.legal_form = data.name, data.legal_form or organisation.legal_form
    organisation.kvk_number = data.kvk_number or organisation.kvk_number
    organisation.vestigingsnummer = data.vestigingsnummer or organisation.vestigingsnummer
    organisation.rsin = data.rsin or organisation.rsin
    organisation.trade_names = data.trade_names.strip() or organisation.trade_names
    if data.address and not data.address.is_empty:
        organisation.address = upsert_address(data.address)
    db.session.flush()
    return organisation


def _editable(app: Application) -> None:
    if app.status.is_decided:
        raise ApplicationError("Op deze aanvraag is al besloten; gegevens wijzigen kan niet meer.")


def add_party(app: Application, *, role: PartyRole, person: Person | None = None,
              organisation: Organisation | None = None, since: date | None = None,
              percentage: float | None = None, amount_eur: float | None = None, notes: str = "",
              actor: User | None) -> ApplicationParty:
    _editable(app)
    if (person is None) == (organisation is None):
        raise ApplicationError("Een betrokkene is een persoon óf een organisatie.")
    duplicate = next((p for p in app.parties if p.role is role and p.person_id == (person.id if person else None)
                      and p.organisation_id == (organisation.id if organisation else None)), None)
    if duplicate:
        raise ApplicationError("Deze betrokkene staat al met deze rol op de aanvraag.", field="role")
    if role is PartyRole.AANVRAGER and app.applicant is not None:
        raise ApplicationError("De aanvraag heeft al een aanvrager. Verwijder die eerst of kies een andere rol.", field="role")
    party = ApplicationParty(role=role, person=person, organisation=organisation, since=since,
                             percentage=percentage, amount_eur=amount_eur, notes=notes)
    app.parties.append(party)
    _bump(app)
    db.session.flush()
    _refresh_search_text(app)
    _timeline(app, "party_added", f"{role.label}: {party.name}", actor=actor)
    _audit("application.party_added", app, actor, role=role.value, party_kind=party.kind)
    if app.status is not S.CONCEPT:
        events.parties_changed.send(app, actor=actor)
    return party


def remove_party(app: Application, party_id: int, *, actor: User | None) -> None:
    _editable(app)
    party = next((p for p in app.parties if p.id == party_id), None)
    if party is None:
        raise ApplicationError("Deze betrokkene hoort niet bij deze aanvraag.")
    app.parties.remove(party)
    _bump(app)
    db.session.flush()
    _refresh_search_text(app)
    _timeline(app, "party_removed", f"{party.role.label}: {party.name}", actor=actor)
    _audit("application.party_removed", app, actor, role=party.role.value)
    if app.status is not S.CONCEPT:
        events.parties_changed.send(app, actor=actor)


# --- drafts -------------------------------------------------------------------------------

def new_application(*, actor: User, gemeente_id: int, permit_type: PermitType, sub_type: str = "",
                    trade_name: str = "", received_on: date | None = None) -> Application:
    app = Application(gemeente_id=gemeente_id, permit_type=permit_type, created_by_id=actor.id, officer_id=actor.id,
                      sub_type=sub_type if permit_type is PermitType.SEKSINRICHTING else "",
                      trade_name=trade_name, received_on=received_on, status=S.CONCEPT, draft_step="aanvrager",
                      details={})
    db.session.add(app)
    db.session.flush()
    _refresh_search_text(app)
    _timeline(app, "created", "Concept-aanvraag aangemaakt", actor=actor)
    _audit("application.created", app, actor, permit_type=permit_type.value)
    return app


def update_type(app: Application, *, permit_type: PermitType, sub_type: str, trade_name: str,
                received_on: date | None, actor: User) -> None:
    if app.status is not S.CONCEPT and permit_type is not app.permit_type:
        raise ApplicationError("Het soort vergunning kan na indienen niet meer worden gewijzigd.", field="permit_type")
    if permit_type is not app.permit_type:
        app.details = {}  # particulars of another permit type do not carry over
    app.permit_type = permit_type
    app.sub_type = sub_type if permit_type is PermitType.SEKSINRICHTING else ""
    app.trade_name, app.received_on = trade_name, received_on if app.status is S.CONCEPT else app.received_on
    _bump(app)
    _refresh_search_text(app)
    _audit("application.updated", app, actor, step="type")


def set_location(app: Application, data: AddressData, *, bag_id: str | None, actor: User) -> None:
    _editable(app)
    app.location = upsert_address(data, gemeente_id=app.gemeente_id, bag_id=bag_id)
    _bump(app)
    db.session.flush()
    _refresh_search_text(app)
    _audit("application.updated", app, actor, step="locatie")
    if app.status is not S.CONCEPT:
        events.parties_changed.send(app, actor=actor)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def set_details(app: Application, details: dict[str, Any], *, actor: User) -> None:
    _editable(app)
    cleaned = {k: v for k, v in details.items() if k not in ("csrf_token", "submit", "version")}
    if "rooms" in cleaned:
        cleaned["rooms"] = [room for room in cleaned["rooms"] if room.get("area_m2") or room.get("beds")]
    app.details = _jsonable(cleaned)
    _bump(app)
    _audit("application.updated", app, actor, step="gegevens")


def mark_step(app: Application, step: str) -> None:
    if app.status is S.CONCEPT:
        app.draft_step = step


def _refresh_search_text(app: Application) -> None:
    """What the list's search box matches: reference, names, KvK numbers, address."""
    parts: list[str] = [app.reference or "", app.trade_name]
    for party in app.parties:
        parts.append(party.name)
        if party.organisation and party.organisation.kvk_number:
            parts.append(party.organisation.kvk_number)
    if app.location:
        parts += [app.location.label, app.location.postcode.replace(" ", "")]
    app.search_text = " ".join(p for p in parts if p).lower()[:4000]


# --- completeness and submission -------------------------------------------------------------

@dataclass(frozen=True)
class Missing:
    what: str
    source: str
    step: str


def completeness(app: Application) -> list[Missing]:
    """What the application still lacks, per permit type, each with its source."""
    missing: list[Missing] = []
    roles = {p.role for p in app.parties}
    for role, source in rules.REQUIRED_ROLES[app.permit_type]:
        if role not in roles:
            missing.append(Missing(f"Betrokkene met rol {role.label.lower()}", source, "betrokkenen"))
    if app.permit_type is not PermitType.ESCORTBEDRIJF and app.location is None:
        missing.append(Missing("Adres van de locatie", "domain.md §3.2 SEK-A04 / §2.4 WGV-A02", "locatie"))
    if not app.details:
        missing.append(Missing("Gegevens van de " + app.permit_type.short_label.lower(), "domain.md §3.2 / §2.4", "gegevens"))
    kinds = {d.kind for d in app.documents if d.context == "application"}
    for kind, source in rules.REQUIRED_DOCUMENTS[app.permit_type]:
        if kind not in kinds:
            missing.append(Missing(f"Document: {kind.label}", source, "documenten"))
    if app.details.get("landlord_is_employer") == "ja" and PartyRole.WERKGEVER not in roles:
        missing.append(Missing("Betrokkene met rol werkgever (verhuurder is ook werkgever)", "domain.md WGV-A08", "betrokkenen"))
    return missing


def next_reference(gemeente: Gemeente, year: int) -> str:
    """'0106-2026-00042': CBS number, year, a gap-free counter per gemeente and year."""
    key = {"gemeente_id": gemeente.id, "year": year, "kind": "aanvraag"}
    counter = db.session.get(ReferenceCounter, (gemeente.id, year, "aanvraag"))
    if counter is None:
        db.session.add(ReferenceCounter(**key, last_value=0))
        db.session.flush()
    # A single UPDATE ... RETURNING is atomic on PostgreSQL and SQLite: no two submits share a number.
    value = db.session.execute(
        update(ReferenceCounter).where(ReferenceCounter.gemeente_id == gemeente.id, ReferenceCounter.year == year,
                                       ReferenceCounter.kind == "aanvraag")
        .values(last_value=ReferenceCounter.last_value + 1).returning(ReferenceCounter.last_value)
    ).scalar_one()
    return f"{gemeente.cbs_numeric}-{year}-{value:05d}"


def submit(app: Application, *, actor: User, today: date, allow_incomplete: bool = True) -> list[Missing]:
    """Submit a draft: it gets a reference and its beslistermijn starts.

    An incomplete application is still received (the term starts, domain.md §10 rule 3); what is
    missing is returned so the officer can ask for an aanvulling.
    """
    if app.status is not S.CONCEPT:
        raise ApplicationError("Deze aanvraag is al ingediend.")
    missing = completeness(app)
    if app.applicant is None:
        raise ApplicationError("Voeg eerst de aanvrager toe: zonder aanvrager is er geen aanvraag.")
    if missing and not allow_incomplete:
        raise ApplicationError("De aanvraag mist nog: " + "; ".join(m.what for m in missing) + ".")
    app.received_on = app.received_on or today
    if app.received_on > today:
        raise ApplicationError("De datum van ontvangst kan niet in de toekomst liggen.", field="received_on")
    app.reference = next_reference(app.gemeente, app.received_on.year)
    app.status = S.ONTVANGEN
    app.draft_step = ""
    _bump(app)
    _refresh_search_text(app)
    db.session.flush()
    from barrier.applications import deadlines

    deadlines.refresh(app, today=today)
    _timeline(app, "status", "Aanvraag ingediend en ontvangen", actor=actor, from_status=S.CONCEPT.value,
              to_status=S.ONTVANGEN.value)
    _audit("application.submitted", app, actor, missing=len(missing))
    events.application_submitted.send(app, actor=actor)
    return missing


# --- casework -----------------------------------------------------------------------------

def allowed_next(app: Application) -> list[ApplicationStatus]:
    return [s for s in ApplicationStatus if s in rules.ALLOWED_TRANSITIONS[app.status]]


def transition(app: Application, to_status: ApplicationStatus, *, actor: User, note: str = "",
               today: date) -> None:
    """Change the status along the allowed transitions; every change is in the timeline and audit log."""
    if to_status not in rules.ALLOWED_TRANSITIONS[app.status]:
        raise ApplicationError(f"Van '{app.status.label}' naar '{to_status.label}' is geen toegestane stap.")
    if to_status in rules.DECISION_STATUSES:
        raise ApplicationError("Een besluit neemt u met het besluitformulier (met motivering).")
    old = app.status
    app.status = to_status
    _bump(app)
    text = f"{old.label} → {to_status.label}" + (f": {note}" if note else "")
    _timeline(app, "status", text, actor=actor, from_status=old.value, to_status=to_status.value)
    _audit("application.status_changed", app, actor, from_status=old.value, to_status=to_status.value)
    if to_status is S.INGETROKKEN and app.permit is not None:
        app.permit.status = PermitStatus.INGETROKKEN
    db.session.flush()
    events.status_changed.send(app, actor=actor, old_status=old, new_status=to_status)
    from barrier.applications import deadlines

    deadlines.refresh(app, today=today)


def decide(app: Application, *, outcome: ApplicationStatus, decided_on: date, grounds: str,
           valid_from: date | None, valid_until: date | None, conditions: str, max_persons: int | None,
           actor: User, today: date) -> Permit | None:
    """Record the decision with its grounds; a grant creates the permit in the permit register."""
    if outcome not in rules.DECISION_STATUSES:
        raise ApplicationError("Kies een besluit.", field="outcome")
    if outcome not in rules.ALLOWED_TRANSITIONS[app.status]:
        hint = (" Bij weigeren gaat een voornemen tot weigeren vooraf (Awb 4:8)." if outcome is S.GEWEIGERD else "")
        raise ApplicationError(f"Vanuit '{app.status.label}' kan niet worden besloten tot '{outcome.label}'.{hint}",
                               field="outcome")
    if decided_on < (app.received_on or decided_on):
        raise ApplicationError("De besluitdatum ligt vóór de datum van ontvangst.", field="decided_on")
    old = app.status
    app.status, app.decided_on, app.decision_grounds = outcome, decided_on, grounds
    _bump(app)
    permit = None
    if outcome in (S.VERLEEND, S.VERLEEND_MET_VOORSCHRIFTEN):
        from barrier.applications.deadlines import permit_settings

        settings = permit_settings(app)
        months = (settings.permit_duration_months if settings and settings.permit_duration_months
                  else rules.DEFAULT_PERMIT_MONTHS[app.permit_type])
        start = valid_from or decided_on
        permit = Permit(
            permit_number=f"{app.reference}-V", application=app, gemeente_id=app.gemeente_id,
            permit_type=app.permit_type, holder_name=app.applicant.name if app.applicant else app.trade_name,
            location=app.location, valid_from=start,
            valid_until=valid_until or (start + relativedelta(months=months) - relativedelta(days=1)),
            conditions=conditions if outcome is S.VERLEEND_MET_VOORSCHRIFTEN else conditions or "",
            max_persons=max_persons or (app.details.get("persons") if app.permit_type is PermitType.VERHUURVERGUNNING else None),
        )
        db.session.add(permit)
    _timeline(app, "decision", f"Besluit: {outcome.label}", actor=actor, from_status=old.value, to_status=outcome.value)
    _audit("application.decided", app, actor, outcome=outcome.value)
    db.session.flush()
    from barrier.applications import deadlines

    deadlines.refresh(app, today=today)
    events.application_decided.send(app, actor=actor, outcome=outcome, permit=permit)
    return permit


def attach_document(app: Application, stored: StoredFile, *, kind: DocumentKind, actor: Any,
                    via: str = "", **audit_details: Any) -> Document:
    """Add an uploaded file (already stored by ``barrier.documents.store``) to the application.

    The same file twice on one application is refused: the web wizard and the API both come here.
    """
    if any(d.sha256 == stored.sha256 and d.context == "application" for d in app.documents):
        raise ApplicationError("Dit bestand is al bij deze aanvraag geüpload.", field="file")
    document = Document(application=app, gemeente_id=app.gemeente_id, kind=kind,
                        original_filename=stored.original_filename, sha256=stored.sha256, size_bytes=stored.size_bytes,
                        content_type=stored.content_type, uploaded_by_id=getattr(actor, "id", None),
                        context="application")
    db.session.add(document)
    db.session.flush()
    _timeline(app, "document", f"Document toegevoegd: {kind.label} ({document.original_filename}){via}",
              actor=actor if getattr(actor, "id", None) else None)
    audit.record("document.uploaded", object_type="documents", object_id=document.id, gemeente_id=app.gemeente_id,
                 actor=actor, application_id=app.id, kind=kind.value, size=document.size_bytes, **audit_details)
    return document


def add_note(app: Application, text: str, *, actor: User) -> None:
    _timeline(app, "note", text, actor=actor)
    _audit("application.note_added", app, actor)


def add_clock_event(app: Application, *, kind: ClockEventKind, start_on: date, end_on: date | None,
                    weeks: int | None, notice_logged: bool, note: str, actor: User, today: date) -> ClockEvent:
    """Record a suspension, extension or ingebrekestelling; refused when the deadline engine says it is invalid."""
    if app.status is S.CONCEPT:
        raise ApplicationError("Een concept heeft nog geen beslistermijn.")
    if app.received_on and start_on < app.received_on:
        raise ApplicationError("Deze datum ligt vóór de datum van ontvangst.", field="start_on")
    if start_on > today:
        raise ApplicationError("Deze datum ligt in de toekomst.", field="start_on")
    event = ClockEvent(kind=kind, start_on=start_on, end_on=end_on, weeks=weeks, notice_logged=notice_logged,
                       note=note, created_by_id=actor.id)
    from barrier.applications import deadlines

    # Validate with the engine before the event joins the application: a refused event leaves nothing.
    try:
        deadlines.compute(app, today=today, strict=True, extra=event)
    except deadlines.DeadlineInputError as error:
        raise ApplicationError(str(error), field=error.field) from error
    app.clock_events.append(event)
    db.session.flush()
    deadlines.refresh(app, today=today)
    _bump(app)
    _timeline(app, "clock", f"{kind.label}: {start_on.isoformat()}" + (f" t/m {end_on.isoformat()}" if end_on else ""),
              actor=actor)
    _audit("application.clock_event_added", app, actor, kind=kind.value)
    return event


def close_clock_event(app: Application, event_id: int, *, end_on: date, actor: User, today: date) -> None:
    event = next((e for e in app.clock_events if e.id == event_id), None)
    if event is None:
        raise ApplicationError("Deze termijngebeurtenis hoort niet bij deze aanvraag.")
    if end_on < event.start_on:
        raise ApplicationError("De einddatum ligt vóór de begindatum.", field="end_on")
    previous = event.end_on
    event.end_on = end_on
    from barrier.applications import deadlines

    try:
        deadlines.refresh(app, today=today, strict=True)
    except deadlines.DeadlineInputError as error:
        event.end_on = previous
        deadlines.refresh(app, today=today)
        raise ApplicationError(str(error), field="end_on") from error
    _bump(app)
    _timeline(app, "clock", f"{event.kind.label}: beëindigd op {end_on.isoformat()}", actor=actor)
    _audit("application.clock_event_closed", app, actor, kind=event.kind.value)


# --- lists ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListFilter:
    q: str = ""
    gemeente_id: int | None = None
    permit_type: str = ""
    status: str = ""
    deadline: str = ""
    sort: str = "deadline"


def list_query(user: User, flt: ListFilter, *, today: date) -> Select:
    stmt = select(Application).options(selectinload(Application.gemeente), selectinload(Application.location),
                                       selectinload(Application.parties).selectinload(ApplicationParty.person),
                                       selectinload(Application.parties).selectinload(ApplicationParty.organisation))
    stmt = scope_to_user(stmt, Application.gemeente_id, user)
    # Concepts are the officer's own drafts; others' drafts are not casework yet.
    stmt = stmt.where(or_(Application.status != S.CONCEPT, Application.created_by_id == user.id))
    if flt.q:
        words = [w for w in re.split(r"\s+", flt.q.lower().strip()) if w][:6]
        for word in words:
            stmt = stmt.where(Application.search_text.contains(word.replace(" ", ""), autoescape=True))
    if flt.gemeente_id:
        stmt = stmt.where(Application.gemeente_id == flt.gemeente_id)
    if flt.permit_type in {t.value for t in PermitType}:
        stmt = stmt.where(Application.permit_type == PermitType(flt.permit_type))
    if flt.status == "open":
        stmt = stmt.where(Application.status.not_in([*rules.DECISION_STATUSES, S.INGETROKKEN, S.CONCEPT]))
    elif flt.status in {s.value for s in ApplicationStatus}:
        stmt = stmt.where(Application.status == ApplicationStatus(flt.status))
    open_only = Application.status.not_in([*rules.DECISION_STATUSES, S.INGETROKKEN, S.CONCEPT])
    if flt.deadline == "verlopen":
        stmt = stmt.where(open_only, Application.deadline_on < today)
    elif flt.deadline.isdigit():
        from datetime import timedelta

        stmt = stmt.where(open_only, Application.deadline_on <= today + timedelta(days=int(flt.deadline)))
    # NULLS LAST rather than "deadline_on IS NULL" first: an index on deadline_on serves it, where the
    # expression made PostgreSQL sort the whole gemeente on every page (28 ms -> 0.4 ms at 100k).
    by_deadline = (Application.deadline_on.asc().nulls_last(), Application.id)
    order = {
        "deadline": by_deadline,
        "-received": (Application.received_on.desc(), Application.id.desc()),
        "received": (Application.received_on, Application.id),
        "reference": (Application.reference, Application.id),
    }.get(flt.sort, by_deadline)
    return stmt.order_by(*order)


CSV_HEADERS = ["Kenmerk", "Gemeente", "Soort", "Status", "Aanvrager", "Locatie", "Ontvangen", "Uiterste beslisdatum"]


def _csv_cell(value: Any) -> str:
    """Neutralise spreadsheet formulas (=, +, -, @) in exported text (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(applications: Iterable[Application]) -> str:
    """Semicolon-separated with a BOM: what Dutch Excel opens correctly."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for app in applications:
        writer.writerow([_csv_cell(v) for v in (
            app.display_reference, app.gemeente.name, app.permit_type.short_label, app.status.label,
            app.applicant.name if app.applicant else "", app.location.label if app.location else "",
            app.received_on.isoformat() if app.received_on else "", app.deadline_on.isoformat() if app.deadline_on else "",
        )])
    return out.getvalue()


def get_party_by_ids(app: Application, party_id: int) -> ApplicationParty | None:
    return next((p for p in app.parties if p.id == party_id), None)


def officers_for(gemeente_id: int) -> list[User]:
    from barrier.models import Role

    return list(db.session.scalars(select(User).where(
        and_(User.gemeente_id == gemeente_id, User.role == Role.VERGUNNINGVERLENER, User.is_active_account))
        .order_by(User.full_name)))
