"""Pass: amount only. Money naming no invoice is compared with the balances of the open
invoices of its currency. Exactly one open invoice with that balance -> a suggestion (an
amount can match by coincidence: never auto); several -> unmatched ``ambiguous_amount`` with
the count and the first few named; none -> unmatched ``no_reference``.

Candidates are counted per (currency, amount), never joined payment by invoice: an
as-of join finds, per payment, how many invoices of that balance were issued no later than
a few days after the payment, so the work grows with payments + invoices, not their product.
"""

from __future__ import annotations

import pandas as pd

from pipeline.matching.work import Decided, Work, none

RULE = "amount_only"
DAYS_BEFORE_ISSUE = 3  # money may arrive this many days before its invoice is issued
NAMED = 3  # invoices named in an ambiguous_amount reason


def by_amount(work: Work) -> Decided:
    money = work.money
    if money.empty:
        return Decided.nothing()
    hits = _count_candidates(money, work.open_invoices())
    one = hits[hits["n"] == 1]
    allocations = pd.DataFrame({
        "row": one["row"], "invoice_number": one["invoice_number"],
        "applied_minor": one["amount_minor"], "currency": one["currency"],
        "status": "suggested", "rule": RULE, "confidence": 0.5,
        "reason": ("no reference; amount equals the balance of invoice " + one["invoice_number"]
                   + " (client " + one["client_id"].astype(str)
                   + "), the only open invoice with this amount"),
    }) if len(one) else none(["row"])
    rest = hits[hits["n"] != 1]
    named = _first_names(rest, work.open_invoices())
    reason = ("ambiguous_amount: " + rest["n"].astype(str) + " open invoices have this amount ("
              + named + ")")
    reason = reason.where(rest["n"] > 0, "no_reference: no invoice reference and no open "
                                         "invoice with this amount")
    unmatched = pd.DataFrame({"row": rest["row"], "reason": reason})
    return Decided(allocations.reset_index(drop=True), unmatched.reset_index(drop=True),
                   none(["row", "kind", "invoice_number", "amount_minor", "currency", "detail"]))


def _count_candidates(money: pd.DataFrame, open_inv: pd.DataFrame) -> pd.DataFrame:
    """Per payment row: ``n`` open invoices of its currency and amount issued by its date +
    DAYS_BEFORE_ISSUE, and (when ``n`` >= 1) the earliest issued one's number and client."""
    inv = pd.DataFrame({
        "currency": open_inv["currency"].astype(str),
        "amount_minor": open_inv["balance_minor"].astype("int64"),
        "issued": pd.to_datetime(open_inv["issue_date"]).astype("datetime64[ns]"),
        "invoice_number": open_inv["invoice_number"], "client_id": open_inv["client_id"],
    }).sort_values(["currency", "amount_minor", "issued", "invoice_number"], kind="stable")
    inv["n"] = inv.groupby(["currency", "amount_minor"]).cumcount() + 1
    first = inv.drop_duplicates(["currency", "amount_minor"])[
        ["currency", "amount_minor", "invoice_number", "client_id"]]
    pays = pd.DataFrame({
        "row": money.index, "currency": money["currency"].astype(str).to_numpy(),
        "amount_minor": money["amount_minor"].astype("int64").to_numpy(),
        "cutoff": (pd.to_datetime(money["source_date"]).astype("datetime64[ns]")
                   + pd.Timedelta(days=DAYS_BEFORE_ISSUE)).to_numpy(),
    }).sort_values("cutoff", kind="stable")
    counted = pd.merge_asof(pays, inv[["currency", "amount_minor", "issued", "n"]]
                            .sort_values("issued", kind="stable"),
                            left_on="cutoff", right_on="issued",
                            by=["currency", "amount_minor"], direction="backward")
    counted["n"] = counted["n"].fillna(0).astype("int64")
    counted = counted.merge(first, on=["currency", "amount_minor"], how="left")
    return counted.sort_values("row", kind="stable").reset_index(drop=True)


def _first_names(rest: pd.DataFrame, open_inv: pd.DataFrame) -> pd.Series:
    """The first (at most NAMED) of the ``n`` counted invoice numbers of each row of ``rest``."""
    inv = open_inv.sort_values(["issue_date", "invoice_number"], kind="stable")
    heads = inv.groupby(["currency", "balance_minor"]).head(NAMED).copy()
    heads["i"] = heads.groupby(["currency", "balance_minor"]).cumcount()
    wide = heads.pivot(index=["currency", "balance_minor"], columns="i",
                       values="invoice_number")
    keys = pd.MultiIndex.from_arrays([rest["currency"], rest["amount_minor"]])
    wide = wide.reindex(keys).reindex(columns=range(NAMED))
    wide.index = rest.index
    listed = pd.Series("", index=rest.index, dtype=object)
    for i in range(NAMED):  # a few columns, not rows
        name = wide[i].astype(object).where(rest["n"] > i)
        shown = name.notna()
        listed = listed.where(~shown, listed + ("" if i == 0 else ", ") + name.astype(str))
    return listed + (rest["n"] > NAMED).map({True: ", ...", False: ""})
