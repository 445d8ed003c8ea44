"""The reconciliation workbook's Summary, readable in ten seconds: what needs you today,
the tie-out per currency, the auto-match rate, money by outcome and by source with a chart
per currency beside each table, and the input files with their balance check.

Layout only: the figures come from ReportData (its summary and tables).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from pipeline.reporting import ReportData
from reports.cells import (
    PERCENT_FORMAT,
    frame_rows,
    header_row,
    number_columns,
    print_setup,
    set_widths,
    text_cell,
    with_count_formats,
)
from reports.recon_words import source_words

WIDTHS = [40] + [20] * 10  # A..K: the tables, and the charts two by two from F
CHART_ROWS = 14  # rows one chart covers (6.5 cm at the default row height)
CHART_COLUMNS = ("F", "I")  # where the charts of one table go, two per row of charts
MAX_CHARTS = 3  # currencies charted per table
MAX_FILES = 30  # files listed on the Summary (all are on the Files sheet)
_BOLD, _TITLE = Font(bold=True), Font(bold=True, size=14)
OUTCOMES = {"applied_total": "Applied to invoices", "suggested_total": "Awaiting review",
            "unmatched_total": "Unmatched"}


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
    blocks.add("Tie-out per currency", tie, formats={"Auto-matched": PERCENT_FORMAT})
    rate = pd.DataFrame({"Measure": ["Payments matched automatically (count)"],
                         "Rate": [data.summary.get("auto_match_rate", 0.0)]})
    blocks.add("Auto-match rate", rate, formats={"Rate": PERCENT_FORMAT})
    outcome = tie[["Currency", *OUTCOMES.values()]]
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


def needs_you(data: ReportData, files: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """What, how many, where to look: only what is not zero."""
    status = data.matches["status"]
    items = [("Suggestions to approve or reject", int((status == "suggested").sum()),
              "see Review")]
    for kind, count in data.exceptions["kind"].value_counts().sort_index().items():
        items.append((f"Exception: {str(kind).replace('_', ' ')}", int(count), "see Exceptions"))
    items += [(what, count, f"see {where}") for what, count, where in _more_needs(data, files)]
    items += [(note, None, "") for note in notes]
    table = pd.DataFrame(items, columns=["What", "How many", "Where"])[
        ["What", "Where", "How many"]]
    return table.loc[table["How many"].isna() | (table["How many"] > 0)].reset_index(drop=True)


def _more_needs(data: ReportData, files: pd.DataFrame) -> list[tuple[str, int, str]]:
    tickets = data.tickets["status"] if "status" in data.tickets else pd.Series(dtype=object)
    return [
        ("Money not matched to any invoice", len(data.unmatched), "Unmatched money"),
        ("Claims of payment not received", int((tickets == "claimed_not_received").sum()),
         "Tickets"),
        ("Files quarantined (not read)", int((files["Outcome"] == "quarantined").sum()),
         "Files"),
        ("Files with every row rejected", int(((files["New rows"] == 0)
                                               & (files["Rejected rows"] > 0)).sum()), "Files"),
        ("Statements that do not balance", int(files["Statement balance"].astype(str)
                                                .str.startswith("does not balance").sum()),
         "Files"),
        ("Input rows rejected", len(data.rejects), "Rejected input rows"),
    ]


def tie_out(data: ReportData) -> pd.DataFrame:
    """Per currency: money in against what it became (Decimal amounts)."""
    rows = pd.DataFrame.from_records(data.summary.get("by_currency", []))
    columns = ["Currency", "Payments", "Money in", *OUTCOMES.values(), "Auto-matched",
               "Open invoices", "Overdue"]
    if rows.empty:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
    amount = {name: rows[name].map(_decimal) for name in rows.columns if name.endswith(
        ("_total", "_balance"))}
    auto = data.matches.loc[data.matches["status"] == "auto"]
    auto = auto.groupby("currency")["applied_amount"].sum()
    money_in = amount["payments_total"]
    rate = [float(auto.get(c, 0) / m) if m else None
            for c, m in zip(rows["currency"], money_in, strict=True)]
    return pd.DataFrame({
        "Currency": rows["currency"], "Payments": rows["payments_count"], "Money in": money_in,
        **{label: amount[key] for key, label in OUTCOMES.items()},
        "Auto-matched": rate, "Open invoices": amount["open_balance"],
        "Overdue": amount["overdue_balance"],
    }, columns=columns)


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
    chart.height, chart.width = 6.5, 11
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
