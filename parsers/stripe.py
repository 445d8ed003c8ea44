"""Stripe balance exports, declared as columns.

Two layouts are read (header on line 1, ``,`` delimiter, UTF-8, amounts in major units with
``.`` as the decimal point, currency lower-case as Stripe writes it):

* the itemized balance reports of Stripe Reporting (``balance_change_from_activity.itemized.*``
  and ``ending_balance_reconciliation.itemized.*``, which also lists payouts):
  ``balance_transaction_id, created_utc, currency, gross, fee, net, reporting_category`` plus
  any of ``description, customer_email, customer_name, charge_id, source_id,
  automatic_payout_id, payment_metadata[<key>], refund_metadata[<key>] ...``;
* the Dashboard balance-history export (Balance > Export): ``id, Type, Source, Amount, Fee,
  Net, Currency, Created (UTC), Available On (UTC), Description, ..., Transfer, Transfer Date
  (UTC)`` plus ``<key> (metadata)`` columns.

One :class:`GatewayTransaction` per row: ``transaction_id`` is the balance transaction
(``txn_...``); ``created_date`` is the UTC calendar date written in ``created_utc`` /
``Created (UTC)`` (never shifted to the business timezone); gross, fee and net are kept as
written (Stripe's fee is positive when taken) and a row whose ``net != gross - fee`` is
rejected. Stripe's gross is signed from the balance's point of view: refunds, disputes and
payouts are negative.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from functools import partial

from parsers import csvspec, limits
from parsers.amount_columns import to_minor
from parsers.base import ParseResult, SourceFile
from parsers.csvspec import Column
from pipeline.models import GatewayKind, GatewayTransaction
from pipeline.money import AmountError
from pipeline.record_frames import RecordFrame, collector_paused

FORMAT = "stripe"
_AMOUNT = csvspec.amount(".")

COLUMNS = (
    Column("balance_transaction_id", aliases=("id",)),
    Column("created_utc", csvspec.iso_date),
    Column("currency", csvspec.currency),
    Column("gross", _AMOUNT, aliases=("amount",)),
    Column("fee", _AMOUNT),
    Column("net", _AMOUNT),
    Column("reporting_category", csvspec.text, aliases=("type",)),
    Column("description", required=False, optional=True, empty=""),
    Column("customer_email", required=False, optional=True, empty=""),
    Column("customer_name", required=False, optional=True, empty=""),
    Column("charge_id", required=False, optional=True, empty=""),
    Column("source_id", required=False, optional=True, empty="", aliases=("source",)),
    Column("automatic_payout_id", required=False, optional=True, empty="",
           aliases=("transfer",)),
)

# reporting_category (itemized reports) or Type (Dashboard export) -> kind; anything else is an
# ADJUSTMENT whose category stays in ``status``.
KINDS: dict[str, GatewayKind] = {
    **dict.fromkeys(("charge", "payment"), GatewayKind.CHARGE),
    **dict.fromkeys(("refund", "payment_refund"), GatewayKind.REFUND),
    **dict.fromkeys(("dispute", "dispute_reversal"), GatewayKind.DISPUTE),
    **dict.fromkeys(("payout", "payout_reversal", "payout_cancel", "payout_failure"),
                    GatewayKind.PAYOUT),
    **dict.fromkeys(("fee", "stripe_fee", "network_cost", "application_fee"), GatewayKind.FEE),
}
# The Dashboard export files disputes as Type ``adjustment`` with these descriptions.
_DASHBOARD_DISPUTE = re.compile(r"^Chargeback (?:withdrawal|reversal) for ((?:ch|py)_\w+)")
_ITEMIZED = re.compile(r"^\s*(\w+)_metadata\[(.+)\]\s*$")
_DASHBOARD_METADATA = re.compile(r"^\s*(.+?)\s+\(metadata\)\s*$")
_INVOICE_KEYS = {"invoice", "invoiceid", "invoicenumber", "invoiceno", "invoicenum"}


def metadata_columns(header: Sequence[str]) -> dict[int, str]:
    """Column position -> metadata key: ``payment_metadata[k]`` and ``k (metadata)`` give
    ``k``; other objects' metadata (``refund_metadata[k]``) keep their column name."""
    keys = {}
    for position, cell in enumerate(header):
        itemized, dashboard = _ITEMIZED.match(cell), _DASHBOARD_METADATA.match(cell)
        if itemized:
            owner, key = itemized.groups()
            keys[position] = key if owner == "payment" else cell.strip()
        elif dashboard:
            keys[position] = dashboard.group(1)
    return keys


def invoice_ref(metadata: dict[str, str]) -> str:
    """The value of the first metadata key named like invoice / invoice_id / invoice_number /
    invoiceId (case and punctuation ignored), else ``''``."""
    for key, value in metadata.items():
        if re.sub(r"[^0-9a-z]", "", key.lower()) in _INVOICE_KEYS and value:
            return value
    return ""


def kind_of(category: str, description: str) -> GatewayKind:
    """The kind of a reporting category / Dashboard type (``KINDS``; else ADJUSTMENT), a
    Dashboard ``adjustment`` described as a chargeback being a DISPUTE."""
    kind = KINDS.get(category.strip().lower(), GatewayKind.ADJUSTMENT)
    if kind is GatewayKind.ADJUSTMENT and _DASHBOARD_DISPUTE.match(description):
        return GatewayKind.DISPUTE
    return kind


def _minor(values: dict) -> dict[str, int]:
    """gross/fee/net in minor units; ``net == gross - fee`` or an :class:`AmountError`."""
    gross, fee, net = (values[n] for n in ("gross", "fee", "net"))
    if gross - fee != net:
        raise AmountError(f"net does not equal gross minus fee: {gross} - {fee} != {net}")
    return {f"{n}_minor": to_minor(values[n], values["currency"]) for n in ("gross", "fee", "net")}


def _links(kind: GatewayKind, values: dict) -> dict[str, str]:
    """related_id: the charge (``ch_``/``py_``) a row is about - for a charge its own charge id,
    so refunds and disputes can be tied to it; payout_id: the payout a row was paid out in, for
    a payout row the payout itself."""
    charge = values["charge_id"] or values["source_id"]
    dashboard = _DASHBOARD_DISPUTE.match(values["description"])
    if dashboard and not values["charge_id"]:
        charge = dashboard.group(1)
    related = charge if kind in (GatewayKind.CHARGE, GatewayKind.REFUND,
                                 GatewayKind.DISPUTE) else ""
    payout = values["automatic_payout_id"]
    if kind is GatewayKind.PAYOUT:
        payout = payout or values["source_id"]
    return {"related_id": related, "payout_id": payout}


def build(values: dict, metadata: dict[str, str], origin) -> GatewayTransaction:
    """One row's converted values and metadata as a record; the category stays in status."""
    category = values["reporting_category"]
    kind = kind_of(category, values["description"])
    return GatewayTransaction(
        gateway=FORMAT, transaction_id=values["balance_transaction_id"], kind=kind,
        created_date=values["created_utc"], currency=values["currency"], **_minor(values),
        status=category, customer_name=values["customer_name"],
        customer_email=values["customer_email"], description=values["description"],
        invoice_ref=invoice_ref(metadata), **_links(kind, values), metadata=metadata,
        origin=origin)


def _header_names(head_text: str) -> set[str]:
    line = csvspec.first_line(head_text)
    cells = next(csv.reader([line], delimiter=csvspec.sniff_delimiter(line)), [])
    return {csvspec.normalise_header(cell) for cell in cells}


class StripeParser:
    """Stripe itemized balance reports and the Dashboard balance-history export (see the
    module docstring): one :class:`GatewayTransaction` per balance transaction."""

    format = FORMAT
    kind = "gateway"

    def identify(self, source: SourceFile) -> bool:
        """The header names ``balance_transaction_id`` and ``reporting_category`` (Reporting),
        or ``id``, ``Type``, ``Source`` and ``Transfer`` (Dashboard export)."""
        names = _header_names(source.head_text)
        return {"balance transaction id", "reporting category"} <= names or \
            {"id", "type", "source", "transfer"} <= names

    @collector_paused()
    def parse(self, source: SourceFile) -> ParseResult:
        """The file read once into frames (:mod:`parsers.stripe_frames`): what
        :meth:`parse_records` gives, in a :class:`~pipeline.record_frames.RecordFrame`."""
        from parsers import stripe_frames
        from parsers.csv_texts import read_texts

        def extra(header: list[str]) -> dict[str, int]:
            return {stripe_frames.meta_name(p): p for p in metadata_columns(header)}

        table = read_texts(source.path.read_bytes(), COLUMNS, "a Stripe balance export", extra)
        if isinstance(table, str):
            return ParseResult.refused(table)
        cut_rejects, cut_warnings = csvspec.truncation(table, partial(source.reject, FORMAT))
        read = stripe_frames.read_rows(source, table.rows, metadata_columns(table.header.cells))
        if isinstance(read, str):
            return ParseResult.refused(read)
        frame, rejects = read
        return ParseResult(records=RecordFrame(GatewayTransaction, frame),
                           rejects=rejects + cut_rejects, warnings=cut_warnings)

    def parse_records(self, source: SourceFile) -> ParseResult:
        """The file read one row at a time into frozen records: the contract :meth:`parse`
        is checked against."""
        table = csvspec.read_table(source.path.read_bytes(), COLUMNS, "a Stripe balance export")
        if isinstance(table, str):
            return ParseResult.refused(table)
        cut_rejects, cut_warnings = csvspec.truncation(table, partial(source.reject, FORMAT))
        meta = metadata_columns(table.header.cells)
        records, rejects = [], []
        for line, raw, cells, values in table.rows.converted(COLUMNS, table.index):
            if not records and len(rejects) >= limits.REJECT_SAMPLE_ROWS:
                return ParseResult.refused(limits.junk(FORMAT, rejects))
            ref = _cell(cells, table.index["balance_transaction_id"]) or None
            try:
                if isinstance(values, str):
                    raise ValueError(values)
                metadata = {key: _cell(cells, pos) for pos, key in meta.items()
                            if _cell(cells, pos)}
                records.append(build(values, metadata, source.origin(FORMAT, line, ref)))
            except ValueError as exc:  # AmountError, CurrencyError, pydantic's errors too
                rejects.append(source.reject(FORMAT, str(exc), line, ref, raw))
        return ParseResult(records=records, rejects=rejects + cut_rejects,
                           warnings=cut_warnings)


def _cell(cells: Sequence[str], position: int) -> str:
    return cells[position].strip() if position < len(cells) else ""

