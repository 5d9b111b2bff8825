"""The store as a test compares it: before a change and after its undo."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlmodel import SQLModel, col

from bot.runtime import Runtime
from storage.models import Change

NOT_COMPARED = {
    "change_log": "the change log grows with every change and undo: that is its job",
    "change_kommune": "where each change in the log belongs: part of the log",
    "store_revision": "counts write transactions",
    "done_once": "holds the keys of Slack requests done once (checked on its own for snooze)",
    "reminder_draft": "a preview's draft is no stored work, and «lagre» uses it up",
}


def store_as_seen(rt: Runtime) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows as users see them: deleted reminders (kept for an undo) and their
    rows left out, and without ``reminder.updated_at`` (when a row last changed; an undo is a
    change)."""
    with rt.db.read() as session:
        conn = session.connection()
        deleted = set(conn.execute(text(
            "SELECT id FROM reminder WHERE deleted_at IS NOT NULL")).scalars())
        seen: dict[str, list[tuple[Any, ...]]] = {}
        for table in SQLModel.metadata.sorted_tables:
            if table.name in NOT_COMPARED:
                continue
            columns = [c for c in table.c if (table.name, c.name) != ("reminder", "updated_at")]
            rows = conn.execute(select(*columns)).all()
            key = "id" if table.name == "reminder" else "reminder_id"
            if key in table.c:
                rows = [r for r in rows if r._mapping[key] not in deleted]
            seen[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return seen


def change_log(rt: Runtime) -> list[Change]:
    """The change log, oldest first."""
    with rt.db.read() as session:
        return list(session.execute(select(Change).order_by(col(Change.id))).scalars())


def set_clock(rt: Runtime, moment: datetime) -> None:
    """Stop ``rt``'s clock at ``moment``."""
    rt.clock = lambda: moment
