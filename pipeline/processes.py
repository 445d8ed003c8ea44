"""Whether a process still lives (for runs left ``running`` by a process that was killed),
and the :class:`Pulse` that keeps a running run's heartbeat fresh."""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class Pulse:
    """Calls ``beat`` every ``every`` on a daemon thread until :meth:`stop`. A failing beat
    is logged at debug level and never stops the run (the next one may work)."""

    def __init__(self, beat: Callable[[], None], every: dt.timedelta) -> None:
        self._beat, self._every = beat, every.total_seconds()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="payrecon-heartbeat",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopped.wait(self._every):
            try:
                self._beat()
            except Exception:  # noqa: BLE001 - a heartbeat must never fail the run
                log.debug("heartbeat failed", exc_info=True)

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=30)


def process_alive(pid: int) -> bool:
    """True while process ``pid`` exists on this machine (ours counts as alive)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True
