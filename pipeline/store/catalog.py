"""What the store knows about what it read: the input files (read or quarantined) and the
items of each gateway payout."""

from __future__ import annotations

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
