"""iCalendar and CSV exports of a plan, parsed back with icalendar and the csv module."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from screening.planning import (
    BibobOutcome,
    Inspector,
    LocationFacts,
    PermitType,
    plan_to_csv,
    plan_to_ical,
    propose_plan,
)
from screening.planning.export import CSV_HEADERS, neutralise_cell, visit_uid

TODAY = date(2025, 3, 28)
MONDAY = date(2025, 3, 31)


def loc(location_id: str, **kwargs) -> LocationFacts:
    values = {
        "location_id": location_id,
        "name": f"Locatie {location_id}",
        "permit_type": PermitType.HUISVESTING_AM,
        "bibob_outcome": BibobOutcome.GEEN,
        "address": f"Kerkstraat {location_id}, 9401 AA Assen",
        "lat": 52.99,
        "lon": 6.56,
        "last_inspection_on": TODAY - timedelta(days=400),
    }
    values.update(kwargs)
    return LocationFacts(**values)


STAFF = [
    Inspector("T1", "Anna de Vries", 5, email="a.devries@assen.nl"),
    Inspector("T2", "Bram Bakker", 5),
]


@pytest.fixture
def plan():
    locations = [
        loc("L1"),
        loc("L2", permit_type=PermitType.SEKSBEDRIJF, name="Club Één"),
        loc("L3", lat=52.78, lon=6.90, address="Hoofdstraat 1; Emmen"),
        loc("L 4/ü", name="Woning met rare id"),
    ]
    return propose_plan(locations, STAFF, MONDAY, 1, today=TODAY)


def events(ical: bytes):
    return [c for c in Calendar.from_ical(ical).walk() if c.name == "VEVENT"]


def test_ical_has_one_event_per_visit_with_dates_and_uids(plan):
    ical = plan_to_ical(plan)
    parsed = events(ical)
    assert len(parsed) == len(plan.visits) == 4
    by_uid = {str(e["UID"]): e for e in parsed}
    assert len(by_uid) == 4
    for visit in plan.visits:
        event = by_uid[visit_uid(plan, visit.location_id)]
        assert event.decoded("DTSTART") == visit.date
        assert event.decoded("DTEND") == visit.date + timedelta(days=1)
        assert str(event["SUMMARY"]) == f"Controle {visit.name}"
        assert str(event["LOCATION"]) == visit.address
        assert visit.reason in str(event["DESCRIPTION"])
    assert Calendar.from_ical(ical)["PRODID"] == "-//Barrier//Inspectieplanning//NL"


def test_ical_attendees_are_the_inspectors(plan):
    club = next(e for e in events(plan_to_ical(plan)) if "Club" in str(e["SUMMARY"]))
    attendees = club["ATTENDEE"]
    assert len(attendees) == 2
    assert [a.params["CN"] for a in attendees] == ["Anna de Vries", "Bram Bakker"]
    assert str(attendees[0]) == "mailto:a.devries@assen.nl"
    assert str(attendees[1]).startswith("urn:barrier:toezichthouder:")
    assert "twee personen" in str(club["DESCRIPTION"])


def test_ical_uids_are_stable_and_safe(plan):
    assert plan_to_ical(plan) == plan_to_ical(plan)
    uids = [str(e["UID"]) for e in events(plan_to_ical(plan, uid_domain="assen.nl"))]
    assert all(u.endswith("@assen.nl") and " " not in u for u in uids)
    odd = visit_uid(plan, "L 4/ü")
    assert odd.startswith("inspectie-20250331-L-4-") and " " not in odd
    assert visit_uid(plan, "L 4/ü") != visit_uid(plan, "L-4")


def test_ical_uid_survives_replanning(plan):
    """Moving a visit to another day keeps its UID, so an agenda updates instead of duplicating."""
    fewer = propose_plan([loc("L3", lat=52.78, lon=6.90)], STAFF, MONDAY, 1, today=TODAY)
    (event,) = events(plan_to_ical(fewer))
    original = next(e for e in events(plan_to_ical(plan)) if "L3" in str(e["SUMMARY"]))
    assert event["UID"] == original["UID"]


def test_ical_dtstamp(plan):
    stamp = datetime(2025, 3, 28, 14, 30, tzinfo=UTC)
    event = events(plan_to_ical(plan, generated_at=stamp))[0]
    assert event.decoded("DTSTAMP") == stamp
    with pytest.raises(ValueError, match="tijdzone"):
        plan_to_ical(plan, generated_at=datetime(2025, 3, 28, 14, 30))  # noqa: DTZ001


def test_empty_plan_gives_a_valid_empty_calendar():
    plan = propose_plan([loc("L1")], [], MONDAY, 1, today=TODAY)
    assert events(plan_to_ical(plan)) == []


def parse_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_csv_round_trip(plan):
    rows = parse_csv(plan_to_csv(plan))
    assert tuple(rows[0]) == CSV_HEADERS
    assert len(rows) == 1 + len(plan.visits)
    body = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert [r["Locatie-id"] for r in body] == [v.location_id for v in plan.visits]
    assert [date.fromisoformat(r["Datum"]) for r in body] == [v.date for v in plan.visits]
    club = next(r for r in body if r["Locatie-id"] == "L2")
    assert club["Naam"] == "Club Één"
    assert club["Toezichthouders"] == "Anna de Vries, Bram Bakker"
    assert int(club["Risicoscore"]) == plan.scores["L2"].final
    emmen = next(r for r in body if r["Locatie-id"] == "L3")
    assert emmen["Adres"] == "Hoofdstraat 1; Emmen"  # separator inside a cell survives quoting
    assert body[0]["Weekdag"] == "maandag"


def test_csv_lists_unplanned_locations():
    plan = propose_plan([loc("L1"), loc("L2")], [Inspector("T1", "Anna", 1)], MONDAY, 1, today=TODAY)
    rows = parse_csv(plan_to_csv(plan))
    statuses = [r[0] for r in rows[1:]]
    assert statuses == ["Gepland", "Niet ingepland"]
    assert rows[2][CSV_HEADERS.index("Reden")] == "onvoldoende capaciteit"
    assert rows[2][CSV_HEADERS.index("Datum")] == ""
    assert len(parse_csv(plan_to_csv(plan, include_unplanned=False))) == 2


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x")', "+31 6 1234", "-2+3", "@SUM(A1)", "\tx"])
def test_csv_neutralises_formula_injection(payload):
    plan = propose_plan([loc("L1", name=payload, address=payload)], STAFF[:1], MONDAY, 1, today=TODAY)
    (header, row) = parse_csv(plan_to_csv(plan))
    assert row[header.index("Naam")] == "'" + payload
    assert row[header.index("Adres")] == "'" + payload
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_neutralise_cell_leaves_normal_text_alone():
    assert neutralise_cell("Kerkstraat 1") == "Kerkstraat 1"
    assert neutralise_cell("") == ""


def test_csv_bom_for_excel(plan):
    text = plan_to_csv(plan, bom=True)
    assert text.startswith("\ufeffStatus;")
    assert parse_csv(text.encode("utf-8").decode("utf-8-sig"))[0][0] == "Status"
