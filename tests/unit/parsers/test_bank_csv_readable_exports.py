"""Bank CSVs a person reads at once: a German ING ``Umsatzanzeige`` in Windows-1252, ``$``
amounts with the shop's ``default_currency``, a currency or account number in a CSV-shaped
preamble (KlikBCA ``No. rekening : ,0372543386``); rows without a currency are rejected
naming the one setting that fixes the file."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers.bank_csv import BankCsvParser
from parsers.base import SourceFile
from parsers.registry import detect
from pipeline.settings import ShopAccount

ING = ("Umsatzanzeige;Datei erstellt am: 25.11.2026 08:41\r\n;Letztes Update: aktuell\r\n\r\n"
       "IBAN;DE27 1001 0010 0987 6543 21\r\nKontoname;Girokonto\r\nBank;ING\r\n"
       "Zeitraum;01.11.2026 - 25.11.2026\r\nSaldo;3.928,39;EUR\r\n\r\n"
       "Sortierung;Datum absteigend\r\n\r\n"
       "Buchung;Valuta;Auftraggeber/Empfänger;Buchungstext;Verwendungszweck;Saldo;Währung;"
       "Betrag;Währung\r\n"
       "12.11.2026;12.11.2026;Deutsche Telekom AG;Lastschrift;Festnetz Büro;3.928,39;EUR;"
       "-59,95;EUR\r\n"
       "09.11.2026;10.11.2026;Jörg Weiß;Gutschrift;Rechnungsnr. 10915;3.988,34;EUR;"
       "1.119,00;EUR\r\n")
DOLLARS = ('"Date","Status","Type","Description","Withdrawal","Deposit","RunningBalance"\n'
           '"11/16/2026","Posted","ACH","INVOICE #10911","","$1,240.00","$11,240.00"\n'
           '"11/18/2026","Posted","DEBIT","COLOCATION RENT","$1,200.05","","$10,039.95"\n')


@pytest.fixture
def write(tmp_path):
    def run(content, name="statement.csv"):
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return SourceFile(path)
    return run


def parse(source, **settings):
    return BankCsvParser(**settings).parse(source)


# --- German ING export ----------------------------------------------------------------------

def test_a_german_ing_export_in_windows_1252_is_recognised_and_read(write):
    source = write(ING.encode("cp1252"))
    assert detect(source).parser.format == "bank-csv"
    result = parse(source)
    assert not result.rejects and result.refusal is None and result.warnings == []
    first, second = result.records
    assert (first.booking_date, first.amount_minor, first.currency, first.account_id) == (
        dt.date(2026, 11, 12), -5995, "EUR", "DE27100100100987654321")
    assert (second.counterparty_name, second.description, second.value_date) == (
        "Jörg Weiß", "Rechnungsnr. 10915", dt.date(2026, 11, 10))
    assert second.amount_minor == 111900


def test_the_currency_column_after_the_amount_is_the_amounts_not_the_balances(write):
    text = ING.replace("-59,95;EUR", "-59,95;CHF").replace("1.119,00;EUR", "1.119,00;CHF")
    result = parse(write(text))
    assert [r.currency for r in result.records] == ["CHF", "CHF"]


@pytest.mark.parametrize(("betrag", "minor"), [
    ("59,95 S", -5995), ("59,95 H", 5995), ("1.234,56S", -123456), ("1.234,56", 123456)])
def test_a_german_amount_may_end_in_soll_or_haben(write, betrag, minor):
    text = ("Buchungstag;Verwendungszweck;Betrag;Währung\n"
            f"12.11.2026;Festnetz;{betrag};EUR\n")
    (record,) = parse(write(text)).records
    assert record.amount_minor == minor


def test_a_soll_haben_balance_is_checked_with_its_sign(write):
    text = ("Buchungstag;Verwendungszweck;Saldo;Betrag;Währung\n"
            "11.11.2026;a;100,00 S;50,00 S;EUR\n12.11.2026;b;40,00 S;60,00 H;EUR\n")
    result = parse(write(text))
    assert [r.amount_minor for r in result.records] == [-5000, 6000]
    assert result.warnings == []


def test_soll_and_haben_letters_are_not_read_in_an_english_export(write):
    text = "Date,Description,Amount,Currency\n2026-11-12,fee,59.95 S,EUR\n"
    (reject,) = parse(write(text)).rejects
    assert "not an amount" in reject.reason


# --- $ amounts and default_currency ---------------------------------------------------------

def test_dollar_amounts_are_read_in_the_default_currency(write):
    result = parse(write(DOLLARS), default_currency="usd")
    assert [(r.currency, r.amount_minor) for r in result.records] == [
        ("USD", 124000), ("USD", -120005)]
    assert result.warnings == []


def test_dollar_amounts_without_a_default_currency_are_rejected_naming_it(write):
    result = parse(write(DOLLARS))
    assert not result.records and len(result.rejects) == 2
    assert result.rejects[0].reason == (
        "no currency: the amount '$1,240.00' is in $, which names no single currency "
        "(USD, CAD, AUD...), and the file states no account number; set default_currency "
        "in payrecon.toml")


def test_dollar_amounts_are_not_read_in_a_default_currency_that_is_no_dollar(write):
    result = parse(write(DOLLARS), default_currency="EUR")
    assert not result.records
    assert result.rejects[0].reason == (
        "currency: the amount '$1,240.00' is in $, but default_currency says EUR")


def test_dollar_amounts_take_the_accounts_dollar_currency_before_the_default(write):
    text = "Account Number:,000123456789\n" + DOLLARS
    account = ShopAccount(number="000123456789", currency="CAD")
    result = parse(write(text), default_currency="USD", accounts=[account])
    assert {r.currency for r in result.records} == {"CAD"}


def test_a_file_with_no_currency_and_no_account_names_default_currency(write):
    (reject,) = parse(write("Date,Description,Amount\n2026-11-01,x,5.00\n")).rejects
    assert reject.reason == ("no currency: the file names none and no account number; set "
                             "default_currency in payrecon.toml")


# --- CSV-shaped preambles ---------------------------------------------------------------------

@pytest.mark.parametrize("line", ["Currency:,EUR,,", "Currency :,EUR", "Currency,EUR",
                                  "Currency: EUR,,,", '"Currency:","EUR"'])
def test_a_currency_in_a_csv_shaped_preamble_names_the_currency(write, line):
    text = f"Account statement,,,\n{line}\nDate,Description,Amount,Balance\n" \
           "2026-04-01,fee,-6.50,1657.30\n"
    (record,) = parse(write(text)).records
    assert (record.currency, record.amount_minor) == ("EUR", -650)


def test_a_semicolon_preamble_with_the_key_and_its_colon_in_one_cell_is_read(write):
    text = "Währung:;EUR\nBuchungstag;Verwendungszweck;Betrag\n12.11.2026;x;-59,95\n"
    (record,) = parse(write(text)).records
    assert record.currency == "EUR"


@pytest.mark.parametrize("code", ["Rp", "Rp.", "IDR"])
def test_a_klikbca_preamble_split_over_cells_gives_account_currency_and_period(write, code):
    text = ("No. rekening : ,0372543386\nNama : ,PT NUSANTARA CLOUD INDONESIA\n"
            "Periode : ,01/10/2026 - 31/10/2026\n"
            f"Kode Mata Uang : ,{code}\n\nTanggal Transaksi,Keterangan,Cabang,Jumlah,,Saldo\n"
            "'15/10,'SETORAN TUNAI,'0372,350000.00,CR,10350000.00\n")
    (record,) = parse(write(text)).records
    assert (record.currency, record.account_id, record.booking_date, record.amount_minor) == (
        "IDR", "0372543386", dt.date(2026, 10, 15), 35000000)


def test_the_preamble_account_number_picks_the_accounts_settings(write):
    text = ("No. rekening : ,0372543386\n\nTanggal,Keterangan,Jumlah\n"
            "01/10/2026,SETORAN,\"350,000.00 CR\"\n02/10/2026,BIAYA,\"15,000.00 DB\"\n"
            "03/10/2026,BIAYA,\"15,000.00 DB\"\n05/10/2026,BIAYA,\"5,000.00 DB\"\n")
    account = ShopAccount(number="0372-543-386", currency="IDR", date_order="MDY")
    result = parse(write(text), accounts=[account])
    assert [(r.currency, r.account_id, r.booking_date) for r in result.records][0] == (
        "IDR", "0372-543-386", dt.date(2026, 1, 10))
