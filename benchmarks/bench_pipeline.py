"""The whole pipeline on a realistic month: ingest every file, reconcile, report.

    python benchmarks/bench_pipeline.py                          # 20k clients, SQLite
    python benchmarks/bench_pipeline.py --clients 20000 50000
    python benchmarks/bench_pipeline.py --db postgresql://postgres@127.0.0.1:5432/test

Per size, the month is generated (:mod:`sample_data.world`, untimed) in one child process, and
the steps run directly (``flows.steps.ingest_file`` per file, ``reconcile``, ``report``; no
Prefect) in a fresh child process, so each size's peak resident memory is its own. On SQLite
the database is a file in a temporary folder; with ``--db`` a throwaway PostgreSQL database is
created from that URL for each size and dropped afterwards.

Printed per size: records read (stored + duplicates + rejected), wall time, peak RSS, the time
of each phase, and the ingest cost per record, split into parsing and the store's write
(``Store.ingest``, timed by wrapping it), so linearity between sizes shows as a flat µs/record.
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


@contextmanager
def timed_store_writes(totals: dict):  # noqa: ANN201
    """Add the time spent in ``Store.ingest`` (the store's write of a parsed file) to totals."""
    from pipeline.store import Store

    original = Store.ingest

    def ingest(self, **kwargs):  # noqa: ANN001, ANN202
        started = time.perf_counter()
        try:
            return original(self, **kwargs)
        finally:
            totals["store"] += time.perf_counter() - started

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
    phases, totals = {}, {"store": 0.0}
    started = time.perf_counter()
    with timed_store_writes(totals):
        outcomes = [ingest_file(inbox / name, db_url=url, settings=settings)
                    for name in truth["files"]]
    phases["ingest"] = time.perf_counter() - started
    mark = time.perf_counter()
    reconciled = reconcile(db_url=url, as_of=as_of, settings=settings)
    phases["reconcile"] = time.perf_counter() - mark
    mark = time.perf_counter()
    report(db_url=url, out_dir=work / "reports", as_of=as_of, settings=settings)
    phases["report"] = time.perf_counter() - mark
    records = sum(o.new + o.duplicates + o.rejected for o in outcomes)
    return {
        "clients": truth["clients"], "files": len(outcomes), "records": records,
        "stored": sum(o.new for o in outcomes),
        "quarantined": [o.file_name for o in outcomes if o.status != "ingested"],
        "money_lines": len(truth["money"]), "wall": time.perf_counter() - started,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **phases, "store": totals["store"], "parse": phases["ingest"] - totals["store"],
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
    work = Path(args.work)
    if args.child == "generate":
        generate_world(args.seed, args.clients[0], work / "inbox")
        return 0
    with database(args.db, work) as url:
        figures = run_pipeline(work / "inbox", work, url)
    print(json.dumps(figures, default=str))
    return 0


def one_size(clients: int, args: argparse.Namespace) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"payrecon-bench-{clients}-"))
    base = [sys.executable, __file__, "--work", str(work), "--seed", str(args.seed),
            "--clients", str(clients)]
    try:
        subprocess.run([*base, "--child", "generate"], check=True)
        run = [*base, "--child", "run"] + (["--db", args.db] if args.db else [])
        output = subprocess.run(run, check=True, capture_output=True, text=True).stdout
        return json.loads(output.strip().splitlines()[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def render(rows: list[dict]) -> str:
    head = ("| clients | records | money lines | wall s | peak RSS MB "
            "| ingest / reconcile / report s | parse µs/rec | store µs/rec | ingest µs/rec |")
    lines = [head, "|" + "---|" * 9]
    for r in rows:
        per = {k: r[k] / r["records"] * 1e6 for k in ("parse", "store", "ingest")}
        lines.append(
            f"| {r['clients']:,} | {r['records']:,} | {r['money_lines']:,} | {r['wall']:.1f} | "
            f"{r['peak_rss_mb']:,.0f} | {r['ingest']:.1f} / {r['reconcile']:.1f} / "
            f"{r['report']:.1f} | {per['parse']:.0f} | {per['store']:.0f} | "
            f"{per['ingest']:.0f} |"
        )
    lines += [f"{r['clients']:,} clients: quarantined {r['quarantined'] or 'none'}; "
              f"matches {r['matches']}" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[20_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", help="a PostgreSQL URL to create throwaway databases from")
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
