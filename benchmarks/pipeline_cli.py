"""``bench_pipeline.py --cli``: the same month through ``payrecon run`` itself (the nightly flow
on Prefect's temporary server, as a user runs it), beside the steps run directly.

The month's files are copied into an inbox of their own; the shop's accounts and the fee
tolerance go in as ``PAYRECON_*`` environment variables (what ``benchmarks.accuracy`` gives the
steps), the data folder and ``PREFECT_HOME`` into the work folder. A first ``payrecon run`` on an
empty inbox, untimed, makes the Prefect home (its database is migrated once, as on a machine
that ran a night before). Then the timed run: wall time, CPU of the command and its children
(the temporary server included), and the largest peak RSS among them. Its ``matches.csv`` is
compared row for row with the steps run's, when that run left one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path


def cli_environment(truth: dict, work: Path) -> dict[str, str]:
    """The environment of ``payrecon run`` for the month of ``truth``."""
    from benchmarks.accuracy import settings_for

    settings = settings_for(truth)
    chosen = json.loads(settings.model_dump_json(include={"accounts", "fee_tolerance"}))
    return {**os.environ,
            "PAYRECON_ACCOUNTS": json.dumps(chosen["accounts"]),
            "PAYRECON_FEE_TOLERANCE": json.dumps(chosen["fee_tolerance"]),
            "PAYRECON_DATA_DIR": str(work / "cli-data"),
            "PREFECT_HOME": str(work / "cli-prefect")}


def payrecon_run(inbox: Path, out: Path, url: str, as_of: str,
                 env: dict[str, str]) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).with_name("payrecon")), "run", "--inbox", str(inbox),
               "--out", str(out), "--as-of", as_of, "--db", url]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True)


def run_cli(inbox: Path, work: Path, url: str) -> dict:
    """``payrecon run`` on a copy of the month in ``inbox``; the figures of one run."""
    truth = json.loads((inbox / "truth.json").read_text(encoding="utf-8"))
    env = cli_environment(truth, work)
    warm = work / "cli-warm"
    (warm / "inbox").mkdir(parents=True, exist_ok=True)
    payrecon_run(warm / "inbox", warm / "out", f"sqlite:///{warm / 'warm.db'}",
                 truth["as_of"], env)
    month = work / "cli-inbox" / "inbox"
    month.mkdir(parents=True, exist_ok=True)
    for name in truth["files"]:
        shutil.copy2(inbox / name, month / name)
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    payrecon_run(month, work / "cli-reports", url, truth["as_of"], env)
    wall, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    summary = json.loads((work / "cli-reports" / "summary.json").read_text(encoding="utf-8"))
    return {"mode": "payrecon run", "clients": truth["clients"],
            "money_lines": len(truth["money"]), "total": wall, "total_cpu": cpu,
            "peak_rss_mb": after.ru_maxrss / 1024, "counts": summary["counts"],
            "same_matches": _same_matches(work),
            "as_of": dt.date.fromisoformat(truth["as_of"]).isoformat()}


def _same_matches(work: Path) -> bool | None:
    """Whether ``payrecon run`` wrote the rows of the steps run's ``matches.csv`` (None: no
    steps run). The rows' order follows the stored order, and the inbox is drained in name
    order where the steps run ingests in the month's own order."""
    steps = work / "reports" / "matches.csv"
    if not steps.exists():
        return None
    rows = [sorted(path.read_bytes().splitlines())
            for path in (steps, work / "cli-reports" / "matches.csv")]
    return rows[0] == rows[1]
