"""Pass: amount only, across clients. Money naming no invoice and no known payer is compared
with the balances of the open invoices of its currency. An amount can match by coincidence,
so this pass never applies money:

- one to FEW open invoices with that balance -> each suggested, the candidates named in the
  reason, the invoice issued closest to the payment first (date proximity orders, never decides)
- two or more, among them one to FEW whose client bears the family name of the account holder
  (a relative paying, :mod:`by_amount_kin`) -> only those suggested, the family name named
- more -> unmatched ``ambiguous_amount`` with the count and the first few named
- none -> unmatched ``no_reference``

Candidates are counted per (currency, amount), never joined payment by invoice: an as-of join
finds, per payment, how many invoices of that balance were issued no later than a few days
after the payment; only payments with at most FEW are then paired with exactly those (at most
FEW rows each), so the work grows with payments + invoices, not their product.
"""

from __future__ import annotations

import pandas as pd

from pipeline.matching import considered
from pipeline.matching.by_amount_kin import kin_candidates, kin_suggestions
from pipeline.matching.work import EXC, Decided, Work, none

RULE = "amount_only"
DAYS_BEFORE_ISSUE = 3  # money may arrive this many days before its invoice is issued
FEW = 3  # at most this many candidates are suggested
NAMED = 3  # invoices named in an ambiguous_amount reason


def by_amount(work: Work) -> Decided:
    money = work.money
    if money.empty:
        return Decided.nothing()
    open_inv = work.open_invoices()
    ranked = ranked_invoices(open_inv)
    hits = count_candidates(money, ranked)
    several = hits[hits["n"] >= 2].set_index("row", drop=False)
    kin = kin_suggestions(kin_candidates(money.loc[several.index], open_inv, work.clients),
                          several.reset_index(drop=True), FEW)
    hits = hits[~hits["row"].isin(set(kin["row"]))]
    few = hits[hits["n"].between(1, FEW)]
    rest = hits[~hits.index.isin(few.index)]
    reason = ("ambiguous_amount: " + rest["n"].astype(str) + " open invoices have this amount ("
              + _first_names(rest, ranked) + ")")
    reason = reason.where(rest["n"] > 0, "no_reference: no invoice reference and no open "
                                         "invoice with this amount")
    unmatched = pd.DataFrame({"row": rest["row"], "reason": reason})
    return Decided(pd.concat([suggestions(few, ranked), kin], ignore_index=True),
                   unmatched.reset_index(drop=True), none(EXC),
                   considered=considered.amount_too_common(rest, ranked, FEW))


def ranked_invoices(open_inv: pd.DataFrame) -> pd.DataFrame:
    """Open invoices keyed by (currency, amount = balance) and ``n``: their place by issue date
    (1 = issued first) among the invoices of that key."""
    inv = pd.DataFrame({
        "currency": open_inv["currency"].astype(str),
        "amount_minor": open_inv["balance_minor"].astype("int64"),
        "issued": pd.to_datetime(open_inv["issue_date"]).astype("datetime64[ns]"),
        "invoice_number": open_inv["invoice_number"], "client_id": open_inv["client_id"],
    }).sort_values(["currency", "amount_minor", "issued", "invoice_number"], kind="stable")
    inv["n"] = inv.groupby(["currency", "amount_minor"]).cumcount() + 1
    return inv.reset_index(drop=True)


def count_candidates(money: pd.DataFrame, ranked: pd.DataFrame) -> pd.DataFrame:
    """Per payment row: ``n`` open invoices of its currency and amount issued by its date +
    DAYS_BEFORE_ISSUE (an as-of join on the issue order, no pairing)."""
    pays = pd.DataFrame({
        "row": money.index, "currency": money["currency"].astype(str).to_numpy(),
        "amount_minor": money["amount_minor"].astype("int64").to_numpy(),
        "paid": pd.to_datetime(money["source_date"]).astype("datetime64[ns]").to_numpy(),
    })
    pays["cutoff"] = pays["paid"] + pd.Timedelta(days=DAYS_BEFORE_ISSUE)
    counted = pd.merge_asof(pays.sort_values("cutoff", kind="stable"),
                            ranked[["currency", "amount_minor", "issued", "n"]]
                            .sort_values("issued", kind="stable"),
                            left_on="cutoff", right_on="issued",
                            by=["currency", "amount_minor"], direction="backward")
    counted["n"] = counted["n"].fillna(0).astype("int64")
    return counted.drop(columns="issued").sort_values("row", kind="stable").reset_index(
        drop=True)


def suggestions(few: pd.DataFrame, ranked: pd.DataFrame) -> pd.DataFrame:
    """One suggestion per candidate of each payment with at most FEW (exactly its first ``n``
    invoices of the key), the issue date closest to the payment first."""
    if few.empty:
        return none(["row"])
    slots = few.loc[few.index.repeat(few["n"])]
    slots = slots.assign(n_pos=slots.groupby("row").cumcount() + 1)
    pairs = slots.merge(ranked.rename(columns={"n": "n_pos"}),
                        on=["currency", "amount_minor", "n_pos"])
    pairs["days"] = (pairs["paid"] - pairs["issued"]).abs().dt.days
    pairs = pairs.sort_values(["row", "days", "invoice_number"], kind="stable")
    rank = pairs.groupby("row").cumcount()
    names = pairs["row"].map(pairs.groupby("row")["invoice_number"].agg(", ".join))
    alone = pairs["n"] == 1
    reason = ("no reference and no known payer; amount equals the balance of invoice "
              + pairs["invoice_number"] + " (client " + pairs["client_id"].astype(str) + "), "
              + alone.map({True: "the only open invoice with this amount",
                           False: "one of the open invoices with this amount"})
              + (" (" + pairs["n"].astype(str) + ": " + names
                 + ", the closest issue date first)").where(~alone, ""))
    return pd.DataFrame({
        "row": pairs["row"], "invoice_number": pairs["invoice_number"],
        "applied_minor": pairs["amount_minor"], "currency": pairs["currency"],
        "status": "suggested", "rule": RULE,
        "confidence": (0.5 - 0.05 * rank).where(alone, 0.3 - 0.05 * rank),
        "reason": reason,
    }).reset_index(drop=True)


def _first_names(rest: pd.DataFrame, ranked: pd.DataFrame) -> pd.Series:
    """The first (at most NAMED) of the ``n`` counted invoice numbers of each row of ``rest``."""
    heads = ranked[ranked["n"] <= NAMED]
    wide = heads.pivot(index=["currency", "amount_minor"], columns="n", values="invoice_number")
    keys = pd.MultiIndex.from_arrays([rest["currency"], rest["amount_minor"]])
    wide = wide.reindex(keys).reindex(columns=range(1, NAMED + 1))
    wide.index = rest.index
    listed = pd.Series("", index=rest.index, dtype=object)
    for i in range(1, NAMED + 1):  # a few columns, not rows
        name = wide[i].astype(object).where(rest["n"] >= i)
        shown = name.notna()
        listed = listed.where(~shown, listed + ("" if i == 1 else ", ") + name.astype(str))
    return listed + (rest["n"] > NAMED).map({True: ", ...", False: ""})
