"""PayPal activity download and statement CSVs."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers.base import SourceFile
from parsers.paypal import PaypalParser
from pipeline.models import GatewayKind

HEADER = ('"Date","Time","TimeZone","Name","Type","Status","Currency","Gross","Fee","Net",'
          '"From Email Address","To Email Address","Transaction ID","Reference Txn ID",'
          '"Invoice Number","Subject"\n')
STATEMENT = ('"Date","Time","Time Zone","Description","Currency","Gross","Fee","Net","Balance",'
             '"Transaction ID","From Email Address","Name","Bank Name","Bank Account",'
             '"Shipping and Handling Amount","Sales Tax","Invoice ID","Reference Txn ID"\n')




@pytest.fixture
def parse(tmp_path):
    def run(text: str, name: str = "paypal.csv", bom: bool = False):
        path = tmp_path / name
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
        return PaypalParser().parse(SourceFile(path))
    return run


def row(date="13/11/2026", kind="Website Payment", gross="85.00", fee="-3.46", net="81.54",
        txn="TX1", ref="", invoice="10912", status="Completed", name="Budi Santoso",
        sender="budi@example.co.id", receiver="billing@hosting.example", subject="INV 10912"):
    cells = [date, "09:12:44", "PST", name, kind, status, "USD", gross, fee, net, sender,
             receiver, txn, ref, invoice, subject]
    return ",".join(f'"{c}"' for c in cells) + "\n"


def test_a_website_payment_is_a_charge_with_the_fee_taken_as_a_positive_amount(parse):
    result = parse(HEADER + row(), bom=True)
    (charge,) = result.records
    assert (charge.kind, charge.gross_minor, charge.fee_minor, charge.net_minor) == (
        GatewayKind.CHARGE, 8500, 346, 8154)
    assert (charge.transaction_id, charge.invoice_ref, charge.status) == ("TX1", "10912",
                                                                          "Completed")
    assert (charge.customer_name, charge.customer_email) == ("Budi Santoso", "budi@example.co.id")
    assert (charge.description, charge.origin.source_line) == ("INV 10912", 2)
    assert charge.metadata == {"type": "Website Payment", "time": "09:12:44", "time_zone": "PST"}
    assert result.rejects == [] and result.refusal is None


def test_thousands_separators_in_quoted_amounts_are_read(parse):
    (charge,) = parse(HEADER + row(gross="1,653.75", fee="-73.07", net="1,580.68")).records
    assert (charge.gross_minor, charge.fee_minor, charge.net_minor) == (165375, 7307, 158068)


def test_a_row_whose_net_is_not_gross_plus_the_negative_fee_is_rejected(parse):
    result = parse(HEADER + row(net="85.00", txn="TXBAD") + row(txn="TXOK"))
    assert [r.transaction_id for r in result.records] == ["TXOK"]
    (reject,) = result.rejects
    assert "net does not equal gross" in reject.reason and reject.source_ref == "TXBAD"


def test_a_refund_points_at_its_payment_and_keeps_the_returned_fee(parse):
    text = HEADER + row(kind="Payment Refund", gross="-40.00", fee="1.40", net="-38.60",
                        txn="TXR", ref="TX1", sender="billing@hosting.example",
                        receiver="dewi@example.com")
    (refund,) = parse(text).records
    assert (refund.kind, refund.related_id, refund.fee_minor, refund.net_minor) == (
        GatewayKind.REFUND, "TX1", -140, -3860)
    assert refund.customer_email == "dewi@example.com"


@pytest.mark.parametrize(("paypal_type", "gross", "kind"), [
    ("General Payment", "10.00", GatewayKind.CHARGE),
    ("Express Checkout Payment", "10.00", GatewayKind.CHARGE),
    ("Subscription Payment", "10.00", GatewayKind.CHARGE),
    ("Mobile Payment", "10.00", GatewayKind.CHARGE),
    ("Payment Received", "10.00", GatewayKind.CHARGE),
    ("Website Payment", "-10.00", GatewayKind.OTHER),
    ("Payment Sent", "-10.00", GatewayKind.OTHER),
    ("Recurring Payment Sent", "-10.00", GatewayKind.OTHER),
    ("PreApproved Payment Bill User Payment", "-10.00", GatewayKind.OTHER),
    ("Refund", "-10.00", GatewayKind.REFUND),
    ("Payment Reversal", "-10.00", GatewayKind.DISPUTE),
    ("Chargeback", "-10.00", GatewayKind.DISPUTE),
    ("Hold on Balance for Dispute Investigation", "-10.00", GatewayKind.DISPUTE),
    ("Cancellation of Hold for Dispute Resolution", "10.00", GatewayKind.DISPUTE),
    ("General Withdrawal", "-10.00", GatewayKind.PAYOUT),
    ("Withdraw Funds to Bank Account", "-10.00", GatewayKind.PAYOUT),
    ("Bank Deposit to PP Account ", "10.00", GatewayKind.ADJUSTMENT),
    ("Payment Hold", "-10.00", GatewayKind.OTHER),
    ("Payment Release", "10.00", GatewayKind.OTHER),
    ("Account Hold for Open Authorization", "-10.00", GatewayKind.OTHER),
    ("Reversal of General Account Hold", "10.00", GatewayKind.OTHER),
    ("Something PayPal Invents Next Year", "10.00", GatewayKind.OTHER),
])
def test_each_paypal_type_maps_to_its_kind(parse, paypal_type, gross, kind):
    (record,) = parse(HEADER + row(kind=paypal_type, gross=gross, fee="0.00", net=gross)).records
    assert record.kind == kind
    assert record.metadata["type"] == paypal_type.strip()


def test_a_currency_conversion_is_an_adjustment_with_its_own_status(parse):
    text = HEADER + row(kind="General Currency Conversion", gross="-50.00", fee="0.00",
                        net="-50.00", ref="TX9", status="Completed")
    (record,) = parse(text).records
    assert (record.kind, record.status, record.related_id) == (
        GatewayKind.ADJUSTMENT, "currency conversion", "")
    assert record.metadata["paypal_status"] == "Completed"
    assert record.metadata["reference_txn_id"] == "TX9"


def test_a_pending_status_is_kept_on_the_charge(parse):
    (record,) = parse(HEADER + row(status="Pending")).records
    assert (record.kind, record.status) == (GatewayKind.CHARGE, "Pending")


@pytest.mark.parametrize("status", ["Denied", "Failed", "Canceled"])
def test_a_payment_whose_money_never_arrived_is_not_a_charge(parse, status):
    (record,) = parse(HEADER + row(status=status)).records
    assert (record.kind, record.status) == (GatewayKind.OTHER, status)


def test_the_date_order_is_day_first_when_any_first_number_is_above_twelve(parse):
    records = parse(HEADER + row(date="05/11/2026") + row(date="29/11/2026", txn="TX2")).records
    assert [r.created_date for r in records] == [dt.date(2026, 11, 5), dt.date(2026, 11, 29)]


def test_the_date_order_is_month_first_when_any_second_number_is_above_twelve(parse):
    records = parse(HEADER + row(date="11/5/2026") + row(date="11/29/2026", txn="TX2")).records
    assert [r.created_date for r in records] == [dt.date(2026, 11, 5), dt.date(2026, 11, 29)]


def test_dates_that_fit_both_orders_are_rejected_not_guessed_from_the_time_zone(parse):
    result = parse(HEADER + row(date="05/11/2026") + row(date="06/11/2026", txn="TX2"))
    assert result.records == []
    assert [r.source_line for r in result.rejects] == [2, 3]
    assert all("ambiguous date order" in r.reason for r in result.rejects)


def test_a_date_whose_day_equals_its_month_reads_the_same_either_way(parse):
    (record,) = parse(HEADER + row(date="11/11/2026")).records
    assert record.created_date == dt.date(2026, 11, 11)


def test_a_file_with_both_day_first_and_month_first_dates_is_rejected(parse):
    result = parse(HEADER + row(date="29/11/2026") + row(date="11/29/2026", txn="TX2"))
    assert result.records == []
    assert all("inconsistent date order" in r.reason for r in result.rejects)


def test_a_row_without_a_transaction_id_is_rejected_and_the_rest_is_kept(parse):
    result = parse(HEADER + row(txn="") + row(txn="TX2"))
    assert [r.transaction_id for r in result.records] == ["TX2"]
    assert "transaction_id: empty" in result.rejects[0].reason


def test_the_statement_layout_reads_its_description_as_the_type(parse):
    text = STATEMENT + (
        '"9/4/2018","21:15:11","America/Los_Angeles","General Withdrawal - Bank Account","EUR",'
        '"-1,058.09","0.00","-1,058.09","-1,057.34","TID1","","","Bank A","6491","0.00","0.00",'
        '"",""\n"9/27/2018","18:15:34","America/Los_Angeles","Express Checkout Payment","USD",'
        '"5,600.00","-207.50","5,392.50","5,393.18","TID15","p3@example.com","Partner 3","","",'
        '"0.00","0.00","366",""\n')
    withdrawal, payment = parse(text).records
    assert (withdrawal.kind, withdrawal.gross_minor, withdrawal.currency) == (
        GatewayKind.PAYOUT, -105809, "EUR")
    assert (payment.kind, payment.invoice_ref, payment.customer_name) == (
        GatewayKind.CHARGE, "366", "Partner 3")
    assert payment.created_date == dt.date(2018, 9, 27) and payment.status == ""


def test_the_older_export_with_space_prefixed_headers_and_a_trailing_column_is_read(parse):
    text = ("Date, Time, Time Zone, Name, Type, Status, Currency, Gross, Fee, Net, "
            "From Email Address, To Email Address, Transaction ID, Invoice Id, "
            "Reference Txn ID, Invoice Number, Balance,\n"
            '"6/14/2016","10:46:49","PDT","Jane Doe","Payment Received","Completed","USD",'
            '"1,120.00","-32.78","1,087.22","jane@example.com","me@example.net","XYZ2",'
            '"INV-2016-7","","","20.00",\n')
    (record,) = parse(text).records
    assert (record.gross_minor, record.invoice_ref, record.created_date) == (
        112000, "INV-2016-7", dt.date(2016, 6, 14))


def test_a_header_only_download_gives_no_records_and_no_refusal(parse):
    result = parse(HEADER)
    assert (result.records, result.rejects, result.refusal) == ([], [], None)


def test_identify_claims_activity_and_statement_csvs_and_nothing_else(tmp_path):
    files = {"activity.csv": HEADER, "statement.csv": STATEMENT,
             "stripe.csv": "balance_transaction_id,created_utc,currency,gross,fee,net,"
                           "reporting_category\n",
             "bank.csv": "Date,Description,Amount,Transaction ID,Balance\n",
             "venmo.csv": "Username,ID,Datetime,Type,Status,Note,From,To,Amount (total)\n"}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    claimed = {name for name in files if PaypalParser().identify(SourceFile(tmp_path / name))}
    assert claimed == {"activity.csv", "statement.csv"}








