"""initial schema: source files, bank/gateway/ticket/balance records, invoices and clients
with history, rejects, runs and the current match result.

Revision ID: 0001_initial
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column helpers (a migration must not follow later model edits).
ID_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _id() -> sa.Column:
    return sa.Column("id", ID_TYPE, nullable=False)


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=f"pk_{table}")


def _text(name: str) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=False, server_default="")


def _count(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=False, server_default=sa.text("0"))


def _source(table: str) -> list:
    return [
        sa.Column("source_file_id", sa.BigInteger(), nullable=True),
        _text("source_file"),
        _text("source_sha256"),
        _text("source_format"),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.Column("source_ref", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_file_id"], ["source_files.id"],
            name=f"fk_{table}_source_file_id_source_files",
        ),
    ]


def _index(table: str, *columns: str) -> None:
    op.create_index(f"ix_{table}_{'_'.join(columns)}", table, list(columns))


def _invoice_content() -> list:
    return [
        sa.Column("invoice_id", sa.Text(), nullable=True),
        sa.Column("client_id", sa.Text(), nullable=False),
        _text("client_name"),
        _text("client_email"),
        sa.Column("currency", sa.String(8), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("balance_minor", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("first_invoice", sa.Boolean(), nullable=False),
        sa.Column("group_id", sa.Text(), nullable=True),
    ]


def _client_content() -> list:
    return [
        _text("name"), _text("company"), _text("email"),
        sa.Column("created_at", sa.Date(), nullable=True),
    ]


def _source_files() -> None:
    op.create_table(
        "source_files", _id(),
        sa.Column("sha256", sa.String(64), nullable=False),
        _text("file_name"), _text("format"), _text("kind"),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
        sa.Column("status", sa.String(16), nullable=False),
        _text("reason"),
        _count("records_new"), _count("records_duplicate"), _count("records_rejected"),
        _count("invoices_updated"),
        _text("warnings"),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        _pk("source_files"),
        sa.UniqueConstraint("sha256", name="uq_source_files_sha256"),
    )


def _bank_and_gateway() -> None:
    op.create_table(
        "bank_transactions", _id(),
        _text("account_id"),
        sa.Column("natural_key", sa.Text(), nullable=False),
        sa.Column("booking_date", sa.Date(), nullable=False),
        sa.Column("value_date", sa.Date(), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(8), nullable=False),
        _text("description"), _text("counterparty_name"), _text("counterparty_account"),
        *_source("bank_transactions"),
        _pk("bank_transactions"),
        sa.UniqueConstraint(
            "natural_key", "account_id", name="uq_bank_transactions_natural_key_account_id"
        ),
    )
    _index("bank_transactions", "source_file_id")
    _index("bank_transactions", "booking_date")
    op.create_table(
        "gateway_transactions", _id(),
        sa.Column("gateway", sa.String(32), nullable=False),
        sa.Column("transaction_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_date", sa.Date(), nullable=False),
        sa.Column("gross_minor", sa.BigInteger(), nullable=False),
        sa.Column("fee_minor", sa.BigInteger(), nullable=False),
        sa.Column("net_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(8), nullable=False),
        _text("status"), _text("customer_name"), _text("customer_email"), _text("description"),
        _text("invoice_ref"), _text("related_id"), _text("payout_id"),
        sa.Column("metadata_json", sa.Text(), nullable=False, server_default="{}"),
        *_source("gateway_transactions"),
        _pk("gateway_transactions"),
        sa.UniqueConstraint(
            "transaction_id", "gateway", name="uq_gateway_transactions_transaction_id_gateway"
        ),
    )
    _index("gateway_transactions", "gateway", "payout_id")
    _index("gateway_transactions", "source_file_id")


def _tickets_and_balances() -> None:
    op.create_table(
        "tickets", _id(),
        sa.Column("ticket_id", sa.Text(), nullable=False),
        sa.Column("created_date", sa.Date(), nullable=False),
        _text("name"), _text("email"), _text("client_id"), _text("subject"), _text("message"),
        _text("invoice_number"), _text("destination_bank"), _text("destination_account"),
        sa.Column("claimed_amount_minor", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(8), nullable=True),
        sa.Column("claimed_date", sa.Date(), nullable=True),
        _text("account_holder"),
        *_source("tickets"),
        _pk("tickets"),
        sa.UniqueConstraint("ticket_id", name="uq_tickets_ticket_id"),
    )
    _index("tickets", "source_file_id")
    op.create_table(
        "statement_balances", _id(),
        sa.Column("natural_key", sa.Text(), nullable=False),
        _text("account_id"),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(8), nullable=False),
        *_source("statement_balances"),
        _pk("statement_balances"),
        sa.UniqueConstraint("natural_key", name="uq_statement_balances_natural_key"),
    )
    _index("statement_balances", "source_file_id")
    op.create_table(
        "rejects", _id(),
        *_source("rejects"),
        sa.Column("reason", sa.Text(), nullable=False),
        _text("raw"),
        _pk("rejects"),
    )
    _index("rejects", "source_file_id")


def _invoices_and_clients() -> None:
    stamp = sa.DateTime(timezone=True)
    op.create_table(
        "invoices", _id(),
        sa.Column("invoice_number", sa.Text(), nullable=False),
        *_invoice_content(), *_source("invoices"),
        sa.Column("updated_at", stamp, nullable=False),
        _pk("invoices"),
        sa.UniqueConstraint("invoice_number", name="uq_invoices_invoice_number"),
    )
    _index("invoices", "client_id")
    op.create_table(
        "invoice_history", _id(),
        sa.Column("invoice_number", sa.Text(), nullable=False),
        *_invoice_content(), *_source("invoice_history"),
        sa.Column("valid_from", stamp, nullable=False),
        _pk("invoice_history"),
    )
    _index("invoice_history", "invoice_number")
    op.create_table(
        "clients", _id(),
        sa.Column("client_id", sa.Text(), nullable=False),
        *_client_content(), *_source("clients"),
        sa.Column("updated_at", stamp, nullable=False),
        _pk("clients"),
        sa.UniqueConstraint("client_id", name="uq_clients_client_id"),
    )
    op.create_table(
        "client_history", _id(),
        sa.Column("client_id", sa.Text(), nullable=False),
        *_client_content(), *_source("client_history"),
        sa.Column("valid_from", stamp, nullable=False),
        _pk("client_history"),
    )
    _index("client_history", "client_id")


def _run_id(table: str) -> list:
    return [
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=f"fk_{table}_run_id_runs"),
    ]


def _runs() -> None:
    op.create_table(
        "runs", _id(),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("summary_json", sa.Text(), nullable=False, server_default="{}"),
        _pk("runs"),
    )


def _match_results() -> None:
    op.create_table(
        "match_allocations", _id(), *_run_id("match_allocations"),
        sa.Column("payment_kind", sa.String(16), nullable=False),
        sa.Column("payment_id", sa.BigInteger(), nullable=False),
        sa.Column("invoice_number", sa.Text(), nullable=False),
        sa.Column("applied_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _text("rule"),
        sa.Column("confidence", sa.Float(), nullable=False),
        _text("reason"),
        _pk("match_allocations"),
    )
    op.create_table(
        "match_unmatched", _id(), *_run_id("match_unmatched"),
        sa.Column("payment_kind", sa.String(16), nullable=False),
        sa.Column("payment_id", sa.BigInteger(), nullable=False),
        _text("reason"),
        _pk("match_unmatched"),
    )
    op.create_table(
        "match_exceptions", _id(), *_run_id("match_exceptions"),
        sa.Column("kind", sa.String(64), nullable=False),
        _text("payment_kind"),
        sa.Column("payment_id", sa.BigInteger(), nullable=True),
        _text("invoice_number"),
        sa.Column("amount_minor", sa.BigInteger(), nullable=True),
        _text("currency"),
        _text("detail"),
        _pk("match_exceptions"),
    )
    for table in ("match_allocations", "match_unmatched", "match_exceptions"):
        _index(table, "run_id")


def upgrade() -> None:
    _source_files()
    _bank_and_gateway()
    _tickets_and_balances()
    _invoices_and_clients()
    _runs()
    _match_results()


def downgrade() -> None:
    for table in (
        "match_exceptions", "match_unmatched", "match_allocations", "runs",
        "client_history", "clients", "invoice_history", "invoices",
        "rejects", "statement_balances", "tickets",
        "gateway_transactions", "bank_transactions", "source_files",
    ):
        op.drop_table(table)
