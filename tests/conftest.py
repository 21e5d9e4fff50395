"""Fixtures for the whole suite.

The database is real: SQLite in a temporary file by default, PostgreSQL when
``BARRIER_TEST_DATABASE_URL`` is set (CI sets it). The schema is built by running the Alembic
migrations, so every test run also proves the migrations. Each test runs inside one outer
transaction that is rolled back afterwards; views may commit, which only releases a SAVEPOINT
(STYLE.md H13, G1-G3).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy.orm import scoped_session, sessionmaker

from barrier import create_app
from barrier.db import db as _db
from barrier.extensions import limiter

TEST_PASSWORD = "Test-wachtwoord-2026"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

# Property tests run the same examples on every run (a test run must be repeatable: a new random
# find would fail an unrelated change in CI). Explore with fresh random examples, and keep what
# they find as a fix and a test: BARRIER_HYPOTHESIS_PROFILE=explore pytest tests/screening
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("BARRIER_HYPOTHESIS_PROFILE", "repeatable"))


def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("BARRIER_TEST_DATABASE_URL")
    if url:
        return _private_database(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'barrier-test.sqlite'}"


def _admin_engine(url: str) -> tuple[sa.Engine, sa.URL]:
    from barrier.config import resolve_database_url

    base = sa.engine.make_url(resolve_database_url(url, "."))
    # Connect to the maintenance database: a database cannot be dropped from inside itself.
    return sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT"), base


def _private_database(url: str, purpose: str = "main") -> str:
    """A database of this test process (and xdist worker) next to the configured one, so
    parallel runs never drop each other's schema; dropped again at the end of the session.
    ``purpose`` keeps a test's own extra database apart from the session's."""
    admin, base = _admin_engine(url)
    name = f"{base.database}_{purpose}_{os.environ.get('PYTEST_XDIST_WORKER', 'gw')}_{os.getpid()}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _drop_private_database(url: str) -> None:
    if not url.startswith("postgresql"):
        return
    admin, base = _admin_engine(url)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{base.database}" WITH (FORCE)'))
    admin.dispose()


def make_test_config(url: str, tmp_path) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": _normalise(url),
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SERVER_NAME": None,
        "PASSWORD_HASH_COST": (1, 64),
        "UPLOAD_FOLDER": str(tmp_path / "documents"),
        "RATELIMIT_STORAGE_URI": "memory://",
        "LOGIN_RATE_LIMIT": "1000 per minute",
    }


def _normalise(url: str) -> str:
    from barrier.config import resolve_database_url

    return resolve_database_url(url, ".")


class HttpsClient(FlaskClient):
    """Every test request goes over HTTPS, as in production (Secure cookies, HSTS)."""

    def open(self, *args, **kwargs):
        if not (args and not isinstance(args[0], str)):
            kwargs.setdefault("base_url", "https://localhost")
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    url = database_url(tmp_path_factory)
    app = create_app(make_test_config(url, tmp_path_factory.mktemp("instance")))
    app.test_client_class = HttpsClient
    with app.app_context():
        _reset_schema()
        from flask_migrate import upgrade

        upgrade()
        if _db.engine.dialect.name == "sqlite":
            _db.engine.dispose()
    # No app context stays pushed (STYLE.md G1).
    yield app
    with app.app_context():
        _db.engine.dispose()
    _drop_private_database(app.config["SQLALCHEMY_DATABASE_URI"])


def _reset_schema() -> None:
    engine = _db.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    else:
        _db.drop_all()
        with engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


def _sqlite_savepoint_recipe(engine: sa.Engine) -> None:
    """pysqlite's own transaction handling breaks SAVEPOINTs; let SQLAlchemy emit BEGIN (G3)."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN")


_recipe_installed: set[int] = set()


@pytest.fixture
def db(app: Flask) -> Iterator:
    """The database, inside an outer transaction rolled back after the test."""
    with app.app_context():
        engine = _db.engine
    if engine.dialect.name == "sqlite" and id(engine) not in _recipe_installed:
        _sqlite_savepoint_recipe(engine)
        engine.dispose()
        _recipe_installed.add(id(engine))
    connection = engine.connect()
    outer = connection.begin()
    session = scoped_session(sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                                          expire_on_commit=False))
    # One session for the whole test, across request contexts: Flask-SQLAlchemy's teardown would
    # otherwise close it after every request and detach the objects the test holds.
    real_remove = session.remove
    session.remove = lambda: None
    original = _db.session
    _db.session = session
    from tests import factories

    factories.bind(session)
    limiter.reset()
    try:
        yield _db
    finally:
        real_remove()
        outer.rollback()
        connection.close()
        _db.session = original


@pytest.fixture
def app_ctx(app: Flask, db) -> Iterator[Flask]:
    """An app context for calling services directly."""
    with app.test_request_context():
        yield app


@pytest.fixture
def client(app: Flask, db) -> FlaskClient:
    # HTTPS, as in production: session cookies are Secure.
    return app.test_client()


def csrf_token_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no csrf_token in the page"
    return match.group(1)


class Browser:
    """A test client that behaves like a user with a browser: fetches forms, posts them with CSRF."""

    def __init__(self, client: FlaskClient):
        self.client = client
        self.user = None

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def token(self, url: str = "/") -> str:
        response = self.client.get(url)
        return csrf_token_from(response.get_data(as_text=True))

    def submit(self, url: str, data: dict | None = None, *, form_url: str | None = None, **kwargs):
        """GET the form page (for a fresh CSRF token), then POST the data to ``url``."""
        payload = dict(data or {})
        payload.setdefault("csrf_token", self.token(form_url or url))
        # Browsers send a same-origin Referer; Flask-WTF checks it on HTTPS.
        headers = {"Referer": "https://localhost" + (form_url or url), **kwargs.pop("headers", {})}
        return self.client.post(url, data=payload, headers=headers, **kwargs)

    def login(self, user, password: str = TEST_PASSWORD):
        response = self.submit("/inloggen", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        self.user = user
        return response


@pytest.fixture
def browser(client) -> Browser:
    return Browser(client)


@pytest.fixture
def login_as(app, db):
    """Return a callable: ``login_as(Role.X, gemeente="GM0106")`` gives a logged-in Browser.

    Gemeente roles default to Assen; ketenregisseur and beheerder default to the whole region.
    """
    from barrier.models import Role
    from tests.factories import UserFactory

    def _login(role: Role, gemeente: str | None = "default", **user_kwargs) -> Browser:
        if gemeente == "default":  # Assen for gemeente roles; the region for regional ones and beheerder
            gemeente = None if role.is_regional or role is Role.BEHEERDER else "GM0106"
        if role.is_regional:
            gemeente = None
        user = UserFactory(role=role, gemeente_code=gemeente, **user_kwargs)
        browser = Browser(app.test_client())
        browser.login(user)
        return browser

    return _login
