"""What the Bibob area shows elsewhere: the section on the application page, the list badge and
the coordinator's home-page panels.

The application section is read by the vergunningverlener: it shows the stage, the coordinator and
the final advice with its degree and conditions (domain.md §1.9 "deelbare samenvatting"), never the
contents, so it is not a read of the details and is not audited as one.
"""

from __future__ import annotations

from datetime import date

from flask import url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from barrier.bibob import reports, services
from barrier.bibob.access import can_view_details
from barrier.dashboard.registry import PanelItem
from barrier.db import db
from barrier.models import Application
from barrier.models.bibob import BibobDossier, DossierStage, LbbRequest


def _today() -> date:
    return date.today()  # noqa: DTZ011 - the server's local date is the working day


def application_section(app: Application) -> dict | None:
    dossiers = services.dossiers_of(app.id)
    dossier = dossiers[-1] if dossiers else None
    judgement = dossier.judgement if dossier is not None and not dossier.is_purged else None
    return {
        "dossier": dossier,
        "judgement": judgement,
        "policy": services.bibob_policy(app),
        "can_details": dossier is not None and can_view_details(current_user, dossier),
        "can_open": (dossier is None or dossier.is_purged) and app.reference is not None
                    and app.status not in services.CLOSED_STATUSES,
    }


def list_badges(applications: list[Application]) -> dict[int, tuple[str, str]]:
    ids = [a.id for a in applications]
    if not ids:
        return {}
    rows = db.session.scalars(select(BibobDossier).where(BibobDossier.application_id.in_(ids))
                              .order_by(BibobDossier.id))
    badges = {}
    for dossier in rows:
        if dossier.stage is DossierStage.VERNIETIGD:
            continue
        badges[dossier.application_id] = (f"Bibob: {dossier.stage.label.lower()}", dossier.stage.tone)
    return badges


def _open_dossiers(user):
    open_stages = [s for s in DossierStage if s.is_open]
    return (select(BibobDossier).where(BibobDossier.gemeente_id == user.gemeente_id, BibobDossier.stage.in_(open_stages))
            .options(selectinload(BibobDossier.application)))


def _url(dossier: BibobDossier, endpoint: str = "bibob.dossier_detail") -> str:
    return url_for(endpoint, dossier_id=dossier.id)


def open_dossier_items(user) -> list[PanelItem]:
    """Open dossiers, the application's deadline first; mine before colleagues'."""
    if user.gemeente_id is None:
        return []
    today = _today()
    dossiers = sorted(db.session.scalars(_open_dossiers(user)),
                      key=lambda d: (d.coordinator_id != user.id, d.application.deadline_on or date.max, d.id))[:10]
    items = []
    for dossier in dossiers:
        deadline = dossier.application.deadline_on
        days = (deadline - today).days if deadline else None
        if days is None:
            badge, tone = dossier.stage.label.lower(), "neutral"
        elif days < 0:
            badge, tone = f"beslistermijn {-days} dagen over", "danger"
        else:
            badge, tone = f"beslistermijn nog {days} dagen", "warning" if days <= 14 else "info"
        hits = services.register_hits(dossier)
        open_hits = sum(1 for h in hits or () if h.status == "open")
        detail = dossier.stage.label + (f" · {open_hits} treffer(s) te beoordelen" if open_hits else "")
        if dossier.coordinator_id != user.id:
            detail += " · " + (dossier.coordinator.full_name if dossier.coordinator else "niet toegewezen")
        applicant = dossier.application.applicant
        title = f"{dossier.reference}" + (f" · {applicant.name}" if applicant else "")
        items.append(PanelItem(title, _url(dossier), detail, badge, tone))
    return items


def lbb_due_items(user) -> list[PanelItem]:
    """LBB advice still awaited, by due date: 8 weeks after the request, 12 with the maximum extension."""
    if user.gemeente_id is None:
        return []
    today = _today()
    stmt = (select(LbbRequest).join(BibobDossier).where(
        BibobDossier.gemeente_id == user.gemeente_id, LbbRequest.received_on.is_(None), BibobDossier.purged_at.is_(None))
        .order_by(LbbRequest.requested_on))
    items = []
    for request in db.session.scalars(stmt):
        due = services.LbbDue.of(request)
        days = (due.due_on - today).days
        if today > due.cap_on:
            badge, tone = "12 weken verstreken: opschorting voorbij", "danger"
        elif days < 0:
            badge, tone = f"termijn {-days} dagen over", "danger"
        else:
            badge, tone = f"nog {days} dagen", "warning" if days <= 14 else "info"
        items.append(PanelItem(f"{request.dossier.reference} · advies LBB",
                               _url(request.dossier, "bibob.dossier_lbb"),
                               f"aangevraagd {request.requested_on.strftime('%d-%m-%Y')}, uiterlijk "
                               f"{due.due_on.strftime('%d-%m-%Y')} (max. {due.cap_on.strftime('%d-%m-%Y')})", badge, tone))
    return items[:10]


def concept_report_items(user) -> list[PanelItem]:
    """Judgements that no definitive report reflects yet."""
    if user.gemeente_id is None:
        return []
    stmt = select(BibobDossier).where(BibobDossier.gemeente_id == user.gemeente_id, BibobDossier.purged_at.is_(None))
    items = []
    for dossier in db.session.scalars(stmt.order_by(BibobDossier.id)):
        if dossier.stage.is_open and reports.report_in_concept(dossier):
            judgement = dossier.judgement
            items.append(PanelItem(f"{dossier.reference} · rapport in concept", _url(dossier, "bibob.dossier_report"),
                                   f"oordeel: {judgement.level.label.lower()}, advies {judgement.advice.label.lower()}",
                                   "concept", "info"))
    return items[:10]
