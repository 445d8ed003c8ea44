"""The nightly schedule: built without a server (fast), and really firing (slow).

The slow tests start real ``payrecon serve`` processes, which start and supervise a real
``prefect server start`` on a free loopback port with a temporary PREFECT_HOME.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from flows.schedule import build_deployment, nightly_schedule
from pipeline.settings import Settings

LA = ZoneInfo("America/Los_Angeles")

# The console script of the interpreter running the tests (works without an activated venv).
PAYRECON = str(Path(sys.executable).with_name("payrecon"))


def test_the_nightly_deployment_runs_at_19_00_los_angeles():
    deployment = build_deployment(Settings())
    schedule = deployment.schedules[0].schedule
    assert (schedule.cron, schedule.timezone) == ("0 19 * * *", "America/Los_Angeles")
    assert deployment.name == "nightly" and deployment.entrypoint == "flows.flows.nightly_flow"
    params = deployment.parameters
    assert params["as_of"] is None, "the run day is decided when the run starts"
    assert all(Path(params[k]).is_absolute() for k in ("inbox", "out_dir", "archive"))


def test_the_schedule_is_configurable():
    schedule = nightly_schedule(Settings(schedule_cron="30 6 * * 1-5", timezone="Asia/Jakarta"))
    assert (schedule.cron, schedule.timezone) == ("30 6 * * 1-5", "Asia/Jakarta")


def test_the_schedule_stays_at_19_00_local_across_the_dst_change():
    from prefect.server.schemas.schedules import CronSchedule

    cron = CronSchedule(cron="0 19 * * *", timezone="America/Los_Angeles")
    start = dt.datetime(2026, 10, 31, 12, tzinfo=dt.UTC)  # DST ends 2026-11-01
    dates = asyncio.run(cron.get_dates(3, start=start))
    local = [d.astimezone(LA) for d in dates]
    assert [(d.day, d.hour, d.minute) for d in local] == [(31, 19, 0), (1, 19, 0), (2, 19, 0)]
    assert {d.utcoffset() for d in local} == {dt.timedelta(hours=-7), dt.timedelta(hours=-8)}


# ----------------------------------------------------------------------------- slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def start_serve(tmp_path: Path, port: int, cron: str = "* * * * *") -> subprocess.Popen:
    """``payrecon serve`` in its own process group (like a terminal's foreground job)."""
    (tmp_path / "inbox").mkdir(exist_ok=True)
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"),
           "PAYRECON_SCHEDULE_CRON": cron, "PAYRECON_INBOX": str(tmp_path / "inbox"),
           "PAYRECON_OUT": str(tmp_path / "out"),
           "PAYRECON_DATABASE_URL": f"sqlite:///{tmp_path / 'payrecon.db'}",
           "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5", "COLUMNS": "200"}
    env.pop("PREFECT_API_URL", None)
    log = (tmp_path / "serve.log").open("wb")
    return subprocess.Popen([PAYRECON, "serve", "--port", str(port)], cwd=tmp_path, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_until(condition, timeout: float, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"payrecon serve exited ({process.returncode}): {log.read_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s; serve log:\n{log.read_text()}")
        time.sleep(1)


def stop_cleanly(process: subprocess.Popen, sig: int, api_url: str, log: Path, *,
                 group: bool) -> None:
    """Signal serve (its process group, as a terminal's Ctrl-C does, or only its main
    process, as systemd's KillMode=mixed does); it must stop its server and exit 0, with no
    traceback or shutdown noise in its log."""
    if group:
        os.killpg(process.pid, sig)
    else:
        process.send_signal(sig)
    assert process.wait(60) == 0, log.read_text()
    noise = [n for n in ("Traceback", "CancelledError", "Error flushing events")
             if n in log.read_text()]
    assert noise == [], f"shutdown noise {noise} in the serve log:\n{log.read_text()}"
    assert not healthy(api_url), "the supervised server is stopped too"
    assert "stopping the Prefect server" in log.read_text()
    assert not (log.parent / "prefect" / "payrecon-server.pid").exists()


def kill_leftovers(process: subprocess.Popen, tmp_path: Path) -> None:
    """After a failure: kill serve's group and the server it started (by its pid file)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    pid_file = tmp_path / "prefect" / "payrecon-server.pid"
    if pid_file.exists():
        try:
            os.killpg(int(pid_file.read_text()), signal.SIGKILL)
        except ProcessLookupError:
            pass


def completed_nightly_runs(api_url: str) -> list:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.sorting import FlowRunSort
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        with get_client(sync_client=True) as client:
            runs = client.read_flow_runs(sort=FlowRunSort.EXPECTED_START_TIME_ASC, limit=50)
    return [r for r in runs if r.state and r.state.is_completed() and r.deployment_id]


def shadow_packages(folder: Path) -> None:
    """Folders named like payrecon's packages, each with an ``__init__.py`` that raises."""
    for name in ("reports", "parsers", "flows", "pipeline"):
        (folder / name).mkdir(parents=True, exist_ok=True)
        (folder / name / "__init__.py").write_text(f"raise ImportError('shadowed {name}')\n")


def last_run(tmp_path: Path) -> dict:
    try:
        return json.loads((tmp_path / "LAST_RUN.json").read_text())
    except (OSError, ValueError):
        return {}


@pytest.mark.slow
def test_scheduled_nights_keep_running_whatever_the_working_directory_holds(tmp_path):
    """Two scheduled runs complete although the working directory holds ``reports/``,
    ``parsers/``, ``flows/`` and ``pipeline/`` packages that raise on import (the first
    run also writes the default-named report folder there)."""
    shadow_packages(tmp_path)
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    process, log = start_serve(tmp_path, port), tmp_path / "serve.log"
    try:
        wait_until(lambda: healthy(api_url), 240, process, log)
        found: list = []

        def completed(count: int):
            found[:] = completed_nightly_runs(api_url)
            return len(found) >= count and last_run(tmp_path).get("outcome") == "completed"

        wait_until(lambda: completed(1), 150, process, log)
        first = last_run(tmp_path)["run_id"]
        assert (tmp_path / "out" / "summary.json").exists(), "the scheduled run wrote reports"
        wait_until(lambda: completed(2), 150, process, log)
        assert all(run.state.is_completed() for run in found[:2])
        second = last_run(tmp_path)
        assert second["run_id"] != first and second["trigger"] == "scheduled"
        assert second["as_of"] == second["slot"][:10], "a scheduled run is as of its slot"
        stop_cleanly(process, signal.SIGTERM, api_url, log, group=False)
    finally:
        kill_leftovers(process, tmp_path)


@pytest.mark.slow
def test_ctrl_c_stops_serve_then_its_server(tmp_path):
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    process, log = start_serve(tmp_path, port, cron="0 19 * * *"), tmp_path / "serve.log"
    try:
        wait_until(lambda: "Serving deployment" in log.read_text(), 240, process, log)
        time.sleep(3)  # let the runner start polling
        stop_cleanly(process, signal.SIGINT, api_url, log, group=True)
    finally:
        kill_leftovers(process, tmp_path)
