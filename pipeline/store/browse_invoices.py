"""Open invoices with their aging and recommended action, and the invoice search a reviewer
uses to match money by hand (read-only; rows are plain dicts with raw text).

The open-invoice list is paged by invoice ``id`` like every list of :mod:`browse`; each page's
balances are what the ledger leaves open (:func:`pipeline.matching.ledger.invoices_after_ledger`)
and its action is the overdue policy's (:func:`pipeline.dunning.assess`), computed for the
page's invoices only (their ledger entries, suggestions, applied money and claims, each read
by index), never for the whole book.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, and_, func, or_, select

from pipeline import dunning
from pipeline.matching.ledger import invoices_after_ledger
from pipeline.matching.work import OPEN_STATUSES
from pipeline.report_values import money
from pipeline.settings import Settings
from pipeline.store import tables
from pipeline.store.browse import MAX_LIMIT, NO_FILTERS, Filters, Money, Page, _prefix, paged
from pipeline.store.postings import last_reconciled_as_of

INVOICE_COLUMNS = ("id", "invoice_number", "client_id", "client_name", "client_email",
                   "currency", "issue_date", "due_date", "total_minor", "balance_minor",
                   "status", "first_invoice", "source_file")


def _invoice_query():  # noqa: ANN202
    inv = tables.invoices
    return select(*(inv.c[name] for name in INVOICE_COLUMNS))


def open_invoices(conn: Connection, filters: Filters = NO_FILTERS, *, settings: Settings,
                  as_of: dt.date | None = None, after: int | None = None,
                  limit: int = 50) -> Page:
    """Open invoices (billing open, a balance left after the ledger) with ``balance_minor``
    (open now), ``days_overdue``, ``bucket``, ``action``, ``why`` and ``hold_reason``.
    ``as_of``: the latest reconciliation's by default. Filters: currency, ``source`` (the
    invoice file), dates (the due date), ``kind`` ``overdue`` | ``current`` | a billing status.
    Invoices the ledger settled are skipped, so a page may hold fewer rows than ``limit``
    only at the end."""
    as_of = as_of or last_reconciled_as_of(conn) or dt.date.today()
    inv = tables.invoices
    query = _invoice_query().where(inv.c.status.in_(sorted(OPEN_STATUSES)),
                                   inv.c.balance_minor > 0, *_invoice_filters(filters, as_of))
    limit = max(1, min(int(limit), MAX_LIMIT))
    kept: pd.DataFrame | None = None
    cursor = after
    while kept is None or len(kept) <= limit:
        page = paged(conn, query, inv.c.id, cursor, 2 * limit)
        kept = pd.concat([kept, _still_open(conn, page.rows)], ignore_index=True)
        cursor = page.next_after
        if cursor is None:
            break
    more = len(kept) > limit or cursor is not None
    kept = kept.iloc[:limit]
    rows = _assessed(conn, kept, as_of, settings)
    return Page(rows, rows[-1]["id"] if more and rows else None)


def _invoice_filters(filters: Filters, as_of: dt.date) -> list:
    inv = tables.invoices
    found = []
    if filters.currency:
        found.append(inv.c.currency == filters.currency)
    if filters.source:
        found.append(inv.c.source_file == filters.source)
    if filters.date_from:
        found.append(inv.c.due_date >= filters.date_from)
    if filters.date_to:
        found.append(inv.c.due_date <= filters.date_to)
    if filters.kind == "overdue":
        found.append(inv.c.due_date < as_of)
    elif filters.kind == "current":
        found.append(inv.c.due_date >= as_of)
    elif filters.kind:
        found.append(inv.c.status == filters.kind)
    return found


def _still_open(conn: Connection, rows: list[dict]) -> pd.DataFrame:
    """``rows`` (invoices) with the balance the ledger leaves open, the settled ones left out."""
    if not rows:
        return pd.DataFrame(columns=list(INVOICE_COLUMNS))
    frame = pd.DataFrame(rows)
    frame = invoices_after_ledger(frame, _ledger_moves(conn, list(frame["invoice_number"])))
    return frame[frame["balance_minor"] > 0]


def _assessed(conn: Connection, frame: pd.DataFrame, as_of: dt.date,
              settings: Settings) -> list[dict]:
    """Open invoices with aging and the recommended action, in ``id`` order."""
    if frame.empty:
        return []
    due = pd.to_datetime(frame["due_date"])
    frame = frame.assign(
        days_overdue=(pd.Timestamp(as_of) - due).dt.days.clip(lower=0).astype("int64"),
        status=frame["status"].where(frame["status"] != "Collections", "collections"),
        first_invoice=frame["first_invoice"].astype(bool))
    held = _holds(conn, list(frame["invoice_number"]), as_of, settings)
    assessed = dunning.assess(frame, held, settings.dunning)
    assessed = assessed.sort_values("id", kind="stable").drop(columns="urgency")
    return assessed.to_dict("records")


def _ledger_moves(conn: Connection, numbers: list[str]) -> pd.DataFrame:
    le = tables.ledger_entries
    rows = conn.execute(select(le.c.entry, le.c.invoice_number, le.c.applied_minor,
                               le.c.fee_minor).where(le.c.invoice_number.in_(numbers),
                                                     le.c.entry.in_(["allocation", "reversal"])))
    return pd.DataFrame(rows.all(), columns=["entry", "invoice_number", "applied_minor",
                                             "fee_minor"])


def _holds(conn: Connection, numbers: list[str], as_of: dt.date,
           settings: Settings) -> pd.DataFrame:
    """What holds these invoices' escalation: suggestions awaiting review, recent partial
    payments applied, pending claims (as the overdue report says)."""
    a = tables.match_allocations
    m = Money(a.c.payment_kind, a.c.payment_id)
    query = select(a.c.invoice_number, a.c.status, a.c.applied_minor, a.c.currency,
                   m.date.label("source_date"), m.file.label("source_file"),
                   m.columns[1]).select_from(m.join(a)).where(a.c.invoice_number.in_(numbers))
    found = pd.DataFrame(conn.execute(query).all(),
                         columns=["invoice_number", "status", "applied_minor", "currency",
                                  "source_date", "source_file", "money_amount_minor"])
    suggested = found[found["status"] == "suggested"]
    applied = found[found["status"].isin(["auto", "confirmed"])]
    t, mt = tables.tickets, tables.match_tickets
    claims = pd.DataFrame(conn.execute(
        select(mt.c.ticket_id, mt.c.invoice_number, mt.c.status,
               func.coalesce(t.c.claimed_date, t.c.created_date), t.c.claimed_amount_minor,
               t.c.currency).select_from(mt.join(t, t.c.ticket_id == mt.c.ticket_id))
        .where(mt.c.invoice_number.in_(numbers))).all(),
        columns=["ticket_id", "invoice_number", "status", "claim_date", "claimed_minor",
                 "currency"])
    policy = settings.dunning
    found = [pd.DataFrame(columns=dunning.HOLD_COLUMNS)]
    if len(suggested):
        found.append(dunning.review_holds(suggested.assign(source_amount=money(
            suggested["money_amount_minor"], suggested["currency"]))))
    if len(applied):
        found.append(dunning.partial_holds(applied.assign(applied_amount=money(
            applied["applied_minor"], applied["currency"])), as_of=as_of, policy=policy))
    if len(claims):
        found.append(dunning.claim_holds(claims.assign(claimed_amount=money(
            claims["claimed_minor"], claims["currency"].fillna(""))), as_of=as_of,
            policy=policy))
    return pd.concat(found, ignore_index=True)


def _matching(conn: Connection, text: str) -> list:
    """Conditions of :func:`search_invoices`: the number's prefix by its unique index (a
    range on SQLite, whose LIKE cannot use it), the client id by its index, and, only when
    ``text`` has a letter, the client's name or e-mail containing it (a scan)."""
    inv = tables.invoices
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        number = and_(inv.c.invoice_number >= text, inv.c.invoice_number < text + "\U0010ffff")
    else:
        number = inv.c.invoice_number.like(_prefix(text) + "%", escape="\\")
    found = [number, inv.c.client_id == text]
    if any(ch.isalpha() for ch in text):
        like = "%" + _prefix(text) + "%"
        for column in (inv.c.client_name, inv.c.client_email):  # SQLite's LIKE ignores case
            found.append(column.like(like, escape="\\") if sqlite
                         else column.ilike(like, escape="\\"))
    return found


def search_invoices(conn: Connection, text: str, *, currency: str | None = None,
                    open_only: bool = True, limit: int = 20) -> list[dict]:
    """Invoices whose number starts with ``text``, or whose client id is ``text``, or (when
    ``text`` has a letter) whose client name or e-mail contains it, case-insensitive; exact
    numbers first: what a reviewer picks to match money by hand, with ``open_minor`` (what the
    ledger leaves open). ``open_only``: billing open statuses with a balance the ledger leaves
    open (so a page may hold fewer than ``limit``)."""
    text = (text or "").strip()
    if not text:
        return []
    inv = tables.invoices
    query = _invoice_query().where(or_(*_matching(conn, text)))
    if currency:
        query = query.where(inv.c.currency == currency)
    if open_only:
        query = query.where(inv.c.status.in_(sorted(OPEN_STATUSES)), inv.c.balance_minor > 0)
    exact = (inv.c.invoice_number == text).desc()
    limit = max(1, min(int(limit), MAX_LIMIT))
    rows = [dict(r._mapping) for r in conn.execute(
        query.order_by(exact, inv.c.invoice_number).limit(limit))]
    if not rows:
        return []
    found = pd.DataFrame(rows)
    after_ledger = invoices_after_ledger(found, _ledger_moves(conn, list(found["invoice_number"])))
    found = found.assign(open_minor=after_ledger["balance_minor"])
    if open_only:
        found = found[found["open_minor"] > 0]
    return found.to_dict("records")
