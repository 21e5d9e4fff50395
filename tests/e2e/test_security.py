"""Security headers as the browser receives them from the real server (issue 7 §7).

CSP violations on every visited page are checked by ``Visit.audit`` in conftest.py; here the
policy itself, framing, cookies and session fixation are tried from the browser's side.
"""

from __future__ import annotations

from tests.e2e.conftest import ACCOUNTS


def _directives(csp: str) -> dict[str, str]:
    return {part.strip().split(" ", 1)[0]: part.strip() for part in csp.split(";") if part.strip()}


def test_every_page_carries_the_security_headers(visit):
    visitor = visit.as_user(ACCOUNTS["vergunningverlener"])
    for path in ("/", "/aanvragen", "/aanvragen/nieuw", "/vergunningen", "/bestaat-niet"):
        response = visitor.page.goto(visitor.server.url + path)
        headers = response.headers
        csp = _directives(headers["content-security-policy"])
        assert "'unsafe-inline'" not in headers["content-security-policy"]
        assert "'unsafe-eval'" not in headers["content-security-policy"]
        assert csp["script-src"] == "script-src 'self'"
        assert csp["frame-ancestors"] == "frame-ancestors 'none'"
        assert csp["object-src"] == "object-src 'none'"
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] in ("same-origin", "strict-origin-when-cross-origin", "no-referrer")
        assert headers["cache-control"] == "no-store"
        # Plain HTTP on localhost: HSTS is only sent behind TLS (tests/barrier cover that case).
        assert "strict-transport-security" not in headers


def test_an_inline_script_injected_into_a_page_is_blocked_by_the_csp(visit):
    visitor = visit.as_user(ACCOUNTS["vergunningverlener"])
    visitor.goto("/")
    # As if a stored value escaped into the page: the policy refuses to run it.
    visitor.page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__injected = true'; document.body.append(s); }""")
    assert visitor.page.evaluate("window.__injected === true") is False
    assert visitor.csp_violations, "the browser reported no CSP violation for the inline script"
    visitor.csp_violations.clear()


def test_the_app_cannot_be_framed_by_another_site(visit, live_server):
    visitor = visit()
    visitor.page.set_content(f'<iframe id="f" src="{live_server.url}/inloggen"></iframe>')
    visitor.page.wait_for_timeout(500)
    frame = visitor.page.frame_locator("#f")
    # Refused: the browser shows its own error page in the frame, nothing of the login form.
    assert frame.locator("#email").count() == 0
    assert frame.locator("input[name=csrf_token]").count() == 0
    visitor.csp_violations.clear()
    visitor.console_errors.clear()


def test_login_gives_a_new_session_cookie_that_scripts_cannot_read(visit, live_server):
    visitor = visit()
    visitor.goto("/inloggen")
    before = {c["name"]: c for c in visitor.context.cookies()}
    visitor.login(ACCOUNTS["vergunningverlener"])
    after = {c["name"]: c for c in visitor.context.cookies()}
    session = after["barrier_session"]
    assert session["httpOnly"] is True
    assert session["sameSite"] == "Lax"
    if "barrier_session" in before:
        assert before["barrier_session"]["value"] != session["value"]
    assert visitor.page.evaluate("document.cookie").find("barrier_session") == -1
