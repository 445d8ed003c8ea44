"""Set-based ingestion: natural keys make it idempotent; invoices and clients are upserted.

Every function works on an open connection inside the caller's transaction and issues a
bounded number of statements per chunk of records (never one query per record).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Table, bindparam, insert, select

from pipeline.models import (
    BankTransaction,
    Client,
    GatewayTransaction,
    Invoice,
    StatementBalance,
    Ticket,
)
from pipeline.store import rows, tables

CHUNK = 5000


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
    keys: tuple[str, ...]
    to_row: Callable


@dataclass(frozen=True)
class _Versioned:
    table: Table
    history: Table
    key: str
    content: tuple[str, ...]
    to_row: Callable


KEYED = {
    BankTransaction: _Keyed(tables.bank_transactions, ("account_id", "natural_key"), rows.bank_row),
    GatewayTransaction: _Keyed(
        tables.gateway_transactions, ("gateway", "transaction_id"), rows.gateway_row
    ),
    Ticket: _Keyed(tables.tickets, ("ticket_id",), rows.ticket_row),
    StatementBalance: _Keyed(tables.statement_balances, ("natural_key",), rows.balance_row),
}
VERSIONED = {
    Invoice: _Versioned(
        tables.invoices, tables.invoice_history, "invoice_number", rows.INVOICE_CONTENT,
        rows.invoice_row,
    ),
    Client: _Versioned(
        tables.clients, tables.client_history, "client_id", rows.CLIENT_CONTENT, rows.client_row
    ),
}


def chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def insert_ignoring_conflicts(conn: Connection, table: Table):  # noqa: ANN201
    """INSERT that skips rows a concurrent writer stored meanwhile (natural-key conflicts)."""
    name = conn.dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table).on_conflict_do_nothing()
    return insert(table)


def existing_keys(conn: Connection, table: Table, keys: tuple[str, ...], values: list) -> set:
    """The subset of ``values`` (key tuples) already stored: one query for the whole chunk.

    Each key column is filtered with its own IN list (index-friendly on every database; a
    row-value IN is not), then the exact tuples are kept.
    """
    if not values:
        return set()
    columns = [table.c[k] for k in keys]
    conditions = [col.in_(sorted({v[i] for v in values})) for i, col in enumerate(columns)]
    wanted = set(values)
    return {key for key in map(tuple, conn.execute(select(*columns).where(*conditions)))
            if key in wanted}


def insert_new(conn: Connection, spec: _Keyed, records: list, file_id: int) -> tuple[int, int]:
    """Insert records whose natural key is not stored yet; returns (new, duplicates)."""
    new = duplicates = 0
    statement = insert_ignoring_conflicts(conn, spec.table)
    for chunk in chunks(records):
        unique: dict[tuple, dict] = {}
        for record in chunk:
            row = spec.to_row(record, file_id)
            unique.setdefault(tuple(row[k] for k in spec.keys), row)
        stored = existing_keys(conn, spec.table, spec.keys, list(unique))
        fresh = [row for key, row in unique.items() if key not in stored]
        if fresh:
            conn.execute(statement, fresh)
        new += len(fresh)
        duplicates += len(chunk) - len(fresh)
    return new, duplicates


def upsert_versioned(
    conn: Connection, spec: _Versioned, records: list, file_id: int, now: dt.datetime
) -> tuple[int, int, int]:
    """Insert new keys, update changed content in place, snapshot each version into history.

    Returns (new, duplicates, updated); an identical record changes nothing.
    """
    new = duplicates = updated = 0
    key_col = spec.table.c[spec.key]
    for chunk in chunks(records):
        latest = {row[spec.key]: row for row in (spec.to_row(r, file_id) for r in chunk)}
        duplicates += len(chunk) - len(latest)
        query = select(key_col, *(spec.table.c[c] for c in spec.content))
        stored = {
            row[0]: tuple(row[1:])
            for row in conn.execute(query.where(key_col.in_(list(latest))))
        }
        inserts, updates = [], []
        for key, row in latest.items():
            if key not in stored:
                inserts.append(row)
            elif stored[key] != tuple(row[c] for c in spec.content):
                updates.append(row)
        duplicates += len(latest) - len(inserts) - len(updates)
        _write_versions(conn, spec, inserts, updates, now)
        new, updated = new + len(inserts), updated + len(updates)
    return new, duplicates, updated


def _write_versions(
    conn: Connection, spec: _Versioned, inserts: list, updates: list, now: dt.datetime
) -> None:
    if inserts:
        conn.execute(insert(spec.table), [{**row, "updated_at": now} for row in inserts])
    if updates:
        key_col = spec.table.c[spec.key]
        statement = spec.table.update().where(key_col == bindparam("_key"))
        params = [
            {**{k: v for k, v in row.items() if k != spec.key}, "updated_at": now,
             "_key": row[spec.key]}
            for row in updates
        ]
        conn.execute(statement, params)
    if inserts or updates:
        conn.execute(
            insert(spec.history), [{**row, "valid_from": now} for row in (*inserts, *updates)]
        )
