"""Plans and phases: each kommune's plan status (vedtatt plan or beskrevet prosess) and the
reform phase it is in, each change kept with its date.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-09
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _history(table: str, value: sa.Column[object], check: sa.CheckConstraint) -> None:
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kommune_nummer", sa.String(4), sa.ForeignKey("kommune.nummer"),
                  nullable=False),
        value,
        sa.Column("dato", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        check,
    )
    op.create_index(f"ix_{table}_kommune_dato", table, ["kommune_nummer", "dato", "id"])


def upgrade() -> None:
    _history("kommune_plan", sa.Column("status", sa.String(10), nullable=False),
             sa.CheckConstraint("status IN ('vedtatt', 'prosess')",
                                name="ck_kommune_plan_status"))
    _history("kommune_fase", sa.Column("fase", sa.Integer(), nullable=False),
             sa.CheckConstraint("fase BETWEEN 1 AND 4", name="ck_kommune_fase_fase"))


def downgrade() -> None:
    for table in ("kommune_fase", "kommune_plan"):
        op.drop_index(f"ix_{table}_kommune_dato", table_name=table)
        op.drop_table(table)
