"""A SELECT straight into columns: the DB-API cursor's tuples, no ``Row`` per row.

SQLAlchemy compiles and executes the query (parameters, ``IN`` lists); the rows are then read
from the DB-API cursor in big batches, moved into one list per column, and each column is
converted once: the column type's own result processor (SQLite's dates and booleans are text
and integers on the wire) is called once per distinct value, and the column becomes a numpy
array or a ``str``/object Series. The values and dtypes are those of ``Row`` objects put
through :func:`pipeline.store.reads.series`; a day is one shared ``datetime.date`` object.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
from sqlalchemy import Column, Connection, Select, Table

BATCH = 100_000  # rows per fetchmany: bounds the transient row tuples
SAMPLE = 1_000  # values looked at to tell a column of few distinct texts
_NUMPY = {"int": np.int64, "bool": np.bool_, "float": np.float64}
_STR = pd.Series([], dtype="str").dtype


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Millions of fresh tuples and strings would start the cyclic collector over and over
    (none of them can form a cycle): keep it off for the read."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def fetch_frame(conn: Connection, query: Select, spec: dict[str, str],
                by_day: tuple[str, str] | None = None) -> pd.DataFrame:
    """``query``'s rows (its columns in ``spec`` order) as a frame with ``spec``'s dtypes;
    ``by_day`` (a NOT NULL date column, a unique int column): rows sorted by the two, as
    ORDER BY would, column by column here (the database need not sort, nor a frame be
    copied)."""
    plain = all(isinstance(source, Table) for source in query.get_final_froms())  # no join
    nullable = [not plain or _nullable(column) for column in query.selected_columns]
    with no_cyclic_gc():
        columns, processors = _fetch_columns(conn, query, len(spec))
        for at, (process, kind) in enumerate(zip(processors, spec.values(), strict=True)):
            columns[at] = _processed(columns[at], process, kind)  # the driver's list let go
        order = _day_order(columns, list(spec), by_day) if by_day else None
        data = {}
        for (name, kind), null in zip(spec.items(), nullable, strict=True):
            values = columns.pop(0)
            if order is not None:
                values = object_array(values)[order].tolist()
            data[name] = column_series(values, kind, nullable=null)
        return pd.DataFrame(data, copy=False)


def _day_order(columns: list[list], names: list[str],
               by_day: tuple[str, str]) -> np.ndarray | None:
    """Row positions by (day, id); None when the rows are in that order already."""
    days, ids = (columns[names.index(name)] for name in by_day)
    codes, distinct = pd.factorize(object_array(days))  # NOT NULL: no code is -1
    ordinal = np.array([day.toordinal() for day in distinct], dtype=np.int64)
    order = np.lexsort((np.array(ids, dtype=np.int64), ordinal[codes]))
    return None if (order == np.arange(len(order))).all() else order


def object_array(values: list) -> np.ndarray:
    """``values`` as a 1-d object array (each value one cell, whatever it is)."""
    cells = np.empty(len(values), dtype=object)
    cells[:] = values
    return cells


def _nullable(column) -> bool:  # noqa: ANN001
    """False for a NOT NULL table column (also labelled): selected from its table alone (an
    outer join could add NULLs), its values need no None check."""
    element = getattr(column, "element", column)
    return not (isinstance(element, Column) and element.nullable is False)


def _fetch_columns(conn: Connection, query: Select,
                   width: int) -> tuple[list[list], list[Callable | None]]:
    """Every row of ``query``, as one list per column (the row tuples are dropped batch by
    batch), and each column's result processor."""
    result = conn.execute(query)
    columns: list[list] = [[] for _ in range(width)]
    try:
        cursor = result.cursor
        processors = [_processor(conn, column.type, described[1]) for column, described
                      in zip(query.selected_columns, cursor.description, strict=True)]
        while batch := cursor.fetchmany(BATCH):
            for column, values in zip(columns, zip(*batch, strict=True), strict=True):
                column.extend(values)
            del batch
    finally:
        result.close()
    return columns, processors


def _processor(conn: Connection, type_, coltype: object) -> Callable | None:  # noqa: ANN001
    """What SQLAlchemy would call on each value of a column of ``type_`` (``coltype``: the
    DB-API's type code of the column)."""
    dialect = conn.dialect
    return type_.dialect_impl(dialect).result_processor(dialect, coltype)


def _processed(values: list, process: Callable | None, kind: str) -> list:
    """``[process(v) for v in values]``, once per distinct value; days are always shared
    objects (a month has a few dozen distinct days), and so are the texts of a column that
    repeats a few values (:func:`_shared`)."""
    if process is None and kind in ("text", "opt"):
        shared = _shared(values)
        return compact(values) if shared is values and kind == "text" else shared
    if process is None and kind != "date":
        return values
    process = process or (lambda value: value)
    return _each_distinct(values, process)


def _shared(values: list) -> list:
    """The driver makes a new ``str`` per cell: a column of few distinct values (currency,
    status, rule, reason, file name) gets one object per value instead, judged on its first
    SAMPLE values. Equal values, less memory."""
    if len(values) <= SAMPLE or len(set(values[:SAMPLE])) > SAMPLE // 20:
        return values
    return _each_distinct(values, lambda value: value)


def compact(values: list) -> list:
    """The texts of a column of many distinct ones made again one after the other (joined,
    then split in C): the driver made each next to the other cells of its row, so reading
    the column later (hashing, comparing) would touch memory all over; equal values. Left
    as they are when one is None or holds the separator."""
    if len(values) <= SAMPLE:
        return values
    try:
        parts = "\x00".join(values).split("\x00")
    except TypeError:  # a None (a nullable column)
        return values
    return parts if len(parts) == len(values) else values


def _each_distinct(values: list, process: Callable) -> list:
    """``[process(v) for v in values]``, ``process`` called once per distinct value (the
    driver's values: ``None`` is the only missing one), equal values sharing one result."""
    codes, distinct = pd.factorize(object_array(values))  # None: -1, the last result
    missing = process(None) if (codes < 0).any() else None
    done = object_array([*map(process, distinct.tolist()), missing])
    return done[codes].tolist()


def column_series(values: list, kind: str, *, nullable: bool = True) -> pd.Series | np.ndarray:
    """One column's values (Python objects, as the driver gave them) in ``kind``'s dtype;
    ``nullable`` False: no value is None."""
    if kind == "text":
        if nullable and values.count(None):
            values = ["" if v is None else v for v in values]
        return pd.Series(values, dtype=_STR)
    if kind in _NUMPY:
        return np.array(values, dtype=_NUMPY[kind])
    cells = np.empty(len(values), dtype=object)
    cells[:] = values
    return pd.Series(cells, dtype=object, copy=False)  # a bare object array would become str
