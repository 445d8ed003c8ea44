"""Run bodies shared by the Prefect flows and the commands that run without Prefect.

``payrecon ingest`` and ``payrecon report`` call :func:`ingest_run` and :func:`report_run`
directly: the same steps the flows' tasks wrap, recorded in the run journal the same way,
but with no Prefect import and no temporary Prefect server (start-up in about a second
instead of 15). The flows call :func:`ingest_files` with their task wrappers. No Prefect here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from flows import alerts, progress, runlog, steps
from flows.steps import QUARANTINED, FileOutcome, ReportOutcome, tally
from pipeline.settings import Settings, data_folder

MANUAL = "manual"
IngestOne = Callable[..., FileOutcome]


@contextmanager
def recorded(kind: str, settings: Settings, as_of: str | None, trigger: str = MANUAL,
             slot: str | None = None, run_id: str | None = None) -> Iterator[runlog.RunLog]:
    """This run as a :class:`flows.runlog.RunRecord` in the data folder, alerting on failure
    or quarantine (``run_id``: the Prefect flow run's id, else a fresh one)."""
    record = runlog.new_record(kind=kind, trigger=trigger, as_of=as_of, slot=slot,
                               run_id=run_id)
    with runlog.recording(data_folder(settings), record,
                          notify=partial(alerts.notify, settings.alerts)) as log:
        yield log


def quarantined(outcomes: list[FileOutcome]) -> list[str]:
    """``"file: reason"`` for every quarantined file (what status and alerts show)."""
    return [f"{o.file_name}: {o.reason}" for o in outcomes if o.status == QUARANTINED]


def ingest_files(paths: list[str], db_url: str, fmt: str | None, settings: Settings,
                 log: runlog.RunLog, ingest: IngestOne = steps.ingest_file) -> list[FileOutcome]:
    """Ingest ``paths`` one after another with ``ingest`` (the step, or its task), emitting
    progress and keeping the run record's counts; nothing is moved."""
    progress.emit("files", total=len(paths))
    outcomes: list[FileOutcome] = []
    for path in paths:
        outcomes.append(ingest(str(path), db_url=db_url, fmt=fmt, settings=settings))
        progress.emit("file", outcome=outcomes[-1])
    log.update(files=tally(outcomes), quarantined=quarantined(outcomes))
    return outcomes


def ingest_run(paths: list[str], db_url: str, fmt: str | None,
               settings: Settings) -> list[FileOutcome]:
    """``payrecon ingest`` without Prefect: the files into the store, one run recorded."""
    with recorded("ingest", settings, None) as log:
        return ingest_files(paths, db_url, fmt, settings, log)


def report_run(db_url: str, out_dir: str, as_of: str, settings: Settings) -> ReportOutcome:
    """``payrecon report`` without Prefect: the exports and workbooks, one run recorded."""
    day = dt.date.fromisoformat(as_of)
    with recorded("report", settings, as_of) as log:
        log.update(report_folder=str(out_dir))
        return steps.report(db_url=db_url, out_dir=Path(out_dir), as_of=day, settings=settings)
