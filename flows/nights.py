"""Scheduled slots: which nights were due, which ran, which were missed.

A *slot* is one firing of the nightly cron in the business timezone (``2026-12-01T19:00:00
-08:00``); its as-of date is that local date. Each slot runs exactly once: the run that
stands for it claims it (:func:`flows.runlog.claim_slot`). ``serve`` remembers since when
the schedule has been served (``.payrecon/schedule.json``), so that a night is "missed"
only when the schedule said it should have run. Cron arithmetic through ``cronsim``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from cronsim import CronSim

from flows import runlog

SCHEDULE_FILE = "schedule.json"
MAX_CATCH_UP = 31  # nights; older misses are reported, not run
STATUS_GRACE = dt.timedelta(minutes=30)  # a slot counts as missed this long after it fired


def slot_text(when: dt.datetime, timezone: str) -> str:
    """The slot's key: ISO 8601 in the business timezone, to the second."""
    return when.astimezone(ZoneInfo(timezone)).isoformat(timespec="seconds")


def slot_as_of(slot: str | dt.datetime, timezone: str) -> dt.date:
    """The as-of date a slot stands for: its local date in the business timezone."""
    when = dt.datetime.fromisoformat(slot) if isinstance(slot, str) else slot
    return when.astimezone(ZoneInfo(timezone)).date()


def fire_times(cron: str, timezone: str, after: dt.datetime, until: dt.datetime,
               limit: int = 10_000) -> list[dt.datetime]:
    """Cron firings in ``(after, until]``, oldest first (at most ``limit``)."""
    start = after.astimezone(ZoneInfo(timezone))
    found = []
    for when in CronSim(cron, start):
        if when > until or len(found) >= limit:
            break
        if when > start:
            found.append(when)
    return found


def latest_fire(cron: str, timezone: str, until: dt.datetime) -> dt.datetime | None:
    """The most recent firing at or before ``until``."""
    start = until.astimezone(ZoneInfo(timezone)) + dt.timedelta(seconds=1)
    return next(iter(CronSim(cron, start, reverse=True)), None)


@dataclass(frozen=True)
class ServedSince:
    """Since when ``serve`` has served this cron in this timezone."""

    cron: str
    timezone: str
    since: str


def mark_served(data_dir: Path, cron: str, timezone: str, now: dt.datetime) -> ServedSince:
    """Record that the schedule is served from ``now`` on (kept while cron/tz stay the same)."""
    current = served_since(data_dir)
    if current is not None and (current.cron, current.timezone) == (cron, timezone):
        return current
    marker = ServedSince(cron, timezone, now.astimezone(dt.UTC).isoformat(timespec="seconds"))
    folder = runlog.internal_folder(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / SCHEDULE_FILE).write_text(json.dumps(marker.__dict__) + "\n", encoding="utf-8")
    return marker


def served_since(data_dir: Path) -> ServedSince | None:
    try:
        data = json.loads((runlog.internal_folder(data_dir) / SCHEDULE_FILE).read_text("utf-8"))
        return ServedSince(data["cron"], data["timezone"], data["since"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def missed_slots(cron: str, timezone: str, *, served: ServedSince | None,
                 claimed: Iterable[str], now: dt.datetime,
                 grace: dt.timedelta = dt.timedelta(0)) -> list[dt.datetime]:
    """Firings since the schedule was served (or since the last claimed slot, whichever is
    later) up to ``now - grace`` that no run claimed, oldest first."""
    if served is None:
        return []
    claimed_times = [dt.datetime.fromisoformat(s) for s in claimed]
    anchor = max([dt.datetime.fromisoformat(served.since), *claimed_times])
    taken = set(claimed_times)
    return [t for t in fire_times(cron, timezone, anchor, now - grace) if t not in taken]


def catch_up(data_dir: Path, cron: str, timezone: str, now: dt.datetime,
             run_slot: Callable[[str], object], say: Callable[[str], None] = print) -> list[str]:
    """Run every missed slot once, oldest first (at most MAX_CATCH_UP); the slots run."""
    missed = missed_slots(cron, timezone, served=served_since(data_dir),
                          claimed=runlog.claimed_slots(data_dir), now=now)
    if len(missed) > MAX_CATCH_UP:
        say(f"{len(missed)} scheduled nights were missed; running the latest {MAX_CATCH_UP} "
            f"(from {slot_text(missed[-MAX_CATCH_UP], timezone)}); run older ones with "
            "`payrecon run --as-of DATE`")
        missed = missed[-MAX_CATCH_UP:]
    done = []
    for when in missed:
        slot = slot_text(when, timezone)
        say(f"Catching up the missed night of {slot_as_of(when, timezone)} (due {slot})")
        run_slot(slot)
        done.append(slot)
    return done
