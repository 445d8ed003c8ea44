"""Gateway life after the charge: duplicate charges, refunds, disputes, and payouts (Stripe's
automatic payouts, PayPal withdrawals) that reach the bank a few days later as one line equal to
the sum of their net items."""

from __future__ import annotations

import datetime as dt

from .core import AS_OF, LAST_DAY, Invoice, Money, World

STRIPE_PAYOUT_DAYS = [dt.date(2026, 11, d) for d in (4, 8, 12, 16, 20, 24, 28)] + [
    dt.date(2026, 12, 2)]
PAYPAL_WITHDRAWAL_DAYS = [dt.date(2026, 11, d) for d in (13, 22, 30)]
DISPUTE_FEE = 1500


def fee_of(channel: str, gross: int) -> int:
    """Stripe 2.9 % + 0.30, PayPal 4.4 % + 0.30 (of a charge, in cents)."""
    rate = 29 if channel == "stripe" else 44
    return gross * rate // 1000 + 30


def add_gateway_life(world: World) -> None:
    """Number the charges, add duplicates, refunds and disputes, then the payouts."""
    rng = world.rng
    charges = [m for m in world.money if m.channel in ("stripe", "paypal") and m.amount > 0]
    for n, charge in enumerate(charges):
        _identify(charge, n, rng.randrange(24), rng.randrange(60))
    extra: list[Money] = []
    for charge in charges:
        roll = rng.random()
        if charge.truth["class"] != "payment":
            continue
        if roll < 0.03:
            duplicate = _duplicate(charge)
            extra.append(duplicate)
            if rng.random() < 0.5:
                extra.append(_reverse(duplicate, "refund", rng.randint(1, 4)))
        elif roll < 0.06:
            extra.append(_reverse(charge, "refund", rng.randint(2, 12)))
        elif roll < 0.075 and charge.channel == "stripe":
            extra.append(_reverse(charge, "dispute", rng.randint(5, 20)))
    world.money.extend(m for m in extra if m.date <= LAST_DAY)
    _stripe_payouts(world)
    _paypal_withdrawals(world)


def _identify(money: Money, n: int, hour: int, minute: int) -> None:
    prefix = "3Q" if money.channel == "stripe" else ""
    money.extra.update(
        txn=f"txn_{prefix}{n:06d}Wq{money.date:%m%d}" if money.channel == "stripe"
        else f"{n:05d}PP{money.date:%m%d}X{hour:02d}{minute:02d}",
        charge_id=f"ch_3Q{n:06d}Zk{money.date:%m%d}", hour=hour, minute=minute,
        fee=fee_of(money.channel, money.amount))


def _duplicate(charge: Money) -> Money:
    """The same card charged twice a few minutes apart (a double click on Pay)."""
    dup = Money(charge.channel, charge.date, charge.amount, charge.currency, charge.memo,
                charge.holder, {"class": "duplicate_charge", "of": charge, "allocations": [],
                                "invoice": charge.extra.get("invoice_meta", "")},
                dict(charge.extra))
    dup.extra.update(txn=charge.extra["txn"] + "D", charge_id=charge.extra["charge_id"] + "D",
                     minute=min(59, charge.extra["minute"] + 3))
    return dup


def _reverse(charge: Money, kind: str, days: int) -> Money:
    """A refund or a dispute (chargeback) of the whole charge; when the charge paid an invoice
    inside the month, the invoice is open again."""
    day = charge.date + dt.timedelta(days=days)
    fee = DISPUTE_FEE if kind == "dispute" else 0
    truth = {"class": "refund" if kind == "refund" else "chargeback", "of": charge,
             "allocations": []}
    money = Money(charge.channel, day, -charge.amount, charge.currency,
                  f"REFUND FOR CHARGE ({charge.memo})" if kind == "refund"
                  else "Chargeback: fraudulent", charge.holder, truth, dict(charge.extra))
    money.extra.update(kind=kind, fee=fee, txn=charge.extra["txn"] + ("R" if kind == "refund"
                                                                      else "C"))
    invoice: Invoice | None = charge.extra.get("invoice")
    if invoice is not None and charge.truth["class"] == "payment" and day <= AS_OF \
            and charge.date <= AS_OF:
        invoice.paid -= charge.amount
        invoice.refunded += charge.amount
    return money


def net_of(money: Money) -> int:
    kind = money.extra.get("kind", "charge")
    if kind == "charge":
        return money.amount - money.extra["fee"]
    return money.amount - money.extra.get("fee", 0)


def _stripe_payouts(world: World) -> None:
    items = sorted((m for m in world.money if m.channel == "stripe"),
                   key=lambda m: (m.date, m.extra["txn"]))
    paid_out: set[int] = set()
    for n, day in enumerate(STRIPE_PAYOUT_DAYS):
        batch = [m for m in items if id(m) not in paid_out and _available(m) <= day]
        if not batch:
            continue
        paid_out.update(id(m) for m in batch)
        payout_id = f"po_1Q{n:04d}Nv{day:%m%d}"
        total = sum(net_of(m) for m in batch)
        for m in batch:
            m.extra["payout_id"] = payout_id
        record = Money("stripe", day, -total, "USD", "STRIPE PAYOUT", "",
                       {"class": "gateway_payout", "payout_id": payout_id, "allocations": []},
                       {"kind": "payout", "txn": f"txn_1Q{n:04d}Po{day:%m%d}", "fee": 0,
                        "payout_id": payout_id, "hour": 0, "minute": 12})
        world.money.append(record)
        _bank_line(world, "stripe", payout_id, total, day + dt.timedelta(days=2),
                   f"STRIPE TRANSFER ST-{payout_id[-8:].upper()}", "STRIPE", len(batch))


def _available(money: Money) -> dt.date:
    return money.date + dt.timedelta(days=2) if money.amount > 0 else money.date


def _paypal_withdrawals(world: World) -> None:
    items = sorted((m for m in world.money if m.channel == "paypal"),
                   key=lambda m: (m.date, m.extra["txn"]))
    paid_out: set[int] = set()
    for n, day in enumerate(PAYPAL_WITHDRAWAL_DAYS):
        batch = [m for m in items if id(m) not in paid_out and m.date < day]
        if not batch:
            continue
        paid_out.update(id(m) for m in batch)
        total = sum(net_of(m) for m in batch)
        txn = f"{90000 + n:05d}WD{day:%m%d}00000"
        record = Money("paypal", day, -total, "USD", "", "",
                       {"class": "gateway_payout", "payout_id": txn, "allocations": []},
                       {"kind": "withdrawal", "txn": txn, "fee": 0, "hour": 3, "minute": 0})
        world.money.append(record)
        _bank_line(world, "paypal", txn, total, day + dt.timedelta(days=3),
                   f"PAYPAL TRANSFER {txn[:9]}", "PAYPAL", len(batch))


def _bank_line(world: World, gateway: str, payout_id: str, amount: int, day: dt.date,
               memo: str, holder: str, count: int) -> None:
    payout = {"gateway": gateway, "payout_id": payout_id, "amount": amount, "currency": "USD",
              "item_count": count, "bank": None}
    if day <= LAST_DAY:
        line = Money("ofx", day, amount, "USD", memo, holder,
                     {"class": "payout", "payout_id": payout_id, "gateway": gateway,
                      "allocations": []}, {"trntype": "CREDIT"})
        world.money.append(line)
        payout["bank"] = line
    world.payouts.append(payout)
