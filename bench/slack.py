"""The fake Slack Web API the servers talk to (Bolt calls ``auth.test`` at start).

Uses ``tests/fake_slack.py`` when it is there and fits, else
:class:`bench.fake_slack.MiniFakeSlack`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from bench.fake_slack import MiniFakeSlack


class FakeSlack(Protocol):
    @property
    def api_url(self) -> str: ...

    @property
    def response_base(self) -> str: ...

    @property
    def source(self) -> str: ...

    def calls(self) -> dict[str, int]: ...


@dataclass
class _Mini:
    server: MiniFakeSlack
    source: str = "bench.fake_slack"

    @property
    def api_url(self) -> str:
        return self.server.api_url

    @property
    def response_base(self) -> str:
        return self.server.base_url + "/response"

    def calls(self) -> dict[str, int]:
        return self.server.calls()


@contextmanager
def open_fake_slack() -> Iterator[FakeSlack]:
    server = MiniFakeSlack().start()
    try:
        yield _Mini(server)
    finally:
        server.stop()
