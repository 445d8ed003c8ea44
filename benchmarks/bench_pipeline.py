"""The whole pipeline on a realistic month: ingest every file, reconcile, report.

    python benchmarks/bench_pipeline.py                          # 20k clients, SQLite
    python benchmarks/bench_pipeline.py --clients 20000 50000
    python benchmarks/bench_pipeline.py --db postgresql://postgres@127.0.0.1:5432/test
    python benchmarks/bench_pipeline.py --clients 20000 --dask 2    # also on 2 Dask workers
    python benchmarks/bench_pipeline.py --million --dask 2          # 1M x 1M reconcile + report
    python benchmarks/bench_pipeline.py --clients 200000 --cli      # also `payrecon run` itself

Per size, the month is generated (:mod:`sample_data.world`, untimed) in one child process, and
the steps run directly (``flows.steps.ingest_file`` per file, ``reconcile``, ``report``; no
Prefect) in a fresh child process, so each size's peak resident memory is its own. On SQLite
the database is a file in a temporary folder; with ``--db`` a throwaway PostgreSQL database is
created from that URL for each size and dropped afterwards.

Printed per size: records read (stored + duplicates + rejected), wall and CPU time, peak RSS
(``ru_maxrss`` of the run's process), the time of each phase, and the ingest cost per record,
split into parsing and the store's write (``Store.ingest``, timed by wrapping it), so
linearity between sizes shows as a flat µs/record. ``--worlds DIR`` keeps the generated months
and reuses them, so two versions of the code can be run on the same files.

``--dask N`` runs every size a second time through the Dask path on an N-worker
``LocalCluster`` (:mod:`benchmarks.pipeline_dask`: parse tasks at once, stores chained in file
order, the references found on the cluster, the report here), in a fresh child process on a
fresh database, printed beside the single-process row; its CPU counts the workers too, its
peak RSS is the flow process's (the largest worker's in the notes). ``--partition-rows`` sets
the money lines per references partition (default ``pipeline.partitions.PARTITION_ROWS``).

``--cli`` runs every size once more as a user does, ``payrecon run`` on the month's files
(:mod:`benchmarks.pipeline_cli`: the nightly flow, Prefect's temporary server included), and
prints its wall, CPU and peak RSS under the table.

``--million`` times reconcile + report alone on the frames of ``bench_reconcile.py`` (1M money
lines x 1M invoices, ``--lines`` to change), written as files and ingested into a SQLite file
first (untimed, in a process of its own); each run (the steps apart, the nightly step with two
processes and with one, and with ``--dask N`` the nightly step on the cluster) starts from a
copy of that database in a fresh process (:mod:`benchmarks.pipeline_million`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from benchmarks.pipeline_million import cpu_seconds, last_json, peak_rss_mb  # noqa: E402
from benchmarks.pipeline_table import render, render_cli  # noqa: E402


def generate_world(seed: int, clients: int, inbox: Path) -> None:
    from sample_data.world import generate

    generate(seed, inbox, clients)


def _clock() -> tuple[float, float]:
    """(wall, CPU of this process and its report writer) seconds: CPU is steadier on a
    shared machine."""
    return time.perf_counter(), cpu_seconds()


def _since(mark: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = _clock()
    return wall - mark[0], cpu - mark[1]


@contextmanager
def timed_store_writes(totals: dict):  # noqa: ANN201
    """Add the (wall, CPU) time spent in ``Store.ingest`` (the store's write of a parsed
    file) to ``totals["store"]``."""
    from pipeline.store import Store

    original = Store.ingest

    def ingest(self, **kwargs):  # noqa: ANN001, ANN202
        mark = _clock()
        try:
            return original(self, **kwargs)
        finally:
            totals["store"] = tuple(map(sum, zip(totals["store"], _since(mark), strict=True)))

    Store.ingest = ingest
    try:
        yield
    finally:
        Store.ingest = original


def run_pipeline(inbox: Path, work: Path, url: str) -> dict:
    """Ingest every file of the month, reconcile and report; the figures of one run."""
    from benchmarks.accuracy import settings_for
    from flows.steps import ingest_file, reconcile, report

    truth = json.loads((inbox / "truth.json").read_text(encoding="utf-8"))
    settings, as_of = settings_for(truth), dt.date.fromisoformat(truth["as_of"])
    phases, totals = {}, {"store": (0.0, 0.0)}
    started = mark = _clock()
    with timed_store_writes(totals):
        outcomes = [ingest_file(inbox / name, db_url=url, settings=settings)
                    for name in truth["files"]]
    phases["ingest"], mark = _since(mark), _clock()
    reconciled = reconcile(db_url=url, as_of=as_of, settings=settings)
    phases["reconcile"], mark = _since(mark), _clock()
    report(db_url=url, out_dir=work / "reports", as_of=as_of, settings=settings)
    phases["report"] = _since(mark)
    phases["store"] = totals["store"]
    phases["parse"] = tuple(a - b for a, b in zip(phases["ingest"], phases["store"], strict=True))
    phases["total"] = _since(started)
    return _figures(truth, outcomes, phases, reconciled, mode="1 process")


def run_on_dask(inbox: Path, work: Path, url: str, workers: int) -> dict:
    """The same month through the Dask path on a ``workers``-worker LocalCluster."""
    from benchmarks import pipeline_dask as dask_path
    from benchmarks.accuracy import settings_for
    from flows.fanout_match import DaskMapper
    from flows.steps import reconcile, report

    truth = json.loads((inbox / "truth.json").read_text(encoding="utf-8"))
    settings, as_of = settings_for(truth), dt.date.fromisoformat(truth["as_of"])
    cluster = dask_path.Cluster(workers)
    try:
        started = cluster.clock()
        phases, (stored, reconciled, _) = dask_path.phases(cluster, [
            ("ingest", lambda: dask_path.ingest(cluster.client, inbox, truth["files"], url,
                                                settings)),
            ("reconcile", lambda: reconcile(db_url=url, as_of=as_of, settings=settings,
                                            map_partitions=DaskMapper(cluster.client))),
            ("report", lambda: report(db_url=url, out_dir=work / "reports", as_of=as_of,
                                      settings=settings))])
        phases["total"] = tuple(b - a for a, b in zip(started, cluster.clock(), strict=True))
        workers_rss = cluster.peak_rss_mb()
    finally:
        cluster.close()
    for name in ("parse", "store"):  # CPU of the worker tasks; their wall overlaps
        phases[name] = (float("nan"), sum(s[f"{name}_cpu"] for s in stored))
    figures = _figures(truth, [s["outcome"] for s in stored], phases, reconciled,
                       mode=f"dask {workers}")
    return {**figures, "workers_peak_rss_mb": workers_rss}


def _figures(truth: dict, outcomes: list, phases: dict, reconciled: dict, mode: str) -> dict:
    """One row of the table: counts, (wall, CPU) per phase, peak RSS of this process."""
    return {
        "mode": mode, "clients": truth["clients"], "files": len(outcomes),
        "records": sum(o.new + o.duplicates + o.rejected for o in outcomes),
        "stored": sum(o.new for o in outcomes),
        "quarantined": [o.file_name for o in outcomes if o.status != "ingested"],
        "money_lines": len(truth["money"]),
        "peak_rss_mb": peak_rss_mb()[0], "child_peak_rss_mb": peak_rss_mb()[1],
        **{name: wall for name, (wall, _) in phases.items()},
        **{f"{name}_cpu": cpu for name, (_, cpu) in phases.items()},
        "matches": {k: reconciled[k] for k in ("auto", "suggested", "unmatched")},
    }


def _libpq(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme=parts.scheme.split("+")[0]))


@contextmanager
def database(db: str | None, work: Path, name: str = "run"):  # noqa: ANN201
    """A SQLite file ``name``.db in ``work``, or a throwaway PostgreSQL database created from
    ``db``."""
    if not db:
        yield f"sqlite:///{work / f'{name}.db'}"
        return
    import psycopg
    from psycopg import sql

    name = f"payrecon_bench_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(_libpq(db), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(db)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(_libpq(db), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                         .format(sql.Identifier(name)))


def child(args: argparse.Namespace) -> int:
    """One step in this (fresh) process: ``generate`` a month, or ``run`` the pipeline on it."""
    inbox, work = Path(args.inbox), Path(args.work)
    if args.child == "generate":
        generate_world(args.seed, args.clients[0], inbox)
        return 0
    if args.partition_rows:
        import pipeline.partitions

        pipeline.partitions.PARTITION_ROWS = args.partition_rows
    if args.child.startswith("million"):
        from benchmarks.pipeline_million import million_child

        return million_child(args, inbox, work)
    with database(args.db, work, args.child) as url:
        if args.child == "run-cli":
            from benchmarks.pipeline_cli import run_cli

            figures = run_cli(inbox, work, url)
        else:
            figures = (run_on_dask(inbox, work, url, args.dask) if args.child == "run-dask"
                       else run_pipeline(inbox, work, url))
    print(json.dumps(figures, default=str))
    return 0


def one_size(clients: int, args: argparse.Namespace) -> list[dict]:
    work = Path(tempfile.mkdtemp(prefix=f"payrecon-bench-{clients}-"))
    inbox = (args.worlds / f"seed{args.seed}-{clients}") if args.worlds else work / "inbox"
    base = [sys.executable, __file__, "--work", str(work), "--inbox", str(inbox),
            "--seed", str(args.seed), "--clients", str(clients)]
    try:
        if not (inbox / "truth.json").exists():
            subprocess.run([*base, "--child", "generate"], check=True)
        options = (["--db", args.db] if args.db else []) + _passed(args)
        rows = [last_json(subprocess.run([*base, "--child", "run", *options], check=True,
                                          capture_output=True, text=True).stdout)]
        if args.dask:
            rows.append(last_json(subprocess.run([*base, "--child", "run-dask", *options],
                                                  check=True, capture_output=True,
                                                  text=True).stdout))
        if args.cli:
            rows.append(last_json(subprocess.run([*base, "--child", "run-cli", *options],
                                                  check=True, capture_output=True,
                                                  text=True).stdout))
        return rows
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _passed(args: argparse.Namespace) -> list[str]:
    """The options a child needs besides its step."""
    return ((["--dask", str(args.dask)] if args.dask else [])
            + (["--partition-rows", str(args.partition_rows)] if args.partition_rows else []))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[20_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", help="a PostgreSQL URL to create throwaway databases from")
    parser.add_argument("--worlds", type=Path,
                        help="keep generated months here and reuse them (same seed and size)")
    parser.add_argument("--dask", type=int, metavar="N",
                        help="also run on an N-worker Dask LocalCluster (processes)")
    parser.add_argument("--partition-rows", type=int,
                        help="money lines per references partition on Dask")
    parser.add_argument("--cli", action="store_true",
                        help="also time `payrecon run` itself (the flow, Prefect included)")
    parser.add_argument("--million", action="store_true",
                        help="reconcile + report on 1M money lines x 1M invoices")
    parser.add_argument("--lines", type=int, default=1_000_000,
                        help="with --million: money lines (and invoices)")
    parser.add_argument("--million-mode", default="nightly", help=argparse.SUPPRESS)
    parser.add_argument("--inbox", help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS,
                        choices=("generate", "run", "run-dask", "run-cli", "million-setup",
                                 "million-run"))
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)
    if args.million:
        from benchmarks.pipeline_million import million

        print(million(args, __file__))
        return 0
    rows = []
    for clients in args.clients:
        rows += one_size(clients, args)
        for row in rows[-1 - bool(args.dask) - args.cli:]:
            print(json.dumps(row, default=str), file=sys.stderr)
    print(render([r for r in rows if r["mode"] != "payrecon run"]))
    if args.cli:
        print(render_cli([r for r in rows if r["mode"] == "payrecon run"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
