"""Natural keys for records whose source has none: a stable hash of the row plus an
occurrence counter, so two genuinely identical lines inside one file are both kept while
the same line in an overlapping statement maps to the same key."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable


def row_hash(*fields: object) -> str:
    """Stable short hash of a row's meaningful fields (account, date, amount, text...)."""
    joined = "\x1f".join("" if f is None else str(f).strip() for f in fields)
    return "h:" + hashlib.sha256(joined.encode("utf-8")).hexdigest()[:24]


def with_occurrences(keys: Iterable[str]) -> list[str]:
    """``['a', 'b', 'a']`` -> ``['a', 'b', 'a#2']``: the n-th repeat within one file gets ``#n``."""
    seen: Counter[str] = Counter()
    out = []
    for key in keys:
        seen[key] += 1
        out.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return out


def stated_key(key: str) -> str | None:
    """The natural key as the source states it, for ``source_ref``: ``None`` when ``key`` is
    our own row hash (the source had none), so exports leave ``source_ref`` empty."""
    return None if key.startswith("h:") else key
