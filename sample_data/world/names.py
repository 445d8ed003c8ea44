"""People, companies and the texts banks print: account-holder names that are not the
client's, memos with and without references, and numbers that only look like references."""

from __future__ import annotations

import random

from .core import Client, Invoice, plain

ID_FIRST = ("Budi", "Rina", "Siti", "Andi", "Dewi", "Agus", "Putri", "Wahyu", "Sari", "Eko",
            "Rudi", "Yanti", "Hendra", "Fitri", "Joko", "Nur", "Bayu", "Indah", "Dian", "Rizky")
ID_LAST = ("Santoso", "Tanjung", "Wijaya", "Lestari", "Halim", "Pratama", "Kusuma",
           "Nugroho", "Hidayat", "Rahma", "Saputra", "Siregar", "Gunawan", "Setiawan",
           "Purnomo", "Hakim", "Susanto", "Wibowo")
EN_FIRST = ("John", "Emily", "Michael", "Sarah", "David", "Laura", "James", "Anna", "Robert",
            "Linda", "Marco", "Jonas", "Lena", "Alice", "Thomas", "Julia", "Peter", "Claire")
EN_LAST = ("Smith", "Carter", "Moreau", "Fischer", "Weber", "Rossi", "Zhang", "Klein",
           "Garcia", "Miller", "Brown", "Dubois", "Novak", "Jensen", "Schmidt", "Bauer")
ID_WORDS = ("Kopi", "Digital", "Nusantara", "Maju", "Jaya", "Sinar", "Abadi", "Karya",
            "Media", "Solusi", "Teknologi", "Sentosa", "Mandiri", "Berkah", "Cipta", "Data")
EN_WORDS = ("Pixel", "Harbor", "Summit", "Bright", "North", "Apps", "Studio", "Labs",
            "Cloud", "Works", "Web", "Atlas", "Cedar", "Orbit", "Trattoria", "Design")
TITLES = {"IDR": ("BPK", "BAPAK", "IBU", "SDR", "SDRI"), "USD": ("MR", "MRS", "MS", "DR"),
          "EUR": ("HERR", "FRAU", "DR", "MR")}


def person(rng: random.Random, currency: str) -> tuple[str, str]:
    if currency == "IDR":
        return rng.choice(ID_FIRST), rng.choice(ID_LAST)
    return rng.choice(EN_FIRST), rng.choice(EN_LAST)


def company(rng: random.Random, currency: str) -> str:
    if currency == "IDR":
        words = rng.sample(ID_WORDS, 3 if rng.random() < 0.5 else 2)
        return f"{rng.choice(('PT', 'PT', 'CV'))} {' '.join(words)}"
    words = " ".join(rng.sample(EN_WORDS, 2))
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
        return f"{first} {client.last}".upper()  # family
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
