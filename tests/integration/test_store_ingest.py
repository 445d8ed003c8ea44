"""Ingesting files: natural keys make it idempotent, invoices/clients are upserted with history."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from pipeline.identity import row_hash, with_occurrences
from pipeline.store import IngestCounts, Store


def test_ingesting_a_new_file_counts_every_record_as_new(store, ingest, make):
    counts = ingest([make.bank("F1"), make.bank("F2", -25_000_00), make.invoice("10234")])

    assert counts == IngestCounts(new=3, duplicates=0, rejected=0, invoices_updated=0)
    assert store.counts()["bank_transactions"] == 2
    assert store.counts()["invoices"] == 1


def test_a_file_with_the_same_content_is_known_as_ingested(store, ingest, make):
    assert not store.file_ingested(make.origin("a.csv").source_sha256)
    ingest([make.bank("F1", file="a.csv")], name="a.csv")
    assert store.file_ingested(make.origin("a.csv").source_sha256)


def test_reingesting_the_same_file_stores_nothing_twice(store, ingest, make):
    records = [make.bank("F1"), make.gateway("txn_1"), make.ticket("T-1"),
               make.balance("closing", 10_000_00), make.invoice("10234"), make.client("C1")]
    rejects = [make.reject(7, "unparsable amount '1.2.3'")]
    ingest(records, rejects=rejects)
    before = store.counts()

    again = ingest(records, rejects=rejects)

    assert again == IngestCounts(new=0, duplicates=6, rejected=1)
    assert store.counts() == before


def test_reingesting_an_overlapping_statement_stores_nothing_twice(store, ingest, make):
    march = [make.bank(f"FIT{i}", 1000 * i, file="march.ofx") for i in range(1, 6)]
    overlap = [make.bank(f"FIT{i}", 1000 * i, file="march-april.ofx") for i in range(4, 9)]
    ingest(march, name="march.ofx")

    counts = ingest(overlap, name="march-april.ofx")

    assert (counts.new, counts.duplicates) == (3, 2)
    keys = store.load_bank_transactions()["natural_key"].tolist()
    assert sorted(keys) == sorted(f"FIT{i}" for i in range(1, 9))


def test_the_same_key_on_another_account_is_another_transaction(store, ingest, make):
    counts = ingest([make.bank("FIT1", account="BCA-1"), make.bank("FIT1", account="BCA-2")])
    assert counts.new == 2


def test_two_identical_lines_inside_one_statement_are_both_kept(store, ingest, make):
    line = ("BCA-1", "2026-03-02", "150000000", "TRSF E-BANKING CR 0203/FTSCY/WS95031")
    keys = with_occurrences([row_hash(*line), row_hash(*line)])

    counts = ingest([make.bank(key, line=n) for n, key in enumerate(keys, start=2)])
    overlap = ingest([make.bank(keys[0], file="next.csv")], name="next.csv")

    assert counts.new == 2
    assert overlap.duplicates == 1
    assert store.counts()["bank_transactions"] == 2


def test_a_resynced_invoice_with_changes_is_updated_in_place_with_history(store, ingest, make):
    ingest([make.invoice("10234", 1_500_000_00)], name="sync-1.json")

    counts = ingest([make.invoice("10234", 1_200_000_00, status="Overdue", file="sync-2.json")],
                    name="sync-2.json")

    assert counts == IngestCounts(new=0, duplicates=0, rejected=0, invoices_updated=1)
    invoices = store.load_invoices()
    assert invoices[["total_minor", "balance_minor", "status"]].values.tolist() == [
        [1_200_000_00, 1_200_000_00, "Overdue"]
    ]
    assert store.counts()["invoices"] == 1
    assert store.counts()["invoice_history"] == 2


def test_reingesting_an_identical_invoice_changes_nothing(store, ingest, make):
    ingest([make.invoice("10234")], name="sync-1.json")
    counts = ingest([make.invoice("10234", file="sync-2.json")], name="sync-2.json")

    assert counts == IngestCounts(new=0, duplicates=1, rejected=0, invoices_updated=0)
    assert store.counts()["invoice_history"] == 1


def test_a_resynced_client_is_updated_in_place_with_history(store, ingest, make):
    ingest([make.client("C1", name="Budi")], name="clients-1.csv")
    counts = ingest([make.client("C1", name="Budi Santoso", email="budi@example.id",
                                 created_at=dt.date(2024, 5, 1))], name="clients-2.csv")

    assert counts.invoices_updated == 1
    clients = store.load_clients()
    assert clients.to_dict("records") == [
        {"client_id": "C1", "name": "Budi Santoso", "company": "", "email": "budi@example.id",
         "created_at": dt.date(2024, 5, 1)}
    ]
    assert store.counts()["client_history"] == 2


def test_rejects_are_stored_with_their_file_line_and_reason(store, ingest, make):
    rejects = [make.reject(4, "ambiguous amount '1,250'", raw="02/03;1,250;INV 10234"),
               make.reject(9, "no date")]

    counts = ingest([make.bank("F1")], rejects=rejects)

    assert counts.rejected == 2
    stored = store.load_rejects()
    assert stored["source_line"].tolist() == [4, 9]
    assert stored["reason"].tolist() == ["ambiguous amount '1,250'", "no date"]
    assert stored["raw"].tolist() == ["02/03;1,250;INV 10234", ""]
    assert stored["source_file"].tolist() == ["statement.csv"] * 2
    assert stored["source_ref"].tolist() == [None, None]


def test_a_quarantined_file_is_remembered_but_not_as_ingested(store, make):
    sha = make.origin("broken.ofx").source_sha256
    store.quarantine(file_name="broken.ofx", sha256=sha, reason="investment statement")
    store.quarantine(file_name="broken.ofx", sha256=sha, reason="investment statement")

    assert not store.file_ingested(sha)
    assert store.counts()["source_files"] == 1


def test_a_quarantined_file_can_be_ingested_once_it_parses(store, ingest, make):
    sha = make.origin("late.csv").source_sha256
    store.quarantine(file_name="late.csv", sha256=sha, reason="unknown format")

    ingest([make.bank("F1")], name="late.csv")

    assert store.file_ingested(sha)
    assert store.counts()["source_files"] == 1


def test_counts_reports_every_table(store, ingest, make):
    ingest([make.bank("F1"), make.gateway("txn_1"), make.ticket("T-1"), make.client("C1"),
            make.balance("opening", 0), make.balance("closing", 1_500_000_00),
            make.invoice("10234")], rejects=[make.reject(3, "bad")])

    counts = store.counts()

    assert counts["source_files"] == 1
    assert counts["statement_balances"] == 2
    assert sum(counts.values()) == 1 + 7 + 2 + 1  # file, records, history rows, reject


def test_big_idr_amounts_round_trip_exactly(store, ingest, make):
    big = 9_999_999_999_99
    ingest([make.bank("BIG", big), make.invoice("INV-2026-00123", big, balance=big - 1)])

    assert store.load_bank_transactions()["amount_minor"].tolist() == [big]
    assert store.load_payments()["amount_minor"].tolist() == [big]
    invoice = store.load_invoices().iloc[0]
    assert (invoice["total_minor"], invoice["balance_minor"]) == (big, big - 1)
    assert store.load_invoices()["total_minor"].dtype == "int64"


def test_a_record_the_store_cannot_keep_rolls_the_whole_file_back(store, ingest, make):
    with pytest.raises(TypeError):
        ingest([make.bank("F1"), make.reject(1, "a reject is not a record")])

    assert sum(store.counts().values()) == 0


def test_a_large_file_is_stored_in_chunks_without_duplicates(store, ingest, make):
    records = [make.bank(f"K{i}", i + 1) for i in range(12_345)]

    first = ingest(records, name="big.csv")
    overlap = ingest(records[10_000:] + [make.bank("K-new")], name="big-2.csv")

    assert first.new == 12_345
    assert (overlap.new, overlap.duplicates) == (1, 2_345)
    assert store.counts()["bank_transactions"] == 12_346


def test_concurrent_first_opens_and_overlapping_ingests_store_nothing_twice(store_url, make):
    def open_and_ingest(name: str, keys: range) -> IngestCounts:
        with Store(store_url) as own:
            return own.ingest(
                file_name=name, sha256=make.origin(name).source_sha256, fmt="csv", kind="bank",
                size_bytes=1, records=[make.bank(f"K{i}", file=name) for i in keys],
                rejects=[], warnings=[],
            )

    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs = [pool.submit(open_and_ingest, "a.csv", range(0, 3000)),
                pool.submit(open_and_ingest, "b.csv", range(1500, 4500))]
        assert all(job.result(timeout=120).new > 0 for job in jobs)

    with Store(store_url) as reopened:
        assert reopened.counts()["bank_transactions"] == 4500
        assert reopened.counts()["source_files"] == 2


def test_an_amount_beyond_64_bits_is_rejected_and_the_rest_kept(store, ingest, make):
    eleven_eth_in_wei = 11 * 10**18
    counts = ingest([make.gateway("btc_1", currency="ETH", gross=eleven_eth_in_wei),
                     make.gateway("btc_2", currency="ETH", gross=10**18)], name="btcpay.csv")

    assert (counts.new, counts.rejected) == (1, 1)
    rejected = store.load_rejects().iloc[0]
    assert rejected["source_ref"] == "btc_1"
    assert "gross_minor" in rejected["reason"]
