"""Bank and wallet statement CSV exports: one :class:`BankTransaction` per booked row.

The layout comes from a profile (:mod:`parsers.bank_csv_profiles`): Chase, Wise, Revolut,
Venmo and KlikBCA by their header signature, else the generic header aliases in English,
Indonesian and German (ING's ``Umsatzanzeige`` too); an account in ``payrecon.toml`` may
force its profile. Preamble lines before the header give the account number, currency and
period; summary lines after the data (``Saldo Awal``, ``Saldo Akhir``, ``Total``..., or
rows with neither date nor amount at either end) are not transactions: stated
opening/closing balances become :class:`StatementBalance` records and opening + movements
= closing is checked, as is a running-balance column row to row (warnings; the statement
is still ingested).

Money: one signed column, debit and credit columns, or a ``CR``/``DB`` mark (German:
``S``/``H``) inside the amount or in its own column. The decimal separator
(:mod:`parsers.bank_csv_values`) and the date order (:mod:`parsers.bank_csv_dates`: the
account's ``date_order`` setting, the profile, the dates, the header's language, the
statement's own date sequence and period) are decided once per file. Currency, first
found: the currency column (the one right after the amount when there are two), the
preamble, a symbol on the amount, the account's configured currency, the profile's,
``default_currency``; a ``$`` amount only in a dollar currency. Otherwise the row is
rejected with the one setting that fixes it. The preamble's account number (``IBAN;...``,
``No. rekening : ,0372543386``) picks the account's settings. Encodings: UTF-8 (BOM or
not), UTF-16 with a BOM, Windows-1252, Latin-1; NUL bytes or control characters refuse
the file.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import replace
from functools import partial

from parsers import csv_cut, csvspec
from parsers.bank_csv_columns import read_columns
from parsers.bank_csv_layout import Layout, compact_account, find_layout, read_preamble
from parsers.bank_csv_profiles import FORMAT, PROFILES, BankCsvProfile
from parsers.bank_csv_reader import StatementReader
from parsers.base import ParseResult, SourceFile
from pipeline.money import normalize_currency
from pipeline.record_frames import collector_paused
from pipeline.settings import ShopAccount

__all__ = ["FORMAT", "BankCsvParser"]


class BankCsvParser:
    """Bank statement CSV exports (RFC 4180; ``,`` ``;`` or TAB; profiles or headers in
    English/Indonesian/German; per-file decimal separator and date order). Natural key: the
    profile's key columns, else the reference column, else a hash of date, amount and
    description numbered within the file."""

    format = FORMAT
    kind = "bank"

    def __init__(self, default_currency: str | None = None,
                 accounts: Sequence[ShopAccount] = ()) -> None:
        self.default_currency = normalize_currency(default_currency) if default_currency \
            else None
        self.accounts = tuple(accounts)
        self._by_number = {compact_account(a.number): a for a in self.accounts}

    def account(self, number: str) -> ShopAccount | None:
        """The shop's configured account with this number (separators ignored)."""
        return self._by_number.get(compact_account(number)) if number else None

    def identify(self, source: SourceFile) -> bool:
        """Text whose header (among the first 30 records) fits a bank profile, and that is
        not a gateway, invoice, client or ticket export. A bank CSV saved as UTF-16 without
        a byte-order mark is claimed too, so that :meth:`parse` refuses it with the reason."""
        head = csvspec.decode(source.head)
        if csvspec.text_problem(head) is None:
            return find_layout(head) is not None
        unmarked = _utf16_without_bom(source.head)
        return unmarked is not None and find_layout(unmarked) is not None

    @collector_paused()
    def parse(self, source: SourceFile, frames: bool = True) -> ParseResult:
        """The statement's transactions as a frame then its balances
        (:class:`~pipeline.record_frames.RecordGroups`); ``frames=False``: one frozen record
        per row, the contract the frame is checked against (:meth:`parse_records`)."""
        content = csvspec.decode(source.path.read_bytes())
        problem = csvspec.text_problem(content)
        if problem:
            return ParseResult.refused(problem)
        layout = find_layout(content)
        if layout is None:
            return ParseResult.refused(
                "no bank CSV header in the first 30 lines: need a date column and an amount "
                "column or debit and credit columns")
        try:
            records = csvspec.all_records(content, layout.delimiter, blank=False)
        except csv.Error as exc:
            return ParseResult.refused(f"unreadable CSV: {exc}")
        preamble = read_preamble(records[:_first_at(records, layout.header_line)])
        profile = self._profile(layout, preamble.account)
        if isinstance(profile, str):
            return ParseResult.refused(profile)
        width = next((len(r.cells) for r in records if r.line == layout.header_line), 0)
        records, cut, cut_warnings = csv_cut.without_cut(
            records, width, content, partial(source.reject, FORMAT))
        reader = StatementReader(source, layout, profile, preamble, self)
        header = _first_at(records, layout.header_line)
        if header < len(records) and records[header].line == layout.header_line:
            rows = records[:header] + records[header + 1:]
        else:
            rows = records
        result = read_columns(reader, rows) if frames else reader.read(rows, frames=False)
        return replace(result, rejects=[*result.rejects, *cut],
                       warnings=[*cut_warnings, *result.warnings]) if cut else result

    def parse_records(self, source: SourceFile) -> ParseResult:
        """The file read into one frozen record per row."""
        return self.parse(source, frames=False)

    def _profile(self, layout: Layout, number: str) -> BankCsvProfile | str:
        """The profile the statement's account forces in the settings (its columns must fit
        the header), else the detected one; a reason when the forced one cannot be used."""
        account = self.account(number)
        if account is None or not account.profile:
            return layout.profile
        forced = PROFILES.get(account.profile)
        if forced is None:
            return (f"account {account.number} names the unknown bank CSV profile "
                    f"{account.profile!r} (known: {', '.join(sorted(PROFILES))})")
        where = layout.positions(forced)
        if "date" not in where or not ("amount" in where or {"debit", "credit"} <= where.keys()):
            return (f"account {account.number} is read with the {forced.name!r} profile, but "
                    f"the header on line {layout.header_line} has no date or amount column "
                    f"of that profile")
        return forced


def _first_at(records: list, line: int) -> int:
    """The position of the first record starting on ``line`` or after (records are in line
    order), found without looking at the rows after it."""
    return next((i for i, r in enumerate(records) if r.line >= line), len(records))


def _utf16_without_bom(head: bytes) -> str | None:
    """``head`` decoded as UTF-16 when (nearly) every other byte is NUL, else ``None``."""
    sample = head[:4096] if len(head) % 2 == 0 else head[:4095]
    for codec, zeros in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if zeros and zeros.count(0) >= 0.9 * len(zeros):
            return sample.decode(codec, errors="replace")
    return None
