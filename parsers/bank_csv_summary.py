"""Summary lines of a bank CSV told apart from its transactions, the opening and closing
balances they state (preamble or summary lines) as :class:`StatementBalance` records, and
the check opening + movements = closing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from parsers.bank_csv_layout import label_kind, summary_amount_texts, summary_kind
from parsers.bank_csv_profiles import EXTRA, FORMAT, BankCsvProfile
from parsers.bank_csv_values import statement_warning
from parsers.base import SourceFile
from parsers.csvspec import CsvRecord
from pipeline.models import StatementBalance


@dataclass(frozen=True)
class Summary:
    """A summary line: ``kind`` opening/closing/total, or ``info`` (no date, no amount at
    either end of the data); ``texts``: where its amount may be written."""

    kind: str
    record: CsvRecord
    texts: tuple[str, ...] = ()


MONEY_FIELDS = ("amount", "debit", "credit")


def preamble_summaries(records: Sequence[CsvRecord], delimiter: str) -> list[Summary]:
    """Opening and closing balances stated before the header (``Saldo Awal : 1.000``)."""
    found = [(summary_kind(record.cells, ()), record) for record in records]
    return [Summary(kind, record, tuple(summary_amount_texts(record.cells, delimiter)))
            for kind, record in found if kind in ("opening", "closing")]


def split_rows(rows: list[tuple[CsvRecord, dict]], date_at: tuple[int, ...],
               profile: BankCsvProfile, delimiter: str,
               summaries: list[Summary]) -> list[tuple[CsvRecord, dict]]:
    """Transaction rows; summary lines are appended to ``summaries``. Rows with neither
    date nor amount count as summary only before the first or after the last dated row."""
    labels = [summary_kind(row.cells, date_at) for row, _ in rows]
    dated = [i for i, (_, raw) in enumerate(rows) if raw.get("date") and not labels[i]]
    first, last = (dated[0], dated[-1]) if dated else (len(rows), -1)
    data = []
    for i, (row, raw) in enumerate(rows):
        found = summary_of(row, raw, labels[i], i < first or i > last, profile, delimiter)
        if found is None:
            data.append((row, raw))
        else:
            summaries.extend(found)
    return data


def summary_of(row: CsvRecord, raw: dict, label: str | None, edge: bool,
             profile: BankCsvProfile, delimiter: str) -> list[Summary] | None:
    """The summary lines a row is (``None``: a transaction); ``edge``: before the first or
    after the last dated row."""
    if label is not None:
        return [Summary(label, row, tuple(summary_amount_texts(row.cells, delimiter)))]
    if any(raw.get(f) for f in MONEY_FIELDS):
        return None
    kind = label_kind(raw.get("description", ""))
    if kind in ("opening", "closing") and raw.get("balance"):
        return [Summary(kind, row, (raw["balance"],))]
    if raw.get("date") or not edge:
        return None
    return [Summary("info", row), *(
        Summary(k, row, (raw[EXTRA + h],))
        for k, h in profile.statement_balances if raw.get(EXTRA + h))]


class _Reader(Protocol):
    source: SourceFile
    file_account: tuple
    date: object

    def file_currency(self, currencies: Sequence[str]) -> str | None: ...

    def amount_of(self, texts: Sequence[str], currency: str) -> int | None: ...

    def date_in(self, cells: Sequence[str]) -> dt.date | None: ...


def balances_and_warnings(reader: _Reader, summaries: Sequence[Summary],
                          currencies: Sequence[str], amounts: Sequence[int], rejected: int,
                          warnings: list[str]) -> list[StatementBalance]:
    """The first opening and the last closing balance stated; a warning when one cannot be
    read or when opening + the transactions (``currencies`` and ``amounts`` in minor units,
    one per transaction) in the balance's currency != closing."""
    chosen: dict[str, Summary] = {}
    for summary in summaries:
        if summary.kind == "closing" or (summary.kind == "opening" and "opening" not in chosen):
            chosen[summary.kind] = summary
    if not chosen:
        return []
    currency = reader.file_currency(currencies)
    if currency is None:
        warnings.append("statement balances not recorded: the file names no single currency")
        return []
    balances = [b for kind in ("opening", "closing") if kind in chosen
                for b in _balance(reader, chosen[kind], currency, warnings)]
    by_kind = {b.kind: b.amount_minor for b in balances}
    if len(by_kind) == 2:
        movements = sum(a for c, a in zip(currencies, amounts, strict=True) if c == currency)
        warning = statement_warning(by_kind["opening"], by_kind["closing"], movements,
                                    currency, rejected)
        if warning:
            warnings.append(warning)
    return balances


def _balance(reader: _Reader, summary: Summary, currency: str,
             warnings: list[str]) -> list[StatementBalance]:
    line = summary.record.line
    minor = reader.amount_of(summary.texts, currency)
    if minor is None:
        warnings.append(f"{summary.kind} balance on line {line} not recorded: no readable "
                        f"amount in {summary.record.raw[:80]!r}")
        return []
    period = getattr(reader.date, "period", None)
    date = reader.date_in(summary.record.cells) or (
        period[0 if summary.kind == "opening" else 1] if period else None)
    return [StatementBalance(currency=currency, account_id=reader.file_account[0],
                             kind=summary.kind, date=date, amount_minor=minor,
                             origin=reader.source.origin(FORMAT, line, summary.kind))]
