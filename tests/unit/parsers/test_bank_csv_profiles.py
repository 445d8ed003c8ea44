"""Bank CSV profiles: each layout is data, chosen by its header signature (or forced by the
account's settings), and read by the one parser with its conventions."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from parsers import csvspec
from parsers.bank_csv import BankCsvParser
from parsers.bank_csv_layout import find_layout
from parsers.bank_csv_profiles import GENERIC, PROFILES, SPECIFIC, positions
from parsers.base import SourceFile
from pipeline.models import BankTransaction, StatementBalance
from pipeline.settings import ShopAccount

CHASE = ("Details,Posting Date,\"Description\",Amount,Type,Balance,Check or Slip #,\n"
         "DEBIT,3/18/2016,\"Payment to card\",-2680.89,ACCT_XFER,3409.86,,\n"
         "CREDIT,3/15/2016,\"DIRECT DEP INV 10911\",2590.73,ACH_CREDIT,6090.75,,\n")
WISE = ('"TransferWise ID",Date,"Date Time",Amount,Currency,Description,"Payment Reference",'
        '"Running Balance","Payer Name","Payee Name"\n'
        'TRANSFER-1,24-08-2020,"24-08-2020 13:43:54.496",-357.38,USD,"Sent money to John",'
        '"INV 10908",787.62,,"John Doe"\n'
        'TRANSFER-1,24-08-2020,"24-08-2020 08:12:37.495",-11.35,USD,'
        '"TransferWise Charges for: TRANSFER-1",,776.27,,TransferWise\n'
        'TRANSFER-2,25-08-2020,"25-08-2020 10:00:00.000",125.00,USD,"Received money",,901.27,'
        'Friend,\n')
REVOLUT = ("Type,Product,Started Date,Completed Date,Description,Amount,Fee,Currency,State,"
           "Balance\nTOPUP,Current,2022-01-08 08:11:42,2022-01-08 08:12:12,Top-Up,500.00,1.00,"
           "EUR,COMPLETED,499.00\nCARD_PAYMENT,Current,2022-01-06 15:08:08,2022-01-06 15:08:08,"
           "Hold,0.00,0.00,EUR,COMPLETED,499.00\nCARD_PAYMENT,Current,2022-01-13 11:21:43,,store,"
           "-44.57,0.00,EUR,PENDING,\n")
VENMO = ("Username,ID,Datetime,Type,Status,Note,From,To,Amount (total),Amount (fee),"
         "Funding Source,Destination,Beginning Balance,Ending Balance,Disclaimer\n"
         "my_username,,,,,,,,,,,,\"$10.00\",,\n"
         ",1,2020-01-01T13:00:00,Payment,Complete,hosting INV 10912,Friend B,Me,+ $73.01,,,"
         "Venmo balance,,,\n"
         ",2,2020-01-02T17:00:00,Charge,Issued,lunch,Me,Friend A,- $12.01,,,,,,\n"
         ",,,,,,,,,,,,,\"$83.01\",\n"
         ",,,,,,,,,,,,,,\"In case of errors\n  call us\"\n")
KLIKBCA = ("No. rekening : 0372543386\nKode Mata Uang : Rp\n\n"
           "Tanggal Transaksi,Keterangan,Cabang,Jumlah,,Saldo\n"
           "'01/10/2026,'TRSF E-BANKING CR INV 10908,'0000,1110000.00,CR,11110000.00\n"
           "'15/10/2026,'BIAYA ADM,'0000,15000.00,DB,11095000.00\n"
           "PEND,'SWITCHING CR,'0000,5000.00,CR,\n")
LAYOUTS = {"chase": CHASE, "wise": WISE, "revolut": REVOLUT, "venmo": VENMO,
           "klikbca": KLIKBCA, "generic": "Tanggal;Keterangan;Jumlah\n"}


@pytest.fixture
def parse(tmp_path):
    def run(text, **settings):
        path = tmp_path / "statement.csv"
        path.write_text(text, encoding="utf-8")
        return BankCsvParser(**settings).parse(SourceFile(path))
    return run


def transactions(result):
    return [r for r in result.records if isinstance(r, BankTransaction)]


@pytest.mark.parametrize("profile", sorted(PROFILES.values(), key=lambda p: p.name),
                         ids=lambda p: p.name)
def test_every_profile_is_frozen_data_that_cites_its_layout(profile):
    with pytest.raises(dataclasses.FrozenInstanceError):
        profile.name = "changed"
    assert profile.based_on and profile.columns["date"]
    names = [*profile.signature, *(h for hs in profile.columns.values() for h in hs)]
    assert all(csvspec.normalise_header(n) == n for n in names)


@pytest.mark.parametrize(("name", "text"), sorted(LAYOUTS.items()))
def test_the_profile_is_chosen_by_the_header_signature(name, text):
    assert find_layout(text).profile.name == name


def test_specific_signatures_do_not_overlap():
    for profile in SPECIFIC:
        assert [p.name for p in SPECIFIC if p.signature <= profile.signature] == [profile.name]


def test_a_field_takes_the_first_non_empty_of_its_columns():
    header = ["Date", "Payer Name", "Payee Name", "Amount"]
    assert positions(PROFILES["wise"], header)["counterparty"] == (2, 1)


def test_chase_reads_month_first_dates_in_usd_without_a_currency_column(parse):
    result = parse(CHASE)
    assert [(r.booking_date, r.amount_minor, r.currency) for r in result.records] == [
        (dt.date(2016, 3, 18), -268089, "USD"), (dt.date(2016, 3, 15), 259073, "USD")]
    assert result.rejects == [] and result.warnings == []


def test_wise_keys_a_transfer_and_its_fee_row_apart_and_keeps_the_fee_as_money(parse):
    result = parse(WISE)
    transfer, fee, received = result.records
    assert transfer.natural_key == "TRANSFER-1@24-08-2020 13:43:54.496"
    assert fee.natural_key == "TRANSFER-1@24-08-2020 08:12:37.495" and fee.amount_minor == -1135
    assert transfer.description == "Sent money to John / INV 10908"
    assert (transfer.counterparty_name, received.counterparty_name) == ("John Doe", "Friend")
    assert transfer.booking_date == dt.date(2020, 8, 24)


def test_revolut_rejects_pending_rows_subtracts_fees_and_keeps_zero_amounts(parse):
    result = parse(REVOLUT)
    assert [(r.booking_date, r.amount_minor) for r in result.records] == [
        (dt.date(2022, 1, 8), 49900), (dt.date(2022, 1, 6), 0)]
    (pending,) = result.rejects
    assert pending.source_line == 4 and pending.reason.startswith("pending, not booked")


def test_venmo_summary_and_disclaimer_rows_are_balances_not_transactions(parse):
    result = parse(VENMO)
    (payment,) = transactions(result)
    assert (payment.amount_minor, payment.currency, payment.natural_key) == (7301, "USD", "1")
    assert payment.description == "hosting INV 10912 / from Friend B / to Me"
    assert [r.reason for r in result.rejects] == ["not booked (Status Issued)"]
    found = {b.kind: b.amount_minor for b in result.records if isinstance(b, StatementBalance)}
    assert found == {"opening": 1000, "closing": 8301} and result.warnings == []


def test_klikbca_reads_the_unnamed_marker_column_and_rejects_pending_rows(parse):
    result = parse(KLIKBCA)
    assert [(r.amount_minor, r.description, r.currency, r.account_id)
            for r in result.records] == [
        (111000000, "TRSF E-BANKING CR INV 10908", "IDR", "0372543386"),
        (-1500000, "BIAYA ADM", "IDR", "0372543386")]
    (pending,) = result.rejects
    assert pending.reason == "pending, not booked (date PEND)"


def test_an_account_in_the_settings_can_force_its_profile(parse):
    text = ("No. rekening : 0372543386\nPosting Date,Description,Amount\n"
            "3/4/2016,fee,-1.00\n")
    assert parse(text).rejects[0].reason.startswith("date: ambiguous date order")
    chase = ShopAccount(number="0372543386", profile="chase")
    (record,) = parse(text, accounts=[chase]).records
    assert (record.booking_date, record.currency) == (dt.date(2016, 3, 4), "USD")


def test_an_unknown_forced_profile_refuses_the_file_with_the_known_names(parse):
    text = "No. rekening : 0372543386\nDate,Amount,Currency\n2026-11-01,1.00,USD\n"
    result = parse(text, accounts=[ShopAccount(number="0372543386", profile="mandiri")])
    assert "unknown bank CSV profile 'mandiri'" in result.refusal and "klikbca" in result.refusal


def test_a_forced_profile_whose_columns_are_not_in_the_header_refuses_the_file(parse):
    text = "No. rekening : 0372543386\nTanggal,Keterangan,Jumlah\n01/10/2026,x,5.00\n"
    result = parse(text, accounts=[ShopAccount(number="0372543386", profile="revolut")])
    assert "read with the 'revolut' profile" in result.refusal


def test_the_generic_profile_is_the_fallback_and_is_not_a_specific_one():
    assert GENERIC not in SPECIFIC and not GENERIC.signature
