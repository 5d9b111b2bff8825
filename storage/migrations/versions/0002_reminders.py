"""Reminders, their claimed occurrences, delivered deadlines and drafts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("text", sa.String(500), nullable=False),
        sa.Column("rule", sa.String(2000), nullable=False),
        sa.Column("embete_id", sa.String(40), sa.ForeignKey("embete.id"), nullable=True),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("next_due_at", UTCDateTime(), nullable=True),
        sa.Column("next_key", sa.String(64), nullable=True),
        sa.CheckConstraint("kind IN ('melding', 'frist')", name="ck_reminder_kind"),
    )
    op.create_index("ix_reminder_channel", "reminder", ["channel_id"])
    op.create_index("ix_reminder_next_due", "reminder", ["paused", "next_due_at"])
    op.create_table(
        "reminder_delivery",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("reminder_id", sa.Integer(),
                  sa.ForeignKey("reminder.id", ondelete="CASCADE"), nullable=False),
        sa.Column("occurrence_key", sa.String(64), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("reason", sa.String(300), nullable=True),
        sa.Column("claimed_by", sa.String(64), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("message_ts", sa.String(32), nullable=True),
        sa.UniqueConstraint("reminder_id", "occurrence_key",
                            name="uq_reminder_delivery_occurrence"),
        sa.CheckConstraint("status IN ('claimed', 'sent', 'failed', 'skipped')",
                           name="ck_reminder_delivery_status"),
    )
    op.create_index("ix_reminder_delivery_reminder_id", "reminder_delivery", ["reminder_id"])
    op.create_table(
        "deadline_done",
        sa.Column("reminder_id", sa.Integer(),
                  sa.ForeignKey("reminder.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("deadline", sa.Date(), primary_key=True),
        sa.Column("done_by", sa.String(32), nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "reminder_draft",
        sa.Column("user_id", sa.String(32), primary_key=True),
        sa.Column("channel_id", sa.String(32), primary_key=True),
        sa.Column("command", sa.String(1000), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("reminder_draft")
    op.drop_table("deadline_done")
    op.drop_table("reminder_delivery")
    op.drop_table("reminder")
