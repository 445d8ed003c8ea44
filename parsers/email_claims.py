"""Payment confirmations customers send by e-mail to accounting, as a mailbox export: an
mbox (RFC 4155, read with the standard library's ``mailbox``) or a single ``.eml`` message
(RFC 5322 + MIME, read with ``email`` and ``policy.default``). Each message is one claim,
a :class:`~pipeline.models.Ticket` with ``channel='email'``.

Natural key: the ``Message-ID`` without its angle brackets (a message without one is keyed
``sha256:<first 32 hex digits of its bytes>``, with a warning). ``source_line``: in an mbox,
the 1-based line of the message's ``From `` separator line; in an ``.eml``, 1.

Fields: ``created_date`` is the ``Date`` header's date as the sender wrote it; ``name`` and
``email`` come from ``From``; subject and the sender's own words (:mod:`parsers.email_text`:
quoted replies and the signature left out, kept as ``message``) give the invoice numbers
(``settings.reference_patterns``, all of them comma-joined, as tickets), the client number,
the amount (with its readings, as typed ticket amounts) and the transfer date
(:mod:`parsers.email_fields`). A message that claims nothing (no amount, and no invoice
number with a word of payment), a repeated ``Message-ID`` or one without a readable
``Date`` is a reject with its line and reason; an unreadable field leaves the claim without
it, with one reject naming why, as tickets do.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import mailbox
import re
from dataclasses import dataclass, field
from email import policy
from email.errors import MessageError
from email.message import EmailMessage
from email.parser import BytesParser

import pandas as pd

from parsers import email_fields
from parsers.base import SNIFF_BYTES, ParseResult, SourceFile
from parsers.email_text import BodyError, body_text, own_words
from parsers.ticket_fields import ClaimParser, amount_in_text, claimed_invoices
from pipeline.models import Reject, Ticket
from pipeline.money import AmountError, CurrencyError

FORMAT = "tickets-email"
_MBOX_FROM = re.compile(rb"From \S+")
_HEADER = re.compile(r"^[A-Za-z0-9-]+:")
_ENVELOPE = {"message-id", "from", "date", "subject", "mime-version", "to", "received",
             "return-path", "delivered-to", "content-type"}


@dataclass
class _Message:
    """One message of the export: where it is, its bytes and what can be read of it."""

    line: int
    data: bytes
    message: EmailMessage | None = None
    values: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


class EmailClaimsParser(ClaimParser):
    """Payment confirmations from a mailbox export (mbox or one ``.eml``)."""

    format = FORMAT

    def identify(self, source: SourceFile) -> bool:
        """An mbox (a ``From `` separator line, then header lines) or a message (a header
        block naming at least ``From``, ``Date`` and ``Subject`` or ``Message-ID``)."""
        lines = source.head.lstrip(b"\r\n").split(b"\n")
        if len(source.head) >= SNIFF_BYTES:
            lines = lines[:-1]  # the last line may be cut short
        if not lines:
            return False
        if _MBOX_FROM.match(lines[0]):
            return _looks_like_headers(lines[1:], 2)
        return _looks_like_headers(lines, 3)

    def parse(self, source: SourceFile) -> ParseResult:
        messages = _split(source)
        if not messages:
            return ParseResult.refused("empty mailbox: no messages")
        warnings: list[str] = []
        for item in messages:
            _read(item, self.default_currency)
        invoices = claimed_invoices(
            pd.Series([""] * len(messages), dtype=object),
            pd.Series([item.values.get("text", "") for item in messages], dtype=object),
            self.reference_patterns)
        records, rejects, seen = [], [], {}
        for item, invoice in zip(messages, invoices, strict=True):
            ticket_id, warning = _key(item)
            if warning:
                warnings.append(f"{source.name} line {item.line}: {warning}")
            reason = _refusal(item, invoice, seen.get(ticket_id))
            if reason:
                rejects.append(_reject(source, item, reason, ticket_id))
                continue
            seen[ticket_id] = item.line
            records.append(_ticket(source, item, ticket_id, invoice))
            if item.problems:
                reason = "; ".join(item.problems) + "; the claim is kept with these fields empty"
                rejects.append(_reject(source, item, reason, ticket_id))
        return ParseResult(records=records, rejects=rejects, warnings=warnings)


def _looks_like_headers(lines: list[bytes], needed: int) -> bool:
    names = set()
    for raw in lines:
        line = raw.decode("latin-1").rstrip("\r")
        if not line.strip():
            break
        if line[0] in " \t":
            continue
        if not _HEADER.match(line):
            return False
        names.add(line.split(":", 1)[0].lower())
    return "from" in names and len(names & _ENVELOPE) >= needed and (
        "date" in names or "message-id" in names)


def _split(source: SourceFile) -> list[_Message]:
    """The messages of the file with their lines: an mbox's, or the one message."""
    data = source.path.read_bytes()
    if not _MBOX_FROM.match(data.lstrip(b"\r\n")):
        return [_Message(1, data)] if data.strip() else []
    offset = len(data) - len(data.lstrip(b"\r\n"))
    lines = [n for n, line in enumerate(data[offset:].split(b"\n"), 1 + data[:offset].count(b"\n"))
             if line.startswith(b"From ")]
    box = mailbox.mbox(source.path, create=False)
    try:
        keys = list(box.iterkeys())
        if len(keys) != len(lines):  # pragma: no cover - both split at "From " lines
            raise RuntimeError("mbox separators disagree with mailbox's")
        return [_Message(line, box.get_bytes(key)) for line, key in zip(lines, keys, strict=True)]
    finally:
        box.close()


def _read(item: _Message, currency_hint: str | None) -> None:
    """Everything the message claims, into ``item.values``; problems into ``item.problems``."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(item.data)
        item.message = message
        values = {"subject": " ".join(str(message.get("Subject", "")).split()),
                  "created": _date(message), **_sender(message)}
    except (MessageError, ValueError, LookupError, IndexError) as exc:
        item.values = {"unreadable": f"unreadable message headers: {exc}"}
        return
    try:
        body = own_words(body_text(message))
    except (BodyError, MessageError, LookupError) as exc:
        body = ""
        item.problems.append(f"body: {exc}")
    text = f"{values['subject']}\n{body}"
    values.update(message=body, text=text)
    values["client_id"], problem = email_fields.client_number(text)
    values["transfer_date"], date_problem = email_fields.transfer_date(text)
    try:
        values["amount"] = amount_in_text(text, currency_hint)
    except (AmountError, CurrencyError) as exc:
        values["amount"], values["amount_problem"] = None, True
        item.problems.append(f"amount (from the message): {exc}")
    item.problems.extend(p for p in (problem, date_problem) if p)
    item.values = values


def _date(message: EmailMessage) -> dt.date | None:
    header = message.get("Date")
    try:
        return email.utils.parsedate_to_datetime(str(header)).date() if header else None
    except (TypeError, ValueError, IndexError):
        return None


def _sender(message: EmailMessage) -> dict:
    name, address = email.utils.parseaddr(str(message.get("From", "")))
    return {"name": name.strip(), "email": address.strip()}


def _key(item: _Message) -> tuple[str, str | None]:
    """The claim's ticket id: the Message-ID without ``<>``, else a hash of the bytes."""
    found = str(item.message.get("Message-ID", "")) if item.message else ""
    ticket_id = found.strip().strip("<>").strip()
    if ticket_id:
        return ticket_id, None
    digest = f"sha256:{hashlib.sha256(item.data).hexdigest()[:32]}"
    return digest, f"no Message-ID; the message is keyed by a hash of its bytes ({digest})"


def _refusal(item: _Message, invoice: str, seen_on: int | None) -> str | None:
    """Why a message cannot be kept as a claim, if it cannot."""
    values = item.values
    if "unreadable" in values:
        return values["unreadable"]
    if seen_on is not None:
        return f"the same Message-ID appears again (first on line {seen_on})"
    if values["created"] is None:
        return "no readable Date header (a claim needs the date it was sent)"
    if values["amount"] is None and not values.get("amount_problem") and not (
            invoice and email_fields.speaks_of_payment(values["text"])):
        why = "".join(f"; {problem}" for problem in item.problems)
        return ("not a payment confirmation: no amount, and no invoice number with a word "
                f"of payment, in the subject or the sender's own words{why}")
    return None


def _ticket(source: SourceFile, item: _Message, ticket_id: str, invoice: str) -> Ticket:
    values, amount = item.values, item.values["amount"]
    return Ticket(
        ticket_id=ticket_id, created_date=values["created"], name=values["name"],
        email=values["email"], client_id=values["client_id"], subject=values["subject"],
        message=values["message"], invoice_number=invoice,
        claimed_amount_minor=amount.minor if amount else None,
        claimed_amount_alt_minor=amount.alt_minor if amount else None,
        currency=amount.currency if amount else None,
        claimed_date=values["transfer_date"], channel="email",
        origin=source.origin(FORMAT, item.line, ticket_id))


def _reject(source: SourceFile, item: _Message, reason: str, ticket_id: str) -> Reject:
    raw = item.data.decode("utf-8", errors="replace")
    return source.reject(FORMAT, reason, item.line, ticket_id, raw)
