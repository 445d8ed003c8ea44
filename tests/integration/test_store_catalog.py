"""What the store tells the workbook, on SQLite and PostgreSQL: its identity (the one the
postings use too), the files it read or quarantined, and what each gateway payout carries."""

from __future__ import annotations

import datetime as dt

from pipeline.store import Store

DAY = dt.date(2026, 3, 2)


def test_a_database_keeps_one_identity_and_another_database_has_another(store, tmp_path):
    first = store.database_id()
    store.start_run("reconcile", DAY)
    assert first and store.database_id() == first
    with Store(f"sqlite:///{tmp_path / 'other.db'}") as other:
        assert other.database_id() not in ("", first)


def test_the_catalog_lists_read_and_quarantined_files_with_their_counts(store, ingest, make):
    ingest([make.bank("TRX-1")], name="bca.csv")
    store.quarantine(file_name="junk.bin", sha256="f" * 64, reason="not a statement")
    files = store.load_source_files()
    assert list(zip(files["file_name"], files["status"], files["records_new"], strict=True)) == [
        ("bca.csv", "ingested", 1), ("junk.bin", "quarantined", 0)]
    assert files.loc[1, "reason"] == "not a statement"


def test_a_payout_lists_the_transactions_it_carries(store, ingest, make):
    ingest([make.gateway("ch_1", 50_00, fee=2_00, payout_id="po_1", customer_name="Ann"),
            make.gateway("ch_2", 30_00, payout_id="po_1"),
            make.gateway("ch_3", 10_00),
            make.gateway("po_1", 0, kind="payout", payout_id="po_1")],
           name="stripe.csv", kind="gateway")
    items = store.load_payout_items()
    assert list(items["transaction_id"]) == ["ch_1", "ch_2"]
    assert (items.loc[0, "net_minor"], items.loc[0, "customer_name"]) == (48_00, "Ann")
