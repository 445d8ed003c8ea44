"""The report's reads (``Store.load_report_inputs``) give what the per-table loads give, on
every column the report uses."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from flows import steps
from pipeline.report_details import balance_checks
from pipeline.settings import Settings
from pipeline.store.report_reads import BANK_MOVEMENT_COLUMNS

AS_OF = dt.date(2026, 3, 10)
LOADERS = {
    "invoices": "load_invoices", "clients": "load_clients", "payments": "load_payments",
    "non_payments": "load_non_payments", "rejects": "load_rejects", "tickets": "load_tickets",
    "payouts": "load_payouts", "ledger": "load_ledger", "files": "load_source_files",
    "payout_items": "load_payout_items", "statement_balances": "load_statement_balances",
    "posted": "load_posted",
}


@pytest.fixture
def reconciled(store, store_url, ingest, make):
    """A store holding bank credits and debits of two files, gateway charges and a payout,
    a client, a ticket, invoices, statement balances and rejects, then reconciled."""
    ingest([make.invoice("10234", 1_500_000_00), make.invoice("10240", 99_000_00)],
           name="invoices.csv", kind="invoices")
    ingest([make.balance("opening", 10_000_000_00), make.bank("B1", 1_500_000_00, line=2,
            description="TRSF INV 10234", counterparty_name="BUDI"),
            make.bank("B2", -6_500_00, line=3, description="BIAYA ADM"),
            make.balance("closing", 11_493_500_00)],
           rejects=[make.reject(9, "ambiguous amount", raw="x;y")])
    ingest([make.bank("B3", 99_000_00, file="march.csv", line=2, description="INV 10240"),
            make.bank("B4", 5_000_00, file="march.csv", line=3, account="BNI-1")],
           name="march.csv")
    ingest([make.gateway("ch_1", 120_00, payout_id="po_1", invoice_ref="10240"),
            make.gateway("po_1", -120_00, kind="payout", payout_id="po_1")], name="stripe.csv",
           kind="gateway")
    ingest([make.client("C1")], name="clients.csv", kind="clients")
    ingest([make.ticket("T-1", invoice_number="10234", claimed_amount_minor=1_500_000_00,
                        currency="IDR")], name="tickets.jsonl", kind="tickets")
    steps.reconcile(db_url=store_url, as_of=AS_OF, settings=Settings())
    return store


def test_the_report_reads_every_table_as_its_own_load_does(reconciled):
    read = reconciled.load_report_inputs()

    for name, loader in LOADERS.items():
        pd.testing.assert_frame_equal(read[name], getattr(reconciled, loader)(), obj=name)
    assert len(read["payments"]) == 4 and len(read["ledger"])


def test_the_report_reads_the_match_result_but_its_candidates(reconciled):
    read, stored = reconciled.load_report_inputs()["match"], reconciled.load_match_result()

    for part in ("allocations", "unmatched", "exceptions", "tickets", "payouts", "other_money"):
        pd.testing.assert_frame_equal(getattr(read, part), getattr(stored, part), obj=part)
    assert len(read.allocations) and len(stored.candidates) and read.candidates.empty


def test_the_bank_movements_balance_every_statement_as_the_bank_lines_do(reconciled):
    lines = reconciled.load_report_inputs()["bank_lines"]
    every = reconciled.load_bank_transactions()
    balances = reconciled.load_statement_balances()

    assert list(lines.columns) == BANK_MOVEMENT_COLUMNS
    assert sorted(lines["amount_minor"]) == sorted(every["amount_minor"])
    pd.testing.assert_series_equal(balance_checks(balances, lines),
                                   balance_checks(balances, every))
    assert balance_checks(balances, lines).to_dict() == {"statement.csv": "balances"}
