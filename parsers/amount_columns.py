"""Amount texts read a column at a time: the common spellings vectorised, the rest by the
scalar reader (:func:`pipeline.money.parse_amount` or a format's own converter).

The fast path takes only texts whose scalar reading is certain and exact: an optional
leading ``-``, digits with the file's thousands separator in groups of three (or none), and
at most one decimal mark followed by digits (``1234.50``, ``-1,234.5``, ``1.234,50`` when
``,`` is the decimal mark), at most :data:`FAST_CHARS` characters. The digits are kept as
written (``Decimal`` of the text without its thousands separators: never rounded, never a
float), so a text with more decimals than its currency allows is still a reject when it is
turned into minor units. Every other text goes to the scalar reader, once per distinct text,
so its value or its reject reason is the scalar one by construction.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

import pandas as pd

from pipeline.money import exponent
from pipeline.money import to_minor as money_to_minor

# Below the 28 significant digits of the default decimal context (the scalar reader negates
# with it) and far below the hard limits of pipeline.money: nothing on the fast path rounds.
FAST_CHARS = 26

_FAST = {
    ".": re.compile(r"-?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?"),
    ",": re.compile(r"-?(?:[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+)(?:,[0-9]+)?"),
}


def fast_mask(texts: pd.Series, separator: str | None) -> pd.Series:
    """Which stripped texts the fast path reads (for a known decimal ``separator``)."""
    pattern = _FAST.get(separator or "")
    if pattern is None or texts.empty:
        return pd.Series(False, index=texts.index)
    short = texts.str.len() <= FAST_CHARS
    return short & texts.str.fullmatch(pattern).fillna(False).astype(bool)


def fast_values(texts: pd.Series, separator: str) -> pd.Series:
    """The Decimals of texts :func:`fast_mask` accepts (thousands dropped, mark -> ``.``)."""
    thousands = "," if separator == "." else "."
    negative = texts.str.startswith("-")
    digits = texts.str.lstrip("-").str.replace(thousands, "", regex=False)
    if separator == ",":
        digits = digits.str.replace(",", ".", regex=False)
    values = digits.map(Decimal)
    if negative.any():  # negated as the scalar reader does it (-0.00 reads as 0.00)
        values[negative] = values[negative].map(operator.neg)
    return values


def read_amounts(texts: pd.Series, separator: str | None,
                 scalar: Callable[[str], Decimal]) -> tuple[pd.Series, dict[str, ValueError]]:
    """Non-empty, stripped amount texts as Decimals (aligned with ``texts``), and the
    ``ValueError`` the scalar reader raises for each text it refuses (the message is the
    reject reason; those rows' values are meaningless)."""
    fast = fast_mask(texts, separator)
    if fast.all():
        return fast_values(texts, separator), {}  # type: ignore[arg-type]
    out = pd.Series([None] * len(texts), index=texts.index, dtype=object)
    if fast.any():
        out[fast] = fast_values(texts[fast], separator)  # type: ignore[arg-type]
    values, errors = each_distinct(scalar, texts[~fast])
    out[~fast] = values
    return out, errors


def each_distinct(convert: Callable[[str], object],
                  texts: pd.Series) -> tuple[pd.Series, dict[str, ValueError]]:
    """``convert`` applied once per distinct text: the values aligned with ``texts``, and the
    ``ValueError`` raised for each text it refuses."""
    done: dict = {}
    errors: dict[str, ValueError] = {}
    for text in texts.unique():
        try:
            done[text] = convert(text)
        except ValueError as exc:
            done[text], errors[text] = None, exc
    return texts.map(done), errors


@lru_cache(maxsize=256)
def _exponent(currency: str) -> int:
    return exponent(currency)


def to_minor(amount: Decimal, currency: str) -> int:
    """:func:`pipeline.money.to_minor` with the currency's exponent looked up once per
    currency (the hot path of every row); a value it refuses raises its very error."""
    if not isinstance(amount, Decimal):
        return money_to_minor(amount, currency)
    scaled = amount.scaleb(_exponent(currency))
    if scaled != scaled.to_integral_value():
        return money_to_minor(amount, currency)  # raises AmountError, with its reason
    return int(scaled)


def minor_units(amounts: pd.Series, currencies: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Decimal amounts (``None``: none given) in integer minor units of their row's currency,
    by :func:`to_minor` once per distinct (amount, currency); and which rows it refuses (too
    many decimals: their value is ``None``, their reason is the scalar reader's to give).

    The values are an ``int64`` Series when every row has one that fits, else objects
    (Python ints, ``None``), so an amount past 64 bits is never wrapped around."""
    pairs = list(zip(amounts.tolist(), currencies.tolist(), strict=True))
    done: dict[tuple, int | None] = {}
    for amount, currency in set(pairs):
        try:
            done[amount, currency] = None if amount is None else to_minor(amount, currency)
        except ValueError:
            done[amount, currency] = _REFUSED
    values = [done[pair] for pair in pairs]
    refused = pd.Series([v is _REFUSED for v in values], index=amounts.index, dtype=bool)
    values = [None if v is _REFUSED else v for v in values] if refused.any() else values
    out = pd.Series(values, index=amounts.index, dtype=object)
    if not out.isna().any() and all(-_INT64 <= v < _INT64 for v in done.values()):
        out = out.astype("int64")
    return out, refused


_REFUSED = object()
_INT64 = 2**63


# Whole digits plus the currency's decimals that always fit int64 (10**18 < 2**63).
_FAST_MINOR_DIGITS = 18
_MARK = {",": ".", ".": ","}  # thousands separator -> decimal mark
_FAST_PARTS = {
    ".": re.compile(r"(-?)([0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.([0-9]+))?"),
    ",": re.compile(r"(-?)([0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+)(?:,([0-9]+))?"),
}


def fast_minor(texts: pd.Series, separator: str | None, exponents: pd.Series,
               ) -> tuple[pd.Series, pd.Series]:
    """Stripped amount texts straight in integer minor units (``exponents``: each row's
    currency exponent), with no Decimal: what :func:`fast_values` then :func:`to_minor`
    give, for the rows it can say so of (the returned mask); the others' values are 0.

    A row is taken when :func:`fast_mask` would take its text, its decimals beyond the
    exponent are zeros (``10.500`` USD is 1050; ``10.5`` JPY is not taken: the scalar path
    rejects it) and its digits fit ``int64``. Computed once per distinct (text, exponent)."""
    pattern = _FAST_PARTS.get(separator or "")
    if pattern is None:
        return (pd.Series(0, index=texts.index, dtype="int64"),
                pd.Series(False, index=texts.index))
    thousands = "," if separator == "." else "."
    if len(exponents) and (exponents == exponents.iloc[0]).all():  # one currency: by text
        values = _column_minor(texts.tolist(), int(exponents.iloc[0]), pattern, thousands)
    else:
        done: dict[tuple[str, int], int | None] = {}
        values = []
        for pair in zip(texts.tolist(), exponents.tolist(), strict=True):
            value = done.get(pair, _REFUSED)
            if value is _REFUSED:
                value = done[pair] = _minor_of(pair[0], pair[1], pattern, thousands)
            values.append(value)
    taken = pd.Series([v is not None for v in values], index=texts.index, dtype=bool)
    return pd.Series([v or 0 for v in values], index=texts.index, dtype="int64"), taken


def _minor_of(text: str, exp: int, pattern: re.Pattern, thousands: str) -> int | None:
    if len(text) > FAST_CHARS:
        return None
    whole = text[:-3]
    if (exp == 2 and len(text) > 3 and text[-3] == _MARK[thousands] and text.isascii()
            and whole.isdigit() and text[-2:].isdigit()
            and len(whole) <= _FAST_MINOR_DIGITS - 2):  # the usual ``1234.50``
        return int(whole + text[-2:])
    match = pattern.fullmatch(text)
    if match is None:
        return None
    sign, whole, fraction = match.groups()
    whole = whole.replace(thousands, "")
    fraction = fraction or ""
    if fraction[exp:].strip("0") or len(whole) + exp > _FAST_MINOR_DIGITS:
        return None
    value = int(whole + fraction[:exp].ljust(exp, "0"))
    return -value if sign else value


def _column_minor(texts: list[str], exp: int, pattern: re.Pattern,
                  thousands: str) -> list[int | None]:
    """:func:`_minor_of` of each text, the usual shape (``-1,234.50``: exactly ``exp``
    decimals, at most 18 digits) read at once
    (:func:`column_minor`)."""
    mark = _MARK[thousands]
    return column_minor(texts, mark, exp, _unusual(mark, exp),
                        lambda text: _minor_of(text, exp, pattern, thousands))


def column_minor(texts: list[str], mark: str, exp: int, unusual: re.Pattern,
                 one: Callable[[str], int | None],
                 signs: Callable[[str], str] | None = None) -> list[int | None]:
    """A column of amount texts in minor units at once (``None`` for an empty text): the
    lines ``unusual`` finds (a multi-line expression matching the lines not of the usual
    shape: digits, thousands groups, exactly ``exp`` decimals after ``mark``) are read one by
    one by ``one``; in the others the separators are dropped in one text (``signs`` may then
    rewrite marks into signs, still one text) and each line is an ``int``."""
    stand_in = "0" + (mark + "0" * exp if exp else "")  # for an empty text
    joined = "\n".join([t or stand_in for t in texts])
    if joined.count("\n") != len(texts) - 1:  # a text with a line break
        return [one(t) if t else None for t in texts]
    odd = line_numbers(joined, unusual)
    flat = joined.replace(_MARK[mark], "").replace(mark, "")
    lines = (signs(flat) if signs else flat).split("\n")
    for i in odd:
        lines[i] = "0"
    values: list = list(map(int, lines))
    for i in odd:
        values[i] = one(texts[i])
    if "" in texts:
        for i in [i for i, t in enumerate(texts) if not t]:
            values[i] = None
    return values


def _unusual(mark: str, exp: int) -> re.Pattern:
    return unusual_lines(mark, exp, 19)


@lru_cache(maxsize=64)
def unusual_lines(mark: str, exp: int, chars: int, sign: str = "-?",
                  suffix: str = "") -> re.Pattern:
    """The lines (multi-line) not of the usual shape for the decimal ``mark`` and ``exp``: at
    most ``chars`` characters and 18 digits, ``sign``, digits or thousands groups, exactly
    ``exp`` decimals, then ``suffix`` (expressions)."""
    thousands = re.escape(_MARK[mark])
    decimals = rf"{re.escape(mark)}[0-9]{{{exp}}}" if exp else ""
    shape = (rf"(?=.{{1,{chars}}}$)(?!(?:[^0-9\n]*[0-9]){{{_FAST_MINOR_DIGITS + 1}}})"
             rf"{sign}(?:[0-9]+|[0-9]{{1,3}}(?:{thousands}[0-9]{{3}})+){decimals}{suffix}")
    return re.compile(rf"^(?!{shape}$).+$", re.MULTILINE)


def line_numbers(joined: str, pattern: re.Pattern) -> list[int]:
    """The 0-based numbers of the lines of ``joined`` where ``pattern`` (a multi-line
    expression matching whole lines) matches, in order."""
    found, line, done = [], 0, 0
    for match in pattern.finditer(joined):
        line += joined.count("\n", done, match.start())
        done = match.start()
        found.append(line)
    return found
