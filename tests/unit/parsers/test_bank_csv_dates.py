"""Bank CSV date order: the account's setting, then the file's own evidence, then the order
its booking dates run in within the statement; an order still open is a reject naming the
``[[accounts]] date_order`` setting."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers.bank_csv import BankCsvParser
from parsers.bank_csv_dates import DateHints, date_reader, sequence_order
from parsers.base import SourceFile
from pipeline.settings import ShopAccount

HEADER = "Date,Description,Amount,Currency\n"


@pytest.fixture
def parse(tmp_path):
    def run(text, **settings):
        path = tmp_path / "statement.csv"
        path.write_text(text, encoding="utf-8")
        return BankCsvParser(**settings).parse(SourceFile(path))
    return run


def rows(*dates: str) -> str:
    return "".join(f"{date},row {i},1.00,EUR\n" for i, date in enumerate(dates))


def booked(result) -> list[dt.date]:
    return [r.booking_date for r in result.records]


# --- the statement's sequence -------------------------------------------------------------

def test_dates_in_order_only_when_read_day_first_are_day_first():
    dates = ["09/03/20", "11/03/20", "01/04/20", "02/04/20", "06/04/20"]
    assert sequence_order(dates, None) == "dmy"


def test_dates_in_order_only_when_read_month_first_are_month_first():
    dates = ["03/09/2026", "03/11/2026", "04/01/2026", "04/02/2026"]
    assert sequence_order(dates, None) == "mdy"


def test_a_newest_first_statement_decides_as_well_as_an_oldest_first_one():
    dates = ["06/04/20", "02/04/20", "01/04/20", "11/03/20", "09/03/20"]
    assert sequence_order(dates, None) == "dmy"


def test_dates_in_order_both_ways_leave_the_order_open():
    dates = ["01/02/2026", "01/03/2026", "02/03/2026", "03/03/2026"]
    assert sequence_order(dates, None) is None


def test_dates_in_order_neither_way_leave_the_order_open():
    dates = ["01/02/2026", "05/03/2026", "02/01/2026", "04/03/2026"]
    assert sequence_order(dates, None) is None


def test_fewer_than_four_different_dates_never_decide_by_their_order():
    assert sequence_order(["01/11/2026", "02/11/2026", "11/10/2026"], None) is None


def test_a_reading_that_spans_more_than_a_year_is_not_a_statement():
    dates = ["10/01/2025", "12/01/2025", "01/02/2026", "02/02/2026"]  # dmy: Jan 2025-Feb 2026
    assert sequence_order(dates, None) == "mdy"


def test_a_period_with_month_names_decides_which_reading_falls_inside_it():
    period = ("1 April 2020", "30 April 2020")
    assert sequence_order(["02/04/2020", "03/04/2020"], period) == "dmy"


def test_a_period_read_the_same_way_as_the_dates_rules_out_a_reading():
    period = ("01/04/2020", "10/04/2020")  # day-first: 1-10 April; month-first: Jan-Oct
    assert sequence_order(["02/05/2020"], period) == "mdy"


def test_rows_without_a_readable_date_do_not_stop_the_sequence_from_deciding():
    dates = ["09/03/20", "PEND", "11/03/20", "", "01/04/20", "02/04/20"]
    assert sequence_order(dates, None) == "dmy"


def test_the_sequence_decides_a_whole_file_that_has_no_other_evidence(parse):
    result = parse(HEADER + rows("09/03/20", "11/03/20", "01/04/20", "02/04/20"))
    assert booked(result) == [dt.date(2020, 3, 9), dt.date(2020, 3, 11), dt.date(2020, 4, 1),
                              dt.date(2020, 4, 2)]


def test_evidence_in_a_value_beats_the_sequence(parse):
    result = parse(HEADER + rows("03/09/2026", "03/11/2026", "04/01/2026", "04/13/2026"))
    assert booked(result)[-1] == dt.date(2026, 4, 13)


# --- the account's setting and the reject that names it -------------------------------------

def test_an_open_order_is_rejected_naming_the_accounts_date_order_setting(parse):
    text = "Account:,DE44500105175407324931\n" + HEADER + rows("01/02/2026", "01/03/2026")
    result = parse(text)
    assert not result.records and len(result.rejects) == 2
    assert all(r.reason.startswith("date: ambiguous date order") for r in result.rejects)
    assert ('set [[accounts]] date_order = "DMY" or "MDY" for number = '
            '"DE44500105175407324931" in payrecon.toml') in result.rejects[0].reason


def test_without_an_account_number_the_reject_says_the_file_states_none(parse):
    (reject, _) = parse(HEADER + rows("01/02/2026", "01/03/2026")).rejects
    assert "[[accounts]] date_order" in reject.reason
    assert "the file states no account number" in reject.reason


def test_an_account_column_naming_one_account_is_the_one_the_reject_names(parse):
    text = ("Date,Description,Amount,Currency,Account\n01/02/2026,a,1.00,EUR,12345678\n"
            "01/03/2026,b,1.00,EUR,12345678\n")
    assert 'for number = "12345678"' in parse(text).rejects[0].reason


@pytest.mark.parametrize(("setting", "first"), [
    ("DMY", dt.date(2026, 2, 1)), ("mdy", dt.date(2026, 1, 2))])
def test_the_accounts_date_order_reads_a_file_whose_order_is_open(parse, setting, first):
    text = "Account:,DE44500105175407324931\n" + HEADER + rows("01/02/2026", "01/03/2026")
    account = ShopAccount(number="DE44 5001 0517 5407 3249 31", date_order=setting)
    result = parse(text, accounts=[account])
    assert not result.rejects and booked(result)[0] == first


def test_the_accounts_date_order_reaches_a_file_through_its_account_column(parse):
    text = ("Date,Description,Amount,Currency,Account\n01/02/2026,a,1.00,EUR,12345678\n"
            "01/03/2026,b,1.00,EUR,12345678\n")
    account = ShopAccount(number="12345678", date_order="MDY")
    assert booked(parse(text, accounts=[account])) == [dt.date(2026, 1, 2), dt.date(2026, 1, 3)]


def test_the_accounts_date_order_beats_the_profiles(parse):
    text = ("No. rekening : ,0372543386\nTanggal Transaksi,Keterangan,Cabang,Jumlah,,Saldo\n"
            "'10/01/2026,'BIAYA ADM,'0000,15000.00,DB,100.00\n")
    account = ShopAccount(number="0372543386", currency="IDR", date_order="MDY")
    (record,) = parse(text, accounts=[account]).records
    assert record.booking_date == dt.date(2026, 10, 1)


def test_a_configured_order_the_dates_contradict_is_a_reject_not_a_swap(parse):
    text = "Account:,12345678\n" + HEADER + rows("13/02/2026")
    (reject,) = parse(text, accounts=[ShopAccount(number="12345678", date_order="MDY")]).rejects
    assert "impossible date" in reject.reason


def test_a_year_first_order_reads_two_digit_years_first():
    reader = date_reader(["26/10/15"], ["26/10/15"], DateHints(configured="ymd"))
    assert reader("26/10/15") == dt.date(2026, 10, 15)
    assert reader("2026-10-15") == dt.date(2026, 10, 15)


def test_an_order_proved_both_ways_is_rejected_naming_the_setting():
    reader = date_reader(["13/10/2026", "10/13/2026"], [], DateHints(account="12345678"))
    with pytest.raises(ValueError, match=r"inconsistent date order.*\[\[accounts\]\] date_order"):
        reader("01/10/2026")
