"""What the buttons on a delivered reminder do: "Levert" and "Minn meg på i morgen".

Access: anyone who can press the button may use it, which is anyone in the channel the reminder
was posted to. The channel shares the reminder, and both actions are harmless and visible:
"Levert" says in the message who marked it and when, and a snooze posts one more reminder.
Each action is one transaction.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from schedules.delivery import current_occurrence, following
from schedules.messages import GONE, delivered_line, snoozed_line
from schedules.rules import Deadlines, Once, Rule, next_occurrence, rule_from_json
from storage.db import Database
from storage.deliveries import (
    advance,
    deadline_siblings,
    done_deadlines,
    mark_deadline_done,
)
from storage.models import DEADLINE, Reminder
from storage.reminders import create_reminder

SNOOZE_AT = time(9, 0)


class ActionRefused(Exception):
    """The action cannot be done; ``message`` says why, in bokmål, to the one who pressed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_levert_value(value: str) -> tuple[int, date]:
    """``"12|2027-05-01"`` → ``(12, date(2027, 5, 1))``."""
    rid, _, deadline = value.partition("|")
    try:
        return int(rid), date.fromisoformat(deadline)
    except ValueError:
        raise ActionRefused(GONE) from None


def parse_snooze_value(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ActionRefused(GONE) from None


def mark_delivered(db: Database, reminder_id: int, deadline: date, *, user_id: str,
                   now: datetime, tz: ZoneInfo | None = None) -> str:
    """Mark ``deadline`` delivered: no further reminders for it, from this reminder or from the
    one-offs made from it with "Minn meg på i morgen". Pressing again changes nothing and
    answers with the first marking. Returns the line for the updated message."""
    zone = tz or _zone(now)
    with db.write() as session:
        reminder = session.get(Reminder, reminder_id)
        if reminder is None:
            raise ActionRefused(GONE)
        if reminder.kind != DEADLINE:
            raise ActionRefused("Denne påminnelsen har ingen frist å markere som levert.")
        first = None
        for sibling in deadline_siblings(reminder, session=session):
            assert sibling.id is not None
            row = mark_deadline_done(sibling.id, deadline, by=user_id, now=now, session=session)
            if sibling.id == reminder_id:
                first = row
            _pass_deadline(sibling, deadline, zone, session=session)
        assert first is not None
        return delivered_line(first.done_by, first.done_at.astimezone(zone))


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


def snooze(db: Database, reminder_id: int, *, user_id: str, now: datetime,
           tz: ZoneInfo | None = None, deadline: date | None = None) -> str:
    """A one-off reminder in the same channel, with the same text, tomorrow at 09.00.

    For a deadline (``deadline`` from the message's "Levert" button) the one-off is a reminder
    of that deadline, with its figures and its "Levert" button; as such it is not sent on a
    weekend or holiday but on the next working day. Returns the confirmation.
    """
    zone = tz or _zone(now)
    with db.write() as session:
        reminder = session.get(Reminder, reminder_id)
        if reminder is None:
            raise ActionRefused(GONE)
        if deadline is not None and deadline in done_deadlines(reminder_id, session=session):
            raise ActionRefused(f"Fristen for «{reminder.text}» er allerede markert som levert.")
        tomorrow = now.astimezone(zone).date() + timedelta(days=1)
        rule = (_deadline_snooze(deadline, tomorrow, now, zone) if deadline else None) or Once(
            at=datetime.combine(tomorrow, SNOOZE_AT, tzinfo=zone))
        new = create_reminder(reminder.channel_id, reminder.kind, reminder.text, rule,
                              embete_id=reminder.embete_id, by=user_id, now=now, tz=zone,
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
