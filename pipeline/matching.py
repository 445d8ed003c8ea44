"""The matching engine (pure): payments and invoices in, allocations/unmatched/exceptions out.

No database, no files, no clock: the as-of date is a parameter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from pipeline.frames import ALLOCATION_COLUMNS, EXCEPTION_COLUMNS, UNMATCHED_COLUMNS, empty
from pipeline.settings import Settings


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
    """Match every payment (PAYMENT_COLUMNS) against invoices (INVOICE_COLUMNS)."""
    raise NotImplementedError  # being written
