"""Where a bank CSV's parts are: the preamble before the header, the header row (and so the
profile), and the summary lines around the data.

Preamble lines (KlikBCA/Mandiri ``No. rekening : 0372543386``, ``Periode : 01/10/2026 -
31/10/2026``, ``Kode Mata Uang : Rp``; German ``Zeitraum: ...``, ``Währung: EUR``) are read
as ``key : value`` in one cell or ``key;value`` over cells. Summary lines (``Saldo Awal``,
``Mutasi Kredit``, ``Saldo Akhir``, ``Opening Balance``, ``Kontostand``, ``Total``...) are
recognised by the label in their first non-empty cell, which must also be where the date
would be: a transaction whose description starts with "Total" is still a transaction.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Literal

from parsers import csvspec
from parsers.bank_csv_profiles import GENERIC, BankCsvProfile, header_names, match_profile
from parsers.bank_csv_profiles import positions as profile_positions
from parsers.csvspec import CsvRecord
from pipeline.money import CurrencyError, normalize_currency

HEADER_SEARCH_RECORDS = 30

# Header names that make a CSV something other than a bank statement: gateway exports
# (PayPal Gross/Net, Stripe reports, BTCPay), canonical invoices/clients, tickets.
FOREIGN_HEADERS = frozenset({"invoice number", "client id", "ticket id", "tid", "subject",
                             "balance transaction id", "reporting category", "invoiceid",
                             "orderid", "invoicestatus"})
FOREIGN_SETS = (frozenset({"gross", "net"}), frozenset({"id", "type", "source", "transfer"}))

ACCOUNT_KEYS = frozenset({"no rekening", "nomor rekening", "no rek", "rekening", "account",
                          "account number", "account no", "konto", "kontonummer", "iban",
                          "auftragskonto"})
CURRENCY_KEYS = frozenset({"kode mata uang", "mata uang", "currency", "waehrung", "wahrung"})
PERIOD_KEYS = frozenset({"periode", "period", "zeitraum", "statement period"})
SummaryKind = Literal["opening", "closing", "total"]
SUMMARY_LABELS: dict[str, SummaryKind] = {
    **dict.fromkeys(("saldo awal", "opening balance", "beginning balance", "starting balance",
                     "balance brought forward", "anfangssaldo", "alter kontostand"), "opening"),
    **dict.fromkeys(("saldo akhir", "closing balance", "ending balance", "end balance",
                     "balance carried forward", "endsaldo", "schlusssaldo", "neuer kontostand",
                     "kontostand"), "closing"),
    **dict.fromkeys(("mutasi kredit", "mutasi debet", "mutasi debit", "total", "totals",
                     "summe", "gesamt", "jumlah mutasi"), "total"),
}
_LABEL_WORDS = max(len(label.split()) for label in SUMMARY_LABELS)
_PERIOD_SPLIT = re.compile(r"\s+(?:-|–|s/d|sd|to|until|bis)\s+", re.IGNORECASE)
_ACCOUNT = re.compile(r"[A-Z0-9]{4,34}")
_ACCOUNT_NOISE = re.compile(r"[\s\-.'/]")


@dataclass(frozen=True)
class Layout:
    """Delimiter, header row and the profile its names chose."""

    delimiter: str
    header_line: int
    header: tuple[str, ...]
    profile: BankCsvProfile

    def positions(self, profile: BankCsvProfile | None = None) -> dict[str, tuple[int, ...]]:
        return profile_positions(profile or self.profile, self.header)


@dataclass(frozen=True)
class Preamble:
    """What the lines before the header say about the statement."""

    account: str = ""
    currency: str | None = None
    period: tuple[str, str] | None = None  # the two date texts as written


def compact_account(value: str) -> str:
    """``'DE89 3704-0044'`` -> ``'DE8937040044'``: an account number without separators."""
    return _ACCOUNT_NOISE.sub("", value).upper()


def find_layout(content: str) -> Layout | None:
    """The header row (among the first 30 records) and its profile: a specific profile's
    signature, else the generic aliases naming a date and an amount or debit and credit.
    Tried with ``,`` ``;`` and TAB: a specific profile, then the most fields, wins."""
    best, best_score = None, (-1, -1)
    for delimiter in csvspec.DELIMITERS:
        try:
            found = _header_in(islice(csvspec.records(content, delimiter),
                                      HEADER_SEARCH_RECORDS), delimiter)
        except csv.Error:
            continue
        if found is not None:
            layout, score = found
            if score > best_score:
                best, best_score = layout, score
    return best


def _header_in(records: Iterable[CsvRecord], delimiter: str) -> tuple[Layout, tuple] | None:
    for record in records:
        names = header_names(record.cells)
        if names & FOREIGN_HEADERS or any(s <= names for s in FOREIGN_SETS):
            return None
        profile = match_profile(names)
        layout = Layout(delimiter, record.line, tuple(record.cells), profile or GENERIC)
        found = layout.positions()
        if profile is not None:
            return layout, (1, len(found))
        if "date" in found and ("amount" in found or {"debit", "credit"} <= found.keys()):
            return layout, (0, len(found))
    return None


def read_preamble(records: Sequence[CsvRecord]) -> Preamble:
    """Account number, currency and period from the lines before the header."""
    account, currency, period = "", None, None
    for key, value in (pair for record in records for pair in _pairs(record.cells)):
        if key in ACCOUNT_KEYS and not account:
            account = _account_number(value)
        elif key in CURRENCY_KEYS and currency is None:
            try:
                currency = normalize_currency(value)
            except CurrencyError:
                continue
        elif key in PERIOD_KEYS and period is None:
            parts = _PERIOD_SPLIT.split(value.strip(), maxsplit=1)
            period = (parts[0], parts[1]) if len(parts) == 2 else None
    return Preamble(account, currency, period)


def _pairs(cells: Sequence[str]) -> Iterable[tuple[str, str]]:
    """``key : value`` inside any cell, and ``key`` (or ``key :``, as KlikBCA writes
    ``No. rekening : ,0372543386``) + the next non-empty cell(s)."""
    texts = [cell.strip() for cell in cells if cell.strip() and cell.strip() != ":"]
    for text in texts:
        key, colon, value = text.partition(":")
        if colon and key.strip() and value.strip():
            yield csvspec.normalise_header(key), value.strip()
    key = texts[0].removesuffix(":") if texts else ""
    if len(texts) > 1 and ":" not in key:
        yield csvspec.normalise_header(key), " ".join(texts[1:])


def _account_number(value: str) -> str:
    compact = compact_account(value)
    return compact if _ACCOUNT.fullmatch(compact) and any(c.isdigit() for c in compact) else ""


def summary_kind(cells: Sequence[str], date_positions: tuple[int, ...]) -> SummaryKind | None:
    """The summary line a row is (opening/closing balance, totals), or ``None``: the label
    must be the first non-empty cell and sit where the date is (or the date is empty)."""
    first = next((i for i, cell in enumerate(cells) if cell.strip()), None)
    if first is None or cells[first].lstrip()[:1].isdigit():
        return None
    date_cells = [cells[p].strip() for p in date_positions if p < len(cells)]
    if first not in date_positions and any(date_cells):
        return None
    return label_kind(cells[first])


def label_kind(text: str) -> SummaryKind | None:
    """The summary label ``text`` starts with (``Saldo Awal : 1.000`` -> ``opening``)."""
    words = csvspec.normalise_header(text).split()
    for size in range(min(_LABEL_WORDS, len(words)), 0, -1):
        kind = SUMMARY_LABELS.get(" ".join(words[:size]))
        if kind is not None:
            return kind
    return None


def summary_amount_texts(cells: Sequence[str], delimiter: str) -> list[str]:
    """Texts that may hold a summary line's amount, most likely first: the text after the
    label (``Saldo Awal : 10,000,000.00`` split by a ``,`` delimiter is joined back), then
    each later cell from the right."""
    first = next(i for i, cell in enumerate(cells) if cell.strip())
    label, colon, tail = cells[first].partition(":")
    rest = [cell.strip() for cell in cells[first + 1:] if cell.strip() not in ("", ":")]
    joined = delimiter.join([tail.strip(), *rest] if colon else rest)
    candidates = [joined.strip(" :" + delimiter)]
    candidates += [cell for cell in reversed(rest) if cell != candidates[0]]
    return [c for c in candidates if c]
