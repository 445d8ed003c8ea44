"""Crash trials on the real command: ``payrecon run`` killed with SIGKILL at seeded points
of its ingest, reconcile and report, then run again (issue 10).

A trial runs ``payrecon run`` on a copy of the demo inbox in a child process that kills
itself (SIGKILL: no cleanup, no ``finally``) at one *point*, the ``nth`` time it is reached:

- ``ingest``: a file was stored, not yet archived (the rerun must say "already ingested");
- ``archive``: a file was stored and archived;
- ``match-saved``: the match result was saved, the ledger not yet appended;
- ``ledger``: the ledger was appended, the run row not yet finished;
- ``report``: the CSV exports were written, the workbooks not yet.

Then ``payrecon status`` must show the killed run as interrupted, and ``payrecon run`` on
what is left in the inbox must end like an uninterrupted night: the same CSV exports, the
same input rows, the same ledger entries and the same allocations (nothing lost, nothing
applied twice); after it, ``payrecon status`` is healthy and still lists the killed run as
interrupted.

    python benchmarks/crash_trials.py --db sqlite:////tmp/t/payrecon.db --trials 20 --seed 7

A PostgreSQL URL names a database the trials may empty (its ``public`` schema is recreated).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.night_trials import (  # noqa: E402
    AS_OF,
    DEMO,
    empty_database,
    exports,
    input_rows,
    print_results,
)

POINTS = {"ingest": len(list(DEMO.iterdir())), "archive": len(list(DEMO.iterdir())),
          "match-saved": 1, "ledger": 1, "report": 1}  # point: how many times a night reaches it
PHASES = (("ingest", "archive"), ("match-saved", "ledger"), ("report",))


@dataclass(frozen=True)
class Night:
    """What a night left: exports, input rows, ledger entries and allocations."""

    exports: dict[str, str]
    rows: dict[str, int]
    ledger: list[tuple]
    allocations: list[tuple]


# --------------------------------------------------------------------------- the child


def arm(point: str, nth: int) -> None:
    """Make this process kill itself with SIGKILL the ``nth`` time ``point`` is reached."""
    import reports
    from flows import inbox_files
    from pipeline.store import Store

    calls = [0]

    def reached() -> None:
        calls[0] += 1
        if calls[0] == nth:
            os.kill(os.getpid(), signal.SIGKILL)

    def after(owner, name: str) -> None:  # noqa: ANN001
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            result = original(*args, **kwargs)
            reached()
            return result

        setattr(owner, name, wrapper)

    def before(owner, name: str) -> None:  # noqa: ANN001
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            reached()
            return original(*args, **kwargs)

        setattr(owner, name, wrapper)

    {"ingest": lambda: after(Store, "ingest"),
     "archive": lambda: after(inbox_files, "archive_file"),
     "match-saved": lambda: after(Store, "save_match_result"),
     "ledger": lambda: after(Store, "append_ledger"),
     "report": lambda: before(reports, "write_reconciliation_workbook")}[point]()


# --------------------------------------------------------------------------- the parent


def child_env(work: Path) -> dict[str, str]:
    """Quiet, hermetic Prefect (one home for every trial: its database is migrated once)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PAYRECON_") and k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(work / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               DO_NOT_TRACK="1", PREFECT_LOGGING_LEVEL="WARNING", COLUMNS="200",
               PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def payrecon(work: Path, folder: Path, db_url: str, *args: str,
             armed: tuple[str, int] | None = None) -> subprocess.CompletedProcess:
    """``payrecon ARGS`` in a child process (armed: killing itself at a point)."""
    prefix = [sys.executable, str(Path(__file__).resolve())]
    command = [*prefix, "arm", armed[0], str(armed[1])] if armed else [*prefix, "cli"]
    env = {**child_env(work), "PAYRECON_DATA_DIR": str(folder / "data")}
    # Output to files, not pipes: a killed run leaves its Prefect server behind, which would
    # hold a pipe open; the child's own session lets that server be ended with it.
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        child = subprocess.Popen([*command, *args, "--db", db_url], cwd=folder, env=env,
                                 stdout=stdout, stderr=stderr, text=True,
                                 start_new_session=True)
        try:
            code = child.wait(timeout=900)
        finally:
            _end_group(child.pid)
        stdout.seek(0)
        stderr.seek(0)
        return subprocess.CompletedProcess(child.args, code, stdout.read(), stderr.read())


def _end_group(pgid: int) -> None:
    """End what is left of a child's session (its orphaned Prefect server, if any)."""
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        pass


def run_night(work: Path, folder: Path, db_url: str,
              armed: tuple[str, int] | None = None) -> subprocess.CompletedProcess:
    return payrecon(work, folder, db_url, "run", "--inbox", str(folder / "inbox"), "--out",
                    str(folder / "out"), "--as-of", AS_OF, armed=armed)


def fresh(work: Path, name: str) -> Path:
    folder = work / name
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(DEMO, folder / "inbox", ignore=shutil.ignore_patterns("*.toml", ".*"))
    return folder


def night_of(folder: Path, db_url: str) -> Night:
    from pipeline.store import Store

    with Store(db_url) as store:
        ledger = store.load_ledger().drop(columns=["recorded_at"], errors="ignore")
        allocations = store.load_match_result().allocations
        payments = store.load_payments()[["payment_kind", "payment_id", "money_key"]]
    keyed = allocations.merge(payments, on=["payment_kind", "payment_id"], how="left")
    keyed = keyed.drop(columns=["payment_id", "run_id", "id"], errors="ignore")
    return Night(exports(folder / "out"), input_rows(db_url),
                 sorted(map(tuple, ledger.astype(str).to_numpy().tolist())),
                 sorted(map(tuple, keyed.astype(str).to_numpy().tolist())))


def reference(work: Path, db_url: str) -> Night:
    """One uninterrupted night on an empty database."""
    empty_database(db_url)
    folder = fresh(work, "reference")
    done = run_night(work, folder, db_url)
    if done.returncode:
        raise RuntimeError(f"the reference night failed: {done.stdout[-1500:]}"
                           f"{done.stderr[-1500:]}")
    return night_of(folder, db_url)


def trial(work: Path, db_url: str, expected: Night, point: str, nth: int) -> dict:
    """Kill a night at ``point`` (``nth`` time), check status, run again, compare."""
    empty_database(db_url)
    folder = fresh(work, f"crash-{point}-{nth}")
    killed = run_night(work, folder, db_url, armed=(point, nth))
    problems = [] if killed.returncode == -signal.SIGKILL else [
        f"the armed night was not killed (exit {killed.returncode})"]
    status = payrecon(work, folder, db_url, "status")
    if status.returncode != 1 or "interrupted" not in status.stdout:
        problems.append(f"status after the kill: exit {status.returncode}: "
                        f"{status.stdout[-500:]}")
    again = run_night(work, folder, db_url)
    if again.returncode:
        problems.append(f"the rerun failed: {again.stdout[-500:]}{again.stderr[-500:]}")
    got = night_of(folder, db_url)
    problems += [f"{name} differs" for name in sorted(set(expected.exports) | set(got.exports))
                 if expected.exports.get(name) != got.exports.get(name)]
    for part in ("rows", "ledger", "allocations"):
        if getattr(got, part) != getattr(expected, part):
            problems.append(f"{part} differ from the uninterrupted night")
    after = payrecon(work, folder, db_url, "status")
    if after.returncode != 0 or "interrupted" not in after.stdout:
        problems.append(f"status after the rerun: exit {after.returncode}: "
                        f"{after.stdout[-500:]}")
    return {"point": point, "nth": nth, "problems": problems}


def seeded_points(trials: int, seed: int) -> list[tuple[str, int]]:
    """``trials`` (point, nth) pairs, seeded: one point of ingest, reconcile and report
    first (in that order), then any point at random."""
    rng = random.Random(seed)
    chosen = [rng.choice(phase) for phase in PHASES][:trials]
    chosen += [rng.choice(sorted(POINTS)) for _ in range(trials - len(chosen))]
    return [(name, rng.randint(1, POINTS[name])) for name in chosen]


def trials(work: Path, db_url: str, count: int, seed: int) -> list[dict]:
    expected = reference(work, db_url)
    return [trial(work, db_url, expected, point, nth)
            for point, nth in seeded_points(count, seed)]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["arm"]:  # the child: arm, then be ``payrecon``
        arm(argv[1], int(argv[2]))
        argv = ["cli", *argv[3:]]
    if argv[:1] == ["cli"]:
        from flows.cli import main as payrecon_main

        sys.argv = ["payrecon", *argv[1:]]
        payrecon_main()
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="payrecon-crash-"))
    results = trials(work, args.db, args.trials, args.seed)
    return print_results(results, f"{len(results)} trials killed at "
                                  f"{sorted({r['point'] for r in results})}")


if __name__ == "__main__":
    sys.exit(main())
