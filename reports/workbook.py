"""The reconciliation workbook: Summary, Review (decide here), Matched, Unmatched money,
Open invoices, Exceptions, Payouts, Payout items, Tickets, Credits, Other money (when the run
has it), Rejected input rows, Files, Decisions, and a hidden identity sheet for
``review apply``.

A table longer than a sheet holds continues on "<name> (2)", "(3)"...; the Summary says so
(the CSV exports hold everything). Layout only: every number comes from ReportData.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from pipeline.reporting import ReportData
from reports import recon_tables as tables
from reports.cells import new_workbook, save_workbook, write_table
from reports.recon_figures import needs_you
from reports.recon_review import decisions_table, meta_sheet, review_sheet
from reports.recon_summary import summary_sheet

EXCEL_ROWS = 1_048_576  # rows in one Excel sheet, the header included


_ACT = PatternFill(fill_type="solid", start_color="FFC7CE", end_color="FFC7CE")


@dataclass(frozen=True, eq=False)
class _Sheet:
    title: str
    frame: pd.DataFrame
    review: bool = False
    # (column, condition on its first cell "{cell}"): cells a person must act on, in red
    act_on: tuple[tuple[str, str], ...] = ()


def write_reconciliation_workbook(data: ReportData, path: Path, *,
                                  row_limit: int = EXCEL_ROWS) -> Path:
    """Write the reconciliation workbook to ``path`` (atomically) and return it.
    ``row_limit``: rows per sheet, header included (Excel's limit unless a test says less)."""
    files = tables.files(data)
    sheets = _sheets(data, files)
    parts = {sheet.title: _parts(len(sheet.frame), row_limit - 1) for sheet in sheets}
    notes = [f"{title} is longer than one sheet: it continues on "
             + ", ".join(f'"{title} ({n})"' for n in range(2, count + 1))
             for title, count in parts.items() if count > 1]
    wb = new_workbook()
    summary_sheet(wb, data, needs_you(data, files, notes), files)
    for sheet in sheets:
        _write_parts(wb, sheet, row_limit - 1, data.details.database_id)
    for ws in wb.worksheets:
        ws.oddHeader.center.text = f"Reconciliation as of {data.as_of.isoformat()} — {ws.title}"
    meta_sheet(wb, {"database_id": data.details.database_id, "as_of": data.as_of.isoformat(),
                    "workbook": "reconciliation"})
    return save_workbook(wb, Path(path))


def _sheets(data: ReportData, files: pd.DataFrame) -> list[_Sheet]:
    sheets = [
        _Sheet("Review", tables.review(data), review=True),
        _Sheet("Matched", tables.matched(data)),
        _Sheet("Unmatched money", tables.unmatched(data)),
        _Sheet("Open invoices", tables.open_invoices(data),
               act_on=(("Days overdue", "{cell}>0"),)),
        _Sheet("Exceptions", tables.exceptions(data)),
        _Sheet("Payouts", tables.generic(data.payouts)),
        _Sheet("Payout items", tables.payout_items(data)),
        _Sheet("Tickets", tables.tickets(data),
               act_on=(("Status", '{cell}="claimed not received"'),)),
        _Sheet("Credits", tables.exceptions(data, kinds=tables.CREDIT_KINDS)),
    ]
    other = getattr(data, "other_money", None)
    if isinstance(other, pd.DataFrame):
        sheets.append(_Sheet("Other money", tables.other_money(data, other)))
    return [*sheets, _Sheet("Rejected input rows", tables.generic(data.rejects)),
            _Sheet("Files", files, act_on=(("Outcome", '{cell}="quarantined"'),
                                           ("Statement balance", 'LEFT({cell},8)="does not"'))),
            _Sheet("Decisions", decisions_table(data.details.decisions))]


def _parts(rows: int, per_sheet: int) -> int:
    return max(1, -(-rows // max(per_sheet, 1)))


def _write_parts(wb: Workbook, sheet: _Sheet, per_sheet: int, database_id: str) -> None:
    for index in range(_parts(len(sheet.frame), per_sheet)):
        title = sheet.title if index == 0 else f"{sheet.title} ({index + 1})"
        part = sheet.frame.iloc[index * per_sheet:(index + 1) * per_sheet]
        if sheet.review:
            review_sheet(wb, title, part.reset_index(drop=True), database_id)
        else:
            ws = write_table(wb, title, part.reset_index(drop=True), currency_column="Currency")
            _mark(ws, part, sheet.act_on)


def _mark(ws: WriteOnlyWorksheet, part: pd.DataFrame,
          act_on: tuple[tuple[str, str], ...]) -> None:
    """Red fill on the cells of ``act_on``'s columns that meet its condition."""
    for column, condition in act_on:
        if column not in part.columns or part.empty:
            continue
        letter = get_column_letter(list(part.columns).index(column) + 1)
        rule = FormulaRule(formula=[condition.format(cell=f"{letter}2")], fill=_ACT)
        ws.conditional_formatting.add(f"{letter}2:{letter}{len(part) + 1}", rule)
