"""A bank CSV's transactions gathered column-wise into a
:class:`~pipeline.record_frames.RecordFrame` of :class:`~pipeline.models.BankTransaction`:
the fields :class:`parsers.bank_csv_reader.StatementReader` reads for each row (already what
the model holds: a normalised currency, dates, minor units, texts), its natural key and line,
with no pydantic object per row; iterating the frame gives the frozen records."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from parsers.bank_csv_profiles import FORMAT
from parsers.base import SourceFile
from pipeline.identity import stated_key
from pipeline.models import BankTransaction
from pipeline.record_frames import ORIGIN_FIELDS, RecordFrame

FIELDS = tuple(n for n in BankTransaction.model_fields if n != "origin")


class Move(NamedTuple):
    """What the statement checks read of a transaction."""

    currency: str
    amount_minor: int


class TransactionRows:
    """Transactions added one by one (fields, natural key, line), kept as columns."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.keys: list[str] = []
        self.lines: list[int] = []

    def add(self, fields: dict, key: str, line: int) -> None:
        self.rows.append(fields)
        self.keys.append(key)
        self.lines.append(line)

    @property
    def columns(self) -> dict[str, list]:
        return {name: self.keys if name == "natural_key" else [r[name] for r in self.rows]
                for name in FIELDS}

    def moves(self) -> list[Move]:
        return [Move(r["currency"], r["amount_minor"]) for r in self.rows]

    def records(self, source: SourceFile) -> list[BankTransaction]:
        """The frozen records, one built per row (the per-record path the frame is checked
        against)."""
        return [BankTransaction(**fields, natural_key=key,
                                origin=source.origin(FORMAT, line, stated_key(key)))
                for fields, key, line in zip(self.rows, self.keys, self.lines, strict=True)]

    def frame(self, source: SourceFile) -> RecordFrame:
        return transaction_frame(source, self.columns, self.keys, self.lines)


def transaction_frame(source: SourceFile, columns: dict[str, list], keys: list[str],
                      lines: list[int]) -> RecordFrame:
    """The transactions (``columns``: the model's fields but ``natural_key`` and ``origin``,
    one value per row) with their natural keys and lines, as a frame."""
    count = len(lines)
    own = {name: keys if name == "natural_key" else columns[name] for name in FIELDS}
    origin = {"source_file": [source.name] * count,
              "source_sha256": [source.sha256] * count,
              "source_format": [FORMAT] * count, "source_line": lines,
              "source_ref": [None if k[:2] == "h:" else k for k in keys]}
    columns = {**own, **{name: origin[name] for name in ORIGIN_FIELDS}}
    frame = pd.DataFrame({name: pd.Series(values, dtype=object)
                          for name, values in columns.items()})
    if count:
        frame["amount_minor"] = _integers(frame["amount_minor"])
    return RecordFrame(BankTransaction, frame)


def _integers(values: pd.Series) -> pd.Series:
    """Whole numbers as ``int64`` when every one fits, else Python ints as they are."""
    try:
        return values.astype("int64")
    except (OverflowError, TypeError, ValueError):
        return values
