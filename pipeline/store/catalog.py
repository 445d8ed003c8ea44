"""What the store knows about itself: the input files it read, and its identity.

The identity names one database (not its URL): a hash of its first run's id and start time.
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


def database_id(conn: Connection) -> str:
    """``db-<16 hex>`` from the first run's id and start time; ``''`` before any run."""
    t = tables.runs
    first = conn.execute(select(t.c.id, t.c.started_at).order_by(t.c.id).limit(1)).first()
    if first is None:
        return ""
    started = first.started_at
    if started.tzinfo is not None:
        started = started.astimezone(dt.UTC).replace(tzinfo=None)
    stamp = started.isoformat(timespec="seconds")
    return "db-" + hashlib.sha256(f"{first.id}|{stamp}".encode()).hexdigest()[:16]
