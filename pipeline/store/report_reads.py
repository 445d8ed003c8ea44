"""What one report run reads (:meth:`pipeline.store.Store.load_report_inputs`): every table
the report uses read once, on one connection, and nothing the report does not use.

The same frames as the per-table loads (:mod:`pipeline.store.reads`, ``catalog``, ``ledger``,
``postings``, ``results``) with two exceptions: the match result comes without its
``candidates`` (the money lines' detail pages show them, the report never does), and the
bank lines are not read a second time: the statement balance check only sums the bank lines'
amounts per (file, account, currency), which the money frames already hold (every bank line
with an amount is a payment or a non-payment; a line of zero adds nothing).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, select

from pipeline.matching import MatchResult
from pipeline.store import catalog, ledger, postings, reads, results
from pipeline.store.reads import columns_of, select_frame

# what pipeline.report_details.balance_checks reads of each bank line
BANK_MOVEMENT_COLUMNS = ["source_file", "account_id", "currency", "amount_minor"]


# the inputs read by their own loader (``bank_lines`` is made from the money frames)
READERS = {
    "invoices": reads.load_invoices, "clients": reads.load_clients,
    "payments": reads.load_payments, "non_payments": reads.load_non_payments,
    "match": lambda conn: load_report_match(conn), "rejects": reads.load_rejects,
    "tickets": reads.load_tickets, "payouts": reads.load_payouts,
    "ledger": ledger.load_ledger, "files": catalog.load_source_files,
    "payout_items": catalog.load_payout_items,
    "statement_balances": reads.load_statement_balances, "posted": postings.load_posted,
}


def load_report_inputs(conn: Connection, *, only: frozenset[str] | None = None,
                       skip: frozenset[str] = frozenset()) -> dict[str, object]:
    """The frames of a ``pipeline.reporting.ReportInputs`` but its ``database_id``, by field
    name; ``bank_lines`` holds only :data:`BANK_MOVEMENT_COLUMNS`. ``only`` / ``skip``: just
    those inputs / all but those (names of :data:`READERS`; ``bank_lines`` comes with the
    money frames), so that two connections can share the reading."""
    names = [n for n in READERS if (only is None or n in only) and n not in skip]
    loaded = {name: READERS[name](conn) for name in names}
    if "payments" in loaded and "non_payments" in loaded:
        loaded["bank_lines"] = bank_movements(loaded["payments"], loaded["non_payments"])
    return loaded


# what reconcile reads with the same loaders: a nightly run's report takes them from it
FROM_RECONCILE = frozenset({"invoices", "clients", "payments", "non_payments", "tickets",
                            "payouts"})


def inputs_after_reconcile(conn: Connection, reconciled: dict, result: MatchResult,
                           now: dt.datetime) -> dict[str, object]:
    """What :func:`load_report_inputs` reads once ``result`` is saved and its entries
    appended to the ledger at ``now``: the frames of :data:`FROM_RECONCILE` taken from
    ``reconciled`` (what reconcile loaded, its ``ledger`` included), the match result and the
    ledger as a read gives them back once stored (:func:`results.as_report_reads`,
    :func:`ledger.ledger_after`), the rest read here. Equal frames, without reading back a
    result just written."""
    loaded = {name: reconciled[name] for name in FROM_RECONCILE}
    loaded["match"] = results.as_report_reads(result)
    loaded["ledger"] = ledger.ledger_after(reconciled["ledger"], result.entries, now)
    loaded |= load_report_inputs(conn, skip=FROM_RECONCILE | {"match", "ledger"})
    loaded["bank_lines"] = bank_movements(loaded["payments"], loaded["non_payments"])
    return loaded


def load_report_match(conn: Connection) -> MatchResult:
    """The current match result as :func:`pipeline.store.results.load_match_result` loads
    it, but for its ``candidates`` (left empty)."""
    loaded = {
        part: select_frame(conn, select(*columns_of(table, spec)).order_by(table.c.id), spec)
        for part, table, spec in results.REPORT_PARTS
    }
    return MatchResult(**loaded)


def bank_movements(payments: pd.DataFrame, non_payments: pd.DataFrame) -> pd.DataFrame:
    """Every bank line with an amount (:data:`BANK_MOVEMENT_COLUMNS`), from the money frames
    (PAYMENT_COLUMNS: bank credits in ``payments``, bank debits in ``non_payments``)."""
    parts = [money.loc[money["payment_kind"] == "bank", BANK_MOVEMENT_COLUMNS]
             for money in (payments, non_payments)]
    return pd.concat(parts, ignore_index=True)
