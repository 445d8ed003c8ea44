"""A bank CSV's date order, decided once per file, and the reader of its dates.

First found: the order the account's settings give (``[[accounts]] date_order``), the
layout's profile, dates that fit one order only (``13/11/2026``, also in a ``Periode``),
the header's language (German, Indonesian: day-first), and last the statement itself:
a statement lists its bookings in date order and within its period, so when exactly one
reading puts the booking dates in order (ascending or descending, at least
:data:`MIN_SEQUENCE` different dates, within a year) and inside the stated period, that
reading is what the file says, not a guess. Still undecided: every numeric day/month
date is a reject whose reason names the setting that fixes the file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from pipeline.dates import AmbiguousDateError, DateError, infer_order, parse_date

FileOrder = Literal["dmy", "mdy", "ymd"]
DAY_MONTH: tuple[FileOrder, ...] = ("dmy", "mdy")
SETTING_ORDERS: dict[str, FileOrder] = {"DMY": "dmy", "MDY": "mdy", "YMD": "ymd"}

MIN_SEQUENCE = 4  # fewer different dates are in order too often by chance
MAX_SPAN = dt.timedelta(days=366)

_NUMERIC_DAY_MONTH = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d")
_YEARLESS = re.compile(r"(\d{1,2})/(\d{1,2})")
# Sparkasse CSV-CAMT writes DD.MM.YY: a bank export's two-digit year is 20YY.
_SHORT_YEAR = re.compile(r"^(\d{1,2}([./-])\d{1,2}\2)(\d{2})(?=$|[T ])")
_SHORT_YEAR_FIRST = re.compile(r"^(\d{2})([./-])(\d{1,2})\2(\d{1,2})(?=$|[T ])")


@dataclass(frozen=True)
class DateReader:
    """Dates read in the file's order; ``problem`` rejects every numeric day/month date
    (the file mixes orders); ``period`` dates the year-less ``DD/MM``; ``fix`` is the
    setting that decides an order the file leaves open."""

    order: FileOrder | None
    problem: str | None = None
    period: tuple[dt.date, dt.date] | None = None
    fix: str = ""

    def __call__(self, value: str) -> dt.date:
        text = value.strip().lstrip("'")
        if self.problem and _NUMERIC_DAY_MONTH.match(text):
            raise ValueError(self.problem)
        if self.order == "ymd":
            return parse_date(_SHORT_YEAR_FIRST.sub(r"20\g<1>-\g<3>-\g<4>", text))
        yearless = _YEARLESS.fullmatch(text)
        if yearless and self.order:
            return self._in_period(text)
        text = _SHORT_YEAR.sub(r"\g<1>20\g<3>", text)
        try:
            return parse_date(text, self.order)
        except AmbiguousDateError:
            raise ValueError(
                "ambiguous date order: every dd/mm date in the file fits both day-first and "
                f"month-first, and nothing in the file says which ({value!r}); "
                f"{self.fix}") from None

    def _in_period(self, text: str) -> dt.date:
        if self.period is None:
            raise DateError(f"date {text!r} has no year and the file states no period")
        start, end = self.period
        for year in dict.fromkeys((start.year, end.year)):
            day = parse_date(f"{text}/{year}", self.order)
            if start <= day <= end:
                return day
        raise DateError(f"date {text!r} is outside the statement period {start} - {end}")


@dataclass(frozen=True)
class DateHints:
    """What outside the dates themselves may decide the order: the account's setting, the
    profile's, the header's language, the stated period (two texts as written), and the
    account number the fixing setting is named for."""

    configured: FileOrder | None = None
    fixed: FileOrder | None = None
    language: FileOrder | None = None
    period: tuple[str, str] | None = None
    account: str = ""


def date_reader(values: Iterable[str], bookings: Sequence[str],
                hints: DateHints) -> DateReader:
    """The reader for the file's dates: ``values`` are all its dates, ``bookings`` the
    booking dates in file order."""
    fix = _fix(hints.account)
    order = hints.configured or hints.fixed
    if order:
        return DateReader(order, period=_period(hints.period, order), fix=fix)
    try:
        order = infer_order([*values, *(hints.period or ())]) or hints.language
    except DateError as exc:
        return DateReader(None, f"inconsistent date order: the file has both day-first and "
                                f"month-first dates ({exc}); {fix}", fix=fix)
    order = order or sequence_order(bookings, hints.period)
    return DateReader(order, period=_period(hints.period, order), fix=fix)


def sequence_order(bookings: Sequence[str], period: tuple[str, str] | None) -> FileOrder | None:
    """The one day/month reading under which the booking dates (file order) fall in the
    stated period and, with :data:`MIN_SEQUENCE` different dates or more, run in order
    over at most a year; ``None`` when both readings (or neither) do."""
    dates = [text for text in bookings if _readable(text, period)]  # not "PEND", not ""
    fitting = [order for order in DAY_MONTH if _consistent(dates, period, order)]
    return fitting[0] if len(fitting) == 1 else None


def _readable(text: str, period: tuple[str, str] | None) -> bool:
    for order in DAY_MONTH:
        try:
            DateReader(order, period=_period(period, order))(text)
            return True
        except ValueError:
            continue
    return False


def _consistent(bookings: Sequence[str], period: tuple[str, str] | None,
                order: FileOrder) -> bool:
    stated = _period(period, order)  # the period read the same way
    try:
        dates = [DateReader(order, period=stated)(text) for text in bookings]
    except ValueError:
        return False
    if stated and not all(stated[0] <= d <= stated[1] for d in dates):
        return False
    if len(set(dates)) < MIN_SEQUENCE:
        return True  # too few dates to show an order: this reading is not ruled out
    pairs = list(zip(dates, dates[1:], strict=False))
    in_order = all(a <= b for a, b in pairs) or all(a >= b for a, b in pairs)
    return in_order and max(dates) - min(dates) <= MAX_SPAN


def _period(texts: tuple[str, str] | None, order: FileOrder | None) -> tuple | None:
    if texts is None:
        return None
    try:
        start, end = (DateReader(order)(text) for text in texts)
    except ValueError:
        return None
    return (start, end) if start <= end else None


def _fix(account: str) -> str:
    where = (f'for number = "{account}"' if account else
             "for the account (the file states no account number to find it by)")
    return f'set [[accounts]] date_order = "DMY" or "MDY" {where} in payrecon.toml'
