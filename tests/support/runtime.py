"""The bot's runtime as tests build it, and the one way a test says something to it.

``runtime_on(url)`` is a :class:`Runtime` on a store the way the ``runtime`` fixture makes it
(the clock fixed at ``NOW`` unless told); ``started(settings)`` is one made by
``start_runtime``, as ``lhl`` makes it at start. Both close the store afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select

from bot.runtime import Runtime, start_runtime
from bot.settings import Settings
from storage.models import Change
from storage.setup import prepare
from tests.support.clock import NOW
from tests.support.slack_requests import CHANNEL
from voice.reply import Reply

BOT_TOKEN = "xoxb-test-0000-lhl"
APP_TOKEN = "xapp-1-test-0000-lhl"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
ADMIN = "U0ADMIN"
HTTP_THREADS = 4


def settings_for(database_url: str, **overrides: Any) -> Settings:
    """Settings on ``database_url`` with ``ADMIN`` as administrator (``overrides`` win); never
    reads ``.env``."""
    values: dict[str, Any] = {"lhl_database_url": database_url, "lhl_admins": ADMIN}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@contextmanager
def runtime_on(database_url: str, *, clock: Callable[[], datetime] | None = lambda: NOW,
               **settings: Any) -> Iterator[Runtime]:
    """A runtime on the (migrated) store at ``database_url``, with ``settings_for(url,
    **settings)`` and ``clock``; another process, as far as any other runtime can tell."""
    db, geo = prepare(database_url)
    try:
        yield Runtime(settings=settings_for(database_url, **settings), db=db, geo=geo,
                      clock=clock)
    finally:
        db.dispose()


@contextmanager
def started(settings: Settings, clock: Callable[[], datetime] | None = None
            ) -> Iterator[Runtime]:
    """``start_runtime(settings, clock)``, as ``lhl`` starts; the store closed afterwards."""
    runtime = start_runtime(settings, clock)
    try:
        yield runtime
    finally:
        runtime.db.dispose()


def reply_to(rt: Runtime, line: str, user: str = ADMIN, channel: str = CHANNEL) -> Reply:
    """``/lhl line`` typed by ``user`` in ``channel``: the whole reply."""
    return rt.handle(line, user, channel)


def say(rt: Runtime, line: str, user: str = ADMIN, channel: str = CHANNEL) -> str:
    """``/lhl line`` typed by ``user`` in ``channel``: the reply's text."""
    return reply_to(rt, line, user, channel).text


def grant(rt: Runtime, user: str, where: str, role: str = "koordinator") -> None:
    """``ADMIN`` gives ``user`` the ``role`` in ``where``."""
    reply = say(rt, f"tilgang gi <@{user}|navn> {where} {role}")
    assert reply.startswith(f"<@{user}> er nå {role}"), reply


def logged(rt: Runtime, line: str, user: str = ADMIN, channel: str = CHANNEL) -> str:
    """``/lhl line`` for a command that logs a meeting: the reply's text without its last
    line, which must name the entry just made (the change log's newest row) for ``rediger``."""
    *lines, last = say(rt, line, user, channel).splitlines()
    with rt.db.read() as session:
        newest = session.connection().execute(
            sa_select(func.max(Change.id))).scalar_one()
    assert last == f"Føring #{newest}: `/lhl rediger {newest}` endrer den.", last
    return "\n".join(lines)
