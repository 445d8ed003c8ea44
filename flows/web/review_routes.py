"""The review queue: each suggestion with its money, invoice, difference, rule and evidence;
approve or reject one, or every ticked one at once; match money to an invoice by hand; and
regenerate the reports so the workbook shows the decisions.

Decisions are :mod:`pipeline.review`'s and :mod:`pipeline.review_web`'s, recorded in the
ledger with the reviewer's name and today's date, as ``payrecon review approve|reject|apply``
records them. Each form posts to its own URL with the page's filters in the query string, and
the answer is the page again (with what happened in words)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.concurrency import run_in_threadpool

from flows.web.app import render
from flows.web.browsing import PAGE_ROWS, after_of, filters_of, next_link, read
from flows.web.guard import ReviewerChange, Viewer
from pipeline.review import ReviewError, decide
from pipeline.review_web import decide_many
from pipeline.store import browse

router = APIRouter()
DONE = {"approve": "approved", "reject": "rejected"}


def queue_page(request: Request, message: str = "", error: str = "", status_code: int = 200,
               run: Any = None) -> Any:
    """The review queue page on the request's filters and cursor."""
    filters = filters_of(request)
    page = read(request, browse.review_queue, filters, after=after_of(request), limit=PAGE_ROWS)
    query = request.url.query
    return render(request, "review.html", status_code=status_code, rows=page.rows,
                  filters=filters, next=next_link(request, page.next_after),
                  query=("?" + query) if query else "", message=message, error=error, run=run)


@router.get("/review")
def review_page(request: Request, visitor: Viewer) -> Any:
    return queue_page(request)


@router.post("/review/decide")
def review_decide(request: Request, visitor: ReviewerChange,
                  match_id: Annotated[str, Form()] = "",
                  decision: Annotated[str, Form()] = "") -> Any:
    """Approve or reject one suggestion (as ``payrecon review approve|reject``)."""
    try:
        done = decide(request.app.state.store, match_id, decision,
                      user=visitor.user.username, today=dt.date.today())
    except ReviewError as exc:
        return queue_page(request, error=str(exc), status_code=409)
    return queue_page(request,
                      message=f"{done.invoice_number}: {DONE[done.decision]} by {done.user}")


@router.post("/review/bulk")
async def review_bulk(request: Request, visitor: ReviewerChange) -> Any:
    """Approve or reject every ticked suggestion at once."""
    form = await request.form()
    ids = [v for v in form.getlist("match_id") if isinstance(v, str) and v]
    decision = form.get("decision")
    if not ids or decision not in ("approve", "reject"):
        return queue_page(request, error="Tick at least one suggestion, then approve or reject.",
                          status_code=400)
    done = await run_in_threadpool(decide_many, request.app.state.store, ids, str(decision),
                                   user=visitor.user.username, today=dt.date.today())
    words = f"{len(done.decided)} suggestion(s) {DONE[str(decision)]} by {visitor.user.username}"
    if done.refused:
        words += "; refused: " + "; ".join(done.refused)
    return queue_page(request, message=words)


@router.post("/review/refresh")
async def review_refresh(request: Request, visitor: ReviewerChange) -> Any:
    """Reconcile and write the reports again (under the nightly run's lock), so the workbook
    shows the decisions made since the last run: a run of kind ``review`` on the Runs page."""
    from flows.web.uploads import refresh_reports

    run = await run_in_threadpool(refresh_reports, request.app.state.config,
                                  username=visitor.user.username)
    return queue_page(request, run=run,
                      message="Reconciled again and the reports rewritten: download the "
                              "workbook below or on Runs.")
