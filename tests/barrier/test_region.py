"""The region: the twelve Drenthe gemeenten with their CBS codes (domain.md §6)."""

from __future__ import annotations

from sqlalchemy import select

from barrier.models import Gemeente
from barrier.models.region import DRENTHE_GEMEENTEN
from barrier.region import seed_gemeenten


def test_the_twelve_drenthe_gemeenten_are_present_with_their_cbs_codes(app_ctx, db):
    rows = {g.cbs_code: g.name for g in db.session.scalars(select(Gemeente))}
    assert rows == dict(DRENTHE_GEMEENTEN)
    assert rows["GM0106"] == "Assen"
    assert rows["GM1731"] == "Midden-Drenthe"


def test_cbs_code_keeps_its_leading_zero(app_ctx, db):
    assen = db.session.scalar(select(Gemeente).where(Gemeente.name == "Assen"))
    assert assen.cbs_code == "GM0106"
    assert assen.cbs_numeric == "0106"


def test_seeding_again_adds_nothing(app_ctx, db):
    assert seed_gemeenten() == 0


def test_seed_command_is_idempotent(app, db):
    result = app.test_cli_runner().invoke(args=["seed-gemeenten"])
    assert result.exit_code == 0
    assert "0 gemeente(n) toegevoegd" in result.output
