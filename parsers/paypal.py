"""PayPal CSV downloads, declared as columns, in the account's language.

Two layouts are read (quoted cells or not, optional UTF-8 BOM, header names possibly
preceded or followed by a space, a trailing empty column, one currency per row):

* the **activity download** (Activity > Download, "All transactions"): ``Date, Time,
  TimeZone, Name, Type, Status, Currency, Gross, Fee, Net, From Email Address, To Email
  Address, Transaction ID, ..., Reference Txn ID, Invoice Number, ..., Balance, Subject,
  Note`` (the older "all columns" export spells ``Time Zone`` and adds ``Invoice Id``);
* the **statement** CSV (Reports > Statements): ``Date, Time, Time Zone, Description,
  Currency, Gross, Fee, Net, Balance, Transaction ID, From Email Address, Name, ..., Invoice
  ID, Reference Txn ID`` - its ``Description`` is the transaction type.

PayPal translates the column names, types and statuses into the account's language
(``Date, Heure, Fuseau horaire, ..., Brut, Frais, Net, Numéro de transaction``; ``Fecha,
..., Bruto, Comisión, Neto, Id. de transacción``; ``Datum, ..., Brutto, Gebühr, Netto,
Transaktionscode``...): every language is a declaration in :mod:`parsers.paypal_locales`
(English, French, Spanish, German, Italian, Dutch, Indonesian), whose names are the column
aliases here. Dates and numbers follow the locale too (``31.12.2026``, ``1 234,56``,
``1.234,56``): the date order and the decimal mark are decided once per file from the
file's own values (:mod:`parsers.paypal_values`), never guessed from its language or time
zone; what the file leaves ambiguous is a reject with the reason.

One :class:`GatewayTransaction` per row. ``created_date`` is the date as written, in the
export's own time zone (the ``TimeZone`` column), not converted. PayPal writes the fee as a
negative number; ``fee_minor`` is the fee taken (``-Fee``, so a refund that returns part of
the fee has a negative ``fee_minor``) and ``gross - fee_minor == Net`` must hold or the row
is rejected. Only incoming payments of a payment type whose money arrived (not Denied,
Abgelehnt, Refusé...) are charges; a type or a payment status that no language declares is
kept as kind ``other`` - never counted as a customer's payment - and named in a warning.
``Status`` is kept as written (currency conversions get ``currency conversion``, PayPal's
status moving to ``metadata``). Refunds and disputes name their payment in ``related_id``
(``Reference Txn ID``); other rows keep that reference in ``metadata``.
``customer_email`` is the sender of money in, the receiver of money out.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from functools import partial

from parsers import csvspec, limits
from parsers import paypal_locales as locales
from parsers.amount_columns import to_minor
from parsers.base import ParseResult, SourceFile
from parsers.csvframe import column_texts, data_chunks
from parsers.csvspec import Column
from parsers.paypal_values import amount_reader, date_order, date_reader, decimal_marks
from pipeline.models import GatewayKind, GatewayTransaction, Origin
from pipeline.money import AmountError
from pipeline.record_frames import RecordFrame, collector_paused

FORMAT = "paypal"
K = GatewayKind
KINDS = {"charge": K.CHARGE, "refund": K.REFUND, "dispute": K.DISPUTE, "payout": K.PAYOUT,
         "conversion": K.ADJUSTMENT, "adjustment": K.ADJUSTMENT, "fee": K.FEE,
         "outgoing": K.OTHER, "hold": K.OTHER}
AMOUNTS = ("gross", "fee", "net")
# decimal_marks reads only where digits and separators are: each text's shape once
_NINES = str.maketrans("012345678", "999999999")


def _columns(date: csvspec.Converter, amount: csvspec.Converter) -> tuple[Column, ...]:
    def column(name: str, convert: csvspec.Converter = csvspec.text, **kw: object) -> Column:
        return Column(name, convert, aliases=locales.header_names(name), **kw)

    def optional(name: str) -> Column:
        return column(name, required=False, optional=True, empty="")

    return (
        column("date", date), optional("time"), optional("time_zone"), optional("name"),
        column("type"), optional("status"), column("currency", csvspec.currency),
        column("gross", amount), column("fee", amount, required=False, empty=Decimal(0)),
        column("net", amount), optional("from_email_address"), optional("to_email_address"),
        column("transaction_id"), optional("reference_txn_id"), optional("invoice_number"),
        optional("invoice_id"), optional("subject"), optional("item_title"), optional("note"),
    )


HEADER_COLUMNS = _columns(csvspec.text, csvspec.text)


def classify(type_text: str, gross: Decimal, status: str = "") -> tuple[GatewayKind, str]:
    """The kind of a PayPal type (``Type``, or ``Description`` in statements) in any declared
    language, checked against the gross and status, and why it is not trusted (``""`` when
    it is). A payment with money going out, or whose money never arrived, is OTHER; so is a
    refund coming in or one that never went out (Denied, Abgelehnt...). A type no language
    declares, or a payment whose status none declares, is OTHER too - never a customer
    payment - with the reason to warn about."""
    base = locales.fold(type_text)
    role = locales.TYPE_ROLES.get(base)
    if role is None and base.endswith(" sent"):
        role = "outgoing"
    elif role is None and base.endswith(" received"):
        role = "charge"
    if role is None:
        return K.OTHER, "unknown PayPal type"
    kind = KINDS[role]
    arrived = locales.STATUS_ARRIVED.get(locales.fold(status)) if status.strip() else True
    if kind is K.CHARGE and gross > 0 and arrived is None:
        return K.OTHER, "unknown PayPal status on a payment"
    if kind is K.CHARGE and (gross <= 0 or not arrived):
        return K.OTHER, ""
    if kind is K.REFUND and (gross > 0 or arrived is False):
        return K.OTHER, ""
    return kind, ""


def kind_of(type_text: str, gross: Decimal, status: str = "") -> GatewayKind:
    """The kind alone (see :func:`classify`)."""
    return classify(type_text, gross, status)[0]


def _money(values: dict) -> dict[str, int]:
    gross, fee, net = (values[n] for n in ("gross", "fee", "net"))
    if gross + fee != net:
        raise AmountError("net does not equal gross minus the fee taken: "
                          f"{gross} + ({fee}) != {net}")
    currency = values["currency"]
    return {"gross_minor": to_minor(gross, currency), "fee_minor": to_minor(-fee, currency),
            "net_minor": to_minor(net, currency)}


def build(values: dict, origin: Origin) -> tuple[GatewayTransaction, str]:
    """The transaction of one converted row, and why its kind is not trusted (``""``)."""
    status = values["status"]
    kind, doubt = classify(values["type"], values["gross"], status)
    reference = values["reference_txn_id"]
    metadata = {"type": values["type"], "time": values["time"],
                "time_zone": values["time_zone"]}
    role = locales.TYPE_ROLES.get(locales.fold(values["type"]))
    if role == "conversion" or "currency conversion" in values["type"].lower():
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
        metadata={k: v for k, v in metadata.items() if v}, origin=origin), doubt


def _header_names(cells: Sequence[str]) -> set[str]:
    return {csvspec.normalise_header(cell) for cell in cells}


class PaypalParser:
    """PayPal activity download and statement CSVs in any language of
    :mod:`parsers.paypal_locales` (see the module docstring): one
    :class:`GatewayTransaction` per row, keyed by its transaction ID."""

    format = FORMAT
    kind = "gateway"

    def identify(self, source: SourceFile) -> bool:
        """The header names the transaction ID, gross and net in one of PayPal's languages."""
        line = csvspec.first_line(source.head_text)
        cells = next(csv.reader([line], delimiter=csvspec.sniff_delimiter(line)), [])
        return locales.language_of(_header_names(cells)) is not None

    @collector_paused()
    def parse(self, source: SourceFile) -> ParseResult:
        """The file read once into frames (:mod:`parsers.paypal_frames`): what
        :meth:`parse_records` gives, in a :class:`~pipeline.record_frames.RecordFrame`."""
        from parsers import paypal_frames
        from parsers.csv_texts import read_texts

        table = read_texts(source.path.read_bytes(), HEADER_COLUMNS,
                           "a PayPal activity or statement CSV")
        if isinstance(table, str):
            return ParseResult.refused(table)
        cut_rejects, cut_warnings = csvspec.truncation(table, partial(source.reject, FORMAT))
        orders, marks = set(), set()
        for chunk in table.rows:
            orders |= date_order(chunk.texts["date"].unique())
            marks |= decimal_marks({t.translate(_NINES) for name in AMOUNTS  # by shape
                                    if name in table.index for t in chunk.texts[name].unique()})
        columns, separator = _decided(table, orders, marks)
        read = paypal_frames.read_rows(source, table.rows, columns, separator)
        if isinstance(read, str):
            return ParseResult.refused(read)
        frame, rejects = read
        doubts = defaultdict(list)
        flags = frame.pop("_doubt") if "_doubt" in frame else []
        for doubt, kind, status, line in zip(flags, frame["metadata"],
                                             frame["status"], frame["source_line"],
                                             strict=True):
            if doubt:
                doubts[(doubt, kind["type"], status)].append(line)
        return ParseResult(records=RecordFrame(GatewayTransaction, frame),
                           rejects=rejects + cut_rejects,
                           warnings=cut_warnings + _warnings(doubts))

    def parse_records(self, source: SourceFile) -> ParseResult:
        """The file read one row at a time into frozen records: the contract :meth:`parse`
        is checked against."""
        table = csvspec.read_table(source.path.read_bytes(), HEADER_COLUMNS,
                                   "a PayPal activity or statement CSV")
        if isinstance(table, str):
            return ParseResult.refused(table)
        cut_rejects, cut_warnings = csvspec.truncation(table, partial(source.reject, FORMAT))
        columns = _file_columns(table)
        records, rejects, doubts = [], [], defaultdict(list)
        for line, raw, cells, values in table.rows.converted(columns, table.index):
            if not records and len(rejects) >= limits.REJECT_SAMPLE_ROWS:
                return ParseResult.refused(limits.junk(FORMAT, rejects))
            ref = _cell(cells, table.index["transaction_id"]) or None
            try:
                if isinstance(values, str):
                    raise ValueError(values)
                record, doubt = build(values, source.origin(FORMAT, line, ref))
            except ValueError as exc:  # AmountError, CurrencyError, pydantic's errors too
                rejects.append(source.reject(FORMAT, str(exc), line, ref, raw))
                continue
            records.append(record)
            if doubt:
                doubts[(doubt, record.metadata["type"], record.status)].append(line)
        return ParseResult(records=records, rejects=rejects + cut_rejects,
                           warnings=cut_warnings + _warnings(doubts))


def _file_columns(table: csvspec.CsvTable) -> tuple[Column, ...]:
    """The columns with the date order and decimal mark this file's own values prove (a
    first pass over the file, a chunk at a time)."""
    index, rows = table.index, table.rows
    language = locales.language_of(_header_names(table.header.cells))
    orders: set[str] = set()
    marks: set[str] = set()
    for chunk in data_chunks(rows.content, rows.delimiter, rows.skip):
        orders |= date_order(column_texts(chunk.cells, index["date"]).unique())
        marks |= decimal_marks(text for name in AMOUNTS if name in index
                               for text in column_texts(chunk.cells, index[name]).unique())
    return _columns(date_reader(orders), amount_reader(marks, language and language.decimal))


def _decided(table: csvspec.CsvTable, orders: set[str],
             marks: set[str]) -> tuple[tuple[Column, ...], str | None]:
    """The file's columns (date order and decimal mark decided from ``orders`` and
    ``marks``, as :func:`_file_columns`) and the decimal mark of the plain amounts."""
    language = locales.language_of(_header_names(table.header.cells))
    default = language and language.decimal
    separator = next(iter(marks)) if len(marks) == 1 else default
    fast = separator if len(marks) <= 1 else None
    return _columns(date_reader(orders), amount_reader(marks, default)), fast


def _warnings(doubts: dict[tuple[str, str, str], list[int]]) -> list[str]:
    """One warning per unknown type (or payment status): how many rows, which lines."""
    return [f"{len(lines)} row{'s' * (len(lines) > 1)} with {doubt} {kind!r}"
            f"{f' (status {status!r})' if 'status' in doubt else ''} kept as kind 'other', "
            f"not as customer payments (line{'s' * (len(lines) > 1)} "
            f"{', '.join(map(str, lines))}); declare it in parsers/paypal_locales.py"
            for (doubt, kind, status), lines in doubts.items()]


def _cell(cells: Sequence[str], position: int) -> str:
    return cells[position].strip() if position < len(cells) else ""
