"""Source files (ingested or quarantined), their rejects, and the ingest of one file's records."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from pipeline.models import Reject
from pipeline.store import rows, tables
from pipeline.store.bulk import insert_all
from pipeline.store.ingest import (
    KEYED,
    VERSIONED,
    IngestCounts,
    insert_new,
    record_groups,
    upsert_versioned,
)

files = tables.source_files
INGESTED, QUARANTINED = "ingested", "quarantined"


def file_ingested(conn: Connection, sha256: str) -> bool:
    query = select(files.c.id).where(files.c.sha256 == sha256, files.c.status == INGESTED)
    return conn.execute(query).first() is not None


def register_file(conn: Connection, values: dict) -> tuple[int, bool]:
    """Find or create the ``source_files`` row as ingested: returns (id, was already ingested).

    Several processes may ingest the same content at the same instant: the one whose row
    lands second (``uq_source_files_sha256``) finds the first one's row instead of failing.
    """
    found = _file_row(conn, values["sha256"])
    values = {**values, "status": INGESTED, "reason": ""}
    if found is None:
        try:
            with conn.begin_nested():
                return conn.execute(insert(files).values(values)).inserted_primary_key[0], False
        except IntegrityError:
            found = _file_row(conn, values["sha256"])
            if found is None:
                raise
    if found.status == INGESTED:
        return found.id, True
    conn.execute(update(files).where(files.c.id == found.id).values(values))
    return found.id, False


def _file_row(conn: Connection, sha256: str):  # noqa: ANN202
    return conn.execute(select(files.c.id, files.c.status).where(files.c.sha256 == sha256)).first()


def quarantine(conn: Connection, *, file_name: str, sha256: str, reason: str,
               now: dt.datetime) -> None:
    """Remember a file that could not be parsed; an already-ingested file stays ingested."""
    found = conn.execute(
        select(files.c.id, files.c.status).where(files.c.sha256 == sha256)
    ).first()
    values = {"file_name": file_name, "status": QUARANTINED, "reason": reason, "ingested_at": now}
    if found is None:
        try:
            with conn.begin_nested():
                conn.execute(insert(files).values(sha256=sha256, **values))
        except IntegrityError:
            return  # another process recorded the same content at the same instant
    elif found.status == QUARANTINED:
        conn.execute(update(files).where(files.c.id == found.id).values(values))


def replace_rejects(conn: Connection, file_id: int, rejects: list[Reject]) -> None:
    """A file's rejects are those of its latest parse: re-ingesting never doubles them."""
    conn.execute(delete(tables.rejects).where(tables.rejects.c.source_file_id == file_id))
    if rejects:
        insert_all(conn, tables.rejects, rows.reject_columns(rejects, file_id))


def store_records(
    conn: Connection, file_id: int, records: Sequence, now: dt.datetime
) -> tuple[int, int, int]:
    """Store a mixed list of records by type; returns (new, duplicates, updated in place)."""
    new = duplicates = updated = 0
    for kind, items in record_groups(records).items():
        if kind in KEYED:
            n, d = insert_new(conn, KEYED[kind], items, file_id)
            u = 0
        elif kind in VERSIONED:
            n, d, u = upsert_versioned(conn, VERSIONED[kind], items, file_id, now)
        else:
            raise TypeError(f"the store cannot keep {kind.__name__} records")
        new, duplicates, updated = new + n, duplicates + d, updated + u
    return new, duplicates, updated


def ingest_file(conn: Connection, *, file: dict, records: Sequence, rejects: list[Reject],
                warnings: list[str], now: dt.datetime) -> IngestCounts:
    """One file in one transaction (the caller's): file row, records, rejects, counts."""
    file_id, again = register_file(
        conn, {**file, "warnings": json.dumps(list(warnings), ensure_ascii=False),
               "ingested_at": now},
    )
    records, too_big = rows.split_storable(records)
    rejects = [*rejects, *too_big]
    new, duplicates, updated = store_records(conn, file_id, records, now)
    replace_rejects(conn, file_id, rejects)
    counts = IngestCounts(new, duplicates, len(rejects), updated, already_ingested=again)
    if not again:
        conn.execute(update(files).where(files.c.id == file_id).values(
            records_new=counts.new, records_duplicate=counts.duplicates,
            records_rejected=counts.rejected, invoices_updated=counts.invoices_updated,
        ))
    return counts
