"""Invoices after a run (for the report): what is paid, what is still open, and how late.

Amounts in minor units; the statuses are the export's (``paid``, ``partially_paid``,
``unpaid``, ``cancelled``, ``refunded``, ``collections``).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from pipeline.matching.ledger import considered, invoices_after_ledger
from pipeline.overdue import first_invoices
from pipeline.report_summary import SETTLED
from pipeline.report_values import minor_units

OPEN_STATUSES = ("unpaid", "partially_paid", "collections")


def invoice_state(invoices: pd.DataFrame, clients: pd.DataFrame, allocations: pd.DataFrame,
                  *, as_of: dt.date, ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Invoices after the run, in minor units: ``paid_minor``, ``balance_minor``, ``status``,
    ``days_overdue``, ``is_open`` and ``client_name`` (from ``clients`` when blank).

    With a ``ledger`` (LEDGER_COLUMNS), the balance is what the ledger leaves open (see
    :func:`pipeline.matching.ledger.invoices_after_ledger`: billing showing our allocations
    or not reads the same, a reversal reopens); without one, auto and confirmed allocations
    are applied on top of the billing balance (none left for a billing Paid invoice).
    Cancelled, Refunded and (while a balance is left) Collections map through; a Draft is
    ``unpaid`` but never open for dunning.
    """
    number = invoices["invoice_number"].astype(str)
    total = pd.to_numeric(invoices["total_minor"]).astype("int64")
    billing = invoices["status"].fillna("").astype(str).str.strip().str.lower()
    balance = _balance_after(invoices, allocations, ledger, as_of, billing)
    status = np.select(
        [billing == "cancelled", billing == "refunded", (billing == "collections") & (balance > 0),
         billing == "draft", balance <= 0, balance < total],
        ["cancelled", "refunded", "collections", "unpaid", "paid", "partially_paid"],
        default="unpaid",
    )
    is_open = pd.Series(np.isin(status, OPEN_STATUSES), index=invoices.index)
    is_open &= (balance > 0) & (billing != "draft")
    late = (pd.Timestamp(as_of) - pd.to_datetime(invoices["due_date"], errors="coerce")).dt.days
    days = late.fillna(0).clip(lower=0).astype("int64").where(is_open, 0)
    return invoices.assign(
        invoice_number=number, total_minor=total, balance_minor=balance,
        paid_minor=total - balance, status=status, is_open=is_open,
        days_overdue=days, client_name=_client_names(invoices, clients),
        client_email=_own_or_clients(invoices["client_email"], invoices, clients,
                                     clients["email"].fillna("").astype(str)),
        first_invoice=first_invoices(invoices),
    )


def _balance_after(invoices: pd.DataFrame, allocations: pd.DataFrame,
                   ledger: pd.DataFrame | None, as_of: dt.date, billing: pd.Series) -> pd.Series:
    """What is still open on each invoice after the run (minor units, never below zero);
    ``billing``: billing's status of each invoice, stripped and lower case."""
    # Billing's word wins for a Paid invoice (WHMCS exports carry no balance: total - credit).
    billed = pd.to_numeric(invoices["balance_minor"]).astype("int64").where(billing != "paid", 0)
    if ledger is not None and len(ledger):
        typed = invoices.assign(balance_minor=billed,
                                total_minor=pd.to_numeric(invoices["total_minor"]))
        after = invoices_after_ledger(typed, considered(ledger, as_of))
        return after["balance_minor"].astype("int64")
    settled = allocations.loc[allocations["status"].isin(SETTLED)]
    taken = minor_units(settled["applied_minor"])
    if "fee_minor" in settled:  # a fee deducted on the way settles its part too
        taken = taken + minor_units(settled["fee_minor"].fillna(0))
    applied = taken.groupby(settled["invoice_number"].astype(str)).sum()
    applied_now = invoices["invoice_number"].astype(str).map(applied).fillna(0).astype("int64")
    return (billed - applied_now).clip(lower=0)


def _client_names(invoices: pd.DataFrame, clients: pd.DataFrame) -> pd.Series:
    """The invoice's client name, else the client record's name, else its company."""
    display = clients["name"].fillna("").astype(str)
    display = display.where(display != "", clients["company"].fillna("").astype(str))
    return _own_or_clients(invoices["client_name"], invoices, clients, display)


def _own_or_clients(own: pd.Series, invoices: pd.DataFrame, clients: pd.DataFrame,
                    values: pd.Series) -> pd.Series:
    """``own`` where the invoice states it, else the client record's ``values``."""
    own = own.fillna("").astype(str)
    if clients.empty:  # no client record to fall back on (as the map below would find)
        return own.where(own != "", pd.Series(np.full(len(own), "", dtype=object),
                                              index=own.index))
    by_id = pd.Series(values.to_numpy(), index=clients["client_id"].astype(str))
    by_id = by_id[~by_id.index.duplicated(keep="last")]
    known = invoices["client_id"].astype(str).map(by_id).astype(object).fillna("")
    return own.where(own != "", known)
