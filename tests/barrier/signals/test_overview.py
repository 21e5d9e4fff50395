"""The regional overview: signals per year, form and gemeente; inspections per gemeente; SVG charts."""

from __future__ import annotations

import re
from datetime import date

import pytest

from barrier.models import Role
from barrier.models.inspections import LocationKind
from barrier.models.signals import ExploitationForm
from barrier.signals.overview import bar_chart_horizontal, column_chart, nice_max
from tests.barrier.inspections.builders import TODAY


def test_the_overview_counts_signals_per_year_form_and_gemeente(world, login_as):
    last_year = TODAY.year - 1
    for _ in range(3):
        world.signal(vorm=ExploitationForm.SEKS, reported_on=date(last_year, 3, 1))
    world.signal(vorm=ExploitationForm.ARBEID, reported_on=date(last_year, 5, 1), gemeente="GM0114")
    world.signal(vorm=ExploitationForm.ARBEID, reported_on=TODAY)
    html = login_as(Role.KETENREGISSEUR).get("/signalen/overzicht").get_data(as_text=True)
    row = re.search(rf"<th scope=\"row\">{last_year}</th><td class=\"num\">(\d+)</td><td class=\"num\">([^<]+)</td>", html)
    assert row and row.group(1) == "4" and row.group(2) == "75%"  # 3 of 4 sexual exploitation
    assert re.search(r"<th scope=\"row\">Emmen</th>(<td class=\"num\">\d+</td>)+<td class=\"num\"><strong>1</strong>",
                     html)
    assert re.search(r"<th scope=\"row\">Assen</th>(<td class=\"num\">\d+</td>)+<td class=\"num\"><strong>4</strong>",
                     html)


def test_every_chart_is_an_svg_with_title_desc_and_a_table_beside_it(login_as, world):
    world.signal(reported_on=TODAY)
    html = login_as(Role.BEHEERDER).get("/signalen/overzicht").get_data(as_text=True)
    charts = re.findall(r"<svg [^>]*role=\"img\"[^>]*aria-labelledby=\"([^\"]+)\"", html)
    assert len(charts) == 4
    for ids in charts:
        title_id, desc_id = ids.split()
        assert f'<title id="{title_id}">' in html and f'<desc id="{desc_id}">' in html
    assert html.count("<table") >= 4
    assert "<script" not in html.split("</head>")[1]  # readable without JavaScript


def test_inspections_violations_and_measures_per_gemeente(world, login_as):
    location = world.location(LocationKind.HUISVESTING_AM)
    inspection = world.inspection(location, days_ago=0, deviations={"INS-WGV-22": "NEE", "INS-WGV-23": "NEE"})
    world.measure(inspection, item_id="INS-WGV-23")
    html = login_as(Role.KETENREGISSEUR).get(f"/signalen/overzicht?jaar={TODAY.year}").get_data(as_text=True)
    assert re.search(r"<th scope=\"row\">Assen</th><td class=\"num\">1</td><td class=\"num\">2</td>"
                     r"<td class=\"num\">1</td>", html)


@pytest.mark.parametrize(("role", "status"), [(Role.KETENREGISSEUR, 200), (Role.BEHEERDER, 200),
                                              (Role.AANDACHTFUNCTIONARIS, 403), (Role.TOEZICHTHOUDER, 403),
                                              (Role.VERGUNNINGVERLENER, 403), (Role.BIBOB_COORDINATOR, 403)])
def test_the_overview_is_for_regional_roles(login_as, role, status):
    assert login_as(role).get("/signalen/overzicht").status_code == status


@pytest.mark.parametrize(("value", "expected"), [(0, (1, 1)), (3, (3, 1)), (34, (40, 10)), (67, (80, 20)),
                                                 (101, (150, 50))])
def test_axis_maximum_and_step_are_round_numbers(value, expected):
    assert nice_max(value) == expected


def test_column_heights_are_proportional_and_stack():
    chart = column_chart(["2022", "2023"], [("a", [20, 40]), ("b", [20, 0])])
    a22, a23, b22, b23 = sorted(chart.bars, key=lambda b: (b.css, b.label))
    assert a22.height == pytest.approx(a23.height / 2)
    assert b22.y + b22.height == pytest.approx(a22.y)  # stacked on top
    assert b23.height == 0
    bars = bar_chart_horizontal([("Assen", [("x", 5)]), ("Emmen", [("x", 10)])]).bars
    assert bars[1].width == pytest.approx(2 * bars[0].width)
