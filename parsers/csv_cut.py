"""A CSV file cut inside its last row, and rows too long to read: rejects, never rows.

For the CSV parsers that read records themselves (bank CSV, BTCPay, tickets CSV); the ones
that read through :func:`parsers.csvspec.read_table` get the same from
:func:`parsers.csvspec.truncation`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter

from parsers.csvspec import CsvRecord, long_reason, too_long
from parsers.limits import MAX_LINE_CHARS


def cut_last(records: Sequence[CsvRecord], width: int, content: str) -> CsvRecord | None:
    """The last record when the file was cut inside it, else ``None``: the file ends
    without a line break inside a quoted field it never closes, or inside a record with
    fewer than the header's ``width`` fields. Such a record is never read as a row: a cut
    amount would be a wrong amount."""
    last = records[-1] if records else None
    if last is None or last.line <= 1 or content.endswith(("\n", "\r")):
        return None
    unclosed = last.raw.count('"') % 2 == 1
    return last if unclosed or len(last.cells) < width else None


def cut_reason(record: CsvRecord, width: int) -> str:
    """The reject reason (and warning) of a record :func:`cut_last` found."""
    return (f"truncated: the file ends inside its last row (line {record.line}, "
            f"{len(record.cells)} of the header's {width} fields); the file was cut short")


def without_cut(records: list[CsvRecord], width: int, content: str,
                reject: Callable[..., object]) -> tuple[list[CsvRecord], list, list[str]]:
    """``records`` without a cut last record (:func:`cut_last`) and without records too long
    to read (:func:`too_long`), with their rejects and the cut's warning (all empty for a
    whole file). ``reject`` is
    :meth:`parsers.base.SourceFile.reject` bound to the format."""
    cut = cut_last(records, width, content)
    longest = max(map(len, map(itemgetter(2), records)), default=0)  # the raw texts
    long = [r for r in records if len(r.raw) > MAX_LINE_CHARS and r is not cut
            and too_long(r)] if longest > MAX_LINE_CHARS else []
    rejects = [reject(long_reason(r), r.line, None, r.raw) for r in long]
    if not long and cut is None:
        return records, [], []
    skipped = {id(r) for r in long} | ({id(cut)} if cut is not None else set())
    kept = [r for r in records if id(r) not in skipped]
    if cut is None:
        return kept, rejects, []
    reason = cut_reason(cut, width)
    return kept, [*rejects, reject(reason, cut.line, None, cut.raw)], [reason]
