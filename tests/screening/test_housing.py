"""Tests for screening.housing: SNF housing norms (domain.md §2.7) and municipal policy numbers (§2.8)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.housing import (
    DEFAULT_NORMS,
    DEFAULT_THRESHOLDS,
    Bedroom,
    HousingInput,
    NormStatus,
    Verblijfsvorm,
    Verdict,
    check_housing,
)


def house(**changes):
    """Six persons in a regular house that meets every default norm exactly or comfortably."""
    values = {
        "persons": 6,
        "floor_area_m2": 80,
        "verblijfsvorm": "a",
        "bedrooms": (Bedroom(10, 2, "Voorkamer"), Bedroom(7, 2), Bedroom(8, 2)),
        "toilets": 1,
        "showers": 1,
    }
    values.update(changes)
    return HousingInput(**values)


def by_id(result, norm_id, subject=None):
    matches = [n for n in result.norms if n.id == norm_id and (subject is None or n.subject == subject)]
    assert len(matches) == 1, (norm_id, subject, result.norms)
    return matches[0]


def enabled(*norm_ids, **values):
    return DEFAULT_NORMS.with_overrides({norm_id: {"enabled": True, **values} for norm_id in norm_ids})


# --- a passing dwelling -----------------------------------------------------------------------------------------


def test_passing_regular_house():
    result = check_housing(house())
    assert result.verdict is Verdict.VOLDOET and result.passes
    assert result.failed == ()
    assert {n.id for n in result.norms} == {"SNF-1.2", "SNF-1.3b", "SNF-1.4.1", "SNF-1.4.2", "SNF-2.1", "SNF-2.2"}
    assert result.max_persons == 6
    assert set(result.limited_by) == {"SNF-1.3b", "SNF-1.4.1", "SNF-1.4.2"}
    assert result.summary[0] == "Voldoet aan de huisvestingsnormen."
    assert "Maximaal 6 personen" in result.summary[-1]


def test_every_result_carries_id_description_values_and_source():
    for norm in check_housing(house()).norms:
        assert norm.id and norm.description and norm.source and norm.message
        assert norm.status is NormStatus.VOLDOET and norm.passes
    gbo = by_id(check_housing(house()), "SNF-1.3b")
    assert gbo.required == "≥ 72 m² (12 m² × 6 personen)"
    assert gbo.actual == "80 m²"
    assert (gbo.required_value, gbo.actual_value) == (72.0, 80.0)
    assert gbo.source == "SNF-normering huisvesting arbeidsmigranten, norm 1.3b [W18]"


# --- SNF-1.2 and SNF-1.3: verblijfsvorm and GBO per person -------------------------------------------------------


@pytest.mark.parametrize(("form", "norm_id", "per_person"), [
    ("a", "SNF-1.3b", 12), ("c", "SNF-1.3b", 12), ("d_wonen", "SNF-1.3b", 12),
    ("b", "SNF-1.3a", 10), ("e", "SNF-1.3a", 10), ("d_logies", "SNF-1.3a", 10),
])
def test_snf_1_3_threshold_follows_the_verblijfsvorm(form, norm_id, per_person):
    result = check_housing(house(verblijfsvorm=form, floor_area_m2=per_person * 6))
    assert by_id(result, norm_id).passes
    result = check_housing(house(verblijfsvorm=form, floor_area_m2=per_person * 6 - 0.5))
    failed = by_id(result, norm_id)
    assert not failed.passes and failed.status is NormStatus.VOLDOET_NIET
    assert result.verdict is Verdict.VOLDOET_NIET


def test_snf_1_3_60_m2_for_6_persons_passes_in_a_hotel_not_in_a_house():
    assert check_housing(house(verblijfsvorm="b", floor_area_m2=60)).passes
    result = check_housing(house(verblijfsvorm="a", floor_area_m2=60))
    assert not result.passes
    assert by_id(result, "SNF-1.3b").message == "GBO 60 m² voor 6 personen: 10 m² per persoon, norm 12 m²."


def test_verblijfsvorm_accepts_the_enum_and_loose_text():
    assert by_id(check_housing(house(verblijfsvorm=Verblijfsvorm.HOTEL_PENSION)), "SNF-1.2").passes
    assert by_id(check_housing(house(verblijfsvorm=" D-Logies ")), "SNF-1.2").passes


def test_woonunits_without_bestemming_uses_the_strictest_norm():
    result = check_housing(house(verblijfsvorm="d", floor_area_m2=66))
    form = by_id(result, "SNF-1.2")
    assert not form.passes and form.status is NormStatus.NIET_TE_BEOORDELEN
    assert "logies of wonen" in form.message and form.field == "verblijfsvorm"
    assert not by_id(result, "SNF-1.3b").passes  # 66 < 72: judged with 12 m²
    assert result.max_persons == 5
    assert any("strengste norm" in line for line in result.summary)


@pytest.mark.parametrize("value", [None, "", "f", 3])
def test_unknown_or_missing_verblijfsvorm_is_a_failed_norm(value):
    result = check_housing(house(verblijfsvorm=value))
    form = by_id(result, "SNF-1.2")
    assert not form.passes
    assert "SNF-1.2" in form.message
    assert result.verdict is Verdict.ONVOLLEDIG


# --- SNF-1.4: bedrooms and beds ----------------------------------------------------------------------------------


def test_snf_1_4_1_bedroom_area_per_person_per_room():
    result = check_housing(house(bedrooms=(Bedroom(10, 2, "Voorkamer"), Bedroom(6.9, 2), Bedroom(8, 2))))
    small = by_id(result, "SNF-1.4.1", "Slaapkamer 2")
    assert not small.passes
    assert small.required == "≥ 7 m² (3,5 m² × 2 personen)" and small.actual == "6,9 m²"
    assert by_id(result, "SNF-1.4.1", "Voorkamer").passes
    assert result.verdict is Verdict.VOLDOET_NIET
    assert any("SNF-1.4.1 (Slaapkamer 2)" in line for line in result.summary)


def test_snf_1_4_1_exact_boundary_without_float_error():
    result = check_housing(house(persons=3, floor_area_m2=40, bedrooms=(Bedroom(10.5, 3),)))
    assert by_id(result, "SNF-1.4.1").passes
    assert result.max_persons == 3


def test_snf_1_4_1_dutch_decimal_strings():
    result = check_housing(house(bedrooms=(Bedroom("7,0", "2"), Bedroom("7.0 m²", 2), Bedroom("1.007,5", 2))))
    assert all(n.passes for n in result.norms if n.id == "SNF-1.4.1")


def test_snf_1_4_1_empty_bedroom_passes():
    result = check_housing(house(bedrooms=(Bedroom(10, 2), Bedroom(7, 2), Bedroom(8, 2), Bedroom(5, 0))))
    assert by_id(result, "SNF-1.4.1", "Slaapkamer 4").passes


def test_snf_1_4_2_a_bed_per_resident():
    result = check_housing(house(persons=7, floor_area_m2=90, toilets=1, showers=1))
    beds = by_id(result, "SNF-1.4.2")
    assert not beds.passes and beds.actual == "6 bedden" and beds.required == "≥ 7 bedden"


def test_recreation_exception_of_2_7_m2_only_until_end_of_2023():
    rooms = (Bedroom(5.4, 2), Bedroom(5.4, 2))
    args = {"persons": 4, "floor_area_m2": 40, "verblijfsvorm": "e", "bedrooms": rooms}
    old = check_housing(house(**args), assessed_on=date(2023, 6, 1))
    assert all(n.passes for n in old.norms if n.id == "SNF-1.4.1-recreatie")
    assert not [n for n in old.norms if n.id == "SNF-1.4.1"]
    assert old.max_persons == 4
    new = check_housing(house(**args), assessed_on=date(2024, 1, 1))
    assert not any(n.passes for n in new.norms if n.id == "SNF-1.4.1")
    assert not [n for n in new.norms if n.id == "SNF-1.4.1-recreatie"]
    undated = check_housing(house(**args))
    assert not any(n.passes for n in undated.norms if n.id == "SNF-1.4.1")
    assert DEFAULT_NORMS.get("SNF-1.4.1-recreatie").effective_until == date(2023, 12, 31)


# --- SNF-2.1 / SNF-2.2: sanitary ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("persons", "toilets", "passes"), [
    (1, 1, True), (8, 1, True), (9, 1, False), (9, 2, True), (16, 2, True), (17, 2, False), (1, 0, False),
])
def test_snf_2_1_one_toilet_per_8_persons(persons, toilets, passes):
    result = check_housing(house(persons=persons, toilets=toilets, showers=5, floor_area_m2=300,
                                 bedrooms=(Bedroom(100, 20),)))
    assert by_id(result, "SNF-2.1").passes is passes


@pytest.mark.parametrize(("persons", "showers", "passes"), [(8, 1, True), (9, 1, False), (9, 2, True), (3, 0, False)])
def test_snf_2_2_one_shower_per_8_persons(persons, showers, passes):
    result = check_housing(house(persons=persons, toilets=5, showers=showers, floor_area_m2=300,
                                 bedrooms=(Bedroom(100, 20),)))
    shower = by_id(result, "SNF-2.2")
    assert shower.passes is passes
    assert shower.source.endswith("norm 2.2 [W18]")


def test_sanitary_messages_are_dutch():
    result = check_housing(house(persons=9, toilets=1, floor_area_m2=120, bedrooms=(Bedroom(40, 9),)))
    toilet = by_id(result, "SNF-2.1")
    assert toilet.required == "≥ 2 toiletten" and toilet.actual == "1 toilet"
    assert toilet.message == "1 toilet voor 9 personen (1 per 8)."


# --- maximum persons ------------------------------------------------------------------------------------------------


def test_max_persons_is_the_tightest_norm():
    result = check_housing(house(persons=2, floor_area_m2=200, bedrooms=(Bedroom(35, 12),), toilets=1, showers=3))
    assert result.max_persons == 8
    assert result.limited_by == ("SNF-2.1",)
    factors = {c.norm_id: c.persons for c in result.capacity}
    assert factors == {"SNF-1.3b": 16, "SNF-1.4.1": 10, "SNF-1.4.2": 12, "SNF-2.1": 8, "SNF-2.2": 24}


def test_max_persons_without_valid_persons_still_computed():
    result = check_housing(house(persons=None))
    assert result.max_persons == 6
    assert result.verdict is Verdict.ONVOLLEDIG


def test_more_persons_than_the_maximum_is_reported():
    result = check_housing(house(persons=7, bedrooms=(Bedroom(10, 3), Bedroom(7, 2), Bedroom(8, 2)), floor_area_m2=90))
    assert result.max_persons == 6
    assert "Aangevraagd: 7 personen, meer dan het maximum." in result.summary


def test_max_persons_unknown_when_inputs_are_missing():
    result = check_housing(house(floor_area_m2=None, toilets=None))
    assert result.max_persons is None and result.limited_by == ()
    assert "gebruiksoppervlak, toiletten" in result.summary[-1]


# --- optional norms: SNF 2025 (15 m²) and municipal policy ---------------------------------------------------------


def test_2025_rule_is_off_by_default_and_marked_low_confidence():
    rule = DEFAULT_NORMS.get("SNF-NEW-2025")
    assert rule.enabled is False and rule.confidence == "laag"
    assert rule.value == Decimal("15") and rule.effective_from == date(2025, 7, 1)
    assert "[W23]" in rule.source
    assert not [n for n in check_housing(house(is_new_build=True)).norms if n.id.startswith("SNF-NEW")]


def test_2025_rule_when_enabled_applies_to_new_build_and_hotels():
    norms = enabled("SNF-NEW-2025")
    new_build = check_housing(house(is_new_build=True), norms=norms, assessed_on=date(2025, 8, 1))
    rule = by_id(new_build, "SNF-NEW-2025")
    assert not rule.passes and rule.required == "≥ 90 m² (15 m² × 6 personen)"
    assert new_build.max_persons == 5
    hotel = check_housing(house(verblijfsvorm="b", floor_area_m2=90), norms=norms, assessed_on=date(2025, 8, 1))
    assert by_id(hotel, "SNF-NEW-2025").passes
    existing = check_housing(house(), norms=norms, assessed_on=date(2025, 8, 1))
    assert not [n for n in existing.norms if n.id == "SNF-NEW-2025"]


def test_2025_rule_not_before_its_effective_date():
    norms = enabled("SNF-NEW-2025")
    result = check_housing(house(is_new_build=True), norms=norms, assessed_on=date(2025, 6, 30))
    assert not [n for n in result.norms if n.id == "SNF-NEW-2025"]
    assert result.passes


def test_2025_single_occupancy_bedroom():
    norms = enabled("SNF-NEW-2025", "SNF-NEW-2025-SK")
    result = check_housing(house(is_new_build=True, floor_area_m2=100), norms=norms, assessed_on=date(2026, 1, 1))
    assert not any(n.passes for n in result.norms if n.id == "SNF-NEW-2025-SK")
    assert result.max_persons == 3  # three bedrooms, one person each


def test_municipal_policy_max_two_per_bedroom_and_four_per_house():
    norms = enabled("GEM-2.8-SLAAPKAMER", "GEM-2.8-WONING")
    result = check_housing(house(bedrooms=(Bedroom(12, 3), Bedroom(7, 2), Bedroom(8, 1))), norms=norms)
    assert not by_id(result, "GEM-2.8-SLAAPKAMER", "Slaapkamer 1").passes
    house_cap = by_id(result, "GEM-2.8-WONING")
    assert not house_cap.passes and house_cap.required == "≤ 4 personen"
    assert result.max_persons == 4
    assert "GEM-2.8-WONING" in result.limited_by
    hotel = check_housing(house(verblijfsvorm="b"), norms=norms)
    assert not [n for n in hotel.norms if n.id == "GEM-2.8-WONING"]


def test_thresholds_are_configurable():
    norms = DEFAULT_NORMS.with_overrides({"SNF-1.3b": {"value": "14", "source": "Beleidsregel Emmen art. 3"}})
    result = check_housing(house(), norms=norms)
    gbo = by_id(result, "SNF-1.3b")
    assert not gbo.passes and gbo.source == "Beleidsregel Emmen art. 3"
    with pytest.raises(KeyError):
        DEFAULT_NORMS.with_overrides({"SNF-9.9": {"enabled": True}})
    with pytest.raises(ValueError, match="Onbekend veld"):
        DEFAULT_NORMS.with_overrides({"SNF-1.3b": {"kleur": "rood"}})
    with pytest.raises(ValueError, match="Ongeldige waarde"):
        DEFAULT_NORMS.with_overrides({"SNF-1.3b": {"value": 0}})


def test_every_threshold_has_source_and_date_fields():
    ids = [t.id for t in DEFAULT_THRESHOLDS]
    assert len(ids) == len(set(ids))
    for threshold in DEFAULT_THRESHOLDS:
        assert threshold.source and threshold.description and threshold.unit
        assert threshold.value > 0
        assert hasattr(threshold, "effective_from")


def test_disabled_norm_is_not_checked():
    norms = DEFAULT_NORMS.with_overrides({"SNF-2.2": {"enabled": False}})
    result = check_housing(house(showers=0), norms=norms)
    assert not [n for n in result.norms if n.id == "SNF-2.2"]
    assert result.passes


# --- bad input never raises ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "fragment"), [
    (None, "ontbreekt"), (0, "(0) is ongeldig"), (-3, "(-3) is ongeldig"), (2.5, "(2,5) is ongeldig"),
    ("veel", "is geen getal"), (True, "is geen getal"), (float("nan"), "is geen getal"),
])
def test_invalid_persons_is_a_failed_input_norm(value, fragment):
    result = check_housing(house(persons=value))
    problem = next(n for n in result.norms if n.id == "INVOER" and n.field == "persons")
    assert not problem.passes and fragment in problem.message
    assert by_id(result, "SNF-1.3b").status is NormStatus.NIET_TE_BEOORDELEN
    assert result.verdict is Verdict.ONVOLLEDIG


@pytest.mark.parametrize("value", [0, -10, None, "abc", float("inf")])
def test_invalid_floor_area(value):
    result = check_housing(house(floor_area_m2=value))
    problem = next(n for n in result.norms if n.field == "floor_area_m2")
    assert not problem.passes and "Gebruiksoppervlak (GBO)" in problem.message
    assert result.max_persons is None


def test_invalid_bedrooms():
    result = check_housing(house(bedrooms=(Bedroom(0, 2), Bedroom(7, -1), {"area_m2": "8", "beds": "2"}, "rommel")))
    fields = {n.field for n in result.norms if n.id == "INVOER"}
    assert {"bedrooms[0].area_m2", "bedrooms[1].beds", "bedrooms[3]"} <= fields
    assert by_id(result, "SNF-1.4.1", "Slaapkamer 3").passes
    assert by_id(result, "SNF-1.4.1", "Slaapkamer 1").status is NormStatus.NIET_TE_BEOORDELEN
    assert result.max_persons is None


@pytest.mark.parametrize("bedrooms", [None, (), "twee", 3, {"area_m2": 7}])
def test_no_usable_bedrooms(bedrooms):
    result = check_housing(house(bedrooms=bedrooms))
    problem = next(n for n in result.norms if n.field == "bedrooms")
    assert "Geen slaapkamers opgegeven" in problem.message


@pytest.mark.parametrize("value", [-1, 1.5, "x", None])
def test_invalid_toilets_and_showers(value):
    result = check_housing(house(toilets=value, showers=value))
    assert {n.field for n in result.norms if n.id == "INVOER"} == {"toilets", "showers"}
    assert by_id(result, "SNF-2.1").status is NormStatus.NIET_TE_BEOORDELEN


def test_completely_empty_or_garbage_input():
    for data in (HousingInput(), {}, None, "onzin", {"bedrooms": [None]}):
        result = check_housing(data)  # type: ignore[arg-type]
        assert result.verdict is Verdict.ONVOLLEDIG
        assert result.max_persons is None


def test_from_mapping_with_form_values():
    data = {"persons": "4", "floor_area_m2": "52,5", "verblijfsvorm": "c", "toilets": "1", "showers": "1",
            "bedrooms": [{"area_m2": "8", "beds": "2", "name": "Kamer A"}, {"area_m2": "7,5", "beds": 2}]}
    result = check_housing(data)
    assert result.passes
    assert by_id(result, "SNF-1.4.1", "Kamer A").passes
    assert result.max_persons == 4


numbers = st.one_of(
    st.none(), st.booleans(), st.integers(-50, 500), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6), st.decimals(allow_nan=True),
)
rooms = st.lists(st.one_of(st.builds(Bedroom, numbers, numbers, st.text(max_size=5)), numbers), max_size=4)


@settings(max_examples=300, deadline=None)
@given(numbers, numbers, st.one_of(st.none(), st.sampled_from(["a", "b", "c", "d", "d_logies", "d_wonen", "e", "z"]),
                                   st.text(max_size=3)),
       rooms, numbers, numbers, st.booleans())
def test_never_raises(persons, area, form, bedrooms, toilets, showers, new_build):
    result = check_housing(HousingInput(persons, area, form, tuple(bedrooms), toilets, showers, new_build),
                           norms=enabled("SNF-NEW-2025", "GEM-2.8-SLAAPKAMER", "GEM-2.8-WONING"))
    assert isinstance(result.verdict, Verdict)
    assert (result.verdict is Verdict.VOLDOET) == all(n.passes for n in result.norms)


valid_rooms = st.lists(st.builds(Bedroom, st.integers(1, 40), st.integers(0, 6)), min_size=1, max_size=5)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 40), st.integers(1, 400), st.sampled_from([v.value for v in Verblijfsvorm]), valid_rooms,
       st.integers(0, 5), st.integers(0, 5))
def test_max_persons_is_consistent_with_the_norms(persons, area, form, bedrooms, toilets, showers):
    data = HousingInput(persons, area, form, tuple(bedrooms), toilets, showers)
    result = check_housing(data)
    assert result.max_persons is not None
    per_person = {"SNF-1.3a", "SNF-1.3b", "SNF-1.4.2", "SNF-2.1", "SNF-2.2"}
    if persons <= result.max_persons:
        assert all(n.passes for n in result.norms if n.id in per_person)
    else:
        assert result.verdict is Verdict.VOLDOET_NIET
    # One more person than the maximum never passes.
    over = check_housing(HousingInput(result.max_persons + 1, area, form, tuple(bedrooms), toilets, showers))
    assert over.verdict is Verdict.VOLDOET_NIET


def test_implausibly_large_values_are_input_errors():
    result = check_housing(house(persons=10**9, showers=-1e26))
    messages = {n.field: n.message for n in result.norms if n.id == "INVOER"}
    assert "onwaarschijnlijk groot" in messages["persons"]
    assert "onwaarschijnlijk groot" in messages["showers"]
