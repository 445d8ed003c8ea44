"""The Today page's figures, read from the latest report folder's ``summary.json`` (what the
night wrote) and the run journal: nothing is recomputed here."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from flows import runlog

TIE_OUT = {"money_in": "Money in", "applied": "Applied", "suggested": "Awaiting review",
           "credit": "Client credit", "unmatched": "Unmatched", "non_customer": "Other money",
           "after_as_of": "After as-of date", "difference": "Not accounted for"}
LISTS = {"unmatched": ("Unmatched money", "unmatched.csv"),
         "exceptions": ("Exceptions", "exceptions.csv"),
         "review": ("Review queue", "matches.csv"),
         "payouts": ("Payouts", "payouts.csv"),
         "tickets": ("Tickets", "tickets.csv"),
         "credits": ("Credits", "credits.csv"),
         "overdue": ("Open invoices", "overdue.csv")}


@dataclass(frozen=True)
class Need:
    what: str
    count: int | None
    link: str | None = None


@dataclass(frozen=True)
class Today:
    as_of: str | None
    run: runlog.RunRecord | None
    folder: Path | None
    needs: list[Need] = field(default_factory=list)
    tie_out: list[dict[str, Any]] = field(default_factory=list)
    auto_match_rate: float | None = None
    counts: dict[str, int] = field(default_factory=dict)


def runs_newest_first(data_dir: Path) -> list[runlog.RunRecord]:
    """The journal's runs, newest first, with a run still going (LAST_RUN.json) on top."""
    records = list(reversed(runlog.read_journal(data_dir)))
    last = runlog.read_last_run(data_dir)
    if last is not None and last.outcome == runlog.RUNNING:
        records.insert(0, last)
    return records


def latest_report(data_dir: Path, fallback: Path) -> tuple[runlog.RunRecord | None, Path | None]:
    """The newest completed run whose report folder holds a summary.json, else ``fallback``."""
    for record in runs_newest_first(data_dir):
        folder = Path(record.report_folder) if record.report_folder else None
        if record.outcome == runlog.COMPLETED and folder and (folder / "summary.json").is_file():
            return record, folder
    return None, (fallback if (fallback / "summary.json").is_file() else None)


def read_today(data_dir: Path, fallback: Path) -> Today:
    record, folder = latest_report(data_dir, fallback)
    if folder is None:
        return Today(None, record, None)
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    return Today(summary.get("as_of"), record, folder, needs_you(summary, record),
                 tie_out(summary), summary.get("auto_match_rate"), summary.get("counts", {}))


def needs_you(summary: dict[str, Any], record: runlog.RunRecord | None) -> list[Need]:
    """What a person must look at, only what is not zero (as the workbook's Summary)."""
    suggested = sum(r.get("count", 0) for r in summary.get("by_status", [])
                    if r.get("status") == "suggested")
    counts = summary.get("counts", {})
    items = [Need("Suggestions to approve or reject", suggested, "/review")]
    for kind, count in sorted(summary.get("exceptions_by_kind", {}).items()):
        items.append(Need(f"Exception: {kind.replace('_', ' ')}", count, "/lists/exceptions"))
    off = {row["Currency"] for row in tie_out(summary) if row["Not accounted for"] != 0}
    items += [
        Need("Money not matched to any invoice", counts.get("unmatched", 0), "/lists/unmatched"),
        Need("Currencies whose money is not all accounted for", len(off), None),
        Need("Files quarantined (not read)", len(record.quarantined) if record else 0, "/runs"),
        Need("Input rows rejected", counts.get("rejects", 0), "/upload"),
        Need("Invoices overdue", counts.get("overdue_invoices", 0), "/lists/overdue"),
    ]
    return [n for n in items if n.count]


def tie_out(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Per currency (bank and gateway money added up): money in and what it became."""
    per: dict[str, dict[str, Any]] = {}
    for row in summary.get("tie_out", []):
        into = per.setdefault(row["currency"], {"Currency": row["currency"],
                                                **dict.fromkeys(TIE_OUT.values(), Decimal(0))})
        for key, label in TIE_OUT.items():
            into[label] += Decimal(str(row.get(key) or "0"))
    return [per[c] for c in sorted(per)]
