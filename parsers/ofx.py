"""OFX/QFX bank and card statements, OFX 1.0.2 (SGML) and 2.0-2.1.1 (XML), via ofxparse 0.21.

ofxparse does the structure: it closes SGML leaf tags, builds the element tree and finds every
``STMTRS``/``CCSTMTRS`` with all their ``STMTTRN`` (also over several ``BANKTRANLIST``).
Values are read from the elements as written, because ofxparse's conversions are lossy:
offset timestamps become naive UTC (we keep the local booking date, the first eight digits
of ``DTPOSTED``), ``1,500``/``$120`` are read loosely, currencies lower-cased, and a row with
an empty ``NAME`` dropped. Amounts per OFX 1.0.2 section 3.2.9.1: sign, digits, one period
or comma as radix point, no grouping. Bytes are decoded here (ofxparse reads OFX 2 bodies
as ASCII); statuses and investment statements are found in the raw text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
from dataclasses import dataclass
from decimal import Decimal

import ofxparse

from parsers.base import ParseResult, SourceFile
from pipeline.identity import row_hash, with_occurrences
from pipeline.models import BankTransaction, StatementBalance
from pipeline.money import AmountError, CurrencyError, normalize_currency, parse_amount, to_minor

FORMAT = "ofx"
INVESTMENT_REFUSAL = "investment statement: payrecon reconciles bank and card statements only"

_SNIFF = re.compile(r"(?:^|>)\s*(?:OFXHEADER\s*:|<\?OFX\b|<OFX>)", re.I | re.M)
_OFX_AMOUNT = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")
_STATEMENT_TAGS = ("stmtrs", "ccstmtrs")


class _ElementKeepingOfxParser(ofxparse.OfxParser):
    """ofxparse's own parser, but each statement keeps its element and each ``STMTTRN`` stays
    the element itself, so that values can be read as written (see the module docstring)."""

    @classmethod
    def parseTransaction(cls, txn_ofx):  # ofxparse's hook name
        return txn_ofx

    @classmethod
    def parseStatement(cls, stmt_ofx):  # ofxparse's hook name
        statement = super().parseStatement(stmt_ofx)
        statement.element = stmt_ofx
        return statement


@dataclass(frozen=True)
class _Row:
    """One readable ``STMTTRN``; the natural key is settled per statement afterwards."""

    fitid: str
    booking_date: dt.date
    value_date: dt.date | None
    amount_minor: int
    currency: str
    name: str
    memo: str
    counterparty_account: str


@dataclass(frozen=True)
class _Unreadable:
    """A ``STMTTRN`` that cannot become a record: why, and the element as text."""

    fitid: str
    reason: str
    raw: str


class OfxParser:
    """OFX 1.0.2 SGML / OFX 2.0-2.1.1 XML bank (STMTRS) and card (CCSTMTRS) statements via
    ofxparse 0.21: one :class:`BankTransaction` per ``STMTTRN`` (natural key = ``FITID`` per
    statement), the ``LEDGERBAL`` as a closing :class:`StatementBalance`. Investment
    statements, sign-on and statement errors and files without a statement are refused."""

    format = FORMAT
    kind = "bank"

    def identify(self, source: SourceFile) -> bool:
        """An OFX header (``OFXHEADER:`` or ``<?OFX``) or an ``<OFX>`` root, whatever the name."""
        utf16 = source.head.startswith((b"\xff\xfe", b"\xfe\xff"))
        head = source.head.decode("utf-16", errors="replace") if utf16 else source.head_text
        return bool(_SNIFF.search(head))

    def parse(self, source: SourceFile) -> ParseResult:
        text, notes = _decode(source.path.read_bytes())
        refusal = _raw_refusal(text)
        if refusal:
            return ParseResult.refused(refusal)
        payload = b"ENCODING:UTF-8\n\n" + text[max(text.find("<"), 0):].encode("utf-8")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # bs4's findAll and XMLParsedAsHTML warnings
                ofx = _ElementKeepingOfxParser.parse(io.BytesIO(payload), fail_fast=False)
        except Exception as exc:  # ofxparse fails on malformed files in many ways
            return ParseResult.refused(f"ofxparse could not read the file: "
                                       f"{type(exc).__name__}: {exc}")
        statements = [a.statement for a in ofx.accounts
                      if getattr(a.statement, "element", None) is not None
                      and a.statement.element.name in _STATEMENT_TAGS]
        failures = _failed_responses(text)
        if not statements:
            return ParseResult.refused(_no_statement_reason(text, failures))
        notes += [f"statement response failed: {f}" for f in failures]
        if re.search(r"<INVSTMTRS>", text, re.I):
            notes.append("an investment statement (INVSTMTRS) was skipped: payrecon "
                         "reconciles bank and card statements only")
        lost = _lost_transactions(text, sum(1 for s in statements for t in s.transactions
                                            if t.find(True) is not None))
        if lost:
            return ParseResult.refused(lost)
        records, rejects = [], []
        counters = dict.fromkeys(_STATEMENT_TAGS, 0)
        for statement in statements:
            counters[statement.element.name] += 1
            path = f"{statement.element.name.upper()}[{counters[statement.element.name]}]"
            found, refused = _read_statement(source, statement, path, notes)
            records += found
            rejects += refused
        return ParseResult(records=records, rejects=rejects, warnings=notes)


def _read_statement(source: SourceFile, statement, path: str, notes: list[str]):
    """One statement's transactions and closing balance, and its rejects."""
    element = statement.element
    account = _text(element.find("bankacctfrom") or element.find("ccacctfrom"), "acctid") or ""
    curdef = _text(element, "curdef") or ""
    rows = [_read_row(el, curdef) for el in statement.transactions]  # every STMTTRN element
    keys = with_occurrences(_row_key(row, account, f"{path}/STMTTRN[{n}]")
                            for n, row in enumerate(rows, 1))
    records, rejects = [], []
    for row, key in zip(rows, keys, strict=True):
        if isinstance(row, _Unreadable):
            rejects.append(source.reject(FORMAT, row.reason, None, key, row.raw))
            continue
        records.append(BankTransaction(
            currency=row.currency, account_id=account, natural_key=key,
            booking_date=row.booking_date, value_date=row.value_date,
            amount_minor=row.amount_minor, description=_describe(row.name, row.memo),
            counterparty_name=row.name, counterparty_account=row.counterparty_account,
            origin=source.origin(FORMAT, None, key)))
    currencies = {row.currency for row in rows if isinstance(row, _Row)}
    balance = _closing_balance(source, element, account, curdef, currencies, path, notes)
    return records + ([balance] if balance else []), rejects


def _read_row(el, curdef: str) -> _Row | _Unreadable:
    """A readable transaction, or why it cannot be read."""
    fields = _leaves(el)
    fitid = fields.get("fitid", "")
    booking_date = _ofx_date(fields.get("dtposted"))
    amount = _ofx_amount(fields.get("trnamt"))
    # A CURRENCY aggregate states the currency the amount is in (OFX 1.0.2 section 5.2);
    # ORIGCURRENCY only names where it was converted from, so the amount stays in CURDEF.
    currency_text = fields.get("currency/cursym") or curdef
    problems = [f"{what} {problem}" for what, problem in
                (("DTPOSTED (posting date)", booking_date), ("TRNAMT (amount)", amount))
                if isinstance(problem, str)]
    if not currency_text:
        problems.append("no currency: CURDEF is empty and the transaction has no CURRENCY/CURSYM")
    if not problems:
        try:
            currency = normalize_currency(currency_text)
            amount_minor = to_minor(amount, currency)
        except (AmountError, CurrencyError) as exc:
            problems.append(str(exc))
    if problems:
        return _Unreadable(fitid=fitid, reason="; ".join(problems), raw=str(el))
    value_date = _ofx_date(fields.get("dtavail"))
    return _Row(fitid=fitid, booking_date=booking_date,
                value_date=value_date if isinstance(value_date, dt.date) else None,
                amount_minor=amount_minor, currency=currency, name=fields.get("name", ""),
                memo=fields.get("memo", ""),
                counterparty_account=fields.get("bankacctto/acctid")
                or fields.get("ccacctto/acctid", ""))


def _leaves(el) -> dict[str, str]:
    """Own text of each element under ``el`` by name and by ``parent/name`` (first wins):
    one pass over the transaction instead of a search per field."""
    fields: dict[str, str] = {}
    for tag in el.find_all(True):
        value = _own(tag)
        fields.setdefault(tag.name, value)
        fields.setdefault(f"{tag.parent.name}/{tag.name}", value)
    return fields


def _row_key(row: _Row | _Unreadable, account: str, path: str) -> str:
    """FITID; else a hash of the row; an unreadable row without FITID is named by its path."""
    if row.fitid:
        return row.fitid
    if isinstance(row, _Unreadable):
        return path
    return row_hash(account, row.booking_date.isoformat(), row.amount_minor, row.currency,
                    row.name, row.memo)


def _closing_balance(source: SourceFile, element, account: str, curdef: str,
                     currencies: set[str], path: str, notes: list[str]):
    """``LEDGERBAL`` as a closing balance; a missing or unreadable one is only a warning."""
    ledger = element.find("ledgerbal")
    if ledger is None:
        return None
    amount = _ofx_amount(_text(ledger, "balamt"))
    currency = curdef or (next(iter(currencies)) if len(currencies) == 1 else "")
    try:
        if isinstance(amount, str):
            raise AmountError(f"LEDGERBAL BALAMT {amount}")
        currency = normalize_currency(currency) if currency else ""
        if not currency:
            raise CurrencyError("LEDGERBAL has no currency (CURDEF is empty)")
        amount_minor = to_minor(amount, currency)
    except (AmountError, CurrencyError) as exc:
        notes.append(f"{path} (account {account or 'unnamed'}): no closing balance: {exc}")
        return None
    as_of = _ofx_date(_text(ledger, "dtasof"))
    return StatementBalance(
        currency=currency, account_id=account, kind="closing",
        date=as_of if isinstance(as_of, dt.date) else None, amount_minor=amount_minor,
        origin=source.origin(FORMAT, None, f"{path}/LEDGERBAL"))


def _text(parent, name: str) -> str | None:
    """Own text of ``parent``'s first ``name`` element (``None`` when absent); only direct
    strings count, as an unclosed SGML leaf may swallow its following siblings."""
    found = parent.find(name) if parent is not None else None
    return None if found is None else _own(found)


def _own(tag) -> str:
    return "".join(tag.find_all(string=True, recursive=False)).strip()


def _ofx_date(text: str | None) -> dt.date | str:
    """The local date of an OFX date-time (its first eight digits), or what is wrong."""
    match = re.match(r"(\d{4})(\d{2})(\d{2})", text or "")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except (AttributeError, ValueError):  # no match, or no such day
        return f"{text!r} is not a valid date (YYYYMMDD...)" if text else "is missing or empty"


def _ofx_amount(text: str | None) -> Decimal | str:
    """An OFX amount (sign, digits, one period or comma radix point), or what is wrong."""
    if not text:
        return "is missing or empty"
    if _OFX_AMOUNT.fullmatch(text):
        return Decimal(text.replace(",", "."))
    if re.fullmatch(r"[+-]?[\d.,]+", text) and "." in text and "," in text:
        try:  # digit grouping is not OFX, but 1.234,56 / 1,234.56 read only one way
            return parse_amount(text)
        except AmountError:
            pass
    return f"{text!r} is not an OFX amount (sign, digits and one decimal point only)"


def _describe(name: str, memo: str) -> str:
    """NAME and MEMO as one text, without repeating one that the other already contains."""
    if not memo or memo in name:
        return name
    if not name or name in memo:
        return memo
    return f"{name} / {memo}"


def _decode(data: bytes) -> tuple[str, list[str]]:
    """The file as text: BOM, else UTF-8, else the declared charset, else Windows-1252."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace"), []
    declared = re.search(rb"encoding=[\"']([\w.-]+)|CHARSET:\s*([\w.-]+)", data[:4096], re.I)
    charset = (declared.group(1) or declared.group(2)).decode() if declared else ""
    charset = {"1252": "cp1252", "8859-1": "latin-1", "NONE": ""}.get(charset.upper(), charset)
    for codec in ("utf-8-sig", charset, "cp1252"):
        try:
            return data.decode(codec), []
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1"), ["not valid UTF-8 or Windows-1252: read as Latin-1"]


def _status(block: str) -> tuple[str, str, str] | None:
    """(code, severity, message) of the first ``STATUS`` aggregate in ``block``."""
    match = re.search(r"<STATUS>(.*?)</STATUS>", block, re.I | re.S)
    if not match:
        return None
    fields = [re.search(rf"<{tag}>\s*([^<]*)", match.group(1), re.I)
              for tag in ("CODE", "SEVERITY", "MESSAGE")]
    code, severity, message = (f.group(1).strip() if f else "" for f in fields)
    return code, severity.upper(), message


def _raw_refusal(text: str) -> str | None:
    """Refusals that need no parsing: a failed sign-on, an investment-only statement."""
    signon = re.search(r"<SONRS>(.*?)</SONRS>", text, re.I | re.S)
    code, severity, message = (_status(signon.group(1)) if signon else None) or ("", "", "")
    if code.lstrip("0"):  # 0 is success; any other code is a failed sign-on
        return f"sign-on failed: code {code} ({severity or 'no severity'}): " \
               f"{message or 'no message'}"
    if re.search(r"<INVSTMTRS>", text, re.I) and not re.search(r"<(?:CC)?STMTRS>", text, re.I):
        return INVESTMENT_REFUSAL
    return None


def _failed_responses(text: str) -> list[str]:
    """Statement responses (STMTTRNRS/CCSTMTTRNRS) whose status severity is ERROR."""
    failed = []
    for match in re.finditer(r"<(?:CC)?STMTTRNRS>", text, re.I):
        block = re.split(r"<(?:CC)?STMTRS>|</(?:CC)?STMTTRNRS>",
                         text[match.end():match.end() + 4096], maxsplit=1, flags=re.I)[0]
        status = _status(block)
        if status and status[1] == "ERROR":
            failed.append(f"code {status[0]} (ERROR): {status[2] or 'no message'}")
    return failed


def _lost_transactions(text: str, read: int) -> str | None:
    """Why the file is broken when ofxparse's tree does not hold every written STMTTRN (a
    truncated file: unclosed aggregates come back empty, their transactions lost)."""
    if not re.search(r"</OFX>", text, re.I):
        return "truncated or broken file: the closing </OFX> tag is missing"
    if re.search(r"<INVSTMTRS>", text, re.I):  # its cash STMTTRNs are not statement rows
        return None
    written = len(re.findall(r"<STMTTRN>", re.sub(r"<!--.*?-->", "", text, flags=re.S), re.I))
    if written != read:
        return (f"broken file structure: {written} STMTTRN elements written, {read} inside a "
                "statement with content (truncated, or unclosed aggregates)")
    return None


def _no_statement_reason(text: str, failures: list[str]) -> str:
    if failures:
        return "statement request failed: " + "; ".join(failures)
    if re.search(r"<ACCTINFORS>", text, re.I):
        return "account information listing (ACCTINFORS), not a statement: nothing to reconcile"
    return "no bank or credit-card statement (STMTRS/CCSTMTRS) in the file"
