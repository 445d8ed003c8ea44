"""CSV lines from whole columns of text: exactly what Python's ``csv.writer`` (minimal
quoting, ``\\n`` line ends) writes for the same rows, without a Python step per row.

A field is quoted (its quote characters doubled) when it holds a character the csv module
quotes for; which characters those are is asked of the csv module itself once, so the text
stays the module's whatever the Python version. Each column is looked at whole first: most
columns (amounts, dates, codes) hold none of them, and are used as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from itertools import repeat

import numpy as np
import pandas as pd

LINE_END = "\n"
CHUNK_ROWS = 100_000  # lines joined into one string at a time: memory stays flat


def _quoted_characters() -> tuple[str, ...]:
    """The ASCII characters that make ``csv.writer`` quote a field (its own answer)."""
    found = []
    for code in range(128):
        field = f"a{chr(code)}b"
        line = io.StringIO()
        csv.writer(line, lineterminator=LINE_END).writerow([field, "x"])
        if line.getvalue() != f"{field},x{LINE_END}":
            found.append(chr(code))
    return tuple(found)


QUOTED = _quoted_characters()


def header_line(names: Sequence[str]) -> str:
    """The header row as ``csv.writer`` writes it."""
    line = io.StringIO()
    csv.writer(line, lineterminator=LINE_END).writerow([str(name) for name in names])
    return line.getvalue()


def csv_fields(text: np.ndarray) -> np.ndarray:
    """A column of ``str`` as CSV fields: quoted where ``csv.writer`` quotes."""
    whole = "".join(text.tolist())
    if not any(char in whole for char in QUOTED):
        return text
    fields = text.tolist()
    risky = np.zeros(len(text), dtype=bool)
    for char in QUOTED:
        if char in whole:
            risky |= np.fromiter(map(str.__contains__, fields, repeat(char)), dtype=bool,
                                 count=len(fields))
    out = text.copy()
    doubled = pd.Series(text[risky], dtype=object).str.replace('"', '""', regex=False)
    out[risky] = '"' + doubled.to_numpy(dtype=object) + '"'
    return out


def csv_lines(columns: list[np.ndarray]) -> Iterator[str]:
    """The rows of ``columns`` (object arrays of ``str``, one per column) as CSV text,
    CHUNK_ROWS lines at a time."""
    rows = len(columns[0]) if columns else 0
    if len(columns) == 1:  # a lone empty field is written quoted: the csv module's own rule
        for start in range(0, rows, CHUNK_ROWS):
            out = io.StringIO()
            csv.writer(out, lineterminator=LINE_END).writerows(
                [value] for value in columns[0][start:start + CHUNK_ROWS].tolist())
            yield out.getvalue()
        return
    fields = [csv_fields(column) for column in columns]
    for start in range(0, rows, CHUNK_ROWS):
        part = [column[start:start + CHUNK_ROWS].tolist() for column in fields]
        yield LINE_END.join(map(",".join, zip(*part, strict=True))) + LINE_END
