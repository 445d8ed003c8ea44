"""PayPal CSV downloads, declared as columns.

Two layouts are read, both as PayPal writes them in English (quoted cells, optional UTF-8
BOM, header names possibly preceded by a space, a trailing empty column, ``.`` decimals with
``,`` thousands separators such as ``"1,653.75"``, one currency per row):

* the **activity download** (Activity > Download, "All transactions"): ``Date, Time,
  TimeZone, Name, Type, Status, Currency, Gross, Fee, Net, From Email Address, To Email
  Address, Transaction ID, ..., Reference Txn ID, Invoice Number, ..., Balance, Subject,
  Note`` (the older "all columns" export spells ``Time Zone`` and adds ``Invoice Id``);
* the **statement** CSV (Reports > Statements): ``Date, Time, Time Zone, Description,
  Currency, Gross, Fee, Net, Balance, Transaction ID, From Email Address, Name, ..., Invoice
  ID, Reference Txn ID`` - its ``Description`` is the transaction type.

One :class:`GatewayTransaction` per row. ``created_date`` is the date as written, in the
export's own time zone (the ``TimeZone`` column), not converted. The date order (``D/M/YYYY``
or ``M/D/YYYY``) is decided once per file from all its dates: a first number above 12 means
day-first, a second above 12 month-first. It is never guessed from the time zone: when no
date in the file tells, every row whose day and month could be swapped is rejected
("ambiguous date order"); a date such as ``05/05/2026`` reads the same either way and is kept.

PayPal writes the fee as a negative number; ``fee_minor`` is the fee taken (``-Fee``, so a
refund that returns part of the fee has a negative ``fee_minor``) and ``gross - fee_minor ==
Net`` must hold or the row is rejected. Only incoming payments of a payment type whose money
arrived (not Denied/Failed/Canceled...) are charges; ``Status`` is kept as written (currency
conversions get ``currency conversion``, PayPal's status moving to ``metadata``). Refunds and
disputes name their payment in ``related_id`` (``Reference Txn ID``); other rows keep that
reference in ``metadata``. ``customer_email`` is the sender of money in, the receiver of
money out.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from parsers import csvspec
from parsers.base import ParseResult, SourceFile
from parsers.csvspec import Column, CsvRecord
from pipeline.models import GatewayKind, GatewayTransaction, Origin
from pipeline.money import AmountError, to_minor

FORMAT = "paypal"
_AMOUNT = csvspec.amount(".")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
K = GatewayKind
TYPES: dict[str, GatewayKind] = {
    **dict.fromkeys(("general payment", "express checkout payment", "subscription payment",
                     "website payment", "payment received", "mobile payment"), K.CHARGE),
    **dict.fromkeys(("payment refund", "refund"), K.REFUND),
    **dict.fromkeys(("payment reversal", "chargeback", "chargeback reversal",
                     "hold on balance for dispute investigation",
                     "cancellation of hold for dispute resolution"), K.DISPUTE),
    **dict.fromkeys(("general withdrawal", "withdraw funds to bank account"), K.PAYOUT),
    **dict.fromkeys(("general currency conversion", "user initiated currency conversion",
                     "bank deposit to pp account", "charge from debit card",
                     "add funds from a bank account"), K.ADJUSTMENT),
    "chargeback fee": K.FEE,
}
OUTGOING = {"payment sent", "recurring payment sent", "preapproved payment bill user payment"}
NOT_RECEIVED = {"denied", "failed", "canceled", "cancelled", "voided", "expired"}


def _columns(date: csvspec.Converter) -> tuple[Column, ...]:
    def optional(name: str, *aliases: str) -> Column:
        return Column(name, required=False, optional=True, empty="", aliases=aliases)

    return (
        Column("date", date), optional("time"), optional("time_zone", "timezone"),
        optional("name"), Column("type", aliases=("description",)), optional("status"),
        Column("currency", csvspec.currency), Column("gross", _AMOUNT),
        Column("fee", _AMOUNT, required=False, empty=Decimal(0)), Column("net", _AMOUNT),
        optional("from_email_address"), optional("to_email_address"),
        Column("transaction_id"), optional("reference_txn_id"), optional("invoice_number"),
        optional("invoice_id"), optional("subject"), optional("item_title"), optional("note"),
    )


HEADER_COLUMNS = _columns(csvspec.text)


def date_order(texts: Iterable[str]) -> set[str]:
    """The orders the file's ``D/M/YYYY``-shaped dates prove: ``{'day-first'}``,
    ``{'month-first'}``, both (inconsistent) or none (nothing tells)."""
    orders: set[str] = set()
    for text in texts:
        match = _DMY.fullmatch(text.strip())
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            orders |= {"day-first"} if first > 12 else set()
            orders |= {"month-first"} if second > 12 else set()
    return orders


def date_reader(orders: set[str]) -> csvspec.Converter:
    """A converter for the file's dates, read in the order ``orders`` proves (ISO always)."""

    def convert(value: str) -> dt.date:
        match = _DMY.fullmatch(value.strip())
        if not match:
            return csvspec.iso_date(value)
        first, second, year = (int(part) for part in match.groups())
        if len(orders) > 1:
            raise ValueError(f"inconsistent date order: the file has both day-first and "
                             f"month-first dates ({value!r})")
        if not orders and first != second:
            raise ValueError(f"ambiguous date order: no date in the file has a day above 12, "
                             f"so {value!r} fits both D/M/YYYY and M/D/YYYY")
        day, month = (first, second) if orders == {"day-first"} else (second, first)
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"not a valid date: {value!r}") from None

    return convert


def kind_of(type_text: str, gross: Decimal, status: str = "") -> GatewayKind:
    """The kind of a PayPal type (``Description`` in statements), checked against the gross
    and status: a payment type with money going out or whose money never arrived (Denied,
    Failed, Canceled...), a refund coming in, and an unknown type are OTHER."""
    base = " ".join(type_text.lower().split()).split(" - ")[0]
    if base in OUTGOING or base.endswith(" sent"):
        return K.OTHER
    kind = TYPES.get(base) or (K.CHARGE if base.endswith(" received") else K.OTHER)
    if kind is K.CHARGE and (gross <= 0 or status.strip().lower() in NOT_RECEIVED):
        return K.OTHER
    return K.OTHER if kind is K.REFUND and gross > 0 else kind


def _money(values: dict) -> dict[str, int]:
    gross, fee, net = (values[n] for n in ("gross", "fee", "net"))
    if gross + fee != net:
        raise AmountError("net does not equal gross minus the fee taken: "
                          f"{gross} + ({fee}) != {net}")
    currency = values["currency"]
    return {"gross_minor": to_minor(gross, currency), "fee_minor": to_minor(-fee, currency),
            "net_minor": to_minor(net, currency)}


def build(values: dict, origin: Origin) -> GatewayTransaction:
    status = values["status"]
    kind = kind_of(values["type"], values["gross"], status)
    reference = values["reference_txn_id"]
    metadata = {"type": values["type"], "time": values["time"],
                "time_zone": values["time_zone"]}
    if "currency conversion" in values["type"].lower():
        metadata["paypal_status"], status = status, "currency conversion"
    if kind not in (K.REFUND, K.DISPUTE):
        metadata["reference_txn_id"], reference = reference, ""
    incoming = values["gross"] > 0
    return GatewayTransaction(
        gateway=FORMAT, transaction_id=values["transaction_id"], kind=kind,
        created_date=values["date"], currency=values["currency"], **_money(values),
        status=status, customer_name=values["name"],
        customer_email=values["from_email_address" if incoming else "to_email_address"],
        description=values["subject"] or values["item_title"] or values["note"],
        invoice_ref=values["invoice_number"] or values["invoice_id"], related_id=reference,
        metadata={k: v for k, v in metadata.items() if v}, origin=origin)


def _header_names(head_text: str) -> set[str]:
    line = csvspec.first_line(head_text)
    cells = next(csv.reader([line], delimiter=csvspec.sniff_delimiter(line)), [])
    return {csvspec.normalise_header(cell) for cell in cells}


class PaypalParser:
    """PayPal activity download and statement CSVs (see the module docstring): one
    :class:`GatewayTransaction` per row, keyed by its ``Transaction ID``."""

    format = FORMAT
    kind = "gateway"

    def identify(self, source: SourceFile) -> bool:
        """The header names ``Transaction ID``, ``Gross`` and ``Net``."""
        return {"transaction id", "gross", "net"} <= _header_names(source.head_text)

    def parse(self, source: SourceFile) -> ParseResult:
        table = csvspec.read_table(source.path.read_bytes(), HEADER_COLUMNS,
                                   "a PayPal activity or statement CSV")
        if isinstance(table, str):
            return ParseResult.refused(table)
        index = table.index
        data = table.rows
        columns = _columns(date_reader(date_order(_cell(r.cells, index["date"]) for r in data)))
        records, rejects = [], []
        for row in data:
            ref = _cell(row.cells, index["transaction_id"]) or None
            try:
                records.append(_record(source, row, columns, index, ref))
            except ValueError as exc:  # AmountError, CurrencyError, pydantic's errors too
                rejects.append(source.reject(FORMAT, str(exc), row.line, ref, row.raw))
        return ParseResult(records=records, rejects=rejects)


def _record(source: SourceFile, row: CsvRecord, columns: Sequence[Column],
            index: dict[str, int], ref: str | None) -> GatewayTransaction:
    values = csvspec.convert(columns, index, row.cells)
    if isinstance(values, str):
        raise ValueError(values)
    return build(values, source.origin(FORMAT, row.line, ref))


def _cell(cells: Sequence[str], position: int) -> str:
    return cells[position].strip() if position < len(cells) else ""
