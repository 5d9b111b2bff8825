"""Work done at most once, keyed (see :class:`storage.models.DoneOnce`).

Two ways to use :func:`first_time`, and the difference matters:

* inside the transaction that does the work (a write command, a snooze): when the work rolls
  back, so does the key, and a second delivery finds the key only once the first one's work is
  committed: exactly once;
* in a transaction of its own, before work that is not one transaction (an event's listener,
  a button whose work calls Slack): at most once, as reminders are; a delivery whose work then
  fails is not done again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage.models import DoneOnce

_T = DoneOnce.__table__  # type: ignore[attr-defined]
KEY_LENGTH = 200
KEPT = timedelta(days=30)
"""How long a key is remembered: far longer than Slack retries or replays a request."""

# ``INSERT … ON CONFLICT DO NOTHING`` on both back ends: a duplicate inserts nothing and
# raises nothing, so no SAVEPOINT is needed (that cost a write 0.3–0.6 ms on SQLite).
# ``RETURNING`` says whether the row went in: psycopg's ``rowcount`` is -1 for this statement.
_INSERT_NEW = {
    "sqlite": sqlite.insert(_T).on_conflict_do_nothing(index_elements=["key"])
    .returning(_T.c.key),
    "postgresql": postgresql.insert(_T).on_conflict_do_nothing(index_elements=["key"])
    .returning(_T.c.key),
}


def first_time(key: str, *, now: datetime, session: Session) -> bool:
    """Record ``key``; False when it was recorded before (the work is already done).

    A duplicate changes nothing in the transaction, and the caller decides what to answer.
    (On PostgreSQL a second transaction inserting the same key waits for the first, and finds
    the key once the first commits.)
    """
    conn = session.connection()
    values = {"key": key[:KEY_LENGTH], "done_at": now}
    statement = _INSERT_NEW.get(conn.dialect.name)
    if statement is not None:
        return conn.execute(statement, values).first() is not None
    try:
        with session.begin_nested():
            conn.execute(insert(_T), values)
    except IntegrityError:
        return False
    return True


def forget(key: str, *, session: Session) -> None:
    """Drop one key: the work it guarded was undone, and may be done again."""
    session.connection().execute(delete(_T).where(_T.c.key == key[:KEY_LENGTH]))


def forget_old(*, now: datetime, session: Session) -> int:
    """Drop keys older than :data:`KEPT`; how many."""
    result = session.connection().execute(delete(_T).where(_T.c.done_at < now - KEPT))
    return int(result.rowcount or 0)
