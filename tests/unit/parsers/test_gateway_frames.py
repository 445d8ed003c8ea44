"""Stripe, PayPal and bank CSV files read into frames (parse) give exactly the records,
rejects, warnings and refusals of the row-at-a-time path (parse_records), whose frozen
models are the contract: on the sample, golden, broken and real-world files, on broken rows,
at chunk boundaries, on files of junk and on a generated month's files."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from parsers import csvspec, stripe, stripe_frames
from parsers.bank_csv import BankCsvParser
from parsers.base import ParseResult, SourceFile
from parsers.csv_texts import read_texts
from parsers.paypal import PaypalParser
from parsers.stripe import StripeParser
from pipeline.record_frames import RecordFrame, RecordGroups

ROOT = Path(__file__).resolve().parents[3]
FOLDERS = [ROOT / "sample_data", ROOT.parent / "shared" / "realworld"]
PARSERS = {"stripe": StripeParser(), "paypal": PaypalParser(), "bank-csv": BankCsvParser()}
STRIPE_HEADER = ("balance_transaction_id,created_utc,currency,gross,fee,net,reporting_category,"
                 "description,charge_id,source_id,automatic_payout_id,payment_metadata[invoice],"
                 "invoice (metadata)")
STRIPE_ROWS = [
    "txn_1,2026-11-02 23:59:59,usd,50.00,1.75,48.25,charge,Invoice 1,ch_1,ch_1,po_1,10911,",
    "txn_2,2026-11-02,usd,50.00,1.75,48.00,charge,,ch_2,ch_2,po_1,,",
    "txn_3,2026-11-02,jpy,50.5,0,50.5,charge,,,py_3,,,10912",
    "txn_4,2026-11-31,usd,1,0,1,refund,,ch_1,,,,", "txn_5,2026-11-02,xx,1,0,1,charge,,,,,,",
    "txn_6,2026-11-02,usd,\"1,250.00\",0.00,\"1,250.00\",payout,,,po_9,,,",
    "txn_7,2026-11-02,usd,-10.00,0,-10.00,adjustment,Chargeback withdrawal for ch_7,,,,,",
    "txn_8,2026-11-02,usd,10.001,0,10.001,charge,,,,,,", ",2026-11-02,usd,1,0,1,charge,,,,,,",
    "txn_9,2026-11-02,usd,(5.00),0,(5.00),fee,,,,,,",
    "txn_10,2026-11-02,usd,5.000,0,5,charge,,,,,,",
    "txn_11,2026-11-02,usd,1" + "0" * 24 + ",0,1" + "0" * 24 + ",charge,,,,,,", "", "  ,  ",
    "txn_12,2026-11-02,usd,1,0", "txn_13,2026-11-02,EUR,-0.00,0,0,Dispute_Reversal,,ch_3,,,a,b",
]
PAYPAL_HEADER = ('"Date","Time","TimeZone","Name","Type","Status","Currency","Gross","Fee","Net",'
                 '"From Email Address","To Email Address","Transaction ID","Reference Txn ID",'
                 '"Invoice Number","Subject"')
PAYPAL_ROWS = [
    '"02/11/2026","10:00:00","PST","Rina","Express Checkout Payment","Completed","USD",'
    '"50.00","-1.75","48.25","r@x.id","","T1","","10911","Hosting"',
    '"13/11/2026","10:00:00","PST","Rina","Refund","Completed","USD","-50.00","1.75",'
    '"-48.25","","r@x.id","T2","T1","",""',
    '"02/11/2026","","","","General Currency Conversion","Completed","EUR","10.00","",'
    '"10.00","","","T3","X","",""',
    '"02/11/2026","","","","Mystery Type","Completed","USD","10.00","0","10.00","","","T4",'
    '"","",""', '"02/11/2026","","","","Express Checkout Payment","Weird","USD","10.00","0",'
    '"10.00","","","T5","","",""', '"02/11/2026","","","","Express Checkout Payment",'
    '"Completed","USD","10.00","0","9.00","","","T6","","",""', '"02/11/2026","","","",'
    '"Express Checkout Payment","Completed","JPY","10.5","0","10.5","","","T7","","",""',
    '"02/11/2026","","","","Express Checkout Payment","Completed","USD","1 234.00","0",'
    '"1 234.00","","","T8","","",""', '"","","","","Refund","","USD","1","0","1","","","T9",'
    '"","",""',
]


def sample_files(pattern: str = "*") -> list[Path]:
    return sorted(p for folder in FOLDERS if folder.is_dir() for p in folder.rglob(pattern)
                  if p.is_file() and p.suffix.lower() in (".csv", ".txt", ".tsv"))


def assert_same(parser, source: SourceFile) -> ParseResult:
    frames, records = parser.parse(source), parser.parse_records(source)
    assert frames.refusal == records.refusal
    assert list(frames.records) == list(records.records)
    assert frames.rejects == records.rejects and frames.warnings == records.warnings
    return frames


def write(tmp_path: Path, text: str, name: str = "data.csv") -> SourceFile:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return SourceFile(path)


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_every_sample_and_real_world_file_reads_the_same_through_frames(path):
    source = SourceFile(path)
    claimed = [parser for parser in PARSERS.values() if parser.identify(source)]
    for parser in claimed:
        assert_same(parser, source)


def test_broken_stripe_rows_give_the_same_records_rejects_and_warnings(tmp_path):
    text = "\n".join([STRIPE_HEADER, *STRIPE_ROWS, STRIPE_ROWS[0][:20]])
    result = assert_same(PARSERS["stripe"], write(tmp_path, text))
    assert isinstance(result.records, RecordFrame) and len(result.rejects) >= 5
    assert result.warnings  # the cut last row


def test_broken_paypal_rows_give_the_same_records_rejects_and_warnings(tmp_path):
    result = assert_same(PARSERS["paypal"], write(tmp_path, "\n".join([PAYPAL_HEADER,
                                                                          *PAYPAL_ROWS])))
    assert isinstance(result.records, RecordFrame) and result.rejects and result.warnings


def test_a_bank_statement_comes_as_a_frame_then_its_balances(tmp_path):
    path = ROOT / "sample_data" / "demo"
    found = [p for p in sample_files() if PARSERS["bank-csv"].identify(SourceFile(p))]
    result = assert_same(PARSERS["bank-csv"], SourceFile(found[0] if found else path))
    assert isinstance(result.records, RecordGroups)
    assert isinstance(result.records.parts[0], RecordFrame)


@pytest.mark.parametrize("size", [1, 3, 7, 500])
def test_stripe_chunk_boundaries_change_nothing(tmp_path, size):
    source = write(tmp_path, "\n".join([STRIPE_HEADER, *STRIPE_ROWS * 3]) + "\n")

    def extra(header):
        return {stripe_frames.meta_name(p): p for p in stripe.metadata_columns(header)}

    table = read_texts(source.path.read_bytes(), stripe.COLUMNS, "stripe", extra, size)
    frame, rejects = stripe_frames.read_rows(source, table.rows,
                                             stripe.metadata_columns(table.header.cells))
    cut, _ = csvspec.truncation(table, partial(source.reject, stripe.FORMAT))
    reference = PARSERS["stripe"].parse_records(source)
    assert list(RecordFrame(stripe.GatewayTransaction, frame)) == list(reference.records)
    assert rejects + cut == reference.rejects


@pytest.mark.parametrize("bad", [199, 200, 201])
@pytest.mark.parametrize("fmt", ["stripe", "paypal"])
def test_a_file_of_junk_is_refused_exactly_when_row_by_row_refuses_it(tmp_path, bad, fmt):
    header, good = ((STRIPE_HEADER, STRIPE_ROWS[0]) if fmt == "stripe"
                    else (PAYPAL_HEADER, PAYPAL_ROWS[0]))
    junk = good.replace("50.00", "abc")
    assert_same(PARSERS[fmt], write(tmp_path, "\n".join([header, *[junk] * bad, good])))


def test_a_generated_months_files_read_the_same_through_frames(tmp_path):
    from sample_data.world import generate

    generate(1, tmp_path, 300)
    checked = 0
    for path in sorted(tmp_path.iterdir()):
        source = SourceFile(path)
        for parser in PARSERS.values():
            if path.suffix == ".csv" and parser.identify(source):
                result = assert_same(parser, source)
                checked += bool(len(result.records))
    assert checked >= 3
