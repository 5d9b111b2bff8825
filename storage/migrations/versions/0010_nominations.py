"""Nominations for the Leve hele livet-prisen, with the kommune's facts as they stood when it
was nominated, and the winner of each year.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-14
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "nomination",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("aar", sa.Integer(), nullable=False),
        sa.Column("kommune_nummer", sa.String(4), sa.ForeignKey("kommune.nummer"),
                  nullable=False),
        sa.Column("embete_id", sa.String(40), sa.ForeignKey("embete.id"), nullable=False),
        sa.Column("begrunnelse", sa.String(1500), nullable=False),
        sa.Column("fakta", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("endret_by", sa.String(32), nullable=True),
        sa.Column("endret_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("aar", "kommune_nummer", "embete_id",
                            name="uq_nomination_aar_kommune_embete"),
    )
    op.create_index("ix_nomination_aar_embete", "nomination", ["aar", "embete_id", "id"])
    op.create_index("ix_nomination_kommune", "nomination", ["kommune_nummer", "aar"])
    op.create_table(
        "prize_winner",
        sa.Column("aar", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("nomination_id", sa.Integer(), sa.ForeignKey("nomination.id"),
                  nullable=False, unique=True),
        sa.Column("marked_by", sa.String(32), nullable=False),
        sa.Column("marked_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("prize_winner")
    op.drop_index("ix_nomination_kommune", table_name="nomination")
    op.drop_index("ix_nomination_aar_embete", table_name="nomination")
    op.drop_table("nomination")
