"""The lists, read from the store (:mod:`pipeline.store.browse`, ``browse_invoices``) with the
query string's filters and keyset paging: a deep page costs what the first one does. Each
row links to its money line or invoice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse

from flows.web.app import render
from flows.web.browsing import PAGE_ROWS, after_of, amount, filters_of, next_link, read
from flows.web.guard import Viewer
from pipeline.store import browse, browse_invoices

router = APIRouter()
Cell = tuple[str, str | None, bool]  # text, link, numeric


def _money(row: dict) -> Cell:
    link = (f"/money/{row['payment_kind']}/{row['payment_id']}"
            if row.get("payment_kind") and row.get("payment_id") is not None else None)
    return (f"{amount(row.get('money_amount_minor'), row.get('money_currency'))} "
            f"{row.get('money_currency') or ''}".strip(), link, True)


def _invoice(row: dict) -> Cell:
    number = row.get("invoice_number") or ""
    return number, (f"/invoices/{quote(number, safe='')}" if number else None), False


def _text(key: str) -> Callable[[dict], Cell]:
    return lambda row: ("" if row.get(key) is None else str(row[key]), None, False)


def _amount(key: str, currency: str) -> Callable[[dict], Cell]:
    return lambda row: (amount(row.get(key), row.get(currency)), None, True)


def _file(row: dict) -> Cell:
    line = row.get("source_line")
    return f"{row.get('source_file') or ''}{f':{line}' if line else ''}", None, False


MONEY = [("Date", _text("money_date")), ("Amount", _money), ("Payer", _text("payer")),
         ("Bank text", _text("bank_text")), ("File", _file)]


@dataclass(frozen=True)
class ListSpec:
    title: str
    query: Callable[..., Any]
    columns: list[tuple[str, Callable[[dict], Cell]]]
    kind_label: str


def _open_invoices(conn: Any, filters: Any, *, after: Any, limit: int, settings: Any) -> Any:
    return browse_invoices.open_invoices(conn, filters, settings=settings, after=after,
                                         limit=limit)


LIST_PAGES = {
    "unmatched": ListSpec("Unmatched money", browse.unmatched,
                          [*MONEY, ("Why not matched", _text("reason"))], "Reason"),
    "exceptions": ListSpec("Exceptions", browse.exceptions, [
        ("Kind", _text("kind")), ("Invoice", _invoice),
        ("Amount", _amount("amount_minor", "currency")), ("Currency", _text("currency")),
        ("Detail", _text("detail")), ("Money", _money), ("Date", _text("money_date"))], "Kind"),
    "payouts": ListSpec("Payouts", browse.payouts, [
        ("Gateway", _text("gateway")), ("Payout", _text("payout_id")),
        ("Date", _text("payout_date")), ("Net", _amount("payout_net_minor", "payout_currency")),
        ("Currency", _text("payout_currency")), ("Status", _text("status")),
        ("Detail", _text("detail")), ("Bank line", _money)], "Status"),
    "tickets": ListSpec("Tickets", browse.tickets, [
        ("Ticket", _text("ticket_id")), ("Date", _text("created_date")), ("From", _text("name")),
        ("Subject", _text("subject")), ("Message", _text("message")),
        ("Claimed", _amount("claimed_amount_minor", "claimed_currency")),
        ("Currency", _text("claimed_currency")), ("Status", _text("status")),
        ("Invoice", _invoice), ("Detail", _text("detail")), ("Bank line", _money)], "Status"),
    "credits": ListSpec("Credits", browse.credits, [
        ("Date", _text("source_date")), ("Client", _text("client_name")), ("Invoice", _invoice),
        ("Credit", _amount("credit_minor", "currency")), ("Currency", _text("currency")),
        ("Why", _text("reason"))], "Kind (unused)"),
    "overdue": ListSpec("Open invoices", _open_invoices, [
        ("Invoice", _invoice), ("Client", _text("client_name")), ("Due", _text("due_date")),
        ("Open", _amount("balance_minor", "currency")), ("Currency", _text("currency")),
        ("Days overdue", _text("days_overdue")), ("Aging", _text("bucket")),
        ("Action", _text("action")), ("Why", _text("why"))], "overdue, current or status"),
}


@router.get("/lists/review")
def review_list(visitor: Viewer) -> Any:
    return RedirectResponse("/review", status_code=303)


@router.get("/lists/{name}")
def list_page(request: Request, name: str, visitor: Viewer) -> Any:
    """One list, 50 rows a page, filtered by the query string."""
    spec = LIST_PAGES.get(name)
    if spec is None:
        raise HTTPException(404, "no such list")
    filters = filters_of(request)
    extra = {"settings": request.app.state.config.settings} if name == "overdue" else {}
    page = read(request, spec.query, filters, after=after_of(request), limit=PAGE_ROWS,
                **extra)
    rows = [[cell(row) for _, cell in spec.columns] for row in page.rows]
    return render(request, "list.html", title=spec.title, list_name=name,
                  header=[h for h, _ in spec.columns], rows=rows, filters=filters,
                  kind_label=spec.kind_label, next=next_link(request, page.next_after))
