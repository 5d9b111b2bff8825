"""Good examples of how kommuner planned the reform locally (*eksempelsamling*), and the
innsatsområder each is about.

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-14
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "example",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kommune_nummer", sa.String(4), sa.ForeignKey("kommune.nummer"),
                  nullable=False),
        sa.Column("tittel", sa.String(150), nullable=False),
        sa.Column("lenke", sa.String(500), nullable=True),
        sa.Column("notat", sa.String(500), nullable=True),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_example_kommune", "example", ["kommune_nummer", "created_at"])
    op.create_index("ix_example_created_at", "example", ["created_at"])
    op.create_index("ix_example_created_by", "example", ["created_by"])
    op.create_table(
        "example_area",
        sa.Column("example_id", sa.Integer(), sa.ForeignKey("example.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("omrade", sa.String(20), primary_key=True),
        sa.CheckConstraint(
            "omrade IN ('aldersvennlig', 'aktivitet', 'mat', 'helsehjelp', 'sammenheng')",
            name="ck_example_area_omrade"),
    )
    op.create_index("ix_example_area_omrade", "example_area", ["omrade", "example_id"])


def downgrade() -> None:
    op.drop_index("ix_example_area_omrade", table_name="example_area")
    op.drop_table("example_area")
    op.drop_index("ix_example_created_by", table_name="example")
    op.drop_index("ix_example_created_at", table_name="example")
    op.drop_index("ix_example_kommune", table_name="example")
    op.drop_table("example")
