"""An app with the full demo data (every area's records, several gemeenten) in a database of its own.

For tests that need real objects of two gemeenten and whose requests commit for real: the fuzzer
(tests/fuzz) and the authorisation crawl (tests/barrier/auth/test_permissions_gemeenten.py). The
database is private to the test process (SQLite in a temporary folder, or a PostgreSQL database
of its own when ``BARRIER_TEST_DATABASE_URL`` is set) and dropped at the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import Flask

from barrier import create_app
from barrier.db import db as _db
from tests.conftest import HttpsClient, _admin_engine, _drop_private_database, make_test_config


def _database(tmp_path_factory: pytest.TempPathFactory, label: str) -> str:
    url = os.environ.get("BARRIER_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp(label) / f'{label}.sqlite'}"
    admin, base = _admin_engine(url)
    name = f"{base.database}_{label}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@contextmanager
def demo_app(tmp_path_factory: pytest.TempPathFactory, label: str) -> Iterator[Flask]:
    url = _database(tmp_path_factory, label)
    app = create_app(make_test_config(url, tmp_path_factory.mktemp(f"{label}-instance")))
    app.test_client_class = HttpsClient
    try:
        with app.app_context():
            from flask_migrate import upgrade

            from barrier.demo import load_demo_data

            upgrade()
            load_demo_data(seed=2026)
            _db.session.commit()
        # No app context stays pushed (STYLE.md G1).
        yield app
    finally:
        with app.app_context():
            _db.session.remove()
            _db.engine.dispose()
        _drop_private_database(app.config["SQLALCHEMY_DATABASE_URI"])


def login_fresh_user(app: Flask, role, gemeente_code: str | None, password: str):
    """A new account of ``role`` in the gemeente (None: regional), logged in on a test client."""
    from types import SimpleNamespace

    from sqlalchemy import select

    from barrier.auth.services import create_user
    from barrier.models import Gemeente, User
    from tests.conftest import Browser

    email = f"test-{role.value}-{gemeente_code or 'regio'}@demo-app.test".lower()
    with app.app_context():
        user = _db.session.scalar(select(User).where(User.email == email))
        if user is None:
            gemeente = _db.session.scalar(select(Gemeente).where(Gemeente.cbs_code == gemeente_code)) if gemeente_code else None
            user = create_user(email=email, full_name=f"Test {role.label}", password=password, role=role,
                               gemeente_id=gemeente.id if gemeente else None)
            _db.session.commit()
    browser = Browser(app.test_client())
    browser.login(SimpleNamespace(email=email), password)
    return browser
