"""Several payments naming one invoice: they take its balance in date order.

The earliest payment meets the whole balance; each later one meets what the earlier ones
left. A payment that finds nothing left is *late*: an exception (``payment_on_paid_invoice``),
never a second allocation.
"""

from __future__ import annotations

import pandas as pd


def settle_in_order(rows: pd.DataFrame, money: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (candidate rows with ``desired``: what each would take) plus ``remaining``
    (balance left when this payment comes), ``late`` (nothing left for this payment on one
    of its invoices) and ``settler`` (the row of the invoice's first payment)."""
    if rows.empty:
        return rows.assign(remaining=pd.Series(dtype="int64"), late=pd.Series(dtype=bool),
                           settler=pd.Series(dtype=object))
    order = money.sort_values(["source_date", "payment_kind", "payment_id"], kind="stable")
    rank = pd.Series(range(len(order)), index=order.index)
    ranked = rows.assign(rank=rows["row"].map(rank)).sort_values(["invoice_number", "rank"],
                                                                 kind="stable")
    taken_before = (ranked.groupby("invoice_number")["desired"].cumsum()
                    - ranked["desired"]).astype("int64")
    ranked["remaining"] = ranked["balance_minor"].astype("int64") - taken_before
    ranked["settler"] = ranked.groupby("invoice_number")["row"].transform("first")
    late_rows = ranked.loc[ranked["remaining"] <= 0, "row"]
    ranked["late"] = ranked["row"].isin(set(late_rows))
    return ranked.drop(columns="rank").sort_index()


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
