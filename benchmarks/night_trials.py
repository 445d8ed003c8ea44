"""Night trials: nights run at the same time, and nights killed part-way (issue 10).

One *night* is the nightly pipeline's steps in one process (``flows.steps``: drain the inbox,
ingest each file and archive or quarantine it, reconcile, report), without Prefect, so a
trial takes seconds. Two trials compare against a serial, uninterrupted night on the same
inputs: the CSV exports must be equal byte for byte, and the input tables must hold the same
rows (no duplicate, nothing lost).

- ``concurrent``: N processes, each with its own copy of the inbox, run a night on one
  database at the same moment. Every process must end without an error.
- ``crash``: a night is killed with SIGKILL after a random delay (seeded), then run again on
  what is left in the inbox until it completes.

    python benchmarks/night_trials.py concurrent --db sqlite:////tmp/t/p.db --processes 4
    python benchmarks/night_trials.py crash --db postgresql://... --trials 20 --seed 7

A PostgreSQL URL names a database the trials may empty (its ``public`` schema is recreated).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "sample_data" / "demo"
AS_OF = "2026-11-20"
# tables that say what was read; run-scoped tables (runs, match_*) grow with every run
INPUT_TABLES = ("source_files", "bank_transactions", "gateway_transactions", "tickets",
                "statement_balances", "invoices", "invoice_history", "clients",
                "client_history", "rejects")


def night(inbox: Path, out: Path, db_url: str, as_of: dt.date) -> dict:
    """The nightly steps once, in this process; returns the file counts."""
    from flows import inbox_files, steps
    from pipeline.settings import load_settings

    settings = load_settings(database_url=db_url)
    archive, quarantine = inbox_files.default_dirs(inbox, settings)
    outcomes = []
    waiting = inbox_files.drain_inbox(inbox, archive=archive, quarantine=quarantine,
                                      exclude=[out])
    for path in waiting:
        outcome = steps.ingest_file(path, db_url=db_url, settings=settings)
        if outcome.status == steps.QUARANTINED:
            inbox_files.quarantine_file(path, inbox, quarantine, outcome.reason or "unreadable")
        else:
            inbox_files.archive_file(path, inbox, archive)
        outcomes.append(outcome)
    steps.reconcile(db_url=db_url, as_of=as_of, settings=settings)
    steps.report(db_url=db_url, out_dir=out, as_of=as_of, settings=settings)
    return steps.tally(outcomes)


def night_process(folder: Path, db_url: str) -> subprocess.Popen:
    """A night in a child process on ``folder/inbox``, writing ``folder/out``."""
    return subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "night", "--folder", str(folder),
         "--db", db_url], cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def fresh_folder(parent: Path, name: str) -> Path:
    folder = parent / name
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(DEMO, folder / "inbox", ignore=shutil.ignore_patterns("*.toml", ".*"))
    return folder


def empty_database(db_url: str) -> None:
    """Start from nothing: delete a SQLite file, or recreate PostgreSQL's public schema."""
    from pipeline.database_url import sqlite_file

    database = sqlite_file(db_url)
    if database is not None:
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(str(database) + suffix).unlink(missing_ok=True)
        return
    import psycopg

    libpq = "postgresql://" + db_url.split("://", 1)[1]
    with psycopg.connect(libpq, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


# Columns that name the database (postings.csv, credits.csv): a trial's database is a new
# one, so they differ from the reference night's by design and are left out of the comparison.
DATABASE_COLUMNS = ("database_id", "checksum")


def exports(out: Path) -> dict[str, str]:
    return {p.name: _without_database_columns(p.read_text(encoding="utf-8"))
            for p in sorted(out.glob("*.csv"))}


def _without_database_columns(text: str) -> str:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not set(DATABASE_COLUMNS) & set(rows[0]):
        return text
    keep = [i for i, name in enumerate(rows[0]) if name not in DATABASE_COLUMNS]
    return "\n".join(",".join(row[i] for i in keep) for row in rows)


def input_rows(db_url: str) -> dict[str, int]:
    from pipeline.store import Store

    with Store(db_url) as store:
        counts = store.counts()
    return {name: counts[name] for name in INPUT_TABLES if name in counts}


@dataclass
class Reference:
    exports: dict[str, str]
    rows: dict[str, int]


def reference(work: Path, db_url: str) -> Reference:
    """One serial, uninterrupted night on an empty database."""
    empty_database(db_url)
    folder = fresh_folder(work, "reference")
    done = night_process(folder, db_url)
    stdout, stderr = done.communicate(timeout=600)
    if done.returncode:
        raise RuntimeError(f"the reference night failed: {stderr[-2000:]}")
    return Reference(exports(folder / "out"), input_rows(db_url))


def differences(expected: Reference, out: Path, db_url: str) -> list[str]:
    got = exports(out)
    problems = [f"{name} differs" for name in sorted(set(expected.exports) | set(got))
                if expected.exports.get(name) != got.get(name)]
    rows = input_rows(db_url)
    if rows != expected.rows:
        problems.append(f"rows {rows} != {expected.rows}")
    return problems


def concurrent(work: Path, db_url: str, processes: int) -> list[str]:
    """N nights at once on one database: the problems found ([] = none)."""
    expected = reference(work, db_url)
    empty_database(db_url)
    folders = [fresh_folder(work, f"night-{n}") for n in range(processes)]
    children = [night_process(folder, db_url) for folder in folders]
    problems = []
    for n, child in enumerate(children):
        _, stderr = child.communicate(timeout=600)
        if child.returncode:
            problems.append(f"night {n} failed: {stderr.strip().splitlines()[-1:]}")
    for n, folder in enumerate(folders):
        problems += [f"night {n}: {p}" for p in differences(expected, folder / "out", db_url)]
    return problems


def crash(work: Path, db_url: str, trials: int, seed: int) -> list[dict]:
    """Kill a night at a random moment, run it again, compare: one result per trial."""
    expected = reference(work, db_url)
    started = time.monotonic()
    night_process(fresh_folder(work, "timing"), db_url).communicate(timeout=600)
    full = time.monotonic() - started
    rng = random.Random(seed)
    results = []
    for trial in range(trials):
        empty_database(db_url)
        folder = fresh_folder(work, f"crash-{trial}")
        delay = rng.uniform(0.05, full)
        child = night_process(folder, db_url)
        time.sleep(delay)
        killed = child.poll() is None
        if killed:
            os.kill(child.pid, signal.SIGKILL)
        child.communicate(timeout=600)
        again = night_process(folder, db_url)
        _, stderr = again.communicate(timeout=600)
        problems = [f"rerun failed: {stderr[-500:]}"] if again.returncode else []
        problems += differences(expected, folder / "out", db_url)
        results.append({"trial": trial, "delay_s": round(delay, 2), "killed": killed,
                        "problems": problems})
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("night", help="one night on FOLDER/inbox (used by the trials)")
    one.add_argument("--folder", type=Path, required=True)
    for name in ("concurrent", "crash"):
        trial = sub.add_parser(name)
        trial.add_argument("--work", type=Path, default=None)
    sub.choices["concurrent"].add_argument("--processes", type=int, default=4)
    sub.choices["crash"].add_argument("--trials", type=int, default=20)
    sub.choices["crash"].add_argument("--seed", type=int, default=7)
    for choice in sub.choices.values():
        choice.add_argument("--db", required=True)
    args = parser.parse_args(argv)
    if args.command == "night":
        counts = night(args.folder / "inbox", args.folder / "out", args.db,
                       dt.date.fromisoformat(AS_OF))
        print(json.dumps(counts))
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="payrecon-trials-"))
    if args.command == "concurrent":
        problems = concurrent(work, args.db, args.processes)
        print("\n".join(problems) or f"{args.processes} concurrent nights: no problem")
        return 1 if problems else 0
    results = crash(work, args.db, args.trials, args.seed)
    return print_results(results, f"{len(results)} trials, "
                                  f"{sum(r['killed'] for r in results)} killed mid-run")


def print_results(results: list[dict], headline: str) -> int:
    """Print one JSON line per trial and ``headline, N with problems``; the exit status."""
    for result in results:
        print(json.dumps(result))
    failed = [r for r in results if r["problems"]]
    print(f"{headline}, {len(failed)} with problems")
    return 1 if failed else 0


if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    sys.exit(main())
