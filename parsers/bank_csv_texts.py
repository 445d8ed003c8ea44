"""A bank CSV's rows as field texts, a column at a time, and which rows are certainly
transactions (no summary line can be one of them).

:func:`field_texts` gives, per field of the layout, each row's text exactly as
:meth:`parsers.bank_csv_reader.StatementReader._raw` reads it (the first non-empty cell
among the field's columns, stripped, Excel's ``'`` text mark dropped but from the verbatim
fields); :func:`plain_rows` the rows whose date cells are written with a leading digit and that
hold money, which :func:`parsers.bank_csv_summary.split_rows` always keeps as transactions.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from itertools import repeat, zip_longest

import numpy as np

from parsers.bank_csv_summary import MONEY_FIELDS
from parsers.csvspec import CsvRecord

DIGITS = tuple("0123456789")


def position_texts(records: Sequence[CsvRecord], positions: Collection[int]) -> dict[int, list]:
    """The stripped text of each cell at ``positions``, per row (``''`` past a short row)."""
    wanted = sorted(set(positions))
    if not wanted or not records:
        return {p: [""] * len(records) for p in wanted}
    width = wanted[-1] + 1
    cells = [r.cells for r in records]
    if min(map(len, cells)) >= width:
        columns = list(zip(*cells, strict=False))
    else:
        columns = list(zip_longest(*cells, fillvalue=""))
        columns += [("",) * len(cells)] * max(0, width - len(columns))
    return {p: list(map(str.strip, columns[p])) for p in wanted}


def field_texts(records: Sequence[CsvRecord], where: Mapping[str, tuple[int, ...]],
                verbatim: Collection[str]) -> tuple[dict[str, list], dict[int, list]]:
    """Per field name, every row's text as ``StatementReader._raw`` gives it; and the
    stripped texts by column position they came from."""
    cells = position_texts(records, [p for found in where.values() for p in found])
    texts = {}
    for name, found in where.items():
        values = cells[found[0]]
        for later in found[1:]:
            values = [v or cells[later][i] for i, v in enumerate(values)]
        if name not in verbatim and "\n'" in "\n" + "\n".join(values):  # one may start with '
            values = [v[1:].strip() if v[:1] == "'" else v for v in values]
        texts[name] = values
    return texts, cells


def plain_rows(texts: Mapping[str, list], cells: Mapping[int, list],
               date_at: Sequence[int], count: int) -> np.ndarray:
    """Rows that are transactions whatever the summary rules say: a date cell is filled, every
    filled date cell starts with a digit (so no summary label sits where the date is, nor
    first on the row), and the row holds money (an amount, a debit or a credit)."""
    plain = np.zeros(count, dtype=bool)
    if not date_at or not count:
        return plain
    dated = np.zeros(count, dtype=bool)
    digits = np.ones(count, dtype=bool)
    for p in date_at:
        filled = np.fromiter(map(bool, cells[p]), dtype=bool, count=count)
        starts = np.fromiter(map(str.startswith, cells[p], repeat(DIGITS)), dtype=bool,
                             count=count)
        dated |= filled
        digits &= ~filled | starts
    money = np.zeros(count, dtype=bool)
    for name in MONEY_FIELDS:
        if name in texts:
            money |= np.fromiter(map(bool, texts[name]), dtype=bool, count=count)
    return dated & digits & money
