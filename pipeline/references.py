"""Invoice references in free text ("INV 10234", "Invoice #10234", "pembayaran inv10234",
"INV-2026-00123"), found over a whole column at once.

Patterns are regular expressions with a named group ``ref`` (configurable in settings).
They need a keyword or a ``#`` in front of a number, so amounts, dates, account numbers
and bank references in the same memo are never read as invoice numbers.

All patterns run as one ``str.extractall`` over the column: each pattern becomes one
alternative of a zero-width lookahead, so every pattern is tried at every position of the
text and the matches come out in order of appearance, with no Python loop per text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import pandas as pd

_GROUP = re.compile(r"\(\?P<(\w+)>")
_BACKREF = re.compile(r"\(\?P=(\w+)\)")


@lru_cache(maxsize=32)
def compile_patterns(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    compiled = tuple(re.compile(p, re.IGNORECASE) for p in patterns)
    for pattern in compiled:
        if "ref" not in pattern.groupindex:
            raise ValueError(f"reference pattern needs a named group 'ref': {pattern.pattern}")
    return compiled


@lru_cache(maxsize=32)
def combined_pattern(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regex trying every pattern at every position: ``(?=(?:P0)|(?:P1)|...)`` with the
    named groups of pattern ``i`` renamed ``<name>_<i>`` (so ``ref`` becomes ``ref_0``...)."""
    compile_patterns(patterns)  # validates each pattern on its own
    parts = []
    for i, pattern in enumerate(patterns):
        renamed = _GROUP.sub(lambda m, i=i: f"(?P<{m.group(1)}_{i}>", pattern)
        parts.append("(?:" + _BACKREF.sub(lambda m, i=i: f"(?P={m.group(1)}_{i})", renamed)
                     + ")")
    return re.compile("(?=" + "|".join(parts) + ")", re.IGNORECASE)


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
    none = pd.DataFrame({"row": pd.Series(dtype=object), "ref": pd.Series(dtype=object)})
    patterns = tuple(patterns)
    if not patterns or texts.empty:
        return none
    texts = texts.fillna("").astype(str)
    matches = texts.str.extractall(combined_pattern(patterns))
    refs = [f"ref_{i}" for i in range(len(patterns))]
    if matches.empty:
        return none
    found = matches[refs[0]]
    for name in refs[1:]:  # one column per pattern: the alternative that matched
        found = found.fillna(matches[name])
    found = found.dropna()
    if found.empty:
        return none
    out = pd.DataFrame({"row": found.index.get_level_values(0),
                        "ref": normalize_refs(found).to_numpy()})
    return out.drop_duplicates(["row", "ref"]).reset_index(drop=True)
