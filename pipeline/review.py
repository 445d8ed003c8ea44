"""Finance decisions on suggested matches, kept in the ledger.

``approve``: the pair becomes a ``confirmed`` ledger allocation (it counts like auto in every
later run) plus a decision entry saying who and when. ``reject``: a decision entry; the
engine never proposes that pair again (only a person can match it by hand). Both act on a
suggestion of the latest match result, named by its ``match_id``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from pipeline.frames import LEDGER_COLUMNS

LIST_COLUMNS = ["match_id", "invoice_number", "applied_minor", "currency", "rule",
                "confidence", "reason", "payment_kind", "source_file", "source_ref",
                "source_line", "source_date", "money_key"]


class ReviewError(ValueError):
    """A decision that cannot be taken (no such suggestion); the message says why."""


@dataclass(frozen=True)
class Decision:
    match_id: str
    decision: str  # approve | reject
    invoice_number: str
    user: str
    entries_added: int


def suggestions(store) -> pd.DataFrame:  # noqa: ANN001
    """The suggestions of the latest match result awaiting a decision (LIST_COLUMNS)."""
    allocations = store.load_match_result().allocations
    wanted = allocations[allocations["status"] == "suggested"]
    payments = store.load_payments()
    listed = wanted.merge(payments.drop(columns=["currency"]),
                          on=["payment_kind", "payment_id"], how="left")
    done = set(decided(store)["match_id"])
    return listed[~listed["match_id"].isin(done)][LIST_COLUMNS].reset_index(drop=True)


def decide(store, match_id: str, decision: str, *, user: str,  # noqa: ANN001
           today: dt.date) -> Decision:
    """Record finance's ``decision`` (approve | reject) on suggestion ``match_id``."""
    if decision not in ("approve", "reject"):
        raise ReviewError(f"unknown decision {decision!r}: approve or reject")
    found = suggestions(store)
    found = found[found["match_id"] == match_id]
    if found.empty:
        raise ReviewError(f"no suggestion {match_id} awaiting a decision "
                          "(see `payrecon review list`)")
    row = found.iloc[0]
    entries = decision_entries(row, decision, user=user, today=today)
    added = store.append_ledger(pd.DataFrame(entries, columns=LEDGER_COLUMNS))
    return Decision(match_id, decision, str(row["invoice_number"]), user, added)


def decision_entries(row: pd.Series, decision: str, *, user: str, today: dt.date) -> list[dict]:
    """The ledger entries of ``decision`` on suggestion ``row`` (a :func:`suggestions` row):
    the decision, and for an approval the ``confirmed`` allocation."""
    status = "confirmed" if decision == "approve" else "rejected"
    entries = [_entry(row, "decision", status, 0, f"{decision}d by {user}", user, today)]
    if decision == "approve":
        entries.append(_entry(row, "allocation", "confirmed", int(row["applied_minor"]),
                              f"approved by {user}: {row['reason']}", user, today))
    return entries


def decided(store) -> pd.DataFrame:  # noqa: ANN001
    """Finance's decisions so far: match_id, status (confirmed|rejected), user, as_of."""
    ledger = store.load_ledger()
    done = ledger.loc[ledger["entry"] == "decision", ["match_id", "status", "user", "as_of"]]
    return done.drop_duplicates("match_id", keep="last").reset_index(drop=True)


def _entry(row: pd.Series, entry: str, status: str, applied: int, reason: str, user: str,
           today: dt.date) -> dict:
    return {"match_id": row["match_id"], "entry": entry, "status": status,
            "money_key": row["money_key"], "payment_kind": row["payment_kind"],
            "invoice_number": row["invoice_number"], "applied_minor": applied, "fee_minor": 0,
            "currency": row["currency"], "rule": row["rule"], "reason": reason,
            "source_date": row["source_date"], "as_of": today, "user": user, "evidence": ""}
