"""The nightly deployment: cron ``settings.schedule_cron`` in ``settings.timezone``.

``serve``/``to_deployment`` take no ``timezone=``; the timezone travels in a
``prefect.schedules.Cron`` schedule. Building a deployment needs no server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect.schedules import Cron, Schedule

from flows.inbox_files import default_dirs
from pipeline.database_url import absolute_database_url, split_password
from pipeline.settings import Settings, load_settings

DEPLOYMENT_NAME = "nightly"


def nightly_schedule(settings: Settings) -> Schedule:
    """The nightly schedule: ``Cron(settings.schedule_cron, timezone=settings.timezone)``."""
    return Cron(settings.schedule_cron, timezone=settings.timezone)


def __getattr__(name: str) -> Any:
    """``NIGHTLY``: the schedule from the current settings, built when first asked for."""
    if name == "NIGHTLY":
        return nightly_schedule(load_settings())
    raise AttributeError(name)


def deployment_parameters(settings: Settings) -> dict[str, Any]:
    """The nightly flow's parameters from settings, as absolute paths; a scheduled run's
    as-of date is its slot's date (decided by the flow)."""
    inbox = Path(settings.inbox).resolve()
    archive, quarantine = default_dirs(inbox, settings)
    return {
        "inbox": str(inbox),
        "out_dir": str(Path(settings.out).resolve()),
        "db_url": split_password(absolute_database_url(settings.database_url))[0],
        "as_of": None,
        "trigger": "scheduled",
        "archive": str(archive.resolve()),
        "quarantine": str(quarantine.resolve()),
    }


def build_deployment(settings: Settings) -> Any:
    """The ``nightly`` deployment of :func:`flows.flows.nightly_flow` (a RunnerDeployment)."""
    from prefect.types.entrypoint import EntrypointType

    from flows.flows import nightly_flow

    return nightly_flow.to_deployment(
        name=DEPLOYMENT_NAME,
        schedule=nightly_schedule(settings),
        parameters=deployment_parameters(settings),
        description="payrecon nightly: drain the inbox, reconcile, report",
        tags=["payrecon"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
