"""Use cases of the risk register: entries, versions, screening, review, hooks and proposals.

Services flush, never commit (the view or CLI commits once; the re-screening runner commits per
batch so that a killed run resumes, see ``barrier.register.rescreen``). Every change of the
register adds a ``RegisterVersion`` row; the in-memory index follows it (``index.py``).

Public hooks for other areas (they call them defensively, if present):

* :func:`hits_for_application` and :func:`confirmed_hit_count_for_application` (Bibob dossier,
  inspection risk score);
* :func:`propose_register_entries` (Bibob refusals and revocations, confirmed trafficking findings
  of inspections): creates proposals that a Bibob-coördinator confirms before anything enters
  the register.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import func, or_, select, text, update
from sqlalchemy.orm import selectinload

from barrier import audit, crypto
from barrier.auth.permissions import Permission, has_permission
from barrier.db import db, utcnow
from barrier.models import Address as AddressRow
from barrier.models import (
    Application,
    ApplicationParty,
    ApplicationStatus,
    Gemeente,
    Organisation,
    PartyRole,
    Permit,
    PermitStatus,
    Person,
    User,
)
from barrier.models.register import (
    ApplicationScreening,
    Confidentiality,
    EntityKind,
    HitStatus,
    ProposalStatus,
    RegisterHit,
    RegisterProposal,
    RegisterSource,
    RegisterVersion,
    RiskEntity,
)
from barrier.register.access import can_view_entity_details, details_visible_in_gemeente
from barrier.register.index import RegisterIndex, current_index
from barrier.register.records import NAME_LIMIT, Subject, entity_fields_of_party, names_with_trade_names, subjects_of
from screening.matching import ENGINE_VERSION, Hit

log = logging.getLogger(__name__)

#: A reviewed hit is asked again only when its score rose by more than this (engine rounding).
SCORE_RISE = 0.005
#: Lengths of the text columns: forms and the import check them alike.
FIELD_LIMITS = {
    "external_id": 100, "given_names": 200, "surname_prefix": 30, "surname": 200, "nationality": 80,
    "name": NAME_LIMIT, "legal_form": 60, "street": 200, "house_number": 10, "house_number_suffix": 10,
    "postcode": 10, "city": 120, "country": 2, "reason": 4000,
}


class RegisterError(Exception):
    """A refused action; ``field`` names the form field the Dutch message belongs to (or None)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ConcurrentEditError(RegisterError):
    def __init__(self) -> None:
        super().__init__("Iemand anders heeft deze registratie intussen gewijzigd. Uw invoer staat hieronder; "
                         "bekijk de actuele gegevens en sla opnieuw op.")


# --- versions ---------------------------------------------------------------------------------

def serialise_register_writes() -> None:
    # PostgreSQL: one register change at a time, so version ids are assigned in commit order and
    # the index never skips a change committed "behind" a newer one. SQLite has one writer anyway.
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(4242001)"))


def bump_version(kind: str, summary: str, *, actor: User | None,
                 entity_ids: Sequence[int] | None = None) -> RegisterVersion:
    """Record a change of the register; the new row's id is the new register version."""
    serialise_register_writes()
    version = RegisterVersion(token=uuid.uuid4().hex, kind=kind, summary=summary[:300],
                              entity_ids=list(entity_ids) if entity_ids is not None else None,
                              actor_id=actor.id if actor else None)
    db.session.add(version)
    db.session.flush()
    return version


def current_version() -> int:
    return db.session.scalar(select(func.max(RegisterVersion.id))) or 0


# --- entries ----------------------------------------------------------------------------------

@dataclass
class EntityData:
    """The values of one register entry, already in their types (from a form or an import row)."""

    kind: EntityKind
    source: RegisterSource
    reason: str
    recorded_on: date
    confidentiality: Confidentiality = Confidentiality.BIBOB_COORDINATOREN
    gemeente_id: int | None = None
    valid_until: date | None = None
    external_id: str = ""
    given_names: str = ""
    surname_prefix: str = ""
    surname: str = ""
    birth_date: date | None = None
    nationality: str = ""
    bsn: str = ""              # plain, only on input: stored as its keyed digest
    bsn_digest: str | None = None
    bsn_last4: str | None = None
    name: str = ""
    legal_form: str = ""
    kvk_number: str = ""
    street: str = ""
    house_number: str = ""
    house_number_suffix: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "NL"
    extra: dict = field(default_factory=dict)


def thousands(count: int) -> str:
    """A count the Dutch way (1.234), for messages built outside a template."""
    return f"{count:,}".replace(",", ".")


def register_name(name: str, trade_names: str) -> tuple[str, str]:
    """The register name of a statutory name and its trade names ("… h.o.d.n. …", which the engine
    splits again), and the Dutch message for the trade names when together they do not fit ('' if
    they do): the form and the import say it on the trade names, which made the name too long."""
    joined = names_with_trade_names(name, trade_names)
    if not (trade_names or "").strip() or len(joined) <= NAME_LIMIT:
        return joined, ""
    return joined, (f"Naam en handelsnamen zijn samen {thousands(len(joined))} tekens, maximaal "
                    f"{thousands(NAME_LIMIT)}: neem minder of kortere handelsnamen op.")


def entity_problems(data: EntityData, *, today: date) -> list[tuple[str, str]]:
    """What makes an entry unusable, as (field, Dutch message); the form and the import share it."""
    problems: list[tuple[str, str]] = []
    if data.kind is EntityKind.PERSON and not data.surname.strip():
        problems.append(("surname", "Vul de achternaam in: zonder achternaam is een persoon niet te vinden."))
    if data.kind is EntityKind.ORGANISATION and not (data.name.strip() or data.kvk_number):
        problems.append(("name", "Vul de naam of het KvK-nummer van de organisatie in."))
    if data.kind is EntityKind.ADDRESS and not (
            data.house_number and (data.postcode or (data.street and data.city))):
        problems.append(("postcode", "Een adres heeft een postcode en huisnummer, of een straat, huisnummer en plaats."))
    if not data.reason.strip():
        problems.append(("reason", "Vul de reden van opname in."))
    if data.recorded_on > today:
        problems.append(("recorded_on", "De registratiedatum kan niet in de toekomst liggen."))
    if data.valid_until and data.valid_until < data.recorded_on:
        problems.append(("valid_until", "'Geldig tot' ligt vóór de registratiedatum."))
    if data.birth_date and data.birth_date > today:
        problems.append(("birth_date", "De geboortedatum kan niet in de toekomst liggen."))
    if data.confidentiality is Confidentiality.EIGEN_GEMEENTE and data.gemeente_id is None:
        problems.append(("gemeente", "Bij 'alleen eigen gemeente' hoort een gemeente die de registratie vastlegt."))
    for name, limit in FIELD_LIMITS.items():
        value = getattr(data, name, "") or ""
        if len(value) > limit:
            problems.append((name, f"Te lang: {thousands(len(value))} tekens, maximaal {thousands(limit)}."))
    return problems


def search_text_for(values: dict[str, Any]) -> str:
    parts = [values.get(k) or "" for k in ("given_names", "surname_prefix", "surname", "name", "legal_form",
                                              "kvk_number", "street", "city", "external_id")]
    postcode = (values.get("postcode") or "").replace(" ", "")
    return " ".join(p for p in [*parts, postcode] if p).lower()[:2000]


def column_values(data: EntityData) -> dict[str, Any]:
    """RiskEntity column values of *data* (the BSN only as its keyed digest)."""
    person = data.kind is EntityKind.PERSON
    organisation = data.kind is EntityKind.ORGANISATION
    bsn_digest, bsn_last4 = data.bsn_digest, data.bsn_last4
    if data.bsn and person:
        bsn_digest, bsn_last4 = crypto.digest(data.bsn), data.bsn[-4:]
    values = {
        "kind": data.kind, "external_id": data.external_id or None,
        "given_names": data.given_names if person else "", "surname_prefix": data.surname_prefix if person else "",
        "surname": data.surname if person else "", "birth_date": data.birth_date if person else None,
        "nationality": data.nationality if person else "", "bsn_digest": bsn_digest if person else None,
        "bsn_last4": bsn_last4 if person else None,
        "name": data.name if organisation else "", "legal_form": data.legal_form if organisation else "",
        "kvk_number": (data.kvk_number or None) if organisation else None,
        "street": data.street, "house_number": data.house_number, "house_number_suffix": data.house_number_suffix,
        "postcode": data.postcode, "city": data.city, "country": (data.country or "NL")[:2].upper(),
        "source": data.source, "reason": data.reason, "gemeente_id": data.gemeente_id,
        "recorded_on": data.recorded_on, "valid_until": data.valid_until, "confidentiality": data.confidentiality,
    }
    values["search_text"] = search_text_for(values)
    return values


def data_of(entity: RiskEntity) -> EntityData:
    """The entry as EntityData (for an edit form that keeps the stored BSN digest)."""
    return EntityData(
        kind=entity.kind, source=entity.source, reason=entity.reason, recorded_on=entity.recorded_on,
        confidentiality=entity.confidentiality, gemeente_id=entity.gemeente_id, valid_until=entity.valid_until,
        external_id=entity.external_id or "", given_names=entity.given_names, surname_prefix=entity.surname_prefix,
        surname=entity.surname, birth_date=entity.birth_date, nationality=entity.nationality,
        bsn_digest=entity.bsn_digest, bsn_last4=entity.bsn_last4, name=entity.name, legal_form=entity.legal_form,
        kvk_number=entity.kvk_number or "", street=entity.street, house_number=entity.house_number,
        house_number_suffix=entity.house_number_suffix, postcode=entity.postcode, city=entity.city,
        country=entity.country)


def _check(data: EntityData, *, today: date, entity_id: int | None = None) -> None:
    problems = entity_problems(data, today=today)
    if problems:
        field_name, message = problems[0]
        raise RegisterError(message, field=field_name)
    if data.external_id:
        other = db.session.scalar(select(RiskEntity.id).where(RiskEntity.external_id == data.external_id))
        if other is not None and other != entity_id:
            raise RegisterError("Dit externe id hoort al bij een andere registratie.", field="external_id")


def _audit_entity(action: str, entity: RiskEntity, actor: User | None, **details: Any) -> None:
    audit.record(action, object_type="risk_entities", object_id=entity.id, gemeente_id=entity.gemeente_id,
                 actor=actor, kind=entity.kind.value, source=entity.source.value, **details)


def create_entity(data: EntityData, *, actor: User | None, today: date, version_kind: str = "toegevoegd",
                  import_id: int | None = None) -> RiskEntity:
    """Add one entry to the register (a new register version)."""
    _check(data, today=today)
    entity = RiskEntity(**column_values(data), created_by_id=actor.id if actor else None, import_id=import_id)
    db.session.add(entity)
    db.session.flush()
    version = bump_version(version_kind, f"{data.kind.label} toegevoegd", actor=actor, entity_ids=[entity.id])
    _audit_entity("register_entity.created", entity, actor, register_version=version.id)
    return entity


def update_entity(entity: RiskEntity, data: EntityData, *, actor: User | None, today: date,
                  submitted_version: str | int | None = None) -> RiskEntity:
    """Change an entry; a stale form (someone else saved in between) is refused, not overwritten."""
    if entity.is_deleted:
        raise RegisterError("Deze registratie is verwijderd en kan niet meer worden gewijzigd.")
    if submitted_version not in (None, "") and str(entity.version) != str(submitted_version):
        raise ConcurrentEditError()
    _check(data, today=today, entity_id=entity.id)
    for key, value in column_values(data).items():
        setattr(entity, key, value)
    entity.version += 1
    db.session.flush()
    version = bump_version("gewijzigd", f"{entity.kind.label} gewijzigd", actor=actor, entity_ids=[entity.id])
    _audit_entity("register_entity.updated", entity, actor, register_version=version.id)
    return entity


def delete_entity(entity: RiskEntity, *, actor: User | None, reason: str) -> None:
    """Take an entry out of the register; its reviewed hits stay as history, open ones lapse."""
    if entity.is_deleted:
        raise RegisterError("Deze registratie is al verwijderd.")
    if not reason.strip():
        raise RegisterError("Geef aan waarom de registratie wordt verwijderd.", field="reason")
    entity.deleted_at = utcnow()
    entity.version += 1
    db.session.execute(update(RegisterHit).where(RegisterHit.entity_id == entity.id,
                                                 RegisterHit.status == HitStatus.OPEN)
                       .values(is_current=False))
    db.session.flush()
    version = bump_version("verwijderd", f"{entity.kind.label} verwijderd", actor=actor, entity_ids=[entity.id])
    _audit_entity("register_entity.deleted", entity, actor, register_version=version.id, reason_length=len(reason))


# --- screening --------------------------------------------------------------------------------

@dataclass
class ScreeningResult:
    applications: int = 0
    subjects: int = 0
    current_hits: int = 0
    new_open: int = 0
    reopened: int = 0

    def add(self, other: ScreeningResult) -> None:
        for name in ("applications", "subjects", "current_hits", "new_open", "reopened"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _features(hit: Hit) -> list[dict]:
    return [{"name": f.name, "label": f.label, "query": f.query_value, "register": f.register_value,
             "contribution": round(float(f.contribution), 4)} for f in hit.features]


def _prior_decision(fingerprint: str, entity_id: int) -> RegisterHit | None:
    """The latest decision on the same pair (screened data, entry) on any application."""
    return db.session.scalar(
        select(RegisterHit).where(RegisterHit.subject_fingerprint == fingerprint, RegisterHit.entity_id == entity_id,
                                  RegisterHit.status != HitStatus.OPEN, RegisterHit.reviewed_at.is_not(None))
        .order_by(RegisterHit.reviewed_at.desc(), RegisterHit.id.desc()).limit(1))


def _apply(app: Application, subjects: list[Subject], results: list[list[Hit]], index: RegisterIndex,
           *, actor: User | None) -> ScreeningResult:
    """Store the hits of one application: new ones open a review task, decisions are kept.

    A decision holds for the pair (subject fingerprint, entry): it is asked again only when the
    screened data changed (another fingerprint) or the score rose (issue 4 §3).
    """
    now = utcnow()
    existing = {(h.subject_key, h.entity_id): h for h in db.session.scalars(
        select(RegisterHit).where(RegisterHit.application_id == app.id))}
    seen: set[tuple[str, int]] = set()
    outcome = ScreeningResult(applications=1, subjects=len(subjects))
    for subject, hits in zip(subjects, results, strict=True):
        for hit in hits:
            key = (subject.key, int(hit.entity_id))
            if key in seen:
                continue
            seen.add(key)
            row = existing.get(key)
            if row is None:
                row = RegisterHit(application_id=app.id, entity_id=int(hit.entity_id), subject_key=subject.key,
                                  subject_kind=subject.kind, status=HitStatus.OPEN, found_at=now)
                prior = _prior_decision(subject.fingerprint, int(hit.entity_id))
                if prior is not None and prior.reviewed_score is not None and hit.score <= prior.reviewed_score + SCORE_RISE:
                    row.status, row.reviewed_score, row.review_reason = prior.status, prior.reviewed_score, prior.review_reason
                    row.reviewed_by_id, row.reviewed_at, row.carried_from_id = prior.reviewed_by_id, prior.reviewed_at, prior.id
                else:
                    outcome.new_open += 1
                db.session.add(row)
            else:
                data_changed = row.subject_fingerprint != subject.fingerprint
                rose = row.reviewed_score is not None and hit.score > row.reviewed_score + SCORE_RISE
                if row.status is not HitStatus.OPEN and (data_changed or rose):
                    audit.record("register_hit.reopened", object_type="register_hits", object_id=row.id,
                                 gemeente_id=app.gemeente_id, actor=actor, application_id=app.id,
                                 previous=row.status.value, data_changed=data_changed, score_rose=rose)
                    row.status = HitStatus.OPEN
                    outcome.reopened += 1
                elif row.status is HitStatus.OPEN and not row.is_current:
                    outcome.new_open += 1  # it had lapsed and is back
            row.subject_label = subject.label[:300]
            row.subject_fingerprint = subject.fingerprint
            row.score = float(hit.score)
            row.explanation = hit.explanation
            row.features = _features(hit)
            row.register_version, row.engine_version = index.version, ENGINE_VERSION
            row.is_current = True
            row.screened_at = now
            outcome.current_hits += 1
    for key, row in existing.items():
        if key not in seen and row.is_current:
            row.is_current = False
    screening = db.session.get(ApplicationScreening, app.id)
    if screening is None:
        screening = ApplicationScreening(application_id=app.id)
        db.session.add(screening)
    screening.register_version, screening.engine_version = index.version, ENGINE_VERSION
    screening.subjects, screening.hits, screening.screened_at = len(subjects), outcome.current_hits, now
    if outcome.new_open or outcome.reopened:
        audit.record("register_hits.found", object_type="applications", object_id=app.id, gemeente_id=app.gemeente_id,
                     actor=actor, new=outcome.new_open, reopened=outcome.reopened, register_version=index.version)
    db.session.flush()
    return outcome


def _today() -> date:
    return date.today()  # noqa: DTZ011 - the server's local date is the working day


def screen_applications(apps: Sequence[Application], *, actor: User | None = None, index: RegisterIndex | None = None,
                        today: date | None = None, workers: int | None = 1,
                        allow_stale: bool = False) -> ScreeningResult:
    """Screen every party and address of these applications against the register, one batch.

    ``workers=None`` lets the engine use every core (the CLI); the web keeps to one process.
    ``allow_stale``: see ``index.current_index``.
    """
    index = index or current_index(allow_stale=allow_stale)
    today = today or _today()
    subjects = [subjects_of(app) for app in apps]
    flat = [s.record for subs in subjects for s in subs]
    results = index.match_many(flat, today=today, workers=workers)
    total = ScreeningResult()
    position = 0
    for app, subs in zip(apps, subjects, strict=True):
        total.add(_apply(app, subs, results[position:position + len(subs)], index, actor=actor))
        position += len(subs)
    return total


def screen_application(app: Application, *, actor: User | None = None, today: date | None = None,
                       allow_stale: bool = False) -> ScreeningResult:
    """Screen one application (on submission and on every change of its parties or addresses)."""
    return screen_applications([app], actor=actor, today=today, allow_stale=allow_stale)


# --- re-screening targets ---------------------------------------------------------------------

OPEN_STATUSES = tuple(s for s in ApplicationStatus if s.is_open)
PERMIT_IN_FORCE = (PermitStatus.GELDIG, PermitStatus.GESCHORST)


def rescreen_targets(*, version: int, today: date, force: bool = False) -> tuple[list[int], int]:
    """Open applications and applications of permits in force, minus those already screened
    against *version* by this engine version (so a killed run resumes). Returns (pending, total)."""
    open_ids = set(db.session.scalars(select(Application.id).where(Application.status.in_(OPEN_STATUSES))))
    permit_ids = set(db.session.scalars(select(Permit.application_id).where(
        Permit.application_id.is_not(None), Permit.status.in_(PERMIT_IN_FORCE),
        or_(Permit.valid_until.is_(None), Permit.valid_until >= today))))
    targets = sorted(open_ids | permit_ids)
    if force:
        return targets, len(targets)
    done = set(db.session.scalars(select(ApplicationScreening.application_id).where(
        ApplicationScreening.register_version == version, ApplicationScreening.engine_version == ENGINE_VERSION)))
    return [i for i in targets if i not in done], len(targets)


def load_for_screening(ids: Sequence[int]) -> list[Application]:
    if not ids:
        return []
    address_of_person = selectinload(Application.parties).selectinload(ApplicationParty.person).selectinload(Person.address)
    address_of_org = (selectinload(Application.parties).selectinload(ApplicationParty.organisation)
                      .selectinload(Organisation.address))
    return list(db.session.scalars(select(Application).where(Application.id.in_(ids))
                                   .options(address_of_person, address_of_org, selectinload(Application.location))
                                   .order_by(Application.id)))


# --- review -----------------------------------------------------------------------------------

def review_hit(hit: RegisterHit, *, decision: HitStatus, reason: str, actor: User) -> RegisterHit:
    """The Bibob-coördinator's decision on a hit: confirm, dismiss (with a reason) or unsure.

    The decision is audited and holds for the pair until the data change or the score rises.
    """
    if decision is HitStatus.OPEN:
        raise RegisterError("Kies bevestigen, afwijzen of onzeker.", field="decision")
    reason = (reason or "").strip()
    if decision is HitStatus.AFGEWEZEN and not reason:
        raise RegisterError("Geef een reden waarom dit geen treffer is; de reden wordt bewaard.", field="reason")
    previous = hit.status
    hit.status, hit.review_reason = decision, reason
    hit.reviewed_by_id, hit.reviewed_at, hit.reviewed_score = actor.id, utcnow(), hit.score
    hit.carried_from_id = None
    db.session.flush()
    audit.record("register_hit.reviewed", object_type="register_hits", object_id=hit.id,
                 gemeente_id=hit.application.gemeente_id, actor=actor, decision=decision.value,
                 previous=previous.value, application_id=hit.application_id, entity_id=hit.entity_id,
                 score=round(hit.score, 4), reason_length=len(reason))
    return hit


# --- what other areas read --------------------------------------------------------------------

@dataclass(frozen=True)
class HitSummary:
    """A hit as another area shows it (the Bibob dossier): details only where need-to-know allows.

    ``score`` is a percentage (0-100), as the dossier prints it; ``status`` is open, bevestigd,
    afgewezen or onzeker; ``source_code`` is the ``RegisterSource`` value ("" when masked).
    """

    id: int
    entity_label: str
    kind: str
    score: float
    explanation: str
    status: str
    subject_label: str
    entry_label: str
    source_label: str
    is_confidential: bool
    source_code: str = ""


def _user_or_none(user: Any) -> Any:
    if user is not None:
        return user
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user
    return None


def masked_label(entity: RiskEntity) -> str:
    where = entity.gemeente.name if entity.gemeente else "de regio"
    return f"Vertrouwelijke registratie ({where})"


def summarise(hit: RegisterHit, *, visible: bool) -> HitSummary:
    entity = hit.entity
    if visible:
        return HitSummary(hit.id, entity.display_name, entity.kind.value, round(hit.score * 100, 1), hit.explanation,
                          hit.status.value, hit.subject_label, entity.reason, entity.source.label, False,
                          entity.source.value)
    where = entity.gemeente.name if entity.gemeente else "de regio"
    return HitSummary(hit.id, masked_label(entity), entity.kind.value, round(hit.score * 100, 1),
                      f"Details alleen voor de Bibob-coördinatoren van {where}; neem contact met hen op.",
                      hit.status.value, hit.subject_label, "", "", True)


def current_hits(application_id: int) -> list[RegisterHit]:
    order = (RegisterHit.status != HitStatus.OPEN, RegisterHit.score.desc(), RegisterHit.id)
    return list(db.session.scalars(
        select(RegisterHit).where(RegisterHit.application_id == application_id, RegisterHit.is_current.is_(True))
        .options(selectinload(RegisterHit.entity).selectinload(RiskEntity.gemeente)).order_by(*order)))


def hits_for_application(application_id: int, user: Any = None) -> list[HitSummary]:
    """The current register hits of an application, open first, as *user* may see them.

    Without a user (a CLI), hits show as a Bibob-coördinator of the application's gemeente would
    see them. The caller audits the read (the dossier view records which part it showed).
    """
    app = db.session.get(Application, application_id)
    if app is None:
        return []
    user = _user_or_none(user)
    out = []
    for hit in current_hits(application_id):
        visible = (can_view_entity_details(user, hit.entity) if user is not None
                   else details_visible_in_gemeente(hit.entity, app.gemeente_id))
        out.append(summarise(hit, visible=visible))
    return out


def confirmed_hit_count_for_application(application_id: int) -> int:
    """How many current hits of the application a coördinator confirmed (the inspection risk score)."""
    return db.session.scalar(select(func.count()).select_from(RegisterHit).where(
        RegisterHit.application_id == application_id, RegisterHit.is_current.is_(True),
        RegisterHit.status == HitStatus.BEVESTIGD)) or 0


def open_hit_counts(application_ids: Iterable[int]) -> dict[int, int]:
    ids = list(application_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(RegisterHit.application_id, func.count()).where(
        RegisterHit.application_id.in_(ids), RegisterHit.is_current.is_(True), RegisterHit.status == HitStatus.OPEN)
        .group_by(RegisterHit.application_id))
    return {app_id: count for app_id, count in rows}  # noqa: C416 - a Result is not a mapping


# --- proposals (automatic entries after a confirmation step) --------------------------------------

_SOURCE_ALIASES = {"bibob": RegisterSource.BIBOB_BESLUIT, "weigering": RegisterSource.VERGUNNING_GEWEIGERD,
                   "intrekking": RegisterSource.VERGUNNING_GEWEIGERD, "inspectie": RegisterSource.INSPECTIE,
                   "inspections": RegisterSource.INSPECTIE, "riec": RegisterSource.RIEC_SIGNAAL}


def _source(value: RegisterSource | str) -> RegisterSource:
    if isinstance(value, RegisterSource):
        return value
    key = str(value).strip().lower()
    if key in _SOURCE_ALIASES:
        return _SOURCE_ALIASES[key]
    try:
        return RegisterSource(key)
    except ValueError as error:
        raise ValueError(f"unknown register source {value!r}; use one of {[s.value for s in RegisterSource]}") from error


def propose_register_entries(application: Application | None, reason: str, source: RegisterSource | str, *,
                             actor: User | None = None, origin: str = "bibob",
                             persons: Iterable[Person] = (), organisations: Iterable[Organisation] = (),
                             addresses: Iterable[AddressRow] = (), gemeente_id: int | None = None,
                             include_location: bool = True) -> list[RegisterProposal]:
    """Propose register entries for the parties (and location) of a refused or revoked application,
    or for the persons, organisations and addresses of a confirmed trafficking finding.

    Nothing enters the register here: each proposal waits until a Bibob-coördinator of the
    gemeente confirms it (``confirm_proposal``; issue 4 §5). Call it inside your transaction (it
    flushes, never commits). With an *application*, all its parties and its location are proposed;
    without one, pass the *persons* / *organisations* / *addresses* and the *gemeente_id*.
    *source* is a ``RegisterSource`` or its value ("bibob_besluit", "vergunning_geweigerd",
    "inspectie", ...). A subject that already has a waiting proposal is not proposed twice.
    Returns the new proposals.
    """
    source_value = _source(source)
    gemeente_id = application.gemeente_id if application is not None else gemeente_id
    candidates: list[tuple[str, dict, str]] = []
    establishment: dict[int, str] = {}  # organisation id -> the trade name its application names
    if application is not None:
        for party in application.parties:
            if party.person is not None:
                persons = [*persons, party.person]
            elif party.organisation is not None:
                organisations = [*organisations, party.organisation]
                if party.role is PartyRole.AANVRAGER and application.trade_name:
                    establishment[party.organisation.id] = application.trade_name
        if include_location and application.location is not None:
            addresses = [*addresses, application.location]
    for p in persons:
        candidates.append((f"person:{p.id}", entity_fields_of_party(person=p), p.full_name))
    for o in organisations:
        candidates.append((f"organisation:{o.id}",
                           entity_fields_of_party(organisation=o, trade_name=establishment.get(o.id, "")), o.name))
    for a in addresses:
        candidates.append((f"address:{a.id}", entity_fields_of_party(address=a), a.label))
    created = []
    seen: set[str] = set()
    for subject_key, data, label in candidates:
        if subject_key in seen:
            continue
        seen.add(subject_key)
        waiting = db.session.scalar(select(RegisterProposal.id).where(
            RegisterProposal.subject_key == subject_key, RegisterProposal.status == ProposalStatus.VOORGESTELD,
            RegisterProposal.gemeente_id == gemeente_id))
        if waiting is not None:
            continue
        proposal = RegisterProposal(kind=EntityKind(data["kind"]), data=data, label=label[:300], subject_key=subject_key,
                                    source=source_value, reason=reason, origin=origin[:30],
                                    application_id=application.id if application is not None else None,
                                    gemeente_id=gemeente_id, proposed_by_id=actor.id if actor else None)
        db.session.add(proposal)
        created.append(proposal)
    db.session.flush()
    for proposal in created:
        audit.record("register_proposal.created", object_type="register_proposals", object_id=proposal.id,
                     gemeente_id=gemeente_id, actor=actor, origin=proposal.origin, source=source_value.value,
                     application_id=proposal.application_id)
    return created


def proposal_entity_data(proposal: RegisterProposal, *, today: date) -> EntityData:
    data = dict(proposal.data)
    birth = data.get("birth_date")
    return EntityData(
        kind=proposal.kind, source=proposal.source, reason=proposal.reason, recorded_on=today,
        gemeente_id=proposal.gemeente_id, confidentiality=Confidentiality.BIBOB_COORDINATOREN,
        given_names=data.get("given_names") or "", surname_prefix=data.get("surname_prefix") or "",
        surname=data.get("surname") or "", birth_date=date.fromisoformat(birth) if birth else None,
        nationality=data.get("nationality") or "", bsn_digest=data.get("bsn_digest"), bsn_last4=data.get("bsn_last4"),
        name=data.get("name") or "", legal_form=data.get("legal_form") or "", kvk_number=data.get("kvk_number") or "",
        street=data.get("street") or "", house_number=data.get("house_number") or "",
        house_number_suffix=data.get("house_number_suffix") or "", postcode=data.get("postcode") or "",
        city=data.get("city") or "", country=data.get("country") or "NL")


def _open_proposal(proposal: RegisterProposal) -> None:
    if proposal.status is not ProposalStatus.VOORGESTELD:
        raise RegisterError("Over dit voorstel is al besloten.")


def confirm_proposal(proposal: RegisterProposal, *, actor: User, today: date, confidentiality: Confidentiality,
                     valid_until: date | None, reason: str) -> RiskEntity:
    """A coördinator confirms a proposal: only now the entry enters the register (new version)."""
    _open_proposal(proposal)
    data = replace(proposal_entity_data(proposal, today=today), confidentiality=confidentiality,
                   valid_until=valid_until, reason=reason.strip() or proposal.reason)
    entity = create_entity(data, actor=actor, today=today, version_kind="voorstel")
    proposal.status, proposal.entity_id = ProposalStatus.BEVESTIGD, entity.id
    proposal.decided_by_id, proposal.decided_at = actor.id, utcnow()
    db.session.flush()
    audit.record("register_proposal.confirmed", object_type="register_proposals", object_id=proposal.id,
                 gemeente_id=proposal.gemeente_id, actor=actor, entity_id=entity.id)
    return entity


def reject_proposal(proposal: RegisterProposal, *, actor: User, note: str) -> None:
    _open_proposal(proposal)
    if not note.strip():
        raise RegisterError("Geef aan waarom het voorstel niet wordt opgenomen.", field="note")
    proposal.status, proposal.decision_note = ProposalStatus.AFGEWEZEN, note.strip()
    proposal.decided_by_id, proposal.decided_at = actor.id, utcnow()
    db.session.flush()
    audit.record("register_proposal.rejected", object_type="register_proposals", object_id=proposal.id,
                 gemeente_id=proposal.gemeente_id, actor=actor)


# --- search -----------------------------------------------------------------------------------

_KVK = re.compile(r"^\d{8}$")
_POSTCODE = re.compile(r"^([1-9]\d{3})\s?([A-Za-z]{2})(?:\s+(\d{1,5})\s*([A-Za-z0-9]{0,4}))?$")


def engine_queries(q: str) -> list[Any]:
    """Engine records for a free-text search: a KvK number, a postcode (+ number), or a name.

    A name is tried as a person and as an organisation: the register search should find
    "Vries, J. de" when the user types "Jan de Vries".
    """
    from screening.matching import Address as EngineAddress
    from screening.matching import AddressRecord
    from screening.matching import Organisation as EngineOrganisation
    from screening.matching import Person as EnginePerson

    q = (q or "").strip()[:200]
    compact = q.replace(" ", "").replace(".", "")
    if _KVK.match(compact):
        return [EngineOrganisation(id="q", kvk_number=compact)]
    match = _POSTCODE.match(q)
    if match:
        postcode = f"{match.group(1)} {match.group(2).upper()}"
        return [AddressRecord(id="q", address=EngineAddress(postcode=postcode, house_number=match.group(3) or "",
                                                            house_number_suffix=match.group(4) or ""))]
    if not q.split():
        return []
    # The whole text in the surname field: the engine tries its words as given names and surname
    # in either order, with or without a tussenvoegsel.
    return [EnginePerson(id="q", surname=q), EngineOrganisation(id="q", name=q)]


def fuzzy_search(q: str, *, today: date, limit: int = 20, threshold: float = 0.35) -> list[tuple[int, float, str]]:
    """(entity id, score, explanation) of entries the engine finds for *q*, best first."""
    index = current_index(allow_stale=True)
    found: dict[int, tuple[float, str]] = {}
    for record in engine_queries(q):
        for hit in index.match(record, today=today, threshold=threshold):
            entity_id = int(hit.entity_id)
            if entity_id not in found or found[entity_id][0] < hit.score:
                found[entity_id] = (hit.score, hit.explanation)
    ranked = sorted(found.items(), key=lambda item: -item[1][0])[:limit]
    return [(entity_id, score, explanation) for entity_id, (score, explanation) in ranked]


def gemeente_choices() -> list[Gemeente]:
    return list(db.session.scalars(select(Gemeente).order_by(Gemeente.name)))


def user_may_review(user: Any, app: Application) -> bool:
    from barrier.auth.scoping import can_access_gemeente

    return has_permission(user, Permission.REVIEW_HITS) and can_access_gemeente(app.gemeente_id, user)
