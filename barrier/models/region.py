"""The region and its gemeenten: every record in Barrier belongs to one gemeente."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from barrier.db import db

# The twelve Drenthe gemeenten with their CBS gemeentecodes (domain.md §6, sources M1-M3).
# The code is a string: the leading zero of GM0106 is significant.
DRENTHE_GEMEENTEN: tuple[tuple[str, str], ...] = (
    ("GM1680", "Aa en Hunze"),
    ("GM0106", "Assen"),
    ("GM1681", "Borger-Odoorn"),
    ("GM0109", "Coevorden"),
    ("GM1690", "De Wolden"),
    ("GM0114", "Emmen"),
    ("GM0118", "Hoogeveen"),
    ("GM0119", "Meppel"),
    ("GM1731", "Midden-Drenthe"),
    ("GM1699", "Noordenveld"),
    ("GM1730", "Tynaarlo"),
    ("GM1701", "Westerveld"),
)
DRENTHE_PROVINCIE = "PV22 Drenthe"  # provincial code from memory, unverified (domain.md §6)


class Gemeente(db.Model):
    """A cooperating municipality of the region."""

    __tablename__ = "gemeenten"

    id: Mapped[int] = mapped_column(primary_key=True)
    cbs_code: Mapped[str] = mapped_column(sa.String(6), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    provincie: Mapped[str] = mapped_column(sa.String(60), default=DRENTHE_PROVINCIE)
    is_active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (sa.CheckConstraint("cbs_code LIKE 'GM____'", name="cbs_code_format"),)

    @property
    def cbs_numeric(self) -> str:
        return self.cbs_code[2:]

    def __repr__(self) -> str:
        return f"<Gemeente {self.cbs_code} {self.name}>"
