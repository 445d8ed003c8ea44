"""The run lock: one reconcile or report at a time across processes.

PostgreSQL: a session-level advisory lock held on its own connection. SQLite: ``fcntl.flock``
on ``<database>.lock`` beside the file (an in-memory database belongs to one process, so a
thread lock is enough). The lock is released when the block ends or the process dies.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

RUN_LOCK_KEY = 0x70617972_65636F6E & 0x7FFFFFFFFFFFFFFF  # "payrecon"
_MEMORY_LOCK = threading.Lock()


@contextmanager
def run_lock(engine: Engine) -> Iterator[None]:
    """Hold the database's run lock for the ``with`` block (waits for another holder)."""
    backend = engine.url.get_backend_name()
    if backend == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": RUN_LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": RUN_LOCK_KEY})
                conn.commit()
        return
    database = engine.url.database or ""
    if backend != "sqlite" or not database or database == ":memory:" or database.startswith(
            "file:"):
        with _MEMORY_LOCK:
            yield
        return
    path = Path(database).expanduser()
    with open(path.with_name(path.name + ".lock"), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
