"""The real bank and wallet CSV exports in ``../shared/realworld/csv`` (see its SOURCES.md):
each is detected as ``bank-csv`` with its own profile, and every data row becomes a
transaction or a reject (summary and disclaimer rows are neither); nothing raises."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers.bank_csv_layout import find_layout
from parsers.base import SourceFile
from parsers.csvspec import decode
from parsers.registry import detect
from pipeline.models import BankTransaction, StatementBalance

# file -> (profile, data rows per SOURCES.md, of which rejected)
BANK_FILES = {
    "beancount__beangulp__statement.csv": ("chase", 6, 0),
    "kedder__ofxstatement-transferwise__sample-statement.csv": ("wise", 5, 0),
    "mlaitinen__ofxstatement-revolut__2022-january.csv": ("revolut", 9, 2),
    "egh__ledger-autosync__venmo.csv": ("venmo", 4, 0),
}


def _parse(realworld, name: str):
    source = SourceFile(realworld / "csv" / name)
    detection = detect(source)
    assert detection.problem is None and detection.parser.format == "bank-csv"
    return detection.parser.parse(source)


def _transactions(result):
    return [r for r in result.records if isinstance(r, BankTransaction)]


@pytest.mark.parametrize("name", sorted(BANK_FILES))
def test_each_bank_or_wallet_export_is_detected_as_bank_csv_with_its_profile(realworld, name):
    source = SourceFile(realworld / "csv" / name)
    assert detect(source).parser.format == "bank-csv"
    assert find_layout(decode(source.head)).profile.name == BANK_FILES[name][0]


@pytest.mark.parametrize("name", sorted(BANK_FILES))
def test_every_data_row_becomes_a_transaction_or_a_reject(realworld, name):
    _, rows, rejected = BANK_FILES[name]
    result = _parse(realworld, name)
    assert result.refusal is None
    assert len(_transactions(result)) + len(result.rejects) == rows
    assert len(result.rejects) == rejected
    assert all(r.origin.source_file == name for r in result.records)
    keys = [r.natural_key for r in _transactions(result)]
    assert len(set(keys)) == len(keys)


def test_the_chase_export_is_usd_month_first_and_its_running_balance_adds_up(realworld):
    result = _parse(realworld, "beancount__beangulp__statement.csv")
    first = _transactions(result)[0]
    assert (first.booking_date, first.amount_minor, first.currency) == (
        dt.date(2016, 3, 18), -268089, "USD")
    assert result.warnings == []


def test_the_wise_fee_rows_are_transactions_with_qualified_keys(realworld):
    result = _parse(realworld, "kedder__ofxstatement-transferwise__sample-statement.csv")
    fees = [r for r in _transactions(result) if r.description.startswith("TransferWise Charges")]
    assert [f.amount_minor for f in fees] == [-1135, -17]
    assert all(f.natural_key.startswith("TRANSFER-") and "@" in f.natural_key for f in fees)
    assert _transactions(result)[0].description == "Sent money to John Doe / Moving to Revolut"


def test_the_revolut_pending_rows_are_the_rejects(realworld):
    result = _parse(realworld, "mlaitinen__ofxstatement-revolut__2022-january.csv")
    assert [r.source_line for r in result.rejects] == [7, 10]
    assert all(r.reason.startswith("pending, not booked") for r in result.rejects)
    assert 0 in [r.amount_minor for r in _transactions(result)]


def test_the_venmo_statement_balances_add_up(realworld):
    result = _parse(realworld, "egh__ledger-autosync__venmo.csv")
    assert [r.amount_minor for r in _transactions(result)] == [7301, 5003, -1201, -3502]
    found = {b.kind: b.amount_minor for b in result.records if isinstance(b, StatementBalance)}
    assert found == {"opening": 0, "closing": 7601} and result.warnings == []
