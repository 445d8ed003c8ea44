"""How a PayPal CSV writes its dates and amounts, decided once per file from the file itself.

PayPal writes dates and numbers in the account's locale: ``31/12/2026``, ``12/31/2026``,
``31.12.2026`` or ``31-12-2026``; ``1,234.56``, ``1.234,56``, ``1 234,56`` (space or
no-break space grouping) or ``-12,50``. Nothing in a row says which convention it uses, so
each is decided from all the file's values, never guessed from the language or time zone:

* **date order**: a first number above 12 proves day-first, a second above 12
  month-first; when nothing proves it, every date whose day and month could be swapped is a
  reject ("ambiguous date order"), and a file proving both rejects them all.
* **decimal separator**: an amount with both ``.`` and ``,`` proves the last one is the
  decimal mark; one separator followed by other than three digits (``12,50``) proves it is
  the decimal mark; a separator repeated (``1.234.567``) proves it groups thousands. When
  no amount tells, the language's own convention is used only where every real export
  agrees (English ``.``); otherwise an amount such as ``1.500`` is a reject ("ambiguous
  amount"). A file proving both marks rejects every amount with a separator.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal

from parsers import csvspec
from parsers.amount_columns import read_amounts
from pipeline.money import AmountError, parse_amount

_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_GROUPED = re.compile(r"[-+(]?\s*\d{1,3}(?: \d{3})+(?:[.,]\d+)?\s*\)?-?")
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def date_order(texts: Iterable[str]) -> set[str]:
    """The orders the file's ``D/M/YYYY``-shaped dates prove: ``{'day-first'}``,
    ``{'month-first'}``, both (inconsistent) or none (nothing tells)."""
    orders: set[str] = set()
    for text in texts:
        match = _DMY.fullmatch(text.strip())
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            orders |= {"day-first"} if first > 12 else set()
            orders |= {"month-first"} if second > 12 else set()
    return orders


def date_reader(orders: set[str]) -> csvspec.Converter:
    """A converter for the file's dates, read in the order ``orders`` proves (ISO always)."""

    def convert(value: str) -> dt.date:
        match = _DMY.fullmatch(value.strip())
        if not match:
            return csvspec.iso_date(value)
        first, second, year = (int(part) for part in match.groups())
        if len(orders) > 1:
            raise ValueError(f"inconsistent date order: the file has both day-first and "
                             f"month-first dates ({value!r})")
        if not orders and first != second:
            raise ValueError(f"ambiguous date order: no date in the file has a day above 12, "
                             f"so {value!r} fits both D/M/YYYY and M/D/YYYY")
        day, month = (first, second) if orders == {"day-first"} else (second, first)
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"not a valid date: {value!r}") from None

    return convert


def decimal_marks(texts: Iterable[str]) -> set[str]:
    """The decimal separators the file's amounts prove: ``{'.'}``, ``{','}``, both
    (inconsistent) or none (every amount is whole or fits both readings)."""
    marks: set[str] = set()
    for text in texts:
        body = re.sub(r"[^0-9.,]", "", text)
        dots, commas = body.count("."), body.count(",")
        if dots and commas:
            marks.add("." if body.rfind(".") > body.rfind(",") else ",")
        elif dots + commas > 1:
            marks.add("," if dots else ".")
        elif dots + commas == 1:
            mark = "." if dots else ","
            if len(body.rsplit(mark, 1)[1]) != 3:
                marks.add(mark)
    return marks


def amount_reader(marks: set[str], default: str | None) -> csvspec.Converter:
    """A converter for the file's amounts with the decimal mark ``marks`` proves, else
    ``default``; digits are kept as written (too many decimals is a reject later)."""
    separator = next(iter(marks)) if len(marks) == 1 else default

    def convert(value: str) -> Decimal:
        text = value.translate(_SPACES).strip()
        if len(marks) > 1 and re.search(r"[.,]", text):
            raise AmountError(f"inconsistent decimal separator: the file writes amounts with "
                              f"both '.' and ',' as decimal mark, so {value!r} is not read")
        if re.search(r"\d \d", text) and not _GROUPED.fullmatch(text):
            raise AmountError(f"misplaced thousands separator in {value!r}")
        return parse_amount(text, separator)  # type: ignore[arg-type]

    # A column at a time: the common spellings vectorised when the file has one decimal mark
    # (the fast path's texts have no spaces: ``convert`` would only call parse_amount).
    fast = separator if len(marks) <= 1 else None
    convert.many = lambda texts: read_amounts(texts, fast, convert)  # type: ignore[attr-defined]
    return convert
