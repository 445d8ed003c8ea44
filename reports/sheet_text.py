"""Whole-column text work for :mod:`reports.sheet_xml`: a column's strings joined into one
string, changed there by ``str`` methods (C speed) and split again, and numbers trimmed by
``numpy.strings``, instead of one Python step per cell.

Texts are joined with NUL, a character no cell text keeps (openpyxl removes it with the
other control characters); each text's first and last characters are read from the joined
string's code points at the separators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import repeat

import numpy as np

SEPARATOR = "\x00"


def starts(texts: list[str]) -> np.ndarray:
    """Where each text's separator stands in :func:`joined` (one more: the last one)."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    return np.concatenate([[0], np.cumsum(lengths + 1)])


def joined(texts: list[str]) -> str:
    """The texts between separators: ``\\0a\\0b\\0``."""
    return SEPARATOR + SEPARATOR.join(texts) + SEPARATOR


def ends(whole: str, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first, last) character of each text of :func:`joined` ``whole`` as code points;
    0 (the separator) for an empty text."""
    points = np.frombuffer(whole.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    empty = np.diff(at) == 1
    first, last = points[at[:-1] + 1], points[at[1:] - 1]
    first[empty], last[empty] = 0, 0
    return first, last


def code_points(chars: object) -> np.ndarray:
    return np.array([ord(char) for char in chars], dtype=np.uint32)


# every character str.isspace() calls white space (str.strip's), as code points; all of
# them are in the Basic Multilingual Plane
WHITE_SPACE = code_points(chr(point) for point in range(0x10000) if chr(point).isspace())


def split(whole: str) -> np.ndarray:
    """The texts of a :func:`joined` string again (an object array)."""
    return np.array(whole[1:-1].split(SEPARATOR), dtype=object)


def plain_numbers(numbers: list[str]) -> np.ndarray:
    """``1500.50`` -> ``1500.5``, ``7.00`` -> ``7`` (no trailing zeros after a point, no bare
    point), as :func:`reports.sheet_xml._plain` does one number at a time."""
    text = np.array(numbers, dtype=str)
    pointed = np.strings.find(text, ".") >= 0
    stripped = np.strings.rstrip(np.strings.rstrip(text, "0"), ".")
    return np.where(pointed, stripped, text).astype(object)


def listed(part: object, n: int) -> object:
    """A part of cells' text as :func:`concatenated` takes it: a ``str`` as it is, else a
    list (``n`` long)."""
    return part if isinstance(part, str) else part.tolist() if isinstance(
        part, np.ndarray) else list(part)


def concatenated(*parts: object) -> list[str]:
    """Row by row concatenation of ``parts`` (arrays or lists of ``str`` of one length, or
    single ``str`` used on every row), in one ``str.join`` per row."""
    columns = [repeat(part) if isinstance(part, str) else part for part in parts]
    return list(map("".join, zip(*columns, strict=False)))  # single strs repeat


# control characters a cell keeps (tab, line feed, carriage return); every other one below
# a space is taken out, as openpyxl does (its ILLEGAL_CHARACTERS_RE), NUL included
_KEPT_CONTROLS = code_points("\t\n\r")


@dataclass(frozen=True)
class ColumnText:
    """Each text of a column cleaned (control characters out, cut to ``max_text``) and XML
    escaped (``body``), and whether it starts with a formula sign (``quoted``), starts or
    ends with white space (``padded``) or is empty (``empty``), as read before escaping."""

    body: list[str]
    quoted: np.ndarray
    padded: np.ndarray
    empty: np.ndarray


def column_text(texts: list[str], *, formula_start: np.ndarray, max_text: int,
                escapes: tuple[tuple[str, str], ...], illegal: re.Pattern) -> ColumnText:
    """:class:`ColumnText` of ``texts``, read on their :func:`joined` string: each text is
    touched once (by the join); separators, control characters, lengths and first and last
    characters are found on the joined string's code points. ``formula_start``: the
    :func:`lookup` of the characters that make a formula; ``illegal``: what to take out."""
    whole = joined(texts)
    points = _points(whole)
    if _has_controls(points, len(texts)):  # rare: cleaned one text at a time
        whole = joined([illegal.sub("", text) for text in texts])
        points = _points(whole)
    at = np.flatnonzero(points == 0)
    if int(np.diff(at).max(initial=1)) - 1 > max_text:
        whole = joined([text[:max_text] for text in split(whole).tolist()])
        points = _points(whole)
        at = np.flatnonzero(points == 0)
    empty = np.diff(at) == 1
    first, last = points[at[:-1] + 1], points[at[1:] - 1]
    first[empty], last[empty] = 0, 0
    first, last = np.minimum(first, 0xFFFF), np.minimum(last, 0xFFFF)  # beyond: neither
    padded = _WHITE[first] | _WHITE[last]
    for char, entity in escapes:
        if char in whole:
            whole = whole.replace(char, entity)
    return ColumnText(whole[1:-1].split(SEPARATOR), formula_start[first], padded, empty)


def _points(whole: str) -> np.ndarray:
    return np.frombuffer(whole.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _has_controls(points: np.ndarray, texts: int) -> bool:
    """Whether the joined texts hold a control character openpyxl takes out (a NUL among
    them: more NULs than the separators)."""
    below_space = points < 0x20
    if np.count_nonzero(below_space) == texts + 1:  # the separators alone
        return False
    controls = points[below_space]
    nuls = int(np.count_nonzero(controls == 0))
    return nuls != texts + 1 or bool(
        np.count_nonzero(~np.isin(controls, _KEPT_CONTROLS)) - nuls)


def lookup(points: np.ndarray) -> np.ndarray:
    """A table telling the code points of ``points`` (all in the Basic Multilingual Plane)
    from others: ``lookup(p)[np.minimum(q, 0xFFFF)]`` is ``np.isin(q, p)`` for q != 0xFFFF."""
    table = np.zeros(0x10000, dtype=bool)
    table[points] = True
    return table


_WHITE = lookup(WHITE_SPACE)
