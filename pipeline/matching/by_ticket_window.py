"""The window a ticket's claim looks in: the bank lines of one of its amounts booked in the
days around the claimed transfer date (:func:`in_window`), and the claims' readings cut into
chunks of a bounded number of such pairs (:func:`reading_chunks`), so that a month whose plan
prices thousands of lines share never holds all its pairs at once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CLAIMED_WINDOW = (-2, 4)  # booked from 2 days before to 4 days after the claimed date
CREATED_WINDOW = (-7, 1)  # no transfer date: booked in the week before the ticket
PAIRS_PER_CHUNK = 1_000_000  # (reading, line) pairs judged at once
NO_DAY = np.iinfo(np.int64).min  # a missing date (NaT) as a day number


def in_window(read: pd.DataFrame, c: pd.DataFrame, bank: pd.DataFrame) -> pd.DataFrame:
    """(t, amount, row, days): each reading (t, amount) of a claim with each bank line of
    that amount booked ``days`` after the claim's date, inside the claim's window (a claimed
    transfer date: CLAIMED_WINDOW, else CREATED_WINDOW). Blocked on (amount, day): a reading
    asks for the few days of its window, so a common amount never meets the whole month.
    Readings in their order, then the lines in theirs."""
    read = read.reset_index(drop=True)
    asked = _asked(read, c)
    lines = _lines(bank)
    found = asked.merge(lines[lines["day"] != NO_DAY], on=["amount", "day"]).sort_values(
        ["reading", "order"], kind="stable")
    return pd.DataFrame({"t": read["t"].to_numpy()[found["reading"]],
                         "amount": found["amount"].to_numpy(), "row": found["row"].to_numpy(),
                         "days": found["days"].to_numpy()})


def reading_chunks(read: pd.DataFrame, c: pd.DataFrame, bank: pd.DataFrame,
                   limit: int | None = None) -> list[slice]:
    """Consecutive ranges of ``read``'s positions whose pairs with the bank lines
    (:func:`in_window`) number about ``limit`` (PAIRS_PER_CHUNK) each, counted per (amount,
    day) without forming a pair; a reading with more pairs than that is a chunk alone."""
    limit = limit or PAIRS_PER_CHUNK
    read = read.reset_index(drop=True)
    if read.empty:
        return []
    asked = _asked(read, c)
    lines = _lines(bank)
    per_key = lines[lines["day"] != NO_DAY].groupby(["amount", "day"]).size().rename("n")
    met = asked.join(per_key, on=["amount", "day"])["n"].fillna(0).to_numpy()
    pairs = np.bincount(asked["reading"].to_numpy(), weights=met, minlength=len(read))
    ends = np.cumsum(pairs)
    cuts = np.unique(np.searchsorted(ends, np.arange(limit, ends[-1], limit), side="left"))
    bounds = [0, *(int(cut) + 1 for cut in cuts if cut + 1 < len(read)), len(read)]
    return [slice(lo, hi) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True) if hi > lo]


def _asked(read: pd.DataFrame, c: pd.DataFrame) -> pd.DataFrame:
    """(reading, amount, day, days): every day of each reading's window, readings in order."""
    claim = c.loc[read["t"]]
    day = days_of(claim["claim_date"])
    dated = claim["dated"].to_numpy(dtype=bool)
    known = day != NO_DAY
    low = np.where(dated, CLAIMED_WINDOW[0], CREATED_WINDOW[0])[known]
    width = np.where(dated, CLAIMED_WINDOW[1] - CLAIMED_WINDOW[0],
                     CREATED_WINDOW[1] - CREATED_WINDOW[0])[known] + 1
    at = np.repeat(np.flatnonzero(known), width)
    days = np.arange(width.sum()) - np.repeat(np.cumsum(width) - width, width) + np.repeat(
        low, width)
    return pd.DataFrame({"reading": at, "amount": read["amount"].to_numpy()[at],
                         "day": day[at] + days, "days": days})


def _lines(bank: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"row": bank.index, "order": np.arange(len(bank)),
                         "amount": bank["amount_minor"].astype("int64").to_numpy(),
                         "day": days_of(bank["source_date"])})


def days_of(dates: pd.Series) -> np.ndarray:
    """Dates as day numbers (NO_DAY for a missing date)."""
    known = dates.astype(object).where(dates.notna(), None)
    return np.array(known.tolist(), dtype="datetime64[D]").astype("int64")
