"""``payrecon status``: the latest runs and whether the nightly pipeline is healthy.

Unhealthy means: the last nightly run failed or was interrupted (a run whose LAST_RUN.json
still says ``running`` but whose process is gone was interrupted), or the schedule said a
night should have run (``serve`` had been started before it) and no run took that slot.
No Prefect and no database here: the run journal in the data folder is the source, so a
night that failed because the database was down is still seen.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from flows import nights, runlog
from flows.runlog import FAILED, INTERRUPTED, NIGHTLY, RUNNING, SKIPPED, RunRecord


@dataclass(frozen=True)
class Status:
    """What ``payrecon status`` shows: the runs (newest first) and the verdict."""

    runs: list[RunRecord]
    problem: str | None  # None: healthy
    schedule: str  # one line about the schedule
    data_dir: Path


def read_status(data_dir: Path, cron: str, timezone: str, now: dt.datetime,
                limit: int = 10) -> Status:
    """The journal's latest runs (and a run still in progress) with the nightly verdict."""
    runs = [r for r in runlog.read_journal(data_dir) if r.outcome != SKIPPED]
    current = _in_progress(runlog.read_last_run(data_dir), runs, now)
    if current is not None:
        runs.append(current)
    served = nights.served_since(data_dir)
    if served is not None:  # what serve really schedules
        cron, timezone = served.cron, served.timezone
    missed = nights.missed_slots(cron, timezone, served=served,
                                 claimed=runlog.claimed_slots(data_dir), now=now,
                                 grace=nights.STATUS_GRACE)
    problem = _last_nightly_problem(runs) or _missed_problem(missed, timezone)
    return Status(runs=runs[::-1][:limit], problem=problem,
                  schedule=_schedule_line(cron, timezone, served, now), data_dir=data_dir)


def _in_progress(last: RunRecord | None, finished: list[RunRecord],
                 now: dt.datetime) -> RunRecord | None:
    """LAST_RUN.json's run when it has not finished; ``interrupted`` when its process died
    (on this host), or when its heartbeat stopped :data:`runlog.STALE_AFTER` ago (any host:
    a live run refreshes it every :data:`runlog.BEAT_EVERY`)."""
    if last is None or last.outcome != RUNNING:
        return None
    if any(r.run_id == last.run_id for r in finished):
        return None
    reason = runlog.gone(last, now)
    return last if reason is None else dataclasses.replace(last, outcome=INTERRUPTED,
                                                           reason=reason)


def _last_nightly_problem(runs: list[RunRecord]) -> str | None:
    nightly = [r for r in runs if r.kind == NIGHTLY]
    if not nightly or nightly[-1].outcome not in (FAILED, INTERRUPTED):
        return None
    last = nightly[-1]
    return (f"the last nightly run (as of {last.as_of}, {last.trigger}) {last.outcome}: "
            f"{last.reason or 'no reason recorded'}")


def _missed_problem(missed: list[dt.datetime], timezone: str) -> str | None:
    if not missed:
        return None
    latest = missed[-1]
    more = f" ({len(missed)} nights missed in all)" if len(missed) > 1 else ""
    return (f"the scheduled night of {nights.slot_as_of(latest, timezone)} (due "
            f"{nights.slot_text(latest, timezone)}) did not run{more}; `payrecon serve` "
            "runs missed nights when it starts")


def _schedule_line(cron: str, timezone: str, served: nights.ServedSince | None,
                   now: dt.datetime) -> str:
    upcoming = nights.fire_times(cron, timezone, now, now + dt.timedelta(days=400), limit=1)
    due = f"; next night due {nights.slot_text(upcoming[0], timezone)}" if upcoming else ""
    if served is None:
        return f"schedule {cron} ({timezone}): `payrecon serve` has not been started here{due}"
    return f"schedule {cron} ({timezone}), served since {served.since}{due}"
