"""Finance words for payrecon's codes: column labels, rules, statuses, confidences."""

from __future__ import annotations

import numpy as np
import pandas as pd

LABELS = {
    "source_kind": "Source", "source_format": "Format", "source_file": "File",
    "source_ref": "Reference", "source_line": "Line", "source_date": "Date",
    "source_amount": "Amount received", "currency": "Currency", "invoice_number": "Invoice",
    "client_id": "Client ID", "client_name": "Client", "applied_amount": "Applied",
    "status": "Status", "rule": "How it matched", "confidence": "Confidence",
    "reason": "Why", "amount": "Amount", "kind": "Kind", "detail": "Detail",
    "gateway": "Gateway", "payout_id": "Payout", "item_count": "Items",
    "bank_source_file": "Bank file", "bank_source_ref": "Bank reference",
    "bank_source_line": "Bank line", "ticket_id": "Ticket", "claimed_amount": "Claimed amount",
    "claimed_date": "Claimed date", "claimed_amount_alt": "Amount, other reading",
    "raw": "Row as read", "total": "Total", "paid_amount": "Paid", "balance": "Balance due",
    "due_date": "Due date", "days_overdue": "Days overdue", "payer": "Payer",
    "text": "Bank/gateway text",
}
RULE_WORDS = {
    "reference_amount": "invoice number and amount", "reference": "invoice number",
    "reference_partial": "invoice number, part payment",
    "reference_overpaid": "invoice number, paid more", "reference_fee": "invoice number less fee",
    "references": "several invoice numbers", "references_sum": "several invoices, sum",
    "references_ambiguous": "several invoice numbers, unclear",
    "amount_only": "amount only", "amount": "amount and date", "names": "payer name",
    "overpayment": "paid more than due",
}
STATUS_WORDS = {"auto": "automatic", "confirmed": "approved", "suggested": "to review",
                "rejected": "rejected"}
SOURCE_WORDS = {"bank": "bank", "gateway": "gateway", "ticket": "ticket"}


def words(codes: pd.Series, table: dict[str, str]) -> pd.Series:
    """``codes`` in finance words; an unknown code with its underscores as spaces (a
    missing one: ``''``). Each distinct code is worded once, and its rows share the words."""
    which, distinct = pd.factorize(codes.astype(object).fillna("").astype(str).to_numpy(
        dtype=object))
    shown = [table.get(code, code.replace("_", " ")) for code in distinct.tolist()]
    return pd.Series(np.array(shown, dtype=object)[which] if len(shown) else
                     np.full(len(which), "", dtype=object), index=codes.index, dtype=object)


def spaced(codes: pd.Series) -> pd.Series:
    """``codes`` with their underscores as spaces, each distinct code once (missing values
    stay missing)."""
    values = codes.to_numpy(dtype=object)
    which, distinct = pd.factorize(values)
    out = values.copy()
    shown = np.array([code.replace("_", " ") for code in distinct.tolist()] + [None],
                     dtype=object)
    present = which >= 0
    out[present] = shown[which[present]]
    return pd.Series(out, index=codes.index, dtype=object)


def confidence_words(confidence: pd.Series) -> pd.Series:
    """strong (0.9 and up), medium (0.6 and up), weak (below)."""
    value = pd.to_numeric(confidence, errors="coerce")
    out = pd.Series("weak", index=confidence.index, dtype=object)
    out[value >= 0.6] = "medium"
    out[value >= 0.9] = "strong"
    return out.where(value.notna(), "")


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with finance labels for its export column names (others unchanged)."""
    return frame.rename(columns=lambda name: LABELS.get(name, name))


def source_words(kinds: pd.Series, formats: pd.Series) -> pd.Series:
    """``bank-csv``, ``ofx``; a gateway or ticket with its kind: ``stripe (gateway)``."""
    kind = kinds.astype(object).fillna("").astype(str)
    fmt = formats.astype(object).fillna("").astype(str)
    shown = fmt.where(kind == "bank", fmt + " (" + kind.map(SOURCE_WORDS).fillna(kind) + ")")
    return shown.where(fmt != "", kind).astype(object)
