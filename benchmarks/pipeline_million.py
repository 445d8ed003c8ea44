"""``bench_pipeline.py --million``: the frames of :mod:`benchmarks.bench_reconcile` (``n`` money
lines against ``n`` invoices of a hosting shop) written as an Indonesian bank CSV and the
canonical invoices CSV, for ``flows.steps.ingest_file`` to load into a store (untimed), so
reconcile and report are timed on the real path.

The money is cut into files of at most FILE_LINES lines (one statement a file, as a bank
exports a month in parts).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks import bench_reconcile
from benchmarks.synthetic_base import write_csv

AS_OF = bench_reconcile.AS_OF
FILE_LINES = 250_000
BANK_HEADER = ["Tanggal", "Keterangan", "No. Referensi", "Mutasi Debet", "Mutasi Kredit",
               "Mata Uang", "Saldo"]
INVOICE_HEADER = ["invoice_number", "client_id", "client_name", "client_email", "issue_date",
                  "due_date", "total", "balance", "currency", "status", "first_invoice",
                  "group_id"]


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished children (the report's forked writer,
    ``flows.two_cores``): ``time.process_time`` alone would miss the child's half."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def peak_rss_mb() -> tuple[float, float]:
    """(this process, its largest finished child) peak RSS in MB (``ru_maxrss``)."""
    return tuple(resource.getrusage(who).ru_maxrss / 1024  # type: ignore[return-value]
                 for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))


def frames(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(money, invoices): the frames bench_reconcile matches at size ``n``."""
    rng = np.random.default_rng(n)
    invoices = bench_reconcile.invoices(n, rng)
    return bench_reconcile.payments(n, invoices, rng), invoices


def _idr(minor: pd.Series) -> pd.Series:
    """``35000000`` -> ``350.000,00`` (Indonesian grouping), a column at once."""
    whole = (minor.abs() // 100).map("{:,}".format).str.replace(",", ".", regex=False)
    return whole + "," + (minor.abs() % 100).astype(str).str.zfill(2)


def _plain(minor: pd.Series) -> pd.Series:
    return (minor // 100).astype(str) + "." + (minor % 100).astype(str).str.zfill(2)


def write_month(n: int, inbox: Path) -> list[str]:
    """Write the month of size ``n`` into ``inbox``; the file names, invoices first."""
    money, invoices = frames(n)
    inbox.mkdir(parents=True, exist_ok=True)
    names = ["invoices.csv"]
    issue, due = pd.to_datetime(invoices["issue_date"]), pd.to_datetime(invoices["due_date"])
    rows = pd.DataFrame({
        "invoice_number": invoices["invoice_number"], "client_id": invoices["client_id"],
        "client_name": "Client " + invoices["client_id"], "client_email": "",
        "issue_date": issue.dt.strftime("%Y-%m-%d"), "due_date": due.dt.strftime("%Y-%m-%d"),
        "total": _plain(invoices["total_minor"]), "balance": _plain(invoices["balance_minor"]),
        "currency": invoices["currency"], "status": invoices["status"], "first_invoice": "no",
        "group_id": ""})
    write_csv(inbox / names[0], INVOICE_HEADER, rows.itertuples(index=False, name=None))
    balance = 1_000_000_000 + money["amount_minor"].cumsum()
    day = pd.to_datetime(money["source_date"]).dt.strftime("%d/%m/%Y")
    rows = pd.DataFrame({"day": day, "text": money["text"],
                         "ref": "FT" + money["payment_id"].astype(str).str.zfill(10),
                         "debit": "", "credit": _idr(money["amount_minor"]),
                         "currency": money["currency"], "balance": _idr(balance)})
    for part, start in enumerate(range(0, n, FILE_LINES)):
        names.append(f"bank-{part + 1:02d}.csv")
        write_csv(inbox / names[-1], BANK_HEADER,
                  rows.iloc[start:start + FILE_LINES].itertuples(index=False, name=None),
                  delimiter=";", preamble=f"Rekening;1234567890\nPeriode;01/10/2026 - "
                  f"{AS_OF + dt.timedelta(days=1):%d/%m/%Y}\n\n")
    return names


def setup(n: int, inbox: Path, url: str) -> dict:
    """Write the month of size ``n`` and ingest it (untimed by the table: its own figures)."""
    from flows.steps import ingest_file
    from pipeline.settings import Settings

    started = time.perf_counter()
    names = write_month(n, inbox)
    written = time.perf_counter()
    outcomes = [ingest_file(inbox / name, db_url=url, settings=Settings()) for name in names]
    bad = [o.file_name for o in outcomes if o.status != "ingested" or o.rejected]
    if bad:
        raise SystemExit(f"the month did not ingest cleanly: {bad}")
    return {"lines": n, "files": len(names), "write_s": written - started,
            "ingest_s": time.perf_counter() - written}


# the timed runs: (label, the nightly's one step or the two commands apart, processes)
MODES = {"apart": ("reconcile, then report (apart)", False, 2),
         "nightly": ("nightly step, 2 processes", True, 2),
         "nightly-1": ("nightly step, 1 process", True, 1)}


class TreePss:
    """The peak of this process's PSS plus its children's (``/proc/*/smaps_rollup``, every
    ``every`` s in a thread): the memory a run really holds when a forked child shares pages
    with it (``ru_maxrss`` counts shared pages in each)."""

    def __init__(self, every: float = 0.25) -> None:
        self.peak_mb, self._every, self._stop = 0.0, every, threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> TreePss:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(self._every):
            pids = [os.getpid(), *_children(os.getpid())]
            self.peak_mb = max(self.peak_mb, sum(map(_pss_kib, pids)) / 1024)


def _children(pid: int) -> list[int]:
    try:
        text = " ".join(Path(f"/proc/{pid}/task/{t}/children").read_text()
                        for t in os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return []
    return [int(c) for c in text.split()]


def _pss_kib(pid: int) -> int:
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in lines if line.startswith("Pss:")), 0)


def timed_run(url: str, out: Path, workers: int, mode: str = "nightly") -> dict:
    """Reconcile and report as of AS_OF: the nightly run's one step
    (:func:`flows.nightly_step.reconcile_and_report`), or ``mode`` "apart" the two commands'
    steps; on a ``workers``-worker LocalCluster when > 0. Wall and CPU seconds, peak RSS
    (this process; its largest child; the largest worker) and the peak summed PSS."""
    from benchmarks.pipeline_dask import Cluster
    from flows.fanout_match import DaskMapper
    from flows.nightly_step import reconcile_and_report
    from flows.steps import reconcile, report
    from pipeline.settings import Settings

    label, nightly, processes = MODES[mode]
    settings = Settings(processes=processes)
    cluster = Cluster(workers) if workers else None
    clock = cluster.clock if cluster else lambda: (time.perf_counter(), cpu_seconds())
    try:
        mapper = DaskMapper(cluster.client) if cluster else None
        with TreePss() as pss:
            marks = [clock()]
            if nightly:
                summary, _ = reconcile_and_report(db_url=url, out_dir=out, as_of=AS_OF,
                                                  settings=settings, map_partitions=mapper)
            else:
                summary = reconcile(db_url=url, as_of=AS_OF, settings=settings,
                                    map_partitions=mapper)
                marks.append(clock())
                report(db_url=url, out_dir=out, as_of=AS_OF, settings=settings)
            marks.append(clock())
        workers_rss = cluster.peak_rss_mb() if cluster else 0.0
    finally:
        if cluster:
            cluster.close()
    spans = [(b[0] - a[0], b[1] - a[1]) for a, b in zip(marks, marks[1:], strict=False)]
    return {"mode": f"{label}, dask {workers}" if workers else label,
            "payments": summary["payments"], "invoices": summary["invoices"],
            "auto": summary["auto"], "suggested": summary["suggested"], "spans": spans,
            "peak_rss_mb": peak_rss_mb()[0], "child_peak_rss_mb": peak_rss_mb()[1],
            "peak_pss_mb": pss.peak_mb, "workers_peak_rss_mb": workers_rss}


def _mb(value: float) -> str:
    return f"{value:,.0f}" if value else "-"


def _child(row: dict) -> str:
    """`` + 1,234`` (the largest forked child's peak), or nothing."""
    child = row.get("child_peak_rss_mb", 0.0)
    return f" + {child:,.0f}" if child else ""


def _span(span: tuple[float, float] | None) -> str:
    return f"{span[0]:.1f} ({span[1]:.1f})" if span else "-"


def render(prepared: dict, rows: list[dict]) -> str:
    """The table: wall seconds with CPU seconds in brackets."""
    lines = [f"{prepared['lines']:,} money lines x {prepared['lines']:,} invoices: written in "
             f"{prepared['write_s']:.0f} s, ingested in {prepared['ingest_s']:.0f} s (untimed "
             "below)",
             "| run | reconcile s (cpu) | report s (cpu) | reconcile + report s (cpu) "
             "| peak PSS MB, all processes | peak RSS MB (+ child) (largest worker) "
             "| auto / suggested |",
             "|" + "---|" * 7]
    for r in rows:
        spans = r["spans"]
        both = tuple(sum(part) for part in zip(*spans, strict=True))
        apart = spans if len(spans) == 2 else [None, None]
        lines.append(
            f"| {r['mode']} | {_span(apart[0])} | {_span(apart[1])} | {_span(both)} | "
            f"{r['peak_pss_mb']:,.0f} | {r['peak_rss_mb']:,.0f}{_child(r)} "
            f"({_mb(r['workers_peak_rss_mb'])}) | {r['auto']:,} / {r['suggested']:,} |")
    return "\n".join(lines)


def million_child(args: argparse.Namespace, inbox: Path, work: Path) -> int:
    """``million-setup``: write and ingest the 1M month into ``work``/base.db;
    ``million-run``: reconcile + report on ``work``/run.db (a copy of it)."""
    if args.child == "million-setup":
        figures = setup(args.lines, inbox, f"sqlite:///{work / 'base.db'}")
    else:
        figures = timed_run(f"sqlite:///{work / 'run.db'}", work / "reports", args.dask or 0,
                            args.million_mode)
    print(json.dumps(figures, default=str))
    return 0


def million(args: argparse.Namespace, script: str) -> str:
    """The 1M x 1M reconcile + report, single process (and on Dask), each step a child
    process of ``script`` (bench_pipeline.py): the table."""
    work = Path(tempfile.mkdtemp(prefix="payrecon-bench-million-"))
    base = [sys.executable, script, "--work", str(work), "--inbox", str(work / "inbox"),
            "--lines", str(args.lines)]
    if args.partition_rows:
        base += ["--partition-rows", str(args.partition_rows)]
    try:
        prepared = last_json(subprocess.run([*base, "--child", "million-setup"], check=True,
                                             capture_output=True, text=True).stdout)
        rows = []
        runs = [(0, mode) for mode in MODES] + ([(args.dask, "nightly")] if args.dask else [])
        for workers, mode in runs:
            shutil.copy(work / "base.db", work / "run.db")
            shutil.rmtree(work / "reports", ignore_errors=True)
            run = [*base, "--child", "million-run", "--dask", str(workers), "--million-mode",
                   mode]
            rows.append(last_json(subprocess.run(run, check=True, capture_output=True,
                                                  text=True).stdout))
            print(json.dumps(rows[-1], default=str), file=sys.stderr)
        return render(prepared, rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def last_json(output: str) -> dict:
    """The last line a child process printed, as JSON (its figures)."""
    return json.loads(output.strip().splitlines()[-1])
