"""Reports built from pipeline results: CSV/JSON exports and the two Excel workbooks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline.reporting import ReportData
from reports.exports import write_exports
from reports.overdue import write_overdue_workbook
from reports.workbook import write_reconciliation_workbook

__all__ = ["write_all", "write_exports", "write_overdue_workbook",
           "write_reconciliation_workbook"]


Halves = Callable[[Callable[[], Path], Callable[[], list[Path]]], tuple[Path, list[Path]]]


def write_all(data: ReportData, out_dir: Path, *, halves: Halves | None = None) -> list[Path]:
    """Exports plus ``reconciliation-<as_of>.xlsx`` and ``overdue-<as_of>.xlsx`` in ``out_dir``
    (the exports' paths, then the two workbooks'). The work is two independent halves of
    about equal cost: the reconciliation workbook, and the exports with the overdue workbook;
    ``halves(first, second)`` runs them and returns both results (default: one after the
    other; the flows pass one that runs the second in another process)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = data.as_of.isoformat()

    def reconciliation() -> Path:
        return write_reconciliation_workbook(data, out_dir / f"reconciliation-{stamp}.xlsx")

    def exports_and_overdue() -> list[Path]:
        paths = write_exports(data, out_dir)
        return [*paths, write_overdue_workbook(data, out_dir / f"overdue-{stamp}.xlsx")]

    if halves is None:
        rest, workbook = exports_and_overdue(), reconciliation()
    else:
        workbook, rest = halves(reconciliation, exports_and_overdue)
    return [*rest[:-1], workbook, rest[-1]]
