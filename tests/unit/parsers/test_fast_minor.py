"""Amount texts read straight into minor units (amount_columns.fast_minor) give what the
Decimal path gives (fast_values, then to_minor), and leave to it every text it cannot."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from hypothesis import example, given
from hypothesis import strategies as st

from parsers.amount_columns import fast_mask, fast_minor, fast_values, to_minor
from pipeline.money import AmountError

CURRENCIES = {0: "JPY", 2: "USD", 3: "KWD"}
digits = st.text("0123456789", min_size=1, max_size=22)
texts = st.one_of(
    st.builds(lambda s, w, f: f"{s}{w}{'.' + f if f else ''}", st.sampled_from(["", "-"]),
              digits, st.text("0123456789", max_size=6)),
    st.sampled_from(["1,234.50", "-1,234,567.5", "12,34.5", "1.2.3", "(5.00)", "", "-0",
                     "0.000", "10.500", "1,000", "abc", "1.234,50"]),
)


def decimal_path(text: str, currency: str) -> int | None:
    series = pd.Series([text], dtype=object)
    if not fast_mask(series, ".").iloc[0]:
        return None
    try:
        return to_minor(fast_values(series, ".").iloc[0], currency)
    except AmountError:
        return None


@given(st.lists(st.tuples(texts, st.sampled_from(sorted(CURRENCIES))), min_size=1,
                max_size=12))
def test_minor_units_straight_from_text_are_the_decimal_paths(rows):
    series = pd.Series([t for t, _ in rows], dtype=object)
    exponents = pd.Series([e for _, e in rows])
    values, taken = fast_minor(series, ".", exponents)
    for (text, exp), value, took in zip(rows, values.tolist(), taken.tolist(), strict=True):
        expected = decimal_path(text, CURRENCIES[exp])
        if took:
            assert value == expected
        else:
            whole = text.lstrip("-").split(".")[0].replace(",", "")
            assert expected is None or len(whole) + exp > 18  # left to the Decimal path


def test_a_comma_decimal_mark_reads_the_same():
    values, taken = fast_minor(pd.Series(["1.234,50", "-12,5", "1,234.50"]), ",",
                               pd.Series([2, 2, 2]))
    assert values.tolist()[:2] == [123450, -1250] and taken.tolist() == [True, True, False]
    assert to_minor(Decimal("1234.50"), "USD") == 123450


@given(st.lists(texts, min_size=1, max_size=30), st.sampled_from(sorted(CURRENCIES)),
       st.sampled_from([".", ","]))
@example(["0" * 19, "0" * 18, "-" + "9" * 16 + ".99"], 0, ".")  # past 18 digits: text by text
@example(["9" * 16 + ".99", "9" * 17 + ".99", "-9" * 2], 2, ".")
def test_a_column_of_one_currency_read_at_once_is_each_text_read_alone(column, exp, mark):
    """One currency: the column is read at once (one scan, one int per line); the same as
    each text through the mixed-currency path, text by text."""
    if mark == ",":
        column = [t.translate(str.maketrans(".,", ",.")) for t in column]
    series = pd.Series(column, dtype=object)
    values, taken = fast_minor(series, mark, pd.Series([exp] * len(column)))
    for i, text in enumerate(column):
        alone, took = fast_minor(pd.Series([text, "1"], dtype=object), mark,
                                 pd.Series([exp, exp + 1]))  # two exponents: text by text
        assert (values[i], taken[i]) == (alone[0], took[0])
