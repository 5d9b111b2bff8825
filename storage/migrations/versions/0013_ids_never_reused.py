"""On SQLite, the number of a deleted row is never given to another (``AUTOINCREMENT``): a
new meeting took the number of one just deleted, and undoing that deletion then failed as if
someone had changed the meeting. PostgreSQL's sequences never reuse a number: nothing to do.

SQLite cannot add ``AUTOINCREMENT`` to a table, so each table is rebuilt with its rows (Alembic's
batch mode). ``storage.migrate`` turns foreign keys off around it, as SQLite's manual asks: with
them on, dropping the old table would delete the rows that point to it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TABLES = ("change_log", "dialogue_meeting", "reminder", "reminder_delivery", "network",
          "network_participation", "network_gathering", "event", "kommune_plan", "kommune_fase",
          "example", "nomination")


def upgrade() -> None:
    _rebuild(autoincrement=True)


def downgrade() -> None:
    _rebuild(autoincrement=False)


def _rebuild(*, autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always",
                                  table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass
