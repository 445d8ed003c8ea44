"""ISO 20022 BankToCustomerStatement, camt.053.001.02 to camt.053.001.08, read with lxml.

The XML is streamed (``iterparse`` on ``Ntry`` and ``Stmt`` end events, each element cleared
once read), without entity expansion, DTD loading or network access; a document that carries
a DOCTYPE at all is refused. Every ``Ntry`` becomes one :class:`BankTransaction`, except a
batch entry whose several ``TxDtls`` carry amounts adding up to the entry: it becomes one
record per ``TxDtls``. ``OPBD`` (else ``PRCD``) and ``CLBD`` balances become
:class:`StatementBalance` records, with the check opening + movements = closing per statement.

Sign: ``CdtDbtInd`` (CRDT in, DBIT out). ``RvslInd`` does not flip it: ISO 20022 defines the
indicator of a reversal entry as the direction of the reversal itself ("if CdtDbtInd is DBIT
and ReversalIndicator is true, the original operation was a credit"); it is noted in the
description. Entries that are not booked (``PDNG``, ``INFO``) are rejects, not money.
A balance without ``CdtDbtInd`` is a credit balance (a warning says so unless it is zero).

Dates: ``BookgDt`` (else ``ValDt``). An entry with neither (seen in camt.053.001.08 files)
is booked on its statement's date: the end of ``Stmt/FrToDt``, else ``Stmt/CreDtTm``, else
the message's ``GrpHdr/CreDtTm``; one warning per statement names the date and its source.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from lxml import etree

from parsers import camt053_fields as xml
from parsers.bank_rows import BankRow, bank_transactions
from parsers.base import ParseResult, SourceFile
from parsers.camt053_fields import EntryError, Unreadable
from pipeline.models import StatementBalance
from pipeline.money import AmountError, CurrencyError, format_plain
from pipeline.record_frames import collector_paused

FORMAT = "camt053"
DTD_REFUSAL = "XML with DTD/entities refused (possible XML bomb or external entity)"
NO_STATEMENT = "camt.053 without any statement"
_NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.(05\d)\.001\.(\d\d)")
_VERSIONS = range(2, 9)
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)\b")
_OTHER_MESSAGES = {
    "052": "camt.052 intraday report",
    "054": "camt.054 debit/credit notification",
}
_ONLY_053 = "payrecon reads end-of-day statements (camt.053) only"
_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False,
                       huge_tree=False, remove_comments=True)


class _Refused(Exception):
    """The whole document is refused; the message is the quarantine reason."""


@dataclass
class _Statement:
    index: int
    element: object
    ident: str = ""
    account: str = ""
    currency: str | None = None
    header_read: bool = False
    entries: int = 0
    day: tuple[dt.date, str] | None = None  # the statement's date and where it was read
    undated: int = 0  # entries without BookgDt/ValDt, booked on ``day``
    movements: dict[str, int] = field(default_factory=dict)  # Σ booked entries per currency
    balances: list[StatementBalance] = field(default_factory=list)


class Camt053Parser:
    """ISO 20022 camt.053.001.02–.08 via lxml (streamed, no entity expansion): one record per
    ``Ntry`` (or per ``TxDtls`` of a batch entry), OPBD/CLBD balances, balance check."""

    format = FORMAT
    kind = "bank"

    def identify(self, source: SourceFile) -> bool:
        """XML whose root namespace names a camt.05x message (camt.052/054 too, so that they
        are refused with their reason), or a ``Document`` holding a ``BkToCstmr...`` message."""
        head = xml.head_text(source.head, source.head_text)
        root = xml.sniff_root(head)
        if root is None:
            return False
        local, namespace = root
        return "camt.05" in namespace or (
            local == "Document"
            and re.search(r"<(?:[\w.-]+:)?BkToCstmr(?:Stmt|AcctRpt|DbtCdtNtfctn)\b",
                          head) is not None)

    @collector_paused()
    def parse(self, source: SourceFile) -> ParseResult:
        """Records, rejects and warnings; a refusal for DTDs, other messages, unknown
        namespaces, documents without ``Stmt`` and XML that is not well-formed."""
        try:
            return _Reader(source).read()
        except _Refused as refusal:
            return ParseResult.refused(str(refusal))
        except etree.XMLSyntaxError as exc:
            if _DECLARATION.search(source.head):  # libxml2 gave up inside the DTD
                return ParseResult.refused(DTD_REFUSAL)
            return ParseResult.refused(f"not well-formed XML: {exc}")


def _split_key(entry_ref: str, own: list[str], number: int) -> str:
    """Key of split line ``number``: its own AcctSvcrRef when that names it alone, else the
    entry's bank reference + ``/n``; '' (EndToEndId or hash decide) when there is neither."""
    mine = own[number - 1]
    if mine and mine != entry_ref and own.count(mine) == 1:
        return mine
    return f"{entry_ref}/{number}" if entry_ref else ""


class _Reader:
    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.ns = ""
        self.statements = 0
        self.rows: list[tuple[_Statement, BankRow | Unreadable]] = []
        self.records: list = []
        self.warnings: list[str] = []
        self.group_day: tuple[dt.date, str] | None = None

    def read(self) -> ParseResult:
        current: _Statement | None = None
        with self.source.path.open("rb") as handle:
            events = etree.iterparse(handle, events=("start", "end"),
                                     tag=("{*}Document", "{*}Stmt", "{*}Ntry"), **_PARSER_OPTIONS)
            for event, element in events:
                name = etree.QName(element).localname
                if event == "start" and name == "Document" and element.getparent() is None:
                    self._check_document(element)
                elif event == "start" and name == "Stmt":
                    if not self.ns:  # a Stmt under a root that is not a camt Document
                        self._check_document(element.getroottree().getroot())
                    self.statements += 1
                    self._group_date(element.getparent())
                    current = _Statement(self.statements, element)
                elif event == "end" and name == "Ntry" and current is not None:
                    self._entry(current, element)
                elif event == "end" and name == "Stmt" and current is not None:
                    self._statement_end(current)
                    current = None
            self._check_document(events.root)
        if not self.statements:
            raise _Refused(NO_STATEMENT)
        return self._result()

    def _check_document(self, root) -> None:
        """Refuse DTDs, other camt messages, unknown namespaces and versions."""
        if root is None:
            raise _Refused("empty XML document")
        docinfo = root.getroottree().docinfo
        if docinfo.internalDTD is not None or docinfo.doctype:
            raise _Refused(DTD_REFUSAL)
        qname = etree.QName(root)
        match = _NAMESPACE.fullmatch(qname.namespace or "")
        if match and match[1] in _OTHER_MESSAGES:
            raise _Refused(f"{_OTHER_MESSAGES[match[1]]}: {_ONLY_053}")
        if not match or match[1] != "053":
            raise _Refused(f"unknown namespace {qname.namespace or '(none)'!r}: not an ISO 20022 "
                           f"camt.053 statement (root element {qname.localname})")
        if int(match[2]) not in _VERSIONS:
            raise _Refused(f"camt.053.001.{match[2]} is not supported: payrecon reads "
                           "camt.053.001.02 to camt.053.001.08")
        self.ns = qname.namespace

    def _group_date(self, message) -> None:
        """The message's ``GrpHdr/CreDtTm`` (complete before its first ``Stmt`` starts, and
        kept: the header is dropped once a statement has been read)."""
        if self.group_day is None and message is not None:
            self.group_day = xml.dated_by(message, self.ns, (xml.GROUP_DATE,))

    def _header(self, statement: _Statement) -> None:
        """Id, account and balances: all precede the first ``Ntry`` in every version."""
        if statement.header_read:
            return
        stmt, ns = statement.element, self.ns
        statement.ident = xml.text(stmt, ns, "Id") or f"Stmt[{statement.index}]"
        statement.account = xml.first(stmt, ns, "Acct/Id/IBAN", "Acct/Id/Othr/Id")
        statement.currency = xml.text(stmt, ns, "Acct/Ccy") or None
        statement.day = xml.dated_by(stmt, ns, xml.STATEMENT_DATES, "Stmt/") or self.group_day
        statement.header_read = True
        statement.balances = self._balances(statement)
        self.records += statement.balances

    def _entry(self, statement: _Statement, ntry) -> None:
        self._header(statement)
        statement.entries += 1
        path = f"Stmt[{statement.index}]/Ntry[{statement.entries}]"
        for row in self._rows(statement, ntry, path):
            self.rows.append((statement, row))
            if isinstance(row, BankRow):
                movements = statement.movements
                movements[row.currency] = movements.get(row.currency, 0) + row.amount_minor
        ntry.clear()
        while ntry.getprevious() is not None:
            del ntry.getparent()[0]

    def _rows(self, statement: _Statement, ntry, path: str) -> list[BankRow | Unreadable]:
        """One row per entry, or one per TxDtls of a batch whose amounts add up."""
        ns = self.ns
        status = xml.entry_status(ntry, ns)
        if status not in ("", "BOOK"):
            return [Unreadable(path, f"entry status {status} (not booked): not ingested",
                               xml.raw_xml(ntry))]
        try:
            entry = xml.read_entry(ntry, ns, statement.currency,
                                   statement.day[0] if statement.day else None)
        except (EntryError, AmountError, CurrencyError) as exc:
            return [Unreadable(path, str(exc), xml.raw_xml(ntry))]
        statement.undated += entry.undated
        details = xml.nodes(ntry, ns, "NtryDtls/TxDtls")
        if len(details) > 1:
            split = xml.split_amounts(details, ns, entry)
            if isinstance(split, list):
                own = [xml.text(tx, ns, "Refs/AcctSvcrRef") for tx in details]
                return [xml.make_row(entry, [tx], ns, statement.account, minor,
                                     _split_key(entry.bank_ref, own, number))
                        for number, (tx, minor) in enumerate(zip(details, split, strict=True), 1)]
            self.warnings.append(f"{path}: batch entry kept as one record: {split}")
        own = xml.text(details[0], ns, "Refs/AcctSvcrRef") if len(details) == 1 else ""
        bank_key = entry.servicer_ref or own or entry.entry_ref
        return [xml.make_row(entry, details, ns, statement.account, entry.amount_minor, bank_key)]

    def _statement_end(self, statement: _Statement) -> None:
        self._header(statement)
        self._check_balances(statement)
        if statement.undated:
            day, where = statement.day
            self.warnings.append(
                f"statement {statement.ident}: {statement.undated} entries without a booking or "
                f"value date (BookgDt/ValDt) booked on the statement's date {day} ({where})")
        element = statement.element
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]

    def _balances(self, statement: _Statement) -> list[StatementBalance]:
        """OPBD (else PRCD) as opening, CLBD as closing; CLAV, ITBD, ... are not used."""
        by_code: dict[str, tuple[int, object]] = {}
        for number, bal in enumerate(xml.nodes(statement.element, self.ns, "Bal"), 1):
            code = xml.text(bal, self.ns, "Tp/CdOrPrtry/Cd").upper()
            by_code.setdefault(code, (number, bal))
        found = []
        for kind, codes in (("opening", ("OPBD", "PRCD")), ("closing", ("CLBD",))):
            code = next((c for c in codes if c in by_code), None)
            if code is None:
                continue
            number, bal = by_code[code]
            try:
                minor, currency = xml.amount(xml.node(bal, self.ns, "Amt"),
                                             statement.currency, f"Bal {code}")
                indicator = xml.text(bal, self.ns, "CdtDbtInd")
                minor *= xml.sign(indicator or "CRDT", f"Bal {code}")
                if not indicator and minor:
                    self.warnings.append(f"statement {statement.ident}: Bal[{number}] {code} has "
                                         "no CdtDbtInd: read as a credit balance")
                when = xml.date_of(xml.node(bal, self.ns, "Dt"), self.ns, "Bal/Dt")
            except (EntryError, AmountError, CurrencyError) as exc:
                self.warnings.append(f"statement {statement.ident}: Bal[{number}] {code} not "
                                     f"recorded: {exc}")
                continue
            found.append(StatementBalance(
                currency=currency, account_id=statement.account, kind=kind, date=when,
                amount_minor=minor,
                origin=self.source.origin(FORMAT, None, f"{statement.ident}:{code}")))
        return found

    def _check_balances(self, statement: _Statement) -> None:
        """Warn when opening + Σ entries != closing; the statement is ingested regardless."""
        mine = {b.kind: b for b in statement.balances}
        opening, closing = mine.get("opening"), mine.get("closing")
        if closing is None:
            self.warnings.append(f"statement {statement.ident}: no closing balance (CLBD); "
                                 "opening + movements = closing not checked")
            return
        if opening is None:
            return
        currency = closing.currency
        movements = statement.movements.get(currency, 0)
        if opening.amount_minor + movements != closing.amount_minor:
            self.warnings.append(
                f"statement {statement.ident}: opening "
                f"{format_plain(opening.amount_minor, currency)} + movements "
                f"{format_plain(movements, currency)} != closing "
                f"{format_plain(closing.amount_minor, currency)} {currency}")

    def _result(self) -> ParseResult:
        readable = [(statement.account, row) for statement, row in self.rows
                    if isinstance(row, BankRow)]
        records, repeats = bank_transactions(self.source, FORMAT, readable)
        rejects = [self.source.reject(FORMAT, row.reason, None, row.path, row.raw)
                   for _, row in self.rows if isinstance(row, Unreadable)]
        return ParseResult(records=[*records, *self.records], rejects=rejects,
                           warnings=self.warnings + repeats)
