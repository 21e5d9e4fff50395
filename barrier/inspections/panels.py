"""Home-page panels of the toezichthouder: the coming week's inspections and enforcement deadlines."""

from __future__ import annotations

from datetime import date, timedelta

from flask import url_for

from barrier.dashboard.registry import PanelItem
from barrier.db import db
from barrier.inspections import services
from barrier.models.inspections import VisitSource


def _today() -> date:
    return date.today()  # noqa: DTZ011 - the server's local date is the working day


def _short(text: str, limit: int = 110) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def my_visit_items(user) -> list[PanelItem]:
    today = _today()
    items = []
    for visit in db.session.scalars(services.my_visits_query(user, until=today + timedelta(days=6)).limit(12)):
        if visit.planned_on < today:
            badge, tone = "niet uitgevoerd", "danger"
        elif visit.planned_on == today:
            badge, tone = "vandaag", "warning"
        else:
            badge, tone = f"{visit.planned_on:%d-%m}", "info"
        kind = " · hercontrole" if visit.source is VisitSource.HERCONTROLE else ""
        items.append(PanelItem(f"{visit.location.name}{kind}",
                               url_for("inspections.new_inspection", location_id=visit.location_id, bezoek=visit.id),
                               visit.location.address.label if visit.location.address else "", badge, tone))
    return items


def enforcement_items(user) -> list[PanelItem]:
    today = _today()
    items = []
    for measure in db.session.scalars(services.open_measures_query(user).limit(10)):
        if measure.deadline_on is None:
            badge, tone = "geen termijn", "neutral"
        elif measure.deadline_on < today:
            badge, tone = f"termijn {(today - measure.deadline_on).days} dagen verstreken", "danger"
        elif measure.deadline_on <= today + timedelta(days=7):
            badge, tone = f"termijn tot {measure.deadline_on:%d-%m}", "warning"
        else:
            badge, tone = f"termijn tot {measure.deadline_on:%d-%m}", "info"
        items.append(PanelItem(f"{services.measure_label(measure.measure_code)} · {measure.location.name}",
                               url_for("inspections.inspection_detail", inspection_id=measure.inspection_id),
                               _short(measure.violation_text), badge, tone))
    return items
