"""References found over partitions of the money, then put together, are the references one
pass finds: a text's references never depend on another text."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.matching import match
from pipeline.partitions import sequential
from pipeline.references import extract_partitioned, extract_references
from pipeline.settings import DEFAULT_REFERENCE_PATTERNS, Settings
from tests.unit.matching.helpers import AS_OF, invoices, payments

PIECES = ["INV 10234", "Invoice #10235", "pembayaran inv10236", "INV-2026-00123", "1110000.00",
          "invoices 11019, 11021", "inv 12287 & 12288", "#0010908", "TRSF E-BANKING CR",
          "No. Invoice: 010234", "Faktur no. 10234", "RINA TANJUNG", "\x00", " ", ""]
MEMO = st.lists(st.sampled_from(PIECES), max_size=5).map(" ".join)


def recorded(calls: list[int]):  # noqa: ANN201 - a mapper
    """The in-process mapper, noting how many partitions it was given."""
    def mapper(fn, parts):  # noqa: ANN001, ANN202
        calls.append(len(parts))
        return sequential(fn, parts)
    return mapper


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(memos=st.lists(st.one_of(MEMO, st.none()), max_size=30),
       rows=st.integers(min_value=1, max_value=7), lists=st.booleans(),
       offset=st.integers(min_value=0, max_value=5))
def test_references_found_per_partition_and_concatenated_equal_one_pass(memos, rows, lists,
                                                                        offset):
    texts = pd.Series(memos, index=range(offset, offset + 2 * len(memos), 2), dtype=object)
    one_pass = extract_references(texts, DEFAULT_REFERENCE_PATTERNS, lists=lists)
    parted = extract_partitioned(texts, DEFAULT_REFERENCE_PATTERNS, lists=lists,
                                 map_partitions=sequential, rows=rows)
    pd.testing.assert_frame_equal(parted, one_pass)


def test_without_a_mapper_the_texts_are_scanned_in_one_pass_here():
    calls: list[int] = []
    texts = pd.Series(["INV 10234", "INV 10235", "INV 10236"])
    extract_partitioned(texts, DEFAULT_REFERENCE_PATTERNS, rows=1)
    extract_partitioned(texts, DEFAULT_REFERENCE_PATTERNS, map_partitions=recorded(calls),
                        rows=3)
    assert calls == []
    extract_partitioned(texts, DEFAULT_REFERENCE_PATTERNS, map_partitions=recorded(calls),
                        rows=2)
    assert calls == [2]


@pytest.mark.parametrize("rows", [1, 2, 3])
def test_the_engine_decides_the_same_with_the_references_pass_partitioned(monkeypatch, rows):
    pays = payments(
        {"amount_minor": 5_000, "text": "INV 10908"},
        {"amount_minor": 8_000, "text": "invoices 10909, 10910"},
        {"amount_minor": 4_000, "text": "no reference at all"},
        {"amount_minor": 5_000, "text": "Invoice #10908 again"},
        {"amount_minor": 7_000, "text": "INV 10999", "currency": "USD"},
        {"amount_minor": 3_000, "text": "pembayaran inv10911"},
    )
    invs = invoices({"invoice_number": "10908", "balance_minor": 5_000},
                    {"invoice_number": "10909", "balance_minor": 5_000},
                    {"invoice_number": "10910", "balance_minor": 3_000},
                    {"invoice_number": "10911", "balance_minor": 4_000},
                    {"invoice_number": "10999", "balance_minor": 7_000})
    calls: list[int] = []
    whole = match(pays, invs, settings=Settings(), as_of=AS_OF)
    parted = match(pays, invs, settings=Settings(), as_of=AS_OF,
                   map_partitions=recorded(calls))
    assert calls == []  # six lines fit one partition of the default size
    monkeypatch.setattr("pipeline.partitions.PARTITION_ROWS", rows)
    parted = match(pays, invs, settings=Settings(), as_of=AS_OF,
                   map_partitions=recorded(calls))
    assert calls == [-(-6 // rows)]
    for name in ("allocations", "unmatched", "exceptions", "entries", "candidates"):
        pd.testing.assert_frame_equal(getattr(parted, name), getattr(whole, name))
