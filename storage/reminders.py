"""Reminders as the commands see them: create, list, pause, resume, delete, restore, drafts.

A deleted reminder keeps its row (``deleted_at``) and is left out of everything here, of the
delivery's queries and of the buttons; see :func:`delete_reminder`.

Delivery (claims, marks, advancing ``next_due_at``) lives in ``storage.deliveries``; what
the next occurrence is, is computed in ``schedules.lifecycle``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import DIGEST, FAILED, SENT, SKIPPED, Reminder, ReminderDelivery, ReminderDraft


def insert_reminder(channel_id: str, kind: str, text: str, rule_json: str, *,
                    embete_id: str | None, by: str, now: datetime,
                    next_due_at: datetime | None, next_key: str | None,
                    session: Session) -> Reminder:
    """Store a reminder as given (``schedules.lifecycle.create`` computes its first
    occurrence)."""
    reminder = Reminder(
        channel_id=channel_id, kind=kind, text=text, rule=rule_json, embete_id=embete_id,
        created_by=by, created_at=now, updated_at=now, paused=False,
        next_due_at=next_due_at, next_key=next_key,
    )
    session.add(reminder)
    session.flush()
    return reminder


def get_reminder(reminder_id: int, *, session: Session, deleted: bool = False
                 ) -> Reminder | None:
    """The reminder with this number, unless it is deleted (``deleted``: only if it is)."""
    reminder = session.get(Reminder, reminder_id)
    if reminder is None or (reminder.deleted_at is not None) != deleted:
        return None
    return reminder


def channel_reminders(channel_id: str, *, session: Session) -> list[Reminder]:
    return list(session.exec(
        select(Reminder).where(Reminder.channel_id == channel_id,
                               col(Reminder.deleted_at).is_(None))
        .order_by(col(Reminder.id))
    ))


def upcoming_reminders(embete_id: str | None, *, session: Session, limit: int
                       ) -> list[Reminder]:
    """The reminders of an embete (None: those made by someone of no embete) that will be
    sent, the next one first: neither paused, deleted nor finished."""
    owner = (col(Reminder.embete_id).is_(None) if embete_id is None
             else Reminder.embete_id == embete_id)
    return list(session.exec(
        select(Reminder).where(owner, col(Reminder.paused).is_(False),
                               col(Reminder.deleted_at).is_(None),
                               col(Reminder.next_due_at).is_not(None))
        .order_by(col(Reminder.next_due_at), col(Reminder.id)).limit(limit)
    ))


def same_reminder(channel_id: str, text: str, rule_json: str, *, session: Session,
                  ) -> Reminder | None:
    """An existing reminder in the channel with the same text and rule, if any."""
    return session.exec(
        select(Reminder).where(Reminder.channel_id == channel_id, Reminder.text == text,
                               Reminder.rule == rule_json, col(Reminder.deleted_at).is_(None))
    ).first()


def channel_digest(channel_id: str, *, session: Session) -> Reminder | None:
    """The channel's weekly digest (kind ``sammendrag``), deleted or not: a channel has at most
    one, turned on and off (see ``commands.ukesammendrag``)."""
    return session.exec(
        select(Reminder).where(Reminder.channel_id == channel_id, Reminder.kind == DIGEST)
        .order_by(col(Reminder.id).desc()).limit(1)
    ).first()


def reset_reminder(reminder: Reminder, *, text: str, rule_json: str, embete_id: str | None,
                   now: datetime, next_due_at: datetime | None, next_key: str | None,
                   session: Session) -> None:
    """Give a reminder (deleted or not) a new text, rule and embete, running and pointing at
    the occurrence ``schedules.lifecycle`` computed."""
    _save(reminder, now, session, text=text, rule=rule_json, embete_id=embete_id,
          paused=False, deleted_at=None, next_due_at=next_due_at, next_key=next_key)


def pause_reminder(reminder: Reminder, *, now: datetime, session: Session) -> None:
    _save(reminder, now, session, paused=True)


def resume_reminder(reminder: Reminder, *, now: datetime, next_due_at: datetime | None,
                    next_key: str | None, session: Session) -> None:
    """Resume, pointing at the occurrence ``schedules.lifecycle.resume`` computed."""
    _save(reminder, now, session, paused=False, next_due_at=next_due_at, next_key=next_key)


def delete_reminder(reminder: Reminder, *, now: datetime, session: Session) -> None:
    """Delete a reminder by marking it deleted and pointing it at no occurrence, so that
    nothing schedules, sends or lists it; :func:`restore_reminder` brings it back.

    A soft delete rather than removing the rows and keeping copies to put back: the row, its
    deliveries and its "Levert" marks stay exactly as they were (an undo restores its history
    by clearing one column, and the delivery keys still stop an occurrence from being sent
    twice), and its number is never given to another reminder, which SQLite would do with the
    highest id after a real delete: a button on an old message names the reminder by number.
    The price is that every query of reminders must leave deleted ones out; those in
    ``storage`` do.
    """
    _save(reminder, now, session, deleted_at=now, next_due_at=None, next_key=None)


def restore_reminder(reminder: Reminder, *, now: datetime, next_due_at: datetime | None,
                     next_key: str | None, session: Session) -> None:
    """Undo :func:`delete_reminder`, pointing at the occurrence
    ``schedules.lifecycle.restore`` computed; paused or not as it was."""
    _save(reminder, now, session, deleted_at=None, next_due_at=next_due_at, next_key=next_key)


def _save(reminder: Reminder, now: datetime, session: Session, **changes: object) -> None:
    for name, value in changes.items():
        setattr(reminder, name, value)
    reminder.updated_at = now
    session.add(reminder)
    session.flush()


def save_draft(user_id: str, channel_id: str, command: str, *, now: datetime,
               session: Session) -> str | None:
    """Keep a user's unsaved recurrence in this channel, replacing an earlier one; returns
    the command of the draft it replaced, so the user can be told it was not saved."""
    draft = session.get(ReminderDraft, (user_id, channel_id))
    replaced = draft.command if draft is not None else None
    if draft is None:
        draft = ReminderDraft(user_id=user_id, channel_id=channel_id, command=command,
                              created_at=now)
    draft.command, draft.created_at = command, now
    session.add(draft)
    session.flush()
    return replaced


def take_draft(user_id: str, channel_id: str, *, session: Session) -> ReminderDraft | None:
    """The user's draft in this channel, removed from the store."""
    draft = session.get(ReminderDraft, (user_id, channel_id))
    if draft is not None:
        session.delete(draft)
        session.flush()
    return draft


@dataclass(frozen=True)
class Problem:
    due_at: datetime
    status: str
    reason: str | None


@dataclass(frozen=True)
class History:
    last_sent: datetime | None = None
    problems: tuple[Problem, ...] = ()
    """Recent occurrences that failed or were skipped, newest first."""


def delivery_history(reminder_ids: list[int], *, session: Session, problems: int = 3,
                     ) -> dict[int, History]:
    """For the listing: each reminder's last delivery and its latest failed or skipped ones."""
    if not reminder_ids:
        return {}
    last_sent = dict(session.execute(
        select(col(ReminderDelivery.reminder_id), func.max(col(ReminderDelivery.sent_at)))
        .where(col(ReminderDelivery.reminder_id).in_(reminder_ids),
               ReminderDelivery.status == SENT)
        .group_by(col(ReminderDelivery.reminder_id))
    ).all())
    found: dict[int, list[Problem]] = {}
    for rid, due_at, status, reason in session.execute(
        select(col(ReminderDelivery.reminder_id), col(ReminderDelivery.due_at),
               col(ReminderDelivery.status), col(ReminderDelivery.reason))
        .where(col(ReminderDelivery.reminder_id).in_(reminder_ids),
               col(ReminderDelivery.status).in_([FAILED, SKIPPED]))
        .order_by(col(ReminderDelivery.due_at).desc())
    ):
        bucket = found.setdefault(rid, [])
        if len(bucket) < problems:
            bucket.append(Problem(due_at, status, reason))
    return {rid: History(last_sent.get(rid), tuple(found.get(rid, ())))
            for rid in reminder_ids}
