"""Home-page panels of the vergunningverlener: what waits, most urgent first."""

from __future__ import annotations

from datetime import date, timedelta

from flask import url_for
from sqlalchemy import select

from barrier.applications import rules
from barrier.dashboard.registry import PanelItem
from barrier.db import db
from barrier.models import Application, ApplicationStatus

S = ApplicationStatus
OPEN = [s for s in ApplicationStatus if s not in rules.DECISION_STATUSES and s not in (S.INGETROKKEN, S.CONCEPT)]


def _today() -> date:
    return date.today()  # noqa: DTZ011 - the server's local date is the working day


def _item(app: Application, today: date) -> PanelItem:
    days = (app.deadline_on - today).days if app.deadline_on else None
    if days is None:
        badge, tone = "geen termijn", "neutral"
    elif days < 0:
        badge, tone = f"{-days} dagen over termijn", "danger"
    elif days == 0:
        badge, tone = "vandaag uiterste dag", "danger"
    elif days <= 14:
        badge, tone = f"nog {days} dagen", "warning"
    else:
        badge, tone = f"nog {days} dagen", "info"
    applicant = app.applicant.name if app.applicant else ""
    return PanelItem(f"{app.display_reference} · {app.permit_type.short_label}",
                     url_for("applications.application_detail", application_id=app.id),
                     f"{app.status.label} · {applicant}", badge, tone)


def _scoped(user):
    stmt = select(Application).where(Application.status.in_(OPEN))
    if not user.is_regional:
        stmt = stmt.where(Application.gemeente_id == user.gemeente_id)
    return stmt


def overdue_items(user) -> list[PanelItem]:
    today = _today()
    stmt = _scoped(user).where(Application.deadline_on <= today).order_by(Application.deadline_on).limit(10)
    return [_item(a, today) for a in db.session.scalars(stmt)]


def worklist_items(user) -> list[PanelItem]:
    today = _today()
    stmt = (_scoped(user).where(Application.officer_id == user.id, Application.deadline_on > today)
            .order_by(Application.deadline_on).limit(10))
    return [_item(a, today) for a in db.session.scalars(stmt)]


def draft_items(user) -> list[PanelItem]:
    stmt = (select(Application).where(Application.status == S.CONCEPT, Application.created_by_id == user.id)
            .order_by(Application.updated_at.desc()).limit(10))
    return [PanelItem(f"{a.display_reference} · {a.permit_type.short_label}",
                      url_for("applications.wizard_step", application_id=a.id, step=a.draft_step or "aanvrager"),
                      f"laatst bewaard bij stap: {a.draft_step}", "concept", "neutral")
            for a in db.session.scalars(stmt)]


def upcoming(days: int = 14) -> timedelta:
    return timedelta(days=days)
