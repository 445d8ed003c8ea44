"""build_report: contract frames in, export tables (Decimal, dates, source names) out."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pandas as pd
import pytest

from pipeline.frames import (
    ALLOCATION_COLUMNS,
    CLIENT_COLUMNS,
    EXCEPTION_COLUMNS,
    INVOICE_COLUMNS,
    PAYMENT_COLUMNS,
    PAYOUT_COLUMNS,
    REJECT_COLUMNS,
    TICKET_COLUMNS,
    UNMATCHED_COLUMNS,
    empty,
)
from pipeline.matching import MatchResult
from pipeline.matching.by_ticket_claims import ticket_payment_ids
from pipeline.overdue import OVERDUE_EXTRA, OVERDUE_OUT
from pipeline.reporting import (
    EXCEPTION_OUT,
    INVOICE_OUT,
    MATCH_OUT,
    NUMBER,
    PAYOUT_OUT,
    REJECT_OUT,
    TICKET_OUT,
    UNMATCHED_OUT,
    ReportInputs,
    SourceKeys,
    _both_sources,
    _with_sources,
    build_report,
)
from pipeline.settings import Settings

AS_OF = dt.date(2026, 3, 15)


# --- frame builders -----------------------------------------------------------------------


def frame(columns: list[str], rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns) if rows else empty(columns)


def invoice(number: str, **kw: object) -> dict:
    total = kw.pop("total_minor", 150_000_000)
    return {"invoice_number": number, "invoice_id": number, "client_id": "7",
            "client_name": "Ani", "client_email": "", "currency": "IDR",
            "issue_date": dt.date(2026, 1, 1), "due_date": dt.date(2026, 1, 10),
            "total_minor": total, "balance_minor": kw.pop("balance_minor", total),
            "status": "Unpaid", "first_invoice": False, "group_id": None, **kw}


def payment(kind: str, pid: int, **kw: object) -> dict:
    return {"payment_kind": kind, "payment_id": pid, "source_format": "bank_csv",
            "source_file": "bca.csv", "source_ref": f"ref{pid}", "source_line": pid + 1,
            "source_date": dt.date(2026, 3, 1), "amount_minor": 150_000_000, "currency": "IDR",
            "text": "", "counterparty": "", "account_id": "0372543386", **kw}


def allocation(kind: str, pid: int, number: str, **kw: object) -> dict:
    return {"payment_kind": kind, "payment_id": pid, "invoice_number": number,
            "applied_minor": 150_000_000, "currency": "IDR", "status": "auto",
            "rule": "reference", "confidence": 0.99, "reason": "invoice number in memo", **kw}


def ticket_key(tid: str) -> int:
    """The numeric id the engine gives a ticket's findings (payment_kind ``ticket``)."""
    return int(ticket_payment_ids(pd.Series([tid])).iloc[0])


def ticket(tid: str, number: str, **kw: object) -> dict:
    return {"ticket_id": tid, "source_format": "tickets_jsonl", "source_file": "t.jsonl",
            "source_ref": tid, "source_line": 3, "created_date": dt.date(2026, 3, 12),
            "invoice_number": number, "claimed_amount_minor": 150_000_000, "currency": "IDR",
            "claimed_date": dt.date(2026, 3, 11), "account_holder": "ANI",
            "destination_account": "0372543386", **kw}


def report(*, invoices=(), payments=(), allocations=(), unmatched=(), exceptions=(),
           tickets=(), payouts=(), rejects=(), clients=(), settings=None, extra=None):
    tickets_frame = pd.DataFrame(list(tickets)) if tickets else empty(TICKET_COLUMNS)
    payouts_frame = pd.DataFrame(list(payouts)) if payouts else empty(PAYOUT_COLUMNS)
    inputs = ReportInputs(
        invoices=frame(INVOICE_COLUMNS, list(invoices)),
        clients=frame(CLIENT_COLUMNS, list(clients)),
        payments=frame(PAYMENT_COLUMNS, list(payments)),
        match=MatchResult(frame(ALLOCATION_COLUMNS, list(allocations)),
                          frame(UNMATCHED_COLUMNS, list(unmatched)),
                          frame(EXCEPTION_COLUMNS, list(exceptions))),
        rejects=frame(REJECT_COLUMNS, list(rejects)),
        tickets=tickets_frame, payouts=payouts_frame,
    )
    return build_report(inputs, as_of=AS_OF, settings=settings or Settings())


def one(df: pd.DataFrame, **where: object) -> pd.Series:
    rows = df
    for name, value in where.items():
        rows = rows.loc[rows[name] == value]
    assert len(rows) == 1, rows
    return rows.iloc[0]


# --- columns and types --------------------------------------------------------------------


def test_every_frame_has_exactly_the_export_columns_even_when_empty():
    data = report()
    assert list(data.matches.columns) == MATCH_OUT
    assert list(data.invoices.columns) == INVOICE_OUT
    assert list(data.unmatched.columns) == UNMATCHED_OUT
    assert list(data.exceptions.columns) == EXCEPTION_OUT
    assert list(data.payouts.columns) == PAYOUT_OUT
    assert list(data.tickets.columns) == TICKET_OUT
    assert list(data.overdue.columns) == [*OVERDUE_OUT, *OVERDUE_EXTRA]
    assert list(data.rejects.columns) == REJECT_OUT
    assert data.summary["auto_match_rate"] == 0.0


def test_a_match_names_its_source_record_client_and_amounts_as_decimals():
    data = report(invoices=[invoice("10234")], payments=[payment("bank", 1)],
                  allocations=[allocation("bank", 1, "10234")])
    row = one(data.matches, invoice_number="10234")
    assert (row.source_kind, row.source_format, row.source_file, row.source_ref) == (
        "bank", "bank_csv", "bca.csv", "ref1")
    assert row.source_line == 2 and type(row.source_line) is int
    assert row.source_date == dt.date(2026, 3, 1)
    assert row.source_amount == Decimal("1500000.00") and row.applied_amount == Decimal(
        "1500000.00")
    assert row.client_id == "7" and row.status == "auto" and row.confidence == 0.99


def test_amounts_use_the_rows_own_currency_exponent():
    data = report(invoices=[invoice("J1", currency="JPY", total_minor=5000),
                            invoice("K1", currency="KWD", total_minor=12345)])
    assert one(data.invoices, invoice_number="J1").total == Decimal("5000")
    assert one(data.invoices, invoice_number="K1").total == Decimal("12.345")


def test_a_missing_source_line_is_none_not_nan():
    data = report(invoices=[invoice("10234")],
                  payments=[payment("gateway", 4, source_line=None, source_format="stripe")],
                  allocations=[allocation("gateway", 4, "10234", status="suggested")])
    assert one(data.matches, invoice_number="10234").source_line is None


# --- invoice state ------------------------------------------------------------------------


def test_only_auto_and_confirmed_allocations_reduce_the_balance():
    data = report(
        invoices=[invoice(n) for n in ("A", "B", "C", "D")],
        payments=[payment("bank", i) for i in range(1, 5)],
        allocations=[allocation("bank", 1, "A", status="auto", applied_minor=50_000_000),
                     allocation("bank", 2, "B", status="confirmed"),
                     allocation("bank", 3, "C", status="suggested"),
                     allocation("bank", 4, "D", status="rejected")],
    )
    a, b = one(data.invoices, invoice_number="A"), one(data.invoices, invoice_number="B")
    assert (a.paid_amount, a.balance, a.status) == (Decimal("500000.00"), Decimal("1000000.00"),
                                                    "partially_paid")
    assert (b.paid_amount, b.balance, b.status) == (Decimal("1500000.00"), Decimal("0.00"), "paid")
    assert b.days_overdue == 0
    for number in ("C", "D"):
        row = one(data.invoices, invoice_number=number)
        assert (row.balance, row.status, row.days_overdue) == (Decimal("1500000.00"), "unpaid", 64)


def test_an_invoice_billing_calls_paid_has_nothing_left_to_pay():
    # WHMCS exports carry no balance, so a Paid invoice may arrive with balance = total.
    data = report(invoices=[invoice("A", status="Paid")])
    row = one(data.invoices, invoice_number="A")
    assert (row.paid_amount, row.balance, row.status, row.days_overdue) == (
        Decimal("1500000.00"), Decimal("0.00"), "paid", 0)
    assert data.overdue.empty


def test_paid_amount_starts_from_what_billing_already_recorded():
    data = report(invoices=[invoice("A", total_minor=1000, balance_minor=600, currency="USD")],
                  payments=[payment("bank", 1, currency="USD", amount_minor=200)],
                  allocations=[allocation("bank", 1, "A", applied_minor=200, currency="USD")])
    row = one(data.invoices, invoice_number="A")
    assert (row.paid_amount, row.balance, row.status) == (Decimal("6.00"), Decimal("4.00"),
                                                          "partially_paid")


def test_the_balance_never_goes_below_zero():
    data = report(invoices=[invoice("A", total_minor=1000, currency="USD")],
                  allocations=[allocation("bank", 1, "A", applied_minor=1500, currency="USD")])
    assert one(data.invoices, invoice_number="A").balance == Decimal("0.00")


@pytest.mark.parametrize(("billing", "expected"), [
    ("Cancelled", "cancelled"), ("Refunded", "refunded"), ("Collections", "collections"),
    ("Draft", "unpaid"), ("Overdue", "unpaid"), ("Payment Pending", "unpaid"), ("Paid", "paid"),
])
def test_billing_statuses_map_to_report_statuses(billing, expected):
    data = report(invoices=[invoice("A", status=billing)])
    assert one(data.invoices, invoice_number="A").status == expected


def test_only_open_invoices_with_a_balance_count_days_overdue_and_reach_the_overdue_list():
    data = report(invoices=[invoice("open"), invoice("gone", status="Cancelled"),
                            invoice("draft", status="Draft"),
                            invoice("paid", balance_minor=0, status="Paid"),
                            invoice("future", due_date=dt.date(2026, 4, 1))])
    days = dict(zip(data.invoices["invoice_number"], data.invoices["days_overdue"], strict=True))
    assert days == {"open": 64, "gone": 0, "draft": 0, "paid": 0, "future": 0}
    assert sorted(data.overdue["invoice_number"]) == ["future", "open"]
    assert one(data.overdue, invoice_number="future").bucket == "current"


def test_a_blank_client_name_is_taken_from_the_client_record():
    data = report(invoices=[invoice("A", client_name="")],
                  clients=[{"client_id": "7", "name": "", "company": "PT Ani Hosting",
                            "email": "", "created_at": None}])
    assert one(data.overdue, invoice_number="A").client_name == "PT Ani Hosting"


# --- unmatched, exceptions, rejects -------------------------------------------------------


def test_unmatched_money_and_exceptions_carry_their_source_columns():
    data = report(
        payments=[payment("bank", 9, amount_minor=12, currency="BTC", source_format="camt053",
                          source_line=None)],
        unmatched=[{"payment_kind": "bank", "payment_id": 9, "reason": "no_reference"}],
        exceptions=[{"kind": "unknown_reference", "payment_kind": "bank", "payment_id": 9,
                     "invoice_number": "99999", "amount_minor": 12, "currency": "BTC",
                     "detail": "INV 99999 is not an invoice"},
                    {"kind": "claimed_not_received", "payment_kind": "", "payment_id": None,
                     "invoice_number": "10234", "amount_minor": None, "currency": "",
                     "detail": "no bank line"}],
    )
    row = one(data.unmatched, reason="no_reference")
    assert (row.source_format, row.source_file, row.source_line) == ("camt053", "bca.csv", None)
    assert (row.amount, row.currency) == (Decimal("0.00000012"), "BTC")
    known = one(data.exceptions, kind="unknown_reference")
    assert known.source_ref == "ref9" and known.amount == Decimal("0.00000012")
    loose = one(data.exceptions, kind="claimed_not_received")
    assert loose.source_file is None and loose.amount is None and loose.currency is None


def test_rejects_keep_file_line_reason_and_raw_text():
    data = report(rejects=[{"source_format": "bank_csv", "source_file": "bca.csv",
                            "source_ref": None, "source_line": 7, "reason": "ambiguous amount",
                            "raw": "1,500;INV 1"}])
    row = data.rejects.iloc[0]
    assert (row.source_line, row.source_ref, row.reason) == (7, None, "ambiguous amount")


# --- tickets and payouts ------------------------------------------------------------------


def test_ticket_status_comes_from_exceptions_bank_lines_or_stays_pending():
    data = report(
        payments=[payment("bank", 5)],
        tickets=[ticket("T1", "A", bank_payment_id=5), ticket("T2", "B"), ticket("T3", "C"),
                 ticket("T4", "D"), ticket("T5", "E", status="rejected")],
        exceptions=[{"kind": "claimed_not_received", "payment_kind": "ticket",
                     "payment_id": ticket_key("T2"), "invoice_number": "B", "amount_minor": 1,
                     "currency": "IDR", "detail": ""},
                    {"kind": "unknown_destination_account", "payment_kind": "ticket",
                     "payment_id": ticket_key("T3"), "invoice_number": "C", "amount_minor": 1,
                     "currency": "IDR", "detail": ""}],
    )
    status = dict(zip(data.tickets["ticket_id"], data.tickets["status"], strict=True))
    assert status == {"T1": "verified", "T2": "claimed_not_received", "T3": "rejected",
                      "T4": "pending", "T5": "rejected"}
    verified = one(data.tickets, ticket_id="T1")
    assert (verified.bank_source_file, verified.bank_source_ref, verified.bank_source_line) == (
        "bca.csv", "ref5", 6)
    assert verified.claimed_amount == Decimal("1500000.00")
    assert one(data.exceptions, kind="claimed_not_received").source_file == "t.jsonl"


def test_a_ticket_amount_that_reads_two_ways_shows_its_other_reading_last():
    data = report(tickets=[
        ticket("T1", "A", claimed_amount_minor=1_250_000, claimed_amount_alt_minor=1_250,
               currency="USD"),
        ticket("T2", "B", claimed_amount_alt_minor=None),
    ])
    assert list(data.tickets.columns)[-1] == "claimed_amount_alt"
    two = one(data.tickets, ticket_id="T1")
    assert (two.claimed_amount, two.claimed_amount_alt) == (Decimal("12500.00"),
                                                            Decimal("12.50"))
    assert one(data.tickets, ticket_id="T2").claimed_amount_alt is None


def test_a_payout_is_verified_when_a_bank_line_carries_it():
    data = report(
        payments=[payment("bank", 3, currency="USD")],
        payouts=[{"gateway": "stripe", "payout_id": "po_1", "currency": "USD",
                  "amount_minor": 98_550, "item_count": 3, "bank_payment_id": 3},
                 {"gateway": "stripe", "payout_id": "po_2", "currency": "USD",
                  "amount_minor": 100, "item_count": 1, "bank_payment_id": None},
                 {"gateway": "paypal", "payout_id": "po_3", "currency": "USD",
                  "amount_minor": 100, "item_count": 1, "bank_payment_id": None,
                  "status": "mismatch"}],
    )
    status = dict(zip(data.payouts["payout_id"], data.payouts["status"], strict=True))
    assert status == {"po_1": "verified", "po_2": "unverified", "po_3": "mismatch"}
    po = one(data.payouts, payout_id="po_1")
    assert (po.amount, po.item_count, po.bank_source_ref, po.bank_source_line) == (
        Decimal("985.50"), 3, "ref3", 4)


# --- overdue ------------------------------------------------------------------------------


def test_a_pending_ticket_inside_the_claim_window_holds_escalation():
    data = report(invoices=[invoice("A"), invoice("B"), invoice("C")],
                  tickets=[ticket("T1", "A"),
                           ticket("T2", "B", claimed_date=dt.date(2026, 2, 1),
                                  created_date=dt.date(2026, 2, 2)),
                           ticket("T3", "C", claimed_date=None)])
    a = one(data.overdue, invoice_number="A")
    assert a.action == "hold" and "(ticket T1)" in a.hold_reason
    assert "says they paid IDR 1,500,000.00" in a.hold_reason
    old_claim = one(data.overdue, invoice_number="B")
    assert (old_claim.action, old_claim.hold_reason) == ("terminate", "")
    assert one(data.overdue, invoice_number="C").action == "hold"  # dated by its ticket


def test_a_suggested_allocation_holds_the_invoice_with_file_and_amount():
    data = report(invoices=[invoice("A")], payments=[payment("bank", 1)],
                  allocations=[allocation("bank", 1, "A", status="suggested")])
    row = one(data.overdue, invoice_number="A")
    assert row.action == "hold"
    assert row.hold_reason.startswith("A payment of IDR 1,500,000.00 received on ")
    assert row.hold_reason.endswith("(bca.csv) may pay this invoice and awaits review")


def test_overdue_rows_carry_bucket_policy_action_and_first_invoice_flag():
    data = report(invoices=[invoice("A", due_date=dt.date(2026, 3, 10), first_invoice=True),
                            invoice("B", due_date=dt.date(2026, 3, 10))])
    a, b = one(data.overdue, invoice_number="A"), one(data.overdue, invoice_number="B")
    assert (a.days_overdue, a.bucket, a.action, a.first_invoice) == (5, "1-30", "lock", True)
    assert (b.action, b.first_invoice) == ("remind", False)
    assert a.total == Decimal("1500000.00") and a.due_date == dt.date(2026, 3, 10)


# --- summary ------------------------------------------------------------------------------


def test_the_summary_counts_per_source_status_and_currency_without_mixing_currencies():
    data = report(
        invoices=[invoice("A"), invoice("U", currency="USD", total_minor=5000)],
        payments=[payment("bank", 1), payment("bank", 2, currency="USD", amount_minor=5000),
                  payment("gateway", 1, source_format="stripe", currency="USD",
                          amount_minor=2500)],
        allocations=[allocation("bank", 1, "A"),
                     allocation("bank", 2, "U", currency="USD", applied_minor=5000,
                                status="suggested", rule="amount", confidence=0.6)],
        unmatched=[{"payment_kind": "gateway", "payment_id": 1, "reason": "no_reference"}],
        rejects=[{"source_format": "mt940", "source_file": "x.sta", "source_ref": None,
                  "source_line": 3, "reason": "bad", "raw": ""}],
    )
    summary = json.loads(json.dumps(data.summary))  # JSON-able as it is
    assert summary["auto_match_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert summary["counts"]["rejects"] == 1 and summary["counts"]["payments"] == 3
    by_currency = {row["currency"]: row for row in summary["by_currency"]}
    assert by_currency["IDR"]["payments_total"] == "1500000.00"
    assert by_currency["USD"]["payments_total"] == "75.00"
    assert by_currency["USD"]["unmatched_total"] == "25.00"
    assert by_currency["USD"]["suggested_total"] == "50.00"
    assert by_currency["USD"]["open_balance"] == "50.00"
    sources = {(r["source_kind"], r["source_format"], r["currency"]): r["count"]
               for r in summary["by_source"]}
    assert sources == {("bank", "bank_csv", "IDR"): 1, ("bank", "bank_csv", "USD"): 1,
                       ("gateway", "stripe", "USD"): 1}
    statuses = {(r["status"], r["currency"]): r["total"] for r in summary["by_status"]}
    assert statuses == {("auto", "IDR"): "1500000.00", ("suggested", "USD"): "50.00"}


def test_money_and_tickets_find_their_source_rows_by_number_as_by_text():
    payments = frame(PAYMENT_COLUMNS, [payment("bank", 1), payment("bank", 2),
                                       payment("gateway", 1, source_ref="ch_1")])
    tickets = pd.DataFrame([ticket("T-1", "INV-1")])
    sources, _ = _both_sources(payments, None, tickets)
    rows = pd.DataFrame({"payment_kind": ["gateway", "bank", "ticket", "bank", "bank"],
                         "payment_id": pd.Series([1, 2, ticket_key("T-1"), 9, None],
                                                 dtype=object)})
    by_number = _with_sources(rows, sources, SourceKeys(sources))
    by_text = _with_sources(rows, sources, SourceKeys(sources.drop(columns=NUMBER)))
    assert by_number.equals(by_text)
    assert by_number["source_ref"].tolist()[:3] == ["ch_1", "ref2", "T-1"]
    assert by_number["source_ref"].iloc[3:].isna().all()
    numeric = rows.iloc[:4].astype({"payment_id": "int64"})
    assert _with_sources(numeric, sources).drop(columns="payment_id").equals(
        by_number.iloc[:4].drop(columns="payment_id"))
