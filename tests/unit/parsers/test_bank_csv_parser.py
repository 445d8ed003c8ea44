"""Bank CSV: header detection, per-file conventions, preamble and summary lines, balances,
encodings, currency sources and what is never claimed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.bank_csv import BankCsvParser
from parsers.bank_csv_values import amount_reader
from parsers.base import SourceFile
from pipeline.models import BankTransaction, StatementBalance
from pipeline.money import AmountError, parse_amount
from pipeline.settings import ShopAccount

BAD = Path(__file__).resolve().parents[3] / "sample_data" / "bad"


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


# --- preamble, summary lines and balances ---------------------------------------------------

KLIKBCA = """Informasi Rekening - Mutasi Rekening
No. rekening : 0372543386
Nama : PT NUSANTARA CLOUD INDONESIA
Periode : 01/10/2026 - 31/10/2026
Kode Mata Uang : Rp

Tanggal Transaksi,Keterangan,Cabang,Jumlah,Saldo
"01/10/2026","TRSF E-BANKING CR INV 10908","0000","1,110,000.00 CR","11,110,000.00"
"03/10/2026","BIAYA ADM","0000","15,000.00 DB","11,095,000.00"
Saldo Awal : 10,000,000.00
Mutasi Kredit : 1,110,000.00
Mutasi Debet : 15,000.00
Saldo Akhir : {closing}
"""


def balances(result):
    return {b.kind: (b.amount_minor, b.currency, b.date, b.origin.source_line)
            for b in result.records if isinstance(b, StatementBalance)}


def transactions(result):
    return [r for r in result.records if isinstance(r, BankTransaction)]


def test_summary_lines_after_the_data_are_balances_not_transactions_or_rejects(source):
    result = BankCsvParser().parse(source(KLIKBCA.format(closing="11,095,000.00")))
    assert [r.amount_minor for r in transactions(result)] == [111000000, -1500000]
    assert result.rejects == [] and result.warnings == []
    assert balances(result) == {
        "opening": (1000000000, "IDR", dt.date(2026, 10, 1), 10),
        "closing": (1109500000, "IDR", dt.date(2026, 10, 31), 13)}


def test_a_closing_balance_that_does_not_add_up_is_a_warning_and_the_statement_is_kept(source):
    result = BankCsvParser().parse(source(KLIKBCA.format(closing="11,000,000.00")))
    assert len(transactions(result)) == 2 and result.refusal is None
    (warning,) = result.warnings
    assert "opening 10000000.00 + movements 1095000.00 != closing 11000000.00 IDR" in warning


def test_the_account_number_in_the_preamble_becomes_the_records_account_id(source):
    result = BankCsvParser().parse(source(KLIKBCA.format(closing="11,095,000.00")))
    assert {r.account_id for r in result.records} == {"0372543386"}


def test_a_running_balance_that_does_not_add_up_is_warned_once_with_its_first_line(source):
    text = ("Date,Description,Amount,Currency,Balance\n2026-11-01,a,10.00,USD,110.00\n"
            "2026-11-02,b,5.00,USD,999.00\n2026-11-03,c,5.00,USD,1999.00\n")
    (warning,) = BankCsvParser().parse(source(text)).warnings
    assert warning.startswith("running balance does not add up at line 3: 110.00 + 5.00")


def test_a_running_balance_listed_newest_first_adds_up_bottom_up(source):
    text = ("Date,Description,Amount,Currency,Balance\n2026-11-03,c,-5.00,USD,105.00\n"
            "2026-11-02,b,10.00,USD,110.00\n2026-11-01,a,100.00,USD,100.00\n")
    assert BankCsvParser().parse(source(text)).warnings == []


def test_a_transaction_whose_text_starts_like_a_summary_label_is_still_a_transaction(source):
    text = ("Date,Description,Amount,Currency\n2026-11-01,Total Energies fuel,-50.00,USD\n"
            "Total,,-50.00,\n")
    result = BankCsvParser().parse(source(text))
    assert [r.description for r in result.records] == ["Total Energies fuel"]
    assert result.rejects == []


def test_a_row_without_date_and_amount_between_transactions_is_a_reject(source):
    text = ("Date,Description,Amount,Currency\n2026-11-01,a,1.00,USD\n,stray,,\n"
            "2026-11-02,b,2.00,USD\n")
    (reject,) = BankCsvParser().parse(source(text)).rejects
    assert reject.source_line == 3 and "date: empty" in reject.reason


def test_a_balance_summary_before_the_header_is_read_with_its_date(source):
    text = ('Description,,Summary Amt.\nBeginning balance as of 01/01/2020,,"1,000.00"\n'
            'Ending balance as of 01/31/2020,,"1,300.00"\n\nDate,Description,Amount,Running Bal.\n'
            '01/01/2020,Beginning balance as of 01/01/2020,,"1,000.00"\n'
            '01/15/2020,PAYROLL,300.00,"1,300.00"\n')
    result = BankCsvParser(default_currency="USD").parse(source(text))
    assert [r.amount_minor for r in transactions(result)] == [30000] and not result.rejects
    assert balances(result)["opening"][:3] == (100000, "USD", dt.date(2020, 1, 1))
    assert balances(result)["closing"][:3] == (130000, "USD", dt.date(2020, 1, 31))


def test_klikbca_dates_without_a_year_take_it_from_the_period(source):
    text = ("No. rekening : 0372543386\nPeriode : 28/12/2026 - 05/01/2027\n"
            "Kode Mata Uang : IDR\nTanggal Transaksi,Keterangan,Cabang,Jumlah,,Saldo\n"
            "'30/12,'SETORAN,'0000,500000.00,CR,1500000.00\n"
            "'02/01,'BIAYA ADM,'0000,15000.00,DB,1485000.00\n")
    result = BankCsvParser().parse(source(text))
    assert [(r.booking_date, r.amount_minor, r.description) for r in result.records] == [
        (dt.date(2026, 12, 30), 50000000, "SETORAN"), (dt.date(2027, 1, 2), -1500000, "BIAYA ADM")]


# --- German headers, hints and encodings ----------------------------------------------------

GERMAN = ("Buchungstag;Valuta;Auftraggeber / Empfänger;Buchungstext;Verwendungszweck;Betrag;"
          "Währung;Saldo\n03.11.2026;04.11.2026;Jürgen Groß;Überweisung;Rechnung 10234;1.500;"
          "EUR;2.500,00\n04.11.2026;04.11.2026;Bäckerei Müller;Lastschrift;Brötchen;-12,50;EUR;"
          "2.487,50\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_german_headers_and_umlauts_are_read_in_every_accepted_encoding(tmp_path, encoding):
    path = tmp_path / "umsaetze.csv"
    path.write_bytes(GERMAN.encode(encoding))
    result = BankCsvParser().parse(SourceFile(path))
    first, second = result.records
    assert (first.booking_date, first.value_date, first.amount_minor, first.currency) == (
        dt.date(2026, 11, 3), dt.date(2026, 11, 4), 150000, "EUR")
    assert (first.counterparty_name, second.counterparty_name) == ("Jürgen Groß",
                                                                   "Bäckerei Müller")
    assert second.description == "Brötchen" and result.warnings == []


def test_german_headers_hint_decimal_comma_and_day_first_when_values_do_not_decide(source):
    text = "Buchungstag;Verwendungszweck;Betrag;Währung\n03.04.2026;Miete;1.500;EUR\n"
    (record,) = BankCsvParser().parse(source(text)).records
    assert (record.booking_date, record.amount_minor) == (dt.date(2026, 4, 3), 150000)


def test_soll_and_haben_columns_with_an_empty_betrag_and_a_kontostand_line(source):
    text = ("Umsätze Girokonto;Zeitraum: 01.10.2026 - 31.10.2026;\n;\n"
            "Buchungstag;Wert;Umsatzart;Begünstigter / Auftraggeber;Verwendungszweck;IBAN;"
            "Betrag;Soll;Haben;Währung\n"
            "05.10.2026;05.10.2026;Gutschrift;ACME;INV 10234;DE02120300000000202051;;;"
            "1.500,00;EUR\n06.10.2026;06.10.2026;Lastschrift;Telekom;Rechnung;;;-45,99;;EUR\n"
            "Kontostand;31.10.2026;;;1.454,01;EUR\n")
    result = BankCsvParser().parse(source(text))
    assert [r.amount_minor for r in transactions(result)] == [150000, -4599]
    assert transactions(result)[0].counterparty_account == "DE02120300000000202051"
    assert balances(result) == {"closing": (145401, "EUR", dt.date(2026, 10, 31), 6)}


def test_two_digit_years_of_a_sparkasse_export_are_read_as_this_century(source):
    text = ("Auftragskonto;Buchungstag;Valutadatum;Buchungstext;Verwendungszweck;Betrag;"
            "Waehrung\nDE89370400440532013000;28.12.26;29.12.26;GUTSCHRIFT;INV 10234;"
            "100,00;EUR\n")
    (record,) = BankCsvParser().parse(source(text)).records
    assert (record.booking_date, record.value_date, record.account_id) == (
        dt.date(2026, 12, 28), dt.date(2026, 12, 29), "DE89370400440532013000")


def test_a_period_in_the_preamble_decides_the_date_order(source):
    text = ("Period: 01/10/2026 - 31/10/2026\nDate,Description,Amount,Currency\n"
            "02/10/2026,a,1.00,USD\n")
    (record,) = BankCsvParser().parse(source(text)).records
    assert record.booking_date == dt.date(2026, 10, 2)


def test_dates_that_prove_both_orders_reject_every_numeric_date(source):
    text = "Date,Description,Amount,Currency\n13/10/2026,a,1.00,USD\n10/13/2026,b,1.00,USD\n"
    result = BankCsvParser().parse(source(text))
    assert not result.records
    assert all("inconsistent date order" in r.reason for r in result.rejects)


@pytest.mark.parametrize(("data", "claimed"), [
    (b"\x00\x01\x02\x03" * 64, False),
    ("Date,Amount,Currency\n2026-11-01,1.00,USD\n".encode("utf-16-le"), True),
    ("Date,Amount,Currency\n2026-11-01,1.00,USD\n".encode("utf-16-be"), True),
])
def test_binary_or_bomless_utf16_content_is_refused_with_a_reason(tmp_path, data, claimed):
    path = tmp_path / "statement.csv"
    path.write_bytes(data)
    result = BankCsvParser().parse(SourceFile(path))
    assert "NUL bytes" in result.refusal
    assert BankCsvParser().identify(SourceFile(path)) is claimed


# --- currency and accounts --------------------------------------------------------------------

def test_the_currency_comes_from_the_preamble_before_a_symbol_or_the_settings(source):
    text = "Currency: EUR\nDate,Description,Amount\n2026-11-01,a,\"Rp 1.500,00\"\n"
    (record,) = BankCsvParser(default_currency="USD").parse(source(text)).records
    assert record.currency == "EUR"


@pytest.mark.parametrize(("amount", "currency", "minor"), [
    ('"€ 12,50"', "EUR", 1250), ('"Rp 1.500.000"', "IDR", 150000000), ("12.50 GBP", "GBP", 1250)])
def test_a_currency_symbol_on_the_amount_names_the_currency(source, amount, currency, minor):
    (record,) = BankCsvParser().parse(source(f"Date,Amount\n2026-11-01,{amount}\n")).records
    assert (record.currency, record.amount_minor) == (currency, minor)


def test_the_configured_account_found_in_the_preamble_gives_currency_and_account_id(source):
    text = "No. rekening : 0372-543-386\nTanggal,Keterangan,Jumlah\n01/11/2026,x,\"1.500,00\"\n"
    account = ShopAccount(number="0372543386", bank="BCA", currency="idr")
    (record,) = BankCsvParser(accounts=[account]).parse(source(text)).records
    assert (record.currency, record.account_id, record.amount_minor) == (
        "IDR", "0372543386", 150000)


def test_the_account_column_is_looked_up_in_the_settings_row_by_row(source):
    text = "Date,Description,Amount,Account\n2026-11-01,a,5.00,DE89 3704 0044\n"
    account = ShopAccount(number="DE8937040044", currency="EUR")
    (record,) = BankCsvParser(accounts=[account]).parse(source(text)).records
    assert (record.currency, record.account_id) == ("EUR", "DE8937040044")


def test_without_any_currency_source_the_reject_says_how_to_configure_the_account(source):
    text = "No. rekening : 0372543386\nTanggal,Keterangan,Jumlah\n2026-11-01,x,5.00\n"
    (reject,) = BankCsvParser().parse(source(text)).rejects
    assert reject.reason == ("no currency: the file names none for account 0372543386; set "
                             '[[accounts]] currency for number = "0372543386" in payrecon.toml')


# --- identification and bad samples -----------------------------------------------------------

@pytest.mark.parametrize("header", [
    "Date,Name,Type,Status,Currency,Gross,Fee,Net,Transaction ID",
    "balance_transaction_id,created_utc,currency,gross,fee,net,reporting_category",
    "id,Type,Source,Amount,Fee,Net,Currency,Created (UTC),Transfer",
    "InvoiceId,OrderId,InvoiceCreatedDate,InvoiceStatus,Amount,Currency,Date",
    "tid,date,name,subject,message,amount",
    "ticket id,date,amount,currency",
    "invoice_number,client_id,date,amount,currency",
])
def test_gateway_invoice_and_ticket_exports_are_never_claimed(source, header):
    assert not BankCsvParser().identify(source(header + "\n"))


def test_a_formula_in_a_memo_is_kept_as_literal_text(sample_data):
    result = BankCsvParser().parse(SourceFile(sample_data / "bad" / "bank-csv-formula-text.csv"))
    (record,) = result.records
    assert record.description == '=HYPERLINK("http://evil","x")'
    assert [r.source_line for r in result.rejects] == [3]


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.glob("bank-csv-*")
                                        if not p.name.endswith(".expected.txt")))
def test_each_bad_bank_csv_sample_is_rejected_with_its_expected_reason(name):
    expected = (BAD / f"{name}.expected.txt").read_text(encoding="utf-8").strip()
    result = BankCsvParser().parse(SourceFile(BAD / name))
    reasons = [result.refusal or ""] + [r.reason for r in result.rejects]
    assert any(expected in reason for reason in reasons), reasons


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet="0123456789.,-+ CRDB", max_size=16),
       separator=st.sampled_from([".", ","]))
def test_the_files_amount_reader_reads_exactly_what_parse_amount_reads(text, separator):
    def outcome(read):
        try:
            value = read(text)
        except AmountError:
            return "rejected"
        return str(value)
    assert outcome(amount_reader([], separator, None)) == outcome(
        lambda t: parse_amount(t, separator))
