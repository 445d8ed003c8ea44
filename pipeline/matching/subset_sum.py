"""Which of a client's few open invoices add up exactly to an amount (a mass payment that
names none of them).

Bounded: at most MAX_INVOICES balances (2^12 subsets, met in the middle: two halves of at most
64 sums each), so it only ever runs on one client's handful of open invoices.
"""

from __future__ import annotations

from itertools import combinations

MAX_INVOICES = 12
MAX_FOUND = 2  # enough to tell a unique subset from an ambiguous one


def exact_subsets(balances: list[int], amount: int) -> list[tuple[int, ...]]:
    """Subsets (positions into ``balances``, at least two) whose balances sum to ``amount``;
    at most MAX_FOUND of them, in a stable order; none when there are too many balances."""
    if not 2 <= len(balances) <= MAX_INVOICES:
        return []
    half = len(balances) // 2
    left = _sums(balances, range(half))
    right: dict[int, list[tuple[int, ...]]] = {}
    for total, picked in _sums(balances, range(half, len(balances))):
        right.setdefault(total, []).append(picked)
    found = []
    for total, picked in left:
        for other in right.get(amount - total, []):
            both = picked + other
            if len(both) >= 2:
                found.append(both)
                if len(found) >= MAX_FOUND:
                    return sorted(found)
    return sorted(found)


def _sums(balances: list[int], positions: range) -> list[tuple[int, tuple[int, ...]]]:
    """(sum, positions) of every subset of ``positions`` (the empty one included)."""
    out = []
    for size in range(len(positions) + 1):
        for picked in combinations(positions, size):
            out.append((sum(balances[i] for i in picked), picked))
    return out
