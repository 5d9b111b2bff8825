"""What every sub-command shares: the caller's context, the reply and the known-failure error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.reference import Geography


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
    """Who is asking, and when. ``now`` is timezone-aware in the bot's time zone."""

    user_id: str
    is_admin: bool
    now: datetime
    geo: Geography
    channel_id: str | None = None
    bot_in_channel: Callable[[], bool | None] | None = None
    """Asks Slack whether the bot is a member of ``channel_id`` (None: cannot tell)."""
    request_key: str | None = None
    """Names the delivery (``slash:<trigger_id>``): a write is done once per key. None where
    nothing can deliver the same request twice (the console)."""


Block = dict[str, Any]


@dataclass
class Reply:
    """A reply: ``text`` is the plain fallback (Slack mrkdwn), ``blocks`` the Block Kit form."""

    text: str
    blocks: list[Block] = field(default_factory=list)
    in_channel: bool = False


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


def section(text: str) -> Block:
    """A Block Kit section of mrkdwn text."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def text_reply(text: str, *, in_channel: bool = False) -> Reply:
    """A reply whose blocks say the same as its plain text."""
    return Reply(text=text, blocks=[section(text)], in_channel=in_channel)
