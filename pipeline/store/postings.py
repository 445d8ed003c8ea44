"""Postings finance entered in billing (``postings_posted``) and this database's identity."""

from __future__ import annotations

import datetime as dt
import uuid

import pandas as pd
from sqlalchemy import Connection, insert, select, tuple_

from pipeline import postings
from pipeline.store import tables
from pipeline.store.reads import load_table
from pipeline.store.results import native

POSTED_SPEC = {
    "match_id": "text", "kind": "text", "invoice_number": "text", "billing_id": "text",
    "transid": "text", "gateway": "text", "amount_minor": "int", "fee_minor": "int",
    "currency": "text", "date": "date", "checksum": "text",
}
assert list(POSTED_SPEC) == postings.POSTED_COLUMNS
DATABASE_ID = "database_id"
_CHUNK = 500


def load_posted(conn: Connection) -> pd.DataFrame:
    return load_table(conn, tables.postings_posted, POSTED_SPEC)


def record_posted(conn: Connection, rows: pd.DataFrame, *, file_name: str, file_sha256: str,
                  user: str, now: dt.datetime) -> int:
    """Store the rows whose ``(match_id, kind)`` is not stored yet; returns how many."""
    t = tables.postings_posted
    keys = list(zip(rows["match_id"], rows["kind"], strict=True))
    stored: set = set()
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start:start + _CHUNK]
        stored |= set(conn.execute(select(t.c.match_id, t.c.kind)
                                   .where(tuple_(t.c.match_id, t.c.kind).in_(chunk))).all())
    fresh = rows[[key not in stored for key in keys]]
    if fresh.empty:
        return 0
    columns = {name: [native(v, kind) for v in fresh[name].tolist()]
               for name, kind in POSTED_SPEC.items()}
    extra = {"file_name": file_name, "file_sha256": file_sha256, "user": user,
             "recorded_at": now}
    conn.execute(insert(t), [dict(zip(columns, values, strict=True), **extra)
                             for values in zip(*columns.values(), strict=True)])
    return len(fresh)


def database_id(conn: Connection) -> str:
    """This database's random id, made (and kept) the first time it is asked for."""
    t = tables.store_meta
    found = conn.execute(select(t.c.value).where(t.c.key == DATABASE_ID)).scalar()
    if found:
        return str(found)
    made = uuid.uuid4().hex
    conn.execute(insert(t).values(key=DATABASE_ID, value=made))
    return made


def last_reconciled_as_of(conn: Connection) -> dt.date | None:
    """The as-of date of the latest completed reconciliation (``None`` before the first)."""
    r = tables.runs
    return conn.execute(select(r.c.as_of).where(r.c.kind == "reconcile",
                                                r.c.status == "completed")
                        .order_by(r.c.id.desc()).limit(1)).scalar()
