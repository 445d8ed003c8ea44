"""Machine-readable exports (DESIGN.md "Outputs"): one UTF-8 CSV per table and summary.json.

Amounts are plain decimal strings (``1500000.00``), dates ISO 8601, ``None`` is an empty
field, booleans ``true``/``false``. Every file is written atomically: a temporary file in
the same folder, then a rename, so a reader never sees half a file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Callable, Collection
from decimal import Decimal
from pathlib import Path

import pandas as pd

from pipeline.overdue import OVERDUE_OUT
from pipeline.reporting import ReportData
from reports.columns import is_free_text
from reports.csv_rows import csv_lines, header_line
from reports.csv_text import column_text, neutralised

# file name -> ReportData attribute
CSV_EXPORTS = {
    "matches.csv": "matches",
    "invoices.csv": "invoices",
    "unmatched.csv": "unmatched",
    "exceptions.csv": "exceptions",
    "payouts.csv": "payouts",
    "tickets.csv": "tickets",
    "overdue.csv": "overdue",
    "other_money.csv": "other_money",
    "postings.csv": "postings",
    "credits.csv": "credits",
}
SUMMARY_JSON = "summary.json"


def write_exports(data: ReportData, out_dir: Path,
                  names: Collection[str] | None = None) -> list[Path]:
    """Write every CSV of CSV_EXPORTS and summary.json into ``out_dir`` (created when
    missing), in that order; ``names``: only those of them."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [write_csv(_exported(data, attr), out_dir / name)
             for name, attr in CSV_EXPORTS.items() if names is None or name in names]
    if names is None or SUMMARY_JSON in names:
        text = json.dumps(data.summary, indent=2, ensure_ascii=False, default=_json_default)
        paths.append(replace_atomically(
            out_dir / SUMMARY_JSON, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8")))
    return paths


def _exported(data: ReportData, attr: str) -> pd.DataFrame:
    """The table as exported: the overdue list without its workbook-only columns."""
    frame = getattr(data, attr)
    return frame[OVERDUE_OUT] if attr == "overdue" else frame


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """``frame`` as UTF-8 CSV with a header row (also when empty), values as export text
    (formatted a whole column at a time, :mod:`reports.csv_text`); free-text columns
    (:mod:`reports.columns`) are neutralised against CSV injection."""
    columns = [_column_text(name, frame[name]).to_numpy(dtype=object)
               for name in frame.columns]

    def write(tmp: Path) -> None:
        # what DataFrame.to_csv writes for text (its csv writer, minimal quoting), a column
        # at a time (reports.csv_rows)
        with open(tmp, "w", encoding="utf-8", newline="") as out:
            out.write(header_line(frame.columns))
            for lines in csv_lines(columns):
                out.write(lines)

    return replace_atomically(path, write)


def _column_text(name: str, column: pd.Series) -> pd.Series:
    text = column_text(column)
    return neutralised(text) if is_free_text(name) else text


def replace_atomically(path: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` for a temporary file beside ``path``, then rename it into place."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {value!r}")
