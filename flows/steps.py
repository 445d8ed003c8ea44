"""The pipeline's steps as plain functions: what every task and flow calls.

Each step opens its own :class:`~pipeline.store.Store` from a URL string (never an
Engine passed around), does one thing, and returns a small outcome value. No Prefect
here: these are tested directly and wrapped one line each in :mod:`flows.tasks`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flows.runlog import one_line
from pipeline.masking import masked_logger
from pipeline.settings import Settings

log = masked_logger(__name__)

INGESTED = "ingested"
ALREADY_INGESTED = "already_ingested"
QUARANTINED = "quarantined"
# listed, but no longer in the inbox when its turn came: not an input problem, nothing stored
GONE = "gone"
GONE_REASON = ("no longer in the inbox when its turn came (another run took it, or it was moved "
               "or deleted): nothing was read or stored")


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one input file. ``status`` is one of INGESTED, ALREADY_INGESTED,
    QUARANTINED, GONE; ``reason`` says why a file was quarantined (or is gone)."""

    path: str
    file_name: str
    sha256: str
    status: str
    fmt: str | None = None
    kind: str | None = None
    reason: str | None = None
    new: int = 0
    duplicates: int = 0
    rejected: int = 0
    invoices_updated: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReportOutcome:
    """The files one report run wrote and the report's summary (``ReportData.summary``)."""

    paths: list[str]
    summary: dict[str, Any]


@dataclass(frozen=True)
class RunOutcome:
    """One nightly run: every file's outcome, the reconcile summary, the report written."""

    as_of: str
    files: list[FileOutcome]
    reconcile: dict[str, Any]
    report: ReportOutcome
    out_dir: str


@contextmanager
def open_store(db_url: str) -> Iterator[Any]:
    """A :class:`~pipeline.store.Store` for the duration of one step; the password (never a
    parameter) is put back into the URL here, from the environment."""
    from pipeline.database_url import with_password
    from pipeline.store import Store

    store = Store(with_password(db_url))
    try:
        yield store
    finally:
        store.close()


def check_database(db_url: str) -> str | None:
    """``None`` when the database at ``db_url`` opens, else a one-line reason."""
    try:
        with open_store(db_url) as store:
            store.counts()
    except Exception as exc:  # noqa: BLE001 - any failure here is the user's URL/server
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return f"{type(exc).__name__}: {first}"
    return None


def ingest_file(path: str | Path, *, db_url: str, fmt: str | None = None,
                settings: Settings | None = None) -> FileOutcome:
    """Read one file into the store, at most once per content (sha256).

    Already-ingested content stores nothing; an unrecognised or refused file is
    quarantined in the store with its reason; otherwise records and rejects are stored.
    A parser that crashes (a bug) also quarantines the file, so one file cannot stop a
    nightly run; the traceback goes to the log.
    """
    from parsers.base import SourceFile

    source = SourceFile(Path(path))
    try:
        base = {"path": str(path), "file_name": source.name, "sha256": source.sha256}
    except OSError as exc:  # unreadable: nothing to record by content, only to set aside
        return unreadable(path, source.name, exc)
    with open_store(db_url) as store:
        if store.file_ingested(source.sha256):
            return FileOutcome(**base, status=ALREADY_INGESTED)
        try:
            return _ingest(source, base, store, fmt, settings)
        except Exception as exc:  # noqa: BLE001 - one file must never stop the night
            if not source.path.exists():  # taken while it was being read
                return gone(base)
            log.debug("ingesting %s failed", source.name, exc_info=True)
            reason = f"could not be read or stored: {one_line(exc)}"
            store.quarantine(file_name=source.name, sha256=source.sha256, reason=reason)
            return FileOutcome(**base, status=QUARANTINED, reason=reason)


def unreadable(path: str | Path, name: str, exc: OSError) -> FileOutcome:
    """The outcome of a file whose content could not be read: GONE when it is no longer
    there (it was listed, then taken), else QUARANTINED with the system's reason."""
    base = {"path": str(path), "file_name": name, "sha256": ""}
    if isinstance(exc, FileNotFoundError):
        return gone(base)
    return FileOutcome(**base, status=QUARANTINED, reason=f"cannot read file: {exc.strerror}")


def gone(base: dict) -> FileOutcome:
    """The outcome of a file listed but no longer there (``base``: path, name, sha256)."""
    return FileOutcome(**base, status=GONE, reason=GONE_REASON)


def _ingest(source: Any, base: dict, store: Any, fmt: str | None,
            settings: Settings | None) -> FileOutcome:
    """Parse one not-yet-ingested file and store it, or quarantine it with its reason."""
    accounts = settings.accounts if settings else ()
    default_currency = settings.default_currency if settings else None
    parser, result, reason = _parse(source, fmt, accounts, default_currency)
    return store_parsed(store, base, fmt=getattr(parser, "format", None),
                        kind=getattr(parser, "kind", None),
                        size_bytes=source.path.stat().st_size, result=result, reason=reason)


def store_parsed(store: Any, base: dict, *, fmt: str | None, kind: str | None,
                 size_bytes: int, result: Any, reason: str | None) -> FileOutcome:
    """Store one parsed file (``base``: its path, name and sha256), or quarantine it in the
    store when ``reason`` says why it cannot be used."""
    if reason is not None:
        store.quarantine(file_name=base["file_name"], sha256=base["sha256"], reason=reason)
        return FileOutcome(**base, status=QUARANTINED, fmt=fmt, reason=reason)
    counts = store.ingest(
        file_name=base["file_name"], sha256=base["sha256"], fmt=fmt, kind=kind,
        size_bytes=size_bytes, records=result.records,
        rejects=result.rejects, warnings=result.warnings,
    )
    if counts.already_ingested:  # another process stored it since the check above
        return FileOutcome(**base, status=ALREADY_INGESTED)
    return FileOutcome(
        **base, status=INGESTED, fmt=fmt, kind=kind, new=counts.new,
        duplicates=counts.duplicates, rejected=counts.rejected,
        invoices_updated=counts.invoices_updated, warnings=list(result.warnings),
    )


def _parse(source: Any, fmt: str | None, accounts: Any = (),
           default_currency: str | None = None) -> tuple[Any, Any, str | None]:
    """(parser, parse result, quarantine reason or None) for one source file."""
    from parsers.limits import junk, junk_start
    from parsers.registry import detect

    detection = detect(source, fmt, accounts=accounts, default_currency=default_currency)
    if detection.problem or detection.parser is None:
        return None, None, detection.problem or "no parser"
    parser = detection.parser
    try:
        result = parser.parse(source)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the batch
        log.warning("parser %s crashed on %s: %s", parser.format, source.name, one_line(exc))
        log.debug("parser %s crashed on %s", parser.format, source.name, exc_info=True)
        return parser, None, f"parser {parser.format} failed: {one_line(exc)}"
    if result.refusal:
        return parser, result, result.refusal
    junk_rows = junk_start(result.records, result.rejects)
    if junk_rows:
        return parser, result, junk(parser.format, junk_rows)
    return parser, result, all_rejected(result)


def all_rejected(result: Any) -> str | None:
    """Why a file whose every row was rejected is a failed file (``None`` otherwise).

    Such a file stores nothing a person could use, so it is quarantined with its reason
    (the commonest reasons, with a line each) instead of counting as ingested.
    """
    if result.records or not result.rejects:
        return None
    reasons: dict[str, list[int | None]] = {}
    for reject in result.rejects:
        reasons.setdefault(reject.reason, []).append(reject.source_line)
    common = sorted(reasons.items(), key=lambda item: -len(item[1]))[:3]
    shown = "; ".join(f"{len(lines)}× {reason}"
                      + (f" (first at line {lines[0]})" if lines[0] else "")
                      for reason, lines in common)
    return f"every row was rejected ({len(result.rejects)} rows): {shown}"


def reconcile(*, db_url: str, as_of: dt.date, settings: Settings,
              map_partitions: Any = None) -> dict[str, Any]:
    """Match every stored payment against the invoices and the ledger, save the result as
    one run and append the night's new ledger entries (idempotently: re-running adds none).
    ``map_partitions`` runs the engine's per-row work (a cluster's, see
    :mod:`flows.fanout_match`; default: this process).

    Returns the run summary (also stored on the run row): ``run_id``, ``as_of``,
    ``payments``, ``invoices``, allocation counts per status, ``unmatched``, ``exceptions``,
    ``ledger_added``.
    """
    from flows.nightly_step import matched, reconcile_inputs, run_summary, saved

    with open_store(db_url) as store, store.run_lock():
        run_id = store.start_run("reconcile", as_of)
        try:
            inputs = reconcile_inputs(store, db_url, settings)
            result = matched(inputs, as_of=as_of, settings=settings,
                             map_partitions=map_partitions)
            added = saved(store, run_id, result)
        except Exception as exc:
            store.finish_run(run_id, "failed", {"error": f"{type(exc).__name__}: {exc}"})
            raise
        summary = run_summary(run_id, as_of, inputs, match_counts(result), added)
        store.finish_run(run_id, "completed", summary)
    return summary


def match_counts(result: Any) -> dict[str, int]:
    """Allocation rows per status, plus unmatched and exception rows, of a MatchResult."""
    statuses = result.allocations["status"].astype(str).value_counts()
    counts = {name: int(statuses.get(name, 0))
              for name in ("auto", "suggested", "confirmed", "rejected")}
    counts["unmatched"] = len(result.unmatched)
    counts["exceptions"] = len(result.exceptions)
    return counts


def report(*, db_url: str, out_dir: str | Path, as_of: dt.date,
           settings: Settings) -> ReportOutcome:
    """Build the report from the store's latest match result and write every export."""
    from flows.two_cores import report_halves, report_inputs
    from pipeline.reporting import ReportInputs, build_report
    from reports import write_all

    with open_store(db_url) as store, store.run_lock():
        data = build_report(ReportInputs(**report_inputs(store, db_url, settings),
                                         database_id=store.database_id()),
                            as_of=as_of, settings=settings)  # the inputs freed once built
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = write_all(data, out, halves=report_halves(data, settings))
    return ReportOutcome(paths=[str(p) for p in paths], summary=dict(data.summary))


def tally(outcomes: Iterable[FileOutcome]) -> dict[str, int]:
    """Counts over file outcomes: files per status and records new/duplicate/rejected."""
    totals = dict.fromkeys(
        (INGESTED, ALREADY_INGESTED, QUARANTINED, GONE, "new", "duplicates", "rejected",
         "invoices_updated"), 0)
    for outcome in outcomes:
        totals[outcome.status] += 1
        for name in ("new", "duplicates", "rejected", "invoices_updated"):
            totals[name] += getattr(outcome, name)
    return totals
