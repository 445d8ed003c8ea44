"""The canonical invoices and clients CSVs read into frames, a chunk of rows at a time.

Each chunk (:func:`parsers.csvframe.data_chunks`) is converted column by column
(:func:`parsers.csvframe.convert_chunk`: the reasons of :func:`parsers.csvspec.convert`)
and its good rows assembled column-wise into a :class:`~pipeline.record_frames.RecordFrame`,
amounts in minor units (:func:`parsers.amount_columns.minor_units`); a row whose amount has
more decimals than its currency goes through the per-record builder, so its reject reason is
the per-record one. A file whose first :data:`parsers.limits.REJECT_SAMPLE_ROWS` data rows
are all rejected, with rows after them, is refused as junk, as row by row. The tests check
that records, rejects and refusals are those of the per-record path.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from parsers import limits
from parsers.amount_columns import minor_units
from parsers.base import SourceFile
from parsers.csvframe import CHUNK_ROWS, column_texts, convert_chunk, data_chunks
from parsers.csvspec import CsvTable
from pipeline.models import Client, Invoice, Origin, Reject
from pipeline.record_frames import ORIGIN_FIELDS, RecordFrame


def read_rows(parser, source: SourceFile, table: CsvTable,  # noqa: ANN001
              size: int = CHUNK_ROWS) -> tuple[RecordFrame | None, list[Reject] | str]:
    """The records and row rejects of a canonical CSV (``parser``: its ``columns``,
    ``format`` and per-record ``build``), or the junk refusal as a string."""
    rows = table.rows
    key_at = table.index[parser.columns[0].name]
    model = Invoice if parser.kind == "invoices" else Client
    origin = {"source_file": source.name, "source_sha256": source.sha256,
              "source_format": parser.format}
    frames, rejects, first_record, seen = [], [], None, 0
    for chunk in data_chunks(rows.content, rows.delimiter, rows.skip, size):
        values, reasons = convert_chunk(parser.columns, table.index, chunk.cells)
        frame = pd.DataFrame(values, dtype=object)
        frame["source_line"] = pd.Series(chunk.lines, dtype=object)
        keys = column_texts(chunk.cells, key_at)
        frame["source_ref"] = keys.where(keys != "", None)
        good = frame.drop(index=list(reasons))
        records, failed = _assemble(model, good, origin, parser.build)
        reasons.update(failed)
        rejects += [source.reject(parser.format, reasons[i], chunk.lines[i],
                                  frame["source_ref"][i], chunk.raws[i]) for i in sorted(reasons)]
        kept = sorted(set(range(len(chunk))) - set(reasons))
        if first_record is None and kept:
            first_record = seen + kept[0]
        seen += len(chunk)
        sample = limits.REJECT_SAMPLE_ROWS
        if seen > sample and (first_record is None or first_record >= sample):
            return None, limits.junk(parser.format, rejects[:sample])
        frames.append(records.frame)
    whole = pd.concat(frames, ignore_index=True) if frames else _empty(model)
    return RecordFrame(model, whole), rejects


def _assemble(model: type, good: pd.DataFrame, origin: dict,
              build: Callable) -> tuple[RecordFrame, dict[int, str]]:
    """The records of the converted rows ``good``, and the reason of each row the
    per-record builder refuses (an amount with more decimals than its currency has)."""
    if model is Client:
        return RecordFrame(Client, _with_origin(good, origin)), {}
    currency = good["currency"]
    total, total_bad = minor_units(good["total"], currency)
    balance, balance_bad = minor_units(good["balance"], currency)
    unclean = total_bad | balance_bad
    clean = good[~unclean].drop(columns=["total", "balance"])
    clean.insert(0, "total_minor", _integers(total[~unclean]))
    clean.insert(1, "balance_minor", _integers(balance[~unclean]))
    clean.insert(2, "invoice_id", pd.Series([None] * len(clean), index=clean.index,
                                            dtype=object))
    frame = _with_origin(clean, origin)
    failed = {}
    for position, row in zip(good.index[unclean], good[unclean].to_dict("records"),
                             strict=True):
        where = {**origin, "source_line": row.pop("source_line"),
                 "source_ref": row.pop("source_ref")}
        try:
            build(row, Origin(**where))
        except ValueError as exc:
            failed[position] = str(exc)
    return RecordFrame(Invoice, frame.astype({"first_invoice": bool})), failed


def _integers(values: pd.Series) -> pd.Series:
    try:
        return values.astype("int64")
    except (OverflowError, TypeError, ValueError):
        return values.astype(object)


def _with_origin(frame: pd.DataFrame, origin: dict) -> pd.DataFrame:
    frame = frame.copy()
    for name, value in origin.items():
        frame[name] = pd.Series([value] * len(frame), index=frame.index, dtype=object)
    return frame.reset_index(drop=True)


def _empty(model: type) -> pd.DataFrame:
    names = [n for n in model.model_fields if n != "origin"] + list(ORIGIN_FIELDS)
    return pd.DataFrame({name: pd.Series([], dtype=object) for name in names})
