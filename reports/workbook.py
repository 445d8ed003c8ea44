"""The reconciliation workbook: Summary, Review (decide here), Matched, Unmatched money,
Open invoices, Exceptions, Payouts, Payout items, Tickets, Credits, Other money (when the run
has it), Rejected input rows, Files, Decisions, and a hidden identity sheet for
``review apply``.

A table longer than :data:`reports.cells.ROWS_PER_SHEET` records continues on "<name> (2)",
"(3)"...; the Summary says so (the CSV exports hold everything). Layout only: every number
comes from ReportData.
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
from reports.cells import (
    continued_note,
    new_workbook,
    save_workbook,
    sheet_parts,
    write_table,
)
from reports.recon_figures import needs_you
from reports.recon_review import decisions_table, meta_sheet, review_sheet
from reports.recon_summary import summary_sheet

_ACT = PatternFill(fill_type="solid", start_color="FFC7CE", end_color="FFC7CE")


@dataclass(frozen=True, eq=False)
class _Sheet:
    title: str
    frame: pd.DataFrame
    review: bool = False
    # (column, condition on its first cell "{cell}"): cells a person must act on, in red
    act_on: tuple[tuple[str, str], ...] = ()


def write_reconciliation_workbook(data: ReportData, path: Path) -> Path:
    """Write the reconciliation workbook to ``path`` (atomically) and return it."""
    files = tables.files(data)
    sheets = _sheets(data, files)
    notes = [note for sheet in sheets if (note := continued_note(sheet.title, sheet.frame))]
    wb = new_workbook()
    summary_sheet(wb, data, needs_you(data, files, notes), files)
    for sheet in sheets:
        _write_parts(wb, sheet, data.details.database_id)
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


def _write_parts(wb: Workbook, sheet: _Sheet, database_id: str) -> None:
    for title, part in sheet_parts(sheet.title, sheet.frame):
        if sheet.review:
            review_sheet(wb, title, part, database_id)
        else:
            ws = write_table(wb, title, part, currency_column="Currency")
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
