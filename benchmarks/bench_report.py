"""The report step alone on a generated month: CPU seconds per phase and peak memory.

    python benchmarks/bench_report.py [--clients 20000] [--seed 1] [--work DIR]
    python benchmarks/bench_report.py --store STORE.db --as-of 2026-11-30


Generates a month with ``sample_data/world`` (``--clients``), ingests every file and
reconciles it into a SQLite file once (kept in ``--work``, reused by later runs with the same
seed and size), then runs ``flows.steps.report`` in a fresh process, timing its phases where
it calls them: store reads, ``build_report``, the CSV/JSON exports, the reconciliation and the
overdue workbook. ``--store`` times it on a reconciled SQLite file made elsewhere (e.g. the
1M x 1M store of ``bench_pipeline.py --million``; default settings, ``--as-of`` its day).
Prints CPU seconds per phase (steadier than wall time
on a shared machine), the process's peak resident memory after each phase, and the load
average, so a figure can be read against how busy the machine was.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bench_report")
    parser.add_argument("--store", type=Path, help="a reconciled SQLite file to report on")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, help="with --store: its day")
    parser.add_argument("--phases", nargs=3, metavar=("INBOX", "DB", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phases:
        print(json.dumps(phases(*map(Path, args.phases))))
        return
    if args.store:
        inbox, db, what = Path(f"as-of:{args.as_of}"), args.store, args.store.name
    else:
        inbox, db = prepared(args.work / f"world-{args.seed}-{args.clients}", args.seed,
                             args.clients)
        what = f"{args.clients:,} clients"
    load = os.getloadavg()
    out = subprocess.run([sys.executable, __file__, "--phases", str(inbox), str(db),
                          str(args.work / "out")], check=True, capture_output=True, text=True)
    figures = json.loads(out.stdout.splitlines()[-1])
    print(f"report, {what} (load average {load[0]:.2f} {load[1]:.2f})")
    for name, cpu, rss in figures:
        print(f"  {name:<18} {cpu:7.2f} s CPU   peak {rss:6,.0f} MB")
    print(f"  {'total':<18} {sum(cpu for _, cpu, _ in figures):7.2f} s CPU")


def prepared(folder: Path, seed: int, clients: int) -> tuple[Path, Path]:
    """The month's inbox and its reconciled SQLite file (made once)."""
    from benchmarks.accuracy import settings_for
    from flows.steps import ingest_file, reconcile
    from sample_data.world import generate

    inbox, db = folder / "inbox", folder / "payrecon.db"
    if db.exists():
        return inbox, db
    truth = generate(seed, inbox, clients)
    settings, url = settings_for(truth), f"sqlite:///{folder / 'building.db'}"
    for name in truth["files"]:
        ingest_file(inbox / name, db_url=url, settings=settings)
    reconcile(db_url=url, as_of=dt.date.fromisoformat(truth["as_of"]), settings=settings)
    (folder / "building.db").replace(db)
    return inbox, db


def phases(inbox: Path, db: Path, out: Path) -> list[tuple[str, float, float]]:
    """(phase, CPU seconds, peak MB after it) of one ``flows.steps.report``: each phase is
    timed where the step calls it (the store reads are what comes before build_report)."""
    import pipeline.reporting
    import reports
    from benchmarks.accuracy import settings_for
    from flows.steps import report

    if str(inbox).startswith("as-of:"):  # a store made elsewhere: default settings
        from pipeline.settings import Settings

        settings, as_of = Settings(), dt.date.fromisoformat(str(inbox).split(":", 1)[1])
    else:
        truth = json.loads((inbox / "truth.json").read_text())
        settings, as_of = settings_for(truth), dt.date.fromisoformat(truth["as_of"])
    figures, started = [], [time.process_time()]

    def done(name: str) -> None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        figures.append((name, time.process_time() - started[0], peak))
        started[0] = time.process_time()

    def timed(module: object, attr: str, after: str, before: str | None = None) -> None:
        real = getattr(module, attr)

        def run(*args: object, **kwargs: object) -> object:
            if before:
                done(before)
            result = real(*args, **kwargs)
            done(after)
            return result

        setattr(module, attr, run)

    timed(pipeline.reporting, "build_report", "build_report", before="store reads")
    timed(reports, "write_exports", "CSV/JSON exports")
    timed(reports, "write_reconciliation_workbook", "reconciliation wb")
    timed(reports, "write_overdue_workbook", "overdue wb")
    started[0] = time.process_time()
    report(db_url=f"sqlite:///{db}", out_dir=out, as_of=as_of, settings=settings)
    return figures


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
