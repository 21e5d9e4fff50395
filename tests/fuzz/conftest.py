"""Fuzzing fixtures: one app with the full demo data (every area's records) in a database of its own.

Unlike the rest of the suite, requests here commit for real (no outer transaction): what a
refused post leaves behind is exactly what the fuzzer looks for. The database is private to this
run and dropped at the end (PostgreSQL) or lives in a temporary folder (SQLite).

``BARRIER_FUZZ_EXAMPLES`` sets the examples per form (default 6; the login form gets 40); setting it also turns off the
fixed seed, for a long local hunt: ``BARRIER_FUZZ_EXAMPLES=2000 pytest tests/fuzz``.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from flask import Flask

from barrier.db import db as _db
from tests.demo_app import demo_app

# Per form: ~80 forms are found, each example is a real request (some run the planner or render a
# PDF), and CI runs the suite twice (SQLite, PostgreSQL) on 2 cores.
EXAMPLES = int(os.environ.get("BARRIER_FUZZ_EXAMPLES", "6"))
DERANDOMIZE = "BARRIER_FUZZ_EXAMPLES" not in os.environ
# Tables that legitimately change on a refused request: refusals are audited.
NOT_COUNTED = {"audit_events", "alembic_version"}


@dataclass
class Tally:
    """Per target: examples tried and what the app answered, for the terminal summary."""

    cases: Counter = field(default_factory=Counter)
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, target: str, status: int) -> None:
        self.cases[target] += 1
        self.statuses[target][status] += 1


TALLY = Tally()


def pytest_terminal_summary(terminalreporter):
    if not TALLY.cases:
        return
    terminalreporter.section("fuzz: cases per target (HTTP statuses)")
    for target, count in sorted(TALLY.cases.items()):
        statuses = ", ".join(f"{s}×{n}" for s, n in sorted(TALLY.statuses[target].items()))
        terminalreporter.write_line(f"{count:>5}  {target}  ({statuses})")
    terminalreporter.write_line(f"{sum(TALLY.cases.values()):>5}  in total over {len(TALLY.cases)} targets")


@pytest.fixture(scope="session")
def fuzz_app(tmp_path_factory) -> Iterator[Flask]:
    with demo_app(tmp_path_factory, "fuzz") as app:
        yield app


class RowCounter:
    """Counts the rows of every table in one query, to prove a refused post stored nothing."""

    def __init__(self, app: Flask):
        self.app = app
        with app.app_context():
            names = sorted(set(sa.inspect(_db.engine).get_table_names()) - NOT_COUNTED)
        self.names = names
        # Table names from the database's own catalogue.
        self.sql = sa.text("SELECT " + ", ".join(f'(SELECT count(*) FROM "{n}")' for n in names))  # noqa: S608

    def __call__(self) -> dict[str, int]:
        with self.app.app_context():
            row = _db.session.execute(self.sql).one()
            _db.session.rollback()
        return dict(zip(self.names, row, strict=True))


@pytest.fixture(scope="session")
def row_counts(fuzz_app) -> RowCounter:
    return RowCounter(fuzz_app)
