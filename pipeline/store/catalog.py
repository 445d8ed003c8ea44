"""What the store knows about itself: the input files it read, the items of each gateway
payout, and its identity.

The identity names one database (not its URL): a hash of its first run's id and start time
(to the microsecond, as both SQLite and PostgreSQL keep it).
A workbook stores it so ``review apply`` can refuse a workbook written from another database.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
from sqlalchemy import Connection, select

from pipeline.store import tables
from pipeline.store.reads import select_frame

FILE_SPEC = {"file_name": "text", "format": "text", "kind": "text", "status": "text",
             "reason": "text", "records_new": "int", "records_duplicate": "int",
             "records_rejected": "int", "invoices_updated": "int", "ingested_at": "opt"}


def load_source_files(conn: Connection) -> pd.DataFrame:
    """Every file the store read or quarantined (FILE_SPEC), in the order they came."""
    t = tables.source_files
    query = select(*(t.c[name] for name in FILE_SPEC)).order_by(t.c.id)
    return select_frame(conn, query, FILE_SPEC)


ITEM_SPEC = {"gateway": "text", "payout_id": "text", "transaction_id": "text", "kind": "text",
             "created_date": "date", "gross_minor": "int", "fee_minor": "int", "net_minor": "int",
             "currency": "text", "customer_name": "text", "description": "text"}


def load_payout_items(conn: Connection) -> pd.DataFrame:
    """The gateway transactions each payout carries (ITEM_SPEC), by payout then date."""
    t = tables.gateway_transactions
    query = (select(*(t.c[name] for name in ITEM_SPEC))
             .where(t.c.payout_id != "", t.c.kind != "payout")
             .order_by(t.c.gateway, t.c.payout_id, t.c.created_date, t.c.id))
    return select_frame(conn, query, ITEM_SPEC)


def database_id(conn: Connection) -> str:
    """``db-<16 hex>`` from the first run's id and start time (microseconds: two databases
    started in the same second differ); ``''`` before any run."""
    t = tables.runs
    first = conn.execute(select(t.c.id, t.c.started_at).order_by(t.c.id).limit(1)).first()
    if first is None:
        return ""
    started = first.started_at
    if started.tzinfo is not None:
        started = started.astimezone(dt.UTC).replace(tzinfo=None)
    stamp = started.isoformat(timespec="microseconds")
    return "db-" + hashlib.sha256(f"{first.id}|{stamp}".encode()).hexdigest()[:16]
