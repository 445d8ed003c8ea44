"""Whole-column text work for :mod:`reports.sheet_xml`: a column's strings joined into one
string, changed there by ``str`` methods (C speed) and split again, and numbers trimmed by
``numpy.strings``, instead of one Python step per cell.

Texts are joined with NUL, a character no cell text keeps (openpyxl removes it with the
other control characters); each text's first and last characters are read from the joined
string's code points at the separators.
"""

from __future__ import annotations

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


def concatenated(*parts: object) -> list[str]:
    """Row by row concatenation of ``parts`` (arrays or lists of ``str`` of one length, or
    single ``str`` used on every row), in one ``str.join`` per row."""
    columns = [repeat(part) if isinstance(part, str) else part for part in parts]
    return list(map("".join, zip(*columns, strict=False)))  # single strs repeat
