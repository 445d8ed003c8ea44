"""Ledger arithmetic and the passes that read the ledger, over plain frames."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline.frames import LEDGER_COLUMNS, REVERSAL_COLUMNS
from pipeline.matching.ledger import (
    invoices_after_ledger,
    match_id,
    match_ids,
    per_invoice,
    standing,
)
from tests.unit.matching.helpers import AS_OF, invoices, outcome, payments, run

KEY = "bank:0372543386:T1"


def entry(invoice="10908", applied=5_000, entry="allocation", status="auto", key=KEY,
          evidence="", day=dt.date(2026, 11, 2), **extra) -> dict:
    return {"match_id": match_id(key, invoice), "entry": entry, "status": status,
            "money_key": key, "payment_kind": "bank", "invoice_number": invoice,
            "applied_minor": applied, "fee_minor": 0, "currency": "IDR",
            "rule": "reference_amount", "reason": "INV in memo", "source_date": day,
            "as_of": day, "user": "payrecon", "evidence": evidence, **extra}


def ledger(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=LEDGER_COLUMNS)


def test_the_match_id_is_the_same_for_the_same_money_and_invoice_and_differs_otherwise():
    assert match_id(KEY, "10908") == match_id(KEY, "10908")
    assert match_id(KEY, "10908") != match_id(KEY, "10909")
    assert match_id(KEY, "10908") != match_id("bank:0372543386:T2", "10908")


def test_the_match_id_of_a_pair_is_the_one_earlier_nights_stored():
    assert match_id(KEY, "10908") == "m8a1119bccca32a3b"  # sha256 of key, US, invoice


def test_match_ids_over_columns_give_the_ids_of_each_pair():
    keys = pd.Series([KEY, KEY, "gateway:stripe:ch_1"], index=[4, 7, 9])
    numbers = pd.Series(["10908", "10909", "INV-2026-00123"], index=[4, 7, 9])
    ids = match_ids(keys, numbers)
    assert list(ids.index) == [4, 7, 9]
    assert list(ids) == [match_id(k, n) for k, n in zip(keys, numbers, strict=True)]


def test_per_invoice_sums_what_names_each_invoice_and_gives_0_to_the_others():
    numbers = pd.Series(["10908", "10909", "10908", "10910"])
    keys = pd.Series(["10908", "10908", "99999", "10910", None])
    got = per_invoice(numbers, keys, pd.Series([5, 7, 100, 1, 3]))[0]
    assert got.tolist() == [12, 0, 12, 1]


def test_an_allocation_entered_twice_stands_once_with_both_amounts():
    both = standing(ledger(entry(applied=2_000), entry(applied=3_000)))
    assert both["applied_minor"].tolist() == [5_000]


def test_a_reversed_allocation_no_longer_stands():
    rows = ledger(entry(), entry(entry="reversal", status="reversed", applied=-5_000,
                                 evidence="gateway:stripe:re_1"))
    assert standing(rows).empty


def test_billing_showing_our_allocation_or_not_yet_reads_the_same_open_balance():
    rows = ledger(entry(applied=4_000))
    before = invoices({"invoice_number": "10908", "balance_minor": 10_000})
    after = invoices({"invoice_number": "10908", "balance_minor": 6_000, "total_minor": 10_000})
    assert invoices_after_ledger(before, rows)["balance_minor"].tolist() == [6_000]
    assert invoices_after_ledger(after, rows)["balance_minor"].tolist() == [6_000]


def test_a_reversal_reopens_an_invoice_billing_shows_paid():
    rows = ledger(entry(), entry(entry="reversal", status="reversed", applied=-5_000,
                                 evidence="gateway:stripe:re_1"))
    paid = invoices({"invoice_number": "10908", "balance_minor": 0, "total_minor": 5_000,
                     "status": "Paid"})
    reopened = invoices_after_ledger(paid, rows)
    assert reopened[["balance_minor", "status"]].values.tolist() == [[5_000, "Unpaid"]]


def test_money_the_ledger_already_applied_is_not_matched_again_when_billing_shows_it_paid():
    result = run(payments({"amount_minor": 5_000, "text": "INV 10908"}),
                 invoices({"invoice_number": "10908", "balance_minor": 0, "total_minor": 5_000,
                           "status": "Paid"}), ledger=ledger(entry()))
    assert outcome(result, 1) == ("auto",) and result.exceptions.empty
    assert result.entries.empty


def test_new_money_is_matched_against_what_the_ledger_left_open():
    pays = payments({"amount_minor": 4_000, "text": "INV 10908"},
                    {"amount_minor": 6_000, "text": "INV 10908",
                     "source_date": dt.date(2026, 11, 9)})
    result = run(pays, invoices({"invoice_number": "10908", "balance_minor": 10_000}),
                 ledger=ledger(entry(applied=4_000)))
    second = result.allocations[result.allocations["payment_id"] == 2].iloc[0]
    assert (second["rule"], second["applied_minor"]) == ("reference_amount", 6_000)
    assert list(result.entries["money_key"]) == ["bank:0372543386:T2"]


def test_ledger_entries_after_the_as_of_date_are_not_seen():
    later = entry(day=AS_OF + dt.timedelta(days=3))
    result = run(payments({"amount_minor": 5_000, "text": "INV 10908"}),
                 invoices({"invoice_number": "10908", "balance_minor": 5_000}),
                 ledger=ledger(later))
    assert list(result.entries["entry"]) == ["allocation"]


def test_a_refund_reverses_its_charge_once_and_says_so():
    charge = {"payment_kind": "gateway", "amount_minor": 5_000, "text": "invoice 10908",
              "money_key": "gateway:stripe:ch_1"}
    refund = pd.DataFrame([{"money_key": "gateway:stripe:re_1", "reverses": "gateway:stripe:ch_1",
                            "kind": "refund", "amount_minor": 5_000, "currency": "IDR",
                            "source_date": dt.date(2026, 11, 5)}], columns=REVERSAL_COLUMNS)
    invs = invoices({"invoice_number": "10908", "balance_minor": 5_000})
    first = run(payments(charge), invs, reversals=refund)
    assert list(first.entries["entry"]) == ["allocation", "reversal"]
    assert list(first.exceptions["kind"]) == ["refund"]
    assert outcome(first, 1) == ("refund",)
    again = run(payments(charge), invs, reversals=refund, ledger=first.entries)
    assert again.entries.empty and outcome(again, 1) == ("refund",)


def test_an_overpayment_records_the_excess_as_a_credit_entry():
    result = run(payments({"amount_minor": 7_000, "text": "INV 10908"}),
                 invoices({"invoice_number": "10908", "balance_minor": 5_000}))
    credit = result.entries[result.entries["entry"] == "credit"]
    assert list(credit["applied_minor"]) == [2_000]


def test_a_pair_finance_rejected_is_never_applied_even_when_the_reference_would_apply_it():
    rejected = entry(entry="decision", status="rejected", applied=0, user="rina")
    result = run(payments({"amount_minor": 3_000, "text": "INV 10908"}),
                 invoices({"invoice_number": "10908", "balance_minor": 5_000}),
                 ledger=ledger(rejected))
    assert result.allocations.empty and result.exceptions.empty
    assert outcome(result, 1) == ("rejected_match",)


def test_a_night_run_again_on_its_own_ledger_gives_the_same_result_and_adds_nothing():
    pays = payments({"amount_minor": 5_000, "text": "INV 10908"},
                    {"amount_minor": 3_000, "text": "INV 10909"},
                    {"amount_minor": 9_000, "text": "INV 10910"},
                    {"amount_minor": 7_000, "text": "INV 10911, INV 10912"},
                    {"amount_minor": 8_000, "text": "TRANSFER"})
    invs = invoices({"invoice_number": "10908", "balance_minor": 5_000},
                    {"invoice_number": "10909", "balance_minor": 4_000},
                    {"invoice_number": "10910", "balance_minor": 6_000},
                    {"invoice_number": "10911", "balance_minor": 2_000},
                    {"invoice_number": "10912", "balance_minor": 5_000},
                    {"invoice_number": "10913", "balance_minor": 8_000})
    first = run(pays, invs)
    again = run(pays, invs, ledger=first.entries)
    for part in ("allocations", "unmatched", "exceptions"):
        pd.testing.assert_frame_equal(getattr(again, part), getattr(first, part),
                                      check_dtype=False)
    assert again.entries.empty
