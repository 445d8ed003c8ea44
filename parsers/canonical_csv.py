"""The canonical invoices and clients CSVs of DESIGN.md ("Inputs"), declared as columns.

Invoices: ``invoice_number, client_id, client_name, client_email, issue_date, due_date,
total, balance, currency, status`` and optionally ``first_invoice``, ``group_id``.
Clients: ``client_id, name, company, email, created_at``. UTF-8 (BOM allowed), header on
line 1, delimiter ``,`` (``;`` or TAB sniffed), ISO dates, amounts with ``.`` as decimal
separator and at most the currency's decimals.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from functools import partial

from parsers import csvspec, limits
from parsers.amount_columns import to_minor
from parsers.base import ParseResult, SourceFile
from parsers.canonical_frames import read_rows
from parsers.csvspec import Column
from pipeline.models import Client, Invoice, InvoiceStatus, Origin
from pipeline.money import AmountError

_AMOUNT = csvspec.amount(".")


def invoice_status(value: str) -> InvoiceStatus:
    """``Unpaid``, ``payment pending``, ``PAID``... (case and ``_`` ignored)."""
    wanted = " ".join(value.replace("_", " ").split()).lower()
    for status in InvoiceStatus:
        if status.value.lower() == wanted:
            return status
    raise ValueError(f"unknown invoice status {value!r}")


INVOICE_COLUMNS = (
    Column("invoice_number"),
    Column("client_id"),
    Column("client_name", required=False, empty=""),
    Column("client_email", required=False, empty=""),
    Column("issue_date", csvspec.iso_date),
    Column("due_date", csvspec.iso_date),
    Column("total", _AMOUNT),
    Column("balance", _AMOUNT),
    Column("currency", csvspec.currency),
    Column("status", invoice_status),
    Column("first_invoice", csvspec.boolean, required=False, optional=True, empty=False),
    Column("group_id", required=False, optional=True),
)

CLIENT_COLUMNS = (
    Column("client_id"),
    Column("name", required=False, empty=""),
    Column("company", required=False, empty=""),
    Column("email", required=False, empty=""),
    Column("created_at", csvspec.iso_date, required=False),
)


def _invoice(values: dict, origin: Origin) -> Invoice:
    money = {}
    for name in ("total", "balance"):
        try:
            money[f"{name}_minor"] = to_minor(values[name], values["currency"])
        except AmountError as exc:
            raise AmountError(f"{name}: {exc}") from None
    fields = {k: v for k, v in values.items() if k not in ("total", "balance")}
    return Invoice(**fields, **money, origin=origin)


def _client(values: dict, origin: Origin) -> Client:
    return Client(**values, origin=origin)


class _CanonicalCsvParser:
    """Shared reading: header on line 1, one record per row, rejects with their line."""

    format: str
    columns: Sequence[Column]
    build: Callable[[dict, Origin], Invoice | Client]

    def identify(self, source: SourceFile) -> bool:
        """The first line names every column this CSV must have."""
        header = set(_header(source.head_text))
        return all(c.name in header for c in self.columns if not c.optional)

    def parse(self, source: SourceFile) -> ParseResult:
        """The file's records, read a chunk at a time into frames
        (:mod:`parsers.canonical_frames`): what :meth:`parse_records` gives, in a frame."""
        table = csvspec.read_table(source.path.read_bytes(), self.columns, f"a {self.format} file")
        if isinstance(table, str):
            return ParseResult.refused(table)
        cut_rejects, cut_warnings = csvspec.truncation(table, partial(source.reject, self.format))
        records, rejects = read_rows(self, source, table)
        if isinstance(rejects, str):
            return ParseResult.refused(rejects)
        return ParseResult(records=records, rejects=rejects + cut_rejects,
                           warnings=cut_warnings)

    def parse_records(self, source: SourceFile) -> ParseResult:
        """The file read one row at a time into frozen records: the contract :meth:`parse`
        is checked against."""
        table = csvspec.read_table(source.path.read_bytes(), self.columns, f"a {self.format} file")
        if isinstance(table, str):
            return ParseResult.refused(table)
        cut_rejects, cut_warnings = csvspec.truncation(table, partial(source.reject, self.format))
        key_at = table.index[self.columns[0].name]
        records, rejects = [], []
        for line, raw, cells, values in table.rows.converted(self.columns, table.index):
            if not records and len(rejects) >= limits.REJECT_SAMPLE_ROWS:
                return ParseResult.refused(limits.junk(self.format, rejects))
            key = _cell(cells, key_at) or None
            try:
                if isinstance(values, str):
                    raise ValueError(values)
                records.append(self.build(values, source.origin(self.format, line, key)))
            except ValueError as exc:  # AmountError too: more decimals than the currency has
                rejects.append(source.reject(self.format, str(exc), line, key, raw))
        return ParseResult(records=records, rejects=rejects + cut_rejects,
                           warnings=cut_warnings)


def _cell(cells: Sequence[str], position: int) -> str:
    return cells[position].strip() if position < len(cells) else ""


def _header(head_text: str) -> list[str]:
    line = csvspec.first_line(head_text)
    cells = next(csv.reader([line], delimiter=csvspec.sniff_delimiter(line)), [])
    return [csvspec.normalise_header(cell).replace(" ", "_") for cell in cells]


class CanonicalInvoicesCsvParser(_CanonicalCsvParser):
    """Canonical invoices CSV (DESIGN.md "Inputs", RFC 4180): one :class:`Invoice` per row."""

    format = "invoices-csv"
    kind = "invoices"
    columns = INVOICE_COLUMNS
    build = staticmethod(_invoice)


class CanonicalClientsCsvParser(_CanonicalCsvParser):
    """Canonical clients CSV (DESIGN.md "Inputs", RFC 4180): one :class:`Client` per row."""

    format = "clients-csv"
    kind = "clients"
    columns = CLIENT_COLUMNS
    build = staticmethod(_client)
