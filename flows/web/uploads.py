"""Uploaded files: kept by content (sha256) under the data folder, then ingested through the
inbox's own step (:func:`flows.steps.ingest_file`: sniffing, natural keys, quarantine) and
reconciled under the nightly run's lock. The browser's file name is data, never a path."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from flows import runlog, steps
from flows.steps import ALREADY_INGESTED, INGESTED, QUARANTINED, FileOutcome

UPLOADS = "uploads"
REFUSED = "refused"
CHUNK = 1 << 20
_UNSAFE = re.compile(r"[^A-Za-z0-9._ ()+,=@-]+")


def safe_name(name: str | None) -> str:
    """A file name that is only a name: no folders, no control characters, no leading dots,
    at most 120 characters (``upload`` when nothing is left)."""
    base = unicodedata.normalize("NFKC", name or "").replace("\\", "/").split("/")[-1]
    base = _UNSAFE.sub("_", base).strip(" ._")
    if len(base) > 120:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 110] + dot + ext[:9]) if dot and len(ext) < 10 else base[:120]
    return base or "upload"


@dataclass(frozen=True)
class Stored:
    """An upload kept in ``uploads/<sha[:2]>/<sha>``, or refused (``path`` is None)."""

    original_name: str
    name: str  # safe_name(original_name)
    size: int
    sha256: str = ""
    path: Path | None = None
    refusal: str | None = None


def keep(stream: BinaryIO, original_name: str, data_dir: Path, limit: int) -> Stored:
    """Copy an upload into the data folder by its sha256, refusing it past ``limit`` bytes."""
    folder = data_dir / UPLOADS
    incoming = folder / ".incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    partial = incoming / f"{secrets.token_hex(8)}.part"
    digest, size, name = hashlib.sha256(), 0, safe_name(original_name)
    try:
        with partial.open("wb") as out:
            for block in iter(lambda: stream.read(CHUNK), b""):
                size += len(block)
                if size > limit:
                    return Stored(original_name, name, size, refusal=_too_large(limit))
                digest.update(block)
                out.write(block)
        sha = digest.hexdigest()
        final = folder / sha[:2] / sha
        final.parent.mkdir(exist_ok=True)
        os.replace(partial, final)
        return Stored(original_name, name, size, sha, final)
    finally:
        partial.unlink(missing_ok=True)


def _too_large(limit: int) -> str:
    return f"refused: larger than the upload limit of {limit // (1024 * 1024)} MB"


def ingest_kept(stored: Stored, *, db_url: str, settings: Any) -> FileOutcome:
    """Ingest a kept upload under its safe name (what sniffing and the reports see), from a
    private working copy that is removed afterwards."""
    assert stored.path is not None
    with tempfile.TemporaryDirectory(dir=stored.path.parent.parent / ".incoming") as work:
        named = Path(work) / stored.name
        try:
            os.link(stored.path, named)
        except OSError:
            shutil.copyfile(stored.path, named)
        outcome = steps.ingest_file(named, db_url=db_url, settings=settings)
    return outcome


@dataclass(frozen=True)
class FileResult:
    """One uploaded file's outcome as the Upload page shows it."""

    name: str
    size: int
    sha256: str
    status: str  # ingested | already_ingested | quarantined | refused
    new: int = 0
    duplicates: int = 0
    rejected: int = 0
    fmt: str | None = None
    reason: str | None = None
    balance: str | None = None
    first_seen: str | None = None  # "already ingested on DATE by USER"
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class UploadRun:
    files: list[FileResult]
    reconcile: dict[str, Any] | None
    report_folder: str | None
    run_id: str


def result_of(stored: Stored, outcome: FileOutcome | None) -> FileResult:
    if outcome is None:
        return FileResult(stored.original_name, stored.size, stored.sha256, REFUSED,
                          reason=stored.refusal)
    return FileResult(stored.original_name, stored.size, stored.sha256, outcome.status,
                      outcome.new, outcome.duplicates, outcome.rejected, outcome.fmt,
                      outcome.reason, warnings=list(outcome.warnings))


def file_counts(results: Iterable[FileResult]) -> dict[str, int]:
    """Files per outcome and rows new / duplicate / rejected (as :func:`flows.steps.tally`)."""
    counts: dict[str, int] = dict.fromkeys(
        (INGESTED, ALREADY_INGESTED, QUARANTINED, REFUSED, "new", "duplicates", "rejected"), 0)
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
        for name in ("new", "duplicates", "rejected"):
            counts[name] += getattr(result, name)
    return counts


def first_seen_words(first: Any, timezone: str) -> str:
    """``already ingested on 2026-12-02 14:05 by alice`` (or ``by the nightly inbox run``)."""
    from zoneinfo import ZoneInfo

    when = first.ingested_at
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    local = when.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")
    who = first.username or "the nightly inbox run"
    return f"already ingested on {local} by {who}"


def run_uploads(kept: list[Stored], *, config: Any, store: Any, username: str) -> UploadRun:
    """Ingest each kept file, then (when something new was stored) reconcile and write the
    reports into this run's own folder; the run goes into the run journal as ``upload``."""
    from flows.alerts import notify
    from flows.runtime import resolve_as_of

    settings = config.settings
    day = resolve_as_of(config.as_of, settings.timezone)
    record = runlog.new_record(kind="upload", trigger="web", as_of=day.isoformat())
    folder = config.data_dir / "web-reports" / record.run_id
    with runlog.recording(config.data_dir, record,
                          notify=lambda r: notify(settings.alerts, r)) as log:
        results = [_one(item, config, store, username) for item in kept]
        outcomes = [r for r in results if r.status != REFUSED]
        log.update(files=file_counts(results),
                   quarantined=[f"{r.name}: {r.reason}" for r in outcomes
                                if r.status == QUARANTINED])
        summary, written = None, None
        if any(r.status == INGESTED for r in outcomes):
            summary, written = _reconcile_and_report(config, day, folder, log)
    return UploadRun(results, summary, written, record.run_id)


def _reconcile_and_report(config: Any, day: dt.date, folder: Path, log: Any) -> tuple:
    """Reconcile (under the run lock), then write the reports into ``folder``
    (:func:`flows.nightly_step.reconcile_and_report`)."""
    from flows.nightly_step import reconcile_and_report

    log.update(report_folder=str(folder))
    summary, _ = reconcile_and_report(db_url=config.db_url, out_dir=folder, as_of=day,
                                      settings=config.settings)
    return summary, str(folder)


def refresh_reports(config: Any, *, username: str) -> UploadRun:
    """Reconcile and write the reports again after review decisions (a run of kind
    ``review`` in the journal, its reports in ``web-reports/<run>/``)."""
    from flows.alerts import notify
    from flows.runtime import resolve_as_of

    day = resolve_as_of(config.as_of, config.settings.timezone)
    record = runlog.new_record(kind="review", trigger=f"web:{username}", as_of=day.isoformat())
    folder = config.data_dir / "web-reports" / record.run_id
    with runlog.recording(config.data_dir, record,
                          notify=lambda r: notify(config.settings.alerts, r)) as log:
        summary, written = _reconcile_and_report(config, day, folder, log)
    return UploadRun([], summary, written, record.run_id)


def _one(item: Stored, config: Any, store: Any, username: str) -> FileResult:
    if item.path is None:
        result = result_of(item, None)
    else:
        first = store.first_ingest(item.sha256)
        outcome = ingest_kept(item, db_url=config.db_url, settings=config.settings)
        result = result_of(item, outcome)
        if outcome.status == ALREADY_INGESTED and first is not None:
            result = _with(result, first_seen=first_seen_words(first, config.settings.timezone))
        elif outcome.status == INGESTED and outcome.kind == "bank":
            balance = store.balance_check(item.sha256) or "no balances in the file"
            result = _with(result, balance=balance)
    store.record_upload(sha256=item.sha256, file_name=item.original_name, size_bytes=item.size,
                        username=username, status=result.status,
                        outcome={"new": result.new, "duplicates": result.duplicates,
                                 "rejected": result.rejected, "reason": result.reason,
                                 "balance": result.balance, "first_seen": result.first_seen})
    return result


def _with(result: FileResult, **changes: Any) -> FileResult:
    from dataclasses import replace

    return replace(result, **changes)
