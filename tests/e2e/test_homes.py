"""Every role logs in through the login page and lands on its own home page."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ACCOUNTS

# (account, what the home page shows that only that role sees, menu items of that role)
HOMES = [
    ("vergunningverlener", "Goedendag, Sanne", ["Aanvragen"]),
    ("bibob", "Goedendag, Pieter", ["Aanvragen"]),
    ("toezichthouder", "Goedendag, Fatima", ["Vergunningen"]),
    ("aandachtfunctionaris", "Goedendag, Ingrid", []),
    ("ketenregisseur", "Goedendag, Mark", []),
    ("beheerder", "Goedendag, Anouk", ["Gebruikers"]),
    ("vergunningverlener_emmen", "Goedendag, Kees", ["Aanvragen"]),
]


def test_the_login_page_is_accessible_and_refuses_a_wrong_password(visit):
    visitor = visit()
    visitor.goto("/")  # redirected to the login page
    assert "/inloggen" in visitor.page.url
    visitor.page.get_by_label("E-mailadres").fill(ACCOUNTS["vergunningverlener"])
    visitor.page.get_by_label("Wachtwoord").fill("niet-het-wachtwoord")
    visitor.click(visitor.page.get_by_role("button", name="Inloggen"))
    assert "/inloggen" in visitor.page.url
    assert visitor.page.get_by_label("E-mailadres").input_value() == ACCOUNTS["vergunningverlener"]
    assert visitor.page.locator(".field__error").count() >= 1


@pytest.mark.parametrize(("account", "greeting", "menu"), HOMES, ids=[h[0] for h in HOMES])
def test_each_role_logs_in_and_sees_its_own_home(visit, account, greeting, menu):
    visitor = visit.as_user(ACCOUNTS[account])
    assert visitor.page.url.rstrip("/").endswith(visitor.server.url.split("//")[1].split("/")[0]) or visitor.page.url.endswith("/")
    assert greeting in visitor.text("h1")
    nav = visitor.text("nav.main-nav")
    for label in menu:
        assert label in nav
    # Every menu item of the role opens without error and passes the audit.
    links = visitor.page.locator("nav.main-nav a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    for href in hrefs:
        visitor.goto(href)
    # Logging out ends the session: the home page asks for a login again.
    visitor.click(visitor.page.get_by_role("button", name="Uitloggen"))
    assert "/inloggen" in visitor.page.url
    visitor.goto("/")
    assert "/inloggen" in visitor.page.url
