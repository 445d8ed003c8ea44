"""Money that is not a customer's: classified by its text with configurable patterns
(``settings.non_customer``), never left as "unmatched customer money".

- Pass ``non_customer``: an incoming bank line whose text clearly says interest (``BUNGA``,
  ``JASA GIRO``, ``INTEREST``, ``Habenzinsen``...) or other money of the shop's own (owner's
  capital, a supplier's refund) leaves the money as other money. Anything less clear stays
  customer money for the later passes.
- :func:`classify_non_payments`: every outgoing bank line is other money, ``fee`` when its text
  says bank charges (``BIAYA ADM``, ``SERVICE FEE``, ``Entgelt``...), else ``outgoing``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from pipeline.matching.work import OTHER, Decided, Work, none

INCOMING_KINDS = ("interest", "other")


@lru_cache(maxsize=32)
def _patterns(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Each pattern compiled case-insensitive: searched one after the other, each is as fast
    as it is alone (one alternation of an anchored and an unanchored pattern would try the
    anchored one at every position too)."""
    return tuple(re.compile(f"(?:{p})", re.IGNORECASE) for p in patterns)


def says(texts: pd.Series, patterns: list[str]) -> pd.Series:
    """Whether each text matches one of ``patterns`` (searched, case-insensitive), each
    distinct text searched once (a memo many lines share is read once)."""
    if texts.empty:
        return pd.Series(False, index=texts.index, dtype=bool)
    codes, uniques = pd.factorize(texts.fillna("").astype(str))
    hit = _searched(np.asarray(uniques, dtype=object), patterns)
    return pd.Series(hit[codes], index=texts.index, dtype=bool)


def _searched(distinct: np.ndarray, patterns: list[str],
              asked: np.ndarray | None = None) -> np.ndarray:
    """Per text of ``distinct``: whether one of ``patterns`` matches it; only the texts
    ``asked`` (all by default) are searched, each by the patterns in turn until one
    matches; the others are False."""
    hit = np.zeros(len(distinct), dtype=bool)
    todo = np.arange(len(distinct)) if asked is None else np.flatnonzero(asked)
    for pattern in _patterns(tuple(patterns)):
        found = np.fromiter(map(bool, map(pattern.search, distinct[todo].tolist())),
                            dtype=bool, count=len(todo))  # a match is truthy, None is not
        hit[todo[found]] = True
        todo = todo[~found]
    return hit


def non_customer(work: Work) -> Decided:
    """Incoming bank lines that clearly are not a customer paying (interest, other): each
    distinct text searched once per kind, until a kind claims it."""
    texts = work.money["text"][work.money["payment_kind"] == "bank"]  # the texts alone
    if texts.empty:
        return Decided.nothing()
    rules = work.settings.non_customer
    codes, uniques = pd.factorize(texts.fillna("").astype(str))
    distinct = np.asarray(uniques, dtype=object)
    left = np.ones(len(distinct), dtype=bool)  # distinct texts no kind claimed yet
    found = []
    for kind in INCOMING_KINDS:
        hit_text = _searched(distinct, getattr(rules, kind), left)
        left &= ~hit_text
        hit = texts[hit_text[codes]]
        found.append(pd.DataFrame({"row": hit.index, "kind": kind,
                                   "detail": _detail(kind, hit)}))
    nothing = Decided.nothing()
    other = pd.concat(found, ignore_index=True)
    return Decided(nothing.allocations, nothing.unmatched, nothing.exceptions,
                   other=other if len(other) else none(OTHER))


def classify_non_payments(others: pd.DataFrame | None, settings,  # noqa: ANN001
                          payouts: pd.DataFrame | None = None) -> pd.DataFrame:
    """OTHER_MONEY_COLUMNS for money that is never a payment (PAYMENT_COLUMNS, signed): a
    gateway's payout record, or a bank debit that carries a payout (``payouts``: the payouts
    pass's outcomes), is ``payout``; a debit whose text says bank charges is ``fee``; every
    other debit is ``outgoing``."""
    columns = ["payment_kind", "payment_id", "kind", "detail"]
    if others is None or others.empty:
        return none(columns)
    kind = pd.Series("outgoing", index=others.index, dtype=object)
    kind = kind.where(~says(others["text"], settings.non_customer.fee), "fee")
    detail = _detail_each(kind, others["text"])
    carried = _carried(others, payouts)
    kind = kind.where(carried.isna(), "payout").where(others["payment_kind"] != "gateway",
                                                     "payout")
    detail = detail.where(carried.isna(), carried).where(
        others["payment_kind"] != "gateway", "the gateway's own record of its payout")
    return pd.DataFrame({"payment_kind": others["payment_kind"].to_numpy(),
                         "payment_id": others["payment_id"].to_numpy(),
                         "kind": kind.to_numpy(), "detail": detail.to_numpy()})


def _carried(others: pd.DataFrame, payouts: pd.DataFrame | None) -> pd.Series:
    """Per row of ``others``: the payout outcome's detail when it is the bank line carrying a
    payout (a negative payout leaves as a debit), else missing."""
    if payouts is None or payouts.empty:
        return pd.Series(None, index=others.index, dtype=object)
    lines = payouts[payouts["payment_kind"] == "bank"].drop_duplicates("payment_id")
    detail = pd.Series(lines["detail"].to_numpy(), index=lines["payment_id"].astype("int64"))
    bank = others["payment_kind"] == "bank"
    return others["payment_id"].astype("int64").map(detail).where(bank)


WORDS = {"interest": "interest paid by the bank", "other": "the shop's own money, not a payment",
         "fee": "bank charges", "outgoing": "money paid out"}


def _detail(kind: str, texts: pd.Series) -> pd.Series:
    return WORDS[kind] + ": " + texts.fillna("").astype(str).str.slice(0, 80)


def _detail_each(kinds: pd.Series, texts: pd.Series) -> pd.Series:
    return kinds.map(WORDS) + ": " + texts.fillna("").astype(str).str.slice(0, 80)
