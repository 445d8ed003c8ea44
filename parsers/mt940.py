"""SWIFT MT940 customer statements, parsed through the mt-940 package (5.x).

One :class:`BankTransaction` per ``:61:`` statement line, with its ``:86:`` information;
opening (``:60F:``/``:60M:``) and closing (``:62F:``/``:62M:``) balances per statement as
:class:`StatementBalance`, and the check opening + movements = closing per statement as a
warning. Several statements per file (one per ``:20:``) are cut apart here, so each keeps its
own balances and every ``:61:`` its physical line. A ``:61:`` the package cannot read is a
reject; the rest of the statement is kept. MT942 interim reports are refused.

Amounts, dates and balance currencies are read from the raw text first (``mt940_raw``): the
package cuts an amount written with a decimal point, moves 30 February and takes digits for a
missing currency. A decimal point is read when the whole file writes one; an amount that cannot
be read exactly or an impossible date (with no other date of the line to use) is a reject. A
``:61:`` without its transaction type code is read (with a warning on the file) when its amount
is complete and a closing balance checks it. Text is decoded by ``textcodec`` (UTF-8, else the
detected code page, e.g. CP852), with a warning naming the encoding when control characters
remain.

Signs follow the ``:61:`` mark: ``C`` and ``RD`` (reversal of a debit) are money in, ``D``
and ``RC`` (reversal of a credit) money out. Natural key: the bank reference after ``//``;
else the customer reference (the account owner's reference, not unique on its own, so it is
qualified with the booking date and amount); else a hash of the line (+ occurrence).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from parsers import mt940_fields as text_fields
from parsers import mt940_package as package
from parsers import mt940_raw as raw_fields
from parsers.bank_rows import BankRow, bank_transactions
from parsers.base import ParseResult, SourceFile
from parsers.mt940_fields import Block, Field
from parsers.mt940_raw import StatementLine
from pipeline.identity import row_hash
from pipeline.models import StatementBalance
from pipeline.money import AmountError, CurrencyError, format_plain, normalize_currency, to_minor
from pipeline.record_frames import collect_young, collector_paused

FORMAT = "mt940"
MT942_REFUSAL = ("MT942 interim transaction report: payrecon reads end-of-day statements "
                 "(MT940) only")
_OPENING = ("final_opening_balance", "intermediate_opening_balance", "opening_balance")
_CLOSING = ("final_closing_balance", "intermediate_closing_balance", "closing_balance")
_BALANCE_IDS = ("60", "62", "64", "65")
_NO_REF = {"", "NONREF", "NOTPROVIDED"}
_FIRST_20 = re.compile(r"^(?:\{1:.*\{4:)?:20:", re.M)


@dataclass(frozen=True)
class _Unreadable:
    line: int
    reason: str
    raw: str


@dataclass
class _Statement:
    """What one ``:20:`` block yields before records are built."""

    label: str  # names the statement in warnings: :20: [:28C:] (line n)
    account: str
    rows: list[BankRow | _Unreadable]
    balances: list[StatementBalance]
    untyped: list[int]  # lines of :61: without a transaction type code


class Mt940Parser:
    """SWIFT MT940 via mt-940 5.x: several statements per file, ``:61:`` + ``:86:`` per
    transaction, balances per statement with the opening + movements = closing check."""

    format = FORMAT
    kind = "bank"

    def identify(self, source: SourceFile) -> bool:
        """``:20:`` near the start, then ``:25:`` and a balance, ``:61:`` or MT942 tag."""
        text = text_fields.clean(source.head_text)
        first = _FIRST_20.search(text, 0, 4096)
        return (first is not None and "\n:25:" in text
                and any(f"\n:{tag}:" in text for tag in ("60F", "60M", "61", "13D", "34F")))

    @collector_paused()
    def parse(self, source: SourceFile) -> ParseResult:
        """Statements, transactions and balances; refusal for MT942 or no statement at all."""
        decoded = text_fields.decode(source.path.read_bytes())
        text = text_fields.clean(decoded.text)
        if text_fields.is_mt942(text):
            return ParseResult.refused(MT942_REFUSAL)
        blocks, stray = text_fields.split_blocks(text)
        if not blocks:
            return ParseResult.refused("no MT940 statement: no :20: transaction reference tag")
        warnings = [decoded.warning] if decoded.warning else []
        warnings += [f"line {line}: ignored {content!r} before the first :20:"
                     for line, content in stray]
        separator = raw_fields.separator([f for block in blocks for f in block.fields])
        statements = []
        for block in blocks:
            statements.append(_read_block(source, block, separator, warnings))
            collect_young()  # the library's objects of this statement (cycles)
        untyped = [line for statement in statements for line in statement.untyped]
        if untyped:
            warnings.append(f"{len(untyped)} :61: line(s) without a transaction type code "
                            "(such as NTRF), read with the code left empty: line(s) "
                            + ", ".join(map(str, untyped)))
        return _result(source, statements, warnings)


def _result(source: SourceFile, statements: list[_Statement], warnings: list[str]) -> ParseResult:
    records: list = []
    rejects = []
    transactions, repeats = bank_transactions(
        source, FORMAT, [(st.account, row) for st in statements for row in st.rows
                         if isinstance(row, BankRow)])
    made = iter(transactions)
    for statement in statements:
        for row in statement.rows:
            if isinstance(row, _Unreadable):
                rejects.append(source.reject(FORMAT, row.reason, row.line, None, row.raw))
            else:
                records.append(next(made))
        records += statement.balances
    return ParseResult(records=records, rejects=rejects, warnings=warnings + repeats)


def _read_block(source: SourceFile, block: Block, separator: str,
                warnings: list[str]) -> _Statement:
    """One statement: amounts, dates and currencies read from the raw text, the package parses
    the tags handed to it, we map them to rows and balances."""
    kept, groups = text_fields.arrange(block, warnings)
    reference = next((f.value.strip() for f in kept if f.tag == "20"), "")
    number = next((f.value.strip() for f in kept if f.tag.startswith("28")), "")
    label = f"{reference}{' ' + number if number else ''} (line {block.line})"
    ref = f"{reference}/{number}" if number else reference
    account = _account(kept)
    lines = [raw_fields.read_61(group[0], separator) for group in groups]
    kept = _readable_balances(kept, separator, label, warnings)
    parsed = package.parse_whole(kept, len(groups))
    if parsed is not None:
        data, details = parsed.data, [t.data for t in parsed.transactions]
    else:
        data, details = package.parse_piecewise(kept, groups, label, warnings)
    currency = _statement_currency(data) or raw_fields.statement_currency(kept)
    closed = any(f.tag.startswith("62") for f in block.fields)
    rows = [_row(group, item, line, currency, account, closed)
            for group, item, line in zip(groups, details, lines, strict=True)]
    warnings += [line.note for line, row in zip(lines, rows, strict=True)
                 if line.note and isinstance(row, BankRow)]
    untyped = [row.line for row, item in zip(rows, details, strict=True)
               if isinstance(row, BankRow) and isinstance(item, dict) and not item.get("id")]
    balances = _balances(source, data, account, block, (label, ref), warnings)
    _check_balances(label, balances, rows, warnings)
    if not closed:
        warnings.append(f"truncated: statement {label}: no closing balance (:62F:/:62M:)")
        rows = _without_last_line(rows, groups)
    return _Statement(label, account, rows, balances, untyped)


def _without_last_line(rows: list, groups: list[list[Field]]) -> list:
    """A statement cut short ends inside its last ``:61:`` or ``:86:``: that line may read
    as a shorter reference or text (a different natural key), so it is a reject, and the
    complete statement stores it once when it arrives."""
    if not rows or not isinstance(rows[-1], BankRow):
        return rows
    group = groups[-1]
    reason = ("truncated: the statement ends without its closing balance (:62F:), so its "
              "last :61: may be cut short")
    return [*rows[:-1], _Unreadable(group[0].line, reason, "\n".join(f.raw for f in group))]


def _readable_balances(kept: list[Field], separator: str, label: str,
                       warnings: list[str]) -> list[Field]:
    """``kept`` without the balance tags whose amount, date or currency cannot be read."""
    currency = raw_fields.statement_currency(kept)
    readable = []
    for item in kept:
        if item.tag[:2] in raw_fields.AMOUNT_TAGS and item.tag != "61":
            problem = raw_fields.read_balance(item, separator, currency)
            if problem:
                warnings.append(f"statement {label}: :{item.tag}: at line {item.line} "
                                f"not recorded: {problem}")
                continue
        readable.append(item)
    return readable


def _account(fields: list[Field]) -> str:
    """``:25:`` without a trailing currency (``NL34RABO0142623393 EUR`` -> the IBAN)."""
    value = next((f.value.strip() for f in fields if f.tag == "25"), "")
    head, _, tail = value.rpartition(" ")
    return head.strip() if head and len(tail) == 3 and tail.isalpha() else value


def _statement_currency(data: dict) -> str | None:
    for name in (*_OPENING, *_CLOSING, "available_balance", "forward_available_balance"):
        balance = data.get(name)
        currency = getattr(getattr(balance, "amount", None), "currency", None)
        if currency:
            return currency
    return None


def _row(group: list[Field], data: dict | str, read: StatementLine, currency: str | None,
         account: str, closed: bool) -> BankRow | _Unreadable:
    """A record: amount and dates as read from the raw ``:61:``, the rest from the package's
    transaction data; or why the line is unreadable. A line without its transaction type code
    is read when its amount is complete (has its decimal separator) and a closing balance can
    check it; else it may have been cut short."""
    line, raw = group[0].line, "\n".join(f.raw for f in group)
    if read.problem or read.amount is None:
        return _Unreadable(line, read.problem or ":61: no amount", raw)
    if isinstance(data, str):
        return _Unreadable(line, f"unreadable :61: statement line: {data}", raw)
    if abs(data["amount"].amount) != read.amount:  # the package cut or misplaced the amount
        return _Unreadable(line, f":61: the amount could not be read exactly ({read.amount} "
                                 f"written, {abs(data['amount'].amount)} read)", raw)
    if not data.get("id") and not (read.separated and closed):
        why = "no decimal separator" if not read.separated else "no closing balance to check it"
        return _Unreadable(line, "unreadable :61: statement line: no transaction type code "
                                 f"(such as NTRF) after the amount and {why}: truncated or "
                                 "malformed", raw)
    amount = read.amount * read.sign
    if not (data.get("currency") or currency):
        return _Unreadable(line, ":61: has no currency: the statement has no balance tag "
                                 "(:60F:/:62F:) stating one", raw)
    try:
        code = normalize_currency(data.get("currency") or currency)
        amount_minor = to_minor(amount, code)
    except (AmountError, CurrencyError) as exc:
        return _Unreadable(line, f":61: {exc}", raw)
    value_date, booking_date = read.value_date, read.entry_date or read.value_date
    description, name, counterparty = text_fields.describe(group, data)
    bank_ref = (data.get("bank_reference") or "").strip()
    customer_ref = (data.get("customer_reference") or "").strip()
    if bank_ref.upper() not in _NO_REF:
        ref, key = bank_ref, bank_ref
    elif customer_ref.upper() not in _NO_REF:
        ref, key = customer_ref, f"{customer_ref}|{booking_date}|{amount_minor}"
    else:
        ref, key = None, row_hash(account, booking_date, value_date, amount_minor, code,
                                  description)
    return BankRow(ref, key, booking_date, value_date, amount_minor, code, description,
                   name, counterparty, line=line)


def _plain_date(value: dt.date) -> dt.date:
    return dt.date(value.year, value.month, value.day)


def _balances(source: SourceFile, data: dict, account: str, block: Block,
              names: tuple[str, str], warnings: list[str]) -> list[StatementBalance]:
    """The first of :60F:/:60M:/:60: as opening and of :62F:/:62M:/:62: as closing."""
    label, ref = names
    lines = {f.tag: f.line for f in block.fields if f.tag[:2] in _BALANCE_IDS}
    found = []
    for kind, candidates in (("opening", _OPENING), ("closing", _CLOSING)):
        name = next((n for n in candidates if data.get(n) is not None), None)
        if name is None:
            continue
        balance = data[name]
        tag = {"final": "F", "intermediate": "M"}.get(name.split("_")[0], "")
        tag = ("60" if kind == "opening" else "62") + tag
        try:
            currency = normalize_currency(balance.amount.currency)
            minor = to_minor(balance.amount.amount, currency)
        except (AmountError, CurrencyError, AttributeError) as exc:
            warnings.append(f"statement {label}: :{tag}: balance not recorded: {exc}")
            continue
        found.append(StatementBalance(
            currency=currency, account_id=account, kind=kind,
            date=_plain_date(balance.date) if balance.date else None, amount_minor=minor,
            origin=source.origin(FORMAT, lines.get(tag), f"{ref}:{tag}")))
    return found


def _check_balances(label: str, balances: list[StatementBalance], rows: list,
                    warnings: list[str]) -> None:
    """Warn when opening + Σ ``:61:`` != closing (the statement is still ingested)."""
    by_kind = {b.kind: b for b in balances}
    opening, closing = by_kind.get("opening"), by_kind.get("closing")
    if opening is None or closing is None:
        return
    currency = closing.currency
    movements = sum(r.amount_minor for r in rows
                    if isinstance(r, BankRow) and r.currency == currency)
    if opening.amount_minor + movements == closing.amount_minor:
        return
    unread = sum(1 for r in rows if isinstance(r, _Unreadable))
    note = f" ({unread} unreadable :61: not counted)" if unread else ""
    warnings.append(
        f"statement {label}: opening {format_plain(opening.amount_minor, currency)} + movements "
        f"{format_plain(movements, currency)} != closing "
        f"{format_plain(closing.amount_minor, currency)} {currency}{note}")
