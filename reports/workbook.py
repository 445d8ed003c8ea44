"""The reconciliation workbook: Summary (with charts), Matched, Review (Decision drop-down),
Unmatched money, Open invoices, Exceptions, Payouts, Credits, Rejected input rows.

Layout only: every number comes from :class:`pipeline.reporting.ReportData`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

from pipeline.reporting import OPEN_STATUSES, ReportData
from reports.cells import (
    PERCENT_FORMAT,
    RATIO_FORMAT,
    frame_rows,
    header_row,
    new_workbook,
    save_workbook,
    set_widths,
    text_cell,
    value_cell,
    write_table,
)

DECISION = "Decision"
DECISIONS = ("approve", "reject")
CREDIT_KINDS = ("overpayment", "credit")
MATCHED_STATUSES = ("auto", "confirmed")
_RATIOS = {"confidence": RATIO_FORMAT}
# wide enough for IDR totals such as "999,999,999,999.00 IDR" and their headers
_SUMMARY_WIDTHS = [26, 24, 24, 24, 24, 24, 24, 24, 24, 24]


def write_reconciliation_workbook(data: ReportData, path: Path) -> Path:
    """Write the reconciliation workbook to ``path`` (atomically) and return it."""
    wb = new_workbook()
    _summary_sheet(wb, data)
    matches = data.matches
    write_table(wb, "Matched", matches.loc[matches["status"].isin(MATCHED_STATUSES)],
                formats=_RATIOS)
    _review_sheet(wb, matches.loc[matches["status"] == "suggested"])
    write_table(wb, "Unmatched money", data.unmatched)
    invoices = data.invoices
    open_invoices = invoices.loc[invoices["status"].isin(OPEN_STATUSES)
                                 & invoices["balance"].map(lambda b: b is not None and b > 0)]
    write_table(wb, "Open invoices", open_invoices)
    write_table(wb, "Exceptions", data.exceptions)
    write_table(wb, "Payouts", data.payouts)
    write_table(wb, "Credits", data.exceptions.loc[data.exceptions["kind"].isin(CREDIT_KINDS)])
    write_table(wb, "Rejected input rows", data.rejects)
    return save_workbook(wb, Path(path))


def _review_sheet(wb: Workbook, suggested: pd.DataFrame) -> WriteOnlyWorksheet:
    """Suggestions with a Decision column limited to approve/reject by a drop-down."""
    review = suggested.assign(**{DECISION: None})
    ws = write_table(wb, "Review", review, formats=_RATIOS)
    column = get_column_letter(len(review.columns))
    validation = DataValidation(
        type="list", formula1='"' + ",".join(DECISIONS) + '"', allow_blank=True,
        showDropDown=False, showErrorMessage=True, errorTitle="Decision",
        error="Choose approve or reject (or leave empty).", promptTitle="Decision",
        prompt="approve or reject this suggestion", showInputMessage=True,
    )
    validation.add(f"{column}2:{column}{max(len(review), 1) + 1}")
    ws.data_validations.append(validation)
    return ws


def _summary_sheet(wb: Workbook, data: ReportData) -> WriteOnlyWorksheet:
    """Counts, auto-match rate, tables per currency/source/rule/status and two bar charts."""
    summary = data.summary
    ws = wb.create_sheet("Summary")
    set_widths(ws, _SUMMARY_WIDTHS)
    title = text_cell(ws, "Reconciliation summary")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    ws.append([text_cell(ws, "As of"), value_cell(ws, data.as_of)])
    ws.append([])
    counts = pd.DataFrame({"metric": list(summary["counts"]),
                           "value": list(summary["counts"].values())})
    rate = pd.DataFrame({"metric": ["auto-match rate"], "value": [summary["auto_match_rate"]]})
    blocks = _Blocks(ws, next_row=4)
    blocks.add("Counts", counts)
    blocks.add("Auto-match", rate, formats={"value": PERCENT_FORMAT})
    blocks.add("By currency", _amounts(summary["by_currency"]))
    by_source = blocks.add("By source", _amounts(summary["by_source"]))
    by_rule = blocks.add("By rule", _amounts(summary["by_rule"]))
    blocks.add("By allocation status", _amounts(summary["by_status"]))
    _count_chart(ws, by_source, "Payments by source (count)", label_col=2, anchor="L2")
    _count_chart(ws, by_rule, "Allocations by rule (count)", label_col=1, anchor="L20")
    return ws


class _Blocks:
    """Titled tables stacked down a write-only sheet; remembers where each one landed."""

    def __init__(self, ws: WriteOnlyWorksheet, next_row: int) -> None:
        self.ws, self.row = ws, next_row

    def add(self, title: str, frame: pd.DataFrame,
            formats: dict[str, str] | None = None) -> tuple[int, int, pd.DataFrame]:
        """Append ``title``, header and rows, then a blank line; return (header row,
        last row, frame)."""
        heading = text_cell(self.ws, title)
        heading.font = Font(bold=True)
        self.ws.append([heading])
        self.ws.append(header_row(self.ws, frame.columns))
        for row in frame_rows(self.ws, frame, formats=formats):
            self.ws.append(row)
        self.ws.append([])
        header = self.row + 1
        self.row = header + len(frame) + 2
        return header, header + len(frame), frame


def _amounts(records: list[dict]) -> pd.DataFrame:
    """Summary records with their plain-string totals turned back into Decimal numbers."""
    frame = pd.DataFrame.from_records(records)
    for name in frame.columns:
        if name == "total" or name.endswith(("_total", "_balance")):
            frame[name] = frame[name].map(lambda t: Decimal(t) if t else None).astype(object)
    return frame


def _count_chart(ws: WriteOnlyWorksheet, block: tuple[int, int, pd.DataFrame], title: str,
                 *, label_col: int, anchor: str) -> None:
    """A bar chart of a block's ``count`` column (counts: no currencies are mixed)."""
    header, last, frame = block
    if frame.empty or "count" not in frame:
        return
    count_col = list(frame.columns).index("count") + 1
    chart = BarChart()
    chart.title, chart.y_axis.title = title, "count"
    chart.add_data(Reference(ws, min_col=count_col, min_row=header, max_row=last),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=label_col, min_row=header + 1, max_row=last))
    chart.height, chart.width = 8, 16
    ws.add_chart(chart, anchor)
