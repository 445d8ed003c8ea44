"""Report data (pure): the run's frames turned into the export tables of DESIGN.md "Outputs".

Inputs are the contract frames of :mod:`pipeline.frames` (integer minor units); every
:class:`ReportData` frame has exactly its export's columns, amounts as ``Decimal`` in the
row's currency, dates as ``datetime.date``, ``source_line`` as ``int`` or ``None``. Rows that
point at an input record take their source columns from ``payments`` (bank, gateway) or
``tickets`` (kind ``ticket``), joined on ``(payment_kind, payment_id)``; the tables themselves
are built by :mod:`pipeline.report_tables`.

Optional extra columns the producer may add: ``status`` and ``bank_payment_id`` (the
``payment_id`` of the bank line that carries it) on payouts and tickets, and ``payment_id``
on tickets (the id used by allocations/exceptions of kind ``ticket``; default ``ticket_id``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandas.api.extensions import take

from pipeline import overdue
from pipeline import postings as billing
from pipeline import report_tables as tables
from pipeline.matching import MatchResult
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
from pipeline.report_tables import (  # noqa: F401 (the export columns, re-exported)
    BANK_LINE_OUT,
    EXCEPTION_OUT,
    INVOICE_OUT,
    MATCH_OUT,
    PAYOUT_OUT,
    REJECT_OUT,
    SOURCE_OUT,
    TICKET_OUT,
    UNMATCHED_OUT,
)
from pipeline.report_values import join_keys
from pipeline.settings import Settings

NUMBER = "_payment_number"  # a source row's integer payment id (None: a ticket), not shown


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
    # every bank line (store.load_bank_transactions); the statement balance check reads only
    # source_file, account_id, currency and amount_minor
    bank_lines: pd.DataFrame | None = None
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
    everything = with_non_payments(inputs.payments, inputs.non_payments)
    sources, every = _both_sources(inputs.payments, inputs.non_payments, inputs.tickets)
    other = _with_sources(inputs.match.other_money, every)
    allocations, unmatched, exceptions = _with_own_sources(inputs, sources)
    state = invoice_state(inputs.invoices, inputs.clients, inputs.match.allocations, as_of=as_of,
                          ledger=inputs.ledger)
    matches = tables.matches(allocations, state)
    tickets = tables.tickets(_with_outcomes(inputs.tickets, inputs.match.tickets),
                       inputs.match.exceptions, sources)
    holds = overdue.holds(matches, tickets, as_of=as_of, settings=settings)
    gaps = gap_exceptions(inputs.statement_balances, EXCEPTION_OUT)
    return ReportData(
        as_of=as_of,
        matches=matches,
        invoices=tables.invoices(state),
        unmatched=tables.unmatched(unmatched),
        exceptions=pd.concat([tables.exceptions(exceptions), gaps], ignore_index=True)
        if len(gaps) else tables.exceptions(exceptions),
        payouts=tables.payouts(with_outcomes(known_payouts(inputs.payouts, as_of),
                                       inputs.match.payouts), every),
        tickets=tickets[TICKET_OUT],
        overdue=overdue.overdue_frame(state, holds, settings),
        rejects=tables.rejects(inputs.rejects),
        summary={**summarize(sources, allocations, unmatched,
                             pd.concat([exceptions, gaps[["kind"]]], ignore_index=True), state,
                             as_of=as_of, rejects=len(inputs.rejects)),
                 "tie_out": tie_out(every, allocations, unmatched, exceptions, other)},
        other_money=other_money_frame(other, tables.source_columns(other)),
        **billing.to_post(inputs, as_of=as_of, settings=settings),
        details=build_details(payments=everything,
                              tickets=inputs.tickets, invoices=inputs.invoices, files=inputs.files,
                              balances=inputs.statement_balances, bank_lines=inputs.bank_lines,
                              ledger=inputs.ledger, database_id=inputs.database_id,
                              payout_items=inputs.payout_items),
    )


# --- source records ---------------------------------------------------------------------


def _both_sources(payments: pd.DataFrame, non_payments: pd.DataFrame | None,
                  tickets: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(sources, every): one row per payment (bank, gateway) or ticket: key, source columns,
    amount, currency; ``every`` has the non-payments too. Each record's row is made once."""
    pay, tick = _payment_rows(payments), _ticket_rows(tickets)
    sources = _keyed_once(pay, tick)
    if non_payments is None or non_payments.empty:
        return sources, sources
    return sources, _keyed_once(pd.concat([pay, _payment_rows(non_payments)],
                                          ignore_index=True), tick)


def _payment_rows(payments: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "payment_kind": payments["payment_kind"], "key": join_keys(payments["payment_id"]),
        "source_format": payments["source_format"], "source_file": payments["source_file"],
        "source_ref": payments["source_ref"], "source_line": payments["source_line"],
        "source_date": payments["source_date"], "amount_minor": payments["amount_minor"],
        "currency": payments["currency"], NUMBER: payments["payment_id"]
        if pd.api.types.is_integer_dtype(payments["payment_id"]) else None,
    }).astype(object)


def _ticket_rows(tickets: pd.DataFrame) -> pd.DataFrame:
    claimed = tickets["claimed_date"].where(tickets["claimed_date"].notna(),
                                            tickets["created_date"])
    return pd.DataFrame({
        "payment_kind": "ticket", "key": join_keys(tables.ticket_ids(tickets)),
        "source_format": tickets["source_format"], "source_file": tickets["source_file"],
        "source_ref": tickets["source_ref"], "source_line": tickets["source_line"],
        "source_date": claimed, "amount_minor": tickets["claimed_amount_minor"],
        "currency": tickets["currency"], NUMBER: None,
    }, index=tickets.index).astype(object)


def _keyed_once(pay: pd.DataFrame, tick: pd.DataFrame) -> pd.DataFrame:
    """Payment rows then ticket rows (object columns), those without a key dropped, the last
    row of each KEY kept, amount and currency named as source columns."""
    both = pd.concat([pay, tick], ignore_index=True)
    both = both.loc[both["key"] != ""].drop_duplicates(KEY, keep="last")
    return both.rename(columns={"amount_minor": "source_amount_minor",
                                "currency": "source_currency"})


def _with_own_sources(inputs: ReportInputs, sources: pd.DataFrame,
                      ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(allocations shown, unmatched, exceptions) with their source columns; the sources'
    KEY index is made once for the three and dropped after them."""
    shown = with_rejected(inputs.match.allocations, inputs.ledger, inputs.payments)
    by_key = SourceKeys(sources)
    return (_with_sources(shown, sources, by_key),
            _with_sources(inputs.match.unmatched, sources, by_key),
            _with_sources(inputs.match.exceptions, sources, by_key))


def _with_sources(frame: pd.DataFrame, sources: pd.DataFrame,
                  index: SourceKeys | None = None) -> pd.DataFrame:
    """``frame`` (with payment_kind, payment_id) plus its record's source columns: a left
    join on KEY (``sources`` holds each KEY once; ``index``: its :class:`SourceKeys`), by
    position."""
    keyed = frame.astype(object).assign(
        payment_kind=frame["payment_kind"].fillna("").astype(str).astype(object),
        key=join_keys(frame["payment_id"]),
    ).reset_index(drop=True)
    index = SourceKeys(sources) if index is None else index
    at = index.positions(keyed, frame["payment_id"].to_numpy())
    taken = {name: take(sources[name].to_numpy(dtype=object), at, allow_fill=True)
             for name in sources.columns if name not in (*KEY, NUMBER)}
    return keyed.assign(**taken, source_kind=keyed["payment_kind"])


class SourceKeys:
    """The sources' KEY looked up: by number, (payment_kind, integer id), for the money
    (every payment row carries its integer id in NUMBER), else by text."""

    def __init__(self, sources: pd.DataFrame) -> None:
        self._sources, self._text, self._numbers = sources, None, None
        if NUMBER not in sources:
            return
        money = (sources["payment_kind"] != "ticket").to_numpy()
        ids = pd.to_numeric(sources[NUMBER].to_numpy()[money]) if money.any() else None
        self._kinds = pd.Index(pd.unique(sources["payment_kind"].to_numpy(dtype=object)[money]))
        if ids is not None and pd.api.types.is_integer_dtype(ids):
            codes = np.full(len(sources), -1, dtype=np.int64)
            codes[money] = _numbered(sources["payment_kind"].to_numpy()[money], ids,
                                     self._kinds)
            codes[codes < 0] = -2 - np.flatnonzero(codes < 0)  # none alike, none found
            if (codes[money] >= 0).all():
                self._numbers = pd.Index(codes)

    def positions(self, keyed: pd.DataFrame, ids: np.ndarray) -> np.ndarray:
        """Each row's source (its position, -1: none) of ``keyed`` (payment_kind and key
        as :func:`_with_sources` makes them; ``ids``: the payment ids they came from)."""
        kinds = keyed["payment_kind"].to_numpy(dtype=object)
        numbered = pd.api.types.infer_dtype(ids, skipna=True) in ("integer", "empty")
        if self._numbers is None or not numbered:
            return self._by_text(keyed)
        present = ~pd.isna(ids)
        at = np.full(len(keyed), -1, dtype=np.int64)  # a missing id has key '': no source
        code = _numbered(kinds[present], ids[present].astype(np.int64), self._kinds)
        at[present] = np.where(code >= 0, self._numbers.get_indexer(code), -1)
        rest = present.copy()
        rest[present] = code < 0  # tickets, or an id that cannot be numbered
        if rest.any():
            at[rest] = self._by_text(keyed.loc[rest])
        return at

    def _by_text(self, keyed: pd.DataFrame) -> np.ndarray:
        if self._text is None:
            self._text = pd.Index(_joined_key(self._sources))
        return self._text.get_indexer(_joined_key(keyed))


def _numbered(kinds: np.ndarray, ids: np.ndarray, names: pd.Index) -> np.ndarray:
    """(kind, id) as one number per row; -1 where the kind is not among ``names`` or the
    id is below zero or too big to be numbered so."""
    width = len(names) + 1
    code = names.get_indexer(kinds)
    fits = (code >= 0) & (ids >= 0) & (ids < np.iinfo(np.int64).max // width)
    return np.where(fits, ids * width + code, -1)


def _joined_key(frame: pd.DataFrame) -> np.ndarray:
    """KEY as one text per row (payment_kind and key never hold the separator)."""
    return (frame["payment_kind"].astype(str).to_numpy(dtype=object) + "\x1f"
            + frame["key"].to_numpy(dtype=object))


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
        stated = tables.column(tickets, name, None)
        given = stated.notna() & (stated.astype(str) != "")
        found[name] = stated.where(given, value).astype(object)
    return tickets.assign(**found)
