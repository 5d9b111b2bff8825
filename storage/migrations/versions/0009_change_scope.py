"""Where each change in the change log belongs: the embete of the record (``change_log.embete_id``)
and the kommuner it concerns (``change_kommune``), so that ``/lhl logg Agder`` and
``/lhl logg Lillesand`` find their entries without reading every row's JSON, also for records
that are deleted since.

Rows written before this revision are filled in from their JSON (``embete_id`` and
``kommuner`` in the record before or after the change), whatever their kind: a meeting held,
offered or planned (``meeting_planned``, since 0008) names its kommuner and finds its embete
through them.

Revision ID: 0009
Revises: 0008 (meeting types and planned meetings)
Create Date: 2026-12-10
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_CHANGES = sa.table(
    "change_log",
    sa.column("id", sa.Integer()),
    sa.column("before", sa.JSON()),
    sa.column("after", sa.JSON()),
    sa.column("embete_id", sa.String(40)),
)
_LINKS = sa.table(
    "change_kommune",
    sa.column("change_id", sa.Integer()),
    sa.column("kommune_nummer", sa.String(4)),
)


def upgrade() -> None:
    op.add_column("change_log", sa.Column("embete_id", sa.String(40), nullable=True))
    op.create_index("ix_change_log_embete_id", "change_log", ["embete_id", "id"])
    op.create_table(
        "change_kommune",
        sa.Column("change_id", sa.Integer(),
                  sa.ForeignKey("change_log.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kommune_nummer", sa.String(4), primary_key=True),
    )
    op.create_index("ix_change_kommune_kommune", "change_kommune",
                    ["kommune_nummer", "change_id"])
    conn = op.get_bind()
    links: list[dict[str, Any]] = []
    for change_id, before, after in conn.execute(
            sa.select(_CHANGES.c.id, _CHANGES.c.before, _CHANGES.c.after)).all():
        states = [s for s in (after, before) if isinstance(s, dict)]
        embete = next((s["embete_id"] for s in states if s.get("embete_id")), None)
        if embete is not None:
            conn.execute(_CHANGES.update().where(_CHANGES.c.id == change_id)
                         .values(embete_id=embete))
        kommuner = {k for s in states for k in s.get("kommuner") or () if isinstance(k, str)}
        links += [{"change_id": change_id, "kommune_nummer": k} for k in sorted(kommuner)]
    if links:
        conn.execute(_LINKS.insert(), links)


def downgrade() -> None:
    op.drop_index("ix_change_kommune_kommune", table_name="change_kommune")
    op.drop_table("change_kommune")
    op.drop_index("ix_change_log_embete_id", table_name="change_log")
    # Not in batch mode: rebuilding change_log on SQLite would break its own foreign key
    # (undone_by); SQLite drops a plain column in place.
    op.drop_column("change_log", "embete_id")
