"""What the buttons on a delivered reminder do: "Levert", "Angre" and "Minn meg på i morgen"
(the buttons of ``/lhl påminnelse``, listed on its spec as :data:`BUTTONS`).

Access: a button press is a write, so every press is checked like a command, inside its
transaction: admins, the one who made the reminder, and coordinators of the reminder's embete
(any coordinator when the reminder has none) may press "Levert", "Angre" and "Minn meg på i
morgen". Anyone else, readers included, gets one sentence and nothing is stored. Snoozing falls
under the same rule because it makes a reminder, which only coordinators and admins may do.

Values: a button's value is checked against the reminder and the channel it was pressed in. A
value that is malformed, names a reminder of another channel or a date that is no deadline of
the reminder is refused (:attr:`UsageError.suspicious`), and nothing is stored.

Once: "Minn meg på i morgen" makes one reminder per message and user however often it is
pressed (a ``done_once`` key of reminder, message and user, in the snooze's transaction).
"Levert" and "Angre" are idempotent by themselves. Each action is one transaction.

Change log: each press that changes something is a change of the one who pressed
(``storage.changes``), which ``/lhl angre`` takes back like any other: "Levert" the marks it
added, "Angre" the marks it removed (as they were), "Minn meg på i morgen" the reminder it made
(and its once-key, so that it can be pressed again). A press that changes nothing is not
logged. The "Angre" button is a change of its own, not the undo of a "Levert": ``/lhl angre``
after it marks the deadline delivered again.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from commands.access import may_change_reminder
from commands.base import ButtonAction, Press, Pressed, UsageError
from schedules import lifecycle
from schedules.messages import (
    BAD_BUTTON,
    GONE,
    LEVERT_ACTION,
    NOT_MARKED,
    SNOOZE_ACTION,
    UNDO_ACTION,
    already_snoozed,
    deadline_in,
    deadline_value,
    delivered_line,
    delivered_message,
    not_allowed,
    snoozed_line,
    undone_line,
    undone_message,
)
from schedules.rules import Deadlines, Once, Rule, is_deadline_of, next_occurrence, rule_from_json
from storage import changes
from storage.db import Database
from storage.deliveries import (
    deadline_siblings,
    done_deadlines,
    mark_deadline_done,
    unmark_deadline_done,
)
from storage.models import DEADLINE, Embete, Reminder
from storage.once import first_time
from storage.reminders import get_reminder
from voice.reply import said

SNOOZE_AT = time(9, 0)


def _bad(reason: str) -> UsageError:
    return UsageError(BAD_BUTTON, reason=reason, suspicious=True)


def parse_levert_value(value: str) -> tuple[int, date]:
    """``"12|2027-05-01"`` → ``(12, date(2027, 5, 1))`` (also the value of "Angre")."""
    rid, _, deadline = value.partition("|")
    try:
        if not rid.isdigit() or len(rid) > 12:
            raise ValueError(rid)
        return int(rid), date.fromisoformat(deadline)
    except ValueError:
        raise _bad("malformed") from None


def parse_snooze_value(value: str) -> int:
    if not value.isdigit() or len(value) > 12:
        raise _bad("malformed")
    return int(value)


def mark_delivered(db: Database, reminder_id: int, deadline: date, press: Press, *,
                   tz: ZoneInfo | None = None) -> str:
    """Mark ``deadline`` delivered: no further reminders for it, from this reminder or from the
    one-offs made from it with "Minn meg på i morgen". Pressing again changes nothing and
    answers with the first marking. Returns the line for the updated message."""
    zone = tz or _zone(press.now)
    with db.write() as session:
        reminder = _deadline_reminder(reminder_id, deadline, press, "Levert", session=session)
        first = None
        added: dict[int, tuple[str, datetime]] = {}
        for sibling in deadline_siblings(reminder, session=session):
            assert sibling.id is not None
            marked = deadline in done_deadlines(sibling.id, session=session)
            row = mark_deadline_done(sibling.id, deadline, by=press.user_id, now=press.now,
                                     session=session)
            if not marked:
                added[sibling.id] = (row.done_by, row.done_at)
            if sibling.id == reminder_id:
                first = row
            lifecycle.pass_deadline(sibling, deadline, zone, session=session)
        assert first is not None
        if added:
            changes.record(changes.DEADLINE_DELIVERED, changes.REMINDER, reminder_id,
                           before=changes.deadline_state(deadline, reminder.text, {}),
                           after=changes.deadline_state(deadline, reminder.text, added),
                           by=press.user_id, now=press.now, session=session)
        return delivered_line(first.done_by, first.done_at.astimezone(zone))


def undo_delivered(db: Database, reminder_id: int, deadline: date, press: Press, *,
                   tz: ZoneInfo | None = None) -> str:
    """Undo "Levert" (the inverse of :func:`mark_delivered`): the deadline is open again, and
    this reminder and its snoozed one-offs point again at their next occurrence for it (when
    that comes before what they point at now). Returns the line for the updated message."""
    zone = tz or _zone(press.now)
    with db.write() as session:
        reminder = _deadline_reminder(reminder_id, deadline, press, "Angre", session=session)
        siblings = deadline_siblings(reminder, session=session)
        removed: dict[int, tuple[str, datetime]] = {}
        for sibling in siblings:
            assert sibling.id is not None
            row = unmark_deadline_done(sibling.id, deadline, session=session)
            if row is not None:
                removed[sibling.id] = (row.done_by, row.done_at)
        if not removed:
            raise UsageError(NOT_MARKED, reason="not_marked")
        for sibling in siblings:
            lifecycle.restore_deadline(sibling, press.now, zone, session=session)
        changes.record(changes.DEADLINE_REOPENED, changes.REMINDER, reminder_id,
                       before=changes.deadline_state(deadline, reminder.text, removed),
                       after=changes.deadline_state(deadline, reminder.text, {}),
                       by=press.user_id, now=press.now, session=session)
        return undone_line(press.user_id, press.now.astimezone(zone))


def _deadline_reminder(reminder_id: int, deadline: date, press: Press, label: str, *,
                       session: Session) -> Reminder:
    """The reminder a "Levert" or "Angre" value names, once it fits and the presser may."""
    reminder = _pressed_reminder(reminder_id, press, session=session)
    if reminder.kind != DEADLINE:
        raise _bad("not_a_deadline_reminder")
    if not is_deadline_of(rule_from_json(reminder.rule), deadline):
        raise _bad("not_a_deadline_of_it")
    _require_presser(reminder, press, label, session=session)
    return reminder


def _pressed_reminder(reminder_id: int, press: Press, *, session: Session) -> Reminder:
    reminder = get_reminder(reminder_id, session=session)
    if reminder is None:
        raise UsageError(GONE, reason="gone")
    if reminder.channel_id != press.channel_id:
        raise _bad("other_channel")
    return reminder


def _require_presser(reminder: Reminder, press: Press, label: str, *, session: Session
                     ) -> None:
    if may_change_reminder(press.user_id, is_admin=press.is_admin,
                           created_by=reminder.created_by, embete_id=reminder.embete_id,
                           session=session):
        return
    embete = session.get(Embete, reminder.embete_id) if reminder.embete_id else None
    raise UsageError(not_allowed(label, embete.navn if embete else None), reason="no_access")


def snooze(db: Database, reminder_id: int, press: Press, *, tz: ZoneInfo | None = None,
           deadline: date | None = None) -> str:
    """A one-off reminder in the same channel, with the same text, tomorrow at 09.00; once
    per message and user (pressing again answers that it is done).

    For a deadline (``deadline`` from the message's "Levert" button) the one-off is a reminder
    of that deadline, with its figures and its "Levert" button; as such it is not sent on a
    weekend or holiday but on the next working day. Returns the confirmation.
    """
    zone = tz or _zone(press.now)
    now = press.now
    with db.write() as session:
        reminder = _pressed_reminder(reminder_id, press, session=session)
        if deadline is not None and (reminder.kind != DEADLINE or not is_deadline_of(
                rule_from_json(reminder.rule), deadline)):
            raise _bad("not_a_deadline_of_it")
        _require_presser(reminder, press, "Minn meg på i morgen", session=session)
        if deadline is not None and deadline in done_deadlines(reminder_id, session=session):
            raise UsageError(f"Fristen for «{said(reminder.text)}» er allerede markert som "
                             "levert.", reason="already_delivered")
        key = f"snooze:{reminder_id}:{press.message_ts or '-'}:{press.user_id}"
        if not first_time(key, now=now, session=session):
            raise UsageError(already_snoozed(reminder.text), reason="already_snoozed")
        tomorrow = now.astimezone(zone).date() + timedelta(days=1)
        rule = (_deadline_snooze(deadline, tomorrow, now, zone) if deadline else None) or Once(
            at=datetime.combine(tomorrow, SNOOZE_AT, tzinfo=zone))
        new = lifecycle.create(reminder.channel_id, reminder.kind, reminder.text, rule,
                              embete_id=reminder.embete_id, by=press.user_id, now=now, tz=zone,
                              session=session)
        assert new.id is not None and new.next_due_at is not None
        changes.record(changes.REMINDER_CREATED, changes.REMINDER, new.id, before=None,
                       after={**changes.reminder_state(new), "once_key": key},
                       by=press.user_id, now=now, session=session)
        return snoozed_line(reminder.text, new.next_due_at.astimezone(zone))


def _deadline_snooze(deadline: date, tomorrow: date, now: datetime, tz: ZoneInfo
                     ) -> Rule | None:
    """A single-lead deadline rule due tomorrow or, when tomorrow is no working day, on the
    first working day after (None when the deadline is before tomorrow)."""
    for lead in range((deadline - tomorrow).days, -1, -1):
        rule = Deadlines(dates=(deadline,), lead_days=(lead,), at=SNOOZE_AT)
        if next_occurrence(rule, after=now, tz=tz) is not None:
            return rule
    return None


def _zone(now: datetime) -> ZoneInfo:
    zone = now.tzinfo
    if not isinstance(zone, ZoneInfo):
        raise ValueError("now must carry the bot's ZoneInfo time zone")
    return zone


def _levert(db: Database, value: tuple[int, date], press: Press) -> Pressed:
    rid, deadline = value
    line = mark_delivered(db, rid, deadline, press)
    after = delivered_message(list(press.message_blocks), line,
                              undo_value=deadline_value(rid, deadline))
    return Pressed(line, after.text, after.blocks)


def _undo(db: Database, value: tuple[int, date], press: Press) -> Pressed:
    rid, deadline = value
    line = undo_delivered(db, rid, deadline, press)
    after = undone_message(list(press.message_blocks), line, rid, deadline)
    return Pressed(line, after.text, after.blocks)


def _snooze(db: Database, rid: int, press: Press) -> Pressed:
    return Pressed(snooze(db, rid, press, deadline=deadline_in(list(press.message_blocks))))


BUTTONS = (
    ButtonAction(LEVERT_ACTION, parse_levert_value, _levert),
    ButtonAction(UNDO_ACTION, parse_levert_value, _undo),
    ButtonAction(SNOOZE_ACTION, parse_snooze_value, _snooze),
)
