"""Natural keys for records whose source has none: a stable hash of the row plus an
occurrence counter, so two genuinely identical lines inside one file are both kept while
the same line in an overlapping statement maps to the same key."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence


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


def occurrences_per_account(accounts: Sequence[str], keys: Sequence[str],
                            stated: Sequence[str | None]) -> tuple[list[str], list[str]]:
    """:func:`with_occurrences` within each account (the store keys bank lines by account
    and key), in input order; plus a warning per account whose *stated* bank references
    repeat (the same line twice in one file usually means a statement sent twice)."""
    positions: dict[str, list[int]] = {}
    for index, account in enumerate(accounts):
        positions.setdefault(account, []).append(index)
    unique = [""] * len(keys)
    warnings = []
    for account, indexes in positions.items():
        for index, key in zip(indexes, with_occurrences(keys[i] for i in indexes), strict=True):
            unique[index] = key
        repeated = sorted({keys[i] for i in indexes if unique[i] != keys[i]
                           and stated[i] == keys[i]})
        if repeated:
            more = " ..." if len(repeated) > 5 else ""
            warnings.append(f"account {account or '(none)'}: bank reference(s) "
                            f"{', '.join(repeated[:5])}{more} occur more than once in the "
                            "file, the repeats are kept as <ref>#2, ... (is a statement "
                            "included twice?)")
    return unique, warnings
