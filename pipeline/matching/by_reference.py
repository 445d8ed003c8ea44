"""Pass: references. Money whose text names invoices (see :mod:`pipeline.references`).

- one referenced open invoice, same currency, amount = balance -> auto
- several referenced open invoices whose balances sum to the amount -> auto (mass payment)
- referenced invoice(s) but the amount differs, or several candidates -> suggested
- references only to paid/cancelled invoices, other currencies or unknown numbers
  -> exception and unmatched
- an invoice named by several payments is settled by the earliest one; the later ones are
  exceptions (``payment_on_paid_invoice``), never a second allocation
"""

from __future__ import annotations

import pandas as pd

from pipeline.matching.candidates import (
    STATE_EXCEPTION,
    candidate_invoices,
    classify_candidates,
)
from pipeline.matching.work import ALLOC, EXC, UNMATCHED, Decided, Work, none


def by_reference(work: Work) -> Decided:
    if work.money.empty:
        return Decided.nothing()
    candidates = candidate_invoices(work.money, work.invoices, work.settings.reference_patterns)
    candidates = classify_candidates(candidates)
    open_c = candidates[candidates["state"] == "open"]
    n_open = open_c.groupby("row")["invoice_number"].transform("size")
    allocations = pd.concat([_single_reference(open_c[n_open == 1]),
                             _several_references(open_c[n_open > 1])], ignore_index=True)
    allocations, late = _first_payment_settles(allocations, work.money)
    closed = candidates[~candidates["row"].isin(set(open_c["row"]))]
    return Decided(
        allocations=allocations,
        unmatched=pd.concat([_closed_unmatched(closed), late.unmatched], ignore_index=True),
        exceptions=pd.concat([_closed_exceptions(closed), late.exceptions], ignore_index=True),
    )


def allocation(frame: pd.DataFrame, applied, status, rule, confidence, reason) -> pd.DataFrame:
    """Allocation rows (ALLOC + source_date) for the candidate rows of ``frame``."""
    if frame.empty:
        return none([*ALLOC, "source_date"])
    return pd.DataFrame({
        "row": frame["row"], "invoice_number": frame["invoice_number"],
        "applied_minor": applied, "currency": frame["currency"], "status": status,
        "rule": rule, "confidence": confidence, "reason": reason,
        "source_date": frame["source_date"],
    })


def _single_reference(single: pd.DataFrame) -> pd.DataFrame:
    if single.empty:
        return none([*ALLOC, "source_date"])
    exact = single["amount_minor"] == single["balance_minor"]
    auto = allocation(single[exact], single.loc[exact, "amount_minor"], "auto",
                      "reference_amount", 0.99, "invoice referenced; amount equals its balance")
    diff = single[~exact]
    over = diff["amount_minor"] > diff["balance_minor"]
    reason = over.map({True: "invoice referenced; amount is MORE than its balance (overpayment)",
                       False: "invoice referenced; amount is LESS than its balance (partial "
                              "payment or fee deducted)"})
    suggested = allocation(diff, diff[["amount_minor", "balance_minor"]].min(axis=1),
                           "suggested", "reference_amount_differs", 0.7, reason)
    return pd.concat([auto, suggested], ignore_index=True)


def _several_references(multi: pd.DataFrame) -> pd.DataFrame:
    if multi.empty:
        return none([*ALLOC, "source_date"])
    total = multi.groupby("row")["balance_minor"].transform("sum")
    names = multi["row"].map(multi.groupby("row")["invoice_number"].agg(", ".join))
    sums = multi["amount_minor"] == total
    auto = allocation(multi[sums], multi.loc[sums, "balance_minor"], "auto", "references_sum",
                      0.97, "mass payment: amount equals the sum of the balances of "
                      + names[sums])
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
    return pd.concat([auto, suggested], ignore_index=True)


def _first_payment_settles(allocations: pd.DataFrame, money: pd.DataFrame):
    """An invoice is settled by its earliest auto payment; later payments naming it are
    exceptions (a second payment for a settled invoice), never a second allocation."""
    if allocations.empty:
        return allocations.drop(columns="source_date"), Decided.nothing()
    order = money.sort_values(["source_date", "payment_kind", "payment_id"], kind="stable")
    rank = pd.Series(range(len(order)), index=order.index)
    allocations = allocations.assign(rank=allocations["row"].map(rank))
    auto = allocations[allocations["status"] == "auto"].sort_values("rank", kind="stable")
    settler = auto.drop_duplicates("invoice_number").set_index("invoice_number")["row"]
    settled_by = allocations["invoice_number"].map(settler)
    late = allocations[settled_by.notna() & (settled_by != allocations["row"])]
    first = money.loc[late["invoice_number"].map(settler)]
    exceptions = pd.DataFrame({
        "row": late["row"], "kind": "payment_on_paid_invoice",
        "invoice_number": late["invoice_number"],
        "amount_minor": money.loc[late["row"], "amount_minor"].to_numpy(),
        "currency": late["currency"],
        "detail": ("invoice already settled by an earlier payment: "
                   + first["source_file"].astype(str).to_numpy() + " "
                   + first["source_ref"].fillna("").astype(str).to_numpy()),
    })
    late_rows = sorted(set(late["row"]))
    unmatched = pd.DataFrame({"row": late_rows, "reason": "payment_on_paid_invoice: the invoice "
                              "it names is already settled by an earlier payment"})
    kept = allocations[~allocations["row"].isin(late_rows)]
    return kept.drop(columns=["source_date", "rank"]), Decided(none(ALLOC), unmatched, exceptions)


def _closed_exceptions(closed: pd.DataFrame) -> pd.DataFrame:
    if closed.empty:
        return none(EXC)
    detail = closed["state"].map({
        "paid": "invoice is already paid", "cancelled": "invoice is cancelled or refunded",
        "draft": "invoice is a draft", "unknown": "no invoice with this number",
        "currency_mismatch": "invoice is in another currency"})
    return pd.DataFrame({
        "row": closed["row"], "kind": closed["state"].map(STATE_EXCEPTION),
        "invoice_number": closed["invoice_number"].fillna(closed["ref"]),
        "amount_minor": closed["amount_minor"], "currency": closed["currency"],
        "detail": detail + " (" + closed["ref"] + " in the payment text)"})


def _closed_unmatched(closed: pd.DataFrame) -> pd.DataFrame:
    if closed.empty:
        return none(UNMATCHED)
    strength = {state: i for i, state in enumerate(STATE_EXCEPTION)}
    best = closed.assign(strength=closed["state"].map(strength)).sort_values(
        ["row", "strength"], kind="stable").drop_duplicates("row")
    return pd.DataFrame({"row": best["row"], "reason": best["state"].map(STATE_EXCEPTION)
                         + ": " + best["ref"] + " cannot take this payment"})
