"""The app factory and configuration."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from barrier import create_app
from barrier.config import resolve_database_url


def test_environment_variables_with_the_barrier_prefix_configure_the_app(monkeypatch, tmp_path):
    monkeypatch.setenv("BARRIER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BARRIER_PAGE_SIZE", "7")
    monkeypatch.setenv("BARRIER_DATABASE_URL", "postgresql://barrier@db.example/barrier")
    app = create_app()
    assert app.config["PAGE_SIZE"] == 7
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://barrier@db.example/barrier"


@pytest.mark.parametrize(("value", "expected"), [("0", False), ("false", False), ("nee", False), ("1", True),
                                               ("true", True), ("ja", True)])
def test_on_off_settings_from_the_environment_are_booleans(monkeypatch, tmp_path, value, expected):
    # BARRIER_SESSION_COOKIE_SECURE=0 used to stay the integer 0, written as "Secure=0": still Secure.
    monkeypatch.setenv("BARRIER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BARRIER_SESSION_COOKIE_SECURE", value)
    monkeypatch.setenv("BARRIER_HSTS", value)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is expected and app.config["HSTS"] is expected
    cookie = app.test_client().get("/inloggen").headers["Set-Cookie"]
    assert ("Secure" in cookie) is expected


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("BARRIER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("BARRIER_DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'barrier.sqlite'}"


def test_a_fresh_install_writes_a_private_secret_key_once(monkeypatch, tmp_path):
    monkeypatch.setenv("BARRIER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("BARRIER_SECRET_KEY", raising=False)
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    key_file = Path(tmp_path) / "secret_key"
    assert first == second == key_file.read_text().strip()
    assert len(first) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_configured_secret_key_wins_and_no_file_is_written(monkeypatch, tmp_path):
    monkeypatch.setenv("BARRIER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BARRIER_SECRET_KEY", "from-the-environment")
    assert create_app().config["SECRET_KEY"] == "from-the-environment"
    assert not (Path(tmp_path) / "secret_key").exists()


def test_mapping_overrides_beat_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("BARRIER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BARRIER_PAGE_SIZE", "7")
    assert create_app({"PAGE_SIZE": 3}).config["PAGE_SIZE"] == 3


@pytest.mark.parametrize(("given", "expected"), [
    ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
    ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
    ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
    ("sqlite:////tmp/x.sqlite", "sqlite:////tmp/x.sqlite"),
])
def test_database_urls_select_psycopg_3(given, expected):
    assert resolve_database_url(given, "/instance") == expected


def test_session_cookies_are_secure_httponly_and_samesite(app):
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_health_check_answers_without_login(client):
    response = client.get("/gezondheid")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_security_headers_are_set_on_every_page(client):
    response = client.get("/inloggen")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
