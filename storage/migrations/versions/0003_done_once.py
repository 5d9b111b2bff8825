"""Keys of work done once: a Slack request delivered twice, a button pressed twice.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "done_once",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("done_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_done_once_done_at", "done_once", ["done_at"])


def downgrade() -> None:
    op.drop_index("ix_done_once_done_at", table_name="done_once")
    op.drop_table("done_once")
