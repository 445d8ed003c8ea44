"""The Billing department's payment-confirmation tickets, as JSON Lines or CSV.

Shapes: flat keys (``ticket_id, created_at, name, email, client_id, subject, message,
invoice_number, destination_account, amount, transfer_date, account_holder`` and the
variants in :data:`parsers.ticket_fields.FIELDS`), or the helpdesk's own WHMCS-style
ticket objects (``tid``/``ticketid``/``id``, ``date``, ``userid``, ``subject``,
``message`` or the first of ``replies``, and ``customfields`` as a list of
``{name, value}`` / ``{id, name, value}``, also nested as ``{"customfield": [...]}``).
A top-level key wins over a custom field of the same label.

Natural key: the ticket id (WHMCS ``tid``, the number customers see, before the internal
``ticketid``/``id``). ``source_line``: the physical line of a JSON Lines object; the
first physical line of a CSV record.

A ticket is a claim, so it is kept whenever it can be identified: a ticket without an id
or without a readable opening date (needed to place it in the reconciliation window) is
rejected; an unreadable claim field (amount, transfer date, currency) is left empty
(``None``) on the kept ticket, and one :class:`~pipeline.models.Reject` for the ticket,
with its line, id and every such field's reason, is emitted too, so that nothing
disappears silently. Blank invoice number and amount are taken from the subject/message
(invoice references with ``pipeline.settings.DEFAULT_REFERENCE_PATTERNS``, all of them
comma-joined for a mass-payment claim; an amount written with ``Rp``/``IDR``/``USD``/``$``
or after ``sebesar``/``amount``). Amount and date conventions: :mod:`parsers.ticket_fields`.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import partial

import pandas as pd

from parsers import csv_cut, csvspec, limits
from parsers.base import ParseResult, SourceFile
from parsers.ticket_fields import (
    FIELDS,
    ClaimParser,
    amount_in_text,
    claimed_amount,
    claimed_invoices,
    read_fields,
    split_destination,
)
from pipeline.models import Origin, Reject, Ticket
from pipeline.money import AmountError, CurrencyError
from pipeline.record_frames import collector_paused

JSONL_FORMAT = "tickets-jsonl"
CSV_FORMAT = "tickets-csv"
_TICKET_KEYS = {"tid", "ticket id", "ticketid", "customfields"}
_TICKET_ID = [column for column in FIELDS if column.name == "ticket_id"]


@dataclass(frozen=True)
class RawTicket:
    """One ticket as the file states it: its labels and their texts, and where it is."""

    line: int
    raw: str
    labels: list[str]
    cells: list[str]


class _TicketParser(ClaimParser):
    format: str

    def _result(self, source: SourceFile, rows: list[RawTicket],
                rejects: list[Reject]) -> ParseResult:
        """Tickets (and rejects) from the file's raw tickets."""
        read = [read_fields(row.labels, row.cells) for row in rows]
        invoices = claimed_invoices(
            pd.Series([values["invoice_number"] for values, _ in read], dtype=object),
            pd.Series([f"{v['subject']}\n{v['message']}" for v, _ in read], dtype=object),
            self.reference_patterns)
        records, first_line = [], {}
        for row, (values, problems), invoice in zip(rows, read, invoices, strict=True):
            ticket_id = values["ticket_id"] or None
            reason = _refusal(values, problems, first_line.get(ticket_id))
            if reason:
                rejects.append(source.reject(self.format, reason, row.line, ticket_id, row.raw))
                continue
            first_line[ticket_id] = row.line
            claim, claim_problems = self._claim(values)
            problems = problems + claim_problems
            origin = source.origin(self.format, row.line, ticket_id)
            records.append(_ticket(values, claim, invoice, origin))
            if problems:
                reason = "; ".join(problems) + "; the ticket is kept with these fields empty"
                rejects.append(source.reject(self.format, reason, row.line, ticket_id, row.raw))
        rejects.sort(key=lambda r: r.source_line or 0)
        return ParseResult(records=records, rejects=rejects)

    def _claim(self, values: dict) -> tuple[dict, list[str]]:
        """Amount, currency and destination of a ticket's claim, and the problems met."""
        hint = values["currency"] or self.default_currency
        claim: dict = {"claimed_amount_minor": None, "claimed_amount_alt_minor": None,
                       "currency": hint}
        problems = []
        try:
            if values["amount"]:
                amount = claimed_amount(values["amount"], hint)
            else:
                amount = amount_in_text(f"{values['subject']}\n{values['message']}", hint)
            if amount:
                claim.update(claimed_amount_minor=amount.minor,
                             claimed_amount_alt_minor=amount.alt_minor,
                             currency=amount.currency)
        except (AmountError, CurrencyError) as exc:
            where = "amount" if values["amount"] else "amount (from the message)"
            problems.append(f"{where}: {exc}")
        bank, account = split_destination(values["destination_account"])
        claim["destination_bank"] = values["destination_bank"] or bank
        claim["destination_account"] = account
        return claim, problems


def _refusal(values: dict, problems: list[str], seen_on: int | None) -> str | None:
    """Why a ticket cannot be kept at all, if it cannot."""
    if not values["ticket_id"]:
        return "no ticket id"
    if seen_on is not None:
        return f"ticket {values['ticket_id']} appears again (first on line {seen_on})"
    created = [p for p in problems if p.startswith("created_at:")]
    if created or values["created_at"] is None:
        why = created[0] if created else "created_at: empty"
        return f"{why} (a ticket needs the date it was opened)"
    return None


def _ticket(values: dict, claim: dict, invoice: str, origin: Origin) -> Ticket:
    return Ticket(
        ticket_id=values["ticket_id"], created_date=values["created_at"], name=values["name"],
        email=values["email"], client_id=values["client_id"], subject=values["subject"],
        message=values["message"], invoice_number=invoice,
        claimed_date=values["transfer_date"], account_holder=values["account_holder"],
        origin=origin, **claim)


# --- JSON Lines ---------------------------------------------------------------------------


class TicketsJsonlParser(_TicketParser):
    """Tickets as JSON Lines: one ticket object per line (flat keys or WHMCS-style)."""

    format = JSONL_FORMAT

    def identify(self, source: SourceFile) -> bool:
        """The first non-blank line is a JSON object with ticket keys (``tid``,
        ``ticket_id``, ``ticketid``, ``customfields``, or ``subject`` and ``message``)."""
        line = next((ln for ln in source.head_text.split("\n") if ln.strip()), "")
        if limits.json_line_problem(line):
            return False
        try:
            item = _load(line)
        except ValueError:
            return False
        if not isinstance(item, dict):
            return False
        keys = {csvspec.normalise_header(str(k)) for k in item}
        return bool(keys & _TICKET_KEYS) or {"subject", "message"} <= keys

    @collector_paused()
    def parse(self, source: SourceFile) -> ParseResult:
        content = csvspec.decode(source.path.read_bytes())
        rows, rejects = [], []
        for number, line in enumerate(content.split("\n"), 1):
            text = line.rstrip("\r")
            if not text.strip():
                continue
            if not rows and len(rejects) >= limits.REJECT_SAMPLE_ROWS:
                return ParseResult.refused(limits.junk(self.format, rejects))
            item = _ticket_object(text)
            if isinstance(item, str):
                rejects.append(source.reject(self.format, item, number, None, text))
                continue
            rows.append(RawTicket(number, text, *_labelled(item)))
        if not rows and not rejects:
            return ParseResult.refused("empty file: no tickets")
        return _flag_cut(self._result(source, rows, rejects), content)


def _ticket_object(text: str) -> dict | str:
    """One line's ticket object, or why it is none (limits, JSON, not an object)."""
    problem = limits.json_line_problem(text)
    if problem:
        return problem
    try:
        item = _load(text)
    except ValueError as exc:
        return f"not valid JSON: {exc}"
    return item if isinstance(item, dict) else \
        "not a JSON object (a ticket is one object per line)"


def _flag_cut(result: ParseResult, content: str) -> ParseResult:
    """A file that ends inside its last line (no line break, and that line is not JSON) was
    cut short: a ``truncated:`` warning on top of that line's reject."""
    last = len(content.rstrip("\r\n").split("\n")) if content.strip() else 0
    cut = [r for r in result.rejects
           if r.source_line == last and r.reason.startswith("not valid JSON")]
    if not cut or content.endswith(("\n", "\r")):
        return result
    warning = f"truncated: the last line (line {last}) is not complete JSON; the file was cut short"
    return replace(result, warnings=[warning, *result.warnings])


def _load(text: str) -> object:
    """JSON with numbers as ``Decimal`` (never floats); ``NaN``/``Infinity`` refused."""
    def constant(name: str) -> object:
        raise ValueError(f"{name} is not a number")
    return json.loads(text, parse_float=Decimal, parse_constant=constant)


def _labelled(item: dict) -> tuple[list[str], list[str]]:
    """A ticket object's labels and texts: its own keys first, then its custom fields,
    then the first reply's message; empty and structured values left out."""
    pairs = [(str(k), v) for k, v in item.items() if k not in ("customfields", "replies")]
    pairs += _custom_fields(item.get("customfields"))
    pairs += [("message", _first_reply(item.get("replies")))]
    texts = [(label, _text(value)) for label, value in pairs]
    kept = [(label, text) for label, text in texts if text.strip()]
    return [label for label, _ in kept], [text for _, text in kept]


def _custom_fields(fields: object) -> list[tuple[str, object]]:
    if isinstance(fields, dict) and "customfield" in fields:
        fields = fields["customfield"]
    if isinstance(fields, dict):
        if {"name", "value"} <= fields.keys():
            fields = [fields]
        else:  # {"No. Invoice": "10234", ...}
            return [(str(k), v) for k, v in fields.items()]
    if not isinstance(fields, list):
        return []
    return [(str(f.get("name") or f.get("label") or ""), f.get("value"))
            for f in fields if isinstance(f, dict)]


def _first_reply(replies: object) -> object:
    if isinstance(replies, dict):
        replies = replies.get("reply")
    if isinstance(replies, dict):
        replies = [replies]
    if isinstance(replies, list) and replies and isinstance(replies[0], dict):
        return replies[0].get("message")
    return None


def _text(value: object) -> str:
    """A JSON value as field text. A JSON number is written so that it reads back to
    exactly itself (``1.500`` as ``1.5``, ``1.234`` as ``1.2340``: never a thousands group)."""
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, Decimal):
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
            if len(text.partition(".")[2]) == 3:
                text += "0"
        return text
    return str(value)


# --- CSV ----------------------------------------------------------------------------------


class TicketsCsvParser(_TicketParser):
    """Tickets as CSV (RFC 4180; ``,`` ``;`` or TAB): header on line 1 naming the fields."""

    format = CSV_FORMAT

    def identify(self, source: SourceFile) -> bool:
        """The header names a ticket id (``ticket_id``, ``tid``) or ``subject`` and
        ``message``, and the file is text (not JSON)."""
        header = _header(source.head_text)
        return not source.head_text.lstrip().startswith(("{", "[")) and (
            bool(header & {"ticket id", "tid"}) or {"subject", "message"} <= header)

    def parse(self, source: SourceFile) -> ParseResult:
        content = csvspec.decode(source.path.read_bytes())
        delimiter = csvspec.sniff_delimiter(csvspec.first_line(content))
        try:
            records = csvspec.all_records(content, delimiter)
        except csv.Error as exc:
            return ParseResult.refused(f"unreadable CSV: {exc}")
        if not records:
            return ParseResult.refused("empty file: no header row")
        labels = records[0].cells
        if "ticket_id" not in csvspec.resolve(_TICKET_ID, labels)[0]:
            return ParseResult.refused("not a tickets CSV: the header names no ticket id "
                                       "column (ticket_id, tid, id)")
        data, cut, cut_warnings = csv_cut.without_cut(
            [r for r in records if not r.blank], len(labels), content,
            partial(source.reject, self.format))
        rows = [RawTicket(r.line, r.raw, labels, r.cells) for r in data[1:]]
        result = self._result(source, rows, cut)
        return replace(result, warnings=cut_warnings) if cut else result


def _header(head_text: str) -> set[str]:
    line = csvspec.first_line(head_text)
    cells = next(csv.reader([line], delimiter=csvspec.sniff_delimiter(line)), [])
    return {csvspec.normalise_header(cell) for cell in cells}

