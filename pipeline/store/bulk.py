"""Bulk writes of columns: ``executemany`` on SQLite, ``COPY`` through psycopg on PostgreSQL.

Both run on the caller's connection, inside its transaction. Columns are
``{column name: [values]}`` (:mod:`pipeline.store.rows`); on SQLite the values go through the
column types' own bind processors (dates as SQLAlchemy stores them), column by column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import Connection, Table

BATCH = 50_000  # rows per executemany / COPY: bounds the transient tuples of a big file
SQLITE_VARIABLES = 999  # bound values per statement: SQLite's limit before 3.32


def insert_all(conn: Connection, table: Table, columns: dict[str, list]) -> None:
    """Insert every row."""
    for batch in _batches(columns):
        if conn.dialect.name == "postgresql":
            _copy(conn, table.name, [*batch], zip(*batch.values(), strict=True))
        else:
            _executemany(conn, table, batch, "")


def insert_ignoring(conn: Connection, table: Table, columns: dict[str, list]) -> int:
    """Insert the rows whose unique key is not stored yet (nor earlier among these rows);
    returns how many were inserted. A row a concurrent writer stored meanwhile is skipped
    too (``ON CONFLICT DO NOTHING``), and rows keep their order (ids follow the file)."""
    inserted = 0
    for batch in _batches(columns):
        if conn.dialect.name == "postgresql":
            inserted += _copy_ignoring(conn, table, batch)
        else:
            inserted += _executemany(conn, table, batch, " ON CONFLICT DO NOTHING")
    return inserted


def _length(columns: dict[str, list]) -> int:
    return len(next(iter(columns.values()), []))


def _batches(columns: dict[str, list]) -> Iterable[dict[str, list]]:
    total = _length(columns)
    for start in range(0, total, BATCH):
        yield {name: values[start:start + BATCH] for name, values in columns.items()}


def _executemany(conn: Connection, table: Table, columns: dict[str, list], suffix: str) -> int:
    """Plain INSERTs of many rows each (fewer statements to step through than one per row)
    by ``executemany`` on the DB-API cursor; returns rows changed. A row is inserted after
    the rows before it, as with one statement per row. The statements' parameters are cut
    from one flat row-major list, filled a column at a time (no tuple per cell)."""
    dialect, quote = conn.dialect, conn.dialect.identifier_preparer.quote
    width, total = len(columns), _length(columns)
    flat: list = [None] * (total * width)
    for j, (name, values) in enumerate(columns.items()):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        flat[j::width] = values if process is None else _each_distinct(process, values)
    per_statement = max(1, SQLITE_VARIABLES // width)
    whole = (total - total % per_statement) * width
    changed = 0
    for start, end, rows in ((0, whole, per_statement), (whole, total * width, 1)):
        if end > start:
            one = f"({', '.join('?' * width)})"
            statement = (f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, columns))}) "
                         f"VALUES {', '.join([one] * rows)}{suffix}")
            step = rows * width
            parameters = [tuple(flat[at:at + step]) for at in range(start, end, step)]
            changed += conn.exec_driver_sql(statement, parameters).rowcount
    return changed


def _each_distinct(process: Callable, values: list) -> list:
    """``[process(v) for v in values]``, calling it once per distinct value (a month of
    records has a few dozen dates; ``updated_at`` is one timestamp)."""
    try:
        done = {value: process(value) for value in set(values)}
    except TypeError:  # an unhashable value (none of today's columns): each one, then
        return [process(value) for value in values]
    return [done[value] for value in values]


def _copy(conn: Connection, target: str, names: list[str], rows: Iterable[tuple]) -> None:
    """``COPY target (names) FROM STDIN`` of ``rows`` on the connection's psycopg cursor."""
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(target), sql.SQL(", ").join(map(sql.Identifier, names)))
    with conn.connection.dbapi_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _copy_ignoring(conn: Connection, table: Table, columns: dict[str, list]) -> int:
    """COPY into a temporary staging table, then one ``INSERT ... SELECT ... ON CONFLICT DO
    NOTHING`` in the rows' order (the first of two rows with one key wins, as on SQLite)."""
    quote = conn.dialect.identifier_preparer.quote
    stage_name = f"payrecon_stage_{table.name}"
    stage, names = quote(stage_name), ", ".join(map(quote, columns))
    conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {stage} ON COMMIT DROP AS SELECT {names}, "
                         f"0::bigint AS payrecon_seq FROM {quote(table.name)} WITH NO DATA")
    total = len(next(iter(columns.values())))
    _copy(conn, stage_name, [*columns, "payrecon_seq"],
          zip(*columns.values(), range(total), strict=True))
    inserted = conn.exec_driver_sql(
        f"INSERT INTO {quote(table.name)} ({names}) SELECT {names} FROM {stage} "
        f"ORDER BY payrecon_seq ON CONFLICT DO NOTHING").rowcount
    conn.exec_driver_sql(f"DROP TABLE {stage}")
    return inserted
