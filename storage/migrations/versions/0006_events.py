"""Conferences, seminars, webinars and gatherings (the overview for Hdir), and the
innsatsområder their main theme names.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("embete_id", sa.String(40), sa.ForeignKey("embete.id"), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("tittel", sa.String(150), nullable=False),
        sa.Column("dato", sa.Date(), nullable=False),
        sa.Column("malgruppe", sa.String(300), nullable=False),
        sa.Column("hovedtema", sa.String(300), nullable=False),
        sa.Column("onsker_hdir", sa.Boolean(), nullable=False),
        sa.Column("onsker_hod", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('konferanse', 'seminar', 'webinar', 'samling')",
                           name="ck_event_kind"),
    )
    op.create_index("ix_event_embete_dato", "event", ["embete_id", "dato"])
    op.create_index("ix_event_dato", "event", ["dato"])
    op.create_index("ix_event_created_by", "event", ["created_by"])
    op.create_table(
        "event_area",
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("event.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("omrade", sa.String(20), primary_key=True),
        sa.CheckConstraint(
            "omrade IN ('aldersvennlig', 'aktivitet', 'mat', 'helsehjelp', 'sammenheng')",
            name="ck_event_area_omrade"),
    )


def downgrade() -> None:
    op.drop_table("event_area")
    op.drop_index("ix_event_created_by", table_name="event")
    op.drop_index("ix_event_dato", table_name="event")
    op.drop_index("ix_event_embete_dato", table_name="event")
    op.drop_table("event")
