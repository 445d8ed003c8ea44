"""Read-only queries the web pages call: lists of the current match result with filters and
keyset paging, as plain dicts (raw text: escaping is the template's job).

Every list is driven by one table and paged by its ``id`` (``after``: the last id of the
previous page; ``Page.next_after``: the cursor of the next one, None at the end), so a deep page
costs what the first one does and the order is stable. The money line of a row is joined by
primary key (a bank credit or a gateway charge). Filters: ``currency``, ``source`` (``bank``,
``gateway``, or a source file name), ``date_from``/``date_to`` (the money's date, inclusive) and
``kind`` (each list says what it filters: a rule, a reason class, an exception kind, a status).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Connection, and_, exists, func, or_, select

from pipeline.rule_sentences import rule_sentence
from pipeline.store import tables

MAX_LIMIT = 500


@dataclass(frozen=True)
class Filters:
    """What a list is narrowed to; every field optional."""

    currency: str | None = None
    source: str | None = None  # bank | gateway | a source file name
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: str | None = None


NO_FILTERS = Filters()


@dataclass(frozen=True)
class Page:
    """One page of a list: ``rows`` (dicts), ``next_after`` (None: the last page)."""

    rows: list[dict] = field(default_factory=list)
    next_after: int | None = None


class Money:
    """The money line (bank credit or gateway charge) of rows keyed by payment kind and id."""

    def __init__(self, kind_col, id_col) -> None:  # noqa: ANN001
        self.b = tables.bank_transactions.alias("mb")
        self.g = tables.gateway_transactions.alias("mg")
        self.on_bank = and_(kind_col == "bank", self.b.c.id == id_col)
        self.on_gateway = and_(kind_col == "gateway", self.g.c.id == id_col)
        b, g = self.b.c, self.g.c
        self.date = func.coalesce(b.booking_date, g.created_date)
        self.currency = func.coalesce(b.currency, g.currency)
        self.file = func.coalesce(b.source_file, g.source_file)
        self.columns = [
            self.date.label("money_date"),
            func.coalesce(b.amount_minor, g.gross_minor).label("money_amount_minor"),
            self.currency.label("money_currency"),
            func.coalesce(func.nullif(b.counterparty_name, ""), func.nullif(g.customer_name, ""),
                          g.customer_email, "").label("payer"),
            func.coalesce(b.description, g.description, "").label("bank_text"),
            self.file.label("source_file"),
            func.coalesce(b.source_line, g.source_line).label("source_line"),
            func.coalesce(b.source_ref, g.source_ref).label("source_ref"),
        ]

    def join(self, base):  # noqa: ANN001, ANN201
        return base.outerjoin(self.b, self.on_bank).outerjoin(self.g, self.on_gateway)

    def where(self, filters: Filters, kind_col) -> list:  # noqa: ANN001
        """Conditions for the money filters (``kind`` is the caller's)."""
        found = []
        if filters.currency:
            found.append(self.currency == filters.currency)
        if filters.source in ("bank", "gateway"):
            found.append(kind_col == filters.source)
        elif filters.source:
            found.append(self.file == filters.source)
        if filters.date_from:
            found.append(self.date >= filters.date_from)
        if filters.date_to:
            found.append(self.date <= filters.date_to)
        return found


def paged(conn: Connection, query, id_col, after: int | None, limit: int,  # noqa: ANN001
          descending: bool = False) -> Page:
    """Run ``query`` for one page keyed by ``id_col`` (labelled ``id`` in the rows)."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    if after is not None:
        query = query.where(id_col < after if descending else id_col > after)
    order = id_col.desc() if descending else id_col
    rows = [dict(r._mapping) for r in conn.execute(query.order_by(order).limit(limit + 1))]
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, rows[-1]["id"] if more and rows else None)


def decided_match(match_id_col):  # noqa: ANN001, ANN201
    """True where finance already decided on the pair (a ledger decision entry)."""
    le = tables.ledger_entries
    return exists().where(le.c.match_id == match_id_col, le.c.entry == "decision")


def review_queue(conn: Connection, filters: Filters = NO_FILTERS, *, after: int | None = None,
                 limit: int = 50, descending: bool = False) -> Page:
    """The suggestions awaiting a decision, each with its money (date, amount, payer, bank
    text, file), its candidate invoice (number, client, balance, due date), the difference
    (money less the invoice's balance, minor units), the rule (``rule``, ``rule_words``) and
    the evidence (``reason``). ``kind`` filters by rule. ``others``: how many other invoices
    are suggested for the same money."""
    a, inv = tables.match_allocations, tables.invoices
    money = Money(a.c.payment_kind, a.c.payment_id)
    twin = tables.match_allocations.alias("twin")
    others = (select(func.count()).where(
        twin.c.payment_kind == a.c.payment_kind, twin.c.payment_id == a.c.payment_id,
        twin.c.status == "suggested", twin.c.id != a.c.id).scalar_subquery())
    query = select(
        a.c.id, a.c.match_id, a.c.payment_kind, a.c.payment_id, *money.columns,
        a.c.invoice_number, inv.c.client_id, inv.c.client_name,
        inv.c.balance_minor.label("invoice_balance_minor"), inv.c.due_date, inv.c.status,
        inv.c.currency.label("invoice_currency"), a.c.applied_minor, a.c.currency, a.c.rule,
        a.c.confidence, a.c.reason, others.label("others"),
    ).select_from(money.join(a).outerjoin(inv, inv.c.invoice_number == a.c.invoice_number))
    query = query.where(a.c.status == "suggested", ~decided_match(a.c.match_id),
                        *money.where(filters, a.c.payment_kind))
    if filters.kind:
        query = query.where(a.c.rule == filters.kind)
    page = paged(conn, query, a.c.id, after, limit, descending)
    for row in page.rows:
        row["rule_words"] = rule_sentence(row["rule"])
        balance = row["invoice_balance_minor"]
        row["difference_minor"] = (None if balance is None or row["money_amount_minor"] is None
                                   else row["money_amount_minor"] - balance)
    return page


def unmatched(conn: Connection, filters: Filters = NO_FILTERS, *, after: int | None = None,
              limit: int = 50, descending: bool = False) -> Page:
    """Money no pass explained, with its reason; ``kind`` filters by reason class (the code
    before the colon: ``no_reference``, ``ambiguous_amount``, ...)."""
    u = tables.match_unmatched
    money = Money(u.c.payment_kind, u.c.payment_id)
    query = select(u.c.id, u.c.payment_kind, u.c.payment_id, *money.columns, u.c.reason,
                   ).select_from(money.join(u)).where(*money.where(filters, u.c.payment_kind))
    if filters.kind:
        query = query.where(or_(u.c.reason == filters.kind,
                                u.c.reason.like(_prefix(filters.kind) + ":%", escape="\\")))
    return paged(conn, query, u.c.id, after, limit, descending)


def exceptions(conn: Connection, filters: Filters = NO_FILTERS, *, after: int | None = None,
               limit: int = 50, descending: bool = False) -> Page:
    """Findings (overpayment, payment_on_paid_invoice, ...) with their money when they have
    one; ``kind`` filters by exception kind; ``currency`` is the finding's own."""
    e = tables.match_exceptions
    money = Money(e.c.payment_kind, e.c.payment_id)
    query = select(e.c.id, e.c.kind, e.c.payment_kind, e.c.payment_id, e.c.invoice_number,
                   e.c.amount_minor, e.c.currency, e.c.detail, *money.columns,
                   ).select_from(money.join(e))
    own = Filters(None, filters.source, filters.date_from, filters.date_to)
    query = query.where(*money.where(own, e.c.payment_kind))
    if filters.currency:
        query = query.where(e.c.currency == filters.currency)
    if filters.kind:
        query = query.where(e.c.kind == filters.kind)
    return paged(conn, query, e.c.id, after, limit, descending)


def payouts(conn: Connection, filters: Filters = NO_FILTERS, *, after: int | None = None,
            limit: int = 50, descending: bool = False) -> Page:
    """Each gateway payout's status and the bank line that carries it (money columns empty
    when none); ``kind`` filters by status, ``source`` by gateway or bank file."""
    p, g = tables.match_payouts, tables.gateway_transactions.alias("payout")
    money = Money(p.c.payment_kind, p.c.payment_id)
    on_payout = and_(g.c.kind == "payout", g.c.gateway == p.c.gateway,
                     func.coalesce(func.nullif(g.c.payout_id, ""), g.c.transaction_id)
                     == p.c.payout_id)
    query = select(p.c.id, p.c.gateway, p.c.payout_id, p.c.status, p.c.detail,
                   g.c.created_date.label("payout_date"), g.c.net_minor.label("payout_net_minor"),
                   g.c.currency.label("payout_currency"), p.c.payment_kind, p.c.payment_id,
                   *money.columns).select_from(money.join(p).outerjoin(g, on_payout))
    source = filters.source
    query = query.where(*money.where(Filters(None, None, filters.date_from, filters.date_to),
                                     p.c.payment_kind))
    if filters.currency:
        query = query.where(g.c.currency == filters.currency)
    if source:
        query = query.where(or_(p.c.gateway == source, money.file == source))
    if filters.kind:
        query = query.where(p.c.status == filters.kind)
    return paged(conn, query, p.c.id, after, limit, descending)


def tickets(conn: Connection, filters: Filters = NO_FILTERS, *, after: int | None = None,
            limit: int = 50, descending: bool = False) -> Page:
    """Each ticket or e-mail claim with its status and verifying bank line; ``kind`` filters
    by status; dates and currency are the claim's."""
    mt, t = tables.match_tickets, tables.tickets
    money = Money(mt.c.payment_kind, mt.c.payment_id)
    query = select(mt.c.id, mt.c.ticket_id, mt.c.status, mt.c.invoice_number, mt.c.detail,
                   t.c.created_date, t.c.name, t.c.email, t.c.subject, t.c.message,
                   t.c.claimed_amount_minor, t.c.currency.label("claimed_currency"),
                   t.c.claimed_date, t.c.channel, t.c.source_file.label("ticket_file"),
                   mt.c.payment_kind, mt.c.payment_id, *money.columns,
                   ).select_from(money.join(mt).outerjoin(t, t.c.ticket_id == mt.c.ticket_id))
    if filters.currency:
        query = query.where(t.c.currency == filters.currency)
    if filters.source:
        query = query.where(or_(t.c.channel == filters.source, t.c.source_file == filters.source))
    if filters.date_from:
        query = query.where(t.c.created_date >= filters.date_from)
    if filters.date_to:
        query = query.where(t.c.created_date <= filters.date_to)
    if filters.kind:
        query = query.where(mt.c.status == filters.kind)
    return paged(conn, query, mt.c.id, after, limit, descending)


def credits(conn: Connection, filters: Filters = NO_FILTERS, *, after: int | None = None,
            limit: int = 50, descending: bool = False) -> Page:
    """Client credit the ledger keeps from overpayments (one row per credit entry), with the
    invoice and client it came with; ``source`` filters by payment kind, dates by the
    money's date; ``kind`` is not used."""
    le, inv = tables.ledger_entries, tables.invoices
    query = select(le.c.id, le.c.match_id, le.c.money_key, le.c.payment_kind,
                   le.c.invoice_number, inv.c.client_id, inv.c.client_name,
                   le.c.applied_minor.label("credit_minor"), le.c.currency, le.c.reason,
                   le.c.source_date, le.c.as_of, le.c.recorded_at,
                   ).select_from(le.outerjoin(inv, inv.c.invoice_number == le.c.invoice_number))
    query = query.where(le.c.entry == "credit")
    if filters.currency:
        query = query.where(le.c.currency == filters.currency)
    if filters.source:
        query = query.where(le.c.payment_kind == filters.source)
    if filters.date_from:
        query = query.where(le.c.source_date >= filters.date_from)
    if filters.date_to:
        query = query.where(le.c.source_date <= filters.date_to)
    return paged(conn, query, le.c.id, after, limit, descending)


def _prefix(text: str) -> str:
    """``text`` with LIKE's wildcards escaped (backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
