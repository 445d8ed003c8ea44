"""Workbook writers compared on the same sheet, the reconciliation workbook's Matched sheet
(typed cells: amounts in the row's currency format, dates, text, counts; bold frozen header,
widths, auto-filter):

* ``payrecon``: :func:`reports.cells.write_table` as it is: openpyxl writes the workbook, the
  rows are spliced in as SpreadsheetML made a column at a time (:mod:`reports.sheet_splice`);
* ``openpyxl``: openpyxl's write-only mode cell by cell (payrecon's writer before; cells
  prepared a column at a time, a WriteOnlyCell only where a style is needed);
* ``xlsxwriter``: XlsxWriter's constant-memory mode. XlsxWriter is not a payrecon dependency
  (it did not win by 2x over openpyxl): install it beside the benchmark
  (benchmarks/requirements.txt).

    python benchmarks/bench_writers.py [--rows 100000 1000000] [--csv]

Each writer runs in a fresh process per size, so peak memory (ru_maxrss) is its own; "frame"
is the process's peak after building the table and before writing, so peak - frame is what
the writer itself held. Prints one line per writer and size, then the ratio. ``--csv``: the
CSV exports' text of the same table instead, per cell (as before) and per column (now).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
WRITERS = ("payrecon", "openpyxl", "xlsxwriter")


def matched_frame(rows: int, seed: int = 7) -> pd.DataFrame:
    """A Matched sheet as :func:`reports.recon_tables.matched` gives it (Decimal amounts in
    USD/EUR/JPY, dates, payer and bank text, finance words, source columns)."""
    rng = np.random.default_rng(seed)
    currency = rng.choice(np.array(["USD", "EUR", "JPY"], dtype=object), rows)
    minor = rng.integers(100, 5_000_000, rows)
    digits = np.where(currency == "JPY", 0, 2)
    amount = [Decimal(int(m)).scaleb(-int(d)) for m, d in zip(minor, digits, strict=True)]
    day = dt.date(2026, 1, 1)
    dates = [day + dt.timedelta(days=int(d)) for d in rng.integers(0, 60, rows)]
    invoice = [f"INV-{n:07d}" for n in range(rows)]
    payer = [f"CUSTOMER {n % 50_000} LTD" for n in range(rows)]
    return pd.DataFrame({
        "Date": dates, "Payer": payer,
        "Bank/gateway text": [f"TRF {i} PAYMENT FOR {i}" for i in invoice],
        "Amount received": amount, "Invoice": invoice, "Client": payer, "Applied": amount,
        "Status": "automatic", "How it matched": "invoice number and amount",
        "Confidence": "strong", "Why": "invoice number in the memo, amount equal",
        "Currency": currency, "Source": "bank-csv", "File": "bank-2026-01.csv",
        "Reference": [f"REF{n}" for n in range(rows)],
        "Line": pd.Series(np.arange(2, rows + 2), dtype=object),
    })


def typed_columns(frame: pd.DataFrame, formats: dict[str, object]) -> list[tuple]:
    """Per column, prepared once: ("n", floats, per-row format) for amounts and dates (Excel
    day numbers), ("s", text, None) for the rest."""
    currency = frame["Currency"].to_numpy()
    columns = []
    for name in frame.columns:
        kind = pd.api.types.infer_dtype(frame[name], skipna=True)
        if kind == "decimal":
            columns.append(("n", frame[name].to_numpy(dtype=float),
                            [formats[c] for c in currency]))
        elif kind == "date":
            days = pd.to_datetime(frame[name]).to_numpy().astype("datetime64[D]")
            serial = (days - np.datetime64("1899-12-30")).astype(float)
            columns.append(("n", serial, [formats["date"]] * len(frame)))
        elif kind == "integer":
            columns.append(("n", frame[name].to_numpy(dtype=float), [None] * len(frame)))
        else:
            columns.append(("s", frame[name].astype(str).to_numpy(), None))
    return columns


def write_payrecon(frame: pd.DataFrame, path: Path) -> None:
    """payrecon's writer: :func:`reports.cells.write_table`, rows spliced in bulk."""
    from reports.cells import new_workbook, save_workbook, write_table

    wb = new_workbook()
    write_table(wb, "Matched", frame, currency_column="Currency")
    save_workbook(wb, path)


def write_openpyxl(frame: pd.DataFrame, path: Path) -> None:
    """openpyxl write-only cell by cell: the same sheet settings, then each row's cells
    (:func:`reports.cell_values.frame_rows`) appended through openpyxl."""
    from reports import cells

    wb = cells.new_workbook()
    ws = wb.create_sheet("Matched")
    cells.set_widths(ws, cells.column_widths(frame))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:P{len(frame) + 1}"
    formats = cells.with_count_formats(frame)
    ws.append(cells.header_row(ws, frame.columns, right=cells.number_columns(frame)))
    for row in cells.frame_rows(ws, frame, formats=formats, currency_column="Currency"):
        ws.append(row)
    cells.save_workbook(wb, path)


def write_xlsxwriter(frame: pd.DataFrame, path: Path) -> None:
    """XlsxWriter constant-memory, the same sheet: widths, frozen bold header, auto-filter,
    amounts in their currency's format, dates; write_number / write_string per cell on
    columns prepared once (:func:`typed_columns`). ``strings_to_formulas=False`` keeps text
    from inputs literal. (Its whole-number column goes without payrecon's count format, which
    only flatters XlsxWriter.)"""
    import xlsxwriter

    from reports.cell_values import DATE_FORMAT, money_format
    from reports.cells import column_widths

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False})
    ws = wb.add_worksheet("Matched")
    for index, width in enumerate(column_widths(frame)):
        ws.set_column(index, index, width)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(frame), len(frame.columns) - 1)
    ws.write_row(0, 0, list(frame.columns), wb.add_format({"bold": True}))
    formats = {c: wb.add_format({"num_format": money_format(c)})
               for c in frame["Currency"].unique()}
    formats["date"] = wb.add_format({"num_format": DATE_FORMAT})
    columns = typed_columns(frame, formats)
    number, string = ws.write_number, ws.write_string
    for r in range(len(frame)):
        for c, (kind, values, fmt) in enumerate(columns):
            if kind == "n":
                number(r + 1, c, values[r], fmt[r])
            else:
                string(r + 1, c, values[r])
    wb.close()


def csv_text_seconds(rows: int) -> tuple[float, float]:
    """CPU seconds to turn the same table into CSV fields: export_text per cell (before) and
    a column at a time (:func:`reports.csv_text.column_text`, now); the texts must agree."""
    sys.path.insert(0, str(ROOT))
    from pipeline.report_values import export_text
    from reports.csv_text import column_text

    frame = matched_frame(rows)
    start = time.process_time()
    per_cell = {name: frame[name].astype(object).map(export_text) for name in frame.columns}
    middle = time.process_time()
    per_column = {name: column_text(frame[name]) for name in frame.columns}
    end = time.process_time()
    assert all(per_cell[n].tolist() == per_column[n].tolist() for n in frame.columns)
    return middle - start, end - middle


def run_one(writer: str, rows: int) -> dict:
    """Build the frame, write it with ``writer``; seconds and peak RSS (MB)."""
    sys.path.insert(0, str(ROOT))
    frame = matched_frame(rows)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    write = {"payrecon": write_payrecon, "openpyxl": write_openpyxl,
             "xlsxwriter": write_xlsxwriter}[writer]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "matched.xlsx"
        start, cpu = time.perf_counter(), time.process_time()
        write(frame, path)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        size = path.stat().st_size / 1e6
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"writer": writer, "rows": rows, "seconds": round(seconds, 2), "cpu": round(cpu, 2),
            "frame_mb": round(before), "peak_mb": round(peak), "file_mb": round(size, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--one", choices=WRITERS, help=argparse.SUPPRESS)
    parser.add_argument("--csv", action="store_true", help="only the CSV text, per cell and "
                        "per column")
    args = parser.parse_args()
    if args.csv:
        for rows in args.rows:
            before, after = csv_text_seconds(rows)
            print(f"CSV text, {rows:,} rows x 16 columns: per cell {before:.2f} s CPU, "
                  f"per column {after:.2f} s CPU ({before / max(after, 1e-9):.1f}x)", flush=True)
        return
    if args.one:
        print(json.dumps(run_one(args.one, args.rows[0])))
        return
    print(f"{'writer':<11} {'rows':>9} {'seconds':>8} {'cpu s':>8} {'frame MB':>9} "
          f"{'peak MB':>8} {'writer MB':>9} {'file MB':>8}")
    for rows in args.rows:
        results = {}
        for writer in WRITERS:
            out = subprocess.run([sys.executable, __file__, "--one", writer, "--rows", str(rows)],
                                 check=True, capture_output=True, text=True, cwd=ROOT)
            r = results[writer] = json.loads(out.stdout.strip().splitlines()[-1])
            held = r["peak_mb"] - r["frame_mb"]
            print(f"{writer:<11} {rows:>9,} {r['seconds']:>8.2f} {r['cpu']:>8.2f} "
                  f"{r['frame_mb']:>9} {r['peak_mb']:>8} {held:>9} {r['file_mb']:>8}",
                  flush=True)
        for other in ("openpyxl", "xlsxwriter"):
            cpu = results[other]["cpu"] / max(results["payrecon"]["cpu"], 1e-9)
            wall = results[other]["seconds"] / max(results["payrecon"]["seconds"], 1e-9)
            print(f"{'':<11} {rows:>9,} {other} / payrecon: {cpu:.2f}x CPU, {wall:.2f}x wall",
                  flush=True)


if __name__ == "__main__":
    main()
