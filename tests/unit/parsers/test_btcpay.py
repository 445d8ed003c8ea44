"""BTCPay Server invoice exports: legacy per-payment CSV/JSON and the Invoices report."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from parsers.base import SourceFile
from parsers.btcpay import BtcpayParser
from pipeline.models import GatewayKind

LEGACY = ("ReceivedDate,OrderId,InvoiceId,InvoiceCreatedDate,PaymentId,CryptoCode,Paid,"
          "NetworkFee,ConversionRate,PaidCurrency,InvoiceCurrency,InvoicePrice,InvoiceItemDesc,"
          "InvoiceStatus,InvoiceExceptionStatus,BuyerEmail,Accounted\n")
REPORT = ("InvoiceCreatedDate,InvoiceId,InvoiceCurrency,InvoiceDue,InvoicePrice,"
          "InvoiceFullStatus,InvoiceStatus,InvoiceExceptionStatus,InvoiceComment,"
          "PaymentReceivedDate,PaymentId,PaymentRate,PaymentAddress,PaymentMethodId,"
          "PaymentCurrency,PaymentAmount,PaymentMethodFee,PaymentInvoiceAmount,orderId,"
          "buyerEmail\n")




@pytest.fixture
def parse(tmp_path):
    def run(text: str, name: str = "btcpay.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return BtcpayParser().parse(SourceFile(path))
    return run


def row(invoice="INV1", order="10914", paid="0.00125000", rate="40000.00", price="50.00",
        status="complete", exception="", payment="p1", accounted="True", created="2026-11-04"):
    cells = ["2026-11-04T02:31:09Z", order, invoice, f"{created}T02:20:41Z", payment,
             "BTC" if paid else "", paid, "0.00000000" if paid else "", rate if paid else "",
             "", "USD", price, "VPS Basic", status, exception, "siti@example.co.id", accounted]
    return ",".join(f'"{c}"' for c in cells) + "\n"


def test_a_settled_invoice_is_a_charge_for_the_order_in_the_invoice_currency(parse):
    result = parse(LEGACY + row())
    (charge,) = result.records
    assert (charge.kind, charge.status, charge.gross_minor, charge.net_minor) == (
        GatewayKind.CHARGE, "complete", 5000, 5000)
    assert (charge.transaction_id, charge.invoice_ref, charge.currency) == ("INV1", "10914",
                                                                           "USD")
    assert (charge.created_date, charge.customer_email) == (dt.date(2026, 11, 4),
                                                            "siti@example.co.id")
    assert charge.metadata["paid_BTC"] == "0.00125000"
    assert charge.metadata["rate_BTC"] == "40000.00"
    assert result.rejects == [] and result.refusal is None


def test_a_settled_invoice_whose_paid_times_rate_is_inexact_keeps_its_invoice_price(parse):
    (charge,) = parse(LEGACY + row(paid="0.00124622", rate="40120.00")).records
    assert charge.gross_minor == 5000
    assert charge.metadata["paid_in_invoice_currency"] == "49.9983464"


def test_a_settled_invoice_paid_exactly_below_price_within_tolerance_keeps_what_was_paid(parse):
    (charge,) = parse(LEGACY + row(paid="0.00124000", rate="40000.00")).records
    assert charge.gross_minor == 4960


def test_a_partial_payment_is_a_charge_for_the_exact_amount_paid(parse):
    text = LEGACY + row(paid="0.00050000", rate="40120.00", price="100.00", status="expired",
                        exception="paidPartial")
    (charge,) = parse(text).records
    assert (charge.kind, charge.status, charge.gross_minor) == (GatewayKind.CHARGE,
                                                               "paid_partial", 2006)
    assert charge.metadata["invoice_status"] == "expired"


def test_a_partial_payment_whose_paid_times_rate_is_inexact_is_rejected_not_rounded(parse):
    text = LEGACY + row(invoice="A", paid="0.00030000", rate="40123.45", status="expired",
                        exception="paidPartial") + row(invoice="B", order="10930")
    result = parse(text)
    assert [r.transaction_id for r in result.records] == ["B"]
    (reject,) = result.rejects
    assert "12.037035 has more decimals than USD allows" in reject.reason
    assert (reject.source_line, reject.source_ref) == (2, "A")


def test_an_overpayment_is_a_charge_marked_paid_over(parse):
    (charge,) = parse(LEGACY + row(paid="0.00130000", exception="paidOver")).records
    assert (charge.kind, charge.status, charge.gross_minor) == (GatewayKind.CHARGE, "paid_over",
                                                               5200)


@pytest.mark.parametrize(("status", "exception", "paid", "expected"), [
    ("expired", "", "", (GatewayKind.OTHER, "expired", 0)),
    ("new", "", "", (GatewayKind.OTHER, "new", 0)),
    ("invalid", "", "0.00125000", (GatewayKind.OTHER, "invalid", 5000)),
    ("complete", "marked", "", (GatewayKind.OTHER, "marked", 0)),
    ("paid", "", "0.00125000", (GatewayKind.OTHER, "paid", 5000)),
    ("Settled", "", "0.00125000", (GatewayKind.CHARGE, "Settled", 5000)),
    ("confirmed", "", "0.00125000", (GatewayKind.CHARGE, "confirmed", 5000)),
    ("expired", "paidLate", "0.00125000", (GatewayKind.CHARGE, "paid_late", 5000)),
])
def test_statuses_map_to_kinds_and_keep_the_status(parse, status, exception, paid, expected):
    (record,) = parse(LEGACY + row(status=status, exception=exception, paid=paid)).records
    assert (record.kind, record.status, record.gross_minor) == expected


def test_several_payments_of_one_invoice_make_one_record_at_its_first_line(parse):
    text = LEGACY + row(invoice="B", order="10930") + row(
        paid="0.00025000", exception="paidOver", payment="p1") + row(
        paid="0.00100000", exception="paidOver", payment="p2")
    other, charge = parse(text).records
    assert (charge.transaction_id, charge.origin.source_line, charge.gross_minor) == ("INV1", 3,
                                                                                     5000)
    assert (charge.metadata["paid_BTC"], charge.metadata["payments"]) == ("0.00125000", "2")


def test_a_payment_btcpay_does_not_account_for_is_left_out(parse):
    text = LEGACY + row(paid="0.00125000") + row(paid="0.00125000", payment="rbf",
                                                 accounted="False")
    (charge,) = parse(text).records
    assert charge.gross_minor == 5000 and charge.metadata["payments"] == "1"


def test_an_unreadable_row_rejects_its_invoice_and_keeps_the_others(parse):
    text = LEGACY + row(invoice="A", paid="0.0012x") + row(invoice="B", order="10930")
    result = parse(text)
    assert [r.transaction_id for r in result.records] == ["B"]
    assert "Paid" in result.rejects[0].reason and result.rejects[0].source_ref == "A"


def test_a_payment_without_a_rate_is_rejected(parse):
    text = LEGACY.replace("ConversionRate", "Rate") + row()
    (reject,) = parse(text).rejects
    assert "has no rate" in reject.reason


def test_the_invoices_report_carries_invoice_cells_on_the_first_payment_row_only(parse):
    text = REPORT + (
        "2026-11-09T20:01:10Z,INV7,USD,0,30.00,Settled (PaidOver),Settled,PaidOver,,"
        "2026-11-09T20:05:33Z,p1,40000.00,lnbc1,BTC-LN,BTC,0.00040000,0,16.00,10917,"
        "fajar@example.com\n"
        "2026-11-09T20:01:10Z,INV7,,,,,,,,2026-11-09T20:09:12Z,p2,40000.00,lnbc2,BTC-LN,BTC,"
        "0.00040000,0,16.00,,\n")
    (charge,) = parse(text).records
    assert (charge.kind, charge.status, charge.gross_minor, charge.invoice_ref) == (
        GatewayKind.CHARGE, "paid_over", 3200, "10917")
    assert charge.customer_email == "fajar@example.com"


def test_the_legacy_json_export_is_read_like_the_csv(parse):
    items = [{"ReceivedDate": "2026-11-04T02:31:09Z", "StoreId": "S", "OrderId": "10914",
              "InvoiceId": "INV1", "InvoiceCreatedDate": "2026-11-04T02:20:41Z",
              "PaymentId": "p1", "CryptoCode": "BTC", "Paid": "0.00125000",
              "NetworkFee": "0.0", "ConversionRate": 40000.00, "PaidCurrency": "50.00",
              "InvoiceCurrency": "USD", "InvoiceDue": 0.0, "InvoicePrice": 50.00,
              "InvoiceStatus": "complete", "InvoiceExceptionStatus": "", "BuyerEmail": None}]
    text = json.dumps(items, indent=2).replace("40000.0", "40000.00")
    (charge,) = parse(text, name="export.json").records
    assert (charge.gross_minor, charge.invoice_ref, charge.origin.source_line) == (5000, "10914",
                                                                                  None)


def test_an_empty_json_export_gives_no_records_and_no_refusal(parse):
    result = parse("[]", name="export.json")
    assert (result.records, result.rejects, result.refusal) == ([], [], None)


def test_dotnet_invariant_dates_are_read_month_first(parse):
    text = LEGACY + row().replace("2026-11-04T02:20:41Z", "11/04/2026 02:20:41")
    (charge,) = parse(text).records
    assert charge.created_date == dt.date(2026, 11, 4)


def test_identify_claims_btcpay_exports_and_nothing_else(tmp_path):
    files = {"legacy.csv": LEGACY, "report.csv": REPORT,
             "export.json": '[\n  {\n    "OrderId": "1",\n    "InvoiceId": "X",\n'
                            '    "InvoiceStatus": "complete"\n  }\n]',
             "invoices.csv": "invoice_number,client_id,issue_date,due_date,total,balance,"
                             "currency,status\n",
             "whmcs.json": '{"result":"success","invoices":{"invoice":[]}}',
             "bank.csv": "Date,Description,Amount,Invoice Id\n"}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    claimed = {name for name in files if BtcpayParser().identify(SourceFile(tmp_path / name))}
    assert claimed == {"legacy.csv", "report.csv", "export.json"}








