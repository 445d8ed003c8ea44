"""Values read from ofxparse's elements as written (ofxparse's own conversions are lossy,
see :mod:`parsers.ofx`): one ``STMTTRN`` as a :class:`Row` or :class:`Unreadable`, and a
statement's envelope (account, ``CURDEF``, ``LEDGERBAL``) as an :class:`Envelope`. Nothing
here keeps a reference to the element tree, so a piece's tree can go once it is read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from bs4 import NavigableString, Tag

from pipeline.identity import row_hash
from pipeline.money import (
    AmountError,
    CurrencyError,
    check_amount_size,
    normalize_currency,
    parse_amount,
    to_minor,
)

_OFX_AMOUNT = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")


@dataclass(frozen=True)
class Row:
    """One readable ``STMTTRN``; the natural key is settled per statement afterwards."""

    fitid: str
    booking_date: dt.date
    value_date: dt.date | None
    amount_minor: int
    currency: str
    name: str
    memo: str
    counterparty_account: str


@dataclass(frozen=True)
class Unreadable:
    """A ``STMTTRN`` that cannot become a record: why, and the element as text."""

    fitid: str
    reason: str
    raw: str


@dataclass(frozen=True)
class Envelope:
    """A statement's own values: account, ``CURDEF`` and ``LEDGERBAL`` texts (``ledger`` is
    ``None`` without a ``LEDGERBAL``, else its ``BALAMT`` and ``DTASOF``); ``balance``: it
    has a ``LEDGERBAL`` or an ``AVAILBAL`` at all (even an empty one)."""

    account: str
    curdef: str
    ledger: tuple[str | None, str | None] | None
    balance: bool = False


def envelope(element) -> Envelope:
    """The envelope of a ``STMTRS``/``CCSTMTRS`` element."""
    account = _text(element.find("bankacctfrom") or element.find("ccacctfrom"), "acctid") or ""
    ledger = element.find("ledgerbal")
    return Envelope(account=account, curdef=_text(element, "curdef") or "",
                    ledger=None if ledger is None else (_text(ledger, "balamt"),
                                                        _text(ledger, "dtasof")),
                    balance=ledger is not None or element.find("availbal") is not None)


def read_row(el, curdef: str) -> Row | Unreadable:
    """A readable transaction, or why it cannot be read."""
    fields = _leaves(el)
    fitid = fields.get("fitid", "")
    booking_date = ofx_date(fields.get("dtposted"))
    amount = ofx_amount(fields.get("trnamt"))
    # A CURRENCY aggregate states the currency the amount is in (OFX 1.0.2 section 5.2);
    # ORIGCURRENCY only names where it was converted from, so the amount stays in CURDEF.
    currency_text = fields.get("currency/cursym") or curdef
    problems = [f"{what} {problem}" for what, problem in
                (("DTPOSTED (posting date)", booking_date), ("TRNAMT (amount)", amount))
                if isinstance(problem, str)]
    if not currency_text:
        problems.append("no currency: CURDEF is empty and the transaction has no CURRENCY/CURSYM")
    if not problems:
        try:
            currency = normalize_currency(currency_text)
            amount_minor = to_minor(amount, currency)
        except (AmountError, CurrencyError) as exc:
            problems.append(str(exc))
    if problems:
        return Unreadable(fitid=fitid, reason="; ".join(problems), raw=str(el))
    value_date = ofx_date(fields.get("dtavail"))
    return Row(fitid=fitid, booking_date=booking_date,
               value_date=value_date if isinstance(value_date, dt.date) else None,
               amount_minor=amount_minor, currency=currency, name=fields.get("name", ""),
               memo=fields.get("memo", ""),
               counterparty_account=fields.get("bankacctto/acctid")
               or fields.get("ccacctto/acctid", ""))


def has_content(el) -> bool:
    """A ``STMTTRN`` with at least one element inside (a truncated one comes back empty)."""
    return any(isinstance(node, Tag) for node in el.descendants)  # el.find(True), faster


def _leaves(el) -> dict[str, str]:
    """Own text of each element under ``el`` by name and by ``parent/name`` (first wins):
    one pass over the transaction instead of a search per field."""
    fields: dict[str, str] = {}
    for tag in el.descendants:  # el.find_all(True), without bs4's generic matching
        if not isinstance(tag, Tag):
            continue
        value = _own(tag)
        fields.setdefault(tag.name, value)
        fields.setdefault(f"{tag.parent.name}/{tag.name}", value)
    return fields


def row_key(row: Row | Unreadable, account: str, path: str) -> str:
    """FITID; else a hash of the row; an unreadable row without FITID is named by its path."""
    if row.fitid:
        return row.fitid
    if isinstance(row, Unreadable):
        return path
    return row_hash(account, row.booking_date.isoformat(), row.amount_minor, row.currency,
                    row.name, row.memo)


def _text(parent, name: str) -> str | None:
    """Own text of ``parent``'s first ``name`` element (``None`` when absent); only direct
    strings count, as an unclosed SGML leaf may swallow its following siblings."""
    found = parent.find(name) if parent is not None else None
    return None if found is None else _own(found)


def _own(tag) -> str:
    """The element's own strings (``find_all(string=True, recursive=False)``), stripped."""
    return "".join(c for c in tag.contents if isinstance(c, NavigableString)).strip()


def ofx_date(text: str | None) -> dt.date | str:
    """The local date of an OFX date-time (its first eight digits), or what is wrong."""
    match = re.match(r"(\d{4})(\d{2})(\d{2})", text or "")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except (AttributeError, ValueError):  # no match, or no such day
        return f"{text!r} is not a valid date (YYYYMMDD...)" if text else "is missing or empty"


def ofx_amount(text: str | None) -> Decimal | str:
    """An OFX amount (sign, digits, one period or comma radix point), or what is wrong."""
    if not text:
        return "is missing or empty"
    try:
        check_amount_size(text)
    except AmountError as exc:
        return str(exc)
    if _OFX_AMOUNT.fullmatch(text):
        return Decimal(text.replace(",", "."))
    if re.fullmatch(r"[+-]?[\d.,]+", text) and "." in text and "," in text:
        try:  # digit grouping is not OFX, but 1.234,56 / 1,234.56 read only one way
            return parse_amount(text)
        except AmountError:
            pass
    return f"{text!r} is not an OFX amount (sign, digits and one decimal point only)"


def describe(name: str, memo: str) -> str:
    """NAME and MEMO as one text, without repeating one that the other already contains."""
    if not memo or memo in name:
        return name
    if not name or name in memo:
        return memo
    return f"{name} / {memo}"
