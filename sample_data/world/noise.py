"""Bank lines that are not customers paying: fees, interest, outgoing debits (salaries, rent,
suppliers), ATM withdrawals, and incoming money that is nobody's invoice (the owner topping up
the account, a supplier's refund)."""

from __future__ import annotations

import datetime as dt

from . import names
from .core import BANK_CHANNELS, CHANNEL_CURRENCY, LAST_DAY, MONTH_START, Money, World, day_between

FEES = {"bca": ("BIAYA ADM", 1_500_000), "mt940": ("BIAYA ADMIN BULANAN", 1_250_000),
        "ofx": ("MONTHLY SERVICE FEE", 3_500), "camt": ("Kontofuehrungsentgelt", 990)}
INTEREST = {"bca": ("BUNGA", 8_712_345), "mt940": ("JASA GIRO", 4_310_077),
            "ofx": ("INTEREST PAYMENT", 412), "camt": ("Habenzinsen", 137)}
OUTGOING = {
    "IDR": ("GAJI KARYAWAN {m}", "SEWA RAK PT DATA CENTER INDONESIA", "PEMBAYARAN PLN",
            "TRSF E-BANKING DB {d}/FTSCY/WS{w} TELKOM INDONESIA", "PAJAK PPN {m}"),
    "USD": ("ACH DEBIT PACIFIC COLO LLC", "PAYROLL {m}", "AWS EMEA INVOICE", "CLOUDFLARE INC"),
    "EUR": ("Hetzner Online GmbH Rechnung", "Lohn {m}", "Finanzamt USt {m}"),
}
OTHER_IN = {
    "IDR": ("SETORAN MODAL PEMILIK", "KR OTOMATIS LLG-ANTAR BANK PT MAJU JAYA ABADI",
            "REFUND SUPPLIER PT INDOSAT"),
    "USD": ("OWNER CAPITAL CONTRIBUTION", "REFUND DIGITALOCEAN LLC", "ACH CREDIT IRS TREAS 310"),
    "EUR": ("Erstattung Telekom Deutschland", "Einlage Gesellschafter"),
}


def add_noise(world: World, clients: int) -> None:
    """Per bank account: its monthly fee and interest, outgoing debits, ATM (IDR), and a few
    incoming credits that are nobody's payment; about one line per 25 clients per account."""
    rng = world.rng
    for channel in BANK_CHANNELS:
        currency = CHANNEL_CURRENCY[channel]
        text, amount = FEES[channel]
        _add(world, channel, dt.date(2026, 11, 30), -amount, text, "fee")
        text, amount = INTEREST[channel]
        _add(world, channel, dt.date(2026, 11, 30), amount, text, "interest")
        scale = 1_000_000 if currency == "IDR" else 100
        for _ in range(max(2, clients // 25)):
            day = day_between(rng, MONTH_START, LAST_DAY)
            if rng.random() < 0.8:
                text = rng.choice(OUTGOING[currency]).format(
                    m="NOV 2026", d=f"{day:%d%m}", w=rng.randrange(10000, 99999))
                _add(world, channel, day, -rng.randrange(5, 900) * scale, text, "outgoing")
            elif currency == "IDR" and rng.random() < 0.5:
                _add(world, channel, day, -rng.randrange(1, 30) * 10 * scale,
                     f"TARIKAN ATM {day:%d/%m}", "outgoing")
            else:
                _add(world, channel, day, rng.randrange(3, 300) * scale * 3 + 17 * scale // 10,
                     rng.choice(OTHER_IN[currency]), "other")
        # a transfer whose address carries a postal code that is also an invoice number
        open_ = [inv for inv in world.invoices if inv.currency == currency and inv.is_open]
        if open_ and currency == "IDR":
            inv = rng.choice(open_)
            _add(world, channel, day_between(rng, MONTH_START, LAST_DAY),
                 rng.randrange(3, 40) * 100_000_00 + 7_00, names.postal_trap(inv), "other")


def _add(world: World, channel: str, day: dt.date, amount: int, text: str, kind: str) -> None:
    truth = {"class": kind, "allocations": []}
    world.money.append(Money(channel, day, amount, CHANNEL_CURRENCY[channel], text, "",
                             truth, {"trntype": "DEBIT" if amount < 0 else "CREDIT",
                                     "noise": True}))
