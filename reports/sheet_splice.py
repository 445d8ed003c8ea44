"""Bulk tables in an openpyxl workbook: openpyxl writes everything but the table's rows, then
the saved file's sheet gets the rows :mod:`reports.sheet_xml` makes, in place of a template row.

:func:`add_bulk_table` appends the template row (one cell per style the table needs, so that
openpyxl registers each style and gives it an id) and remembers the table;
:func:`splice_bulk_tables` rewrites the saved ``.xlsx``: each such sheet's template row is
replaced by the table's rows, streamed into the archive a chunk at a time; rows appended
after the table (notes under it) move down below them.
"""

from __future__ import annotations

import queue
import re
import threading
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from weakref import WeakKeyDictionary

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from reports import sheet_rows, sheet_xml

_PENDING: WeakKeyDictionary[Workbook, list[_Bulk]] = WeakKeyDictionary()
_TEMPLATE_ROW = 2  # the row after the header
_STYLE = re.compile(r'<c r="[A-Z]+\d+"(?: s="(\d+)")?')
_ROW_OR_CELL = re.compile(r'(<row r="|<c r="[A-Z]+)(\d+)"')


@dataclass
class _Bulk:
    sheet: WriteOnlyWorksheet
    frame: pd.DataFrame
    formats: Mapping[str, str]
    currency_column: str
    specs: list[str]


def add_bulk_table(workbook: Workbook, ws: WriteOnlyWorksheet, frame: pd.DataFrame, *,
                   formats: Mapping[str, str], currency_column: str) -> None:
    """Append ``frame``'s template row to ``ws`` (right after its header) and remember the
    table for :func:`splice_bulk_tables`."""
    specs = sheet_xml.style_specs(frame, formats=formats, currency_column=currency_column)
    ws.append([_template_cell(ws, spec) for spec in specs])
    _PENDING.setdefault(workbook, []).append(
        _Bulk(ws, frame, formats, currency_column, specs))


def splice_bulk_tables(workbook: Workbook, path: Path) -> None:
    """Put the remembered tables' rows into the workbook saved at ``path``."""
    bulks = _PENDING.pop(workbook, [])
    if not bulks:
        return
    by_member = {bulk.sheet.path.lstrip("/"): bulk for bulk in bulks}
    spliced = path.with_name(path.name + ".splice")
    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(
                spliced, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
            for info in source.infolist():
                bulk = by_member.get(info.filename)
                if bulk is None:
                    target.writestr(info, source.read(info))
                else:
                    _write_sheet(target, info, source.read(info).decode("utf-8"), bulk)
        spliced.replace(path)
    finally:
        spliced.unlink(missing_ok=True)


def _template_cell(ws: WriteOnlyWorksheet, spec: str) -> WriteOnlyCell:
    if spec == sheet_xml.QUOTED:
        cell = WriteOnlyCell(ws, value="=")
        cell.data_type, cell.quotePrefix = "s", True
        return cell
    cell = WriteOnlyCell(ws, value=0)
    cell.number_format = spec
    return cell


def _write_sheet(target: zipfile.ZipFile, source_info: zipfile.ZipInfo, xml: str,
                 bulk: _Bulk) -> None:
    """The sheet as openpyxl wrote it, with the table's rows in place of the template row."""
    start = xml.find(f'<row r="{_TEMPLATE_ROW}"')
    end = xml.find("</row>", start) + len("</row>") if start >= 0 else -1
    if start < 0:  # an empty table: no template row, nothing to add
        target.writestr(source_info, xml)
        return
    ids = [int(found or 0) for found in _STYLE.findall(xml[start:end])]
    style_ids = dict(zip(bulk.specs, ids, strict=True))
    # by name: the archive's own compression (deflate, level 1: fast on large sheets)
    with target.open(source_info.filename, "w", force_zip64=True) as out, \
            _Behind(out) as behind:
        behind.write(xml[:start].encode("utf-8"))
        row = _TEMPLATE_ROW
        for chunk in sheet_xml.table_chunks(bulk.frame, formats=bulk.formats,
                                            currency_column=bulk.currency_column):
            behind.write(sheet_rows.rows_xml(chunk, style_ids, row).encode("utf-8"))
            row += len(chunk[0].text) if chunk else 0
        behind.write(_rows_moved_down(xml[end:], row - _TEMPLATE_ROW - 1).encode("utf-8"))


class _Behind:
    """Writes to ``out`` on a thread of its own, a few chunks behind the caller: compressing
    (zlib lets go of the GIL) goes on while the next rows are made. Only that thread
    touches ``out`` until the ``with`` ends; its error is raised there."""

    def __init__(self, out: BinaryIO, depth: int = 2) -> None:
        self._out, self._queue = out, queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._drain, name="xlsx-writer", daemon=True)

    def __enter__(self) -> _Behind:
        self._thread.start()
        return self

    def write(self, data: bytes) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(data)

    def __exit__(self, *exc: object) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None and exc[0] is None:
            raise self._error

    def _drain(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._error is None:  # after an error: only emptied, so no write() waits
                try:
                    self._out.write(data)
                except BaseException as error:  # noqa: BLE001 - raised in the caller
                    self._error = error


def _rows_moved_down(tail: str, by: int) -> str:
    """The rest of the sheet, with the rows openpyxl wrote after the template row (notes
    under a table) numbered ``by`` rows further down, below the table's rows."""
    end = tail.find("</sheetData>")
    after = tail[:end]
    if not by or "<row" not in after:
        return tail
    moved = _ROW_OR_CELL.sub(lambda m: f'{m.group(1)}{int(m.group(2)) + by}"', after)
    return moved + tail[end:]
