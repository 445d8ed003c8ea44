"""Format detection over the demo inbox: every input is claimed by exactly one parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.base import SourceFile
from parsers.registry import all_parsers, detect

DEMO = Path(__file__).resolve().parents[2] / "sample_data" / "demo"
EXPECTED = {
    "whmcs-invoices.json": "whmcs-invoices",
    "whmcs-clients.json": "whmcs-clients",
    "bank-bca-idr.csv": "bank-csv",
    "chase-usd.ofx": "ofx",
}


DEMO_INPUTS = sorted(p.name for p in DEMO.iterdir() if p.suffix != ".md")


def test_the_demo_inbox_holds_the_story_inputs():
    assert set(EXPECTED) <= set(DEMO_INPUTS)


@pytest.mark.parametrize("name", DEMO_INPUTS)
def test_each_demo_file_is_claimed_by_exactly_one_parser(name):
    source = SourceFile(DEMO / name)
    assert len([p for p in all_parsers() if p.identify(source)]) == 1
    assert detect(source).problem is None


@pytest.mark.parametrize(("name", "fmt"), sorted(EXPECTED.items()))
def test_each_demo_file_is_detected_as_its_format(name, fmt):
    assert detect(SourceFile(DEMO / name)).parser.format == fmt


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_demo_file_parses_without_rejects_or_refusal(name):
    source = SourceFile(DEMO / name)
    result = detect(source).parser.parse(source)
    assert result.refusal is None and result.rejects == [] and result.records


def test_a_readme_is_not_mistaken_for_an_input():
    assert detect(SourceFile(DEMO.parent / "README.md")).parser is None


def test_a_forced_format_skips_sniffing():
    detection = detect(SourceFile(DEMO / "chase-usd.ofx"), forced_format="bank-csv")
    assert detection.parser.format == "bank-csv"


def test_a_forced_unknown_format_is_a_problem():
    detection = detect(SourceFile(DEMO / "chase-usd.ofx"), forced_format="qif")
    assert detection.parser is None and "unknown format 'qif'" in detection.problem


def test_an_empty_file_is_a_problem(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.ofx"
    blank.write_bytes(b"\n  \r\n")
    for path in (empty, blank):
        detection = detect(SourceFile(path))
        assert detection.parser is None and detection.problem == "empty file"


def test_a_ticket_csv_with_date_and_amount_columns_is_not_taken_for_a_bank_statement(tmp_path):
    export = tmp_path / "tickets.csv"
    export.write_text("tid,date,name,subject,message,amount\n"
                      "T1,2026-10-15,Rina,Konfirmasi Pembayaran Invoice #10908,sudah transfer,"
                      "Rp 1.110.000\n", encoding="utf-8")
    assert detect(SourceFile(export)).parser.format == "tickets-csv"
