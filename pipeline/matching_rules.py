"""The rules of the first matching pass, each over whole frames (see ``pipeline.matching``).

Frames here are keyed by ``row``: the position of the payment in the payments frame.
"""

from __future__ import annotations

import pandas as pd

from pipeline.models import InvoiceStatus
from pipeline.references import extract_references, normalize_refs

OPEN_STATUSES = {s.value for s in (InvoiceStatus.UNPAID, InvoiceStatus.OVERDUE,
                                   InvoiceStatus.PAYMENT_PENDING, InvoiceStatus.COLLECTIONS)}
CANCELLED_STATUSES = {InvoiceStatus.CANCELLED.value, InvoiceStatus.REFUNDED.value}
# Why a referenced invoice cannot take the money, strongest explanation first.
STATE_EXCEPTION = {
    "paid": "payment_on_paid_invoice",
    "cancelled": "payment_on_cancelled_invoice",
    "currency_mismatch": "currency_mismatch",
    "draft": "payment_on_draft_invoice",
    "unknown": "unknown_reference",
}
AMOUNT_ONLY_DAYS_BEFORE_ISSUE = 3
_PAY = ["row", "amount_minor", "currency", "source_date", "source_file", "source_ref"]
_INV = ["invoice_number", "client_id", "inv_currency", "balance_minor", "status", "issue_date"]


def invoice_keys(invoices: pd.DataFrame) -> pd.DataFrame:
    """Every normalized key an invoice can be referenced by (number and WHMCS id)."""
    by_number = pd.DataFrame({"key": invoices["invoice_number"],
                              "invoice_number": invoices["invoice_number"]})
    by_id = pd.DataFrame({"key": invoices["invoice_id"],
                          "invoice_number": invoices["invoice_number"]})
    keys = pd.concat([by_number, by_id[by_id["key"].fillna("").astype(str) != ""]])
    keys["key"] = normalize_refs(keys["key"])
    return keys.drop_duplicates()


def _invoice_side(invoices: pd.DataFrame) -> pd.DataFrame:
    return invoices.rename(columns={"currency": "inv_currency"})[_INV]


def candidate_invoices(payments: pd.DataFrame, invoices: pd.DataFrame,
                       patterns: list[str]) -> pd.DataFrame:
    """One row per (payment row, referenced number), with the invoice when one exists."""
    refs = extract_references(payments["text"], patterns)
    keyed = refs.merge(invoice_keys(invoices), left_on="ref", right_on="key", how="left")
    keyed = keyed.drop(columns="key").drop_duplicates(["row", "invoice_number"])
    with_invoice = keyed.merge(_invoice_side(invoices), on="invoice_number", how="left")
    pays = payments.assign(row=payments.index)[_PAY]
    return with_invoice.merge(pays, on="row", how="left").reset_index(drop=True)


def classify_candidates(candidates: pd.DataFrame, payments: pd.DataFrame) -> pd.DataFrame:
    """Add ``state``: open | paid | cancelled | draft | currency_mismatch | unknown."""
    status = candidates["status"].fillna("")
    state = pd.Series("open", index=candidates.index, dtype=object)
    state[(candidates["balance_minor"].fillna(0) <= 0) | (status == "Paid")] = "paid"
    state[status == InvoiceStatus.DRAFT.value] = "draft"
    state[status.isin(CANCELLED_STATUSES)] = "cancelled"
    state[~status.isin(OPEN_STATUSES | CANCELLED_STATUSES | {"Paid", "Draft"})] = "unknown"
    other_currency = candidates["inv_currency"].notna() & (
        candidates["inv_currency"] != candidates["currency"])
    state[other_currency & state.isin(["open", "paid"])] = "currency_mismatch"
    state[candidates["invoice_number"].isna()] = "unknown"
    return candidates.assign(state=state)


def decide_referenced(candidates: pd.DataFrame, payments: pd.DataFrame):
    """Allocations, exceptions and unmatched rows for payments that name invoices."""
    open_c = candidates[candidates["state"] == "open"]
    n_open = open_c.groupby("row")["invoice_number"].transform("size")
    single = open_c[n_open == 1]
    multi = open_c[n_open > 1]
    allocations = pd.concat([_single_reference(single), _several_references(multi)],
                            ignore_index=True)
    allocations, late = _first_payment_settles(allocations, payments)
    closed_rows = set(candidates["row"]) - set(open_c["row"])
    closed = candidates[candidates["row"].isin(closed_rows)]
    exceptions = pd.concat([_closed_exceptions(closed), late["exceptions"]], ignore_index=True)
    unmatched = pd.concat([_closed_unmatched(closed), late["unmatched"]], ignore_index=True)
    return allocations, exceptions, unmatched


_EXC = ["row", "kind", "invoice_number", "amount_minor", "currency", "detail"]
_ALLOC = ["row", "invoice_number", "applied_minor", "currency", "status", "rule", "confidence",
          "reason", "source_date"]


def _none(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _allocation(frame: pd.DataFrame, applied, status, rule, confidence, reason) -> pd.DataFrame:
    if frame.empty:
        return _none(_ALLOC)
    return pd.DataFrame({
        "row": frame["row"], "invoice_number": frame["invoice_number"],
        "applied_minor": applied, "currency": frame["currency"], "status": status,
        "rule": rule, "confidence": confidence, "reason": reason,
        "source_date": frame["source_date"],
    })


def _single_reference(single: pd.DataFrame) -> pd.DataFrame:
    if single.empty:
        return _none(_ALLOC)
    exact = single["amount_minor"] == single["balance_minor"]
    auto = _allocation(single[exact], single.loc[exact, "amount_minor"], "auto",
                       "reference_amount", 0.99, "invoice referenced; amount equals its balance")
    diff = single[~exact]
    over = diff["amount_minor"] > diff["balance_minor"]
    reason = over.map({True: "invoice referenced; amount is MORE than its balance (overpayment)",
                       False: "invoice referenced; amount is LESS than its balance (partial "
                              "payment or fee deducted)"})
    suggested = _allocation(diff, diff[["amount_minor", "balance_minor"]].min(axis=1),
                            "suggested", "reference_amount_differs", 0.7, reason)
    return pd.concat([auto, suggested], ignore_index=True)


def _several_references(multi: pd.DataFrame) -> pd.DataFrame:
    if multi.empty:
        return _none(_ALLOC)
    total = multi.groupby("row")["balance_minor"].transform("sum")
    names = multi.groupby("row")["invoice_number"].transform(", ".join)
    sums = multi["amount_minor"] == total
    auto = _allocation(multi[sums], multi.loc[sums, "balance_minor"], "auto", "references_sum",
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
    suggested = _allocation(pick, pick[["amount_minor", "balance_minor"]].min(axis=1),
                            "suggested", "references_ambiguous", confidence, reason)
    return pd.concat([auto, suggested], ignore_index=True)


def _first_payment_settles(allocations: pd.DataFrame, payments: pd.DataFrame):
    """An invoice is settled by its earliest auto payment; later payments naming it are
    exceptions (a second payment for a settled invoice), never a second allocation."""
    if allocations.empty:
        return allocations.drop(columns="source_date"), {"exceptions": _none(_EXC),
                                                         "unmatched": _none(["row", "reason"])}
    order = payments.sort_values(["source_date", "payment_kind", "payment_id"], kind="stable")
    rank = pd.Series(range(len(order)), index=order.index)
    allocations = allocations.assign(rank=allocations["row"].map(rank))
    auto = allocations[allocations["status"] == "auto"].sort_values("rank", kind="stable")
    settler = auto.drop_duplicates("invoice_number").set_index("invoice_number")["row"]
    settled_by = allocations["invoice_number"].map(settler)
    late = allocations[settled_by.notna() & (settled_by != allocations["row"])]
    first = payments.loc[late["invoice_number"].map(settler)]
    exceptions = pd.DataFrame({
        "row": late["row"], "kind": "payment_on_paid_invoice",
        "invoice_number": late["invoice_number"],
        "amount_minor": payments.loc[late["row"], "amount_minor"].to_numpy(),
        "currency": late["currency"],
        "detail": ("invoice already settled by an earlier payment: "
                   + first["source_file"].astype(str).to_numpy() + " "
                   + first["source_ref"].fillna("").astype(str).to_numpy()),
    })
    late_rows = sorted(set(late["row"]))
    unmatched = pd.DataFrame({"row": late_rows, "reason": "payment_on_paid_invoice: the invoice "
                              "it names is already settled by an earlier payment"})
    kept = allocations[~allocations["row"].isin(late_rows)]
    return kept.drop(columns=["source_date", "rank"]), {"exceptions": exceptions,
                                                        "unmatched": unmatched}


def _closed_exceptions(closed: pd.DataFrame) -> pd.DataFrame:
    if closed.empty:
        return _none(_EXC)
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
        return _none(["row", "reason"])
    strength = {state: i for i, state in enumerate(STATE_EXCEPTION)}
    best = closed.assign(strength=closed["state"].map(strength)).sort_values(
        ["row", "strength"], kind="stable").drop_duplicates("row")
    return pd.DataFrame({"row": best["row"], "reason": best["state"].map(STATE_EXCEPTION)
                         + ": " + best["ref"] + " cannot take this payment"})


def suggest_by_amount(rest: pd.DataFrame, invoices: pd.DataFrame,
                      settled: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Payments naming no invoice: a suggestion when exactly one open invoice has exactly
    this amount as balance (same currency, not issued after the payment); else unmatched."""
    open_inv = _invoice_side(invoices)
    open_inv = open_inv[open_inv["status"].isin(OPEN_STATUSES) & (open_inv["balance_minor"] > 0)
                        & ~open_inv["invoice_number"].isin(settled)]
    pays = rest.assign(row=rest.index)[_PAY]
    hits = pays.merge(open_inv, left_on=["currency", "amount_minor"],
                      right_on=["inv_currency", "balance_minor"])
    earliest = pd.to_datetime(hits["issue_date"]) - pd.Timedelta(days=AMOUNT_ONLY_DAYS_BEFORE_ISSUE)
    hits = hits[pd.to_datetime(hits["source_date"]) >= earliest]
    n = hits.groupby("row")["invoice_number"].transform("size")
    one = hits[n == 1]
    suggested = _allocation(one, one["amount_minor"], "suggested", "amount_only", 0.5,
                            "no reference; amount equals the balance of invoice "
                            + one["invoice_number"] + " (client " + one["client_id"].astype(str)
                            + "), the only open invoice with this amount").drop(
                                columns="source_date")
    candidates = pays["row"].map(hits["row"].value_counts()).fillna(0).astype(int)
    left = pays.loc[candidates != 1, "row"]
    several = candidates[left.index]
    reason = ("ambiguous_amount: " + several.astype(str) + " open invoices have this amount")
    reason = reason.where(several > 0, "no_reference: no invoice reference and no open "
                                       "invoice with this amount")
    return suggested, pd.DataFrame({"row": left, "reason": reason}).reset_index(drop=True)
