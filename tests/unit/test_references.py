"""Invoice references are read from free text, and nothing else is mistaken for one."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.references import extract_references, normalize_ref
from pipeline.settings import DEFAULT_REFERENCE_PATTERNS


def refs(text: str) -> list[str]:
    found = extract_references(pd.Series([text]), DEFAULT_REFERENCE_PATTERNS)
    return list(found["ref"])


def test_a_bank_memo_names_its_invoice_and_not_its_amounts_dates_or_account_numbers():
    memo = "TRSF E-BANKING CR 0110/FTSCY/WS93105 1110000.00 INV 10908 RINA TANJUNG"
    assert refs(memo) == ["10908"]


@pytest.mark.parametrize("text, expected", [
    ("INV 10234", ["10234"]),
    ("Invoice #10234", ["10234"]),
    ("pembayaran inv10234 hosting", ["10234"]),
    ("Konfirmasi Pembayaran Invoice #10234", ["10234"]),
    ("No. Invoice: 010234", ["10234"]),
    ("payment for INV-2026-00123", ["INV-2026-00123"]),
    ("INV 10234 and #10235", ["10234", "10235"]),
    ("Faktur no. 10234", ["10234"]),
])
def test_references_are_found_in_the_ways_customers_write_them(text, expected):
    assert refs(text) == expected


@pytest.mark.parametrize("text", [
    "TRANSFER 1,110,000.00 2026-11-02",
    "BCA 0372543386 RINA",
    "ATM WITHDRAWAL 10234",
    "INV 1.110.000",
    "",
])
def test_text_without_an_invoice_keyword_names_no_invoice(text):
    assert refs(text) == []


def test_numeric_references_compare_without_leading_zeros():
    assert normalize_ref(" 010908 ") == "10908"
    assert normalize_ref("inv-2026-00123") == "INV-2026-00123"


def test_references_are_extracted_for_a_whole_column_keeping_its_index():
    texts = pd.Series(["INV 1", "INV 10908", None, "#10909"], index=[5, 6, 7, 8])
    found = extract_references(texts, DEFAULT_REFERENCE_PATTERNS)
    assert list(zip(found["row"], found["ref"], strict=True)) == [(6, "10908"), (8, "10909")]
