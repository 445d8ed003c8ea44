"""Invoice references in free text ("INV 10234", "Invoice #10234", "pembayaran inv10234",
"INV-2026-00123"), found over a whole column at once.

Patterns are regular expressions with a named group ``ref`` (configurable in settings).
They need a keyword or a ``#`` in front of a number, so amounts, dates, account numbers
and bank references in the same memo are never read as invoice numbers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import pandas as pd


@lru_cache(maxsize=32)
def compile_patterns(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    compiled = tuple(re.compile(p, re.IGNORECASE) for p in patterns)
    for pattern in compiled:
        if "ref" not in pattern.groupindex:
            raise ValueError(f"reference pattern needs a named group 'ref': {pattern.pattern}")
    return compiled


def normalize_ref(value: str) -> str:
    """Comparable form of an invoice number or reference: upper case, no blanks, and a
    purely numeric one without leading zeros (``'010908'`` -> ``'10908'``)."""
    text = re.sub(r"\s+", "", str(value)).upper()
    return str(int(text)) if text.isdigit() else text


def normalize_refs(values: pd.Series) -> pd.Series:
    """:func:`normalize_ref` over a column."""
    text = values.astype(str).str.replace(r"\s+", "", regex=True).str.upper()
    numeric = text.str.fullmatch(r"\d+")
    return text.where(~numeric, text.str.lstrip("0").replace("", "0"))


def extract_references(texts: pd.Series, patterns: Sequence[str]) -> pd.DataFrame:
    """Every reference found in ``texts``: a frame ``(row, ref)`` where ``row`` is the
    index label of the text and ``ref`` the normalized reference, in order of appearance,
    each (row, ref) once."""
    found = []
    texts = texts.fillna("").astype(str)
    for pattern in compile_patterns(tuple(patterns)):
        matches = texts.str.extractall(pattern)
        if matches.empty:
            continue
        part = matches[["ref"]].reset_index()
        part = part.rename(columns={part.columns[0]: "row"})
        pairs = zip(part["row"], part["match"], strict=True)
        part["position"] = [_position(texts.loc[row], pattern, n) for row, n in pairs]
        found.append(part[["row", "ref", "position"]])
    if not found:
        return pd.DataFrame({"row": pd.Series(dtype=object), "ref": pd.Series(dtype=object)})
    refs = pd.concat(found, ignore_index=True).dropna(subset=["ref"])
    refs["ref"] = normalize_refs(refs["ref"])
    refs = refs.sort_values(["row", "position"], kind="stable")
    return refs.drop_duplicates(["row", "ref"])[["row", "ref"]].reset_index(drop=True)


def _position(text: str, pattern: re.Pattern[str], n: int) -> int:
    for i, found in enumerate(pattern.finditer(text)):
        if i == n:
            return found.start("ref")
    return 0
