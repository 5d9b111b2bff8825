"""A :class:`schedules.senders.Sender` that keeps what it was asked to send."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from schedules.senders import SendError


@dataclass
class Post:
    channel: str
    text: str
    blocks: list[dict[str, Any]]


@dataclass
class RecordingSender:
    """Stands in for Slack where Slack's behaviour is not the point of the test; with
    ``fail_with`` every post fails with that Slack error."""

    posts: list[Post] = field(default_factory=list)
    dms: list[tuple[str, str]] = field(default_factory=list)
    fail_with: str | None = None

    def post(self, channel: str, text: str, blocks: list[dict[str, Any]]) -> str | None:
        if self.fail_with:
            raise SendError(self.fail_with)
        self.posts.append(Post(channel, text, blocks))
        return f"1700000000.{len(self.posts):06d}"

    def dm(self, user_id: str, text: str) -> None:
        self.dms.append((user_id, text))
