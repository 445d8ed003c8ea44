"""Set-based ingestion: natural keys make it idempotent; invoices and clients are upserted.

Every function works on an open connection inside the caller's transaction. Records are
taken column-wise (:mod:`pipeline.store.rows`) and written in bulk (:mod:`pipeline.store.bulk`):
keyed records with one ``ON CONFLICT DO NOTHING`` insert per batch (the database does the
dedup), versioned records (invoices, clients) compared with what is stored, one query per
chunk of keys, and history rows written only for the new and the changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Table, bindparam, func, select

from pipeline.models import (
    BankTransaction,
    Client,
    GatewayTransaction,
    Invoice,
    StatementBalance,
    Ticket,
)
from pipeline.record_frames import RecordFrame, RecordGroups, collector_paused
from pipeline.store import rows, tables
from pipeline.store.bulk import insert_all, insert_ignoring
from pipeline.store.engine import big_write_cache, indexes_rebuilt_if_outgrown

CHUNK = 5000  # keys per IN list when reading stored versions


@dataclass(frozen=True)
class IngestCounts:
    new: int
    duplicates: int
    rejected: int
    invoices_updated: int = 0  # invoices (and clients) whose content changed in place
    # the file's content was already stored (e.g. by another process at the same moment)
    already_ingested: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class _Keyed:
    table: Table
    columns: Callable  # (records, file_id) -> rows.Columns


@dataclass(frozen=True)
class _Versioned:
    table: Table
    history: Table
    key: str
    content: tuple[str, ...]
    columns: Callable


KEYED = {
    BankTransaction: _Keyed(tables.bank_transactions, rows.bank_columns),
    GatewayTransaction: _Keyed(tables.gateway_transactions, rows.gateway_columns),
    Ticket: _Keyed(tables.tickets, rows.ticket_columns),
    StatementBalance: _Keyed(tables.statement_balances, rows.balance_columns),
}
VERSIONED = {
    Invoice: _Versioned(
        tables.invoices, tables.invoice_history, "invoice_number", rows.INVOICE_CONTENT,
        rows.invoice_columns,
    ),
    Client: _Versioned(
        tables.clients, tables.client_history, "client_id", rows.CLIENT_CONTENT,
        rows.client_columns,
    ),
}


def record_groups(records: Sequence) -> dict[type, Sequence]:
    """The records by model, each group in file order: a :class:`RecordFrame` stays one
    (taken column-wise as it is), as does each frame of a :class:`RecordGroups`; records in
    lists are grouped by their type."""
    parts = records.parts if isinstance(records, RecordGroups) else (records,)
    groups: dict[type, Sequence] = {}
    for part in parts:
        if isinstance(part, RecordFrame):
            if len(part):
                if part.model in groups:
                    raise TypeError(f"two groups of {part.model.__name__} records")
                groups[part.model] = part
            continue
        for record in part:
            group = groups.setdefault(type(record), [])
            if isinstance(group, RecordFrame):
                raise TypeError(f"two groups of {type(record).__name__} records")
            group.append(record)  # type: ignore[attr-defined]
    return groups


@collector_paused()
def insert_new(conn: Connection, spec: _Keyed, records: Sequence, file_id: int) -> tuple[int, int]:
    """Insert records whose natural key is not stored yet; returns (new, duplicates).

    The first of several records with one key inside the file is the one kept.
    """
    with big_write_cache(conn), indexes_rebuilt_if_outgrown(conn, [spec.table], len(records)):
        new = insert_ignoring(conn, spec.table, spec.columns(records, file_id))
    return new, len(records) - new


@collector_paused()
def upsert_versioned(
    conn: Connection, spec: _Versioned, records: Sequence, file_id: int, now: dt.datetime
) -> tuple[int, int, int]:
    """Insert new keys, update changed content in place, snapshot each version into history.

    Returns (new, duplicates, updated); an identical record changes nothing, and of several
    records with one key inside the file the last one counts (the others are duplicates).
    """
    columns = spec.columns(records, file_id)
    latest = {key: i for i, key in enumerate(columns[spec.key])}  # the last one wins
    stored = _stored_versions(conn, spec, list(latest))
    content = [columns[name] for name in spec.content]
    inserts, updates = [], []
    for key, i in latest.items():
        if key not in stored:
            inserts.append(i)
        elif stored[key] != tuple(values[i] for values in content):
            updates.append(i)
    with big_write_cache(conn), indexes_rebuilt_if_outgrown(
            conn, [spec.table, spec.history], len(inserts) + len(updates)):
        _write_versions(conn, spec, rows.take(columns, sorted(inserts)),
                        rows.take(columns, sorted(updates)), now)
    return len(inserts), len(records) - len(inserts) - len(updates), len(updates)


def _stored_versions(conn: Connection, spec: _Versioned, keys: list) -> dict:
    """key -> stored content tuple, for the keys already stored: one query per chunk of
    keys, or one read of the whole table when it holds fewer rows than the keys asked."""
    key_col = spec.table.c[spec.key]
    query = select(key_col, *(spec.table.c[c] for c in spec.content))
    held = conn.execute(select(func.max(spec.table.c.id))).scalar() or 0
    if held <= len(keys):
        wanted = set(keys)
        return {row[0]: tuple(row[1:]) for row in conn.execute(query) if row[0] in wanted}
    stored = {}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start:start + CHUNK]
        stored.update((row[0], tuple(row[1:]))
                      for row in conn.execute(query.where(key_col.in_(chunk))))
    return stored


def _write_versions(conn: Connection, spec: _Versioned, inserts: rows.Columns,
                    updates: rows.Columns, now: dt.datetime) -> None:
    new, changed = rows.row_count(inserts), rows.row_count(updates)
    if new:
        insert_all(conn, spec.table, {**inserts, "updated_at": [now] * new})
    if changed:
        key_col = spec.table.c[spec.key]
        statement = spec.table.update().where(key_col == bindparam("_key"))
        values = {**{k: v for k, v in updates.items() if k != spec.key},
                  "updated_at": [now] * changed, "_key": updates[spec.key]}
        conn.execute(statement, [dict(zip(values, row, strict=True))
                                 for row in zip(*values.values(), strict=True)])
    if new or changed:
        history = {name: inserts[name] + updates[name] for name in inserts}
        insert_all(conn, spec.history, {**history, "valid_from": [now] * (new + changed)})
