"""What every run leaves in payrecon's data folder, failed or not.

* ``LAST_RUN.json`` beside the SQLite file (or the settings file): the latest run's id,
  as-of, outcome and reason, rewritten atomically at the start and at the end of a run;
* ``.payrecon/runs.jsonl``: the journal, one JSON line per finished run (``payrecon
  status`` reads it);
* ``.payrecon/slots/``: one claim file per scheduled slot (a night's 19:00), taken with
  ``O_EXCL`` by the run that stands for it, so no slot runs twice;
* ``.payrecon/work/``: the scheduler's working directory (holds nothing of the user's).

Outcomes: ``running | completed | failed | interrupted`` and ``skipped`` (a scheduled run
whose slot another run already took). No Prefect here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.masking import mask_accounts
from pipeline.processes import Pulse, process_alive

LAST_RUN = "LAST_RUN.json"
INTERNAL = ".payrecon"
JOURNAL = "runs.jsonl"
SLOTS = "slots"
WORK = "work"

RUNNING, COMPLETED, FAILED = "running", "completed", "failed"
INTERRUPTED, SKIPPED = "interrupted", "skipped"
NIGHTLY = "nightly"  # the kind of the nightly pipeline's runs (scheduled, catch-up or manual)
BEAT_EVERY = dt.timedelta(minutes=1)  # how often a running run's LAST_RUN.json is refreshed
STALE_AFTER = dt.timedelta(hours=2)  # a running run without a heartbeat this long is gone

_last_written: list[str] = []  # run ids this process recorded, newest last


@dataclass(frozen=True)
class RunRecord:
    """One run of a payrecon flow, as LAST_RUN.json and the journal hold it."""

    run_id: str
    kind: str  # nightly | ingest | reconcile | report
    trigger: str  # scheduled | catch-up | manual | demo
    as_of: str | None
    outcome: str
    started_at: str
    finished_at: str | None = None
    reason: str | None = None
    slot: str | None = None  # the scheduled time this run stands for (ISO, business tz)
    files: dict[str, int] = field(default_factory=dict)
    quarantined: list[str] = field(default_factory=list)  # "file: reason"
    report_folder: str | None = None
    alert_errors: list[str] = field(default_factory=list)
    pid: int = 0
    host: str = ""
    heartbeat: str | None = None  # while running: refreshed every BEAT_EVERY (UTC, ISO)

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunRecord:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def internal_folder(data_dir: Path) -> Path:
    return data_dir / INTERNAL


def work_folder(data_dir: Path) -> Path:
    """The scheduler's (and every flow call's) working directory, created when missing."""
    folder = internal_folder(data_dir) / WORK
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def new_record(*, kind: str, trigger: str, as_of: str | None, run_id: str | None = None,
               slot: str | None = None) -> RunRecord:
    started = now_iso()
    return RunRecord(run_id=run_id or uuid.uuid4().hex, kind=kind, trigger=trigger,
                     as_of=as_of, outcome=RUNNING, started_at=started, slot=slot,
                     pid=os.getpid(), host=socket.gethostname(), heartbeat=started)


def write_last_run(data_dir: Path, record: RunRecord) -> None:
    """Replace LAST_RUN.json atomically (a reader never sees half a file)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    temporary = data_dir / f".{LAST_RUN}.{os.getpid()}.tmp"
    text = json.dumps(dataclasses.asdict(masked(record)), indent=1, ensure_ascii=False,
                      sort_keys=True)
    temporary.write_text(text + "\n", encoding="utf-8")
    os.replace(temporary, data_dir / LAST_RUN)
    _last_written.append(record.run_id)


def append_journal(data_dir: Path, record: RunRecord) -> None:
    """Append one finished run to the journal (one line, one write)."""
    folder = internal_folder(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / JOURNAL).open("a", encoding="utf-8") as handle:
        handle.write(masked(record).to_json() + "\n")
    _last_written.append(record.run_id)


def read_journal(data_dir: Path) -> list[RunRecord]:
    """Every finished run, oldest first; unreadable lines are skipped."""
    path = internal_folder(data_dir) / JOURNAL
    if not path.is_file():
        return []
    records = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            records.append(RunRecord.from_dict(json.loads(line)))
        except (ValueError, TypeError):
            continue
    return records


def read_last_run(data_dir: Path) -> RunRecord | None:
    try:
        return RunRecord.from_dict(json.loads((data_dir / LAST_RUN).read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def last_written() -> str | None:
    """The id of the run this process recorded last (``None`` before any)."""
    return _last_written[-1] if _last_written else None


def claim_slot(data_dir: Path, slot: str, run_id: str) -> str | None:
    """Take ``slot`` for ``run_id``: ``None`` when taken now, else the id that holds it."""
    folder = internal_folder(data_dir) / SLOTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (slot.replace(":", "") + ".json")
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        try:
            return json.loads(path.read_text("utf-8")).get("run_id") or "another run"
        except (OSError, ValueError):
            return "another run"
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump({"slot": slot, "run_id": run_id, "claimed_at": now_iso()}, handle)
    return None


def claimed_slots(data_dir: Path) -> list[str]:
    """Every slot ever claimed, oldest first (ISO text)."""
    folder = internal_folder(data_dir) / SLOTS
    if not folder.is_dir():
        return []
    slots = []
    for path in folder.glob("*.json"):
        try:
            slots.append(json.loads(path.read_text("utf-8"))["slot"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return sorted(slots, key=dt.datetime.fromisoformat)


def finish_record(record: RunRecord, *, outcome: str, reason: str | None = None) -> RunRecord:
    """``record`` closed with ``outcome`` (and ``reason``) now, account numbers masked."""
    return masked(dataclasses.replace(record, outcome=outcome, reason=reason,
                                      finished_at=now_iso()))


def masked(record: RunRecord) -> RunRecord:
    """``record`` with the account numbers in its reasons masked to their last 4 digits
    (the journal, LAST_RUN.json, status and alerts show them; :mod:`pipeline.masking`)."""
    return dataclasses.replace(
        record, reason=mask_accounts(record.reason) if record.reason else record.reason,
        quarantined=[mask_accounts(q) for q in record.quarantined],
        alert_errors=[mask_accounts(e) for e in record.alert_errors])


def finish(data_dir: Path, record: RunRecord, *, outcome: str, reason: str | None = None,
           notify: Callable[[RunRecord], list[str]] | None = None) -> RunRecord:
    """Close ``record`` with ``outcome``; alert when ``notify`` is given; write both files."""
    done = finish_record(record, outcome=outcome, reason=reason)
    if notify is not None:
        done = dataclasses.replace(done, alert_errors=notify(done))
    write_last_run(data_dir, done)
    append_journal(data_dir, done)
    return done


class RunLog:
    """The open record of the run inside :func:`recording`; steps add what they learn.
    :meth:`beat` rewrites LAST_RUN.json with a fresh heartbeat (a :class:`Pulse` calls it
    every ``beat_every`` while the run lasts)."""

    def __init__(self, record: RunRecord, data_dir: Path | None = None) -> None:
        self.record = record
        self.skip_reason: str | None = None
        self._data_dir = data_dir
        self._lock = threading.Lock()
        self._open = data_dir is not None

    def update(self, **changes: Any) -> None:
        with self._lock:
            self.record = dataclasses.replace(self.record, **changes)

    def beat(self) -> None:
        """LAST_RUN.json says ``running`` with a heartbeat of now (while the run is open)."""
        with self._lock:
            if not self._open or self._data_dir is None:
                return
            self.record = dataclasses.replace(self.record, heartbeat=now_iso())
            write_last_run(self._data_dir, self.record)

    def close(self) -> None:
        """No more beats: the run's outcome is about to be written."""
        with self._lock:
            self._open = False

    def skip(self, reason: str) -> None:
        self.skip_reason = reason


@contextmanager
def recording(data_dir: Path, record: RunRecord,
              notify: Callable[[RunRecord], list[str]] | None = None,
              beat_every: dt.timedelta = BEAT_EVERY) -> Iterator[RunLog]:
    """Record the run of the ``with`` block: LAST_RUN.json says ``running`` at once; at the
    end the outcome (``completed``, ``failed`` with the error in one line, ``interrupted``
    on Ctrl-C/SIGTERM, or ``skipped``) goes to LAST_RUN.json and the journal, and
    ``notify`` decides on alerts. The block's exception is re-raised. While the block runs,
    LAST_RUN.json's heartbeat is refreshed every ``beat_every``."""
    previous = close_abandoned(data_dir, read_last_run(data_dir))
    write_last_run(data_dir, record)
    log = RunLog(record, data_dir)
    pulse = Pulse(log.beat, beat_every)
    try:
        try:
            yield log
        finally:
            pulse.stop()
            log.close()
    except Exception as exc:
        finish(data_dir, log.record, outcome=FAILED, reason=one_line(exc), notify=notify)
        raise
    except BaseException as exc:
        finish(data_dir, log.record, outcome=INTERRUPTED,
               reason=f"interrupted ({type(exc).__name__})", notify=notify)
        raise
    if log.skip_reason is not None:
        finish(data_dir, log.record, outcome=SKIPPED, reason=log.skip_reason)
        if previous is not None:  # a skipped run leaves the last real run in LAST_RUN.json
            write_last_run(data_dir, previous)
    else:
        finish(data_dir, log.record, outcome=COMPLETED, notify=notify)


def gone(record: RunRecord, now: dt.datetime) -> str | None:
    """Why a run LAST_RUN.json still calls ``running`` is over (its process is gone from
    this host, or its heartbeat stopped :data:`STALE_AFTER` ago), else ``None``."""
    if record.host == socket.gethostname() and not process_alive(record.pid):
        return "the run's process ended without finishing it"
    beat = _instant(record.heartbeat or record.started_at)
    if beat is not None and now - beat > STALE_AFTER:
        return (f"no heartbeat since {beat.isoformat(timespec='seconds')}: the run's process "
                "stopped or hangs")
    return None


def close_abandoned(data_dir: Path, last: RunRecord | None) -> RunRecord | None:
    """A run LAST_RUN.json leaves ``running`` though it is over (killed, e.g. by SIGKILL or a
    power cut) goes to the journal as ``interrupted``, so the history keeps it once the next
    run has replaced LAST_RUN.json; returns the record as it now stands."""
    if last is None or last.outcome != RUNNING:
        return last
    reason = gone(last, dt.datetime.now(dt.UTC))
    if reason is None or any(r.run_id == last.run_id for r in read_journal(data_dir)):
        return last
    closed = dataclasses.replace(last, outcome=INTERRUPTED, reason=reason,
                                 finished_at=last.heartbeat or last.started_at)
    append_journal(data_dir, closed)
    return closed


def _instant(text: str | None) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    return value if value is None or value.tzinfo else value.replace(tzinfo=dt.UTC)


def one_line(exc: BaseException, limit: int = 300) -> str:
    """``Type: first line of the message``, cut to ``limit`` characters (never a traceback):
    what status, alerts and quarantine reasons show."""
    try:
        first = (str(exc).strip().splitlines() or [""])[0]
    except Exception:  # noqa: BLE001 - a message that cannot even be written
        first = ""
    text = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
