"""The Upload page: several files at once, each one's outcome, and a file's rejected rows."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from flows.web.app import MAX_FILES, render
from flows.web.guard import AccountantChange, Viewer
from flows.web.uploads import file_counts, keep, run_uploads

router = APIRouter()
SHA256 = re.compile(r"^[0-9a-f]{64}$")


@router.get("/upload")
def upload_page(request: Request, visitor: Viewer) -> Any:
    return _page(request)


def _page(request: Request, run: Any = None, status_code: int = 200, error: str = "") -> Any:
    config = request.app.state.config
    return render(request, "upload.html", status_code=status_code, run=run, error=error,
                  counts=file_counts(run.files) if run else None,
                  recent=request.app.state.store.recent_uploads(20),
                  limit_mb=config.settings.web.max_upload_mb, max_files=MAX_FILES)


@router.post("/upload")
async def upload(request: Request, visitor: AccountantChange) -> Any:
    form = await request.form(max_files=MAX_FILES)
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not files:
        return _page(request, status_code=400, error="Choose at least one file.")
    if len(files) > MAX_FILES:
        return _page(request, status_code=400, error=f"At most {MAX_FILES} files at once.")
    config = request.app.state.config
    kept = []
    for item in files:
        kept.append(await run_in_threadpool(keep, item.file, item.filename or "",
                                            config.data_dir, config.max_upload_bytes))
        await item.close()
    run = await run_in_threadpool(run_uploads, kept, config=config,
                                  store=request.app.state.store,
                                  username=visitor.user.username)
    refused_all = all(f.status == "refused" for f in run.files)
    return _page(request, run, status_code=413 if refused_all else 200)


@router.get("/upload/{sha256}/rejects")
def rejected_rows(request: Request, sha256: str,
                  visitor: Viewer) -> Any:
    if not SHA256.match(sha256):
        raise HTTPException(404, "no such file")
    name, rows = request.app.state.store.file_rejects(sha256)
    if name is None:
        raise HTTPException(404, "no such file")
    return render(request, "rejects.html", file_name=name, rows=rows, sha256=sha256)
