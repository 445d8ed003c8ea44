"""Records held in a frame: the store takes the same columns from the frame as from the
records it holds, and sets aside the same amounts past 64 bits."""

import datetime as dt
import gc

import pandas as pd
import pytest

from pipeline.models import Client, Invoice, Origin
from pipeline.record_frames import RecordFrame, collector_paused
from pipeline.store.rows import client_columns, invoice_columns, split_storable

DAY = dt.date(2026, 11, 2)


def origin(ref: str) -> Origin:
    return Origin(source_file="invoices.json", source_sha256="ab" * 32,
                  source_format="whmcs-invoices", source_ref=ref)


def invoice(number: str, total: int) -> Invoice:
    return Invoice(invoice_number=number, invoice_id=number, client_id="7", issue_date=DAY,
                   due_date=DAY, total_minor=total, balance_minor=total, currency="USD",
                   status="Unpaid", origin=origin(number))


def framed(records: list) -> RecordFrame:
    rows = [{**{k: v for k, v in r.__dict__.items() if k != "origin"}, **r.origin.__dict__}
            for r in records]
    return RecordFrame(type(records[0]), pd.DataFrame(rows, dtype=object))


def test_a_frame_is_the_sequence_of_the_records_it_holds():
    records = [invoice("1", 100), invoice("2", 250)]
    frame = framed(records)
    assert len(frame) == 2 and frame == records and list(frame) == records
    assert frame[1] == records[1] and frame[-1] == records[-1] and frame[:1] == records[:1]


def test_a_frame_without_one_of_its_models_fields_is_refused():
    with pytest.raises(ValueError, match="lacks total_minor"):
        RecordFrame(Invoice, framed([invoice("1", 100)]).frame.drop(columns="total_minor"))


def test_the_store_takes_the_same_columns_from_a_frame_as_from_its_records():
    invoices = [invoice("1", 100), invoice("2", 250)]
    clients = [Client(client_id="7", name="Rina", created_at=DAY, origin=origin("7")),
               Client(client_id="8", origin=origin("8"))]
    assert invoice_columns(framed(invoices), 3) == invoice_columns(invoices, 3)
    assert client_columns(framed(clients), 3) == client_columns(clients, 3)


def test_amounts_past_64_bits_are_set_aside_from_a_frame_as_from_records():
    records = [invoice("1", 100), invoice("2", 10**20), invoice("3", -(10**19))]
    kept, rejects = split_storable(framed(records))
    assert isinstance(kept, RecordFrame)
    assert (list(kept), rejects) == split_storable(records)


def test_the_collector_is_paused_inside_and_back_as_it_was_after_nested_pauses():
    assert gc.isenabled()
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_failing_parse_inside_a_pause_still_gives_the_collector_back():
    @collector_paused()
    def parse():
        raise ValueError("broken file")

    with pytest.raises(ValueError):
        parse()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()
