"""What an e-mail confirmation claims, read from its subject and own words: the client
number, the transfer date, and whether it speaks of a payment at all.

Labels in English, Indonesian, German and French. Amounts and invoice numbers are read as
tickets read them (:mod:`parsers.ticket_fields`).
"""

from __future__ import annotations

import datetime as dt
import re

from parsers.ticket_fields import ticket_date
from pipeline.dates import DateError

_CLIENT = re.compile(
    r"(?<![a-z])(?:client|customer|klien|pelanggan|kunden|user)[\s-]*"
    r"(?:id|number|no\.?|nr\.?|nummer|num[ée]ro|#)"
    r"|(?<![a-z])(?:id|no\.?|nomor|nr\.?|num[ée]ro|n[°º]|kd\.?)\s*(?:de\s+)?"
    r"(?:client|klien|pelanggan|kunden|customer)"
    r"|(?<![a-z])kundennummer|(?<![a-z])kundennr\.?", re.IGNORECASE)
_CLIENT_NUMBER = re.compile(
    r"\s*(?:[:#.]|\bis\b|\badalah\b|\bist\b)?\s*#?\s*(\d{1,10})(?!\d|[.,]\d)")

_MONTH_WORD = r"[A-Za-z]{3,9}\.?"
_DATE = re.compile(
    r"(?<![\d.,/-])(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}([./-])\d{1,2}\1\d{4})(?![\d/-])"
    r"|(?<![\w.])(?P<named>\d{1,2}\.?\s+" + _MONTH_WORD + r"\s+\d{4}"
    r"|" + _MONTH_WORD + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})(?!\d)")

# Words that say money was sent (past tense or a confirmation), per language.
_PAYMENT = re.compile(
    r"\b(?:paid|transferred|wired|sent|remitted|payment|transfer|bukti|sudah|telah|lunas|"
    r"bayar\w*|pembayaran|ditransfer|konfirmasi|überwiesen|bezahlt|überweisung|zahlung\w*|"
    r"payé|réglé|virement|paiement)\b", re.IGNORECASE)


def client_number(text: str) -> tuple[str, str | None]:
    """``('1234', None)`` for the client number ``text`` names after a label (``Client ID
    1234``, ``ID pelanggan: 1234``, ``Kundennummer 1234``, ``No. klien 1234``); ``''`` when
    none; several different ones give ``''`` and the problem."""
    found: list[str] = []
    for label in _CLIENT.finditer(text):
        number = _CLIENT_NUMBER.match(text, label.end())
        if number and number.group(1) not in found:
            found.append(number.group(1))
    if len(found) > 1:
        return "", f"client number: several in the message ({', '.join(found)})"
    return (found[0] if found else ""), None


def transfer_date(text: str) -> tuple[dt.date | None, str | None]:
    """The transfer date ``text`` states, read as tickets read typed dates (day-first when
    both orders fit). Several different dates: those on a line that speaks of a payment; still
    several, or a numeric date that cannot exist, give ``None`` and the problem."""
    dates: dict[dt.date, bool] = {}
    for line in text.split("\n"):
        for match in _DATE.finditer(line):
            try:
                day = ticket_date(match.group(0))
            except DateError as exc:
                if match.group("named"):
                    continue  # "3 invoices 2026": not a date at all
                return None, f"transfer date: {exc}"
            dates[day] = dates.get(day, False) or bool(_PAYMENT.search(line))
    if len(dates) > 1:
        dates = {day: True for day, paid in dates.items() if paid}
    if len(dates) > 1:
        listed = ", ".join(day.isoformat() for day in sorted(dates))
        return None, f"transfer date: several dates in the message ({listed})"
    return (next(iter(dates)) if dates else None), None


def speaks_of_payment(text: str) -> bool:
    """Whether ``text`` says money was (or is being) sent."""
    return bool(_PAYMENT.search(text))
