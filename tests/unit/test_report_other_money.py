"""build_report beside the matches: payouts with the engine's outcome, other money, the
tie-out in the summary, and statement gaps among the exceptions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from pipeline.frames import (
    ALLOCATION_COLUMNS,
    EXCEPTION_COLUMNS,
    OTHER_MONEY_COLUMNS,
    PAYOUT_OUTCOME_COLUMNS,
    UNMATCHED_COLUMNS,
)
from pipeline.matching import MatchResult
from pipeline.report_other_money import OTHER_MONEY_OUT
from pipeline.reporting import ReportInputs, build_report
from pipeline.settings import Settings
from tests.unit.test_reporting import (
    AS_OF,
    CLIENT_COLUMNS,
    INVOICE_COLUMNS,
    PAYMENT_COLUMNS,
    PAYOUT_COLUMNS,
    REJECT_COLUMNS,
    TICKET_COLUMNS,
    allocation,
    empty,
    frame,
    invoice,
    one,
    payment,
)


def report(payments, *, allocations=(), unmatched=(), exceptions=(), other=(), payouts=(),
           outcomes=(), non_payments=(), balances=None):
    match = MatchResult(frame(ALLOCATION_COLUMNS, list(allocations)),
                        frame(UNMATCHED_COLUMNS, list(unmatched)),
                        frame(EXCEPTION_COLUMNS, list(exceptions)),
                        payouts=frame(PAYOUT_OUTCOME_COLUMNS, list(outcomes)),
                        other_money=frame(OTHER_MONEY_COLUMNS, list(other)))
    inputs = ReportInputs(
        invoices=frame(INVOICE_COLUMNS, [invoice("10908")]), clients=empty(CLIENT_COLUMNS),
        payments=frame(PAYMENT_COLUMNS, list(payments)), match=match,
        rejects=empty(REJECT_COLUMNS), tickets=empty(TICKET_COLUMNS),
        payouts=frame(PAYOUT_COLUMNS, list(payouts)),
        non_payments=frame(PAYMENT_COLUMNS, list(non_payments)),
        statement_balances=balances)
    return build_report(inputs, as_of=AS_OF, settings=Settings())


def test_other_money_names_its_record_with_amount_kind_and_detail():
    data = report([payment("bank", 1, amount_minor=8_712_345, text="BUNGA")],
                  other=[{"payment_kind": "bank", "payment_id": 1, "kind": "interest",
                          "detail": "interest paid by the bank: BUNGA"}],
                  non_payments=[payment("bank", 2, amount_minor=-1_500_000)])
    assert list(data.other_money.columns) == OTHER_MONEY_OUT
    row = one(data.other_money, kind="interest")
    assert (row.source_file, row.source_line, row.amount, row.currency) == (
        "bca.csv", 2, Decimal("87123.45"), "IDR")


def test_a_debit_listed_as_other_money_keeps_its_negative_amount():
    data = report([], other=[{"payment_kind": "bank", "payment_id": 2, "kind": "fee",
                              "detail": "bank charges: BIAYA ADM"}],
                  non_payments=[payment("bank", 2, amount_minor=-1_500_000)])
    assert one(data.other_money, kind="fee").amount == Decimal("-15000.00")


def test_a_payout_takes_the_engines_status_and_bank_line():
    data = report([payment("bank", 3, currency="USD", amount_minor=98_550)],
                  payouts=[{"gateway": "stripe", "payout_id": "po_1", "currency": "USD",
                            "amount_minor": 98_550, "item_count": 3,
                            "payout_date": dt.date(2026, 3, 1), "items_net_minor": 98_550,
                            "net_minor": -98_550}],
                  outcomes=[{"gateway": "stripe", "payout_id": "po_1", "status": "verified",
                             "payment_kind": "bank", "payment_id": 3, "detail": "ok"}])
    row = one(data.payouts, payout_id="po_1")
    assert (row.status, row.amount, row.bank_source_ref) == ("verified", Decimal("985.50"),
                                                             "ref3")


def test_the_summary_ties_out_every_payment_per_currency_and_source():
    data = report(
        [payment("bank", 1), payment("bank", 2, amount_minor=500),
         payment("bank", 3, amount_minor=700), payment("bank", 4, amount_minor=900)],
        allocations=[allocation("bank", 1, "10908", applied_minor=149_000_000)],
        exceptions=[{"kind": "overpayment", "payment_kind": "bank", "payment_id": 1,
                     "invoice_number": "10908", "amount_minor": 1_000_000, "currency": "IDR",
                     "detail": "excess"}],
        unmatched=[{"payment_kind": "bank", "payment_id": 2, "reason": "no_reference: x"},
                   {"payment_kind": "bank", "payment_id": 4,
                    "reason": "after_as_of: later"}],
        other=[{"payment_kind": "bank", "payment_id": 3, "kind": "interest", "detail": "x"}])
    (row,) = data.summary["tie_out"]
    assert row == {"currency": "IDR", "source_kind": "bank", "money_in": "1500021.00",
                   "applied": "1490000.00", "suggested": "0.00", "credit": "10000.00",
                   "unmatched": "5.00", "non_customer": "7.00", "after_as_of": "9.00",
                   "difference": "0.00"}


def test_a_missing_statement_is_an_exception_in_the_report():
    def balance(kind, day, amount, line):
        return {"account_id": "123", "kind": kind, "date": dt.date(2026, 3, day),
                "amount_minor": amount, "currency": "IDR", "source_format": "mt940",
                "source_file": "m.sta", "source_ref": f"S{line}", "source_line": line}

    balances = pd.DataFrame([balance("opening", 1, 10, 1), balance("closing", 5, 20, 9),
                             balance("opening", 9, 20, 11), balance("closing", 12, 30, 19)])
    data = report([payment("bank", 1)], balances=balances)
    gap = one(data.exceptions, kind="statement_gap")
    assert (gap.source_file, gap.source_line, gap.source_kind) == ("m.sta", 11, "bank")
    assert data.summary["exceptions_by_kind"] == {"statement_gap": 1}
