"""The ``<row>`` elements of a worksheet from its columns' cells (:class:`Cells`, made by
:mod:`reports.sheet_xml`), without a Python step per cell.

Every cell omits its ``r`` attribute (its place) where a reader can count it: SpreadsheetML
places a cell without ``r`` in the column after the cell before it (openpyxl, Excel and
LibreOffice read it so). A column with missing values writes no cell on those rows, so the
cells of the column after it keep ``r``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from reports.sheet_text import concatenated, listed
from reports.sheet_xml import Cells


def rows_xml(columns: list[Cells], style_ids: Mapping[str, int], first_row: int) -> str:
    """The ``<row>`` elements of ``columns`` (one :class:`Cells` each), numbered from
    ``first_row``; a cell's style id is ``style_ids[spec]``. A cell names its column (the
    ``r`` attribute) only after a column with missing values: elsewhere it is the cell after
    the one before it, as a reader counts a cell without ``r``. The rows are one
    ``str.join`` of their parts, laid out row after row (:func:`_interleaved`)."""
    n = len(columns[0].text) if columns else 0
    numbers = list(map(str, range(first_row, first_row + n)))
    styles = {spec: f' s="{sid}"' for spec, sid in style_ids.items()}
    parts: list[object] = ['<row r="', numbers, '">']
    made: dict[int, list[object]] = {}  # the amount columns share their rows' money formats
    after_whole = True  # the cell before is in every row
    for at, column in enumerate(columns):
        head = ["<c"] if after_whole else [f'<c r="{get_column_letter(at + 1)}', numbers, '"']
        if column.whole:
            if id(column.spec) not in made:
                made[id(column.spec)] = _style_parts(column.spec, styles)
            parts += [*head, *made[id(column.spec)], column.before, column.text, column.after]
        else:
            parts.append(_cells_text(column, head, styles))
        after_whole = column.whole
    parts.append("</row>")
    return _interleaved(parts, n)


def _interleaved(parts: list[object], n: int) -> str:
    """Row by row concatenation of ``parts`` (``str``: the same on every row; else ``n``
    strings, one per row) as one string: a row's run of ``str`` parts is joined once, and
    the per-row parts are laid into their places of a list repeating that layout."""
    layout: list[str | None] = [""]
    columns: list[tuple[int, list[str]]] = []
    for part in parts:
        if isinstance(part, str):
            layout[-1] += part
        else:
            columns.append((len(layout), listed(part, n)))
            layout += [None, ""]
    flat = layout * n
    for at, column in columns:
        flat[at::len(layout)] = column
    return "".join(flat)


def _style_parts(spec: object, styles: Mapping[str, str]) -> list[object]:
    """The ``s`` attribute: one ``str`` when ``spec`` is one for every row, else one per
    row."""
    if not isinstance(spec, np.ndarray):
        return [styles.get(spec, "")]
    codes, specs = pd.factorize(spec, use_na_sentinel=False)
    return [np.array([styles.get(s, "") for s in specs.tolist()], dtype=object)[codes]]


def _cells_text(cells: Cells, head: list[object], styles: Mapping[str, str]) -> list[str]:
    """Each row's ``<c>`` element of a column that is not whole (``''`` where the value is
    missing); ``head``: the start of the element, as :func:`rows_xml` lays it out."""
    present = np.flatnonzero(cells.text != None)  # noqa: E711 - elementwise
    codes, specs = pd.factorize(cells.spec[present], use_na_sentinel=False)
    style = np.array([styles.get(spec, "") for spec in specs.tolist()] + [""],
                     dtype=object)[codes]
    column = np.full(len(cells.text), "", dtype=object)
    column[present] = concatenated(*(
        part if isinstance(part, str) else np.array(part, dtype=object)[present].tolist()
        for part in head), style.tolist(), cells.text[present].tolist())
    return column.tolist()
