"""The reminder scheduler: APScheduler kept in step with the store.

The store is the source of truth; APScheduler holds nothing that cannot be rebuilt from it
(an in-memory job store, never pickled jobs). On :meth:`ReminderService.start`:

1. catch up: deliver what fell due while no bot ran (at most ``grace`` late: sent once; older:
   recorded as skipped);
2. one ``DateTrigger`` job per active reminder at its ``next_due_at`` (id ``reminder:<id>``,
   ``replace_existing=True``); its body delivers that reminder and schedules its next
   occurrence from the store;
3. a sync job every ``sync_seconds``: when the store revision moved (a command, a button, or
   another bot process wrote anything), reload every active reminder's (id, next_due_at,
   paused) and add, move or remove jobs. It also delivers anything due, as a safety net for a
   job that was lost; the claims in ``storage.deliveries`` make doubles impossible.

Several processes may run this against one store at once: each schedules every reminder, the
first to claim an occurrence sends it, and the others move on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from schedules.delivery import Outcome, deliver_due
from schedules.senders import Sender
from storage.db import Database
from storage.deliveries import ScheduleRow, schedule_row, schedule_rows
from storage.reference import Geography

log = logging.getLogger("lhl.reminders")

SYNC_JOB = "reminders:sync"
MISFIRE_GRACE = None
"""APScheduler runs a late job however late it is: lateness is ours to judge (``grace``)."""
SAME_REMINDER_RUNS = 3
"""A reminder's job may overlap a slow earlier run of itself (claims keep that safe)."""


def process_name() -> str:
    """Who claims an occurrence: ``host:pid``."""
    return f"{socket.gethostname()[:50]}:{os.getpid()}"


def job_id(reminder_id: int) -> str:
    return f"reminder:{reminder_id}"


class ReminderService:
    """Delivers reminders on time from a background scheduler; :meth:`start`, :meth:`stop`.

    ``clock`` is the bot's notion of now (tests inject one). The scheduler itself waits on the
    real clock, so an injected clock is treated as an offset from it when jobs are placed.
    """

    def __init__(self, db: Database, *, sender: Sender, tz: ZoneInfo, grace: timedelta,
                 process_id: str | None = None, clock: Callable[[], datetime] | None = None,
                 sync_seconds: float = 5.0, geo: Geography | None = None) -> None:
        self.db = db
        self.sender = sender
        self.tz = tz
        self.grace = grace
        self.process_id = process_id or process_name()
        self.clock = clock
        self.sync_seconds = sync_seconds
        self.geo = geo
        self._scheduler = BackgroundScheduler(timezone=tz)
        self._lock = threading.RLock()
        self._scheduled: dict[int, datetime] = {}
        self._revision: int | None = None
        self._running = False
        self._stopped = False
        self._poked = threading.Event()
        self._poker = threading.Thread(target=self._follow_pokes, name="lhl-reminder-pokes",
                                       daemon=True)

    # --- life cycle

    def start(self) -> list[Outcome]:
        """Catch up, schedule every active reminder and start; the catch-up's outcomes."""
        # Read first: anything written from here on makes the first sync reload.
        self._revision = self.db.store_revision()
        caught_up = self.deliver()
        if caught_up:
            log.info("caught up on %d overdue occurrence(s)", len(caught_up))
        with self.db.read() as session:
            rows = schedule_rows(session=session)
        self._apply(rows)
        self._scheduler.add_job(
            self._sync, IntervalTrigger(seconds=self.sync_seconds, timezone=self.tz),
            id=SYNC_JOB, replace_existing=True, coalesce=True, max_instances=1,
            misfire_grace_time=MISFIRE_GRACE)
        self._scheduler.start()
        self._poker.start()
        self._running = True
        log.info("reminders scheduled: %d active, sync every %.1f s, grace %s",
                 len(self._scheduled), self.sync_seconds, self.grace)
        return caught_up

    def stop(self) -> None:
        """Stop scheduling and wait for a delivery in progress to finish.

        APScheduler's ``shutdown(wait=True)`` holds its job-store lock while it waits for
        running jobs, and a job that then adds or removes a job would wait for that lock for
        ever. So jobs stop touching the scheduler first (``_stopped``, under our lock)."""
        with self._lock:
            self._stopped = True
            running, self._running = self._running, False
        if running:
            self._poked.set()
            self._poker.join()
            self._scheduler.shutdown(wait=True)

    # --- telling the service about changes

    def reminder_changed(self, reminder_id: int) -> None:
        """Reschedule one reminder from the store now (after a change in this process)."""
        self._reschedule(reminder_id, run_if_due=True)

    def poke(self) -> None:
        """Sync with the store now rather than at the next interval (after a command that may
        have added, paused or deleted reminders). Returns at once; the sync runs in the
        scheduler's threads."""
        # A thread of its own rather than a one-off APScheduler job: APScheduler 3 removes a
        # one-off job after submitting it, and a shutdown in between makes that raise
        # JobLookupError in its thread; a job already running would skip the poke instead.
        # A poke during a sync is kept (the event), so a sync always follows the change.
        with self._lock:
            if self._running and not self._stopped:
                self._poked.set()

    def _follow_pokes(self) -> None:
        while True:
            self._poked.wait()
            if self._stopped:
                return
            self._poked.clear()
            self._sync()

    # --- what the jobs do

    def now(self) -> datetime:
        return self.clock() if self.clock else datetime.now(self.tz)

    def deliver(self, reminder_id: int | None = None) -> list[Outcome]:
        """Deliver what is due now (one reminder's, or everything's)."""
        return deliver_due(self.db, now=self.now(), sender=self.sender, tz=self.tz,
                           grace=self.grace, process_id=self.process_id,
                           reminder_id=reminder_id, geo=self.geo)

    def scheduled(self) -> dict[int, datetime]:
        """Reminder id → when its job runs (in the store's terms), for tests and logs."""
        with self._lock:
            return dict(self._scheduled)

    def _run_reminder(self, reminder_id: int) -> None:
        try:
            self.deliver(reminder_id)
        except Exception:
            log.exception("reminder %s: delivery failed", reminder_id)
        finally:
            self._reschedule(reminder_id, run_if_due=False)

    def _sync(self) -> None:
        try:
            revision = self.db.store_revision()
            if revision != self._revision:
                self._revision = revision
                with self.db.read() as session:
                    rows = schedule_rows(session=session)
                self._apply(rows)
            self.deliver()
        except Exception:
            log.exception("reminder sync failed")

    # --- keeping jobs in step

    def _apply(self, rows: Iterable[ScheduleRow]) -> None:
        active = {r.id: r.next_due_at for r in rows if r.active and r.next_due_at is not None}
        with self._lock:
            for rid in self._scheduled.keys() - active.keys():
                self._unschedule(rid)
            for rid, due in active.items():
                if self._scheduled.get(rid) != due:
                    self._schedule(rid, due)

    def _reschedule(self, reminder_id: int, *, run_if_due: bool) -> None:
        """Place a reminder's job where the store says. Right after its own run, a reminder
        that is still due is left to the sync job rather than run again at once."""
        try:
            with self.db.read() as session:
                row = schedule_row(reminder_id, session=session)
        except Exception:
            log.exception("reminder %s: could not reschedule; the sync will", reminder_id)
            return
        with self._lock:
            if row is None or not row.active or row.next_due_at is None:
                self._unschedule(reminder_id)
            elif not run_if_due and row.next_due_at <= self.now():
                self._drop_job(reminder_id)
                self._scheduled[reminder_id] = row.next_due_at
            else:
                self._schedule(reminder_id, row.next_due_at)

    def _schedule(self, reminder_id: int, due: datetime) -> None:
        if self._stopped:
            return
        run_at = due if self.clock is None else due + (datetime.now(UTC) - self.clock())
        self._scheduler.add_job(
            self._run_reminder, DateTrigger(run_date=run_at.astimezone(self.tz)),
            args=(reminder_id,), id=job_id(reminder_id), replace_existing=True,
            coalesce=True, max_instances=SAME_REMINDER_RUNS, misfire_grace_time=MISFIRE_GRACE)
        self._scheduled[reminder_id] = due

    def _unschedule(self, reminder_id: int) -> None:
        self._drop_job(reminder_id)
        self._scheduled.pop(reminder_id, None)

    def _drop_job(self, reminder_id: int) -> None:
        if self._stopped:
            return
        with contextlib.suppress(JobLookupError):
            self._scheduler.remove_job(job_id(reminder_id))
