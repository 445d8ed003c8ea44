"""Records -> the store's columns, taken column-wise; amounts beyond 64 bits set aside."""

import datetime as dt

from pipeline.models import GatewayTransaction, Invoice, Origin
from pipeline.store.rows import gateway_columns, invoice_columns, split_storable, take

ORIGIN = Origin(source_file="stripe.csv", source_sha256="ab" * 32, source_format="stripe",
                source_line=4, source_ref="ch_1")
DAY = dt.date(2026, 11, 2)


def _charge(txn: str, gross: int, fee: int = 0) -> GatewayTransaction:
    return GatewayTransaction(gateway="btcpay", transaction_id=txn, kind="charge",
                              created_date=DAY, gross_minor=gross, fee_minor=fee,
                              net_minor=gross - fee, currency="ETH",
                              origin=ORIGIN.model_copy(update={"source_ref": txn}))


def test_records_within_64_bits_are_all_kept_as_they_came():
    records = [_charge("a", 10**18), _charge("b", -(10**18))]
    assert split_storable(records) == (records, [])


def test_an_amount_beyond_64_bits_is_rejected_naming_its_first_field_and_the_order_kept():
    records = [_charge("a", 1), _charge("b", 2, fee=10**20), _charge("c", 3),
               _charge("d", 11 * 10**18, fee=10**20)]

    kept, rejects = split_storable(records)

    assert [r.transaction_id for r in kept] == ["a", "c"]
    assert [(r.source_ref, r.reason.split()[0]) for r in rejects] == [
        ("b", "fee_minor"), ("d", "gross_minor")]


def test_columns_hold_plain_values_with_the_records_origin():
    invoice = Invoice(invoice_number="10234", client_id="C1", currency="idr", issue_date=DAY,
                      due_date=DAY, total_minor=5, balance_minor=5, status="Overdue",
                      origin=ORIGIN)

    columns = invoice_columns([invoice], file_id=7)

    assert type(columns["status"][0]) is str and columns["status"] == ["Overdue"]
    assert (columns["currency"], columns["source_file_id"], columns["source_line"]) == (
        ["IDR"], [7], [4])


def test_gateway_metadata_is_stored_as_sorted_json_and_kinds_as_text():
    charge = _charge("a", 1).model_copy(update={"metadata": {"z": "1", "a": "é"}})

    columns = gateway_columns([charge], file_id=None)

    assert columns["metadata_json"] == ['{"a": "é", "z": "1"}']
    assert type(columns["kind"][0]) is str and "metadata" not in columns


def test_take_keeps_the_rows_asked_for_in_that_order():
    assert take({"a": [1, 2, 3], "b": ["x", "y", "z"]}, [2, 0]) == {"a": [3, 1], "b": ["z", "x"]}
