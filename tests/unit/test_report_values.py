"""Report values converted a column at a time are what the one-value conversions give."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from pipeline.report_details import _key_part, _key_parts
from pipeline.report_values import (
    _to_date,
    _to_key,
    each,
    export_text,
    export_texts,
    join_keys,
    last_values,
    money,
    optional_date,
    optional_text,
)

COLUMNS = [
    pd.Series([" a ", None, "b", np.nan, ""]),
    pd.Series([1, 2, 3]),
    pd.Series([1.0, None, 2.5]),
    pd.Series([1, "x", None]),
    pd.Series([], dtype=object),
    pd.Series([None, None]),
    pd.Series([np.int64(5), 6, None], dtype=object),
]


@pytest.mark.parametrize("column", COLUMNS)
def test_join_keys_of_a_column_are_the_keys_of_its_values(column):
    assert join_keys(column).tolist() == each(column, _to_key).fillna("").tolist()


@pytest.mark.parametrize("column", COLUMNS)
def test_record_key_parts_of_a_column_are_the_parts_of_its_values(column):
    assert _key_parts(column).tolist() == column.map(_key_part).tolist()


@pytest.mark.parametrize("column", [
    pd.Series([dt.date(2026, 1, 1), None, dt.datetime(2026, 1, 1, 5),
               pd.Timestamp("2026-01-02 10:00"), "2026-01-03", np.nan, pd.NaT]),
    pd.Series(pd.to_datetime(["2026-01-01", None, "2026-02-01"])),
    pd.Series([], dtype=object),
])
def test_dates_of_a_column_are_the_dates_of_its_values(column):
    dates = optional_date(column).tolist()
    assert dates == each(column, _to_date).tolist()
    assert all(value is None or type(value) is dt.date for value in dates)


@pytest.mark.parametrize("column", [
    pd.Series([dt.date(2026, 1, 1), None, dt.date(2026, 1, 1), dt.datetime(2026, 1, 2, 3)]),
    pd.Series([Decimal("1E-8"), Decimal("12.50"), None]),
    pd.Series(["a", None, "=b"]),
    pd.Series([True, 1.5, None, 3]),
])
def test_export_texts_of_a_column_are_the_texts_of_its_values(column):
    assert export_texts(column) == [export_text(value) for value in column]


def test_money_of_a_column_is_none_where_amount_or_currency_is_missing():
    amounts = money(pd.Series([150000, None, 7, 5, 12.0]),
                    pd.Series(["USD", "USD", "JPY", None, ""]))
    assert amounts.tolist() == [Decimal("1500.00"), None, Decimal("7"), None, None]


@pytest.mark.parametrize("column", [*COLUMNS, pd.Series(["a", pd.NA, ""], dtype="string")])
def test_optional_text_of_a_column_is_the_text_of_its_values(column):
    expected = each(column, lambda value: str(value) or None).tolist()
    assert optional_text(column).tolist() == expected


def test_money_takes_a_missing_currency_of_a_string_column_as_missing():
    amounts = money(pd.Series([1, 2]), pd.Series(["USD", pd.NA], dtype="string"))
    assert amounts.tolist() == [Decimal("0.01"), None]


def test_last_values_map_as_a_series_keyed_by_the_last_of_equal_keys_would():
    keys = pd.Series(["a", "b", "a", "c"])
    values = pd.Series(["1", None, "3", "4"])
    wanted = pd.Series(["a", "x", "b", "c", "a"], index=[5, 6, 7, 8, 9])
    by_key = pd.Series(values.to_numpy(), index=keys).loc[lambda s: ~s.index.duplicated(
        keep="last")]
    found = last_values(keys, values, wanted)
    assert found.index.equals(wanted.index)
    assert optional_text(found).tolist() == optional_text(wanted.map(by_key)).tolist()
    assert optional_text(found).tolist() == ["3", None, None, "4", "3"]
