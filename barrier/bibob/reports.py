"""The Bibob advice report: from the dossier to ``screening.report`` and back, versions and disclosures.

``build_report`` maps the dossier onto the plain ``AdviceReport`` dataclass (no ORM object crosses
into ``screening``); ``issue_report`` freezes a definitive version with its PDF and hashes; every PDF
that leaves Barrier goes through ``record_disclosure`` with a legal basis from the whitelist of
art. 28 Wet Bibob (domain.md §1.7), or it does not leave at all.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from barrier import audit
from barrier.bibob.services import (
    BibobError,
    assessment_for,
    clean,
    lbb_advice_for,
    register_hits,
)
from barrier.db import as_utc, db
from barrier.models import PartyRole as AppPartyRole
from barrier.models import User
from barrier.models.bibob import (
    AdviceReportVersion,
    BibobDossier,
    DisclosureBasis,
    DisclosureEvent,
)
from screening.checklists import Assessment, Ground, LbbAdvice
from screening.report import (
    AdviceReport,
    Finding,
    FindingSection,
    GroundConclusion,
    Party,
    PartyRelation,
    PartyRole,
    RegisterHit,
    ReportStatus,
    Weighing,
    findings_from_assessment,
    ground_conclusions_from_assessment,
    render_advice_report,
    report_hash,
)

log = logging.getLogger(__name__)

# The application's party roles in the terms of the report (domain.md §1.2 relation_types).
ROLE_MAP = {
    AppPartyRole.AANVRAGER: PartyRole.AANVRAGER,
    AppPartyRole.BESTUURDER: PartyRole.BESTUURDER,
    AppPartyRole.AANDEELHOUDER: PartyRole.AANDEELHOUDER,
    AppPartyRole.UBO: PartyRole.UBO,
    AppPartyRole.BEHEERDER: PartyRole.FEITELIJK_LEIDINGGEVENDE,
    AppPartyRole.LEIDINGGEVENDE: PartyRole.FEITELIJK_LEIDINGGEVENDE,
    AppPartyRole.VERMOGENSVERSCHAFFER: PartyRole.VERMOGENSVERSCHAFFER,
    AppPartyRole.EIGENAAR_PAND: PartyRole.EIGENAAR_PAND,
    AppPartyRole.VERHUURDER: PartyRole.VERHUURDER_PAND,
    AppPartyRole.ZAKELIJKE_RELATIE: PartyRole.ZAKELIJK_SAMENWERKINGSVERBAND,
    AppPartyRole.WERKGEVER: PartyRole.OVERIG,
}


class NotReportable(BibobError):
    """The dossier cannot be reported yet (or any more); the message says why."""


def readiness(dossier: BibobDossier) -> str | None:
    """None when an advice report can be made; otherwise the reason in Dutch."""
    if dossier.is_purged:
        return "het dossier is vernietigd na afloop van de bewaartermijn"
    if dossier.judgement is None:
        return "er is nog geen oordeel van de Bibob-coördinator vastgelegd (tabblad Oordeel)"
    return None


def require_reportable(dossier: BibobDossier) -> None:
    reason = readiness(dossier)
    if reason:
        raise NotReportable(f"Dossier {dossier.reference} is niet klaar voor een adviesrapport: {reason}.")


def reportable_dossiers(gemeente_ids: set[int] | None = None) -> list[BibobDossier]:
    stmt = select(BibobDossier).where(BibobDossier.purged_at.is_(None)).order_by(BibobDossier.reference)
    if gemeente_ids is not None:
        stmt = stmt.where(BibobDossier.gemeente_id.in_(gemeente_ids))
    return [d for d in db.session.scalars(stmt) if readiness(d) is None]


# --- mapping the dossier onto the report ----------------------------------------------------------------

def _bevoegd_gezag(dossier: BibobDossier) -> str:
    # domain.md §1.1: the burgemeester for a seksbedrijf (APV hfd 3), the college for a Wgv permit.
    name = dossier.gemeente.name
    if dossier.application.permit_type.is_sex_business:
        return f"De burgemeester van {name}"
    return f"Het college van burgemeester en wethouders van {name}"


def _dec(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _parties(dossier: BibobDossier) -> tuple[Party, ...]:
    grouped: dict[tuple, list] = {}
    for p in dossier.parties:
        key = ("o", p.organisation_id) if p.organisation_id else ("p", p.person_id) if p.person_id else ("n", p.name)
        grouped.setdefault(key, []).append(p)
    result = []
    for rows in grouped.values():
        first = rows[0]
        relations = []
        for row in rows:
            try:
                role = ROLE_MAP[AppPartyRole(row.role)]
            except ValueError:
                role = PartyRole.OVERIG
            relations.append(PartyRelation(role, since=row.since, until=row.until, percentage=_dec(row.percentage),
                                           amount_eur=_dec(row.amount_eur), note=row.note or None))
        result.append(Party(first.name, tuple(relations), is_legal_entity=first.is_organisation,
                            identifier=first.identifier or None))
    return tuple(result)


def _finding_sections(dossier: BibobDossier, assessment: Assessment) -> tuple[FindingSection, ...]:
    sections = [s for s in findings_from_assessment(assessment) if s.findings or s.code == "EIGEN_ONDERZOEK"]
    own = tuple(
        Finding(text=(f"{e.subject}: " if e.subject else "") + e.outcome,
                sources=(f"{e.source.label}, geraadpleegd {e.consulted_on.strftime('%d-%m-%Y')}",),
                observed_on=e.consulted_on)
        for e in sorted(dossier.investigations, key=lambda e: (e.consulted_on, e.id)) if e.is_finding)
    for i, section in enumerate(sections):
        if section.code == "EIGEN_ONDERZOEK":
            sections[i] = FindingSection(section.title, section.findings + own, code=section.code, score=section.score)
    sections = [s for s in sections if s.findings]
    if dossier.zienswijze_received_on:
        text = dossier.zienswijze_text + (f"\nWeging: {dossier.zienswijze_weighing}" if dossier.zienswijze_weighing else "")
        sections.append(FindingSection("Zienswijze van betrokkene (art. 4:8 Awb)", (
            Finding(text=text, sources=(f"Zienswijze ontvangen {dossier.zienswijze_received_on.strftime('%d-%m-%Y')}",),
                    observed_on=dossier.zienswijze_received_on),), code="ZIENSWIJZE"))
    return tuple(sections)


def _hits(dossier: BibobDossier) -> tuple[RegisterHit, ...]:
    return tuple(RegisterHit(subject=h.subject or h.entity, entry=h.entry or h.entity, kind=h.category, source=h.source,
                             explanation=h.explanation, score=_dec(h.score))
                 for h in register_hits(dossier) or () if h.status == "bevestigd")


def _lbb(dossier: BibobDossier) -> LbbAdvice | None:
    received = lbb_advice_for(dossier)
    if received is not None:
        return received
    request = dossier.lbb_request
    if request is None:
        return None
    return LbbAdvice(requested_on=request.requested_on,
                     summary="Het advies van het LBB is aangevraagd en nog niet ontvangen.")


def build_report(dossier: BibobDossier, *, status: ReportStatus, version: int, dated_on: date) -> AdviceReport:
    """The dossier as an ``AdviceReport`` (domain.md §1.9); the dossier must be reportable."""
    require_reportable(dossier)
    judgement = dossier.judgement
    assessment = assessment_for(dossier)
    app = dossier.application
    betrokkene = app.applicant.name if app.applicant else (app.trade_name or "—")
    author = judgement.judged_by or dossier.coordinator
    motivations = {c.ground: c for c in ground_conclusions_from_assessment(assessment)}
    grounds = []
    for ground, level in ((Ground.A_GROND, judgement.a_level), (Ground.B_GROND, judgement.b_level)):
        proposed = motivations[ground]
        text = "Voorstel van de checklist: " + proposed.motivation
        if level is not proposed.level:
            text += f" Het oordeel wijkt af van het voorstel ({proposed.level.label.lower()})."
        grounds.append(GroundConclusion(ground, level, proposed.score, text))
    rationale = list(judgement.rationale)
    advice_motivation = judgement.motivation
    if judgement.deviates:
        rationale.append(f"Het oordeel wijkt af van het voorstel van de checklist. Reden: {judgement.deviation_reason}")
        advice_motivation += f"\n\nAfwijking van het voorstel: {judgement.deviation_reason}"
    lid6 = "; ".join(i.describe() for i in assessment.lid6_indicators)
    other = (("Weging van het LBB-advies", judgement.lbb_weight),) if judgement.lbb_weight.strip() else ()
    summary = dossier.summary or (
        f"{betrokkene} vraagt een {app.permit_type.label.lower()} aan (aanvraag {app.reference}). "
        f"Conclusie van het Bibob-onderzoek: {judgement.level.label.lower()}; advies: {judgement.advice.label.lower()}.")
    aanleiding = dossier.aanleiding or (
        f"Aanvraag {app.reference} ontvangen op {app.received_on.strftime('%d-%m-%Y') if app.received_on else '—'}. "
        f"{dossier.open_reason.label}" + (f" ({dossier.policy_source})" if dossier.policy_source else "") + ".")
    return AdviceReport(
        reference=dossier.reference,
        gemeente=dossier.gemeente.name,
        permit_type=app.permit_type.label,
        betrokkene=betrokkene,
        author=f"{author.full_name} (Bibob-coördinator)" if author else "Bibob-coördinator",
        dated_on=dated_on,
        advice=judgement.advice,
        status=status,
        version=version,
        bevoegd_gezag=_bevoegd_gezag(dossier),
        summary=summary,
        aanleiding=aanleiding,
        checklist_key=judgement.checklist_key,
        parties=_parties(dossier),
        finding_sections=_finding_sections(dossier, assessment),
        register_hits=_hits(dossier),
        lbb_advice=_lbb(dossier),
        weighing=Weighing(ernst=judgement.weighing_ernst, samenhang=judgement.weighing_samenhang,
                          tijdsverloop=judgement.weighing_tijdsverloop, evenredigheid=judgement.weighing_evenredigheid,
                          other=other),
        ground_conclusions=tuple(grounds),
        overall_level=judgement.level,
        art3_lid6=judgement.art3_lid6,
        art3_lid6_motivation=lid6,
        art4_refusal=assessment.art4_refusal,
        rationale=tuple(rationale),
        advice_motivation=advice_motivation,
        conditions=tuple(judgement.condition_lines),
    )


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    content_hash: str
    version: int
    status: ReportStatus
    millis: float

    @property
    def pdf_sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def render(dossier: BibobDossier, *, status: ReportStatus, version: int, dated_on: date) -> RenderedReport:
    report = build_report(dossier, status=status, version=version, dated_on=dated_on)
    started = time.perf_counter()
    pdf = render_advice_report(report)
    millis = (time.perf_counter() - started) * 1000
    log.info("advice report %s v%s rendered in %.0f ms (%d bytes)", dossier.reference, version, millis, len(pdf))
    return RenderedReport(pdf, report_hash(report), version, status, millis)


def render_concept(dossier: BibobDossier, *, today: date) -> RenderedReport:
    """A concept of the next version, rendered on the fly and not stored."""
    return render(dossier, status=ReportStatus.CONCEPT, version=len(dossier.reports) + 1, dated_on=today)


def issue_report(dossier: BibobDossier, *, actor: User, today: date) -> AdviceReportVersion:
    """Freeze the next definitive version: its PDF, the content hash and the PDF hash are stored."""
    require_reportable(dossier)
    if not report_in_concept(dossier):
        raise BibobError(f"Er is niets gewijzigd sinds versie {dossier.latest_report.version}; "
                         "een nieuwe versie zou hetzelfde rapport zijn.")
    rendered = render(dossier, status=ReportStatus.DEFINITIEF, version=len(dossier.reports) + 1, dated_on=today)
    version = AdviceReportVersion(version=rendered.version, judgement_id=dossier.judgement.id, issued_by_id=actor.id,
                                  dated_on=today, content_hash=rendered.content_hash, pdf_sha256=rendered.pdf_sha256,
                                  size_bytes=len(rendered.pdf), pdf=rendered.pdf)
    dossier.reports.append(version)
    db.session.flush()
    audit.record("bibob_report.issued", object_type="bibob_dossiers", object_id=dossier.id,
                 gemeente_id=dossier.gemeente_id, actor=actor, reference=dossier.reference, version=version.version,
                 content_hash=version.content_hash, pdf_sha256=version.pdf_sha256)
    return version


def report_in_concept(dossier: BibobDossier) -> bool:
    """The dossier changed since the last issued version (or none was issued): the report is a concept.

    Every service that changes a dossier bumps its version, so ``updated_at`` moves; issuing does not.
    """
    if dossier.judgement is None or dossier.is_purged:
        return False
    latest = dossier.latest_report
    return latest is None or latest.judgement_id != dossier.judgement.id or as_utc(dossier.updated_at) > as_utc(latest.issued_at)


# --- disclosures (art. 28 Wet Bibob) ------------------------------------------------------------------

def parse_basis(code: str | None) -> DisclosureBasis:
    try:
        return DisclosureBasis((code or "").strip().upper())
    except ValueError:
        raise BibobError("Kies de wettelijke grondslag voor deze verstrekking (art. 28 Wet Bibob). Zonder grondslag "
                         "uit de lijst wordt niets verstrekt.", field="legal_basis") from None


def record_disclosure(dossier: BibobDossier, *, pdf: bytes, content_hash: str, basis: str | None, recipient: str,
                      purpose: str, channel: str, actor: User | None, report: AdviceReportVersion | None = None,
                      version: int | None = None, is_concept: bool = False) -> DisclosureEvent:
    """Record who gives which document (by hash) to whom on which legal basis; refuse without a basis."""
    legal_basis = parse_basis(basis)
    recipient, purpose = clean(recipient)[:200], clean(purpose)
    if not recipient:
        raise BibobError("Vul in aan wie het rapport wordt verstrekt.", field="recipient")
    event = DisclosureEvent(
        dossier_id=dossier.id, gemeente_id=dossier.gemeente_id, report_id=report.id if report else None,
        report_version=report.version if report else version, is_concept=is_concept,
        actor_id=actor.id if actor else None,
        actor_label=f"{actor.full_name} <{actor.email}>" if actor else "systeem (opdrachtregel)",
        recipient=recipient, legal_basis=legal_basis, purpose=purpose, channel=channel,
        document_hash=hashlib.sha256(pdf).hexdigest(), content_hash=content_hash)
    db.session.add(event)
    db.session.flush()
    audit.record("bibob_report.downloaded" if channel == "download" else "bibob_report.exported",
                 object_type="bibob_dossiers", object_id=dossier.id, gemeente_id=dossier.gemeente_id, actor=actor,
                 reference=dossier.reference, version=event.report_version, concept=is_concept,
                 legal_basis=legal_basis.value, disclosure_id=event.id, document_hash=event.document_hash)
    return event


def disclosures_of(dossier: BibobDossier) -> list[DisclosureEvent]:
    return list(db.session.scalars(select(DisclosureEvent).where(DisclosureEvent.dossier_id == dossier.id)
                                   .order_by(DisclosureEvent.at.desc(), DisclosureEvent.id.desc())))
