"""The ``runs`` rows: who runs (pid, host, heartbeat in ``summary_json`` while running), and
the rows a killed process left ``running``, marked ``interrupted`` by the next run.

A running row's heartbeat is refreshed every :data:`BEAT_EVERY` by a :class:`Pulse` (a daemon
thread the store starts with the run and stops at its finish), so a long match still shows
a live process, and a row whose heartbeat stopped is known to be gone."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket

from sqlalchemy import Connection, insert, select, update

from pipeline.processes import Pulse, process_alive
from pipeline.store import tables

runs = tables.runs
RUNNING, INTERRUPTED = "running", "interrupted"
STALE_AFTER = dt.timedelta(hours=2)  # a heartbeat older than this: the run is gone
BEAT_EVERY = dt.timedelta(minutes=1)  # how often a running row's heartbeat is refreshed
__all__ = ["BEAT_EVERY", "Pulse", "beat", "mark_interrupted", "start"]

def owner(now: dt.datetime) -> dict:
    """What a running row records about its process (replaced by the summary at finish)."""
    return {"pid": os.getpid(), "host": socket.gethostname(), "heartbeat": now.isoformat()}


def start(conn: Connection, kind: str, as_of: dt.date | None, now: dt.datetime) -> int:
    """Mark runs whose process is gone as interrupted, then insert this one as running."""
    mark_interrupted(conn, now)
    values = {"kind": kind, "as_of": as_of, "status": RUNNING, "started_at": now,
              "summary_json": json.dumps(owner(now), sort_keys=True)}
    return conn.execute(insert(runs).values(values)).inserted_primary_key[0]


def beat(conn: Connection, run_id: int, now: dt.datetime) -> None:
    """Refresh a running row's heartbeat."""
    conn.execute(update(runs).where(runs.c.id == run_id, runs.c.status == RUNNING).values(
        summary_json=json.dumps(owner(now), sort_keys=True)))


def mark_interrupted(conn: Connection, now: dt.datetime) -> list[int]:
    """``running`` rows whose process is dead on this host, or whose heartbeat is older than
    :data:`STALE_AFTER`, become ``interrupted`` (with the reason); returns their ids."""
    found = conn.execute(select(runs.c.id, runs.c.started_at, runs.c.summary_json)
                         .where(runs.c.status == RUNNING)).all()
    gone = []
    for row in found:
        reason = _why_gone(row, now)
        if reason:
            conn.execute(update(runs).where(runs.c.id == row.id).values(
                status=INTERRUPTED, finished_at=now,
                summary_json=json.dumps({"error": reason}, sort_keys=True)))
            gone.append(row.id)
    return gone


def _why_gone(row, now: dt.datetime) -> str | None:  # noqa: ANN001
    try:
        info = json.loads(row.summary_json or "{}")
    except ValueError:
        info = {}
    host, pid = info.get("host"), info.get("pid")
    if host == socket.gethostname() and isinstance(pid, int) and not process_alive(pid):
        return f"interrupted: process {pid} on {host} is gone"
    beat_at = _parse(info.get("heartbeat")) or _aware(row.started_at)
    if beat_at is not None and now - beat_at > STALE_AFTER:
        return f"interrupted: no heartbeat since {beat_at.isoformat(timespec='seconds')}"
    return None


def _parse(text: object) -> dt.datetime | None:
    try:
        return _aware(dt.datetime.fromisoformat(str(text))) if text else None
    except ValueError:
        return None


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
