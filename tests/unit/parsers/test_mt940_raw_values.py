"""MT940 amounts, dates and balance currencies as a person reads them in the raw text (issue 7):
never cut, never moved, never guessed; a value that cannot be read is a reject with a reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers.base import SourceFile
from parsers.mt940 import Mt940Parser
from parsers.mt940_raw import read_amount
from pipeline.models import BankTransaction, StatementBalance


def statement(*lines: str, opening="C261029EUR100,00", closing="C261030EUR150,00",
              account="DE44500105175407324931") -> str:
    return "\n".join([":20:STMT1", f":25:{account}", ":28C:1/1", f":60F:{opening}", *lines,
                      f":62F:{closing}", "-"]) + "\n"


@pytest.fixture
def parse(tmp_path):
    def run(text: str | bytes):
        path = tmp_path / "statement.sta"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return Mt940Parser().parse(SourceFile(path))
    return run


def transactions(result) -> list[BankTransaction]:
    return [r for r in result.records if isinstance(r, BankTransaction)]


def balances(result) -> list[tuple[str, int, str]]:
    return [(r.kind, r.amount_minor, r.currency) for r in result.records
            if isinstance(r, StatementBalance)]


# Amounts


def test_a_file_that_writes_decimal_points_keeps_every_cent_of_balances_and_lines(parse):
    result = parse(statement(":61:2610301030C000000000150.25NMSCNONREF//B1", ":86:x",
                             opening="C261029EUR000000012195.42",
                             closing="C261030EUR000000012345.67"))
    assert [t.amount_minor for t in transactions(result)] == [15025]
    assert balances(result) == [("opening", 1219542, "EUR"), ("closing", 1234567, "EUR")]
    assert result.rejects == [] and result.warnings == []


def test_a_zero_decimal_currency_written_with_a_trailing_point_is_read_as_written(parse):
    result = parse(statement(":61:2610301030C351.NMSCNONREF", ":86:x",
                             opening="C261029JPY00000000115000.",
                             closing="C261030JPY00000000115351."))
    assert [t.amount_minor for t in transactions(result)] == [351]
    assert balances(result) == [("opening", 115000, "JPY"), ("closing", 115351, "JPY")]


def test_a_file_mixing_decimal_points_and_commas_rejects_both_rather_than_guessing(parse):
    result = parse(statement(":61:261030C1.500NTRFNONREF", ":86:a",
                             ":61:261030C50,00NTRFNONREF", ":86:b"))
    assert transactions(result) == []
    assert all("both a decimal comma and a decimal point" in r.reason for r in result.rejects)
    assert len(result.rejects) == 2
    assert balances(result) == []
    assert sum("not recorded" in w for w in result.warnings) == 2


def test_an_amount_with_thousands_and_decimal_separators_is_a_reject(parse):
    result = parse(statement(":61:261030C1.500,25NTRFNONREF", ":86:x"))
    assert result.rejects[0].reason == (":61: amount '1.500,25' is not a SWIFT amount "
                                        "(digits and one decimal separator)")


def test_an_amount_longer_than_swifts_15_characters_is_rejected_not_cut(parse):
    result = parse(statement(":61:261030C1234567890123456,00NTRFNONREF", ":86:x"))
    assert transactions(result) == []
    assert "amount could not be read exactly" in result.rejects[0].reason


@given(st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2),
       st.sampled_from([",", "."]))
def test_every_amount_is_read_digit_for_digit_in_either_convention(tmp_path_factory, value,
                                                                   separator):
    written = format(value, "f").replace(".", separator)
    path = tmp_path_factory.mktemp("rt") / "statement.sta"
    path.write_text(statement(f":61:261030C{written}NTRFNONREF", ":86:x",
                              opening=f"C261029EUR0{separator}00",
                              closing=f"C261030EUR{written}"))
    result = Mt940Parser().parse(SourceFile(path))
    expected = int(value * 100)
    assert [t.amount_minor for t in transactions(result)] == [expected]
    assert balances(result)[-1] == ("closing", expected, "EUR")


@pytest.mark.parametrize(("text", "convention", "expected"), [
    ("150,25", ",", Decimal("150.25")), ("150.25", ".", Decimal("150.25")),
    ("107,", ",", Decimal("107")), ("115351.", ".", Decimal("115351")),
    ("150", ",", Decimal("150")), ("000000000150,25", ",", Decimal("150.25")),
])
def test_a_swift_amount_is_read_with_the_files_separator(text, convention, expected):
    assert read_amount(text, convention) == expected


@pytest.mark.parametrize(("text", "convention", "reason"), [
    ("150.25", ",", "has a decimal point where the file writes a decimal comma"),
    ("150,25", ".", "has a decimal comma where the file writes a decimal point"),
    (",25", ",", "is not a SWIFT amount"), ("1,2,3", ",", "is not a SWIFT amount"),
])
def test_an_amount_against_the_files_separator_is_a_reason_not_a_number(text, convention,
                                                                         reason):
    assert reason in read_amount(text, convention)


# Dates


def test_30_february_without_an_entry_date_is_a_reject_not_the_29th(parse):
    result = parse(statement(":61:260230C50,00NTRFNONREF", ":86:x",
                             opening="C260227EUR100,00", closing="C260302EUR150,00"))
    assert transactions(result) == []
    assert result.rejects[0].reason == ":61: value date 260230 is not a date"


def test_30_february_with_an_entry_date_books_on_the_entry_date_with_a_warning(parse):
    result = parse(statement(":61:2602300302C50,00NTRFNONREF", ":86:x",
                             opening="C260227EUR100,00", closing="C260302EUR150,00"))
    (txn,) = transactions(result)
    assert (txn.booking_date, txn.value_date) == (dt.date(2026, 3, 2), None)
    assert result.warnings == ["line 5: :61: value date 260230 is not a date; the entry date "
                               "2026-03-02 is the booking date and the value date is left empty"]


def test_an_impossible_entry_date_books_on_the_value_date_with_a_warning(parse):
    result = parse(statement(":61:2602270230C50,00NTRFNONREF", ":86:x"))
    (txn,) = transactions(result)
    assert txn.booking_date == txn.value_date == dt.date(2026, 2, 27)
    assert result.warnings == ["line 5: :61: entry date 0230 (MMDD) is not a date; the value "
                               "date 2026-02-27 is the booking date"]


def test_29_february_of_a_leap_year_is_a_date(parse):
    result = parse(statement(":61:2802290229C50,00NTRFNONREF", ":86:x"))
    assert transactions(result)[0].value_date == dt.date(2028, 2, 29)
    assert result.warnings == [] and result.rejects == []


def test_an_entry_date_in_january_after_a_december_value_date_is_in_the_next_year(parse):
    result = parse(statement(":61:2612310102C50,00NTRFNONREF", ":86:x"))
    (txn,) = transactions(result)
    assert (txn.value_date, txn.booking_date) == (dt.date(2026, 12, 31), dt.date(2027, 1, 2))


def test_an_impossible_balance_date_is_not_recorded_with_a_warning_naming_the_line(parse):
    result = parse(statement(":61:261030C50,00NTRFNONREF", ":86:x",
                             closing="C260230EUR150,00"))
    assert [kind for kind, _, _ in balances(result)] == ["opening"]
    assert result.warnings == ["statement STMT1 1/1 (line 1): :62F: at line 7 not recorded: "
                               "date 260230 is not a date"]


# Transaction type codes


def test_lines_without_a_type_code_are_read_with_one_warning_on_the_file(parse):
    result = parse(statement(":61:2610311031C220000,00//REF123", ":86:a",
                             ":61:2610311031D170050,00//REF124", ":86:b",
                             closing="C261031EUR50050,00"))
    assert [(t.amount_minor, t.natural_key) for t in transactions(result)] == [
        (22000000, "REF123"), (-17005000, "REF124")]
    assert result.rejects == []
    assert result.warnings == ["2 :61: line(s) without a transaction type code (such as NTRF), "
                               "read with the code left empty: line(s) 5, 7"]


def test_a_line_without_type_code_whose_amount_has_no_decimal_separator_is_a_reject(parse):
    result = parse(statement(":61:261030C50", ":86:x"))
    assert transactions(result) == []
    assert "no transaction type code" in result.rejects[0].reason
    assert "no decimal separator" in result.rejects[0].reason


def test_a_line_without_type_code_and_no_closing_balance_to_check_it_is_a_reject(parse):
    result = parse(":20:S1\n:25:NL91\n:28C:1\n:60F:C261029EUR100,00\n:61:261030C50,00//R1\n")
    assert transactions(result) == []
    assert "no closing balance to check it" in result.rejects[0].reason


def test_a_decimal_point_amount_keeps_its_type_code(parse):
    result = parse(statement(":61:261030C50.00NMSCNONREF", ":86:x",
                             opening="C261029EUR100.00", closing="C261030EUR150.00"))
    assert len(transactions(result)) == 1 and result.warnings == []


# Balance currencies


def test_a_balance_without_currency_takes_the_statements_opening_currency(parse):
    result = parse(statement(":61:0203150315C45000,00NTRFNONREF", ":86:x",
                             opening="C020314EUR100000,00", closing="C020315145000,00"))
    assert balances(result) == [("opening", 10000000, "EUR"), ("closing", 14500000, "EUR")]
    assert result.warnings == []


def test_an_opening_balance_without_currency_takes_the_closing_balances(parse):
    result = parse(statement(":61:0203150315C45000,00NTRFNONREF", ":86:x",
                             opening="C020314100000,00", closing="C020315EUR145000,00"))
    assert balances(result) == [("opening", 10000000, "EUR"), ("closing", 14500000, "EUR")]


def test_a_balance_without_currency_takes_the_currency_after_the_account(parse):
    result = parse(statement(":61:0203150315C45000,00NTRFNONREF", ":86:x",
                             opening="C020314100000,00", closing="C020315145000,00",
                             account="50010517/5407324931 EUR"))
    assert balances(result) == [("opening", 10000000, "EUR"), ("closing", 14500000, "EUR")]
    assert transactions(result)[0].currency == "EUR"
    assert result.warnings == []


def test_a_statement_stating_no_currency_anywhere_says_so_instead_of_guessing(parse):
    result = parse(statement(":61:0203150315C45000,00NTRFNONREF", ":86:x",
                             opening="C020314100000,00", closing="C020315145000,00",
                             account="50010517/5407324931"))
    assert balances(result) == [] and transactions(result) == []
    assert ":61: has no currency" in result.rejects[0].reason
    assert all("no currency code" in w for w in result.warnings)
    assert not any("145" in w or "truncated" in w for w in result.warnings)


# Encoding


def test_a_cp852_statement_reads_its_hungarian_text_as_written(parse):
    text = statement(":61:261103C50,00NTRFNONREF", ":86:Csoportos átutalás Győr díj",
                     opening="C261102HUF100,00", closing="C261103HUF150,00")
    result = parse(text.encode("cp852"))
    assert transactions(result)[0].description == "Csoportos átutalás Győr díj"
    assert result.warnings == []


def test_control_characters_left_after_decoding_give_a_warning_naming_the_encoding(parse):
    result = parse(statement(":61:261030C50,00NTRFNONREF", ":86:a\x1bb\x7fc"))
    assert result.warnings == ["decoded as utf-8: the text holds 2 control or undecodable "
                               "character(s) (a wrong encoding or binary content?)"]
