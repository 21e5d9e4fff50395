"""The database unreachable: a clear Dutch error page (503), and recovery without a restart.

A real gunicorn server (two workers, as in production) on a database of its own. The database is
taken away while the server runs, then given back; the same server processes (master and
workers, by pid) must answer the failing request with the Dutch 503 page and the next request
normally, the logged-in session intact.

* PostgreSQL: the database stops accepting connections (``ALTER DATABASE ... ALLOW_CONNECTIONS
  false``) and its server processes are terminated (``pg_terminate_backend``), which is what the
  app sees when the database server restarts or is unreachable: pooled connections die, new ones
  are refused. Deterministic, no ports or timing involved.
* SQLite has no server to take away, a moved or unreadable file is not noticed by connections
  the pool already holds (and root ignores file modes), so there the outage is another process
  holding the database's write lock beyond the busy timeout (a stuck writer or a copy tool):
  every write fails with "database is locked".
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import re
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import sqlalchemy as sa

from tests.faults.conftest import Instance

EMAIL = "beheer@storing.test"
PASSWORD = "Storing-wachtwoord-2026"
DUTCH_503 = "De database is tijdelijk niet bereikbaar"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class HttpUser:
    """A browser without JavaScript: cookies, forms with CSRF token, redirects not followed."""

    def __init__(self, url: str):
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect())

    def request(self, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.url + path, data=body,  # noqa: S310 - our loopback server
                                         headers={"Referer": self.url + path})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def login(self) -> tuple[int, dict, str]:
        _status, _headers, page = self.request("/inloggen")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        return self.request("/inloggen", {"csrf_token": token, "email": EMAIL, "password": PASSWORD})


@contextlib.contextmanager
def database_unreachable(inst: Instance) -> Iterator[None]:
    if inst.is_postgresql:
        from tests.conftest import _admin_engine

        admin, base = _admin_engine(inst.database_url)
        name = base.database
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
                conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                     "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})
            yield
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            admin.dispose()
    else:
        holder = sqlite3.connect(inst.sqlite_file, timeout=0, isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")  # the write lock, until the outage ends
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()


def _is_the_dutch_503_page(status: int, headers: dict, page: str) -> bool:
    return (status == 503 and headers.get("Content-Type", "").startswith("text/html") and DUTCH_503 in page
            and "Traceback" not in page and "OperationalError" not in page)


def test_the_database_unreachable_gives_a_dutch_503_and_the_same_server_recovers(instance):
    inst = instance()
    inst.flask("create-admin", "--email", EMAIL, "--name", "Bea Beheer", "--password", PASSWORD)
    server = inst.serve(workers=2)
    workers = server.worker_pids()
    user = HttpUser(server.url)
    status, headers, _page = user.login()
    assert status == 302 and headers["Location"].endswith("/"), status
    assert user.request("/")[0] == 200

    newcomer = HttpUser(server.url)
    with database_unreachable(inst):
        status, headers, page = newcomer.login()
        assert _is_the_dutch_503_page(status, headers, page), (status, page[:2000])
        assert "Tijdelijk niet beschikbaar" in page
        if inst.is_postgresql:
            # Every page needs the database to know who is logged in; all of them answer the same.
            assert _is_the_dutch_503_page(*user.request("/")), user.request("/")[2][:2000]
            assert user.request("/gezondheid")[0] == 503  # the load balancer's check fails too

    # The database is back: the same processes answer normally, the earlier session is intact.
    assert user.request("/")[0] == 200
    status, headers, _page = newcomer.login()
    assert status == 302 and headers["Location"].endswith("/"), status
    assert newcomer.request("/")[0] == 200
    assert server.process.poll() is None
    assert server.worker_pids() == workers, "a worker was restarted"
    log = server.log.read_text()
    assert "database error" in log and "Booting worker" in log
    assert log.count("Booting worker") == 2, log[-3000:]
