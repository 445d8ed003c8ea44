"""Prefect tasks: one line each over a step in :mod:`flows.steps`.

Tasks take the database URL (a string), never an Engine. Caching is off: every step
reads or writes the store, so a cached result would skip real work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from flows import fanout, inbox_files, nightly_step, steps
from pipeline.settings import Settings


@task(name="ingest-file", cache_policy=NO_CACHE, task_run_name="ingest {path}")
def ingest_file_task(path: str, db_url: str, fmt: str | None = None,
                     settings: Settings | None = None) -> steps.FileOutcome:
    return steps.ingest_file(path, db_url=db_url, fmt=fmt, settings=settings)


@task(name="reconcile", cache_policy=NO_CACHE)
def reconcile_task(db_url: str, as_of: dt.date, settings: Settings,
                   map_partitions: Callable | None = None) -> dict:
    return steps.reconcile(db_url=db_url, as_of=as_of, settings=settings,
                           map_partitions=map_partitions)


@task(name="report", cache_policy=NO_CACHE)
def report_task(db_url: str, out_dir: str, as_of: dt.date,
                settings: Settings) -> steps.ReportOutcome:
    return steps.report(db_url=db_url, out_dir=out_dir, as_of=as_of, settings=settings)


@task(name="reconcile-and-report", cache_policy=NO_CACHE)
def reconcile_and_report_task(db_url: str, out_dir: str, as_of: dt.date, settings: Settings,
                              map_partitions: Callable | None = None,
                              ) -> tuple[dict, steps.ReportOutcome]:
    return nightly_step.reconcile_and_report(db_url=db_url, out_dir=out_dir, as_of=as_of,
                                             settings=settings, map_partitions=map_partitions)


@task(name="drain-inbox", cache_policy=NO_CACHE)
def drain_inbox_task(inbox: Path, archive: Path, quarantine: Path,
                     exclude: tuple[Path, ...] = ()) -> list[Path]:
    return inbox_files.drain_inbox(inbox, archive=archive, quarantine=quarantine, exclude=exclude)


@task(name="archive-file", cache_policy=NO_CACHE)
def archive_file_task(path: Path, inbox: Path, archive: Path) -> Path:
    return inbox_files.archive_file(path, inbox, archive)


@task(name="quarantine-file", cache_policy=NO_CACHE)
def quarantine_file_task(path: Path, inbox: Path, quarantine: Path, reason: str) -> Path:
    return inbox_files.quarantine_file(path, inbox, quarantine, reason)


@task(name="parse-file", cache_policy=NO_CACHE, task_run_name="parse {path}")
def parse_file_task(path: str, db_url: str, fmt: str | None = None,
                    settings: Settings | None = None) -> fanout.Parsed:
    return fanout.parse_file(path, db_url=db_url, fmt=fmt, settings=settings)


@task(name="store-file", cache_policy=NO_CACHE)
def store_parsed_task(parsed: fanout.Parsed, db_url: str) -> steps.FileOutcome:
    return fanout.store_parsed_file(parsed, db_url=db_url)
