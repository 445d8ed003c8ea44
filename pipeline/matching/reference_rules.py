"""The rules of the references pass for money that names open invoices of its currency.

Frames are candidate rows (one per payment ``row`` and referenced open invoice) carrying
``amount_minor`` (the money) and ``balance_minor`` (still open on the invoice when this
payment comes, see :mod:`pipeline.matching.settle_order`).
"""

from __future__ import annotations

import pandas as pd

from pipeline.matching.ledger import tolerance_minor
from pipeline.matching.work import ALLOC, CONFIDENCE, EXC, none
from pipeline.money import in_words


def allocation(frame: pd.DataFrame, applied, status, rule, confidence, reason,
               fee=0) -> pd.DataFrame:  # noqa: ANN001
    """Allocation rows (ALLOC + fee_minor) for the candidate rows of ``frame``."""
    if frame.empty:
        return none([*ALLOC, "fee_minor"])
    return pd.DataFrame({
        "row": frame["row"], "invoice_number": frame["invoice_number"],
        "applied_minor": applied, "currency": frame["currency"], "status": status,
        "rule": rule, "confidence": confidence, "reason": reason, "fee_minor": fee,
    })


def auto_allocation(frame: pd.DataFrame, applied, rule: str, reason, fee=0) -> pd.DataFrame:  # noqa: ANN001
    """Automatic allocation rows by ``rule`` (its confidence from CONFIDENCE)."""
    return allocation(frame, applied, "auto", rule, CONFIDENCE[rule], reason, fee)


def exception(frame: pd.DataFrame, kind: str, amount: pd.Series, detail) -> pd.DataFrame:  # noqa: ANN001
    if frame.empty:
        return none(EXC)
    return pd.DataFrame({"row": frame["row"], "kind": kind,
                         "invoice_number": frame["invoice_number"], "amount_minor": amount,
                         "currency": frame["currency"], "detail": detail})


def one_invoice(single: pd.DataFrame, money: pd.DataFrame, setting) -> tuple:  # noqa: ANN001
    """Money naming exactly one open invoice: always applied (the reference says which invoice),
    the amount decides how. Returns (allocations, exceptions)."""
    if single.empty:
        return none([*ALLOC, "fee_minor"]), none(EXC)
    amount, balance = single["amount_minor"], single["balance_minor"]
    tolerance = tolerance_minor(money.loc[single["row"]].set_axis(single.index), balance,
                                setting)
    short = balance - amount
    said = in_words(short.abs(), money.loc[single["row"], "currency"].set_axis(single.index))
    exact, over = short == 0, short < 0
    fee = (short > 0) & (short <= tolerance)
    partial = short > tolerance
    parts = [
        auto_allocation(single[exact], amount[exact], "reference_amount",
                   "invoice referenced; amount equals its balance"),
        auto_allocation(single[fee], amount[fee], "reference_fee",
                   "invoice referenced; amount is less than its balance by "
                   + said[fee] + ", within the fee tolerance: "
                   "settled, the difference recorded as a fee", fee=short[fee]),
        auto_allocation(single[partial], amount[partial], "reference_partial",
                   "invoice referenced; amount is LESS than its balance: partial payment, "
                   + said[partial] + " still open"),
        auto_allocation(single[over], balance[over], "reference_overpaid",
                   "invoice referenced; amount is MORE than its balance: the balance is "
                   "applied, " + said[over] + " is client credit"),
    ]
    exceptions = [
        exception(single[partial], "underpayment", short[partial],
                  "partial payment: " + said[partial] + " still open"),
        exception(single[over], "overpayment", -short[over],
                  "paid " + said[over] + " more than the balance: the excess is kept as "
                  "client credit"),
    ]
    return pd.concat(parts, ignore_index=True), pd.concat(exceptions, ignore_index=True)


def listed_names(multi: pd.DataFrame) -> pd.Series:
    """Per candidate row: the invoice numbers of its payment, ", "-joined in row order
    (built column by column: the k-th invoice of every payment at once)."""
    nth = multi.groupby("row").cumcount()
    wide = pd.DataFrame({"row": multi["row"], "nth": nth,
                         "number": multi["invoice_number"].astype(str)}).pivot(
        index="row", columns="nth", values="number")
    joined = wide[0].astype(str)
    for k in list(wide.columns)[1:]:
        more = wide[k].notna()
        joined = joined.where(~more, joined + ", " + wide[k].fillna(""))
    return multi["row"].map(joined)


def mass_payments(multi: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Money naming several open invoices. (auto candidates, suggestions): the invoices are
    settled together when the amount is exactly the sum of their balances; otherwise each is
    only suggested (the one whose balance equals the amount with more confidence)."""
    if multi.empty:
        return multi.iloc[0:0], none([*ALLOC, "fee_minor"])
    total = multi.groupby("row")["balance_minor"].transform("sum")
    names = listed_names(multi)
    sums = multi["amount_minor"] == total
    auto = multi[sums].assign(names=names[sums])
    rest = multi[~sums]
    exact = rest["amount_minor"] == rest["balance_minor"]
    n_exact = exact.groupby(rest["row"]).transform("sum")
    pick = rest[(exact & (n_exact == 1)) | (n_exact != 1)]
    confidence = (exact & (n_exact == 1)).map({True: 0.6, False: 0.3})[pick.index]
    reason = ("several invoices referenced (" + names[pick.index] + "); "
              + (exact & (n_exact == 1))[pick.index].map(
                  {True: "amount equals this one's balance",
                   False: "amount equals neither one balance nor their sum"}))
    suggested = allocation(pick, pick[["amount_minor", "balance_minor"]].min(axis=1),
                           "suggested", "references_ambiguous", confidence, reason)
    return auto, suggested


def settle_mass(auto: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mass payments in settling order (``remaining`` per invoice): each invoice takes what is
    still open; what an earlier payment already took stays with the payer as credit."""
    if auto.empty:
        return none([*ALLOC, "fee_minor"]), none(EXC)
    applied = auto[["balance_minor", "remaining"]].min(axis=1)
    rows = auto_allocation(auto, applied, "references_sum",
                      "mass payment: amount equals the sum of the balances of " + auto["names"])
    short = auto["balance_minor"] - applied
    extra = auto[short > 0]
    return rows, exception(extra, "overpayment", short[short > 0],
                           "an earlier payment already took part of this invoice: the rest of "
                           "the mass payment is client credit")
