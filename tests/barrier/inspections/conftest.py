"""Fixtures of the inspections tests: ``world`` builds records through the area's services."""

from __future__ import annotations

import pytest

from tests.barrier.inspections.builders import World


@pytest.fixture
def world(app, db) -> World:
    return World(app)
