"""The weekly digest is a reminder of its own kind: ``reminder.kind`` may be ``sammendrag``.

On PostgreSQL the CHECK is dropped and made anew. On SQLite a CHECK can only change by building
the table anew; with foreign keys on, dropping ``reminder`` would delete every delivery and
"Levert" mark with it (ON DELETE CASCADE), so the two tables that point at it are put aside
first and built anew after it, every row kept (as 0008 does for the meetings).

Going down deletes the digests (and, by the cascade, their deliveries): before this revision
no reminder may be one.

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-14
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_BEFORE = "kind IN ('melding', 'frist')"
_AFTER = "kind IN ('melding', 'frist', 'sammendrag')"
_REMINDER_COLUMNS = ("id, channel_id, kind, text, rule, embete_id, created_by, created_at, "
                     "updated_at, paused, next_due_at, next_key, deleted_at")
_DELIVERY_COLUMNS = ("id, reminder_id, occurrence_key, due_at, status, reason, claimed_by, "
                     "claimed_at, sent_at, message_ts")
_DONE_COLUMNS = "reminder_id, deadline, done_by, done_at"


def upgrade() -> None:
    _change_check(_BEFORE, _AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM reminder_delivery WHERE reminder_id IN "
               "(SELECT id FROM reminder WHERE kind = 'sammendrag')")
    op.execute("DELETE FROM reminder WHERE kind = 'sammendrag'")
    _change_check(_AFTER, _BEFORE)


def _change_check(old: str, new: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("ck_reminder_kind", "reminder", type_="check")
        op.create_check_constraint("ck_reminder_kind", "reminder", new)
        return
    op.execute(f"CREATE TABLE _reminder_delivery_0012 AS SELECT {_DELIVERY_COLUMNS} "
               "FROM reminder_delivery")
    op.execute(f"CREATE TABLE _deadline_done_0012 AS SELECT {_DONE_COLUMNS} FROM deadline_done")
    op.drop_index("ix_reminder_delivery_reminder_id", table_name="reminder_delivery")
    op.drop_table("reminder_delivery")  # before their parent: no cascade can reach their rows
    op.drop_table("deadline_done")

    op.create_table(
        "_reminder_0012",
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
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(new, name="ck_reminder_kind"),
    )
    op.execute(f"INSERT INTO _reminder_0012 ({_REMINDER_COLUMNS}) "
               f"SELECT {_REMINDER_COLUMNS} FROM reminder")
    op.drop_index("ix_reminder_channel", table_name="reminder")
    op.drop_index("ix_reminder_next_due", table_name="reminder")
    op.drop_table("reminder")
    op.rename_table("_reminder_0012", "reminder")
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
    op.execute(f"INSERT INTO reminder_delivery ({_DELIVERY_COLUMNS}) "
               f"SELECT {_DELIVERY_COLUMNS} FROM _reminder_delivery_0012")
    op.execute(f"INSERT INTO deadline_done ({_DONE_COLUMNS}) "
               f"SELECT {_DONE_COLUMNS} FROM _deadline_done_0012")
    op.drop_table("_reminder_delivery_0012")
    op.drop_table("_deadline_done_0012")
