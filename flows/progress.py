"""In-process progress events from flows to whoever is watching (the CLI's progress bar).

Flow parameters must stay JSON, so a callback cannot be passed to a flow; instead the
CLI registers a listener around its flow call and the flow :func:`emit` s events. With
no listener (a served deployment run) emitting does nothing.

Events: ``("files", {"total": n})`` once the file list is known, then
``("file", {"outcome": FileOutcome})`` after each file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Listener = Callable[[str, dict[str, Any]], None]
_listeners: list[Listener] = []


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Deliver every event emitted inside the ``with`` block to ``listener``."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def emit(event: str, **data: Any) -> None:
    """Send an event to the current listeners (errors in a listener are not the flow's)."""
    for listener in list(_listeners):
        try:
            listener(event, data)
        except Exception:  # noqa: BLE001 - a progress display must never fail a run
            pass
