"""Money that is not a customer's: classified by its text with configurable patterns
(``settings.non_customer``), never left as "unmatched customer money".

- Pass ``non_customer``: an incoming bank line whose text clearly says interest (``BUNGA``,
  ``JASA GIRO``, ``INTEREST``, ``Habenzinsen``...) or other money of the shop's own (owner's
  capital, a supplier's refund) leaves the money as other money. Anything less clear stays
  customer money for the later passes.
- :func:`classify_debits`: every outgoing bank line is other money, ``fee`` when its text
  says bank charges (``BIAYA ADM``, ``SERVICE FEE``, ``Entgelt``...), else ``outgoing``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from pipeline.matching.work import OTHER, Decided, Work, none

INCOMING_KINDS = ("interest", "other")


@lru_cache(maxsize=32)
def _pattern(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One case-insensitive regex trying each pattern (``None`` when there are none)."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def says(texts: pd.Series, patterns: list[str]) -> pd.Series:
    """Whether each text matches one of ``patterns`` (searched, case-insensitive)."""
    pattern = _pattern(tuple(patterns))
    if pattern is None or texts.empty:
        return pd.Series(False, index=texts.index, dtype=bool)
    return texts.fillna("").astype(str).map(lambda text: pattern.search(text) is not None) \
        .astype(bool)


def non_customer(work: Work) -> Decided:
    """Incoming bank lines that clearly are not a customer paying (interest, other)."""
    bank = work.money[work.money["payment_kind"] == "bank"]
    if bank.empty:
        return Decided.nothing()
    rules = work.settings.non_customer
    found = []
    for kind in INCOMING_KINDS:
        hit = bank[says(bank["text"], getattr(rules, kind))]
        found.append(pd.DataFrame({"row": hit.index, "kind": kind,
                                   "detail": _detail(kind, hit["text"])}))
        bank = bank.drop(hit.index)
    nothing = Decided.nothing()
    other = pd.concat(found, ignore_index=True)
    return Decided(nothing.allocations, nothing.unmatched, nothing.exceptions,
                   other=other if len(other) else none(OTHER))


def classify_debits(debits: pd.DataFrame | None, settings) -> pd.DataFrame:  # noqa: ANN001
    """OTHER_MONEY_COLUMNS for outgoing bank lines (PAYMENT_COLUMNS, amounts negative):
    ``fee`` when the text says bank charges, else ``outgoing``."""
    columns = ["payment_kind", "payment_id", "kind", "detail"]
    if debits is None or debits.empty:
        return none(columns)
    fee = says(debits["text"], settings.non_customer.fee)
    kind = pd.Series("outgoing", index=debits.index, dtype=object).where(~fee, "fee")
    return pd.DataFrame({"payment_kind": debits["payment_kind"].to_numpy(),
                         "payment_id": debits["payment_id"].to_numpy(),
                         "kind": kind.to_numpy(),
                         "detail": _detail_each(kind, debits["text"]).to_numpy()})


WORDS = {"interest": "interest paid by the bank", "other": "the shop's own money, not a payment",
         "fee": "bank charges", "outgoing": "money paid out"}


def _detail(kind: str, texts: pd.Series) -> pd.Series:
    return WORDS[kind] + ": " + texts.fillna("").astype(str).str.slice(0, 80)


def _detail_each(kinds: pd.Series, texts: pd.Series) -> pd.Series:
    return kinds.map(WORDS) + ": " + texts.fillna("").astype(str).str.slice(0, 80)
