"""End-to-end fixtures: the app in a real server process, driven by Debian's headless Chromium.

The pieces, so each area can add its own paths in its own ``test_<area>.py``:

* ``live_server`` (session): migrates and loads the demo data into a temporary instance (SQLite,
  or a private PostgreSQL database when ``BARRIER_TEST_DATABASE_URL`` is set), starts gunicorn on
  a free localhost port over plain HTTP, waits for ``/gezondheid``, stops it at the end.
  ``live_server.scalar(sql, **params)`` reads the server's database (to find an id of the demo data).
* ``chromium`` (session): the browser, launched by its executable path (no Playwright download).
* ``visit`` (test): a factory of :class:`Visit` objects, each a fresh browser context (own
  cookies). ``visit.as_user(email)`` logs in through the login page. ``Visit.goto``, ``Visit.submit``
  and ``Visit.click`` wait for the next page and then audit it: HTTP status, axe-core at WCAG 2.1 A
  and AA, and no Content-Security-Policy violation in the console. Pages are counted for the summary.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("BARRIER_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
DEMO_PASSWORD = "Barrier-demo-2026"  # noqa: S105 - the demo accounts' password (README)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Generous for a loaded 2-core CI machine; a healthy page answers in well under a second.
TIMEOUT_MS = 20_000

# The demo accounts (barrier/demo.py), one per role.
ACCOUNTS = {
    "vergunningverlener": "vergunningverlener@assen.demo",
    "bibob": "bibob@assen.demo",
    "toezichthouder": "toezicht@assen.demo",
    "aandachtfunctionaris": "aandacht@assen.demo",
    "ketenregisseur": "ketenregisseur@zvhd.demo",
    "beheerder": "beheer@drenthe.demo",
    "vergunningverlener_emmen": "vergunningverlener@emmen.demo",
}


def pytest_collection_modifyitems(config, items):
    """Every test in tests/e2e is an e2e test; without Chromium they skip (CI installs it and fails)."""
    here = Path(__file__).parent
    missing = not Path(CHROMIUM).exists()
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)
            if missing and not os.environ.get("CI"):
                item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"))


# --- the server ---------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_database(tmp: Path) -> tuple[str, Callable[[], None]]:
    """SQLite in the instance folder, or a private PostgreSQL database of this e2e run."""
    url = os.environ.get("BARRIER_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp / 'barrier-e2e.sqlite'}", lambda: None
    import sqlalchemy as sa

    from tests.conftest import _admin_engine, _drop_private_database

    admin, base = _admin_engine(url)
    # Not the name tests/conftest.py gives the in-process database of this same process.
    name = f"{base.database}_e2e_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    private = base.set(database=name).render_as_string(hide_password=False)
    return private, lambda: _drop_private_database(private)


@dataclass
class LiveServer:
    url: str
    database_url: str
    instance: Path
    log: Path
    _engine: object = None

    def scalar(self, sql: str, **params):
        """One value from the server's database (read-only use: ids of demo records)."""
        import sqlalchemy as sa

        if self._engine is None:
            from barrier.config import resolve_database_url

            self._engine = sa.create_engine(resolve_database_url(self.database_url, str(self.instance)))
        with self._engine.connect() as conn:
            return conn.execute(sa.text(sql), params).scalar()

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def _run(args: list[str], env: dict, log: Path) -> None:
    with log.open("a") as out:
        result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, timeout=300, check=False)
    if result.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("e2e")
    instance = tmp / "instance"
    log = tmp / "server.log"
    database_url, drop_database = _server_database(tmp)
    env = {
        **os.environ,
        "BARRIER_INSTANCE_PATH": str(instance),
        "BARRIER_DATABASE_URL": database_url,
        # Plain HTTP on localhost: no Secure cookies, no HSTS (production runs behind TLS).
        "BARRIER_SESSION_COOKIE_SECURE": "0",
        "BARRIER_REMEMBER_COOKIE_SECURE": "0",
        "BARRIER_HSTS": "0",
        # Every test logs in from 127.0.0.1; the real per-address limit is tested in tests/barrier/auth.
        "BARRIER_LOGIN_RATE_LIMIT": "10000 per minute",
        # Cheap Argon2 parameters, as in the in-process tests: the demo data has dozens of accounts.
        "BARRIER_PASSWORD_HASH_COST": "[1, 64]",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("BARRIER_TEST_DATABASE_URL", None)
    env.pop("BARRIER_SECRET_KEY", None)
    port = _free_port()
    process = None
    server = LiveServer(url=f"http://127.0.0.1:{port}", database_url=database_url, instance=instance, log=log)
    try:
        _run(["db", "upgrade"], env, log)
        _run(["demo-data"], env, log)
        with log.open("a") as out:
            # gunicorn with the production settings (barrier/gunicorn_conf.py: sync workers, the app and
            # the register index preloaded in the master), two workers, on loopback only.
            process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "gunicorn", "-c", "python:barrier.gunicorn_conf", "--workers", "2",
                 "--bind", f"127.0.0.1:{port}", "wsgi:app"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _wait_until_healthy(server, process)
        yield server
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        server.close()
        drop_database()


def _wait_until_healthy(server: LiveServer, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {process.returncode}):\n{server.log_tail()}")
        with contextlib.suppress(OSError, urllib.error.URLError), \
                urllib.request.urlopen(server.url + "/gezondheid", timeout=2) as response:  # noqa: S310 - our loopback server
            if response.status == 200 and json.load(response).get("status") == "ok":
                return
        time.sleep(0.2)
    raise RuntimeError(f"the server did not become healthy in {timeout} s:\n{server.log_tail()}")


# --- the browser --------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class AuditLog:
    """What the e2e run checked, for the terminal summary and the report."""

    pages: list[str] = field(default_factory=list)
    distinct: set[str] = field(default_factory=set)


AUDITED = AuditLog()


def _page_key(url: str) -> str:
    path = re.sub(r"^https?://[^/]+", "", url).split("#")[0].split("?")[0]
    return re.sub(r"/\d+", "/<id>", path)


def pytest_terminal_summary(terminalreporter):
    if AUDITED.pages:
        terminalreporter.write_line(
            f"e2e: axe-core (WCAG 2.1 A/AA) and CSP checked on {len(AUDITED.pages)} page views, "
            f"{len(AUDITED.distinct)} distinct pages; 0 violations")


def _axe_script() -> str:
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


class Visit:
    """One user in one browser context: navigate, fill in, submit; every page is audited."""

    def __init__(self, server: LiveServer, context):
        self.server = server
        self.context = context
        self.page = context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.console_errors: list[str] = []
        self.csp_violations: list[str] = []
        self.last_status: int | None = None
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.console_errors.append(f"pageerror: {error}"))
        self.page.on("response", self._on_response)
        # securitypolicyviolation events are reported to the console as "Refused to ..." as well; this
        # also catches violations that a page reports without a console line.
        # axe-core is injected by the browser itself (not subject to the page's CSP) into every page.
        self.page.add_init_script(_axe_script())
        self.page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => console.error("
            "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));")

    def _on_console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "CSP violation" in text or text.startswith("Refused to"):
            self.csp_violations.append(text)
        elif message.type == "error" and "status of 404" not in text and "status of 403" not in text:
            self.console_errors.append(text)

    def _on_response(self, response) -> None:
        if response.request.is_navigation_request() and response.frame == self.page.main_frame:
            self.last_status = response.status

    # navigation ---------------------------------------------------------------------------------

    def goto(self, path: str, *, status: int = 200, audit: bool = True):
        response = self.page.goto(self.server.url + path, wait_until="load")
        self.last_status = response.status if response else None
        return self._after(status, audit)

    def click(self, selector_or_locator, *, status: int = 200, audit: bool = True):
        """Click something that loads a new page (a link or a submit button) and audit the result."""
        locator = self.page.locator(selector_or_locator) if isinstance(selector_or_locator, str) else selector_or_locator
        with self.page.expect_navigation(wait_until="load"):
            locator.click()
        return self._after(status, audit)

    def press(self, key: str, *, status: int = 200, audit: bool = True):
        """Press a key that submits or follows (Enter on a button or link) and audit the next page."""
        with self.page.expect_navigation(wait_until="load"):
            self.page.keyboard.press(key)
        return self._after(status, audit)

    def _after(self, status: int, audit: bool):
        assert self.last_status == status, (
            f"{self.page.url}: HTTP {self.last_status}, expected {status}\n"
            f"{self.page.locator('main').inner_text()[:1500] if self.page.locator('main').count() else ''}\n"
            f"server log:\n{self.server.log_tail(30)}")
        if audit:
            self.audit()
        return self.page

    # checks -------------------------------------------------------------------------------------

    def audit(self) -> None:
        """axe-core at WCAG 2.1 A and AA with zero violations; no CSP violations or script errors."""
        page = self.page
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate(_axe_script())
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS)
        violations = result["violations"]
        assert not violations, f"axe on {page.url}:\n" + _describe(violations)
        assert not self.csp_violations, f"CSP violations on {page.url}: {self.csp_violations}"
        assert not self.console_errors, f"script errors on {page.url}: {self.console_errors}"
        AUDITED.pages.append(page.url)
        AUDITED.distinct.add(_page_key(page.url))

    def text(self, selector: str = "main") -> str:
        return self.page.locator(selector).inner_text()

    def flash(self) -> str:
        flashes = self.page.locator(".flashes")
        return flashes.inner_text() if flashes.count() else ""

    # login --------------------------------------------------------------------------------------

    def login(self, email: str, password: str = DEMO_PASSWORD):
        self.goto("/inloggen")
        self.page.get_by_label("E-mailadres").fill(email)
        self.page.get_by_label("Wachtwoord").fill(password)
        return self.click(self.page.get_by_role("button", name="Inloggen"))


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            lines.append(f"      {node.get('failureSummary', '')[:300]}")
    return "\n".join(lines)


@pytest.fixture
def visit(live_server: LiveServer, chromium) -> Iterator[Callable[..., Visit]]:
    """``visit()`` gives an anonymous visitor, ``visit.as_user(email)`` a logged-in one."""
    contexts = []

    def _new(**context_options) -> Visit:
        context = chromium.new_context(locale="nl-NL", accept_downloads=True, **context_options)
        contexts.append(context)
        return Visit(live_server, context)

    def _as_user(email: str, **context_options) -> Visit:
        visitor = _new(**context_options)
        visitor.login(email)
        assert "/inloggen" not in visitor.page.url, visitor.text()[:500]
        return visitor

    _new.as_user = _as_user  # type: ignore[attr-defined]
    yield _new
    for context in contexts:
        context.close()
