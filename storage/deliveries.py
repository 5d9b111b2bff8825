"""Delivering reminders: which are due, claiming an occurrence, marking how it went, and moving
a reminder on to its next occurrence. Functions take the session as a keyword and never commit.

Two guards make a reminder go out at most once, whatever the number of bot processes:

* the claim: ``reminder_delivery`` has one row per (reminder, occurrence), so of two processes
  that try to claim the same occurrence only the first INSERT succeeds;
* the advance: ``next_due_at``/``next_key`` move with a compare-and-set on the old key, so two
  processes moving the same reminder on cannot skip an occurrence or step back to one.

The listing's history (last sent, recent failures) lives in ``storage.reminders``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.models import (
    CLAIMED,
    DEADLINE,
    FAILED,
    SENT,
    SKIPPED,
    DeadlineDone,
    Reminder,
    ReminderDelivery,
)

_DELIVERY_T = ReminderDelivery.__table__  # type: ignore[attr-defined]
_REMINDER_T = Reminder.__table__  # type: ignore[attr-defined]
REASON_LENGTH = 300


@dataclass(frozen=True)
class ScheduleRow:
    """What the scheduler needs to know about a reminder."""

    id: int
    next_due_at: datetime | None
    paused: bool

    @property
    def active(self) -> bool:
        return not self.paused and self.next_due_at is not None


def due_reminders(now: datetime, *, session: Session, limit: int = 100,
                  reminder_id: int | None = None, exclude: Collection[int] = ()
                  ) -> list[Reminder]:
    """Reminders not paused whose next occurrence is due at ``now`` or earlier, oldest first
    (at most ``limit``; ``exclude`` leaves out reminders already handled in this round)."""
    q = select(Reminder).where(
        col(Reminder.paused).is_(False),
        col(Reminder.deleted_at).is_(None),
        col(Reminder.next_due_at).is_not(None),
        col(Reminder.next_due_at) <= now,
    )
    if reminder_id is not None:
        q = q.where(Reminder.id == reminder_id)
    if exclude:
        q = q.where(col(Reminder.id).not_in(list(exclude)))
    return list(session.exec(q.order_by(col(Reminder.next_due_at), col(Reminder.id))
                             .limit(limit)))


def claim(reminder_id: int, occurrence_key: str, due_at: datetime, *, by: str, now: datetime,
          session: Session, status: str = CLAIMED, reason: str | None = None) -> int | None:
    """Claim one occurrence for this process; its delivery id, or None when it was already
    claimed (by any process, at any time).

    The INSERT runs in a SAVEPOINT, so a lost race rolls back only the claim and the caller's
    transaction goes on.
    """
    try:
        with session.begin_nested():
            new_id = session.connection().execute(
                insert(_DELIVERY_T).returning(_DELIVERY_T.c.id),
                {"reminder_id": reminder_id, "occurrence_key": occurrence_key,
                 "due_at": due_at, "status": status, "reason": _clip(reason),
                 "claimed_by": by[:64], "claimed_at": now},
            ).scalar_one()
    except IntegrityError:
        return None
    return int(new_id)


def record_skipped(reminder_id: int, occurrence_key: str, due_at: datetime, reason: str, *,
                   by: str, now: datetime, session: Session) -> bool:
    """Record an occurrence as skipped (a claim that is never sent); False if it was already
    claimed or recorded."""
    return claim(reminder_id, occurrence_key, due_at, by=by, now=now, session=session,
                 status=SKIPPED, reason=reason) is not None


def mark_sent(delivery_id: int, *, message_ts: str | None, now: datetime,
              session: Session) -> None:
    session.execute(update(_DELIVERY_T).where(_DELIVERY_T.c.id == delivery_id)
                    .values(status=SENT, sent_at=now, message_ts=message_ts))


def mark_failed(delivery_id: int, reason: str, *, session: Session) -> None:
    session.execute(update(_DELIVERY_T).where(_DELIVERY_T.c.id == delivery_id)
                    .values(status=FAILED, reason=_clip(reason)))


def mark_skipped(delivery_id: int, reason: str, *, session: Session) -> None:
    session.execute(update(_DELIVERY_T).where(_DELIVERY_T.c.id == delivery_id)
                    .values(status=SKIPPED, reason=_clip(reason)))


def advance(reminder_id: int, *, from_key: str | None, next_due_at: datetime | None,
            next_key: str | None, session: Session) -> bool:
    """Move a reminder from occurrence ``from_key`` (None: a spent reminder) to the next one
    (None: the rule is spent).

    A compare-and-set: nothing changes, and False is returned, unless the reminder still points
    at ``from_key`` — another process got there first, or the reminder was paused, resumed or
    deleted in between.
    """
    result = session.execute(
        update(_REMINDER_T)
        .where(_REMINDER_T.c.id == reminder_id, _REMINDER_T.c.next_key == from_key)
        .values(next_due_at=next_due_at, next_key=next_key)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def schedule_rows(*, session: Session) -> list[ScheduleRow]:
    """Every reminder that will fire again (not paused, with a next occurrence)."""
    rows = session.connection().execute(
        select(_REMINDER_T.c.id, _REMINDER_T.c.next_due_at, _REMINDER_T.c.paused)
        .where(_REMINDER_T.c.paused.is_(False), _REMINDER_T.c.next_due_at.is_not(None),
               _REMINDER_T.c.deleted_at.is_(None))
    )
    return [ScheduleRow(rid, due, bool(paused)) for rid, due, paused in rows]


def schedule_row(reminder_id: int, *, session: Session) -> ScheduleRow | None:
    """What the scheduler needs to know about one reminder (None: none, or deleted)."""
    row = session.connection().execute(
        select(_REMINDER_T.c.id, _REMINDER_T.c.next_due_at, _REMINDER_T.c.paused)
        .where(_REMINDER_T.c.id == reminder_id, _REMINDER_T.c.deleted_at.is_(None))
    ).first()
    return ScheduleRow(row[0], row[1], bool(row[2])) if row else None


def delivery_of(reminder_id: int, occurrence_key: str, *, session: Session
                ) -> ReminderDelivery | None:
    return session.exec(select(ReminderDelivery).where(
        ReminderDelivery.reminder_id == reminder_id,
        ReminderDelivery.occurrence_key == occurrence_key)).first()


def deliveries_of(reminder_id: int, *, session: Session) -> list[ReminderDelivery]:
    """A reminder's delivery rows, oldest occurrence first."""
    return list(session.exec(select(ReminderDelivery)
                             .where(ReminderDelivery.reminder_id == reminder_id)
                             .order_by(col(ReminderDelivery.due_at), col(ReminderDelivery.id))))


# --- deadlines marked "Levert" ----------------------------------------------------------------


def done_deadlines(reminder_id: int, *, session: Session) -> set[date]:
    return set(session.exec(select(col(DeadlineDone.deadline))
                            .where(DeadlineDone.reminder_id == reminder_id)))


def mark_deadline_done(reminder_id: int, deadline: date, *, by: str, now: datetime,
                       session: Session) -> DeadlineDone:
    """Mark a deadline of a reminder as delivered; the row that says so (an earlier one when
    somebody was first, so pressing "Levert" twice changes nothing)."""
    existing = session.get(DeadlineDone, (reminder_id, deadline))
    if existing is not None:
        return existing
    row = DeadlineDone(reminder_id=reminder_id, deadline=deadline, done_by=by, done_at=now)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        session.expunge(row)
        found = session.get(DeadlineDone, (reminder_id, deadline), populate_existing=True)
        assert found is not None
        return found
    return row


def unmark_deadline_done(reminder_id: int, deadline: date, *, session: Session
                         ) -> DeadlineDone | None:
    """Undo :func:`mark_deadline_done`; the mark removed (None when the deadline was not
    marked)."""
    row = session.get(DeadlineDone, (reminder_id, deadline))
    if row is None:
        return None
    session.delete(row)
    session.flush()
    return row


def deadline_siblings(reminder: Reminder, *, session: Session) -> list[Reminder]:
    """Deadline reminders with the same text in the same channel (the reminder itself, and
    one-offs made from it with "Minn meg på i morgen"): one deadline, delivered once for all.
    Deleted ones are left out."""
    return list(session.exec(select(Reminder).where(
        Reminder.channel_id == reminder.channel_id, Reminder.kind == DEADLINE,
        Reminder.text == reminder.text, col(Reminder.deleted_at).is_(None))
        .order_by(col(Reminder.id))))


def _clip(reason: str | None) -> str | None:
    if reason is None or len(reason) <= REASON_LENGTH:
        return reason
    return reason[: REASON_LENGTH - 1] + "…"
