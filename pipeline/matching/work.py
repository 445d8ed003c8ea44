"""What every pass of the engine takes and gives back.

A pass is a pure function ``Work -> Decided``. ``Work`` holds the money still unexplained
(payments keyed by ``row``, their position in this run's payments frame), every invoice with
its balance still open after the ledger and the earlier passes, and the ledger so far. A pass
returns the rows it decided (allocations, unmatched reasons, exceptions); the engine takes
them out of the money and applies them to the invoices (:meth:`Work.after`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from pipeline.matching import ledger as ledger_math
from pipeline.models import InvoiceStatus
from pipeline.settings import Settings

OPEN_STATUSES = {s.value for s in (InvoiceStatus.UNPAID, InvoiceStatus.OVERDUE,
                                   InvoiceStatus.PAYMENT_PENDING, InvoiceStatus.COLLECTIONS)}
CANCELLED_STATUSES = {InvoiceStatus.CANCELLED.value, InvoiceStatus.REFUNDED.value}

ALLOC = ["row", "invoice_number", "applied_minor", "currency", "status", "rule", "confidence",
         "reason"]
EXC = ["row", "kind", "invoice_number", "amount_minor", "currency", "detail"]
UNMATCHED = ["row", "reason"]
OTHER = ["row", "kind", "detail"]  # money that is not a customer's (payout, interest, ...)
# An allocation may also carry ``fee_minor`` (a fee deducted on the way, within tolerance)
# and ``remembered`` (True: shown again from the ledger, already in the balances).
# The confidence of each automatic rule, the same on the night it matched and every night the
# ledger shows it again; a person's confirmation is 1.
CONFIDENCE = {"reference_amount": 0.99, "references_sum": 0.97, "reference_fee": 0.95,
              "reference_partial": 0.9, "reference_overpaid": 0.9}
CONFIDENCE.update({"ticket_amount": 0.97, "ticket_fee": 0.93, "ticket_partial": 0.88,
                   "ticket_overpaid": 0.88})  # a verified ticket (pipeline.matching.by_ticket)
CONFIDENCE.update({"client_amount": 0.9, "client_subset_sum": 0.85,
                   "client_fee": 0.85})  # a known payer (pipeline.matching.by_client)


def none(columns: list[str]) -> pd.DataFrame:
    """An empty frame with ``columns`` (object dtype)."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


@dataclass(frozen=True)
class Decided:
    """What one pass decided, keyed by payment ``row``."""

    allocations: pd.DataFrame  # ALLOC (+ fee_minor, remembered)
    unmatched: pd.DataFrame  # UNMATCHED
    exceptions: pd.DataFrame  # EXC
    # the tickets pass: each claim's outcome (TICKET_OUTCOME_COLUMNS) and its findings keyed
    # by ticket, not by payment row (EXCEPTION_COLUMNS, payment_kind "ticket")
    tickets: pd.DataFrame | None = None
    ticket_exceptions: pd.DataFrame | None = None
    other: pd.DataFrame = field(default_factory=lambda: none(OTHER))  # not customer money
    payouts: pd.DataFrame | None = None  # PAYOUT_OUTCOME_COLUMNS (the payouts pass only)
    # candidates the pass looked at beyond its allocations and exceptions, with why each was
    # dropped (pipeline.matching.considered.CONSIDERED; None: nothing more to say)
    considered: pd.DataFrame | None = None

    @classmethod
    def nothing(cls) -> Decided:
        return cls(none(ALLOC), none(UNMATCHED), none(EXC))

    def row_array(self) -> np.ndarray:
        """The payment rows this pass explained (allocated, given an unmatched reason, or
        found not to be a customer's money), as one integer array (a row may repeat)."""
        parts = [f["row"].to_numpy() for f in (self.allocations, self.unmatched, self.other)
                 if len(f)]
        return np.concatenate(parts).astype("int64") if parts else np.empty(0, "int64")


@dataclass(frozen=True)
class Work:
    """The state between two passes."""

    money: pd.DataFrame  # PAYMENT_COLUMNS + money_key, index = row, still unexplained
    invoices: pd.DataFrame  # INVOICE_COLUMNS; balance_minor = still open now
    ledger: pd.DataFrame  # LEDGER_COLUMNS: the ledger so far (earlier runs + this run)
    settings: Settings
    as_of: dt.date
    payments: pd.DataFrame | None = None  # every payment of this run (index = row)
    tickets: pd.DataFrame | None = None  # TICKET_COLUMNS: claims to verify (by_ticket)
    payouts: pd.DataFrame | None = None  # PAYOUT_COLUMNS: gateway payouts to verify
    non_payments: pd.DataFrame | None = None  # bank debits, gateway payouts (not money in)
    reversals: pd.DataFrame | None = None  # REVERSAL_COLUMNS: refunds and chargebacks
    clients: pd.DataFrame | None = None  # CLIENT_COLUMNS: who may pay (by_client)
    # runs a pass's pure per-row part over partitions (pipeline.partitions.MapPartitions)
    map_partitions: Callable[[Callable, list], list] | None = None

    def open_invoices(self) -> pd.DataFrame:
        """Invoices that can still take money: an open status and a balance left."""
        inv = self.invoices
        return inv[inv["status"].isin(OPEN_STATUSES) & (inv["balance_minor"] > 0)]

    def after(self, decided: Decided) -> Work:
        """The work left once ``decided`` is taken out of the money and applied."""
        rows = decided.row_array()
        money = self.money[~self.money.index.isin(rows)] if len(rows) else self.money
        allocs = decided.allocations
        if "remembered" in allocs:  # already counted in the invoices' balances
            allocs = allocs[~allocs["remembered"].fillna(False).astype(bool)]
        applied = ledger_math.applied_now(allocs)
        return replace(self, money=money,
                       invoices=ledger_math.reduce_balances(self.invoices, applied))
