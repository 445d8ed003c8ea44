"""The whole pipeline on a realistic month: ingest every file, reconcile, report.

    python benchmarks/bench_pipeline.py                          # 20k clients, SQLite
    python benchmarks/bench_pipeline.py --clients 20000 50000
    python benchmarks/bench_pipeline.py --db postgresql://postgres@127.0.0.1:5432/test

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
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
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


def generate_world(seed: int, clients: int, inbox: Path) -> None:
    from sample_data.world import generate

    generate(seed, inbox, clients)


def _clock() -> tuple[float, float]:
    """(wall, CPU of this process) seconds: CPU is steadier on a shared machine."""
    return time.perf_counter(), time.process_time()


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
    return {
        "clients": truth["clients"], "files": len(outcomes),
        "records": sum(o.new + o.duplicates + o.rejected for o in outcomes),
        "stored": sum(o.new for o in outcomes),
        "quarantined": [o.file_name for o in outcomes if o.status != "ingested"],
        "money_lines": len(truth["money"]),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **{name: wall for name, (wall, _) in phases.items()},
        **{f"{name}_cpu": cpu for name, (_, cpu) in phases.items()},
        "matches": {k: reconciled[k] for k in ("auto", "suggested", "unmatched")},
    }


def _libpq(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme=parts.scheme.split("+")[0]))


@contextmanager
def database(db: str | None, work: Path):  # noqa: ANN201
    """A SQLite file in ``work``, or a throwaway PostgreSQL database created from ``db``."""
    if not db:
        yield f"sqlite:///{work / 'payrecon.db'}"
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
    with database(args.db, work) as url:
        figures = run_pipeline(inbox, work, url)
    print(json.dumps(figures, default=str))
    return 0


def one_size(clients: int, args: argparse.Namespace) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"payrecon-bench-{clients}-"))
    inbox = (args.worlds / f"seed{args.seed}-{clients}") if args.worlds else work / "inbox"
    base = [sys.executable, __file__, "--work", str(work), "--inbox", str(inbox),
            "--seed", str(args.seed), "--clients", str(clients)]
    try:
        if not (inbox / "truth.json").exists():
            subprocess.run([*base, "--child", "generate"], check=True)
        run = [*base, "--child", "run"] + (["--db", args.db] if args.db else [])
        output = subprocess.run(run, check=True, capture_output=True, text=True).stdout
        return json.loads(output.strip().splitlines()[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def render(rows: list[dict]) -> str:
    """Wall seconds with CPU seconds in brackets; µs per record read, of CPU time (steadier
    than wall on a shared machine; on PostgreSQL the server's own work is not in it)."""
    head = ("| clients | records | money lines | wall s (cpu) | peak RSS MB "
            "| ingest / reconcile / report s | same, cpu s | parse µs/rec | store µs/rec |")
    lines = [head, "|" + "---|" * 9]
    for r in rows:
        per = {k: r[f"{k}_cpu"] / r["records"] * 1e6 for k in ("parse", "store")}
        lines.append(
            f"| {r['clients']:,} | {r['records']:,} | {r['money_lines']:,} | "
            f"{r['total']:.1f} ({r['total_cpu']:.1f}) | {r['peak_rss_mb']:,.0f} | "
            f"{r['ingest']:.1f} / {r['reconcile']:.1f} / {r['report']:.1f} | "
            f"{r['ingest_cpu']:.1f} / {r['reconcile_cpu']:.1f} / {r['report_cpu']:.1f} | "
            f"{per['parse']:.0f} | {per['store']:.0f} |"
        )
    lines += [f"{r['clients']:,} clients: store {r['store']:.1f} s wall, {r['store_cpu']:.1f} s "
              f"cpu; quarantined {r['quarantined'] or 'none'}; matches {r['matches']}"
              for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[20_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", help="a PostgreSQL URL to create throwaway databases from")
    parser.add_argument("--worlds", type=Path,
                        help="keep generated months here and reuse them (same seed and size)")
    parser.add_argument("--inbox", help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=("generate", "run"), help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)
    rows = []
    for clients in args.clients:
        rows.append(one_size(clients, args))
        print(json.dumps(rows[-1], default=str), file=sys.stderr)
    print(render(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
