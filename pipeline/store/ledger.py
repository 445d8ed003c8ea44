"""The allocation ledger in the store: appended to, never updated or deleted.

Appending is idempotent: every entry has an ``entry_key`` (see :func:`entry_keys`) and an
entry whose key is already stored is skipped, so re-running a night adds nothing.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from pipeline import frames
from pipeline.store import tables
from pipeline.store.bulk import BATCH, insert_ignoring
from pipeline.store.engine import big_write_cache, indexes_rebuilt_if_outgrown
from pipeline.store.fetch import no_cyclic_gc
from pipeline.store.reads import load_table
from pipeline.store.results import as_stored, column_values

LEDGER_SPEC = {
    "match_id": "text", "entry": "text", "status": "text", "money_key": "text",
    "payment_kind": "text", "invoice_number": "text", "applied_minor": "int",
    "fee_minor": "int", "currency": "text", "rule": "text", "reason": "text",
    "source_date": "date", "as_of": "date", "user": "text", "evidence": "text",
}
assert list(LEDGER_SPEC) == frames.LEDGER_COLUMNS


def entry_keys(entries: pd.DataFrame, now: dt.datetime) -> pd.Series:
    """One allocation and one credit per pair, one reversal per (pair, reversing money);
    a decision per pair and moment."""
    base = entries["entry"].astype(str) + ":" + entries["match_id"].astype(str)
    reversal = base + ":" + entries["evidence"].fillna("").astype(str)
    decision = base + ":" + now.isoformat()
    keys = base.where(entries["entry"] != "reversal", reversal)
    return keys.where(entries["entry"] != "decision", decision)


def append_entries(conn: Connection, entries: pd.DataFrame, now: dt.datetime) -> int:
    """Store the entries not stored yet (the first of two with one key); returns how many
    were added. Written in bulk, skipping stored keys (``ON CONFLICT DO NOTHING`` on the
    unique ``entry_key``), in the entries' order, the cyclic collector resting meanwhile (the
    row tuples form no cycle)."""
    if entries.empty:
        return 0
    entries = entries.assign(entry_key=entry_keys(entries, now).to_numpy())
    spec = {**LEDGER_SPEC, "entry_key": "text"}
    added = 0
    with no_cyclic_gc(), big_write_cache(conn), indexes_rebuilt_if_outgrown(
            conn, [tables.ledger_entries], len(entries)):
        for start in range(0, len(entries), BATCH):
            part = entries.iloc[start:start + BATCH]
            columns = {name: column_values(part, name, kind) for name, kind in spec.items()}
            columns["recorded_at"] = [now] * len(part)
            added += insert_ignoring(conn, tables.ledger_entries, columns)
    return added


def new_entries(ledger: pd.DataFrame, entries: pd.DataFrame, now: dt.datetime) -> np.ndarray:
    """Which of ``entries`` :func:`append_entries` at ``now`` adds to a store holding
    ``ledger`` (LEDGER_COLUMNS, as :func:`load_ledger` reads it): those whose key is not
    stored, the first of two with one key. A stored decision's key holds the moment it was
    recorded, never ``now``: only the other entries' keys are looked up."""
    keys = entry_keys(entries, now)
    stored = entry_keys(ledger.loc[ledger["entry"] != "decision"], now)
    return (~keys.isin(stored) & ~keys.duplicated()).to_numpy()


def ledger_after(ledger: pd.DataFrame, entries: pd.DataFrame, now: dt.datetime) -> pd.DataFrame:
    """The ledger as :func:`load_ledger` reads it once :func:`append_entries` has stored
    ``entries`` at ``now`` into a store holding ``ledger`` (in recorded order)."""
    added = as_stored(entries[new_entries(ledger, entries, now)], LEDGER_SPEC)
    if ledger.empty:
        return added
    return pd.concat([ledger, added], ignore_index=True) if len(added) else ledger


def load_ledger(conn: Connection) -> pd.DataFrame:
    """Every entry, in the order it was recorded."""
    return load_table(conn, tables.ledger_entries, LEDGER_SPEC)
