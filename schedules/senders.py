"""What delivery needs of whatever posts reminders: the :class:`Sender` protocol and its
failure. The Slack and console senders live in ``bot.senders``."""

from __future__ import annotations

from typing import Protocol

from voice.reply import Block


class SendError(Exception):
    """A message that could not be delivered. ``code`` is Slack's error code
    (``not_in_channel``, ``channel_not_found``, ``ratelimited`` …) or ``connection``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class Sender(Protocol):
    """Posts reminders. Every method raises :class:`SendError` when the message did not go
    out."""

    def post(self, channel: str, text: str, blocks: list[Block]) -> str | None:
        """Post to a channel; the message's ``ts``."""
        ...

    def dm(self, user_id: str, text: str) -> None:
        """Send a direct message from the app to a user."""
        ...
