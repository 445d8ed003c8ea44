"""Overdue policy (pure, vectorised): aging buckets, the action per invoice, and holds.

Frames in, frames out; no clock (days overdue are computed by the caller from its as-of
date), no loop per invoice. Actions, mildest first: ``none`` (not yet due, or inside the
reminder grace), ``remind``, ``lock_first_invoice`` (a new customer's first invoice),
``suspend``, ``terminate``, ``collections``; ``hold`` replaces any of them except ``none``
while a payment is claimed (open confirmation ticket) or suggested and awaiting review.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd

from pipeline.settings import DunningPolicy

BUCKETS = ["current", "1-30", "31-60", "61-90", "90+"]
HOLD_COLUMNS = ["invoice_number", "hold_reason"]
# Ticket states that still hold escalation (a verified ticket has become a match instead).
_HOLDING_TICKET_STATES = ("pending",)


def aging_bucket(days_overdue: pd.Series) -> pd.Series:
    """Days past due -> ``current`` (0: not yet due), ``1-30``, ``31-60``, ``61-90``, ``90+``."""
    days = pd.to_numeric(days_overdue, errors="coerce").fillna(0)
    labels = np.select(
        [days <= 0, days <= 30, days <= 60, days <= 90], BUCKETS[:4], default=BUCKETS[4]
    )
    return pd.Series(labels, index=days_overdue.index, dtype=object)


def policy_action(invoices: pd.DataFrame, policy: DunningPolicy) -> pd.Series:
    """The escalation step for each invoice, before holds.

    ``invoices`` needs ``days_overdue`` (int), ``first_invoice`` (bool) and ``status``
    (the reporting status; ``collections`` stays ``collections``).
    """
    days = pd.to_numeric(invoices["days_overdue"], errors="coerce").fillna(0)
    first = invoices["first_invoice"].fillna(False).astype(bool)
    ladder = np.select(
        [
            days >= policy.collections_after_days,
            days >= policy.terminate_after_days,
            days >= policy.suspend_after_days,
            days >= max(policy.remind_after_days, 1),
        ],
        ["collections", "terminate", "suspend", "remind"],
        default="none",
    )
    lock = (
        first
        & (days >= max(policy.first_invoice_lock_after_days, 1))
        & (days < policy.terminate_after_days)
    )
    action = np.where(lock, "lock_first_invoice", ladder)
    action = np.where(invoices["status"].astype(str) == "collections", "collections", action)
    return pd.Series(action, index=invoices.index, dtype=object)


def claim_holds(tickets: pd.DataFrame, *, as_of: dt.date, policy: DunningPolicy) -> pd.DataFrame:
    """Invoices claimed by a pending confirmation ticket dated within ``claim_hold_days``.

    ``tickets`` needs ``ticket_id``, ``invoice_number``, ``status``, ``claim_date`` (the
    claimed transfer date, else the ticket's date), ``claimed_amount`` (Decimal or None) and
    ``currency``. Returns HOLD_COLUMNS.
    """
    claim_date = pd.to_datetime(tickets["claim_date"], errors="coerce")
    age = (pd.Timestamp(as_of) - claim_date).dt.days
    keep = (
        tickets["status"].isin(_HOLDING_TICKET_STATES)
        & (age <= policy.claim_hold_days)
        & (tickets["invoice_number"].fillna("").astype(str) != "")
    )
    held = tickets.loc[keep]
    amount = _amount_text(held["claimed_amount"])
    currency = held["currency"].fillna("").astype(str)
    amount = amount.where(amount == "", " " + amount + " " + currency)
    reason = (
        "payment claimed by ticket " + held["ticket_id"].astype(str) + amount
        + " on " + claim_date.loc[keep].dt.strftime("%Y-%m-%d") + ", awaiting verification"
    )
    return pd.DataFrame({"invoice_number": held["invoice_number"].astype(str),
                         "hold_reason": reason}, columns=HOLD_COLUMNS)


def review_holds(suggestions: pd.DataFrame) -> pd.DataFrame:
    """Invoices with a suggested allocation awaiting review.

    ``suggestions`` needs ``invoice_number``, ``source_file`` and ``applied_amount``
    (Decimal). Returns HOLD_COLUMNS with ``payment suggested, awaiting review: <file> <amount>``.
    """
    reason = (
        "payment suggested, awaiting review: "
        + suggestions["source_file"].fillna("").astype(str) + " "
        + _amount_text(suggestions["applied_amount"])
    )
    return pd.DataFrame({"invoice_number": suggestions["invoice_number"].astype(str),
                         "hold_reason": reason}, columns=HOLD_COLUMNS)


def assess(invoices: pd.DataFrame, holds: pd.DataFrame, policy: DunningPolicy) -> pd.DataFrame:
    """Add ``bucket``, ``action`` and ``hold_reason`` ('' when none) to open invoices.

    ``holds`` (HOLD_COLUMNS, several rows per invoice allowed) turns any escalation into
    ``hold``; reasons for one invoice are joined with ``; ``.
    """
    reasons = (
        holds.drop_duplicates().groupby("invoice_number", sort=False)["hold_reason"]
        .agg("; ".join)
    )
    hold_reason = invoices["invoice_number"].astype(str).map(reasons).astype(object).fillna("")
    action = policy_action(invoices, policy)
    action = action.where((hold_reason == "") | (action == "none"), "hold")
    return invoices.assign(bucket=aging_bucket(invoices["days_overdue"]), action=action,
                           hold_reason=hold_reason)


def aging_by_client(overdue: pd.DataFrame) -> pd.DataFrame:
    """Open balance per client and currency, one column per bucket, plus ``balance`` and
    ``invoices``. ``overdue`` is the report's overdue frame (Decimal ``balance``); currencies
    are never added together."""
    keys = ["client_id", "client_name", "currency"]
    columns = [*keys, *BUCKETS, "balance", "invoices"]
    if overdue.empty:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
    pivot = overdue.pivot_table(
        index=keys, columns="bucket", values="balance", aggfunc="sum", fill_value=Decimal(0),
        observed=True,
    ).reindex(columns=BUCKETS, fill_value=Decimal(0))
    totals = overdue.groupby(keys, sort=False).agg(
        balance=("balance", "sum"), invoices=("invoice_number", "size")
    )
    return pivot.join(totals).reset_index().sort_values(keys, kind="stable")[columns]


def _amount_text(amounts: pd.Series) -> pd.Series:
    """Decimal -> plain text (``1500000.00``; ``''`` when missing), never scientific notation."""
    return amounts.map(lambda d: "" if d is None or pd.isna(d) else format(d, "f")).astype(object)
