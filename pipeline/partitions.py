"""The pure per-row part of a pass, over partitions of the money.

A mapper runs a function over every partition and gives the results back in order:
``map_partitions(fn, parts) -> list``. The engine takes one (:func:`pipeline.matching.match`,
default: none, everything in one pass here); the flow may pass one that runs each partition
on a cluster (:mod:`flows.fanout_match`). Partitions are stable ranges of rows, so a
function whose result for a row depends on that row alone gives, concatenated in order,
what one call over all rows gives. Nothing here knows of Dask or Prefect.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

MapPartitions = Callable[[Callable, list], list]
PARTITION_ROWS = 50_000  # rows per partition when a mapper is given


def sequential(fn: Callable, parts: list) -> list:
    """A mapper: every partition in turn, in this process."""
    return [fn(part) for part in parts]


def map_rows(fn: Callable[[pd.Series], pd.DataFrame], rows: pd.Series,
             map_partitions: MapPartitions | None = None,
             size: int | None = None) -> pd.DataFrame:
    """``fn(rows)``, or with a mapper and more than ``size`` rows (default PARTITION_ROWS),
    ``fn`` over stable ranges of ``size`` rows through ``map_partitions``, the frames it
    returns concatenated in order. ``fn`` must be picklable (a module-level function or a
    ``functools.partial`` of one) for a mapper that runs elsewhere."""
    size = size or PARTITION_ROWS
    if map_partitions is None or len(rows) <= size:
        return fn(rows)
    parts = [rows.iloc[start:start + size] for start in range(0, len(rows), size)]
    found = map_partitions(fn, parts)
    kept = [frame for frame in found if len(frame)]  # an empty one may have object columns
    return pd.concat(kept, ignore_index=True) if kept else found[0]
