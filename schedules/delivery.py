"""The delivery step: select what is due → claim it → send it → mark how it went → move on.

:func:`deliver_due` is pure apart from the store and the sender, both passed in, and takes
``now`` as an argument, so the scheduler, the start-up catch-up and the tests all drive the same
code. Any number of processes may run it at the same time against one store.

**At most once.** An occurrence is claimed (a unique row per reminder and occurrence,
committed in its own transaction) *before* it is sent, and marked sent or failed in a second
transaction afterwards. A process that dies between the two leaves the row ``claimed``: that
occurrence is never sent again, by it after a restart or by any other process, and the reminder
moves on to its next occurrence the next time anybody looks at it. We would rather lose one
reminder in a crash than post it twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from schedules.lifecycle import current_occurrence, following, move_on
from schedules.messages import (
    Figures,
    Message,
    digest_message,
    failure_dm,
    failure_reason,
    figures_for,
    late_reason,
    reminder_message,
)
from schedules.rules import Occurrence, Rule, rule_from_json
from schedules.senders import Sender, SendError
from storage.db import Database
from storage.deliveries import (
    claim,
    done_deadlines,
    due_reminders,
    mark_failed,
    mark_sent,
    record_skipped,
)
from storage.models import DEADLINE, DIGEST, FAILED, SENT, SKIPPED, Reminder
from storage.reference import Geography, read_geography

log = logging.getLogger("lhl.reminders")

CLAIMED_ELSEWHERE = "claimed_elsewhere"
"""Another process (or an earlier run of this one) already claimed the occurrence."""
ALREADY_DONE = "done"
"""The occurrence's deadline was marked "Levert"; nothing was sent."""

BATCH = 100
MAX_STEPS = 1000
"""Occurrences handled for one reminder in one call (a weekly reminder after years down)."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one occurrence."""

    reminder_id: int
    key: str
    due: datetime
    status: str
    """``sent``, ``failed``, ``skipped``, ``claimed_elsewhere`` or ``done``."""
    reason: str | None = None
    message_ts: str | None = None


def deliver_due(db: Database, *, now: datetime, sender: Sender, tz: ZoneInfo,
                grace: timedelta, process_id: str, reminder_id: int | None = None,
                geo: Geography | None = None) -> list[Outcome]:
    """Deliver every occurrence due at ``now`` (of one reminder when ``reminder_id`` is
    given), oldest first.

    An occurrence at most ``grace`` late is sent once; a later one is recorded as skipped
    ("boten var nede") and not sent. Either way the reminder moves on to its next occurrence,
    passing over deadlines marked "Levert". A failed send is logged and its creator told by
    direct message. A failure in one reminder is logged and does not stop the others.
    """
    step = _Step(db, now=now, sender=sender, tz=tz, grace=grace, process_id=process_id, geo=geo)
    outcomes: list[Outcome] = []
    handled: set[int] = set()
    while True:
        with db.read() as session:
            due = [r.id for r in due_reminders(now, session=session, limit=BATCH,
                                               reminder_id=reminder_id, exclude=handled)
                   if r.id is not None]
        for rid in due:
            handled.add(rid)
            try:
                outcomes += step.reminder(rid)
            except Exception:
                log.exception("reminder %s: delivery stopped by an error", rid)
        if reminder_id is not None or len(due) < BATCH:
            return outcomes


class _Step:
    """One call of :func:`deliver_due`: its ``now``, sender and settings."""

    def __init__(self, db: Database, *, now: datetime, sender: Sender, tz: ZoneInfo,
                 grace: timedelta, process_id: str, geo: Geography | None) -> None:
        self.db, self.now, self.sender, self.tz = db, now, sender, tz
        self.grace, self.process_id, self._geo = grace, process_id, geo

    def reminder(self, reminder_id: int) -> list[Outcome]:
        """Every due occurrence of one reminder, read afresh from the store before each (a
        pause, a deletion or "Levert" from anywhere is seen at once)."""
        outcomes: list[Outcome] = []
        for _ in range(MAX_STEPS):
            with self.db.read() as session:
                r = session.get(Reminder, reminder_id)
                if (r is None or r.paused or r.next_key is None or r.next_due_at is None
                        or r.next_due_at > self.now):
                    break
                done = done_deadlines(reminder_id, session=session)
            rule = rule_from_json(r.rule)
            occ = current_occurrence(rule, r.next_key, r.next_due_at, self.tz)
            nxt = following(rule, occ, tz=self.tz, done=done)
            outcomes.append(self._occurrence(r, rule, occ, nxt, done))
        return outcomes

    def _occurrence(self, r: Reminder, rule: Rule, occ: Occurrence, nxt: Occurrence | None,
                    done: set[date]) -> Outcome:
        rid = r.id
        assert rid is not None
        if occ.deadline is not None and occ.deadline in done:
            self._advance(rid, occ, nxt)
            return Outcome(rid, occ.key, occ.due, ALREADY_DONE)
        late = self.now - occ.due
        if late > self.grace:
            reason = late_reason(late)
            with self.db.write() as session:
                recorded = record_skipped(rid, occ.key, occ.due, reason, by=self.process_id,
                                          now=self.now, session=session)
                move_on(rid, from_key=occ.key, to=nxt, session=session)
            if not recorded:
                return Outcome(rid, occ.key, occ.due, CLAIMED_ELSEWHERE)
            log.warning("reminder %s: skipped %s (%s)", rid, occ.key, reason)
            return Outcome(rid, occ.key, occ.due, SKIPPED, reason)
        # Built before the claim, so that a failure here leaves the occurrence unclaimed.
        message = self._message(r, rule, occ)
        with self.db.write() as session:
            delivery_id = claim(rid, occ.key, occ.due, by=self.process_id, now=self.now,
                                session=session)
        if delivery_id is None:
            self._advance(rid, occ, nxt)
            return Outcome(rid, occ.key, occ.due, CLAIMED_ELSEWHERE)
        return self._send(r, occ, nxt, message, delivery_id)

    def _send(self, r: Reminder, occ: Occurrence, nxt: Occurrence | None, message: Message,
              delivery_id: int) -> Outcome:
        rid = r.id
        assert rid is not None
        ts: str | None = None
        code: str | None = None
        try:
            ts = self.sender.post(r.channel_id, message.text, message.blocks)
        except SendError as exc:
            code = exc.code
        except Exception:
            log.exception("reminder %s: sending %s failed", rid, occ.key)
            code = "internal"
        reason = failure_reason(code) if code else None
        with self.db.write() as session:
            if code is None:
                mark_sent(delivery_id, message_ts=ts, now=self.now, session=session)
            else:
                mark_failed(delivery_id, reason or code, session=session)
            move_on(rid, from_key=occ.key, to=nxt, session=session)
        if code is None:
            log.info("reminder %s: sent %s to %s, %.1f s after its time", rid, occ.key,
                     r.channel_id, (self.now - occ.due).total_seconds())
            return Outcome(rid, occ.key, occ.due, SENT, message_ts=ts)
        log.warning("reminder %s: %s not delivered to %s (%s); telling %s", rid, occ.key,
                    r.channel_id, code, r.created_by)
        try:
            self.sender.dm(r.created_by, failure_dm(r, occ.due, code, tz=self.tz))
        except Exception as exc:
            log.warning("reminder %s: could not tell %s either (%s)", rid, r.created_by,
                        getattr(exc, "code", type(exc).__name__))
        return Outcome(rid, occ.key, occ.due, FAILED, reason)

    def _advance(self, rid: int, occ: Occurrence, nxt: Occurrence | None) -> None:
        with self.db.write() as session:
            move_on(rid, from_key=occ.key, to=nxt, session=session)

    def _message(self, r: Reminder, rule: Rule, occ: Occurrence) -> Message:
        if r.kind == DIGEST:
            with self.db.read() as session:
                return digest_message(r, rule, occ, tz=self.tz, geo=self._geography(session),
                                      session=session)
        figures: Figures | None = None
        if r.kind == DEADLINE:
            with self.db.read() as session:
                figures = figures_for(r.embete_id, self.now.astimezone(self.tz).date(),
                                      tz=self.tz, geo=self._geography(session), session=session)
        return reminder_message(r, occ, now=self.now, tz=self.tz,
                                lead_minutes=getattr(rule, "lead_minutes", 0), figures=figures)

    def _geography(self, session: Session) -> Geography:
        if self._geo is None:
            self._geo = read_geography(session)
        return self._geo

