"""Domain records -> plain row dicts for the store's tables (no database access here)."""

from __future__ import annotations

import json

from pipeline.models import (
    BankTransaction,
    Client,
    GatewayTransaction,
    Invoice,
    Origin,
    Reject,
    StatementBalance,
    Ticket,
)

INVOICE_CONTENT = (
    "invoice_id", "client_id", "client_name", "client_email", "currency", "issue_date",
    "due_date", "total_minor", "balance_minor", "status", "first_invoice", "group_id",
)
CLIENT_CONTENT = ("name", "company", "email", "created_at")


def source_values(origin: Origin, file_id: int | None) -> dict:
    return {
        "source_file_id": file_id,
        "source_file": origin.source_file,
        "source_sha256": origin.source_sha256,
        "source_format": origin.source_format,
        "source_line": origin.source_line,
        "source_ref": origin.source_ref,
    }


def bank_row(record: BankTransaction, file_id: int | None) -> dict:
    return {
        "account_id": record.account_id,
        "natural_key": record.natural_key,
        "booking_date": record.booking_date,
        "value_date": record.value_date,
        "amount_minor": record.amount_minor,
        "currency": record.currency,
        "description": record.description,
        "counterparty_name": record.counterparty_name,
        "counterparty_account": record.counterparty_account,
        **source_values(record.origin, file_id),
    }


def gateway_row(record: GatewayTransaction, file_id: int | None) -> dict:
    values = record.model_dump(exclude={"origin", "metadata"})
    values["kind"] = str(record.kind)
    values["metadata_json"] = json.dumps(record.metadata, sort_keys=True, ensure_ascii=False)
    return {**values, **source_values(record.origin, file_id)}


def ticket_row(record: Ticket, file_id: int | None) -> dict:
    return {**record.model_dump(exclude={"origin"}), **source_values(record.origin, file_id)}


def balance_key(record: StatementBalance) -> str:
    """Same statement fact -> same key; a balance without a date is scoped to its file."""
    when = record.date.isoformat() if record.date else f"file:{record.origin.source_sha256}"
    return "|".join(
        [record.account_id, record.currency, record.kind, when, str(record.amount_minor)]
    )


def balance_row(record: StatementBalance, file_id: int | None) -> dict:
    return {
        "natural_key": balance_key(record),
        "account_id": record.account_id,
        "kind": record.kind,
        "date": record.date,
        "amount_minor": record.amount_minor,
        "currency": record.currency,
        **source_values(record.origin, file_id),
    }


def invoice_row(record: Invoice, file_id: int | None) -> dict:
    values = record.model_dump(include={"invoice_number", *INVOICE_CONTENT})
    values["status"] = str(record.status)
    return {**values, **source_values(record.origin, file_id)}


def client_row(record: Client, file_id: int | None) -> dict:
    values = record.model_dump(include={"client_id", *CLIENT_CONTENT})
    return {**values, **source_values(record.origin, file_id)}


def reject_row(reject: Reject, file_id: int | None) -> dict:
    return {
        "source_file_id": file_id,
        "source_file": reject.source_file,
        "source_sha256": reject.source_sha256,
        "source_format": reject.source_format,
        "source_line": reject.source_line,
        "source_ref": reject.source_ref,
        "reason": reject.reason,
        "raw": reject.raw,
    }


INT64_MAX = 2**63 - 1
AMOUNT_FIELDS = ("amount_minor", "gross_minor", "fee_minor", "net_minor", "total_minor",
                 "balance_minor", "claimed_amount_minor")


def split_storable(records: list) -> tuple[list, list[Reject]]:
    """Records whose amounts fit BIGINT, and rejects for the rest (e.g. 10+ ETH in wei)."""
    kept, rejects = [], []
    for record in records:
        field = next((f for f in AMOUNT_FIELDS
                      if abs(getattr(record, f, None) or 0) > INT64_MAX), None)
        if field is None:
            kept.append(record)
            continue
        origin = record.origin
        rejects.append(Reject(
            source_file=origin.source_file, source_sha256=origin.source_sha256,
            source_format=origin.source_format, source_line=origin.source_line,
            source_ref=origin.source_ref,
            reason=f"{field} {_shown(getattr(record, field))} exceeds the storable range of "
                   "minor units",
        ))
    return kept, rejects


def _shown(value: int) -> str:
    """The amount as digits, or its digit count when writing it out is itself the problem
    (Python refuses to write an int of more than 4300 digits)."""
    if value.bit_length() <= 200:
        return str(value)
    digits = int(value.bit_length() * 0.30103) + 1  # log10(2): within one of the true count
    return f"of about {digits} digits"
