"""A CSV file read once into column texts, a chunk of rows at a time.

:func:`read_texts` is :func:`parsers.csvspec.read_table` in a single pass: it decodes the
file, sniffs the delimiter, resolves the declared columns against the header and reads every
record once (:func:`parsers.csvframe.record_chunks`), keeping of each data row only its line,
its physical text and the stripped text of the columns asked for (a
:class:`TextChunk` per chunk of at most :data:`parsers.csvframe.CHUNK_ROWS` rows). The rows
too long to read and a cut last record are found on the same pass and left out of the chunks,
as ``read_table`` leaves them out of its rows; the refusals (unreadable CSV, empty file,
missing columns) are its own, in its order. Frame-reading parsers convert the chunks' texts a
column at a time (:mod:`parsers.gateway_frames`) after any file-wide decision.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from parsers.csvframe import CHUNK_ROWS, RowChunk, column_texts, record_chunks
from parsers.csvspec import (
    Column,
    CsvRecord,
    CsvTable,
    decode,
    first_line,
    last_record,
    long_records,
    resolve,
    sniff_delimiter,
)
from parsers.limits import MAX_LINE_CHARS


@dataclass(frozen=True)
class TextChunk:
    """Data rows of one chunk: first physical line, physical text, and the stripped text of
    each column asked for (a default-indexed Series per name, ``''`` where a row is short)."""

    lines: list[int]
    raws: list[str]
    texts: dict[str, pd.Series]

    def __len__(self) -> int:
        return len(self.lines)

    def take(self, positions: Sequence[int]) -> TextChunk:
        """The rows at ``positions`` (in that order), texts re-indexed from 0."""
        where = list(positions)
        return TextChunk([self.lines[i] for i in where], [self.raws[i] for i in where],
                         {name: texts.iloc[where].reset_index(drop=True)
                          for name, texts in self.texts.items()})


def read_texts(data: bytes, columns: Sequence[Column], what: str,
               extra: Callable[[list[str]], dict[str, int]] | None = None,
               size: int = CHUNK_ROWS) -> CsvTable | str:
    """The file as :func:`parsers.csvspec.read_table` reads it, its rows as a list of
    :class:`TextChunk` (texts of ``columns`` and of the columns ``extra`` names from the
    header cells: name -> position), or the reason it is refused."""
    content = decode(data)
    delimiter = sniff_delimiter(first_line(content))
    header, index, missing, where = None, {}, [], {}
    last, long, chunks = None, [], []
    try:
        for chunk in record_chunks(content, delimiter, size):
            if header is None and chunk.lines:
                header = CsvRecord(chunk.lines[0], chunk.cells[0], chunk.raws[0])
                index, missing = resolve(columns, header.cells)
                where = {**index, **(extra(header.cells) if extra else {})}
            last = last_record(chunk) or last
            long += long_records(chunk)
            if not missing:
                chunks.append(_texts(chunk, header, where, columns))
    except csv.Error as exc:
        return f"unreadable CSV: {exc}"
    if header is None:
        return "empty file: no header row"
    if missing:
        return f"not {what}: header lacks {', '.join(missing)}"
    cut = last if last and last.line > 1 and len(last.cells) < len(header.cells) else None
    if cut is not None:
        chunks = _without(chunks, cut.line)
    return CsvTable(header, index, [c for c in chunks if len(c)], cut, tuple(long))


def _texts(chunk: RowChunk, header: CsvRecord, where: dict[str, int],
           columns: Sequence[Column]) -> TextChunk:
    """The chunk's data rows (not the header, not blank, not too long) as column texts."""
    keep = [i for i, cells in enumerate(chunk.cells)
            if chunk.lines[i] != header.line and any(cell.strip() for cell in cells)
            and not (chunk.lines[i] > 1 and len(chunk.raws[i]) > MAX_LINE_CHARS)]
    cells = [chunk.cells[i] for i in keep]
    names = [*(c.name for c in columns), *(n for n in where if n not in
                                            {c.name for c in columns})]
    wanted = [where.get(name) for name in names]
    if cells and min(map(len, cells)) > max((p for p in wanted if p is not None), default=0):
        # every row reaches the last position asked for: transposed in one go (the cells
        # past the shortest row are not asked for)
        by_position = list(zip(*cells, strict=False))
        texts = {name: pd.Series(list(map(str.strip, by_position[p])), dtype=object)
                 if p is not None else column_texts(cells, None)
                 for name, p in zip(names, wanted, strict=True)}
    else:
        texts = {name: column_texts(cells, p) for name, p in zip(names, wanted, strict=True)}
    return TextChunk([chunk.lines[i] for i in keep], [chunk.raws[i] for i in keep], texts)


def _without(chunks: list[TextChunk], line: int) -> list[TextChunk]:
    """The chunks without the row starting at ``line`` (the cut last record)."""
    for n in reversed(range(len(chunks))):
        chunk = chunks[n]
        if chunk.lines and chunk.lines[-1] == line:
            chunks[n] = chunk.take(range(len(chunk) - 1))
            break
    return chunks
