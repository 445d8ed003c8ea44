"""The matching engine (pure): payments and invoices in, allocations/unmatched/exceptions out.

No database, no files, no clock: the as-of date is a parameter. Every payment ends in
exactly one outcome: allocated (``auto`` or ``suggested`` rows in ``allocations``) or
``unmatched`` with a reason class. ``exceptions`` are findings on top (payment on a paid
invoice, unknown reference, currency mismatch, a second payment for a settled invoice).

First pass (precision first; anything doubtful is a suggestion):
- one referenced open invoice, same currency, amount = balance  -> auto
- several referenced open invoices whose balances sum to the amount -> auto (mass payment)
- referenced invoice(s) but the amount differs, or several candidates -> suggested
- no reference, amount equals the balance of exactly one open invoice -> suggested
- references only to paid/cancelled invoices, other currencies or unknown numbers -> exception
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from pipeline.frames import ALLOCATION_COLUMNS, EXCEPTION_COLUMNS, UNMATCHED_COLUMNS, empty
from pipeline.matching_rules import (
    candidate_invoices,
    classify_candidates,
    decide_referenced,
    suggest_by_amount,
)
from pipeline.settings import Settings

PAYMENT_KEY = ["payment_kind", "payment_id"]


@dataclass(frozen=True)
class MatchResult:
    allocations: pd.DataFrame  # ALLOCATION_COLUMNS (auto and suggested)
    unmatched: pd.DataFrame  # UNMATCHED_COLUMNS
    exceptions: pd.DataFrame  # EXCEPTION_COLUMNS

    @classmethod
    def empty(cls) -> MatchResult:
        return cls(empty(ALLOCATION_COLUMNS), empty(UNMATCHED_COLUMNS), empty(EXCEPTION_COLUMNS))


def match(payments: pd.DataFrame, invoices: pd.DataFrame, *, settings: Settings,
          as_of: dt.date) -> MatchResult:
    """Match every payment (PAYMENT_COLUMNS) against invoices (INVOICE_COLUMNS).

    Payments dated after ``as_of`` are left out of this run (they are not known yet).
    The result is deterministic: the same inputs give the same rows in the same order.
    """
    payments = payments[payments["source_date"] <= as_of].reset_index(drop=True)
    if payments.empty:
        return MatchResult.empty()
    candidates = candidate_invoices(payments, invoices, settings.reference_patterns)
    candidates = classify_candidates(candidates, payments)
    allocations, exceptions, unmatched = decide_referenced(candidates, payments)
    settled = set(allocations.loc[allocations["status"] == "auto", "invoice_number"])
    rest = payments[~payments.index.isin(candidates["row"])]
    by_amount, no_reference = suggest_by_amount(rest, invoices, settled)
    allocations = pd.concat([allocations, by_amount], ignore_index=True)
    unmatched = pd.concat([unmatched, no_reference], ignore_index=True)
    return MatchResult(
        allocations=_finish(allocations, payments, ALLOCATION_COLUMNS),
        unmatched=_finish(unmatched, payments, UNMATCHED_COLUMNS),
        exceptions=_finish(exceptions, payments, EXCEPTION_COLUMNS),
    )


def _finish(frame: pd.DataFrame, payments: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Attach the payment key to rows keyed by payment row, in a stable order."""
    if frame.empty:
        return empty(columns)
    keyed = frame.join(payments[PAYMENT_KEY], on="row")
    keyed = keyed.sort_values(["row", *[c for c in ("invoice_number", "kind") if c in keyed]],
                              kind="stable")
    return keyed[columns].reset_index(drop=True)
