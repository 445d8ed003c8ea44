"""Amounts, dates and currencies of MT940 ``:61:`` and balance fields, read from the raw text
before the mt-940 package sees them (SWIFT MT940: ``6!n[4!n]2a[1!a]15d1!a3!c`` for ``:61:``,
``1!a6!n3!a15d`` for ``:60a:``/``:62a:``/``:64:``/``:65:``; ``15d`` has a decimal comma).

The package (5.x) reads an amount up to the first character that is neither a digit nor a
comma, so a decimal *point* cut ``12345.67`` to ``12345`` without a word; it takes any three
characters after a balance's date as its currency (``145`` of ``C020315145000,00``), and it
moves 30 February to the last day of February. Here each value is read exactly or not at all:

- The decimal separator is the file's: the SWIFT comma, or a point when every amount of the
  file that has a separator uses a point. An amount with the other separator, two separators
  or no digits is a reason to reject, never a truncation.
- A balance without a currency takes the statement's (its ``:60a:``'s, another balance's, else
  the code after the account in ``:25:``).
- An impossible date is a reject, unless the line has another valid date (entry date or value
  date of a ``:61:``), which is then used with a warning naming the line.

The package is then handed the same field with the amount written canonically (``150,25``),
the currency filled in and a valid date, so its references and details are read as before;
the values kept are the ones read here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from parsers.mt940_fields import Field
from pipeline.money import AmountError, CurrencyError, to_minor

AMOUNT_TAGS = ("60", "61", "62", "64", "65")
_LINE_61 = re.compile(r"""(?P<date>\d{6})(?P<entry>\d{4}|\ {4})?(?P<mark>R?[DC])
    (?P<funds>[A-Z])?(?P<gap>[\n\ ]?)(?P<amount>[\d.,]+)(?P<rest>.*)""",
                      re.I | re.X | re.S)
_BALANCE = re.compile(r"(?P<mark>[DC])(?P<date>\d{6})(?P<currency>[A-Z]{3})?(?P<amount>[\d.,]+)",
                      re.I)
_AMOUNT = re.compile(r"\d+(?:[.,]\d*)?")
_ACCOUNT_CURRENCY = re.compile(r"[ /]([A-Z]{3})\s*$")
_NAMES = {".": "point", ",": "comma"}
_YEAR_BOUNDARY_DAYS = 330  # as mt940.tags: an entry date this far away is in the next year


@dataclass(frozen=True)
class StatementLine:
    """A ``:61:`` as read from its raw text: unsigned amount and dates, or why it is rejected;
    ``note`` is a warning (a date replaced by the other date of the line)."""

    amount: Decimal | None = None
    sign: int = 1
    value_date: dt.date | None = None
    entry_date: dt.date | None = None
    problem: str | None = None
    note: str | None = None
    separated: bool = True  # the amount has its decimal separator (``12,`` not ``12``)


def separator(fields: list[Field]) -> str:
    """The file's decimal separator: ``','`` (SWIFT), ``'.'`` when every amount written with a
    separator uses a point, ``'mixed'`` when both occur (then neither can be trusted: ``1,500``
    may be a thousand and ``1.500`` one and a half). Amounts that are no amount (``1.500,25``)
    are rejected on their own and do not count."""
    found = set()
    for item in fields:
        if item.tag[:2] not in AMOUNT_TAGS:
            continue
        match = (_LINE_61 if item.tag == "61" else _BALANCE).match(item.value)
        if match and _AMOUNT.fullmatch(match["amount"]):
            found.update(set(match["amount"]) & {".", ","})
    return "mixed" if len(found) == 2 else (found.pop() if found else ",")


def read_amount(text: str, convention: str) -> Decimal | str:
    """``text`` (``150,25``, ``150.25`` in a point file, ``115351.``) as a Decimal, or why not."""
    if not _AMOUNT.fullmatch(text):
        return f"amount {text!r} is not a SWIFT amount (digits and one decimal separator)"
    used = "." if "." in text else ","
    if used in text and used != convention:
        if convention == "mixed":
            return (f"amount {text!r}: the file writes amounts with both a decimal comma and "
                    "a decimal point, so the separator is ambiguous")
        return (f"amount {text!r} has a decimal {_NAMES[used]} where the file writes a "
                f"decimal {_NAMES[convention]}")
    return Decimal(text.replace(",", "."))


def canonical(amount: Decimal) -> str:
    """``Decimal('150.25')`` -> ``150,25``; ``Decimal('115351')`` -> ``115351,``."""
    text = format(amount, "f")
    return text.replace(".", ",") if "." in text else text + ","


def read_61(field: Field, convention: str) -> StatementLine:
    """The ``:61:`` of ``field``; sets ``field.fixed`` to the text handed to the package."""
    match = _LINE_61.match(field.value)
    if match is None:
        return StatementLine(problem="unreadable :61: statement line: no value date, "
                                     "debit/credit mark and amount (6!n[4!n]2a[1!a]15d)")
    amount = read_amount(match["amount"], convention)
    if isinstance(amount, str):
        return StatementLine(problem=f":61: {amount}")
    value, entry, problem, note = _dates(match["date"], match["entry"], field.line)
    if problem:
        return StatementLine(problem=problem)
    shown = value or entry
    shown_entry = f"{entry:%m%d}" if entry else ""
    field.fixed = (f"{shown:%y%m%d}{shown_entry}{match['mark']}{match['funds'] or ''}"
                   f"{match['gap']}{canonical(amount)}{match['rest']}")
    sign = -1 if match["mark"].upper() in ("D", "RC") else 1
    separated = any(mark in match["amount"] for mark in ".,")
    return StatementLine(amount, sign, value, entry, note=note, separated=separated)


def _dates(value_text: str, entry_text: str | None,
           line: int) -> tuple[dt.date | None, dt.date | None, str | None, str | None]:
    """(value date, entry date, reject reason, warning) of a ``:61:``."""
    value = _date(value_text)
    entry_digits = entry_text if entry_text and entry_text.strip() else ""
    entry = _entry_date(value_text, entry_digits) if entry_digits else None
    if value is None and entry is None:
        return None, None, f":61: value date {value_text} is not a date", None
    if value is None:
        return None, entry, None, (f"line {line}: :61: value date {value_text} is not a date; "
                                   f"the entry date {entry} is the booking date and the value "
                                   "date is left empty")
    if entry_digits and entry is None:
        return value, None, None, (f"line {line}: :61: entry date {entry_digits} (MMDD) is not "
                                   f"a date; the value date {value} is the booking date")
    return value, entry, None, None


def _date(text: str) -> dt.date | None:
    """``YYMMDD`` (20YY, as the package reads it), or ``None`` when there is no such day."""
    try:
        return dt.date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        return None


def _entry_date(value_text: str, entry: str) -> dt.date | None:
    """The ``MMDD`` entry date in the value date's year, or the next/previous year when it is
    more than 330 days away (as the package reads it)."""
    year, month = 2000 + int(value_text[:2]), int(value_text[2:4])
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    near = dt.date(year, month, min(max(int(value_text[4:6]), 1), last))
    found = _date(f"{year % 100:02d}{entry}")
    if found is None:
        return None
    if (near - found).days >= _YEAR_BOUNDARY_DAYS:
        return _date(f"{(year + 1) % 100:02d}{entry}")
    if (found - near).days >= _YEAR_BOUNDARY_DAYS:
        return _date(f"{(year - 1) % 100:02d}{entry}")
    return found


def statement_currency(fields: list[Field]) -> str | None:
    """The currency a statement states: its opening balance's, else another balance's, else
    the one after the account in ``:25:`` (``NL34RABO0142623393 EUR``)."""
    balances = [f for f in fields if f.tag[:2] in AMOUNT_TAGS and f.tag != "61"]
    for item in sorted(balances, key=lambda f: not f.tag.startswith("60")):
        match = _BALANCE.match(item.value)
        if match and match["currency"]:
            return match["currency"].upper()
    account = next((f.value.strip() for f in fields if f.tag == "25"), "")
    found = _ACCOUNT_CURRENCY.search(account)
    return found[1] if found else None


def read_balance(field: Field, convention: str, currency: str | None) -> str | None:
    """Why the balance of ``field`` cannot be recorded, or ``None``; sets ``field.fixed`` to the
    text handed to the package (amount canonical, ``currency`` filled in when it has none)."""
    match = _BALANCE.match(field.value)
    if match is None:
        return None  # left to the package, which says what it cannot read
    amount = read_amount(match["amount"], convention)
    if isinstance(amount, str):
        return amount
    if field.value[match.end():].strip():  # 1'250'000.00: the package would read 1
        return (f"amount {field.value[match.start('amount'):].strip()!r} is not a SWIFT "
                "amount (digits and one decimal separator)")
    if _date(match["date"]) is None:
        return f"date {match['date']} is not a date"
    code = match["currency"] or currency
    if not code:
        return ("no currency code, and neither the statement's opening balance nor its "
                ":25: account states one")
    if len(match["amount"]) > 15:  # 15d: the package would cut it
        return f"amount {match['amount']!r} is longer than SWIFT's 15 characters"
    try:
        to_minor(amount, code)
    except (AmountError, CurrencyError) as exc:
        return str(exc)
    field.fixed = (f"{match['mark']}{match['date']}{code}{canonical(amount)}"
                   f"{field.value[match.end():]}")
    return None
