"""A bank CSV read a column at a time (parse) gives exactly the records, rejects and warnings
of the row-at-a-time contract (parse_records): on unusual rows of every kind, and the
column-wise readers of amounts and of decimal evidence agree with the per-value rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from parsers.amount_columns import to_minor
from parsers.bank_csv import BankCsvParser
from parsers.bank_csv_amounts import plain_minor, plain_minors
from parsers.bank_csv_values import amount_reader, decimal_evidence, evidence_of_each
from parsers.base import SourceFile
from pipeline.settings import ShopAccount

GENERIC = """Rekening;1234567890
Periode;01/10/2026 - 25/11/2026

Tanggal;Keterangan;No. Referensi;Mutasi Debet;Mutasi Kredit;Mata Uang;Saldo
Saldo Awal;;;;;;1.000.000,00
25/10/2026;TRANSFER DARI BUDI INV 1;FT1;;500.000,00;IDR;1.500.000,00
26/10/2026;'TRANSFER KE ANI;FT2;200.000,00;;IDR;1.300.000,00
PEND;PENDING;FT3;;10,00;IDR;
27/10/2026;both given;FT4;5,00;6,00;IDR;
27/10/2026;no money;FT5;;;IDR;1.300.000,00
31/02/2026;bad date;FT6;;1,00;IDR;
28/10/2026;bad amount;FT7;;1x2;IDR;
28/10/2026;dollar;FT8;;$ 5,00;IDR;
28/10/2026;too many decimals;FT9;;5,001;IDR;
28/10/2026;zero debit, credit;FT10;0,00;7,00;IDR;1.300.007,00
28/10/2026;repeat;FT1;;1,00;IDR;1.300.008,00
28/10/2026;repeat;FT1;;1,00;IDR;9,00
29/10/2026;euro;;;1,00;EUR;
29/10/2026;no ref;;;-3,00;IDR;
29/10/2026;no ref;;;-3,00;IDR;
Total;;;200.000,00;500.000,00;;
Saldo Akhir;;;;;;1.300.005,00
"""
KLIKBCA = """No. rekening : ,0372543386
Nama : ,PT HOSTING
Periode : ,01/11/2026 - 30/11/2026
Kode Mata Uang : ,Rp

Tanggal Transaksi,Keterangan,Cabang,Jumlah,,Saldo
'01/11,'TRSF E-BANKING CR 0111/FTSCY/WS95051 1.500.000,'0000,"1,500,000.00",CR,"11,500,000.00"
'02/11,'SWITCHING DB,'0000,"50,000.00",DB,"11,450,000.00"
'PEND,'TRSF PENDING,'0000,"10,000.00",CR,
'03/11,'BIAYA ADM,'0000,"15,000.00 DB",,"11,435,000.00"
'04/11,'WEIRD MARK,'0000,"1,000.00",XX,
'31/11,'NOT A DAY,'0000,"1,000.00",CR,
'05/11,'SALAH SALDO,'0000,"1,000.00",CR,"1,000.00"
Saldo Awal,,,,,"10,000,000.00"
Mutasi Kredit,,,"1,501,000.00",,
Saldo Akhir,,,,,"11,436,000.00"
"""
GERMAN = """Buchungstag;Verwendungszweck;Betrag;Waehrung;Kontostand
01.11.2026;Miete;1.234,50 S;EUR;
02.11.2026;Gehalt;2.000,00 H;EUR;
03.11.2026;Plain;-12,50;EUR;
"""
REVOLUT = """Type,Product,Started Date,Completed Date,Description,Amount,Fee,Currency,State,Balance
TOPUP,Current,2026-11-01 10:00:00,2026-11-01 10:00:05,Top up,100.00,1.00,EUR,COMPLETED,99.00
CARD_PAYMENT,Current,2026-11-02 10:00:00,,Shop,-10.00,0.00,EUR,PENDING,
CARD_PAYMENT,Current,2026-11-03 10:00:00,2026-11-03 10:00:00,Shop,-10.00,0.001,EUR,COMPLETED,
CARD_PAYMENT,Current,2026-11-04 10:00:00,2026-11-04 10:00:00,Shop,-5.00,0.50,EUR,COMPLETED,83.50
"""
WISE = """"TransferWise ID",Date,Amount,Currency,Description,"Payment Reference","Running Balance",\
"Exchange From","Exchange To","Exchange Rate","Payer Name","Payee Name","Payee Account Number",\
Merchant,"Total fees","Date Time"
TRANSFER-1,01-11-2026,-10.00,USD,"Sent money",INV 1,90.00,,,,,Ani,123,,0.00,01-11-2026 10:00:00.000
TRANSFER-1,01-11-2026,-1.00,USD,"Fee",,89.00,,,,,,,,0.00,01-11-2026 10:00:00.001
TRANSFER-2,02-11-2026,5.00,JPY,"Yen",,,,,,,,,,0.00,02-11-2026 10:00:00.000
"""


def assert_same(path, parser=None) -> None:
    parser = parser or BankCsvParser()
    source = SourceFile(path)
    frames, records = parser.parse(source), parser.parse_records(source)
    assert frames.refusal == records.refusal
    assert list(frames.records) == list(records.records)
    assert frames.rejects == records.rejects
    assert frames.warnings == records.warnings


@pytest.mark.parametrize("text", [GENERIC, KLIKBCA, GERMAN, REVOLUT, WISE],
                         ids=["generic", "klikbca", "german", "revolut", "wise"])
def test_unusual_rows_read_column_wise_are_what_the_row_by_row_contract_gives(tmp_path, text):
    path = tmp_path / "statement.csv"
    path.write_text(text, encoding="utf-8")
    assert_same(path)
    assert_same(path, BankCsvParser(default_currency="EUR", accounts=[
        ShopAccount(number="0372543386", bank="BCA", currency="IDR")]))


def test_rows_of_two_currencies_and_rows_without_a_date_order_read_the_same(tmp_path):
    rows = [f"0{d}/11/2026;row {d};;;{d},00;{c};" for d, c in
            zip(range(1, 9), ["IDR", "USD", "JPY", "IDR", "USD", "EUR", "IDR", "KWD"],
                strict=True)]
    path = tmp_path / "mixed.csv"
    path.write_text("Date;Description;Reference;Debit;Credit;Currency;Balance\n"
                    + "\n".join(rows) + "\n", encoding="utf-8")
    assert_same(path)


AMOUNT_TEXT = st.from_regex(r"[-+]?[0-9]{1,4}([.,][0-9]{3}){0,3}([.,][0-9]{0,4})?( CR| DB| S| H)?",
                            fullmatch=True)
ANY_TEXT = st.text(alphabet="0123456789.,-+ CRDBSH$€x\n\u0663", max_size=30).map(str.strip)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(AMOUNT_TEXT, ANY_TEXT), max_size=12))
def test_decimal_evidence_of_all_values_at_once_is_that_of_each_value(values):
    assert decimal_evidence(values) == evidence_of_each(values)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(AMOUNT_TEXT, ANY_TEXT), max_size=12), st.sampled_from([".", ","]),
       st.sampled_from(["IDR", "JPY", "KWD", "EUR"]), st.booleans())
@example(["1.234.567.890.123.456,00 DB", "123456789012345678", "12345678901234567,8"], ",",
         "IDR", False)  # past 18 digits: left to the reader
def test_plain_amounts_in_minor_units_are_what_the_file_reader_gives(texts, sep, currency, soll):
    read = amount_reader([], sep, None, soll_haben=soll)
    exp = {"IDR": 2, "JPY": 0, "KWD": 3, "EUR": 2}[currency]
    column = plain_minors(texts, exp, sep, soll)
    for text, value in zip(texts, column, strict=True):
        assert value == (plain_minor(text, exp, sep, soll) if text else None)
        if value is not None:
            assert value == to_minor(Decimal(read(text)), currency)
