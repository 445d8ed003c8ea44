"""Cell helpers shared by the workbooks (openpyxl write-only mode).

Typed cells: ``Decimal`` amounts are numbers with the row's currency format, dates are dates,
text is text. **Text from inputs never becomes a formula**: a string starting with ``=``,
``+``, ``-``, ``@``, tab or CR is stored as a literal string with Excel's quote prefix.
Tables get a bold frozen header, an auto-filter and column widths from their contents.
"""

from __future__ import annotations

import datetime as dt
import functools
import numbers
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from pipeline.money import CurrencyError, exponent
from reports.columns import FORMULA_STARTS
from reports.exports import replace_atomically

DATE_FORMAT = "yyyy-mm-dd_)"  # _) : a space before the next column's text
PERCENT_FORMAT = "0.0%"
RATIO_FORMAT = "0.00"
COUNT_FORMAT = "#,##0_)"  # whole numbers: grouped, a space before the next column's text
MIN_WIDTH, MAX_WIDTH = 8, 60
MAX_TEXT = 32_767  # Excel's limit for one cell
_HEADER_FONT = Font(bold=True)
_RIGHT = Alignment(horizontal="right", indent=1)
_WIDTH_SAMPLE = 2_000  # rows looked at to size a column
# Records on one sheet (Excel holds 1,048,576 rows); a longer table continues on "<title> (2)".
# Read when a workbook is written, so a test may lower it.
ROWS_PER_SHEET = 1_000_000


def new_workbook() -> Workbook:
    """A streaming (write-only) workbook: rows go to disk as they are appended."""
    return Workbook(write_only=True)


def save_workbook(workbook: Workbook, path: Path) -> Path:
    """Save atomically (temporary file in the same folder, then rename)."""
    return replace_atomically(path, workbook.save)


@functools.lru_cache(maxsize=256)
def money_format(currency: object) -> str:
    """``#,##0.00 "USD"``: grouping, the currency's decimals, and its code."""
    if currency is None or currency != currency:  # missing or NaN: no code to show
        return "#,##0.00_)"
    try:
        code = str(currency)
        digits = exponent(code)
    except CurrencyError:
        return "#,##0.00_)"
    decimals = "." + "0" * digits if digits else ""
    return f'#,##0{decimals} "{code}"_)'


def text_cell(ws: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    """A literal string cell, whatever it starts with (never a formula)."""
    text = _clean(text)
    cell = WriteOnlyCell(ws, value=text)
    if text.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def value_cell(ws: WriteOnlyWorksheet, value: object, *, currency: object = None,
               number_format: str | None = None) -> object:
    """A typed cell: Decimal -> number in ``currency``'s format, date -> date, float ->
    number (``number_format`` or 0.00), text -> literal text; ``None``/NaN -> empty.

    Values that need no style (harmless text, ints, bools) are returned as they are, which
    openpyxl writes fastest; anything else is a ``WriteOnlyCell``.
    """
    if isinstance(value, str):
        text = _clean(value)
        return text_cell(ws, text) if text.startswith(FORMULA_STARTS) else text
    if value is None or pd.isna(value):
        return None
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value.date() if isinstance(value, dt.datetime) else value)
        cell.number_format = number_format or DATE_FORMAT
        return cell
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = number_format or money_format(currency)
        return cell
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral):
        if number_format is None:
            return int(value)
        cell = WriteOnlyCell(ws, value=int(value))
        cell.number_format = number_format
        return cell
    if isinstance(value, numbers.Real):
        cell = WriteOnlyCell(ws, value=value)  # a ratio such as confidence, never money
        cell.number_format = number_format or RATIO_FORMAT
        return cell
    return text_cell(ws, str(value))


def _clean(text: str) -> str:
    """Without the control characters Excel refuses, cut to Excel's cell limit."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_TEXT]


def header_row(ws: WriteOnlyWorksheet, headers: Iterable[str],
               right: Iterable[str] = ()) -> list[WriteOnlyCell]:
    """Bold headers; those named in ``right`` (number columns) aligned right, over their
    numbers."""
    right = set(right)
    cells = []
    for header in headers:
        cell = text_cell(ws, str(header))
        cell.font = _HEADER_FONT
        if header in right:
            cell.alignment = _RIGHT
        cells.append(cell)
    return cells


def number_columns(frame: pd.DataFrame) -> list[str]:
    """Columns whose first non-empty value is a number (not a bool)."""
    found = []
    for name in frame.columns:
        values = frame[name].dropna()
        first = values.iloc[0] if len(values) else None
        if isinstance(first, numbers.Number) and not isinstance(first, bool | np.bool_):
            found.append(name)
    return found


def frame_rows(ws: WriteOnlyWorksheet, frame: pd.DataFrame, *, currency_column: str = "currency",
               formats: Mapping[str, str] | None = None) -> Iterator[list]:
    """Typed cells for each row of ``frame``; amounts take the row's ``currency_column``."""
    formats = formats or {}
    columns = list(frame.columns)
    fmt = [formats.get(name) for name in columns]
    at = columns.index(currency_column) if currency_column in columns else None
    for values in frame.itertuples(index=False, name=None):
        currency = values[at] if at is not None else None
        yield [value_cell(ws, v, currency=currency, number_format=f)
               for v, f in zip(values, fmt, strict=True)]


def column_widths(frame: pd.DataFrame) -> list[int]:
    """Width per column from its header and the longest value of the first rows, capped."""
    sample = frame.head(_WIDTH_SAMPLE)
    widths = []
    for name in frame.columns:
        longest = sample[name].map(_display_text).str.len().max() if len(sample) else 0
        widths.append(int(min(MAX_WIDTH, max(MIN_WIDTH, len(str(name)), longest or 0) + 2)))
    return widths


def set_widths(ws: WriteOnlyWorksheet, widths: Iterable[int]) -> None:
    """Column widths; in write-only mode they must be set before the first row."""
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def sheet_parts(title: str, frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """``frame`` cut into sheets of at most ROWS_PER_SHEET rows: (title, rows) with titles
    ``title``, ``"<title> (2)"``...; an empty table is one empty sheet."""
    per = max(ROWS_PER_SHEET, 1)
    return [(name, frame.iloc[index * per:(index + 1) * per].reset_index(drop=True))
            for index, name in enumerate(_part_titles(title, len(frame)))]


def continued_note(title: str, frame: pd.DataFrame) -> str | None:
    """What to tell the reader when ``frame`` needs more than one sheet (else ``None``)."""
    titles = _part_titles(title, len(frame))
    if len(titles) < 2:
        return None
    return (f"{title} is longer than one sheet: it continues on "
            + ", ".join(f'"{name}"' for name in titles[1:]))


def _part_titles(title: str, rows: int) -> list[str]:
    count = max(1, -(-rows // max(ROWS_PER_SHEET, 1)))
    return [title] + [f"{title} ({n})" for n in range(2, count + 1)]


def write_table(workbook: Workbook, title: str, frame: pd.DataFrame, *,
                formats: Mapping[str, str] | None = None,
                currency_column: str = "currency", freeze: str = "A2",
                hidden: Iterable[str] = ()) -> WriteOnlyWorksheet:
    """A sheet holding ``frame`` as one table: bold frozen header row (the column names;
    ``freeze`` names the first unfrozen cell), auto-filter over the table, widths from the
    contents, the ``hidden`` columns hidden; amounts in the row's currency
    (``currency_column``)."""
    ws = workbook.create_sheet(title)
    set_widths(ws, column_widths(frame))
    for name in hidden:
        ws.column_dimensions[get_column_letter(list(frame.columns).index(name) + 1)].hidden = True
    print_setup(ws, title)
    ws.freeze_panes = freeze
    last = get_column_letter(max(len(frame.columns), 1))
    ws.auto_filter.ref = f"A1:{last}{len(frame) + 1}"
    formats = with_count_formats(frame, formats)
    ws.append(header_row(ws, frame.columns, right=number_columns(frame)))
    for row in frame_rows(ws, frame, formats=formats, currency_column=currency_column):
        ws.append(row)
    return ws


def with_count_formats(frame: pd.DataFrame,
                       formats: Mapping[str, str] | None = None) -> dict[str, str]:
    """``formats`` plus COUNT_FORMAT for every whole-number column not named in it."""
    counts = {name: COUNT_FORMAT for name in number_columns(frame) if _whole(frame[name])}
    return {**counts, **(formats or {})}


def _whole(values: pd.Series) -> bool:
    first = values.dropna()
    return bool(len(first)) and isinstance(first.iloc[0], numbers.Integral)


def print_setup(ws: WriteOnlyWorksheet, title: str) -> None:
    """Landscape, one page wide, the header row on every page, the sheet's title and the
    page number in the page header and footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.oddHeader.center.text = f"&[File] — {title}"
    ws.oddFooter.right.text = "page &P of &N"


def _display_text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, Decimal):
        return f"{value:,f}" + "    "  # room for the currency code
    if isinstance(value, dt.date):
        return "yyyy-mm-dd"
    return str(value)
