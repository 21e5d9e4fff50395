"""Consistent backups and restores of the database and the uploaded documents (issue 7 §6).

A backup is one ``.tar.gz`` holding ``manifest.json`` (when, which database kind, the Alembic
revision, every file with its SHA-256), the database (SQLite: a copy made with the online backup
API, so it is consistent while the app runs; PostgreSQL: ``pg_dump --format=custom``) and the
documents folder. A restore checks every hash before it touches anything, then replaces the
database and the documents.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404 # only pg_dump/pg_restore, with argument lists, never a shell
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from barrier.db import db

FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore that cannot proceed; the message is Dutch."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    dialect: str
    revision: str
    files: int
    size_bytes: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(url: sa.URL) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump / pg_restore; the password goes through the environment."""
    args = ["--dbname", url.database or ""]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    return args, env


def _revision() -> str:
    try:
        return db.session.scalar(sa.text("SELECT version_num FROM alembic_version")) or ""
    except sa.exc.DatabaseError:
        return ""


def make_backup(app: Flask, output: Path) -> BackupResult:
    url = db.engine.url
    documents = Path(app.config["UPLOAD_FOLDER"])
    revision = _revision()
    db.session.rollback()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if url.get_backend_name() == "sqlite":
            database_file = work / "database.sqlite"
            source = sqlite3.connect(url.database)
            target = sqlite3.connect(database_file)
            try:
                source.backup(target)  # consistent snapshot, also while others write
            finally:
                target.close()
                source.close()
        elif url.get_backend_name() == "postgresql":
            database_file = work / "database.pgdump"
            args, env = _pg_env(url)
            result = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(database_file), *args],  # nosec B603, B607 # fixed argument list, no shell; pg_dump from PATH as installed with PostgreSQL
                                    env=env, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise BackupError(f"pg_dump is mislukt: {result.stderr.strip()[:500]}")
        else:
            raise BackupError(f"Back-up van database-soort {url.get_backend_name()} wordt niet ondersteund.")
        files = {database_file.name: _sha256(database_file)}
        document_files = sorted(p for p in documents.rglob("*") if p.is_file() and not p.name.startswith(".")) \
            if documents.exists() else []
        for path in document_files:
            files["documents/" + path.relative_to(documents).as_posix()] = _sha256(path)
        manifest = {
            "format": FORMAT_VERSION, "created_at": datetime.now(UTC).isoformat(), "dialect": url.get_backend_name(),
            "alembic_revision": revision, "files": files,
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(database_file, arcname=database_file.name)
            for path in document_files:
                tar.add(path, arcname="documents/" + path.relative_to(documents).as_posix())
        os.replace(partial, output)  # a killed backup never looks complete
    return BackupResult(output, url.get_backend_name(), revision, len(files), output.stat().st_size)


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in tar.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"Ongeldig bestand in de back-up: {member.name}")
        members.append(member)
    return members


def restore_backup(app: Flask, archive: Path) -> dict:
    if not archive.exists():
        raise BackupError(f"Back-up {archive} bestaat niet.")
    url = db.engine.url
    documents = Path(app.config["UPLOAD_FOLDER"])
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(work, members=_safe_members(tar), filter="data")
        except (tarfile.TarError, OSError, EOFError) as error:
            raise BackupError(f"De back-up is beschadigd of onvolledig: {error}") from error
        manifest_path = work / "manifest.json"
        if not manifest_path.exists():
            raise BackupError("De back-up mist manifest.json.")
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("dialect") != url.get_backend_name():
            raise BackupError(f"Deze back-up is van een {manifest.get('dialect')}-database; "
                              f"de huidige database is {url.get_backend_name()}.")
        for name, digest in manifest["files"].items():
            path = work / name
            if not path.exists() or _sha256(path) != digest:
                raise BackupError(f"Bestand {name} in de back-up ontbreekt of is beschadigd; er is niets teruggezet.")
        db.session.remove()
        db.engine.dispose()
        if url.get_backend_name() == "sqlite":
            restored = sqlite3.connect(work / "database.sqlite")
            target = sqlite3.connect(url.database)
            try:
                restored.backup(target)
            finally:
                target.close()
                restored.close()
        else:
            args, env = _pg_env(url)
            with db.engine.begin() as conn:  # an empty schema, then the dump (owner-free)
                conn.execute(sa.text("DROP SCHEMA public CASCADE"))
                conn.execute(sa.text("CREATE SCHEMA public"))
            db.engine.dispose()
            result = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", *args, str(work / "database.pgdump")],  # nosec B603, B607 # fixed argument list, no shell; pg_restore from PATH
                                    env=env, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise BackupError(f"pg_restore is mislukt: {result.stderr.strip()[:500]}")
        if documents.exists():
            shutil.rmtree(documents)
        source_docs = work / "documents"
        if source_docs.exists():
            shutil.copytree(source_docs, documents)
        else:
            documents.mkdir(parents=True, exist_ok=True)
    return manifest
