"""what the engine considered per money line, and the indexes the browsing queries read by:
``match_candidates`` (each candidate invoice a pass looked at, its outcome and the reason in
words, kept with the current match result), and indexes on the match tables by money line and
invoice, on suggestions by status, on the ledger by invoice and on invoices by due date.

Revision ID: 0007_match_candidates
Revises: 0006_web_users
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_match_candidates"
down_revision: str | None = "0006_web_users"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column helpers (a migration must not follow later model edits).
ID_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# (table, columns) of the indexes the browsing queries use (pipeline.store.browse*).
INDEXES = (
    ("match_candidates", ("run_id",)),
    ("match_candidates", ("payment_id", "payment_kind")),
    ("match_candidates", ("invoice_number",)),
    ("match_allocations", ("payment_id", "payment_kind")),
    ("match_allocations", ("invoice_number",)),
    ("match_allocations", ("status", "id")),
    ("match_unmatched", ("payment_id", "payment_kind")),
    ("match_exceptions", ("payment_id", "payment_kind")),
    ("match_exceptions", ("invoice_number",)),
    ("ledger_entries", ("invoice_number",)),
    ("invoices", ("due_date", "id")),
)


def _text(name: str) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=False, server_default="")


def _name(table: str, columns: tuple[str, ...]) -> str:
    return f"ix_{table}_{'_'.join(columns)}"


def upgrade() -> None:
    op.create_table(
        "match_candidates",
        sa.Column("id", ID_TYPE, nullable=False),
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("payment_kind", sa.String(16), nullable=False),
        sa.Column("payment_id", sa.BigInteger(), nullable=False),
        _text("invoice_number"),
        sa.Column("pass_name", sa.String(32), nullable=False),
        _text("rule"),
        sa.Column("outcome", sa.String(16), nullable=False),
        _text("reason"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_match_candidates_run_id_runs"),
        sa.PrimaryKeyConstraint("id", name="pk_match_candidates"),
    )
    for table, columns in INDEXES:
        op.create_index(_name(table, columns), table, list(columns))


def downgrade() -> None:
    for table, columns in reversed(INDEXES):
        op.drop_index(_name(table, columns), table_name=table)
    op.drop_table("match_candidates")
