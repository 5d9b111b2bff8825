"""The fake Slack Web API the servers talk to (Bolt calls ``auth.test`` at start): the tests' own
:class:`tests.support.fake_slack.FakeSlack` on an ephemeral loopback port, and what the bench
reads from it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from tests.support.fake_slack import FakeSlack

SOURCE = "tests.support.fake_slack.FakeSlack"
"""Which fake the results were measured against (``fake_slack`` in the JSON)."""


@dataclass(frozen=True)
class Post:
    """One Web API call as the fake received it: when (``time.time()``), where and what."""

    method: str
    channel: str
    text: str
    at: float
    status: int = 200


def posts_of(slack: FakeSlack, method: str = "chat.postMessage") -> list[Post]:
    """Every call of ``method`` so far, in arrival order."""
    return [Post(c.method, str(c.params.get("channel", "")), str(c.params.get("text", "")),
                 c.at, c.status) for c in slack.calls(method)]


def call_counts(slack: FakeSlack) -> dict[str, int]:
    """Calls so far by method."""
    return dict(Counter(c.method for c in slack.calls()))
