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

import pandas as pd
from sqlalchemy import Connection, select

from pipeline.matching import MatchResult
from pipeline.store import catalog, ledger, postings, reads, results
from pipeline.store.reads import columns_of, select_frame

# what pipeline.report_details.balance_checks reads of each bank line
BANK_MOVEMENT_COLUMNS = ["source_file", "account_id", "currency", "amount_minor"]


def load_report_inputs(conn: Connection) -> dict[str, object]:
    """The frames of a ``pipeline.reporting.ReportInputs`` but its ``database_id``, by field
    name; ``bank_lines`` holds only :data:`BANK_MOVEMENT_COLUMNS`."""
    payments, non_payments = reads.load_payments(conn), reads.load_non_payments(conn)
    return {
        "invoices": reads.load_invoices(conn), "clients": reads.load_clients(conn),
        "payments": payments, "non_payments": non_payments,
        "match": load_report_match(conn), "rejects": reads.load_rejects(conn),
        "tickets": reads.load_tickets(conn), "payouts": reads.load_payouts(conn),
        "ledger": ledger.load_ledger(conn), "files": catalog.load_source_files(conn),
        "bank_lines": bank_movements(payments, non_payments),
        "payout_items": catalog.load_payout_items(conn),
        "statement_balances": reads.load_statement_balances(conn),
        "posted": postings.load_posted(conn),
    }


def load_report_match(conn: Connection) -> MatchResult:
    """The current match result as :func:`pipeline.store.results.load_match_result` loads
    it, but for its ``candidates`` (left empty)."""
    loaded = {
        part: select_frame(conn, select(*columns_of(table, spec)).order_by(table.c.id), spec)
        for part, table, spec in results.PARTS if part != "candidates"
    }
    return MatchResult(**loaded)


def bank_movements(payments: pd.DataFrame, non_payments: pd.DataFrame) -> pd.DataFrame:
    """Every bank line with an amount (:data:`BANK_MOVEMENT_COLUMNS`), from the money frames
    (PAYMENT_COLUMNS: bank credits in ``payments``, bank debits in ``non_payments``)."""
    parts = [money.loc[money["payment_kind"] == "bank", BANK_MOVEMENT_COLUMNS]
             for money in (payments, non_payments)]
    return pd.concat(parts, ignore_index=True)
