"""A bank CSV's plain amounts straight into minor units: what the file's amount reader
(:func:`parsers.bank_csv_values.amount_reader`) then ``to_minor`` give, for the spellings
whose reading is certain, one text at a time (:func:`plain_minor`) or a whole column at once
(:func:`plain_minors`); any other text is left to the reader (``None``)."""

from __future__ import annotations

import re

from parsers.amount_columns import column_minor, unusual_lines

_PLAIN_MINOR_CHARS = 24  # with a mark, below MAX_AMOUNT_DIGITS: no size check applies
_PLAIN_ASCII = {
    sep: re.compile(rf"([-+]?)([0-9]{{1,3}}(?:{re.escape(thousands)}[0-9]{{3}})+|[0-9]+)"
                    rf"(?:{re.escape(sep)}([0-9]+))?(?: (CR|DB))?")
    for sep, thousands in ((".", ","), (",", "."))}


def plain_minor(text: str, exp: int, separator: str | None, soll_haben: bool) -> int | None:
    """What :func:`amount_reader`'s reader then ``to_minor`` give ``text`` in a currency of
    exponent ``exp``, for the plain spellings whose reading is certain (ASCII digits, decimals
    beyond ``exp`` all zeros, at most 18 digits); ``None`` for any other text."""
    pattern = _PLAIN_ASCII.get(separator or "")
    if pattern is None or len(text) > _PLAIN_MINOR_CHARS or (
            soll_haben and text.endswith(("S", "H"))):
        return None
    match = pattern.fullmatch(text)
    if match is None:
        return None
    sign, whole, fraction, mark = match.groups()
    whole = whole.replace("," if separator == "." else ".", "")
    fraction = fraction or ""
    if fraction[exp:].strip("0") or len(whole) + exp > 18:
        return None
    value = int(whole + fraction[:exp].ljust(exp, "0"))
    return -value if (sign == "-") != (mark == "DB") else value


def plain_minors(texts: list[str], exp: int, separator: str | None,
                 soll_haben: bool) -> list[int | None]:
    """:func:`plain_minor` of each text (``None`` for an empty one too), the usual shape
    (``-1.234.567,00``, ``1,250.00 CR``: exactly ``exp`` decimals) read for the whole column
    at once: its lines checked by one regular expression, the separators dropped and the
    marks turned into signs in one text, then ``int`` of each line."""
    if separator not in _PLAIN_ASCII or soll_haben or not texts:
        return [plain_minor(t, exp, separator, soll_haben) if t else None for t in texts]
    return column_minor(texts, separator, exp, _odd_lines(separator, exp),
                        lambda text: plain_minor(text, exp, separator, soll_haben), _signs)


def _signs(flat: str) -> str:
    """Lines of digits with a `` DB``/`` CR`` mark -> signed digits (``-5 DB`` -> ``5``)."""
    if " DB" in flat:
        flat = _POSITIVE_DB.sub(r"-\1", _NEGATIVE_DB.sub(r"\1", flat))
    return flat.replace(" CR", "")


_NEGATIVE_DB = re.compile(r"^-([0-9]+) DB$", re.MULTILINE)
_POSITIVE_DB = re.compile(r"^\+?([0-9]+) DB$", re.MULTILINE)


def _odd_lines(separator: str, exp: int) -> re.Pattern:
    """Lines not of the usual shape for ``separator`` and ``exp`` (a sign, a mark)."""
    return unusual_lines(separator, exp, _PLAIN_MINOR_CHARS, "[-+]?", "(?: (?:CR|DB))?")


def split_minor(debit, credit, unsure):  # noqa: ANN001, ANN201
    """``StatementReader._split`` on minor units (``None``: not given; ``unsure``: a text
    the reader must read): the movement, or ``unsure`` where it would not be certain."""
    given = [(sign, v) for sign, v in ((-1, debit), (1, credit)) if v is not None]
    if not given or any(v is unsure for _, v in given):
        return unsure
    nonzero = [(sign, v) for sign, v in given if v != 0]
    if len(nonzero) > 1:
        return unsure
    sign, value = nonzero[0] if nonzero else given[0]
    return -abs(value) if sign < 0 else value
