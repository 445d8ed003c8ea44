"""The references pass: money that names its invoice is applied, the amount decides how."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pipeline.matching.by_reference import by_reference
from pipeline.settings import Settings
from tests.unit.matching.helpers import invoices, outcome, payments, run, work

IDR_FEE = Settings(fee_tolerance={"bank": {"IDR": {"fixed": "10000", "percent": "0"}}})


def one(decided, **where):
    rows = decided.allocations
    for name, value in where.items():
        rows = rows[rows[name] == value]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_an_amount_equal_to_the_balance_settles_the_invoice_automatically():
    decided = by_reference(work(payments({"amount_minor": 5_000_00, "text": "INV 10908"}),
                                invoices({"invoice_number": "10908", "balance_minor": 5_000_00})))
    assert one(decided)["rule"] == "reference_amount"
    assert decided.exceptions.empty


def test_a_wire_fee_within_the_tolerance_of_its_channel_and_currency_settles_and_is_recorded():
    decided = by_reference(work(
        payments({"amount_minor": 1_500_000_00 - 6_500_00, "text": "INV 10908"}),
        invoices({"invoice_number": "10908", "balance_minor": 1_500_000_00}), IDR_FEE))
    row = one(decided)
    assert (row["status"], row["rule"], row["fee_minor"]) == ("auto", "reference_fee", 6_500_00)
    assert decided.exceptions.empty


def test_the_fee_tolerance_of_another_currency_does_not_apply():
    decided = by_reference(work(
        payments({"amount_minor": 99_00, "currency": "USD", "text": "INV 10908"}),
        invoices({"invoice_number": "10908", "balance_minor": 100_00, "currency": "USD"}),
        IDR_FEE))
    assert one(decided)["rule"] == "reference_partial"


def test_a_percent_tolerance_counts_on_the_balance():
    settings = Settings(fee_tolerance={"*": {"*": {"percent": "1"}}})
    decided = by_reference(work(payments({"amount_minor": 99_00, "text": "INV 10908"}),
                                invoices({"invoice_number": "10908", "balance_minor": 100_00}),
                                settings))
    assert one(decided)["rule"] == "reference_fee"


def test_the_old_single_amount_tolerance_still_works_for_every_channel():
    decided = by_reference(work(payments({"amount_minor": 99_00, "text": "INV 10908"}),
                                invoices({"invoice_number": "10908", "balance_minor": 100_00}),
                                Settings(fee_tolerance=Decimal("1"))))
    assert one(decided)["rule"] == "reference_fee"


def test_less_than_the_balance_beyond_the_tolerance_is_a_partial_payment_and_an_underpayment():
    decided = by_reference(work(payments({"amount_minor": 60_00, "text": "INV 10908"}),
                                invoices({"invoice_number": "10908", "balance_minor": 100_00})))
    row = one(decided)
    assert (row["status"], row["rule"], row["applied_minor"]) == ("auto", "reference_partial",
                                                                   60_00)
    assert list(decided.exceptions[["kind", "amount_minor"]].itertuples(index=False,
                                                                        name=None)) == [
        ("underpayment", 40_00)]


def test_more_than_the_balance_applies_the_balance_and_keeps_the_excess_as_credit():
    decided = by_reference(work(payments({"amount_minor": 130_00, "text": "INV 10908"}),
                                invoices({"invoice_number": "10908", "balance_minor": 100_00})))
    row = one(decided)
    assert (row["rule"], row["applied_minor"]) == ("reference_overpaid", 100_00)
    assert list(decided.exceptions["kind"]) == ["overpayment"]
    assert list(decided.exceptions["amount_minor"]) == [30_00]


def test_two_partial_payments_of_one_invoice_take_its_balance_in_date_order():
    decided = by_reference(work(
        payments({"amount_minor": 60_00, "text": "INV 10908", "source_date": dt.date(2026, 11, 1)},
                 {"amount_minor": 40_00, "text": "INV 10908", "source_date": dt.date(2026, 11, 5)}),
        invoices({"invoice_number": "10908", "balance_minor": 100_00})))
    assert list(decided.allocations.sort_values("row")["rule"]) == ["reference_partial",
                                                                    "reference_amount"]
    assert list(decided.exceptions["kind"]) == ["underpayment"]


def test_a_mass_payment_not_summing_to_the_balances_is_only_suggested():
    decided = by_reference(work(payments({"amount_minor": 7_000, "text": "INV 10908, INV 10909"}),
                                invoices({"invoice_number": "10908", "balance_minor": 5_000},
                                         {"invoice_number": "10909", "balance_minor": 3_000})))
    assert set(decided.allocations["status"]) == {"suggested"}


def test_a_postal_code_that_is_also_an_invoice_number_is_no_reference_the_amount_decides():
    result = run(payments({"amount_minor": 7_000,
                           "text": "TRF BUDI JL MERDEKA 12 BANDUNG 40115"}),
                 invoices({"invoice_number": "40115", "balance_minor": 9_000},
                          {"invoice_number": "10908", "balance_minor": 7_000}))
    row = result.allocations.iloc[0]
    assert (row["invoice_number"], row["status"], row["rule"]) == ("10908", "suggested",
                                                                    "amount_only")


def test_a_reference_to_a_paid_invoice_is_an_exception_and_leaves_the_money_unmatched():
    result = run(payments({"amount_minor": 5_000, "text": "Invoice #10901"}),
                 invoices({"invoice_number": "10901", "balance_minor": 0, "total_minor": 5_000,
                           "status": "Paid"}))
    assert outcome(result, 1) == ("payment_on_paid_invoice",)


def test_invoices_listed_after_one_keyword_are_a_mass_payment_when_their_balances_sum():
    decided = by_reference(work(payments({"amount_minor": 8_000,
                                          "text": "invoices 10908, 10909 RINA"}),
                                invoices({"invoice_number": "10908", "balance_minor": 5_000},
                                         {"invoice_number": "10909", "balance_minor": 3_000})))
    assert set(zip(decided.allocations["invoice_number"], decided.allocations["rule"],
                   strict=True)) == {("10908", "references_sum"), ("10909", "references_sum")}


def test_a_number_after_a_reference_that_the_amount_does_not_confirm_is_no_reference():
    decided = by_reference(work(payments({"amount_minor": 5_000,
                                          "text": "INV 10908 40115 BANDUNG"}),
                                invoices({"invoice_number": "10908", "balance_minor": 5_000},
                                         {"invoice_number": "40115", "balance_minor": 3_000})))
    row = one(decided)
    assert (row["invoice_number"], row["status"], row["rule"]) == ("10908", "auto",
                                                                    "reference_amount")


def test_an_unknown_number_after_a_reference_raises_no_exception():
    decided = by_reference(work(payments({"amount_minor": 5_000, "text": "INV 10908 77777"}),
                                invoices({"invoice_number": "10908", "balance_minor": 5_000})))
    assert one(decided)["rule"] == "reference_amount"
    assert decided.exceptions.empty
