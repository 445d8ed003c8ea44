"""What the CLI shows: a progress bar over files and one-screen summary tables (Rich).

No Prefect here; values come from :mod:`flows.steps` outcomes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from flows.steps import ALREADY_INGESTED, GONE, INGESTED, QUARANTINED, FileOutcome, tally
from pipeline.masking import mask_accounts

STATUS_LABELS = {INGESTED: "ingested", ALREADY_INGESTED: "already ingested",
                 QUARANTINED: "quarantined", GONE: "gone from the inbox"}


@contextmanager
def file_progress(console: Console, label: str = "Ingesting") -> Iterator[Any]:
    """A progress bar fed by :mod:`flows.progress` events; yields the listener."""
    columns = [SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
               MofNCompleteColumn(), TextColumn("{task.fields[current]}")]
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("Starting Prefect", total=None, current="")

        def listener(event: str, data: dict[str, Any]) -> None:
            if event == "files":
                bar.update(task, description=label, total=data["total"])
            elif event == "file":
                bar.update(task, advance=1, current=data["outcome"].file_name)

        yield listener


def files_table(outcomes: list[FileOutcome]) -> Table:
    """One row per file: name, format, outcome, records new/duplicate/rejected, reason."""
    table = Table(title="Files", title_justify="left")
    for name in ("file", "format", "outcome", "new", "dup", "rejected", "reason"):
        table.add_column(name, justify="right" if name in ("new", "dup", "rejected") else "left")
    for o in outcomes:
        style = {QUARANTINED: "red", GONE: "yellow"}.get(o.status)
        table.add_row(o.file_name, o.fmt or "", STATUS_LABELS.get(o.status, o.status),
                      str(o.new), str(o.duplicates), str(o.rejected),
                      mask_accounts(o.reason or ""),
                      style=style)
    return table


def summary_table(title: str, *, files: list[FileOutcome] | None = None,
                  reconcile: Mapping[str, Any] | None = None,
                  report_folder: str | None = None, paths: list[str] | None = None) -> Table:
    """The one-screen summary: files, records, matches, unmatched, exceptions, reports."""
    table = Table(title=title, title_justify="left", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("count")
    if files is not None:
        t = tally(files)
        table.add_row("Files", f"ingested {t[INGESTED]} · already ingested "
                      f"{t[ALREADY_INGESTED]} · quarantined {t[QUARANTINED]}"
                      + (f" · gone from the inbox {t[GONE]}" if t[GONE] else ""))
        table.add_row("Records", f"new {t['new']} · duplicate {t['duplicates']} · "
                      f"rejected {t['rejected']}")
    if reconcile is not None:
        table.add_row("Matches", f"auto {reconcile.get('auto', 0)} · suggested "
                      f"{reconcile.get('suggested', 0)} · confirmed "
                      f"{reconcile.get('confirmed', 0)}")
        table.add_row("Unmatched", str(reconcile.get("unmatched", 0)))
        table.add_row("Exceptions", str(reconcile.get("exceptions", 0)))
    if paths is not None:
        table.add_row("Report files", str(len(paths)))
    if report_folder is not None:
        table.add_row("Reports", report_folder)
    return table


def print_quarantined(console: Console, outcomes: list[FileOutcome]) -> None:
    """One line per quarantined file with its reason."""
    for o in outcomes:
        if o.status == QUARANTINED:
            console.print(f"[red]quarantined[/red] {o.file_name}: "
                          f"{mask_accounts(o.reason or '')}", highlight=False)


def print_status(console: Console, status: Any, timezone: str) -> None:
    """``payrecon status``: a table of the latest runs, the schedule line and the verdict."""
    table = Table(title=f"payrecon runs ({status.data_dir})", title_justify="left")
    for name in ("started", "finished", "run", "as of", "outcome", "files", "reason"):
        table.add_column(name, overflow="fold", no_wrap=name != "reason")
    styles = {"failed": "red", "interrupted": "red", "running": "yellow"}
    for run in status.runs:
        table.add_row(_local(run.started_at, timezone), _local(run.finished_at, timezone),
                      f"{run.kind} ({run.trigger})", run.as_of or "", run.outcome,
                      _files(run), run.reason or "", style=styles.get(run.outcome))
    console.print(table if status.runs else "No runs recorded yet.")
    console.print(status.schedule, highlight=False, soft_wrap=True)
    if status.problem is None:
        console.print("[green]OK[/green]: the last nightly run completed and no scheduled "
                      "night was missed", highlight=False)


def _local(stamp: str | None, timezone: str) -> str:
    import datetime as dt
    from zoneinfo import ZoneInfo

    if not stamp:
        return ""
    local = dt.datetime.fromisoformat(stamp).astimezone(ZoneInfo(timezone))
    return local.strftime("%Y-%m-%d %H:%M:%S")


def _files(run: Any) -> str:
    counts = run.files or {}
    parts = [f"{counts.get(k, 0)} {label}" for k, label in
             ((INGESTED, "ingested"), (ALREADY_INGESTED, "already"), (QUARANTINED, "quarantined"),
              (GONE, "gone"))
             if counts.get(k)]
    return " · ".join(parts)
