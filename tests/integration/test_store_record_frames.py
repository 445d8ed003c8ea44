"""A WHMCS response read into a frame is stored exactly as its records are, on SQLite and
on PostgreSQL: the same rows, counts, history and rejects."""

from __future__ import annotations

import json

from parsers.base import SourceFile
from parsers.whmcs import WhmcsClientsParser, WhmcsInvoicesParser
from pipeline.record_frames import RecordFrame
from pipeline.store import Store

INVOICES = [
    {"id": n, "userid": 7, "firstname": "Rina", "lastname": "", "invoicenum": "",
     "date": "2026-11-02", "duedate": "2026-11-16", "total": total, "credit": "0.00",
     "status": status, "currencycode": "USD"}
    for n, total, status in [(1, "10.00", "Unpaid"), (2, "20.00", "Paid"), (1, "11.00", "Unpaid"),
                             (3, "1" + "0" * 20, "Unpaid"), (4, "1.001", "Unpaid")]
]
CLIENTS = [{"id": 7, "firstname": "Rina", "datecreated": "2025-03-11"},
           {"id": 8, "companyname": "PT Kopi", "datecreated": "0000-00-00"}, {"id": ""}]


def parsed(tmp_path, parser, plural, singular, items):
    path = tmp_path / f"{plural}.json"
    path.write_text(json.dumps({"result": "success", plural: {singular: items}}))
    source = SourceFile(path)
    return source, parser.parse(source)


def stored(store: Store, source, result, kind):
    counts = store.ingest(file_name=source.name, sha256=source.sha256, fmt="whmcs", kind=kind,
                          size_bytes=1, records=result.records, rejects=result.rejects,
                          warnings=[])
    tables = {"invoices": store.load_invoices(), "clients": store.load_clients(),
              "rejects": store.load_rejects()}
    return counts, {name: frame.drop(columns=[c for c in frame if c in ("id", "source_file_id")])
                    .to_dict("records") for name, frame in tables.items()}


def test_a_frame_stores_what_its_records_store(store, tmp_path):
    reference = Store(f"sqlite:///{tmp_path / 'records.db'}")
    try:
        for parser, plural, singular, items in [
                (WhmcsInvoicesParser(), "invoices", "invoice", INVOICES),
                (WhmcsClientsParser(), "clients", "client", CLIENTS)]:
            source, result = parsed(tmp_path, parser, plural, singular, items)
            assert isinstance(result.records, RecordFrame)
            as_records = type(result)(records=list(result.records), rejects=result.rejects)
            assert stored(store, source, result, plural) == stored(
                reference, source, as_records, plural)
    finally:
        reference.close()


def stored_money(store: Store, source, result, fmt, kind):
    counts = store.ingest(file_name=source.name, sha256=source.sha256, fmt=fmt, kind=kind,
                          size_bytes=1, records=result.records, rejects=result.rejects,
                          warnings=result.warnings)
    tables = {"payments": store.load_payments(), "bank": store.load_bank_transactions(),
              "balances": store.load_statement_balances(), "rejects": store.load_rejects()}
    return counts, {name: frame.drop(columns=[c for c in frame if c in ("id", "source_file_id")])
                    .to_dict("records") for name, frame in tables.items()}


def test_gateway_and_bank_frames_store_what_their_records_store(store, tmp_path):
    from parsers.bank_csv import BankCsvParser
    from parsers.paypal import PaypalParser
    from parsers.stripe import StripeParser
    from sample_data.world import generate

    generate(1, tmp_path / "world", 60)
    files = sorted((tmp_path / "world").glob("*.csv"))
    reference = Store(f"sqlite:///{tmp_path / 'records.db'}")
    try:
        for parser in (StripeParser(), PaypalParser(), BankCsvParser()):
            for path in files:
                source = SourceFile(path)
                if not parser.identify(source):
                    continue
                frames, records = parser.parse(source), parser.parse_records(source)
                assert not isinstance(frames.records, list)
                assert stored_money(store, source, frames, parser.format, parser.kind) == \
                    stored_money(reference, source, records, parser.format, parser.kind)
    finally:
        reference.close()
