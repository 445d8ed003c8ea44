"""A local Prefect server for ``payrecon serve``: started as a child in its own session
(``prefect server start`` on 127.0.0.1, ``PREFECT_HOME`` defaulting to ``~/.payrecon/prefect``,
its output in ``<home>/server.log``), waited for on ``/api/health``, and stopped with SIGTERM
then SIGKILL. Prefect is imported only inside functions: callers set the environment first.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
DEFAULT_PORT = 4200
HEALTH_TIMEOUT = 180.0  # a fresh server migrates its database; slow on a busy machine
STOP_TIMEOUT = 20.0


class ServeError(RuntimeError):
    """The local Prefect server could not be started (the message says why)."""


@dataclass(frozen=True)
class LocalServer:
    process: subprocess.Popen
    host: str
    port: int
    home: Path
    log_path: Path

    @property
    def pid_path(self) -> Path:
        """``<home>/payrecon-server.pid`` while the server runs (for operators and tests)."""
        return self.home / "payrecon-server.pid"

    @property
    def ui_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.ui_url}/api"


def server_home() -> Path:
    """The local server's ``PREFECT_HOME``: the user's setting, else ~/.payrecon/prefect."""
    return Path(os.environ.get("PREFECT_HOME") or Path.home() / ".payrecon" / "prefect")


def port_is_free(host: str, port: int) -> bool:
    """True when the server could bind ``port`` (SO_REUSEADDR, as uvicorn binds)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def choose_port(host: str = HOST, requested: int | None = None) -> int:
    """``requested`` if free (else an error), else 4200 if free, else any free port."""
    if requested is not None:
        if not port_is_free(host, requested):
            raise ServeError(f"port {requested} on {host} is already in use")
        return requested
    if port_is_free(host, DEFAULT_PORT):
        return DEFAULT_PORT
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def server_env(home: Path) -> dict[str, str]:
    """The server's environment: ours, its own home, quiet, no API URL of its own."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(home)
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("DO_NOT_TRACK", "1")
    return env


def start_server(home: Path, *, host: str = HOST, port: int | None = None) -> LocalServer:
    """Start ``prefect server start`` as a child process in its own session."""
    home.mkdir(parents=True, exist_ok=True)
    chosen = choose_port(host, port)
    log_path = home / "server.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", host,
             "--port", str(chosen)],
            env=server_env(home), stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
    server = LocalServer(process, host, chosen, home, log_path)
    server.pid_path.write_text(f"{process.pid}\n")
    return server


def wait_healthy(server: LocalServer, timeout: float = HEALTH_TIMEOUT) -> None:
    """Return once ``/api/health`` answers 200; raise ServeError on exit or timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServeError(f"prefect server exited with code {server.process.returncode}: "
                             f"{_log_tail(server.log_path)} (log: {server.log_path})")
        try:
            with urllib.request.urlopen(f"{server.api_url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise ServeError(f"prefect server not healthy after {timeout:.0f} s "
                     f"(log: {server.log_path})")


def stop_server(server: LocalServer, timeout: float = STOP_TIMEOUT) -> int:
    """SIGTERM the server's process group, SIGKILL after ``timeout``; its exit code.

    Further Ctrl-C/SIGTERM are ignored meanwhile so the server is never left behind.
    """
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in STOP_SIGNALS}
    try:
        if server.process.poll() is None:
            _signal_group(server.process, signal.SIGTERM)
            try:
                server.process.wait(timeout)
            except subprocess.TimeoutExpired:
                _signal_group(server.process, signal.SIGKILL)
                server.process.wait()
        server.pid_path.unlink(missing_ok=True)
        return server.process.returncode
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def local_server(home: Path | None = None, *, host: str = HOST, port: int | None = None,
                 timeout: float = HEALTH_TIMEOUT) -> Iterator[LocalServer]:
    """A healthy local Prefect server for the ``with`` block, always stopped afterwards."""
    server = start_server(home or server_home(), host=host, port=port)
    try:
        wait_healthy(server, timeout)
        yield server
    finally:
        stop_server(server)


@contextmanager
def use_api(url: str) -> Iterator[None]:
    """Point this process (and the flow-run processes it starts) at ``url``."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = url
    try:
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield
    finally:
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous


def configured_api_url() -> str | None:
    """``PREFECT_API_URL`` from the environment or the active Prefect profile."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


def _log_tail(path: Path, lines: int = 3) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-lines:])
