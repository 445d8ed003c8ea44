"""``payrecon postings mark-posted FILE``: a postings.csv (or credits.csv) finance entered in
billing, checked and recorded, so the next report leaves its rows out.

A file is refused as a whole (nothing recorded) when it is not such a file, was written from
another database, has a row edited since it was written (its checksum no longer matches) or
names a match this database's ledger does not hold. Recording is idempotent: rows already
recorded are counted, never stored twice.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from pipeline.money import AmountError, CurrencyError, to_minor
from pipeline.postings import CREDIT, OUT, PAYMENT, POSTED_COLUMNS, checksums

SHOWN = 3  # rows named in a refusal


class PostingFileError(ValueError):
    """A file that cannot be recorded as posted; the message says why (one line)."""


@dataclass(frozen=True)
class Marked:
    """What ``mark-posted`` did with one file."""

    file_name: str
    kind: str  # payment | credit
    rows: int
    recorded: int
    already: int


def read_posting_file(path: Path) -> tuple[str, pd.DataFrame]:
    """(kind, every field as text) of a postings.csv or credits.csv; a file of another shape
    is a :class:`PostingFileError`."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise PostingFileError(f"cannot read {Path(path).name}: {exc}") from None
    header = rows[0] if rows else []
    kind = PAYMENT if "invoiceid" in header else CREDIT if "clientid" in header else None
    missing = [c for c in OUT[kind] if c not in header] if kind else ["invoiceid or clientid"]
    if missing:
        raise PostingFileError(f"{Path(path).name} is not a postings.csv or credits.csv "
                               f"written by payrecon (missing columns: {', '.join(missing)})")
    body = [r + [""] * (len(header) - len(r)) for r in rows[1:] if any(f.strip() for f in r)]
    return kind, pd.DataFrame([r[:len(header)] for r in body], columns=header, dtype=object)


def checked_rows(kind: str, fields: pd.DataFrame, *, database_id: str,
                 known: set[str]) -> pd.DataFrame:
    """POSTED_COLUMNS for the rows of a file read by :func:`read_posting_file`, after every
    check; the first failing check is a :class:`PostingFileError` naming the rows."""
    fields = fields[OUT[kind]].fillna("").astype(str)
    others = sorted(set(fields["database_id"]) - {database_id})
    if others:
        raise PostingFileError(
            f"written from another database (database_id {', '.join(others)}; this database "
            f"is {database_id}): nothing recorded")
    _refuse(fields, checksums(fields, kind) != fields["checksum"],
            "edited since payrecon wrote it (checksum does not match)")
    _refuse(fields, ~fields["match_id"].isin(known), "not a match of this database's ledger")
    return _posted(kind, fields.drop_duplicates("match_id"))


def _refuse(fields: pd.DataFrame, bad: pd.Series, why: str) -> None:
    if not bad.any():
        return
    lines = [f"line {i + 2} ({fields.at[i, 'invoice_number']}, {fields.at[i, 'match_id']})"
             for i in fields.index[bad][:SHOWN]]
    more = f" and {int(bad.sum()) - SHOWN} more" if bad.sum() > SHOWN else ""
    raise PostingFileError(f"{'; '.join(lines)}{more}: {why}; nothing recorded")


def _posted(kind: str, fields: pd.DataFrame) -> pd.DataFrame:
    payment = kind == PAYMENT
    return pd.DataFrame({
        "match_id": fields["match_id"], "kind": kind,
        "invoice_number": fields["invoice_number"],
        "billing_id": fields["invoiceid" if payment else "clientid"],
        "transid": fields["transid"] if payment else "",
        "gateway": fields["gateway"] if payment else "",
        "amount_minor": _minor(fields, "amount"),
        "fee_minor": _minor(fields, "fees") if payment else 0,
        "currency": fields["currency"],
        "date": pd.to_datetime(fields["date"]).dt.date.astype(object),
        "checksum": fields["checksum"],
    }, columns=POSTED_COLUMNS).reset_index(drop=True)


def _minor(fields: pd.DataFrame, column: str) -> pd.Series:
    """Exact minor units of an amount column (its currency's decimals, digit for digit)."""
    try:
        return pd.Series([to_minor(Decimal(text or "0"), currency) for text, currency
                          in zip(fields[column], fields["currency"], strict=True)],
                         index=fields.index, dtype="int64")
    except (InvalidOperation, AmountError, CurrencyError) as exc:
        raise PostingFileError(f"an {column} cannot be read exactly: {exc}") from None


def mark_posted(store, path: Path, *, user: str) -> Marked:  # noqa: ANN001
    """Check the file against ``store`` and record its rows as posted (idempotent)."""
    path = Path(path)
    kind, fields = read_posting_file(path)
    ledger = store.load_ledger()
    entry = "allocation" if kind == PAYMENT else "credit"
    known = set(ledger.loc[ledger["entry"] == entry, "match_id"])
    rows = checked_rows(kind, fields, database_id=store.database_id(), known=known)
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    recorded = store.record_posted(rows, file_name=path.name, file_sha256=sha256, user=user)
    return Marked(path.name, kind, len(rows), recorded, len(rows) - recorded)
