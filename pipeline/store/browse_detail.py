"""The detail pages' reads: one invoice (its money, allocations, billing history, exceptions,
ledger) and one money line (what the engine did with it, and the candidates its passes
considered with why each was or was not taken, as stored: nothing is recomputed).

Each part is one indexed query; rows are plain dicts with raw text.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from pipeline.rule_sentences import rule_sentence
from pipeline.store import tables
from pipeline.store.browse import Money


def _rows(conn: Connection, query) -> list[dict]:  # noqa: ANN001
    return [dict(r._mapping) for r in conn.execute(query)]


def invoice_detail(conn: Connection, invoice_number: str) -> dict | None:
    """The invoice as billing shows it now, or None when there is no such invoice; with
    ``allocations`` (each with its money line), ``history`` (billing's earlier versions,
    oldest first), ``exceptions`` naming it, ``ledger`` (every entry on it, in order) and
    ``candidates`` (money lines whose passes considered it)."""
    inv = tables.invoices
    found = conn.execute(select(inv).where(inv.c.invoice_number == invoice_number)).first()
    if found is None:
        return None
    a, e = tables.match_allocations, tables.match_exceptions
    money = Money(a.c.payment_kind, a.c.payment_id)
    allocations = select(a.c.id, a.c.match_id, a.c.payment_kind, a.c.payment_id,
                         a.c.applied_minor, a.c.fee_minor, a.c.currency, a.c.status, a.c.rule,
                         a.c.confidence, a.c.reason, *money.columns).select_from(
        money.join(a)).where(a.c.invoice_number == invoice_number).order_by(a.c.id)
    e_money = Money(e.c.payment_kind, e.c.payment_id)
    exceptions = select(e.c.id, e.c.kind, e.c.payment_kind, e.c.payment_id, e.c.amount_minor,
                        e.c.currency, e.c.detail, *e_money.columns).select_from(
        e_money.join(e)).where(e.c.invoice_number == invoice_number).order_by(e.c.id)
    h, le, c = tables.invoice_history, tables.ledger_entries, tables.match_candidates
    history = select(h).where(h.c.invoice_number == invoice_number).order_by(h.c.id)
    ledger = select(le).where(le.c.invoice_number == invoice_number).order_by(le.c.id)
    considered = select(c.c.id, c.c.payment_kind, c.c.payment_id, c.c.pass_name, c.c.rule,
                        c.c.outcome, c.c.reason).where(
        c.c.invoice_number == invoice_number).order_by(c.c.id)
    detail = dict(found._mapping)
    detail.update(allocations=_rows(conn, allocations), exceptions=_rows(conn, exceptions),
                  history=_rows(conn, history), ledger=_rows(conn, ledger),
                  candidates=_rows(conn, considered))
    return detail


# payment kind -> (table, its date, its amount, its payer, then e-mail, the two key columns)
_LINES = {
    "bank": (tables.bank_transactions, "booking_date", "amount_minor", "counterparty_name",
             None, "account_id", "natural_key"),
    "gateway": (tables.gateway_transactions, "created_date", "gross_minor", "customer_name",
                "customer_email", "gateway", "transaction_id"),
}


def money_line(conn: Connection, payment_kind: str, payment_id: int) -> dict | None:
    """The money line (a bank credit or gateway charge, any other bank line or gateway record
    too) as stored, with ``money_key``; None when there is none."""
    if payment_kind not in _LINES:
        return None
    table, day, amount, payer, email, account, key = _LINES[payment_kind]
    row = conn.execute(select(table).where(table.c.id == payment_id)).first()
    if row is None:
        return None
    found = dict(row._mapping)
    found.update(money_date=found[day], money_amount_minor=found[amount],
                 payer=found[payer] or (found[email] if email else ""),
                 bank_text=found["description"], payment_kind=payment_kind,
                 payment_id=payment_id,
                 money_key=f"{payment_kind}:{found[account]}:{found[key]}")
    return found


def money_detail(conn: Connection, payment_kind: str, payment_id: int) -> dict | None:
    """One money line and what the engine did with it: ``allocations`` (with the invoice's
    client, balance and due date), ``unmatched`` (its reason, when unexplained),
    ``exceptions``, ``other_money`` (when it is not a customer's), ``ledger`` (entries on its
    money key) and ``candidates``: per pass, each invoice considered, the rule (and
    ``rule_words``), the outcome (taken | suggested | dropped) and the reason."""
    found = money_line(conn, payment_kind, payment_id)
    if found is None:
        return None
    a, inv = tables.match_allocations, tables.invoices
    allocations = select(a.c.id, a.c.match_id, a.c.invoice_number, a.c.applied_minor,
                         a.c.fee_minor, a.c.currency, a.c.status, a.c.rule, a.c.confidence,
                         a.c.reason, inv.c.client_id, inv.c.client_name,
                         inv.c.balance_minor.label("invoice_balance_minor"), inv.c.due_date,
                         ).select_from(a.outerjoin(inv, inv.c.invoice_number == a.c.invoice_number))
    parts = {"allocations": (a, allocations)}
    for name, table in (("unmatched", tables.match_unmatched),
                        ("exceptions", tables.match_exceptions),
                        ("other_money", tables.match_other_money),
                        ("candidates", tables.match_candidates)):
        parts[name] = (table, select(table))
    for name, (table, query) in parts.items():
        query = query.where(table.c.payment_kind == payment_kind,
                            table.c.payment_id == payment_id).order_by(table.c.id)
        found[name] = _rows(conn, query)
    for row in found["candidates"] + found["allocations"]:
        row["rule_words"] = rule_sentence(row["rule"])
    le = tables.ledger_entries
    found["ledger"] = _rows(conn, select(le).where(le.c.money_key == found["money_key"])
                            .order_by(le.c.id))
    return found
