"""the allocation ledger: ``ledger_entries`` (append-only, kept across runs), and on the
current match result ``match_allocations.fee_minor`` (a fee deducted on the way that settles
the rest of the invoice) and ``match_allocations.match_id`` (the stable id of the pair).

Revision ID: 0003_ledger
Revises: 0002_ticket_claims
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_ledger"
down_revision: str | None = "0002_ticket_claims"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column helpers (a migration must not follow later model edits).
ID_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _text(name: str) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=False, server_default="")


def upgrade() -> None:
    op.create_table(
        "ledger_entries",
        sa.Column("id", ID_TYPE, nullable=False),
        sa.Column("entry_key", sa.Text(), nullable=False),
        sa.Column("match_id", sa.String(32), nullable=False),
        sa.Column("entry", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("money_key", sa.Text(), nullable=False),
        sa.Column("payment_kind", sa.String(16), nullable=False),
        sa.Column("invoice_number", sa.Text(), nullable=False),
        sa.Column("applied_minor", sa.BigInteger(), nullable=False),
        sa.Column("fee_minor", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
        sa.Column("currency", sa.String(8), nullable=False),
        _text("rule"), _text("reason"),
        sa.Column("source_date", sa.Date(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        _text("user"), _text("evidence"),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_entries"),
        sa.UniqueConstraint("entry_key", name="uq_ledger_entries_entry_key"),
    )
    op.create_index("ix_ledger_entries_match_id", "ledger_entries", ["match_id"])
    op.create_index("ix_ledger_entries_money_key", "ledger_entries", ["money_key"])
    op.add_column("match_allocations", sa.Column("fee_minor", sa.BigInteger(), nullable=False,
                                                 server_default=sa.text("0")))
    op.add_column("match_allocations", _text("match_id"))


def downgrade() -> None:
    with op.batch_alter_table("match_allocations") as batch:
        batch.drop_column("match_id")
        batch.drop_column("fee_minor")
    op.drop_index("ix_ledger_entries_money_key", table_name="ledger_entries")
    op.drop_index("ix_ledger_entries_match_id", table_name="ledger_entries")
    op.drop_table("ledger_entries")
