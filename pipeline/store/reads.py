"""Loading the frames of ``pipeline.frames``: one SELECT each (the money: one per kind,
:mod:`pipeline.store.payments`), read column-wise (:mod:`pipeline.store.fetch`), explicit dtypes.

Column kinds: ``text`` -> ``str`` dtype ('' never NaN); ``opt`` -> object, ``str`` or None
(fields that are optional in the model: ``source_ref``, ``invoice_id``, ``group_id``);
``int`` -> int64; ``optint`` -> object, Python ``int`` or None (``source_line``, claimed
amounts); ``date`` -> object, ``datetime.date`` or None; ``bool``; ``float`` -> float64.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Select, func, select

from pipeline import frames
from pipeline.store import payments, tables
from pipeline.store.fetch import fetch_frame

KINDS = {"text": "str", "opt": object, "int": "int64", "optint": object, "date": object,
         "bool": "bool", "float": "float64"}

SOURCE_SPEC = {"source_format": "text", "source_file": "text", "source_ref": "opt",
               "source_line": "optint"}
INVOICE_SPEC = {
    "invoice_number": "text", "invoice_id": "opt", "client_id": "text", "client_name": "text",
    "client_email": "text", "currency": "text", "issue_date": "date", "due_date": "date",
    "total_minor": "int", "balance_minor": "int", "status": "text", "first_invoice": "bool",
    "group_id": "opt",
}
CLIENT_SPEC = {"client_id": "text", "name": "text", "company": "text", "email": "text",
               "created_at": "date"}
PAYMENT_SPEC = {
    "payment_kind": "text", "payment_id": "int", **SOURCE_SPEC, "source_date": "date",
    "amount_minor": "int", "currency": "text", "text": "text", "counterparty": "text",
    "account_id": "text", "money_key": "text",
}
REJECT_SPEC = {**SOURCE_SPEC, "reason": "text", "raw": "text"}
TICKET_SPEC = {
    "ticket_id": "text", **SOURCE_SPEC, "created_date": "date", "invoice_number": "text",
    "claimed_amount_minor": "optint", "currency": "opt", "claimed_date": "date",
    "account_holder": "text", "destination_account": "text",
    "claimed_amount_alt_minor": "optint", "channel": "text",
    "name": "text", "email": "text", "client_id": "text",
}
PAYOUT_SPEC = {"gateway": "text", "payout_id": "text", "currency": "text", "amount_minor": "int",
               "item_count": "int", "payout_date": "date", "items_net_minor": "int",
               "net_minor": "int"}
REVERSAL_SPEC = {"money_key": "text", "reverses": "text", "kind": "text", "amount_minor": "int",
                 "currency": "text", "source_date": "date"}
BANK_SPEC = {
    "payment_id": "int", "account_id": "text", "natural_key": "text", **SOURCE_SPEC,
    "booking_date": "date", "value_date": "date", "amount_minor": "int", "currency": "text",
    "description": "text", "counterparty_name": "text", "counterparty_account": "text",
}
BALANCE_SPEC = {"account_id": "text", "kind": "text", "date": "date", "amount_minor": "int",
                "currency": "text", **SOURCE_SPEC}
BANK_COLUMNS = list(BANK_SPEC)
BALANCE_COLUMNS = list(BALANCE_SPEC)

assert list(INVOICE_SPEC) == frames.INVOICE_COLUMNS
assert list(CLIENT_SPEC) == frames.CLIENT_COLUMNS
assert list(PAYMENT_SPEC) == frames.PAYMENT_COLUMNS
assert list(REJECT_SPEC) == frames.REJECT_COLUMNS
assert list(TICKET_SPEC) == frames.TICKET_COLUMNS
assert list(PAYOUT_SPEC) == frames.PAYOUT_COLUMNS
assert list(REVERSAL_SPEC) == frames.REVERSAL_COLUMNS


def series(values: list, kind: str) -> pd.Series:
    if kind == "text":
        values = ["" if v is None else v for v in values]
    return pd.Series(values, dtype=KINDS[kind])


def frame(rows: list, spec: dict[str, str]) -> pd.DataFrame:
    """Rows (tuples in ``spec`` order) -> DataFrame with the spec's dtypes, also when empty."""
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in spec]
    pairs = zip(spec.items(), columns, strict=True)
    return pd.DataFrame({name: series(list(values), kind) for (name, kind), values in pairs})


def select_frame(conn: Connection, query: Select, spec: dict[str, str]) -> pd.DataFrame:
    """``query``'s rows (columns in ``spec`` order) with ``spec``'s dtypes, read column-wise
    from the DB-API cursor (:func:`pipeline.store.fetch.fetch_frame`)."""
    return fetch_frame(conn, query, spec)


def columns_of(table, spec: dict[str, str]) -> list:  # noqa: ANN001
    return [table.c[name] for name in spec]


def load_table(conn: Connection, table, spec: dict[str, str]) -> pd.DataFrame:  # noqa: ANN001
    """Every row of ``table`` in insertion order, with ``spec``'s columns and types."""
    return select_frame(conn, select(*columns_of(table, spec)).order_by(table.c.id), spec)


def load_invoices(conn: Connection) -> pd.DataFrame:
    return load_table(conn, tables.invoices, INVOICE_SPEC)


def load_clients(conn: Connection) -> pd.DataFrame:
    return load_table(conn, tables.clients, CLIENT_SPEC)


def load_rejects(conn: Connection) -> pd.DataFrame:
    return load_table(conn, tables.rejects, REJECT_SPEC)


def load_tickets(conn: Connection) -> pd.DataFrame:
    return load_table(conn, tables.tickets, TICKET_SPEC)


def load_statement_balances(conn: Connection) -> pd.DataFrame:
    return load_table(conn, tables.statement_balances, BALANCE_SPEC)


def load_bank_transactions(conn: Connection) -> pd.DataFrame:
    t = tables.bank_transactions
    rest = [t.c[name] for name in list(BANK_SPEC)[1:]]
    query = select(t.c.id.label("payment_id"), *rest)  # sorted here: no ORDER BY to wait on
    return fetch_frame(conn, query, BANK_SPEC, by_day=("booking_date", "payment_id"))


def payment_text(description: str, invoice_ref: str, name: str, email: str) -> str:
    """Where references are looked for; a gateway's invoice reference reads as 'invoice <ref>'."""
    parts = [description, f"invoice {invoice_ref}" if invoice_ref else "", name, email]
    return " | ".join(p for p in parts if p)


def money_key(kind: str, account: str, natural_key: str) -> str:
    """A money record's identity across runs and stores: ``bank:<account>:<natural key>`` or
    ``gateway:<gateway>:<transaction id>`` (what the ledger's ``match_id`` hashes)."""
    return f"{kind}:{account}:{natural_key}"


def load_reversals(conn: Connection) -> pd.DataFrame:
    """Gateway refunds and disputes (REVERSAL_COLUMNS), each naming the charge it reverses."""
    g = tables.gateway_transactions
    query = (select(g.c.gateway, g.c.transaction_id, g.c.related_id, g.c.kind,
                    func.abs(g.c.gross_minor), g.c.currency, g.c.created_date)
             .where(g.c.kind.in_(["refund", "dispute"]), g.c.related_id != "")
             .order_by(g.c.created_date, g.c.id))
    found = conn.execute(query).all()
    charge = _charges_by_related_id(conn)
    rows = [(money_key("gateway", gw, txn),
             money_key("gateway", gw, charge.get((gw, related), related)),
             "chargeback" if kind == "dispute" else "refund", amount, currency, day)
            for gw, txn, related, kind, amount, currency, day in found]
    return frame(rows, REVERSAL_SPEC)


def _charges_by_related_id(conn: Connection) -> dict[tuple[str, str], str]:
    """(gateway, charge id) -> the charge's transaction id, for the charge ids refunds and
    disputes name (Stripe names the ``ch_`` charge, whose balance row is a ``txn_``)."""
    g = tables.gateway_transactions
    named = select(g.c.related_id).where(g.c.kind.in_(["refund", "dispute"]),
                                         g.c.related_id != "")
    query = select(g.c.gateway, g.c.related_id, g.c.transaction_id).where(
        g.c.kind == "charge", g.c.related_id.in_(named))
    return {(gw, related): txn for gw, related, txn in conn.execute(query)}


def load_payments(conn: Connection) -> pd.DataFrame:
    """Bank credits and gateway charges (gross), sorted by (source_date, kind, id)."""
    return payments.payment_frame(conn, PAYMENT_SPEC, others=False)


def load_non_payments(conn: Connection) -> pd.DataFrame:
    """Money records that are never a customer's payment, as PAYMENT_COLUMNS (amounts
    signed): bank debits (fees, outgoing transfers) and gateway payouts (the gateway's own
    record of money sent to the bank), sorted by (source_date, kind, id)."""
    return payments.payment_frame(conn, PAYMENT_SPEC, others=True)


def load_payouts(conn: Connection) -> pd.DataFrame:
    """Gateway payout records; ``amount_minor`` = |net|; ``item_count`` = linked transactions,
    ``items_net_minor`` the sum of their net; ``payout_date`` the payout's own date;
    ``net_minor`` its own signed net (negative: money sent to the bank)."""
    g = tables.gateway_transactions
    items = (
        select(g.c.gateway, g.c.payout_id, func.count().label("n"),
               func.sum(g.c.net_minor).label("net"))
        .where(g.c.kind != "payout", g.c.payout_id != "")
        .group_by(g.c.gateway, g.c.payout_id)
        .subquery()
    )
    p = g.alias("p")
    key = func.coalesce(func.nullif(p.c.payout_id, ""), p.c.transaction_id)
    query = (
        select(p.c.gateway, key, p.c.currency, func.abs(p.c.net_minor),
               func.coalesce(items.c.n, 0), p.c.created_date, func.coalesce(items.c.net, 0),
               p.c.net_minor)
        .select_from(p.outerjoin(items, (items.c.gateway == p.c.gateway)
                                 & (items.c.payout_id == key)))
        .where(p.c.kind == "payout")
        .order_by(p.c.created_date, p.c.id)
    )
    return select_frame(conn, query, PAYOUT_SPEC)
