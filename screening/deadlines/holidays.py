"""Algemene termijnenwet (Atw) rest days: weekends, holidays of art. 3 and KB-gelijkgestelde dagen.

Rules (domain.md §10.E):

* Atw art. 3 lid 1: Nieuwjaarsdag, Christelijke tweede Paas- en Pinksterdag, beide Kerstdagen,
  Hemelvaartsdag, the day the King's birthday is celebrated, and 5 mei *every* year.
* Atw art. 3 lid 2: Goede Vrijdag is gelijkgesteld.
* Atw art. 3 lid 3: further days are gelijkgesteld by Koninklijk Besluit, about every three years.
  They are *data* (``kb_gelijkgestelde_dagen.yaml``), not code: a beheerder adds the next decree.
* Koningsdag is 27 April, or 26 April when the 27th is a Sunday (2025, 2031, 2036). Before 2014
  Koninginnedag was 30 April, or 29 April when the 30th was a Sunday.
* Easter is computed with the anonymous Gregorian algorithm (Meeus/Jones/Butcher); Goede Vrijdag
  is Easter − 2, Tweede Paasdag Easter + 1, Hemelvaartsdag Easter + 39, Tweede Pinksterdag
  Easter + 50. Eerste Paas- and Pinksterdag are Sundays anyway and are not listed separately.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from typing import Any

import yaml

from screening.deadlines.errors import DeadlineError

ATW_ART_3_SOURCE = "Atw art. 3"


@dataclass(frozen=True, slots=True)
class KbDay:
    """One day gelijkgesteld with an algemeen erkende feestdag by Koninklijk Besluit (Atw art. 3 lid 3)."""

    on: date
    description: str
    source: str


@dataclass(frozen=True, slots=True)
class KbTable:
    """The KB-gelijkgestelde dagen and the years the decrees cover.

    A year outside ``covered_years`` has no decree in the table yet: the engine warns when a
    deadline ends in such a year, because a Friday after Hemelvaart might still be missing.
    """

    days: tuple[KbDay, ...] = ()
    covered_years: frozenset[int] = field(default_factory=frozenset)

    def dates(self) -> frozenset[date]:
        return frozenset(day.on for day in self.days)

    def covers(self, year: int) -> bool:
        return year in self.covered_years

    def extended(self, rows: Iterable[Mapping[str, Any]], *, years: tuple[int, int], source: str) -> KbTable:
        """Return a copy with a further decree added (what a beheerder does every three years)."""
        extra = parse_kb_table({"periods": [{"years": list(years), "source": source, "days": list(rows)}]})
        return KbTable(
            days=tuple(sorted(self.days + extra.days, key=lambda d: d.on)),
            covered_years=self.covered_years | extra.covered_years,
        )


def parse_kb_table(data: Mapping[str, Any]) -> KbTable:
    """Build a :class:`KbTable` from the YAML structure (``periods: [{years, source, days}]``).

    Raises :class:`DeadlineError` with a Dutch message on malformed data, so a beheerder who
    edits the table gets told what is wrong.
    """
    periods = data.get("periods") if isinstance(data, Mapping) else None
    if not isinstance(periods, list):
        raise DeadlineError("De KB-tabel mist de lijst 'periods'.", field="kb_gelijkgestelde_dagen")
    days: list[KbDay] = []
    covered: set[int] = set()
    for i, period in enumerate(periods):
        where = f"kb_gelijkgestelde_dagen.periods[{i}]"
        try:
            first, last = (int(y) for y in period["years"])
            source = str(period["source"])
            rows = period.get("days") or []
        except (KeyError, TypeError, ValueError) as exc:
            raise DeadlineError(
                "Elk blok in de KB-tabel heeft 'years: [eerste, laatste]', 'source' en 'days' nodig.",
                field=where,
            ) from exc
        if last < first:
            raise DeadlineError("Het laatste jaar ligt vóór het eerste jaar.", field=f"{where}.years")
        covered.update(range(first, last + 1))
        for j, row in enumerate(rows):
            on = row.get("date") if isinstance(row, Mapping) else None
            if isinstance(on, str):
                try:
                    on = date.fromisoformat(on)
                except ValueError:
                    on = None
            if not isinstance(on, date):
                raise DeadlineError("Ongeldige datum in de KB-tabel (verwacht JJJJ-MM-DD).", field=f"{where}.days[{j}]")
            if not first <= on.year <= last:
                raise DeadlineError(
                    f"De datum {on.isoformat()} valt buiten de jaren {first}–{last} van dit besluit.",
                    field=f"{where}.days[{j}]",
                )
            days.append(KbDay(on=on, description=str(row.get("description") or "gelijkgestelde dag"), source=source))
    return KbTable(days=tuple(sorted(days, key=lambda d: d.on)), covered_years=frozenset(covered))


@functools.cache
def default_kb_table() -> KbTable:
    """The KB-gelijkgestelde dagen shipped with Barrier (2023–2028, domain.md §10.E.22)."""
    text = resources.files("screening.deadlines").joinpath("kb_gelijkgestelde_dagen.yaml").read_text("utf-8")
    return parse_kb_table(yaml.safe_load(text))


def easter_sunday(year: int) -> date:
    """Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def kings_day(year: int) -> date:
    """The day the King's (Queen's) birthday is celebrated (Atw art. 3 lid 1).

    Koningsdag (from 2014): 27 April, or 26 April when the 27th is a Sunday.
    Koninginnedag (1949–2013): 30 April, or 29 April when the 30th is a Sunday.
    """
    if year >= 2014:
        day = date(year, 4, 27)
        return day - timedelta(days=1) if day.weekday() == 6 else day
    day = date(year, 4, 30)
    return day - timedelta(days=1) if day.weekday() == 6 else day


def atw_holidays(year: int, kb_table: KbTable | None = None) -> dict[date, str]:
    """All Atw holidays of *year* (art. 3 lid 1 and 2, plus KB days of lid 3), date -> Dutch name.

    Weekend dates are included when a holiday falls on them (e.g. Tweede Kerstdag on a Saturday).
    """
    kb = default_kb_table() if kb_table is None else kb_table
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1): "Nieuwjaarsdag",
        easter - timedelta(days=2): "Goede Vrijdag",
        easter + timedelta(days=1): "Tweede Paasdag",
        kings_day(year): "Koningsdag" if year >= 2014 else "Koninginnedag",
        date(year, 5, 5): "Bevrijdingsdag (5 mei)",
        easter + timedelta(days=39): "Hemelvaartsdag",
        easter + timedelta(days=50): "Tweede Pinksterdag",
        date(year, 12, 25): "Eerste Kerstdag",
        date(year, 12, 26): "Tweede Kerstdag",
    }
    for kb_day in kb.days:
        if kb_day.on.year == year:
            days.setdefault(kb_day.on, f"gelijkgesteld bij KB ({kb_day.description})")
    return dict(sorted(days.items()))


@functools.lru_cache(maxsize=256)
def _holidays_cached(year: int, kb_table: KbTable) -> dict[date, str]:
    return atw_holidays(year, kb_table)


def rest_day_name(d: date, kb_table: KbTable | None = None) -> str | None:
    """Why *d* is not an Atw working day ("zaterdag", "Tweede Paasdag", ...), or ``None`` if it is one."""
    kb = default_kb_table() if kb_table is None else kb_table
    holiday = _holidays_cached(d.year, kb).get(d)
    if holiday:
        return holiday
    if d.weekday() == 5:
        return "zaterdag"
    if d.weekday() == 6:
        return "zondag"
    return None


def is_rest_day(d: date, kb_table: KbTable | None = None) -> bool:
    """Saturday, Sunday, Atw holiday or KB-gelijkgestelde dag (Atw art. 1 lid 1, art. 3)."""
    return rest_day_name(d, kb_table) is not None


def next_working_day(d: date, kb_table: KbTable | None = None) -> date:
    """The first day on or after *d* that is not an Atw rest day (Atw art. 1 lid 1: 'tot en met')."""
    while is_rest_day(d, kb_table):
        d += timedelta(days=1)
    return d


def previous_working_day(d: date, kb_table: KbTable | None = None) -> date:
    """The last day on or before *d* that is not an Atw rest day (where the Atw does not apply)."""
    while is_rest_day(d, kb_table):
        d -= timedelta(days=1)
    return d
