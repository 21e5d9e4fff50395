"""Login and logout, bad credentials, lock-out, rate limiting, CSRF, sessions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from barrier.models import AuditEvent, Role, User
from tests.conftest import TEST_PASSWORD, Browser
from tests.factories import UserFactory


def _events(db, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_login_page_is_dutch_and_labels_every_field(client):
    html = client.get("/inloggen").get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert '<label for="email">E-mailadres</label>' in html
    assert '<label for="password">Wachtwoord</label>' in html


def test_login_then_home_shows_gemeente_and_role(browser, db):
    user = UserFactory(role=Role.TOEZICHTHOUDER, full_name="Fenna Kuipers")
    response = browser.login(user)
    assert response.headers["Location"] == "/"
    home = browser.get("/").get_data(as_text=True)
    assert "Assen" in home and "Toezichthouder" in home and "Fenna Kuipers" in home
    assert _events(db, "auth.logged_in")[-1].actor_id == user.id


def test_logout_ends_the_session(browser, db):
    browser.login(UserFactory())
    response = browser.submit("/uitloggen", form_url="/")
    assert response.status_code == 302
    assert browser.get("/").status_code == 302  # back to the login page
    assert _events(db, "auth.logged_out")


@pytest.mark.parametrize(("email", "password"), [
    ("onbekend@test.demo", TEST_PASSWORD),
    ("known", "verkeerd-wachtwoord"),
])
def test_bad_credentials_get_one_dutch_message_and_are_logged(browser, db, email, password):
    user = UserFactory()
    response = browser.submit("/inloggen", {"email": user.email if email == "known" else email,
                                            "password": password})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Onbekende combinatie van e-mailadres en wachtwoord." in html
    # What the user typed stays in the form (except the password).
    assert (user.email if email == "known" else email) in html
    assert _events(db, "auth.login_failed")


def test_account_locks_after_repeated_failures_even_with_the_right_password(app, browser, db):
    user = UserFactory()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        browser.submit("/inloggen", {"email": user.email, "password": "fout"})
    response = browser.submit("/inloggen", {"email": user.email, "password": TEST_PASSWORD})
    assert "tijdelijk geblokkeerd" in response.get_data(as_text=True)
    assert db.session.get(User, user.id).failed_login_count == app.config["LOGIN_MAX_FAILURES"]
    assert _events(db, "auth.login_refused_locked")


def test_inactive_account_cannot_log_in(browser, db):
    user = UserFactory(is_active_account=False)
    response = browser.submit("/inloggen", {"email": user.email, "password": TEST_PASSWORD})
    assert "niet actief" in response.get_data(as_text=True)


def test_login_attempts_are_rate_limited_per_address(app, browser, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    user = UserFactory()
    responses = [browser.submit("/inloggen", {"email": user.email, "password": "fout"}) for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert "Te veel inlogpogingen vanaf dit adres" in responses[3].get_data(as_text=True)


def test_a_post_without_csrf_token_is_refused_and_logged(client, db):
    user = UserFactory()
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "beveiligingscontrole" in response.get_data(as_text=True)
    assert _events(db, "access.csrf_rejected")


def test_a_tampered_session_cookie_is_treated_as_logged_out(client, browser, db):
    browser.login(UserFactory())
    cookie = client.get_cookie("barrier_session")
    client.set_cookie("barrier_session", cookie.value[:-4] + "AAAA", domain="localhost")
    response = client.get("/")
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]


def test_an_expired_or_missing_session_asks_to_log_in_again_in_dutch(client, db):
    response = client.get("/", follow_redirects=True)
    assert "Log in om deze pagina te openen." in response.get_data(as_text=True)


def test_open_redirects_after_login_are_refused(browser, db):
    user = UserFactory()
    token = browser.token("/inloggen")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = browser.client.post(f"/inloggen?next={target}", headers={"Referer": "https://localhost/inloggen"},
                                       data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token})
        assert response.headers["Location"] == "/", target
        browser.submit("/uitloggen", form_url="/")
        token = browser.token("/inloggen")


def test_login_redirects_to_a_safe_next_page(browser, db):
    user = UserFactory(role=Role.BEHEERDER, gemeente_code=None)
    token = browser.token("/inloggen")
    response = browser.client.post("/inloggen?next=/beheer/auditlog", headers={"Referer": "https://localhost/inloggen"},
                                   data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/beheer/auditlog"


def test_login_starts_a_fresh_session(app, browser, db):
    with browser.client.session_transaction() as session:
        session["planted"] = "by an attacker"
    browser.login(UserFactory())
    with browser.client.session_transaction() as session:
        assert "planted" not in session


def test_a_login_that_cannot_be_recorded_does_not_log_in(browser, db, monkeypatch):
    """The database unavailable at the login's commit: the Dutch 503 page, and no session (found by
    tests/faults: the session cookie used to be issued before the login and its audit were stored)."""
    from sqlalchemy.exc import OperationalError

    user = UserFactory()
    token = browser.token("/inloggen")

    def unavailable():
        raise OperationalError("COMMIT", {}, Exception("database is locked"))

    monkeypatch.setattr(db.session, "commit", unavailable)
    response = browser.client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD,
                                                      "csrf_token": token},
                                   headers={"Referer": "https://localhost/inloggen"})
    monkeypatch.undo()
    assert response.status_code == 503 and "tijdelijk niet bereikbaar" in response.get_data(as_text=True)
    assert browser.get("/").status_code == 302  # still the login page: not logged in
    assert not _events(db, "auth.logged_in")


def test_password_change_logs_out_other_sessions(app, db):
    user = UserFactory()
    first = Browser(app.test_client())
    second = Browser(app.test_client())
    first.login(user)
    second.login(user)
    response = first.submit("/account/wachtwoord", {
        "current_password": TEST_PASSWORD, "new_password": "Nieuw-wachtwoord-99", "confirm": "Nieuw-wachtwoord-99"})
    assert response.status_code == 302
    assert first.get("/").status_code == 200
    assert second.get("/").status_code == 302


def test_password_change_validation_keeps_the_form_and_explains(browser, db):
    browser.login(UserFactory())
    response = browser.submit("/account/wachtwoord", {
        "current_password": "fout", "new_password": "kort", "confirm": "anders"})
    html = response.get_data(as_text=True)
    assert "minstens 12 tekens" in html
    assert "De wachtwoorden zijn niet gelijk." in html


def test_passwords_are_stored_as_argon2id_hashes(app_ctx, db):
    from barrier.auth.services import hash_password

    hashed = hash_password("Een-sterk-wachtwoord-1")
    assert hashed.startswith("$argon2id$")
    assert "Een-sterk-wachtwoord-1" not in hashed
