"""What every way of running the bot shares: settings, the store, the geography, the clock."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from bot.background import Background
from bot.settings import Settings
from commands.base import Context, FileSource, Reply
from commands.cache import ReplyCache
from commands.dispatch import read, run
from commands.parse.dates import warm_up
from schedules.senders import Sender
from schedules.service import ReminderService
from storage.db import Database
from storage.once import first_time, forget_old
from storage.queries import grant_of
from storage.reference import Geography
from storage.setup import prepare

log = logging.getLogger("lhl")


@dataclass
class Runtime:
    settings: Settings
    db: Database
    geo: Geography
    clock: Callable[[], datetime] | None = None
    cache: ReplyCache = field(default_factory=ReplyCache)
    reminders: ReminderService | None = None
    background: Background = field(default_factory=Background)
    """Threads for what follows an answer (uploads, the Home tab); started when first used."""

    def now(self) -> datetime:
        """Now in the bot's time zone (from the injected clock in tests)."""
        tz = self.settings.tz
        return self.clock().astimezone(tz) if self.clock else datetime.now(tz)

    def context(self, user_id: str, channel_id: str | None = None, *,
                admin: bool | None = None,
                bot_in_channel: Callable[[], bool | None] | None = None,
                channel_name: str | None = None,
                request_key: str | None = None,
                files: FileSource | None = None) -> Context:
        return Context(
            user_id=user_id,
            is_admin=self.is_admin(user_id) if admin is None else admin,
            now=self.now(),
            tz=self.settings.tz,
            geo=self.geo,
            channel_id=channel_id,
            bot_in_channel=bot_in_channel,
            channel_name=channel_name,
            request_key=request_key,
            home_embete=partial(self.embete_id_of, user_id),
            files=files,
        )

    def embete_id_of(self, user_id: str) -> str | None:
        """The embete a user's grant names, read in a session of its own."""
        with self.db.read() as session:
            grant = grant_of(user_id, session=session)
        return grant.embete_id if grant else None

    def is_admin(self, user_id: str) -> bool:
        return user_id in self.settings.admins

    def handle(self, text: str, user_id: str, channel_id: str | None = None, *,
               admin: bool | None = None,
               bot_in_channel: Callable[[], bool | None] | None = None,
               channel_name: str | None = None,
               request_key: str | None = None,
               files: FileSource | None = None) -> Reply:
        """Run one ``/lhl`` text for a user: the single code path of every front end.

        ``request_key`` names the delivery (see :func:`request_key`): a write command is done
        once per key, however often Slack delivers it. ``files`` is where the user's files are
        read (``/lhl import``)."""
        ctx = self.context(user_id, channel_id, admin=admin, bot_in_channel=bot_in_channel,
                           channel_name=channel_name, request_key=request_key, files=files)
        invocation = read(text)
        reply = run(invocation, ctx=ctx, db=self.db, cache=self.cache)
        spec = invocation.spec
        if self.reminders is not None and spec is not None and spec.changes_reminders:
            self.reminders.poke()
        return reply

    def first_time(self, key: str) -> bool:
        """Claim ``key`` in a transaction of its own; False when it was claimed before."""
        with self.db.write() as session:
            return first_time(key, now=self.now(), session=session)

    def start_reminders(self, sender: Sender) -> ReminderService:
        """Start delivering reminders through ``sender`` (catching up on missed ones first)."""
        settings = self.settings
        service = ReminderService(self.db, sender=sender, tz=settings.tz,
                                  grace=settings.reminder_grace, clock=self.clock,
                                  sync_seconds=settings.lhl_reminder_sync_seconds, geo=self.geo)
        service.start()
        self.reminders = service
        return service

    def stop_reminders(self) -> None:
        """Stop the scheduler, letting a delivery in progress finish."""
        if self.reminders is not None:
            self.reminders.stop()
            self.reminders = None

    def reminders_changed(self) -> None:
        """Reminders were changed in this process (a button): reschedule without waiting."""
        if self.reminders is not None:
            self.reminders.poke()


def request_key(command: dict[str, Any]) -> str | None:
    """The once-key of a slash command: Slack's ``trigger_id`` is unique to the invocation, so
    the same request delivered twice has the same one."""
    trigger = command.get("trigger_id")
    return f"slash:{trigger}" if isinstance(trigger, str) and trigger else None


def start_runtime(settings: Settings, clock: Callable[[], datetime] | None = None, *,
                  migrate: bool = True) -> Runtime:
    """Open (and, with ``migrate``, migrate) the store, load reference data and warm the date
    parser."""
    db, geo = prepare(settings.database_url, migrate=migrate)
    warm_up()
    runtime = Runtime(settings=settings, db=db, geo=geo, clock=clock)
    if migrate:
        # Once per start of the process that owns the store: keys older than Slack could
        # retry or replay anything.
        with db.write() as session:
            dropped = forget_old(now=runtime.now(), session=session)
        if dropped:
            log.info("forgot %d once-keys older than 30 days", dropped)
    return runtime
