"""Explainable location risk score: every factor moves the score exactly as the weights define."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from screening.planning import (
    DEFAULT_WEIGHTS,
    BibobOutcome,
    LocationFacts,
    PermitType,
    PriorityOverride,
    RiskWeights,
    score_location,
)

TODAY = date(2025, 6, 2)


def base(**kwargs) -> LocationFacts:
    """A calm Wgv location: permit, no Bibob danger, inspected 10 days ago -> only the type counts (6)."""
    values = {
        "location_id": "L1",
        "name": "Woning",
        "permit_type": PermitType.HUISVESTING_AM,
        "bibob_outcome": BibobOutcome.GEEN,
        "last_inspection_on": TODAY - timedelta(days=10),
    }
    values.update(kwargs)
    return LocationFacts(**values)


def points(facts: LocationFacts, code: str) -> int:
    return score_location(facts, today=TODAY).factor(code).points


def total(facts: LocationFacts) -> int:
    return score_location(facts, today=TODAY).total


def test_calm_location_scores_only_its_type():
    score = score_location(base(), today=TODAY)
    assert score.total == score.final == 6
    assert score.priority_override is None
    assert score.band == "Laag"
    assert [f.code for f in score.factors] == [
        "VERGUNNINGTYPE", "BIBOB", "REGISTERTREFFERS", "BEVINDINGEN", "HANDHAVING", "SIGNALEN", "INTERVAL",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (BibobOutcome.GEEN, 0),
        (BibobOutcome.NIET_ONDERZOCHT, 5),
        (BibobOutcome.MINDERE_MATE, 15),
        (BibobOutcome.ERNSTIG, 30),
    ],
)
def test_bibob_outcome(outcome, expected):
    facts = base(bibob_outcome=outcome)
    assert points(facts, "BIBOB") == expected
    assert total(facts) == 6 + expected
    assert score_location(facts, today=TODAY).factor("BIBOB").value == outcome.label


@pytest.mark.parametrize(("hits", "expected"), [(0, 0), (1, 8), (2, 16), (5, 16)])
def test_register_hits_capped(hits, expected):
    assert points(base(confirmed_register_hits=hits), "REGISTERTREFFERS") == expected


@pytest.mark.parametrize(("violations", "expected"), [(1, 5), (2, 10), (3, 15), (9, 15)])
def test_earlier_findings(violations, expected):
    assert total(base(recent_violations=violations)) == 6 + expected


@pytest.mark.parametrize(("measures", "expected"), [(1, 7), (2, 14), (4, 14)])
def test_open_enforcement(measures, expected):
    assert points(base(open_enforcement_measures=measures), "HANDHAVING") == expected


@pytest.mark.parametrize(("weights", "expected"), [((1,), 3), ((3,), 9), ((2, 2), 12), ((3, 3, 3), 21)])
def test_open_signals_count_by_weight(weights, expected):
    facts = base(open_signal_weights=weights)
    assert points(facts, "SIGNALEN") == expected
    assert f"totaalgewicht {sum(weights)}" in score_location(facts, today=TODAY).factor("SIGNALEN").value


@pytest.mark.parametrize(
    ("occupancy", "permitted", "expected"),
    [(8, 10, 0), (10, 10, 0), (12, 10, 9), (15, 10, 15), (40, 10, 15), (1, 0, 15)],
)
def test_occupancy_over_permitted(occupancy, permitted, expected):
    facts = base(occupancy=occupancy, permitted_occupancy=permitted)
    assert points(facts, "BEZETTING") == expected


def test_occupancy_factor_absent_without_numbers():
    with pytest.raises(KeyError):
        score_location(base(occupancy=12), today=TODAY).factor("BEZETTING")


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [(0, 0), (182, 0), (274, 8), (365, 15), (800, 15)],  # Wgv interval 365: ramp from 50 % to 100 %
)
def test_time_since_last_inspection(days_ago, expected):
    assert points(base(last_inspection_on=TODAY - timedelta(days=days_ago)), "INTERVAL") == expected


def test_never_inspected_counts_full_interval_points():
    score = score_location(base(last_inspection_on=None), today=TODAY)
    assert score.factor("INTERVAL").points == 15
    assert score.factor("INTERVAL").value == "nooit gecontroleerd"


def test_custom_max_interval_is_used():
    facts = base(last_inspection_on=TODAY - timedelta(days=30), max_interval_days=30)
    assert points(facts, "INTERVAL") == 15
    assert facts.due_on == TODAY


def test_permit_type():
    assert points(base(permit_type=PermitType.SEKSBEDRIJF), "VERGUNNINGTYPE") == 10
    assert points(base(permit_type=PermitType.OVERIG), "VERGUNNINGTYPE") == 2


def test_location_without_permit_is_high_risk():
    facts = base(has_permit=False, last_inspection_on=None, permit_type=PermitType.SEKSBEDRIJF)
    score = score_location(facts, today=TODAY)
    assert score.factor("GEEN_VERGUNNING").points == 40
    with pytest.raises(KeyError):
        score.factor("BIBOB")  # no permit holder to screen
    assert score.total == 40 + 10 + 15
    assert score.band == "Hoog"
    assert facts.interval_days == 42


def test_total_is_capped_at_100():
    facts = base(
        bibob_outcome=BibobOutcome.ERNSTIG,
        confirmed_register_hits=3,
        recent_violations=4,
        open_enforcement_measures=2,
        open_signal_weights=(3, 3, 3),
        occupancy=30,
        permitted_occupancy=10,
        last_inspection_on=None,
    )
    score = score_location(facts, today=TODAY)
    assert sum(f.points for f in score.factors) > 100
    assert score.total == 100


def test_manual_raise_is_applied_on_top_and_kept_visible():
    facts = base(override=PriorityOverride(25, "Melding buurtbewoners", set_by="t.devries"))
    score = score_location(facts, today=TODAY)
    assert score.total == 6
    assert score.final == 31
    assert score.priority_override == 25
    assert score.override_reason == "Melding buurtbewoners"


def test_manual_lower_is_clamped_at_zero():
    score = score_location(base(override=PriorityOverride(-20, "Pand gesloten sinds mei")), today=TODAY)
    assert (score.total, score.final) == (6, 0)


def test_final_is_clamped_at_100():
    facts = base(has_permit=False, last_inspection_on=None, recent_violations=9, override=PriorityOverride(50, "x"))
    assert score_location(facts, today=TODAY).final == 100


@pytest.mark.parametrize(("points_", "reason"), [(10, ""), (10, "  "), (51, "te veel"), (-51, "te weinig")])
def test_override_needs_a_reason_and_bounds(points_, reason):
    with pytest.raises(ValueError, match="aanpassing"):
        PriorityOverride(points_, reason)


def test_weights_are_one_data_structure_that_callers_can_replace():
    heavier = replace(DEFAULT_WEIGHTS, register_hit=20, register_hit_cap=40)
    assert isinstance(heavier, RiskWeights)
    score = score_location(base(confirmed_register_hits=2), today=TODAY, weights=heavier)
    assert score.factor("REGISTERTREFFERS").points == 40
    assert score.factor("REGISTERTREFFERS").weight == 20


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"recent_violations": -1}, "negatief"),
        ({"open_signal_weights": (4,)}, "signaalgewichten"),
        ({"lat": 52.9}, "breedte- als lengtegraad"),
        ({"lat": 95.0, "lon": 6.5}, "coördinaten"),
        ({"postcode4": "0940"}, "postcode4"),
        ({"max_interval_days": 0}, "interval"),
        ({"location_id": ""}, "id"),
    ],
)
def test_invalid_facts_are_rejected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        base(**kwargs)


def test_same_facts_same_score():
    assert score_location(base(recent_violations=2), today=TODAY) == score_location(
        base(recent_violations=2), today=TODAY
    )
