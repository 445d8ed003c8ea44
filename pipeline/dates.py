"""Dates as banks and people write them, read exactly or not at all.

Accepted forms (case-insensitive, English and Indonesian month names, full or 3-letter):
``2026-10-15`` (also ``2026/10/15``), ``15/10/2026``, ``15-10-2026``, ``15.10.2026``,
``15 Oktober 2026``, ``15 Okt 2026``, ``15 October 2026``, ``15-Oct-2026``,
``Oct 15, 2026``, ``October 15th 2026``; a leading weekday (``Kamis, 15 Oktober 2026``)
and a trailing clock time (``2026-10-15 09:12:33``, ``2026-10-15T09:12:33Z``) are ignored:
the date is taken as written, never shifted between time zones.

Never guessed: an impossible date (``31/02/2026``), a two-digit year (``15/10/26``) and,
without an ``order``, a numeric date whose day and month could be swapped (``03/04/2026``)
raise :class:`DateError`, whose message is the reject reason. A file's order is decided
once from all its values with :func:`infer_order`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Literal

DateOrder = Literal["dmy", "mdy"]

_MONTHS = {
    **dict.fromkeys(("january", "januari", "jan"), 1),
    **dict.fromkeys(("february", "februari", "feb", "pebruari"), 2),
    **dict.fromkeys(("march", "maret", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("may", "mei"), 5),
    **dict.fromkeys(("june", "juni", "jun"), 6),
    **dict.fromkeys(("july", "juli", "jul"), 7),
    **dict.fromkeys(("august", "agustus", "aug", "agu", "agt", "ags"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("october", "oktober", "oct", "okt"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("december", "desember", "dec", "des"), 12),
}
_WEEKDAYS = ("monday mon tuesday tue tues wednesday wed thursday thu thur thurs friday fri "
             "saturday sat sunday sun senin selasa rabu kamis jumat jum'at sabtu minggu ahad")
_WEEKDAY = re.compile(rf"^(?:{'|'.join(_WEEKDAYS.split())})\.?,?\s+", re.IGNORECASE)
_TIME = re.compile(r"(?:T|\s+)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
                   r"(?:\s*(?:Z|[+-][0-9]{2}:?[0-9]{2}))?$", re.IGNORECASE)
_YEAR_FIRST = re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})")
_YEAR_LAST = re.compile(r"([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]+)")
_DAY_MONTH_NAME = re.compile(r"([0-9]{1,2})(?:[\s./-]+|(?=[a-z]))([a-z']+)\.?[\s./,-]+([0-9]+)")
_MONTH_NAME_DAY = re.compile(r"([a-z']+)\.?\s+([0-9]{1,2})(?:st|nd|rd|th)?,?\s+([0-9]+)")


class DateError(ValueError):
    """A date text that cannot be read unambiguously; the message is the reject reason."""


class AmbiguousDateError(DateError):
    """A numeric date that fits both day-first and month-first (``03/04/2026``)."""


def parse_date(text: str, order: DateOrder | None = None) -> dt.date:
    """Read one date. ``order`` is the source's day/month order for numeric dates
    (``"dmy"`` or ``"mdy"``); without it only a value that fits one order is read
    (``15/10/2026`` is day-first, ``10/15/2026`` month-first, ``03/04/2026`` is an
    :class:`AmbiguousDateError`). ISO and month-name forms never need an order."""
    if not isinstance(text, str):
        raise DateError(f"date is not text: {text!r}")
    body = _strip_decorations(text)
    if not body:
        raise DateError("no date given")
    if match := _YEAR_FIRST.fullmatch(body):
        year, _, month, day = match.groups()
        return _date(text, _year(text, year), int(month), int(day))
    if match := _YEAR_LAST.fullmatch(body):
        first, _, second, year = match.groups()
        full_year = _year(text, year)
        day, month = _day_month(text, int(first), int(second), order)
        return _date(text, full_year, month, day)
    if match := _DAY_MONTH_NAME.fullmatch(body):
        day, name, year = match.groups()
        return _date(text, _year(text, year), _month(text, name), int(day))
    if match := _MONTH_NAME_DAY.fullmatch(body):
        name, day, year = match.groups()
        return _date(text, _year(text, year), _month(text, name), int(day))
    raise DateError(f"unsupported date format {text!r}")


def infer_order(values: Iterable[str]) -> DateOrder | None:
    """The day/month order of a whole file's numeric dates: ``"dmy"`` when some value has a
    first number above 12, ``"mdy"`` when some has a second number above 12, ``None``
    when every value fits both (or none is numeric day/month). Raises :class:`DateError`
    when the file has dates in both orders."""
    day_first: str | None = None
    month_first: str | None = None
    for value in values:
        match = _YEAR_LAST.fullmatch(_strip_decorations(value)) if isinstance(value, str) else None
        if not match:
            continue
        first, second = int(match.group(1)), int(match.group(3))
        if first > 12 >= second:
            day_first = day_first or value
        elif second > 12 >= first:
            month_first = month_first or value
    if day_first and month_first:
        raise DateError(f"dates in both orders: {day_first!r} is day-first, "
                        f"{month_first!r} is month-first")
    return "dmy" if day_first else "mdy" if month_first else None


def _strip_decorations(text: str) -> str:
    """Lower-cased, single-spaced, without a leading weekday or a trailing clock time."""
    body = " ".join(text.split()).lower()
    body = _WEEKDAY.sub("", body)
    return _TIME.sub("", body).strip()


def _day_month(text: str, first: int, second: int, order: DateOrder | None) -> tuple[int, int]:
    if order == "dmy":
        return first, second
    if order == "mdy":
        return second, first
    if order is not None:
        raise DateError(f"unknown date order {order!r}")  # pragma: no cover - caller bug
    if first > 12 >= second or min(first, second) == 0:
        return first, second  # (a zero day or month is reported as impossible)
    if second > 12 >= first:
        return second, first
    if first == second and first <= 12:
        return first, second  # 05/05/2026 reads the same both ways
    if first > 12 and second > 12:
        raise DateError(f"impossible date {text!r}: no month above 12")
    raise AmbiguousDateError(f"ambiguous date {text!r}: day-first or month-first? "
                             f"(the day/month order is unknown)")


def _month(text: str, name: str) -> int:
    month = _MONTHS.get(name.strip("."))
    if month is None:
        raise DateError(f"unknown month name {name!r} in {text!r}")
    return month


def _year(text: str, year: str) -> int:
    if len(year) == 2:
        raise DateError(f"two-digit year in {text!r}: write the year in full")
    if len(year) != 4:
        raise DateError(f"unsupported date format {text!r}: the year needs four digits")
    return int(year)


def _date(text: str, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DateError(f"impossible date {text!r}: {exc}") from None
