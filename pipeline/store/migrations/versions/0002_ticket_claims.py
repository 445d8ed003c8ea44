"""ticket claims: the second reading of a typed amount, and the channel of the claim.

``tickets.claimed_amount_alt_minor`` (nullable ``BigInteger``): the other reading of an
amount a person typed that reads two ways (``12,500`` USD: 1250000 first, 1250 here); the
bank line that verifies the claim decides. ``tickets.channel`` (``String(8)``, not null,
default ``'ticket'``): ``ticket`` for a helpdesk ticket, ``email`` for a confirmation that
came by e-mail (its ``ticket_id`` is the ``Message-ID``). Existing rows are tickets with one
reading.

Revision ID: 0002_ticket_claims
Revises: 0001_initial
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_ticket_claims"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Frozen copies of the columns (a migration must not follow later model edits).
def _alt_amount() -> sa.Column:
    return sa.Column("claimed_amount_alt_minor", sa.BigInteger(), nullable=True)


def _channel() -> sa.Column:
    return sa.Column("channel", sa.String(8), nullable=False, server_default="ticket")


def upgrade() -> None:
    op.add_column("tickets", _alt_amount())
    op.add_column("tickets", _channel())


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("channel")
        batch.drop_column("claimed_amount_alt_minor")
