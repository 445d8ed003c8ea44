"""Ingest in two halves, so a Dask cluster can parse many files at once.

:func:`parse_file` runs on a worker: it gets a path and the database URL (never an Engine),
and returns a :class:`Parsed` value (the records, or why the file cannot be used).
:func:`store_parsed_file` writes one :class:`Parsed` into the store. The nightly flow
chains the stores in the inbox's order, so the database (ids, which copy of a duplicate
is kept) ends up exactly as a single-process run leaves it. Together the two halves do
what :func:`flows.steps.ingest_file` does. No Prefect here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flows.runlog import one_line
from flows.steps import (
    ALREADY_INGESTED,
    QUARANTINED,
    FileOutcome,
    _parse,
    gone,
    open_store,
    store_parsed,
    unreadable,
)
from pipeline.database_url import sqlite_file
from pipeline.masking import masked_logger
from pipeline.settings import AlertSettings, Settings

log = masked_logger(__name__)


def without_secrets(settings: Settings) -> Settings:
    """``settings`` without the database and SMTP passwords: what may travel to workers
    (they read the database password from their own environment)."""
    return settings.model_copy(update={"database_password": None, "alerts": AlertSettings()})


def check_shared_database(db_url: str) -> None:
    """Workers open the database themselves: an in-memory SQLite database cannot be shared."""
    if db_url.startswith("sqlite") and sqlite_file(db_url) is None:
        raise ValueError(f'task_runner = "dask" needs PostgreSQL or a SQLite file, not {db_url}')


@dataclass(frozen=True)
class Parsed:
    """One file read by a worker: ``base`` (path, file name, sha256), then either
    ``already`` (its content is stored), or the parse ``result`` with the format, or the
    ``reason`` it is quarantined (``unreadable``: the outcome of a file whose content could
    not even be read)."""

    base: dict[str, str]
    size_bytes: int = 0
    fmt: str | None = None
    kind: str | None = None
    result: Any = None
    reason: str | None = None
    already: bool = False
    unreadable: FileOutcome | None = None


def parse_file(path: str, *, db_url: str, fmt: str | None = None,
               settings: Settings | None = None) -> Parsed:
    """Read one file on a worker: its content hash, and its records unless already stored."""
    from parsers.base import SourceFile

    source = SourceFile(Path(path))
    try:
        base = {"path": str(path), "file_name": source.name, "sha256": source.sha256}
    except OSError as exc:
        outcome = unreadable(path, source.name, exc)
        return Parsed(base={"path": str(path), "file_name": source.name, "sha256": ""},
                      reason=outcome.reason, unreadable=outcome)
    with open_store(db_url) as store:
        if store.file_ingested(source.sha256):
            return Parsed(base=base, already=True)
    accounts = settings.accounts if settings else ()
    currency = settings.default_currency if settings else None
    try:
        parser, result, reason = _parse(source, fmt, accounts, currency)
    except Exception as exc:  # noqa: BLE001 - one file must never stop the night
        if not source.path.exists():  # taken while it was being read
            outcome = gone(base)
            return Parsed(base=base, reason=outcome.reason, unreadable=outcome)
        log.debug("parsing %s failed", source.name, exc_info=True)
        return Parsed(base=base, reason=f"could not be read or stored: {one_line(exc)}")
    return Parsed(base=base, size_bytes=source.path.stat().st_size,
                  fmt=getattr(parser, "format", None), kind=getattr(parser, "kind", None),
                  result=result, reason=reason)


def store_parsed_file(parsed: Parsed, *, db_url: str) -> FileOutcome:
    """Write one parsed file into the store (at most once per content), or quarantine it."""
    if parsed.unreadable:
        return parsed.unreadable
    if parsed.already:
        return FileOutcome(**parsed.base, status=ALREADY_INGESTED)
    with open_store(db_url) as store:
        if store.file_ingested(parsed.base["sha256"]):
            return FileOutcome(**parsed.base, status=ALREADY_INGESTED)
        try:
            return store_parsed(store, parsed.base, fmt=parsed.fmt, kind=parsed.kind,
                                size_bytes=parsed.size_bytes, result=parsed.result,
                                reason=parsed.reason)
        except Exception as exc:  # noqa: BLE001 - one file must never stop the night
            log.debug("storing %s failed", parsed.base["file_name"], exc_info=True)
            reason = f"could not be read or stored: {one_line(exc)}"
            store.quarantine(file_name=parsed.base["file_name"],
                             sha256=parsed.base["sha256"], reason=reason)
            return FileOutcome(**parsed.base, status=QUARANTINED, reason=reason)
