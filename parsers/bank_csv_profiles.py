"""Bank and wallet CSV layouts as data: one :class:`BankCsvProfile` per export layout.

A profile says which header columns identify the layout (its signature), which header
columns fill which transaction field, and the layout's fixed conventions (date order,
decimal separator, currency, natural key, rows that are not booked). The parser has one
code path; a profile only changes its inputs. :data:`GENERIC` is header detection by
aliases in English, Indonesian and German, for every bank without a profile of its own.

Header names here are normalised (:func:`parsers.csvspec.normalise_header`: lower case,
punctuation dropped, umlauts spelled out). Fields: ``date`` (booking), ``value_date``,
``description``, ``amount`` (signed, or marked ``CR``/``DB``), ``debit``/``credit``,
``marker`` (a ``CR``/``DB``/``S``/``H`` column), ``fee``, ``reference``, ``currency``,
``balance`` (running), ``counterparty``, ``counterparty_account``, ``account`` (the
statement's own account) and ``status``. Several header names for one field: the first
non-empty cell among them, in the order listed, is the value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from parsers import csvspec
from pipeline.dates import DateOrder
from pipeline.money import DecimalSeparator

FORMAT = "bank-csv"


@dataclass(frozen=True)
class RowRule:
    """A row whose ``field`` (upper-cased) is one of ``values`` is rejected with ``reason``
    (``{value}`` in the reason is replaced by the cell): e.g. a pending card payment."""

    field: str
    values: frozenset[str]
    reason: str


@dataclass(frozen=True)
class BankCsvProfile:
    """One export layout. ``signature``: header names that must all be present (empty for
    the generic profile). ``columns``: field -> header names. ``date_order``/``decimal``/
    ``currency``: fixed by the layout (``None``: decided per file from its values and
    hints). ``sign``: ``signed`` (one amount column, sign or ``CR``/``DB`` mark), ``split``
    (debit and credit columns) or ``auto``. ``key_columns``: header columns whose values,
    joined with ``@``, are the natural key (else the reference, else a row hash).
    ``remittance``: (header, label) texts appended to the description. ``fee_included``:
    ``False`` when the fee column is charged on top of the amount (movement = amount - fee).
    ``reject_rows``: rows that are not booked money. ``statement_balances``: (kind, header)
    of opening/closing balances stated on the layout's summary rows.
    ``marker_follows_amount``: an unnamed column right after the amount holds ``CR``/``DB``.
    ``excel_text_marker``: every cell may start with the ``'`` Excel uses to mark text, which
    is dropped from text fields too (it is always dropped from dates, amounts and numbers).
    """

    name: str
    based_on: str
    columns: Mapping[str, tuple[str, ...]]
    signature: frozenset[str] = frozenset()
    date_order: DateOrder | None = None
    decimal: DecimalSeparator | None = None
    currency: str | None = None
    sign: Literal["auto", "signed", "split"] = "auto"
    key_columns: tuple[str, ...] = ()
    remittance: tuple[tuple[str, str], ...] = ()
    fee_included: bool = True
    reject_rows: tuple[RowRule, ...] = ()
    statement_balances: tuple[tuple[Literal["opening", "closing"], str], ...] = ()
    marker_follows_amount: bool = False
    excel_text_marker: bool = False
    extra_headers: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        extras = (*self.key_columns, *(h for h, _ in self.remittance),
                  *(h for _, h in self.statement_balances))
        object.__setattr__(self, "extra_headers", tuple(dict.fromkeys(extras)))


def _columns(**columns: tuple[str, ...]) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType(columns)


def _rule(field_name: str, values: str, reason: str) -> RowRule:
    return RowRule(field_name, frozenset(values.upper().split()), reason)


PENDING_DATE = _rule("date", "PEND PENDING", "pending, not booked (date {value})")

GENERIC = BankCsvProfile(
    name="generic",
    based_on="header aliases seen in English, Indonesian (KlikBCA, Mandiri, BRI) and German "
             "(Sparkasse CSV-CAMT, Deutsche Bank, Volksbank, DKB) internet-banking exports",
    columns=_columns(
        date=("date", "posting date", "booking date", "transaction date", "tanggal",
              "tanggal transaksi", "tgl", "tgl transaksi", "buchungstag", "buchungsdatum",
              "buchung", "datum"),
        value_date=("value date", "tanggal valuta", "tgl val", "valuta", "wertstellung",
                    "wertstellungsdatum", "valutadatum", "wert"),
        description=("description", "narrative", "memo", "keterangan", "uraian", "deskripsi",
                     "rincian transaksi", "verwendungszweck", "buchungstext", "umsatzart",
                     "details"),
        amount=("amount", "jumlah", "nominal", "mutasi", "betrag", "betrag eur", "umsatz"),
        debit=("debit", "withdrawal", "withdrawals", "paid out", "debet", "mutasi debet",
               "mutasi debit", "soll"),
        credit=("credit", "deposit", "deposits", "paid in", "kredit", "mutasi kredit",
                "haben"),
        marker=("cr db", "db cr", "dr cr", "cr dr", "d k", "dk", "debit credit", "s h",
                "soll haben"),
        reference=("reference", "ref", "transaction id", "no referensi", "reference no",
                   "ref no", "kundenreferenz", "referenz"),
        currency=("currency", "mata uang", "waehrung", "wahrung", "ccy"),
        balance=("balance", "saldo", "running balance", "running bal", "runningbalance",
                 "kontostand"),
        counterparty=("payee", "name", "counterparty", "nama", "payee name",
                      "auftraggeber empfaenger", "beguenstigter zahlungspflichtiger",
                      "beguenstigter auftraggeber", "auftraggeber beguenstigter",
                      "empfaenger", "name zahlungsbeteiligter"),
        counterparty_account=("counterparty account", "iban", "kontonummer iban",
                              "iban zahlungsbeteiligter"),
        account=("account", "account number", "no rekening", "rekening", "auftragskonto",
                 "iban auftragskonto"),
    ),
    reject_rows=(PENDING_DATE,),
)

CHASE = BankCsvProfile(
    name="chase",
    based_on="Chase checking 'Download account activity' CSV (beangulp example "
             "examples/tests/csvbank/statement.csv): Details, Posting Date, Description, "
             "Amount, Type, Balance, Check or Slip #, a trailing empty column; M/D/YYYY; USD",
    signature=frozenset({"details", "posting date", "description", "amount", "type",
                         "balance", "check or slip"}),
    columns=_columns(date=("posting date",), description=("description",), amount=("amount",),
                     balance=("balance",), reference=("check or slip",)),
    date_order="mdy", decimal=".", currency="USD", sign="signed",
)

WISE = BankCsvProfile(
    name="wise",
    based_on="Wise (TransferWise) balance statement CSV (ofxstatement-transferwise "
             "tests/sample-statement.csv): TransferWise ID repeated on a transfer and its fee "
             "row, Date DD-MM-YYYY, Date Time with milliseconds, Currency, Payment Reference, "
             "Running Balance; fee rows are transactions of their own",
    signature=frozenset({"transferwise id", "date", "amount", "currency", "description",
                         "running balance"}),
    columns=_columns(date=("date",), description=("description",), amount=("amount",),
                     currency=("currency",), balance=("running balance",),
                     reference=("transferwise id",),
                     counterparty=("payee name", "payer name", "merchant"),
                     counterparty_account=("payee account number",)),
    date_order="dmy", decimal=".", sign="signed",
    key_columns=("transferwise id", "date time"),
    remittance=(("payment reference", ""),),
)

REVOLUT = BankCsvProfile(
    name="revolut",
    based_on="Revolut account statement CSV (ofxstatement-revolut tests/samples/"
             "2022-january.csv): Type, Product, Started Date, Completed Date, Description, "
             "Amount, Fee, Currency, State, Balance; PENDING rows have no Completed Date",
    signature=frozenset({"type", "product", "started date", "completed date", "description",
                         "amount", "fee", "currency", "state", "balance"}),
    columns=_columns(date=("completed date",), description=("description",),
                     amount=("amount",), fee=("fee",), currency=("currency",),
                     balance=("balance",), status=("state",)),
    decimal=".", sign="signed", fee_included=False,
    reject_rows=(_rule("status", "PENDING", "pending, not booked (State {value}, no "
                                            "Completed Date)"),
                 _rule("status", "REVERTED DECLINED FAILED",
                       "not booked (State {value})")),
)

VENMO = BankCsvProfile(
    name="venmo",
    based_on="Venmo statement CSV (ledger-autosync fixtures/venmo.csv): an account-summary "
             "row (Username, Beginning Balance) before the transactions, trailing rows with "
             "Ending Balance, fees and a Disclaimer; amounts '+ $73.01' / '- $12.01'; USD",
    signature=frozenset({"id", "datetime", "note", "from", "to", "amount total"}),
    columns=_columns(date=("datetime",), description=("note",), amount=("amount total",),
                     reference=("id",), status=("status",)),
    decimal=".", currency="USD", sign="signed",
    remittance=(("from", "from"), ("to", "to")),
    reject_rows=(_rule("status", "PENDING ISSUED FAILED CANCELLED CANCELED DECLINED",
                       "not booked (Status {value})"),),
    statement_balances=(("opening", "beginning balance"), ("closing", "ending balance")),
)

KLIKBCA = BankCsvProfile(
    name="klikbca",
    based_on="KlikBCA 'Mutasi Rekening' CSV (as in sample_data/demo/bank-bca-idr.csv): a "
             "preamble (No. rekening, Nama, Periode, Kode Mata Uang), Tanggal Transaksi, "
             "Keterangan, Cabang, Jumlah with a CR/DB mark (inside or in the next column), "
             "Saldo; Saldo Awal / Mutasi Kredit / Mutasi Debet / Saldo Akhir after the data; "
             "DD/MM/YYYY (or DD/MM within the Periode), '.' decimals; PEND for pending rows; "
             "cells may start with Excel's ' text marker",
    signature=frozenset({"tanggal transaksi", "keterangan", "cabang", "jumlah"}),
    columns=_columns(date=("tanggal transaksi",), description=("keterangan",),
                     amount=("jumlah",), marker=("cr db", "db cr"),
                     currency=("mata uang",), balance=("saldo",)),
    date_order="dmy", decimal=".", sign="signed", marker_follows_amount=True,
    excel_text_marker=True, reject_rows=(PENDING_DATE,),
)

SPECIFIC: tuple[BankCsvProfile, ...] = (CHASE, WISE, REVOLUT, VENMO, KLIKBCA)
PROFILES: Mapping[str, BankCsvProfile] = MappingProxyType(
    {p.name: p for p in (*SPECIFIC, GENERIC)})

# Header words of one language hint the file's conventions when its values do not decide:
# (header names, decimal separator, date order).
GERMAN_HEADERS = frozenset({
    "buchungstag", "buchungsdatum", "buchung", "valuta", "wertstellung", "wertstellungsdatum",
    "valutadatum", "wert",
    "verwendungszweck", "buchungstext", "umsatzart", "betrag", "betrag eur", "umsatz", "soll",
    "haben", "waehrung", "wahrung", "auftraggeber empfaenger", "beguenstigter zahlungspflichtiger",
    "beguenstigter auftraggeber", "auftraggeber beguenstigter", "kontostand", "datum"})
INDONESIAN_HEADERS = frozenset({
    "tanggal", "tanggal transaksi", "tgl", "tgl transaksi", "keterangan", "jumlah", "mutasi",
    "cabang", "debet", "kredit", "mutasi debet", "mutasi kredit", "mata uang", "uraian"})
LANGUAGE_HINTS: tuple[tuple[frozenset[str], DecimalSeparator | None, DateOrder], ...] = (
    (GERMAN_HEADERS, ",", "dmy"),
    (INDONESIAN_HEADERS, None, "dmy"),
)


EXTRA = "header:"


def header_names(cells: Iterable[str]) -> set[str]:
    return {csvspec.normalise_header(cell) for cell in cells}


def match_profile(names: set[str]) -> BankCsvProfile | None:
    """The specific profile whose signature the header carries, if any."""
    return next((p for p in SPECIFIC if p.signature <= names), None)


def hints(names: set[str]) -> tuple[DecimalSeparator | None, DateOrder | None]:
    """(decimal separator, date order) the header's language suggests."""
    for words, decimal, order in LANGUAGE_HINTS:
        if words & names:
            return decimal, order
    return None, None


def positions(profile: BankCsvProfile, header: Sequence[str]) -> dict[str, tuple[int, ...]]:
    """Field -> column positions in the header, in the profile's order; the profile's extra
    header columns (key, remittance, balances) under ``EXTRA + header name``. A currency
    column right after the amount is the amount's (another one may be the balance's)."""
    first: dict[str, int] = {}
    for position, cell in enumerate(header):
        first.setdefault(csvspec.normalise_header(cell), position)
    found = {name: tuple(dict.fromkeys(first[h] for h in headers if h in first))
             for name, headers in (*profile.columns.items(),
                                   *((EXTRA + h, (h,)) for h in profile.extra_headers))}
    found = {name: where for name, where in found.items() if where}
    amount = found.get("amount")
    if amount and amount[0] + 1 < len(header):
        after = amount[0] + 1
        if profile.marker_follows_amount and "marker" not in found and not header[after].strip():
            found["marker"] = (after,)
        if csvspec.normalise_header(header[after]) in profile.columns.get("currency", ()):
            found["currency"] = (after,)  # ING: Saldo;Währung;Betrag;Währung
    return found
