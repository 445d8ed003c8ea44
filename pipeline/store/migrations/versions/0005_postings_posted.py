"""postings back to billing: ``postings_posted`` (what finance entered in billing, one row per
posted allocation or credit, by ``(match_id, kind)``) and ``store_meta`` holding this
database's random ``database_id`` (made the first time it is asked for).

Revision ID: 0005_postings_posted
Revises: 0004_match_outcomes
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_postings_posted"
down_revision: str | None = "0004_match_outcomes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column helpers (a migration must not follow later model edits).
ID_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _text(name: str) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=False, server_default="")


def upgrade() -> None:
    op.create_table(
        "postings_posted",
        sa.Column("id", ID_TYPE, nullable=False),
        sa.Column("match_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        _text("invoice_number"), _text("billing_id"), _text("transid"), _text("gateway"),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("fee_minor", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
        sa.Column("currency", sa.String(8), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        _text("checksum"), _text("file_name"), _text("file_sha256"), _text("user"),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_postings_posted"),
        sa.UniqueConstraint("match_id", "kind", name="uq_postings_posted_match_id_kind"),
    )
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_store_meta"),
    )


def downgrade() -> None:
    op.drop_table("store_meta")
    op.drop_table("postings_posted")
