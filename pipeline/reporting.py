"""Report data (pure): the run's frames turned into the export tables of DESIGN.md "Outputs".

Inputs are the contract frames of :mod:`pipeline.frames` (integer minor units); every
:class:`ReportData` frame has exactly its export's columns, amounts as ``Decimal`` in the
row's currency, dates as ``datetime.date``, ``source_line`` as ``int`` or ``None``. Rows that
point at an input record take their source columns from ``payments`` (bank, gateway) or
``tickets`` (kind ``ticket``), joined on ``(payment_kind, payment_id)``.

Optional extra columns the producer may add: ``status`` and ``bank_payment_id`` (the
``payment_id`` of the bank line that carries it) on payouts and tickets, and ``payment_id``
on tickets (the id used by allocations/exceptions of kind ``ticket``; default ``ticket_id``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline import overdue
from pipeline import postings as billing
from pipeline.matching import MatchResult
from pipeline.matching.by_ticket_claims import ticket_payment_ids
from pipeline.report_decisions import with_rejected
from pipeline.report_details import ReportDetails, build_details
from pipeline.report_invoices import OPEN_STATUSES, invoice_state  # noqa: F401 (re-exported)
from pipeline.report_other_money import (
    OTHER_MONEY_OUT,
    gap_exceptions,
    known_payouts,
    other_money_frame,
    with_non_payments,
    with_outcomes,
)
from pipeline.report_summary import KEY, summarize, tie_out
from pipeline.report_values import (
    join_keys,
    money,
    optional_date,
    optional_int,
    optional_text,
)
from pipeline.settings import Settings

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



@dataclass(frozen=True, eq=False)
class ReportInputs:
    """Everything one report run reads (contract frames of :mod:`pipeline.frames`)."""

    invoices: pd.DataFrame  # INVOICE_COLUMNS (billing state: balance_minor is billing's balance)
    clients: pd.DataFrame  # CLIENT_COLUMNS
    payments: pd.DataFrame  # PAYMENT_COLUMNS
    match: MatchResult
    rejects: pd.DataFrame  # REJECT_COLUMNS
    tickets: pd.DataFrame  # TICKET_COLUMNS (+ optional status, bank_payment_id, payment_id)
    payouts: pd.DataFrame  # PAYOUT_COLUMNS (+ optional status, bank_payment_id)
    ledger: pd.DataFrame | None = None  # LEDGER_COLUMNS: what earlier runs applied
    files: pd.DataFrame | None = None  # the store's file catalog (store.load_source_files)
    bank_lines: pd.DataFrame | None = None  # every bank line (store.load_bank_transactions)
    payout_items: pd.DataFrame | None = None  # store.load_payout_items()
    # PAYMENT_COLUMNS: money that is never a payment (bank debits, gateway payouts)
    non_payments: pd.DataFrame | None = None
    statement_balances: pd.DataFrame | None = None  # store.load_statement_balances()
    posted: pd.DataFrame | None = None  # POSTED_COLUMNS: entered in billing already
    database_id: str = ""  # names the database in postings.csv, credits.csv and the workbook


@dataclass(frozen=True, eq=False)
class ReportData:
    """The export tables (columns exactly as DESIGN.md) and a JSON-able summary."""

    as_of: dt.date
    matches: pd.DataFrame
    invoices: pd.DataFrame
    unmatched: pd.DataFrame
    exceptions: pd.DataFrame
    payouts: pd.DataFrame
    tickets: pd.DataFrame
    overdue: pd.DataFrame
    rejects: pd.DataFrame
    summary: dict
    # OTHER_MONEY_OUT: money that is not a customer's (payouts, fees, interest, outgoing)
    other_money: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=OTHER_MONEY_OUT))
    details: ReportDetails = field(default_factory=ReportDetails)  # workbook-only detail
    postings: pd.DataFrame = field(  # POSTING_OUT: to enter in billing (AddInvoicePayment)
        default_factory=lambda: pd.DataFrame(columns=billing.POSTING_OUT))
    credits: pd.DataFrame = field(  # CREDIT_OUT: client credit to enter (AddCredit)
        default_factory=lambda: pd.DataFrame(columns=billing.CREDIT_OUT))


def build_report(inputs: ReportInputs, *, as_of: dt.date, settings: Settings) -> ReportData:
    """Invoice state after the run, overdue actions, source-named rows and the summary."""
    sources = _sources(inputs.payments, inputs.tickets)
    every = _sources(with_non_payments(inputs.payments, inputs.non_payments), inputs.tickets)
    other = _with_sources(inputs.match.other_money, every)
    shown = with_rejected(inputs.match.allocations, inputs.ledger, inputs.payments)
    allocations = _with_sources(shown, sources)
    state = invoice_state(inputs.invoices, inputs.clients, inputs.match.allocations, as_of=as_of,
                          ledger=inputs.ledger)
    matches = _matches(allocations, state)
    tickets = _tickets(_with_outcomes(inputs.tickets, inputs.match.tickets),
                       inputs.match.exceptions, sources)
    holds = overdue.holds(matches, tickets, as_of=as_of, settings=settings)
    unmatched = _with_sources(inputs.match.unmatched, sources)
    exceptions = _with_sources(inputs.match.exceptions, sources)
    gaps = gap_exceptions(inputs.statement_balances, EXCEPTION_OUT)
    return ReportData(
        as_of=as_of,
        matches=matches,
        invoices=_invoices(state),
        unmatched=_unmatched(unmatched),
        exceptions=pd.concat([_exceptions(exceptions), gaps], ignore_index=True)
        if len(gaps) else _exceptions(exceptions),
        payouts=_payouts(with_outcomes(known_payouts(inputs.payouts, as_of),
                                       inputs.match.payouts), every),
        tickets=tickets[TICKET_OUT],
        overdue=overdue.overdue_frame(state, holds, settings),
        rejects=_rejects(inputs.rejects),
        summary={**summarize(sources, allocations, unmatched,
                             pd.concat([exceptions, gaps[["kind"]]], ignore_index=True), state,
                             as_of=as_of, rejects=len(inputs.rejects)),
                 "tie_out": tie_out(every, allocations, unmatched, exceptions, other)},
        other_money=other_money_frame(other, _source_columns(other)),
        **billing.to_post(inputs, as_of=as_of, settings=settings),
        details=build_details(payments=with_non_payments(inputs.payments, inputs.non_payments),
                              tickets=inputs.tickets, invoices=inputs.invoices, files=inputs.files,
                              balances=inputs.statement_balances, bank_lines=inputs.bank_lines,
                              ledger=inputs.ledger, database_id=inputs.database_id,
                              payout_items=inputs.payout_items),
    )


# --- source records ---------------------------------------------------------------------


def _sources(payments: pd.DataFrame, tickets: pd.DataFrame) -> pd.DataFrame:
    """One row per payment (bank, gateway) or ticket: key, source columns, amount, currency."""
    pay = pd.DataFrame({
        "payment_kind": payments["payment_kind"], "key": join_keys(payments["payment_id"]),
        "source_format": payments["source_format"], "source_file": payments["source_file"],
        "source_ref": payments["source_ref"], "source_line": payments["source_line"],
        "source_date": payments["source_date"], "amount_minor": payments["amount_minor"],
        "currency": payments["currency"],
    })
    claimed = tickets["claimed_date"].where(tickets["claimed_date"].notna(),
                                            tickets["created_date"])
    tick = pd.DataFrame({
        "payment_kind": "ticket", "key": join_keys(_ticket_ids(tickets)),
        "source_format": tickets["source_format"], "source_file": tickets["source_file"],
        "source_ref": tickets["source_ref"], "source_line": tickets["source_line"],
        "source_date": claimed, "amount_minor": tickets["claimed_amount_minor"],
        "currency": tickets["currency"],
    }, index=tickets.index)
    both = pd.concat([pay.astype(object), tick.astype(object)], ignore_index=True)
    both = both.loc[both["key"] != ""].drop_duplicates(KEY, keep="last")
    return both.rename(columns={"amount_minor": "source_amount_minor",
                                "currency": "source_currency"})


def _with_sources(frame: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (with payment_kind, payment_id) plus its record's source columns."""
    keyed = frame.astype(object).assign(
        payment_kind=frame["payment_kind"].fillna("").astype(str).astype(object),
        key=join_keys(frame["payment_id"]),
    )
    out = keyed.merge(sources, on=KEY, how="left", validate="many_to_one")
    return out.assign(source_kind=out["payment_kind"])


def _ticket_ids(tickets: pd.DataFrame) -> pd.Series:
    if "payment_id" in tickets:
        return tickets["payment_id"]
    return ticket_payment_ids(tickets["ticket_id"])


def _with_outcomes(tickets: pd.DataFrame, outcomes: pd.DataFrame | None) -> pd.DataFrame:
    """The tickets with the engine's ``status`` and verifying bank line (``bank_payment_id``)
    from the match result (TICKET_OUTCOME_COLUMNS), where the producer states none."""
    if outcomes is None or outcomes.empty:
        return tickets
    known = outcomes.drop_duplicates("ticket_id", keep="last").set_index("ticket_id")
    ids = tickets["ticket_id"].astype(str)
    bank = known["payment_id"].where(known["payment_kind"] == "bank")
    found = {"status": ids.map(known["status"]), "bank_payment_id": ids.map(bank)}
    for name, value in found.items():
        stated = _column(tickets, name, None)
        given = stated.notna() & (stated.astype(str) != "")
        found[name] = stated.where(given, value).astype(object)
    return tickets.assign(**found)


def _bank_lines(frame: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """BANK_LINE_OUT for ``frame``'s optional ``bank_payment_id`` (all None without it)."""
    ids = frame.get("bank_payment_id", pd.Series(None, index=frame.index, dtype=object))
    bank = sources.loc[sources["payment_kind"] == "bank",
                       ["key", "source_file", "source_ref", "source_line"]]
    lines = pd.DataFrame({"key": join_keys(ids)}).merge(bank, on="key", how="left",
                                                        validate="many_to_one")
    lines.index = frame.index
    return pd.DataFrame({
        "bank_source_file": optional_text(lines["source_file"]),
        "bank_source_ref": optional_text(lines["source_ref"]),
        "bank_source_line": optional_int(lines["source_line"]),
    }, index=frame.index)


def _source_columns(frame: pd.DataFrame) -> dict[str, pd.Series]:
    return {
        **{name: optional_text(frame[name])
           for name in ("source_kind", "source_format", "source_file", "source_ref")},
        "source_line": optional_int(frame["source_line"]),
        "source_date": optional_date(frame["source_date"]),
    }


# --- export tables ----------------------------------------------------------------------


def _matches(allocations: pd.DataFrame, state: pd.DataFrame) -> pd.DataFrame:
    clients = state.drop_duplicates("invoice_number", keep="last").set_index("invoice_number")
    number = allocations["invoice_number"].astype(str)
    return pd.DataFrame({
        **_source_columns(allocations),
        "source_amount": money(allocations["source_amount_minor"],
                               allocations["source_currency"]),
        "currency": allocations["currency"],
        "invoice_number": number,
        "client_id": optional_text(number.map(clients["client_id"])),
        "applied_amount": money(allocations["applied_minor"], allocations["currency"]),
        "status": allocations["status"], "rule": allocations["rule"],
        "confidence": pd.to_numeric(allocations["confidence"], errors="coerce"),
        "reason": allocations["reason"],
        "match_id": optional_text(allocations.get("match_id", pd.Series(
            None, index=allocations.index, dtype=object))),
    }, columns=MATCH_OUT)


def _invoices(state: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "invoice_number": state["invoice_number"], "client_id": state["client_id"],
        "currency": state["currency"],
        "total": money(state["total_minor"], state["currency"]),
        "paid_amount": money(state["paid_minor"], state["currency"]),
        "balance": money(state["balance_minor"], state["currency"]),
        "status": state["status"], "due_date": optional_date(state["due_date"]),
        "days_overdue": state["days_overdue"],
    }, columns=INVOICE_OUT)


def _unmatched(unmatched: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        **_source_columns(unmatched),
        "amount": money(unmatched["source_amount_minor"], unmatched["source_currency"]),
        "currency": optional_text(unmatched["source_currency"]), "reason": unmatched["reason"],
    }, columns=UNMATCHED_OUT)


def _exceptions(exceptions: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "kind": exceptions["kind"], **_source_columns(exceptions),
        "invoice_number": optional_text(exceptions["invoice_number"]),
        "amount": money(exceptions["amount_minor"], exceptions["currency"]),
        "currency": optional_text(exceptions["currency"]), "detail": exceptions["detail"],
    }, columns=EXCEPTION_OUT)


def _payouts(payouts: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
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


def _tickets(tickets: pd.DataFrame, exceptions: pd.DataFrame,
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
    derived = join_keys(_ticket_ids(tickets)).map(flagged[~flagged.index.duplicated()])
    derived = derived.where(derived.notna(), np.where(lines["bank_source_file"].notna(),
                                                      "verified", "pending")).astype(object)
    claimed_date = optional_date(tickets["claimed_date"])
    return pd.DataFrame({
        "ticket_id": tickets["ticket_id"],
        "invoice_number": optional_text(tickets["invoice_number"]),
        "claimed_amount": money(tickets["claimed_amount_minor"], tickets["currency"]),
        "claimed_date": claimed_date, "status": _stated_or(tickets, derived), **lines,
        "claimed_amount_alt": money(_column(tickets, "claimed_amount_alt_minor", None),
                                    tickets["currency"]),
        "claim_date": claimed_date.where(claimed_date.notna(),
                                         optional_date(tickets["created_date"])),
        "currency": tickets["currency"],
    }, index=tickets.index)


def _column(frame: pd.DataFrame, name: str, default: object) -> pd.Series:
    """``frame[name]``, or ``default`` on every row of a frame without that column."""
    if name in frame:
        return frame[name]
    return pd.Series([default] * len(frame), index=frame.index, dtype=object)


def _rejects(rejects: pd.DataFrame) -> pd.DataFrame:
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
