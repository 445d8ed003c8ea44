"""A reviewer's decisions from the web pages, recorded in the ledger exactly as
``payrecon review approve|reject`` and ``review apply`` record them (:mod:`pipeline.review`):

- :func:`decide_many`: approve or reject a list of suggestions by ``match_id`` at once (each
  id gets its own outcome; the suggestions are read once);
- :func:`manual_match`: a reviewer allocates a money line to an invoice by hand: a
  ``confirmed`` allocation with its author (rule ``manual``), written as an approval.

A single approve or reject is :func:`pipeline.review.decide` itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from pipeline.frames import LEDGER_COLUMNS
from pipeline.matching.ledger import invoices_after_ledger, match_id
from pipeline.matching.work import OPEN_STATUSES
from pipeline.review import ReviewError, decided, decision_entries, suggestions

MANUAL_RULE = "manual"


@dataclass(frozen=True)
class BulkOutcome:
    decided: tuple[str, ...]  # match_ids recorded now
    refused: tuple[str, ...]  # "<match_id>: why"
    entries_added: int


def decide_many(store, match_ids: list[str], decision: str, *, user: str,  # noqa: ANN001
                today: dt.date) -> BulkOutcome:
    """Record ``decision`` (approve | reject) on every suggestion of ``match_ids`` that awaits
    one; the others are refused with a reason (nothing is recorded for them)."""
    if decision not in ("approve", "reject"):
        raise ReviewError(f"unknown decision {decision!r}: approve or reject")
    waiting = suggestions(store).drop_duplicates("match_id").set_index("match_id", drop=False)
    done = set(decided(store)["match_id"])
    entries, ok, refused = [], [], []
    for mid in dict.fromkeys(match_ids):  # each id once, in the order given
        if mid in done:
            refused.append(f"{mid}: already decided")
        elif mid not in waiting.index:
            refused.append(f"{mid}: no suggestion awaiting a decision")
        else:
            entries += decision_entries(waiting.loc[mid], decision, user=user, today=today)
            ok.append(mid)
    added = store.append_ledger(pd.DataFrame(entries, columns=LEDGER_COLUMNS)) if entries else 0
    return BulkOutcome(tuple(ok), tuple(refused), added)


@dataclass(frozen=True)
class ManualMatch:
    match_id: str
    invoice_number: str
    applied_minor: int
    currency: str
    user: str
    entries_added: int


def manual_match(store, payment_kind: str, payment_id: int, invoice_number: str, *,  # noqa: ANN001
                 user: str, today: dt.date, applied_minor: int | None = None,
                 note: str = "") -> ManualMatch:
    """Allocate money line (``payment_kind``, ``payment_id``) to ``invoice_number`` by hand:
    ``applied_minor`` (default: as much as both the money left and the invoice's open balance
    allow) becomes a ``confirmed`` ledger allocation by ``user``, with its decision entry.
    Refused (ReviewError): no such money or invoice, another currency, an invoice not open,
    nothing left to apply, or more than the money has left or the invoice has open."""
    money = store.money_line(payment_kind, int(payment_id))
    if money is None or int(money["money_amount_minor"]) <= 0:
        raise ReviewError(f"no money received {payment_kind} {payment_id}")
    invoice = store.invoice_detail(invoice_number)
    if invoice is None:
        raise ReviewError(f"no invoice {invoice_number}")
    if invoice["currency"] != money["currency"]:
        raise ReviewError(f"invoice {invoice_number} is in {invoice['currency']}, the money in "
                          f"{money['currency']}: never mixed")
    if invoice["status"] not in OPEN_STATUSES:
        raise ReviewError(f"invoice {invoice_number} is {invoice['status']}, not open")
    applied = _applicable(store, money, invoice, applied_minor)
    row = pd.Series({
        "match_id": match_id(money["money_key"], invoice_number),
        "invoice_number": invoice_number, "applied_minor": applied,
        "currency": money["currency"], "rule": MANUAL_RULE,
        "reason": "matched by hand" + (f": {note}" if note else ""),
        "payment_kind": payment_kind, "source_date": money["money_date"],
        "money_key": money["money_key"]})
    entries = decision_entries(row, "approve", user=user, today=today)
    added = store.append_ledger(pd.DataFrame(entries, columns=LEDGER_COLUMNS))
    return ManualMatch(row["match_id"], invoice_number, applied, money["currency"], user, added)


def _applicable(store, money: dict, invoice: dict, wanted: int | None) -> int:  # noqa: ANN001
    """How much may be applied: at most the money left (less what the ledger already applies
    from it) and the invoice's open balance after the ledger."""
    ledger = store.load_ledger()
    standing = ledger[(ledger["money_key"] == money["money_key"])
                      & ledger["entry"].isin(["allocation", "reversal"])]
    left = int(money["money_amount_minor"]) - int(standing["applied_minor"].sum()
                                                  + standing["fee_minor"].sum())
    one = pd.DataFrame([{k: invoice[k] for k in ("invoice_number", "total_minor",
                                                  "balance_minor", "status")}])
    open_now = int(invoices_after_ledger(one, ledger)["balance_minor"].iloc[0])
    most = min(left, open_now)
    applied = most if wanted is None else int(wanted)
    if most <= 0:
        raise ReviewError("nothing to apply: the money is fully applied or the invoice is "
                          "settled")
    if not 0 < applied <= most:
        raise ReviewError(f"cannot apply {applied} minor units: at most {most}")
    return applied
