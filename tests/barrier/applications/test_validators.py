"""Dutch numbers and codes validated with python-stdnum, with Dutch messages (domain.md §7)."""

from __future__ import annotations

import pytest

from forms.validators import (
    InvalidValue,
    clean_bsn,
    clean_house_number,
    clean_house_number_suffix,
    clean_iban,
    clean_kvk,
    clean_postcode,
    clean_rsin,
    clean_vestigingsnummer,
)


@pytest.mark.parametrize(("value", "expected"), [("111222333", "111222333"), ("123456782", "123456782"),
                                                 ("1112.22.333", "111222333"), ("10000008", "010000008")])
def test_valid_bsns_pass_the_elfproef(value, expected):
    assert clean_bsn(value) == expected


@pytest.mark.parametrize(("value", "message"), [("123456789", "elfproef"), ("000000000", "elfproef"),
                                                ("12345", "9 cijfers"), ("abcdefghi", "9 cijfers")])
def test_invalid_bsns_get_a_dutch_message(value, message):
    with pytest.raises(InvalidValue, match=message):
        clean_bsn(value)


def test_kvk_is_exactly_eight_digits_without_a_check_digit():
    assert clean_kvk("6972 2334") == "69722334"
    assert clean_kvk("12345678") == "12345678"  # no elfproef on KvK numbers
    for bad in ("1234567", "123456789", "1234567a"):
        with pytest.raises(InvalidValue, match="precies 8 cijfers"):
            clean_kvk(bad)


def test_vestigingsnummer_is_twelve_digits_with_leading_zeros():
    assert clean_vestigingsnummer("000012345678") == "000012345678"
    with pytest.raises(InvalidValue, match="12 cijfers"):
        clean_vestigingsnummer("12345678")


def test_rsin_uses_the_elfproef():
    assert clean_rsin("111222333") == "111222333"
    with pytest.raises(InvalidValue, match="elfproef"):
        clean_rsin("123456789")


@pytest.mark.parametrize(("value", "expected"), [("9401ab", "9401 AB"), ("9401 AB", "9401 AB"),
                                                 ("NL-9401 AB", "9401 AB")])
def test_postcodes_are_normalised(value, expected):
    assert clean_postcode(value) == expected


@pytest.mark.parametrize("value", ["0401 AB", "9401 SS", "9401 SA", "940 AB", "2000", "3000 AAA"])
def test_invalid_postcodes_are_refused(value):
    with pytest.raises(InvalidValue, match="geldige postcode"):
        clean_postcode(value)


def test_iban_mod_97():
    assert clean_iban("NL91 ABNA 0417 1643 00") == "NL91ABNA0417164300"
    with pytest.raises(InvalidValue, match="IBAN klopt niet"):
        clean_iban("NL91ABNA0417164301")


def test_house_numbers_and_suffixes():
    assert clean_house_number("12") == "12"
    assert clean_house_number_suffix("-a") == "A"
    with pytest.raises(InvalidValue):
        clean_house_number("12a")
    with pytest.raises(InvalidValue):
        clean_house_number("0")
    with pytest.raises(InvalidValue):
        clean_house_number_suffix("<script>")
