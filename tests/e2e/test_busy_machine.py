"""Issue 10, finding 5: a night started while every core is busy completes, and its log ends
without Prefect's shutdown tracebacks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "sample_data" / "demo"
PAYRECON = str(Path(sys.executable).with_name("payrecon"))
SHUTDOWN_NOISE = ("Traceback", "Error flushing events", "CancelledError")


@pytest.fixture
def busy_cores():
    """One busy-loop process per core (at least two), killed afterwards."""
    loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
             for _ in range(max(2, os.cpu_count() or 2))]
    try:
        yield loops
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()


@pytest.mark.slow
def test_a_night_started_with_every_core_busy_completes_without_shutdown_tracebacks(
        busy_cores, tmp_path):
    home = tmp_path / "home"
    (home / "prefect").mkdir(parents=True)
    inbox = shutil.copytree(DEMO, tmp_path / "inbox")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAYRECON_", "PREFECT_"))}
    env.update(HOME=str(home), PREFECT_HOME=str(home / "prefect"))
    done = subprocess.run(
        [PAYRECON, "run", "--inbox", inbox, "--out", tmp_path / "out", "--as-of", "2026-11-20",
         "--db", f"sqlite:///{tmp_path / 'data' / 'p.db'}"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "out" / "matches.csv").exists()
    assert [word for word in SHUTDOWN_NOISE if word in done.stderr] == [], done.stderr
