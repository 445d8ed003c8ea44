"""Process-level setup for batch runs: quiet Prefect defaults, heartbeat off, business dates.

Nothing here imports Prefect at module level: :func:`quiet_prefect_defaults` must run
before the first ``import prefect`` to have any effect on its logging and telemetry.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from pipeline.settings import Settings

QUIET_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    # a busy machine (load 6-9) needs more than the default 20 s to start the temporary server
    # (a fresh PREFECT_HOME migrates its database first); call_flow also retries once
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300",
}


def quiet_prefect_defaults() -> None:
    """Set the batch-run defaults in this process's environment unless the user set them,
    and make the user's ``PREFECT_HOME`` with its parents (:func:`prefect_home_problem`)."""
    for name, value in QUIET_DEFAULTS.items():
        os.environ.setdefault(name, value)
    prefect_home_problem()


def prefect_home_problem() -> str | None:
    """Why the ``PREFECT_HOME`` the user set cannot be used (``None``: unset, or there now).

    Prefect makes only the last folder of it; when its parent is missing it warns, and its
    temporary server fails and is started again and again, for minutes. So it is made here,
    with its parents, before Prefect is imported; a flow is not started without it."""
    home = os.environ.get("PREFECT_HOME")
    if not home:
        return None
    try:
        Path(home).expanduser().mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"PREFECT_HOME {home} cannot be made: {exc.strerror or exc}"
    return None


# The temporary server of a batch run is stopped (SIGTERM) when the command exits; its
# services then log "Error flushing events" and CancelledError tracebacks that read like a
# crash. Only its critical messages are kept (the flow's own failures are reported anyway).
BATCH_SERVER_ENV = {"PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL"}


@contextmanager
def batch_settings() -> Iterator[None]:
    """Run flows without the per-run heartbeat thread (~1 s per flow run; env var can't),
    with a quiet temporary server (:data:`BATCH_SERVER_ENV`, unless the user set them)."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    added = [name for name in BATCH_SERVER_ENV if name not in os.environ]
    os.environ.update({name: BATCH_SERVER_ENV[name] for name in added})
    try:
        with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            yield
    finally:
        for name in added:
            os.environ.pop(name, None)


def quiet_shutdown() -> None:
    """At the end of a command: nothing Prefect's exit handlers log (stopping the temporary
    server, draining event and log workers, cancelled tasks) reaches the user's log."""
    logging.disable(logging.CRITICAL)


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


@contextmanager
def payrecon_folder(settings: Settings) -> Iterator[Path]:
    """Run the ``with`` block from payrecon's own working directory; yields the data folder.

    Prefect loads flows with the working directory first on the import path, so a user's
    folder holding ``reports/`` (the default report folder), ``parsers/``, ``flows/`` or
    ``pipeline/`` would shadow payrecon's own packages. The block therefore runs in
    ``<data folder>/.payrecon/work`` (which holds nothing of the user's), with the settings
    file and the data folder pinned as absolute ``PAYRECON_CONFIG``/``PAYRECON_DATA_DIR``
    for the flows (and the flow-run processes a served schedule starts). Callers pass
    absolute paths. Working directory and environment are restored afterwards.
    """
    from flows.runlog import work_folder
    from pipeline.settings import config_file, data_folder

    folder = data_folder(settings)
    config = config_file()
    pinned = {"PAYRECON_DATA_DIR": str(folder)}
    if config is not None:
        pinned["PAYRECON_CONFIG"] = str(config.expanduser().resolve())
    previous_env = {name: os.environ.get(name) for name in pinned}
    previous_cwd = os.getcwd()
    work = work_folder(folder)
    os.environ.update(pinned)
    os.chdir(work)
    try:
        yield folder
    finally:
        os.chdir(previous_cwd)
        for name, value in previous_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def loaded_frozen() -> Iterator[None]:
    """The objects alive now (the frames just loaded, millions of cells) set aside from the
    cyclic collector for the block (:func:`gc.freeze`): its collections then walk the
    block's new objects only, not the loaded ones again and again. Handed back after."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
