"""The running-balance check of a bank CSV on columns: what
:func:`parsers.bank_csv_values.running_balance_warning` says of the same rows, with the pairs
of consecutive rows compared in numpy."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from operator import is_not

import numpy as np
import pandas as pd

from parsers.bank_csv_values import (
    BalanceStep,
    balance_message,
    running_balance_warning,
)

_SAFE = 2**61  # sums of two such values stay within int64


def balance_warning(lines: Sequence[int], positions: Sequence[int], currencies: Sequence[str],
                    amounts: Sequence[int], balances: Sequence[int | None]) -> str | None:
    """The running-balance warning of the transactions at ``positions`` among the statement's
    rows (a gap is a rejected row: it breaks the chain), or ``None``."""
    count = len(lines)
    if count < 2:
        return None
    has = np.fromiter(map(is_not, balances, repeat(None)), dtype=bool, count=count)
    try:
        bal = np.array([b if b is not None else 0 for b in balances], dtype=np.int64)
        amt = np.array(amounts, dtype=np.int64)
    except OverflowError:
        bal = amt = np.array([_SAFE])
    if max(np.abs(bal).max(), np.abs(amt).max()) >= _SAFE:
        return running_balance_warning(_steps(lines, positions, currencies, amounts, balances))
    codes = pd.factorize(pd.Series(currencies, dtype=object))[0]
    where = np.asarray(positions)
    pair = (has[:-1] & has[1:] & (codes[:-1] == codes[1:])
            & (where[1:] - where[:-1] == 1))
    down = pair & (bal[:-1] + amt[1:] != bal[1:])
    up = pair & (bal[1:] + amt[:-1] != bal[:-1])
    n_down, n_up = int(down.sum()), int(up.sum())
    if min(n_down, n_up) == 0:
        return None
    if n_down <= n_up:
        k = int(down.argmax())
        before, step = k, k + 1
    else:
        k = int(up.argmax())
        before, step = k + 1, k
    row = BalanceStep(lines[step], currencies[step], amounts[step], balances[step])
    return balance_message(balances[before], row, min(n_down, n_up), int(pair.sum()))


def _steps(lines, positions, currencies, amounts, balances) -> list:  # noqa: ANN001
    """The per-row steps of :func:`running_balance_warning`, ``None`` for each gap."""
    steps: list = []
    for n, position in enumerate(positions):
        if n and position - positions[n - 1] > 1:
            steps.append(None)
        steps.append(BalanceStep(lines[n], currencies[n], amounts[n], balances[n]))
    return steps
