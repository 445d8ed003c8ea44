"""The matching engine (pure): payments and invoices in, allocations/unmatched/exceptions out.

No database, no files, no clock: the as-of date is a parameter. Every payment ends in
exactly one outcome: allocated (``auto`` or ``suggested`` rows in ``allocations``) or
``unmatched`` with a reason class. ``exceptions`` are findings on top (payment on a paid
invoice, unknown reference, currency mismatch, a second payment for a settled invoice).

The engine is an ordered list of passes, strongest evidence first (see PASSES). Each pass
is a pure function over frames (:mod:`pipeline.matching.work`): it sees the money still
unexplained and the invoices still open, and decides what it can; the ``rule`` column of an
allocation names the pass and rule that made it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from pipeline.frames import ALLOCATION_COLUMNS, EXCEPTION_COLUMNS, UNMATCHED_COLUMNS, empty
from pipeline.matching.by_amount import by_amount
from pipeline.matching.by_reference import by_reference
from pipeline.matching.work import Decided, Work, none
from pipeline.settings import Settings

PAYMENT_KEY = ["payment_kind", "payment_id"]

# Strongest evidence first. Still to come (issue 8): verified tickets, client identity,
# subset sum, gateway events, payouts.
PASSES: list[tuple[str, Callable[[Work], Decided]]] = [
    ("references", by_reference),
    ("amount", by_amount),
]


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
    work = Work(money=payments, invoices=invoices.reset_index(drop=True),
                ledger=none([]), settings=settings, as_of=as_of)
    decided = []
    for _name, run_pass in PASSES:
        outcome = run_pass(work)
        decided.append(outcome)
        work = work.after(outcome)
    return MatchResult(
        allocations=_finish([d.allocations for d in decided], payments, ALLOCATION_COLUMNS),
        unmatched=_finish([d.unmatched for d in decided], payments, UNMATCHED_COLUMNS),
        exceptions=_finish([d.exceptions for d in decided], payments, EXCEPTION_COLUMNS),
    )


def _finish(parts: list[pd.DataFrame], payments: pd.DataFrame,
            columns: list[str]) -> pd.DataFrame:
    """Attach the payment key to rows keyed by payment row, in a stable order."""
    parts = [p for p in parts if not p.empty]
    if not parts:
        return empty(columns)
    frame = pd.concat(parts, ignore_index=True)
    keyed = frame.join(payments[PAYMENT_KEY], on="row")
    keyed = keyed.sort_values(["row", *[c for c in ("invoice_number", "kind") if c in keyed]],
                              kind="stable")
    return keyed[columns].reset_index(drop=True)
