"""The Summary's figures (pure frames, finance labels): what needs you, the tie-out per
currency, money by outcome, money by source, and the invoices still open.

The tie-out is :mod:`pipeline.report_summary`'s (``summary["tie_out"]``): per currency, money
in = applied + awaiting review + client credit + unmatched + other money (not a customer's)
+ after the as-of date, and what is not accounted for (0 when every unit is).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from pipeline.reporting import ReportData
from reports.recon_words import source_words

TIE_OUT = {"money_in": "Money in", "applied": "Applied", "suggested": "Awaiting review",
           "credit": "Client credit", "unmatched": "Unmatched", "non_customer": "Other money",
           "after_as_of": "After as-of date", "difference": "Not accounted for"}
OUTCOMES = ["Applied", "Awaiting review", "Client credit", "Unmatched", "Other money"]


def needs_you(data: ReportData, files: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """What, where to look, how many: only what is not zero."""
    status = data.matches["status"]
    items = [("Suggestions to approve or reject", "see Review",
              int((status == "suggested").sum()))]
    for kind, count in data.exceptions["kind"].value_counts().sort_index().items():
        items.append((f"Exception: {str(kind).replace('_', ' ')}", "see Exceptions", int(count)))
    items += _more_needs(data, files)
    items += [(note, "", None) for note in notes]
    table = pd.DataFrame(items, columns=["What", "Where", "How many"])
    return table.loc[table["How many"].isna() | (table["How many"] > 0)].reset_index(drop=True)


def _more_needs(data: ReportData, files: pd.DataFrame) -> list[tuple[str, str, int]]:
    tickets = data.tickets["status"] if "status" in data.tickets else pd.Series(dtype=object)
    off = tie_out(data)["Not accounted for"]
    return [
        ("Money not matched to any invoice", "see Unmatched money", len(data.unmatched)),
        ("Currencies whose money is not all accounted for", "see the tie-out below",
         int((off.fillna(0) != 0).sum())),
        ("Claims of payment not received", "see Tickets",
         int((tickets == "claimed_not_received").sum())),
        ("Files quarantined (not read)", "see Files",
         int((files["Outcome"] == "quarantined").sum())),
        ("Files with every row rejected", "see Files",
         int(((files["New rows"] == 0) & (files["Rejected rows"] > 0)).sum())),
        ("Statements that do not balance", "see Files",
         int(files["Statement balance"].astype(str).str.startswith("does not balance").sum())),
        ("Input rows rejected", "see Rejected input rows", len(data.rejects)),
    ]


def tie_out(data: ReportData) -> pd.DataFrame:
    """Per currency: money in against what it became (Decimal amounts), the number of
    payments and the share of the money matched automatically."""
    rows = pd.DataFrame.from_records(data.summary.get("tie_out", []))
    columns = ["Currency", "Payments", *TIE_OUT.values(), "Auto-matched"]
    if rows.empty:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
    amounts = rows[list(TIE_OUT)].map(_decimal).astype(object)
    per = amounts.groupby(rows["currency"]).sum().rename(columns=TIE_OUT)
    counts = {r["currency"]: r["payments_count"] for r in data.summary.get("by_currency", [])}
    auto = data.matches.loc[data.matches["status"] == "auto"]
    auto = auto.groupby("currency")["applied_amount"].sum()
    rate = [float(auto.get(c, 0) / m) if m else None
            for c, m in zip(per.index, per["Money in"], strict=True)]
    return pd.DataFrame({"Currency": per.index, "Payments": [counts.get(c) for c in per.index],
                         **{label: per[label].to_numpy() for label in TIE_OUT.values()},
                         "Auto-matched": rate}, columns=columns).reset_index(drop=True)


def open_invoices(data: ReportData) -> pd.DataFrame:
    """Per currency: the balance still open and the part of it overdue."""
    rows = pd.DataFrame.from_records(data.summary.get("by_currency", []))
    if rows.empty or "open_balance" not in rows:
        return pd.DataFrame({name: pd.Series(dtype=object)
                             for name in ("Currency", "Open balance", "Overdue")})
    return pd.DataFrame({"Currency": rows["currency"],
                         "Open balance": rows["open_balance"].map(_decimal),
                         "Overdue": rows["overdue_balance"].map(_decimal)})


def source_table(data: ReportData) -> pd.DataFrame:
    rows = pd.DataFrame.from_records(data.summary.get("by_source", []))
    if rows.empty:
        return pd.DataFrame({name: pd.Series(dtype=object)
                             for name in ("Source", "Currency", "Payments", "Amount")})
    rows = rows.sort_values(["currency", "source_kind", "source_format"], kind="stable")
    return pd.DataFrame({
        "Source": source_words(rows["source_kind"], rows["source_format"]),
        "Currency": rows["currency"], "Payments": rows["count"],
        "Amount": rows["total"].map(_decimal),
    }).reset_index(drop=True)


def _decimal(text: object) -> Decimal | None:
    return Decimal(str(text)) if text not in (None, "") else None
