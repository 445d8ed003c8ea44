"""Exact subset sums of one client's few open invoices."""

from __future__ import annotations

from pipeline.matching.subset_sum import MAX_INVOICES, exact_subsets


def test_the_one_subset_that_sums_to_the_amount_is_found():
    assert exact_subsets([7_000, 9_000, 5_000], 16_000) == [(0, 1)]


def test_two_subsets_reaching_the_same_amount_are_both_reported():
    assert exact_subsets([7_000, 5_000, 4_000, 8_000], 12_000) == [(0, 1), (2, 3)]


def test_equal_balances_make_a_sum_ambiguous():
    assert len(exact_subsets([5_000, 5_000, 5_000], 10_000)) == 2


def test_a_single_invoice_is_not_a_subset_sum():
    assert exact_subsets([7_000, 9_000], 7_000) == []


def test_too_many_invoices_are_not_searched():
    assert exact_subsets([1] * (MAX_INVOICES + 1), 2) == []


def test_a_sum_across_both_halves_of_the_invoices_is_found():
    balances = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]
    assert exact_subsets(balances, 1 + 2048) == [(0, 11)]
