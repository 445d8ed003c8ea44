"""Hard limits on input, checked before any conversion, so that one absurd line or value
is a reject with a clear reason and never a crash or an unbounded cost.

Amount digits and length are checked in :func:`pipeline.money.check_amount_size` (every
amount goes through it). A CSV row longer than :data:`MAX_LINE_CHARS` is a reject
(:func:`parsers.csvspec.too_long`); the rest of its file is read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from pipeline.models import InputRecord, Reject
from pipeline.record_frames import RecordFrame, RecordGroups

MAX_LINE_CHARS = 256 * 1024  # one JSON Lines ticket, message included, is a few KB
MAX_JSON_DEPTH = 32  # a WHMCS ticket object nests four levels
REJECT_SAMPLE_ROWS = 200  # a file whose first this many data rows are all rejected is junk

# A JSON string (an escape pair at a time: the loop unrolled, one pass over long strings).
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_NESTING = re.compile(r"[^\[\]{}]+")


def json_depth(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest (brackets in strings ignored)."""
    if "\\" not in text:  # no escapes: each string runs from a quote to the next one
        return _depth_without_escapes(text)
    brackets = _NOT_NESTING.sub("", _JSON_STRING.sub("", text)).encode("ascii")
    return _deepest(np.frombuffer(brackets, dtype=np.uint8))


_NOT_MARKS = bytes(b for b in range(256) if chr(b) not in '"[]{}')


def _depth_without_escapes(text: str) -> int:
    """:func:`json_depth` of a text without a backslash, by array operations on its quotes
    and brackets alone (every other byte dropped first, in C): quotes pair up in order (a
    last unpaired one opens no string), brackets between a pair are text."""
    data = text.encode("utf-8", "surrogatepass").translate(None, _NOT_MARKS)
    if data.count(b'"') % 2:  # the last quote opens no string: drop it
        last = data.rindex(b'"')
        data = data[:last] + data[last + 1:]
    # two quotes with nothing between: dropping them changes no bracket's count of quotes
    # before it by an odd number (most strings go here)
    codes = np.frombuffer(data.replace(b'""', b""), dtype=np.uint8)
    is_quote = codes == ord('"')
    in_string = np.cumsum(is_quote)[~is_quote] % 2 == 1  # odd number of quotes before
    return _deepest(codes[~is_quote][~in_string])


def _deepest(brackets: np.ndarray) -> int:
    """The deepest nesting of a sequence of bracket characters (as bytes)."""
    if not len(brackets):
        return 0
    steps = np.where((brackets == ord("[")) | (brackets == ord("{")), 1, -1)
    return max(0, int(np.cumsum(steps).max()))


def json_line_problem(text: str) -> str | None:
    """Why one JSON Lines line is past the hard limits (length, nesting), or ``None``."""
    if len(text) > MAX_LINE_CHARS:
        return (f"line of {len(text)} characters is longer than the {MAX_LINE_CHARS} "
                "a line may have")
    if text.count("{") + text.count("[") <= MAX_JSON_DEPTH:
        return None  # it cannot nest deeper than it has brackets
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        return f"JSON nested {depth} deep is deeper than the {MAX_JSON_DEPTH} a line may nest"
    return None


def junk(fmt: str, rejects: Sequence[Reject]) -> str:
    """The refusal of a file whose first :data:`REJECT_SAMPLE_ROWS` data rows were all
    rejected: it is not this format at all, and storing each of its rows as a reject would
    only flood the store. One line, with the first rows as samples."""
    samples = "; ".join(f"line {r.source_line}: {_short(r.raw, 60)!r} ({_short(r.reason, 80)})"
                        for r in rejects[:3])
    return (f"not a {fmt} statement: its first {len(rejects)} data rows were all rejected, "
            f"e.g. {samples}")


def junk_start(records: Sequence[InputRecord], rejects: Sequence[Reject]) -> list[Reject] | None:
    """The rejects of the first :data:`REJECT_SAMPLE_ROWS` data lines when every one of
    them was rejected (no record on those lines), else ``None``. Only for files whose
    records and rejects all carry their line."""
    if len(rejects) < REJECT_SAMPLE_ROWS:
        return None
    if isinstance(records, RecordFrame):
        kept = records.column("source_line")
    elif isinstance(records, RecordGroups):
        kept = records.source_lines()
    else:
        kept = [r.origin.source_line for r in records if hasattr(r, "origin")]
    lines = [r.source_line for r in rejects]
    if None in kept or None in lines:
        return None
    first = sorted(rejects, key=lambda r: r.source_line or 0)[:REJECT_SAMPLE_ROWS]
    last = first[-1].source_line or 0
    if any(line <= last for line in kept):
        return None
    return first


def _short(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
