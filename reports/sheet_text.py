"""Whole-column text work for :mod:`reports.sheet_xml`: a column's strings joined into one
string, changed there by ``str``/``re`` (C speed), and split again, instead of one Python
step per cell.

Texts of a cell are joined with NUL, a character no cell text keeps (openpyxl removes it
with the other control characters), so a match next to a NUL names its row.
"""

from __future__ import annotations

import re
from itertools import repeat

import numpy as np

SEPARATOR = "\x00"
_LEADING_SPACE = re.compile(r"\x00(?=\s)")  # \s is str.isspace's white space
_TRAILING_SPACE = re.compile(r"(?<=\s)\x00")
_NUMBER_END = "\n"
_TRAILING_ZEROS = re.compile(r"(\.\d*?)0+(?=\n)")
_BARE_POINT = re.compile(r"\.(?=\n)")


def starts(texts: list[str]) -> np.ndarray:
    """Where each text's separator stands in :func:`joined` (one more: the last one)."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    return np.concatenate([[0], np.cumsum(lengths + 1)])


def joined(texts: list[str]) -> str:
    """The texts between separators: ``\\0a\\0b\\0``."""
    return SEPARATOR + SEPARATOR.join(texts) + SEPARATOR


def rows_starting_with(whole: str, at: np.ndarray, pattern: re.Pattern) -> np.ndarray:
    """Rows whose text starts with what ``pattern`` (``\\x00`` then a class) matches."""
    found = np.fromiter((m.start() for m in pattern.finditer(whole)), dtype=np.int64)
    return np.searchsorted(at, found)


def padded(whole: str, at: np.ndarray, rows: int) -> np.ndarray:
    """Each text that starts or ends with white space (``t != t.strip()``)."""
    out = np.zeros(rows, dtype=bool)
    out[np.searchsorted(at, [m.start() for m in _LEADING_SPACE.finditer(whole)])] = True
    ends = np.searchsorted(at, [m.start() for m in _TRAILING_SPACE.finditer(whole)]) - 1
    out[ends] = True
    return out


def split(whole: str) -> np.ndarray:
    """The texts of a :func:`joined` string again (an object array)."""
    return np.array(whole[1:-1].split(SEPARATOR), dtype=object)


def plain_numbers(numbers: list[str]) -> np.ndarray:
    """``1500.50`` -> ``1500.5``, ``7.00`` -> ``7`` (no trailing zeros after a point, no bare
    point), as :func:`reports.sheet_xml._plain` does one number at a time."""
    text = _NUMBER_END.join(numbers) + _NUMBER_END
    if "." in text:
        text = _BARE_POINT.sub("", _TRAILING_ZEROS.sub(r"\1", text))
    return np.array(text[:-1].split(_NUMBER_END), dtype=object)


def concatenated(*parts: object) -> list[str]:
    """Row by row concatenation of ``parts`` (arrays or lists of ``str`` of one length, or
    single ``str`` used on every row), in one ``str.join`` per row."""
    columns = [repeat(part) if isinstance(part, str) else part for part in parts]
    return list(map("".join, zip(*columns, strict=False)))  # single strs repeat
