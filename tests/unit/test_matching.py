"""The first matching pass: precision first, every payment gets exactly one outcome."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from tests.unit.matching.helpers import invoices, outcome, payments, run


def test_a_referenced_invoice_paid_exactly_is_matched_automatically():
    result = run(
        payments({"amount_minor": 111_000_000, "text":
                  "TRSF E-BANKING CR 0110/FTSCY/WS93105 1110000.00 INV 10908 RINA TANJUNG"}),
        invoices({"invoice_number": "10908", "balance_minor": 111_000_000}),
    )
    row = result.allocations.iloc[0]
    assert (row["status"], row["invoice_number"], row["applied_minor"]) == ("auto", "10908",
                                                                             111_000_000)
    assert result.unmatched.empty and result.exceptions.empty


def test_a_reference_with_a_smaller_amount_is_applied_as_a_partial_payment():
    result = run(payments({"amount_minor": 100_000_000, "text": "pembayaran inv10908 hosting"}),
                 invoices({"invoice_number": "10908", "balance_minor": 111_000_000}))
    row = result.allocations.iloc[0]
    assert (row["status"], row["rule"], row["applied_minor"]) == ("auto", "reference_partial",
                                                                   100_000_000)
    assert list(result.exceptions["kind"]) == ["underpayment"]


def test_two_equally_good_candidates_are_never_matched_automatically():
    result = run(payments({"amount_minor": 5_000, "text": "INV 10908 / INV 10909"}),
                 invoices({"invoice_number": "10908", "balance_minor": 5_000},
                          {"invoice_number": "10909", "balance_minor": 5_000}))
    assert set(result.allocations["status"]) == {"suggested"}
    assert len(result.allocations) == 2


def test_a_mass_payment_whose_amount_is_the_sum_of_the_listed_invoices_settles_them_all():
    result = run(payments({"amount_minor": 8_000, "text": "INV 10908, INV 10909"}),
                 invoices({"invoice_number": "10908", "balance_minor": 5_000},
                          {"invoice_number": "10909", "balance_minor": 3_000}))
    assert list(result.allocations["status"]) == ["auto", "auto"]
    assert result.allocations["applied_minor"].sum() == 8_000


def test_a_payment_naming_a_paid_invoice_is_an_exception_not_an_allocation():
    result = run(payments({"amount_minor": 5_000, "text": "Invoice #10901"}),
                 invoices({"invoice_number": "10901", "balance_minor": 0, "total_minor": 5_000,
                           "status": "Paid"}))
    assert result.allocations.empty
    assert list(result.exceptions["kind"]) == ["payment_on_paid_invoice"]
    assert outcome(result, 1) == ("payment_on_paid_invoice",)


def test_a_payment_naming_a_cancelled_invoice_is_an_exception():
    result = run(payments({"amount_minor": 5_000, "text": "INV 10902"}),
                 invoices({"invoice_number": "10902", "balance_minor": 5_000,
                           "status": "Cancelled"}))
    assert list(result.exceptions["kind"]) == ["payment_on_cancelled_invoice"]
    assert result.allocations.empty


def test_a_payment_in_another_currency_is_never_applied():
    result = run(payments({"amount_minor": 5_000, "currency": "USD", "text": "INV 10908"}),
                 invoices({"invoice_number": "10908", "balance_minor": 5_000}))
    assert result.allocations.empty
    assert list(result.exceptions["kind"]) == ["currency_mismatch"]


def test_an_unknown_invoice_number_leaves_the_money_unmatched_with_a_reason():
    result = run(payments({"amount_minor": 5_000, "text": "INV 99999"}),
                 invoices({"invoice_number": "10908", "balance_minor": 7_000}))
    assert outcome(result, 1) == ("unknown_reference",)
    assert list(result.exceptions["kind"]) == ["unknown_reference"]


def test_money_without_any_reference_or_amount_match_is_unmatched():
    result = run(payments({"amount_minor": 1_234, "text": "SETORAN TUNAI"}),
                 invoices({"invoice_number": "10908", "balance_minor": 7_000}))
    assert outcome(result, 1) == ("no_reference",)


def test_an_amount_equal_to_exactly_one_open_invoice_is_suggested_not_applied():
    result = run(payments({"amount_minor": 7_000, "text": "TRANSFER FROM B SANTOSO"}),
                 invoices({"invoice_number": "10908", "balance_minor": 7_000},
                          {"invoice_number": "10909", "balance_minor": 9_000}))
    row = result.allocations.iloc[0]
    assert (row["status"], row["invoice_number"], row["rule"]) == ("suggested", "10908",
                                                                    "amount_only")


def test_an_amount_shared_by_two_open_invoices_is_only_suggested_for_both():
    result = run(payments({"amount_minor": 7_000, "text": "TRANSFER"}),
                 invoices({"invoice_number": "10908", "balance_minor": 7_000},
                          {"invoice_number": "10909", "balance_minor": 7_000}))
    assert outcome(result, 1) == ("suggested", "suggested")


def test_a_second_payment_for_an_invoice_is_never_applied_twice():
    result = run(
        payments({"amount_minor": 5_000, "text": "INV 10908", "source_date": dt.date(2026, 11, 3)},
                 {"amount_minor": 5_000, "text": "INV 10908", "source_date": dt.date(2026, 11, 1)}),
        invoices({"invoice_number": "10908", "balance_minor": 5_000}))
    assert list(result.allocations["payment_id"]) == [2]
    assert outcome(result, 1) == ("payment_on_paid_invoice",)
    assert list(result.exceptions["kind"]) == ["payment_on_paid_invoice"]


def test_invoices_are_found_by_sequential_number_and_by_whmcs_id():
    result = run(payments({"amount_minor": 5_000, "text": "payment INV-2026-00123"},
                          {"amount_minor": 6_000, "text": "inv 10999"}),
                 invoices({"invoice_number": "INV-2026-00123", "invoice_id": "10998",
                           "balance_minor": 5_000},
                          {"invoice_number": "INV-2026-00124", "invoice_id": "10999",
                           "balance_minor": 6_000}))
    assert list(result.allocations["invoice_number"]) == ["INV-2026-00123", "INV-2026-00124"]
    assert set(result.allocations["status"]) == {"auto"}


def test_payments_after_the_as_of_date_wait_for_a_later_run():
    result = run(payments({"amount_minor": 5_000, "text": "INV 10908",
                           "source_date": dt.date(2026, 11, 21)}),
                 invoices({"invoice_number": "10908", "balance_minor": 5_000}))
    assert result.allocations.empty
    assert list(result.unmatched["reason"].str.split(":").str[0]) == ["after_as_of"]


def test_every_payment_gets_exactly_one_outcome_and_the_same_inputs_give_the_same_result():
    pays = payments({"amount_minor": 5_000, "text": "INV 10908"},
                    {"amount_minor": 1, "text": "nothing"},
                    {"amount_minor": 5_000, "text": "INV 10901"},
                    {"amount_minor": 4_000, "text": "INV 10909, INV 10910"})
    invs = invoices({"invoice_number": "10908", "balance_minor": 5_000},
                    {"invoice_number": "10901", "balance_minor": 0, "status": "Paid"},
                    {"invoice_number": "10909", "balance_minor": 3_000},
                    {"invoice_number": "10910", "balance_minor": 2_000})
    first, second = run(pays, invs), run(pays, invs)
    decided = set(first.allocations["payment_id"]) | set(first.unmatched["payment_id"])
    assert decided == {1, 2, 3, 4}
    assert not set(first.allocations["payment_id"]) & set(first.unmatched["payment_id"])
    pd.testing.assert_frame_equal(first.allocations, second.allocations)
    pd.testing.assert_frame_equal(first.unmatched, second.unmatched)
