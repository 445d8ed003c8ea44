"""The server supervision of ``payrecon serve`` with stand-in processes (fast; the real
``prefect server start`` is exercised by the slow tests in test_schedule.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows import prefect_server
from flows.prefect_server import LocalServer, ServeError


def stand_in(home: Path, code: str, port: int = 1) -> LocalServer:
    """A LocalServer whose process is ``python -c code`` in its own session."""
    home.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    server = LocalServer(process, "127.0.0.1", port, home, home / "server.log")
    server.pid_path.write_text(f"{process.pid}\n")
    return server


def test_a_server_that_ignores_sigterm_is_killed_and_its_pid_file_removed(tmp_path):
    code = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"
    server = stand_in(tmp_path, code)
    time.sleep(0.5)
    started = time.monotonic()
    assert prefect_server.stop_server(server, timeout=1) == -9
    assert time.monotonic() - started < 10
    assert not server.pid_path.exists()


def test_a_server_stops_on_sigterm(tmp_path):
    server = stand_in(tmp_path, "import time; time.sleep(60)")
    assert prefect_server.stop_server(server, timeout=10) == -15


def test_a_server_that_dies_at_start_is_reported_with_its_log(tmp_path):
    server = stand_in(tmp_path, "raise SystemExit(3)")
    server.log_path.write_text("boot\nPort 4200 is already in use\n")
    with pytest.raises(ServeError, match="exited with code 3.*already in use"):
        prefect_server.wait_healthy(server, timeout=20)


def test_a_server_that_never_answers_times_out(tmp_path):
    server = stand_in(tmp_path, "import time; time.sleep(60)")
    try:
        with pytest.raises(ServeError, match="not healthy after 1 s"):
            prefect_server.wait_healthy(server, timeout=1)
    finally:
        prefect_server.stop_server(server)


def test_a_requested_port_in_use_is_refused():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ServeError, match=f"port {port}"):
            prefect_server.choose_port("127.0.0.1", port)
    assert prefect_server.choose_port("127.0.0.1", None) > 0


def test_the_server_gets_its_own_home_and_no_api_url(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://elsewhere/api")
    env = prefect_server.server_env(tmp_path)
    assert env["PREFECT_HOME"] == str(tmp_path) and "PREFECT_API_URL" not in env
    assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"


def test_the_default_home_is_under_the_users_payrecon_folder(monkeypatch):
    monkeypatch.delenv("PREFECT_HOME", raising=False)
    assert prefect_server.server_home() == Path.home() / ".payrecon" / "prefect"
    monkeypatch.setenv("PREFECT_HOME", "/srv/prefect")
    assert prefect_server.server_home() == Path("/srv/prefect")


def test_use_api_points_this_process_and_its_children_at_the_server(monkeypatch):
    from prefect.settings import PREFECT_API_URL

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with prefect_server.use_api("http://127.0.0.1:4999/api"):
        assert PREFECT_API_URL.value() == "http://127.0.0.1:4999/api"
        assert os.environ["PREFECT_API_URL"] == "http://127.0.0.1:4999/api"
    assert "PREFECT_API_URL" not in os.environ
