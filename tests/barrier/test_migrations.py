"""Migrations build exactly the schema of the models, on an empty database."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import check, downgrade, upgrade

from barrier import create_app
from barrier.db import db
from tests.conftest import make_test_config


def test_upgrade_on_an_empty_database_matches_the_models_and_seeds_the_region(tmp_path):
    app = create_app(make_test_config(f"sqlite:///{tmp_path / 'm.sqlite'}", tmp_path))
    with app.app_context():
        upgrade()
        check()  # raises when models and migrations disagree
        names = db.session.scalars(sa.text("SELECT name FROM gemeenten ORDER BY cbs_code")).all()
        assert len(names) == 12
        assert "Assen" in names and "Westerveld" in names
        downgrade(revision="base")
        assert "users" not in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_the_test_database_was_built_by_the_migrations(app, db):
    # The session fixture ran `upgrade` (on SQLite, or PostgreSQL in CI): no drift from the models.
    version = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
    assert version
    with app.app_context():
        check()
        if db.engine.dialect.name == "postgresql":
            # Searching is served by a trigram index where pg_trgm can be created (it can in CI).
            assert db.session.scalar(sa.text(
                "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_trgm_applications_search_text'")) == 1
