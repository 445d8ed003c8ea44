"""what the engine concluded beyond allocations, kept with the current match result:
``match_tickets`` (each ticket's status and verifying bank line), ``match_payouts`` (each
payout's status and the bank line that carries it) and ``match_other_money`` (money that is
not a customer's payment, by kind).

Revision ID: 0004_match_outcomes
Revises: 0003_ledger
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_match_outcomes"
down_revision: str | None = "0003_ledger"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column helpers (a migration must not follow later model edits).
ID_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TABLES = ("match_tickets", "match_payouts", "match_other_money")


def _text(name: str) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=False, server_default="")


def _head(table: str) -> list:
    return [
        sa.Column("id", ID_TYPE, nullable=False),
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=f"fk_{table}_run_id_runs"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


def upgrade() -> None:
    op.create_table(
        "match_tickets", *_head("match_tickets"),
        sa.Column("ticket_id", sa.Text(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        _text("payment_kind"),
        sa.Column("payment_id", sa.BigInteger(), nullable=True),
        _text("invoice_number"), _text("detail"),
    )
    op.create_table(
        "match_payouts", *_head("match_payouts"),
        sa.Column("gateway", sa.String(32), nullable=False),
        sa.Column("payout_id", sa.Text(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        _text("payment_kind"),
        sa.Column("payment_id", sa.BigInteger(), nullable=True),
        _text("detail"),
    )
    op.create_table(
        "match_other_money", *_head("match_other_money"),
        sa.Column("payment_kind", sa.String(16), nullable=False),
        sa.Column("payment_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        _text("detail"),
    )
    for table in TABLES:
        op.create_index(f"ix_{table}_run_id", table, ["run_id"])


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_index(f"ix_{table}_run_id", table_name=table)
        op.drop_table(table)
