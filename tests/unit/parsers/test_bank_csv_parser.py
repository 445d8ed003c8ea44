"""Generic bank CSV: header detection and per-file conventions."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers.bank_csv import BankCsvParser
from parsers.base import SourceFile


@pytest.fixture
def source(tmp_path):
    def write(text, name="bank.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return SourceFile(path)
    return write


def amounts(result):
    return [r.amount_minor for r in result.records]


def test_indonesian_headers_with_cr_and_db_marks_are_read(source):
    text = ('"Tanggal Transaksi","Keterangan","Jumlah","Mata Uang"\n'
            '"01/10/2026","TRSF E-BANKING CR 0110/FTSCY/WS93105 1110000.00 INV 10908 RINA TANJUNG",'
            '"1,110,000.00 CR","IDR"\n'
            '"31/10/2026","BIAYA ADM","15,000.00 DB","IDR"\n')
    result = BankCsvParser().parse(source(text))
    assert amounts(result) == [111000000, -1500000]
    first = result.records[0]
    assert (first.booking_date, first.currency, first.origin.source_line) == (
        dt.date(2026, 10, 1), "IDR", 2)
    assert "INV 10908" in first.description


def test_debit_and_credit_columns_give_signed_amounts(source):
    text = ("Date,Description,Debit,Credit,Currency\n2026-11-01,fee,12.50,,USD\n"
            "2026-11-02,payment,,240.00,USD\n2026-11-03,zero debit,0.00,5.00,USD\n")
    assert amounts(BankCsvParser().parse(source(text))) == [-1250, 24000, 500]


def test_both_debit_and_credit_on_one_row_is_a_reject(source):
    text = "Date,Description,Debit,Credit,Currency\n2026-11-01,odd,1.00,2.00,USD\n"
    (reject,) = BankCsvParser().parse(source(text)).rejects
    assert "both debit and credit" in reject.reason and reject.source_line == 2


def test_a_separate_marker_column_signs_the_amount(source):
    text = "Tanggal,Keterangan,Jumlah,DB/CR,Mata Uang\n2026-11-01,adm,15000,DB,IDR\n"
    assert amounts(BankCsvParser().parse(source(text))) == [-1500000]


def test_the_decimal_comma_is_decided_from_the_whole_file(source):
    text = ("Datum;Date;Amount;Currency\nx;2026-11-01;1.500;EUR\n"
            "x;2026-11-02;12,50;EUR\n")
    assert amounts(BankCsvParser().parse(source(text))) == [150000, 1250]


def test_amounts_that_fit_both_separators_with_no_evidence_are_rejected(source):
    text = "Date,Amount,Currency\n2026-11-01,\"1,500\",USD\n2026-11-02,7,USD\n"
    result = BankCsvParser().parse(source(text))
    assert amounts(result) == [700] and "ambiguous amount" in result.rejects[0].reason


def test_a_file_using_both_decimal_separators_is_rejected_not_guessed(source):
    text = "Date,Amount,Currency\n2026-11-01,12.50,USD\n2026-11-02,\"12,50\",USD\n"
    result = BankCsvParser().parse(source(text))
    assert not result.records
    assert all("inconsistent decimal separators" in r.reason for r in result.rejects)


@pytest.mark.parametrize(("dates", "expected"), [
    (["05/11/2026", "13/11/2026"], [dt.date(2026, 11, 5), dt.date(2026, 11, 13)]),
    (["11/05/2026", "11/13/2026"], [dt.date(2026, 11, 5), dt.date(2026, 11, 13)]),
])
def test_the_date_order_is_decided_from_any_date_above_twelve(source, dates, expected):
    rows = "".join(f"{d},x,1.00,USD\n" for d in dates)
    result = BankCsvParser().parse(source("Date,Description,Amount,Currency\n" + rows))
    assert [r.booking_date for r in result.records] == expected


def test_ambiguous_date_order_rejects_every_row_instead_of_guessing(source):
    rows = "01/11/2026,x,1.00,USD\n02/11/2026,y,2.00,USD\n"
    result = BankCsvParser().parse(source("Date,Description,Amount,Currency\n" + rows))
    assert not result.records and len(result.rejects) == 2
    assert all(r.reason.startswith("date: ambiguous date order") for r in result.rejects)


def test_rows_without_currency_are_rejected_unless_a_default_is_given(source):
    path = source("Posting Date,Description,Amount\n3/18/2016,card payment,-2680.89\n")
    (reject,) = BankCsvParser().parse(path).rejects
    assert "no currency" in reject.reason
    (record,) = BankCsvParser(default_currency="usd").parse(path).records
    assert (record.currency, record.amount_minor) == ("USD", -268089)


def test_the_reference_column_is_the_natural_key_else_a_numbered_row_hash(source):
    text = ("Date,Description,Amount,Currency,Reference\n2026-11-01,a,1.00,USD,FT1\n"
            "2026-11-02,fee,-1.00,USD,\n2026-11-02,fee,-1.00,USD,\n")
    keys = [r.natural_key for r in BankCsvParser().parse(source(text)).records]
    assert keys[0] == "FT1" and keys[1].startswith("h:") and keys[2] == keys[1] + "#2"


def test_account_counterparty_and_value_date_come_from_their_columns(source):
    text = ("Booking Date,Value Date,Narrative,Amount,Currency,Account,Payee\n"
            "2026-11-01,2026-11-03,wire,5.00,EUR,DE89370400440532013000,ACME\n")
    (record,) = BankCsvParser().parse(source(text)).records
    assert (record.value_date, record.account_id, record.counterparty_name) == (
        dt.date(2026, 11, 3), "DE89370400440532013000", "ACME")


def test_preamble_lines_before_the_header_are_tolerated_and_lines_stay_physical(source):
    text = ("Informasi Rekening\nNo. rekening : 0372543386\n\n"
            "Tanggal,Keterangan,Jumlah,Mata Uang\n15/10/2026,SETORAN TUNAI,350000.00 CR,IDR\n")
    (record,) = BankCsvParser().parse(source(text)).records
    assert (record.origin.source_line, record.amount_minor) == (5, 35000000)


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separators_are_sniffed(source, delimiter):
    text = f"Date{delimiter}Amount{delimiter}Currency\n2026-11-01{delimiter}9.99{delimiter}USD\n"
    assert amounts(BankCsvParser().parse(source(text))) == [999]


def test_canonical_invoice_and_client_csvs_are_not_claimed_as_bank_csv(source):
    invoices = source("invoice_number,client_id,date,amount\n1,2,2026-11-01,5.00\n", "i.csv")
    clients = source("client_id,date,amount\n2,2026-11-01,5.00\n", "c.csv")
    assert not BankCsvParser().identify(invoices)
    assert not BankCsvParser().identify(clients)


def test_a_file_without_a_bank_header_is_refused(source):
    path = source("hello,world\n1,2\n")
    assert not BankCsvParser().identify(path)
    assert "no bank CSV header" in BankCsvParser().parse(path).refusal


def test_a_negative_credit_is_a_reversal_and_a_negative_debit_is_still_money_out(source):
    text = ("Date,Description,Debit,Credit,Currency\n2026-11-01,reversal,,-5.00,USD\n"
            "2026-11-02,signed debit,-7.00,,USD\n")
    assert amounts(BankCsvParser().parse(source(text))) == [-500, -700]


def test_an_excel_unicode_text_export_in_utf16_is_identified_and_read(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes("Tanggal\tKeterangan\tJumlah\tMata Uang\r\n2026-11-01\tSETORAN\t"
                     "500000.00 CR\tIDR\r\n".encode("utf-16"))
    assert BankCsvParser().identify(SourceFile(path))
    assert amounts(BankCsvParser().parse(SourceFile(path))) == [50000000]


def test_a_binary_file_is_not_claimed(tmp_path):
    path = tmp_path / "statement.xlsx"
    path.write_bytes(b"PK\x03\x04\x00\x00Date,Amount\n2026-11-01,1.00\n")
    assert not BankCsvParser().identify(SourceFile(path))
