"""The allocation ledger in the store: appended to, never updated or deleted.

Appending is idempotent: every entry has an ``entry_key`` (see :func:`entry_keys`) and an
entry whose key is already stored is skipped, so re-running a night adds nothing.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, insert, select

from pipeline import frames
from pipeline.store import tables
from pipeline.store.reads import load_table
from pipeline.store.results import native

LEDGER_SPEC = {
    "match_id": "text", "entry": "text", "status": "text", "money_key": "text",
    "payment_kind": "text", "invoice_number": "text", "applied_minor": "int",
    "fee_minor": "int", "currency": "text", "rule": "text", "reason": "text",
    "source_date": "date", "as_of": "date", "user": "text", "evidence": "text",
}
assert list(LEDGER_SPEC) == frames.LEDGER_COLUMNS
_CHUNK = 500


def entry_keys(entries: pd.DataFrame, now: dt.datetime) -> pd.Series:
    """One allocation and one credit per pair, one reversal per (pair, reversing money);
    a decision per pair and moment."""
    base = entries["entry"].astype(str) + ":" + entries["match_id"].astype(str)
    reversal = base + ":" + entries["evidence"].fillna("").astype(str)
    decision = base + ":" + now.isoformat()
    keys = base.where(entries["entry"] != "reversal", reversal)
    return keys.where(entries["entry"] != "decision", decision)


def append_entries(conn: Connection, entries: pd.DataFrame, now: dt.datetime) -> int:
    """Store the entries not stored yet; returns how many were added."""
    if entries.empty:
        return 0
    keys = entry_keys(entries, now)
    entries = entries.assign(entry_key=keys.to_numpy()).drop_duplicates("entry_key")
    t = tables.ledger_entries
    unique = list(entries["entry_key"])
    stored = set()
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start:start + _CHUNK]
        stored |= set(conn.execute(select(t.c.entry_key).where(t.c.entry_key.in_(chunk)))
                      .scalars())
    fresh = entries[~entries["entry_key"].isin(stored)]
    if fresh.empty:
        return 0
    spec = {**LEDGER_SPEC, "as_of": "date", "source_date": "date", "entry_key": "text"}
    columns = {name: [native(v, kind) for v in fresh[name].tolist()]
               for name, kind in spec.items()}
    rows = [dict(zip(columns, values, strict=True), recorded_at=now)
            for values in zip(*columns.values(), strict=True)]
    conn.execute(insert(t), rows)
    return len(rows)


def load_ledger(conn: Connection) -> pd.DataFrame:
    """Every entry, in the order it was recorded."""
    return load_table(conn, tables.ledger_entries, LEDGER_SPEC)
