"""Payment-confirmation tickets: claims typed by people. Flat JSON Lines tickets, WHMCS-shaped
tickets with Indonesian custom-field labels, an English CSV export from the e-mail inbox; typos
in invoice numbers, blank fields (the invoice and amount only in the subject or message), typed
amounts, the same confirmation sent twice, claims for money that never came, and a claim naming
an account that is not the shop's."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from pathlib import Path

from .core import (
    AS_OF,
    BCA_ACCOUNT,
    CHASE_ACCOUNT,
    IBAN,
    MANDIRI_ACCOUNT,
    Client,
    Invoice,
    Money,
    Ticket,
    World,
)

JSONL_FILE = "tickets-billing-2026-11.jsonl"
CSV_FILE = "tickets-email-2026-11.csv"
DESTINATION = {"bca": f"BCA {BCA_ACCOUNT}", "mt940": f"Mandiri {MANDIRI_ACCOUNT}",
               "ofx": f"Chase {CHASE_ACCOUNT}", "camt": f"Sparkasse {IBAN}"}
FOREIGN_ACCOUNTS = ("BRI 0021-01-998877-50-3", "BCA 7410852963 a.n. NUSANTARA CLOUD BILLING",
                    "Mandiri 9000012345678 a.n. CV Cloud Nusantara")
LABELS = (("No. Invoice", "invoice_number"), ("Tujuan Transfer", "destination_account"),
          ("Jumlah Transfer", "amount"), ("Tanggal Transfer", "transfer_date"),
          ("Nama di Rekening", "account_holder"))
ENGLISH_LABELS = (("Invoice Number", "invoice_number"),
                  ("Destination Account", "destination_account"),
                  ("Amount Transferred", "amount"), ("Transfer Date", "transfer_date"),
                  ("Account Holder", "account_holder"))
CSV_HEADER = ["ticket_id", "created_at", "name", "email", "client_id", "subject", "message",
              "invoice_number", "destination_account", "amount", "currency", "transfer_date",
              "account_holder"]


def typed_amount(rng: random.Random, minor: int, currency: str) -> str:
    """An amount as a person types it: ``Rp 1.500.000``, ``1500000``, ``1.500.000,00``,
    ``832,500``; ``$240.00`` / ``EUR 89,00`` outside IDR."""
    whole, cents = divmod(minor, 100)
    if currency != "IDR":
        return rng.choice((f"${whole:,}.{cents:02d}" if currency == "USD" else
                           f"EUR {whole},{cents:02d}", f"{whole}.{cents:02d}"))
    dotted = f"{whole:,}".replace(",", ".")
    return rng.choice((f"Rp {dotted}", f"{whole}", f"{dotted},00", f"Rp. {dotted},-",
                       f"{whole:,}", f"IDR {dotted}"))


def typo(rng: random.Random, number: str) -> str:
    """Two neighbouring digits swapped, a digit dropped, or a letter O for a zero."""
    roll = rng.random()
    if roll < 0.5:
        i = rng.randrange(len(number) - 1)
        swapped = number[:i] + number[i + 1] + number[i] + number[i + 2:]
        return swapped if swapped != number else number[:-1]
    if roll < 0.8 or "0" not in number:
        return number[:-1]
    return number.replace("0", "O", 1)


def _claim(world: World, client: Client, invoice: Invoice, amount: int, day: dt.date,
           holder: str, destination: str, truth: dict, shape: str) -> Ticket:
    rng = world.rng
    created = dt.datetime.combine(min(day + dt.timedelta(days=rng.randint(0, 2)), AS_OF),
                                  dt.time(rng.randrange(7, 22), rng.randrange(60)))
    number = typo(rng, invoice.number) if rng.random() < 0.08 else invoice.number
    typed = typed_amount(rng, amount, client.currency)
    ticket = Ticket(f"BIL-{740000 + len(world.tickets)}", created, client, number, typed, day,
                    holder, destination, "", "", {**truth, "invoice": invoice.number}, None,
                    shape)
    if rng.random() < 0.2:  # blank fields: only the subject and message carry the claim
        ticket.subject = f"Konfirmasi Pembayaran Invoice #{number}"
        ticket.message = f"Selamat siang, sudah transfer {typed} tanggal {day:%d/%m/%Y}. " \
                         "Mohon dicek, terima kasih."
        ticket.invoice_text = ticket.amount_text = ""
    else:
        ticket.subject = rng.choice(("Konfirmasi Pembayaran", "Payment confirmation",
                                     f"Konfirmasi Pembayaran Invoice #{number}"))
        ticket.message = "Bukti transfer terlampir.\nTerima kasih."
    world.tickets.append(ticket)
    return ticket


def add_tickets(world: World) -> None:
    """Tickets for the payments that asked for one, their duplicates, and claims without
    money (unpaid invoices; a few to accounts that are not the shop's)."""
    rng = world.rng
    for money in [m for m in world.money if "ticket_for" in m.extra]:
        inv: Invoice = money.extra["ticket_for"]
        status = "verified" if money.date <= AS_OF else "pending"
        shape = "whmcs" if rng.random() < 0.4 else "flat"
        ticket = _claim(world, inv.client, inv, money.amount, money.date, money.holder.title(),
                        DESTINATION[money.channel], {"class": status, "bank": money}, shape)
        ticket.money = money
        if rng.random() < 0.06:
            again = _claim(world, inv.client, inv, money.amount, money.date, ticket.holder,
                           ticket.destination, {"class": "duplicate", "bank": money,
                                                "duplicate_of": ticket}, shape)
            again.created = max(again.created, ticket.created + dt.timedelta(hours=20))
    english = [m for m in world.money if m.channel in ("ofx", "camt")
               and m.truth.get("class") == "payment" and m.truth.get("allocations")]
    for money in english[:: 30]:
        inv = _invoice_of(world, money)
        _claim(world, inv.client, inv, money.amount, money.date, money.holder.title(),
               DESTINATION[money.channel],
               {"class": "verified" if money.date <= AS_OF else "pending", "bank": money}, "csv")
    _claims_without_money(world)


def _invoice_of(world: World, money: Money) -> Invoice:
    number = money.truth["allocations"][0]["invoice"]
    return next(inv for inv in world.invoices if inv.number == number)


def _claims_without_money(world: World) -> None:
    rng = world.rng
    unpaid = [inv for inv in world.invoices if inv.is_open and inv.paid == 0
              and inv.client.channel in ("bca", "mt940", "ofx")]
    count = max(3, len(world.clients) // 60)
    for k, inv in enumerate(rng.sample(unpaid, min(count, len(unpaid)))):
        day = AS_OF - dt.timedelta(days=rng.randint(1, 25))
        foreign = k % 6 == 0
        destination = rng.choice(FOREIGN_ACCOUNTS) if foreign else DESTINATION[inv.client.channel]
        if foreign:
            status = "unknown_destination_account"
        else:
            status = "pending" if (AS_OF - day).days < 7 else "claimed_not_received"
        shape = "csv" if inv.client.channel == "ofx" else rng.choice(("flat", "whmcs"))
        _claim(world, inv.client, inv, inv.total, day, inv.client.name, destination,
               {"class": status, "bank": None}, shape)


def _flat(t: Ticket) -> dict:
    return {"ticket_id": t.ticket_id, "created_at": f"{t.created:%Y-%m-%d %H:%M:%S}",
            "name": t.client.name, "email": t.client.email, "client_id": str(t.client.id),
            "subject": t.subject, "message": t.message, "invoice_number": t.invoice_text,
            "destination_account": t.destination, "amount": t.amount_text,
            "currency": t.client.currency if t.amount_text else "",
            "transfer_date": f"{t.transfer_date:%d/%m/%Y}", "account_holder": t.holder}


def _whmcs(t: Ticket, n: int) -> dict:
    flat = _flat(t)
    t.ticket_id = str(760000 + n)
    labels = ENGLISH_LABELS if t.client.currency != "IDR" or n % 4 == 3 else LABELS
    return {"id": 5000 + n, "tid": t.ticket_id, "deptid": 2, "deptname": "Billing",
            "userid": t.client.id, "name": flat["name"], "email": flat["email"],
            "date": flat["created_at"], "subject": t.subject, "message": t.message,
            "status": "Open", "priority": "Medium",
            "customfields": [{"id": 11 + k, "name": label, "value": flat[key]}
                             for k, (label, key) in enumerate(labels)]}


def write_tickets(world: World, out: Path) -> list[str]:
    tickets = sorted(world.tickets, key=lambda t: (t.created, t.ticket_id))
    lines = []
    for n, t in enumerate(t for t in tickets if t.shape != "csv"):
        lines.append(json.dumps(_whmcs(t, n) if t.shape == "whmcs" else _flat(t),
                                ensure_ascii=False))
        t.file, t.line = JSONL_FILE, len(lines)
    (out / JSONL_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for t in (t for t in tickets if t.shape == "csv"):
        line = buffer.getvalue().count("\n") + 1
        row = {**_flat(t), "subject": _english(t.subject), "message": _english(t.message)}
        writer.writerow([row[name] for name in CSV_HEADER])
        t.file, t.line = CSV_FILE, line
    (out / CSV_FILE).write_text(buffer.getvalue(), encoding="utf-8")
    return [JSONL_FILE, CSV_FILE]


ENGLISH = (("Konfirmasi Pembayaran Invoice", "Payment confirmation invoice"),
           ("Konfirmasi Pembayaran", "Payment confirmation"),
           ("Bukti transfer terlampir.", "Please find the transfer receipt attached."),
           ("Terima kasih.", "Thank you."), ("Selamat siang, sudah transfer", "Hi, I sent"),
           (" tanggal ", " on "), ("Mohon dicek, terima kasih.", "Please check, thanks."))


def _english(text: str) -> str:
    """The e-mail inbox's confirmations are written in English."""
    for indonesian, english in ENGLISH:
        text = text.replace(indonesian, english)
    return text
