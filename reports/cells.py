"""Table sheets shared by the workbooks (openpyxl write-only mode): typed cells
(:mod:`reports.cell_values`; text from inputs never becomes a formula) under a bold frozen
header, an auto-filter and column widths from the contents; a table longer than
ROWS_PER_SHEET records continues on numbered sheets. A table's rows are written a column at
a time as SpreadsheetML when the workbook is saved (:mod:`reports.sheet_splice`), with the
same cells openpyxl would write.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# the formats, money_format and value_cell are re-exported: other code imported them from here
from reports.cell_values import (  # noqa: F401
    COUNT_FORMAT,
    DATE_FORMAT,
    MAX_TEXT,
    PERCENT_FORMAT,
    RATIO_FORMAT,
    frame_rows,
    money_format,
    text_cell,
    value_cell,
)
from reports.exports import replace_atomically
from reports.sheet_splice import add_bulk_table, splice_bulk_tables

MIN_WIDTH, MAX_WIDTH = 8, 60
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
    """Save atomically (temporary file in the same folder, then rename), the bulk tables'
    rows spliced in (:mod:`reports.sheet_splice`)."""

    def write(tmp: Path) -> None:
        workbook.save(tmp)
        splice_bulk_tables(workbook, tmp)

    return replace_atomically(path, write)


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
        first = _first_present(frame[name])
        if isinstance(first, numbers.Number) and not isinstance(first, bool | np.bool_):
            found.append(name)
    return found


def _first_present(values: pd.Series) -> object:
    """The first value that is not missing (``None`` when there is none); most columns have
    one near the top, so the first rows are looked at before the whole column."""
    for part in (values.iloc[:_WIDTH_SAMPLE], values.iloc[_WIDTH_SAMPLE:]):
        present = part.dropna()
        if len(present):
            return present.iloc[0]
    return None


def column_widths(frame: pd.DataFrame) -> list[int]:
    """Width per column from its header and the longest value of the first rows, capped."""
    sample = frame.head(_WIDTH_SAMPLE)
    return [int(min(MAX_WIDTH, max(MIN_WIDTH, len(str(name)), _longest(sample[name])) + 2))
            for name in frame.columns]


def _longest(values: pd.Series) -> int:
    """The length of the longest :func:`_display_text` of ``values`` (0 when none), worked
    out by the kind of values the column holds."""
    array = values.to_numpy(dtype=object)
    present = array[~pd.isna(array)]
    if not len(present):
        return 0
    kind = pd.api.types.infer_dtype(present, skipna=False)
    if kind == "string":
        return max(map(len, present))
    if kind == "decimal":
        return max(len(f"{value:,f}") for value in present) + len("    ")
    if kind == "date":
        return len("yyyy-mm-dd")
    return max(len(_display_text(value)) for value in present)


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
    if len(frame):  # the rows themselves are written when the workbook is saved
        add_bulk_table(workbook, ws, frame, formats=formats, currency_column=currency_column)
    return ws


def with_count_formats(frame: pd.DataFrame,
                       formats: Mapping[str, str] | None = None) -> dict[str, str]:
    """``formats`` plus COUNT_FORMAT for every whole-number column not named in it."""
    counts = {name: COUNT_FORMAT for name in number_columns(frame) if _whole(frame[name])}
    return {**counts, **(formats or {})}


def _whole(values: pd.Series) -> bool:
    return isinstance(_first_present(values), numbers.Integral)


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
