"""Fault fixtures: real processes on a real database of their own, so a process can be killed.

``instance()`` gives a fresh :class:`Instance`: an instance folder and a database (a SQLite file in
it, or a private PostgreSQL database when ``BARRIER_TEST_DATABASE_URL`` is set), migrated by the
real ``flask db upgrade`` (optionally filled with ``flask demo-data``) and dropped afterwards.
Commands run as the operator runs them, ``python -m flask --app wsgi ...`` in a child process;
``Instance.serve()`` starts gunicorn as in production. The test reads the database through its
own connection (``Instance.scalar``), never through the process under test.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.barrier.conftest import make_application  # noqa: F401 - the fixture, for the upload faults
from tests.conftest import _drop_private_database, _private_database

ROOT = Path(__file__).resolve().parents[2]
_numbers = itertools.count(1)


def uses_postgresql() -> bool:
    return bool(os.environ.get("BARRIER_TEST_DATABASE_URL"))


@dataclass
class Server:
    """gunicorn serving an instance on a free loopback port."""

    process: subprocess.Popen
    url: str
    log: Path

    def worker_pids(self) -> set[int]:
        """The gunicorn workers (children of the master): a restart would change them."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}


@dataclass
class Instance:
    path: Path
    database_url: str
    log: Path
    _engine: sa.Engine | None = None
    _servers: list[Server] = field(default_factory=list)

    @property
    def is_postgresql(self) -> bool:
        return self.database_url.startswith("postgresql")

    @property
    def sqlite_file(self) -> Path:
        return Path(sa.engine.make_url(self.database_url).database)

    def env(self, **extra: str) -> dict[str, str]:
        env = {**os.environ,
               "BARRIER_INSTANCE_PATH": str(self.path),
               "BARRIER_DATABASE_URL": self.database_url,
               # Cheap Argon2 parameters, as in the in-process tests.
               "BARRIER_PASSWORD_HASH_COST": "[1, 64]",
               "PYTHONUNBUFFERED": "1",
               **extra}
        env.pop("BARRIER_TEST_DATABASE_URL", None)
        env.pop("BARRIER_SECRET_KEY", None)
        return env

    # --- commands ---------------------------------------------------------------------------------

    def flask(self, *args: str, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess:
        """Run ``flask --app wsgi ARGS`` to completion; stdout and stderr together in ``.stdout``."""
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=self.env(),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout,
                                check=False)
        with self.log.open("a") as out:
            out.write(f"$ flask {' '.join(args)}  ({time.monotonic() - started:.1f} s)\n{result.stdout}\n")
        if check and result.returncode:
            raise AssertionError(f"flask {' '.join(args)} exited {result.returncode}:\n{result.stdout[-4000:]}")
        return result

    def start(self, *args: str, output: Path) -> subprocess.Popen:
        """Start ``flask --app wsgi ARGS`` in the background, its output going to *output*."""
        with output.open("w") as out:
            return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
                                    env=self.env(), stdout=out, stderr=subprocess.STDOUT)

    def serve(self, *, workers: int = 2) -> Server:
        from tests.e2e.conftest import _free_port

        port = _free_port()
        log = self.path / "gunicorn.log"
        env = self.env(BARRIER_SESSION_COOKIE_SECURE="0", BARRIER_REMEMBER_COOKIE_SECURE="0", BARRIER_HSTS="0",
                       BARRIER_LOGIN_RATE_LIMIT="10000 per minute")
        with log.open("a") as out:
            process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "gunicorn", "-c", "python:barrier.gunicorn_conf", "--workers", str(workers),
                 "--bind", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        server = Server(process, f"http://127.0.0.1:{port}", log)
        self._servers.append(server)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"gunicorn stopped (exit {process.returncode}):\n{log.read_text()[-3000:]}")
            with contextlib.suppress(OSError, urllib.error.URLError), \
                    urllib.request.urlopen(server.url + "/gezondheid", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200 and json.load(response).get("status") == "ok" \
                        and len(server.worker_pids()) == workers:
                    return server
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not become healthy:\n{log.read_text()[-3000:]}")

    # --- the test's own view of the database ---------------------------------------------------------

    @property
    def engine(self) -> sa.Engine:
        if self._engine is None:
            from barrier.config import resolve_database_url

            # NullPool: the test holds no connection between its reads (a killed process's locks must
            # be the only ones around, and PostgreSQL must be able to refuse new connections).
            self._engine = sa.create_engine(resolve_database_url(self.database_url, str(self.path)),
                                            poolclass=sa.pool.NullPool)
        return self._engine

    def scalar(self, sql: str, **params):
        with self.engine.connect() as conn:
            return conn.execute(sa.text(sql), params).scalar()

    def rows(self, sql: str, **params) -> list[tuple]:
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(sa.text(sql), params)]

    def close(self) -> None:
        for server in self._servers:
            stop(server.process)
        if self._engine is not None:
            self._engine.dispose()


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_for(condition: Callable[[], object], *, timeout: float, what: str, interval: float = 0.02,
             process: subprocess.Popen | None = None) -> object:
    """Poll *condition* until it is truthy; fail (naming *what*) on timeout or when *process* ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the process ended (exit {process.returncode}) before {what}")
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture
def instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Instance]]:
    """``instance(demo=False)``: a fresh, migrated instance (with the demo data if asked)."""
    made: list[Instance] = []

    def _make(*, demo: bool = False) -> Instance:
        number = next(_numbers)
        path = tmp_path_factory.mktemp(f"fault{number}")
        url = os.environ.get("BARRIER_TEST_DATABASE_URL")
        database_url = (_private_database(url, purpose=f"faults{number}") if url
                        else f"sqlite:///{path / 'barrier.sqlite'}")
        made.append(inst := Instance(path=path, database_url=database_url, log=path / "commands.log"))
        inst.flask("db", "upgrade")
        if demo:
            inst.flask("demo-data")
        return inst

    yield _make
    for inst in made:
        inst.close()
        _drop_private_database(inst.database_url)
