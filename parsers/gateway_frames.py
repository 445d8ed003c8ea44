"""Gateway exports (Stripe, PayPal) read into frames: the rows a format can build column-wise
are, the others go through its per-record builder, so a record or a reject reason is the
per-record one by construction.

A format gives two functions over a :class:`parsers.csv_texts.TextChunk`:

* ``fast(chunk)``: which rows it builds column-wise (every required text present, dates and
  currencies read, amounts in minor units without a Decimal and adding up) and their record
  columns (a DataFrame indexed by row position, the model's fields but ``origin``);
* ``slow(values, chunk, position)``: one row through the per-record path, from its values as
  :func:`parsers.csvspec.convert` gives them (the same converters, a column at a time), the
  record's fields as a dict, or ``ValueError`` with the reject reason.

Rows whose columns do not convert are rejects with the per-record reason
(:func:`parsers.csvframe.convert_columns`); a file whose first
:data:`parsers.limits.REJECT_SAMPLE_ROWS` rows are all rejected, with rows after them, is
refused as junk, as row by row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from parsers import limits
from parsers.base import SourceFile
from parsers.csv_texts import TextChunk
from parsers.csvframe import convert_columns
from parsers.csvspec import Column
from pipeline.models import GatewayTransaction, Reject
from pipeline.record_frames import ORIGIN_FIELDS

Fast = Callable[[TextChunk], tuple[pd.Series, pd.DataFrame]]
Slow = Callable[[dict, TextChunk, int], dict]
FIELDS = tuple(n for n in GatewayTransaction.model_fields if n != "origin")


def read_frames(source: SourceFile, fmt: str, chunks: Sequence[TextChunk],
                columns: Sequence[Column], fast: Fast, slow: Slow,
                ref_name: str) -> tuple[pd.DataFrame, list[Reject]] | str:
    """The record rows (record fields, then the origin's; extra columns a format adds
    kept) and the row rejects of a file's chunks, or the junk refusal as a string."""
    frames, rejects, first, seen = [], [], None, 0
    for chunk in chunks:
        refs = chunk.texts[ref_name].where(chunk.texts[ref_name] != "", None)
        good, failed = _chunk(chunk, columns, fast, slow)
        rejects += [source.reject(fmt, failed[i], chunk.lines[i], refs[i], chunk.raws[i])
                    for i in sorted(failed)]
        if first is None and len(good):
            first = seen + int(good.index[0])
        if len(good):
            frames.append(_with_origin(good, source, fmt, chunk, refs, seen))
        seen += len(chunk)
    sample = limits.REJECT_SAMPLE_ROWS
    if seen > sample and (first is None or first >= sample):
        return limits.junk(fmt, rejects[:sample])
    whole = pd.concat(frames, ignore_index=True) if frames else _empty()
    return whole, rejects


def _chunk(chunk: TextChunk, columns: Sequence[Column], fast: Fast,
           slow: Slow) -> tuple[pd.DataFrame, dict[int, str]]:
    """The chunk's record rows by position, and the reject reason of each other row."""
    taken, frame = fast(chunk)
    rest = [int(i) for i in taken.index[~taken]]
    if not rest:
        return frame, {}
    texts = {c.name: chunk.texts[c.name].iloc[rest].reset_index(drop=True) for c in columns}
    values, reasons = convert_columns(columns, texts)
    names = [c.name for c in columns]
    built, failed = {}, {}
    for n, position in enumerate(rest):
        if n in reasons:
            failed[position] = reasons[n]
            continue
        try:
            built[position] = slow({name: values[name][n] for name in names}, chunk, position)
        except ValueError as exc:  # AmountError, CurrencyError, pydantic's errors too
            failed[position] = str(exc)
    if built:
        extra = pd.DataFrame(list(built.values()), index=list(built))
        frame = pd.concat([frame, extra.astype({c: object for c in extra.columns})]
                          ).sort_index()
    return frame, failed


def _with_origin(frame: pd.DataFrame, source: SourceFile, fmt: str, chunk: TextChunk,
                 refs: pd.Series, offset: int) -> pd.DataFrame:
    positions = frame.index
    lines = pd.Series(chunk.lines, dtype=object)
    origin = {"source_file": source.name, "source_sha256": source.sha256,
              "source_format": fmt}
    for name in ORIGIN_FIELDS:
        if name == "source_line":
            frame[name] = lines[positions].to_numpy()
        elif name == "source_ref":
            frame[name] = refs[positions].to_numpy()
        else:
            frame[name] = constant(origin[name], positions)
    frame.index = positions + offset
    return frame


def constant(value: object, index: pd.Index) -> pd.Series:
    """``value`` on every row, as Python objects (never a pandas string or float column)."""
    return pd.Series([value] * len(index), index=index, dtype=object)


def record_row(record: GatewayTransaction) -> dict:
    """A record's fields but its origin (what ``slow`` returns)."""
    return {k: v for k, v in record.__dict__.items() if k != "origin"}


def _empty() -> pd.DataFrame:
    names = [*FIELDS, *ORIGIN_FIELDS]
    return pd.DataFrame({name: pd.Series([], dtype=object) for name in names})


def first_filled(*columns: pd.Series) -> pd.Series:
    """Per row, the first non-empty text among ``columns`` (``a or b or c``), else ``''``."""
    out = columns[-1]
    for column in reversed(columns[:-1]):
        out = column.where(column != "", out)
    return out
