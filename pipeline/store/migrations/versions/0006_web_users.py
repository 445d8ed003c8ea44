"""the web front: ``web_users`` (user name, argon2 hash, role, disabled) and ``web_uploads``
(who uploaded which content, when, and what became of it).

Revision ID: 0006_web_users
Revises: 0005_postings_posted
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_web_users"
down_revision: str | None = "0005_postings_posted"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column helpers (a migration must not follow later model edits).
ID_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _text(name: str) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=False, server_default="")


def upgrade() -> None:
    op.create_table(
        "web_users",
        sa.Column("id", ID_TYPE, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_web_users"),
        sa.UniqueConstraint("username", name="uq_web_users_username"),
    )
    op.create_table(
        "web_uploads",
        sa.Column("id", ID_TYPE, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        _text("file_name"),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _text("outcome_json"),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_web_uploads"),
    )
    op.create_index("ix_web_uploads_sha256", "web_uploads", ["sha256"])


def downgrade() -> None:
    op.drop_index("ix_web_uploads_sha256", table_name="web_uploads")
    op.drop_table("web_uploads")
    op.drop_table("web_users")
