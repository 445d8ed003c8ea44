"""Exact money: integer minor units inside, ``Decimal`` at the edges, never binary floats.

Amount text is read with the conventions banks, gateways and people actually write
(``1.250.000,00``, ``1,250,000.00``, ``Rp 1.500.000``, ``(12.50)``, ``12.50 CR``,
``-12,50``). Anything that could be read two ways raises :class:`AmountError`; callers
turn that into a reject with the reason, never into a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Literal

import numpy as np

# ISO 4217 minor-unit exponents that are not 2 (everything else with a 3-letter code is 2).
_EXPONENT_NOT_TWO = {
    **dict.fromkeys(
        "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(), 0
    ),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
    **dict.fromkeys("CLF UYW".split(), 4),
    # Not ISO 4217, but what crypto processors report.
    "BTC": 8,
    "LTC": 8,
    "ETH": 18,
    "USDT": 6,
    "USDC": 6,
}

DecimalSeparator = Literal[".", ","]
# Hard limits checked before any conversion: no real amount comes near them (a BIGINT of
# minor units has 19 digits), and an int of thousands of digits cannot even be written out.
MAX_AMOUNT_DIGITS = 30
MAX_AMOUNT_CHARS = 64

_CURRENCY_RE = re.compile(r"^[A-Z]{3,5}$")
_SYMBOLS = {"$": None, "€": "EUR", "£": "GBP", "¥": "JPY", "RP": "IDR", "RP.": "IDR"}
_CREDIT_MARKS = ("CR", "C", "K")  # K = Kredit (Indonesian)
_DEBIT_MARKS = ("DB", "DR", "D")


class AmountError(ValueError):
    """An amount text that cannot be read unambiguously; the message is the reject reason."""


class CurrencyError(ValueError):
    """A currency code that is not a currency; the message is the reject reason."""


@lru_cache(maxsize=4096)  # a file repeats a few codes: each text read once (errors not kept)
def normalize_currency(code: str | None) -> str:
    """Upper-case and validate a currency code (``'usd'`` -> ``'USD'``, ``'Rp'`` -> ``'IDR'``)."""
    text = (code or "").strip().upper()
    text = _SYMBOLS.get(text) or text
    if not _CURRENCY_RE.match(text):
        raise CurrencyError(f"not a currency code: {code!r}")
    return text


def exponent(currency: str) -> int:
    """Number of minor-unit digits of ``currency`` (ISO 4217; crypto as processors report)."""
    return _EXPONENT_NOT_TWO.get(normalize_currency(currency), 2)


def to_minor(amount: Decimal, currency: str) -> int:
    """Exact conversion to integer minor units; too many decimals is an :class:`AmountError`."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"money must be Decimal, not {type(amount).__name__}")
    scaled = amount.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise AmountError(
            f"amount {amount} has more decimals than {currency} allows ({exponent(currency)})"
        )
    return int(scaled)


def from_minor(minor: int, currency: str) -> Decimal:
    """``150000``, ``'USD'`` -> ``Decimal('1500.00')`` (always with the currency's decimals)."""
    exp = exponent(currency)
    return Decimal(int(minor)).scaleb(-exp).quantize(Decimal(1).scaleb(-exp))


def from_minor_many(minors: Iterable[int], currencies: Iterable[str]) -> list[Decimal]:
    """:func:`from_minor` of each pair, a column at a time: each currency's exponent is looked
    up once and every ``Decimal`` is read from its digits (exact, like ``from_minor``)."""
    minors = _objects(minors)
    names, which = np.unique(_objects(currencies).astype(str), return_inverse=True)
    if len(minors) != len(which):
        raise ValueError("as many minor amounts as currencies are needed")
    out = np.empty(len(minors), dtype=object)
    for number, code in enumerate(names.tolist()):
        at = which.reshape(-1) == number
        out[at] = _decimals(minors[at], f"e-{exponent(code)}")
    return out.tolist()


def _objects(values: Iterable) -> np.ndarray:
    return values if isinstance(values, np.ndarray) and values.dtype == object else np.asarray(
        list(values), dtype=object)


def _decimals(minors: np.ndarray, suffix: str) -> np.ndarray:
    """``Decimal(f"{minor}{suffix}")`` of each minor amount, each distinct amount once."""
    try:
        ints = minors.astype(np.int64)
    except (OverflowError, TypeError, ValueError):  # beyond 64 bits: one by one
        return np.array([Decimal(f"{int(minor)}{suffix}") for minor in minors], dtype=object)
    distinct, back = np.unique(ints, return_inverse=True)
    made = np.array([Decimal(f"{minor}{suffix}") for minor in distinct.tolist()],
                    dtype=object)
    return made[back.reshape(-1)]


def format_plain(minor: int, currency: str) -> str:
    """Plain decimal string for exports: ``'1500000.00'`` (never scientific notation)."""
    return format(from_minor(minor, currency), "f")


def in_words(minor: Any, currency: Any) -> Any:
    """Amounts as a person reads them in a reason: ``500``, ``'USD'`` -> ``'5.00 USD'``;
    ``1500000``, ``'IDR'`` -> ``'15,000.00 IDR'``. Takes two aligned pandas Series (or two
    scalars) and formats each distinct (amount, currency) pair once."""
    import pandas as pd

    if not isinstance(minor, pd.Series):
        return f"{from_minor(int(minor), str(currency)):,} {currency}"
    pairs = list(zip(minor.astype("int64").tolist(), currency.astype(str).tolist(),
                     strict=True))
    words = {pair: f"{from_minor(*pair):,} {pair[1]}" for pair in set(pairs)}
    return pd.Series([words[pair] for pair in pairs], index=minor.index, dtype=object)


def parse_amount(text: str, decimal_separator: DecimalSeparator | None = None) -> Decimal:
    """Read an amount as written by a bank, a gateway or a person.

    ``decimal_separator`` is the source's convention when it is known (a file profile, a
    locale); without it a text that fits both conventions (``1,500`` or ``1.500``) is
    ambiguous and rejected. Signs: leading ``-``, trailing ``-``, parentheses, or a
    ``CR``/``DB``/``DR`` mark (credit positive, debit negative).
    """
    if not isinstance(text, str):
        raise AmountError(f"amount is not text: {text!r}")
    check_amount_size(text)
    body, sign = _strip_sign_and_marks(text)
    body = _strip_currency(body)
    if not body:
        raise AmountError(f"no amount in {text!r}")
    if not re.fullmatch(r"[0-9][0-9.,' ]*", body) or re.search(r"[.,' ]{2}", body):
        raise AmountError(f"not an amount: {text!r}")
    digits = _normalize_separators(body, decimal_separator, text)
    try:
        value = Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regex above
        raise AmountError(f"not an amount: {text!r}") from exc
    return -value if sign < 0 else value


def check_amount_size(text: str) -> None:
    """Raise :class:`AmountError` for amount text past the hard limits (digits, length),
    before it is converted; the reason shows only the text's start."""
    digits = sum(ch.isdigit() for ch in text)
    if digits > MAX_AMOUNT_DIGITS:
        raise AmountError(f"an amount of {digits} digits is more than the {MAX_AMOUNT_DIGITS} "
                          f"an amount may have: {text[:20]!r}…")
    if len(text.strip()) > MAX_AMOUNT_CHARS:
        raise AmountError(f"an amount of {len(text.strip())} characters is longer than the "
                          f"{MAX_AMOUNT_CHARS} an amount may have: {text.strip()[:20]!r}…")


def amount_readings(text: str) -> tuple[Decimal, ...]:
    """Every reading of an amount a person typed, for claims (never for statements).

    One reading when :func:`parse_amount` reads the text alone; two for a lone group that fits
    both conventions (``12,500`` -> ``12500`` then ``12.500``: the thousands reading first).
    Anything else that cannot be read raises :class:`AmountError`, as :func:`parse_amount`.
    """
    try:
        return (parse_amount(text),)
    except AmountError as exc:
        try:
            readings = {parse_amount(text, "."), parse_amount(text, ",")}
        except AmountError:
            raise exc from None
        if len(readings) != 2:
            raise
        ordered = tuple(sorted(readings, key=abs, reverse=True))
        if re.match(r"^\D*0[.,]", text.strip()):
            return ordered[1:]  # "0,500": a leading 0 is no thousands group
        return ordered


def _strip_sign_and_marks(text: str) -> tuple[str, int]:
    body = text.strip().replace("\u00a0", " ").replace("\u2212", "-")
    sign = 1
    if body.startswith("(") and body.endswith(")"):
        body, sign = body[1:-1].strip(), -1
    upper = body.upper()
    for marks, mark_sign in ((_DEBIT_MARKS, -1), (_CREDIT_MARKS, 1)):
        mark = next((m for m in marks if re.search(rf"[\d\s]{m}\.?$", upper)), None)
        if mark:
            body = re.sub(rf"\s*{mark}\.?$", "", body, flags=re.IGNORECASE)
            sign *= mark_sign
            break
    body = body.strip()
    if body.startswith(("+", "-")):
        sign *= -1 if body[0] == "-" else 1
        body = body[1:].strip()
    elif body.endswith("-"):
        sign, body = -sign, body[:-1].strip()
    if body.startswith(("+", "-")) or body.endswith(("+", "-")):
        raise AmountError(f"more than one sign in {text!r}")
    return body, sign


def _strip_currency(body: str) -> str:
    body = re.sub(r"^(?:[A-Za-z]{2,4}\.?|[$€£¥])\s*", "", body)
    body = re.sub(r"\s*(?:[A-Za-z]{3}|[$€£¥])$", "", body)
    if body.startswith(("+", "-")):
        raise AmountError(f"sign after the currency in {body!r}")
    return body.strip()


def _normalize_separators(body: str, decimal_separator: str | None, original: str) -> str:
    body = body.replace(" ", "").replace("'", "")
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        dec = "." if body.rfind(".") > body.rfind(",") else ","
    elif dots + commas == 0:
        return body
    else:
        dec = _single_kind_decimal(body, "." if dots else ",", decimal_separator, original)
    thousands = "," if dec == "." else "."
    if body.count(dec) > 1:
        raise AmountError(f"more than one decimal separator in {original!r}")
    whole, _, frac = body.partition(dec)
    if thousands in whole and not re.fullmatch(rf"\d{{1,3}}(?:\{thousands}\d{{3}})*", whole):
        raise AmountError(f"misplaced thousands separator in {original!r}")
    if thousands in frac:
        raise AmountError(f"thousands separator after the decimals in {original!r}")
    return whole.replace(thousands, "") + ("." + frac if frac else "")


def _single_kind_decimal(body: str, sep: str, decimal_separator: str | None, original: str) -> str:
    """Only one kind of separator: is it the decimal point or the thousands separator?"""
    other = "," if sep == "." else "."
    groups = body.split(sep)
    if len(groups) > 2:
        return other  # 1.500.000 -> thousands
    if len(groups[1]) != 3:
        if decimal_separator and decimal_separator != sep and len(groups[1]) > 0:
            raise AmountError(f"{original!r} does not fit the source's decimal separator")
        return sep  # 12.50, 12,5 -> decimals
    if decimal_separator:
        return decimal_separator if decimal_separator == sep else other
    raise AmountError(f"ambiguous amount {original!r}: thousands or decimals?")
