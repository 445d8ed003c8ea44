"""People, companies and the texts banks print: account-holder names that are not the
client's, memos with and without references, and numbers that only look like references."""

from __future__ import annotations

import random

from . import name_pools as pools
from .core import Client, Invoice, plain

TITLES = {"IDR": ("BPK", "BAPAK", "IBU", "SDR", "SDRI"), "USD": ("MR", "MRS", "MS", "DR"),
          "EUR": ("HERR", "FRAU", "DR", "MR")}


def person(rng: random.Random, currency: str) -> tuple[str, str]:
    """(given names, family name): ``('Dewi Ayu', 'Lestari')``, ``('Lukas', 'Hartmann')``."""
    return pools.given(rng, currency), pools.family(rng, currency)


def company(rng: random.Random, currency: str) -> str:
    words = pools.firm_words(rng, currency)
    if currency == "IDR":
        return f"{rng.choice(('PT', 'PT', 'CV'))} {' '.join(words)}"
    words = " ".join(words)
    if rng.random() < 0.3:  # long enough for OFX to cut it at 32 characters
        words += rng.choice((" Hosting Solutions International", " Digital Services Holdings",
                             " Online Marketing and Design Group"))
    suffix = {"USD": ("LLC", "Inc.", "Co."), "EUR": ("GmbH", "UG", "SARL", "B.V.")}[currency]
    return f"{words} {rng.choice(suffix)}"


def own_holder(rng: random.Random, client: Client) -> str:
    """The client's own account, as a bank prints it: upper case, swapped, with a title,
    the company or the person behind it."""
    roll = rng.random()
    if client.company and roll < 0.5:
        return client.company.upper()
    if roll < 0.75:
        return client.name.upper()
    if roll < 0.87:
        return f"{client.last} {client.first}".upper()
    return f"{rng.choice(TITLES[client.currency])} {client.name.upper()}"


def other_holder(rng: random.Random, client: Client) -> str:
    """Somebody else paying for the client: a relative, a colleague, the employer."""
    first, last = person(rng, client.currency)
    roll = rng.random()
    if roll < 0.3:
        return f"{first.split()[0]} {client.last}".upper()  # family: the client's family name
    if roll < 0.55:
        return company(rng, client.currency).upper()
    if roll < 0.7:
        return f"{rng.choice(TITLES[client.currency])} {first} {last}".upper()
    return f"{first} {last}".upper()


def reference_memo(rng: random.Random, invoices: list[Invoice]) -> str:
    """A memo that names the invoice(s) in one of the ways people write it."""
    numbers = [inv.number for inv in invoices]
    if len(numbers) > 1:
        roll = rng.random()
        if roll < 0.3:
            return " ".join(f"INV {n}" for n in numbers)
        if roll < 0.45:
            return "pembayaran " + " ".join(f"#{n}" for n in numbers)
        joined = rng.choice((", ".join, " ".join, " & ".join))(numbers)
        return rng.choice((f"INV {joined}", f"invoices {joined}", f"pembayaran inv {joined}"))
    n = numbers[0]
    return rng.choice((f"INV {n}", f"Invoice #{n}", f"pembayaran inv{n} hosting",
                       f"payment for invoice {n}", f"INV{n} VPS", f"Faktur no. {n}",
                       f"tagihan {n} bulan november", f"#{n} hosting"))


def plain_memo(rng: random.Random, invoice: Invoice, holder: str) -> str:
    """A memo without a reference, sometimes with numbers that are not references."""
    return rng.choice((
        "", "hosting", "bayar vps", "pembayaran hosting november", "transfer",
        f"{holder}", "payment", "renewal", f"KODE POS {10110 + rng.randrange(3000)}",
        f"CABANG {rng.randrange(1, 999):04d}", f"{plain(invoice.total)}",
        f"TGL {invoice.issued:%d/%m}", f"REK {rng.randrange(10**9, 10**10)}",
        f"JL SUDIRMAN NO {rng.randrange(1, 200)} JAKARTA {10110 + rng.randrange(3000)}",
    ))


def postal_trap(invoice: Invoice) -> str:
    """An address whose postal code is also a real invoice number."""
    return f"JL KEMANG RAYA NO 8 JAKARTA SELATAN {invoice.number}"
