"""Today, Runs (with each run's downloads) and the lists read from the report folder."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse

from flows.web.app import render
from flows.web.guard import Viewer
from flows.web.today import LISTS, latest_report, read_today, runs_newest_first

router = APIRouter()
DOWNLOADABLE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.(xlsx|csv|json)$")
PAGE_ROWS = 100


@router.get("/")
def home(visitor: Viewer) -> Any:
    return RedirectResponse("/today", status_code=303)


@router.get("/today")
def today(request: Request, visitor: Viewer) -> Any:
    config = request.app.state.config
    return render(request, "today.html", today=read_today(config.data_dir, config.report_dir),
                  lists=LISTS)


def downloads(folder: str | None) -> list[str]:
    """The report files of a folder that may be downloaded (names only, sorted)."""
    path = Path(folder) if folder else None
    if path is None or not path.is_dir():
        return []
    return sorted(p.name for p in path.iterdir() if p.is_file() and DOWNLOADABLE.match(p.name))


@router.get("/runs")
def runs(request: Request, visitor: Viewer) -> Any:
    records = runs_newest_first(request.app.state.config.data_dir)[:100]
    return render(request, "runs.html",
                  runs=[(r, downloads(r.report_folder)) for r in records])


@router.get("/runs/{run_id}/files/{name}")
def run_file(request: Request, run_id: str, name: str,
             visitor: Viewer) -> Any:
    """One report file of one run: only a plain name listed in that run's folder."""
    record = next((r for r in runs_newest_first(request.app.state.config.data_dir)
                   if r.run_id == run_id), None)
    if record is None or name not in downloads(record.report_folder):
        raise HTTPException(404, "no such file")
    folder = Path(record.report_folder or "").resolve()
    path = (folder / name).resolve()
    if path.parent != folder:
        raise HTTPException(404, "no such file")
    return FileResponse(path, filename=name)


@router.get("/lists/{name}")
def list_page(request: Request, name: str, visitor: Viewer, page: int = 1) -> Any:
    """A list as the latest report exported it, 100 rows a page (a simple stand-in until
    the store's list queries serve these pages)."""
    if name not in LISTS:
        raise HTTPException(404, "no such list")
    config = request.app.state.config
    record, folder = latest_report(config.data_dir, config.report_dir)
    title, file_name = LISTS[name]
    header, rows, more = _csv_page(folder / file_name if folder else None, max(page, 1))
    if name == "review" and header:
        keep = header.index("status") if "status" in header else None
        rows = [r for r in rows if keep is None or r[keep] == "suggested"]
    return render(request, "list.html", title=title, list_name=name, header=header, rows=rows,
                  page=max(page, 1), more=more, run=record, lists=LISTS,
                  download=file_name if folder else None)


def _csv_page(path: Path | None, page: int) -> tuple[list[str], list[list[str]], bool]:
    if path is None or not path.is_file():
        return [], [], False
    start = (page - 1) * PAGE_ROWS
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        rows = []
        for index, row in enumerate(reader):
            if index >= start + PAGE_ROWS:
                return header, rows, True
            if index >= start:
                rows.append(row)
    return header, rows, False
