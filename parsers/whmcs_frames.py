"""WHMCS list responses read into frames: the decoded items a column at a time.

Each declared field (:data:`parsers.whmcs.INVOICE_FIELDS`, ``CLIENT_FIELDS``) is read from
every item at once and converted once per distinct text by
:func:`parsers.csvframe.convert_columns` (the same rules and reject reasons as
:func:`parsers.csvspec.convert`, row by row); invoices and clients are
then assembled column-wise into a :class:`~pipeline.record_frames.RecordFrame`, amounts in
integer minor units (:func:`parsers.amount_columns.minor_units`). The rare invoice whose
amounts do not turn into minor units cleanly goes through the per-record builder, so its
record or its reject reason is the per-record one by construction. The frozen models stay
the contract: the tests check that both paths give the same records and rejects.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import repeat

import pandas as pd

from parsers.amount_columns import minor_units
from parsers.base import ParseResult, SourceFile
from parsers.csvframe import convert_columns
from pipeline.models import Client, Invoice, InvoiceStatus, Origin, Reject
from pipeline.record_frames import ORIGIN_FIELDS, RecordFrame

_NOTHING_DUE = [InvoiceStatus.PAID, InvoiceStatus.CANCELLED, InvoiceStatus.REFUNDED]


def cell(value: object) -> str:
    """A JSON value as text for the column converters (numbers exactly, never via float)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def item_texts(items: list, names: Sequence[str]) -> dict[str, pd.Series]:
    """Per field name, each item's value as text (``''`` when absent or not an object)."""
    objects = [item if isinstance(item, dict) else {} for item in items]
    texts = {}
    for name in names:
        raw = list(map(dict.get, objects, repeat(name)))
        if not set(map(type, raw)) <= {str}:
            raw = list(map(cell, raw))
        texts[name] = pd.Series(raw, dtype=object)
    return texts


def read_items(parser, source: SourceFile, items: list, notes: list[str]) -> ParseResult:  # noqa: ANN001
    """The records and rejects of a WHMCS response's ``items`` (``parser``: the invoices or
    clients parser, whose ``fields`` and ``build`` are the per-record contract)."""
    raw = item_texts(items, [c.name for c in parser.fields])
    first = raw[parser.fields[0].name]
    refs = first.where(first != "", [f"{parser.singular}[{n}]" for n in range(1, len(items) + 1)])
    values, reasons = convert_columns(parser.fields, raw, once_per_text=True)
    frame = pd.DataFrame(values, dtype=object)
    frame["_ref"] = refs
    good = frame.drop(index=list(reasons))
    assemble = _invoices if parser.kind == "invoices" else _clients
    origin = {"source_file": source.name, "source_sha256": source.sha256,
              "source_format": parser.format, "source_line": None}
    records, failed = assemble(good, origin, parser.build)
    reasons.update(failed)

    def reject(position: int) -> Reject:
        text = json.dumps(items[position], default=str)
        return source.reject(parser.format, reasons[position], None, refs[position], text)

    return ParseResult(records=records, rejects=[reject(i) for i in sorted(reasons)],
                       warnings=notes)


def _names(values: pd.DataFrame) -> pd.Series:
    return (values["firstname"] + " " + values["lastname"]).str.strip()


def _clients(values: pd.DataFrame, origin: dict, build: Callable) -> tuple[RecordFrame, dict]:
    created = values["datecreated"]
    frame = pd.DataFrame({
        "client_id": values["id"], "name": _names(values), "company": values["companyname"],
        "email": values["email"], "created_at": created.where(created.notna(), None),
    }, dtype=object)
    return RecordFrame(Client, _with_origin(frame, values, origin)), {}


def _invoices(values: pd.DataFrame, origin: dict, build: Callable) -> tuple[RecordFrame, dict]:
    """The invoices of the converted rows ``values``, and the reject reason of each row
    whose amounts the per-record builder refuses."""
    currency, status = values["currencycode"], values["status"]
    total, total_bad = minor_units(values["total"], currency)
    credit, credit_bad = minor_units(values["credit"], currency)
    stated = values["balance"].notna()
    balance, balance_bad = minor_units(values["balance"].where(stated, None), currency)
    nothing_due = status.isin(_NOTHING_DUE)
    owed = ~stated & ~nothing_due
    unclean = total_bad | (stated & balance_bad) | (owed & credit_bad)
    clean = values[~unclean]
    if unclean.any():
        total, credit, balance = (c[~unclean] for c in (total, credit, balance))
        stated, nothing_due = stated[~unclean], nothing_due[~unclean]
    left = balance.where(stated, _difference(total, credit).where(~nothing_due, 0))
    name = _names(clean)
    index = clean.index
    frame = pd.DataFrame({
        "invoice_number": clean["invoicenum"].where(clean["invoicenum"] != "", clean["id"]),
        "invoice_id": clean["id"], "client_id": clean["userid"],
        "client_name": name.where(name != "", clean["companyname"]),
        "client_email": _constant("", index), "issue_date": clean["date"],
        "due_date": clean["duedate"], "total_minor": _integers(total),
        "balance_minor": _integers(left), "currency": currency[~unclean],
        "status": status[~unclean], "first_invoice": False, "group_id": _constant(None, index),
    }, index=index)
    frame = _with_origin(frame, clean, origin)
    built, failed = _one_by_one(values[unclean], origin, build)
    if built:
        extra = pd.DataFrame([_row(r) for r in built.values()], index=list(built))
        frame = pd.concat([frame, extra.astype({"first_invoice": bool})]).sort_index()
    return RecordFrame(Invoice, frame.reset_index(drop=True)), failed


def _difference(minuend: pd.Series, subtrahend: pd.Series) -> pd.Series:
    """``minuend - subtrahend`` exactly: in ``int64`` when no row can overflow it, else in
    Python ints (numpy would wrap around silently)."""
    limit = 2**62
    if all(c.dtype.kind == "i" and c.between(-limit, limit).all()
           for c in (minuend, subtrahend)):
        return minuend - subtrahend
    return minuend.astype(object) - subtrahend.astype(object)


def _integers(values: pd.Series) -> pd.Series:
    """A column of whole numbers as ``int64`` when every one fits, else Python ints."""
    try:
        return values.astype("int64")
    except (OverflowError, TypeError, ValueError):
        return values.astype(object)


def _with_origin(frame: pd.DataFrame, values: pd.DataFrame, origin: dict) -> pd.DataFrame:
    for name in ORIGIN_FIELDS:
        frame[name] = values["_ref"] if name == "source_ref" else _constant(origin[name],
                                                                             frame.index)
    return frame


def _constant(value: object, index: pd.Index) -> pd.Series:
    """``value`` on every row, as Python objects (never a pandas string or float column)."""
    return pd.Series([value] * len(index), index=index, dtype=object)


def _one_by_one(values: pd.DataFrame, origin: dict, build: Callable) -> tuple[dict, dict]:
    """Rows through the per-record builder: position -> record, and position -> reason."""
    built, failed = {}, {}
    for position, row in zip(values.index, values.to_dict("records"), strict=True):
        ref = row.pop("_ref")
        try:
            built[position] = build(row, Origin(**origin, source_ref=ref))
        except ValueError as exc:
            failed[position] = str(exc)
    return built, failed


def _row(record: Invoice) -> dict:
    own = {k: v for k, v in record.__dict__.items() if k != "origin"}
    return {**own, **record.origin.__dict__}
