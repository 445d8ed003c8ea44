"""The real PayPal and Stripe exports in ``../shared/realworld/csv`` (see its SOURCES.md):
every data row becomes a record or a reject, nothing raises, and format detection keeps the
gateway parsers and the bank/canonical CSV parsers apart."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from parsers.bank_csv import BankCsvParser
from parsers.base import SourceFile
from parsers.btcpay import BtcpayParser
from parsers.paypal import PaypalParser
from parsers.registry import all_parsers
from parsers.stripe import StripeParser
from pipeline.models import GatewayKind

# file -> (parser, data rows per SOURCES.md)
GATEWAY_FILES = {
    "OCA__bank-statement-import__activity_en.csv": (PaypalParser, 76),
    "OCA__bank-statement-import__empty_activity.csv": (PaypalParser, 0),
    "OCA__bank-statement-import__statement_en.csv": (PaypalParser, 19),
    "egh__ledger-autosync__paypal.csv": (PaypalParser, 2),
    "simonmichael__hledger__paypal-custom.csv": (PaypalParser, 7),
    "simonmichael__hledger__stripe.csv": (StripeParser, 2),
}
OTHER_CSV = [
    "egh__ledger-autosync__venmo.csv",
    "kedder__ofxstatement-transferwise__sample-statement.csv",
    "mlaitinen__ofxstatement-revolut__2022-january.csv",
    "beancount__beangulp__statement.csv",
]
GATEWAY_PARSERS = (StripeParser, PaypalParser, BtcpayParser)


def _source(realworld, name: str) -> SourceFile:
    return SourceFile(realworld / "csv" / name)


@pytest.mark.parametrize(("name", "parser", "rows"),
                         [(n, p, r) for n, (p, r) in sorted(GATEWAY_FILES.items())])
def test_every_data_row_becomes_a_record_or_a_reject(realworld, name, parser, rows):
    result = parser().parse(_source(realworld, name))
    assert result.refusal is None
    assert len(result.records) + len(result.rejects) == rows
    assert all(r.origin.source_file == name for r in result.records)


@pytest.mark.parametrize("name", sorted(GATEWAY_FILES))
def test_each_gateway_file_is_claimed_by_its_own_parser_only(realworld, name):
    source = _source(realworld, name)
    own = GATEWAY_FILES[name][0]
    assert [p.format for p in all_parsers() if p.identify(source)] == [own.format]


@pytest.mark.parametrize("name", OTHER_CSV)
def test_no_gateway_parser_claims_a_bank_or_wallet_csv(realworld, name):
    source = _source(realworld, name)
    assert not [p.format for p in (P() for P in GATEWAY_PARSERS) if p.identify(source)]


def test_the_paypal_activity_download_reads_every_row_day_first(realworld):
    result = PaypalParser().parse(_source(realworld, "OCA__bank-statement-import__activity_en.csv"))
    assert result.rejects == []
    first = result.records[0]
    assert (first.created_date, first.gross_minor, first.fee_minor, first.net_minor) == (
        dt.date(2015, 12, 29), 8400, 425, 7975)
    kinds = Counter(r.kind for r in result.records)
    assert kinds == {GatewayKind.ADJUSTMENT: 32, GatewayKind.CHARGE: 26,
                     GatewayKind.PAYOUT: 14, GatewayKind.OTHER: 4}
    assert {r.currency for r in result.records} == {"USD", "EUR", "AUD"}


def test_the_paypal_statement_reads_month_first_with_thousands_separators(realworld):
    source = _source(realworld, "OCA__bank-statement-import__statement_en.csv")
    result = PaypalParser().parse(source)
    assert result.rejects == []
    withdrawal = result.records[0]
    assert (withdrawal.kind, withdrawal.gross_minor, withdrawal.created_date) == (
        GatewayKind.PAYOUT, -105809, dt.date(2018, 9, 4))
    assert [r.invoice_ref for r in result.records if r.kind is GatewayKind.CHARGE] == [
        "361", "362", "363", "366", "367", "371", "380"]


def test_the_older_paypal_export_with_only_ambiguous_dates_is_rejected_row_by_row(realworld):
    result = PaypalParser().parse(_source(realworld, "egh__ledger-autosync__paypal.csv"))
    assert result.records == []
    assert [r.source_line for r in result.rejects] == [2, 3]
    assert all("ambiguous date order" in r.reason for r in result.rejects)


def test_the_hledger_paypal_export_keeps_money_out_apart_from_charges(realworld):
    result = PaypalParser().parse(_source(realworld, "simonmichael__hledger__paypal-custom.csv"))
    charges = [r for r in result.records if r.kind is GatewayKind.CHARGE]
    assert [(c.transaction_id, c.gross_minor, c.fee_minor) for c in charges] == [
        ("68LL1662YP3134303", 1000, 59)]
    assert result.records[0].created_date == dt.date(2019, 10, 1)


def test_the_stripe_report_gives_a_charge_and_a_refund(realworld):
    result = StripeParser().parse(_source(realworld, "simonmichael__hledger__stripe.csv"))
    charge, refund = result.records
    assert (charge.kind, charge.gross_minor, charge.currency) == (GatewayKind.CHARGE, 1200, "USD")
    assert (refund.kind, refund.gross_minor, refund.description) == (
        GatewayKind.REFUND, -77, "REFUND FOR PAYMENT")


def test_the_bank_csv_parser_claims_none_of_the_gateway_files(realworld):
    assert not [n for n in GATEWAY_FILES if BankCsvParser().identify(_source(realworld, n))]
