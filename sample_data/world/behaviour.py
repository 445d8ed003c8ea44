"""How clients pay during the month: one transfer or charge per invoice (with or without a
reference, from their own account or somebody else's), partial payments, overpayments, wire
fees, mass payments, payments on invoices already paid or cancelled. Every payment gets its
truth here: which invoices it pays, how much, and the evidence a matcher could use."""

from __future__ import annotations

import datetime as dt
import random

from . import names
from .core import AS_OF, BANK_CHANNELS, LAST_DAY, MONTH_START, Client, Invoice, Money, World

# behaviour of an open invoice during the month (the rest stay unpaid)
OPEN_BEHAVIOUR = (("reference", 0.50), ("ticket", 0.07), ("identity", 0.06), ("anonymous", 0.05),
                  ("partial", 0.03), ("overpay", 0.015), ("wire_fee", 0.03))
MASS_SHARE = 0.10  # clients with several open invoices who pay them in one transfer
WIRE_FEE = {"IDR": (250_000, 650_000), "USD": (1_000, 1_500, 2_500), "EUR": (500, 800)}


def _pick(rng: random.Random, table) -> str | None:
    roll, acc = rng.random(), 0.0
    for name, share in table:
        acc += share
        if roll < acc:
            return name
    return None


def pay_day(rng: random.Random, invoices: list[Invoice]) -> dt.date:
    start = max(max(inv.issued for inv in invoices), MONTH_START)
    return start + dt.timedelta(days=rng.randint(0, 18))


def add_payments(world: World) -> None:
    """Append every client payment (bank transfer or gateway charge) to ``world.money``."""
    rng = world.rng
    by_client: dict[int, list[Invoice]] = {}
    for inv in world.invoices:
        by_client.setdefault(inv.client.id, []).append(inv)
    for client in world.clients:
        invoices = by_client.get(client.id, [])
        open_ = [inv for inv in invoices if inv.is_open and not inv.old_total]
        if len(open_) >= 2 and client.channel in BANK_CHANNELS and rng.random() < MASS_SHARE:
            paid = open_ if len(open_) == 2 else rng.sample(open_, rng.randint(2, len(open_)))
            _mass_payment(world, client, sorted(paid, key=lambda inv: inv.number))
            invoices = [inv for inv in invoices if inv not in paid]
        for inv in invoices:
            _pay_invoice(world, inv)


def _money(world: World, client: Client, day: dt.date, amount: int, memo: str, holder: str,
           truth: dict, **extra) -> Money | None:
    if day > LAST_DAY:
        return None
    money = Money(client.channel, day, amount, client.currency, memo, holder, truth,
                  {"client": client, **extra})
    world.money.append(money)
    return money


def _allocate(inv: Invoice, amount: int, day: dt.date) -> dict:
    """The truth of applying ``amount`` to ``inv`` (counted only for money up to the as-of)."""
    if day <= AS_OF:
        inv.paid += amount
    return {"invoice": inv.number, "amount": amount}


def _mass_payment(world: World, client: Client, invoices: list[Invoice]) -> None:
    """One transfer for several of the client's open invoices: naming them, or with no
    reference at all (then only the exact sum of these invoices tells)."""
    rng = world.rng
    day = pay_day(rng, invoices)
    total = sum(inv.total for inv in invoices)
    with_refs = rng.random() < 0.6
    memo = names.reference_memo(rng, invoices) if with_refs else rng.choice(
        ("pembayaran hosting", "bayar semua tagihan", "payment", ""))
    truth = {"class": "payment", "evidence": "reference" if with_refs else "client_identity",
             "detail": "mass payment", "allocations": []}
    if day <= LAST_DAY:
        truth["allocations"] = [_allocate(inv, inv.total, day) for inv in invoices]
    _money(world, client, day, total, memo, names.own_holder(rng, client), truth)


def _pay_invoice(world: World, inv: Invoice) -> None:
    rng = world.rng
    if inv.status == "Paid" or inv.status == "Cancelled":
        if rng.random() < 0.2:
            _pay_closed(world, inv)
        return
    if inv.old_total:
        behaviour = "reissued" if rng.random() < 0.8 else None
    else:
        behaviour = _pick(rng, OPEN_BEHAVIOUR)
    gateway = inv.client.channel in ("stripe", "paypal")
    if behaviour is None:
        return
    if gateway:
        _charge(world, inv, behaviour)
    else:
        _transfer(world, inv, behaviour)


def _pay_closed(world: World, inv: Invoice) -> None:
    """A client pays an invoice billing already marks Paid or Cancelled: customer money that
    must not be applied (an exception, then a credit)."""
    rng = world.rng
    day = pay_day(world.rng, [inv])
    kind = "payment_on_paid_invoice" if inv.status == "Paid" else "payment_on_cancelled_invoice"
    truth = {"class": "credit", "evidence": "reference", "detail": kind,
             "invoice": inv.number, "allocations": []}
    if inv.client.channel in ("stripe", "paypal"):
        _money(world, inv.client, day, inv.total, f"Invoice #{inv.number}", inv.client.name,
               truth, invoice_meta=inv.number)
    else:
        _money(world, inv.client, day, inv.total, names.reference_memo(rng, [inv]),
               names.own_holder(rng, inv.client), truth)


def _transfer(world: World, inv: Invoice, behaviour: str) -> None:
    rng, client = world.rng, inv.client
    day = pay_day(rng, [inv])
    if behaviour == "ticket" and client.currency != "IDR":
        behaviour = "reference"
    amount, applied, fee, credit, detail = inv.total, inv.total, 0, 0, ""
    if behaviour == "partial":
        amount = applied = inv.total // 2 // 100 * 100 or inv.total // 2
        detail = "partial payment"
    elif behaviour == "overpay":
        credit = rng.choice((1, 2, 5, 10)) * (100_000_00 if client.currency == "IDR" else 100)
        amount, detail = inv.total + credit, "overpayment"
    elif behaviour == "wire_fee":
        fee = min(rng.choice(WIRE_FEE[client.currency]), inv.total // 20)
        amount, detail = inv.total - fee, "wire fee deducted"
    elif behaviour == "reissued":
        if rng.random() < 0.5:
            credit = inv.old_total - inv.total
            amount, detail = inv.old_total, "paid the first version of a re-issued invoice"
        else:
            detail = "paid the re-issued invoice"
    referenced = behaviour not in ("ticket", "identity", "anonymous")
    own = behaviour == "identity" or (rng.random() < 0.6 and behaviour != "anonymous")
    holder = names.own_holder(rng, client) if own else names.other_holder(rng, client)
    memo = names.reference_memo(rng, [inv]) if referenced else names.plain_memo(rng, inv, holder)
    evidence = "reference" if referenced else {"ticket": "ticket", "identity": "client_identity",
                                               "anonymous": "amount_only"}[behaviour]
    truth = {"class": "payment", "evidence": evidence, "detail": detail, "allocations": [],
             "fee": fee, "credit": credit}
    if day <= LAST_DAY:
        truth["allocations"] = [_allocate(inv, applied, day)]
    money = _money(world, client, day, amount, memo, holder, truth,
                   cash=behaviour == "anonymous" and client.channel == "bca"
                   and rng.random() < 0.3)
    if money and (behaviour == "ticket" or (client.currency == "IDR" and rng.random() < 0.1)):
        money.extra["ticket_for"] = inv


def _charge(world: World, inv: Invoice, behaviour: str) -> None:
    """A card or wallet charge: the gateway knows the invoice (metadata) unless the client paid
    through a plain payment link, when only the e-mail and name tell who paid."""
    rng, client = world.rng, inv.client
    day = pay_day(rng, [inv])
    with_invoice = behaviour not in ("identity", "anonymous")
    truth = {"class": "payment", "evidence": "reference" if with_invoice else "client_identity",
             "detail": "", "allocations": []}
    if day <= LAST_DAY:
        truth["allocations"] = [_allocate(inv, inv.total, day)]
    memo = f"Invoice #{inv.number} - hosting" if with_invoice else "Payment link - hosting"
    _money(world, client, day, inv.total, memo, client.name, truth,
           invoice_meta=inv.number if with_invoice else "", invoice=inv)
