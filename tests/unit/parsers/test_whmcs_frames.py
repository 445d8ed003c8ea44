"""The WHMCS frame path (parse) gives exactly the records and rejects of the per-record
path (parse_records), whose frozen models are the contract: on the golden, demo and bad
sample files and on a set of broken responses."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from parsers.base import SourceFile
from parsers.whmcs import WhmcsClientsParser, WhmcsInvoicesParser
from pipeline.record_frames import RecordFrame

SAMPLES = Path(__file__).resolve().parents[3] / "sample_data"
FILES = sorted([*SAMPLES.glob("golden/whmcs-*/**/input.json"), *SAMPLES.glob("demo/whmcs-*.json"),
                *SAMPLES.glob("bad/whmcs-*.json")])
PARSERS = {"invoices": WhmcsInvoicesParser(), "clients": WhmcsClientsParser()}


def invoice(**fields):
    base = {"id": 10911, "userid": 104, "firstname": "John", "lastname": "Carter",
            "companyname": "Carter Apps LLC", "invoicenum": "", "date": "2026-11-09",
            "duedate": "2026-11-23", "credit": "0.00", "total": "240.00", "status": "Unpaid",
            "currencycode": "USD"}
    return {**base, **fields}


BROKEN_INVOICES = [
    invoice(id=1), invoice(id=2, invoicenum="INV-2"), invoice(id=" 3 ", userid=" 9 "),
    invoice(id=""), invoice(id=None), "not an object", None, [1, 2], {},
    invoice(id=4, total="240.005"), invoice(id=5, total="abc"), invoice(id=6, total=""),
    invoice(id=7, credit="0.001"), invoice(id=8, credit="0.001", status="Paid"),
    invoice(id=9, credit="0.001", balance="5.00"), invoice(id=10, balance="1.001"),
    invoice(id=11, balance="0.00", status="Paid"), invoice(id=12, status="Cancelled"),
    invoice(id=13, total=Decimal("1234567.89"), credit=Decimal("0.1")),
    invoice(id=14, total="123456789012345678901.00"), invoice(id=15, total="1" * 40),
    invoice(id=16, total="-12.50"), invoice(id=17, total="1,234.50"),
    invoice(id=18, total="100.5", currencycode="JPY"),
    invoice(id=19, total="100", currencycode="jpy"),
    invoice(id=20, currencycode=""), invoice(id=21, currencycode="XYZ1"),
    invoice(id=22, status="Sent"), invoice(id=23, status="payment_pending"),
    invoice(id=24, date="0000-00-00"), invoice(id=25, duedate="2026-11-23 10:00:00"),
    invoice(id=26, date="2026-02-30"), invoice(id=27, firstname="", lastname=""),
    invoice(id=28, firstname=" ", lastname="Solo"), invoice(id=29, total=True),
    invoice(id=30, total=["1"]), invoice(id=31, userid=None), invoice(id=1, total="99.00"),
    invoice(id=32, total="240.000"), invoice(id=33, total=" 240.00 "),
    invoice(id=34, credit=None, balance=None), invoice(id=35, total="1e3"),
    invoice(id=36, total="24o.00", date="bad", status="nope"),
    # total - credit rounds to a whole number at 28 digits: only the per-record builder
    # can say so, and the frame path asks it
    invoice(id=37, total="1" + "0" * 26, credit="0.001"),
    # texts converted once per distinct text: the same bad or padded text on several items
    invoice(id=38, total="abc"), invoice(id=39, total="24o.00", date="bad", status="nope"),
    invoice(id=40, total=" 240.00"), invoice(id=41, total="240.00 ", date="bad"),
]
BROKEN_CLIENTS = [
    {"id": 1, "firstname": "Rina", "lastname": "Tanjung", "email": "r@example.co.id",
     "datecreated": "2025-03-11"},
    {"id": 2, "companyname": "PT Kopi", "datecreated": "0000-00-00"},
    {"id": 3, "datecreated": "2025-13-01"}, {"id": 4, "datecreated": "2025-03-11 08:00:00"},
    {"id": "", "firstname": "No id"}, {"firstname": "Absent id"}, "text", 5, None,
    {"id": 6, "firstname": None, "lastname": 7, "email": True}, {"id": 1, "firstname": "Again"},
]


def both(parser, source):
    return parser.parse(source), parser.parse_records(source)


def assert_same(frame, records):
    assert frame.refusal == records.refusal
    assert list(frame.records) == list(records.records)
    assert frame.rejects == records.rejects
    assert frame.warnings == records.warnings


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_the_sample_files_read_the_same_through_frames(path):
    source = SourceFile(path)
    for parser in PARSERS.values():
        if parser.identify(source):
            assert_same(*both(parser, source))


def write(tmp_path, plural, singular, items):
    path = tmp_path / f"{plural}.json"
    path.write_text(json.dumps({"result": "success", "totalresults": len(items) + 1,
                                plural: {singular: items}}, default=str))
    return SourceFile(path)


def test_broken_invoices_give_the_same_records_and_rejects(tmp_path):
    frame, records = both(PARSERS["invoices"],
                          write(tmp_path, "invoices", "invoice", BROKEN_INVOICES))
    assert_same(frame, records)
    assert isinstance(frame.records, RecordFrame) and frame.records == records.records
    assert len(frame.rejects) > 10 and len(frame.records) > 10


def test_broken_clients_give_the_same_records_and_rejects(tmp_path):
    assert_same(*both(PARSERS["clients"], write(tmp_path, "clients", "client", BROKEN_CLIENTS)))


@pytest.mark.parametrize("kind", ["invoices", "clients"])
def test_a_response_of_only_rejects_or_of_nothing_reads_the_same(tmp_path, kind):
    singular = kind[:-1]
    for items in ([], ["x", None], [{"id": ""}]):
        assert_same(*both(PARSERS[kind], write(tmp_path, kind, singular, items)))


def test_a_balance_past_64_bits_is_never_wrapped_around(tmp_path):
    # total and credit each fit 64 bits, total - credit does not
    items = [invoice(id=1, total="92233720368547758.07", credit="-0.01")]
    frame, records = both(PARSERS["invoices"], write(tmp_path, "invoices", "invoice", items))
    assert_same(frame, records)
    assert frame.records[0].balance_minor == 2**63


def test_one_invoice_of_a_frame_is_the_frozen_record(tmp_path):
    frame, records = both(PARSERS["invoices"], write(tmp_path, "invoices", "invoice",
                                                     [invoice(id=1), invoice(id=2)]))
    assert frame.records[1] == records.records[1] and frame.records[-1].invoice_id == "2"
