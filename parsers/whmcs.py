"""WHMCS API ``GetInvoices`` and ``GetClients`` JSON responses (WHMCS API reference,
developers.whmcs.com/api-reference/getinvoices and /getclients, response version 1.0).

Shape: ``{"result": "success", "totalresults": n, "startnumber": 0, "numreturned": n,
"invoices": {"invoice": [...]}}`` (clients under ``clients.client``); the flattened keys of
the documentation's example (``"invoices[invoice][0][id]"``) are accepted too. Numbers may
come as JSON numbers or strings; they are read as ``Decimal``, never as floats.
``{"result": "error", "message": ...}`` is refused with the message. WHMCS statements carry
no balance: it is ``total - credit`` unless a ``balance`` field is present (DESIGN.md);
a Paid, Cancelled or Refunded invoice without a balance field has nothing left due (0).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from decimal import Decimal

from parsers import csvspec, limits
from parsers.base import ParseResult, SourceFile
from parsers.canonical_csv import invoice_status
from parsers.csvspec import Column
from parsers.whmcs_frames import cell as _cell
from parsers.whmcs_frames import read_items
from pipeline.models import Client, Invoice, InvoiceStatus, Origin
from pipeline.money import AmountError, to_minor
from pipeline.record_frames import collector_paused

_ZERO_DATE = "0000-00-00"
_FLAT_KEY = re.compile(r"(\w+)\[(\w+)\]\[(\d+)\]\[(\w+)\]")


def whmcs_date(value: str) -> dt.date:
    """``2026-10-01`` or ``2026-10-01 12:00:00``; WHMCS writes ``0000-00-00`` for "not set"."""
    if value.startswith(_ZERO_DATE):
        raise ValueError(f"{value!r} (no date set)")
    return csvspec.iso_date(value)


def whmcs_optional_date(value: str) -> dt.date | None:
    return None if value.startswith(_ZERO_DATE) else csvspec.iso_date(value)


_AMOUNT = csvspec.amount(".")
_NAMES = (Column("firstname", required=False, empty=""),
          Column("lastname", required=False, empty=""),
          Column("companyname", required=False, empty=""))

INVOICE_FIELDS = (
    Column("id"), Column("invoicenum", required=False, empty=""), Column("userid"), *_NAMES,
    Column("date", whmcs_date), Column("duedate", whmcs_date), Column("total", _AMOUNT),
    Column("credit", _AMOUNT, required=False, empty=Decimal(0)),
    Column("balance", _AMOUNT, required=False),
    Column("currencycode", csvspec.currency), Column("status", invoice_status),
)

CLIENT_FIELDS = (
    Column("id"), *_NAMES, Column("email", required=False, empty=""),
    Column("datecreated", whmcs_optional_date, required=False),
)


def _name(values: dict) -> str:
    return f"{values['firstname']} {values['lastname']}".strip()


_NOTHING_DUE = {InvoiceStatus.PAID, InvoiceStatus.CANCELLED, InvoiceStatus.REFUNDED}


def _invoice(values: dict, origin: Origin) -> Invoice:
    currency = values["currencycode"]
    balance = values["balance"]
    if balance is None and values["status"] in _NOTHING_DUE:
        balance = Decimal(0)
    elif balance is None:
        balance = values["total"] - values["credit"]
    try:
        total_minor, balance_minor = (to_minor(a, currency) for a in (values["total"], balance))
    except AmountError as exc:
        raise AmountError(f"total/credit/balance: {exc}") from None
    return Invoice(
        invoice_number=values["invoicenum"] or values["id"], invoice_id=values["id"],
        client_id=values["userid"], client_name=_name(values) or values["companyname"],
        issue_date=values["date"], due_date=values["duedate"], total_minor=total_minor,
        balance_minor=balance_minor, currency=currency, status=values["status"],
        origin=origin)


def _client(values: dict, origin: Origin) -> Client:
    return Client(client_id=values["id"], name=_name(values), company=values["companyname"],
                  email=values["email"], created_at=values["datecreated"], origin=origin)



def _cut_note(content: str, exc: ValueError) -> str:
    """``; truncated: ...`` when the JSON fails at its very end or does not end as a JSON
    document does (the file was cut short): such a file is refused whole, since a cut JSON
    response cannot be read in part."""
    end = content.rstrip()
    position = getattr(exc, "pos", -1)
    if end.endswith(("}", "]")) and position < len(end):
        return ""
    return ("; truncated: the file ends before the JSON response does (the file was cut "
            "short); nothing of it was read")

class _WhmcsParser:
    """Shared reading of one WHMCS list response; rejects name the item's ``id``."""

    format: str
    plural: str
    singular: str
    fields: Sequence[Column]

    def _shape(self, head: str) -> bool:
        return head.lstrip().startswith("{") and bool(re.search(
            rf'"{self.plural}"\s*:\s*(?:\{{\s*"{self.singular}"\s*:|\[)'
            rf'|"{self.plural}\[{self.singular}\]\[', head))

    def identify(self, source: SourceFile) -> bool:
        """A JSON object whose ``invoices`` (``clients``) holds the WHMCS list shape."""
        return self._shape(source.head_text)

    @collector_paused()
    def parse(self, source: SourceFile) -> ParseResult:
        """The response's records, read a column at a time (:mod:`parsers.whmcs_frames`):
        the same records and rejects as :meth:`parse_records`, held in a frame."""
        items, notes = self._items(csvspec.decode(source.path.read_bytes()))
        if isinstance(items, str):
            return ParseResult.refused(items)
        return read_items(self, source, items, notes)

    def parse_records(self, source: SourceFile) -> ParseResult:
        """The response read one item at a time into frozen records: the contract
        :meth:`parse` is checked against."""
        items, notes = self._items(csvspec.decode(source.path.read_bytes()))
        if isinstance(items, str):
            return ParseResult.refused(items)
        index = {column.name: n for n, column in enumerate(self.fields)}
        records, rejects = [], []
        for position, item in enumerate(items, 1):
            cells = [_cell(item.get(c.name)) if isinstance(item, dict) else "" for c in self.fields]
            ref = cells[0] or f"{self.singular}[{position}]"
            values = csvspec.convert(self.fields, index, cells)
            try:
                if isinstance(values, str):
                    raise ValueError(values)
                records.append(self.build(values, source.origin(self.format, None, ref)))
            except ValueError as exc:
                raw = json.dumps(item, default=str)
                rejects.append(source.reject(self.format, str(exc), None, ref, raw))
        return ParseResult(records=records, rejects=rejects, warnings=notes)

    def _items(self, content: str) -> tuple[list | str, list[str]]:
        """The response's items, or why the file is refused; and warnings."""
        depth = limits.json_depth(content)
        if depth > limits.MAX_JSON_DEPTH:
            return (f"JSON nested {depth} deep is deeper than the {limits.MAX_JSON_DEPTH} a "
                    "WHMCS response may nest"), []
        try:
            data = json.loads(content, parse_float=Decimal)
        except ValueError as exc:
            return f"not valid JSON: {exc}{_cut_note(content, exc)}", []
        if not isinstance(data, dict):
            return "not a WHMCS API response: the top level is not a JSON object", []
        if str(data.get("result", "")).lower() == "error":
            return f"WHMCS API error: {data.get('message') or 'no message given'}", []
        container = _unflatten(data).get(self.plural)
        items = container.get(self.singular, []) if isinstance(container, dict) else container
        items = [items] if isinstance(items, dict) else items
        if not isinstance(items, list):
            return f"not a WHMCS {self.plural} response: no '{self.plural}' list", []
        total = _cell(data.get("totalresults"))
        notes = []
        if total.isdigit() and int(total) > len(items):
            notes.append(f"the response holds {len(items)} of {total} {self.plural}: "
                         f"fetch every page (limitstart/limitnum) before reconciling")
        return items, notes


def _unflatten(data: dict) -> dict:
    """``{"invoices[invoice][0][id]": 1}`` -> ``{"invoices": {"invoice": [{"id": 1}]}}``."""
    nested: dict[str, dict[str, dict[int, dict]]] = {}
    for key, value in data.items():
        match = _FLAT_KEY.fullmatch(key)
        if match:
            plural, singular, position, field = match.groups()
            item = nested.setdefault(plural, {}).setdefault(singular, {})
            item.setdefault(int(position), {})[field] = value
    flat = {p: {s: [items[i] for i in sorted(items)] for s, items in group.items()}
            for p, group in nested.items()}
    return {**flat, **{k: v for k, v in data.items() if not _FLAT_KEY.fullmatch(k)}}


class WhmcsInvoicesParser(_WhmcsParser):
    """WHMCS API ``GetInvoices`` response (API reference 1.0): one :class:`Invoice` per
    invoice (number =
    ``invoicenum`` when set, else the ``id``). Also claims bare WHMCS error responses, so that
    their message becomes the quarantine reason."""

    format = "whmcs-invoices"
    kind = "invoices"
    plural, singular = "invoices", "invoice"
    fields = INVOICE_FIELDS
    build = staticmethod(_invoice)

    def identify(self, source: SourceFile) -> bool:
        head = source.head_text
        bare_error = head.lstrip().startswith("{") and bool(
            re.search(r'"result"\s*:\s*"error"', head)) and '"clients' not in head
        return self._shape(head) or bare_error


class WhmcsClientsParser(_WhmcsParser):
    """WHMCS API ``GetClients`` response (API reference 1.0): one :class:`Client` per client."""

    format = "whmcs-clients"
    kind = "clients"
    plural, singular = "clients", "client"
    fields = CLIENT_FIELDS
    build = staticmethod(_client)
