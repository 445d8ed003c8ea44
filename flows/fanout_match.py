"""The matching engine's per-row work on a Dask cluster.

The engine (:func:`pipeline.matching.match`) takes a mapper, ``map_partitions(fn, parts) ->
list`` (:data:`pipeline.partitions.MapPartitions`), for the pure part of a pass that works
row by row: the references found in the money's text. :class:`DaskMapper` runs each
partition as one task on the cluster and gives the results back in the partitions' order,
so the engine concatenates exactly what one pass in this process would have found. The
partitions are slices of text, and ``fn`` a module-level function: nothing else travels
(no Engine, no settings with secrets). No Prefect here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DaskMapper:
    """``map_partitions`` on the cluster of a ``distributed.Client``: one task a partition,
    named after the function (``extract_references-<run>-<i>``), results in order."""

    client: Any

    def __call__(self, fn: Callable, parts: list) -> list:
        if not parts:
            return []
        name = getattr(getattr(fn, "func", fn), "__name__", "partition")
        run = uuid.uuid4().hex[:12]
        keys = [f"{name}-{run}-{i}" for i in range(len(parts))]
        futures = self.client.map(fn, parts, key=keys, pure=False)
        try:
            return self.client.gather(futures)
        finally:
            for future in futures:
                future.release()
