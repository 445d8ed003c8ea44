"""A bank CSV's amount conventions, decided once per file, its currency marks, and the
checks of its balances (dates: :mod:`parsers.bank_csv_dates`).

The decimal separator is decided from *all* the file's amounts, never row by row: a value
that fits one reading only (``12,50``, ``1,110,000.00``) decides; otherwise the layout's
profile, then the header's language (German: ``,``). Still undecided: an ambiguous value is
a reject, never a guess. German exports may end an amount with ``S`` (Soll, debit) or
``H`` (Haben, credit).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from pipeline.money import (
    MAX_AMOUNT_DIGITS,
    AmountError,
    CurrencyError,
    DecimalSeparator,
    check_amount_size,
    format_plain,
    normalize_currency,
    parse_amount,
)

_NOT_AMOUNT_CHARS = re.compile(r"[^0-9.,]")
_SOLL_HABEN = re.compile(r"(?<=\d)\s*([SH])$")
_SYMBOL = re.compile(r"(€|£|¥|\bRp\.?|\b[A-Z]{3}\b)")
# The plain amounts most rows hold, read exactly as parse_amount would (``-1.234.567,89``,
# ``1,110,000.00 CR``); anything else goes through parse_amount.
_PLAIN = {
    sep: re.compile(rf"([-+]?)(\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+|\d+)"
                    rf"(?:{re.escape(sep)}(\d+))?(?: (CR|DB))?")
    for sep, thousands in ((".", ","), (",", "."))}
# Marker column values -> the marks parse_amount reads (Soll/Haben, Debet/Kredit...).
MARKERS = {"CR": "CR", "C": "CR", "K": "CR", "H": "CR", "HABEN": "CR", "CREDIT": "CR",
           "KREDIT": "CR", "DB": "DB", "DR": "DB", "D": "DB", "S": "DB", "SOLL": "DB",
           "DEBIT": "DB", "DEBET": "DB"}


def decimal_evidence(values: Iterable[str]) -> set[str]:
    """The decimal separators the amounts prove: ``12,50`` -> ``,``; ``1,110,000.00`` ->
    ``.``; ``1.500.000`` -> ``,``; ``1.500`` proves nothing. (All values at once: the rules of
    :func:`evidence_of_each` searched for in one text of the values' digits.)"""
    values = list(values)
    joined = "\n".join(values)
    if joined.count("\n") != max(len(values) - 1, 0):  # a value with a line break in it
        return evidence_of_each(values)
    digits = _NOT_AMOUNT_LINES.sub("", joined)
    return {sep for sep, proof in _PROOF.items() if proof.search(digits)}


def evidence_of_each(values: Iterable[str]) -> set[str]:
    """:func:`decimal_evidence`, value by value (the rules as written)."""
    evidence: set[str] = set()
    for value in values:
        digits = _NOT_AMOUNT_CHARS.sub("", value)
        seps = [c for c in digits if c in ".,"]
        if len(set(seps)) == 2:
            evidence.add(seps[-1])
        elif len(seps) > 1:
            evidence.add("," if seps[0] == "." else ".")
        elif seps and len(digits.split(seps[0])[1]) != 3:
            evidence.add(seps[0])
    return evidence


_NOT_AMOUNT_LINES = re.compile(r"[^0-9.,\n]")


def _proof(sep: str, other: str) -> re.Pattern:
    """A line of digits and separators that proves ``sep`` the decimal mark: both marks with
    ``sep`` last; ``other`` twice or more and no ``sep``; ``sep`` once, not before 3 digits."""
    s, o = re.escape(sep), re.escape(other)
    return re.compile(rf"^(?:[0-9.,]*{o}[0-9.,]*{s}[0-9]*|[0-9]*(?:{o}[0-9]*){{2,}}"
                      rf"|[0-9]*{s}(?:[0-9]{{0,2}}|[0-9]{{4,}}))$", re.MULTILINE)


_PROOF = {".": _proof(".", ","), ",": _proof(",", ".")}


def amount_reader(values: Iterable[str], fixed: DecimalSeparator | None,
                  hint: DecimalSeparator | None,
                  soll_haben: bool = False) -> Callable[[str], Decimal]:
    """Amount text -> Decimal with the file's decimal separator (profile, else evidence,
    else hint). Evidence for both separators: every amount is rejected, not guessed.
    ``soll_haben``: a trailing ``S``/``H`` marks a debit/credit (German exports)."""
    evidence = set() if fixed else decimal_evidence(values)
    if len(evidence) == 2:
        def conflict(value: str) -> Decimal:
            raise AmountError("inconsistent decimal separators in the file (both '.' and ',' "
                              f"are used as the decimal point); cannot read {value!r}")
        conflict.separator, conflict.soll_haben = None, soll_haben  # type: ignore[attr-defined]
        return conflict
    separator = fixed or (evidence.pop() if evidence else hint)
    plain = _PLAIN.get(separator)

    def read(value: str) -> Decimal:
        if len(value) > MAX_AMOUNT_DIGITS:  # shorter texts are within every limit
            check_amount_size(value)
        if soll_haben:
            value = _SOLL_HABEN.sub(lambda m: " " + MARKERS[m.group(1)], value.strip())
        match = plain.fullmatch(value) if plain else None
        if match is None:
            return parse_amount(value, separator)
        sign, whole, fraction, mark = match.groups()
        digits = whole.replace(",", "").replace(".", "")
        number = Decimal(f"{digits}.{fraction}" if fraction else digits)
        negative = (sign == "-") != (mark == "DB")
        return -number if negative else number

    read.separator, read.soll_haben = separator, soll_haben  # type: ignore[attr-defined]
    return read


def symbol_currency(text: str) -> str | None:
    """The currency written on an amount (``€ 12,50``, ``Rp 1.500.000``, ``12.50 EUR``);
    ``$`` names no single currency and gives ``None``."""
    match = _SYMBOL.search(text)
    if match is None:
        return None
    try:
        return normalize_currency(match.group(1))
    except CurrencyError:
        return None


def with_marker(amount: str, marker: str) -> str:
    """``'15,000.00'`` + ``'DB'`` (or ``S``/``Soll``...) -> ``'15,000.00 DB'``."""
    mark = marker.strip().upper().rstrip(".")
    return f"{amount} {MARKERS.get(mark, mark)}" if mark else amount


@dataclass(frozen=True)
class BalanceStep:
    """One transaction in file order, for the running-balance check."""

    line: int
    currency: str
    amount_minor: int
    balance_minor: int | None


def running_balance_warning(steps: Sequence[BalanceStep | None]) -> str | None:
    """A warning (naming the first line) when the running-balance column does not add up
    row to row, read top-down or bottom-up (newest first), whichever fits better. ``None``
    entries (rejected or summary rows) break the chain."""
    pairs = [(a, b) for a, b in zip(steps, steps[1:], strict=False)
             if a and b and a.currency == b.currency
             and a.balance_minor is not None and b.balance_minor is not None]
    down = [(a, b) for a, b in pairs if a.balance_minor + b.amount_minor != b.balance_minor]
    up = [(b, a) for a, b in pairs if b.balance_minor + a.amount_minor != a.balance_minor]
    wrong = min(down, up, key=len)
    if not wrong:
        return None
    before, step = wrong[0]
    return balance_message(before.balance_minor, step, len(wrong), len(pairs))


def balance_message(before: int, step: BalanceStep, wrong: int, pairs: int) -> str:
    """The running-balance warning: ``before`` is the balance the ``step`` row follows."""
    currency = step.currency

    def plain(minor: int) -> str:
        return format_plain(minor, currency)

    return (f"running balance does not add up at line {step.line}: "
            f"{plain(before)} + {plain(step.amount_minor)} = "
            f"{plain(before + step.amount_minor)} {currency}, the balance column "
            f"says {plain(step.balance_minor)} ({wrong} of {pairs} consecutive rows "
            f"do not add up)")


def statement_warning(opening: int, closing: int, movements: int, currency: str,
                      rejected: int) -> str | None:
    """A warning when opening + movements != closing (the statement is still ingested)."""
    if opening + movements == closing:
        return None
    note = f" ({rejected} rejected rows not counted)" if rejected else ""
    return (f"statement: opening {format_plain(opening, currency)} + movements "
            f"{format_plain(movements, currency)} != closing {format_plain(closing, currency)} "
            f"{currency}{note}")


# Currencies whose amounts are written with a ``$`` (dollars, pesos, the real R$).
DOLLAR_CURRENCIES = frozenset(
    "USD CAD AUD NZD SGD HKD TWD BSD BBD BZD BMD BND KYD FJD GYD JMD LRD NAD SBD SRD TTD XCD "
    "MXN ARS CLP COP CUP DOP UYU BRL".split())


def row_currency(money: str, sources: Sequence[tuple[str | None, str]]) -> str | None:
    """The first currency among ``(code, where it comes from)``, or ``None`` when none
    names one. Raises :class:`CurrencyError` for a code that is no currency, or when the
    amount is written with ``$`` and that currency is not a dollar (``$ 12.50`` in EUR)."""
    found = next(((code, where) for code, where in sources if code), None)
    if found is None:
        return None
    currency = normalize_currency(found[0])
    if "$" in money and currency not in DOLLAR_CURRENCIES:
        raise CurrencyError(f"the amount {money!r} is in $, but {found[1]} says {currency}")
    return currency


def no_currency_reason(account: str, money: str) -> str:
    """Why a row has no currency, naming the one setting that gives it one."""
    if account:
        return (f"no currency: the file names none for account {account}; set "
                f'[[accounts]] currency for number = "{account}" in payrecon.toml')
    if "$" in money:
        return (f"no currency: the amount {money!r} is in $, which names no single currency "
                f"(USD, CAD, AUD...), and the file states no account number; set "
                f"default_currency in payrecon.toml")
    return ("no currency: the file names none and no account number; set default_currency "
            "in payrecon.toml")


def currency_or_reason(money: str, sources: Sequence[tuple[str | None, str]],
                       account: Callable[[], str]) -> tuple[str | None, str]:
    """``(currency, '')`` by :func:`row_currency`, or ``(None, the reject reason)``: its
    error, or why there is none (:func:`no_currency_reason`, for the row's ``account()``)."""
    try:
        currency = row_currency(money, sources)
    except CurrencyError as exc:
        return None, f"currency: {exc}"
    if currency is None:
        return None, no_currency_reason(account(), money)
    return currency, ""

