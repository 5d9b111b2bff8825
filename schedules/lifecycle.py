"""A reminder's lifecycle, computed here and then stored: its first occurrence when it is made
or resumed, the next one after each delivery, and the moves that "Levert" and its undo make.

``storage`` stores what it is given; every ``next_due_at``/``next_key`` it holds was computed
by a function of this module, so the rules of "what comes next" live in one place.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from schedules.rules import (
    Occurrence,
    Rule,
    next_occurrence,
    occurrences,
    rule_from_json,
    rule_to_json,
)
from storage.deliveries import advance, done_deadlines
from storage.models import Reminder
from storage.reminders import (
    delete_reminder,
    insert_reminder,
    pause_reminder,
    reset_reminder,
    restore_reminder,
    resume_reminder,
)

_JUST_BEFORE = timedelta(seconds=1)


def create(channel_id: str, kind: str, text: str, rule: Rule, *, embete_id: str | None,
           by: str, now: datetime, tz: ZoneInfo, session: Session) -> Reminder:
    """Store a reminder with its first occurrence after ``now`` as the next one due."""
    occ = next_occurrence(rule, after=now, tz=tz)
    return insert_reminder(channel_id, kind, text, rule_to_json(rule), embete_id=embete_id,
                           by=by, now=now, next_due_at=occ.due if occ else None,
                           next_key=occ.key if occ else None, session=session)


def reset(reminder: Reminder, rule: Rule, *, text: str, embete_id: str | None, now: datetime,
          tz: ZoneInfo, session: Session) -> None:
    """Give a reminder (deleted or not) a new rule, text and embete, running from its first
    occurrence after ``now`` (a channel's weekly digest turned on again or moved)."""
    occ = next_occurrence(rule, after=now, tz=tz)
    reset_reminder(reminder, text=text, rule_json=rule_to_json(rule), embete_id=embete_id,
                   now=now, next_due_at=occ.due if occ else None,
                   next_key=occ.key if occ else None, session=session)


def pause(reminder: Reminder, *, now: datetime, session: Session) -> None:
    pause_reminder(reminder, now=now, session=session)


def resume(reminder: Reminder, *, now: datetime, tz: ZoneInfo, session: Session) -> None:
    """Resume from ``now``: occurrences that fell while it was paused are not sent."""
    occ = next_occurrence(rule_from_json(reminder.rule), after=now, tz=tz)
    resume_reminder(reminder, now=now, next_due_at=occ.due if occ else None,
                    next_key=occ.key if occ else None, session=session)


def delete(reminder: Reminder, *, now: datetime, session: Session) -> None:
    """Delete: it points at no occurrence until :func:`restore` brings it back."""
    delete_reminder(reminder, now=now, session=session)


def restore(reminder: Reminder, *, now: datetime, tz: ZoneInfo, session: Session) -> None:
    """Bring a deleted reminder back, pointing at its first occurrence after ``now`` whose
    deadline is not marked "Levert": occurrences that fell while it was deleted are not sent
    late. A paused reminder stays paused (``resume`` points it afresh)."""
    assert reminder.id is not None
    nxt = next_open(rule_from_json(reminder.rule), after=now, tz=tz,
                    done=done_deadlines(reminder.id, session=session))
    restore_reminder(reminder, now=now, next_due_at=nxt.due if nxt else None,
                     next_key=nxt.key if nxt else None, session=session)


def current_occurrence(rule: Rule, key: str, due: datetime, tz: ZoneInfo) -> Occurrence:
    """The occurrence the store points at (``next_key``/``next_due_at``), with its deadline.

    The store's due time wins over a recomputed one: it is what the scheduler was told.
    """
    for occ in occurrences(rule, after=due - _JUST_BEFORE, tz=tz, limit=4):
        if occ.key == key:
            return Occurrence(key, due, occ.deadline, occ.lead_days, occ.moved_from,
                              occ.moved_because, occ.dst_note)
    deadline, _, lead = key.partition("/")
    try:
        return Occurrence(key, due, date.fromisoformat(deadline) if lead else None,
                          int(lead) if lead else None)
    except ValueError:
        return Occurrence(key, due)


def next_open(rule: Rule, *, after: datetime, tz: ZoneInfo, done: set[date]
              ) -> Occurrence | None:
    """The first occurrence due after ``after`` whose deadline is not marked "Levert"."""
    nxt = next_occurrence(rule, after=after, tz=tz)
    while nxt is not None and nxt.deadline is not None and nxt.deadline in done:
        nxt = next_occurrence(rule, after=nxt.due, tz=tz)
    return nxt


def following(rule: Rule, occ: Occurrence, *, tz: ZoneInfo, done: set[date]
              ) -> Occurrence | None:
    """The occurrence after ``occ``, passing over deadlines marked "Levert"."""
    nxt = next_occurrence(rule, after=occ.due, tz=tz)
    while nxt is not None and (nxt.key == occ.key
                               or (nxt.deadline is not None and nxt.deadline in done)):
        nxt = next_occurrence(rule, after=nxt.due, tz=tz)
    return nxt


def move_on(reminder_id: int, *, from_key: str | None, to: Occurrence | None,
            session: Session) -> None:
    """Point the reminder at ``to`` (None: it has no more occurrences), if it still points
    at ``from_key`` (another process may have moved it on already)."""
    advance(reminder_id, from_key=from_key, next_due_at=to.due if to else None,
            next_key=to.key if to else None, session=session)


def pass_deadline(reminder: Reminder, deadline: date, tz: ZoneInfo, *, session: Session
                  ) -> None:
    """Move a reminder whose next occurrence belongs to ``deadline`` past all of them."""
    if reminder.id is None or reminder.next_key is None or reminder.next_due_at is None:
        return
    rule = rule_from_json(reminder.rule)
    occ = current_occurrence(rule, reminder.next_key, reminder.next_due_at, tz)
    if occ.deadline != deadline:
        return
    nxt = following(rule, occ, tz=tz, done=done_deadlines(reminder.id, session=session))
    move_on(reminder.id, from_key=occ.key, to=nxt, session=session)


def restore_deadline(reminder: Reminder, now: datetime, tz: ZoneInfo, *, session: Session
                     ) -> None:
    """Point a reminder at its first open occurrence after ``now`` when that comes before the
    one it points at (the inverse of :func:`pass_deadline`). One it points at that is already
    due is left to the delivery, which passes only deadlines still marked. A deleted reminder
    is left alone."""
    if reminder.id is None or reminder.deleted_at is not None:
        return
    nxt = next_open(rule_from_json(reminder.rule), after=now, tz=tz,
                    done=done_deadlines(reminder.id, session=session))
    if nxt is None or (reminder.next_due_at is not None and reminder.next_due_at <= nxt.due):
        return
    move_on(reminder.id, from_key=reminder.next_key, to=nxt, session=session)
