"""What every sub-command shares: the caller's context, its spec and the known-failure error
(replies are built in ``voice.reply``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from storage.reference import Geography
from voice.reply import Reply


class UsageError(Exception):
    """A known failure (bad kommune, bad date, no access): one sentence for the user.

    The message is shown as it is, so it must be bokmål and say what was wrong and the right
    form with an example. Nothing is stored when it is raised.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Context:
    """Who is asking, and when: ``now`` is aware, in ``tz``, the bot's time zone
    (``LHL_TIMEZONE``), which every date and time of a command is read and written in."""

    user_id: str
    is_admin: bool
    now: datetime
    tz: ZoneInfo
    geo: Geography
    channel_id: str | None = None
    bot_in_channel: Callable[[], bool | None] | None = None
    """Asks Slack whether the bot is a member of ``channel_id`` (None: cannot tell)."""
    channel_name: str | None = None
    """What Slack calls the channel in the request: ``directmessage`` in a direct message,
    ``mpdm-…`` in a group message, ``privategroup`` in a private channel the app cannot see."""
    request_key: str | None = None
    """Names the delivery (``slash:<trigger_id>``): a write is done once per key. None where
    nothing can deliver the same request twice (the console)."""



@dataclass(frozen=True)
class CommandSpec:
    """One sub-command. ``parse`` is pure; ``execute`` acts on the store in one transaction
    (a write transaction when ``writes``) and never commits itself."""

    name: str
    summary: str
    usage: str
    examples: tuple[str, ...]
    writes: bool
    parse: Callable[[str, Context], Any]
    execute: Callable[..., Reply]
    aliases: tuple[str, ...] = ()
    details: str = ""

