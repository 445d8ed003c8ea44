"""Whether a process still lives (for runs left ``running`` by a process that was killed)."""

from __future__ import annotations

import os


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
