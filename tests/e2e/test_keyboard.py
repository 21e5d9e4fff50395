"""Keyboard only: log in and take in the first steps of an application with Tab, Space, Enter and
typing, never the mouse; every element that takes focus shows a visible focus indicator (WCAG 2.4.7)."""

from __future__ import annotations

import re

from tests.e2e.conftest import ACCOUNTS, DEMO_PASSWORD, Visit

FOCUS_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const rect = el.getBoundingClientRect();
  return {id: el.id, name: el.getAttribute('name'), tag: el.tagName, type: el.type || '',
          text: (el.innerText || el.value || '').trim().slice(0, 60),
          visible: rect.width > 0 && rect.height > 0, indicator: outline || shadow};
}"""


def tab_to(visitor: Visit, matches, *, limit: int = 60) -> dict:
    """Press Tab until the focused element matches; every stop on the way must show its focus."""
    for _ in range(limit):
        visitor.page.keyboard.press("Tab")
        focused = visitor.page.evaluate(FOCUS_STYLE)
        if focused is None:
            continue
        assert focused["visible"] and focused["indicator"], f"no visible focus on {focused}"
        if matches(focused):
            return focused
    raise AssertionError("the element was not reached with Tab")


def by_id(field_id: str):
    return lambda focused: focused["id"] == field_id


def by_text(text: str):
    return lambda focused: focused["tag"] in ("BUTTON", "A", "INPUT") and focused["text"] == text


def type_date(visitor: Visit, field_id: str, iso: str) -> None:
    """Type a date into a focused date field segment by segment. The segments' order follows the
    browser's own language (headless Chromium: month first), so probe it once, then type for real."""
    visitor.page.keyboard.type("01022000")
    month_first = visitor.page.locator(f"#{field_id}").input_value() == "2000-01-02"
    visitor.page.keyboard.press("Shift+Tab")
    visitor.page.keyboard.press("Shift+Tab")
    year, month, day = iso.split("-")
    visitor.page.keyboard.type(f"{month}{day}{year}" if month_first else f"{day}{month}{year}")
    assert visitor.page.locator(f"#{field_id}").input_value() == iso


def test_logging_in_and_taking_in_an_application_with_the_keyboard_only(visit):
    visitor = visit()
    visitor.goto("/inloggen")
    # The login page starts in the e-mail field (autofocus), with a visible focus indicator.
    focused = visitor.page.evaluate(FOCUS_STYLE)
    assert focused["id"] == "email" and focused["indicator"], focused
    visitor.page.keyboard.type(ACCOUNTS["vergunningverlener"])
    tab_to(visitor, by_id("password"))
    visitor.page.keyboard.type(DEMO_PASSWORD)
    visitor.press("Enter")
    assert "Goedendag" in visitor.text("h1")
    # On every page the first Tab reaches the skip link, which then becomes visible.
    first = tab_to(visitor, lambda focused: True)
    assert first["text"] == "Naar de inhoud", first

    visitor.goto("/aanvragen/nieuw")
    # Step 1: the first permit type with Space, its sub-type by typing its first letters (type-ahead).
    tab_to(visitor, by_id("permit_type-0"))
    visitor.page.keyboard.press("Space")
    assert visitor.page.locator("#permit_type-0").is_checked()
    tab_to(visitor, by_id("sub_type"))
    visitor.page.keyboard.type("Club")
    assert visitor.page.locator("#sub_type").input_value() == "club"
    tab_to(visitor, by_id("trade_name"))
    visitor.page.keyboard.type("Club Toetsenbord")
    tab_to(visitor, by_text("Concept aanmaken en verder"))
    visitor.press("Enter")
    assert "/stap/aanvrager" in visitor.page.url, visitor.text()[:300]
    application_id = int(re.search(r"/aanvragen/(\d+)/", visitor.page.url).group(1))

    # Step 2: a person as applicant (the radio group's default; Tab enters the group on it).
    tab_to(visitor, by_id("kind-0"))
    visitor.page.keyboard.press("Space")
    # A date field takes its digits segment by segment (dd-mm-jjjj in the nl-NL locale).
    for field_id, value in (("given_names", "Toos"), ("surname", "Toetsenbord")):
        tab_to(visitor, by_id(field_id))
        visitor.page.keyboard.type(value)
    tab_to(visitor, by_id("birth_date"))
    type_date(visitor, "birth_date", "1980-05-17")
    tab_to(visitor, by_text("Bewaren en verder"))
    visitor.press("Enter")
    assert "/stap/betrokkenen" in visitor.page.url, visitor.text()[:600]

    # Step 3 is left with the button "Klaar met betrokkenen, verder"; step 4 is a whole address.
    tab_to(visitor, by_text("Klaar met betrokkenen, verder"))
    visitor.press("Enter")
    assert "/stap/locatie" in visitor.page.url
    for field_id, value in (("address-street", "Kloosterstraat"), ("address-house_number", "21"),
                            ("address-postcode", "9401 KD"), ("address-city", "Assen")):
        tab_to(visitor, by_id(field_id))
        visitor.page.keyboard.type(value)
    tab_to(visitor, by_text("Bewaren en verder"))
    visitor.press("Enter")
    assert "/stap/gegevens" in visitor.page.url, visitor.text()[:600]
    assert visitor.server.scalar(
        "SELECT count(*) FROM application_parties WHERE application_id = :id", id=application_id) == 1
