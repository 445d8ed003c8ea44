"""The export tables of a report (pure), one function per table of DESIGN.md "Outputs":
each takes its rows with their source columns attached (:mod:`pipeline.reporting`) and gives
exactly the export's columns, amounts as ``Decimal`` in the row's currency
(:func:`pipeline.report_values.money`), dates as ``datetime.date``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.extensions import take

from pipeline.matching.by_ticket_claims import ticket_payment_ids
from pipeline.report_values import (
    join_keys,
    last_values,
    money,
    optional_date,
    optional_int,
    optional_text,
)

SOURCE_OUT = ["source_kind", "source_format", "source_file", "source_ref", "source_line",
              "source_date"]
MATCH_OUT = [*SOURCE_OUT, "source_amount", "currency", "invoice_number", "client_id",
             "applied_amount", "status", "rule", "confidence", "reason", "match_id"]
INVOICE_OUT = ["invoice_number", "client_id", "currency", "total", "paid_amount", "balance",
               "status", "due_date", "days_overdue"]
UNMATCHED_OUT = [*SOURCE_OUT, "amount", "currency", "reason"]
EXCEPTION_OUT = ["kind", *SOURCE_OUT, "invoice_number", "amount", "currency", "detail"]
BANK_LINE_OUT = ["bank_source_file", "bank_source_ref", "bank_source_line"]
PAYOUT_OUT = ["gateway", "payout_id", "currency", "amount", "item_count", "status",
              *BANK_LINE_OUT]
TICKET_OUT = ["ticket_id", "invoice_number", "claimed_amount", "claimed_date", "status",
              *BANK_LINE_OUT, "claimed_amount_alt"]  # trailing: a typed amount's other reading
REJECT_OUT = ["source_format", "source_file", "source_ref", "source_line", "reason", "raw"]


def ticket_ids(tickets: pd.DataFrame) -> pd.Series:
    """The id allocations and exceptions of kind ``ticket`` use for each ticket."""
    if "payment_id" in tickets:
        return tickets["payment_id"]
    return ticket_payment_ids(tickets["ticket_id"])


def _bank_lines(frame: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """BANK_LINE_OUT for ``frame``'s optional ``bank_payment_id`` (all None without it)."""
    ids = frame.get("bank_payment_id", pd.Series(None, index=frame.index, dtype=object))
    bank = sources.loc[sources["payment_kind"] == "bank",
                       ["key", "source_file", "source_ref", "source_line"]]
    known = pd.Index(bank["key"])
    if not known.is_unique:
        raise pd.errors.MergeError("a bank line is listed more than once")
    at = known.get_indexer(join_keys(ids))
    lines = pd.DataFrame({name: take(bank[name].to_numpy(dtype=object), at, allow_fill=True)
                          for name in ("source_file", "source_ref", "source_line")},
                         index=frame.index)
    return pd.DataFrame({
        "bank_source_file": optional_text(lines["source_file"]),
        "bank_source_ref": optional_text(lines["source_ref"]),
        "bank_source_line": optional_int(lines["source_line"]),
    }, index=frame.index)


def source_columns(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """SOURCE_OUT of ``frame`` (its source columns attached), typed for export."""
    return {
        **{name: optional_text(frame[name])
           for name in ("source_kind", "source_format", "source_file", "source_ref")},
        "source_line": optional_int(frame["source_line"]),
        "source_date": optional_date(frame["source_date"]),
    }


def matches(allocations: pd.DataFrame, state: pd.DataFrame) -> pd.DataFrame:
    """MATCH_OUT: the allocations shown, with the client of each invoice (``state``)."""
    number = allocations["invoice_number"].astype(str)
    return pd.DataFrame({
        **source_columns(allocations),
        "source_amount": money(allocations["source_amount_minor"],
                               allocations["source_currency"]),
        "currency": allocations["currency"],
        "invoice_number": number,
        "client_id": optional_text(last_values(state["invoice_number"], state["client_id"],
                                                number)),
        "applied_amount": money(allocations["applied_minor"], allocations["currency"]),
        "status": allocations["status"], "rule": allocations["rule"],
        "confidence": pd.to_numeric(allocations["confidence"], errors="coerce"),
        "reason": allocations["reason"],
        "match_id": optional_text(allocations.get("match_id", pd.Series(
            None, index=allocations.index, dtype=object))),
    }, columns=MATCH_OUT)


def invoices(state: pd.DataFrame) -> pd.DataFrame:
    """INVOICE_OUT: every invoice's state after the run."""
    return pd.DataFrame({
        "invoice_number": state["invoice_number"], "client_id": state["client_id"],
        "currency": state["currency"],
        "total": money(state["total_minor"], state["currency"]),
        "paid_amount": money(state["paid_minor"], state["currency"]),
        "balance": money(state["balance_minor"], state["currency"]),
        "status": state["status"], "due_date": optional_date(state["due_date"]),
        "days_overdue": state["days_overdue"],
    }, columns=INVOICE_OUT)


def unmatched(unmatched: pd.DataFrame) -> pd.DataFrame:
    """UNMATCHED_OUT: money no invoice took."""
    return pd.DataFrame({
        **source_columns(unmatched),
        "amount": money(unmatched["source_amount_minor"], unmatched["source_currency"]),
        "currency": optional_text(unmatched["source_currency"]), "reason": unmatched["reason"],
    }, columns=UNMATCHED_OUT)


def exceptions(exceptions: pd.DataFrame) -> pd.DataFrame:
    """EXCEPTION_OUT: what a person must look at."""
    return pd.DataFrame({
        "kind": exceptions["kind"], **source_columns(exceptions),
        "invoice_number": optional_text(exceptions["invoice_number"]),
        "amount": money(exceptions["amount_minor"], exceptions["currency"]),
        "currency": optional_text(exceptions["currency"]), "detail": exceptions["detail"],
    }, columns=EXCEPTION_OUT)


def payouts(payouts: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Payouts with their bank line; status ``verified`` when one carries it, else
    ``unverified``, unless the producer stated a status."""
    lines = _bank_lines(payouts, sources)
    derived = pd.Series(np.where(lines["bank_source_file"].notna(), "verified", "unverified"),
                        index=payouts.index, dtype=object)
    return pd.DataFrame({
        "gateway": payouts["gateway"], "payout_id": payouts["payout_id"],
        "currency": payouts["currency"],
        "amount": money(payouts["amount_minor"], payouts["currency"]),
        "item_count": optional_int(payouts["item_count"]),
        "status": _stated_or(payouts, derived), **lines,
    }, columns=PAYOUT_OUT)


def tickets(tickets: pd.DataFrame, exceptions: pd.DataFrame,
             sources: pd.DataFrame) -> pd.DataFrame:
    """TICKET_OUT plus ``claim_date`` and ``currency`` (for holds). Status, unless stated:
    an exception names it (claimed_not_received; unknown_destination_account -> rejected),
    else ``verified`` when a bank line carries it, else ``pending``."""
    lines = _bank_lines(tickets, sources)
    flagged = exceptions.loc[exceptions["payment_kind"] == "ticket"]
    flagged = pd.Series(
        flagged["kind"].map({"claimed_not_received": "claimed_not_received",
                             "unknown_destination_account": "rejected"}).to_numpy(),
        index=join_keys(flagged["payment_id"]).to_numpy(), dtype=object,
    ).dropna()
    derived = join_keys(ticket_ids(tickets)).map(flagged[~flagged.index.duplicated()])
    derived = derived.where(derived.notna(), np.where(lines["bank_source_file"].notna(),
                                                      "verified", "pending")).astype(object)
    claimed_date = optional_date(tickets["claimed_date"])
    return pd.DataFrame({
        "ticket_id": tickets["ticket_id"],
        "invoice_number": optional_text(tickets["invoice_number"]),
        "claimed_amount": money(tickets["claimed_amount_minor"], tickets["currency"]),
        "claimed_date": claimed_date, "status": _stated_or(tickets, derived), **lines,
        "claimed_amount_alt": money(column(tickets, "claimed_amount_alt_minor", None),
                                    tickets["currency"]),
        "claim_date": claimed_date.where(claimed_date.notna(),
                                         optional_date(tickets["created_date"])),
        "currency": tickets["currency"],
    }, index=tickets.index)


def column(frame: pd.DataFrame, name: str, default: object) -> pd.Series:
    """``frame[name]``, or ``default`` on every row of a frame without that column."""
    if name in frame:
        return frame[name]
    return pd.Series([default] * len(frame), index=frame.index, dtype=object)


def rejects(rejects: pd.DataFrame) -> pd.DataFrame:
    """REJECT_OUT: input rows refused, with the reason."""
    return pd.DataFrame({
        **{name: optional_text(rejects[name])
           for name in ("source_format", "source_file", "source_ref")},
        "source_line": optional_int(rejects["source_line"]), "reason": rejects["reason"],
        "raw": optional_text(rejects["raw"]),
    }, columns=REJECT_OUT)


def _stated_or(frame: pd.DataFrame, derived: pd.Series) -> pd.Series:
    """The producer's ``status`` column where it states one, else ``derived``."""
    if "status" not in frame:
        return derived
    stated = frame["status"].fillna("").astype(str)
    return stated.where(stated != "", derived).astype(object)
