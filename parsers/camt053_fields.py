"""Element-level reading for the camt.053 parser (ISO 20022 camt.053.001.02–.08).

Everything here works on one ``Stmt`` header or one ``Ntry`` element (lxml) in the document's
namespace: amounts (``xs:decimal``, the sign is in ``CdtDbtInd``), ISODate/ISODateTime,
references, remittance text, related parties (v08 wraps them in ``Pty``) and the split of a
batch entry into its ``TxDtls``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from lxml import etree

from parsers.bank_rows import BankRow
from pipeline.identity import row_hash
from pipeline.money import (
    AmountError,
    check_amount_size,
    format_plain,
    normalize_currency,
    to_minor,
)

_DECIMAL = re.compile(r"\d+(?:\.\d*)?|\.\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.S)
_ROOT = re.compile(r"\s*<(?:([\w.-]+):)?([\w.-]+)([^>]*)>")
_NOT_PROVIDED = {"", "NOTPROVIDED", "NONREF"}


class EntryError(ValueError):
    """An entry (or balance) that cannot be read; the message is the reject reason."""


@dataclass(frozen=True)
class Unreadable:
    path: str
    reason: str
    raw: str


@dataclass(frozen=True)
class Entry:
    """The entry-level facts every record of one ``Ntry`` shares."""

    sign: int
    amount_minor: int
    currency: str
    booking_date: dt.date
    value_date: dt.date | None
    reversal: bool
    servicer_ref: str  # AcctSvcrRef
    entry_ref: str  # NtryRef
    info: str  # AddtlNtryInf
    undated: bool = False  # neither BookgDt nor ValDt: dated by its statement


    @property
    def bank_ref(self) -> str:
        return self.servicer_ref or self.entry_ref


@lru_cache(maxsize=1024)
def _compiled(ns: str, path: str, mode: str) -> etree.XPath:
    """A compiled XPath for ``path`` (``'Acct/Id/IBAN'``) in namespace ``ns``: its string value,
    its text nodes or its elements (compiled once: far cheaper than ``findtext`` per call)."""
    steps = "/".join(f"c:{step}" for step in path.split("/"))
    expression = {"string": f"string({steps})", "texts": f"{steps}/text()", "nodes": steps}[mode]
    return etree.XPath(expression, namespaces={"c": ns}, smart_strings=False)


def text(element, ns: str, path: str) -> str:
    return _compiled(ns, path, "string")(element).strip()


def texts(element, ns: str, path: str) -> list[str]:
    return [t for t in (raw.strip() for raw in _compiled(ns, path, "texts")(element)) if t]


def nodes(element, ns: str, path: str) -> list:
    return _compiled(ns, path, "nodes")(element)


def node(element, ns: str, path: str):
    found = _compiled(ns, path, "nodes")(element)
    return found[0] if found else None


def first(element, ns: str, *paths: str) -> str:
    return next((found for path in paths if (found := text(element, ns, path))), "")


def head_text(head: bytes, decoded: str) -> str:
    """The sniffing text of a file: UTF-16 (by its BOM) decoded as such, else as given."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[:len(head) - len(head) % 2].decode("utf-16", errors="replace")
    return decoded


def sniff_root(head: str) -> tuple[str, str] | None:
    """(local name, namespace) of the root element, read from the first bytes of a file."""
    pos = 0
    while match := _PROLOG.match(head, pos):
        if match.end() == pos:
            break
        pos = match.end()
    root = _ROOT.match(head, pos)
    if not root:
        return None
    prefix, local, attributes = root.groups()
    name = rf"xmlns:{re.escape(prefix)}" if prefix else r"xmlns"
    declared = re.search(rf"\b{name}\s*=\s*[\"']([^\"']*)", attributes)
    return local, declared.group(1) if declared else ""


def amount(element, currency_fallback: str | None, what: str) -> tuple[int, str]:
    """(minor units, currency) of an ``...Amt`` element with its ``Ccy`` attribute."""
    if element is None:
        raise EntryError(f"{what} has no amount")
    value = (element.text or "").strip()
    check_amount_size(value)
    if not _DECIMAL.fullmatch(value):
        raise AmountError(f"{what} amount {value!r} is not an ISO 20022 decimal")
    currency = normalize_currency(element.get("Ccy") or currency_fallback)
    return to_minor(Decimal(value), currency), currency


def sign(indicator: str, what: str) -> int:
    if indicator == "CRDT":
        return 1
    if indicator == "DBIT":
        return -1
    raise EntryError(f"{what} CdtDbtInd is {indicator!r}, not CRDT or DBIT")


def date_of(element, ns: str, what: str) -> dt.date | None:
    """``Dt`` or the local date part of ``DtTm`` inside ``element`` (``BookgDt``, ``ValDt``)."""
    if element is None:
        return None
    value = first(element, ns, "Dt", "DtTm")
    return iso_date(value, what) if value else None


def iso_date(value: str, what: str) -> dt.date:
    """The date of an ISODate, or the local date part of an ISODateTime."""
    try:
        match = _DATE.match(value)
        if not match:
            raise ValueError
        return dt.date.fromisoformat(match.group(0))
    except ValueError:
        raise EntryError(f"{what} {value!r} is not an ISO date") from None


# Where an entry without BookgDt/ValDt takes its date from, in this order (inside ``Stmt``,
# then the message's group header): the end of the reporting period, the statement's
# creation, the message's creation.
STATEMENT_DATES = ("FrToDt/ToDtTm", "CreDtTm")
GROUP_DATE = "GrpHdr/CreDtTm"


def dated_by(element, ns: str, paths: tuple[str, ...], where: str = "",
             ) -> tuple[dt.date, str] | None:
    """(date, where it was read) of the first of ``paths`` in ``element`` holding an ISO
    date or date-time (a ``Stmt``: :data:`STATEMENT_DATES`), or ``None``."""
    for path in paths:
        value = text(element, ns, path)
        try:
            if value:
                return iso_date(value, path), f"{where}{path}"
        except EntryError:
            continue
    return None


def read_entry(ntry, ns: str, account_currency: str | None,
               statement_day: dt.date | None = None) -> Entry:
    """The entry's amount, sign, currency and dates; :class:`EntryError`/``AmountError``/
    ``CurrencyError`` name what is wrong. An entry with neither ``BookgDt`` nor ``ValDt``
    is booked on ``statement_day`` (``undated`` tells the caller to warn), without one it is
    an error."""
    minor, currency = amount(node(ntry, ns, "Amt"), account_currency, "Ntry")
    direction = sign(text(ntry, ns, "CdtDbtInd"), "Ntry")
    booking = date_of(node(ntry, ns, "BookgDt"), ns, "BookgDt")
    value = date_of(node(ntry, ns, "ValDt"), ns, "ValDt")
    undated = booking is None and value is None
    if undated and statement_day is None:
        raise EntryError("entry has neither a booking date (BookgDt) nor a value date (ValDt)"
                         ", and its statement has no date either")
    return Entry(
        sign=direction, amount_minor=minor * direction, currency=currency,
        booking_date=booking or value or statement_day, value_date=value,
        reversal=text(ntry, ns, "RvslInd").lower() in ("true", "1"),
        servicer_ref=text(ntry, ns, "AcctSvcrRef"), entry_ref=text(ntry, ns, "NtryRef"),
        info=" ".join(texts(ntry, ns, "AddtlNtryInf")), undated=undated)


def entry_status(ntry, ns: str) -> str:
    """``BOOK``/``PDNG``/``INFO`` (a code in v02–v07, ``Sts/Cd`` from v08 on)."""
    return first(ntry, ns, "Sts/Cd", "Sts", "Sts/Prtry").upper()


def split_amounts(details: list, ns: str, entry: Entry) -> list[int] | str:
    """Signed minor amounts of each ``TxDtls`` when they add up to the entry, else why not."""
    amounts = []
    for number, tx in enumerate(details, 1):
        element = node(tx, ns, "Amt")
        if element is None:
            element = node(tx, ns, "AmtDtls/TxAmt/Amt")
        if element is None:
            return f"TxDtls[{number}] has no amount (Amt or AmtDtls/TxAmt/Amt)"
        try:
            minor, currency = amount(element, entry.currency, f"TxDtls[{number}]")
            direction = sign(text(tx, ns, "CdtDbtInd") or _indicator(entry.sign), "TxDtls")
        except (ValueError, EntryError) as exc:
            return str(exc)
        if currency != entry.currency:
            return f"TxDtls[{number}] is in {currency}, the entry in {entry.currency}"
        amounts.append(minor * direction)
    if sum(amounts) != entry.amount_minor:
        return (f"its {len(details)} TxDtls add up to {format_plain(sum(amounts), entry.currency)}"
                f", not the entry amount {format_plain(entry.amount_minor, entry.currency)}")
    return amounts


def _indicator(direction: int) -> str:
    return "CRDT" if direction > 0 else "DBIT"


def remittance(tx, ns: str) -> list[str]:
    """Unstructured remittance lines, structured references and additional text of a TxDtls."""
    parts = texts(tx, ns, "RmtInf/Ustrd")
    for structured in nodes(tx, ns, "RmtInf/Strd"):
        parts += texts(structured, ns, "RfrdDocInf/Nb") + texts(structured, ns, "CdtrRefInf/Ref")
        parts += texts(structured, ns, "AddtlRmtInf")
    return parts + texts(tx, ns, "AddtlTxInf")


def counterparty(tx, ns: str, direction: int) -> tuple[str, str]:
    """(name, account): the debtor of a credit, the creditor of a debit (v08: ``.../Pty``)."""
    party = "Dbtr" if direction > 0 else "Cdtr"
    name = first(tx, ns, f"RltdPties/{party}/Nm", f"RltdPties/{party}/Pty/Nm",
                 f"RltdPties/Ultmt{party}/Nm", f"RltdPties/Ultmt{party}/Pty/Nm")
    account = first(tx, ns, f"RltdPties/{party}Acct/Id/IBAN", f"RltdPties/{party}Acct/Id/Othr/Id")
    return name, account


def describe(entry: Entry, details: list, ns: str) -> str:
    """Remittance of the given TxDtls, then the entry's own text; repeats dropped."""
    parts = ["Reversal"] if entry.reversal else []
    for tx in details:
        parts += remittance(tx, ns)
    parts.append(entry.info)
    seen: list[str] = []
    for part in (" ".join(p.split()) for p in parts):
        if part and part not in seen:
            seen.append(part)
    return " / ".join(seen)


def make_row(entry: Entry, details: list, ns: str, account: str, minor: int,
             bank_key: str) -> BankRow:
    """A record's values for the whole entry (``details`` = its TxDtls) or one split TxDtls.

    Key: the bank's reference (AcctSvcrRef/NtryRef, or ``bank_key`` for a split line); else
    the payer's EndToEndId qualified with date and amount (payers reuse them); else a hash."""
    direction = 1 if minor > 0 else -1 if minor < 0 else entry.sign
    single = details[0] if len(details) == 1 else None
    name, counterparty_account = counterparty(single, ns, direction) if single is not None \
        else _common_counterparty(details, ns, direction)
    description = describe(entry, details, ns)
    end_to_end = text(single, ns, "Refs/EndToEndId") if single is not None else ""
    if bank_key:
        ref, key = bank_key, bank_key
    elif end_to_end.upper() not in _NOT_PROVIDED:
        ref, key = end_to_end, f"{end_to_end}|{entry.booking_date}|{minor}"
    else:
        ref, key = None, row_hash(account, entry.booking_date, entry.value_date, minor,
                                  entry.currency, description, name)
    return BankRow(ref, key, entry.booking_date, entry.value_date, minor, entry.currency,
               description, name, counterparty_account)


def _common_counterparty(details: list, ns: str, direction: int) -> tuple[str, str]:
    """The counterparty when all TxDtls of an unsplit entry name the same one, else none."""
    found = {counterparty(tx, ns, direction) for tx in details}
    return found.pop() if len(found) == 1 else ("", "")


def raw_xml(element) -> str:
    return etree.tostring(element, encoding="unicode", with_tail=False)[:2000]
