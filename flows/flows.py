"""Prefect flows. They only sequence steps (as tasks) and publish artifacts.

Parameters are JSON strings and paths (a flow's parameters must stay < 512 KB), never
frames or engines. The as-of date, when not given, is today in the business timezone,
computed here: the engine never reads the clock.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from flows import progress
from flows.artifacts import publish
from flows.runtime import resolve_as_of
from flows.steps import QUARANTINED, FileOutcome, ReportOutcome, RunOutcome, default_dirs, tally
from flows.tasks import (
    archive_file_task,
    drain_inbox_task,
    ingest_file_task,
    quarantine_file_task,
    reconcile_task,
    report_task,
)
from pipeline.settings import Settings, load_settings


@flow(name="payrecon-ingest")
def ingest_flow(paths: list[str], db_url: str, fmt: str | None = None) -> list[FileOutcome]:
    """Ingest the given files (one task per file); nothing is moved."""
    settings = load_settings(database_url=db_url)
    progress.emit("files", total=len(paths))
    outcomes = []
    for path in paths:
        outcomes.append(ingest_file_task(str(path), db_url=db_url, fmt=fmt, settings=settings))
        progress.emit("file", outcome=outcomes[-1])
    publish("ingest", tally(outcomes), files=outcomes,
            notes=[f"{len(outcomes)} file(s) into the store"])
    return outcomes


@flow(name="payrecon-reconcile")
def reconcile_flow(db_url: str, as_of: str | None = None) -> dict:
    """Match all stored payments against the invoices as of ``as_of`` (default today)."""
    settings = load_settings(database_url=db_url)
    day = resolve_as_of(as_of, settings.timezone)
    summary = reconcile_task(db_url, day, settings)
    publish("reconcile", summary, notes=[f"as of {day.isoformat()}"])
    return summary


@flow(name="payrecon-report")
def report_flow(db_url: str, out_dir: str, as_of: str | None = None) -> ReportOutcome:
    """Write the workbooks and exports of the latest reconciliation into ``out_dir``."""
    settings = load_settings(database_url=db_url)
    day = resolve_as_of(as_of, settings.timezone)
    outcome = report_task(db_url, out_dir, day, settings)
    publish("report", outcome.summary, paths=outcome.paths,
            notes=[f"as of {day.isoformat()}", f"folder `{out_dir}`"])
    return outcome


@flow(name="payrecon-nightly")
def nightly_flow(inbox: str, out_dir: str, db_url: str, as_of: str | None = None,
                 archive: str | None = None, quarantine: str | None = None) -> RunOutcome:
    """The whole pipeline once: drain the inbox (one task per file; processed files
    archived, unreadable ones quarantined with a reason file), reconcile, report."""
    settings = load_settings(database_url=db_url)
    day = resolve_as_of(as_of, settings.timezone)
    inbox_dir = Path(inbox)
    archive_dir, quarantine_dir = default_dirs(inbox_dir, settings, archive, quarantine)
    files = drain_inbox_task(inbox_dir, archive_dir, quarantine_dir, (Path(out_dir),))
    progress.emit("files", total=len(files))
    outcomes = [_ingest_inbox_file(path, inbox_dir, archive_dir, quarantine_dir, db_url,
                                   settings) for path in files]
    summary = reconcile_task(db_url, day, settings)
    report = report_task(db_url, out_dir, day, settings)
    totals = {"as_of": day.isoformat(), **tally(outcomes), **summary,
              "report_folder": str(out_dir)}
    publish("nightly", totals, paths=report.paths, files=outcomes,
            notes=[f"as of {day.isoformat()}", f"inbox `{inbox_dir}`",
                   f"archive `{archive_dir}`", f"quarantine `{quarantine_dir}`"])
    return RunOutcome(as_of=day.isoformat(), files=outcomes, reconcile=summary,
                      report=report, out_dir=str(out_dir))


def _ingest_inbox_file(path: Path, inbox: Path, archive: Path, quarantine: Path,
                       db_url: str, settings: Settings) -> FileOutcome:
    """Ingest one inbox file, then archive it, or quarantine it with its reason."""
    outcome = ingest_file_task(str(path), db_url=db_url, settings=settings)
    if path.exists():
        if outcome.status == QUARANTINED:
            quarantine_file_task(path, inbox, quarantine, outcome.reason or "unreadable")
        else:
            archive_file_task(path, inbox, archive)
    progress.emit("file", outcome=outcome)
    return outcome
