"""Session-wide test setup. Prefect is made hermetic before anything imports it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_PREFECT_HOME = tempfile.mkdtemp(prefix="payrecon-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
os.environ.pop("PREFECT_API_URL", None)
for _name in [k for k in os.environ if k.startswith("PAYRECON_")]:
    if _name != "PAYRECON_TEST_DATABASE_URL":
        os.environ.pop(_name)

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DATA = ROOT / "sample_data"
SHARED = ROOT.parent / "shared"
REALWORLD = SHARED / "realworld"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--fuzz-long", action="store_true", default=False,
                     help="run the input fuzz test with many more examples per file")
    parser.addoption("--crash-trials", type=int, default=3, metavar="N",
                     help="payrecon runs killed at seeded points in the crash test (3)")


@pytest.fixture(scope="session")
def fuzz_examples(request: pytest.FixtureRequest) -> int:
    """Mutated examples per input file in the fuzz test: a few in CI, many with --fuzz-long."""
    return 50 if request.config.getoption("--fuzz-long") else 3


@pytest.fixture(scope="session")
def crash_trial_count(request: pytest.FixtureRequest) -> int:
    """Killed ``payrecon run`` trials in the crash test: 3 in CI, more with --crash-trials."""
    return request.config.getoption("--crash-trials")


@pytest.fixture
def realworld() -> Path:
    """``../shared/realworld`` (tests using it skip when ``../shared`` is absent)."""
    if not REALWORLD.is_dir():
        pytest.skip("../shared/realworld is not beside the project")
    return REALWORLD


@pytest.fixture
def sample_data() -> Path:
    return SAMPLE_DATA


@pytest.fixture(scope="session")
def prefect_harness():
    """One Prefect test server for the whole session, heartbeat off (opt-in: only tests
    that run flows ask for it, so pure unit tests never start a server)."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90), temporary_settings(
        updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
    ):
        yield


@pytest.fixture
def smtp_receiver():
    """A local SMTP server (aiosmtpd) on a free loopback port; ``.messages`` collects mail."""
    import socket
    from email import message_from_bytes

    from aiosmtpd.controller import Controller

    class Collect:
        def __init__(self) -> None:
            self.messages: list = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
            self.messages.append(message_from_bytes(envelope.content))
            return "250 OK"

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def webhook_receiver():
    """A local HTTP server on a free loopback port; ``.posts`` collects JSON bodies."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    posts: list = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server API
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            posts.append(json.loads(body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.posts = posts
    server.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
