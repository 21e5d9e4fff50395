"""Barrier: permits and Bibob screening as barriers against human trafficking."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | type | None = None) -> Flask:
    """Build a configured app.

    ``config`` overrides the defaults and the ``BARRIER_*`` environment: a mapping (tests pass
    ``{"TESTING": True, ...}``) or a config class.
    """
    instance_path = os.environ.get("BARRIER_INSTANCE_PATH") or str(PROJECT_ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=instance_path,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
    )
    _configure(app, config)
    _configure_logging(app)
    _register_extensions(app)
    _register_blueprints(app)

    from barrier.cli import register_commands
    from barrier.errors import register_error_handlers
    from barrier.security import register_security_headers
    from barrier.templating import register_templating

    register_error_handlers(app)
    register_security_headers(app)
    register_templating(app)
    register_commands(app)
    return app


def _configure(app: Flask, config: Mapping[str, Any] | type | None) -> None:
    from barrier.config import Config, load_or_create_secret_key, resolve_database_url

    app.config.from_object(Config)
    app.config.from_prefixed_env("BARRIER")
    _coerce_switches(app, Config)
    if isinstance(config, Mapping):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = resolve_database_url(app.config.get("DATABASE_URL"),
                                                                     app.instance_path)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret_key(app.instance_path)
    app.config.setdefault("UPLOAD_FOLDER", str(Path(app.instance_path) / "documents"))


def _coerce_switches(app: Flask, defaults: type) -> None:
    """On/off settings from the environment become real booleans.

    ``from_prefixed_env`` parses ``BARRIER_SESSION_COOKIE_SECURE=0`` as the integer 0, and Werkzeug
    then writes the cookie attribute ``Secure=0``, which browsers read as *Secure*: the cookie
    stayed HTTPS-only although the setting said off.
    """
    for key in dir(defaults):
        value = app.config.get(key)
        if isinstance(getattr(defaults, key), bool) and not isinstance(value, bool):
            app.config[key] = str(value).strip().lower() in ("1", "true", "yes", "on", "ja")


def _configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing and not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _register_extensions(app: Flask) -> None:
    from barrier.auth.services import user_for_session
    from barrier.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.user_loader(user_for_session)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=lambda: "nl")
    limiter.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _tune_sqlite(app)


def _tune_sqlite(app: Flask) -> None:
    from sqlalchemy import event

    from barrier.extensions import db

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        # Enforce foreign keys and let readers proceed during writes (several gunicorn workers).
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL is still safe against corruption; it skips an fsync per commit (each
        # request commits its audit row), at the risk of the last commits on a power loss.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


# The areas of DESIGN.md; each package exposes ``bp``. Areas land one issue at a time, so a
# package that does not exist yet is skipped.
AREAS = ("auth", "dashboard", "applications", "register", "bibob", "inspections", "signals", "api", "admin")


def _register_blueprints(app: Flask) -> None:
    import importlib

    from werkzeug.routing import IntegerConverter

    class RecordIdConverter(IntegerConverter):
        """``<int:...>`` ids stop at PostgreSQL's integer range: a longer number is a 404, not a
        database error (found by fuzzing: 20-digit ids overflowed the driver)."""

        def __init__(self, map, *args, **kwargs):  # noqa: A002 - Werkzeug's signature
            kwargs.setdefault("max", 2**31 - 1)
            super().__init__(map, *args, **kwargs)

    app.url_map.converters["int"] = RecordIdConverter
    for area in AREAS:
        name = f"barrier.{area}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name == name:
                continue
            raise
        app.register_blueprint(module.bp)
