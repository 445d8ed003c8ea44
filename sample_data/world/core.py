"""The world's vocabulary: the shop, its accounts, clients, invoices, money and tickets.

Amounts are integer minor units (every currency here has two decimals); dates are
``datetime.date``. A :class:`Money` record carries its ground truth (``truth``) from the
moment it is invented; the writer of its file fills in where it landed (``file``, ``ref``,
``line``), which is how the truth names it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

MONTH_START = dt.date(2026, 11, 1)
AS_OF = dt.date(2026, 11, 30)
LAST_DAY = dt.date(2026, 12, 3)  # statements run a few days past the as-of date

SHOP = "PT NUSANTARA CLOUD INDONESIA"
BCA_ACCOUNT = "0372543386"
MANDIRI_ACCOUNT = "1230004567890"
CHASE_ACCOUNT = "000123456789"
IBAN = "DE89370400440532013000"
SHOP_ACCOUNTS = (("BCA", BCA_ACCOUNT, "IDR"), ("Mandiri", MANDIRI_ACCOUNT, "IDR"),
                 ("Chase", CHASE_ACCOUNT, "USD"), ("Sparkasse", IBAN, "EUR"))

# channel -> currency; bank channels carry transfers, gateway channels card/wallet charges
CHANNEL_CURRENCY = {"bca": "IDR", "mt940": "IDR", "ofx": "USD", "stripe": "USD",
                    "paypal": "USD", "camt": "EUR"}
BANK_CHANNELS = ("bca", "mt940", "ofx", "camt")


@dataclass
class Client:
    id: int
    first: str
    last: str
    company: str
    email: str
    channel: str
    created: dt.date

    @property
    def currency(self) -> str:
        return CHANNEL_CURRENCY[self.channel]

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def display(self) -> str:
        return self.company or self.name


@dataclass
class Invoice:
    number: str
    client: Client
    issued: dt.date
    due: dt.date
    total: int
    status: str  # billing's status at the start of the run: Unpaid, Overdue, Paid, Cancelled
    old_total: int | None = None  # re-issued for less: what the first version asked
    paid: int = 0  # truth: money applied during the month (reference fee included)
    refunded: int = 0

    @property
    def currency(self) -> str:
        return self.client.currency

    @property
    def is_open(self) -> bool:
        return self.status in ("Unpaid", "Overdue")


@dataclass
class Money:
    """One money record of one source (bank line or gateway row) and its truth."""

    channel: str
    date: dt.date
    amount: int  # signed minor units, from the shop's point of view (gross for gateways)
    currency: str
    memo: str = ""
    holder: str = ""
    truth: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    file: str = ""
    ref: str | None = None
    line: int | None = None

    def key(self) -> dict:
        return {"file": self.file, "ref": self.ref, "line": self.line}


@dataclass
class Ticket:
    """A payment-confirmation claim and its truth (filled in when it is written)."""

    ticket_id: str
    created: dt.datetime
    client: Client
    invoice_text: str  # as typed (maybe with a typo, maybe blank)
    amount_text: str  # as typed (maybe blank)
    transfer_date: dt.date
    holder: str
    destination: str
    subject: str
    message: str
    truth: dict
    money: Money | None = None
    shape: str = "flat"  # flat | whmcs | csv
    file: str = ""
    line: int | None = None


@dataclass
class World:
    seed: int
    clients: list[Client]
    invoices: list[Invoice]
    money: list[Money] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)
    payouts: list[dict] = field(default_factory=list)
    rng: random.Random = field(default_factory=random.Random)


def plain(minor: int) -> str:
    """``150000`` -> ``1500.00`` (sign kept)."""
    sign = "-" if minor < 0 else ""
    return f"{sign}{abs(minor) // 100}.{abs(minor) % 100:02d}"


def grouped(minor: int, thousands: str = ",", decimal: str = ".") -> str:
    """``150000000`` -> ``1,500,000.00`` (or ``1.500.000,00``); no sign."""
    whole = f"{abs(minor) // 100:,}".replace(",", thousands)
    return f"{whole}{decimal}{abs(minor) % 100:02d}"


def day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    span = max(0, (last - first).days)
    return first + dt.timedelta(days=rng.randint(0, span))
