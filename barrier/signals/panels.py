"""Home-page panel of the aandachtfunctionaris and the ketenregisseur: signals that wait for them."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import case

from barrier.dashboard.registry import PanelItem
from barrier.db import db
from barrier.models.signals import Signal, SignalStatus, SignalUrgency
from barrier.models.users import Role
from barrier.signals import services


def waiting_query(user):
    """Open signals at the stage the user holds: the gemeente's, or the region's from the ZVHD on."""
    stages = services.REGION_STAGES if user.role is Role.KETENREGISSEUR else services.GEMEENTE_STAGES
    urgency_rank = case((Signal.urgency == SignalUrgency.ACUUT, 0), (Signal.urgency == SignalUrgency.HOOG, 1), else_=2)
    return (services.visible_signals(user)
            .where(Signal.status == SignalStatus.OPEN, Signal.stage.in_([s.value for s in stages]))
            .order_by(urgency_rank, Signal.reported_on.desc(), Signal.id.desc()))


def inbox_items(user) -> list[PanelItem]:
    items = []
    for signal in db.session.scalars(waiting_query(user).limit(10)):
        items.append(PanelItem(f"{signal.display_reference} · {signal.gemeente.name}",
                               url_for("signals.signal_detail", signal_id=signal.id),
                               f"{signal.vorm.label} · {len(signal.signal_ids or [])} signaal/signalen · "
                               f"gemeld {signal.reported_on:%d-%m-%Y}",
                               signal.urgency.label, signal.urgency.tone))
    return items
