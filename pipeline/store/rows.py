"""Domain records -> the store's columns, taken column-wise (no database access here).

A group of records of one type becomes ``{column: [values]}`` in one pass per column over
the records' field values (``__dict__``: no ``model_dump``, no row dict per record), ready for
a bulk write (:mod:`pipeline.store.bulk`). The frozen records stay the contract.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import repeat
from json.encoder import c_make_encoder, encode_basestring

from pipeline.models import (
    BankTransaction,
    Client,
    GatewayTransaction,
    Invoice,
    Reject,
    StatementBalance,
    Ticket,
)
from pipeline.record_frames import RecordFrame, RecordGroups

Columns = dict[str, list]

INVOICE_CONTENT = (
    "invoice_id", "client_id", "client_name", "client_email", "currency", "issue_date",
    "due_date", "total_minor", "balance_minor", "status", "first_invoice", "group_id",
)
CLIENT_CONTENT = ("name", "company", "email", "created_at")
SOURCE_FIELDS = ("source_file", "source_sha256", "source_format", "source_line", "source_ref")
BANK_FIELDS = (
    "account_id", "natural_key", "booking_date", "value_date", "amount_minor", "currency",
    "description", "counterparty_name", "counterparty_account",
)
GATEWAY_FIELDS = tuple(
    n for n in GatewayTransaction.model_fields if n not in ("origin", "metadata")
)
TICKET_FIELDS = tuple(n for n in Ticket.model_fields if n != "origin")
BALANCE_FIELDS = ("account_id", "kind", "date", "amount_minor", "currency")
REJECT_FIELDS = (*SOURCE_FIELDS, "reason", "raw")


def fields_of(items: Sequence, names: Sequence[str]) -> Columns:
    """``{name: [each item's value]}`` read from the items' ``__dict__`` (pydantic fields),
    or taken from the columns of a :class:`~pipeline.record_frames.RecordFrame` as they are."""
    if isinstance(items, RecordFrame):
        return {name: items.column(name) for name in names}
    values = [item.__dict__ for item in items]
    return {name: [v[name] for v in values] for name in names}


def source_columns(records: Sequence, file_id: int | None) -> Columns:
    if isinstance(records, RecordFrame):
        return {"source_file_id": [file_id] * len(records), **fields_of(records, SOURCE_FIELDS)}
    origins = fields_of([r.__dict__["origin"] for r in records], SOURCE_FIELDS)
    return {"source_file_id": [file_id] * len(records), **origins}


# json.dumps(m, sort_keys=True, ensure_ascii=False), without a new encoder per call
_METADATA_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False)


def metadata_json(metadata: Sequence[dict]) -> list[str]:
    """Each dict as ``json.dumps(m, sort_keys=True, ensure_ascii=False)`` writes it, the whole
    column through one C encoder (``JSONEncoder.encode`` makes a new one per call)."""
    if c_make_encoder is None:
        return list(map(_METADATA_JSON.encode, metadata))
    encoder = c_make_encoder(None, _METADATA_JSON.default, encode_basestring, None,
                             _METADATA_JSON.key_separator, _METADATA_JSON.item_separator,
                             True, False, True)
    return list(map("".join, map(encoder, metadata, repeat(0))))


def _text(values: list) -> list[str]:
    """Enum members (``InvoiceStatus``, ``GatewayKind``) as their plain string values."""
    return [str(v) for v in values]


def bank_columns(records: Sequence[BankTransaction], file_id: int | None) -> Columns:
    return {**fields_of(records, BANK_FIELDS), **source_columns(records, file_id)}


def gateway_columns(records: Sequence[GatewayTransaction], file_id: int | None) -> Columns:
    columns = fields_of(records, GATEWAY_FIELDS)
    columns["kind"] = _text(columns["kind"])
    metadata = (records.column("metadata") if isinstance(records, RecordFrame)
                else [r.__dict__["metadata"] for r in records])
    columns["metadata_json"] = metadata_json(metadata)
    return {**columns, **source_columns(records, file_id)}


def ticket_columns(records: Sequence[Ticket], file_id: int | None) -> Columns:
    return {**fields_of(records, TICKET_FIELDS), **source_columns(records, file_id)}


def balance_key(record: StatementBalance) -> str:
    """Same statement fact -> same key; a balance without a date is scoped to its file."""
    when = record.date.isoformat() if record.date else f"file:{record.origin.source_sha256}"
    return "|".join(
        [record.account_id, record.currency, record.kind, when, str(record.amount_minor)]
    )


def balance_columns(records: Sequence[StatementBalance], file_id: int | None) -> Columns:
    return {"natural_key": [balance_key(r) for r in records],
            **fields_of(records, BALANCE_FIELDS), **source_columns(records, file_id)}


def invoice_columns(records: Sequence[Invoice], file_id: int | None) -> Columns:
    columns = fields_of(records, ("invoice_number", *INVOICE_CONTENT))
    columns["status"] = _text(columns["status"])
    return {**columns, **source_columns(records, file_id)}


def client_columns(records: Sequence[Client], file_id: int | None) -> Columns:
    return {**fields_of(records, ("client_id", *CLIENT_CONTENT)),
            **source_columns(records, file_id)}


def reject_columns(rejects: Sequence[Reject], file_id: int | None) -> Columns:
    return {"source_file_id": [file_id] * len(rejects), **fields_of(rejects, REJECT_FIELDS)}


def take(columns: Columns, indices: Sequence[int]) -> Columns:
    """The rows at ``indices`` (in that order) of a set of columns."""
    return {name: [values[i] for i in indices] for name, values in columns.items()}


def row_count(columns: Columns) -> int:
    return len(next(iter(columns.values()), []))


INT64_MAX = 2**63 - 1
AMOUNT_FIELDS = ("amount_minor", "gross_minor", "fee_minor", "net_minor", "total_minor",
                 "balance_minor", "claimed_amount_minor")


def split_storable(records: Sequence) -> tuple[Sequence, list[Reject]]:
    """Records whose amounts fit BIGINT, and rejects for the rest (e.g. 10+ ETH in wei).

    Checked column by column over each record type's own amount fields; the rejects keep the
    records' order and name each record's first amount field out of range. A
    :class:`~pipeline.record_frames.RecordFrame` stays one (only its rejects are built).
    """
    if isinstance(records, RecordFrame):
        return _split_frame(records)
    if isinstance(records, RecordGroups):
        split = [split_storable(part) for part in records.parts]
        return (RecordGroups(tuple(kept for kept, _ in split)),
                [reject for _, found in split for reject in found])
    positions: dict[type, list[int]] = {}
    for i, record in enumerate(records):
        positions.setdefault(type(record), []).append(i)
    too_big: dict[int, str] = {}
    for kind, indices in positions.items():
        fields = [f for f in AMOUNT_FIELDS if f in getattr(kind, "model_fields", {})]
        columns = fields_of([records[i] for i in indices], fields)
        for name in fields:  # in AMOUNT_FIELDS order: the first field out of range is named
            for i, value in zip(indices, columns[name], strict=True):
                if value is not None and abs(value) > INT64_MAX:
                    too_big.setdefault(i, name)
    if not too_big:
        return records, []
    kept = [r for i, r in enumerate(records) if i not in too_big]
    return kept, [_too_big(records[i], too_big[i]) for i in sorted(too_big)]


def _split_frame(records: RecordFrame) -> tuple[RecordFrame, list[Reject]]:
    frame = records.frame
    too_big: dict[int, str] = {}
    for name in (f for f in AMOUNT_FIELDS if f in records.model.model_fields):
        column = frame[name]
        if column.dtype.kind in "iu":  # a numpy integer column fits BIGINT by its type
            continue
        for i, value in enumerate(column.tolist()):
            if value is not None and abs(value) > INT64_MAX:
                too_big.setdefault(i, name)
    if not too_big:
        return records, []
    kept = records.take([i for i in range(len(records)) if i not in too_big])
    return kept, [_too_big(records[i], too_big[i]) for i in sorted(too_big)]


def _too_big(record: object, field: str) -> Reject:
    origin = record.origin
    return Reject(
        source_file=origin.source_file, source_sha256=origin.source_sha256,
        source_format=origin.source_format, source_line=origin.source_line,
        source_ref=origin.source_ref,
        reason=f"{field} {_shown(getattr(record, field))} exceeds the storable range of "
               "minor units",
    )


def _shown(value: int) -> str:
    """The amount as digits, or its digit count when writing it out is itself the problem
    (Python refuses to write an int of more than 4300 digits)."""
    if value.bit_length() <= 200:
        return str(value)
    digits = int(value.bit_length() * 0.30103) + 1  # log10(2): within one of the true count
    return f"of about {digits} digits"
