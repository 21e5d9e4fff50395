"""What the register shows elsewhere: the hits section and badge on applications, home-page panels.

The vergunningverlener sees nothing of the register: not the hits, and no "gescreend" indicator
either. Such an indicator would say little (every submitted application is screened) and a
changing one ("treffers in beoordeling") would leak Bibob information (art. 28 Wet Bibob); the
Bibob section already gives the vergunningverlener the stage and the conclusion.
"""

from __future__ import annotations

from flask import url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from barrier import audit
from barrier.auth.scoping import scope_to_user
from barrier.dashboard.registry import PanelItem
from barrier.db import db
from barrier.models import Application
from barrier.models.register import (
    ApplicationScreening,
    HitStatus,
    ImportStatus,
    ProposalStatus,
    RegisterHit,
    RegisterImport,
    RegisterProposal,
    RiskEntity,
)
from barrier.register import services
from barrier.register.access import can_view_entity_details
from barrier.register.index import register_size
from forms.register import ReviewForm


def application_section(app: Application) -> dict | None:
    """The hits of one application with review buttons (REVIEW_HITS only; the read is audited)."""
    hits = services.current_hits(app.id)
    rows = [(hit, services.summarise(hit, visible=can_view_entity_details(current_user, hit.entity))) for hit in hits]
    screening = db.session.get(ApplicationScreening, app.id)
    if rows:
        audit.record("register_hits.viewed", object_type="applications", object_id=app.id,
                     gemeente_id=app.gemeente_id, count=len(rows))
        # The application page commits before it renders its sections: commit this read here, or
        # it would be lost with the request (every read of Bibob details is logged, art. 28 Wet Bibob).
        audit.commit_read()
    return {"rows": rows, "screening": screening, "can_review": services.user_may_review(current_user, app),
            "current_version": services.current_version(), "review_form": ReviewForm(formdata=None)}


def list_badges(applications: list[Application]) -> dict[int, tuple[str, str]]:
    """One query for the whole page: {application id: ("2 open treffers", "warning")}."""
    counts = services.open_hit_counts(a.id for a in applications)
    return {app_id: (f"{n} open treffer{'s' if n != 1 else ''}", "warning") for app_id, n in counts.items() if n}


def open_hit_items(user) -> list[PanelItem]:
    """Treffers wachtend op beoordeling: the coördinator's gemeente, highest score first."""
    if user.gemeente_id is None:
        return []
    stmt = (select(RegisterHit).join(Application)
            .where(Application.gemeente_id == user.gemeente_id, RegisterHit.is_current.is_(True),
                   RegisterHit.status == HitStatus.OPEN)
            .options(selectinload(RegisterHit.application), selectinload(RegisterHit.entity).selectinload(RiskEntity.gemeente))
            .order_by(RegisterHit.score.desc(), RegisterHit.id).limit(10))
    items = []
    for hit in db.session.scalars(stmt):
        # No register details on the home page (the hit page shows and audits them).
        tone = "danger" if hit.score >= 0.9 else "warning"
        items.append(PanelItem(f"{hit.application.display_reference} · {hit.subject_label}",
                               url_for("register.hit_detail", hit_id=hit.id),
                               f"mogelijke registratie: {hit.entity.kind.label.lower()}", f"score {hit.score * 100:.0f}",
                               tone))
    return items


def proposal_items(user) -> list[PanelItem]:
    if user.gemeente_id is None:
        return []
    stmt = (select(RegisterProposal).where(RegisterProposal.gemeente_id == user.gemeente_id,
                                           RegisterProposal.status == ProposalStatus.VOORGESTELD)
            .order_by(RegisterProposal.proposed_at.desc()).limit(10))
    return [PanelItem(p.label, url_for("register.list_proposals"), p.source.label, p.kind.label.lower(), "info")
            for p in db.session.scalars(stmt)]


def admin_items(user) -> list[PanelItem]:
    """Registerimport / herscreening: version, what still waits for re-screening, the last import."""
    from barrier.register import rescreen

    version = services.current_version()
    pending, total = services.rescreen_targets(version=version, today=services._today())
    items = [PanelItem(f"Register versie {version}", url_for("register.list_entities"),
                       f"{register_size():,} geldige registraties".replace(",", "."), "versie", "neutral")]
    running = rescreen.active_run()
    if running is not None:
        done = running.done + running.skipped
        items.append(PanelItem("Herscreening bezig", url_for("register.rescreen_status"),
                               f"{done} van {running.total}", "bezig", "info"))
    elif pending:
        items.append(PanelItem("Herscreening nodig", url_for("register.rescreen_status"),
                               f"{len(pending)} van {total} aanvragen en vergunningen nog niet gescreend tegen "
                               f"versie {version}", "actie", "warning"))
    else:
        items.append(PanelItem("Alles gescreend", url_for("register.rescreen_status"),
                               f"{total} aanvragen en vergunningen tegen versie {version}", "bij", "success"))
    last = db.session.scalar(scope_to_user(select(RegisterImport), RegisterImport.gemeente_id, user)
                             .order_by(RegisterImport.id.desc()).limit(1))
    if last is not None:
        tone = {ImportStatus.VASTGELEGD: "success", ImportStatus.AFGEKEURD: "danger"}.get(last.status, "info")
        items.append(PanelItem(f"Laatste import: {last.original_filename}",
                               url_for("register.import_report", import_id=last.id),
                               f"{last.created_count} nieuw, {last.updated_count} bijgewerkt" if
                               last.status is ImportStatus.VASTGELEGD else last.status.label, last.status.label.lower(),
                               tone))
    return items


def open_hit_total(user) -> int:
    if user.gemeente_id is None:
        return 0
    return db.session.scalar(select(func.count()).select_from(RegisterHit).join(Application).where(
        Application.gemeente_id == user.gemeente_id, RegisterHit.is_current.is_(True),
        RegisterHit.status == HitStatus.OPEN)) or 0
