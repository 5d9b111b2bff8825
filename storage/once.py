"""Work done at most once, keyed (see :class:`storage.models.DoneOnce`).

:func:`first_time` is called inside the transaction that does the work: when the transaction
rolls back, so does the key, and a second delivery of the same request finds the key only once
the first one's work is committed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage.models import DoneOnce

_T = DoneOnce.__table__  # type: ignore[attr-defined]
KEY_LENGTH = 200
KEPT = timedelta(days=30)
"""How long a key is remembered: far longer than Slack retries or replays a request."""


def first_time(key: str, *, now: datetime, session: Session) -> bool:
    """Record ``key``; False when it was recorded before (the work is already done).

    The INSERT runs in a SAVEPOINT, so a duplicate rolls back only the key and the caller
    decides what to answer.
    """
    try:
        with session.begin_nested():
            session.connection().execute(insert(_T), {"key": key[:KEY_LENGTH], "done_at": now})
    except IntegrityError:
        return False
    return True


def forget_old(*, now: datetime, session: Session) -> int:
    """Drop keys older than :data:`KEPT`; how many."""
    result = session.connection().execute(delete(_T).where(_T.c.done_at < now - KEPT))
    return int(result.rowcount or 0)
