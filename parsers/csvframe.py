"""The common path of :mod:`parsers.csvspec`, a chunk of rows at a time.

Rows are read in bounded chunks (:data:`CHUNK_ROWS` records at most, so the transient cells
of a big file stay small) and converted column by column: text columns as they are, amounts
through :mod:`parsers.amount_columns`, every other declared converter once per distinct text
(a month has a few dozen dates and currencies). Each row's outcome is what
:func:`parsers.csvspec.convert` gives it (values, or the same reject reason, problems in
column order), which the tests check.

Reading: a chunk of physical lines goes through one ``csv.reader``; when each line is one
record (the usual export) their numbers are the line numbers. A chunk where a quoted field
spans lines, or that the reader cannot read strictly, switches the rest of the file to the
record-by-record reader of :func:`parsers.csvspec.records`, which counts physical lines.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter

import numpy as np
import pandas as pd

from parsers.amount_columns import each_distinct

CHUNK_ROWS = 20_000
_DAY_PART = re.compile(r"[^T ]*")  # a text before its time part: re.split(r"[T ]", t, 1)[0]
_CHUNK_CHARS = 4 * 1024 * 1024
# Line breaks str.splitlines knows and a CSV reader does not: a text with one is read by the
# record-by-record reader.
_OTHER_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


@dataclass(frozen=True)
class RowChunk:
    """Records of a CSV text, column-aligned: first physical line, physical text, cells."""

    lines: list[int]
    raws: list[str]
    cells: list[list[str]]

    def __len__(self) -> int:
        return len(self.lines)


def record_chunks(content: str, delimiter: str, size: int = CHUNK_ROWS) -> Iterator[RowChunk]:
    """Every record of ``content`` (the header too, blank ones too), in order, in chunks of
    at most ``size``. Raises ``csv.Error`` as :func:`parsers.csvspec.records` does."""
    line = 1
    if not any(mark in content for mark in _OTHER_BREAKS):
        for segment in _segments(content):
            lines = segment.splitlines(keepends=True)
            cells = _one_per_line(lines, delimiter)
            if cells is None:
                break
            for start in range(0, len(lines), size):
                part = lines[start:start + size]
                yield RowChunk(list(range(line + start, line + start + len(part))),
                               [text.rstrip("\r\n") for text in part],
                               cells[start:start + size])
            line += len(lines)
        else:
            return
    yield from _slow_chunks(content, delimiter, line, size)


def _segments(content: str) -> Iterator[str]:
    """``content`` in pieces of about :data:`_CHUNK_CHARS` that end after a line feed."""
    start = 0
    while start < len(content):
        end = content.find("\n", start + _CHUNK_CHARS)
        end = len(content) if end < 0 else end + 1
        yield content[start:end]
        start = end


def _one_per_line(lines: list[str], delimiter: str) -> list[list[str]] | None:
    """The cells of each line when every line is exactly one record, else ``None``."""
    try:
        cells = list(csv.reader(lines, delimiter=delimiter, strict=True))
    except csv.Error:
        return None
    return cells if len(cells) == len(lines) else None


def _slow_chunks(content: str, delimiter: str, first: int, size: int) -> Iterator[RowChunk]:
    from parsers.csvspec import records

    chunk = RowChunk([], [], [])
    for record in records(content, delimiter):
        if record.line < first:
            continue
        chunk.lines.append(record.line)
        chunk.raws.append(record.raw)
        chunk.cells.append(record.cells)
        if len(chunk) >= size:
            yield chunk
            chunk = RowChunk([], [], [])
    if chunk.lines:
        yield chunk


def data_chunks(content: str, delimiter: str, skip: frozenset[int] = frozenset(),
                size: int = CHUNK_ROWS) -> Iterator[RowChunk]:
    """The non-blank records after the header, but the lines in ``skip``, in chunks (what
    iterating :class:`parsers.csvspec.CsvRows` gives, column-aligned)."""
    header_seen = False
    for chunk in record_chunks(content, delimiter, size):
        keep = [i for i, cells in enumerate(chunk.cells) if not _blank(cells)
                and chunk.lines[i] not in skip]
        if not header_seen and chunk.lines:
            header_seen = True
            keep = [i for i in keep if i > 0]
        if keep:
            yield RowChunk([chunk.lines[i] for i in keep], [chunk.raws[i] for i in keep],
                           [chunk.cells[i] for i in keep])


def _blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def date_parts(convert, texts: pd.Series) -> tuple[pd.Series, dict]:  # noqa: ANN001
    """A column of date texts whose time part (after ``T`` or a space) ``convert`` ignores,
    read once per distinct date part; a text it refuses keeps its own reason."""
    parts = [_DAY_PART.match(text).group() for text in texts.tolist()]
    days, problems = each_distinct(convert, pd.Series(parts, index=texts.index, dtype=object))
    if not problems:
        return days, {}
    return days, each_distinct(convert, texts[days.isna()])[1]


def column_texts(cells: Sequence[list[str]], position: int | None) -> pd.Series:
    """The stripped text of one column of each row (``''`` when the row is short)."""
    if position is None:
        return pd.Series([""] * len(cells), dtype=object)
    if cells and min(map(len, cells)) > position:
        texts = map(str.strip, map(itemgetter(position), cells))
    else:
        texts = (row[position].strip() if position < len(row) else "" for row in cells)
    return pd.Series(list(texts), dtype=object)


def convert_chunk(columns: Sequence, index: dict[str, int],
                  cells: Sequence[list[str]]) -> tuple[dict[str, list], dict[int, str]]:
    """Each declared column's values (rows aligned with ``cells``) and the reject reason of
    each row that has one, by position: what :func:`parsers.csvspec.convert` gives."""
    return convert_columns(columns, {column.name: column_texts(cells, index.get(column.name))
                                     for column in columns})


def convert_columns(columns: Sequence, texts: dict[str, pd.Series], *,
                    once_per_text: bool = False) -> tuple[dict[str, list], dict[int, str]]:
    """Each declared column's values from its stripped ``texts`` (a default-indexed Series
    per column name, rows aligned) and the reject reason of each row that has one, by
    position: what :func:`parsers.csvspec.convert` gives each row. ``once_per_text``: the
    texts (stripped here) are converted once per distinct text (:func:`convert_once`)."""
    values: dict[str, list] = {}
    problems: dict[int, list[str]] = {}
    convert = convert_once if once_per_text else convert_column
    for column in columns:
        converted, errors = convert(column, texts[column.name])
        values[column.name] = converted
        for position, reason in errors:
            problems.setdefault(position, []).append(f"{column.name}: {reason}")
    return values, {i: "; ".join(found) for i, found in problems.items()}


def convert_once(column, texts: pd.Series) -> tuple[list, list[tuple[int, str]]]:  # noqa: ANN001
    """:func:`convert_column` of the texts (stripped) once per distinct text, spread back to
    the rows: for sources that repeat their amounts, dates, currencies and statuses."""
    codes, distinct = pd.factorize(texts)
    converted, errors = convert_column(column, pd.Series([t.strip() for t in distinct],
                                                         dtype=object))
    spread = np.empty(len(converted), dtype=object)
    spread[:] = converted
    reasons = dict(errors)
    rows = np.flatnonzero(np.isin(codes, list(reasons))).tolist()
    return spread[codes].tolist(), [(row, reasons[codes[row]]) for row in rows]


def convert_column(column, texts: pd.Series) -> tuple[list, list[tuple[int, str]]]:
    """One column's values and its problems ``(row position, reason)``, in row order."""
    from parsers.csvspec import text

    empty = texts == ""
    out = texts.copy()
    problems: list[tuple[int, str]] = []
    if column.required and empty.any():
        problems += [(int(i), "empty") for i in empty[empty].index]
    given = texts[~empty]
    if column.convert is not text and not given.empty:
        many = getattr(column.convert, "many", None)
        converted, errors = many(given) if many else each_distinct(column.convert, given)
        out[~empty] = converted
        if errors:
            bad = given[given.isin(list(errors))]
            problems += [(int(i), str(errors[t])) for i, t in bad.items()]
    if empty.any():
        out[empty] = None
    values = out.tolist()
    if empty.any() and column.empty is not None:
        for i in empty[empty].index:
            values[i] = column.empty
    return values, sorted(problems)


def converted_rows(columns: Sequence, index: dict[str, int], content: str, delimiter: str,
                   skip: frozenset[int] = frozenset(), size: int = CHUNK_ROWS,
                   ) -> Iterator[tuple[int, str, list[str], dict[str, object] | str]]:
    """Per data row, in order: its line, physical text, cells, and its values by column
    name or its reject reason (as :func:`parsers.csvspec.convert`), converted a chunk at a
    time."""
    names = [column.name for column in columns]
    for chunk in data_chunks(content, delimiter, skip, size):
        values, reasons = convert_chunk(columns, index, chunk.cells)
        rows = zip(*(values[name] for name in names), strict=True)
        for i, row in enumerate(rows):
            outcome = reasons.get(i) or dict(zip(names, row, strict=True))
            yield chunk.lines[i], chunk.raws[i], chunk.cells[i], outcome
