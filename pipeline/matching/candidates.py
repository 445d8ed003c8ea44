"""Which invoices a payment's text names, and in what state each one is.

Frames here are keyed by ``row``: the position of the payment in the run's payments frame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.matching.runs import repeated_runs
from pipeline.matching.work import CANCELLED_STATUSES, OPEN_STATUSES
from pipeline.models import InvoiceStatus
from pipeline.partitions import MapPartitions
from pipeline.references import extract_partitioned, normalize_refs

# Why a referenced invoice cannot take the money, strongest explanation first.
STATE_EXCEPTION = {
    "paid": "payment_on_paid_invoice",
    "cancelled": "payment_on_cancelled_invoice",
    "currency_mismatch": "currency_mismatch",
    "draft": "payment_on_draft_invoice",
    "unknown": "unknown_reference",
}
PAY = ["row", "amount_minor", "currency", "source_date", "source_file", "source_ref"]
INV = ["invoice_number", "client_id", "inv_currency", "balance_minor", "status", "issue_date"]


def invoice_keys(invoices: pd.DataFrame) -> pd.DataFrame:
    """Every normalized key an invoice can be referenced by (number and WHMCS id)."""
    by_number = pd.DataFrame({"key": invoices["invoice_number"],
                              "invoice_number": invoices["invoice_number"]})
    by_id = pd.DataFrame({"key": invoices["invoice_id"],
                          "invoice_number": invoices["invoice_number"]})
    keys = pd.concat([by_number, by_id[by_id["key"].fillna("").astype(str) != ""]])
    keys["key"] = normalize_refs(keys["key"])
    return keys.drop_duplicates()


def invoice_side(invoices: pd.DataFrame) -> pd.DataFrame:
    return invoices.rename(columns={"currency": "inv_currency"})[INV]


def candidate_invoices(money: pd.DataFrame, invoices: pd.DataFrame,
                       patterns: list[str]) -> pd.DataFrame:
    """One row per (payment row, referenced number), with the invoice when one exists."""
    refs = distinct_references(money["text"], patterns)
    keys = invoice_keys(invoices)
    keys = keys[keys["key"].isin(refs["ref"].unique())]  # only the invoices some text names
    keyed = refs.merge(keys, left_on="ref", right_on="key", how="left")
    keyed = keyed.drop(columns="key").drop_duplicates(["row", "invoice_number"])
    named = invoices[invoices["invoice_number"].isin(keys["invoice_number"].unique())]
    with_invoice = keyed.merge(invoice_side(named), on="invoice_number", how="left")
    at = money.index.get_indexer(with_invoice["row"])  # each candidate's payment, by position
    pays = money[PAY[1:]].iloc[at].reset_index(drop=True)
    return pd.concat([with_invoice.reset_index(drop=True), pays], axis=1)


def distinct_references(texts: pd.Series, patterns: list[str],
                        map_partitions: MapPartitions | None = None) -> pd.DataFrame:
    """:func:`pipeline.references.extract_references` (with lists) of ``texts``, each distinct
    text read once: the references of a text depend on its words alone, so a memo many
    payments share is scanned once and its rows repeated for each of them, in the same order
    (per payment, in order of appearance). ``map_partitions``: the distinct texts read in
    partitions (:func:`pipeline.references.extract_partitioned`)."""
    codes, uniques = pd.factorize(texts.fillna("").astype(str))
    refs = extract_partitioned(pd.Series(np.asarray(uniques, dtype=object), dtype=object),
                               patterns, lists=True, map_partitions=map_partitions)
    if refs.empty or len(uniques) == len(texts):
        return refs if refs.empty else refs.assign(row=texts.index[refs["row"].to_numpy()])
    taken, payment = repeated_runs(  # each payment's references: its text's run in refs
        np.bincount(refs["row"].to_numpy(dtype=np.int64), minlength=len(uniques)), codes)
    return pd.DataFrame({"row": texts.index.to_numpy()[payment],
                         "ref": refs["ref"].to_numpy()[taken],
                         "listed": refs["listed"].to_numpy()[taken]})


def confirmed_lists(candidates: pd.DataFrame) -> pd.DataFrame:
    """Candidates less the numbers listed after a reference ("INV 11908 11909") unless the
    amount confirms the list: every listed number is an open invoice and the balances of
    the payment's open invoices sum to its amount. Otherwise the number after a reference
    is taken for what it may be (a postal code, an account number) and dropped."""
    listed = candidates["listed"].fillna(False).astype(bool)
    if not listed.any():
        return candidates
    is_open = candidates["state"] == "open"
    row = candidates["row"]
    total = candidates["balance_minor"].where(is_open, 0).groupby(row).transform("sum")
    closed_in_list = (listed & ~is_open).groupby(row).transform("any")
    confirmed = (total == candidates["amount_minor"]) & ~closed_in_list
    return candidates[~listed | confirmed].reset_index(drop=True)


def classify_candidates(candidates: pd.DataFrame) -> pd.DataFrame:
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
