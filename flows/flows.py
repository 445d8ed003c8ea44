"""Prefect flows. They only sequence steps (as tasks) and publish artifacts.

Parameters are JSON strings and paths (a flow's parameters must stay < 512 KB), never
frames or engines. The as-of date, when not given, is today in the business timezone,
computed here: the engine never reads the clock. A scheduled run stands for its slot (the
cron firing it was created for): its as-of date is that slot's local date, whenever it
starts, and a slot another run already took is skipped. Every flow run is recorded in
payrecon's data folder (LAST_RUN.json, the journal) and alerts on failure or quarantine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from prefect import flow

from flows import progress, runlog, runs
from flows.artifacts import publish
from flows.fanout import check_shared_database, without_secrets
from flows.fanout_match import DaskMapper
from flows.inbox_files import default_dirs
from flows.inbox_lock import inbox_lock
from flows.nights import slot_as_of, slot_text
from flows.runs import MANUAL, ingest_files, quarantined
from flows.runtime import resolve_as_of
from flows.steps import QUARANTINED, FileOutcome, ReportOutcome, RunOutcome, tally
from flows.tasks import (
    archive_file_task,
    drain_inbox_task,
    ingest_file_task,
    parse_file_task,
    quarantine_file_task,
    reconcile_and_report_task,
    reconcile_task,
    report_task,
    store_parsed_task,
)
from pipeline.settings import Settings, data_folder, load_settings

SCHEDULED, CATCH_UP = "scheduled", "catch-up"


@contextmanager
def recorded(kind: str, settings: Settings, as_of: str | None, trigger: str = MANUAL,
             slot: str | None = None) -> Iterator[runlog.RunLog]:
    """This flow run as a :class:`flows.runlog.RunRecord` (see :func:`flows.runs.recorded`)."""
    from prefect.runtime import flow_run

    with runs.recorded(kind, settings, as_of, trigger, slot, flow_run.get_id()) as log:
        yield log


def scheduled_slot(trigger: str, slot: str | None, timezone: str) -> str | None:
    """The slot a run stands for: given (catch-up), else a scheduled run's own firing."""
    if slot or trigger != SCHEDULED:
        return slot
    from prefect.runtime import flow_run

    return slot_text(flow_run.get_scheduled_start_time(), timezone)


@flow(name="payrecon-ingest")
def ingest_flow(paths: list[str], db_url: str, fmt: str | None = None) -> list[FileOutcome]:
    """Ingest the given files (one task per file); nothing is moved."""
    settings = load_settings(database_url=db_url)
    with recorded("ingest", settings, None) as log:
        outcomes = ingest_files(paths, db_url, fmt, settings, log, ingest=ingest_file_task)
        publish("ingest", tally(outcomes), files=outcomes,
                notes=[f"{len(outcomes)} file(s) into the store"])
    return outcomes


@flow(name="payrecon-reconcile")
def reconcile_flow(db_url: str, as_of: str | None = None) -> dict:
    """Match all stored payments against the invoices as of ``as_of`` (default today)."""
    settings = load_settings(database_url=db_url)
    day = resolve_as_of(as_of, settings.timezone)
    with recorded("reconcile", settings, day.isoformat()):
        summary = reconcile_task(db_url, day, settings)
        publish("reconcile", summary, notes=[f"as of {day.isoformat()}"])
    return summary


@flow(name="payrecon-report")
def report_flow(db_url: str, out_dir: str, as_of: str | None = None) -> ReportOutcome:
    """Write the workbooks and exports of the latest reconciliation into ``out_dir``."""
    settings = load_settings(database_url=db_url)
    day = resolve_as_of(as_of, settings.timezone)
    with recorded("report", settings, day.isoformat()) as log:
        log.update(report_folder=str(out_dir))
        outcome = report_task(db_url, out_dir, day, settings)
        publish("report", outcome.summary, paths=outcome.paths,
                notes=[f"as of {day.isoformat()}", f"folder `{out_dir}`"])
    return outcome


@flow(name="payrecon-nightly")
def nightly_flow(inbox: str, out_dir: str, db_url: str, as_of: str | None = None,
                 archive: str | None = None, quarantine: str | None = None,
                 trigger: str = MANUAL, slot: str | None = None,
                 dask_address: str | None = None) -> RunOutcome | None:
    """The whole pipeline once: drain the inbox (one task per file; processed files
    archived, unreadable ones quarantined with a reason file), reconcile, report.

    ``trigger`` is ``manual`` (``payrecon run``), ``scheduled`` (the deployment) or
    ``catch-up`` (a missed slot run by ``serve``, ``slot`` given). A scheduled or catch-up
    run whose slot was already taken does nothing and returns ``None``. ``dask_address``
    (else the ``task_runner``/``dask_address`` settings) parses the files and finds the
    money's references on that Dask cluster (docs/scale.md)."""
    dask = {"task_runner": "dask", "dask_address": dask_address} if dask_address else {}
    settings = load_settings(database_url=db_url, **dask)
    slot = scheduled_slot(trigger, slot, settings.timezone)
    day = (slot_as_of(slot, settings.timezone) if slot and not as_of
           else resolve_as_of(as_of, settings.timezone))
    with recorded(runlog.NIGHTLY, settings, day.isoformat(), trigger, slot) as log:
        holder = slot and runlog.claim_slot(data_folder(settings), slot, log.record.run_id)
        if holder:
            log.skip(f"slot {slot} was already run by {holder}")
            return None
        log.update(report_folder=str(out_dir))
        with progress.listening(partial(_note_file, log, [])):
            result = _nightly_steps(inbox, out_dir, db_url, day, archive, quarantine, settings)
    return result


def _note_file(log: runlog.RunLog, seen: list[FileOutcome], event: str, data: dict) -> None:
    """Keep the run record's file counts current, so a night failing later still shows them."""
    if event == "file":
        seen.append(data["outcome"])
        log.update(files=tally(seen), quarantined=quarantined(seen))


def _nightly_steps(inbox: str, out_dir: str, db_url: str, day: dt.date, archive: str | None,
                   quarantine: str | None, settings: Settings) -> RunOutcome:
    """Drain, ingest, reconcile, report, publish: the nightly pipeline's steps in order."""
    inbox_dir = Path(inbox)
    archive_dir, quarantine_dir = default_dirs(inbox_dir, settings, archive, quarantine)
    with _cluster(settings, db_url) as runner:
        # a second run on this inbox waits, then lists it again
        with inbox_lock(inbox_dir, data_folder(settings)):
            files = drain_inbox_task(inbox_dir, archive_dir, quarantine_dir, (Path(out_dir),))
            progress.emit("files", total=len(files))
            ingested = (_ingest_on_dask(runner, files, db_url, settings) if runner else
                        (ingest_file_task(str(p), db_url=db_url, settings=settings)
                         for p in files))
            outcomes = [_settle(path, outcome, inbox_dir, archive_dir, quarantine_dir)
                        for path, outcome in zip(files, ingested, strict=True)]
        summary, report = reconcile_and_report_task(
            db_url, out_dir, day, settings,
            map_partitions=DaskMapper(runner.client) if runner else None)
    totals = {"as_of": day.isoformat(), **tally(outcomes), **summary,
              "report_folder": str(out_dir)}
    publish("nightly", totals, paths=report.paths, files=outcomes,
            notes=[f"as of {day.isoformat()}", f"inbox `{inbox_dir}`",
                   f"archive `{archive_dir}`", f"quarantine `{quarantine_dir}`"])
    return RunOutcome(as_of=day.isoformat(), files=outcomes, reconcile=summary,
                      report=report, out_dir=str(out_dir))


@contextmanager
def _cluster(settings: Settings, db_url: str) -> Iterator[Any]:
    """The Dask task runner for this night's heavy steps (``task_runner = "dask"``), else
    None: everything in this process."""
    if settings.task_runner != "dask":
        yield None
        return
    with dask_task_runner(settings, db_url) as runner:
        yield runner


def _ingest_on_dask(runner: Any, files: list[Path], db_url: str,
                    settings: Settings) -> Iterator[FileOutcome]:
    """Parse every file at once on the Dask cluster (one task per file; workers get paths
    and the URL), store them one after another in the inbox's order (each store waits for
    the one before, so the database ends up as a single-process run leaves it); yields the
    outcomes in that order."""
    shared = without_secrets(settings)  # workers read the password from their environment
    stored: list = []
    for path in files:
        parsed = runner.submit(parse_file_task, {"path": str(path), "db_url": db_url,
                                                 "settings": shared})
        stored.append(runner.submit(store_parsed_task, {"parsed": parsed, "db_url": db_url},
                                    wait_for=stored[-1:]))
    for future in stored:
        yield future.result()


def dask_task_runner(settings: Settings, db_url: str) -> Any:
    """A ``prefect_dask.DaskTaskRunner`` on the cluster at ``settings.dask_address`` (else a
    temporary one on this machine). Workers open the database themselves: it must be
    PostgreSQL or a SQLite file (on a cluster of this machine only)."""
    check_shared_database(db_url)
    from prefect_dask import DaskTaskRunner

    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    return DaskTaskRunner()


def _settle(path: Path, outcome: FileOutcome, inbox: Path, archive: Path,
            quarantine: Path) -> FileOutcome:
    """After ingesting one inbox file: archive it, or quarantine it with its reason."""
    if path.exists():
        if outcome.status == QUARANTINED:
            quarantine_file_task(path, inbox, quarantine, outcome.reason or "unreadable")
        else:
            archive_file_task(path, inbox, archive)
    progress.emit("file", outcome=outcome)
    return outcome
