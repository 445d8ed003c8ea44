"""The allocation ledger across nights, on SQLite and PostgreSQL: what we applied stays
applied, billing catching up is no exception, a refund reopens, re-running changes nothing."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from flows.steps import reconcile, report
from pipeline.matching.ledger import invoices_after_ledger
from pipeline.settings import Settings

NIGHT_1, NIGHT_2, NIGHT_3 = dt.date(2026, 3, 2), dt.date(2026, 3, 3), dt.date(2026, 3, 4)


def night_one(ingest, make) -> None:
    ingest([make.invoice("10234"), make.invoice("20001", 50_00, currency="USD")],
           name="invoices-1.csv", kind="invoice")
    ingest([make.bank("TRX-1", 1_500_000_00, description="TRSF INV 10234 PT MAJU")],
           name="bca-1.csv")
    ingest([make.gateway("ch_1", 50_00, invoice_ref="20001")], name="stripe-1.csv",
           kind="gateway")


def run(url: str, day: dt.date) -> dict:
    return reconcile(db_url=url, as_of=day, settings=Settings())


def test_night_one_applies_what_names_its_invoice_and_the_ledger_keeps_it(store, ingest, make):
    night_one(ingest, make)
    summary = run(store.url, NIGHT_1)
    entries = store.load_ledger()
    assert summary["auto"] == 2 and summary["ledger_added"] == 2
    assert sorted(entries["invoice_number"]) == ["10234", "20001"]
    assert set(entries["entry"]) == {"allocation"} and set(entries["status"]) == {"auto"}


def test_the_same_night_run_twice_gives_the_identical_ledger(store, ingest, make):
    night_one(ingest, make)
    run(store.url, NIGHT_1)
    first = store.load_ledger()
    again = run(store.url, NIGHT_1)
    assert again["ledger_added"] == 0
    pd.testing.assert_frame_equal(store.load_ledger(), first)
    assert set(store.load_match_result().allocations["match_id"]) == set(first["match_id"])


def test_billing_showing_the_invoices_paid_the_next_night_raises_no_exception(store, ingest,
                                                                              make):
    night_one(ingest, make)
    run(store.url, NIGHT_1)
    ingest([make.invoice("10234", balance=0, status="Paid"),
            make.invoice("20001", 50_00, balance=0, status="Paid", currency="USD")],
           name="invoices-2.csv", kind="invoice")
    summary = run(store.url, NIGHT_2)
    result = store.load_match_result()
    assert result.exceptions.empty and result.unmatched.empty
    assert summary["auto"] == 2 and summary["ledger_added"] == 0


def test_a_refund_on_night_three_reverses_the_allocation_and_reopens_the_invoice(store, ingest,
                                                                                 make):
    night_one(ingest, make)
    run(store.url, NIGHT_1)
    ingest([make.invoice("20001", 50_00, balance=0, status="Paid", currency="USD")],
           name="invoices-2.csv", kind="invoice")
    run(store.url, NIGHT_2)
    ingest([make.gateway("re_1", -50_00, kind="refund", related_id="ch_1", day=NIGHT_3)],
           name="stripe-3.csv", kind="gateway")
    summary = run(store.url, NIGHT_3)
    entries = store.load_ledger()
    reversal = entries[entries["entry"] == "reversal"]
    assert list(reversal["applied_minor"]) == [-50_00] and summary["ledger_added"] == 1
    assert len(entries) == 3  # nothing deleted
    assert list(store.load_match_result().exceptions["kind"]) == ["refund"]
    reopened = invoices_after_ledger(store.load_invoices(), entries).set_index("invoice_number")
    assert (reopened.loc["20001", "balance_minor"], reopened.loc["20001", "status"]) == (
        50_00, "Unpaid")
    assert run(store.url, NIGHT_3)["ledger_added"] == 0


def test_re_running_an_earlier_night_removes_no_later_entry(store, ingest, make):
    night_one(ingest, make)
    ingest([make.bank("TRX-2", 2_000_000_00, day=NIGHT_2, description="INV 10300")],
           name="bca-2.csv")
    ingest([make.invoice("10300", 2_000_000_00)], name="invoices-3.csv", kind="invoice")
    run(store.url, NIGHT_2)
    later = store.load_ledger()
    assert run(store.url, NIGHT_1)["ledger_added"] == 0
    pd.testing.assert_frame_equal(store.load_ledger(), later)


def test_an_invoice_cancelled_after_we_applied_money_is_a_contradiction_not_a_rewrite(
        store, ingest, make):
    night_one(ingest, make)
    run(store.url, NIGHT_1)
    ingest([make.invoice("10234", status="Cancelled")], name="invoices-2.csv", kind="invoice")
    run(store.url, NIGHT_2)
    result = store.load_match_result()
    assert list(result.exceptions["kind"]) == ["allocation_contradicted"]
    assert "10234" in set(result.allocations["invoice_number"])
    assert len(store.load_ledger()) == 2


def test_the_report_shows_a_refunded_invoice_open_again_and_a_posted_one_paid_once(
        store, ingest, make, tmp_path):
    night_one(ingest, make)
    run(store.url, NIGHT_1)
    ingest([make.invoice("10234", balance=0, status="Paid"),
            make.invoice("20001", 50_00, balance=0, status="Paid", currency="USD")],
           name="invoices-2.csv", kind="invoice")
    ingest([make.gateway("re_1", -50_00, kind="refund", related_id="ch_1", day=NIGHT_3)],
           name="stripe-3.csv", kind="gateway")
    run(store.url, NIGHT_3)
    report(db_url=store.url, out_dir=tmp_path / "out", as_of=NIGHT_3, settings=Settings())
    rows = pd.read_csv(tmp_path / "out" / "invoices.csv", dtype=str).set_index("invoice_number")
    assert rows.loc["20001", ["status", "balance", "paid_amount"]].tolist() == [
        "unpaid", "50.00", "0.00"]
    assert rows.loc["10234", ["status", "balance", "paid_amount"]].tolist() == [
        "paid", "0.00", "1500000.00"]
