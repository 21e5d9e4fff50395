"""The regional overview: signals per year, form of exploitation and gemeente; inspections per gemeente.

Counts come from SQL (GROUP BY); the charts are laid out here as plain numbers (bar positions and
axis ticks) so the templates only draw them as SVG, readable without JavaScript, with the same
figures in a table beside each chart (like the table of meldingen per year in the Beleidsplan
'Drenthe tegen mensenhandel' §2.2).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import extract, func, select

from barrier.db import db
from barrier.models.inspections import EnforcementMeasure, Inspection, InspectionStatus
from barrier.models.region import Gemeente
from barrier.models.signals import ExploitationForm, Signal

#: Years shown when there are no signals yet.
DEFAULT_YEARS = 5


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    css: str = "chart__bar"


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    categories: tuple[Tick, ...]
    plot_left: float
    plot_top: float
    plot_right: float
    plot_bottom: float
    horizontal: bool = False


def nice_max(value: int) -> tuple[int, int]:
    """An axis maximum at or above *value* and its tick step (1, 2, 5 x 10^n)."""
    if value <= 0:
        return 1, 1
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return int(math.ceil(value / step) * step), int(step)


def column_chart(categories: list[str], series: list[tuple[str, list[int]]], *, width: int = 640,
                 height: int = 280) -> Chart:
    """Vertical columns, stacked when there is more than one series (css class per series)."""
    left, top, right, bottom = 44.0, 12.0, width - 8.0, height - 28.0
    totals = [sum(values[i] for _name, values in series) for i in range(len(categories))]
    top_value, step = nice_max(max(totals, default=0))
    plot_h = bottom - top
    slot = (right - left) / max(1, len(categories))
    bar_w = slot * 0.6
    bars: list[Bar] = []
    for i, category in enumerate(categories):
        y = bottom
        for css, values in series:
            value = values[i]
            h = plot_h * value / top_value
            y -= h
            bars.append(Bar(left + slot * i + (slot - bar_w) / 2, y, bar_w, h, category, value, css))
    ticks = tuple(Tick(bottom - plot_h * v / top_value, str(v)) for v in range(0, top_value + 1, step))
    cats = tuple(Tick(left + slot * i + slot / 2, c) for i, c in enumerate(categories))
    return Chart(width, height, tuple(bars), ticks, cats, left, top, right, bottom)


def bar_chart_horizontal(rows: list[tuple[str, list[tuple[str, int]]]], *, width: int = 640,
                         row_height: int | None = None) -> Chart:
    """Horizontal grouped bars: one row per category (gemeente), one bar per measure in the row."""
    left, top, right = 130.0, 8.0, width - 40.0
    per_row = max((len(values) for _label, values in rows), default=1)
    row_height = row_height or max(24, 12 * per_row + 8)  # room for a value label next to every bar
    height = int(top + row_height * max(1, len(rows)) + 26)
    bottom = height - 22.0
    top_value, step = nice_max(max((v for _label, values in rows for _name, v in values), default=0))
    plot_w = right - left
    bar_h = (row_height - 6) / per_row
    bars: list[Bar] = []
    for r, (label, values) in enumerate(rows):
        for k, (css, value) in enumerate(values):
            bars.append(Bar(left, top + r * row_height + 3 + k * bar_h, plot_w * value / top_value, bar_h - 1,
                            label, value, css))
    ticks = tuple(Tick(left + plot_w * v / top_value, str(v)) for v in range(0, top_value + 1, step))
    cats = tuple(Tick(top + r * row_height + row_height / 2, label) for r, (label, _v) in enumerate(rows))
    return Chart(width, height, tuple(bars), ticks, cats, left, top, right, bottom, horizontal=True)


@dataclass(frozen=True)
class Overview:
    years: tuple[int, ...]
    per_year: dict[int, int]
    per_form_year: dict[ExploitationForm, dict[int, int]]
    per_gemeente_year: list[tuple[Gemeente, dict[int, int], int]]
    year: int
    inspections: list[tuple[Gemeente, int, int, int]]  # gemeente, inspections done, violations, measures
    year_chart: Chart
    form_chart: Chart
    gemeente_chart: Chart
    inspection_chart: Chart

    @property
    def year_desc(self) -> str:
        return ", ".join(f"{y}: {self.per_year.get(y, 0)}" for y in self.years)

    def sex_share(self, year: int) -> int | None:
        total = self.per_year.get(year, 0)
        if not total:
            return None
        return round(100 * self.per_form_year[ExploitationForm.SEKS].get(year, 0) / total)


def build_overview(*, year: int | None, today: date) -> Overview:
    """All figures of the regional overview (regional roles only: counts, no personal data)."""
    signal_year = extract("year", Signal.reported_on)
    rows = db.session.execute(
        select(signal_year, Signal.vorm, Signal.gemeente_id, func.count()).group_by(
            signal_year, Signal.vorm, Signal.gemeente_id)).all()
    per_year: dict[int, int] = defaultdict(int)
    per_form_year: dict[ExploitationForm, dict[int, int]] = {f: defaultdict(int) for f in ExploitationForm}
    per_gemeente: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for y, vorm, gemeente_id, count in rows:
        y = int(y)
        per_year[y] += count
        per_form_year[ExploitationForm(vorm)][y] += count
        per_gemeente[gemeente_id][y] += count
    first = min(per_year, default=today.year - DEFAULT_YEARS + 1)
    years = tuple(range(min(first, today.year), today.year + 1))
    gemeenten = db.session.scalars(select(Gemeente).order_by(Gemeente.name)).all()
    per_gemeente_year = [(g, dict(per_gemeente.get(g.id, {})), sum(per_gemeente.get(g.id, {}).values()))
                         for g in gemeenten]
    chosen = year if year in years else today.year
    done = dict(db.session.execute(
        select(Inspection.gemeente_id, func.count()).where(
            Inspection.status == InspectionStatus.AFGEROND,
            extract("year", Inspection.inspected_on) == chosen).group_by(Inspection.gemeente_id)).all())
    violations = dict(db.session.execute(
        select(Inspection.gemeente_id, func.coalesce(func.sum(Inspection.violation_count), 0)).where(
            Inspection.status == InspectionStatus.AFGEROND,
            extract("year", Inspection.inspected_on) == chosen).group_by(Inspection.gemeente_id)).all())
    measures = dict(db.session.execute(
        select(EnforcementMeasure.gemeente_id, func.count()).where(
            extract("year", EnforcementMeasure.issued_on) == chosen).group_by(EnforcementMeasure.gemeente_id)).all())
    inspections = [(g, int(done.get(g.id, 0)), int(violations.get(g.id, 0)), int(measures.get(g.id, 0)))
                   for g in gemeenten]
    year_labels = [str(y) for y in years]
    year_chart = column_chart(year_labels, [("chart__bar", [per_year.get(y, 0) for y in years])])
    form_chart = column_chart(year_labels, [(f"chart__bar chart__bar--{f.value}", [per_form_year[f].get(y, 0)
                                                                                   for y in years])
                                            for f in ExploitationForm])
    gemeente_chart = bar_chart_horizontal(
        [(g.name, [("chart__bar", counts.get(chosen, 0))]) for g, counts, _total in per_gemeente_year])
    inspection_chart = bar_chart_horizontal(
        [(g.name, [("chart__bar chart__bar--controles", n), ("chart__bar chart__bar--overtredingen", v),
                   ("chart__bar chart__bar--maatregelen", m)]) for g, n, v, m in inspections])
    return Overview(years, dict(per_year), {f: dict(v) for f, v in per_form_year.items()}, per_gemeente_year,
                    chosen, inspections, year_chart, form_chart, gemeente_chart, inspection_chart)
