"""Start-up: ``--help``, ``formats``, ``ingest`` and ``report`` never import Prefect (so they
start no Prefect server); they run the same steps directly and journal their runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows import runlog

AS_OF = "2026-11-20"
DEMO = Path(__file__).resolve().parents[2] / "sample_data" / "demo"

# Runs the command line in a fresh interpreter, then says whether Prefect was imported.
PROBE = """
import sys
from flows.cli import app
try:
    app(sys.argv[1:], prog_name="payrecon")
except SystemExit as exc:
    if exc.code:
        raise
sys.exit(3 if "prefect" in sys.modules else 0)
"""


def payrecon_without_prefect(*args: object, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAYRECON_", "PREFECT_"))}
    env["COLUMNS"] = "200"
    return subprocess.run([sys.executable, "-c", PROBE, *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=240)


@pytest.mark.parametrize("args", [["--help"], ["formats"], ["ingest", "--help"]])
def test_help_and_formats_do_not_import_prefect(tmp_path, args):
    done = payrecon_without_prefect(*args, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ingest_and_report_do_not_import_prefect_and_journal_their_runs(
        prefect_harness, cli, tmp_path):
    db_url = f"sqlite:///{tmp_path / 'p.db'}"
    ingested = payrecon_without_prefect("ingest", DEMO, "--db", db_url, cwd=tmp_path)
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    assert "quarantined 0" in ingested.stdout
    assert cli("reconcile", "--as-of", AS_OF, "--db", db_url).exit_code == 0
    reported = payrecon_without_prefect("report", "--out", tmp_path / "out", "--db", db_url,
                                        cwd=tmp_path)
    assert reported.returncode == 0, reported.stdout + reported.stderr
    assert (tmp_path / "out" / "matches.csv").exists()
    runs = runlog.read_journal(tmp_path)  # the data folder of a SQLite database: its folder
    assert [(r.kind, r.outcome) for r in runs if r.kind != "reconcile"] == [
        ("ingest", runlog.COMPLETED), ("report", runlog.COMPLETED)]
    assert runs[-1].as_of == AS_OF and runs[0].files["ingested"] == 7


def test_a_failing_report_is_one_line_and_journalled_as_failed(cli, tmp_path, monkeypatch):
    from flows import steps

    def broken(**_: object) -> None:
        raise RuntimeError("disk full")

    db_url = f"sqlite:///{tmp_path / 'p.db'}"
    assert cli("ingest", DEMO / "chase-usd.ofx", "--db", db_url).exit_code == 0
    monkeypatch.setattr(steps, "report", broken)
    result = cli("report", "--out", tmp_path / "out", "--as-of", AS_OF, "--db", db_url)
    assert result.exit_code == 1
    assert "payrecon-report failed: RuntimeError: disk full" in result.output
    last = runlog.read_last_run(tmp_path)
    assert last is not None and (last.kind, last.outcome) == ("report", runlog.FAILED)
