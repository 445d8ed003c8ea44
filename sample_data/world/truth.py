"""The ground truth of a generated month, as JSON: every money record, ticket, invoice and
payout, named the way the exports name input records (file base name + natural key + line)."""

from __future__ import annotations

from .core import AS_OF, SHOP_ACCOUNTS, Invoice, Money, Ticket, World, plain


def truth_of(world: World, files: list[str]) -> dict:
    open_totals = _open_totals(world.invoices)
    return {
        "seed": world.seed, "clients": len(world.clients), "as_of": AS_OF.isoformat(),
        "files": files,
        "shop_accounts": [{"bank": b, "number": n, "currency": c} for b, n, c in SHOP_ACCOUNTS],
        "money": [_money(m, open_totals) for m in _in_order(world.money)],
        "tickets": [_ticket(t) for t in sorted(world.tickets, key=lambda t: (t.file, t.line))],
        "invoices": [_invoice(inv) for inv in world.invoices],
        "payouts": [{"gateway": p["gateway"], "payout_id": p["payout_id"],
                     "amount": plain(p["amount"]), "currency": p["currency"],
                     "item_count": p["item_count"],
                     "bank": p["bank"].key() if p["bank"] else None} for p in world.payouts],
    }


def _in_order(money: list[Money]) -> list[Money]:
    return sorted(money, key=lambda m: (m.file, m.line or 0, m.ref or ""))


def _open_totals(invoices: list[Invoice]) -> dict[tuple[str, int], int]:
    counts: dict[tuple[str, int], int] = {}
    for inv in invoices:
        if inv.is_open:
            key = (inv.currency, inv.total)
            counts[key] = counts.get(key, 0) + 1
    return counts


def _money(m: Money, open_totals: dict) -> dict:
    truth = m.truth
    kind = truth["class"]
    out = {**m.key(), "date": m.date.isoformat(), "amount": plain(m.amount),
           "currency": m.currency, "class": kind,
           "source_kind": "gateway" if m.channel in ("stripe", "paypal") else "bank"}
    if m.date > AS_OF:
        out["class"], out["class_later"] = "after_as_of", kind
    if kind in ("payment", "credit"):
        evidence = truth.get("evidence", "none")
        if evidence == "amount_only" and open_totals.get((m.currency, m.amount), 0) != 1:
            evidence = "none"  # several open invoices ask exactly this amount
        out["evidence"] = evidence
    out["allocations"] = [{"invoice": a["invoice"], "amount": plain(a["amount"])}
                          for a in truth.get("allocations", [])]
    for name in ("detail", "payout_id", "gateway", "invoice"):
        if truth.get(name):
            out[name] = truth[name]
    for name in ("fee", "credit"):
        if truth.get(name):
            out[name] = plain(truth[name])
    if truth.get("of") is not None:
        out["of"] = truth["of"].key()
    return out


def _ticket(t: Ticket) -> dict:
    truth = t.truth
    bank = truth.get("bank")
    duplicate = truth.get("duplicate_of")
    return {"ticket_id": t.ticket_id, "file": t.file, "line": t.line, "class": truth["class"],
            "invoice": truth["invoice"], "claimed_invoice": t.invoice_text,
            "bank": bank.key() if bank is not None else None,
            "duplicate_of": duplicate.ticket_id if duplicate is not None else None}


def _invoice(inv: Invoice) -> dict:
    if inv.status == "Paid":
        status, paid = "paid", inv.total
    elif inv.status == "Cancelled":
        status, paid = "cancelled", 0
    else:
        paid = max(0, min(inv.paid, inv.total))
        status = "paid" if paid >= inv.total else "partially_paid" if paid else "unpaid"
    return {"invoice_number": inv.number, "client_id": str(inv.client.id),
            "currency": inv.currency, "total": plain(inv.total), "paid_amount": plain(paid),
            "status": status, "billing_status": inv.status,
            "reissued_from": plain(inv.old_total) if inv.old_total else None,
            "refunded": plain(inv.refunded) if inv.refunded else None}
