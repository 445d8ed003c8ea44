"""Clients and invoices of the month, and the billing system's files: WHMCS ``GetClients`` and
``GetInvoices`` JSON responses (the current state, plus an earlier snapshot of the invoices
that were re-issued for less)."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from . import names
from .core import MONTH_START, Client, Invoice, World, plain

CHANNELS = (("bca", 0.45), ("mt940", 0.20), ("ofx", 0.10), ("stripe", 0.10),
            ("paypal", 0.05), ("camt", 0.10))
PRICES = {  # whole units of the plans sold in each currency
    "IDR": (99_000, 150_000, 275_000, 450_000, 832_500, 1_110_000, 1_500_000, 2_220_000,
            3_750_000),
    "USD": (49, 75, 120, 185, 240, 299, 450, 640, 899),
    "EUR": (39, 59, 89, 120, 179, 249, 399, 590),
}
FIRST_INVOICE = 10100
NAMESAKES = 0.01  # clients who bear the full name of another client
CLIENTS_FILE = "whmcs-clients.json"
INVOICES_FILE = "whmcs-invoices.json"
EARLIER_INVOICES_FILE = "whmcs-invoices-first-versions.json"


def _channel(rng: random.Random) -> str:
    roll, acc = rng.random(), 0.0
    for channel, share in CHANNELS:
        acc += share
        if roll < acc:
            return channel
    return CHANNELS[-1][0]


def make_clients(rng: random.Random, count: int) -> list[Client]:
    """``count`` clients; about one in a hundred (a trap, on purpose) bears the full name of
    an earlier client of the same currency (a namesake: the name identifies neither)."""
    clients: list[Client] = []
    for i in range(count):
        channel = _channel(rng)
        currency = {"bca": "IDR", "mt940": "IDR", "camt": "EUR"}.get(channel, "USD")
        first, last = names.person(rng, currency)
        same = [c for c in clients[-200:] if c.currency == currency]
        if same and rng.random() < NAMESAKES:
            twin = rng.choice(same)
            first, last = twin.first, twin.last
        firm = names.company(rng, currency) if rng.random() < 0.3 else ""
        domain = "example.co.id" if currency == "IDR" else "example.com"
        email = f"{first.split()[0].lower()}.{last.lower()}{i}@{domain}"
        created = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(1300))
        clients.append(Client(1000 + i, first, last, firm, email, channel, created))
    return clients


def make_invoices(rng: random.Random, clients: list[Client]) -> list[Invoice]:
    """About 1.47 invoices per client, issued 10 Oct - 28 Nov; ~6 % paid before the month,
    ~3 % cancelled, ~2 % of the open ones re-issued for less."""
    invoices: list[Invoice] = []
    for client in clients:
        count = 1 + (rng.random() < 0.35) + (rng.random() < 0.12)
        for _ in range(count):
            issued = dt.date(2026, 10, 10) + dt.timedelta(days=rng.randrange(50))
            due = issued + dt.timedelta(days=rng.choice((7, 14, 14, 30)))
            total = _price(rng, client.currency)
            roll = rng.random()
            status = "Paid" if roll < 0.06 else "Cancelled" if roll < 0.09 else \
                "Overdue" if due < MONTH_START else "Unpaid"
            invoice = Invoice(str(FIRST_INVOICE + len(invoices)), client, issued, due, total,
                              status)
            if status in ("Unpaid", "Overdue") and rng.random() < 0.02:
                invoice.old_total = total + rng.choice(PRICES[client.currency]) * 100
            invoices.append(invoice)
    return invoices


def _price(rng: random.Random, currency: str) -> int:
    """A plan's price in minor units; one invoice in eight is pro-rated (days / 30), which
    makes its amount nearly unique."""
    price = rng.choice(PRICES[currency])
    if rng.random() < 0.125:
        days = rng.randint(5, 29)
        return price * days // 30 // 100 * 10_000 if currency == "IDR" else price * 100 * days // 30
    if currency != "IDR" and rng.random() < 0.3:
        return price * 100 + rng.choice((50, 99, 95))
    return price * 100


def write_billing(world: World, out: Path) -> list[str]:
    clients = [json.dumps({"id": c.id, "firstname": c.first, "lastname": c.last,
                           "companyname": c.company, "email": c.email,
                           "datecreated": c.created.isoformat(), "groupid": 0,
                           "status": "Active"}) for c in world.clients]
    _response(out / CLIENTS_FILE, "clients", "client", clients)
    earlier = [_invoice_json(inv, inv.old_total) for inv in world.invoices if inv.old_total]
    _response(out / EARLIER_INVOICES_FILE, "invoices", "invoice", earlier)
    _response(out / INVOICES_FILE, "invoices", "invoice",
              [_invoice_json(inv, inv.total) for inv in world.invoices])
    return [CLIENTS_FILE, EARLIER_INVOICES_FILE, INVOICES_FILE]


def _invoice_json(inv: Invoice, total: int) -> str:
    client = inv.client
    paid = inv.status == "Paid"
    return json.dumps({
        "id": int(inv.number), "userid": client.id, "firstname": client.first,
        "lastname": client.last, "companyname": client.company, "invoicenum": "",
        "date": inv.issued.isoformat(), "duedate": inv.due.isoformat(),
        "datepaid": f"{inv.issued + dt.timedelta(days=2)} 10:00:00" if paid
        else "0000-00-00 00:00:00",
        "subtotal": plain(total), "credit": "0.00", "tax": "0.00", "tax2": "0.00",
        "total": plain(total), "taxrate": "0.00", "taxrate2": "0.00", "status": inv.status,
        "paymentmethod": "banktransfer", "notes": "", "currencycode": inv.currency,
        "currencyprefix": {"IDR": "Rp ", "USD": "$", "EUR": "€"}[inv.currency],
        "currencysuffix": f" {inv.currency}",
    }, ensure_ascii=False)


def _response(path: Path, plural: str, singular: str, items: list[str]) -> None:
    """A GetInvoices/GetClients response, one item per line (as the golden samples)."""
    body = ",\n      ".join(items)
    path.write_text(
        f'{{\n  "result": "success",\n  "totalresults": {len(items)},\n  "startnumber": 0,\n'
        f'  "numreturned": {len(items)},\n  "{plural}": {{\n    "{singular}": [\n      {body}\n'
        "    ]\n  }\n}\n", encoding="utf-8")
