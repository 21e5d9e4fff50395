"""Configuration: defaults here, overridden by ``BARRIER_*`` environment variables.

``BARRIER_DATABASE_URL`` selects the database (SQLite in the instance folder by default,
``postgresql://...`` for production); ``BARRIER_SECRET_KEY`` the signing key (a fresh install
writes one to the instance folder). Any other default below can be overridden the same way,
e.g. ``BARRIER_LOGIN_MAX_FAILURES=10``.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path


class Config:
    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Sessions: 8 hours of work, then log in again; cookies never readable from JS.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    SESSION_COOKIE_NAME = "barrier_session"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Behind a TLS-terminating proxy (production), HSTS is sent; set to 0 for plain-HTTP development.
    HSTS = True

    WTF_CSRF_TIME_LIMIT = 8 * 3600
    WTF_I18N_ENABLED = True
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"

    # Login throttling: per client address (Flask-Limiter) and per account (lock-out).
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    # How long an API Idempotency-Key keeps its first answer; a client retries within minutes, not
    # months (Stripe keeps keys 24 hours; we keep them longer for e-forms queued over a weekend).
    API_IDEMPOTENCY_DAYS = 30
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCKOUT_MINUTES = 15

    MAX_CONTENT_LENGTH = 25 * 1024 * 1024
    UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    PAGE_SIZE = 25


def resolve_database_url(url: str | None, instance_path: str) -> str:
    """Turn the configured URL into a SQLAlchemy URL; psycopg 3 is the PostgreSQL driver."""
    if not url:
        return f"sqlite:///{Path(instance_path) / 'barrier.sqlite'}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def load_or_create_secret_key(instance_path: str) -> str:
    """Read the instance's secret key, writing a new random one (mode 0600) on first start."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
