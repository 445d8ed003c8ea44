"""Prefect artifacts every flow run publishes: a summary table and a markdown note
listing the report files (or saying there are none for that kind of run)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from flows.steps import GONE, QUARANTINED, FileOutcome, tally
from pipeline.masking import mask_accounts


def summary_rows(values: Mapping[str, Any]) -> list[dict[str, str]]:
    """``{"a": 1}`` -> ``[{"metric": "a", "value": "1"}]`` (a two-column table)."""
    return [{"metric": str(k), "value": str(v)} for k, v in values.items()
            if not isinstance(v, (dict, list))]


def file_rows(outcomes: Iterable[FileOutcome]) -> list[dict[str, Any]]:
    """One table row per file: name, format, outcome, counts and quarantine reason."""
    return [{"file": o.file_name, "format": o.fmt or "", "outcome": o.status, "new": o.new,
             "duplicates": o.duplicates, "rejected": o.rejected,
             "reason": mask_accounts(o.reason or "")}
            for o in outcomes]


def publish(kind: str, summary: Mapping[str, Any], *, paths: Iterable[str] = (),
            files: Iterable[FileOutcome] = (), notes: Iterable[str] = ()) -> None:
    """Publish the run's summary table and its markdown note (report paths, quarantines)."""
    create_table_artifact(table=summary_rows(summary), key=f"payrecon-{kind}-summary",
                          description=f"payrecon {kind}: summary")
    create_markdown_artifact(markdown=markdown(kind, paths, files, notes),
                             key=f"payrecon-{kind}-report", description=f"payrecon {kind}")


def markdown(kind: str, paths: Iterable[str], files: Iterable[FileOutcome],
             notes: Iterable[str]) -> str:
    """The markdown note: report files, then quarantined files with their reasons."""
    files = list(files)
    lines = [f"# payrecon {kind}", ""]
    lines += [f"- {note}" for note in notes]
    paths = list(paths)
    lines += ["", "## Report files", ""]
    lines += [f"- `{p}`" for p in paths] or ["_No report files are written by this run._"]
    if files:
        counts = tally(files)
        lines += ["", "## Files", "", ", ".join(f"{k}: {v}" for k, v in counts.items())]
        lines += [f"- {o.status} `{o.file_name}`: {mask_accounts(o.reason or '')}"
                  for o in files if o.status in (QUARANTINED, GONE)]
    return "\n".join(lines) + "\n"
