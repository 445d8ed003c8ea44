"""The reconciliation workbook's Summary, readable in ten seconds: what needs you today,
the tie-out per currency, the auto-match rate, the invoices still open, money by outcome and
by source with a chart per currency beside each table, and the input files with their
balance check.

Layout only: the figures are :mod:`reports.recon_figures`'s.
"""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from pipeline.reporting import ReportData
from reports.cell_values import PERCENT_FORMAT, frame_rows, text_cell
from reports.cells import (
    header_row,
    number_columns,
    print_setup,
    set_widths,
    with_count_formats,
)
from reports.recon_figures import OUTCOMES, open_invoices, source_table, tie_out

WIDTHS = [40] + [19] * 14  # A..O: the tables, and the charts two by two from H
CHART_ROWS = 16  # rows one chart covers (7.5 cm at the default row height)
CHART_COLUMNS = ("H", "L")  # where the charts of one table go, two per row of charts
MAX_CHARTS = 3  # currencies charted per table
MAX_FILES = 30  # files listed on the Summary (all are on the Files sheet)
_BOLD, _TITLE = Font(bold=True), Font(bold=True, size=14)


def summary_sheet(wb: Workbook, data: ReportData, needs: pd.DataFrame,
                  files: pd.DataFrame) -> WriteOnlyWorksheet:
    """The Summary; ``needs`` is :func:`needs_you`'s table, ``files`` the Files table."""
    ws = wb.create_sheet("Summary", 0)
    set_widths(ws, WIDTHS)
    print_setup(ws, "Summary")
    ws.print_title_rows = None
    title = text_cell(ws, f"Reconciliation as of {data.as_of.isoformat()}")
    title.font = _TITLE
    ws.append([title])
    ws.append([])
    blocks = Blocks(ws, next_row=3)
    blocks.add("Needs you today", needs if len(needs) else pd.DataFrame(
        {"What": ["Nothing needs you today"], "Where": [""], "How many": [None]}))
    tie = tie_out(data)
    blocks.add("Tie-out per currency", tie,
               formats={"Auto-matched": PERCENT_FORMAT})
    rate = pd.DataFrame({"Measure": ["Payments matched automatically (count)"],
                         "Rate": [data.summary.get("auto_match_rate", 0.0)]})
    blocks.add("Auto-match rate", rate, formats={"Rate": PERCENT_FORMAT})
    blocks.add("Invoices still open", open_invoices(data))
    outcome = tie[["Currency", *OUTCOMES]]
    header, _ = blocks.add("Money by outcome", outcome)
    _row_charts(ws, header, outcome, blocks)
    by_source = source_table(data)
    header, _ = blocks.add("Money by source", by_source)
    _block_charts(ws, header, by_source, blocks)
    shown = files[["File", "Kind", "Outcome", "Statement balance", "New rows", "Rejected rows"]]
    title = "Input files" + (f" (first {MAX_FILES}; all on the Files sheet)"
                             if len(shown) > MAX_FILES else "")
    blocks.add(title, shown.head(MAX_FILES))
    return ws


class Blocks:
    """Titled tables stacked down a write-only sheet; remembers where each one landed."""

    def __init__(self, ws: WriteOnlyWorksheet, next_row: int) -> None:
        self.ws, self.row = ws, next_row

    def add(self, title: str, frame: pd.DataFrame,
            formats: dict[str, str] | None = None) -> tuple[int, int]:
        """Title, header and rows, then a blank line; (header row, last row)."""
        heading = text_cell(self.ws, title)
        heading.font = _BOLD
        self.ws.append([heading])
        self.ws.append(header_row(self.ws, frame.columns, right=number_columns(frame)))
        for row in frame_rows(self.ws, frame, formats=with_count_formats(frame, formats),
                              currency_column="Currency"):
            self.ws.append(row)
        self.ws.append([])
        header = self.row + 1
        self.row = header + len(frame) + 2
        return header, header + len(frame)

    def reserve(self, first_row: int, rows: int) -> None:
        """Blank rows until ``rows`` rows from ``first_row`` are used (room for charts)."""
        while self.row < first_row + rows:
            self.ws.append([])
            self.row += 1


def _chart_anchor(header: int, index: int) -> str:
    """Two charts per row, from the table's title row down."""
    across, down = index % len(CHART_COLUMNS), index // len(CHART_COLUMNS)
    return f"{CHART_COLUMNS[across]}{header - 1 + CHART_ROWS * down}"


def _chart(title: str) -> BarChart:
    chart = BarChart()
    chart.title, chart.legend = title, None
    chart.y_axis.number_format = "#,##0"  # short axis labels; the title names the currency
    chart.y_axis.delete = chart.x_axis.delete = False
    chart.height, chart.width = 7.5, 14
    return chart


def _row_charts(ws: WriteOnlyWorksheet, header: int, frame: pd.DataFrame,
                blocks: Blocks) -> None:
    """One chart per currency row (its amounts by outcome), to the right of the table."""
    count = min(len(frame), MAX_CHARTS)
    last_col = len(frame.columns)
    for index in range(count):
        row = header + 1 + index
        chart = _chart(f"Money by outcome, {frame['Currency'].iloc[index]}")
        chart.add_data(Reference(ws, min_col=2, max_col=last_col, min_row=row), from_rows=True,
                       titles_from_data=False)
        chart.set_categories(Reference(ws, min_col=2, max_col=last_col, min_row=header))
        ws.add_chart(chart, _chart_anchor(header, index))
    blocks.reserve(header - 1, CHART_ROWS * -(-count // len(CHART_COLUMNS)))


def _block_charts(ws: WriteOnlyWorksheet, header: int, frame: pd.DataFrame,
                  blocks: Blocks) -> None:
    """One chart per currency (amount by source), to the right of the table."""
    currencies = list(dict.fromkeys(frame["Currency"]))[:MAX_CHARTS]
    for index, currency in enumerate(currencies):
        at = [i for i, c in enumerate(frame["Currency"]) if c == currency]
        first, last = header + 1 + at[0], header + 1 + at[-1]
        chart = _chart(f"Money by source, {currency}")
        chart.add_data(Reference(ws, min_col=4, min_row=first, max_row=last),
                       titles_from_data=False)
        chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
        ws.add_chart(chart, _chart_anchor(header, index))
    blocks.reserve(header - 1, CHART_ROWS * -(-len(currencies) // len(CHART_COLUMNS)))
