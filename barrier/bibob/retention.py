"""Retention and destruction of Bibob dossiers (domain.md §1.8; AVG art. 5 lid 1 sub e and art. 10).

A dossier is destroyed ``retention_years`` (default 5) after the decision became final or the
permit ended, whichever is later; a legal hold (pending bezwaar or beroep) stops that. Destruction
is four-eyes: one beheerder approves, another executes, and both are recorded. What remains is a
record of the destruction (reference, dates, who) and the disclosure log, which holds no content.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy import delete, func, select

from barrier import audit
from barrier.bibob.services import BibobError, clean
from barrier.db import db, utcnow
from barrier.documents import path_for
from barrier.models import Document, Role, User
from barrier.models.bibob import (
    AdviceReportVersion,
    BibobAttachment,
    BibobDossier,
    BibobParty,
    DossierStage,
    InvestigationEntry,
    Judgement,
    LbbRequest,
    QuestionnaireAnswer,
)

DEFAULT_RETENTION_YEARS = 5


def retention_start(dossier: BibobDossier) -> date | None:
    """The later of the decision and the end of the permit (domain.md §1.8); None while undecided."""
    if dossier.decided_on is None:
        return None
    permit = dossier.application.permit
    if permit is not None and permit.valid_until and permit.valid_until > dossier.decided_on:
        return permit.valid_until
    return dossier.decided_on


def retention_until(dossier: BibobDossier) -> date | None:
    start = retention_start(dossier)
    return None if start is None else start + relativedelta(years=dossier.retention_years)


@dataclass(frozen=True)
class RetentionRow:
    dossier: BibobDossier
    until: date | None
    is_due: bool

    @property
    def status(self) -> str:
        if self.dossier.is_purged:
            return "Vernietigd"
        if self.until is None:
            return "Loopt (nog geen besluit)"
        if self.dossier.legal_hold:
            return "Bewaren: juridische procedure"
        if self.is_due:
            return "Bewaartermijn verstreken"
        return "Binnen bewaartermijn"


def overview(*, today: date, gemeente_ids: set[int] | None = None, due_only: bool = False) -> list[RetentionRow]:
    """Every dossier with its retention date, the ones due for destruction first."""
    stmt = select(BibobDossier).order_by(BibobDossier.reference)
    if gemeente_ids is not None:
        stmt = stmt.where(BibobDossier.gemeente_id.in_(gemeente_ids))
    rows = []
    for dossier in db.session.scalars(stmt):
        until = retention_until(dossier)
        due = (not dossier.is_purged and not dossier.legal_hold and until is not None and until <= today)
        if due_only and not due:
            continue
        rows.append(RetentionRow(dossier, until, due))
    rows.sort(key=lambda r: (not r.is_due, r.dossier.is_purged, r.until or date.max, r.dossier.reference))
    return rows


def _audit(action: str, dossier: BibobDossier, actor: User | None, **details) -> None:
    audit.record(action, object_type="bibob_dossiers", object_id=dossier.id, gemeente_id=dossier.gemeente_id,
                 actor=actor, reference=dossier.reference, **details)


def _require_beheerder(user: User | None, what: str) -> User:
    if user is None or user.role is not Role.BEHEERDER or not user.is_active_account:
        raise BibobError(f"{what} moet een actieve beheerder zijn.")
    return user


def _in_scope(user: User, dossier: BibobDossier) -> bool:
    return user.gemeente_id is None or user.gemeente_id == dossier.gemeente_id


def set_legal_hold(dossier: BibobDossier, *, hold: bool, reason: str, actor: User) -> None:
    """Keep the dossier past its retention period while proceedings are pending (bezwaar, beroep)."""
    if dossier.is_purged:
        raise BibobError("Dit dossier is al vernietigd.")
    reason = clean(reason)
    if hold and not reason:
        raise BibobError("Geef de reden om het dossier langer te bewaren (bijv. lopend beroep).", field="reason")
    dossier.legal_hold, dossier.legal_hold_reason = hold, reason if hold else ""
    if hold:
        dossier.purge_approved_by_id, dossier.purge_approved_at = None, None
    dossier.version += 1
    _audit("bibob_dossier.legal_hold_set" if hold else "bibob_dossier.legal_hold_lifted", dossier, actor)


def set_retention_years(dossier: BibobDossier, *, years: int, actor: User) -> None:
    if not 1 <= years <= 30:
        raise BibobError("Vul een bewaartermijn van 1 tot 30 jaar in.", field="years")
    dossier.retention_years = years
    dossier.version += 1
    _audit("bibob_dossier.retention_set", dossier, actor, years=years)


def _check_due(dossier: BibobDossier, today: date) -> None:
    if dossier.is_purged:
        raise BibobError(f"Dossier {dossier.reference} is al vernietigd.")
    if dossier.legal_hold:
        raise BibobError(f"Dossier {dossier.reference} wordt bewaard wegens een juridische procedure.")
    until = retention_until(dossier)
    if until is None or until > today:
        raise BibobError(f"De bewaartermijn van dossier {dossier.reference} is nog niet verstreken.")


def approve_purge(dossier: BibobDossier, *, approver: User, today: date) -> None:
    """The first pair of eyes: a beheerder approves the destruction of a dossier past its retention."""
    _require_beheerder(approver, "Wie de vernietiging goedkeurt")
    if not _in_scope(approver, dossier):
        raise BibobError("Dit dossier hoort bij een andere gemeente.")
    _check_due(dossier, today)
    dossier.purge_approved_by_id, dossier.purge_approved_at = approver.id, utcnow()
    _audit("bibob_dossier.purge_approved", dossier, approver)


def purge(dossier: BibobDossier, *, executor: User, approver: User | None, today: date) -> list[str]:
    """Destroy the dossier's contents (four-eyes: the approver is another beheerder than the executor).

    ``approver`` None means: the approval recorded earlier in the application. Deleted: betrokkenen,
    questionnaire answers, checklist answers, investigation log, LBB records, judgements, report
    versions, report texts and attached documents (rows and, when no other record uses them, files).
    Kept: the dossier row as a record of the destruction, the disclosure log and the audit log.
    Returns the hashes of the files to remove with ``remove_unreferenced_files`` after the commit
    (a rolled-back purge must not have lost its files).
    """
    _require_beheerder(executor, "Wie de vernietiging uitvoert")
    if not _in_scope(executor, dossier):
        raise BibobError("Dit dossier hoort bij een andere gemeente.")
    _check_due(dossier, today)
    if approver is None:
        if dossier.purge_approved_by_id is None:
            raise BibobError(f"Dossier {dossier.reference}: de vernietiging is nog niet goedgekeurd door een tweede "
                             "beheerder (vier-ogenprincipe).")
        approver = db.session.get(User, dossier.purge_approved_by_id)
    _require_beheerder(approver, "Wie de vernietiging goedkeurt")
    if approver.id == executor.id:
        raise BibobError("Vier-ogenprincipe: de vernietiging moet door een andere beheerder zijn goedgekeurd dan "
                         "door wie haar uitvoert.")
    documents = list(db.session.scalars(select(Document).join(BibobAttachment, BibobAttachment.document_id == Document.id)
                                        .where(BibobAttachment.dossier_id == dossier.id)))
    counts = {
        "betrokkenen": len(dossier.parties), "antwoorden": len(dossier.questionnaire_answers),
        "onderzoek": len(dossier.investigations), "lbb": len(dossier.lbb_requests),
        "oordelen": len(dossier.judgements), "rapporten": len(dossier.reports), "documenten": len(documents),
    }
    for model in (BibobAttachment, BibobParty, QuestionnaireAnswer, InvestigationEntry, LbbRequest,
                  AdviceReportVersion, Judgement):
        db.session.execute(delete(model).where(model.dossier_id == dossier.id))
    shas = [d.sha256 for d in documents]
    for document in documents:
        db.session.delete(document)
    db.session.flush()
    db.session.expire(dossier)
    dossier.answers = {}
    for text_field in ("summary", "aanleiding", "intention_text", "zienswijze_text", "zienswijze_weighing",
                       "legal_hold_reason"):
        setattr(dossier, text_field, "")
    dossier.stage = DossierStage.VERNIETIGD
    dossier.purged_at, dossier.purged_by_id = utcnow(), executor.id
    dossier.purge_approved_by_id = approver.id
    dossier.purge_approved_at = dossier.purge_approved_at or utcnow()
    dossier.version += 1
    db.session.flush()
    _audit("bibob_dossier.purged", dossier, executor, approved_by_id=approver.id, **counts)
    return shas


def remove_unreferenced_files(shas: list[str]) -> None:
    """Delete stored files that no document row refers to any more (a file is shared by content hash)."""
    for sha in shas:
        still_used = db.session.scalar(select(func.count()).select_from(Document).where(Document.sha256 == sha))
        if still_used:
            continue
        with contextlib.suppress(OSError):
            path_for(sha).unlink()
            current_app.logger.info("bibob document file %s… removed after purge", sha[:12])
