"""Reports built from pipeline results: CSV/JSON exports and the two Excel workbooks."""

from __future__ import annotations

from pathlib import Path

from pipeline.reporting import ReportData
from reports.exports import write_exports
from reports.overdue import write_overdue_workbook
from reports.workbook import write_reconciliation_workbook

__all__ = ["write_all", "write_exports", "write_overdue_workbook",
           "write_reconciliation_workbook"]


def write_all(data: ReportData, out_dir: Path) -> list[Path]:
    """Exports plus ``reconciliation-<as_of>.xlsx`` and ``overdue-<as_of>.xlsx`` in ``out_dir``."""
    out_dir = Path(out_dir)
    paths = write_exports(data, out_dir)
    stamp = data.as_of.isoformat()
    paths.append(write_reconciliation_workbook(data, out_dir / f"reconciliation-{stamp}.xlsx"))
    paths.append(write_overdue_workbook(data, out_dir / f"overdue-{stamp}.xlsx"))
    return paths
