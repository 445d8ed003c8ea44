"""What each export column holds, in one place: the CSV exports neutralise free text by it.

A CSV opened in a spreadsheet runs a field that starts with ``=``, ``+``, ``-``, ``@``, tab or
CR as a formula (CSV injection). Following OWASP's guidance, every **free-text** column whose
words come from an input (names, memos, descriptions, ticket text, reasons and details, file
names) gets a ``'`` prefix on such a field. **Keys**, **numbers**, **dates** and payrecon's own
**codes** are never altered: a key such as ``source_ref`` must still join to its source, and an
amount ``-12.50`` must stay an amount. A column not classified here is a bug (a test reads every
export's header against this table).
"""

from __future__ import annotations

TEXT, KEY, NUMBER, DATE, CODE = "text", "key", "number", "date", "code"

COLUMN_KINDS: dict[str, str] = {
    # free text from inputs: neutralised
    "source_file": TEXT, "bank_source_file": TEXT, "client_name": TEXT, "name": TEXT,
    "memo": TEXT, "description": TEXT, "counterparty": TEXT, "reason": TEXT, "detail": TEXT,
    "hold_reason": TEXT, "raw": TEXT,
    # keys: exactly as in the source
    "source_ref": KEY, "bank_source_ref": KEY, "invoice_number": KEY, "client_id": KEY,
    "ticket_id": KEY, "payout_id": KEY, "transid": KEY, "match_id": KEY,
    "invoiceid": KEY, "clientid": KEY, "database_id": KEY, "checksum": KEY,
    # numbers and dates
    "source_line": NUMBER, "bank_source_line": NUMBER, "source_amount": NUMBER,
    "applied_amount": NUMBER, "amount": NUMBER, "total": NUMBER, "paid_amount": NUMBER,
    "balance": NUMBER, "days_overdue": NUMBER, "confidence": NUMBER, "item_count": NUMBER,
    "claimed_amount": NUMBER, "claimed_amount_alt": NUMBER,
    "fees": NUMBER, "date": DATE,
    "source_date": DATE, "due_date": DATE, "claimed_date": DATE,
    # payrecon's own vocabulary (never input text)
    "source_kind": CODE, "source_format": CODE, "currency": CODE, "status": CODE, "rule": CODE,
    "kind": CODE, "gateway": CODE, "bucket": CODE, "first_invoice": CODE, "action": CODE,
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def column_kind(name: str) -> str | None:
    """The kind of an export column (``None`` when it is not classified)."""
    return COLUMN_KINDS.get(name)


def neutralise(text: str) -> str:
    """``text`` with a ``'`` prefix when a spreadsheet would run it as a formula (OWASP)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def is_free_text(name: str) -> bool:
    """Whether a column holds words from an input (and is neutralised in CSV exports)."""
    return COLUMN_KINDS.get(name) == TEXT
