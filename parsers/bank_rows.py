"""The readable line of a bank statement (CAMT entry, MT940 ``:61:``) before its natural key
is made unique, and the one way such lines become :class:`BankTransaction` records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from parsers.base import SourceFile
from pipeline.identity import occurrences_per_account
from pipeline.models import BankTransaction


@dataclass(frozen=True)
class BankRow:
    """One readable statement line; ``ref`` is the reference as the bank states it."""

    ref: str | None
    key: str
    booking_date: dt.date
    value_date: dt.date | None
    amount_minor: int
    currency: str
    description: str
    counterparty_name: str
    counterparty_account: str
    line: int | None = None  # physical line, for line-based formats


def bank_transactions(source: SourceFile, fmt: str,
                      rows: Sequence[tuple[str, BankRow]]) -> tuple[list[BankTransaction],
                                                                     list[str]]:
    """``(account, row)`` pairs -> records in the same order, with natural keys unique per
    account; plus warnings about bank references repeated within an account."""
    keys, warnings = occurrences_per_account(
        [account for account, _ in rows], [row.key for _, row in rows],
        [row.ref for _, row in rows])
    records = [BankTransaction(
        currency=row.currency, account_id=account, natural_key=key,
        booking_date=row.booking_date, value_date=row.value_date,
        amount_minor=row.amount_minor, description=row.description,
        counterparty_name=row.counterparty_name, counterparty_account=row.counterparty_account,
        origin=source.origin(fmt, row.line, row.ref))
        for (account, row), key in zip(rows, keys, strict=True)]
    return records, warnings
