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
