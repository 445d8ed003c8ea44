"""The pipeline's steps as plain functions: what every task and flow calls.

Each step opens its own :class:`~pipeline.store.Store` from a URL string (never an
Engine passed around), does one thing, and returns a small outcome value. No Prefect
here: these are tested directly and wrapped one line each in :mod:`flows.tasks`.
"""

from __future__ import annotations

import datetime as dt
import gc
import shutil
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
REASON_SUFFIX = ".reason.txt"
# Uploads still in progress (browser/rsync partials, Office lock files) are left alone,
# and so are notes about the inbox itself (README, *.md): they are never inputs.
SKIPPED_SUFFIXES = (".part", ".partial", ".crdownload", ".tmp", ".swp", ".md")
SKIPPED_PREFIXES = ("~$", "readme")


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one input file. ``status`` is one of INGESTED, ALREADY_INGESTED,
    QUARANTINED; ``reason`` says why a file was quarantined."""

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
        return FileOutcome(path=str(path), file_name=source.name, sha256="",
                           status=QUARANTINED, reason=f"cannot read file: {exc.strerror}")
    with open_store(db_url) as store:
        if store.file_ingested(source.sha256):
            return FileOutcome(**base, status=ALREADY_INGESTED)
        try:
            return _ingest(source, base, store, fmt, settings)
        except Exception as exc:  # noqa: BLE001 - one file must never stop the night
            log.debug("ingesting %s failed", source.name, exc_info=True)
            reason = f"could not be read or stored: {one_line(exc)}"
            store.quarantine(file_name=source.name, sha256=source.sha256, reason=reason)
            return FileOutcome(**base, status=QUARANTINED, reason=reason)


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
    from pipeline.matching import match

    with open_store(db_url) as store, store.run_lock():
        run_id = store.start_run("reconcile", as_of)
        try:
            payments, invoices = store.load_payments(), store.load_invoices()
            loaded = {"ledger": store.load_ledger(), "reversals": store.load_reversals(),
                      "tickets": store.load_tickets(), "clients": store.load_clients(),
                      "payouts": store.load_payouts(),
                      "non_payments": store.load_non_payments()}
            with loaded_frozen():
                result = match(payments, invoices, settings=settings, as_of=as_of,
                               map_partitions=map_partitions, **loaded)
                store.save_match_result(run_id, result)
                added = store.append_ledger(result.entries)
        except Exception as exc:
            store.finish_run(run_id, "failed", {"error": f"{type(exc).__name__}: {exc}"})
            raise
        summary = {"run_id": run_id, "as_of": as_of.isoformat(),
                   "payments": len(payments), "invoices": len(invoices),
                   **match_counts(result), "ledger_added": added}
        store.finish_run(run_id, "completed", summary)
    return summary


@contextmanager
def loaded_frozen() -> Iterator[None]:
    """The objects alive now (the frames just loaded, millions of cells) set aside from the
    cyclic collector for the block (:func:`gc.freeze`): its collections then walk the
    block's new objects only, not the loaded ones again and again. Handed back after."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


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
    from pipeline.reporting import ReportInputs, build_report
    from reports import write_all

    with open_store(db_url) as store, store.run_lock():
        inputs = ReportInputs(
            invoices=store.load_invoices(), clients=store.load_clients(),
            payments=store.load_payments(), match=store.load_match_result(),
            rejects=store.load_rejects(), tickets=store.load_tickets(),
            payouts=store.load_payouts(), ledger=store.load_ledger(),
            files=store.load_source_files(), bank_lines=store.load_bank_transactions(),
            payout_items=store.load_payout_items(),
            non_payments=store.load_non_payments(),
            statement_balances=store.load_statement_balances(),
            posted=store.load_posted(), database_id=store.database_id(),
        )
        data = build_report(inputs, as_of=as_of, settings=settings)
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = write_all(data, out)
    return ReportOutcome(paths=[str(p) for p in paths], summary=dict(data.summary))


def tally(outcomes: Iterable[FileOutcome]) -> dict[str, int]:
    """Counts over file outcomes: files per status and records new/duplicate/rejected."""
    totals = dict.fromkeys(
        (INGESTED, ALREADY_INGESTED, QUARANTINED, "new", "duplicates", "rejected",
         "invoices_updated"), 0)
    for outcome in outcomes:
        totals[outcome.status] += 1
        for name in ("new", "duplicates", "rejected", "invoices_updated"):
            totals[name] += getattr(outcome, name)
    return totals


# ----------------------------------------------------------------------------- inbox


def default_dirs(inbox: Path, settings: Settings, archive: str | Path | None = None,
                 quarantine: str | Path | None = None) -> tuple[Path, Path]:
    """Archive and quarantine folders: given, else from settings, else beside the inbox."""
    archive_dir = Path(archive or settings.archive or inbox.parent / "archive")
    quarantine_dir = Path(quarantine or settings.quarantine or inbox.parent / "quarantine")
    return archive_dir, quarantine_dir


def drain_inbox(inbox: str | Path, *, archive: str | Path | None = None,
                quarantine: str | Path | None = None,
                exclude: Iterable[str | Path] = ()) -> list[Path]:
    """Every file under ``inbox`` (recursive, sorted) that is waiting to be ingested.

    Skips hidden files and folders, ``*.reason.txt`` files, partial uploads, notes
    (``README*``, ``*.md``), and anything under the archive, quarantine or ``exclude``
    folders (e.g. the report folder) when those sit inside the inbox.
    """
    root = Path(inbox)
    if not root.is_dir():
        raise FileNotFoundError(f"inbox folder not found: {root}")
    excluded = [Path(p).resolve() for p in (archive, quarantine, *exclude) if p is not None]
    files = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        name = path.name.lower()
        if name.endswith((REASON_SUFFIX, *SKIPPED_SUFFIXES)) or name.startswith(SKIPPED_PREFIXES):
            continue
        resolved = path.resolve()
        if any(resolved.is_relative_to(folder) for folder in excluded):
            continue
        files.append(path)
    return files


def archive_file(path: str | Path, inbox: str | Path, archive: str | Path) -> Path:
    """Move a processed inbox file to ``archive``, keeping its sub-path; never overwrite."""
    dest = _free_destination(Path(path), Path(inbox), Path(archive))
    return Path(shutil.move(str(path), dest))


def quarantine_file(path: str | Path, inbox: str | Path, quarantine: str | Path,
                    reason: str) -> Path:
    """Move an unreadable inbox file to ``quarantine`` with ``<name>.reason.txt`` beside it."""
    dest = _free_destination(Path(path), Path(inbox), Path(quarantine), reason_file=True)
    moved = Path(shutil.move(str(path), dest))
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    _reason_path(moved).write_text(
        f"{reason}\n\nfile: {Path(path).name}\nquarantined: {stamp}\n", encoding="utf-8")
    return moved


def _free_destination(path: Path, inbox: Path, target: Path, *, reason_file: bool = False) -> Path:
    """``target/<sub-path>``, or ``name-1.ext``, ``name-2.ext``... when that is taken."""
    try:
        rel = path.resolve().relative_to(inbox.resolve())
    except ValueError:
        rel = Path(path.name)
    base = target / rel
    base.parent.mkdir(parents=True, exist_ok=True)
    candidate, n = base, 0
    while candidate.exists() or (reason_file and _reason_path(candidate).exists()):
        n += 1
        candidate = base.with_name(f"{base.stem}-{n}{base.suffix}")
    return candidate


def _reason_path(path: Path) -> Path:
    return path.with_name(path.name + REASON_SUFFIX)
