"""Invoice references are read from free text, and nothing else is mistaken for one."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.references import (
    combined_pattern,
    extract_references,
    first_chars,
    normalize_ref,
    normalize_refs,
)
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


def listed(text: str) -> list[tuple[str, bool]]:
    found = extract_references(pd.Series([text]), DEFAULT_REFERENCE_PATTERNS, lists=True)
    return list(zip(found["ref"], found["listed"], strict=True))


@pytest.mark.parametrize("text, expected", [
    ("KR OTOMATIS LLG PT CIPTA INV 11908 11909", [("11908", False), ("11909", True)]),
    ("invoices 11019, 11021 INDAH KUSUMA", [("11019", False), ("11021", True)]),
    ("pembayaran inv 12287 & 12288", [("12287", False), ("12288", True)]),
    ("invoices 11249 dan 11250 / 11251", [("11249", False), ("11250", True), ("11251", True)]),
    ("INV 10234 and #10235", [("10234", False), ("10235", False)]),
])
def test_invoice_numbers_listed_after_one_keyword_are_read_as_listed(text, expected):
    assert listed(text) == expected


@pytest.mark.parametrize("text", [
    "INV 10908 1110000.00 RINA",  # an amount
    "INV 10908 2026",  # a year: not the length of the reference
    "INV 10908 0372543386",  # an account number
    "INV 10908 JAKARTA 12345",  # a postal code after a word
])
def test_numbers_after_a_reference_that_cannot_be_a_list_of_invoices_are_not_read(text):
    assert listed(text) == [("10908", False)]


def test_lists_are_only_read_when_asked_for():
    found = extract_references(pd.Series(["INV 11908 11909"]), DEFAULT_REFERENCE_PATTERNS)
    assert list(found["ref"]) == ["11908"]


def test_the_default_patterns_start_with_a_few_characters_that_the_regex_skips_to():
    assert first_chars(tuple(DEFAULT_REFERENCE_PATTERNS)) == set("IFTRN#")
    assert first_chars((r"(?P<ref>\d{5})",)) is None  # may start anywhere: no skipping


def test_skipping_to_the_first_characters_finds_what_every_pattern_finds_on_its_own():
    texts = pd.Series(["Invoice #10234", "inv10234 #10235", "tagihan 555 NOTA 666",
                       "INV-2026-00123 and INV-2026-00124", "x#777", "rechnung nr. 8888"])
    found = extract_references(texts, DEFAULT_REFERENCE_PATTERNS)
    alone = pd.concat([extract_references(texts, [p]) for p in DEFAULT_REFERENCE_PATTERNS])
    assert set(zip(found["row"], found["ref"], strict=True)) == set(
        zip(alone["row"], alone["ref"], strict=True))
    assert combined_pattern(tuple(DEFAULT_REFERENCE_PATTERNS)).pattern.startswith("[")


def test_a_column_of_references_is_normalized_like_each_one():
    values = pd.Series([" 010908 ", "inv-2026-00123", "000", "10 234", "0012x"],
                       index=[3, 4, 5, 6, 7])
    assert list(normalize_refs(values)) == [normalize_ref(v) for v in values]
    assert list(normalize_refs(values).index) == [3, 4, 5, 6, 7]
