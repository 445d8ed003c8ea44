"""The overdue workbook operations act on: what to do today, per invoice and per client, the
aging per currency with a chart, and the holds.

Sheets: Recommended actions (one row per open invoice, most urgent first, with the client's
name and e-mail and why), By client (clients in numeric order, their most urgent action, the
balance per bucket in each currency), Aging (per currency, never summed across currencies,
with a chart per currency beside the table), Holds (what each hold holds back, and why).
Layout only: buckets, actions, reasons and holds come from :mod:`pipeline.dunning` and
:mod:`pipeline.overdue` via ReportData.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter

from pipeline.dunning import BUCKETS, aging_by_client
from pipeline.reporting import ReportData
from reports.cell_values import text_cell
from reports.cells import (
    continued_note,
    new_workbook,
    save_workbook,
    sheet_parts,
    write_table,
)

ACTION_WORDS = {
    "collections": "send to collections", "terminate": "terminate services",
    "final_reminder": "send the final reminder", "suspend": "suspend services",
    "lock": "lock services (first invoice)", "remind": "send a reminder",
    "hold": "hold: payment in progress", "none": "nothing yet", "": "",
}


def write_overdue_workbook(data: ReportData, path: Path) -> Path:
    """Write the overdue workbook to ``path`` (atomically) and return it. A list longer than
    ROWS_PER_SHEET continues on "<title> (2)"..., and the Aging sheet says so."""
    overdue = data.overdue
    lists = {"Recommended actions": _actions(overdue), "By client": _by_client(overdue),
             "Holds": _holds(overdue)}
    notes = [note for title, frame in lists.items() if (note := continued_note(title, frame))]
    wb = new_workbook()
    for title in ("Recommended actions", "By client"):
        _write_list(wb, title, lists[title])
    _aging_sheet(wb, overdue, notes)
    _write_list(wb, "Holds", lists["Holds"])
    return save_workbook(wb, Path(path))


def _write_list(wb: Workbook, title: str, frame: pd.DataFrame) -> None:
    for name, part in sheet_parts(title, frame):
        write_table(wb, name, part, currency_column="Currency")


def _actions(overdue: pd.DataFrame) -> pd.DataFrame:
    """One row per open invoice, most urgent first (the order pipeline.overdue gives)."""
    return pd.DataFrame({
        "Recommended action": overdue["action"].map(ACTION_WORDS),
        "Invoice": overdue["invoice_number"], "Client ID": overdue["client_id"],
        "Client": overdue["client_name"], "E-mail": overdue["client_email"],
        "Currency": overdue["currency"], "Balance due": overdue["balance"],
        "Due date": overdue["due_date"], "Days overdue": overdue["days_overdue"],
        "Age": overdue["bucket"], "First invoice": overdue["first_invoice"].map(
            {True: "yes", False: ""}), "Why": overdue["why"],
    })


def _by_client(overdue: pd.DataFrame) -> pd.DataFrame:
    """Per client and currency: the most urgent action, balance per bucket, total."""
    table = aging_by_client(overdue)
    emails = (overdue.drop_duplicates("client_id").set_index("client_id")["client_email"]
              if len(overdue) else pd.Series(dtype=object))
    return pd.DataFrame({
        "Client ID": table["client_id"], "Client": table["client_name"],
        "E-mail": table["client_id"].map(emails), "Currency": table["currency"],
        "Most urgent action": table["action"].map(ACTION_WORDS),
        **{f"Age {name}" if name != "current" else "Not yet due": table[name]
           for name in BUCKETS},
        "Balance due": table["balance"], "Open invoices": table["invoices"],
    })


def _aging_sheet(wb: Workbook, overdue: pd.DataFrame, notes: list[str]) -> None:
    """Balance due per bucket in each currency, and a bar chart per currency beside it;
    ``notes`` (lists continued on more sheets) below the table."""
    table = _aging(overdue)
    ws = write_table(wb, "Aging", table, currency_column="Currency")
    if notes:
        ws.append([])
        for note in notes:
            ws.append([text_cell(ws, note)])
    for index in range(len(table)):
        row = index + 2
        chart = BarChart()
        chart.title = f"Balance due by age, {table['Currency'].iloc[index]}"
        chart.legend = None
        chart.add_data(Reference(ws, min_col=2, max_col=len(BUCKETS) + 1, min_row=row),
                       from_rows=True, titles_from_data=False)
        chart.set_categories(Reference(ws, min_col=2, max_col=len(BUCKETS) + 1, min_row=1))
        chart.height, chart.width = 6.5, 14
        ws.add_chart(chart, f"{get_column_letter(len(table.columns) + 2)}{2 + 14 * index}")


def _aging(overdue: pd.DataFrame) -> pd.DataFrame:
    columns = ["Currency", *BUCKETS, "Balance due", "Open invoices"]
    if overdue.empty:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
    pivot = overdue.pivot_table(index="currency", columns="bucket", values="balance",
                                aggfunc="sum", fill_value=Decimal(0), observed=True)
    totals = overdue.groupby("currency").agg(balance=("balance", "sum"),
                                             invoices=("invoice_number", "size"))
    table = pivot.reindex(columns=BUCKETS, fill_value=Decimal(0)).join(totals).reset_index()
    table.columns = columns
    return table


def _holds(overdue: pd.DataFrame) -> pd.DataFrame:
    held = overdue.loc[overdue["hold_reason"] != ""]
    return pd.DataFrame({
        "Invoice": held["invoice_number"], "Client": held["client_name"],
        "Currency": held["currency"], "Balance due": held["balance"],
        "Days overdue": held["days_overdue"],
        "Held back": held["held_action"].map(ACTION_WORDS).fillna(""),
        "Why held": held["hold_reason"],
    })
