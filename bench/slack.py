"""The fake Slack Web API the servers talk to (Bolt calls ``auth.test`` at start).

Uses ``tests/fake_slack.py`` (the end-to-end tests' fake, with the repo root on ``sys.path``)
when it is importable and has the expected shape (calls recorded with their arrival time),
else the minimal :class:`bench.fake_slack.MiniFakeSlack`. Both listen on an ephemeral loopback
port.
"""

from __future__ import annotations

import importlib
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from bench.fake_slack import MiniFakeSlack
from bench.procs import REPO


@dataclass(frozen=True)
class Post:
    """One Web API call as the fake received it: when (``time.time()``), where and what."""

    method: str
    channel: str
    text: str
    at: float
    status: int = 200


class FakeSlack(Protocol):
    @property
    def api_url(self) -> str: ...

    @property
    def response_base(self) -> str: ...

    @property
    def source(self) -> str: ...

    def calls(self) -> dict[str, int]: ...

    def posts(self, method: str = "chat.postMessage") -> list[Post]: ...


@dataclass
class _Mini:
    server: MiniFakeSlack
    source: str = "bench.fake_slack.MiniFakeSlack"

    @property
    def api_url(self) -> str:
        return self.server.api_url

    @property
    def response_base(self) -> str:
        return self.server.base_url + "/response"

    def calls(self) -> dict[str, int]:
        return self.server.calls()

    def posts(self, method: str = "chat.postMessage") -> list[Post]:
        return [Post(c.method, str(c.params.get("channel", "")), str(c.params.get("text", "")),
                     c.at) for c in self.server.kept(method)]


@dataclass
class _Tests:
    server: Any  # tests.fake_slack.FakeSlack
    source: str = "tests.fake_slack.FakeSlack"

    @property
    def api_url(self) -> str:
        return str(self.server.url)

    @property
    def response_base(self) -> str:
        # Response URLs are not used with process_before_response (the reply rides on the ack);
        # should the bot post to one, the fake records it as an unknown method.
        return str(self.server.url).rstrip("/") + "/response"

    def calls(self) -> dict[str, int]:
        return dict(Counter(c.method for c in self.server.calls()))

    def posts(self, method: str = "chat.postMessage") -> list[Post]:
        return [Post(c.method, str(c.params.get("channel", "")), str(c.params.get("text", "")),
                     float(getattr(c, "at", 0.0)), int(c.status))
                for c in self.server.calls(method)]


def _tests_fake() -> Any | None:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    try:
        module = importlib.import_module("tests.fake_slack")
    except Exception:
        return None
    cls = getattr(module, "FakeSlack", None)
    if cls is None or not all(hasattr(cls, a) for a in ("url", "start", "stop", "calls")):
        return None
    # Each call's arrival time is what the reminder delay is measured against.
    if "at" not in getattr(getattr(module, "Call", None), "__dataclass_fields__", {}):
        return None
    return cls


@contextmanager
def open_fake_slack(prefer_tests: bool = True) -> Iterator[FakeSlack]:
    cls = _tests_fake() if prefer_tests else None
    if cls is not None:
        server = cls().start()
        try:
            yield _Tests(server)
        finally:
            server.stop()
        return
    mini = MiniFakeSlack().start()
    try:
        yield _Mini(mini)
    finally:
        mini.stop()
