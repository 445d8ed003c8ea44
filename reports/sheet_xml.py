"""Table rows written straight into a write-only sheet's XML, a whole column at a time.

openpyxl's write-only sheet turns every appended value into a cell object and serialises it
through lxml, some 10 µs a cell: most of a month's report. :func:`append_frame` writes the
very ``<row>``/``<c>`` XML openpyxl writes for the cells :func:`reports.cell_values.frame_rows`
gives (same types, style ids, number text and escaping), built as text a column at a time
(:mod:`reports.cell_xml`) and handed to the sheet's file between the rows openpyxl writes
itself. A test compares the bytes of both ways. openpyxl still writes everything else:
the sheet's head and tail, styles, the workbook.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter, create_temporary_file

from reports import cell_values, cell_xml


@dataclass(frozen=True)
class _Rows:
    """Rows already serialised: ``count`` rows as ``xml`` bytes."""
    count: int
    xml: bytes


class _SheetWriter(WorksheetWriter):
    """openpyxl's sheet writer on a file object of ours, so that rows serialised elsewhere
    can go into the same file between the parts lxml writes."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        path = create_temporary_file()
        self.raw = open(path, "wb")  # noqa: SIM115 - closed with the writer
        super().__init__(ws, out=self.raw)
        self.out = path  # openpyxl copies the sheet from here into the workbook

    def close(self) -> None:
        super().close()
        self.raw.close()


class TableSheet(WriteOnlyWorksheet):
    """A write-only sheet that also takes rows as ready XML (:meth:`append_rows`)."""

    appended = 0  # rows so far

    def _get_writer(self) -> None:
        if self._writer is None:
            self._writer = _SheetWriter(self)
            self._writer.write_top()

    def append(self, row: object) -> None:
        super().append(row)
        self.appended += 1

    def append_rows(self, count: int, xml: bytes) -> None:
        """``count`` rows serialised as ``xml`` (numbered from ``appended + 1``)."""
        self._get_writer()
        if self._rows is None:
            self._rows = self._write_rows()
            next(self._rows)
        self._rows.send(_Rows(count, xml))
        self.appended += count

    def _write_rows(self):  # noqa: ANN202 - openpyxl's generator, taught _Rows
        try:
            xf = self._writer.xf.send(True)
        except StopIteration:
            self._already_saved()
        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    row = (yield)
                    if isinstance(row, _Rows):
                        xf.flush()
                        self._writer.raw.write(row.xml)
                        row_idx += row.count
                        continue
                    self._writer.write_row(xf, self._values_to_row(row, row_idx), row_idx)
                    row_idx += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)


def table_sheet(workbook: Workbook, title: str) -> TableSheet:
    """A new :class:`TableSheet` at the end of a write-only ``workbook``."""
    ws = TableSheet(parent=workbook, title=title)
    workbook._add_sheet(ws)
    return ws


def append_frame(ws: TableSheet, frame: pd.DataFrame, *, currency_column: str = "currency",
                 formats: Mapping[str, str] | None = None) -> None:
    """Append the rows of ``frame``: the cells of :func:`reports.cell_values.frame_rows`,
    serialised CHUNK_ROWS rows at a time."""
    formats, step = formats or {}, cell_values.CHUNK_ROWS
    for start in range(0, len(frame), step):
        chunk = frame.iloc[start:start + step]
        ws.append_rows(len(chunk), _chunk_xml(ws, chunk, currency_column, formats))


def _chunk_xml(ws: TableSheet, chunk: pd.DataFrame, currency_column: str,
               formats: Mapping[str, str]) -> bytes:
    first = ws.appended + 1
    numbers = np.arange(first, first + len(chunk)).astype(str).astype(object)
    currency = chunk[currency_column] if currency_column in chunk.columns else None
    columns = [cell_xml.column(chunk.iloc[:, at], currency=currency,
                               number_format=formats.get(name))
               for at, name in enumerate(chunk.columns)]
    for column in columns:  # number formats join the workbook as openpyxl adds them
        for number_format in column.formats_in_order():
            WriteOnlyCell(ws).number_format = number_format
    ids = _style_ids(ws, columns)
    table = np.empty((len(chunk), len(columns) + 2), dtype=object)
    table[:, 0] = '<row r="' + numbers + '">'
    table[:, -1] = "</row>"
    refs = numbers + '"'
    for at, column in enumerate(columns):
        table[:, at + 1] = column.xml(f'<c r="{get_column_letter(at + 1)}', refs, ids)
    return "".join(table.ravel().tolist()).encode("ascii", "xmlcharrefreplace")


def _style_ids(ws: TableSheet, columns: list[cell_xml.Column]) -> dict[object, int]:
    """The workbook's style id of every style the chunk uses, added in the order openpyxl
    meets them (row by row)."""
    styles = sorted({style for column in columns for style in column.styles()}, key=repr)
    if not styles:
        return {}
    code = {style: number for number, style in enumerate(styles)}
    grid = np.column_stack([column.style_codes(code) for column in columns]).ravel()
    seen, first = np.unique(grid, return_index=True)
    order = [int(value) for value, _ in sorted(zip(seen, first, strict=True),
                                               key=lambda pair: pair[1]) if value >= 0]
    return {styles[number]: _style_id(ws, styles[number]) for number in order}


def _style_id(ws: TableSheet, style: object) -> int:
    cell = WriteOnlyCell(ws)
    if style is cell_xml.QUOTED:
        cell.quotePrefix = True
    else:
        cell.number_format = style
    return cell.style_id
