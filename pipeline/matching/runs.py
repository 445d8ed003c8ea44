"""Runs of a flat array, repeated per item: the integer arithmetic the blocked passes share
to spread what was computed once per distinct value (a text's tokens, a name's words, a
claim's names) back over every item that has that value, without a loop per item."""

from __future__ import annotations

import numpy as np


def repeated_runs(per_group: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group ``g`` owns ``per_group[g]`` consecutive entries of a flat array (the groups in
    order). For items of groups ``groups``: (the flat positions of each item's run, item
    after item and each run in order; the item of each position)."""
    per_group = np.asarray(per_group, dtype=np.int64)
    sizes = per_group[groups]
    starts = (np.cumsum(per_group) - per_group)[groups] - (np.cumsum(sizes) - sizes)
    positions = np.repeat(starts, sizes) + np.arange(sizes.sum(), dtype=np.int64)
    return positions, np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
