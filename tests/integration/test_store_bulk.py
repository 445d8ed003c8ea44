"""Bulk ingest (executemany on SQLite, COPY on PostgreSQL): what a file stores, exactly once."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from pipeline.store import bulk, tables

AWKWARD = "tab\there, new\nline, back\\slash, \\N, quote ' \" , é ü 😀, \r end"


def _rows(store, table) -> list[dict]:
    with store._engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table).order_by(table.c.id))]


def test_of_two_records_with_one_key_in_a_file_the_first_is_kept(store, ingest, make):
    counts = ingest([make.bank("K1", 100_00), make.bank("K2"), make.bank("K1", 200_00)])

    assert (counts.new, counts.duplicates) == (2, 1)
    assert [(r["natural_key"], r["amount_minor"]) for r in _rows(store, tables.bank_transactions)
            ][0] == ("K1", 100_00)


def test_of_two_versions_of_an_invoice_in_a_file_the_last_is_stored(store, ingest, make):
    counts = ingest([make.invoice("10234", 1_500_000_00), make.invoice("10234", 1_200_000_00)],
                    name="invoices.json")

    assert (counts.new, counts.duplicates, counts.invoices_updated) == (1, 1, 0)
    assert store.load_invoices()["total_minor"].tolist() == [1_200_000_00]
    assert store.counts()["invoice_history"] == 1


def test_records_are_stored_in_the_order_of_the_file(store, ingest, make):
    keys = [f"K{n}" for n in (7, 3, 9, 1, 5)]
    ingest([make.bank(k) for k in keys])

    assert [r["natural_key"] for r in _rows(store, tables.bank_transactions)] == keys


def test_only_new_and_changed_invoices_get_a_history_row(store, ingest, make):
    ingest([make.invoice("1"), make.invoice("2"), make.invoice("3")], name="sync-1.json")

    counts = ingest([make.invoice("1"), make.invoice("2", status="Paid", balance=0),
                     make.invoice("4")], name="sync-2.json")

    assert (counts.new, counts.duplicates, counts.invoices_updated) == (1, 1, 1)
    history = _rows(store, tables.invoice_history)
    assert [(h["invoice_number"], h["status"]) for h in history] == [
        ("1", "Unpaid"), ("2", "Unpaid"), ("3", "Unpaid"), ("4", "Unpaid"), ("2", "Paid")]


def test_text_with_tabs_newlines_backslashes_and_emoji_is_stored_as_it_was(store, ingest, make):
    ingest([make.bank("K1", description=AWKWARD, counterparty_name="\\."),
            make.gateway("txn_1", metadata={"invoice": AWKWARD}),
            make.ticket("T-1", message=AWKWARD)],
           rejects=[make.reject(3, AWKWARD, raw=AWKWARD)])

    assert _rows(store, tables.bank_transactions)[0]["description"] == AWKWARD
    assert _rows(store, tables.bank_transactions)[0]["counterparty_name"] == "\\."
    stored = _rows(store, tables.gateway_transactions)[0]["metadata_json"]
    assert json.loads(stored) == {"invoice": AWKWARD}
    assert _rows(store, tables.tickets)[0]["message"] == AWKWARD
    assert [(r["reason"], r["raw"]) for r in _rows(store, tables.rejects)] == [(AWKWARD, AWKWARD)]


def test_every_field_of_every_kind_of_record_is_stored(store, ingest, make):
    ingest([make.bank("K1", value_date=dt.date(2026, 3, 3), counterparty_account="123"),
            make.gateway("re_1", -50_00, kind="refund", fee=-1_00, related_id="ch_1",
                         metadata={"b": "2", "a": "1"}),
            make.ticket("T-1", claimed_amount_minor=150_000_00, claimed_amount_alt_minor=150_00,
                        currency="IDR", claimed_date=dt.date(2026, 3, 1), channel="email"),
            make.balance("closing", 0),
            make.invoice("10234", first_invoice=True, group_id="G1", invoice_id="77"),
            make.client("C1", email="a@b.id", created_at=dt.date(2024, 5, 1))])

    bank = _rows(store, tables.bank_transactions)[0]
    assert (bank["value_date"], bank["counterparty_account"], bank["source_ref"]) == (
        dt.date(2026, 3, 3), "123", "K1")
    gateway = _rows(store, tables.gateway_transactions)[0]
    assert (gateway["kind"], gateway["fee_minor"], gateway["net_minor"],
            gateway["related_id"], gateway["metadata_json"]) == (
        "refund", -1_00, -49_00, "ch_1", '{"a": "1", "b": "2"}')
    ticket = _rows(store, tables.tickets)[0]
    assert (ticket["claimed_amount_minor"], ticket["claimed_amount_alt_minor"],
            ticket["claimed_date"], ticket["channel"]) == (
        150_000_00, 150_00, dt.date(2026, 3, 1), "email")
    assert _rows(store, tables.statement_balances)[0]["natural_key"] == (
        "BCA-0372543386|IDR|closing|2026-03-02|0")
    invoice = _rows(store, tables.invoices)[0]
    assert (invoice["first_invoice"], invoice["group_id"], invoice["invoice_id"],
            invoice["status"]) == (True, "G1", "77", "Unpaid")
    client = _rows(store, tables.clients)[0]
    assert (client["email"], client["created_at"]) == ("a@b.id", dt.date(2024, 5, 1))


def test_optional_fields_left_empty_are_stored_as_null(store, ingest, make):
    ingest([make.bank("K1"), make.ticket("T-1"), make.client("C1")])

    assert _rows(store, tables.bank_transactions)[0]["value_date"] is None
    ticket = _rows(store, tables.tickets)[0]
    assert (ticket["claimed_amount_minor"], ticket["currency"], ticket["claimed_date"]) == (
        None, None, None)
    assert _rows(store, tables.clients)[0]["created_at"] is None


def test_a_file_of_many_batches_is_stored_whole_and_counted(store, ingest, make, monkeypatch):
    monkeypatch.setattr(bulk, "BATCH", 100)
    ingest([make.bank(f"K{i}") for i in range(0, 150)], name="first.csv")

    records = [make.bank(f"K{i}") for i in range(100, 350)] + [make.bank("K120")]
    counts = ingest(records, name="second.csv")
    invoices = ingest([make.invoice(str(i)) for i in range(250)], name="invoices.json")

    assert (counts.new, counts.duplicates) == (200, 51)
    assert [r["natural_key"] for r in _rows(store, tables.bank_transactions)] == [
        f"K{i}" for i in range(350)]
    assert invoices.new == 250
    assert store.counts()["invoice_history"] == 250
