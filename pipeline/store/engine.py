"""Engine creation (SQLite by default, PostgreSQL through psycopg 3) and automatic migrations."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Table, create_engine, event, func, select
from sqlalchemy.engine import make_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_URL = "sqlite:///payrecon.db"
_MIGRATION_LOCK = threading.Lock()
BIG_WRITE_CACHE_MIB = 256
SQLITE_BEGIN = "payrecon_sqlite_begin"  # execution option: DEFERRED (default) or IMMEDIATE


def normalize_url(url: str) -> str:
    """``postgresql://`` (or ``postgres://``) without a driver uses psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str) -> Engine:
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    database = parsed.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed)
    _configure_sqlite(engine, in_memory=not database or database == ":memory:")
    return engine


def _configure_sqlite(engine: Engine, *, in_memory: bool) -> None:
    """Foreign keys and WAL on every connection; real BEGIN so reads share the transaction."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if not in_memory:
            _use_wal(cursor)
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # noqa: ANN001
        mode = conn.get_execution_options().get(SQLITE_BEGIN, "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())


def _use_wal(cursor, attempts: int = 100) -> None:  # noqa: ANN001
    """WAL is a property of the file: set it once. Switching needs an exclusive lock and does
    not wait on the busy timeout, so a connection racing a first writer retries briefly."""
    for attempt in range(attempts):
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that will write: on SQLite it takes the write lock up front
    (``BEGIN IMMEDIATE``), so concurrent writers wait for each other instead of failing
    on a stale snapshot; elsewhere it is an ordinary transaction."""
    with engine.connect() as conn:
        conn.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
        with conn.begin():
            yield conn


@contextmanager
def replace_transaction(engine: Engine) -> Iterator[Connection]:
    """:func:`write_transaction` for emptying and refilling tables that only point to other
    rows (the match result): on SQLite the connection's foreign keys are off for it, so
    ``DELETE FROM`` a whole table is SQLite's truncation, not a delete row by row with its
    index entries. The caller checks the rows it points to exist (one run per result)."""
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection if conn.dialect.name == "sqlite" else None
        if raw is not None:  # outside any transaction: inside one SQLite ignores it
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            conn.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
            with conn.begin():
                yield conn
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


@contextmanager
def big_write_cache(conn: Connection, mebibytes: int = BIG_WRITE_CACHE_MIB) -> Iterator[None]:
    """A page cache of ``mebibytes`` on this SQLite connection for a write of millions of
    rows (SQLite's default 2 MB spills the half-written indexes to the file over and over),
    back to the default after; nothing elsewhere."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{mebibytes * 1024}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


@contextmanager
def indexes_rebuilt(conn: Connection, tables: Iterable[Table]) -> Iterator[None]:
    """The secondary indexes of ``tables`` dropped for a bulk write inside the caller's
    transaction and made again after it (an index built at once is sorted in one go, not
    updated row by row). Unique constraints stay. Nothing is made again when the write
    fails: the transaction's rollback brings the indexes back with the rows.

    SQLite only (its readers keep the last committed snapshot meanwhile). On PostgreSQL a
    ``DROP INDEX`` locks the table against readers until the commit, so the web pages
    reading these tables would wait out the whole write: there the indexes are kept."""
    if conn.dialect.name != "sqlite":
        yield
        return
    indexes = [index for table in tables for index in sorted(table.indexes, key=_name)]
    for index in indexes:
        index.drop(conn)
    yield
    for index in indexes:
        index.create(conn)


def indexes_rebuilt_if_outgrown(conn: Connection, tables: Sequence[Table],
                                adding: int) -> AbstractContextManager[None]:
    """:func:`indexes_rebuilt` for a write of ``adding`` rows into ``tables`` when that is
    more than twice the rows the first of them holds (its highest id: a first load, a
    month's file into a young store): more rows are then new than stored, and sorting
    each index once is cheaper than updating it row by row. Else nothing changes. The
    unique constraints stay, and with them ``ON CONFLICT DO NOTHING``."""
    if conn.dialect.name != "sqlite" or not adding:
        return nullcontext()
    stored = conn.execute(select(func.max(tables[0].c.id))).scalar() or 0
    return indexes_rebuilt(conn, tables) if adding > 2 * stored else nullcontext()


def _name(index) -> str:  # noqa: ANN001
    return str(index.name)


def alembic_config() -> Config:
    """A programmatic Alembic config (no ini file): works from an installed package and from
    any cwd. The Store hands env.py its connection through ``config.attributes``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine) -> None:
    """Upgrade the database to head (skipped cheaply when it is already there).

    Alembic's ``context``/``op`` are process-global, so migrations in one process run one at
    a time (thread lock); across processes PostgreSQL serialises on an advisory lock (env.py)
    and SQLite on ``BEGIN IMMEDIATE``; the revision is read again once the lock is held.
    """
    if current_revision(engine) == head_revision():
        return
    config = alembic_config()
    with _MIGRATION_LOCK, write_transaction(engine) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def schema_differences(engine: Engine) -> list:
    """What Alembic autogenerate sees between the database and ``tables.metadata`` ([] = none)."""
    from pipeline.store.tables import metadata

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, metadata)
