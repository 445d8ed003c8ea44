"""The gateways' exports: Stripe's itemized balance report (``balance_change_from_activity``
with payout ids and payment metadata) and PayPal's activity download (BOM, every cell quoted,
``dd/mm/yyyy``)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .core import Money, plain

STRIPE_FILE = "stripe-balance-2026-11.csv"
PAYPAL_FILE = "paypal-activity-2026-11.csv"
STRIPE_HEADER = ["balance_transaction_id", "created_utc", "available_on_utc", "currency", "gross",
                 "fee", "net", "reporting_category", "source_id", "description",
                 "customer_email", "customer_name", "charge_id", "payment_intent_id",
                 "automatic_payout_id", "payment_metadata[invoice_id]",
                 "payment_metadata[client_id]"]
PAYPAL_HEADER = ["Date", "Time", "TimeZone", "Name", "Type", "Status", "Currency", "Gross",
                 "Fee", "Net", "From Email Address", "To Email Address", "Transaction ID",
                 "Address Status", "Sales Tax", "Reference Txn ID", "Invoice Number",
                 "Receipt ID", "Balance", "Contact Phone Number", "Subject", "Note"]
SHOP_EMAIL = "billing@nusantara-cloud.example"


def _ordered(money: list[Money], channel: str) -> list[Money]:
    rows = [m for m in money if m.channel == channel]
    return sorted(rows, key=lambda m: (m.date, m.extra["hour"], m.extra["minute"],
                                       m.extra["txn"]))


def _stamp(m: Money) -> str:
    return f"{m.date} {m.extra['hour']:02d}:{m.extra['minute']:02d}:07"


def _stripe_row(m: Money) -> list[str]:
    kind = m.extra.get("kind", "charge")
    fee = m.extra.get("fee", 0)
    client = m.extra.get("client")
    email, name = (client.email, client.name) if client else ("", "")
    invoice = m.extra.get("invoice_meta", "")
    available = m.date if m.amount < 0 else m.date.fromordinal(m.date.toordinal() + 2)
    source = {"charge": m.extra.get("charge_id", ""), "refund": "re_" + m.extra["txn"][4:],
              "dispute": "dp_" + m.extra["txn"][4:], "payout": m.extra.get("payout_id", "")}[kind]
    charge = m.extra.get("charge_id", "") if kind != "payout" else ""
    return [m.extra["txn"], _stamp(m), f"{available} 00:00:00", "usd", plain(m.amount),
            plain(fee), plain(m.amount - fee), kind, source, m.memo, email, name, charge,
            charge.replace("ch_", "pi_"), m.extra.get("payout_id", "") if kind != "payout"
            else "", invoice, str(client.id) if client and invoice else ""]


def write_stripe(money: list[Money], out: Path) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(STRIPE_HEADER)
    for line, m in enumerate(_ordered(money, "stripe"), start=2):
        writer.writerow(_stripe_row(m))
        m.file, m.ref, m.line = STRIPE_FILE, m.extra["txn"], line
    (out / STRIPE_FILE).write_text(buffer.getvalue(), encoding="utf-8")
    return STRIPE_FILE


def _money_text(minor: int) -> str:
    return f"{'-' if minor < 0 else ''}{abs(minor) // 100:,}.{abs(minor) % 100:02d}"


def _paypal_row(m: Money, balance: int) -> list[str]:
    kind = m.extra.get("kind", "charge")
    client = m.extra.get("client")
    email, name = (client.email, client.name) if client else ("", "")
    fee = -m.extra.get("fee", 0) if kind == "charge" else 0
    of = m.truth.get("of")
    types = {"charge": "Website Payment", "refund": "Payment Refund",
             "withdrawal": "General Withdrawal"}
    sender, receiver = (email, SHOP_EMAIL) if m.amount > 0 else (SHOP_EMAIL, email)
    return [f"{m.date:%d/%m/%Y}", f"{m.extra['hour']:02d}:{m.extra['minute']:02d}:07", "PST",
            name, types[kind], "Completed", "USD", _money_text(m.amount), _money_text(fee),
            _money_text(m.amount + fee), sender, receiver, m.extra["txn"],
            "Confirmed" if kind == "charge" else "", "0.00",
            of.extra["txn"] if of is not None else "", m.extra.get("invoice_meta", ""), "",
            _money_text(balance), "", m.memo if kind != "withdrawal" else "", ""]


def write_paypal(money: list[Money], out: Path) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(PAYPAL_HEADER)
    balance = 0
    for line, m in enumerate(_ordered(money, "paypal"), start=2):
        fee = m.extra.get("fee", 0) if m.extra.get("kind", "charge") == "charge" else 0
        balance += m.amount - fee
        writer.writerow(_paypal_row(m, balance))
        m.file, m.ref, m.line = PAYPAL_FILE, m.extra["txn"], line
    (out / PAYPAL_FILE).write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    return PAYPAL_FILE
