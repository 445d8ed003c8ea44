"""The fields of a payment-confirmation ticket, declared once for every ticket format, and
how the values people type into them are read.

:data:`FIELDS` names each field by its flat key and its labels in English and as the
Indonesian form labels (``No. Invoice``, ``Tujuan Transfer``, ``Jumlah Transfer``,
``Tanggal Transfer``, ``Nama di Rekening``); labels match case-, punctuation- and
spacing-insensitively (``no invoice``, ``No Invoice:``). The first label of a field that a
ticket carries wins (``ticket_id``, then WHMCS ``tid``, then ``ticketid``/``id``).

People's amounts: the currency comes from the text (``Rp``/``IDR`` -> IDR, ``$``/``USD``
-> USD, any other code as written), else from the ticket's currency field (or the parser's
default currency), else stays unknown. A lone ``1.500`` or ``1,500`` reads two ways: in a
currency never paid in fractions (IDR, JPY) the group is thousands (``832,500`` Rp is
832500); otherwise both readings that fit the currency are kept (``12,500`` USD: 12500.00
and 12.50), and the bank line that verifies the claim decides (DESIGN.md "Tickets").
``Rp 1.500.000,-`` is the Indonesian "no cents" notation, not a minus.
An amount without a known currency is kept in hundredths (the ISO 4217 default exponent;
the currency stays ``None``). People's dates: see :func:`ticket_date`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

import pandas as pd

from parsers import csvspec
from parsers.csvspec import Column
from pipeline.dates import AmbiguousDateError, parse_date
from pipeline.money import (
    AmountError,
    CurrencyError,
    amount_readings,
    exponent,
    normalize_currency,
    to_minor,
)
from pipeline.references import extract_references
from pipeline.settings import DEFAULT_REFERENCE_PATTERNS


def ticket_date(value: str) -> dt.date:
    """A date as a customer types it. Indonesian customers write day-first, so a value
    that fits both orders (``03/04/2026``) is read day-first; one that fits only one order
    (``10/15/2026``) is read in that order; a time part is ignored."""
    try:
        return parse_date(value)
    except AmbiguousDateError:
        return parse_date(value, "dmy")


_CURRENCY_WORDS = {"RUPIAH": "IDR", "RP": "IDR", "RP.": "IDR", "$": "USD", "US$": "USD",
                   "DOLLAR": "USD", "€": "EUR"}


def ticket_currency(value: str) -> str:
    """``IDR``, ``idr``, ``Rp``, ``rupiah``, ``$``, ``USD`` -> the ISO code."""
    text = value.strip().upper()
    return _CURRENCY_WORDS.get(text) or normalize_currency(text)


def _field(name: str, *aliases: str, convert: csvspec.Converter = csvspec.text) -> Column:
    return Column(name, convert, required=False, optional=True, aliases=aliases,
                  empty="" if convert is csvspec.text else None)


FIELDS: tuple[Column, ...] = (
    _field("ticket_id", "tid", "ticketnum", "ticket number", "ticketid", "id", "nomor tiket",
           "no tiket"),
    _field("created_at", "date", "created", "created date", "opened", "tanggal dibuat",
           convert=ticket_date),
    _field("name", "nama", "requestor_name", "client name"),
    _field("email", "e-mail", "requestor_email"),
    _field("client_id", "userid", "clientid", "user id", "client number", "nomor klien",
           "no klien"),
    _field("subject", "judul", "subjek"),
    _field("message", "pesan", "body"),
    _field("invoice_number", "no invoice", "nomor invoice", "invoice number", "invoice no",
           "invoice", "no faktur", "nomor faktur", "no tagihan"),
    _field("destination_account", "tujuan transfer", "destination account", "rekening tujuan",
           "destination"),
    _field("destination_bank", "bank tujuan", "destination bank"),
    _field("amount", "jumlah transfer", "amount transferred", "transfer amount",
           "claimed amount", "jumlah", "nominal"),
    _field("currency", "mata uang", "currencycode", "currency code", convert=ticket_currency),
    _field("transfer_date", "tanggal transfer", "transfer date", "payment date",
           "tanggal pembayaran", "tanggal bayar", "claimed date", convert=ticket_date),
    _field("account_holder", "nama di rekening", "account holder", "account name",
           "nama rekening", "nama pemilik rekening", "atas nama", "sender name"),
)


@functools.lru_cache(maxsize=64)
def _field_index(labels: tuple[str, ...]) -> dict[str, int]:
    """Where each field is among ``labels`` (tickets of one export share their labels)."""
    return csvspec.resolve(FIELDS, labels)[0]


def read_fields(labels: Sequence[str], cells: Sequence[str]) -> tuple[dict, list[str]]:
    """One ticket's values by field name (labels resolved through :data:`FIELDS`), each
    converted on its own: an unreadable value is ``None`` plus a problem ``'field: why'``."""
    index = _field_index(tuple(labels))
    values: dict[str, object] = {}
    problems: list[str] = []
    for column in FIELDS:
        converted = csvspec.convert((column,), index, cells)
        if isinstance(converted, str):
            problems.append(converted)
            values[column.name] = column.empty
        else:
            values.update(converted)
    return values, problems


class ClaimParser:
    """What every parser of payment claims (tickets, e-mails) is configured with: the
    currency of amounts that name none, and the invoice-reference patterns."""

    kind = "ticket"

    def __init__(self, default_currency: str | None = None,
                 reference_patterns: Sequence[str] = DEFAULT_REFERENCE_PATTERNS) -> None:
        self.default_currency = normalize_currency(default_currency) if default_currency \
            else None
        self.reference_patterns = tuple(reference_patterns)


# --- amounts ------------------------------------------------------------------------------

_PREFIX = re.compile(r"^(rp\.?|us\$|[$€]|[a-z]{3}(?![a-z]))\s*", re.IGNORECASE)
_SUFFIX = re.compile(r"(?<=[0-9\s])(rupiah|rp\.?|[a-z]{3}|€)$", re.IGNORECASE)
# Currencies never paid in fractions: a lone group (``832,500``) can only be thousands.
# IDR's ISO exponent is 2, but no one pays in sen.
_WHOLE_UNIT_CURRENCIES = frozenset({"IDR"})


class Claim(NamedTuple):
    """An amount a person typed: its first (or only) reading, the other reading when the
    text reads two ways (``None`` otherwise), both in minor units, and the currency."""

    minor: int
    alt_minor: int | None
    currency: str | None


@functools.lru_cache(maxsize=1 << 16)  # people type the same few amounts: read each text once
def claimed_amount(text: str, currency_hint: str | None) -> Claim:
    """The :class:`Claim` of an amount a person typed. ``currency_hint`` is the ticket's
    currency field or the parser's default. A lone group (``12,500``) is thousands in a
    currency never paid in fractions (IDR, JPY), else it keeps both readings that fit the
    currency (``12500.00`` and ``12.50`` USD; ``12,501`` USD is only ``12501.00``). Raises
    ``AmountError``/``CurrencyError`` (their message is the reason) for anything unreadable
    or not positive."""
    number, written = _split_currency(text.strip())
    if written and currency_hint and written != currency_hint:
        raise AmountError(f"{text!r} is in {written} but the ticket's currency is "
                          f"{currency_hint}")
    currency = written or currency_hint
    number = re.sub(r"[.,]-$", "", number)  # "1.500.000,-": no cents
    readings = amount_readings(number)
    if currency and (currency in _WHOLE_UNIT_CURRENCIES or exponent(currency) == 0):
        readings = readings[:1]
    if any(value <= 0 for value in readings):
        raise AmountError(f"a transferred amount must be positive: {text!r}")
    minors = []
    for value in readings:
        try:
            minors.append(_minor(value, currency))
        except AmountError:
            if len(readings) == 1:
                raise  # the only reading does not fit the currency
    return Claim(minors[0], minors[1] if len(minors) > 1 else None, currency)


def _split_currency(text: str) -> tuple[str, str | None]:
    codes = []
    prefix = _PREFIX.match(text)
    if prefix:
        codes.append(prefix.group(1))
        text = text[prefix.end():]
    suffix = _SUFFIX.search(text)
    if suffix:
        codes.append(suffix.group(1))
        text = text[:suffix.start()]
    found = {ticket_currency(code) for code in codes}
    if len(found) > 1:
        raise CurrencyError(f"two currencies in one amount: {' and '.join(sorted(found))}")
    return text.strip(), found.pop() if found else None


def _minor(value: Decimal, currency: str | None) -> int:
    if currency:
        return to_minor(value, currency)
    scaled = value.scaleb(2)  # no currency known: hundredths, the ISO 4217 default
    if scaled != scaled.to_integral_value():
        raise AmountError(f"amount {value} has more than 2 decimals and no currency")
    return int(scaled)


_NUMBER = r"[0-9](?:[0-9.,'’]*[0-9])?"  # a Swiss 1'250'000 is read whole or refused
_CURRENCY_MARK = r"rp\.?|idr|usd|us\$|\$|eur|€"
_KEYWORDS = (r"sebesar|senilai|nominal|amount(?:\s+of)?|betrag(?:\s+von)?|in\s+höhe\s+von"
             r"|montant(?:\s+de)?")
_AMOUNT_IN_TEXT = re.compile(
    rf"(?<![a-z0-9])(?:(?:{_CURRENCY_MARK})\s?{_NUMBER}(?:,-)?"
    rf"|(?:{_KEYWORDS})\s*:?\s*(?:(?:{_CURRENCY_MARK})\s?)?"
    rf"{_NUMBER}(?:,-)?(?:\s?(?:idr|usd|eur|rupiah|€)(?![a-z]))?"
    rf"|{_NUMBER}(?:,-)?\s?(?:idr|usd|eur|rupiah|€)(?![a-z]))", re.IGNORECASE)
_KEYWORD = re.compile(rf"^(?:{_KEYWORDS})\s*:?\s*", re.IGNORECASE)


def amount_in_text(text: str, currency_hint: str | None) -> Claim | None:
    """The amount a subject/message states (``Rp 1.500.000``, ``sebesar 1.500.000``,
    ``amount USD 25.00``, ``1.250,00 EUR``, ``Betrag: 1.250,00 €``), or ``None`` when it
    states none. Several different amounts, or
    one that cannot be read, raise ``AmountError``."""
    found = {claimed_amount(_KEYWORD.sub("", m.group(0)), currency_hint)
             for m in _AMOUNT_IN_TEXT.finditer(text)}
    if len(found) > 1:
        raise AmountError("several different amounts in the message: "
                          + ", ".join(f"{m} {c or ''}".strip() for m, _, c in sorted(found,
                                      key=str)) + " (minor units)")
    return found.pop() if found else None


# --- destination account ------------------------------------------------------------------

_IBAN = re.compile(r"\b[A-Z]{2}[0-9]{2}(?:\s?[A-Z0-9]){11,30}\b")
_ACCOUNT = re.compile(r"[0-9](?:[0-9\s.\-]*[0-9])?")
_HOLDER = re.compile(r"(?:^|\s)(?:a\.\s?n\.?|an\.|a/n|atas nama)(?:\s.*)?$", re.IGNORECASE)


def split_destination(text: str) -> tuple[str, str]:
    """``'BCA 0372543386'`` -> ``('BCA', '0372543386')``; ``'Mandiri - 123-00-4567890-1'``
    -> ``('Mandiri', '1230045678901')``; ``'BNI a.n. PT Contoh 0123456789'`` ->
    ``('BNI', '0123456789')``; an IBAN is kept whole (``'DE89370400440532013000'``).
    The account is the first run of at least 6 digits; the bank is the text before it
    (or after it), without the account holder's name."""
    text = " ".join(text.split())
    span = None
    iban = _IBAN.search(text.upper())
    if iban:
        span, account = iban.span(), re.sub(r"\s", "", iban.group(0))
    else:
        for match in _ACCOUNT.finditer(text):
            digits = re.sub(r"[^0-9]", "", match.group(0))
            if len(digits) >= 6:
                span, account = match.span(), digits
                break
    if span is None:
        return _bank_name(text), ""
    return _bank_name(text[:span[0]]) or _bank_name(text[span[1]:]), account


def _bank_name(text: str) -> str:
    return _HOLDER.sub("", text).strip(" -:/,.()[]").strip()


# --- invoice numbers ----------------------------------------------------------------------

_BARE_NUMBER = r"(?<![A-Za-z0-9\-])(?P<ref>[0-9]{3,10})(?![0-9])"


def claimed_invoices(fields: pd.Series, texts: pd.Series, patterns: Sequence[str]) -> pd.Series:
    """Per ticket, the invoice numbers it claims, comma-joined in order of appearance: those
    in the invoice field (where a bare number counts), else those the subject/message
    names (``patterns``: keyword or ``#`` needed), else the field as typed."""
    from_field = _joined(extract_references(fields, [*patterns, _BARE_NUMBER]))
    from_text = _joined(extract_references(texts, patterns))
    typed = fields.fillna("").astype(str).str.strip()
    return pd.Series([from_field.get(row) or from_text.get(row) or typed[row]
                      for row in fields.index], index=fields.index, dtype=object)


def _joined(refs: pd.DataFrame) -> dict:
    return refs.groupby("row", sort=False)["ref"].agg(",".join).to_dict() if len(refs) else {}
