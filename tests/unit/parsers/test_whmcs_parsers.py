"""WHMCS GetInvoices / GetClients parsers on small inline responses."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from parsers.base import SourceFile
from parsers.whmcs import WhmcsClientsParser, WhmcsInvoicesParser
from pipeline.models import InvoiceStatus


def invoice(**fields):
    base = {"id": 10911, "userid": 104, "firstname": "John", "lastname": "Carter",
            "companyname": "Carter Apps LLC", "invoicenum": "", "date": "2026-11-09",
            "duedate": "2026-11-23", "datepaid": "0000-00-00 00:00:00", "subtotal": "240.00",
            "credit": "0.00", "tax": "0.00", "tax2": "0.00", "total": "240.00",
            "status": "Unpaid", "paymentmethod": "banktransfer", "currencycode": "USD"}
    return {**base, **fields}


def response(items, key="invoices", item="invoice", total=None):
    return {"result": "success", "totalresults": len(items) if total is None else total,
            "startnumber": 0, "numreturned": len(items), key: {item: items}}


@pytest.fixture
def source(tmp_path):
    def write(data, name="whmcs.json"):
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data))
        return SourceFile(path)
    return write


def parse_invoices(source, *items, **kwargs):
    return WhmcsInvoicesParser().parse(source(response(list(items), **kwargs)))


def test_invoices_are_numbered_by_invoicenum_when_set_else_by_their_id(source):
    result = parse_invoices(source, invoice(), invoice(id=10910, invoicenum="INV-2026-00123"))
    assert [(i.invoice_number, i.invoice_id) for i in result.records] == [
        ("10911", "10911"), ("INV-2026-00123", "10910")]


def test_an_invoice_carries_client_dates_amounts_currency_and_status(source):
    (inv,) = parse_invoices(source, invoice()).records
    assert (inv.client_id, inv.client_name, inv.issue_date, inv.due_date, inv.total_minor,
            inv.currency, inv.status) == ("104", "John Carter", dt.date(2026, 11, 9),
                                          dt.date(2026, 11, 23), 24000, "USD",
                                          InvoiceStatus.UNPAID)
    assert inv.origin.source_ref == "10911" and inv.origin.source_line is None


def test_the_company_name_stands_in_when_the_client_has_no_personal_name(source):
    (inv,) = parse_invoices(source, invoice(firstname="", lastname="")).records
    assert inv.client_name == "Carter Apps LLC"


def test_balance_is_total_minus_credit_when_the_response_has_no_balance(source):
    (inv,) = parse_invoices(source, invoice(total="89.00", credit="10.00")).records
    assert inv.balance_minor == 7900


def test_a_balance_field_wins_over_total_minus_credit(source):
    (inv,) = parse_invoices(source, invoice(total="89.00", credit="10.00", balance="0.00")).records
    assert inv.balance_minor == 0


def test_amounts_given_as_json_numbers_are_read_exactly(source):
    (inv,) = parse_invoices(source, invoice(total=1234567.89, credit=0.1)).records
    assert (inv.total_minor, inv.balance_minor) == (123456789, 123456779)


@pytest.mark.parametrize(("status", "expected"), [
    ("Paid", InvoiceStatus.PAID), ("Overdue", InvoiceStatus.OVERDUE),
    ("Cancelled", InvoiceStatus.CANCELLED), ("Payment Pending", InvoiceStatus.PAYMENT_PENDING),
    ("collections", InvoiceStatus.COLLECTIONS),
])
def test_whmcs_statuses_map_to_invoice_statuses(source, status, expected):
    assert parse_invoices(source, invoice(status=status)).records[0].status is expected


@pytest.mark.parametrize(("fields", "reason"), [
    ({"duedate": "0000-00-00"}, "duedate"), ({"date": "0000-00-00"}, "date"),
    ({"status": "Sent"}, "unknown invoice status"), ({"currencycode": ""}, "currencycode"),
    ({"total": "240.005"}, "more decimals"), ({"total": "abc"}, "total"),
])
def test_a_bad_invoice_is_rejected_with_its_id_and_the_rest_kept(source, fields, reason):
    result = parse_invoices(source, invoice(id=1, **fields), invoice(id=2))
    (reject,) = result.rejects
    assert reject.source_ref == "1" and reason in reject.reason and reject.raw
    assert [i.invoice_id for i in result.records] == ["2"]


def test_an_error_response_is_refused_with_the_whmcs_message(source):
    path = source({"result": "error", "message": "Authentication Failed"})
    assert WhmcsInvoicesParser().identify(path) and not WhmcsClientsParser().identify(path)
    assert WhmcsInvoicesParser().parse(path).refusal == "WHMCS API error: Authentication Failed"
    assert WhmcsClientsParser().parse(path).refusal == "WHMCS API error: Authentication Failed"


def test_a_paged_response_warns_that_invoices_are_missing(source):
    result = parse_invoices(source, invoice(), total=40)
    assert any("1 of 40" in w for w in result.warnings)


def test_an_empty_result_is_no_invoices_and_no_refusal(source):
    result = WhmcsInvoicesParser().parse(source({"result": "success", "totalresults": 0,
                                                 "invoices": []}))
    assert result.refusal is None and result.records == []


def test_the_documentations_flattened_keys_are_accepted(source):
    flat = {"result": "success", "totalresults": "1", "numreturned": "1"}
    flat.update({f"invoices[invoice][0][{k}]": v for k, v in invoice().items()})
    path = source(flat)
    assert WhmcsInvoicesParser().identify(path)
    assert [i.invoice_number for i in WhmcsInvoicesParser().parse(path).records] == ["10911"]


def test_invalid_json_is_refused(source):
    assert WhmcsInvoicesParser().parse(source('{"invoices": {')).refusal.startswith(
        "not valid JSON")


def test_clients_become_clients_and_a_zero_creation_date_is_no_date(source):
    clients = [{"id": 101, "firstname": "Rina", "lastname": "Tanjung", "companyname": "",
                "email": "rina@example.co.id", "datecreated": "2025-03-11", "groupid": 0,
                "status": "Active"},
               {"id": 102, "firstname": "Budi", "lastname": "Santoso", "companyname": "PT Kopi",
                "email": "", "datecreated": "0000-00-00"}]
    result = WhmcsClientsParser().parse(source(response(clients, "clients", "client")))
    assert [(c.client_id, c.name, c.company, c.created_at) for c in result.records] == [
        ("101", "Rina Tanjung", "", dt.date(2025, 3, 11)), ("102", "Budi Santoso", "PT Kopi", None)]


def test_invoices_and_clients_responses_are_told_apart(source):
    invoices = source(response([invoice()]), "invoices.json")
    clients = source(response([{"id": 1}], "clients", "client"), "clients.json")
    assert WhmcsInvoicesParser().identify(invoices) and not WhmcsClientsParser().identify(invoices)
    assert WhmcsClientsParser().identify(clients) and not WhmcsInvoicesParser().identify(clients)
