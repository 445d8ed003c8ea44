"""Pass: duplicate charges, and refunds and chargebacks of gateway charges."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline.frames import REVERSAL_COLUMNS
from tests.unit.matching.helpers import invoices, outcome, payments, run

CHARGE = {"payment_kind": "gateway", "source_file": "stripe.csv", "currency": "USD",
          "amount_minor": 35_960, "counterparty": "Rina Wijaya",
          "text": "Hosting | invoice 11356 | Rina Wijaya | rina@example.com"}


def charges(*rows: dict) -> pd.DataFrame:
    return payments(*[{**CHARGE, "money_key": f"gateway:stripe:txn_{i}", **row}
                      for i, row in enumerate(rows)])


def invoice(**extra) -> pd.DataFrame:
    return invoices({"invoice_number": "11356", "balance_minor": 35_960, "currency": "USD",
                     **extra})


def reversal(of: str, kind: str = "refund", day=dt.date(2026, 11, 7)) -> pd.DataFrame:
    return pd.DataFrame([{"money_key": of + "R", "reverses": of, "kind": kind,
                          "amount_minor": 35_960, "currency": "USD", "source_date": day}],
                        columns=REVERSAL_COLUMNS)


def test_a_second_charge_for_one_invoice_is_a_duplicate_and_settles_nothing():
    result = run(charges({}, {}), invoice())
    assert outcome(result, 1) == ("auto",)
    assert outcome(result, 2) == ("duplicate_charge",)
    assert result.exceptions["kind"].tolist() == ["duplicate_charge"]
    assert result.allocations["applied_minor"].sum() == 35_960


def test_the_same_customer_and_amount_twice_in_a_day_is_a_duplicate_without_an_invoice():
    result = run(charges({"text": "Hosting"}, {"text": "Hosting"}), invoice())
    assert outcome(result, 2) == ("duplicate_charge",)


def test_two_charges_of_one_customer_for_two_invoices_of_one_amount_are_not_duplicates():
    result = run(charges({}, {"text": "Hosting | invoice 11357"}),
                 invoices({"invoice_number": "11356", "balance_minor": 35_960,
                           "currency": "USD"},
                          {"invoice_number": "11357", "balance_minor": 35_960,
                           "currency": "USD"}))
    assert outcome(result, 1) == ("auto",) and outcome(result, 2) == ("auto",)
    assert result.exceptions.empty


def test_the_same_amount_a_week_later_is_not_a_duplicate():
    result = run(charges({"text": "Hosting"},
                         {"text": "Hosting", "source_date": dt.date(2026, 11, 9)}), invoice())
    assert result.exceptions.empty


def test_of_two_charges_the_refunded_one_is_the_duplicate():
    result = run(charges({}, {}), invoice(), reversals=reversal("gateway:stripe:txn_0"))
    assert outcome(result, 2) == ("auto",)
    assert sorted(result.exceptions["kind"]) == ["duplicate_charge", "refund"]
    assert set(result.exceptions["payment_id"]) == {1}


def test_a_refund_reverses_its_charge_and_reopens_the_invoice():
    result = run(charges({}), invoice(), reversals=reversal("gateway:stripe:txn_0"))
    assert result.allocations.empty
    assert outcome(result, 1) == ("refund",)
    assert result.exceptions["kind"].tolist() == ["refund"]
    assert result.entries["entry"].tolist() == ["allocation", "reversal"]


def test_a_chargeback_is_an_exception_of_its_own_kind():
    result = run(charges({}), invoice(),
                 reversals=reversal("gateway:stripe:txn_0", kind="chargeback"))
    assert result.exceptions["kind"].tolist() == ["chargeback"]
