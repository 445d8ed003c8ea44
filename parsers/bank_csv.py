"""Bank statement CSV exports with the columns detected from the header row.

Headers are recognised in English and Indonesian (``Tanggal``, ``Keterangan``, ``Jumlah``,
``Mutasi Debet``/``Mutasi Kredit``, ``Mata Uang``, ``Saldo``...). Money comes as one signed
amount column, as debit and credit columns, or with a ``CR``/``DB`` mark inside the amount
(``1,110,000.00 CR``) or in a marker column. The delimiter (``,`` ``;`` TAB), the decimal
separator and the date order are decided once per file from all its values: a file whose
``dd/mm`` dates all fit both orders has every such row rejected, never guessed. The header
may follow a few preamble lines (it is looked for among the first 30 records).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from parsers import csvspec
from parsers.base import ParseResult, SourceFile
from parsers.csvspec import Column, CsvRecord
from pipeline.identity import row_hash, with_occurrences
from pipeline.models import BankTransaction
from pipeline.money import AmountError, CurrencyError, normalize_currency, to_minor
from pipeline.settings import ShopAccount

FORMAT = "bank-csv"
HEADER_SEARCH_RECORDS = 30

ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("date", "posting date", "booking date", "transaction date", "tanggal",
             "tanggal transaksi"),
    "value_date": ("value date", "tanggal valuta"),
    "description": ("description", "narrative", "memo", "keterangan", "uraian", "deskripsi",
                    "details"),
    "amount": ("amount", "jumlah", "nominal"),
    "debit": ("debit", "withdrawal", "withdrawals", "paid out", "debet", "mutasi debet"),
    "credit": ("credit", "deposit", "deposits", "paid in", "kredit", "mutasi kredit"),
    "marker": ("cr db", "db cr", "dr cr", "cr dr", "d k", "debit credit"),
    "reference": ("reference", "ref", "transaction id", "no referensi"),
    "currency": ("currency", "mata uang"),
    "balance": ("balance", "saldo", "running balance"),
    "counterparty": ("payee", "name", "counterparty", "nama", "payee name"),
    "account": ("account", "account number", "no rekening", "rekening", "iban"),
}
# Headers that make a CSV something other than a bank statement (invoices, clients, tickets).
_CANONICAL_HEADERS = {"invoice number", "client id", "ticket id", "tid", "subject"}
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DM_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


@dataclass(frozen=True)
class _Layout:
    delimiter: str
    header_line: int
    index: dict[str, int]


def _columns(amount: csvspec.Converter, date: csvspec.Converter) -> tuple[Column, ...]:
    """The bank CSV columns, read with one file's conventions."""
    converters = {"date": date, "value_date": date, "amount": amount, "debit": amount,
                  "credit": amount, "currency": csvspec.currency}
    return tuple(
        Column(role, converters.get(role, csvspec.text), required=role == "date",
               optional=role != "date", aliases=aliases,
               empty=None if role in converters else "")
        for role, aliases in ALIASES.items())


HEADER_COLUMNS = _columns(csvspec.text, csvspec.text)


def find_layout(content: str) -> _Layout | None:
    """Delimiter, header line and column positions: the first record (of the first 30)
    naming a date and an amount or debit and credit columns; the richest delimiter wins."""
    best: _Layout | None = None
    for delimiter in csvspec.DELIMITERS:
        try:
            for record in islice(csvspec.records(content, delimiter), HEADER_SEARCH_RECORDS):
                index, _ = csvspec.resolve(HEADER_COLUMNS, record.cells)
                if _usable(index, record.cells):
                    if best is None or len(index) > len(best.index):
                        best = _Layout(delimiter, record.line, index)
                    break
        except csv.Error:
            continue
    return best


def _usable(index: dict[str, int], cells: list[str]) -> bool:
    money = "amount" in index or {"debit", "credit"} <= index.keys()
    canonical = _CANONICAL_HEADERS & {csvspec.normalise_header(c) for c in cells}
    return "date" in index and money and not canonical


class BankCsvParser:
    """Bank statement CSV exports (RFC 4180 CSV; English/Indonesian headers, per-file decimal
    separator and date order): one :class:`BankTransaction` per row; natural key = the
    reference column, else a hash of date, amount and description numbered within the file."""

    format = FORMAT
    kind = "bank"

    def __init__(self, default_currency: str | None = None,
                 accounts: Sequence[ShopAccount] = ()) -> None:
        self.default_currency = normalize_currency(default_currency) if default_currency \
            else None
        self.accounts = tuple(accounts)

    def identify(self, source: SourceFile) -> bool:
        """A text file with a recognisable bank header that is not a canonical CSV."""
        head = csvspec.decode(source.head)
        return "\x00" not in head and find_layout(head) is not None

    def parse(self, source: SourceFile) -> ParseResult:
        content = csvspec.decode(source.path.read_bytes())
        layout = find_layout(content)
        if layout is None:
            return ParseResult.refused(
                "no bank CSV header in the first 30 lines: need a date column and an amount "
                "column or debit and credit columns")
        try:
            rows = [r for r in csvspec.records(content, layout.delimiter)
                    if r.line > layout.header_line and not r.blank]
        except csv.Error as exc:
            return ParseResult.refused(f"unreadable CSV: {exc}")
        columns = _columns(_amount_converter(rows, layout.index),
                           _date_converter(rows, layout.index))
        read = [self._read(row, columns, layout.index) for row in rows]
        keys = with_occurrences(key for key, _ in read)
        records, rejects = [], []
        for row, key, (_, result) in zip(rows, keys, read, strict=True):
            if isinstance(result, str):
                ref = _cell(row.cells, layout.index.get("reference")) or None
                rejects.append(source.reject(FORMAT, result, row.line, ref, row.raw))
            else:
                records.append(BankTransaction(**result, natural_key=key,
                                               origin=source.origin(FORMAT, row.line, key)))
        return ParseResult(records=records, rejects=rejects)

    def _read(self, row: CsvRecord, columns, index) -> tuple[str, dict | str]:
        """(natural key before numbering, the transaction's fields or the reject reason)."""
        cells = list(row.cells)
        if "marker" in index and "amount" in index and index["amount"] < len(cells):
            cells[index["amount"]] += " " + _cell(cells, index["marker"])
        values = csvspec.convert(columns, index, cells)
        if isinstance(values, str):
            return f"<line {row.line}>", values
        amount = _signed_amount(values, index)
        currency = values["currency"] or self.default_currency
        try:
            if isinstance(amount, str):
                raise AmountError(amount)
            if not currency:
                raise CurrencyError("no currency: the file has no currency column value "
                                    "and no default currency was given")
            minor = to_minor(amount, currency)
        except (AmountError, CurrencyError) as exc:
            return f"<line {row.line}>", str(exc)
        key = values["reference"] or row_hash(values["date"].isoformat(), minor,
                                              values["description"])
        return key, {
            "currency": currency, "account_id": values["account"],
            "booking_date": values["date"], "value_date": values["value_date"],
            "amount_minor": minor, "description": values["description"],
            "counterparty_name": values["counterparty"]}


def _signed_amount(values: dict, index: dict[str, int]) -> Decimal | str:
    """The signed amount: the amount column, or the credit (as written) / debit (negative)."""
    if "amount" in index:
        return values["amount"] if values["amount"] is not None else "amount: empty"
    given = [(sign, v) for sign, v in ((-1, values["debit"]), (1, values["credit"]))
             if v is not None]
    nonzero = [(sign, v) for sign, v in given if v != 0]
    if len(nonzero) > 1:
        return "both debit and credit are given"
    if not given:
        return "no amount: debit and credit are both empty"
    sign, value = nonzero[0] if nonzero else given[0]
    return -abs(value) if sign < 0 else value  # a negative credit is a reversal: kept


def _cell(cells: list[str], position: int | None) -> str:
    return cells[position].strip() if position is not None and position < len(cells) else ""


def _texts(rows: Iterable[CsvRecord], index: dict[str, int], roles: tuple[str, ...]):
    for row in rows:
        for role in roles:
            value = _cell(row.cells, index.get(role))
            if value:
                yield value


def _amount_converter(rows: list[CsvRecord], index: dict[str, int]) -> csvspec.Converter:
    """Amounts read with the file's decimal separator, decided from all its amounts."""
    evidence: set[str] = set()
    for value in _texts(rows, index, ("amount", "debit", "credit", "balance")):
        digits = re.sub(r"[^0-9.,]", "", value)
        seps = [c for c in digits if c in ".,"]
        if len(set(seps)) == 2:
            evidence.add(seps[-1])
        elif len(seps) > 1:
            evidence.add("," if seps[0] == "." else ".")
        elif seps and len(digits.split(seps[0])[1]) != 3:
            evidence.add(seps[0])
    if len(evidence) == 2:
        def conflict(value: str) -> Decimal:
            raise AmountError("inconsistent decimal separators in the file (both '.' and ',' "
                              f"are used as the decimal point); cannot read {value!r}")
        return conflict
    return csvspec.amount(evidence.pop() if evidence else None)


def _date_converter(rows: list[CsvRecord], index: dict[str, int]) -> csvspec.Converter:
    """Dates read in the file's order (day-first or month-first), decided from all dates."""
    orders = set()
    for value in _texts(rows, index, ("date", "value_date")):
        match = _DM_DATE.fullmatch(value.split()[0])
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            orders |= {"day-first"} if first > 12 else set()
            orders |= {"month-first"} if second > 12 else set()

    def convert(value: str) -> dt.date:
        token = re.split(r"[T ]", value.strip(), maxsplit=1)[0]
        iso, dm = _ISO_DATE.fullmatch(token), _DM_DATE.fullmatch(token)
        if not iso and not dm:
            raise ValueError(f"unsupported date format {value!r}")
        if dm and len(orders) != 1:
            raise ValueError(
                "ambiguous date order: every dd/mm date in the file fits both day-first and "
                f"month-first ({value!r})" if not orders else
                f"inconsistent date order: the file has both day-first and month-first dates "
                f"({value!r})")
        if iso:
            year, month, day = (int(p) for p in iso.groups())
        else:
            a, b, year = (int(p) for p in dm.groups())
            day, month = (a, b) if orders == {"day-first"} else (b, a)
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"not a valid date: {value!r}") from None

    return convert
