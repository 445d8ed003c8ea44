"""The detail pages: an invoice (its money, allocations, billing history, exceptions, ledger)
and a money line (what became of it, and the candidates the engine's passes considered with
why each was or was not taken, as stored: nothing is recomputed). A money line's page also
finds an invoice to match it to by hand (a reviewer's ``confirmed`` allocation)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request

from flows.web.app import render
from flows.web.browsing import read
from flows.web.guard import ReviewerChange, Viewer
from pipeline.review import ReviewError
from pipeline.review_web import manual_match
from pipeline.store import browse_detail, browse_invoices

router = APIRouter()
KINDS = ("bank", "gateway")


@router.get("/invoices/{invoice_number}")
def invoice_page(request: Request, invoice_number: str, visitor: Viewer) -> Any:
    found = read(request, browse_detail.invoice_detail, invoice_number)
    if found is None:
        raise HTTPException(404, "no such invoice")
    return render(request, "invoice.html", invoice=found)


def money_page(request: Request, payment_kind: str, payment_id: int, *, q: str = "",
               message: str = "", error: str = "", status_code: int = 200) -> Any:
    found = (read(request, browse_detail.money_detail, payment_kind, payment_id)
             if payment_kind in KINDS else None)
    if found is None:
        raise HTTPException(404, "no such money line")
    hits = (read(request, browse_invoices.search_invoices, q, currency=found["currency"])
            if q.strip() else [])
    return render(request, "money.html", status_code=status_code, money=found, q=q, hits=hits,
                  message=message, error=error)


@router.get("/money/{payment_kind}/{payment_id}")
def money_line(request: Request, payment_kind: str, payment_id: int, visitor: Viewer,
               q: str = "") -> Any:
    return money_page(request, payment_kind, payment_id, q=q[:100])


@router.post("/review/manual")
def match_by_hand(request: Request, visitor: ReviewerChange,
                  payment_kind: Annotated[str, Form()] = "",
                  payment_id: Annotated[int, Form()] = 0,
                  invoice_number: Annotated[str, Form()] = "") -> Any:
    """Allocate a money line to an invoice by hand: a ``confirmed`` ledger allocation by this
    reviewer (:func:`pipeline.review_web.manual_match`)."""
    if payment_kind not in KINDS:
        raise HTTPException(404, "no such money line")
    try:
        done = manual_match(request.app.state.store, payment_kind, payment_id, invoice_number,
                            user=visitor.user.username, today=dt.date.today())
    except ReviewError as exc:
        return money_page(request, payment_kind, payment_id, error=str(exc), status_code=409)
    return money_page(request, payment_kind, payment_id,
                      message=f"Matched by hand to {done.invoice_number} by {done.user}.")
