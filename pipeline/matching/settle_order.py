"""Several payments naming one invoice: they take its balance in date order.

The earliest payment meets the whole balance; each later one meets what the earlier ones
left. A payment that finds nothing left is *late*: an exception (``payment_on_paid_invoice``),
never a second allocation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def settle_in_order(rows: pd.DataFrame, money: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (candidate rows with ``desired``: what each would take) plus ``remaining``
    (balance left when this payment comes), ``late`` (nothing left for this payment on one
    of its invoices) and ``settler`` (the row of the invoice's first payment)."""
    if rows.empty:
        return rows.assign(remaining=pd.Series(dtype="int64"), late=pd.Series(dtype=bool),
                           settler=pd.Series(dtype=object))
    order, invoice = _settling_order(rows, money)
    ranked, invoice = rows.iloc[order], invoice[order]  # the numbers factorized once
    desired = ranked["desired"].to_numpy(dtype="int64")
    first = _group_starts(invoice)  # per row: position of its invoice's first payment
    taken = np.cumsum(desired) - desired  # what every earlier row took, all invoices
    ranked = ranked.assign(
        remaining=ranked["balance_minor"].to_numpy(dtype="int64") - (taken - taken[first]),
        settler=ranked["row"].to_numpy()[first])
    late_rows = ranked.loc[ranked["remaining"] <= 0, "row"]
    ranked["late"] = ranked["row"].isin(set(late_rows))
    return ranked.sort_index()


def _settling_order(rows: pd.DataFrame, money: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Positions of ``rows`` grouped by invoice, each invoice's rows in the money's order
    (source_date, payment_kind, payment_id): sorts of integer codes, no string sort; and
    the invoice code of each row (in ``rows``' order)."""
    order_by = ["payment_id", "payment_kind", "source_date"]
    money = money[order_by].loc[pd.unique(rows["row"])]  # only the payments ranked here
    keys = [pd.factorize(money[c], sort=True, use_na_sentinel=False)[0] for c in order_by]
    rank = np.empty(len(money), dtype="int64")
    rank[np.lexsort(keys)] = np.arange(len(money))
    invoice = pd.factorize(rows["invoice_number"])[0]
    at = money.index.get_indexer(rows["row"])
    return np.lexsort((rank[at], invoice)), invoice


def _group_starts(codes: np.ndarray) -> np.ndarray:
    """For codes sorted into runs: the position where each element's run starts."""
    starts = np.r_[True, codes[1:] != codes[:-1]] if len(codes) else np.array([], bool)
    return np.maximum.accumulate(np.where(starts, np.arange(len(codes)), 0))


def late_outcome(late: pd.DataFrame, money: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(exceptions, unmatched) for the late payments (one exception per invoice it named)."""
    first = money.loc[late["settler"]]
    exceptions = pd.DataFrame({
        "row": late["row"], "kind": "payment_on_paid_invoice",
        "invoice_number": late["invoice_number"], "amount_minor": late["amount_minor"],
        "currency": late["currency"],
        "detail": ("invoice already settled by an earlier payment: "
                   + first["source_file"].astype(str).to_numpy() + " "
                   + first["source_ref"].fillna("").astype(str).to_numpy()),
    })
    exceptions = exceptions[late["remaining"] <= 0]
    rows = sorted(set(late["row"]))
    unmatched = pd.DataFrame({"row": rows, "reason": "payment_on_paid_invoice: the invoice it "
                              "names is already settled by an earlier payment"})
    return exceptions, unmatched
