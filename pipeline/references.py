"""Invoice references in free text ("INV 10234", "Invoice #10234", "pembayaran inv10234",
"INV-2026-00123"), found over a whole column at once.

Patterns are regular expressions with a named group ``ref`` (configurable in settings).
They need a keyword or a ``#`` in front of a number, so amounts, dates, account numbers
and bank references in the same memo are never read as invoice numbers.

All patterns run as one regular expression: each pattern becomes one alternative of a
zero-width lookahead, so every pattern is tried at every position of the text and the
matches come out in order of appearance. When every pattern must start with one of a few
characters (a keyword's first letter, ``#``), the positions holding none of them are
skipped by the regex engine itself (:func:`first_chars`). The texts are joined into one
string (``\\x00`` between two texts, a character no pattern matches) and scanned once in
C; only the matches are visited in Python, and each match is given back its text by a
binary search over the texts' start offsets (``numpy.searchsorted``).

With ``lists=True`` a numeric reference may be followed by a list of more numbers of the
same length ("INV 11908 11909", "invoices 11019, 11021", "inv 12287 & 12288"): those come
out with ``listed=True``. They are weaker evidence (the number after a reference may be a
postal code or an account number): the references pass keeps them only when the amount
says so (:func:`pipeline.matching.candidates.confirmed_lists`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache, partial
from re import _constants as _c  # the parse tree of a pattern, to find its first characters
from re import _parser

import numpy as np
import pandas as pd

from pipeline.partitions import MapPartitions, map_rows

_GROUP = re.compile(r"\(\?P<(\w+)>")
_BACKREF = re.compile(r"\(\?P=(\w+)\)")
_SEPARATOR = "\x00"
_BLANKS = re.compile(r"[^\S\x00]+")  # \x00 is no blank to str.split, nor to \s
_LEADING_ZEROS = re.compile(r"(?:(?<=\x00)|^)0+(?=[0-9]+(?:\x00|$))")
# After a reference: more numbers, each after a comma, ampersand, plus, slash, semicolon,
# "and"/"dan"/"und"/"et", or only blanks; each may carry a '#'. A number followed by a
# decimal part ("1110000.00") ends the list.
_LIST_TAIL = (r"(?:(?:\s*[,&+/;]\s*|\s+(?:AND|DAN|UND|ET)\s+|\s+)#?\s?"
              r"\d{3,10}(?![0-9]|[.,]\d))*")


@lru_cache(maxsize=32)
def compile_patterns(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    compiled = tuple(re.compile(p, re.IGNORECASE) for p in patterns)
    for pattern in compiled:
        if "ref" not in pattern.groupindex:
            raise ValueError(f"reference pattern needs a named group 'ref': {pattern.pattern}")
    return compiled


@lru_cache(maxsize=32)
def combined_pattern(patterns: tuple[str, ...], lists: bool = False) -> re.Pattern[str]:
    """One regex trying every pattern at every position: ``(?=(?:P0)|(?:P1)|...)`` with the
    named groups of pattern ``i`` renamed ``<name>_<i>`` (so ``ref`` becomes ``ref_0``...);
    with ``lists``, each pattern is followed by a group ``tail_<i>`` (the listed numbers)."""
    compile_patterns(patterns)  # validates each pattern on its own
    parts = []
    for i, pattern in enumerate(patterns):
        renamed = _GROUP.sub(lambda m, i=i: f"(?P<{m.group(1)}_{i}>", pattern)
        renamed = _BACKREF.sub(lambda m, i=i: f"(?P={m.group(1)}_{i})", renamed)
        tail = f"(?P<tail_{i}>{_LIST_TAIL})" if lists else ""
        parts.append(f"(?:{renamed}){tail}")
    lookahead = "(?=" + "|".join(parts) + ")"
    firsts = first_chars(patterns)
    if firsts:  # a consuming class first lets the regex engine skip the other positions
        lookahead = f"[{re.escape(''.join(sorted(firsts)))}](?<={lookahead}[\\s\\S])"
    return re.compile(lookahead, re.IGNORECASE)


def first_chars(patterns: tuple[str, ...]) -> set[str] | None:
    """The characters every match of some pattern must start with (zero-width assertions
    skipped), or None when a pattern may start with anything (then every position is
    tried). E.g. ``{'I', 'F', 'T', 'R', 'N', '#'}`` for the default patterns."""
    chars: set[str] = set()
    for pattern in patterns:
        try:
            found = _sequence_firsts(list(_parser.parse(pattern, re.IGNORECASE)))
        except (re.error, TypeError, ValueError, AttributeError):
            return None
        if not found:
            return None
        chars |= found
    return chars


def _sequence_firsts(items: list) -> set[str] | None:
    for op, arg in items:
        if op not in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            return _op_firsts(op, arg)
    return None


def _op_firsts(op, arg) -> set[str] | None:  # noqa: ANN001
    if op is _c.LITERAL:
        return {chr(arg)}
    if op is _c.IN:
        chars = [_class_chars(o, a) for o, a in arg]
        return None if None in chars else set().union(*chars)
    if op is _c.SUBPATTERN:
        return _sequence_firsts(list(arg[-1]))
    if op is _c.BRANCH:
        branches = [_sequence_firsts(list(b)) for b in arg[1]]
        return None if None in branches else set().union(*branches)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and arg[0] >= 1:
        return _sequence_firsts(list(arg[2]))
    return None


def _class_chars(op, arg) -> set[str] | None:  # noqa: ANN001
    if op is _c.LITERAL:
        return {chr(arg)}
    if op is _c.RANGE and arg[1] - arg[0] < 256:
        return {chr(c) for c in range(arg[0], arg[1] + 1)}
    return None  # a negated class, \d, \w...: anything may come first


def normalize_ref(value: str) -> str:
    """Comparable form of an invoice number or reference: upper case, no blanks, and a
    purely numeric one without leading zeros (``'010908'`` -> ``'10908'``)."""
    text = "".join(str(value).split()).upper()
    return str(int(text)) if text.isdigit() and text.isascii() else text


def normalize_refs(values: pd.Series) -> pd.Series:
    """:func:`normalize_ref` over a column, as three operations on one string: the values
    joined by ``\x00``, upper-cased, blanks removed, leading zeros of all-digit values
    dropped, split again (pandas' own string methods loop in Python per value here)."""
    if values.empty:
        return values.astype(object)
    joined = _BLANKS.sub("", joined_texts(values.astype(str).tolist(), "").upper())
    joined = _LEADING_ZEROS.sub("", joined)
    return pd.Series(joined.split(_SEPARATOR), index=values.index, dtype=object)


def extract_references(texts: pd.Series, patterns: Sequence[str], *,
                       lists: bool = False) -> pd.DataFrame:
    """Every reference found in ``texts``: a frame ``(row, ref, listed)`` where ``row`` is the
    index label of the text, ``ref`` the normalized reference and ``listed`` whether it was
    read from a list after another reference (only with ``lists``), in order of appearance,
    each (row, ref) once."""
    none = pd.DataFrame({"row": pd.Series(dtype=object), "ref": pd.Series(dtype=object),
                         "listed": pd.Series(dtype=bool)})
    patterns = tuple(patterns)
    if not patterns or texts.empty:
        return none
    found = _scan(texts, combined_pattern(patterns, lists), len(patterns))
    listed = _listed(found) if lists else found.iloc[0:0]
    if len(listed):
        found = _first_reading(pd.concat([found, listed], ignore_index=True))
    found = found[found["ref"].notna()]
    if found.empty:
        return none
    out = pd.DataFrame({"row": texts.index[found["text"].to_numpy()],
                        "ref": normalize_refs(found["ref"]).to_numpy(),
                        "listed": found["listed"].to_numpy(dtype=bool)})
    return out.drop_duplicates(["row", "ref"]).reset_index(drop=True)


def extract_partitioned(texts: pd.Series, patterns: Sequence[str], *, lists: bool = False,
                        map_partitions: MapPartitions | None = None,
                        rows: int | None = None) -> pd.DataFrame:
    """:func:`extract_references` over stable ranges of ``rows`` texts, each through
    ``map_partitions`` (:func:`pipeline.partitions.map_rows`), the results concatenated in
    order: the same frame as one pass (a text's references never depend on another text).
    Without a mapper, or with one partition only, it is that one pass, here."""
    extract = partial(extract_references, patterns=tuple(patterns), lists=lists)
    return map_rows(extract, texts, map_partitions, rows)


def _scan(texts: pd.Series, pattern: re.Pattern[str], n_patterns: int) -> pd.DataFrame:
    """One pass of ``pattern`` over all texts: per match its text's position, its start,
    ``ref`` (the first pattern's group that matched) and ``tail`` (that pattern's list)."""
    values = texts.fillna("").astype(str).tolist()
    joined = joined_texts(values, " ")
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) + 1
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    columns = ["start", *(f"g{k}" for k in range(1, pattern.groups + 1))]
    matches = pd.DataFrame([(m.start(), *m.groups()) for m in pattern.finditer(joined)],
                           columns=columns)
    at = matches["start"].to_numpy(dtype=np.int64)
    names = [(f"ref_{i}", f"tail_{i}") for i in range(n_patterns)]
    return pd.DataFrame({
        "text": np.searchsorted(starts, at, side="right") - 1, "start": at,
        "ref": _first_of(matches, [pattern.groupindex[r] for r, _ in names]),
        "tail": _first_of(matches, [pattern.groupindex.get(t) for _, t in names]),
        "listed": False})


def _first_of(matches: pd.DataFrame, groups: list[int | None]) -> pd.Series:
    """Per match, the first of ``groups`` that took part (one alternative matches at a
    time, so at most one pattern's groups are set)."""
    found = pd.Series(None, index=matches.index, dtype=object)
    for group in groups:
        if group is not None:
            found = found.fillna(matches[f"g{group}"].astype(object))
    return found


def joined_texts(values: list[str], instead: str) -> str:
    """``values`` joined by ``\x00`` (a character no pattern matches); where a value holds
    it itself, it becomes ``instead`` there (a blank for the scan, so every offset stays
    right). ``joined.split("\x00")`` gives the values back (``instead`` where they had it)."""
    joined = _SEPARATOR.join(values)
    if joined.count(_SEPARATOR) == max(len(values) - 1, 0):
        return joined
    return _SEPARATOR.join(v.replace(_SEPARATOR, instead) for v in values)


def _first_reading(found: pd.DataFrame) -> pd.DataFrame:
    """Each number of a text once, as a reference of its own when it is one anywhere in the
    text ("INV 10234 and #10235"), in order of appearance (a list after its reference)."""
    once = found.sort_values(["text", "listed", "start"], kind="stable").drop_duplicates(
        ["text", "ref"])
    return once.sort_values(["text", "start", "listed"], kind="stable")


def _listed(found: pd.DataFrame) -> pd.DataFrame:
    """The numbers listed after a numeric reference, of its length (not its amount, year or
    account number), as rows like ``found``'s with ``listed=True``."""
    with_tail = found[found["tail"].fillna("").ne("")]
    head = with_tail["ref"].fillna("").str.strip()
    numbers = with_tail.loc[head.str.fullmatch(r"\d+"), "tail"].str.findall(r"\d+").explode()
    numbers = numbers.dropna()
    if numbers.empty:
        return found.iloc[0:0]
    same = numbers.str.len().to_numpy() == head[numbers.index].str.len().to_numpy()
    listed = found.loc[numbers.index[same]].assign(ref=numbers[same].to_numpy(), listed=True)
    return listed
