"""Dates as people and banks write them: read exactly, or a DateError with the reason."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.dates import AmbiguousDateError, DateError, infer_order, parse_date

OCT_15 = dt.date(2026, 10, 15)


@pytest.mark.parametrize("text", [
    "15/10/2026", "15-10-2026", "15.10.2026", "2026-10-15", "2026/10/15",
    "15 Oktober 2026", "15 Okt 2026", "15 okt. 2026", "15 October 2026", "15 OCTOBER 2026",
    "Oct 15, 2026", "October 15th 2026", "15-Oct-2026", "15 oct 2026", "  15  Oktober  2026 ",
    "Kamis, 15 Oktober 2026", "Thursday, October 15, 2026",
    "2026-10-15 09:12:33", "2026-10-15T09:12:33Z", "2026-10-15T09:12:33+07:00",
    "15/10/2026 09:12",
])
def test_every_supported_form_of_a_date_is_read(text):
    assert parse_date(text) == OCT_15


@pytest.mark.parametrize(("text", "month"), [
    ("1 Januari 2026", 1), ("1 Februari 2026", 2), ("1 Maret 2026", 3), ("1 April 2026", 4),
    ("1 Mei 2026", 5), ("1 Juni 2026", 6), ("1 Juli 2026", 7), ("1 Agustus 2026", 8),
    ("1 Agu 2026", 8), ("1 Agt 2026", 8), ("1 September 2026", 9), ("1 Oktober 2026", 10),
    ("1 November 2026", 11), ("1 Desember 2026", 12), ("1 Des 2026", 12), ("1 Mei 2026", 5),
    ("1 May 2026", 5), ("1 Aug 2026", 8), ("1 Dec 2026", 12), ("1 Sept 2026", 9),
])
def test_indonesian_and_english_month_names_full_or_short_are_known(text, month):
    assert parse_date(text) == dt.date(2026, month, 1)


def test_a_numeric_date_that_fits_only_one_order_needs_no_order():
    assert parse_date("15/10/2026") == OCT_15  # day first: 15 is no month
    assert parse_date("10/15/2026") == OCT_15  # month first: 15 is no month
    assert parse_date("05/05/2026") == dt.date(2026, 5, 5)  # the same both ways


def test_a_numeric_date_that_fits_both_orders_is_ambiguous_without_an_order():
    with pytest.raises(AmbiguousDateError, match="ambiguous date '03/04/2026'"):
        parse_date("03/04/2026")


def test_the_given_order_decides_a_numeric_date():
    assert parse_date("03/04/2026", "dmy") == dt.date(2026, 4, 3)
    assert parse_date("03/04/2026", "mdy") == dt.date(2026, 3, 4)


def test_the_given_order_is_not_overruled_by_a_value_that_does_not_fit_it():
    with pytest.raises(DateError, match="impossible date"):
        parse_date("15/10/2026", "mdy")


def test_an_order_is_not_needed_for_iso_or_month_name_dates():
    assert parse_date("2026-10-15", "mdy") == OCT_15
    assert parse_date("15 Oktober 2026", "mdy") == OCT_15


@pytest.mark.parametrize(("text", "reason"), [
    ("31/02/2026", "impossible date '31/02/2026'"),
    ("2026-02-30", "impossible date"),
    ("31 Februari 2026", "impossible date"),
    ("00/05/2026", "impossible date"),
    ("13/13/2026", "impossible date"),
    ("0000-01-01", "impossible date"),
    ("15/10/26", "two-digit year"),
    ("03/04/26", "two-digit year"),
    ("15 Okt 26", "two-digit year"),
    ("15/10/202", "four digits"),
    ("15 Foo 2026", "unknown month name 'foo'"),
    ("15/10-2026", "unsupported date format"),
    ("yesterday", "unsupported date format"),
    ("", "no date given"),
    ("   ", "no date given"),
])
def test_impossible_two_digit_year_and_unreadable_dates_are_errors_with_a_reason(text, reason):
    with pytest.raises(DateError, match=reason):
        parse_date(text)


def test_a_date_that_is_not_text_is_a_date_error():
    with pytest.raises(DateError, match="not text"):
        parse_date(None)  # type: ignore[arg-type]


def test_a_files_order_is_day_first_when_some_first_number_is_above_twelve():
    assert infer_order(["03/04/2026", "15/10/2026", "2026-10-15"]) == "dmy"


def test_a_files_order_is_month_first_when_some_second_number_is_above_twelve():
    assert infer_order(["03/04/2026", "10/15/2026"]) == "mdy"


def test_a_files_order_is_unknown_when_every_date_fits_both():
    assert infer_order(["03/04/2026", "01/02/2026", "15 Oktober 2026", ""]) is None
    assert infer_order([]) is None


def test_a_file_with_dates_in_both_orders_is_an_error():
    with pytest.raises(DateError, match="dates in both orders"):
        infer_order(["15/10/2026", "10/15/2026"])


def test_an_impossible_value_gives_no_evidence_for_either_order():
    assert infer_order(["13/13/2026", "15/10/2026"]) == "dmy"


# --- properties ---------------------------------------------------------------------------

DATE_CHARS = "0123456789/-. ,:TZ+'abcdefghijklmnopqrstuvwxyzOKTDES"


@given(st.one_of(st.text(), st.text(alphabet=DATE_CHARS, max_size=30)),
       st.sampled_from([None, "dmy", "mdy"]))
def test_no_text_makes_parse_date_raise_anything_but_a_date_error(text, order):
    try:
        result = parse_date(text, order)
    except DateError:
        return
    assert isinstance(result, dt.date)


ID_MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember"]
ID_SHORT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]

FORMS = {
    "iso": (lambda d: d.isoformat(), None),
    "dd/mm/yyyy": (lambda d: d.strftime("%d/%m/%Y"), "dmy"),
    "dd-mm-yyyy": (lambda d: d.strftime("%d-%m-%Y"), "dmy"),
    "dd.mm.yyyy": (lambda d: d.strftime("%d.%m.%Y"), "dmy"),
    "d/m/yyyy": (lambda d: f"{d.day}/{d.month}/{d.year}", "dmy"),
    "mm/dd/yyyy": (lambda d: d.strftime("%m/%d/%Y"), "mdy"),
    "d Indonesian month": (lambda d: f"{d.day} {ID_MONTHS[d.month - 1]} {d.year}", None),
    "d Indonesian short": (lambda d: f"{d.day} {ID_SHORT[d.month - 1]} {d.year}", None),
    "d English month": (lambda d: f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}", None),
    "Mon d, yyyy": (lambda d: f"{EN_MONTHS[d.month - 1][:3]} {d.day}, {d.year}", None),
    "dd-Mon-yyyy": (lambda d: f"{d.day:02d}-{EN_MONTHS[d.month - 1][:3]}-{d.year}", None),
}


@given(st.dates(min_value=dt.date(1000, 1, 1)), st.sampled_from(sorted(FORMS)), st.booleans())
def test_every_date_written_in_each_supported_form_reads_back_to_itself(date, form, upper):
    write, order = FORMS[form]
    text = write(date).upper() if upper else write(date)
    assert parse_date(text, order) == date


@given(st.lists(st.dates(min_value=dt.date(1000, 1, 1)), min_size=1, max_size=20))
def test_a_day_first_file_is_never_inferred_month_first_and_reads_back(dates):
    texts = [d.strftime("%d/%m/%Y") for d in dates]
    order = infer_order(texts)
    assert order in ("dmy", None)
    assert [parse_date(t, order or "dmy") for t in texts] == dates
