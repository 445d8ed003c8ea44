"""Money is exact: minor units inside, Decimal at the edges, ambiguity is a reject."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.money import (
    AmountError,
    CurrencyError,
    amount_readings,
    format_plain,
    from_minor,
    normalize_currency,
    parse_amount,
    to_minor,
)


@pytest.mark.parametrize("text, expected", [
    ("1.250.000,00", "1250000.00"),
    ("1,250,000.00", "1250000.00"),
    ("Rp 1.500.000", "1500000"),
    ("Rp. 1.500.000,00", "1500000.00"),
    ("(12.50)", "-12.50"),
    ("12.50 CR", "12.50"),
    ("1,110,000.00 CR", "1110000.00"),
    ("100.00 DB", "-100.00"),
    ("-12,50", "-12.50"),
    ("12.50-", "-12.50"),
    ("1500000", "1500000"),
    ("USD 12.00", "12.00"),
    ("+ $73.01", "73.01"),
    ("- $12.01", "-12.01"),
])
def test_amounts_are_read_with_the_conventions_sources_use(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["1,500", "1.500", "12.3.4,5,6", "1..2", "abc", "", "--5",
                                  "1,5000.00", "12.50.10"])
def test_an_amount_that_could_be_read_two_ways_or_not_at_all_is_rejected(text):
    with pytest.raises(AmountError):
        parse_amount(text)


def test_the_sources_decimal_separator_resolves_what_alone_is_ambiguous():
    assert parse_amount("1.500", decimal_separator=",") == Decimal("1500")
    assert parse_amount("1,500", decimal_separator=",") == Decimal("1.500")
    assert parse_amount("1,500", decimal_separator=".") == Decimal("1500")


@pytest.mark.parametrize("text, expected", [
    ("12,500", ("12500", "12.500")),
    ("1.500", ("1500", "1.500")),
    ("$1,500", ("1500", "1.500")),
    ("1,250.00", ("1250.00",)),
    ("1.500.000,00", ("1500000.00",)),
    ("12.50", ("12.50",)),
    ("0,500", ("0.500",)),  # a leading 0 is no thousands group
])
def test_a_typed_amount_gives_every_reading_the_thousands_one_first(text, expected):
    assert amount_readings(text) == tuple(Decimal(e) for e in expected)


@pytest.mark.parametrize("text", ["abc", "1..2", "12.50.10", ""])
def test_a_typed_amount_that_reads_no_way_is_still_an_error(text):
    with pytest.raises(AmountError):
        amount_readings(text)


def test_minor_units_follow_the_iso_4217_exponent_of_the_currency():
    assert to_minor(Decimal("1500000.00"), "IDR") == 150_000_000
    assert to_minor(Decimal("1500"), "JPY") == 1500
    assert to_minor(Decimal("1.234"), "KWD") == 1234
    assert format_plain(150_000_000, "IDR") == "1500000.00"
    assert from_minor(5, "USD") == Decimal("0.05")


def test_plain_amounts_never_use_scientific_notation():
    assert format_plain(12, "BTC") == "0.00000012"
    assert format_plain(0, "BTC") == "0.00000000"
    assert format_plain(-5, "USD") == "-0.05"


def test_an_amount_with_too_many_decimals_is_a_reject_not_a_rounding():
    with pytest.raises(AmountError, match="more decimals"):
        to_minor(Decimal("10.005"), "USD")
    with pytest.raises(AmountError):
        to_minor(Decimal("10.5"), "JPY")


def test_floats_are_refused_as_money():
    with pytest.raises(TypeError):
        to_minor(10.5, "USD")  # type: ignore[arg-type]


def test_currency_codes_are_normalized_and_checked():
    assert normalize_currency("usd") == "USD"
    assert normalize_currency("Rp") == "IDR"
    with pytest.raises(CurrencyError):
        normalize_currency("dollars!")


@given(st.text())
def test_no_input_text_makes_the_amount_parser_fail_other_than_with_a_reject(text):
    try:
        value = parse_amount(text)
    except AmountError:
        return
    assert isinstance(value, Decimal) and value.is_finite()


@given(st.integers(min_value=-10**15, max_value=10**15), st.sampled_from(["USD", "IDR", "JPY"]))
def test_minor_units_round_trip_exactly(minor, currency):
    assert to_minor(from_minor(minor, currency), currency) == minor


def test_minor_units_of_a_whole_column_are_the_decimals_from_minor_gives():
    from pipeline.money import from_minor_many

    pairs = [(150000, "USD"), (0, "USD"), (-5, "USD"), (7, "JPY"), (-1234567, "KWD"),
             (1, "ETH"), (10**18, "ETH"), (12.0, "IDR"), (9223372036854775807, "USD")]
    many = from_minor_many([m for m, _ in pairs], [c for _, c in pairs])
    assert [d.as_tuple() for d in many] == [from_minor(m, c).as_tuple() for m, c in pairs]
