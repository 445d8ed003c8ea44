"""Canonical invoices and clients CSVs (DESIGN.md "Inputs")."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers.base import SourceFile
from parsers.canonical_csv import CanonicalClientsCsvParser, CanonicalInvoicesCsvParser
from pipeline.models import InvoiceStatus

INVOICE_HEADER = ("invoice_number,client_id,client_name,client_email,issue_date,due_date,"
                  "total,balance,currency,status")
GOOD = ("10908,101,Rina Tanjung,rina@example.co.id,2026-09-24,2026-10-08,1110000.00,1110000,"
        "IDR,Overdue")


@pytest.fixture
def source(tmp_path):
    def write(text, name="data.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return SourceFile(path)
    return write


def test_each_invoice_row_becomes_an_invoice_with_its_physical_line(source):
    (inv,) = CanonicalInvoicesCsvParser().parse(source(f"{INVOICE_HEADER}\n{GOOD}\n")).records
    assert (inv.invoice_number, inv.client_id, inv.total_minor, inv.balance_minor, inv.currency,
            inv.status, inv.due_date) == ("10908", "101", 111000000, 111000000, "IDR",
                                          InvoiceStatus.OVERDUE, dt.date(2026, 10, 8))
    assert (inv.origin.source_line, inv.origin.source_ref) == (2, "10908")


def test_a_quoted_multi_line_field_keeps_later_line_numbers_right(source):
    text = (f"{INVOICE_HEADER}\n"
            '1,7,"Two\nLines",,2026-11-01,2026-11-15,10.00,10.00,USD,Unpaid\n'
            "2,7,x,,2026-11-01,2026-11-15,10.00,10.00,USD,Unpaid\n")
    records = CanonicalInvoicesCsvParser().parse(source(text)).records
    assert [r.origin.source_line for r in records] == [2, 4]


def test_too_many_decimals_is_a_reject_naming_the_column_and_line(source):
    text = f"{INVOICE_HEADER}\n{GOOD}\n2,7,x,,2026-11-01,2026-11-15,10.001,10.00,USD,Unpaid\n"
    result = CanonicalInvoicesCsvParser().parse(source(text))
    (reject,) = result.rejects
    assert (reject.source_line, reject.source_ref) == (3, "2")
    assert reject.reason.startswith("total:") and "more decimals" in reject.reason
    assert len(result.records) == 1


def test_a_non_iso_date_and_an_unknown_status_are_rejected_together(source):
    text = f"{INVOICE_HEADER}\n3,7,x,,01/11/2026,2026-11-15,10.00,10.00,USD,Sent\n"
    (reject,) = CanonicalInvoicesCsvParser().parse(source(text)).rejects
    assert "issue_date" in reject.reason and "unknown invoice status 'Sent'" in reject.reason


def test_optional_columns_may_be_absent_or_filled(source):
    absent = CanonicalInvoicesCsvParser().parse(source(f"{INVOICE_HEADER}\n{GOOD}\n")).records[0]
    text = f"{INVOICE_HEADER},first_invoice,group_id\n{GOOD},yes,resellers\n"
    filled = CanonicalInvoicesCsvParser().parse(source(text, "filled.csv")).records[0]
    assert (absent.first_invoice, absent.group_id) == (False, None)
    assert (filled.first_invoice, filled.group_id) == (True, "resellers")


def test_a_semicolon_separated_file_is_read(source):
    text = f"{INVOICE_HEADER}\n{GOOD}\n".replace(",", ";")
    assert len(CanonicalInvoicesCsvParser().parse(source(text)).records) == 1


def test_a_header_missing_a_required_column_is_refused(source):
    result = CanonicalInvoicesCsvParser().parse(source("invoice_number,client_id\n1,2\n"))
    assert result.refusal and "due_date" in result.refusal


def test_client_rows_become_clients_with_an_optional_creation_date(source):
    text = ("client_id,name,company,email,created_at\n101,Rina Tanjung,,r@example.co.id,"
            "2025-03-11\n102,Budi,PT Kopi,,\n")
    result = CanonicalClientsCsvParser().parse(source(text))
    assert [(c.client_id, c.name, c.company, c.created_at) for c in result.records] == [
        ("101", "Rina Tanjung", "", dt.date(2025, 3, 11)), ("102", "Budi", "PT Kopi", None)]


def test_identify_tells_invoices_from_clients(source):
    invoices = source(f"{INVOICE_HEADER}\n{GOOD}\n", "invoices.csv")
    clients = source("client_id,name,company,email,created_at\n1,a,,,\n", "clients.csv")
    assert CanonicalInvoicesCsvParser().identify(invoices)
    assert not CanonicalClientsCsvParser().identify(invoices)
    assert CanonicalClientsCsvParser().identify(clients)
    assert not CanonicalInvoicesCsvParser().identify(clients)
