"""Whole-column CSV text gives exactly the text export_text gives each value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from pipeline.report_values import export_text
from reports.columns import neutralise
from reports.csv_text import column_text, neutralised

MISSING = st.sampled_from([None, float("nan"), pd.NA, pd.NaT])
DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda d: abs(d.adjusted()) < 40)
MONEY = st.builds(lambda minor, digits: Decimal(minor).scaleb(-digits),
                  st.integers(-10**15, 10**15), st.sampled_from([0, 2, 3, 8]))


def per_cell(values: list) -> list[str]:
    return [export_text(v) for v in values]


def bulk(values: list) -> list[str]:
    return column_text(pd.Series(values, dtype=object)).tolist()


@given(st.lists(st.one_of(MONEY, DECIMALS, MISSING), max_size=40))
def test_amounts_are_plain_decimal_text_never_scientific(values):
    assert bulk(values) == per_cell(values)


@given(st.lists(st.one_of(st.text(), MISSING), max_size=40))
def test_text_stays_as_it_is_and_missing_is_empty(values):
    assert bulk(values) == per_cell(values)


@given(st.lists(st.one_of(st.dates(), MISSING), max_size=40))
def test_dates_are_iso(values):
    assert bulk(values) == per_cell(values)


@given(st.lists(st.one_of(st.integers(), MISSING), max_size=40))
def test_whole_numbers_are_plain(values):
    assert bulk(values) == per_cell(values)


@given(st.lists(st.one_of(st.floats(allow_nan=False, allow_infinity=False), MISSING),
                max_size=40))
def test_ratios_are_rounded_as_export_text_rounds_them(values):
    assert bulk(values) == per_cell(values)


@given(st.lists(st.one_of(st.booleans(), MISSING), max_size=40))
def test_booleans_are_true_and_false(values):
    assert bulk(values) == per_cell(values)


@given(st.lists(st.one_of(st.integers(), st.floats(), st.text(), st.booleans(), MONEY,
                          st.dates(), st.datetimes(), MISSING), max_size=40))
def test_a_column_of_mixed_kinds_still_gets_each_value_s_export_text(values):
    assert bulk(values) == per_cell(values)


def test_typed_columns_give_the_same_text_as_their_values():
    frame = pd.DataFrame({"count": np.array([1, -2, 3]), "ratio": [0.95, -0.0, 0.33333333],
                          "flag": np.array([True, False, True]),
                          "day": [dt.date(2026, 3, 1), None, dt.date(999, 1, 2)],
                          "at": [dt.datetime(2026, 3, 1, 23, 59), None, pd.Timestamp(2026, 1, 2)]})
    for name in frame.columns:
        assert column_text(frame[name]).tolist() == per_cell(list(frame[name])), name


@given(st.lists(st.one_of(st.text(), st.sampled_from(["=1+1", "+1", "-2", "@A1", "\tx", "\rx"])),
                max_size=40))
def test_free_text_is_neutralised_exactly_as_one_field_at_a_time(values):
    text = pd.Series(values, dtype=object)
    assert neutralised(text).tolist() == [neutralise(v) for v in values]
