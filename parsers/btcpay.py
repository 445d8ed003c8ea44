"""BTCPay Server invoice exports, declared as columns.

Read layouts (``.`` decimals, dates ISO 8601 or .NET invariant ``MM/dd/yyyy HH:mm:ss``, UTC):

* the **legacy invoice export** (Invoices > Export, CSV or JSON; also the "Legacy Invoice
  Export" report of BTCPay 2.x): one row per payment, ``ReceivedDate, StoreId, OrderId,
  InvoiceId, InvoiceCreatedDate, ..., PaymentId, Destination, PaymentType, CryptoCode, Paid,
  NetworkFee, ConversionRate, PaidCurrency, InvoiceCurrency, InvoiceDue, InvoicePrice, ...,
  InvoiceStatus, InvoiceExceptionStatus, BuyerEmail[, Accounted]``; invoices without a
  payment come as one row with the payment cells empty;
* the **Invoices report** of BTCPay 1.11+ (Reporting > Invoices, CSV): ``InvoiceCreatedDate,
  InvoiceId, InvoiceCurrency, InvoiceDue, InvoicePrice, InvoiceFullStatus, InvoiceStatus,
  InvoiceExceptionStatus, ..., PaymentId, PaymentRate, ..., PaymentCurrency, PaymentAmount,
  PaymentMethodFee, PaymentInvoiceAmount`` then metadata columns (``orderId``, ``buyerEmail``);
  only an invoice's first row carries the invoice cells.

Rows are aggregated per ``InvoiceId`` into one :class:`GatewayTransaction` (``invoice_ref`` =
the order id, which is our invoice number; ``created_date`` = the invoice's UTC creation date;
no fee: the network fee is in crypto and kept in ``metadata``).

Kind and status: ``invalid`` (status or exception) and ``marked`` (settled by hand, money not
seen by BTCPay) are OTHER; exception ``paidPartial`` / ``paidOver`` / ``paidLate`` is a CHARGE
with status ``paid_partial`` / ``paid_over`` / ``paid_late``; ``settled`` / ``complete`` /
``confirmed`` is a CHARGE with the status as written; anything else (``expired``, ``new``,
``processing``, ``paid`` awaiting confirmations) is OTHER with the status as written.

Gross rule (never rounded): gross is the exact sum of ``paid crypto x rate`` in the invoice
currency. When that sum has more decimals than the currency allows, a settled invoice with no
exception status takes its invoice price (BTCPay itself declared it fully paid); any other
invoice is rejected with the reason, for a person to look at. An invoice without payments
has gross 0, except a settled one (its price). Crypto amounts, rates and BTCPay's own rounded
fiat figure are kept in ``metadata`` as written.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from functools import partial

from parsers import csv_cut, csvspec
from parsers.amount_columns import to_minor
from parsers.base import ParseResult, SourceFile
from parsers.csvspec import Column, CsvRecord
from pipeline.models import GatewayKind, GatewayTransaction, Reject
from pipeline.money import AmountError

FORMAT = "btcpay"
_AMOUNT = csvspec.amount(".")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s.*)?")
SETTLED = {"settled", "complete", "confirmed"}
EXCEPTION_STATUS = {"paidpartial": "paid_partial", "paidover": "paid_over",
                    "paidlate": "paid_late"}


def btcpay_date(value: str) -> dt.date:
    """``2026-11-02T03:14:07Z`` or .NET invariant ``11/02/2026 03:14:07`` (month first)."""
    match = _US_DATE.fullmatch(value.strip())
    if not match:
        return csvspec.iso_date(value)
    month, day, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"not a valid date: {value!r}") from None


def _optional(name: str, *aliases: str, convert: csvspec.Converter = csvspec.text) -> Column:
    return Column(name, convert, required=False, optional=True,
                  empty="" if convert is csvspec.text else None, aliases=aliases)


COLUMNS = (
    Column("InvoiceId"),
    Column("InvoiceCreatedDate", btcpay_date),
    Column("InvoiceStatus", required=False, empty=""),
    _optional("InvoiceExceptionStatus"),
    Column("InvoiceCurrency", csvspec.currency, required=False),
    Column("InvoicePrice", _AMOUNT, required=False),
    _optional("OrderId"),
    _optional("PaymentId"),
    _optional("CryptoCode", "PaymentCurrency"),
    _optional("Paid", "PaymentAmount", "PaymentPaid", convert=_AMOUNT),
    _optional("ConversionRate", "PaymentRate", convert=_AMOUNT),
    _optional("NetworkFee", "PaymentMethodFee"),
    _optional("PaidCurrency", "PaymentInvoiceAmount"),
    _optional("Accounted"),
    _optional("BuyerEmail"),
    _optional("BuyerName"),
    _optional("InvoiceItemDesc", "InvoiceComment"),
)
_INVOICE_FIELDS = ("InvoiceStatus", "InvoiceExceptionStatus", "InvoiceCurrency", "InvoicePrice",
                   "OrderId", "BuyerEmail", "BuyerName", "InvoiceItemDesc")


def classify(status: str, exception: str) -> tuple[GatewayKind, str]:
    """(kind, status) of an invoice from BTCPay's status and exception status."""
    state = status.strip().lower()
    exc = re.sub(r"[\s_]", "", exception.lower())
    if "invalid" in (state, exc):
        return GatewayKind.OTHER, status
    if exc == "marked":
        return GatewayKind.OTHER, "marked"
    if exc in EXCEPTION_STATUS:
        return GatewayKind.CHARGE, EXCEPTION_STATUS[exc]
    if state in SETTLED and exc in ("", "none", "false"):
        return GatewayKind.CHARGE, status
    return GatewayKind.OTHER, status


def _merged(rows: Sequence[dict]) -> dict:
    """Invoice-level cells: the first non-empty value of each among the invoice's rows."""
    merged = dict(rows[0])
    for name in _INVOICE_FIELDS:
        merged[name] = next((r[name] for r in rows if r[name] not in ("", None)),
                            merged[name])
    return merged


def _payments(rows: Sequence[dict]) -> tuple[Decimal | None, dict[str, str]]:
    """Exact sum of paid x rate (None without payments) and the per-crypto figures as text."""
    paid = [r for r in rows if r["Paid"] is not None and r["Accounted"].lower() != "false"]
    meta: dict[str, str] = {}
    if not paid:
        return None, meta
    total = Decimal(0)
    with decimal.localcontext() as ctx:  # exact: 200 digits, and any rounding is an error
        ctx.prec, ctx.traps[decimal.Inexact] = 200, True
        try:
            for row in paid:
                if row["ConversionRate"] is None:
                    raise AmountError(f"payment {row['PaymentId'] or '?'} has no rate")
                total += row["Paid"] * row["ConversionRate"]
                code = row["CryptoCode"] or "crypto"
                meta[f"paid_{code}"] = str(Decimal(meta.get(f"paid_{code}", "0")) + row["Paid"])
                _append(meta, f"rate_{code}", str(row["ConversionRate"]), unique=True)
                _append(meta, f"network_fee_{code}", row["NetworkFee"])
                _append(meta, "btcpay_paid_in_invoice_currency", row["PaidCurrency"])
        except decimal.Inexact:
            raise AmountError("paid x rate has too many digits to compute exactly") from None
    meta["paid_in_invoice_currency"] = plain(total)
    meta["payments"] = str(len(paid))
    return total, meta


def plain(value: Decimal) -> str:
    """``Decimal('20.0600000000')`` -> ``'20.06'`` (no rounding, no exponent)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _append(meta: dict[str, str], key: str, value: str, unique: bool = False) -> None:
    """Add ``value`` to a comma-separated list in ``meta`` (once only when ``unique``)."""
    if value and not (unique and value in meta.get(key, "").split(",")):
        meta[key] = f"{meta[key]},{value}" if key in meta else value


def _gross(kind: GatewayKind, status: str, paid: Decimal | None, inv: dict) -> int:
    """The gross in minor units by the rule of the module docstring."""
    currency, price = inv["InvoiceCurrency"], inv["InvoicePrice"]
    plain_settled = kind is GatewayKind.CHARGE and status.lower() in SETTLED
    if paid is None:
        if kind is GatewayKind.CHARGE and not plain_settled:
            raise AmountError(f"invoice is {status} but has no payment rows")
        return to_minor(price, currency) if plain_settled else 0
    try:
        return to_minor(paid, currency)
    except AmountError:
        if plain_settled:
            return to_minor(price, currency)
        raise AmountError(
            f"paid x rate = {plain(paid)} has more decimals than {currency} allows and the invoice "
            f"is {status}, not plainly settled: not rounded, needs a person") from None


def build(rows: Sequence[dict], origin) -> GatewayTransaction:
    inv = _merged(rows)
    if inv["InvoiceCurrency"] is None or inv["InvoicePrice"] is None:
        raise ValueError("no row of the invoice gives InvoiceCurrency and InvoicePrice")
    kind, status = classify(inv["InvoiceStatus"], inv["InvoiceExceptionStatus"])
    paid, meta = _payments(rows)
    gross = _gross(kind, status, paid, inv)
    meta.update({"invoice_price": str(inv["InvoicePrice"]),
                 "invoice_status": inv["InvoiceStatus"],
                 "exception_status": inv["InvoiceExceptionStatus"]})
    return GatewayTransaction(
        gateway=FORMAT, transaction_id=inv["InvoiceId"], kind=kind,
        created_date=inv["InvoiceCreatedDate"], currency=inv["InvoiceCurrency"],
        gross_minor=gross, fee_minor=0, net_minor=gross, status=status,
        customer_name=inv["BuyerName"], customer_email=inv["BuyerEmail"],
        description=inv["InvoiceItemDesc"], invoice_ref=inv["OrderId"],
        metadata={k: v for k, v in meta.items() if v}, origin=origin)


def _json_rows(content: str) -> tuple[list[str], list[CsvRecord]] | str:
    """The legacy JSON export (an array of row objects) as a header and cells, no lines."""
    try:
        items = json.loads(content, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        return f"unreadable JSON: {exc}"
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return "not a BTCPay JSON export: expected an array of objects"
    header = list(dict.fromkeys(key for item in items for key in item))
    rows = [CsvRecord(line=None, raw=json.dumps(item, default=str),
                      cells=["" if item.get(k) is None else str(item.get(k)) for k in header])
            for item in items]
    return header, rows


def _csv_rows(content: str) -> tuple[list[str], list[CsvRecord]] | str:
    try:
        rows = list(csvspec.all_records(content, csvspec.sniff_delimiter(
            csvspec.first_line(content))))
    except csv.Error as exc:
        return f"unreadable CSV: {exc}"
    if not rows:
        return "empty file: no header row"
    return rows[0].cells, [r for r in rows[1:] if not r.blank]


def _cut(source: SourceFile, content: str, header: list[str], rows: list[CsvRecord],
         index: dict[str, int]) -> tuple[list[CsvRecord], list[Reject], list[str]]:
    """The rows without a CSV export's cut last row, and its reject and warning. The other
    payment rows of the cut row's invoice are rejected too: an invoice is never read from
    part of its payments."""
    if content.lstrip().startswith("["):  # JSON: a cut array does not parse at all
        return rows, [], []
    kept, rejects, warnings = csv_cut.without_cut(rows, len(header), content,
                                                  partial(source.reject, FORMAT))
    cut = csv_cut.cut_last(rows, len(header), content)
    if cut is None:
        return kept, rejects, warnings
    ref = _cell(cut.cells, index["InvoiceId"])
    same = [row for row in kept if ref and _cell(row.cells, index["InvoiceId"]) == ref]
    reason = (f"truncated: another payment row of invoice {ref} (line {cut.line}) was cut "
              "short; the invoice is not read from part of its payments")
    rejects += [_reject(source, row, reason, ref) for row in same]
    return [row for row in kept if row not in same], rejects, warnings


class BtcpayParser:
    """BTCPay Server invoice exports (see the module docstring): one
    :class:`GatewayTransaction` per invoice, keyed by its ``InvoiceId``."""

    format = FORMAT
    kind = "gateway"

    def identify(self, source: SourceFile) -> bool:
        """A CSV header naming ``InvoiceId`` with ``InvoiceStatus`` or ``OrderId``, or a JSON
        array whose objects carry ``"InvoiceId"`` and ``"InvoiceStatus"``."""
        head = source.head_text
        if head.lstrip().startswith("["):
            return '"InvoiceId"' in head and '"InvoiceStatus"' in head
        line = csvspec.first_line(head)
        cells = next(csv.reader([line], delimiter=csvspec.sniff_delimiter(line)), [])
        names = {csvspec.normalise_header(c) for c in cells}
        return "invoiceid" in names and bool({"invoicestatus", "orderid"} & names)

    def parse(self, source: SourceFile) -> ParseResult:
        content = csvspec.decode(source.path.read_bytes())
        read = _json_rows(content) if content.lstrip().startswith("[") else _csv_rows(content)
        if isinstance(read, str):
            return ParseResult.refused(read)
        header, rows = read
        if not header and not rows:  # an empty JSON export: nothing to read, nothing wrong
            return ParseResult()
        index, missing = csvspec.resolve(COLUMNS, header)
        if missing:
            return ParseResult.refused(
                f"not a BTCPay invoice export: header lacks {', '.join(missing)}")
        rows, rejects, warnings = _cut(source, content, header, rows, index)
        records = []
        for group in _groups(rows, index):
            result = _invoice(source, group, index)
            (rejects if isinstance(result, Reject) else records).append(result)
        return ParseResult(records=records, rejects=rejects, warnings=warnings)


def _groups(rows: Sequence[CsvRecord], index: dict[str, int]) -> Iterator[list[CsvRecord]]:
    """Rows by invoice, in order of first appearance; a row without an InvoiceId is a group
    of its own (and a reject)."""
    groups: dict[str, list[CsvRecord]] = {}
    for position, row in enumerate(rows):
        key = _cell(row.cells, index["InvoiceId"]) or f"\x00{position}"
        groups.setdefault(key, []).append(row)
    yield from groups.values()


def _invoice(source: SourceFile, group: list[CsvRecord],
             index: dict[str, int]) -> GatewayTransaction | Reject:
    """One invoice's record, or the reject naming its first unreadable row."""
    ref = _cell(group[0].cells, index["InvoiceId"]) or None
    converted = [(row, csvspec.convert(COLUMNS, index, row.cells)) for row in group]
    bad = next(((row, v) for row, v in converted if isinstance(v, str)), None)
    if bad is not None:
        return _reject(source, *bad, ref)
    try:
        return build([v for _, v in converted], source.origin(FORMAT, group[0].line, ref))
    except ValueError as exc:  # AmountError, CurrencyError, pydantic's errors too
        return _reject(source, group[0], str(exc), ref)


def _reject(source: SourceFile, row: CsvRecord, reason: str, ref: str | None) -> Reject:
    return source.reject(FORMAT, reason, row.line, ref, row.raw)


def _cell(cells: Sequence[str], position: int) -> str:
    return cells[position].strip() if position < len(cells) else ""
