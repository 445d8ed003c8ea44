"""The money frames (PAYMENT_COLUMNS): bank lines and gateway records read apart, one
SELECT each with no ORDER BY, then put in (source_date, payment_kind, payment_id) order here.

What the database computes per row: the ``money_key`` (:func:`pipeline.store.reads.money_key`)
and a gateway record's ``counterparty`` (its customer's name, else e-mail). A gateway record's
``text`` (:func:`pipeline.store.reads.payment_text`) is made column-wise on those rows alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Select, Text, case, literal, select

from pipeline.store import tables
from pipeline.store.fetch import fetch_frame

SOURCE = ("source_format", "source_file", "source_ref", "source_line")
DAY_ID = ("source_date", "payment_id")  # each part comes sorted by these


def _key(kind: str, account, natural_key):  # noqa: ANN001, ANN202
    """``<kind>:<account>:<natural key>`` in SQL (both parts are NOT NULL text)."""
    return (literal(f"{kind}:", Text) + account + literal(":", Text) + natural_key)


def bank_query(*, others: bool) -> Select:
    """Bank credits (``others``: debits) as PAYMENT_COLUMNS but ``payment_kind``."""
    b = tables.bank_transactions
    return select(
        b.c.id, *(b.c[c] for c in SOURCE), b.c.booking_date, b.c.amount_minor, b.c.currency,
        b.c.description, b.c.counterparty_name, b.c.account_id,
        _key("bank", b.c.account_id, b.c.natural_key),
    ).where(b.c.amount_minor < 0 if others else b.c.amount_minor > 0)


def gateway_query(*, others: bool) -> Select:
    """Gateway charges (``others``: payouts): PAYMENT_COLUMNS but ``payment_kind``, with
    ``text``'s parts after them."""
    g = tables.gateway_transactions
    counterparty = case((g.c.customer_name != "", g.c.customer_name), else_=g.c.customer_email)
    return select(
        g.c.id, *(g.c[c] for c in SOURCE), g.c.created_date, g.c.gross_minor, g.c.currency,
        g.c.description, counterparty, g.c.gateway,
        _key("gateway", g.c.gateway, g.c.transaction_id),
        g.c.invoice_ref, g.c.customer_name, g.c.customer_email,
    ).where(g.c.kind == ("payout" if others else "charge"))


def payment_frame(conn: Connection, spec: dict[str, str], *, others: bool) -> pd.DataFrame:
    """Bank lines and gateway records in ``spec`` (PAYMENT_SPEC) columns, sorted by
    (source_date, payment_kind, payment_id)."""
    rest = {name: kind for name, kind in spec.items() if name != "payment_kind"}
    bank = fetch_frame(conn, bank_query(others=others), rest, by_day=DAY_ID)
    parts = {"invoice_ref": "text", "customer_name": "text", "customer_email": "text"}
    gateway = fetch_frame(conn, gateway_query(others=others), {**rest, **parts}, by_day=DAY_ID)
    gateway = gateway.assign(text=gateway_texts(gateway))[list(rest)]
    frames = [part.assign(payment_kind=pd.Series([kind] * len(part), dtype="str"))[list(spec)]
              for kind, part in (("bank", bank), ("gateway", gateway)) if len(part)]
    if not frames:
        return bank.assign(payment_kind=pd.Series([], dtype="str"))[list(spec)]
    if len(frames) == 1:
        return frames[0]
    is_gateway = np.repeat(np.array([0, 1], dtype=np.int8), [len(bank), len(gateway)])
    del bank, gateway
    return by_day(pd.concat(frames, ignore_index=True), "source_date", is_gateway)


def gateway_texts(raw: pd.DataFrame) -> pd.Series:
    """:func:`pipeline.store.reads.payment_text` over columns: the non-empty parts of
    (description, 'invoice <ref>', name, e-mail) joined by `` | ``."""
    ref = raw["invoice_ref"]
    parts = [raw["text"], ("invoice " + ref).where(ref != "", ""),
             raw["customer_name"], raw["customer_email"]]
    text = parts[0]
    for part in parts[1:]:
        text = text.where(part == "", (text + " | ").where(text != "", "") + part)
    return text


def by_day(money: pd.DataFrame, day: str, kind: np.ndarray | None = None) -> pd.DataFrame:
    """Sorted by (``day``, ``kind``, payment_id), the order ORDER BY gives (``kind``: 0 for
    bank, 1 for gateway rows; ``day`` a NOT NULL date column)."""
    days = money[day].tolist()
    ordinal = {value: value.toordinal() for value in set(days)}
    kind = np.zeros(len(money), dtype=np.int8) if kind is None else kind
    keys = (money["payment_id"].to_numpy(), kind,
            np.array([ordinal[value] for value in days], dtype=np.int64))
    order = np.lexsort(keys)
    if (order == np.arange(len(order))).all():
        return money
    return money.take(order).reset_index(drop=True)
