"""Today and Runs (with each run's downloads)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse

from flows.web.app import render
from flows.web.guard import Viewer
from flows.web.today import LISTS, read_today, runs_newest_first

router = APIRouter()
DOWNLOADABLE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.(xlsx|csv|json)$")


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
