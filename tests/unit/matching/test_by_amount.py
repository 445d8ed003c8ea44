"""The amount-only pass: suggestions (never auto) when a few open invoices have this balance."""

from __future__ import annotations

import datetime as dt

from pipeline.matching.by_amount import by_amount
from tests.unit.matching.helpers import invoices, payments, work


def test_one_open_invoice_with_the_amount_is_suggested_never_applied():
    decided = by_amount(work(payments({"amount_minor": 7_000}),
                             invoices({"invoice_number": "A1", "balance_minor": 7_000},
                                      {"invoice_number": "A2", "balance_minor": 9_000})))
    row = decided.allocations.iloc[0]
    assert (row["invoice_number"], row["status"], row["rule"]) == ("A1", "suggested",
                                                                    "amount_only")
    assert decided.unmatched.empty


def test_two_invoices_with_the_same_amount_are_both_suggested_closest_issue_date_first():
    decided = by_amount(work(payments({"amount_minor": 7_000,
                                       "source_date": dt.date(2026, 11, 2)}),
                             invoices({"invoice_number": "A1", "balance_minor": 7_000,
                                       "issue_date": dt.date(2026, 9, 1)},
                                      {"invoice_number": "A2", "balance_minor": 7_000,
                                       "issue_date": dt.date(2026, 10, 30)})))
    allocs = decided.allocations
    assert list(allocs["invoice_number"]) == ["A2", "A1"]
    assert set(allocs["status"]) == {"suggested"}
    assert allocs["confidence"].is_monotonic_decreasing
    assert allocs["reason"].str.contains("2: A2, A1").all()
    assert decided.unmatched.empty


def test_more_candidates_than_a_few_are_counted_never_paired():
    four = [{"invoice_number": f"A{i}", "balance_minor": 7_000} for i in range(1, 5)]
    decided = by_amount(work(payments({"amount_minor": 7_000}), invoices(*four)))
    assert decided.allocations.empty
    assert list(decided.unmatched["reason"]) == [
        "ambiguous_amount: 4 open invoices have this amount (A1, A2, A3, ...)"]


def test_many_candidates_are_counted_and_only_the_first_few_named():
    many = [{"invoice_number": f"A{i}", "balance_minor": 7_000} for i in range(1, 8)]
    decided = by_amount(work(payments({"amount_minor": 7_000}), invoices(*many)))
    assert list(decided.unmatched["reason"]) == [
        "ambiguous_amount: 7 open invoices have this amount (A1, A2, A3, ...)"]


def test_an_invoice_issued_long_after_the_payment_is_no_candidate():
    decided = by_amount(work(
        payments({"amount_minor": 7_000, "source_date": dt.date(2026, 10, 1)}),
        invoices({"invoice_number": "A1", "balance_minor": 7_000,
                  "issue_date": dt.date(2026, 11, 1)})))
    assert decided.unmatched["reason"].str.startswith("no_reference").all()


def test_another_currency_or_a_closed_invoice_is_no_candidate():
    decided = by_amount(work(payments({"amount_minor": 7_000}),
                             invoices({"invoice_number": "A1", "balance_minor": 7_000,
                                       "currency": "USD"},
                                      {"invoice_number": "A2", "balance_minor": 7_000,
                                       "status": "Cancelled"})))
    assert decided.allocations.empty and len(decided.unmatched) == 1


def test_money_with_no_invoice_at_all_is_unmatched_without_reference():
    empty = invoices({"invoice_number": "A1", "balance_minor": 0, "status": "Paid"})
    decided = by_amount(work(payments({"amount_minor": 7_000}, {"amount_minor": 8_000}), empty))
    assert list(decided.unmatched["row"]) == [0, 1]
