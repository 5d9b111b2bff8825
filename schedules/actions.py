"""What the buttons on a delivered reminder do: "Levert", "Angre" and "Minn meg på i morgen".

Access: a button press is a write, so every press is checked like a command, inside its
transaction: admins, the one who made the reminder, and coordinators of the reminder's embete
(any coordinator when the reminder has none) may press "Levert", "Angre" and "Minn meg på i
morgen". Anyone else, readers included, gets one sentence and nothing is stored. Snoozing falls
under the same rule because it makes a reminder, which only coordinators and admins may do.

Values: a button's value is checked against the reminder and the channel it was pressed in. A
value that is malformed, names a reminder of another channel or a date that is no deadline of
the reminder is refused (:attr:`ActionRefused.suspicious`), and nothing is stored.

Once: "Minn meg på i morgen" makes one reminder per message and user however often it is
pressed (a ``done_once`` key of reminder, message and user, in the snooze's transaction).
"Levert" and "Angre" are idempotent by themselves. Each action is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from commands.access import may_change_reminder
from schedules.delivery import current_occurrence, following, next_open
from schedules.messages import (
    BAD_BUTTON,
    GONE,
    NOT_MARKED,
    already_snoozed,
    delivered_line,
    not_allowed,
    snoozed_line,
    undone_line,
)
from schedules.rules import (
    Deadlines,
    Once,
    Rule,
    is_deadline_of,
    next_occurrence,
    rule_from_json,
)
from storage.db import Database
from storage.deliveries import (
    advance,
    deadline_siblings,
    done_deadlines,
    mark_deadline_done,
    unmark_deadline_done,
)
from storage.models import DEADLINE, Embete, Reminder
from storage.once import first_time
from storage.reminders import create_reminder

SNOOZE_AT = time(9, 0)


class ActionRefused(Exception):
    """The action cannot be done; ``message`` says why, in bokmål, to the one who pressed.

    ``reason`` names the refusal for the log (never user text); ``suspicious`` when the
    button's value does not fit where it was pressed, which Slack's own buttons never do.
    """

    def __init__(self, message: str, *, reason: str = "refused", suspicious: bool = False
                 ) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason
        self.suspicious = suspicious


def _bad(reason: str) -> ActionRefused:
    return ActionRefused(BAD_BUTTON, reason=reason, suspicious=True)


@dataclass(frozen=True)
class Press:
    """One press of a button: who, in which channel, on which message, and when."""

    user_id: str
    channel_id: str
    now: datetime
    is_admin: bool = False
    message_ts: str | None = None


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
        for sibling in deadline_siblings(reminder, session=session):
            assert sibling.id is not None
            row = mark_deadline_done(sibling.id, deadline, by=press.user_id, now=press.now,
                                     session=session)
            if sibling.id == reminder_id:
                first = row
            _pass_deadline(sibling, deadline, zone, session=session)
        assert first is not None
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
        removed = [s for s in siblings
                   if s.id is not None and unmark_deadline_done(s.id, deadline, session=session)]
        if not removed:
            raise ActionRefused(NOT_MARKED, reason="not_marked")
        for sibling in siblings:
            _restore_deadline(sibling, press.now, zone, session=session)
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
    reminder = session.get(Reminder, reminder_id)
    if reminder is None:
        raise ActionRefused(GONE, reason="gone")
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
    raise ActionRefused(not_allowed(label, embete.navn if embete else None), reason="no_access")


def _pass_deadline(reminder: Reminder, deadline: date, tz: ZoneInfo, *, session: Session
                   ) -> None:
    """Move a reminder whose next occurrence belongs to ``deadline`` past all of them."""
    if reminder.id is None or reminder.next_key is None or reminder.next_due_at is None:
        return
    rule = rule_from_json(reminder.rule)
    occ = current_occurrence(rule, reminder.next_key, reminder.next_due_at, tz)
    if occ.deadline != deadline:
        return
    nxt = following(rule, occ, tz=tz, done=done_deadlines(reminder.id, session=session))
    advance(reminder.id, from_key=occ.key, next_due_at=nxt.due if nxt else None,
            next_key=nxt.key if nxt else None, session=session)


def _restore_deadline(reminder: Reminder, now: datetime, tz: ZoneInfo, *, session: Session
                      ) -> None:
    """Point a reminder at its first open occurrence after ``now`` when that comes before the
    one it points at (the inverse of :func:`_pass_deadline`). One it points at that is already
    due is left to the delivery, which passes only deadlines still marked."""
    if reminder.id is None:
        return
    nxt = next_open(rule_from_json(reminder.rule), after=now, tz=tz,
                    done=done_deadlines(reminder.id, session=session))
    if nxt is None or (reminder.next_due_at is not None and reminder.next_due_at <= nxt.due):
        return
    advance(reminder.id, from_key=reminder.next_key, next_due_at=nxt.due, next_key=nxt.key,
            session=session)


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
            raise ActionRefused(f"Fristen for «{reminder.text}» er allerede markert som levert.",
                                reason="already_delivered")
        key = f"snooze:{reminder_id}:{press.message_ts or '-'}:{press.user_id}"
        if not first_time(key, now=now, session=session):
            raise ActionRefused(already_snoozed(reminder.text), reason="already_snoozed")
        tomorrow = now.astimezone(zone).date() + timedelta(days=1)
        rule = (_deadline_snooze(deadline, tomorrow, now, zone) if deadline else None) or Once(
            at=datetime.combine(tomorrow, SNOOZE_AT, tzinfo=zone))
        new = create_reminder(reminder.channel_id, reminder.kind, reminder.text, rule,
                              embete_id=reminder.embete_id, by=press.user_id, now=now, tz=zone,
                              session=session)
        assert new.next_due_at is not None
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
