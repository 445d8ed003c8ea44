"""Pure pieces of the reconciliation workbook: words for codes, the review checksum, the
statement balance check and what the Summary says needs you."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline.report_details import RecordIndex, balance_checks, record_keys
from pipeline.review_apply import review_checksum
from reports.recon_words import confidence_words, source_words, words


def test_confidence_reads_strong_medium_or_weak():
    shown = confidence_words(pd.Series([0.95, 0.9, 0.89, 0.6, 0.5, None]))
    assert list(shown) == ["strong", "strong", "medium", "medium", "weak", ""]


def test_an_unknown_code_reads_with_spaces_for_underscores():
    assert list(words(pd.Series(["auto", "brand_new_rule", None]), {"auto": "automatic"})) == [
        "automatic", "brand new rule", ""]


def test_a_source_is_its_format_and_a_gateway_says_so():
    shown = source_words(pd.Series(["bank", "gateway", "ticket"]),
                         pd.Series(["mt940", "stripe", ""]))
    assert list(shown) == ["mt940", "stripe (gateway)", "ticket"]


def test_the_review_checksum_changes_with_the_database_the_invoice_and_the_amount():
    base = review_checksum("db-1", "m1", "10908", 700_000, "IDR")
    assert base == review_checksum("db-1", "m1", "10908", 700_000, "IDR")
    assert len({base, review_checksum("db-2", "m1", "10908", 700_000, "IDR"),
                review_checksum("db-1", "m1", "10909", 700_000, "IDR"),
                review_checksum("db-1", "m1", "10908", 700_001, "IDR")}) == 4


def test_a_line_number_read_as_a_float_names_the_same_record():
    frame = pd.DataFrame({"source_kind": ["bank", "bank"], "source_file": ["a.csv", "a.csv"],
                          "source_ref": ["r1", None], "source_line": [2.0, float("nan")]})
    as_int = frame.assign(source_line=pd.Series([2, None], dtype=object))
    assert list(record_keys(frame)) == list(record_keys(as_int))


def test_a_record_index_tells_records_apart_as_their_text_keys_do():
    money = pd.DataFrame({
        "source_kind": ["bank", "bank", "gateway", "bank", "ticket", "bank"],
        "source_file": ["a.csv", "a.csv", "s.csv", "b.csv", "t.jsonl", "a.csv"],
        "source_ref": ["r1", None, "ch_1", "r1", "T-1", "r1"],
        "source_line": pd.Series([2, 3, None, 2, 1, 2], dtype=object)})
    rows = pd.DataFrame({
        "source_kind": ["bank", "bank", "gateway", "bank", "ticket", "bank", None],
        "source_file": ["a.csv", "a.csv", "s.csv", "c.csv", "t.jsonl", "b.csv", "a.csv"],
        "source_ref": ["r1", float("nan"), "ch_1", "r1", "T-1", "r1", "r1"],
        "source_line": [2.0, 3.0, float("nan"), 2.0, "1", 3.0, 2.0]})
    index = RecordIndex(money)
    keys = record_keys(money)
    first = pd.Index(keys[~keys.duplicated()])
    assert list(index.codes) == list(first.get_indexer(keys)) == [0, 1, 2, 3, 4, 0]
    assert list(index.positions(rows)) == list(first.get_indexer(record_keys(rows)))
    assert list(index.positions(rows)) == [0, 1, 2, -1, 4, -1, -1]
    assert len(index.positions(rows.iloc[:0])) == 0


def test_a_missing_source_column_names_the_same_record_as_an_empty_one():
    money = pd.DataFrame({"source_kind": ["bank", "bank"], "source_file": ["a.csv", "a.csv"],
                          "source_ref": ["", None], "source_line": [7, 7]})
    assert list(RecordIndex(money).codes) == [0, 0]
    assert list(RecordIndex(money).positions(money.iloc[::-1])) == [0, 0]


def _balances(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["source_file", "account_id", "kind", "date",
                                       "amount_minor", "currency"])


def _lines(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["source_file", "account_id", "currency", "amount_minor"])


def test_a_statement_balances_when_opening_plus_its_lines_equals_closing():
    day = dt.date(2026, 3, 1)
    balances = _balances([
        ("ok.sta", "A1", "opening", day, 1_000_00, "IDR"),
        ("ok.sta", "A1", "closing", day, 1_250_00, "IDR"),
        ("off.sta", "A2", "opening", day, 500, "USD"),
        ("off.sta", "A2", "closing", day, 900, "USD"),
    ])
    lines = _lines([("ok.sta", "A1", "IDR", 300_00), ("ok.sta", "A1", "IDR", -50_00),
                    ("off.sta", "A2", "USD", 300)])
    checks = balance_checks(balances, lines)
    assert checks["ok.sta"] == "balances"
    assert checks["off.sta"] == "does not balance: off by -1.00 USD"


def test_a_rejected_pair_stays_listed_as_rejected_with_who_and_when():
    from pipeline.frames import ALLOCATION_COLUMNS, LEDGER_COLUMNS
    from pipeline.report_decisions import with_rejected

    day = dt.date(2026, 3, 2)
    ledger = pd.DataFrame([
        ("m1", "decision", "rejected", "bank:A:r1", "bank", "10", 0, 0, "IDR", "amount_only",
         "rejected by rina", day, day, "rina", ""),
        ("m2", "decision", "confirmed", "bank:A:r2", "bank", "11", 0, 0, "IDR", "amount_only",
         "approved by rina", day, day, "rina", ""),
    ], columns=LEDGER_COLUMNS)
    payments = pd.DataFrame({"money_key": ["bank:A:r1", "bank:A:r2"],
                             "payment_kind": ["bank", "bank"], "payment_id": [7, 8]})
    shown = with_rejected(pd.DataFrame(columns=ALLOCATION_COLUMNS), ledger, payments)
    assert shown[["payment_id", "invoice_number", "applied_minor", "status", "match_id"]] \
        .to_dict("records") == [{"payment_id": 7, "invoice_number": "10", "applied_minor": 0,
                                 "status": "rejected", "match_id": "m1"}]
    assert shown.loc[0, "reason"] == "rejected by rina on 2026-03-02"


def test_an_amount_whose_currency_is_unknown_shows_no_code_rather_than_nan():
    from reports.cell_values import money_format

    assert money_format(float("nan")) == money_format(None) == "#,##0.00_)"
    assert money_format("IDR") == '#,##0.00 "IDR"_)'
