"""The reconciliation workbook's tables in finance words (pure frames, no openpyxl).

Every row that points at money shows the payer and the bank/gateway text beside the amount;
every row that points at an invoice shows the client's name. Columns carry finance labels
(:mod:`reports.recon_words`); amounts stay ``Decimal`` in the row's ``Currency``.
"""

from __future__ import annotations

from decimal import Decimal
from weakref import WeakKeyDictionary

import numpy as np
import pandas as pd

from pipeline.report_details import RecordIndex
from pipeline.reporting import OPEN_STATUSES, ReportData
from reports.recon_words import (
    RULE_WORDS,
    STATUS_WORDS,
    confidence_words,
    labelled,
    source_words,
    spaced,
    words,
)

MATCHED_STATUSES = ("auto", "confirmed")
CREDIT_KINDS = ("overpayment", "credit")
SOURCE_TAIL = ["Source", "File", "Reference", "Line"]


def with_people(data: ReportData, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (export columns) plus ``payer``/``text`` of its money record and
    ``client_name`` of its invoice (empty when unknown)."""
    money = data.details.money
    at = (_records(data).positions(frame) if "source_file" in frame
          else np.full(len(frame), -1, dtype=np.int64))
    out = frame.assign(payer=_taken(money["payer"], at), text=_taken(money["text"], at))
    if "invoice_number" in frame:
        names = _indexed(data, "invoices", "invoice_number")["client_name"]
        out["client_name"] = _taken(names, names.index.get_indexer(frame["invoice_number"]))
    return out


# the details tables indexed once per report (with_people runs once per sheet)
_INDEXED: WeakKeyDictionary[ReportData, dict[str, object]] = WeakKeyDictionary()


def _indexed(data: ReportData, table: str, key: str) -> pd.DataFrame:
    """``data.details.<table>`` indexed by ``key`` (made once per report)."""
    made = _INDEXED.setdefault(data, {})
    if table not in made:
        made[table] = getattr(data.details, table).set_index(key)
    return made[table]


def _records(data: ReportData) -> RecordIndex:
    """The money records of ``data.details.money`` (one per row), numbered once per report."""
    made = _INDEXED.setdefault(data, {})
    if "records" not in made:
        made["records"] = RecordIndex(data.details.money)
    return made["records"]


def _of_invoice(data: ReportData, rows: pd.DataFrame, column: str) -> pd.Series:
    """``column`` of each row's invoice (``data.invoices``, its first row per number); the
    invoices are indexed once per report, and only when a row needs them."""
    if not len(rows):
        return pd.Series(index=rows.index, dtype=object)
    made = _INDEXED.setdefault(data, {})
    if "by_invoice" not in made:
        made["by_invoice"] = data.invoices.drop_duplicates("invoice_number").set_index(
            "invoice_number")
    return rows["invoice_number"].map(made["by_invoice"][column])


def _taken(values: pd.Series, at: np.ndarray) -> np.ndarray:
    """``values`` at the positions ``at`` (-1: not found), missing ones as ``''``."""
    if not len(values):
        return np.full(len(at), "", dtype=object)
    out = values.to_numpy(dtype=object)[at]
    out[(at < 0) | pd.isna(out)] = ""
    return out


def _source_tail(frame: pd.DataFrame) -> dict[str, pd.Series]:
    return {"Source": source_words(frame["source_kind"], frame["source_format"]),
            "File": frame["source_file"], "Reference": frame["source_ref"],
            "Line": frame["source_line"]}


def matched(data: ReportData) -> pd.DataFrame:
    rows = with_people(data, data.matches.loc[data.matches["status"].isin(MATCHED_STATUSES)])
    return pd.DataFrame({
        "Date": rows["source_date"], "Payer": rows["payer"], "Bank/gateway text": rows["text"],
        "Amount received": rows["source_amount"], "Invoice": rows["invoice_number"],
        "Client": rows["client_name"], "Applied": rows["applied_amount"],
        "Status": words(rows["status"], STATUS_WORDS),
        "How it matched": words(rows["rule"], RULE_WORDS),
        "Confidence": confidence_words(rows["confidence"]), "Why": rows["reason"],
        "Currency": rows["currency"], **_source_tail(rows),
    })


def review(data: ReportData) -> pd.DataFrame:
    """One row per suggestion, biggest amount first (within each currency); ``match_id``
    and ``currency_code`` ride along for the hidden id columns."""
    rows = with_people(data, data.matches.loc[data.matches["status"] == "suggested"])
    balance = _of_invoice(data, rows, "balance")
    table = pd.DataFrame({
        "Decision": None, "Amount": rows["applied_amount"], "Date": rows["source_date"],
        "Payer": rows["payer"], "Bank/gateway text": rows["text"],
        "Invoice": rows["invoice_number"], "Client": rows["client_name"],
        "Invoice balance": balance,
        "Difference": [_difference(a, b) for a, b in zip(rows["source_amount"], balance,
                                                          strict=True)],
        "How it matched": words(rows["rule"], RULE_WORDS),
        "Confidence": confidence_words(rows["confidence"]), "Why": rows["reason"],
        "Currency": rows["currency"], **_source_tail(rows), "match_id": rows["match_id"],
    })
    order = table.assign(_amount=table["Amount"].map(lambda a: a if a is not None else 0))
    order = order.sort_values(["Currency", "_amount"], ascending=[True, False], kind="stable")
    return order.drop(columns="_amount").reset_index(drop=True)


def _difference(received: object, balance: object) -> Decimal | None:
    """Money received less the invoice's balance (positive: paid more than due)."""
    if isinstance(received, Decimal) and isinstance(balance, Decimal):
        return received - balance
    return None


def unmatched(data: ReportData) -> pd.DataFrame:
    rows = with_people(data, data.unmatched)
    return pd.DataFrame({
        "Date": rows["source_date"], "Payer": rows["payer"], "Bank/gateway text": rows["text"],
        "Amount": rows["amount"], "Why not matched": rows["reason"],
        "Currency": rows["currency"], **_source_tail(rows),
    })


def open_invoices(data: ReportData) -> pd.DataFrame:
    invoices = data.invoices
    rows = invoices.loc[invoices["status"].isin(OPEN_STATUSES) & _positive(invoices["balance"])]
    rows = with_people(data, rows)
    return pd.DataFrame({
        "Invoice": rows["invoice_number"], "Client ID": rows["client_id"],
        "Client": rows["client_name"], "Currency": rows["currency"], "Total": rows["total"],
        "Paid": rows["paid_amount"], "Balance due": rows["balance"],
        "Status": spaced(rows["status"]), "Due date": rows["due_date"],
        "Days overdue": rows["days_overdue"],
    })


def _positive(amounts: pd.Series) -> np.ndarray:
    """Whether each amount is above zero (a missing one is not), each distinct amount
    compared once."""
    which, distinct = pd.factorize(amounts.to_numpy(dtype=object))
    above = np.array([amount > 0 for amount in distinct.tolist()] + [False], dtype=bool)
    return above[which]


def exceptions(data: ReportData, kinds: tuple[str, ...] | None = None) -> pd.DataFrame:
    rows = data.exceptions
    if kinds is not None:
        rows = rows.loc[rows["kind"].isin(kinds)]
    rows = with_people(data, rows)
    return pd.DataFrame({
        "Kind": words(rows["kind"], {}), "Date": rows["source_date"], "Payer": rows["payer"],
        "Bank/gateway text": rows["text"], "Amount": rows["amount"],
        "Invoice": rows["invoice_number"], "Client": rows["client_name"],
        "Detail": rows["detail"], "Currency": rows["currency"], **_source_tail(rows),
    })


def tickets(data: ReportData) -> pd.DataFrame:
    rows = with_people(data, data.tickets)
    currency = _of_invoice(data, rows, "currency").astype(object).fillna("")
    return pd.DataFrame({
        "Ticket": rows["ticket_id"], "Status": words(rows["status"], {}),
        "Invoice": rows["invoice_number"], "Client": rows["client_name"],
        "Claimed amount": rows["claimed_amount"], "Currency": currency,
        "Claimed date": rows["claimed_date"], "Amount, other reading": rows["claimed_amount_alt"],
        "Bank file": rows["bank_source_file"], "Bank reference": rows["bank_source_ref"],
        "Bank line": rows["bank_source_line"],
    })


def generic(frame: pd.DataFrame) -> pd.DataFrame:
    """Any export table in finance labels (payouts, other money, rejected rows)."""
    return labelled(frame)


def files(data: ReportData) -> pd.DataFrame:
    table = data.details.files
    return pd.DataFrame({
        "File": table["file"], "Format": table["format"], "Kind": table["kind"],
        "Outcome": table["status"], "Statement balance": table["balance_check"],
        "New rows": table["records_new"],
        "Rows seen before": table["records_duplicate"],
        "Rejected rows": table["records_rejected"], "Why": table["reason"],
    })


def payout_items(data: ReportData) -> pd.DataFrame:
    """What each payout carries: one row per gateway transaction, by payout."""
    items = data.details.payout_items
    return pd.DataFrame({
        "Payout": items["payout_id"], "Gateway": items["gateway"], "Date": items["date"],
        "Kind": items["kind"], "Customer": items["customer_name"],
        "Description": items["description"], "Gross": items["gross"], "Fee": items["fee"],
        "Net": items["net"], "Currency": items["currency"],
        "Transaction": items["transaction_id"],
    })


def other_money(data: ReportData, other: pd.DataFrame) -> pd.DataFrame:
    """Money that is not a customer's (payouts, fees, interest, outgoing), as finance reads it."""
    rows = with_people(data, other)
    return pd.DataFrame({
        "Date": rows["source_date"], "Kind": words(rows["kind"], {}), "Payer": rows["payer"],
        "Bank/gateway text": rows["text"], "Amount": rows["amount"], "Detail": rows["detail"],
        "Currency": rows["currency"], **_source_tail(rows),
    })
