"""Frames loaded from the store keep the contract columns and dtypes of ``pipeline.frames``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from parsers.base import SourceFile
from parsers.email_claims import EmailClaimsParser
from pipeline import frames
from pipeline.matching import MatchResult
from pipeline.store import BANK_COLUMNS

GOLDEN = Path(__file__).resolve().parents[2] / "sample_data" / "golden"

LOADERS = [
    ("load_invoices", frames.INVOICE_COLUMNS), ("load_clients", frames.CLIENT_COLUMNS),
    ("load_payments", frames.PAYMENT_COLUMNS), ("load_rejects", frames.REJECT_COLUMNS),
    ("load_tickets", frames.TICKET_COLUMNS), ("load_payouts", frames.PAYOUT_COLUMNS),
    ("load_bank_transactions", BANK_COLUMNS),
]


def allocations(*rows) -> pd.DataFrame:
    return pd.DataFrame(
        [(kind, pid, inv, amount, "IDR", status, "reference", conf, "INV in memo", 0,
          f"m{pid:016d}") for kind, pid, inv, amount, status, conf in rows],
        columns=frames.ALLOCATION_COLUMNS,
    )


def result_of(*allocation_rows) -> MatchResult:
    unmatched = pd.DataFrame([("bank", 7, "no reference, no amount match")],
                             columns=frames.UNMATCHED_COLUMNS)
    exceptions = pd.DataFrame({
        "kind": ["overpayment", "claimed_not_received"], "payment_kind": ["bank", ""],
        "payment_id": pd.Series([1, None], dtype=object), "invoice_number": ["10234", "10240"],
        "amount_minor": pd.Series([5_000_00, None], dtype=object), "currency": ["IDR", ""],
        "detail": ["paid 5.000,00 too much", "ticket T-9"],
    })
    return MatchResult(allocations(*allocation_rows), unmatched, exceptions)


@pytest.mark.parametrize(("loader", "columns"), LOADERS)
def test_an_empty_store_loads_empty_frames_with_the_contract_columns(store, loader, columns):
    loaded = getattr(store, loader)()
    assert list(loaded.columns) == columns
    assert loaded.empty


def test_load_payments_has_the_contract_columns_and_dtypes(store, ingest, make):
    ingest([make.bank("F1", line=5), make.gateway("ch_1", invoice_ref="10234")])

    payments = store.load_payments()

    assert list(payments.columns) == frames.PAYMENT_COLUMNS
    assert payments["payment_id"].dtype == "int64"
    assert payments["amount_minor"].dtype == "int64"
    assert payments["source_line"].tolist() == [5, None]
    assert all(isinstance(d, dt.date) for d in payments["source_date"])
    assert not payments[["text", "counterparty", "source_file"]].isna().any().any()


def test_load_payments_takes_bank_credits_and_gateway_charges_at_gross(store, ingest, make):
    ingest([make.bank("CREDIT", 1_500_000_00, description="TRSF INV 10234",
                      counterparty_name="BUDI"),
            make.bank("DEBIT", -6_500_00, description="BIAYA ADM")])
    ingest([make.gateway("ch_1", 120_00, fee=3_78, invoice_ref="INV-2026-00123",
                         customer_name="Jane Roe", customer_email="jane@example.com",
                         description="Hosting"),
            make.gateway("re_1", -120_00, kind="refund", related_id="ch_1")], name="stripe.csv")

    rows = store.load_payments().to_dict("records")

    assert [(r["payment_kind"], r["amount_minor"], r["currency"]) for r in rows] == [
        ("bank", 1_500_000_00, "IDR"), ("gateway", 120_00, "USD")
    ]
    bank, charge = rows
    assert (bank["text"], bank["counterparty"], bank["account_id"]) == (
        "TRSF INV 10234", "BUDI", "BCA-0372543386")
    assert "INV-2026-00123" in charge["text"] and "Hosting" in charge["text"]
    assert charge["counterparty"] == "Jane Roe"
    assert (charge["source_file"], charge["source_ref"]) == ("stripe.csv", "ch_1")


def test_load_payments_is_sorted_by_date_kind_and_id(store, ingest, make):
    later, earlier = dt.date(2026, 3, 5), dt.date(2026, 3, 1)
    ingest([make.gateway("ch_1", day=earlier), make.bank("B2", day=later),
            make.bank("B1", day=earlier)])

    payments = store.load_payments()

    assert list(zip(payments["source_date"], payments["payment_kind"], strict=True)) == [
        (earlier, "bank"), (earlier, "gateway"), (later, "bank")]


def test_load_invoices_keeps_types_and_missing_optional_fields_as_none(store, ingest, make):
    ingest([make.invoice("INV-2026-00123", invoice_id="10234", group_id="G7", first_invoice=True),
            make.invoice("10240", 99_000_00, balance=0, status="Paid", client_email="a@b.id")])

    invoices = store.load_invoices()

    assert list(invoices.columns) == frames.INVOICE_COLUMNS
    assert invoices["first_invoice"].tolist() == [True, False]
    assert invoices["invoice_id"].tolist() == ["10234", None]
    assert invoices["group_id"].tolist() == ["G7", None]
    assert invoices["client_email"].tolist() == ["", "a@b.id"]
    assert invoices["due_date"].tolist() == [dt.date(2026, 3, 2)] * 2
    assert invoices[["total_minor", "balance_minor"]].dtypes.tolist() == ["int64", "int64"]


def test_load_tickets_keeps_the_claim_as_typed(store, ingest, make):
    ingest([make.ticket("T-1", invoice_number="10234", claimed_amount_minor=1_500_000_00,
                        currency="IDR", claimed_date=dt.date(2026, 3, 1),
                        account_holder="BUDI SANTOSO", destination_account="0372543386"),
            make.ticket("T-2", line=2)], kind="tickets")

    tickets = store.load_tickets().to_dict("records")

    assert tickets[0]["claimed_amount_minor"] == 1_500_000_00
    assert tickets[0]["claimed_date"] == dt.date(2026, 3, 1)
    assert (tickets[1]["claimed_amount_minor"], tickets[1]["currency"]) == (None, None)
    assert (tickets[1]["account_holder"], tickets[1]["source_line"]) == ("", 2)


def test_load_tickets_keeps_both_readings_of_a_claim_and_its_channel(store, ingest, make):
    ingest([make.ticket("T-1", claimed_amount_minor=1_250_000, claimed_amount_alt_minor=1_250,
                        currency="USD"),
            make.ticket("abc@mail.example.com", line=2, channel="email")], kind="tickets")

    tickets = store.load_tickets().to_dict("records")

    assert (tickets[0]["claimed_amount_minor"], tickets[0]["claimed_amount_alt_minor"]) == (
        1_250_000, 1_250)
    assert [t["channel"] for t in tickets] == ["ticket", "email"]
    assert tickets[1]["claimed_amount_alt_minor"] is None


def test_an_emailed_confirmation_is_stored_and_read_back_as_parsed(store, tmp_path):
    source = SourceFile(GOLDEN / "tickets-email" / "input.mbox")
    result = EmailClaimsParser().parse(source)
    store.ingest(file_name=source.name, sha256=source.sha256, fmt="tickets-email",
                 kind="ticket", size_bytes=source.path.stat().st_size,
                 records=result.records, rejects=result.rejects, warnings=result.warnings)

    tickets = store.load_tickets()

    assert tickets["ticket_id"].tolist() == [t.ticket_id for t in result.records]
    assert set(tickets["channel"]) == {"email"}
    assert tickets["source_line"].tolist() == [t.origin.source_line for t in result.records]
    assert tickets["invoice_number"].tolist() == [t.invoice_number for t in result.records]


def test_load_payouts_counts_the_transactions_linked_to_each_payout(store, ingest, make):
    ingest([make.gateway("ch_1", 100_00, fee=3_20, payout_id="po_1"),
            make.gateway("ch_2", 50_00, fee=1_75, payout_id="po_1"),
            make.gateway("ch_3", 70_00, payout_id="po_2"),
            make.gateway("txn_po1", -(95_05), kind="payout", payout_id="po_1")])

    payouts = store.load_payouts()

    assert payouts.drop(columns="payout_date").to_dict("records") == [
        {"gateway": "stripe", "payout_id": "po_1", "currency": "USD", "amount_minor": 95_05,
         "item_count": 2, "items_net_minor": 145_05, "net_minor": -95_05}
    ]
    assert payouts["payout_date"].notna().all()


def test_load_non_payments_gives_bank_debits_and_gateway_payouts_never_credits(store, ingest,
                                                                               make):
    ingest([make.bank("F1", 10_00, line=3), make.bank("F2", -2_50, line=4),
            make.gateway("ch_1", 100_00, payout_id="po_1"),
            make.gateway("txn_po1", -(95_05), kind="payout", payout_id="po_1")])

    others = store.load_non_payments()

    assert sorted(zip(others["payment_kind"], others["amount_minor"], strict=True)) == [
        ("bank", -2_50), ("gateway", -95_05)]


def test_load_bank_transactions_includes_debits_with_their_source(store, ingest, make):
    ingest([make.bank("F1", 10_00, line=3), make.bank("F2", -2_50, line=4)])

    bank = store.load_bank_transactions()

    assert list(bank.columns) == BANK_COLUMNS
    assert bank["amount_minor"].tolist() == [10_00, -2_50]
    assert bank["source_line"].tolist() == [3, 4]
    assert bank["source_ref"].tolist() == ["F1", "F2"]


def test_a_match_result_round_trips_equal(store):
    result = result_of(("bank", 1, "10234", 1_500_000_00, "auto", 0.99),
                       ("gateway", 2, "10240", 9_999_999_999_99, "suggested", 0.6))
    store.save_match_result(store.start_run("reconcile", dt.date(2026, 3, 2)), result)

    loaded = store.load_match_result()

    for part in ("allocations", "unmatched", "exceptions"):
        pd.testing.assert_frame_equal(loaded_part := getattr(loaded, part),
                                      getattr(result, part), check_dtype=False)
        assert list(loaded_part.columns) == list(getattr(result, part).columns)
    assert loaded.allocations["applied_minor"].dtype == "int64"


def test_saving_a_match_result_replaces_the_previous_one(store):
    first = store.start_run("reconcile", None)
    store.save_match_result(first, result_of(("bank", 1, "10234", 10_00, "auto", 1.0),
                                             ("bank", 2, "10235", 20_00, "auto", 1.0)))
    second = store.start_run("reconcile", None)
    store.save_match_result(second, result_of(("bank", 3, "10236", 30_00, "suggested", 0.5)))

    loaded = store.load_match_result()

    assert loaded.allocations["payment_id"].tolist() == [3]
    assert store.counts()["match_allocations"] == 1
    assert store.counts()["match_exceptions"] == 2


def test_a_broken_match_result_leaves_the_current_one_in_place(store):
    run = store.start_run("reconcile", None)
    store.save_match_result(run, result_of(("bank", 1, "10234", 10_00, "auto", 1.0)))
    broken = MatchResult(allocations(("bank", 2, "10235", 20_00, "auto", 1.0)).drop(
        columns="confidence"), frames.empty(frames.UNMATCHED_COLUMNS),
        frames.empty(frames.EXCEPTION_COLUMNS))

    with pytest.raises(ValueError, match="confidence"):
        store.save_match_result(run, broken)

    assert store.load_match_result().allocations["payment_id"].tolist() == [1]


def test_an_empty_match_result_can_be_saved_and_loaded(store):
    store.save_match_result(store.start_run("reconcile", None), MatchResult.empty())
    loaded = store.load_match_result()
    assert [len(loaded.allocations), len(loaded.unmatched), len(loaded.exceptions)] == [0, 0, 0]
    assert list(loaded.exceptions.columns) == frames.EXCEPTION_COLUMNS


def test_every_index_of_the_match_tables_is_there_after_a_result_is_replaced(store):
    from sqlalchemy import inspect

    from pipeline.store import tables

    for payment in (1, 2):
        store.save_match_result(store.start_run("reconcile", None),
                                result_of(("bank", payment, "10234", 10_00, "auto", 1.0)))
    found = inspect(store._engine)  # noqa: SLF001 - the schema as the database has it
    for table in tables.MATCH_TABLES:
        declared = {str(index.name) for index in table.indexes}
        assert declared <= {index["name"] for index in found.get_indexes(table.name)}
