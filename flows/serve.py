"""``payrecon serve``: run the nightly deployment on its schedule, for real.

A temporary Prefect server cannot schedule, so serving needs a long-running server:

* ``PREFECT_API_URL`` set (environment or active Prefect profile): serve against it.
* otherwise this process starts ``prefect server start`` on 127.0.0.1 as a child in its
  own session (so a terminal Ctrl-C reaches only us), with ``PREFECT_HOME`` defaulting to
  ``~/.payrecon/prefect`` and its output in ``<home>/server.log``; waits for
  ``/api/health`` (up to 180 s); points ``PREFECT_API_URL`` at it; and serves.

Serving runs from payrecon's own working directory (``<data folder>/.payrecon/work``), so
nothing in the folder it was started from can shadow payrecon's packages in the flow-run
processes; nights missed while it was stopped run first, once each (:mod:`flows.nights`).

On Ctrl-C, SIGTERM or SIGHUP, ``serve`` is stopped first (it pauses the schedule through
the still-running server), then the server gets SIGTERM (SIGKILL after 20 s). Under
systemd use ``KillMode=mixed`` so that only this process receives the first SIGTERM.
Prefect is imported only inside functions: callers set the environment first.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flows.prefect_server import (
    configured_api_url,
    local_server,
    use_api,
)


def serve_nightly(settings: Any, *, port: int | None = None,
                  say: Callable[[str], None] = print) -> None:
    """Serve the nightly deployment until interrupted (see the module docstring).

    Everything runs from payrecon's own working directory (``<data folder>/.payrecon/work``)
    so that folders of the user's named like payrecon's packages cannot shadow them in the
    flow-run processes. Missed nights are run first, once each, oldest first.
    """
    from flows import nights
    from flows.runtime import payrecon_folder
    from flows.schedule import build_deployment

    deployment = build_deployment(settings)  # absolute paths, resolved here
    api = configured_api_url()
    with payrecon_folder(settings) as data_dir, _terminate_as_interrupt():
        say(f"Data folder {data_dir}; flow runs start in {Path.cwd()}")
        nights.mark_served(data_dir, settings.schedule_cron, settings.timezone, _utcnow())
        if api:
            say(f"Serving the nightly deployment against the Prefect API at {api}")
            _catch_up(data_dir, settings, deployment, say)
            _serve(deployment)
            return
        with local_server(port=port) as server:
            say(f"Prefect server running at {server.ui_url} "
                f"(home {server.home}, log {server.log_path})")
            try:
                with use_api(server.api_url):
                    _catch_up(data_dir, settings, deployment, say)
                    say(f"Serving deployment {deployment.flow_name}/{deployment.name}; "
                        "Ctrl-C to stop")
                    _serve(deployment)
            finally:  # also after a Ctrl-C that came before the runner was up
                say("Serve stopped; stopping the Prefect server...")


def _utcnow() -> Any:
    import datetime as dt

    return dt.datetime.now(dt.UTC)


def _catch_up(data_dir: Path, settings: Any, deployment: Any,
              say: Callable[[str], None]) -> list[str]:
    """Run each missed night once through the nightly flow (trigger ``catch-up``)."""
    from flows import nights, runlog
    from flows.flows import CATCH_UP, nightly_flow
    from flows.runtime import batch_settings

    def run_slot(slot: str) -> None:
        try:
            with batch_settings():
                nightly_flow(**{**deployment.parameters, "trigger": CATCH_UP, "slot": slot})
        except Exception as exc:  # noqa: BLE001 - recorded by the flow; serve goes on
            say(f"The catch-up run for {slot} failed: {runlog.one_line(exc)}")

    return nights.catch_up(data_dir, settings.schedule_cron, settings.timezone, _utcnow(),
                           run_slot, say)


def _serve(deployment: Any) -> None:
    """``prefect.serve(deployment)``, except that SIGTERM stops it exactly like Ctrl-C.

    (Prefect 3.8's own SIGTERM handler calls an async ``stop()`` without awaiting it and
    exits from inside the event loop.) Returns once the runner has shut down and paused
    the deployment's schedule.
    """
    import asyncio

    from prefect.runner import Runner

    class _Runner(Runner):
        def handle_sigterm(self, *args: Any, **kwargs: Any) -> None:
            _interrupt()

    runner = _Runner(pause_on_shutdown=True, limit=1)  # nights never overlap
    try:
        runner.add_deployment(deployment)
        asyncio.run(runner.start())
    except KeyboardInterrupt:
        pass


def _interrupt(*args: Any) -> None:
    """Act on SIGTERM/SIGHUP as on Ctrl-C: through the SIGINT handler when one is
    installed (asyncio's cancels the running loop gracefully), else KeyboardInterrupt."""
    if signal.getsignal(signal.SIGINT) in (signal.SIG_IGN, signal.SIG_DFL, None):
        raise KeyboardInterrupt
    signal.raise_signal(signal.SIGINT)


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM/SIGHUP act as Ctrl-C for the ``with`` block, so cleanup always runs."""
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
