"""The overdue list of a report: open invoices with their aging, recommended action, why,
and the holds that stop escalation (pure; frames in, frame out).

``overdue.csv`` takes the DESIGN.md columns (:data:`OVERDUE_OUT`); the overdue workbook also
shows the client's e-mail, the reason in words and, for a held invoice, what the hold holds
back (:data:`OVERDUE_EXTRA`).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from pipeline import dunning
from pipeline.report_values import money, optional_date, text_ranks
from pipeline.settings import Settings

OVERDUE_OUT = ["invoice_number", "client_id", "client_name", "currency", "total", "balance",
               "due_date", "days_overdue", "bucket", "first_invoice", "action", "hold_reason"]
OVERDUE_EXTRA = ["client_email", "why", "held_action"]
_APPLIED = ("auto", "confirmed")


def first_invoices(invoices: pd.DataFrame) -> pd.Series:
    """Billing's first-invoice flag for a client it flags an invoice of, else the client's
    earliest invoice by issue date (ties: the lowest number). WHMCS exports carry no flag."""
    flagged = invoices["first_invoice"].fillna(False).astype(bool)
    client = pd.factorize(invoices["client_id"].astype(str))[0]  # -1: no client
    known = client >= 0
    issued = pd.to_datetime(invoices["issue_date"], errors="coerce").to_numpy()
    # only the invoices of a client's earliest issue time (missing: after all) compete
    when = np.where(pd.isna(issued), np.iinfo(np.int64).max, issued.view(np.int64))
    least = np.full(client.max() + 1 if known.any() else 0, np.iinfo(np.int64).max)
    np.minimum.at(least, client[known], when[known])
    rivals = known.copy()
    rivals[known] = when[known] == least[client[known]]
    earliest = _earliest_numbers(invoices.loc[rivals, "invoice_number"], client[rivals])
    groups = pd.Series(client, index=invoices.index).where(known)
    billing_says = flagged.groupby(groups).transform("any")
    return flagged.where(billing_says, pd.Series(invoices.index.isin(earliest),
                                                 index=invoices.index))


def _earliest_numbers(numbers: pd.Series, client: np.ndarray) -> pd.Index:
    """The label of each client's lowest invoice number among ``numbers`` (the first one
    of equal numbers; missing numbers last)."""
    ranks = text_ranks(numbers)
    if ranks is None:
        order = numbers.to_frame().assign(_client=client).sort_values(
            ["_client", "invoice_number"], kind="stable", na_position="last")
        return order.drop_duplicates("_client").index
    order = np.lexsort((ranks, client))  # stable, as sort_values: ties keep their order
    first = np.r_[True, client[order][1:] != client[order][:-1]] if len(order) else order
    return numbers.index[order[first.astype(bool)]]


def holds(matches: pd.DataFrame, tickets: pd.DataFrame, *, as_of: dt.date,
          settings: Settings) -> pd.DataFrame:
    """Every reason to hold an invoice: a pending claim, money awaiting review, a recent
    partial payment (``dunning.HOLD_COLUMNS``)."""
    policy = settings.dunning
    return pd.concat([
        dunning.claim_holds(tickets, as_of=as_of, policy=policy),
        dunning.review_holds(matches.loc[matches["status"] == "suggested"]),
        dunning.partial_holds(matches.loc[matches["status"].isin(_APPLIED)], as_of=as_of,
                              policy=policy),
    ], ignore_index=True)


def overdue_frame(state: pd.DataFrame, held: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Open invoices, most urgent first: OVERDUE_OUT then OVERDUE_EXTRA."""
    assessed = dunning.assess(state.loc[state["is_open"]], held, settings.dunning)
    email = assessed["client_email"] if "client_email" in assessed else ""
    return pd.DataFrame({
        "invoice_number": assessed["invoice_number"], "client_id": assessed["client_id"],
        "client_name": assessed["client_name"], "currency": assessed["currency"],
        "total": money(assessed["total_minor"], assessed["currency"]),
        "balance": money(assessed["balance_minor"], assessed["currency"]),
        "due_date": optional_date(assessed["due_date"]),
        "days_overdue": assessed["days_overdue"], "bucket": assessed["bucket"],
        "first_invoice": assessed["first_invoice"], "action": assessed["action"],
        "hold_reason": assessed["hold_reason"],
        "client_email": pd.Series(email, index=assessed.index).fillna("").astype(str),
        "why": assessed["why"], "held_action": assessed["held_action"],
    }, columns=[*OVERDUE_OUT, *OVERDUE_EXTRA]).reset_index(drop=True)
