"""Bulk table rows written as SpreadsheetML read back exactly as openpyxl's own cells."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from reports import sheet_splice
from reports.cell_values import COUNT_FORMAT, frame_rows
from reports.cells import new_workbook

TABLE = pd.DataFrame({
    "source_file": ["bca.csv", "=HYPERLINK(\"x\")", "a & <b> > c", "  padded ", "",
                    "line\nbreak\r\nend", "bell\x07ringing", None],
    "source_line": [1, 2, 3, 4, 5, 6, 7, 8],
    "source_date": [dt.date(2026, 11, 1), dt.datetime(2026, 11, 2, 13, 5), None,
                    dt.date(1900, 1, 15), dt.date(2026, 12, 31), dt.date(2026, 11, 3),
                    dt.date(2026, 11, 4), dt.date(2026, 11, 5)],
    "amount": [Decimal("1234.50"), Decimal("-0.01"), Decimal("150000"), None,
               Decimal("1E+2"), Decimal("7.00"), Decimal("0.00"), Decimal("99.99")],
    "currency": ["USD", "USD", "IDR", "EUR", None, "JPY", "XYZ", "EUR"],
    "confidence": [0.95, 1.0, np.nan, 0.333333333333, 1e-05, 0.5, 0.0, 1.0],
    "paid": [True, False, None, True, False, True, True, False],
    "mixed": ["text", 5, Decimal("1.5"), dt.date(2026, 1, 2), 2.5, "+1 555", None, True],
    "count": [1, 2, 3, 4, 5, 6, 7, 1_000_000],
})
FORMATS = {"count": COUNT_FORMAT}


def _write(path: Path, bulk: bool, table: pd.DataFrame = TABLE, under: tuple = ()) -> None:
    """``table`` written in bulk or cell by cell, then the rows ``under`` it."""
    workbook = new_workbook()
    ws = workbook.create_sheet("T")
    ws.append(list(table.columns))
    if bulk:
        sheet_splice.add_bulk_table(workbook, ws, table, formats=FORMATS,
                                    currency_column="currency")
    else:
        for row in frame_rows(ws, table, formats=FORMATS):
            ws.append(row)
    for row in under:
        ws.append(row)
    workbook.save(path)
    sheet_splice.splice_bulk_tables(workbook, path)


def _cells(path: Path) -> list[tuple]:
    ws = load_workbook(path)["T"]
    return [(c.coordinate, c.value, type(c.value), c.number_format, c.data_type, c.quotePrefix)
            for row in ws.iter_rows() for c in row]


def test_bulk_rows_read_back_like_openpyxl_cells_value_format_and_quote_prefix(tmp_path):
    _write(tmp_path / "cells.xlsx", bulk=False)
    _write(tmp_path / "bulk.xlsx", bulk=True)
    assert _cells(tmp_path / "bulk.xlsx") == _cells(tmp_path / "cells.xlsx")


def test_a_bulk_table_longer_than_a_chunk_keeps_every_row_in_order(tmp_path, monkeypatch):
    from reports import sheet_xml

    monkeypatch.setattr(sheet_xml, "CHUNK_ROWS", 3)
    _write(tmp_path / "bulk.xlsx", bulk=True)
    monkeypatch.setattr(sheet_xml, "CHUNK_ROWS", 50_000)
    _write(tmp_path / "cells.xlsx", bulk=False)
    assert _cells(tmp_path / "bulk.xlsx") == _cells(tmp_path / "cells.xlsx")


def test_a_formula_looking_text_stays_literal_text_in_the_bulk_rows(tmp_path):
    _write(tmp_path / "bulk.xlsx", bulk=True)
    cell = load_workbook(tmp_path / "bulk.xlsx")["T"]["A3"]
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s" and cell.quotePrefix


def test_texts_starting_or_ending_with_any_white_space_or_a_formula_sign_match_openpyxl(
        tmp_path):
    texts = ["\tleading tab", "trailing cr\r", "\u3000ideographic", "nbsp\xa0", "@sum",
             "-12", "+", "=", "plain 😀 emoji", "ok", "\x0bvertical tab", "mid\u2028line"]
    table = pd.DataFrame({"text": texts})
    _write(tmp_path / "cells.xlsx", bulk=False, table=table)
    _write(tmp_path / "bulk.xlsx", bulk=True, table=table)
    assert _cells(tmp_path / "bulk.xlsx") == _cells(tmp_path / "cells.xlsx")


def test_rows_appended_after_a_bulk_table_come_below_its_rows(tmp_path):
    under = ([], ["a note under the table", 7])
    _write(tmp_path / "cells.xlsx", bulk=False, under=under)
    _write(tmp_path / "bulk.xlsx", bulk=True, under=under)
    assert _cells(tmp_path / "bulk.xlsx") == _cells(tmp_path / "cells.xlsx")
    assert load_workbook(tmp_path / "bulk.xlsx")["T"]["A11"].value == "a note under the table"


def test_an_amount_keeps_every_digit_where_openpyxl_would_round_it_through_a_float(tmp_path):
    table = pd.DataFrame({"amount": [Decimal("12345678901234567.89"), Decimal("129500.00")],
                          "currency": ["IDR", "USD"]})
    _write(tmp_path / "bulk.xlsx", bulk=True, table=table)
    with zipfile.ZipFile(tmp_path / "bulk.xlsx") as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>12345678901234567.89</v>" in sheet and "<v>129500</v>" in sheet


def test_the_characters_taken_out_of_bulk_texts_are_exactly_openpyxls_illegal_ones():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from reports import sheet_xml

    every = "".join(map(chr, range(0x10000)))
    assert sheet_xml._ILLEGAL.sub("", every) == ILLEGAL_CHARACTERS_RE.sub("", every)


def test_a_failing_write_behind_the_rows_is_raised_to_the_writer_of_the_sheet():
    import pytest

    from reports.sheet_splice import _Behind

    class Full:
        def write(self, data: bytes) -> None:
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"), _Behind(Full()) as behind:
        for _ in range(10):
            behind.write(b"rows")


def _repeating_table(rows: int) -> pd.DataFrame:
    """Columns whose rows share a few objects (payers, formula-like, padded and empty texts,
    amounts equal in value but written differently), beside columns of one object per row."""
    shared = ["ACME LTD", "=cmd|' /C calc'!A0", "  padded  ", "", "a & b", "bell\x07", "x\x00y"]
    amounts = [Decimal("0.00"), Decimal("-0.00"), Decimal("1E+2"), Decimal("100"),
               Decimal("12.50"), None]
    return pd.DataFrame({
        "payer": [shared[n % len(shared)] for n in range(rows)],
        "amount": [amounts[n % len(amounts)] for n in range(rows)],
        "same_amount": [amounts[n % 5] for n in range(rows)],
        "reference": [f"REF-{n}" if n % 7 else f"={n}" for n in range(rows)],
        "copied": [str(shared[n % 3]).upper().lower() for n in range(rows)],  # equal, not same
        "currency": [("USD", "JPY", "EUR")[n % 3] for n in range(rows)],
    })


def test_rows_sharing_a_few_objects_read_back_like_openpyxl_cells(tmp_path):
    table = _repeating_table(4_500)
    _write(tmp_path / "cells.xlsx", bulk=False, table=table)
    _write(tmp_path / "bulk.xlsx", bulk=True, table=table)
    assert _cells(tmp_path / "bulk.xlsx") == _cells(tmp_path / "cells.xlsx")


def test_texts_longer_than_a_cell_holds_or_holding_a_nul_read_back_like_openpyxl_cells(
        tmp_path):
    table = pd.DataFrame({"text": ["x" * 40_000, "a\x00b", "\x00", "ok", "é" * 32_768]})
    _write(tmp_path / "cells.xlsx", bulk=False, table=table)
    _write(tmp_path / "bulk.xlsx", bulk=True, table=table)
    assert _cells(tmp_path / "bulk.xlsx") == _cells(tmp_path / "cells.xlsx")


def test_a_cell_names_its_column_only_after_a_column_with_missing_values(tmp_path):
    table = pd.DataFrame({"a": ["x", "y"], "b": [None, "z"], "c": ["u", "v"], "d": [1, 2]})
    _write(tmp_path / "bulk.xlsx", bulk=True, table=table)
    with zipfile.ZipFile(tmp_path / "bulk.xlsx") as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    rows = sheet[sheet.index('<row r="2"'):sheet.index("</sheetData>")]
    assert rows.count('<c r="C') == 2  # after b, which misses a value
    assert '<c r="A' not in rows and '<c r="B' not in rows and '<c r="D' not in rows
    assert load_workbook(tmp_path / "bulk.xlsx")["T"]["C2"].value == "u"
