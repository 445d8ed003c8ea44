"""Reports built from pipeline results: CSV/JSON exports and the two Excel workbooks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline.reporting import ReportData
from reports.exports import CSV_EXPORTS, SUMMARY_JSON, write_exports
from reports.overdue import write_overdue_workbook
from reports.workbook import write_reconciliation_workbook

__all__ = ["write_all", "write_exports", "write_overdue_workbook",
           "write_reconciliation_workbook"]


Halves = Callable[[Callable[[], list[Path]], Callable[[], list[Path]]],
                  tuple[list[Path], list[Path]]]
# the exports written with the reconciliation workbook, so that the two halves cost about the
# same (1M matches and invoices, one process: the workbook 13.4 s and invoices.csv 2.6 s,
# against the other exports 8.7 s and the overdue workbook 7.0 s)
BESIDE_THE_WORKBOOK = frozenset({"invoices.csv"})


def write_all(data: ReportData, out_dir: Path, *, halves: Halves | None = None) -> list[Path]:
    """Exports plus ``reconciliation-<as_of>.xlsx`` and ``overdue-<as_of>.xlsx`` in ``out_dir``
    (the exports' paths, then the two workbooks'). The work is two independent halves of
    about equal cost: the reconciliation workbook with :data:`BESIDE_THE_WORKBOOK`, and the
    other exports with the overdue workbook; ``halves(first, second)`` runs them and returns
    both results (default: one after the other; the flows pass one that runs the second in
    another process)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = data.as_of.isoformat()
    everything = [*CSV_EXPORTS, SUMMARY_JSON]

    def reconciliation() -> list[Path]:
        return [*write_exports(data, out_dir, BESIDE_THE_WORKBOOK),
                write_reconciliation_workbook(data, out_dir / f"reconciliation-{stamp}.xlsx")]

    def exports_and_overdue() -> list[Path]:
        paths = write_exports(data, out_dir,
                              [name for name in everything if name not in BESIDE_THE_WORKBOOK])
        return [*paths, write_overdue_workbook(data, out_dir / f"overdue-{stamp}.xlsx")]

    if halves is None:
        rest, workbook = exports_and_overdue(), reconciliation()
    else:
        workbook, rest = halves(reconciliation, exports_and_overdue)
    exports = sorted([*workbook[:-1], *rest[:-1]], key=lambda path: everything.index(path.name))
    return [*exports, workbook[-1], rest[-1]]
