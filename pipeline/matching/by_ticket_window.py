"""The window a ticket's claim looks in: the bank lines of one of its amounts booked in the
days around the claimed transfer date into an account the claim may mean (the one it names,
or any when it names none) (:func:`in_window`), and the claims' readings cut into
chunks of a bounded number of such pairs (:func:`reading_chunks`), so that a month whose plan
prices thousands of lines share never holds all its pairs at once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from pipeline.matching.by_ticket_names import clean_account
from pipeline.matching.by_ticket_scores import Coded

CLAIMED_WINDOW = (-2, 4)  # booked from 2 days before to 4 days after the claimed date
CREATED_WINDOW = (-7, 1)  # no transfer date: booked in the week before the ticket
PAIRS_PER_CHUNK = 1_000_000  # (reading, line) pairs judged at once
NO_DAY = np.iinfo(np.int64).min  # a missing date (NaT) as a day number
KEY = ["amount", "day", "account"]  # what a reading and a bank line must share


@dataclass(frozen=True)
class Lines:
    """The bank lines as the window joins them (``frame``: row, order, amount, day, account
    code; dated lines only) and their cleaned ``accounts`` as codes; made once a night, with
    the lines sorted by one integer key of (amount, day, account) (:class:`Keys`)."""

    frame: pd.DataFrame
    accounts: Coded
    keys: Keys

    @classmethod
    def of(cls, bank: pd.DataFrame) -> Lines:
        accounts = Coded.of(clean_account(bank["account_id"]).to_numpy(dtype=object))
        frame = pd.DataFrame({"row": bank.index, "order": np.arange(len(bank)),
                              "amount": bank["amount_minor"].astype("int64").to_numpy(),
                              "day": days_of(bank["source_date"]),
                              "account": accounts.codes.astype(np.int64)})
        frame = frame[frame["day"] != NO_DAY]
        return cls(frame, accounts, Keys.of(frame, len(accounts.table)))


@dataclass(frozen=True)
class Keys:
    """(amount, day, account) as one integer: the amount's code among the lines' amounts,
    the day after the first line's, the account code; ``sorted``: the lines' keys in order,
    ``at``: the line (position in the frame) of each, in line order within a key."""

    amounts: pd.Index
    first_day: int
    days: int
    accounts: int
    sorted: np.ndarray
    at: np.ndarray

    @classmethod
    def of(cls, frame: pd.DataFrame, accounts: int) -> Keys:
        day = frame["day"].to_numpy()
        first = int(day.min()) if len(day) else 0
        keys = cls(pd.Index(pd.unique(frame["amount"].to_numpy())), first,
                   int(day.max()) - first + 1 if len(day) else 1, max(accounts, 1),
                   np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        line = keys.key(frame["amount"].to_numpy(), day, frame["account"].to_numpy())
        at = np.argsort(line, kind="stable")
        return replace(keys, sorted=line[at], at=at)

    def key(self, amount: np.ndarray, day: np.ndarray, account: np.ndarray) -> np.ndarray:
        """Per (amount, day, account): its key, -1 when no line has that amount or day."""
        code = self.amounts.get_indexer(amount).astype(np.int64)
        after = day.astype(np.int64) - self.first_day
        known = (code >= 0) & (after >= 0) & (after < self.days)
        return np.where(known, (code * self.days + after) * self.accounts + account, -1)

    def meeting(self, amount: np.ndarray, day: np.ndarray,
                account: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(the asked position, the line's position in the frame) of every line with the
        asked (amount, day, account), each asked position's lines in line order."""
        asked = self.key(amount, day, account)
        lo = np.searchsorted(self.sorted, asked, side="left")
        hi = np.where(asked >= 0, np.searchsorted(self.sorted, asked, side="right"), lo)
        sizes = hi - lo
        offset = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        return np.repeat(np.arange(len(asked)), sizes), self.at[np.repeat(lo, sizes) + offset]


def in_window(read: pd.DataFrame, c: pd.DataFrame, bank: pd.DataFrame,
              lines: Lines | None = None) -> pd.DataFrame:
    """(t, amount, row, days): each reading (t, amount) of a claim with each bank line of
    that amount booked ``days`` after the claim's date, inside the claim's window (a claimed
    transfer date: CLAIMED_WINDOW, else CREATED_WINDOW), into an account the claim may mean
    (:func:`same_account` with the account it names; any when it names none). Blocked on
    (amount, day, account): a reading asks for the few days of its window, so a common amount
    never meets the whole month. Readings in their order, then the lines in theirs.
    ``lines``: :class:`Lines` of ``bank``, made once for many calls."""
    read = read.reset_index(drop=True)
    lines = lines if lines is not None else Lines.of(bank)
    asked = _asked(read, c, lines.accounts)
    at, line = lines.keys.meeting(*(asked[k].to_numpy() for k in KEY))
    reading, order = asked["reading"].to_numpy()[at], lines.frame["order"].to_numpy()[line]
    # readings in order, then the lines in theirs: one integer key, its runs already sorted
    # (each asked day's lines come in line order), which a stable sort merges cheaply
    found = np.argsort(reading.astype(np.int64) * max(len(lines.frame), 1) + order,
                       kind="stable")
    at, line = at[found], line[found]
    return pd.DataFrame({"t": read["t"].to_numpy()[reading[found]],
                         "amount": asked["amount"].to_numpy()[at],
                         "row": lines.frame["row"].to_numpy()[line],
                         "days": asked["days"].to_numpy()[at]})


def reading_chunks(read: pd.DataFrame, c: pd.DataFrame, bank: pd.DataFrame,
                   limit: int | None = None, lines: Lines | None = None) -> list[slice]:
    """Consecutive ranges of ``read``'s positions whose pairs with the bank lines
    (:func:`in_window`) number about ``limit`` (PAIRS_PER_CHUNK) each, counted per (amount,
    day) without forming a pair; a reading with more pairs than that is a chunk alone."""
    limit = limit or PAIRS_PER_CHUNK
    read = read.reset_index(drop=True)
    if read.empty:
        return []
    lines = lines if lines is not None else Lines.of(bank)
    asked = _asked(read, c, lines.accounts)
    per_key = lines.frame.groupby(KEY).size().rename("n")
    met = asked.join(per_key, on=KEY)["n"].fillna(0).to_numpy()
    pairs = np.bincount(asked["reading"].to_numpy(), weights=met, minlength=len(read))
    ends = np.cumsum(pairs)
    cuts = np.unique(np.searchsorted(ends, np.arange(limit, ends[-1], limit), side="left"))
    bounds = [0, *(int(cut) + 1 for cut in cuts if cut + 1 < len(read)), len(read)]
    return [slice(lo, hi) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True) if hi > lo]


def _asked(read: pd.DataFrame, c: pd.DataFrame, accounts: Coded) -> pd.DataFrame:
    """(reading, amount, day, days, account): every day of each reading's window in each
    account its claim may mean, readings in order."""
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
    asked = pd.DataFrame({"reading": at, "t": read["t"].to_numpy()[at],
                          "amount": read["amount"].to_numpy()[at], "day": day[at] + days,
                          "days": days})
    return asked.merge(_meant_accounts(c.loc[pd.unique(read["t"])], accounts), on="t")


def _meant_accounts(c: pd.DataFrame, accounts: Coded) -> pd.DataFrame:
    """(t, account): each claim with each of the lines' accounts it may mean: every one when
    it names none (``blank``), else those inside the account it names (:func:`same_account`),
    judged once per distinct named account."""
    named = pd.unique(c["dest_clean"].to_numpy(dtype=object))
    meant = {d: [j for j, a in enumerate(accounts.table) if a != "" and a in d] for d in named}
    everything = list(range(len(accounts.table)))
    codes = [everything if blank else meant[d] for blank, d in zip(
        (c["destination"] == "blank").to_numpy(), c["dest_clean"].to_numpy(dtype=object),
        strict=True)]
    sizes = np.array([len(k) for k in codes], dtype=np.int64)
    return pd.DataFrame({"t": np.repeat(c.index.to_numpy(), sizes),
                         "account": np.array([j for k in codes for j in k], dtype=np.int64)})


def days_of(dates: pd.Series) -> np.ndarray:
    """Dates as day numbers (NO_DAY for a missing date)."""
    known = dates.astype(object).where(dates.notna(), None)
    return np.array(known.tolist(), dtype="datetime64[D]").astype("int64")
