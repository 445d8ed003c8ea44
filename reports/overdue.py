"""The overdue workbook: aging (current, 1-30, 31-60, 61-90, 90+) by invoice and by client,
the policy action for each invoice, and a chart of the aging.

Layout only: buckets, actions and holds come from :mod:`pipeline.dunning` via ReportData.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from pipeline.dunning import BUCKETS, aging_by_client
from pipeline.reporting import ReportData
from reports.cells import new_workbook, save_workbook, write_table


def write_overdue_workbook(data: ReportData, path: Path) -> Path:
    """Write the overdue workbook to ``path`` (atomically) and return it.

    Sheets: Aging (counts per bucket, chart), By currency, By invoice (with the policy
    action and hold reason), By client (bucket columns), Actions.
    """
    overdue = data.overdue
    by_client = aging_by_client(overdue)
    wb = new_workbook()
    _aging_sheet(wb, overdue)
    write_table(wb, "By currency", _by_currency(by_client))
    write_table(wb, "By invoice", overdue.sort_values(
        ["days_overdue", "invoice_number"], ascending=[False, True], kind="stable"))
    write_table(wb, "By client", by_client)
    write_table(wb, "Actions", _actions(overdue))
    return save_workbook(wb, Path(path))


def _aging_sheet(wb: Workbook, overdue: pd.DataFrame) -> None:
    """Open invoices per bucket (counts: comparable across currencies) and a bar chart."""
    counts = overdue["bucket"].value_counts().reindex(BUCKETS, fill_value=0)
    table = pd.DataFrame({"bucket": BUCKETS, "invoices": [int(n) for n in counts]})
    ws = write_table(wb, "Aging", table)
    chart = BarChart()
    chart.title, chart.y_axis.title = "Open invoices by age", "invoices"
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=len(BUCKETS) + 1),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(BUCKETS) + 1))
    chart.height, chart.width = 8, 16
    ws.add_chart(chart, "D2")


def _by_currency(by_client: pd.DataFrame) -> pd.DataFrame:
    """Open balance per currency and bucket (sums within one currency only)."""
    columns = ["currency", *BUCKETS, "balance", "invoices"]
    if by_client.empty:
        return by_client[columns]
    return by_client.groupby("currency", sort=True)[columns[1:]].sum().reset_index()


def _actions(overdue: pd.DataFrame) -> pd.DataFrame:
    """Invoices and open balance per policy action and currency."""
    columns = ["action", "currency", "invoices", "balance"]
    if overdue.empty:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
    grouped = overdue.groupby(["action", "currency"], sort=True).agg(
        invoices=("invoice_number", "size"), balance=("balance", "sum"))
    return grouped.reset_index()[columns]
