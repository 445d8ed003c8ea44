"""The current match result: replaced as a whole in one transaction, loaded back as frames."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Table, delete, select

from pipeline import frames
from pipeline.matching import MatchResult
from pipeline.store import tables
from pipeline.store.bulk import BATCH, insert_all
from pipeline.store.engine import big_write_cache, indexes_rebuilt
from pipeline.store.fetch import column_series, no_cyclic_gc
from pipeline.store.reads import columns_of, select_frame

ALLOCATION_SPEC = {
    "payment_kind": "text", "payment_id": "int", "invoice_number": "text", "applied_minor": "int",
    "currency": "text", "status": "text", "rule": "text", "confidence": "float", "reason": "text",
    "fee_minor": "int", "match_id": "text",
}
UNMATCHED_SPEC = {"payment_kind": "text", "payment_id": "int", "reason": "text"}
EXCEPTION_SPEC = {
    "kind": "text", "payment_kind": "text", "payment_id": "optint", "invoice_number": "text",
    "amount_minor": "optint", "currency": "text", "detail": "text",
}
TICKET_SPEC = {"ticket_id": "text", "status": "text", "payment_kind": "text",
               "payment_id": "optint", "invoice_number": "text", "detail": "text"}
PAYOUT_SPEC = {"gateway": "text", "payout_id": "text", "status": "text", "payment_kind": "text",
               "payment_id": "optint", "detail": "text"}
OTHER_MONEY_SPEC = {"payment_kind": "text", "payment_id": "int", "kind": "text",
                    "detail": "text"}
CANDIDATE_SPEC = {"payment_kind": "text", "payment_id": "int", "invoice_number": "text",
                  "pass_name": "text", "rule": "text", "outcome": "text", "reason": "text"}
assert list(ALLOCATION_SPEC) == frames.ALLOCATION_COLUMNS
assert list(UNMATCHED_SPEC) == frames.UNMATCHED_COLUMNS
assert list(EXCEPTION_SPEC) == frames.EXCEPTION_COLUMNS
assert list(TICKET_SPEC) == frames.TICKET_OUTCOME_COLUMNS
assert list(PAYOUT_SPEC) == frames.PAYOUT_OUTCOME_COLUMNS
assert list(OTHER_MONEY_SPEC) == frames.OTHER_MONEY_COLUMNS
assert list(CANDIDATE_SPEC) == frames.CANDIDATE_COLUMNS

PARTS = (
    ("allocations", tables.match_allocations, ALLOCATION_SPEC),
    ("unmatched", tables.match_unmatched, UNMATCHED_SPEC),
    ("exceptions", tables.match_exceptions, EXCEPTION_SPEC),
    ("tickets", tables.match_tickets, TICKET_SPEC),
    ("payouts", tables.match_payouts, PAYOUT_SPEC),
    ("other_money", tables.match_other_money, OTHER_MONEY_SPEC),
    ("candidates", tables.match_candidates, CANDIDATE_SPEC),
)
# what a report reads of the result: every part but what each pass considered
REPORT_PARTS = tuple(part for part in PARTS if part[0] != "candidates")


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def native(cell: object, kind: str) -> object:
    """A frame cell -> the Python value stored (numpy scalars and NaN/NA never reach the DB)."""
    if _missing(cell):
        if kind == "text":
            return ""
        if kind in ("optint", "opt", "date"):
            return None
        raise ValueError(f"missing cell in a required {kind} column")
    if kind in ("int", "optint"):
        if isinstance(cell, float) and not cell.is_integer():
            raise ValueError(f"not a whole number of minor units: {cell!r}")
        return int(cell)
    if kind == "float":  # the confidence column (0..1), never money
        return float(cell)
    return str(cell) if kind in ("text", "opt") else cell


# The Python types a column's values may already all have to be stored as they are
# (what :func:`native` would return for each of them unchanged).
_AS_STORED = {"text": {str}, "opt": {str, type(None)}, "int": {int},
              "optint": {int, type(None)}, "date": {dt.date, type(None)}}


def column_values(df: pd.DataFrame, name: str, kind: str) -> list:
    """One frame column as the Python values stored (what :func:`native` gives per cell),
    taken whole when its dtype, or else the set of its values' types, says they are those
    values already."""
    column = df[name]
    if kind in ("int", "optint") and column.dtype == "int64":
        return column.tolist()
    if kind == "float" and column.dtype == "float64" and not column.isna().any():
        return column.tolist()
    if kind == "float" and column.dtype == object:  # Python floats (a confidence column)
        values = column.tolist()
        if set(map(type, values)) <= {float, int}:
            floats = np.array(values, dtype=np.float64)
            if not np.isnan(floats).any():
                return floats.tolist()
        return [native(v, kind) for v in values]
    if kind == "text" and isinstance(column.dtype, pd.StringDtype):
        return (column.fillna("") if column.hasnans else column).tolist()
    values = column.tolist()
    if set(map(type, values)) <= _AS_STORED.get(kind, set()):
        return values
    return [native(v, kind) for v in values]


def _check_columns(df: pd.DataFrame, spec: dict[str, str]) -> None:
    missing = [c for c in spec if c not in df.columns]
    if missing:
        raise ValueError(f"match result frame lacks columns {missing}")


def columns_of_frame(df: pd.DataFrame, spec: dict[str, str], run_id: int) -> dict[str, list]:
    """``{column: [values]}`` of the frame's ``spec`` columns, with ``run_id`` first."""
    _check_columns(df, spec)
    columns = {name: column_values(df, name, kind) for name, kind in spec.items()}
    return {"run_id": [run_id] * len(df), **columns}


def as_stored(df: pd.DataFrame, spec: dict[str, str]) -> pd.DataFrame:
    """``df``'s ``spec`` columns as a read gives them back once stored: what is stored of
    each cell (:func:`column_values`: a missing text is ``''``, numpy scalars are Python
    values) in the dtype the read makes of it (:func:`pipeline.store.fetch.column_series`)."""
    _check_columns(df, spec)
    return pd.DataFrame({name: column_series(column_values(df, name, kind), kind)
                         for name, kind in spec.items()}, copy=False)


def as_report_reads(result: MatchResult) -> MatchResult:
    """``result`` as :func:`pipeline.store.report_reads.load_report_match` reads it back once
    saved (every part but its ``candidates`` and ``entries``, in stored form): a nightly run
    reports what it has just matched without reading it back."""
    return MatchResult(**{part: as_stored(getattr(result, part), spec)
                          for part, _, spec in REPORT_PARTS})


def save_match_result(conn: Connection, run_id: int, result: MatchResult) -> None:
    """Replace the current result: emptied, then written in bulk (:mod:`pipeline.store.bulk`)
    a slice of rows at a time; the caller's transaction makes it all-or-nothing (a bad
    frame raises and nothing is kept). The cyclic collector rests meanwhile: the millions of
    row tuples made on the way form no cycle, and would start it over and over."""
    for part, _, spec in PARTS:
        _check_columns(getattr(result, part), spec)
    runs = tables.runs
    if conn.execute(select(runs.c.id).where(runs.c.id == run_id)).first() is None:
        raise KeyError(f"no run {run_id}")  # what the rows' foreign key would refuse
    with no_cyclic_gc(), big_write_cache(conn), indexes_rebuilt(conn, tables.MATCH_TABLES):
        _empty(conn, tables.MATCH_TABLES)
        for part, table, spec in PARTS:
            df = getattr(result, part)
            for start in range(0, len(df), BATCH):
                part_columns = columns_of_frame(df.iloc[start:start + BATCH], spec, run_id)
                insert_all(conn, table, part_columns)


def _empty(conn: Connection, emptied: tuple[Table, ...]) -> None:
    """Every row of the tables deleted with ``DELETE FROM`` (SQLite truncates a table so
    deleted when no foreign key is checked; PostgreSQL's readers keep seeing the previous
    result until the commit, where a ``TRUNCATE`` would make them wait for it)."""
    for table in reversed(emptied):
        conn.execute(delete(table))


def load_match_result(conn: Connection) -> MatchResult:
    loaded = {
        part: select_frame(conn, select(*columns_of(table, spec)).order_by(table.c.id), spec)
        for part, table, spec in PARTS
    }
    return MatchResult(**loaded)
