"""Pass: payouts. Each gateway payout is verified against exactly one bank line."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline.frames import PAYOUT_COLUMNS
from tests.unit.matching.helpers import invoices, outcome, payments, run

USD = {"currency": "USD", "source_file": "chase.ofx", "account_id": "000123456789"}


def payouts(*rows: dict) -> pd.DataFrame:
    base = {"gateway": "stripe", "payout_id": "po_1", "currency": "USD",
            "amount_minor": 493_147, "item_count": 9, "payout_date": dt.date(2026, 11, 4),
            "items_net_minor": 493_147, "net_minor": -493_147}
    return pd.DataFrame([{**base, **row} for row in rows], columns=PAYOUT_COLUMNS)


def no_invoices() -> pd.DataFrame:
    return invoices({"invoice_number": "10908", "balance_minor": 5_000})


def test_a_payout_is_verified_by_the_one_bank_line_of_its_amount_a_few_days_later():
    pays = payments({**USD, "amount_minor": 493_147, "source_date": dt.date(2026, 11, 6),
                     "text": "STRIPE TRANSFER ST-NV1104"})
    result = run(pays, no_invoices(), payouts=payouts({}))
    row = result.payouts.iloc[0]
    assert (row["status"], row["payment_kind"], row["payment_id"]) == ("verified", "bank", 1)
    assert result.allocations.empty and result.unmatched.empty
    assert list(result.other_money["kind"]) == ["payout"]


def test_the_payout_bank_line_never_settles_an_invoice_of_the_same_amount():
    pays = payments({**USD, "amount_minor": 5_000, "source_date": dt.date(2026, 11, 6),
                     "text": "STRIPE TRANSFER INV 10908"})
    result = run(pays, invoices({"invoice_number": "10908", "balance_minor": 5_000,
                                 "currency": "USD"}),
                 payouts=payouts({"amount_minor": 5_000, "items_net_minor": 5_000,
                                  "net_minor": -5_000}))
    assert result.allocations.empty
    assert result.payouts["status"].tolist() == ["verified"]


def test_a_payout_whose_items_sum_to_the_bank_line_is_verified_by_it():
    pays = payments({**USD, "amount_minor": 10_000, "source_date": dt.date(2026, 11, 5)})
    result = run(pays, no_invoices(),
                 payouts=payouts({"amount_minor": 9_999, "items_net_minor": 10_000,
                                  "net_minor": -9_999}))
    assert result.payouts["status"].tolist() == ["verified"]


def test_a_bank_line_before_the_payout_or_after_the_window_does_not_verify_it():
    pays = payments({**USD, "amount_minor": 493_147, "source_date": dt.date(2026, 11, 3)},
                    {**USD, "amount_minor": 493_147, "source_date": dt.date(2026, 11, 15)})
    result = run(pays, no_invoices(), payouts=payouts({}))
    assert result.payouts["status"].tolist() == ["unverified"]
    assert result.other_money.empty


def test_two_bank_lines_that_fit_equally_verify_nothing():
    pays = payments({**USD, "amount_minor": 493_147, "source_date": dt.date(2026, 11, 5)},
                    {**USD, "amount_minor": 493_147, "source_date": dt.date(2026, 11, 6)})
    result = run(pays, no_invoices(), payouts=payouts({}))
    assert result.payouts["status"].tolist() == ["unverified"]
    assert result.other_money.empty


def test_of_two_fitting_lines_the_one_naming_the_gateway_verifies_the_payout():
    pays = payments({**USD, "amount_minor": 493_147, "source_date": dt.date(2026, 11, 5),
                     "text": "ACH CREDIT ACME"},
                    {**USD, "amount_minor": 493_147, "source_date": dt.date(2026, 11, 6),
                     "text": "STRIPE TRANSFER"})
    result = run(pays, no_invoices(), payouts=payouts({}))
    assert result.payouts["payment_id"].tolist() == [2]


def test_a_bank_line_naming_the_gateway_with_another_amount_is_a_payout_mismatch():
    pays = payments({**USD, "amount_minor": 490_000, "source_date": dt.date(2026, 11, 6),
                     "text": "STRIPE TRANSFER"})
    result = run(pays, no_invoices(), payouts=payouts({}))
    assert result.payouts["status"].tolist() == ["mismatch"]
    assert result.exceptions["kind"].tolist() == ["payout_mismatch"]
    assert result.other_money["kind"].tolist() == ["payout"]
    assert result.unmatched.empty


def test_a_payout_with_no_bank_line_yet_is_unverified_in_transit():
    result = run(payments({**USD, "amount_minor": 1_000}), no_invoices(),
                 payouts=payouts({"payout_date": dt.date(2026, 11, 19)}))
    row = result.payouts.iloc[0]
    assert row["status"] == "unverified" and row["detail"].startswith("in transit")


def test_a_payout_dated_after_the_as_of_date_is_not_known_yet():
    result = run(payments({**USD, "amount_minor": 1_000}), no_invoices(),
                 payouts=payouts({"payout_date": dt.date(2026, 11, 25)}))
    assert result.payouts.empty


def test_two_payouts_take_their_own_bank_lines():
    pays = payments({**USD, "amount_minor": 300, "source_date": dt.date(2026, 11, 6)},
                    {**USD, "amount_minor": 200, "source_date": dt.date(2026, 11, 7)})
    result = run(pays, no_invoices(), payouts=payouts(
        {"payout_id": "po_1", "amount_minor": 200, "items_net_minor": 200, "net_minor": -200},
        {"payout_id": "po_2", "amount_minor": 300, "items_net_minor": 300,
         "net_minor": -300}))
    assert dict(zip(result.payouts["payout_id"], result.payouts["payment_id"],
                    strict=True)) == {"po_1": 2, "po_2": 1}
    assert outcome(result, 1) == ()


def test_a_negative_payout_is_verified_by_the_bank_debit_it_took_and_that_debit_is_a_payout():
    debit = payments({"payment_id": 7, **USD, "amount_minor": -48_692,
                      "source_date": dt.date(2026, 11, 18), "text": "STRIPE TRANSFER"})
    result = run(payments({**USD, "amount_minor": 1_000}), no_invoices(),
                 payouts=payouts({"amount_minor": 48_692, "items_net_minor": -48_692,
                                  "net_minor": 48_692, "payout_date": dt.date(2026, 11, 16)}),
                 non_payments=debit)
    assert result.payouts[["status", "payment_id"]].values.tolist() == [["verified", 7]]
    assert result.other_money[["payment_id", "kind"]].values.tolist() == [[7, "payout"]]


def test_the_gateways_own_payout_record_is_other_money_of_kind_payout():
    record = payments({"payment_id": 3, "payment_kind": "gateway", **USD,
                       "amount_minor": -493_147, "text": "STRIPE PAYOUT"})
    result = run(payments({**USD, "amount_minor": 1_000}), no_invoices(), non_payments=record)
    assert result.other_money[["payment_kind", "kind"]].values.tolist() == [["gateway",
                                                                            "payout"]]
