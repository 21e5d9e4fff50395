"""Use cases of a Bibob dossier: opening, betrokkenen, questionnaire, checklist, register hits,
LBB advice, judgement, voornemen and zienswijze (domain.md §1.2-§1.6).

Services flush, never commit; they raise ``BibobError`` with a Dutch message (and the form field it
belongs to), write the audit log, and never touch ``request``. The application's status and
deadline change only through ``barrier.applications.services`` (``transition``, ``add_clock_event``,
``close_clock_event``), so the deadline engine's 8 + 4 week cap for the LBB advice applies.

The application's timeline is read by the vergunningverlener: notes written there name the stage,
never the contents of the dossier (art. 28 Wet Bibob).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from barrier import audit
from barrier.applications import services as app_services
from barrier.applications.deadlines import permit_settings
from barrier.applications.services import ApplicationError
from barrier.bibob.questionnaire import QUESTIONS, QuestionnaireSection, applicable_sections
from barrier.db import db
from barrier.documents import StoredFile
from barrier.models import (
    Application,
    ApplicationParty,
    ApplicationStatus,
    ClockEventKind,
    Document,
    DocumentKind,
    PermitType,
    Role,
    User,
)
from barrier.models.bibob import (
    STAGE_ORDER,
    BibobAttachment,
    BibobDossier,
    BibobParty,
    DossierStage,
    InvestigationEntry,
    InvestigationSource,
    Judgement,
    LbbRequest,
    OpenReason,
    QuestionnaireAnswer,
)
from forms.base import remove_control_characters
from screening.checklists import (
    Advice,
    AnswerError,
    Assessment,
    Checklist,
    ChecklistError,
    ConfirmedHit,
    DangerLevel,
    Ground,
    LbbAdvice,
    assess,
    load_checklist,
)

log = logging.getLogger(__name__)
S = ApplicationStatus

#: Which checklist definition a permit type is screened with (screening/checklists/definitions).
CHECKLIST_TYPES = {
    PermitType.SEKSINRICHTING: "seksbedrijf",
    PermitType.ESCORTBEDRIJF: "seksbedrijf",
    PermitType.VERHUURVERGUNNING: "wgv_verhuurvergunning",
}
#: Awb 4:8: common practice gives the betrokkene 14 days for a zienswijze (domain.md §1.6, configurable 14-28).
ZIENSWIJZE_DAYS = 14
#: The LBB advises within 8 weeks, extendable once by at most 4 (domain.md §1.6 timers, §10 rule 13).
LBB_TERM_DAYS = 56
LBB_MAX_EXTENSION_WEEKS = 4
#: Statuses on which no Bibob dossier is opened any more: the application is closed for good.
CLOSED_STATUSES = frozenset({S.GEWEIGERD, S.BUITEN_BEHANDELING, S.INGETROKKEN})


class BibobError(Exception):
    """A refused action; ``field`` names the form field the Dutch message belongs to (or None)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class DossierChangedError(BibobError):
    def __init__(self) -> None:
        super().__init__("Iemand anders heeft dit dossier intussen gewijzigd. Uw invoer staat hieronder; "
                         "bekijk de actuele gegevens en sla opnieuw op.")


def _audit(action: str, dossier: BibobDossier, actor: User | None, **details: Any) -> None:
    audit.record(action, object_type="bibob_dossiers", object_id=dossier.id, gemeente_id=dossier.gemeente_id,
                 actor=actor, reference=dossier.reference, **details)


def clean(text: str | None) -> str:
    """Free text as it is stored: control characters removed (PostgreSQL refuses NUL), line breaks kept.

    The forms do the same; services clean again because the CLI, the demo and other areas call them directly.
    """
    return remove_control_characters(text or "").strip()


def check_version(dossier: BibobDossier, submitted: str | int | None) -> None:
    """Detect a concurrent edit: forms carry the version they were rendered with."""
    if submitted not in (None, "") and str(submitted) != str(dossier.version):
        raise DossierChangedError()


def _touch(dossier: BibobDossier) -> None:
    dossier.version += 1


def _advance(dossier: BibobDossier, stage: DossierStage) -> None:
    """Move the stage forward only: recording an earlier step late does not move the dossier back."""
    if STAGE_ORDER.index(stage) > STAGE_ORDER.index(dossier.stage):
        dossier.stage = stage


def _refuse_if_closed(dossier: BibobDossier) -> None:
    if dossier.is_purged:
        raise BibobError("Dit dossier is vernietigd na afloop van de bewaartermijn; er kan niets meer worden vastgelegd.")


# --- policy -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BibobPolicy:
    """The Beleidsregel Bibob for a permit type in a gemeente (Awb 4:81; domain.md §1.1)."""

    value: str  # altijd | steekproef | bij_signaal
    source: str

    @property
    def always(self) -> bool:
        return self.value == "altijd"

    @property
    def label(self) -> str:
        return {"altijd": "altijd een Bibob-toets", "steekproef": "Bibob-toets bij steekproef",
                "bij_signaal": "Bibob-toets bij een signaal"}.get(self.value, self.value)


# Without a setting of the gemeente: BIB-SCOPE-SEKS is "ALTIJD"; BIB-SCOPE-WGV-AM is a policy choice
# ("ALTIJD_OF_STEEKPROEF_OF_BIJ_SIGNAAL") whose default here is "altijd".
_SEX_DEFAULT = BibobPolicy("altijd", "standaard Beleidsregel Bibob: altijd toetsen bij een exploitatievergunning "
                                     "seksbedrijf (BIB-SCOPE-SEKS)")
DEFAULT_POLICIES = {
    PermitType.SEKSINRICHTING: _SEX_DEFAULT,
    PermitType.ESCORTBEDRIJF: _SEX_DEFAULT,
    PermitType.VERHUURVERGUNNING: BibobPolicy(
        "altijd", "standaard Beleidsregel Bibob: altijd toetsen bij een verhuurvergunning arbeidsmigranten "
                  "(BIB-SCOPE-WGV-AM; steekproef of bij signaal is instelbaar)"),
}


def bibob_policy(app: Application) -> BibobPolicy:
    """The gemeente's setting for this permit type, or the default of domain.md §1.1."""
    settings = permit_settings(app)
    if settings is not None and settings.bibob_policy:
        name = app.gemeente.name if app.gemeente else "de gemeente"
        return BibobPolicy(settings.bibob_policy, f"Beleidsregel Bibob {name} (instelling per vergunningtype)")
    return DEFAULT_POLICIES[app.permit_type]


# --- checklist --------------------------------------------------------------------------------------

def _checklist_dir() -> Path | None:
    directory = current_app.config.get("BIBOB_CHECKLIST_DIR")
    return Path(directory) if directory else None


def current_checklist(permit_type: PermitType, *, today: date) -> Checklist:
    return load_checklist(CHECKLIST_TYPES[permit_type], on=today, directory=_checklist_dir())


def checklist_for(dossier: BibobDossier) -> Checklist:
    """The version the dossier started with, never a newer one (issue 5 §3)."""
    return load_checklist(dossier.checklist_permit_type, dossier.checklist_version, directory=_checklist_dir())


# --- opening --------------------------------------------------------------------------------------

def dossiers_of(application_id: int) -> list[BibobDossier]:
    return list(db.session.scalars(select(BibobDossier).where(BibobDossier.application_id == application_id)
                                   .order_by(BibobDossier.id)))


def active_dossier(application_id: int) -> BibobDossier | None:
    return next((d for d in reversed(dossiers_of(application_id)) if not d.is_purged), None)


def coordinators_for(gemeente_id: int) -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.gemeente_id == gemeente_id, User.role == Role.BIBOB_COORDINATOR, User.is_active_account)
        .order_by(User.full_name)))


def _pick_coordinator(gemeente_id: int) -> User | None:
    """The gemeente's coordinator with the fewest open dossiers (None when the gemeente has none)."""
    candidates = coordinators_for(gemeente_id)
    if not candidates:
        return None
    open_stages = [s for s in DossierStage if s.is_open]
    counts = dict(db.session.execute(
        select(BibobDossier.coordinator_id, func.count()).where(BibobDossier.stage.in_(open_stages),
                                                                BibobDossier.gemeente_id == gemeente_id)
        .group_by(BibobDossier.coordinator_id)).all())
    return min(candidates, key=lambda u: (counts.get(u.id, 0), u.id))


def _reference(app: Application) -> str:
    existing = len(dossiers_of(app.id))
    base = f"BIBOB-{app.reference}"
    return base if existing == 0 else f"{base}-{existing + 1}"


#: Statuses from which Bibob work moves the application to 'Bibob-onderzoek'; later statuses
#: (voornemen, zienswijze) keep theirs, e.g. while a supplementary LBB advice is asked.
EARLY_STATUSES = frozenset({S.ONTVANGEN, S.IN_BEHANDELING, S.AANVULLING_GEVRAAGD})


def _ensure_bibob_status(app: Application, *, actor: User, today: date) -> None:
    """Put the application in 'Bibob-onderzoek' when it is still at the start of its casework."""
    if app.status in EARLY_STATUSES:
        app_services.transition(app, S.BIBOB_ONDERZOEK, actor=actor, note="Bibob-onderzoek", today=today)


def open_dossier(app: Application, *, actor: User | None, today: date, reason: OpenReason = OpenReason.HANDMATIG,
                 coordinator: User | None = None) -> BibobDossier:
    """Open a Bibob dossier on a submitted application (Wet Bibob art. 7a; Beleidsregel Bibob).

    The checklist version in force today is pinned; the betrokkenen are copied from the
    application's parties (snapshot and link). A coordinator who opens a dossier takes it on;
    an automatic opening assigns the gemeente's coordinator with the fewest open dossiers.
    """
    if app.status is S.CONCEPT or not app.reference:
        raise BibobError("Een Bibob-dossier kan pas worden geopend op een ingediende aanvraag.")
    if app.status in CLOSED_STATUSES:
        raise BibobError(f"Op deze aanvraag is al besloten ({app.status.label.lower()}); "
                         "een nieuw Bibob-dossier kan niet meer worden geopend.")
    existing = active_dossier(app.id)
    if existing is not None:
        raise BibobError(f"Op deze aanvraag loopt al Bibob-dossier {existing.reference}.")
    try:
        checklist = current_checklist(app.permit_type, today=today)
    except ChecklistError as error:
        raise BibobError(f"De Bibob-checklist kan niet worden geladen: {error}") from error
    if coordinator is None:
        coordinator = actor if actor is not None and actor.role is Role.BIBOB_COORDINATOR else _pick_coordinator(app.gemeente_id)
    policy = bibob_policy(app)
    dossier = BibobDossier(
        reference=_reference(app), application=app, gemeente_id=app.gemeente_id,
        coordinator_id=coordinator.id if coordinator else None, stage=DossierStage.VRAGENFORMULIER,
        opened_on=today, opened_by_id=actor.id if actor else None, open_reason=reason,
        policy_source=policy.source if reason is OpenReason.BELEIDSREGEL else "",
        checklist_permit_type=checklist.permit_type, checklist_version=checklist.version, answers={},
        questionnaire_sent_on=today,
    )
    db.session.add(dossier)
    db.session.flush()
    snapshot_parties(dossier, today=today)
    if reason is OpenReason.HANDMATIG and actor is not None:
        _ensure_bibob_status(app, actor=actor, today=today)
    if actor is not None:
        app_services.add_note(app, f"Bibob-dossier {dossier.reference} geopend ({reason.label.lower()}).", actor=actor)
    _audit("bibob_dossier.opened", dossier, actor, application_id=app.id, reason=reason.value,
           checklist=checklist.key, coordinator_id=dossier.coordinator_id)
    return dossier


def assign_coordinator(dossier: BibobDossier, coordinator_id: int, *, actor: User) -> None:
    _refuse_if_closed(dossier)
    coordinator = next((u for u in coordinators_for(dossier.gemeente_id) if u.id == coordinator_id), None)
    if coordinator is None:
        raise BibobError("Kies een Bibob-coördinator van deze gemeente.", field="coordinator_id")
    dossier.coordinator_id = coordinator.id
    _touch(dossier)
    _audit("bibob_dossier.coordinator_assigned", dossier, actor, coordinator_id=coordinator.id)


# --- betrokkenen ------------------------------------------------------------------------------------

def _identifier(party: ApplicationParty) -> str:
    if party.organisation is not None:
        return f"KvK {party.organisation.kvk_number}" if party.organisation.kvk_number else ""
    if party.person is not None and party.person.birth_date:
        return f"geb. {party.person.birth_date.strftime('%d-%m-%Y')}"
    return ""


def snapshot_parties(dossier: BibobDossier, *, today: date) -> int:
    """Copy the application's parties that the dossier does not have yet; return how many were added."""
    linked = {p.application_party_id for p in dossier.parties if p.application_party_id}
    added = 0
    for party in dossier.application.parties:
        if party.id in linked:
            continue
        dossier.parties.append(BibobParty(
            application_party_id=party.id, person_id=party.person_id, organisation_id=party.organisation_id,
            role=party.role.value, name=party.name, is_organisation=party.organisation_id is not None,
            identifier=_identifier(party), since=party.since, until=party.until, percentage=party.percentage,
            amount_eur=party.amount_eur, note=party.notes or "", snapshot_on=today))
        added += 1
    db.session.flush()
    return added


@dataclass(frozen=True)
class PartyChanges:
    new: tuple[ApplicationParty, ...]
    gone: tuple[BibobParty, ...]

    @property
    def any(self) -> bool:
        return bool(self.new or self.gone)


def party_changes(dossier: BibobDossier) -> PartyChanges:
    """Parties added to the application since the snapshot, and snapshot parties no longer on it."""
    current = {p.id for p in dossier.application.parties}
    linked = {p.application_party_id for p in dossier.parties if p.application_party_id}
    return PartyChanges(
        new=tuple(p for p in dossier.application.parties if p.id not in linked),
        gone=tuple(p for p in dossier.parties if p.application_party_id not in current),
    )


def refresh_parties(dossier: BibobDossier, *, actor: User, today: date) -> int:
    _refuse_if_closed(dossier)
    added = snapshot_parties(dossier, today=today)
    _touch(dossier)
    _audit("bibob_dossier.parties_refreshed", dossier, actor, added=added)
    return added


def applicant_kind(dossier: BibobDossier) -> str | None:
    applicant = dossier.application.applicant
    if applicant is None:
        return None
    return "organisation" if applicant.organisation_id else "person"


# --- questionnaire (vragenformulier) --------------------------------------------------------------------

@dataclass(frozen=True)
class QuestionState:
    id: str
    text: str
    kind: str
    needs_document: bool
    answer: QuestionnaireAnswer | None
    attachments: tuple[BibobAttachment, ...]
    missing: str  # "" when complete; else what is missing (Dutch)


def questionnaire_state(dossier: BibobDossier) -> list[tuple[QuestionnaireSection, list[QuestionState]]]:
    """Every applicable question with its answer, its documents and what is still missing (§1.5)."""
    answers = {a.question_id: a for a in dossier.questionnaire_answers}
    documents: dict[str, list[BibobAttachment]] = {}
    for attachment in dossier.attachments:
        if attachment.question_id:
            documents.setdefault(attachment.question_id, []).append(attachment)
    result = []
    for section in applicable_sections(applicant_kind(dossier)):
        states = []
        for question in section.questions:
            answer = answers.get(question.id)
            docs = tuple(documents.get(question.id, ()))
            if answer is not None and answer.not_applicable:
                missing = ""
            elif answer is None or not answer.answer.strip():
                missing = "Geen antwoord" if not (question.kind == "file" and docs) else ""
            else:
                missing = ""
            if not missing and question.needs_document and not docs and not (answer and answer.not_applicable):
                missing = "Bewijsstuk ontbreekt"
            states.append(QuestionState(question.id, question.text, question.kind, question.needs_document, answer,
                                        docs, missing))
        result.append((section, states))
    return result


def missing_questions(dossier: BibobDossier) -> list[QuestionState]:
    return [q for _, states in questionnaire_state(dossier) for q in states if q.missing]


def save_questionnaire(dossier: BibobDossier, answers: Mapping[str, tuple[str, bool]], *, sent_on: date | None,
                       received_on: date | None, actor: User) -> None:
    """Record the betrokkene's answers (question id -> (text, not applicable))."""
    _refuse_if_closed(dossier)
    if sent_on and received_on and received_on < sent_on:
        raise BibobError("Het formulier kan niet zijn ontvangen vóór het is uitgezet.", field="received_on")
    existing = {a.question_id: a for a in dossier.questionnaire_answers}
    changed = 0
    for question_id, (text, not_applicable) in answers.items():
        text = clean(text)
        if question_id not in QUESTIONS:
            raise BibobError(f"Onbekende vraag {question_id}.")
        row = existing.get(question_id)
        if row is None:
            if not text and not not_applicable:
                continue
            row = QuestionnaireAnswer(question_id=question_id)
            dossier.questionnaire_answers.append(row)
        if row.answer != text or row.not_applicable != not_applicable:
            row.answer, row.not_applicable, row.updated_by_id = text, not_applicable, actor.id
            changed += 1
    dossier.questionnaire_sent_on, dossier.questionnaire_received_on = sent_on, received_on
    _touch(dossier)
    db.session.flush()
    _audit("bibob_dossier.questionnaire_saved", dossier, actor, changed=changed)


def attach_document(dossier: BibobDossier, stored: StoredFile, *, actor: User, kind: DocumentKind = DocumentKind.OVERIG,
                    question_id: str | None = None, investigation: InvestigationEntry | None = None,
                    label: str = "") -> BibobAttachment:
    """Keep an uploaded file as a Bibob document (context "bibob": never downloadable from the application)."""
    _refuse_if_closed(dossier)
    if question_id is not None and question_id not in QUESTIONS:
        raise BibobError(f"Onbekende vraag {question_id}.")
    document = db.session.scalar(select(Document).where(
        Document.application_id == dossier.application_id, Document.sha256 == stored.sha256,
        Document.context == "bibob"))
    if document is None:
        document = Document(application_id=dossier.application_id, gemeente_id=dossier.gemeente_id, kind=kind,
                            original_filename=stored.original_filename, sha256=stored.sha256,
                            size_bytes=stored.size_bytes, content_type=stored.content_type,
                            uploaded_by_id=actor.id, context="bibob")
        db.session.add(document)
        db.session.flush()
    attachment = BibobAttachment(document=document, question_id=question_id, investigation=investigation,
                                 label=clean(label)[:200] or stored.original_filename)
    dossier.attachments.append(attachment)
    db.session.flush()
    _audit("bibob_dossier.document_added", dossier, actor, document_id=document.id, question_id=question_id or "",
           investigation_id=investigation.id if investigation else None)
    return attachment


# --- register hits (the register area owns them) --------------------------------------------------------

@dataclass(frozen=True)
class HitView:
    """A register hit as the dossier shows it; status is open, bevestigd, afgewezen or onzeker.

    ``kind`` is what the register calls the entry (persoon, organisatie, adres); ``category`` is the
    checklist's hit kind (witwassen, vergunning_geweigerd, ...) that the REGISTER items count.
    """

    entity: str
    kind: str
    score: float | None
    explanation: str
    status: str
    category: str = "overig"
    subject: str = ""
    entry: str = ""
    source: str = ""

    @property
    def status_label(self) -> str:
        return {"open": "Te beoordelen", "bevestigd": "Bevestigd", "afgewezen": "Afgewezen",
                "onzeker": "Onzeker"}.get(self.status, self.status)

    @property
    def tone(self) -> str:
        return {"open": "warning", "bevestigd": "danger", "afgewezen": "neutral", "onzeker": "info"}.get(self.status,
                                                                                                      "neutral")


#: Hit kinds the checklist definitions count (screening/checklists/definitions, header comments).
CHECKLIST_HIT_KINDS = frozenset({
    "mensenhandel", "uitbuiting", "witwassen", "opiumwet", "geweld", "zeden", "fraude", "fiscaal", "bibob_besluit",
    "vergunning_geweigerd", "vergunning_ingetrokken", "faillissement", "handhaving", "handhaving_wgv",
    "beheerovername", "overig",
})
# Words in the register's source and reason that name a checklist hit kind, most serious first.
_KIND_WORDS = (
    ("mensenhandel", "mensenhandel"), ("uitbuit", "uitbuiting"), ("witwas", "witwassen"), ("opium", "opiumwet"),
    ("drugs", "opiumwet"), ("geweld", "geweld"), ("zeden", "zeden"), ("fraude", "fraude"), ("fiscaal", "fiscaal"),
    ("belasting", "fiscaal"), ("bibob", "bibob_besluit"), ("ingetrokken", "vergunning_ingetrokken"),
    ("intrekking", "vergunning_ingetrokken"), ("geweigerd", "vergunning_geweigerd"), ("weigering", "vergunning_geweigerd"),
    ("faillis", "faillissement"), ("insolvent", "faillissement"), ("beheerovername", "beheerovername"),
    ("dwangsom", "handhaving"), ("handhaving", "handhaving"),
)


def _first(obj: Any, *names: str, default: Any = "") -> Any:
    for name in names:
        value = getattr(obj, name, None)
        if value not in (None, ""):
            return value
    return default


def hit_category(hit: Any) -> str:
    """The checklist hit kind of a register hit: an explicit code if the register gives one, else from its words."""
    for name in ("checklist_kind", "category", "source_code", "source", "kind"):
        value = str(getattr(hit, name, "") or "").strip().lower()
        if value in CHECKLIST_HIT_KINDS:
            return value
    words = " ".join(str(_first(hit, name)) for name in ("source_label", "source", "entry_label", "description",
                                                          "reason")).lower()
    return next((kind for word, kind in _KIND_WORDS if word in words), "overig")


def register_hits(dossier: BibobDossier) -> list[HitView] | None:
    """The register's hits on the dossier's application, or None while the register area is absent."""
    try:
        from barrier.register import services as register_services  # type: ignore[import-not-found]
    except ImportError:
        return None
    finder = getattr(register_services, "hits_for_application", None)
    if finder is None:
        return None
    hits = []
    for hit in finder(dossier.application_id):
        score = _first(hit, "score", default=None)
        hits.append(HitView(
            entity=str(_first(hit, "entity_label", "label", "entity", "name")),
            kind=str(_first(hit, "kind", default="")).strip().lower(),
            score=float(score) if score is not None else None,
            explanation=str(_first(hit, "explanation")),
            status=str(_first(hit, "status", default="open")).strip().lower(),
            category=hit_category(hit),
            subject=str(_first(hit, "subject_label", "subject", "party_label")),
            entry=str(_first(hit, "entry_label", "description", "entry")),
            source=str(_first(hit, "source_label", "source")),
        ))
    return hits


def confirmed_hits_for(dossier: BibobDossier) -> list[ConfirmedHit]:
    """Hits the coordinator confirmed in the register: they feed the checklist's REGISTER items."""
    return [ConfirmedHit(kind=h.category, subject=h.subject or h.entity, description=h.entry or h.explanation)
            for h in register_hits(dossier) or () if h.status == "bevestigd"]


# --- checklist answers and the assessment ----------------------------------------------------------------

def _stored(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if type(value) is str:
        return clean(value)
    return value


def save_answers(dossier: BibobDossier, raw: Mapping[str, Any], *, actor: User) -> None:
    """Record the coordinator's checklist answers; each is checked against its item (type, choices)."""
    _refuse_if_closed(dossier)
    checklist = checklist_for(dossier)
    answers = {item_id: _stored(value) for item_id, value in raw.items()
               if value not in (None, "") and not checklist.item(item_id).is_derived}
    answers = {item_id: value for item_id, value in answers.items() if value != ""}
    try:
        assess(checklist, answers)
    except AnswerError as error:
        raise BibobError(str(error), field=error.item_id) from error
    except KeyError as error:
        raise BibobError(f"Onbekende checklistvraag {error.args[0]}.") from error
    dossier.answers = answers
    _advance(dossier, DossierStage.EIGEN_ONDERZOEK)
    _touch(dossier)
    _audit("bibob_dossier.checklist_saved", dossier, actor, answered=len(answers), checklist=checklist.key)


def lbb_advice_for(dossier: BibobDossier) -> LbbAdvice | None:
    """The latest received LBB advice in the engine's terms (None while none was received)."""
    received = [r for r in dossier.lbb_requests if r.is_received]
    if not received:
        return None
    r = received[-1]
    return LbbAdvice(a_grond=r.a_level, b_grond=r.b_level, art3_lid6=r.art3_lid6, issued_on=r.received_on,
                     reference=r.reference or None, summary=r.summary or None, requested_on=r.requested_on,
                     vergewist=r.vergewist, vergewis_note=r.vergewis_note or None)


def assessment_for(dossier: BibobDossier) -> Assessment:
    """The checklist's proposal: answers, confirmed register hits and the LBB advice (screening.checklists)."""
    return assess(checklist_for(dossier), dossier.answers or {}, confirmed_hits=confirmed_hits_for(dossier),
                  lbb_advice=lbb_advice_for(dossier))


# --- own investigation ---------------------------------------------------------------------------------

def add_investigation(dossier: BibobDossier, *, source: InvestigationSource, consulted_on: date, subject: str,
                      outcome: str, is_finding: bool, actor: User, today: date) -> InvestigationEntry:
    """Log one consultation of a source (domain.md §1.6: the app records which source each finding came from)."""
    _refuse_if_closed(dossier)
    subject, outcome = clean(subject)[:200], clean(outcome)
    if consulted_on > today:
        raise BibobError("De datum van raadplegen ligt in de toekomst.", field="consulted_on")
    if not outcome:
        raise BibobError("Beschrijf de uitkomst van de raadpleging.", field="outcome")
    entry = InvestigationEntry(source=source, consulted_on=consulted_on, subject=subject, outcome=outcome,
                               is_finding=is_finding, created_by_id=actor.id)
    dossier.investigations.append(entry)
    _advance(dossier, DossierStage.EIGEN_ONDERZOEK)
    _touch(dossier)
    db.session.flush()
    _audit("bibob_dossier.investigation_added", dossier, actor, source=source.value, entry_id=entry.id)
    return entry


# --- LBB advice (art. 9) ---------------------------------------------------------------------------------

_CLOCK_FIELDS = {"start_on": "requested_on", "weeks": "extension_weeks", "end_on": "received_on"}


def _from_application_error(error: ApplicationError, field_map: Mapping[str, str] | None = None) -> BibobError:
    field = (field_map or _CLOCK_FIELDS).get(error.field or "", error.field)
    return BibobError(error.message, field=field)


def request_lbb_advice(dossier: BibobDossier, *, requested_on: date, extension_weeks: int, notice_logged: bool,
                       supplementary: bool, actor: User, today: date) -> LbbRequest:
    """Record an advice request to the LBB; it suspends the application's beslistermijn.

    The suspension is a clock event of the application (domain.md §10 rule 13: at most 8 weeks,
    plus at most 4 when the LBB extends). An LBB clock event the vergunningverlener already
    recorded for the same day is linked instead of duplicated.
    """
    _refuse_if_closed(dossier)
    if any(not r.is_received for r in dossier.lbb_requests):
        raise BibobError("Er loopt al een adviesaanvraag bij het LBB; leg eerst het advies vast.", field="requested_on")
    if not 0 <= extension_weeks <= LBB_MAX_EXTENSION_WEEKS:
        raise BibobError("Het LBB kan de adviestermijn met ten hoogste 4 weken verlengen.", field="extension_weeks")
    app = dossier.application
    linked = {r.clock_event_id for r in db.session.scalars(select(LbbRequest).where(LbbRequest.clock_event_id.is_not(None)))}
    event = next((e for e in app.clock_events if e.kind is ClockEventKind.LBB_ADVIES and e.start_on == requested_on
                  and e.id not in linked), None)
    try:
        _ensure_bibob_status(app, actor=actor, today=today)
        if event is None:
            event = app_services.add_clock_event(
                app, kind=ClockEventKind.LBB_ADVIES, start_on=requested_on, end_on=None, weeks=extension_weeks,
                notice_logged=notice_logged,
                note=("Aanvullend advies" if supplementary else "Advies") + " gevraagd aan het Landelijk Bureau Bibob",
                actor=actor, today=today)
    except ApplicationError as error:
        raise _from_application_error(error) from error
    request = LbbRequest(requested_on=requested_on, is_supplementary=supplementary, extension_weeks=event.weeks or 0,
                         notice_logged=event.notice_logged, clock_event_id=event.id, created_by_id=actor.id)
    dossier.lbb_requests.append(request)
    _advance(dossier, DossierStage.LBB_AANGEVRAAGD)
    _touch(dossier)
    db.session.flush()
    _audit("bibob_dossier.lbb_requested", dossier, actor, requested_on=requested_on.isoformat(),
           clock_event_id=event.id, supplementary=supplementary)
    return request


def _request(dossier: BibobDossier, request_id: int) -> LbbRequest:
    request = next((r for r in dossier.lbb_requests if r.id == request_id), None)
    if request is None:
        raise BibobError("Deze adviesaanvraag hoort niet bij dit dossier.")
    return request


def set_lbb_extension(dossier: BibobDossier, request_id: int, *, weeks: int, actor: User, today: date) -> None:
    """The LBB extended its term (at most 4 weeks): the suspension grows with it (8 + 4 weeks cap)."""
    from barrier.applications import deadlines

    _refuse_if_closed(dossier)
    request = _request(dossier, request_id)
    if not 0 <= weeks <= LBB_MAX_EXTENSION_WEEKS:
        raise BibobError("Het LBB kan de adviestermijn met ten hoogste 4 weken verlengen.", field="extension_weeks")
    event = request.clock_event
    previous = request.extension_weeks
    request.extension_weeks = weeks
    if event is not None:
        old = event.weeks
        event.weeks = weeks
        try:
            deadlines.refresh(dossier.application, today=today, strict=True)
        except deadlines.DeadlineInputError as error:
            event.weeks, request.extension_weeks = old, previous
            deadlines.refresh(dossier.application, today=today)
            raise BibobError(str(error), field="extension_weeks") from error
        app_services.add_note(dossier.application, f"Adviestermijn LBB verlengd met {weeks} weken.", actor=actor)
    _touch(dossier)
    _audit("bibob_dossier.lbb_extended", dossier, actor, weeks=weeks)


def record_lbb_questions(dossier: BibobDossier, request_id: int, *, asked_on: date, actor: User, today: date) -> None:
    """The LBB put questions to the betrokkene (art. 12 lid 4): the term is suspended until they are answered."""
    _refuse_if_closed(dossier)
    request = _request(dossier, request_id)
    if request.is_received:
        raise BibobError("Het advies is al ontvangen.", field="asked_on")
    if request.questions_event is not None and request.questions_event.end_on is None:
        raise BibobError("Er staan al vragen van het LBB open.", field="asked_on")
    try:
        event = app_services.add_clock_event(
            dossier.application, kind=ClockEventKind.LBB_VRAGEN, start_on=asked_on, end_on=None, weeks=None,
            notice_logged=True, note="Vragen van het LBB aan de betrokkene", actor=actor, today=today)
    except ApplicationError as error:
        raise _from_application_error(error, {"start_on": "asked_on"}) from error
    request.questions_event = event  # the relationship, not the id: a loaded `questions_event` stays in step
    _advance(dossier, DossierStage.LBB_VRAGEN)
    _touch(dossier)
    _audit("bibob_dossier.lbb_questions_asked", dossier, actor, asked_on=asked_on.isoformat())


def record_lbb_answers(dossier: BibobDossier, request_id: int, *, answered_on: date, actor: User, today: date) -> None:
    _refuse_if_closed(dossier)
    request = _request(dossier, request_id)
    if request.questions_event is None or request.questions_event.end_on is not None:
        raise BibobError("Er staan geen vragen van het LBB open.", field="answered_on")
    try:
        app_services.close_clock_event(dossier.application, request.questions_event.id, end_on=answered_on, actor=actor,
                                       today=today)
    except ApplicationError as error:
        raise _from_application_error(error, {"end_on": "answered_on"}) from error
    if dossier.stage is DossierStage.LBB_VRAGEN:
        dossier.stage = DossierStage.LBB_AANGEVRAAGD
    _touch(dossier)
    _audit("bibob_dossier.lbb_questions_answered", dossier, actor, answered_on=answered_on.isoformat())


def record_lbb_advice(dossier: BibobDossier, request_id: int, *, received_on: date, reference: str,
                      a_level: DangerLevel | None, b_level: DangerLevel | None, art3_lid6: bool, summary: str,
                      vergewist: bool | None, vergewis_note: str, actor: User, today: date) -> None:
    """Record the LBB advice: its degree per ground and art. 3 lid 6, and the vergewissing (Awb 3:9).

    Receiving the advice ends the suspension of the beslistermijn (domain.md §10 rule 13).
    """
    _refuse_if_closed(dossier)
    reference, summary, vergewis_note = clean(reference)[:60], clean(summary), clean(vergewis_note)
    request = _request(dossier, request_id)
    if received_on < request.requested_on:
        raise BibobError("Het advies kan niet zijn ontvangen vóór het is aangevraagd.", field="received_on")
    if received_on > today:
        raise BibobError("De datum van ontvangst ligt in de toekomst.", field="received_on")
    if a_level is None and b_level is None:
        raise BibobError("Vul de conclusie van het LBB in voor ten minste één grond.", field="a_level")
    if vergewist is False and not vergewis_note.strip():
        raise BibobError("Licht toe waarom u zich niet heeft kunnen vergewissen (art. 3:9 Awb).", field="vergewis_note")
    event = request.clock_event
    if event is not None and (event.end_on is None or event.end_on != received_on):
        try:
            app_services.close_clock_event(dossier.application, event.id, end_on=received_on, actor=actor, today=today)
        except ApplicationError as error:
            raise _from_application_error(error) from error
    request.received_on, request.reference, request.summary = received_on, reference, summary
    request.a_level, request.b_level, request.art3_lid6 = a_level, b_level, art3_lid6
    request.vergewist, request.vergewis_note = vergewist, vergewis_note
    _advance(dossier, DossierStage.ADVIES_ONTVANGEN)
    _touch(dossier)
    _audit("bibob_dossier.lbb_advice_recorded", dossier, actor, received_on=received_on.isoformat(),
           vergewist=vergewist)


@dataclass(frozen=True)
class LbbDue:
    """When the LBB's advice is due: 8 weeks after the request, 12 with the maximum extension."""

    due_on: date
    cap_on: date

    @classmethod
    def of(cls, request: LbbRequest) -> LbbDue:
        return cls(request.requested_on + timedelta(days=LBB_TERM_DAYS + 7 * request.extension_weeks),
                   request.requested_on + timedelta(days=LBB_TERM_DAYS + 7 * LBB_MAX_EXTENSION_WEEKS))


# --- judgement ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class JudgementInput:
    a_level: DangerLevel
    b_level: DangerLevel
    level: DangerLevel
    advice: Advice
    art3_lid6: bool
    deviation_reason: str = ""
    motivation: str = ""
    conditions: str = ""
    lbb_weight: str = ""
    weighing_ernst: str = ""
    weighing_samenhang: str = ""
    weighing_tijdsverloop: str = ""
    weighing_evenredigheid: str = ""


def deviations(assessment: Assessment, data: JudgementInput) -> list[str]:
    """Where the judgement differs from the checklist's proposal, in words."""
    proposal = {
        "a-grond": (assessment.ground(Ground.A_GROND).level, data.a_level),
        "b-grond": (assessment.ground(Ground.B_GROND).level, data.b_level),
        "eindconclusie": (assessment.proposal, data.level),
    }
    found = [f"{name}: voorstel {want.label.lower()}, oordeel {got.label.lower()}"
             for name, (want, got) in proposal.items() if want is not got]
    if assessment.advice is not data.advice:
        found.append(f"advies: voorstel {assessment.advice.label.lower()}, oordeel {data.advice.label.lower()}")
    if assessment.lid6_indicated != data.art3_lid6:
        found.append("art. 3 lid 6: " + ("voorstel aanwijzingen, oordeel geen" if assessment.lid6_indicated
                                         else "voorstel geen aanwijzingen, oordeel wel"))
    return found


def record_judgement(dossier: BibobDossier, data: JudgementInput, *, actor: User) -> Judgement:
    """Record the coordinator's final judgement beside the checklist's proposal (both are kept).

    Rules: the overall degree is at least the highest ground; refusing needs ernstig gevaar
    (art. 3 lid 1) or an art. 3 lid 6 ground; granting with conditions names them (art. 3 lid 7);
    a deviation from the proposal needs a reason; a received LBB advice needs the vergewissing
    (Awb 3:9) and its weight in the judgement.
    """
    _refuse_if_closed(dossier)
    data = replace(data, **{f.name: clean(getattr(data, f.name)) for f in fields(data)
                            if type(getattr(data, f.name)) is str})  # free text, not the str-valued enums
    assessment = assessment_for(dossier)
    if data.level.rank < max(data.a_level.rank, data.b_level.rank):
        raise BibobError("De eindconclusie kan niet lager zijn dan de conclusie op een van de gronden.", field="level")
    if data.advice is Advice.WEIGEREN and data.level is not DangerLevel.ERNSTIG and not data.art3_lid6:
        raise BibobError("Weigeren op grond van de Wet Bibob vereist ernstig gevaar (art. 3 lid 1) of een strafbaar "
                         "feit ter verkrijging van de vergunning (art. 3 lid 6).", field="advice")
    if data.advice is Advice.VERLENEN_MET_VOORSCHRIFTEN and not data.conditions.strip():
        raise BibobError("Noem de voorschriften die het gevaar wegnemen of beperken (art. 3 lid 7).", field="conditions")
    if not data.motivation.strip():
        raise BibobError("Motiveer het oordeel.", field="motivation")
    lbb = lbb_advice_for(dossier)
    if lbb is not None:
        if lbb.vergewist is None:
            raise BibobError("Leg eerst bij het LBB-advies vast of u zich van de zorgvuldigheid van het onderzoek "
                             "heeft vergewist (art. 3:9 Awb).", field="lbb_weight")
        if not data.lbb_weight.strip():
            raise BibobError("Beschrijf hoe het advies van het LBB in het oordeel is gewogen.", field="lbb_weight")
    differs = deviations(assessment, data)
    if differs and len(data.deviation_reason.strip()) < 10:
        raise BibobError("Het oordeel wijkt af van het voorstel (" + "; ".join(differs) + "). Geef de reden.",
                         field="deviation_reason")
    judgement = Judgement(
        judged_by_id=actor.id, checklist_key=assessment.checklist_key,
        proposed_a_level=assessment.ground(Ground.A_GROND).level, proposed_b_level=assessment.ground(Ground.B_GROND).level,
        proposed_level=assessment.proposal, proposed_advice=assessment.advice, proposed_lid6=assessment.lid6_indicated,
        proposed_art4=assessment.art4_refusal, rationale=list(assessment.rationale),
        a_level=data.a_level, b_level=data.b_level, level=data.level, advice=data.advice, art3_lid6=data.art3_lid6,
        deviates=bool(differs), deviation_reason=data.deviation_reason if differs else "",
        motivation=data.motivation, conditions=data.conditions, lbb_weight=data.lbb_weight,
        weighing_ernst=data.weighing_ernst, weighing_samenhang=data.weighing_samenhang,
        weighing_tijdsverloop=data.weighing_tijdsverloop, weighing_evenredigheid=data.weighing_evenredigheid,
    )
    dossier.judgements.append(judgement)
    _advance(dossier, DossierStage.OORDEEL)
    _touch(dossier)
    db.session.flush()
    _audit("bibob_dossier.judged", dossier, actor, judgement_id=judgement.id, level=data.level.value,
           advice=data.advice.value, deviates=bool(differs))
    if dossier.application.status.is_open:
        app_services.add_note(dossier.application, f"Bibob: oordeel vastgesteld ({data.advice.label.lower()}).",
                              actor=actor)
    return judgement


def save_report_texts(dossier: BibobDossier, *, summary: str, aanleiding: str, actor: User) -> None:
    _refuse_if_closed(dossier)
    dossier.summary, dossier.aanleiding = clean(summary), clean(aanleiding)
    _touch(dossier)
    _audit("bibob_dossier.report_texts_saved", dossier, actor)


# --- voornemen tot weigeren and zienswijze (Awb 4:8) ---------------------------------------------------

def record_intention(dossier: BibobDossier, *, sent_on: date, text: str, zienswijze_due_on: date | None,
                     actor: User, today: date) -> None:
    """Record the voornemen tot weigeren; the application moves to 'Voornemen tot weigeren' (Awb 4:8)."""
    _refuse_if_closed(dossier)
    text = clean(text)
    if dossier.judgement is None:
        raise BibobError("Leg eerst het oordeel vast; een voornemen tot weigeren volgt op het oordeel.", field="sent_on")
    if sent_on > today:
        raise BibobError("De verzenddatum ligt in de toekomst.", field="sent_on")
    if not text.strip():
        raise BibobError("Vul de tekst (of de kern) van het voornemen in.", field="text")
    due = zienswijze_due_on or sent_on + timedelta(days=ZIENSWIJZE_DAYS)
    if due <= sent_on:
        raise BibobError("De termijn voor de zienswijze eindigt na de verzenddatum.", field="zienswijze_due_on")
    app = dossier.application
    try:
        if app.status is not S.VOORNEMEN_WEIGEREN:
            _ensure_bibob_status(app, actor=actor, today=today)
            app_services.transition(app, S.VOORNEMEN_WEIGEREN, actor=actor,
                                    note="Voornemen tot weigeren verzonden (Bibob)", today=today)
    except ApplicationError as error:
        raise BibobError(error.message, field="sent_on") from error
    dossier.intention_sent_on, dossier.intention_text, dossier.zienswijze_due_on = sent_on, text, due
    _advance(dossier, DossierStage.VOORNEMEN_WEIGEREN)
    _touch(dossier)
    _audit("bibob_dossier.intention_recorded", dossier, actor, sent_on=sent_on.isoformat(),
           zienswijze_due_on=due.isoformat())


def record_zienswijze(dossier: BibobDossier, *, received_on: date, text: str, weighing: str, actor: User,
                      today: date) -> None:
    """Record the zienswijze of the betrokkene; the application moves to 'Zienswijze'."""
    _refuse_if_closed(dossier)
    text, weighing = clean(text), clean(weighing)
    if dossier.intention_sent_on is None:
        raise BibobError("Er is geen voornemen tot weigeren verzonden.", field="received_on")
    if received_on < dossier.intention_sent_on:
        raise BibobError("De zienswijze kan niet vóór het voornemen zijn ontvangen.", field="received_on")
    if received_on > today:
        raise BibobError("De datum van ontvangst ligt in de toekomst.", field="received_on")
    if not text.strip():
        raise BibobError("Vul de (kern van de) zienswijze in.", field="text")
    app = dossier.application
    try:
        if app.status is S.VOORNEMEN_WEIGEREN:
            app_services.transition(app, S.ZIENSWIJZE, actor=actor, note="Zienswijze ontvangen (Bibob)", today=today)
    except ApplicationError as error:
        raise BibobError(error.message, field="received_on") from error
    dossier.zienswijze_received_on, dossier.zienswijze_text, dossier.zienswijze_weighing = received_on, text, weighing
    _advance(dossier, DossierStage.ZIENSWIJZE)
    _touch(dossier)
    _audit("bibob_dossier.zienswijze_recorded", dossier, actor, received_on=received_on.isoformat())


# --- decision of the application ------------------------------------------------------------------

def application_decided(app: Application) -> None:
    """The application was decided: the dossier is done and its retention period can start (§1.8)."""
    for dossier in dossiers_of(app.id):
        if dossier.is_purged:
            continue
        dossier.decided_on = app.decided_on
        dossier.stage = DossierStage.AFGEROND
        _touch(dossier)
        _audit("bibob_dossier.closed", dossier, None, decided_on=app.decided_on.isoformat() if app.decided_on else None,
               outcome=app.status.value)


def outcome_for_application(application_id: int) -> DangerLevel | None:
    """The final degree of danger of the application's latest judged dossier, for the inspection
    risk score (issue 6). Only the conclusion leaves the Bibob area, never its contents (art. 28)."""
    dossiers = db.session.scalars(select(BibobDossier).where(BibobDossier.application_id == application_id)
                                  .order_by(BibobDossier.id.desc())).all()
    for dossier in dossiers:
        judgement = dossier.judgements[-1] if dossier.judgements else None
        if judgement is not None:
            return judgement.level
    return None
