"""Dutch date and amount formatting for the explanation lines (no locale dependency)."""

from __future__ import annotations

from datetime import date

WEEKDAYS_SHORT = ("ma", "di", "wo", "do", "vr", "za", "zo")
WEEKDAYS_LONG = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


def format_date(d: date, *, weekday: bool = True) -> str:
    """``di 3 maart 2026`` (or ``3 maart 2026`` without the weekday)."""
    text = f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    return f"{WEEKDAYS_SHORT[d.weekday()]} {text}" if weekday else text


def format_euro(amount: int) -> str:
    """``€ 1.442`` — whole euros with a Dutch thousands separator."""
    return "€ " + f"{amount:,}".replace(",", ".")


def plural(n: int, one: str, many: str) -> str:
    """``1 dag`` / ``3 dagen``."""
    return f"{n} {one if n == 1 else many}"
