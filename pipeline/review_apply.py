"""Decisions read back from a reconciliation workbook, checked and recorded in the ledger.

Each Review row carries the suggestion's ``match_id`` and a checksum of what the row showed
(database, pair, invoice, amount); the workbook carries the database's identity. So a
workbook from another database is refused as a whole, and a row that was edited, pasted from
elsewhere, or whose suggestion changed since the workbook was written is refused with a
reason. Rows nobody touched are ignored; a decision already recorded is not recorded again
(applying a workbook twice changes nothing).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import pandas as pd

from pipeline.frames import LEDGER_COLUMNS
from pipeline.review import ReviewError, decided, decision_entries, suggestions

DECISIONS = {"approve": "approve", "approved": "approve", "reject": "reject",
             "rejected": "reject"}
STATUS_OF = {"approve": "confirmed", "reject": "rejected"}


@dataclass(frozen=True)
class WorkbookRow:
    """One Review row as read back: its sheet row, hidden id and checksum, the Decision."""

    row: int
    match_id: str
    checksum: str
    decision: str


@dataclass(frozen=True)
class ApplyOutcome:
    applied: tuple[str, ...]  # "<match_id> approve" per decision recorded now
    unchanged: tuple[str, ...]  # match_ids decided the same way before
    refused: tuple[str, ...]  # "row N: why"
    ignored: int  # rows with no decision
    entries_added: int


def review_checksum(database_id: str, match_id: str, invoice_number: str, applied_minor: int,
                    currency: str) -> str:
    """What a Review row stands for, as 12 hex digits."""
    text = f"{database_id}|{match_id}|{invoice_number}|{int(applied_minor)}|{currency}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def apply_decisions(store, rows: list[WorkbookRow], *, workbook_database: str,  # noqa: ANN001
                    user: str, today: dt.date) -> ApplyOutcome:
    """Record the decisions of ``rows`` (from a workbook of ``workbook_database``)."""
    database = store.database_id()
    if not workbook_database or workbook_database != database:
        raise ReviewError(f"this workbook was written from another database "
                          f"({workbook_database or 'no id'}; this one is {database or 'empty'})"
                          ": nothing applied")
    waiting = suggestions(store).drop_duplicates("match_id").set_index("match_id", drop=False)
    done = decided(store).set_index("match_id")["status"]
    entries, applied, unchanged, refused = [], [], [], []
    touched = [item for item in rows if item.decision.strip()]
    for item in touched:
        decision = DECISIONS.get(item.decision.strip().lower())
        if decision is None:
            refused.append(f"row {item.row}: unknown decision {item.decision!r} "
                           "(approve or reject)")
        elif item.match_id in done.index:
            _already(item, decision, done[item.match_id], unchanged, refused)
        elif (why := _refusal(item, waiting, database)) is not None:
            refused.append(f"row {item.row}: {why}")
        else:
            entries += decision_entries(waiting.loc[item.match_id], decision, user=user,
                                        today=today)
            applied.append(f"{item.match_id} {decision}")
    added = store.append_ledger(pd.DataFrame(entries, columns=LEDGER_COLUMNS)) if entries else 0
    return ApplyOutcome(tuple(applied), tuple(unchanged), tuple(refused),
                        len(rows) - len(touched), added)


def _already(item: WorkbookRow, decision: str, status: str, unchanged: list,
             refused: list) -> None:
    if STATUS_OF[decision] == status:
        unchanged.append(item.match_id)
    else:
        refused.append(f"row {item.row}: {item.match_id} was already decided ({status}); "
                       "decide again with `payrecon review`")


def _refusal(item: WorkbookRow, waiting: pd.DataFrame, database: str) -> str | None:
    if item.match_id not in waiting.index:
        return f"{item.match_id or 'no id'} is not a suggestion awaiting a decision"
    row = waiting.loc[item.match_id]
    expected = review_checksum(database, item.match_id, row["invoice_number"],
                               row["applied_minor"], row["currency"])
    if item.checksum != expected:
        return (f"{item.match_id} changed since the workbook was written, or the row was "
                "edited: nothing applied for it")
    return None
