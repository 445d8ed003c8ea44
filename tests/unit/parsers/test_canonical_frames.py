"""The canonical CSVs read into frames (parse) give exactly the records, rejects and
refusals of the row-at-a-time path (parse_records), whose frozen models are the contract:
on the golden files, on broken rows, at chunk boundaries and on files of junk."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from parsers import csvspec
from parsers.base import ParseResult, SourceFile
from parsers.canonical_csv import CanonicalClientsCsvParser, CanonicalInvoicesCsvParser
from parsers.canonical_frames import read_rows
from pipeline.record_frames import RecordFrame

GOLDEN = Path(__file__).resolve().parents[3] / "sample_data" / "golden"
INVOICES, CLIENTS = CanonicalInvoicesCsvParser(), CanonicalClientsCsvParser()
HEADER = ("invoice_number,client_id,client_name,client_email,issue_date,due_date,total,"
          "balance,currency,status")
GOOD = "10908,101,Rina,rina@example.co.id,2026-09-24,2026-10-08,1110000.00,1110000,IDR,Overdue"
BROKEN = [
    GOOD, "10909,101,,,2026-09-24,2026-10-08,10.00,0,USD,Paid", ",101,,,2026-09-24,,x,1,USD,Sent",
    "10910,101,,,2026-09-24,2026-10-08,10.005,0,USD,Paid",
    "10911,101,,,2026-09-24,2026-10-08,10.00,0.001,USD,Paid",
    "10912,101,,,2026-09-24,2026-10-08,10.5,10.5,JPY,Unpaid", "", "  ,  ,  ",
    "10913,101,,,2026-13-24,2026-10-08,1,1,usd,unpaid", "10914,101",
    "10915,101,,,2026-09-24 10:00,2026-10-08T00:00,\"1,234.50\",0,EUR,payment_pending",
    "10916,101,,,2026-09-24,2026-10-08,123456789012345678901.00,0,USD,Unpaid",
    "10908,102,Again,,2026-09-24,2026-10-08,5.00,5.00,USD,Unpaid",
]


def write(tmp_path, text: str) -> SourceFile:
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    return SourceFile(path)


def assert_same(parser, source):
    frame, records = parser.parse(source), parser.parse_records(source)
    assert frame.refusal == records.refusal
    assert list(frame.records) == list(records.records)
    assert frame.rejects == records.rejects and frame.warnings == records.warnings
    return frame


@pytest.mark.parametrize(("parser", "folder"), [(INVOICES, "invoices-csv"),
                                                (CLIENTS, "clients-csv")])
def test_the_golden_files_read_the_same_through_frames(parser, folder):
    assert_same(parser, SourceFile(GOLDEN / folder / "input.csv"))


def test_broken_invoice_rows_give_the_same_records_and_rejects(tmp_path):
    result = assert_same(INVOICES, write(tmp_path, "\n".join([HEADER, *BROKEN, GOOD[:30]])))
    assert isinstance(result.records, RecordFrame) and len(result.rejects) > 5


def test_optional_columns_and_broken_clients_read_the_same(tmp_path):
    invoices = (f"{HEADER},first_invoice,group_id\n{GOOD},yes,G1\n{GOOD},,\n{GOOD},maybe,\n")
    assert_same(INVOICES, write(tmp_path, invoices))
    clients = ("client_id,name,company,email,created_at\n1,Rina,,r@x.id,2025-03-11\n"
               "2,,PT Kopi,,\n,No id,,,\n3,,,,2025-02-30\n")
    assert_same(CLIENTS, write(tmp_path, clients))


@pytest.mark.parametrize("size", [1, 3, 7, 500])
def test_chunk_boundaries_change_nothing(tmp_path, size):
    source = write(tmp_path, "\n".join([HEADER, *BROKEN * 3]) + "\n")
    table = csvspec.read_table(source.path.read_bytes(), INVOICES.columns, "invoices")
    records, rejects = read_rows(INVOICES, source, table, size=size)
    reference = INVOICES.parse_records(source)
    cut, _ = csvspec.truncation(table, partial(source.reject, INVOICES.format))
    assert list(records) == list(reference.records) and rejects + cut == reference.rejects


@pytest.mark.parametrize(("bad", "good_after"), [(199, 2), (200, 0), (200, 1), (201, 1),
                                                 (450, 3)])
@pytest.mark.parametrize("size", [7, 200, 20_000])
def test_a_file_of_junk_is_refused_exactly_when_row_by_row_refuses_it(tmp_path, bad,
                                                                      good_after, size):
    rows = [f"{n},1,,,2026-09-24,2026-10-08,abc,0,USD,Paid" for n in range(bad)]
    source = write(tmp_path, "\n".join([HEADER, *rows, *[GOOD] * good_after]))
    reference = INVOICES.parse_records(source)
    table = csvspec.read_table(source.path.read_bytes(), INVOICES.columns, "invoices")
    records, rejects = read_rows(INVOICES, source, table, size=size)
    if reference.refusal:
        assert rejects == reference.refusal
    else:
        assert ParseResult(records=list(records), rejects=rejects) == ParseResult(
            records=reference.records, rejects=reference.rejects)
