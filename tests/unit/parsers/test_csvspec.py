"""The declarative CSV column helper shared by the CSV parsers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from parsers import csvspec
from parsers.csvspec import Column


def test_records_report_the_physical_line_each_record_starts_on():
    content = 'a,b\r\n1,"two\nlines"\r\n\r\n2,z\n3,"q"'
    assert [(r.line, r.cells) for r in csvspec.records(content, ",")] == [
        (1, ["a", "b"]), (2, ["1", "two\nlines"]), (4, []), (5, ["2", "z"]), (6, ["3", "q"])]


def test_a_record_keeps_its_physical_text_for_rejects():
    (_, second) = csvspec.records('h\n"x\ny"\n', ",")
    assert second.raw == '"x\ny"'


def test_header_names_match_regardless_of_case_spacing_and_punctuation():
    columns = [Column("reference", aliases=("no referensi",)), Column("date")]
    index, missing = csvspec.resolve(columns, [" Date ", "No. Referensi"])
    assert index == {"reference": 1, "date": 0} and missing == []


def test_a_missing_column_is_reported_unless_it_is_optional():
    columns = [Column("a"), Column("b", optional=True), Column("c")]
    assert csvspec.resolve(columns, ["a"])[1] == ["c"]


def test_convert_reads_values_and_fills_empty_optional_ones():
    columns = [Column("when", csvspec.iso_date), Column("note", required=False, empty=""),
               Column("total", csvspec.amount("."))]
    values = csvspec.convert(columns, {"when": 0, "note": 1, "total": 2},
                             ["2026-11-05", "", "1,250.50"])
    assert values == {"when": dt.date(2026, 11, 5), "note": "", "total": Decimal("1250.50")}


def test_convert_collects_every_problem_of_a_row_as_the_reason():
    columns = [Column("when", csvspec.iso_date), Column("who"), Column("ccy", csvspec.currency)]
    reason = csvspec.convert(columns, {"when": 0, "who": 1, "ccy": 2}, ["05/11/2026", "", "$$"])
    assert reason.startswith("when: not an ISO date") and "who: empty" in reason
    assert "ccy: not a currency code" in reason


@pytest.mark.parametrize(("line", "delimiter"), [
    ("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ('"x,y";b;c', ";"),
])
def test_the_delimiter_is_the_one_that_splits_the_header_most(line, delimiter):
    assert csvspec.sniff_delimiter(line) == delimiter


def test_text_is_utf8_else_windows_1252():
    assert csvspec.decode("\ufeffCafé".encode()) == "Café"
    assert csvspec.decode("Café".encode("cp1252")) == "Café"


def test_text_that_is_not_windows_1252_is_read_in_the_detected_code_page():
    text = "Közlemény;Összeg\nCsoportos átutalás Győr;1500,00\n"
    assert csvspec.decode(text.encode("cp852")) == text


@pytest.mark.parametrize(("header", "name"), [
    ("Währung", "waehrung"), ("Auftraggeber / Empfänger", "auftraggeber empfaenger"),
    ("Begünstigter/Zahlungspflichtiger", "beguenstigter zahlungspflichtiger"),
    ("Straße", "strasse"), ("Amount (total)", "amount total")])
def test_german_umlauts_in_headers_are_spelled_out(header, name):
    assert csvspec.normalise_header(header) == name


def test_plain_text_has_no_text_problem():
    assert csvspec.text_problem("Datum;Betrag\r\n03.11.2026;1,00\tx\n") is None


@pytest.mark.parametrize(("data", "reason"), [
    ("a,b\n1,2\n".encode("utf-16-le"), "NUL bytes"),
    (bytes(range(1, 32)) * 20, "control characters"),
])
def test_binary_or_wrongly_encoded_content_is_a_text_problem(data, reason):
    assert reason in csvspec.text_problem(csvspec.decode(data))
