"""Records of one model held column-wise: what a frame-reading parser hands the store.

A :class:`RecordFrame` is a read-only sequence of domain records (:mod:`pipeline.models`)
kept as a DataFrame: one column per field of the model (but ``origin``) plus the
:class:`~pipeline.models.Origin` fields. The store takes its columns as they are, with no
per-row pydantic object; anything else that iterates it or indexes it gets the frozen
records themselves, built (and validated) on demand, so the models stay the contract.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd

from pipeline.models import Origin, Record

ORIGIN_FIELDS = tuple(Origin.model_fields)


class _AsList(Sequence):
    """Equal to any sequence of the same records; unhashable, as a list."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment] - mutable-looking, as a list


@dataclass(frozen=True, eq=False)
class RecordFrame(_AsList):
    """Records of ``model`` in ``frame`` (a row per record, in file order; columns: the
    model's fields but ``origin``, then :data:`ORIGIN_FIELDS`). Equal to any sequence of
    the same records."""

    model: type[Record]
    frame: pd.DataFrame

    def __post_init__(self) -> None:
        missing = [name for name in self.names() if name not in self.frame.columns]
        if missing:
            raise ValueError(f"a {self.model.__name__} frame lacks {', '.join(missing)}")

    def names(self) -> tuple[str, ...]:
        """The frame's columns, in order: the model's fields, then the origin's."""
        own = tuple(name for name in self.model.model_fields if name != "origin")
        return (*own, *ORIGIN_FIELDS)

    def __len__(self) -> int:
        return len(self.frame)

    def __getitem__(self, position):  # noqa: ANN001, ANN204 - int or slice, as a list
        if isinstance(position, slice):
            return list(self)[position]
        return self._record(self.frame.iloc[position].to_dict())

    def __iter__(self) -> Iterator[Record]:
        names = self.names()
        for row in self.frame[list(names)].itertuples(index=False, name=None):
            yield self._record(dict(zip(names, row, strict=True)))

    def __repr__(self) -> str:
        return f"RecordFrame({self.model.__name__}, {len(self)} records)"

    def column(self, name: str) -> list:
        """One column as plain Python values (numpy scalars unboxed, NaN never produced)."""
        return self.frame[name].tolist()

    def take(self, positions: Sequence[int]) -> RecordFrame:
        """The records at ``positions`` (row positions, in that order)."""
        return RecordFrame(self.model, self.frame.iloc[list(positions)].reset_index(drop=True))

    def _record(self, row: dict) -> Record:
        origin = Origin(**{name: _plain(row.pop(name)) for name in ORIGIN_FIELDS})
        return self.model(**{k: _plain(v) for k, v in row.items()}, origin=origin)


def _plain(value: object) -> object:
    """numpy scalars as Python ones (``int64`` -> ``int``), anything else unchanged."""
    item = getattr(value, "item", None)
    return item() if item is not None and type(value).__module__ == "numpy" else value


@dataclass(frozen=True, eq=False)
class RecordGroups(_AsList):
    """Records of several kinds in order, part after part: each part a
    :class:`RecordFrame` or a list of records (a bank statement's transactions as a frame,
    then the few balances it states). Equal to any sequence of the same records."""

    parts: tuple[Sequence, ...]

    def __len__(self) -> int:
        return sum(map(len, self.parts))

    def __getitem__(self, position):  # noqa: ANN001, ANN204 - int or slice, as a list
        if isinstance(position, slice):
            return list(self)[position]
        index = position + len(self) if position < 0 else position
        for part in self.parts:
            if 0 <= index < len(part):
                return part[index]
            index -= len(part)
        raise IndexError(position)

    def __iter__(self) -> Iterator[Record]:
        for part in self.parts:
            yield from part

    def __repr__(self) -> str:
        return f"RecordGroups({', '.join(map(repr, self.parts))})"

    def source_lines(self) -> list:
        """Every record's ``source_line``, in order (frames read as columns)."""
        return [line for part in self.parts for line in (
            part.column("source_line") if isinstance(part, RecordFrame)
            else [r.origin.source_line for r in part if hasattr(r, "origin")])]


_PAUSE = threading.Lock()
_pauses = [0, False]  # open pauses, and whether the collector was on before the first


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a file's records are built or written
    column-wise: such work makes hundreds of thousands of lists, tuples and strings and no
    reference cycles, and each collection it triggers would walk every live object (the
    records read so far), a cost per record that grows with the file. Nested and concurrent
    pauses are counted: the collector is back as it was when the last one ends."""
    with _PAUSE:
        if _pauses[0] == 0:
            _pauses[1] = gc.isenabled()
            gc.disable()
        _pauses[0] += 1
    try:
        yield
    finally:
        with _PAUSE:
            _pauses[0] -= 1
            if _pauses[0] == 0 and _pauses[1]:
                gc.enable()


def collect_young() -> None:
    """A collection of the youngest generation only, inside a :func:`collector_paused` read
    of a format whose library makes reference cycles (a parse tree per OFX piece, per MT940
    statement): the cycles of the part just read are freed, so memory stays bounded, at the
    cost of walking only what was made since the last such call, never every live object."""
    gc.collect(0)
