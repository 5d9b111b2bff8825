"""Learning networks: the networks, invitations, participation periods and gatherings.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "network",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("embete_id", sa.String(40), sa.ForeignKey("embete.id"), nullable=False),
        sa.Column("navn", sa.String(200), nullable=False),
        sa.Column("navn_key", sa.String(200), nullable=False),
        sa.Column("tema", sa.String(500), nullable=True),
        sa.Column("fra", sa.Date(), nullable=True),
        sa.Column("til", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("embete_id", "navn_key", name="uq_network_embete_navn"),
        sa.CheckConstraint("fra IS NULL OR til IS NULL OR fra <= til",
                           name="ck_network_period"),
    )
    op.create_index("ix_network_embete_id", "network", ["embete_id"])
    op.create_index("ix_network_created_by", "network", ["created_by"])
    op.create_table(
        "network_invitation",
        sa.Column("network_id", sa.Integer(),
                  sa.ForeignKey("network.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kommune_nummer", sa.String(4), sa.ForeignKey("kommune.nummer"),
                  primary_key=True),
        sa.Column("dato", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_network_invitation_kommune_dato", "network_invitation",
                    ["kommune_nummer", "dato"])
    op.create_index("ix_network_invitation_created_by", "network_invitation", ["created_by"])
    op.create_table(
        "network_participation",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("network_id", sa.Integer(),
                  sa.ForeignKey("network.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kommune_nummer", sa.String(4), sa.ForeignKey("kommune.nummer"),
                  nullable=False),
        sa.Column("fra", sa.Date(), nullable=False),
        sa.Column("til", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("ended_by", sa.String(32), nullable=True),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("network_id", "kommune_nummer", "fra",
                            name="uq_network_participation_start"),
        sa.CheckConstraint("til IS NULL OR fra <= til",
                           name="ck_network_participation_period"),
    )
    op.create_index("ix_network_participation_kommune_fra", "network_participation",
                    ["kommune_nummer", "fra"])
    op.create_index("ix_network_participation_created_by", "network_participation",
                    ["created_by"])
    op.create_table(
        "network_gathering",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("network_id", sa.Integer(),
                  sa.ForeignKey("network.id", ondelete="CASCADE"), nullable=False),
        sa.Column("dato", sa.Date(), nullable=False),
        sa.Column("tema", sa.String(500), nullable=True),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_network_gathering_network_dato", "network_gathering",
                    ["network_id", "dato"])
    op.create_index("ix_network_gathering_created_by", "network_gathering", ["created_by"])
    op.create_table(
        "network_gathering_kommune",
        sa.Column("gathering_id", sa.Integer(),
                  sa.ForeignKey("network_gathering.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kommune_nummer", sa.String(4), sa.ForeignKey("kommune.nummer"),
                  primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("network_gathering_kommune")
    op.drop_index("ix_network_gathering_created_by", table_name="network_gathering")
    op.drop_index("ix_network_gathering_network_dato", table_name="network_gathering")
    op.drop_table("network_gathering")
    op.drop_index("ix_network_participation_created_by", table_name="network_participation")
    op.drop_index("ix_network_participation_kommune_fra", table_name="network_participation")
    op.drop_table("network_participation")
    op.drop_index("ix_network_invitation_created_by", table_name="network_invitation")
    op.drop_index("ix_network_invitation_kommune_dato", table_name="network_invitation")
    op.drop_table("network_invitation")
    op.drop_index("ix_network_created_by", table_name="network")
    op.drop_index("ix_network_embete_id", table_name="network")
    op.drop_table("network")
