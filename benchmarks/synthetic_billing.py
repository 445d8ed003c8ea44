"""Synthetic gateway exports (Stripe, PayPal, BTCPay), billing data (WHMCS JSON, canonical
CSVs) and payment-confirmation tickets (JSON Lines, CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from collections.abc import Iterator
from pathlib import Path

from benchmarks.synthetic_base import (
    LAST,
    PLANS,
    person,
    plain,
    rng_for,
    some_day,
    write_csv,
    write_lines,
)

# --- gateways -------------------------------------------------------------------------------

STRIPE_HEADER = ["balance_transaction_id", "created_utc", "available_on_utc", "currency", "gross",
                 "fee", "net", "reporting_category", "source_id", "description",
                 "customer_email", "customer_name", "charge_id", "payment_intent_id",
                 "automatic_payout_id", "payment_metadata[invoice_id]",
                 "payment_metadata[client_id]"]


def _stripe_row(rng: random.Random, i: int) -> list[str]:
    name, email = person(rng)
    created = dt.datetime.combine(some_day(rng), dt.time(rng.randrange(24), rng.randrange(60)))
    roll, invoice = rng.random(), str(10000 + rng.randrange(90000))
    charge = f"ch_3Q{i:016d}"
    payout = f"po_1Q{i // 500:016d}"
    if roll < 0.8:
        gross = rng.randrange(500, 50000)
        fee = gross * 29 // 1000 + 30
        return [f"txn_3Q{i:016d}", f"{created}", f"{created + dt.timedelta(days=2)}", "usd",
                plain(gross), plain(fee), plain(gross - fee), "charge", charge,
                f"Invoice #{invoice} - {rng.choice(PLANS)}", email, name, charge,
                f"pi_3Q{i:016d}", payout, invoice, str(rng.randrange(1000, 2000))]
    if roll < 0.9:
        gross = -rng.randrange(500, 5000)
        return [f"txn_3Q{i:016d}", f"{created}", f"{created}", "usd", plain(gross), "0.00",
                plain(gross), "refund", f"re_3Q{i:016d}", "REFUND FOR CHARGE", email, name,
                charge, f"pi_3Q{i:016d}", payout, invoice, ""]
    gross = -rng.randrange(10, 500)
    return [f"txn_1Q{i:016d}", f"{created}", f"{created}", "usd", plain(gross), "0.00",
            plain(gross), "fee", "", "Billing - Usage Fee", "", "", "", "", payout, "", ""]


def write_stripe(path: Path, n: int) -> None:
    """Stripe Reporting ``balance_change_from_activity.itemized``: charges, refunds, fees."""
    rng = rng_for("stripe", n)
    write_csv(path, STRIPE_HEADER, (_stripe_row(rng, i) for i in range(n)))


PAYPAL_HEADER = ["Date", "Time", "TimeZone", "Name", "Type", "Status", "Currency", "Gross",
                 "Fee", "Net", "From Email Address", "To Email Address", "Transaction ID",
                 "Address Status", "Sales Tax", "Reference Txn ID", "Invoice Number",
                 "Receipt ID", "Balance", "Contact Phone Number", "Subject", "Note"]


def _money(cents: int) -> str:
    """PayPal's ``1,653.75``."""
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100:,}.{abs(cents) % 100:02d}"


def _paypal_move(rng: random.Random, roll: float, email: str,
                 last_payment: str) -> tuple[str, int, int, str, str, str]:
    """(type, gross, fee, reference, from, to): a payment, a refund of the last payment or a
    withdrawal to the bank."""
    shop = "billing@hosting.example"
    if roll < 0.85 or not last_payment:
        kind = rng.choice(("Website Payment", "Express Checkout Payment"))
        gross = rng.randrange(1000, 250000)
        return kind, gross, -(gross * 44 // 1000 + 30), "", email, shop
    if roll < 0.92:
        return "Payment Refund", -rng.randrange(500, 5000), 0, last_payment, shop, email
    return "General Withdrawal", -rng.randrange(100, 1000) * 100, 0, "", shop, ""


def write_paypal(path: Path, n: int) -> None:
    """PayPal activity download (all columns quoted, BOM, ``dd/mm/yyyy``): payments,
    refunds of earlier payments and withdrawals, with a running balance."""
    rng = rng_for("paypal", n)

    def rows() -> Iterator[list[str]]:
        balance, last_payment = 0, ""
        for i in range(n):
            name, email = person(rng)
            ident, roll = f"{i:08d}PP{rng.randrange(10**6, 10**7)}", rng.random()
            invoice = str(10000 + rng.randrange(90000))
            kind, gross, fee, ref, sender, receiver = _paypal_move(rng, roll, email,
                                                                   last_payment)
            if kind == "General Withdrawal":
                name, invoice = "", ""
            last_payment = ident if fee else last_payment
            balance += gross + fee
            yield [f"{some_day(rng):%d/%m/%Y}",
                   f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:07", "PST", name, kind,
                   "Completed", "USD", _money(gross), _money(fee), _money(gross + fee), sender,
                   receiver, ident, "Confirmed", "0.00", ref, invoice, "", _money(balance), "",
                   f"INV {invoice} {rng.choice(PLANS)}", ""]

    write_csv(path, PAYPAL_HEADER, rows(), quoting=csv.QUOTE_ALL, bom=True)


BTCPAY_HEADER = ["ReceivedDate", "StoreId", "OrderId", "InvoiceId", "InvoiceCreatedDate",
                 "InvoiceExpirationDate", "InvoiceMonitoringDate", "PaymentId", "Destination",
                 "PaymentType", "CryptoCode", "Paid", "NetworkFee", "ConversionRate",
                 "PaidCurrency", "InvoiceCurrency", "InvoiceDue", "InvoicePrice",
                 "InvoiceItemCode", "InvoiceItemDesc", "InvoiceFullStatus", "InvoiceStatus",
                 "InvoiceExceptionStatus", "BuyerEmail", "Accounted"]


def _btcpay_rows(rng: random.Random, i: int) -> Iterator[list[str]]:
    """One invoice: one payment row, or two (every 10th invoice) adding up to the price.
    Rate 40000 makes paid x rate exact: paid = cents x 25e-8 BTC."""
    _, email = person(rng)
    created = dt.datetime.combine(some_day(rng), dt.time(rng.randrange(24), rng.randrange(60)))
    price = rng.randrange(10, 500) * 100
    parts = [price // 2, price - price // 2] if i % 10 == 0 else [price]
    invoice = f"INV{i:019d}"
    for k, cents in enumerate(parts):
        stamp = f"{created + dt.timedelta(minutes=5 + k):%Y-%m-%dT%H:%M:%S}+00:00"
        yield [stamp, "9xPjW3nqK2LmZ4v", str(10000 + i), invoice,
               f"{created:%Y-%m-%dT%H:%M:%S}+00:00", f"{created:%Y-%m-%dT%H:%M:%S}+00:00",
               f"{created:%Y-%m-%dT%H:%M:%S}+00:00", f"{i:060x}-{k}",
               "bc1qhostexample0d8c6x9z2v4n7m5k3j1h0g8f6d4s2a", "On-Chain", "BTC",
               f"{cents * 25 // 10**8}.{cents * 25 % 10**8:08d}", "0.00000000", "40000.00",
               plain(cents), "USD",
               "0.00", plain(price), "vps-basic", rng.choice(PLANS), "Settled", "complete", "",
               email, "True"]


def write_btcpay(path: Path, n: int) -> None:
    """BTCPay legacy invoice export (CSV, one row per payment): n settled invoices."""
    rng = rng_for("btcpay", n)
    write_csv(path, BTCPAY_HEADER, (row for i in range(n) for row in _btcpay_rows(rng, i)),
              quoting=csv.QUOTE_ALL)


# --- billing system -------------------------------------------------------------------------

STATUSES = ("Unpaid", "Paid", "Paid", "Overdue", "Cancelled", "Payment Pending")


def _invoice(rng: random.Random, i: int) -> dict:
    name, email = person(rng)
    first, last = name.split(" ")
    issued = some_day(rng)
    total = rng.randrange(10, 3000) * 100
    return {"id": 100000 + i, "userid": 1000 + rng.randrange(5000), "firstname": first,
            "lastname": last, "companyname": "", "email": email,
            "invoicenum": f"INV-2026-{i:06d}" if i % 3 == 0 else "", "date": f"{issued}",
            "duedate": f"{issued + dt.timedelta(days=14)}", "total": plain(total),
            "credit": "0.00", "status": rng.choice(STATUSES), "currencycode": "USD"}


def _whmcs(path: Path, n: int, plural: str, singular: str, items: Iterator[str]) -> None:
    """A GetInvoices/GetClients response, one item per line (as the golden samples)."""
    def lines() -> Iterator[str]:
        yield (f'{{\n  "result": "success",\n  "totalresults": {n},\n  "startnumber": 0,\n'
               f'  "numreturned": {n},\n  "{plural}": {{\n    "{singular}": [\n')
        for number, item in enumerate(items):
            yield ("      " if number == 0 else ",\n      ") + item
        yield "\n    ]\n  }\n}\n"

    write_lines(path, lines())


def write_whmcs_invoices(path: Path, n: int) -> None:
    """WHMCS API ``GetInvoices`` response with n invoices (amounts as strings)."""
    rng = rng_for("whmcs-invoices", n)
    fields = ("subtotal", "tax", "tax2", "taxrate", "taxrate2")
    items = (json.dumps({**_invoice(rng, i), **dict.fromkeys(fields, "0.00"),
                         "paymentmethod": "banktransfer", "notes": "", "currencyprefix": "$",
                         "datepaid": "0000-00-00 00:00:00", "currencysuffix": " USD"})
             for i in range(n))
    _whmcs(path, n, "invoices", "invoice", items)


def _client(rng: random.Random, i: int) -> tuple[str, str, str, str, str]:
    name, email = person(rng)
    company = f"PT {rng.choice(LAST)} Digital" if i % 4 == 0 else ""
    return str(1000 + i), name, company, email.replace("@", f"{i}@"), f"{some_day(rng, 700)}"


def write_whmcs_clients(path: Path, n: int) -> None:
    """WHMCS API ``GetClients`` response with n clients."""
    rng = rng_for("whmcs-clients", n)

    def item(i: int) -> str:
        ident, name, company, email, created = _client(rng, i)
        first, last = name.split(" ")
        return json.dumps({"id": int(ident), "firstname": first, "lastname": last,
                           "companyname": company, "email": email, "datecreated": created,
                           "groupid": 0, "status": "Active"})

    _whmcs(path, n, "clients", "client", (item(i) for i in range(n)))


def write_invoices_csv(path: Path, n: int) -> None:
    """The canonical invoices CSV (DESIGN.md), with ``first_invoice`` and ``group_id``."""
    rng = rng_for("invoices-csv", n)
    header = ["invoice_number", "client_id", "client_name", "client_email", "issue_date",
              "due_date", "total", "balance", "currency", "status", "first_invoice", "group_id"]

    def rows() -> Iterator[list[str]]:
        for i in range(n):
            inv = _invoice(rng, i)
            paid = inv["status"] in ("Paid", "Cancelled")
            yield [inv["invoicenum"] or str(inv["id"]), str(inv["userid"]),
                   f"{inv['firstname']} {inv['lastname']}", inv["email"], inv["date"],
                   inv["duedate"], inv["total"], "0.00" if paid else inv["total"], "USD",
                   inv["status"], "yes" if i % 7 == 0 else "no", "resellers" if i % 5 else ""]

    write_csv(path, header, rows())


def write_clients_csv(path: Path, n: int) -> None:
    """The canonical clients CSV (DESIGN.md)."""
    rng = rng_for("clients-csv", n)
    write_csv(path, ["client_id", "name", "company", "email", "created_at"],
              (list(_client(rng, i)) for i in range(n)))


# --- tickets --------------------------------------------------------------------------------

def _ticket(rng: random.Random, i: int) -> dict[str, str]:
    name, email = person(rng)
    invoice = str(10000 + rng.randrange(90000))
    day = some_day(rng)
    amount = rng.randrange(50, 5000) * 1000
    return {"ticket_id": f"BIL-{700000 + i}", "created_at": f"{day} {rng.randrange(24):02d}:15:00",
            "name": name, "email": email, "client_id": str(1000 + rng.randrange(5000)),
            "subject": f"Konfirmasi Pembayaran Invoice #{invoice}",
            "message": f"Selamat pagi,\nsudah saya transfer sebesar Rp {amount:,} ke rekening "
                       "BCA.\nTerima kasih.".replace(",", "."),
            "invoice_number": invoice if i % 3 else "",
            "destination_account": "BCA 0372543386",
            "amount": f"Rp {amount:,}".replace(",", ".") if i % 4 else "",
            "transfer_date": f"{day:%d/%m/%Y}", "account_holder": name.upper()}


def _whmcs_ticket(rng: random.Random, i: int) -> dict:
    flat = _ticket(rng, i)
    labels = (("No. Invoice", "invoice_number"), ("Tujuan Transfer", "destination_account"),
              ("Jumlah Transfer", "amount"), ("Tanggal Transfer", "transfer_date"),
              ("Nama di Rekening", "account_holder"))
    return {"id": i, "tid": str(800000 + i), "deptid": 2, "deptname": "Billing",
            "userid": int(flat["client_id"]), "name": flat["name"], "email": flat["email"],
            "date": flat["created_at"], "subject": flat["subject"], "message": flat["message"],
            "status": "Open", "customfields": [{"id": 11 + k, "name": label, "value": flat[key]}
                                               for k, (label, key) in enumerate(labels)]}


def write_tickets_jsonl(path: Path, n: int) -> None:
    """Tickets as JSON Lines: three in four flat, one in four WHMCS-style with custom fields."""
    rng = rng_for("tickets-jsonl", n)
    write_lines(path, (json.dumps(_whmcs_ticket(rng, i) if i % 4 == 3 else _ticket(rng, i))
                + "\n" for i in range(n)))


def write_tickets_csv(path: Path, n: int) -> None:
    """Tickets as CSV (flat keys; messages span several physical lines)."""
    rng = rng_for("tickets-csv", n)
    rows = (_ticket(rng, i) for i in range(n))
    first = _ticket(rng_for("tickets-csv-header", 0), 0)
    write_csv(path, list(first), (list(row.values()) for row in rows))
