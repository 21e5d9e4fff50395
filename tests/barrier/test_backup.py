"""Backup and restore round-trip: every table and every document comes back exactly (issue 7 §6)."""

from __future__ import annotations

import hashlib
import os
import tarfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from barrier import create_app
from barrier.db import db
from tests.conftest import _drop_private_database, _private_database, make_test_config


def _snapshot(documents: Path) -> tuple[dict, dict]:
    tables = {}
    inspector = sa.inspect(db.engine)
    with db.engine.connect() as conn:
        for name in sorted(inspector.get_table_names()):
            columns = [c["name"] for c in inspector.get_columns(name)]
            rows = conn.execute(sa.text(f'SELECT * FROM "{name}"')).all()  # noqa: S608 - names from the inspector
            tables[name] = sorted(tuple(str(v) for v in row) for row in rows)
            tables[name + ":columns"] = columns
    files = {p.relative_to(documents).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in documents.rglob("*") if p.is_file()} if documents.exists() else {}
    return tables, files


# SQLite always; PostgreSQL (pg_dump / pg_restore) where a server is configured, as in CI.
DIALECTS = ["sqlite"] + (["postgresql"] if os.environ.get("BARRIER_TEST_DATABASE_URL") else [])


@pytest.fixture(params=DIALECTS)
def backup_app(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    else:
        url = _private_database(os.environ["BARRIER_TEST_DATABASE_URL"], purpose="backup")
    app = create_app(make_test_config(url, tmp_path))
    yield app
    with app.app_context():
        db.engine.dispose()
    if request.param == "postgresql":
        _drop_private_database(app.config["SQLALCHEMY_DATABASE_URI"])


def test_backup_and_restore_round_trip_every_table_and_file(backup_app, tmp_path):
    app = backup_app
    runner = app.test_cli_runner()
    with app.app_context():
        upgrade()
        assert runner.invoke(args=["demo-data"]).exit_code == 0
        documents = Path(app.config["UPLOAD_FOLDER"])
        (documents / "ab" / "cd").mkdir(parents=True, exist_ok=True)
        (documents / "ab" / "cd" / ("ab" + "cd" + "0" * 60)).write_bytes(b"%PDF-1.4 test document")
        before = _snapshot(documents)
        archive = tmp_path / "backup.tar.gz"
        result = runner.invoke(args=["backup", "--output", str(archive)])
        assert result.exit_code == 0, result.output
        assert "Back-up gemaakt" in result.output
        with tarfile.open(archive) as tar:
            assert "manifest.json" in tar.getnames()
        # Change everything: rows gone, a file gone, a new file.
        with db.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM application_events"))
            conn.execute(sa.text("UPDATE users SET full_name = 'gewijzigd'"))
        (documents / "ab" / "cd" / ("ab" + "cd" + "0" * 60)).unlink()
        (documents / "extra.bin").write_bytes(b"x")
        assert _snapshot(documents) != before
        refused = runner.invoke(args=["restore", str(archive)])
        assert refused.exit_code != 0 and "--yes" in refused.output
        restored = runner.invoke(args=["restore", str(archive), "--yes"])
        assert restored.exit_code == 0, restored.output
        assert _snapshot(documents) == before


def test_a_damaged_backup_is_refused_and_nothing_changes(tmp_path):
    app = create_app(make_test_config(f"sqlite:///{tmp_path / 'live.sqlite'}", tmp_path))
    runner = app.test_cli_runner()
    with app.app_context():
        upgrade()
        archive = tmp_path / "backup.tar.gz"
        assert runner.invoke(args=["backup", "--output", str(archive)]).exit_code == 0
        before = _snapshot(Path(app.config["UPLOAD_FOLDER"]))
        damaged = tmp_path / "damaged.tar.gz"
        damaged.write_bytes(archive.read_bytes()[: len(archive.read_bytes()) // 2])
        result = runner.invoke(args=["restore", str(damaged), "--yes"])
        assert result.exit_code != 0
        assert "beschadigd" in result.output
        assert _snapshot(Path(app.config["UPLOAD_FOLDER"])) == before
        db.engine.dispose()
