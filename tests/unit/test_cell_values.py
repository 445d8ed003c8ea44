"""Cells prepared a column at a time are the cells value_cell gives one value at a time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell

from reports.cell_values import COUNT_FORMAT, MAX_TEXT, frame_rows, value_cell

FRAME = pd.DataFrame({
    "Date": [dt.date(2026, 3, 1), None, dt.datetime(2026, 3, 2, 10, 0), dt.date(2026, 3, 3)],
    "Payer": ["ANI", "=HYPERLINK(\"x\")", None, "bell\x07 and tab"],
    "Long": ["x" * (MAX_TEXT + 5), "", "-2+3", "@SUM(A1)"],
    "Amount": [Decimal("1500000.00"), Decimal("12"), None, Decimal("0.00000012")],
    "Count": pd.Series([3, None, 5, 7], dtype=object),
    "Ints": np.array([1, 2, 3, 4]),
    "Flag": [True, False, None, True],
    "Ratio": [0.95, None, 0.5, float("nan")],
    "Mixed": [1, "a", Decimal("2.5"), dt.date(2026, 1, 1)],
    "Empty": [None] * 4,
    "Currency": ["IDR", "BTC", "USD", None],
})


def shown(cell: object) -> object:
    if isinstance(cell, Cell):
        return ("cell", cell.value, cell.data_type, cell.number_format, bool(cell.quotePrefix))
    return (type(cell).__name__, cell)


def test_every_cell_is_what_value_cell_gives_its_value():
    ws = Workbook(write_only=True).create_sheet("t")
    formats = {"Count": COUNT_FORMAT}
    rows = list(frame_rows(ws, FRAME, currency_column="Currency", formats=formats))
    assert len(rows) == len(FRAME)
    for row, values in zip(rows, FRAME.itertuples(index=False, name=None), strict=True):
        currency = values[-1]
        expected = [value_cell(ws, v, currency=currency, number_format=formats.get(name))
                    for v, name in zip(values, FRAME.columns, strict=True)]
        assert [shown(c) for c in row] == [shown(c) for c in expected]


def test_text_that_looks_like_a_formula_is_a_quoted_literal():
    ws = Workbook(write_only=True).create_sheet("t")
    payer = [row[1] for row in frame_rows(ws, FRAME, currency_column="Currency")]
    assert isinstance(payer[1], Cell) and payer[1].quotePrefix
    assert payer[0] == "ANI" and payer[2] is None and payer[3] == "bell and tab"


def test_a_table_longer_than_a_chunk_gives_every_row_in_order(monkeypatch):
    from reports import cell_values

    monkeypatch.setattr(cell_values, "CHUNK_ROWS", 3)
    ws = Workbook(write_only=True).create_sheet("t")
    frame = pd.DataFrame({"n": list(range(10)), "Currency": ["USD"] * 10})
    assert [row[0] for row in frame_rows(ws, frame, currency_column="Currency")] == list(
        range(10))


def test_an_empty_table_has_no_rows():
    ws = Workbook(write_only=True).create_sheet("t")
    assert list(frame_rows(ws, FRAME.iloc[:0])) == []
    assert list(frame_rows(ws, pd.DataFrame())) == []
