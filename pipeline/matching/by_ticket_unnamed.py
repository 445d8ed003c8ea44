"""A ticket whose only fitting bank line names nobody (a cash deposit, ``SETORAN TUNAI``).

Amount, transfer date and account fit, but no name can confirm whose money it is: a claim
without money would be "verified" by any deposit of the same amount that day. So such a line
never verifies the ticket; when it is the only one, still unexplained, and the ticket names
an open invoice of its currency, the pair is *suggested* for a person (``ticket_unnamed``).
"""

from __future__ import annotations

import pandas as pd

from pipeline.matching.by_ticket_fit import choose
from pipeline.matching.work import ALLOC, Decided, Work, none

CONFIDENCE = 0.5


def unnamed_hints(pairs: pd.DataFrame) -> pd.Series:
    """Per claim ``t``: the one nameless line that fits on the claimed date (index ``t``)."""
    if pairs.empty:
        return pd.Series(dtype=object)
    chosen = choose(pairs[pairs["nameless"]])
    return chosen[~chosen["tied"].astype(bool)].set_index("t")["row"]


def suggest_unnamed(c: pd.DataFrame, work: Work) -> Decided:
    """Suggested allocations for the unverified, first claims with a nameless hint."""
    hinted = c[c["hint"].notna() & (c["status"] != "verified") & (c["status"] != "rejected")
               & c["duplicate_of"].isna() & c["invoice"].notna()]
    hinted = hinted[hinted["hint"].isin(set(work.money.index))].drop_duplicates("hint")
    open_inv = work.open_invoices().set_index("invoice_number")
    hinted = hinted[hinted["invoice"].isin(open_inv.index)]
    if hinted.empty:
        return Decided.nothing()
    line = work.money.loc[hinted["hint"].astype("int64")].set_axis(hinted.index)
    same = hinted["invoice"].map(open_inv["currency"]).eq(line["currency"])
    hinted, line = hinted[same], line[same]
    balance = hinted["invoice"].map(open_inv["balance_minor"]).astype("int64")
    allocations = pd.DataFrame({
        "row": line.index.map(lambda t: int(c.at[t, "hint"])), "invoice_number": hinted["invoice"],
        "applied_minor": pd.concat([line["amount_minor"], balance], axis=1).min(axis=1),
        "currency": line["currency"], "status": "suggested", "rule": "ticket_unnamed",
        "confidence": CONFIDENCE, "fee_minor": 0,
        "reason": "ticket " + hinted["ticket_id"] + " names this invoice; the line fits its "
                  "amount, date and account but carries no name to confirm whose money it is",
    }) if len(hinted) else none([*ALLOC, "fee_minor"])
    return Decided(allocations, none(["row", "reason"]), none(["row"]))
