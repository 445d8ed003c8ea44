"""Rows written as XML a column at a time are byte for byte what openpyxl writes for the
cells frame_rows gives, styles included."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from reports import cell_values
from reports.cell_values import COUNT_FORMAT, MAX_TEXT, frame_rows, text_cell
from reports.cells import header_row
from reports.sheet_xml import append_frame, table_sheet

FRAME = pd.DataFrame({
    "Date": [dt.date(2026, 3, 1), None, dt.datetime(2026, 3, 2, 10, 0), dt.date(1900, 2, 1),
             dt.date(2026, 3, 3), pd.Timestamp("2026-04-01"), None],
    "Payer": ["ANI", "=HYPERLINK(\"x\")", None, "bell\x07 and tab", " spaced ", "#N/A",
              "a & b <c> d\r\nnext"],
    "Long": ["x" * (MAX_TEXT + 5), "", "-2+3", "@SUM(A1)", "\tlead", "é€😀 ü", "+1"],
    "Amount": [Decimal("1500000.00"), Decimal("12"), None, Decimal("0.00000012"),
               Decimal("-0.005"), Decimal("123456789012345.67"), Decimal("7")],
    "Count": pd.Series([3, None, 5, 7, 0, -2, 10**17], dtype=object),
    "Ints": np.array([1, 2, 3, 4, 5, 6, 7]),
    "Flag": [True, False, None, True, np.True_, False, True],
    "Ratio": [0.95, None, 0.5, float("nan"), 1 / 3, float("inf"), 2.0],
    "Mixed": [1, "a", Decimal("2.5"), dt.date(2026, 1, 1), True, 0.25, frozenset()],
    "Empty": [None] * 7,
    "Currency": ["IDR", "BTC", "USD", None, "KWD", "JPY", "EUR"],
})


def sheet_bytes(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if name.startswith("xl/worksheets/") or name == "xl/styles.xml"}


def write_both(tmp_path: Path, frame: pd.DataFrame, formats: dict) -> tuple[dict, dict]:
    paths = []
    for fast in (False, True):
        wb = Workbook(write_only=True)
        ws = table_sheet(wb, "t") if fast else wb.create_sheet("t")
        ws.append(header_row(ws, frame.columns, right=["Amount"]))
        if fast:
            append_frame(ws, frame, currency_column="Currency", formats=formats)
        else:
            for row in frame_rows(ws, frame, currency_column="Currency", formats=formats):
                ws.append(row)
        ws.append([text_cell(ws, "a note after the table")])
        paths.append(tmp_path / f"{fast}.xlsx")
        wb.save(paths[-1])
    return sheet_bytes(paths[0]), sheet_bytes(paths[1])


@pytest.mark.parametrize("chunk", [3, 20_000])
def test_rows_as_xml_are_the_bytes_openpyxl_writes(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(cell_values, "CHUNK_ROWS", chunk)
    slow, fast = write_both(tmp_path, FRAME, {"Count": COUNT_FORMAT})
    assert fast == slow


def test_an_empty_table_is_its_header_alone(tmp_path):
    slow, fast = write_both(tmp_path, FRAME.iloc[:0], {})
    assert fast == slow


def test_the_workbook_reads_back_typed_values(tmp_path):
    write_both(tmp_path, FRAME, {"Count": COUNT_FORMAT})
    rows = list(load_workbook(tmp_path / "True.xlsx").active.iter_rows(values_only=True))
    assert rows[1][:4] == (dt.datetime(2026, 3, 1), "ANI", "x" * MAX_TEXT, 1500000)
    assert rows[2][1] == "=HYPERLINK(\"x\")"  # text, not a formula
    assert rows[-1] == ("a note after the table",) + (None,) * (len(FRAME.columns) - 1)
