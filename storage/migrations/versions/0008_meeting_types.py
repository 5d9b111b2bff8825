"""Meeting types, planned meetings and the innsatsområder of a meeting's theme.

``dialogue_meeting`` and ``meeting_kommune`` gain ``type`` (``dialogmøte`` — every meeting
stored so far —, ``ordfører``, ``eldreråd``, ``annet``), the status ``planlagt`` is allowed,
and ``meeting_area`` holds the innsatsområder each theme names (filled in here for the
meetings already stored). The (kommune, status, dato) index of ``meeting_kommune`` becomes
(kommune, type, status, dato): the figures ask for dialogue meetings only.

On SQLite a CHECK constraint can only change by building the table anew. With foreign keys on,
dropping ``dialogue_meeting`` would delete every ``meeting_kommune`` row with it (ON DELETE
CASCADE), so the kommune rows are put aside first and the table that points at it is built
anew after it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime
from voice.innsatsomrader import areas_in

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

DIALOGUE = "dialogmøte"
_STATUS_BEFORE = "status IN ('holdt', 'tilbudt')"
_STATUS_AFTER = "status IN ('holdt', 'tilbudt', 'planlagt')"
_TYPES = "type IN ('dialogmøte', 'ordfører', 'eldreråd', 'annet')"
_MEETING_COLUMNS = "id, status, dato, tema, med, notat, created_by, created_at"
_LINK_COLUMNS = "meeting_id, kommune_nummer, status, dato"


def _type_column() -> sa.Column[str]:
    return sa.Column("type", sa.String(12), nullable=False, server_default=DIALOGUE)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_on_sqlite(typed=True)
    else:
        op.add_column("dialogue_meeting", _type_column())
        op.drop_constraint("ck_dialogue_meeting_status", "dialogue_meeting", type_="check")
        op.create_check_constraint("ck_dialogue_meeting_status", "dialogue_meeting",
                                   _STATUS_AFTER)
        op.create_check_constraint("ck_dialogue_meeting_type", "dialogue_meeting", _TYPES)
        op.add_column("meeting_kommune", _type_column())
        op.drop_index("ix_meeting_kommune_kommune_status_dato", table_name="meeting_kommune")
        op.create_index("ix_meeting_kommune_kommune_type_status_dato", "meeting_kommune",
                        ["kommune_nummer", "type", "status", "dato"])
    op.create_table(
        "meeting_area",
        sa.Column("meeting_id", sa.Integer(),
                  sa.ForeignKey("dialogue_meeting.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("omrade", sa.String(20), primary_key=True),
        sa.CheckConstraint(
            "omrade IN ('aldersvennlig', 'aktivitet', 'mat', 'helsehjelp', 'sammenheng')",
            name="ck_meeting_area_omrade"),
    )
    bind = op.get_bind()
    themes = bind.execute(sa.text(
        "SELECT id, tema FROM dialogue_meeting WHERE tema IS NOT NULL")).all()
    rows = [{"m": meeting_id, "o": area.key}
            for meeting_id, tema in themes for area in areas_in(tema)]
    if rows:
        bind.execute(sa.text("INSERT INTO meeting_area (meeting_id, omrade) VALUES (:m, :o)"),
                     rows)


def downgrade() -> None:
    # Plans and meetings of another type than dialogmøte cannot be told apart before this
    # revision: kept, they would count as held or offered dialogue meetings.
    gone = f"SELECT id FROM dialogue_meeting WHERE status = 'planlagt' OR type <> '{DIALOGUE}'"
    op.drop_table("meeting_area")
    op.execute(f"DELETE FROM meeting_kommune WHERE meeting_id IN ({gone})")
    op.execute(f"DELETE FROM dialogue_meeting WHERE id IN ({gone})")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_on_sqlite(typed=False)
        return
    op.drop_index("ix_meeting_kommune_kommune_type_status_dato", table_name="meeting_kommune")
    op.create_index("ix_meeting_kommune_kommune_status_dato", "meeting_kommune",
                    ["kommune_nummer", "status", "dato"])
    op.drop_column("meeting_kommune", "type")
    op.drop_constraint("ck_dialogue_meeting_type", "dialogue_meeting", type_="check")
    op.drop_constraint("ck_dialogue_meeting_status", "dialogue_meeting", type_="check")
    op.create_check_constraint("ck_dialogue_meeting_status", "dialogue_meeting",
                               _STATUS_BEFORE)
    op.drop_column("dialogue_meeting", "type")


def _rebuild_on_sqlite(*, typed: bool) -> None:
    """Build ``dialogue_meeting`` and ``meeting_kommune`` anew, with ``type`` and the status
    ``planlagt`` (``typed``) or without them, keeping every row."""
    op.execute(f"CREATE TABLE _meeting_kommune_0007 AS SELECT {_LINK_COLUMNS} "
               "FROM meeting_kommune")
    op.drop_table("meeting_kommune")  # before its parent: no cascade can reach its rows

    extra = [_type_column(), sa.CheckConstraint(_TYPES, name="ck_dialogue_meeting_type")
             ] if typed else []
    op.create_table(
        "_dialogue_meeting_0007",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("dato", sa.Date(), nullable=False),
        sa.Column("tema", sa.String(500), nullable=True),
        sa.Column("med", sa.String(200), nullable=True),
        sa.Column("notat", sa.String(2000), nullable=True),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(_STATUS_AFTER if typed else _STATUS_BEFORE,
                           name="ck_dialogue_meeting_status"),
        *extra,
    )
    op.execute(f"INSERT INTO _dialogue_meeting_0007 ({_MEETING_COLUMNS}) "
               f"SELECT {_MEETING_COLUMNS} FROM dialogue_meeting")
    op.drop_table("dialogue_meeting")
    op.rename_table("_dialogue_meeting_0007", "dialogue_meeting")
    op.create_index("ix_dialogue_meeting_dato", "dialogue_meeting", ["dato"])
    op.create_index("ix_dialogue_meeting_created_by_id", "dialogue_meeting", ["created_by", "id"])

    op.create_table(
        "meeting_kommune",
        sa.Column("meeting_id", sa.Integer(),
                  sa.ForeignKey("dialogue_meeting.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kommune_nummer", sa.String(4), sa.ForeignKey("kommune.nummer"),
                  primary_key=True),
        sa.Column("status", sa.String(10), nullable=False),
        *([_type_column()] if typed else []),
        sa.Column("dato", sa.Date(), nullable=False),
    )
    op.execute(f"INSERT INTO meeting_kommune ({_LINK_COLUMNS}) "
               f"SELECT {_LINK_COLUMNS} FROM _meeting_kommune_0007")
    op.drop_table("_meeting_kommune_0007")
    op.create_index("ix_meeting_kommune_kommune_dato", "meeting_kommune",
                    ["kommune_nummer", "dato"])
    if typed:
        op.create_index("ix_meeting_kommune_kommune_type_status_dato", "meeting_kommune",
                        ["kommune_nummer", "type", "status", "dato"])
    else:
        op.create_index("ix_meeting_kommune_kommune_status_dato", "meeting_kommune",
                        ["kommune_nummer", "status", "dato"])
