"""The inbox lock: one run drains an inbox at a time.

Two runs started on one inbox (a manual ``payrecon run`` beside the schedule, two uploads'
nights) would both list the same files. The second would then find them archived under its
feet and report them as unreadable. Holding this lock from listing the inbox until every file
listed is archived or quarantined makes the second run wait, list the inbox again and find
only what is still waiting. ``fcntl.flock`` on ``locks/inbox-<hash of the inbox's path>.lock``
in payrecon's data folder (nothing is written into the inbox itself); the lock is released
when the block ends or the process dies.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


def lock_path(inbox: str | Path, data_folder: str | Path) -> Path:
    """The lock file of ``inbox`` (its absolute path hashed) under ``data_folder``."""
    digest = hashlib.sha256(str(Path(inbox).resolve()).encode()).hexdigest()[:16]
    return Path(data_folder) / "locks" / f"inbox-{digest}.lock"


@contextmanager
def inbox_lock(inbox: str | Path, data_folder: str | Path,
               on_wait: Callable[[Path], None] | None = None) -> Iterator[None]:
    """Hold ``inbox``'s drain lock for the ``with`` block, waiting while another run holds
    it (``on_wait`` is told once, before waiting)."""
    path = lock_path(inbox, data_folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            (on_wait or _log_wait)(Path(inbox))
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _log_wait(inbox: Path) -> None:
    log.warning("another run is draining %s: waiting for it to finish", inbox)
