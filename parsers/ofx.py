"""OFX/QFX bank and card statements, OFX 1.0.2 (SGML) and 2.0-2.1.1 (XML), via ofxparse 0.21.

ofxparse does the structure: it closes SGML leaf tags, builds the element tree and finds every
``STMTRS``/``CCSTMTRS`` with all their ``STMTTRN`` (also over several ``BANKTRANLIST``).
A big file is handed to it in bounded pieces, so that time and memory grow linearly with the
file (:mod:`parsers.ofx_chunks`). Values are read from the elements as written, because
ofxparse's conversions are lossy: offset timestamps become naive UTC (we keep the local
booking date, the first eight digits of ``DTPOSTED``), ``1,500``/``$120`` are read loosely,
currencies lower-cased, and a row with an empty ``NAME`` dropped. Amounts per OFX 1.0.2
section 3.2.9.1: sign, digits, one period or comma as radix point, no grouping
(:mod:`parsers.ofx_values`). Bytes are decoded here (ofxparse reads OFX 2 bodies as ASCII);
statuses and investment statements are found in the raw text (:mod:`parsers.ofx_text`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

from parsers.base import ParseResult, SourceFile
from parsers.ofx_chunks import CHUNK_TRANSACTIONS, Statement, read_statements
from parsers.ofx_cut import CUT_FILE, mend, transaction_lines
from parsers.ofx_text import (
    INVESTMENT_REFUSAL,
    SNIFF,
    decode,
    failed_responses,
    has_investment,
    lost_transactions,
    no_statement_reason,
    raw_refusal,
)
from parsers.ofx_values import Unreadable, describe, ofx_amount, ofx_date, row_key
from pipeline.identity import stated_key, with_occurrences
from pipeline.models import BankTransaction, StatementBalance
from pipeline.money import AmountError, CurrencyError, normalize_currency, to_minor
from pipeline.record_frames import collector_paused

__all__ = ["FORMAT", "INVESTMENT_REFUSAL", "NO_STATEMENT_DATA", "OfxParser"]

FORMAT = "ofx"
NO_STATEMENT_DATA = ("no statement data: no transaction (STMTTRN) and no balance (LEDGERBAL/"
                     "AVAILBAL) in any statement (an empty or truncated file)")
_describe = describe  # the name the unit tests know


class OfxParser:
    """OFX 1.0.2 SGML / OFX 2.0-2.1.1 XML bank (STMTRS) and card (CCSTMTRS) statements via
    ofxparse 0.21: one :class:`BankTransaction` per ``STMTTRN`` (natural key = ``FITID`` per
    statement), the ``LEDGERBAL`` as a closing :class:`StatementBalance`. Investment
    statements, sign-on and statement errors, files without a statement and files whose
    statements hold neither a transaction nor a balance are refused.
    ``chunk_size``: at most this many ``STMTTRN`` per piece handed to ofxparse."""

    format = FORMAT
    kind = "bank"

    def __init__(self, chunk_size: int = CHUNK_TRANSACTIONS) -> None:
        if chunk_size < 1:
            raise ValueError("chunk_size must be at least 1")
        self.chunk_size = chunk_size

    def identify(self, source: SourceFile) -> bool:
        """An OFX header (``OFXHEADER:`` or ``<?OFX``) or an ``<OFX>`` root, whatever the name."""
        utf16 = source.head.startswith((b"\xff\xfe", b"\xfe\xff"))
        head = source.head.decode("utf-16", errors="replace") if utf16 else source.head_text
        return bool(SNIFF.search(head))

    @collector_paused()
    def parse(self, source: SourceFile) -> ParseResult:
        text, notes = decode(source.path.read_bytes())
        refusal = raw_refusal(text)
        if refusal:
            return ParseResult.refused(refusal)
        mended = mend(text)
        result = self._read(source, mended.text, notes + mended.warnings)
        if result.refusal and mended.warnings:  # refused: say that the file was cut too
            return ParseResult.refused(f"{result.refusal} ({CUT_FILE})")
        cut = [source.reject(FORMAT, block.reason, block.line, None, block.raw)
               for block in mended.cut]
        return replace(result, rejects=sorted([*cut, *result.rejects],
                                              key=lambda r: r.source_line or 0))

    def _read(self, source: SourceFile, text: str, notes: list[str]) -> ParseResult:
        """The records and rejects of a (mended) OFX text, or why it is refused."""
        try:
            statements = read_statements(text[max(text.find("<"), 0):], self.chunk_size)
        except Exception as exc:  # ofxparse fails on malformed files in many ways
            return ParseResult.refused(f"ofxparse could not read the file: "
                                       f"{type(exc).__name__}: {exc}")
        failures = failed_responses(text)
        if not statements:
            return ParseResult.refused(no_statement_reason(text, failures))
        notes += [f"statement response failed: {f}" for f in failures]
        if has_investment(text):
            notes.append("an investment statement (INVSTMTRS) was skipped: payrecon "
                         "reconciles bank and card statements only")
        lost = lost_transactions(text, sum(s.read for s in statements))
        if lost:
            return ParseResult.refused(lost)
        if not any(s.rows or s.envelope.balance for s in statements):
            return ParseResult.refused(no_statement_reason(text, failures) if failures
                                       else NO_STATEMENT_DATA)
        return _result(source, statements, notes, transaction_lines(text))


def _result(source: SourceFile, statements: list[Statement], notes: list[str],
            lines: list[list[int]]) -> ParseResult:
    records, rejects = [], []
    counters = dict.fromkeys(("stmtrs", "ccstmtrs"), 0)
    if len(lines) != len(statements):
        lines = [[] for _ in statements]
    for statement, statement_lines in zip(statements, lines, strict=True):
        counters[statement.name] += 1
        path = f"{statement.name.upper()}[{counters[statement.name]}]"
        found, refused = _read_statement(source, statement, path, notes, statement_lines)
        records += found
        rejects += refused
    return ParseResult(records=records, rejects=rejects, warnings=notes)


def _read_statement(source: SourceFile, statement: Statement, path: str, notes: list[str],
                    lines: list[int]):
    """One statement's transactions and closing balance, and its rejects (with the line of
    their ``STMTTRN`` when ``lines`` has one per row)."""
    account, rows = statement.envelope.account, statement.rows
    keys = with_occurrences(row_key(row, account, f"{path}/STMTTRN[{n}]")
                            for n, row in enumerate(rows, 1))
    notes += _repeated_fitids(rows, path, account)
    records, rejects = [], []
    lines = lines if len(lines) == len(rows) else [None] * len(rows)
    for row, key, line in zip(rows, keys, lines, strict=True):
        if isinstance(row, Unreadable):
            rejects.append(source.reject(FORMAT, row.reason, line, key, row.raw))
            continue
        records.append(BankTransaction(
            currency=row.currency, account_id=account, natural_key=key,
            booking_date=row.booking_date, value_date=row.value_date,
            amount_minor=row.amount_minor, description=describe(row.name, row.memo),
            counterparty_name=row.name, counterparty_account=row.counterparty_account,
            origin=source.origin(FORMAT, None, stated_key(key))))
    currencies = {row.currency for row in rows if not isinstance(row, Unreadable)}
    balance = _closing_balance(source, statement, currencies, path, notes)
    return records + ([balance] if balance else []), rejects


def _repeated_fitids(rows: list, path: str, account: str) -> list[str]:
    """A warning naming the FITIDs that appear more than once in one statement (OFX 2.1.1
    §11.4.3: a FITID is unique within an account); each repeat is kept as ``FITID#n``."""
    seen = Counter(row.fitid for row in rows if row.fitid)
    repeated = [f"{fitid} ({count}×)" for fitid, count in seen.items() if count > 1]
    if not repeated:
        return []
    shown = ", ".join(repeated[:5]) + (f" and {len(repeated) - 5} more" if len(repeated) > 5
                                       else "")
    return [f"{path} (account {account or 'unnamed'}): repeated FITID {shown}; each repeat "
            "is stored as FITID#n, check that the bank did not send one transaction twice"]


def _closing_balance(source: SourceFile, statement: Statement, currencies: set[str],
                     path: str, notes: list[str]) -> StatementBalance | None:
    """``LEDGERBAL`` as a closing balance; a missing or unreadable one is only a warning."""
    account, curdef, ledger = (statement.envelope.account, statement.envelope.curdef,
                               statement.envelope.ledger)
    if ledger is None:
        return None
    balamt, dtasof = ledger
    amount = ofx_amount(balamt)
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
    as_of = ofx_date(dtasof)
    return StatementBalance(
        currency=currency, account_id=account, kind="closing",
        date=as_of if isinstance(as_of, dt.date) else None, amount_minor=amount_minor,
        origin=source.origin(FORMAT, None, f"{path}/LEDGERBAL"))
