"""Reading one bank CSV statement once its layout, profile and preamble are known: rows are
sorted into transactions and summary lines, the file's conventions are decided from all its
transaction rows, then each row becomes a :class:`BankTransaction` or a reject."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Protocol

from parsers.amount_columns import to_minor
from parsers.bank_csv_dates import SETTING_ORDERS, DateHints, date_reader
from parsers.bank_csv_frame import TransactionRows
from parsers.bank_csv_layout import (
    Layout,
    Preamble,
    compact_account,
)
from parsers.bank_csv_profiles import (
    EXTRA,
    FORMAT,
    GERMAN_HEADERS,
    BankCsvProfile,
    header_names,
    hints,
)
from parsers.bank_csv_summary import (
    MONEY_FIELDS,
    balances_and_warnings,
    preamble_summaries,
    split_rows,
)
from parsers.bank_csv_values import (
    BalanceStep,
    amount_reader,
    currency_or_reason,
    running_balance_warning,
    symbol_currency,
    with_marker,
)
from parsers.base import ParseResult, SourceFile
from parsers.csvspec import CsvRecord
from pipeline.identity import row_hash, with_occurrences
from pipeline.money import AmountError, normalize_currency
from pipeline.record_frames import RecordGroups
from pipeline.settings import ShopAccount

AMOUNT_FIELDS = (*MONEY_FIELDS, "balance", "fee")
VERBATIM_FIELDS = frozenset({"description", "counterparty"})  # a leading ' is kept there
DATE_TOKEN = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}([./-])\d{1,2}\1\d{2,4}")


class AccountBook(Protocol):
    """What the parser knows beyond the file: the shop's accounts and a default currency."""

    default_currency: str | None

    def account(self, number: str) -> ShopAccount | None: ...


class StatementReader:
    """One file's rows -> records, rejects and warnings (see :mod:`parsers.bank_csv`)."""

    def __init__(self, source: SourceFile, layout: Layout, profile: BankCsvProfile,
                 preamble: Preamble, book: AccountBook) -> None:
        self.source, self.layout, self.profile, self.preamble = source, layout, profile, preamble
        self.book = book
        self.where = layout.positions(profile)
        shop = book.account(preamble.account)
        self.file_account = (shop.number if shop else preamble.account, shop)
        self._dates: dict[str, object] = {}
        self._amounts: dict[str, object] = {}  # amount text -> Decimal or its ValueError
        self._currencies: dict[tuple, tuple[str | None, str]] = {}
        self._verbatim = VERBATIM_FIELDS if not profile.excel_text_marker else frozenset()

    def read(self, records: Sequence[CsvRecord], frames: bool = True) -> ParseResult:
        """``records``: every non-blank record but the header (preamble included). The
        transactions come as a frame (``frames``), else one frozen record each."""
        header_line = self.layout.header_line
        rows = [(r, self._raw(r.cells)) for r in records if r.line > header_line]
        summaries = preamble_summaries([r for r in records if r.line < header_line],
                                       self.layout.delimiter)
        data = split_rows(rows, self.where.get("date", ()), self.profile, self.layout.delimiter,
                          summaries)
        self._decide([raw for _, raw in data])
        results = [self._transaction(raw) for _, raw in data]
        keys = with_occurrences(r[0] if isinstance(r, tuple) else f"<{i}>"
                                for i, r in enumerate(results))
        rows_out, rejects, steps = TransactionRows(), [], []
        for (row, raw), key, result in zip(data, keys, results, strict=True):
            if isinstance(result, str):
                rejects.append(self.source.reject(FORMAT, result, row.line,
                                                  raw.get("reference") or None, row.raw))
                steps.append(None)
                continue
            fields = result[1]
            rows_out.add(fields, key, row.line)
            steps.append(BalanceStep(row.line, fields["currency"], fields["amount_minor"],
                                     self._minor(raw.get("balance", ""), fields["currency"])))
        warnings = [w for w in [running_balance_warning(steps)] if w]
        moves = rows_out.moves()
        balances = balances_and_warnings(self, summaries, [m.currency for m in moves],
                                         [m.amount_minor for m in moves], len(rejects), warnings)
        moves = rows_out.frame(self.source) if frames else rows_out.records(self.source)
        records = RecordGroups((moves, balances)) if frames else [*moves, *balances]
        return ParseResult(records=records, rejects=rejects, warnings=warnings)

    # --- rows ----------------------------------------------------------------------------

    def _raw(self, cells: list[str]) -> dict[str, str]:
        """Each field's text: the first non-empty cell among its columns."""
        raw = {}
        for name, where in self.where.items():
            if len(where) == 1:  # the usual column: one cell
                value = cells[where[0]].strip() if where[0] < len(cells) else ""
            else:
                value = next((cells[p].strip() for p in where
                              if p < len(cells) and cells[p].strip()), "")
            if value[:1] == "'" and name not in self._verbatim:
                value = value[1:].strip()
            raw[name] = value
        return raw

    def _decide(self, raws: list[dict]) -> None:
        """The file's decimal separator and date order, from all its transaction rows."""
        self.decide(
            dict.fromkeys(r[f] for r in raws for f in AMOUNT_FIELDS if r.get(f)),
            dict.fromkeys(r[f] for r in raws for f in ("date", "value_date") if r.get(f)),
            [r.get("date", "") for r in raws],
            {r["account"] for r in raws if r.get("account")})

    def decide(self, amounts: Iterable[str], dates: Iterable[str], bookings: list[str],
               accounts: Iterable[str]) -> None:
        """:meth:`_decide` from the transaction rows' texts: every amount text (any order),
        each date text once (first seen first, as ``infer_order`` reads them), the booking
        date of each row in file order, and the account column's texts."""
        names = header_names(self.layout.header)
        decimal_hint, order_hint = hints(names)
        self.amount = amount_reader(amounts, self.profile.decimal, decimal_hint,
                                    soll_haben=bool(names & GERMAN_HEADERS))
        number, shop = self._statement_account(accounts)
        configured = SETTING_ORDERS.get(shop.date_order or "") if shop else None
        self.date = date_reader(dates, bookings, DateHints(
            configured, self.profile.date_order, order_hint, self.preamble.period, number))

    def _statement_account(self, accounts: Iterable[str]) -> tuple[str, ShopAccount | None]:
        """The statement's account: the preamble's, else the one the account column names
        on every row (``accounts``: its non-empty texts)."""
        if self.file_account[0]:
            return self.file_account
        numbers = {compact_account(text) for text in accounts}
        if len(numbers) != 1:
            return "", None
        number = numbers.pop()
        shop = self.book.account(number)
        return (shop.number, shop) if shop else (number, None)

    # --- one transaction -----------------------------------------------------------------

    def _transaction(self, raw: dict) -> tuple[str, dict] | str:
        """(natural key before numbering, the transaction's fields) or the reject reason."""
        for rule in self.profile.reject_rows:
            value = raw.get(rule.field, "")
            if value.upper() in rule.values:
                return rule.reason.format(value=value)
        problems: list[str] = []
        booking = self._date(raw, "date", problems)
        value_date = self._date(raw, "value_date", problems) if raw.get("value_date") else None
        amount = self._amount(raw, problems)
        account_id, shop = self._account(raw)
        currency = self._currency(raw, shop, problems)
        if problems or amount is None or currency is None or booking is None:
            return "; ".join(problems)
        try:
            minor = to_minor(amount, currency)
        except AmountError as exc:
            return str(exc)
        description = self._description(raw)
        return self._key(raw, booking, minor, description), {
            "currency": currency, "account_id": account_id, "booking_date": booking,
            "value_date": value_date, "amount_minor": minor, "description": description,
            "counterparty_name": raw.get("counterparty", ""),
            "counterparty_account": raw.get("counterparty_account", "")}

    def _date(self, raw: dict, name: str, problems: list[str]):
        text = raw.get(name, "")
        if not text:
            problems.append(f"{name}: empty")
            return None
        return _once(self._dates, self.date, name, text, problems)  # a month: few days

    def _read(self, name: str, text: str, problems: list[str]) -> Decimal | None:
        return _once(self._amounts, self.amount, name, text, problems)

    def _amount(self, raw: dict, problems: list[str]) -> Decimal | None:
        """The row's movement: the amount (with its marker), else debit/credit; less a fee
        charged on top when the profile says so."""
        if raw.get("amount"):
            value = self._read("amount", with_marker(raw["amount"], raw.get("marker", "")),
                               problems)
        elif "debit" in self.where or "credit" in self.where:
            value = self._split(raw, problems)
        else:
            problems.append("amount: empty")
            return None
        if value is not None and raw.get("fee") and not self.profile.fee_included:
            fee = self._read("fee", raw["fee"], problems)
            return None if fee is None else value - fee
        return value

    def _split(self, raw: dict, problems: list[str]) -> Decimal | None:
        """Debit (money out, negative) or credit (as written: a negative one is a reversal)."""
        given = [(sign, self._read(name, raw[name], problems))
                 for sign, name in ((-1, "debit"), (1, "credit")) if raw.get(name)]
        if any(value is None for _, value in given):
            return None
        nonzero = [(sign, v) for sign, v in given if v != 0]
        if len(nonzero) > 1:
            problems.append("both debit and credit are given")
            return None
        if not given:
            problems.append("no amount: debit and credit are both empty")
            return None
        sign, value = nonzero[0] if nonzero else given[0]
        return -abs(value) if sign < 0 else value

    def _account(self, raw: dict) -> tuple[str, ShopAccount | None]:
        if not raw.get("account"):
            return self.file_account
        number = compact_account(raw["account"])
        shop = self.book.account(number)
        return (shop.number if shop else number), shop

    def _currency(self, raw: dict, shop: ShopAccount | None,
                  problems: list[str]) -> str | None:
        """Column, preamble, symbol on the amount, account setting, profile, default; an
        amount written with ``$`` only in a dollar currency. Decided once per distinct
        (amount text, currency column, account column)."""
        money = next((raw[f] for f in MONEY_FIELDS if raw.get(f)), "")
        key = (money, raw.get("currency"), raw.get("account"))
        found = self._currencies.get(key)
        if found is None:
            found = self._currencies[key] = currency_or_reason(money, (
                (raw.get("currency"), "the currency column"),
                (self.preamble.currency, "the preamble"), (symbol_currency(money), "the amount"),
                (shop.currency if shop else None, "[[accounts]] currency"),
                (self.profile.currency, f"the {self.profile.name} layout"),
                (self.book.default_currency, "default_currency")),
                lambda: self._account(raw)[0])
        if found[1]:
            problems.append(found[1])
        return found[0]

    def _description(self, raw: dict) -> str:
        parts = [raw.get("description", "")]
        parts += [f"{label} {raw[EXTRA + h]}".strip() for h, label in self.profile.remittance
                  if raw.get(EXTRA + h)]
        return " / ".join(p for p in parts if p)

    def _key(self, raw: dict, booking, minor: int, description: str) -> str:
        parts = [raw.get(EXTRA + h, "") for h in self.profile.key_columns]
        if parts and parts[0]:
            return "@".join(p for p in parts if p)
        return raw.get("reference") or row_hash(booking.isoformat(), minor, description)

    def _minor(self, text: str, currency: str) -> int | None:
        """An amount text in minor units, or ``None`` when it is empty or unreadable."""
        try:
            return to_minor(self.amount(text), currency) if text else None
        except ValueError:
            return None

    # --- used by the summary checks --------------------------------------------------------

    def file_currency(self, currencies: Sequence[str]) -> str | None:
        """The statement's one currency: preamble, account, profile, default, or the one
        currency every transaction has (``currencies``: theirs)."""
        shop = self.file_account[1]
        found = (self.preamble.currency or (shop.currency if shop else None)
                 or self.profile.currency or self.book.default_currency)
        if found:
            return normalize_currency(found)
        found = set(currencies)
        return found.pop() if len(found) == 1 else None

    def amount_of(self, texts: Sequence[str], currency: str) -> int | None:
        return next((m for m in (self._minor(t, currency) for t in texts) if m is not None),
                    None)

    def date_in(self, cells: Sequence[str]):
        """The first date in a summary line (``Ending balance as of 01/31/2020``, or a cell
        after the label), else ``None``."""
        texts = [m.group(0) for m in (DATE_TOKEN.search(c) for c in cells) if m]
        for text in texts:
            try:
                return self.date(text)
            except ValueError:
                continue
        return None


def _once(done: dict, read, name: str, text: str, problems: list[str]):  # noqa: ANN001, ANN202
    """``read(text)``, once per distinct text (``done`` keeps values and errors); a
    ``ValueError`` is a problem of field ``name`` and gives ``None``."""
    found = done.get(text)
    if found is None:
        try:
            found = read(text)
        except ValueError as exc:
            found = exc
        done[text] = found
    if isinstance(found, ValueError):
        problems.append(f"{name}: {found}")
        return None
    return found
