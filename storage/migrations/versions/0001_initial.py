"""Reference data, access and dialogue meetings.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "embete",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("navn", sa.String(120), nullable=False, unique=True),
        sa.Column("kortnavn", sa.String(80), nullable=False),
    )
    op.create_table(
        "fylke",
        sa.Column("nummer", sa.String(2), primary_key=True),
        sa.Column("navn", sa.String(80), nullable=False),
        sa.Column("embete_id", sa.String(40), sa.ForeignKey("embete.id"), nullable=False),
    )
    op.create_index("ix_fylke_embete_id", "fylke", ["embete_id"])
    op.create_table(
        "kommune",
        sa.Column("nummer", sa.String(4), primary_key=True),
        sa.Column("navn", sa.String(120), nullable=False),
        sa.Column("fylke_nummer", sa.String(2), sa.ForeignKey("fylke.nummer"), nullable=False),
        sa.Column("embete_id", sa.String(40), sa.ForeignKey("embete.id"), nullable=False),
    )
    op.create_index("ix_kommune_fylke_nummer", "kommune", ["fylke_nummer"])
    op.create_index("ix_kommune_embete_id", "kommune", ["embete_id"])
    op.create_table(
        "access",
        sa.Column("slack_user_id", sa.String(32), primary_key=True),
        sa.Column("embete_id", sa.String(40), sa.ForeignKey("embete.id"), nullable=False),
        sa.Column("rolle", sa.String(20), nullable=False),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("rolle IN ('koordinator', 'leser')", name="ck_access_rolle"),
    )
    op.create_index("ix_access_embete_id", "access", ["embete_id"])
    op.create_table(
        "dialogue_meeting",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("dato", sa.Date(), nullable=False),
        sa.Column("tema", sa.String(500), nullable=True),
        sa.Column("med", sa.String(200), nullable=True),
        sa.Column("notat", sa.String(2000), nullable=True),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("status IN ('holdt', 'tilbudt')", name="ck_dialogue_meeting_status"),
    )
    op.create_index("ix_dialogue_meeting_dato", "dialogue_meeting", ["dato"])
    op.create_index(
        "ix_dialogue_meeting_created_by_id", "dialogue_meeting", ["created_by", "id"]
    )
    op.create_table(
        "meeting_kommune",
        sa.Column(
            "meeting_id",
            sa.Integer(),
            sa.ForeignKey("dialogue_meeting.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "kommune_nummer", sa.String(4), sa.ForeignKey("kommune.nummer"), primary_key=True
        ),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("dato", sa.Date(), nullable=False),
    )
    op.create_index(
        "ix_meeting_kommune_kommune_dato", "meeting_kommune", ["kommune_nummer", "dato"]
    )
    op.create_index(
        "ix_meeting_kommune_kommune_status_dato",
        "meeting_kommune",
        ["kommune_nummer", "status", "dato"],
    )
    op.create_table(
        "store_revision",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("n", sa.BigInteger(), nullable=False, server_default="0"),
    )
    op.execute("INSERT INTO store_revision (id, n) VALUES (1, 0)")


def downgrade() -> None:
    op.drop_table("store_revision")
    op.drop_table("meeting_kommune")
    op.drop_table("dialogue_meeting")
    op.drop_table("access")
    op.drop_table("kommune")
    op.drop_table("fylke")
    op.drop_table("embete")
