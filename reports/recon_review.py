"""The Review sheet (Decision first, a drop-down, hidden id and checksum per row), the
Decisions sheet, the hidden identity sheet, and reading decisions back from a workbook.

A person chooses approve or reject in column A; ``payrecon review apply`` reads column A and
the two hidden columns back (:func:`read_decisions`) and :mod:`pipeline.review_apply` checks
them against the database before anything is recorded.
"""

from __future__ import annotations

from pathlib import Path
from zipfile import BadZipFile

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

from pipeline.money import CurrencyError, to_minor
from pipeline.review_apply import WorkbookRow, review_checksum
from reports.cell_values import text_cell
from reports.cells import write_table

DECISION = "Decision"
DECISIONS = ("approve", "reject")
ROW_ID, CHECK = "Row id", "Check"
META_SHEET = "payrecon"
_TO_DECIDE = PatternFill(fill_type="solid", start_color="FFF2CC", end_color="FFF2CC")


def review_sheet(wb: Workbook, title: str, table: pd.DataFrame,
                 database_id: str) -> WriteOnlyWorksheet:
    """``table`` (:func:`reports.recon_tables.review`) with its id and checksum columns
    hidden at the end, a drop-down on Decision and empty decisions highlighted."""
    shown = table.drop(columns="match_id").assign(**{
        ROW_ID: table["match_id"],
        CHECK: [_checksum(database_id, *values) for values in zip(
            table["match_id"], table["Invoice"], table["Amount"], table["Currency"],
            strict=True)],
    })
    ws = write_table(wb, title, shown, currency_column="Currency", freeze="B2",
                     hidden=(ROW_ID, CHECK))
    last = max(len(shown), 1) + 1
    validation = DataValidation(
        type="list", formula1='"' + ",".join(DECISIONS) + '"', allow_blank=True,
        showErrorMessage=True, errorTitle=DECISION,
        error="Choose approve or reject (or leave empty).", promptTitle=DECISION,
        prompt="approve or reject this suggestion", showInputMessage=True,
    )
    validation.add(f"A2:A{last}")
    ws.data_validations.append(validation)
    ws.conditional_formatting.add(f"A2:A{last}",
                                  FormulaRule(formula=['LEN(A2)=0'], fill=_TO_DECIDE))
    return ws


def _checksum(database_id: str, match_id: object, invoice: object, amount: object,
              currency: object) -> str:
    try:
        minor = to_minor(amount, str(currency))
    except (CurrencyError, TypeError, ValueError, ArithmeticError):
        return ""
    return review_checksum(database_id, str(match_id), str(invoice), minor, str(currency))


def meta_sheet(wb: Workbook, facts: dict[str, str]) -> None:
    """A hidden sheet with the workbook's identity (database, as-of date)."""
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "hidden"
    for key, value in facts.items():
        ws.append([key, text_cell(ws, value)])


def read_decisions(path: Path) -> tuple[str, list[WorkbookRow]]:
    """(database id, rows) from a reconciliation workbook's Review sheet(s)."""
    try:
        wb = load_workbook(Path(path), read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError) as exc:
        raise ValueError(f"not an Excel workbook ({exc})") from exc
    try:
        facts = ({str(k): str(v or "") for k, v, *_ in wb[META_SHEET].iter_rows(values_only=True)}
                 if META_SHEET in wb.sheetnames else {})
        rows = [row for name in wb.sheetnames if name == "Review" or name.startswith("Review (")
                for row in _sheet_rows(wb[name])]
    finally:
        wb.close()
    return facts.get("database_id", ""), rows


def _sheet_rows(ws) -> list[WorkbookRow]:  # noqa: ANN001
    values = ws.iter_rows(values_only=True)
    header = [str(h or "") for h in next(values, ())]
    if DECISION not in header or ROW_ID not in header or CHECK not in header:
        return []
    at = {name: header.index(name) for name in (DECISION, ROW_ID, CHECK)}
    return [WorkbookRow(row=number, match_id=_text(row, at[ROW_ID]),
                        checksum=_text(row, at[CHECK]), decision=_text(row, at[DECISION]))
            for number, row in enumerate(values, start=2) if any(v is not None for v in row)]


def _text(row: tuple, at: int) -> str:
    return "" if at >= len(row) or row[at] is None else str(row[at]).strip()


def decisions_table(decisions: pd.DataFrame) -> pd.DataFrame:
    """The Decisions sheet: who decided what, when."""
    return pd.DataFrame({
        "Date": decisions["as_of"], "Who": decisions["user"],
        "Decision": decisions["status"].map({"confirmed": "approved", "rejected": "rejected"}),
        "Invoice": decisions["invoice_number"], "Currency": decisions["currency"],
        "Row id": decisions["match_id"],
    })
