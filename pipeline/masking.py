"""Account numbers masked to their last 4 digits wherever payrecon *talks* about its data:
logs, alert texts, the run journal (``LAST_RUN.json``, ``runs.jsonl``, ``payrecon status``),
the console and Prefect's artifacts (issue 10). The data itself (the store, the exports and
workbooks finance works from, a quarantined file and its reason file) keeps them whole.

What counts as an account number in free text: an IBAN, or a number of at least 6 digits
(spaces, dots and dashes between digit groups allowed) right after a word that names an
account (``account``, ``acct``, ``ACCTID``, ``IBAN``, ``rekening``, ``konto``, ``number``,
``Nr``/``No``...). Dates, amounts and invoice numbers stay as they are.
"""

from __future__ import annotations

import logging
import re

KEEP = 4
_NUMBER = r"\d(?:[ .\-]?\d){5,33}"
_NAMED = re.compile(
    r"(?P<name>\b(?:account(?:\s+(?:number|no\.?|nr\.?))?|acct(?:id)?|bankacctfrom|"
    r"ccacctfrom|acctto|iban|rekening|no\.?\s*rek(?:ening)?|norek|konto(?:nummer)?|"
    r"kontonr\.?|number|tujuan\s+transfer)\b\s*[:=#]?\s*[\"']?(?:\w+\s+)??)"
    r"(?P<number>" + _NUMBER + r")(?![\d])", re.I)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")


def mask_account(number: str) -> str:
    """``'0372543386'`` -> ``'******3386'``: every digit or letter but the last 4 starred
    (separators kept); a number of 4 characters or fewer is all starred."""
    significant = sum(ch.isalnum() for ch in number)
    keep = KEEP if significant > KEEP else 0
    out, seen = [], 0
    for ch in number:
        if ch.isalnum():
            seen += 1
            out.append(ch if seen > significant - keep else "*")
        else:
            out.append(ch)
    return "".join(out)


def mask_accounts(text: str) -> str:
    """``text`` with every account number in it masked (module docstring); idempotent."""
    if not text:
        return text
    text = _IBAN.sub(lambda m: mask_account(m.group()), text)
    return _NAMED.sub(lambda m: m.group("name") + mask_account(m.group("number")), text)


class MaskAccounts(logging.Filter):
    """A logging filter that masks account numbers in the message and its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = mask_accounts(record.getMessage()), None
        if record.exc_info:
            formatter = logging.Formatter()
            record.exc_text = mask_accounts(formatter.formatException(record.exc_info))
            record.exc_info = None
        return True


def masked_logger(name: str) -> logging.Logger:
    """``logging.getLogger(name)`` with :class:`MaskAccounts` on it (added once)."""
    logger = logging.getLogger(name)
    if not any(isinstance(f, MaskAccounts) for f in logger.filters):
        logger.addFilter(MaskAccounts())
    return logger
