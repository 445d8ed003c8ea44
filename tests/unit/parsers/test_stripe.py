"""Stripe itemized balance reports and the Dashboard balance-history export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from parsers.base import SourceFile
from parsers.stripe import StripeParser
from pipeline.models import GatewayKind

ROOT = Path(__file__).resolve().parents[3]
BAD = ROOT / "sample_data" / "bad"
ITEMIZED = ("balance_transaction_id,created_utc,available_on_utc,currency,gross,fee,net,"
            "reporting_category,description,charge_id,source_id,automatic_payout_id,"
            "payment_metadata[invoice_id]\n")
DASHBOARD = ("id,Type,Source,Amount,Fee,Net,Currency,Created (UTC),Available On (UTC),"
             "Description,Customer Facing Amount,Customer Facing Currency,Transfer,"
             "Transfer Date (UTC),Invoice_Number (metadata)\n")




@pytest.fixture
def parse(tmp_path):
    def run(text: str, name: str = "stripe.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return StripeParser().parse(SourceFile(path))
    return run


def row(txn="txn_1", category="charge", gross="50.00", fee="1.75", net="48.25",
        description="Invoice 10911", charge="ch_1", source="ch_1", payout="po_1", invoice=""):
    return (f"{txn},2026-11-02 23:59:59,2026-11-04 00:00:00,usd,{gross},{fee},{net},"
            f"{category},{description},{charge},{source},{payout},{invoice}\n")


def test_an_itemized_charge_keeps_gross_fee_net_and_the_invoice_from_its_metadata(parse):
    result = parse(ITEMIZED + row(invoice="10911"))
    (charge,) = result.records
    assert (charge.kind, charge.gross_minor, charge.fee_minor, charge.net_minor) == (
        GatewayKind.CHARGE, 5000, 175, 4825)
    assert (charge.transaction_id, charge.currency, charge.invoice_ref) == ("txn_1", "USD",
                                                                           "10911")
    assert charge.metadata == {"invoice_id": "10911"} and charge.payout_id == "po_1"
    assert (charge.origin.source_line, charge.origin.source_ref) == (2, "txn_1")
    assert result.rejects == [] and result.refusal is None


def test_the_created_date_is_the_utc_date_as_written_not_shifted(parse):
    (charge,) = parse(ITEMIZED + row()).records
    assert charge.created_date == dt.date(2026, 11, 2)


def test_a_row_whose_net_is_not_gross_minus_fee_is_rejected_and_the_rest_is_kept(parse):
    result = parse(ITEMIZED + row(txn="txn_bad", net="48.00") + row(txn="txn_ok"))
    assert [r.transaction_id for r in result.records] == ["txn_ok"]
    (reject,) = result.rejects
    assert "net does not equal gross minus fee" in reject.reason
    assert (reject.source_line, reject.source_ref) == (2, "txn_bad")


@pytest.mark.parametrize(("category", "kind"), [
    ("charge", GatewayKind.CHARGE), ("payment", GatewayKind.CHARGE),
    ("refund", GatewayKind.REFUND), ("payment_refund", GatewayKind.REFUND),
    ("dispute", GatewayKind.DISPUTE), ("dispute_reversal", GatewayKind.DISPUTE),
    ("payout", GatewayKind.PAYOUT), ("payout_reversal", GatewayKind.PAYOUT),
    ("fee", GatewayKind.FEE), ("stripe_fee", GatewayKind.FEE), ("network_cost", GatewayKind.FEE),
    ("other_adjustment", GatewayKind.ADJUSTMENT), ("refund_failure", GatewayKind.ADJUSTMENT),
])
def test_each_reporting_category_maps_to_its_kind_and_stays_in_the_status(parse, category, kind):
    (record,) = parse(ITEMIZED + row(category=category)).records
    assert (record.kind, record.status) == (kind, category)


def test_refunds_and_disputes_point_at_their_charge_and_charges_carry_their_own_id(parse):
    text = ITEMIZED + row() + row(txn="txn_2", category="refund", gross="-10.00", fee="0.00",
                                  net="-10.00", charge="ch_1", source="re_9")
    charge, refund = parse(text).records
    assert charge.related_id == refund.related_id == "ch_1"


def test_a_payout_row_is_its_own_payout_when_the_payout_column_is_empty(parse):
    text = ITEMIZED + row(category="payout", gross="-48.25", fee="0.00", net="-48.25",
                          charge="", source="po_7", payout="")
    (payout,) = parse(text).records
    assert (payout.kind, payout.payout_id, payout.related_id) == (GatewayKind.PAYOUT, "po_7", "")


def test_more_decimals_than_the_currency_has_is_a_reject(parse):
    (reject,) = parse(ITEMIZED + row(gross="50.001", net="48.251")).rejects
    assert "more decimals than USD allows" in reject.reason


def test_a_file_with_only_some_of_the_optional_columns_is_read(parse):
    text = ('"balance_transaction_id","created_utc","currency","gross","fee","net",'
            '"reporting_category"\n"txn_9","2026-01-23 08:26:29","eur","12.00","0.00","12.00",'
            '"charge"\n')
    (record,) = parse(text).records
    assert (record.currency, record.description, record.invoice_ref) == ("EUR", "", "")


def test_a_header_without_the_core_columns_is_refused(parse):
    result = parse("balance_transaction_id,reporting_category,gross\ntxn_1,charge,1.00\n")
    assert "header lacks" in result.refusal and "created_utc" in result.refusal


def test_a_header_only_export_gives_no_records_and_no_refusal(parse):
    result = parse(ITEMIZED)
    assert (result.records, result.rejects, result.refusal) == ([], [], None)


@pytest.mark.parametrize("key", ["invoice", "Invoice_ID", "invoiceNumber", "INVOICEID",
                                 "invoice-number"])
def test_the_invoice_reference_comes_from_any_invoice_like_metadata_key(parse, key):
    text = ("balance_transaction_id,created_utc,currency,gross,fee,net,reporting_category,"
            f"payment_metadata[order],payment_metadata[{key}]\n"
            "txn_1,2026-11-02 00:00:00,usd,5.00,0.00,5.00,charge,A-77,INV-2026-00123\n")
    (record,) = parse(text).records
    assert record.invoice_ref == "INV-2026-00123"
    assert record.metadata == {"order": "A-77", key: "INV-2026-00123"}


def test_without_an_invoice_like_metadata_key_the_invoice_reference_is_empty(parse):
    text = ("balance_transaction_id,created_utc,currency,gross,fee,net,reporting_category,"
            "payment_metadata[invoice_notes],refund_metadata[invoice_id]\n"
            "txn_1,2026-11-02 00:00:00,usd,5.00,0.00,5.00,charge,see ticket,10911\n")
    (record,) = parse(text).records
    assert record.invoice_ref == ""
    assert record.metadata == {"invoice_notes": "see ticket",
                               "refund_metadata[invoice_id]": "10911"}


def test_the_dashboard_export_reads_type_source_transfer_and_metadata_columns(parse):
    text = DASHBOARD + ("txn_9,charge,ch_9,\"1,200.00\",35.10,1164.90,usd,2026-11-03 10:20,"
                        "2026-11-05 00:00,Invoice 10913,1200.00,usd,po_9,2026-11-06 00:00,"
                        "10913\n")
    (record,) = parse(text).records
    assert (record.kind, record.gross_minor, record.fee_minor, record.net_minor) == (
        GatewayKind.CHARGE, 120000, 3510, 116490)
    assert (record.related_id, record.payout_id, record.invoice_ref) == ("ch_9", "po_9", "10913")
    assert record.metadata == {"Invoice_Number": "10913"}
    assert record.created_date == dt.date(2026, 11, 3)


def test_a_dashboard_chargeback_adjustment_is_a_dispute_of_the_charge_it_names(parse):
    text = DASHBOARD + ("txn_5,adjustment,du_5,-849.00,15.00,-864.00,usd,2026-07-13 19:29,"
                        "2026-07-13 19:29,Chargeback withdrawal for ch_18RUCq2kd,,,po_5,"
                        "2026-07-15 00:00,\n")
    (record,) = parse(text).records
    assert (record.kind, record.related_id, record.status) == (
        GatewayKind.DISPUTE, "ch_18RUCq2kd", "adjustment")


def test_a_dashboard_refund_keeps_the_returned_fee_as_a_negative_fee(parse):
    text = DASHBOARD + ("txn_6,refund,ch_6,-249.00,-7.52,-241.48,usd,2016-07-25 15:34,"
                        "2016-07-25 15:34,REFUND FOR CHARGE,-249.00,usd,po_6,2016-07-27 00:00,\n")
    (record,) = parse(text).records
    assert (record.kind, record.fee_minor, record.net_minor, record.related_id) == (
        GatewayKind.REFUND, -752, -24148, "ch_6")


def test_a_dashboard_amount_with_a_decimal_comma_is_rejected_not_guessed(parse):
    text = DASHBOARD + ("txn_7,charge,ch_7,\"60,00\",\"1,04\",\"58,96\",eur,2026-03-05 10:00,"
                        "2026-03-10 00:00,x,,,po_7,,\n")
    (reject,) = parse(text).rejects
    assert "decimal separator" in reject.reason


def test_a_formula_in_a_description_is_kept_as_plain_text():
    result = StripeParser().parse(SourceFile(BAD / "stripe-formula-text.csv"))
    (record,) = result.records
    assert record.description == '=HYPERLINK("http://evil.example/x","Invoice 10922")'
    assert [r.source_line for r in result.rejects] == [3]


def test_identify_claims_both_layouts_and_nothing_else(tmp_path):
    files = {"itemized.csv": ITEMIZED, "dashboard.csv": DASHBOARD,
             "paypal.csv": '"Date","Type","Gross","Fee","Net","Transaction ID"\n',
             "bank.csv": "Date,Description,Amount,Currency,Reference\n",
             "payments.csv": "id,Description,Created (UTC),Amount,Currency,Status\n"}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    claimed = {name for name in files if StripeParser().identify(SourceFile(tmp_path / name))}
    assert claimed == {"itemized.csv", "dashboard.csv"}








