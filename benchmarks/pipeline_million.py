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
import resource
import shutil
import subprocess
import sys
import tempfile
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


def reconcile_and_report(url: str, out: Path, workers: int) -> dict:
    """Reconcile and report as of AS_OF (on a ``workers``-worker LocalCluster when > 0): wall
    and CPU seconds of each, and peak RSS (this process; the largest worker)."""
    from benchmarks.pipeline_dask import Cluster
    from flows.fanout_match import DaskMapper
    from flows.steps import reconcile, report
    from pipeline.settings import Settings

    cluster = Cluster(workers) if workers else None
    clock = cluster.clock if cluster else lambda: (time.perf_counter(), cpu_seconds())
    try:
        mapper = DaskMapper(cluster.client) if cluster else None
        marks = [clock()]
        summary = reconcile(db_url=url, as_of=AS_OF, settings=Settings(), map_partitions=mapper)
        marks.append(clock())
        report(db_url=url, out_dir=out, as_of=AS_OF, settings=Settings())
        marks.append(clock())
        workers_rss = cluster.peak_rss_mb() if cluster else 0.0
    finally:
        if cluster:
            cluster.close()
    spans = [(b[0] - a[0], b[1] - a[1]) for a, b in zip(marks, marks[1:], strict=False)]
    return {"mode": f"dask {workers}" if workers else "1 process",
            "payments": summary["payments"], "invoices": summary["invoices"],
            "auto": summary["auto"], "suggested": summary["suggested"],
            "reconcile": spans[0], "report": spans[1],
            "peak_rss_mb": peak_rss_mb()[0], "child_peak_rss_mb": peak_rss_mb()[1],
            "workers_peak_rss_mb": workers_rss}


def _mb(value: float) -> str:
    return f"{value:,.0f}" if value else "-"


def _child(row: dict) -> str:
    """`` + 1,234`` (the report's forked writer's peak), or nothing."""
    child = row.get("child_peak_rss_mb", 0.0)
    return f" + {child:,.0f}" if child else ""


def render(prepared: dict, rows: list[dict]) -> str:
    """The table: wall seconds with CPU seconds in brackets."""
    lines = [f"{prepared['lines']:,} money lines x {prepared['lines']:,} invoices: written in "
             f"{prepared['write_s']:.0f} s, ingested in {prepared['ingest_s']:.0f} s (untimed "
             "below)",
             "| run | reconcile s (cpu) | report s (cpu) | reconcile + report s (cpu) "
             "| peak RSS MB (largest worker) | auto / suggested |",
             "|" + "---|" * 6]
    for r in rows:
        both = [a + b for a, b in zip(r["reconcile"], r["report"], strict=True)]
        lines.append(
            f"| {r['mode']} | {r['reconcile'][0]:.1f} ({r['reconcile'][1]:.1f}) | "
            f"{r['report'][0]:.1f} ({r['report'][1]:.1f}) | {both[0]:.1f} ({both[1]:.1f}) | "
            f"{r['peak_rss_mb']:,.0f}{_child(r)} ({_mb(r['workers_peak_rss_mb'])}) | "
            f"{r['auto']:,} / {r['suggested']:,} |")
    return "\n".join(lines)


def million_child(args: argparse.Namespace, inbox: Path, work: Path) -> int:
    """``million-setup``: write and ingest the 1M month into ``work``/base.db;
    ``million-run``: reconcile + report on ``work``/run.db (a copy of it)."""
    if args.child == "million-setup":
        figures = setup(args.lines, inbox, f"sqlite:///{work / 'base.db'}")
    else:
        figures = reconcile_and_report(f"sqlite:///{work / 'run.db'}",
                                                        work / "reports", args.dask or 0)
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
        for workers in [0, *([args.dask] if args.dask else [])]:
            shutil.copy(work / "base.db", work / "run.db")
            shutil.rmtree(work / "reports", ignore_errors=True)
            run = [*base, "--child", "million-run", "--dask", str(workers)]
            rows.append(last_json(subprocess.run(run, check=True, capture_output=True,
                                                  text=True).stdout))
            print(json.dumps(rows[-1], default=str), file=sys.stderr)
        return render(prepared, rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def last_json(output: str) -> dict:
    """The last line a child process printed, as JSON (its figures)."""
    return json.loads(output.strip().splitlines()[-1])
