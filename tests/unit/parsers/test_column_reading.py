"""Property: the column-at-a-time CSV path (:mod:`parsers.amount_columns`,
:mod:`parsers.csvframe`) gives exactly what the row-at-a-time readers give - the same Decimal
digit for digit, or the same reject reason - for random texts in every amount convention the
parsers accept, and the same records (line numbers, physical text, cells) for any CSV text."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import csvframe, csvspec
from parsers.amount_columns import read_amounts, to_minor
from parsers.csvspec import Column
from parsers.paypal_values import amount_reader as paypal_amounts
from pipeline.money import AmountError, parse_amount
from pipeline.money import to_minor as money_to_minor

AMOUNT_CHARS = "0123456789.,-+ '()$€CRDBK\u00a0\u2212a٣"
SEPARATORS = (".", ",", None)


def _outcome(read, text: str) -> Decimal | str:
    try:
        return read(text)
    except ValueError as exc:
        return f"{type(exc).__name__}: {exc}"


def _column_outcomes(texts: list[str], separator, scalar) -> list[Decimal | str]:
    values, errors = read_amounts(pd.Series(texts, dtype=object), separator, scalar)
    return [f"{type(errors[t]).__name__}: {errors[t]}" if t in errors else v
            for t, v in zip(texts, values, strict=True)]


def _same(left: list, right: list) -> bool:
    """Equal outcomes, Decimals compared by their exact text too (``1.50`` is not ``1.5``)."""
    return [str(v) for v in left] == [str(v) for v in right]


# Texts shaped like amounts in every convention: groups of digits joined by separators, an
# optional sign, mark or currency, and now and then a stray character.
_GROUPED = st.lists(st.text("0123456789", min_size=1, max_size=5), min_size=1, max_size=6)


@st.composite
def amount_texts(draw) -> str:
    if draw(st.booleans()):
        return draw(st.text(AMOUNT_CHARS, min_size=1, max_size=30)).strip() or "0"
    groups = draw(_GROUPED)
    joints = draw(st.lists(st.sampled_from([".", ",", " ", "'", ".", ","]),
                           min_size=len(groups) - 1, max_size=len(groups) - 1))
    body = groups[0] + "".join(j + g for j, g in zip(joints, groups[1:], strict=True))
    sign = draw(st.sampled_from(["", "", "-", "+", "("]))
    body = f"({body})" if sign == "(" else sign + body
    return body + draw(st.sampled_from(["", "", "", " CR", " DB", "-", " USD", "€"]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(amount_texts(), min_size=1, max_size=40), st.sampled_from(SEPARATORS))
def test_a_column_of_amounts_reads_as_each_amount_alone(texts, separator):
    converter = csvspec.amount(separator)
    expected = [_outcome(converter, t) for t in texts]
    assert _same(_column_outcomes(texts, separator, converter), expected)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=10**15), st.text("0123456789", max_size=8),
       st.sampled_from(["", "-"]), st.sampled_from([(".", ","), (",", ".")]),
       st.booleans())
def test_well_formed_amounts_keep_every_digit(whole, fraction, sign, marks, grouped):
    point, thousands = marks
    digits = f"{whole:,}".replace(",", thousands) if grouped else str(whole)
    text = sign + digits + (point + fraction if fraction else "")
    [value] = _column_outcomes([text], point, csvspec.amount(point))
    assert str(value) == str(parse_amount(text, point))
    assert value == Decimal(f"{sign}{whole}.{fraction or 0}")


@settings(max_examples=150, deadline=None)
@given(st.lists(amount_texts(), min_size=1, max_size=30),
       st.sets(st.sampled_from([".", ","]), max_size=2), st.sampled_from([".", ",", None]))
def test_paypal_amount_columns_read_as_each_amount_alone(texts, marks, default):
    converter = paypal_amounts(set(marks), default)
    expected = [_outcome(converter, t) for t in texts]
    assert _same(_paypal_column(converter, texts), expected)


def _paypal_column(converter, texts: list[str]) -> list:
    values, errors = converter.many(pd.Series(texts, dtype=object))
    return [f"{type(errors[t]).__name__}: {errors[t]}" if t in errors else v
            for t, v in zip(texts, values, strict=True)]


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None),
       st.sampled_from(["USD", "JPY", "KWD", "BTC", "ETH", "IDR"]))
def test_minor_units_are_those_of_pipeline_money(amount, currency):
    assert _outcome(lambda a: to_minor(a, currency), amount) == \
        _outcome(lambda a: money_to_minor(a, currency), amount)


def test_too_many_decimals_is_a_reject_never_a_rounding():
    [value] = _column_outcomes(["12.345"], ".", csvspec.amount("."))
    assert value == Decimal("12.345")
    with pytest.raises(AmountError, match="more decimals than USD allows"):
        to_minor(value, "USD")


# --- rows ---------------------------------------------------------------------------------

CELL = st.text("ab1 ,;\"\r\n\t\x0b\u2028", max_size=6)


def _csv_text(rows: list[list[str]], delimiter: str, ending: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=ending).writerows(rows)
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(CELL, min_size=1, max_size=4), min_size=1, max_size=12),
       st.sampled_from([",", ";"]), st.sampled_from(["\n", "\r\n", "\r"]),
       st.integers(min_value=1, max_value=5), st.booleans())
def test_chunked_records_are_the_records(rows, delimiter, ending, size, raw_junk):
    content = _csv_text(rows, delimiter, ending)
    if raw_junk:
        content = content.replace("a", '"', 1)  # a stray quote: the careful reader's work
    try:
        expected = [(r.line, r.raw, r.cells) for r in csvspec.records(content, delimiter)]
    except csv.Error:
        return
    chunks = list(csvframe.record_chunks(content, delimiter, size))
    got = [(line, raw, cells) for c in chunks
           for line, raw, cells in zip(c.lines, c.raws, c.cells, strict=True)]
    assert got == expected
    assert all(len(c) <= size for c in chunks)


def test_a_quoted_field_spanning_lines_after_the_first_segment_keeps_line_numbers(monkeypatch):
    monkeypatch.setattr(csvframe, "_CHUNK_CHARS", 8)
    content = "a,b\n1,2\n3,4\n5,\"x\ny\"\n6,7\n"
    got = [(line, raw) for c in csvframe.record_chunks(content, ",", 2)
           for line, raw in zip(c.lines, c.raws, strict=True)]
    assert got == [(r.line, r.raw) for r in csvspec.records(content, ",")]
    assert got[-1] == (6, "6,7")


COLUMNS = (
    Column("id"),
    Column("day", csvspec.iso_date),
    Column("currency", csvspec.currency),
    Column("amount", csvspec.amount(".")),
    Column("paid", csvspec.boolean, required=False, optional=True, empty=False),
    Column("note", required=False, empty=""),
)
INDEX = {"id": 0, "day": 1, "currency": 2, "amount": 3, "paid": 4, "note": 5}
CELLS = {
    "id": st.sampled_from(["", "t1", " t2 "]),
    "day": st.sampled_from(["", "2026-11-05", "2026-11-05T10:00", "2026-13-01", "05/11/2026",
                            "2026-11-05 x"]),
    "currency": st.sampled_from(["", "usd", "EUR", "Rp", "12", "€"]),
    "amount": amount_texts(),
    "paid": st.sampled_from(["", "yes", "no", "maybe"]),
    "note": st.text(max_size=3),
}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(*CELLS.values()).map(list) | st.lists(st.just("1"), max_size=3),
                min_size=1, max_size=15))
def test_a_converted_chunk_is_each_row_converted_alone(rows):
    values, reasons = csvframe.convert_chunk(COLUMNS, INDEX, rows)
    for i, cells in enumerate(rows):
        alone = csvspec.convert(COLUMNS, INDEX, cells)
        if isinstance(alone, str):
            assert reasons[i] == alone
        else:
            assert i not in reasons
            assert {c.name: values[c.name][i] for c in COLUMNS} == alone
