"""Process-level setup for batch runs: quiet Prefect defaults, heartbeat off, business dates.

Nothing here imports Prefect at module level: :func:`quiet_prefect_defaults` must run
before the first ``import prefect`` to have any effect on its logging and telemetry.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

QUIET_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}


def quiet_prefect_defaults() -> None:
    """Set the batch-run defaults in this process's environment unless the user set them."""
    for name, value in QUIET_DEFAULTS.items():
        os.environ.setdefault(name, value)


@contextmanager
def batch_settings() -> Iterator[None]:
    """Run flows without the per-run heartbeat thread (~1 s per flow run; env var can't)."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def today_in(timezone: str) -> dt.date:
    """Today's date in the business timezone (an IANA name such as America/Los_Angeles)."""
    return dt.datetime.now(ZoneInfo(timezone)).date()


def resolve_as_of(as_of: str | dt.date | None, timezone: str) -> dt.date:
    """The run's as-of date: the given ISO date, else today in ``timezone``.

    Raises ``ValueError`` with a readable message for a malformed date.
    """
    if as_of is None or as_of == "":
        return today_in(timezone)
    if isinstance(as_of, dt.date):
        return as_of
    try:
        return dt.date.fromisoformat(as_of.strip())
    except ValueError:
        raise ValueError(f"invalid as-of date {as_of!r}: expected YYYY-MM-DD") from None
