"""Two pieces of work at once on two cores: one in this process, one in a forked child.

The report writes three independent things once its tables are built: the CSV/JSON exports,
the reconciliation workbook and the overdue workbook. They are pure CPU (Python text and
zlib), so threads would wait on each other; a forked child shares the built tables with
this process page by page (copy-on-write, nothing pickled), writes its files and sends back
only their paths. Reconcile reads the invoices in a child on its own connection while it
reads the money (the frame comes back pickled: about 1.5 s of CPU at 1M invoices, against
about 5 s of reading), and the nightly step stores the match result and the ledger entries
in a child while it builds the report (:func:`meanwhile`, :mod:`flows.nightly_step`).
Before each fork the memory freed so far is handed back to the system
(:func:`memory_handed_back`), so it is not resident twice. The child is a plain
``os.fork``: it runs one function, answers through a pipe and leaves with ``os._exit`` (no
``atexit`` handler, no Prefect, no flushing of this process's buffers runs in it). It dies
with this process (Linux's parent-death signal), so a killed run leaves no writer behind.

Bugs stay exceptions: an exception in the child is raised here as :class:`ChildFailed`
with the child's traceback; a child that dies without answering too.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from pipeline.reporting import ReportData
    from pipeline.settings import Settings
    from pipeline.store import Store

T = TypeVar("T")
U = TypeVar("U")
_PR_SET_PDEATHSIG = 1
# below this many rows (invoices; matches and invoices for the report) the work stays in one
# process: the fork costs more than it saves
FORK_ROWS = 100_000


class ChildFailed(RuntimeError):
    """The forked child raised (its traceback is in the message) or died without answering."""


def can_fork() -> bool:
    """Whether this platform forks (Linux and macOS; not Windows)."""
    return hasattr(os, "fork")


def report_halves(data: ReportData, settings: Settings):  # noqa: ANN201 - reports.Halves
    """How the report's two halves run (:func:`reports.write_all`). The writing child copies
    the pages of every table it writes (CPython's reference counts write to each object it
    reads): at 1M matches and invoices about 1.4 GB more in all. So it is forked only when
    the machine has that much to spare (:func:`room_for_a_copy`)."""
    halves = halves_for(len(data.matches) + len(data.invoices), settings)
    return halves if halves is in_turn or room_for_a_copy() else in_turn


def room_for_a_copy(meminfo: str = "/proc/meminfo", status: str = "/proc/self/status",
                    cgroup: str = "/sys/fs/cgroup") -> bool:
    """Whether the memory available holds a second copy of this process: Linux's
    MemAvailable, or less where a container's memory limit leaves less (cgroup v2
    ``memory.max`` minus ``memory.current``), against this process's resident size; False
    where unknown."""
    try:
        available = _kib(Path(meminfo).read_text(), "MemAvailable:")
        resident = _kib(Path(status).read_text(), "VmRSS:")
    except (OSError, ValueError):
        return False
    return min(available, _container_room_kib(Path(cgroup))) > resident


def _container_room_kib(cgroup: Path) -> float:
    """KiB left under this container's memory limit (infinite without one or unreadable)."""
    try:
        limit = (cgroup / "memory.max").read_text().strip()
        used = int((cgroup / "memory.current").read_text())
    except (OSError, ValueError):
        return float("inf")
    return float("inf") if limit == "max" else (int(limit) - used) / 1024


def _kib(text: str, key: str) -> int:
    """The ``kB`` figure of ``key`` in a /proc file's text (ValueError when absent)."""
    line = next((line for line in text.splitlines() if line.startswith(key)), None)
    if line is None:
        raise ValueError(key)
    return int(line.split()[1])


def halves_for(rows: int, settings: Settings):  # noqa: ANN201 - in_turn or side_by_side
    """:func:`side_by_side` when :func:`worth_forking`, else :func:`in_turn`."""
    return side_by_side if worth_forking(rows, settings) else in_turn


def worth_forking(rows: int, settings: Settings) -> bool:
    """Whether ``settings.processes`` allows two, the platform forks and ``rows`` (the work's
    size) is big enough to gain from a second process."""
    return settings.processes > 1 and rows >= FORK_ROWS and can_fork()


# what a forked second process reads of a big report's inputs (about 40 % of the reading)
SIDE_READS = frozenset({"invoices", "clients", "ledger", "rejects"})


def report_inputs(store: Store, db_url: str, settings: Settings) -> dict:
    """``store.load_report_inputs()``; for a big store :data:`SIDE_READS` are read
    meanwhile by a forked second process on its own connection."""
    halves = halves_for(store.counts()["invoices"], settings)
    if halves is in_turn:
        return store.load_report_inputs()
    here, there = halves(lambda: store.load_report_inputs(skip=SIDE_READS),
                         on_own_connection(db_url, lambda own: own.load_report_inputs(
                             only=SIDE_READS)))
    return {**here, **there}


def money_and_invoices(store: Store, db_url: str, settings: Settings) -> tuple:
    """The store's payments and invoices (reconcile's two big reads); for a big store the
    invoices are read meanwhile by a forked second process on its own connection."""
    halves = halves_for(store.counts()["invoices"], settings)
    if halves is in_turn:
        return store.load_payments(), store.load_invoices()
    return halves(store.load_payments, on_own_connection(db_url, lambda own: own.load_invoices()))


def on_own_connection(db_url: str, read: Callable[[Store], T]) -> Callable[[], T]:
    """``read`` (or write) on a store of its own (a forked child never uses its parent's
    connections)."""
    def reading() -> T:
        from flows.steps import open_store

        with open_store(db_url) as own:
            return read(own)

    return reading


def in_turn(here: Callable[[], T], there: Callable[[], U]) -> tuple[T, U]:
    """``here()`` then ``there()`` in this process: the one-core way, same results."""
    return here(), there()


def side_by_side(here: Callable[[], T], there: Callable[[], U]) -> tuple[T, U]:
    """``here()`` in this process while ``there()`` runs in a forked child; both results
    (``there``'s must pickle). Without ``os.fork``: :func:`in_turn`."""
    if not can_fork():
        return in_turn(here, there)
    with meanwhile(there, fork=True) as answer:
        mine = here()
        return mine, answer()


@contextmanager
def meanwhile(there: Callable[[], U], *, fork: bool) -> Iterator[Callable[[], U]]:
    """``there()`` started in a forked child (``fork`` and the platform forks; else run here
    and now) for the ``with`` block, which gets a function giving its result (waiting for the
    child). A block that raises kills the child: its work is not wanted."""
    if not (fork and can_fork()):
        done = there()
        yield lambda: done
        return
    read, write = os.pipe()
    parent = os.getpid()
    for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice
        with contextlib.suppress(Exception):
            stream.flush()
    memory_handed_back()  # what is free is not counted twice: not resident at all
    gc.freeze()  # the collector in the child does not touch (and so copy) every page
    try:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child's side; measured by its answer
            os.close(read)
            _child(there, write, parent)
        os.close(write)
        del there  # the child has its own; this process may free what only it held
        answer = _Answer(pid, read)
        try:
            yield answer
        except BaseException:
            answer.stop()
            raise
        answer()  # a block that never asked still waits for the child (and its failure)
    finally:
        gc.unfreeze()


def memory_handed_back() -> None:
    """Give the memory this process has freed back to the system (glibc's ``malloc_trim``;
    nothing elsewhere). After a big step freed its frames, glibc keeps most of those pages
    resident for reuse: about 1 GB after a 1M-line report is built."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class _Answer:
    """The forked child's answer, waited for once (:func:`_answer`)."""

    def __init__(self, pid: int, read: int) -> None:
        self._pid, self._read, self._done, self._value = pid, read, False, None

    def __call__(self) -> object:
        if not self._done:
            self._done = True
            self._value = _answer(self._pid, self._read)
        return self._value

    def stop(self) -> None:
        """Kill and reap the child unless it has answered."""
        if not self._done:
            self._done = True
            _stop(self._pid)
            os.close(self._read)


def _child(there: Callable[[], object], fd: int, parent: int) -> None:  # pragma: no cover
    """Run ``there`` and write the pickled answer to ``fd``; never returns."""
    code = 0
    try:
        _die_with(parent)
        try:
            answer = pickle.dumps(("ok", there()))
        except BaseException as exc:  # noqa: BLE001 - every failure is sent to the parent
            code = 1
            answer = pickle.dumps(("error", f"{type(exc).__name__}: {exc}",
                                   traceback.format_exc()))
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(answer)
    finally:
        os._exit(code)


def _die_with(parent: int) -> None:  # pragma: no cover - runs in the child
    """Ask Linux to kill this child when its parent dies; leave at once if it already has."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _answer(pid: int, read: int) -> object:
    """The child's result, once it has exited; :class:`ChildFailed` when it failed."""
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        raise ChildFailed(f"the report's second process ended without an answer "
                          f"(exit status {os.waitstatus_to_exitcode(status)})")
    answer = pickle.loads(data)  # noqa: S301 - our own child's answer, through our own pipe
    if answer[0] == "error":
        raise ChildFailed(f"the report's second process failed: {answer[1]}\n{answer[2]}")
    return answer[1]


def _stop(pid: int) -> None:
    """Kill and reap the child (this process failed: its half is not wanted)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
