"""The region's gemeenten."""

from __future__ import annotations

from sqlalchemy import select

from barrier.db import db
from barrier.models.region import DRENTHE_GEMEENTEN, Gemeente


def seed_gemeenten() -> int:
    """Add the twelve Drenthe gemeenten that are missing; returns how many were added."""
    existing = set(db.session.scalars(select(Gemeente.cbs_code)))
    added = 0
    for code, name in DRENTHE_GEMEENTEN:
        if code not in existing:
            db.session.add(Gemeente(cbs_code=code, name=name))
            added += 1
    db.session.flush()
    return added
