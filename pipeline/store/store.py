"""The ``Store``: the pipeline's only door to the database (SQLite file or PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
from contextlib import AbstractContextManager

import pandas as pd
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from pipeline.matching import MatchResult
from pipeline.models import Reject
from pipeline.store import (
    browse_detail,
    catalog,
    files,
    ledger,
    locks,
    postings,
    reads,
    report_reads,
    results,
    runs,
    tables,
)
from pipeline.store.engine import (
    DEFAULT_URL,
    make_engine,
    migrate,
    replace_transaction,
    write_transaction,
)
from pipeline.store.ingest import IngestCounts


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Store:
    """Opened on a SQLAlchemy URL; the schema is migrated to head on opening.

    ``sqlite:///path.db`` (default ``sqlite:///payrecon.db``; the folder is created) or
    ``postgresql://...`` (psycopg 3 is used when the URL names no driver).
    """

    def __init__(self, url: str = DEFAULT_URL, beat_every: dt.timedelta = runs.BEAT_EVERY) -> None:
        self.url = url
        self._beat_every = beat_every
        self._pulses: dict[int, runs.Pulse] = {}
        self._engine = make_engine(url)
        try:
            migrate(self._engine)
        except BaseException:
            self._engine.dispose()
            raise

    def __repr__(self) -> str:
        return f"Store({self._engine.url.render_as_string(hide_password=True)!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for run_id in list(self._pulses):
            self._pulses.pop(run_id).stop()
        self._engine.dispose()

    # -- files ---------------------------------------------------------------------------
    def file_ingested(self, sha256: str) -> bool:
        with self._engine.connect() as conn:
            return files.file_ingested(conn, sha256)

    def ingest(self, *, file_name: str, sha256: str, fmt: str, kind: str, size_bytes: int,
               records: list, rejects: list[Reject], warnings: list[str]) -> IngestCounts:
        """Store one parsed file in one transaction; records already stored are skipped."""
        file = {"sha256": sha256, "file_name": file_name, "format": fmt, "kind": kind,
                "size_bytes": size_bytes}
        with write_transaction(self._engine) as conn:
            return files.ingest_file(conn, file=file, records=records, rejects=rejects,
                                     warnings=warnings, now=_now())

    def quarantine(self, *, file_name: str, sha256: str, reason: str) -> None:
        with write_transaction(self._engine) as conn:
            files.quarantine(conn, file_name=file_name, sha256=sha256, reason=reason, now=_now())

    # -- runs ----------------------------------------------------------------------------
    def start_run(self, kind: str, as_of: dt.date | None) -> int:
        """A new ``running`` row with this process's pid, host and heartbeat; rows left
        ``running`` by a process that is gone are marked ``interrupted`` first. Its heartbeat
        is refreshed every ``beat_every`` until :meth:`finish_run` (or :meth:`close`)."""
        with write_transaction(self._engine) as conn:
            run_id = runs.start(conn, kind, as_of, _now())
        self._pulses[run_id] = runs.Pulse(lambda: self.beat(run_id), self._beat_every)
        return run_id

    def beat(self, run_id: int) -> None:
        """Refresh a running run's heartbeat."""
        with write_transaction(self._engine) as conn:
            runs.beat(conn, run_id, _now())

    def run_lock(self) -> AbstractContextManager[None]:
        """``with store.run_lock(): ...``: one reconcile or report at a time, across
        processes (PostgreSQL advisory lock; ``flock`` on a file beside a SQLite database)."""
        return locks.run_lock(self._engine)

    def finish_run(self, run_id: int, status: str, summary: dict) -> None:
        pulse = self._pulses.pop(run_id, None)
        if pulse is not None:
            pulse.stop()
        text = json.dumps(summary, default=str, ensure_ascii=False, sort_keys=True)
        statement = update(tables.runs).where(tables.runs.c.id == run_id).values(
            status=status, finished_at=_now(), summary_json=text
        )
        with write_transaction(self._engine) as conn:
            if conn.execute(statement).rowcount != 1:
                raise KeyError(f"no run {run_id}")

    # -- reads ---------------------------------------------------------------------------
    def _read(self, loader) -> pd.DataFrame:  # noqa: ANN001
        with self._engine.connect() as conn:
            return loader(conn)

    def read(self, query, *args, **kwargs):  # noqa: ANN001, ANN201
        """Run a read-only query function ``query(conn, *args, **kwargs)`` (the web pages'
        lists and details: :mod:`pipeline.store.browse`, ``browse_invoices``,
        ``browse_detail``) on one connection and return what it returns."""
        with self._engine.connect() as conn:
            return query(conn, *args, **kwargs)

    def money_line(self, payment_kind: str, payment_id: int) -> dict | None:
        """One money line as stored (:func:`browse_detail.money_line`)."""
        return self.read(browse_detail.money_line, payment_kind, payment_id)

    def invoice_detail(self, invoice_number: str) -> dict | None:
        """One invoice with its money, history and ledger (:func:`browse_detail.invoice_detail`)."""
        return self.read(browse_detail.invoice_detail, invoice_number)

    def load_invoices(self) -> pd.DataFrame:
        return self._read(reads.load_invoices)

    def load_clients(self) -> pd.DataFrame:
        return self._read(reads.load_clients)

    def load_payments(self) -> pd.DataFrame:
        return self._read(reads.load_payments)

    def load_rejects(self) -> pd.DataFrame:
        return self._read(reads.load_rejects)

    def load_tickets(self) -> pd.DataFrame:
        return self._read(reads.load_tickets)

    def load_non_payments(self) -> pd.DataFrame:
        return self._read(reads.load_non_payments)

    def load_payouts(self) -> pd.DataFrame:
        return self._read(reads.load_payouts)

    def load_bank_transactions(self) -> pd.DataFrame:
        return self._read(reads.load_bank_transactions)

    def load_statement_balances(self) -> pd.DataFrame:
        return self._read(reads.load_statement_balances)

    def load_report_inputs(self, *, only: frozenset[str] | None = None,
                           skip: frozenset[str] = frozenset()) -> dict[str, object]:
        """Every frame a report reads, each table read once on one connection
        (:func:`pipeline.store.report_reads.load_report_inputs`): the fields of a
        ``ReportInputs`` but its ``database_id`` (``only`` / ``skip``: a part of them)."""
        return self._read(lambda conn: report_reads.load_report_inputs(conn, only=only,
                                                                       skip=skip))

    def report_inputs_after(self, reconciled: dict, result: MatchResult,
                            now: dt.datetime) -> dict[str, object]:
        """What :meth:`load_report_inputs` reads once ``result`` is saved and its entries
        appended at ``now``, made from what reconcile read (``reconciled``) and found: only
        the inputs reconcile has not read are read
        (:func:`pipeline.store.report_reads.inputs_after_reconcile`)."""
        return self._read(lambda conn: report_reads.inputs_after_reconcile(
            conn, reconciled, result, now))

    def counts(self) -> dict[str, int]:
        """Rows per table, in one query."""
        counters = [
            select(func.count()).select_from(t).scalar_subquery().label(t.name)
            for t in tables.metadata.sorted_tables
        ]
        with self._engine.connect() as conn:
            return dict(conn.execute(select(*counters)).one()._mapping)

    # -- match results -------------------------------------------------------------------
    def save_match_result(self, run_id: int, result: MatchResult) -> None:
        with replace_transaction(self._engine) as conn:
            results.save_match_result(conn, run_id, result)

    def load_match_result(self) -> MatchResult:
        with self._engine.connect() as conn:
            return results.load_match_result(conn)

    # -- ledger --------------------------------------------------------------------------
    def append_ledger(self, entries: pd.DataFrame, now: dt.datetime | None = None) -> int:
        """Append LEDGER_COLUMNS entries not stored yet (idempotent), recorded at ``now``
        (default: this moment); returns how many."""
        with write_transaction(self._engine) as conn:
            return ledger.append_entries(conn, entries, now or _now())

    @staticmethod
    def now() -> dt.datetime:
        """This moment as the store records it (UTC)."""
        return _now()

    def load_ledger(self) -> pd.DataFrame:
        return self._read(ledger.load_ledger)

    def load_reversals(self) -> pd.DataFrame:
        return self._read(reads.load_reversals)

    # -- catalog -------------------------------------------------------------------------
    def load_source_files(self) -> pd.DataFrame:
        """Every file read or quarantined, with its outcome (catalog.FILE_SPEC)."""
        return self._read(catalog.load_source_files)

    def load_payout_items(self) -> pd.DataFrame:
        """Gateway transactions with the payout that carries them (catalog.ITEM_SPEC)."""
        return self._read(catalog.load_payout_items)

    # -- postings back to billing --------------------------------------------------------
    def database_id(self) -> str:
        """This database's random id (it names the database in the postings it writes)."""
        try:
            with write_transaction(self._engine) as conn:
                return postings.database_id(conn)
        except IntegrityError:  # another process made it at the same moment: read theirs
            with write_transaction(self._engine) as conn:
                return postings.database_id(conn)

    def load_posted(self) -> pd.DataFrame:
        """POSTED_COLUMNS: what finance recorded as entered in billing."""
        return self._read(postings.load_posted)

    def record_posted(self, rows: pd.DataFrame, *, file_name: str, file_sha256: str,
                      user: str) -> int:
        """Record POSTED_COLUMNS rows as posted (idempotent); returns how many were new."""
        with write_transaction(self._engine) as conn:
            return postings.record_posted(conn, rows, file_name=file_name,
                                          file_sha256=file_sha256, user=user, now=_now())

    def last_reconciled_as_of(self) -> dt.date | None:
        """The as-of date of the latest completed reconciliation."""
        return self._read(postings.last_reconciled_as_of)
