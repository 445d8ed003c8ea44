"""What the review, list and detail pages share: filters read from the query string, keyset
cursors, amounts in words of their currency, and reads through the store's browse queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from pipeline.money import exponent, from_minor
from pipeline.store.browse import Filters

FILTER_KEYS = ("currency", "source", "date_from", "date_to", "kind")
PAGE_ROWS = 50


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def filters_of(request: Request) -> Filters:
    """The list filters of a request's query string (a bad date is no filter)."""
    query = request.query_params
    text = {k: (query.get(k) or "").strip() or None for k in FILTER_KEYS}
    return Filters(currency=(text["currency"] or "").upper() or None, source=text["source"],
                   date_from=_date(text["date_from"]), date_to=_date(text["date_to"]),
                   kind=text["kind"])


def after_of(request: Request) -> int | None:
    """The keyset cursor (``after``) of a request, None for the first page."""
    text = request.query_params.get("after", "")
    return int(text) if text.isdigit() else None


def next_link(request: Request, next_after: int | None) -> str | None:
    """The link to the next page: the same filters, ``after`` the last row shown."""
    if next_after is None:
        return None
    kept = {k: v for k, v in request.query_params.items() if k != "after" and v}
    return "?" + urlencode({**kept, "after": next_after})


def amount(minor: Any, currency: Any) -> str:
    """Minor units shown in their currency's decimals (``1,500.00``); empty when unknown."""
    if minor is None or currency in (None, ""):
        return ""
    try:
        value: Decimal = from_minor(int(minor), str(currency))
    except (TypeError, ValueError, KeyError):
        return str(minor)
    return f"{value:,.{exponent(str(currency))}f}"


def read(request: Request, query: Any, *args: Any, **kwargs: Any) -> Any:
    """One of the store's browse queries, on the app's store."""
    return request.app.state.store.read(query, *args, **kwargs)
