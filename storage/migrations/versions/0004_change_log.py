"""The change log (who changed what, before and after, and whether it was undone), and deleted
reminders kept so that an undo can bring them back.

Changes made before this revision are not in the log, so ``/lhl angre`` does not reach them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("changed_by", sa.String(32), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("record", sa.String(30), nullable=False),
        sa.Column("record_id", sa.String(64), nullable=False),
        sa.Column("before", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("after", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("undone_by", sa.Integer(), sa.ForeignKey("change_log.id"), nullable=True),
    )
    op.create_index("ix_change_log_changed_by_id", "change_log", ["changed_by", "id"])
    op.create_index("ix_change_log_record", "change_log", ["record", "record_id", "id"])
    op.add_column("reminder", sa.Column("deleted_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    # Deleted reminders were kept only for an undo; before this revision they are gone.
    op.execute("DELETE FROM reminder WHERE deleted_at IS NOT NULL")
    # Not in batch mode: rebuilding the table on SQLite would drop it, and with foreign keys on
    # that deletes every delivery and "Levert" mark along with it.
    op.drop_column("reminder", "deleted_at")
    op.drop_index("ix_change_log_record", table_name="change_log")
    op.drop_index("ix_change_log_changed_by_id", table_name="change_log")
    op.drop_table("change_log")
