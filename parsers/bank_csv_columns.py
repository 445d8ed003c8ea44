"""A bank CSV statement read a column at a time: what
:meth:`parsers.bank_csv_reader.StatementReader.read` gives row by row (its contract), for the
rows whose reading is certain, and that very method's per-row rules for every other row.

The rows are field texts (:mod:`parsers.bank_csv_texts`). Rows that are plainly transactions
(a date written with a digit, money on the row) skip the summary rules; the others go through
them one by one. The file's conventions are decided from the columns. A transaction row is
built column-wise when nothing about it is unusual: no reject rule fits it, its dates read,
its currency is found, and its amount (debit/credit, marker, fee) is a plain spelling
(:func:`parsers.bank_csv_values.plain_minor`); each of these is read once per distinct text.
Every other row is read by ``StatementReader._transaction``, so its fields or its reject
reason are the per-row ones by construction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import chain

from parsers.amount_columns import line_numbers
from parsers.bank_csv_amounts import plain_minor, plain_minors, split_minor
from parsers.bank_csv_checks import balance_warning
from parsers.bank_csv_frame import transaction_frame
from parsers.bank_csv_layout import summary_kind
from parsers.bank_csv_profiles import EXTRA, FORMAT
from parsers.bank_csv_summary import balances_and_warnings, preamble_summaries, summary_of
from parsers.bank_csv_texts import field_texts, plain_rows
from parsers.bank_csv_values import MARKERS
from parsers.base import ParseResult
from parsers.csvspec import CsvRecord
from pipeline.identity import row_hash, with_occurrences
from pipeline.money import exponent
from pipeline.record_frames import RecordGroups

AMOUNT_FIELDS = ("amount", "debit", "credit", "balance", "fee")
_NO = object()  # a value the column-wise reading leaves to the per-row rules
# Money texts that name no currency (no symbol, no code, no ``$``): as ``0`` to the currency
# rules, which read such a text only for its symbol and its ``$``.
NAMED_MONEY = re.compile(r"^(?![0-9.,+\- ]*(?:CR|DB)?$).+$", re.MULTILINE)  # the others


def read_columns(reader, records: Sequence[CsvRecord]) -> ParseResult:  # noqa: ANN001
    """``reader``: a :class:`~parsers.bank_csv_reader.StatementReader`; ``records``: every
    non-blank record but the header (preamble included). The transactions come as a frame,
    then the stated balances."""
    header_line = reader.layout.header_line
    rows = [r for r in records if r.line > header_line]
    summaries = preamble_summaries([r for r in records if r.line < header_line],
                                   reader.layout.delimiter)
    texts, cells = field_texts(rows, reader.where, reader._verbatim)
    plain = plain_rows(texts, cells, reader.where.get("date", ()), len(rows))
    data = _data_rows(reader, rows, texts, plain, summaries)
    if len(data) != len(rows):
        rows = [rows[i] for i in data]
        texts = {name: [values[i] for i in data] for name, values in texts.items()}
        plain = plain[data]
    _decide(reader, texts)
    fields, fast = Fields(reader, texts, plain).read()
    return _assemble(reader, rows, texts, fields, fast, summaries)


def _raw(texts: dict[str, list], i: int) -> dict[str, str]:
    return {name: values[i] for name, values in texts.items()}


def _data_rows(reader, rows, texts, plain, summaries) -> list[int]:  # noqa: ANN001
    """The positions of the transaction rows; summary lines are appended to ``summaries``
    (as :func:`parsers.bank_csv_summary.split_rows` does)."""
    unusual = [int(i) for i in (~plain).nonzero()[0]]
    if not unusual:
        return list(range(len(rows)))
    date_at = reader.where.get("date", ())
    labels = {i: summary_kind(rows[i].cells, date_at) for i in unusual}
    dates = texts.get("date")
    dated = [i for i in range(len(rows))
             if plain[i] or (dates is not None and dates[i] and not labels[i])]
    first, last = (dated[0], dated[-1]) if dated else (len(rows), -1)
    summary_rows = set()
    for i in unusual:
        found = summary_of(rows[i], _raw(texts, i), labels[i], i < first or i > last,
                           reader.profile, reader.layout.delimiter)
        if found is not None:
            summaries.extend(found)
            summary_rows.add(i)
    return [i for i in range(len(rows)) if i not in summary_rows]


def _decide(reader, texts: dict[str, list]) -> None:  # noqa: ANN001
    # every amount text, repeats and empty ones too: the evidence is a set of proofs
    amounts = chain.from_iterable(texts[f] for f in AMOUNT_FIELDS if f in texts)
    booked = texts.get("date", [])
    valued = texts.get("value_date")
    dates = dict.fromkeys(chain.from_iterable(zip(booked, valued, strict=True))
                          if valued is not None else booked)
    dates.pop("", None)
    reader.decide(amounts, dates, booked if "date" in texts else [""] * _count(texts),
                  {t for t in texts.get("account", ()) if t})


def _count(texts: dict[str, list]) -> int:
    return len(next(iter(texts.values()), []))


class Fields:
    """The transaction fields of the rows read column-wise (``fast``), ``_NO`` elsewhere."""

    def __init__(self, reader, texts: dict[str, list], plain) -> None:  # noqa: ANN001
        self.reader, self.texts, self.count = reader, texts, len(plain)
        self.fast = list(map(bool, plain))

    def column(self, name: str) -> list:
        return self.texts.get(name) or [""] * self.count

    def _mark(self, values: list) -> None:
        """Rows whose value is ``_NO`` are left to the per-row rules."""
        self.fast = [f and v is not _NO for f, v in zip(self.fast, values, strict=True)]

    def _each(self, name: str, read) -> list:  # noqa: ANN001
        done = {}
        for text in set(self.column(name)):
            problems: list[str] = []
            value = read(text, problems)
            done[text] = _NO if problems or value is None else value
        return [done[t] for t in self.column(name)]

    def read(self) -> tuple[dict[str, list], list[bool]]:
        r = self.reader
        for rule in r.profile.reject_rows:
            upper = {t: t.upper() in rule.values for t in set(self.column(rule.field))}
            self._mark([_NO if upper[t] else 0 for t in self.column(rule.field)])
        booking = self._each("date", lambda t, p: r._date({"date": t}, "date", p))
        self._mark(booking)
        value_date = self._each("value_date", lambda t, p: r._date({"value_date": t},
                                                                  "value_date", p)
                                if t else "")
        self._mark(value_date)
        accounts = {t: r._account({"account": t}) for t in set(self.column("account"))}
        account = [accounts[t] for t in self.column("account")]
        currency = self._currencies(account)
        self._mark(currency)
        amount = self._amounts(currency)
        self._mark(amount)
        description = self._descriptions()
        return {"currency": currency, "account_id": [a[0] for a in account],
                "booking_date": booking, "value_date": [v or None for v in value_date],
                "amount_minor": amount, "description": description,
                "counterparty_name": list(self.column("counterparty")),
                "counterparty_account": list(self.column("counterparty_account"))}, self.fast

    def _currencies(self, account: list) -> list:
        money = self.column("amount")
        for name in ("debit", "credit"):
            if name in self.texts:
                money = [m or t for m, t in zip(money, self.texts[name], strict=True)]
        joined = "\n".join(money)
        if joined.count("\n") == len(money) - 1:
            named = set(line_numbers(joined, NAMED_MONEY))
            money = [money[i] if i in named else "0" for i in range(len(money))] if named \
                else ["0"] * len(money)
        given = {name: self.texts[name] for name in ("currency", "account") if name in self.texts}
        keys = list(zip(money, *given.values(), strict=True))
        done = {}
        for i, key in enumerate(keys):
            if key not in done:
                raw = {"amount": key[0], **dict(zip(given, key[1:], strict=True))}
                problems: list[str] = []
                found = self.reader._currency(raw, account[i][1], problems)
                done[key] = _NO if problems or found is None else found
        return [done[k] for k in keys]

    def _amounts(self, currency: list) -> list:
        """Each row's movement in minor units (amount with its marker, else debit or credit;
        less a fee charged on top), or ``_NO``."""
        amount = self.reader.amount
        sep, soll = getattr(amount, "separator", None), getattr(amount, "soll_haben", False)
        exps = {c: exponent(c) for c in set(currency) if c is not _NO}
        exp = [exps.get(c, 0) if c is not _NO else 0 for c in currency]
        one = exp[0] if exp and all(e == exp[0] for e in exp) else None
        cache: dict = {}

        def minor(texts: list) -> list:
            if one is not None:  # one currency: the column at once
                return [_NO if v is None and t else v
                        for v, t in zip(plain_minors(texts, one, sep, soll), texts, strict=True)]
            out = []
            for text, e in zip(texts, exp, strict=True):
                if not text:
                    out.append(None)
                    continue
                value = cache.get((text, e), _NO)
                if value is _NO:
                    value = cache[text, e] = plain_minor(text, e, sep, soll)
                out.append(_NO if value is None else value)
            return out

        out = minor(self._marked()) if "amount" in self.texts else [None] * self.count
        where = self.reader.where
        if "debit" in where or "credit" in where:
            debit, credit = minor(self.column("debit")), minor(self.column("credit"))
            out = [v if v is not None else c if d is None and type(c) is int
                   else -abs(d) if c is None and type(d) is int else split_minor(d, c, _NO)
                   for v, d, c in zip(out, debit, credit, strict=True)]
        out = [_NO if v is None else v for v in out]
        if "fee" in self.texts and not self.reader.profile.fee_included:
            fees = minor(self.texts["fee"])
            out = [v if f is None or v is _NO else (_NO if f is _NO else v - f)
                   for v, f in zip(out, fees, strict=True)]
        return out

    def _marked(self) -> list:
        """The amount texts with their marker column's mark (``with_marker``)."""
        amounts = self.column("amount")
        if "marker" not in self.texts:
            return amounts
        suffix = {}
        for marker in set(self.texts["marker"]):
            mark = marker.strip().upper().rstrip(".")
            suffix[marker] = f" {MARKERS.get(mark, mark)}" if mark else ""
        return [a + suffix[m] if a else a for a, m in zip(amounts, self.texts["marker"],
                                                           strict=True)]

    def _descriptions(self) -> list:
        description = self.column("description")
        remittance = self.reader.profile.remittance
        if not remittance:
            return list(description)
        parts = [(label, self.column(EXTRA + h)) for h, label in remittance]
        out = []
        for i, text in enumerate(description):
            found = [text, *(f"{label} {values[i]}".strip() for label, values in parts
                             if values[i])]
            out.append(" / ".join(p for p in found if p))
        return out


def _keys(reader, texts: dict[str, list], fields: dict[str, list],  # noqa: ANN001
          fast: list[bool]) -> list:
    """Each fast row's natural key before numbering (``StatementReader._key``)."""
    columns = [texts.get(EXTRA + h) or [""] * len(fast) for h in reader.profile.key_columns]
    reference = texts.get("reference") or [""] * len(fast)
    if columns:
        stated = ["@".join(p for p in parts if p) if parts[0] else ""
                  for parts in zip(*columns, strict=True)]
        reference = [s or r for s, r in zip(stated, reference, strict=True)]
    out = [r if ok else None for r, ok in zip(reference, fast, strict=True)]
    for i in [i for i, r in enumerate(out) if r == ""]:  # fast, but no key stated
        out[i] = row_hash(fields["booking_date"][i].isoformat(), fields["amount_minor"][i],
                          fields["description"][i])
    return out


def _assemble(reader, rows, texts, fields, fast, summaries) -> ParseResult:  # noqa: ANN001
    keys = _keys(reader, texts, fields, fast)
    rejected: dict[int, str] = {}
    for i, ok in enumerate(fast):
        if ok:
            continue
        result = reader._transaction(_raw(texts, i))
        if isinstance(result, str):
            rejected[i] = result
            keys[i] = f"<{i}>"
        else:
            keys[i] = result[0]
            for name, value in result[1].items():
                fields[name][i] = value
    keys = keys if len(set(keys)) == len(keys) else with_occurrences(keys)
    kept = [i for i in range(len(rows)) if i not in rejected]
    reference, balance = (texts.get(name) or [""] * len(rows) for name in ("reference",
                                                                            "balance"))
    rejects = [reader.source.reject(FORMAT, reason, rows[i].line, reference[i] or None,
                                    rows[i].raw) for i, reason in rejected.items()]
    if rejected:
        fields = {name: [values[i] for i in kept] for name, values in fields.items()}
        keys = [keys[i] for i in kept]
    lines = [rows[i].line for i in kept]
    balance = _balances(reader, [balance[i] for i in kept] if rejected else balance,
                        fields["currency"])
    warnings = [w for w in [balance_warning(lines, kept, fields["currency"],
                                            fields["amount_minor"], balance)] if w]
    balances = balances_and_warnings(reader, summaries, fields["currency"],
                                     fields["amount_minor"], len(rejects), warnings)
    frame = transaction_frame(reader.source, fields, keys, lines)
    return ParseResult(records=RecordGroups((frame, balances)), rejects=rejects,
                       warnings=warnings)


def _balances(reader, texts: list[str], currency: list[str]) -> list:  # noqa: ANN001
    """The running-balance column in minor units (``None``: empty or unreadable)."""
    amount = reader.amount
    sep, soll = getattr(amount, "separator", None), getattr(amount, "soll_haben", False)
    exps = {c: exponent(c) for c in set(currency)}
    if len(exps) == 1:
        values = plain_minors(texts, exps.popitem()[1], sep, soll)
    else:
        values = [plain_minor(t, exps[c], sep, soll) if t else None
                  for t, c in zip(texts, currency, strict=True)]
    return [reader._minor(t, c) if v is None and t else v
            for v, t, c in zip(values, texts, currency, strict=True)]
