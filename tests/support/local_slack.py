"""The bot's HTTP application in this process, as Slack meets it: signed requests straight into
``bot.http_server.SlackFront`` (Bolt and every listener, as ``lhl http`` runs them), on a runtime
whose clock stands at ``NOW``, talking to the fake Web API. What the bot does after an
acknowledgement (lazy listeners, uploads, the Home tab) runs in this process's threads, so a
test can reach inside: register a command, read the log with ``caplog``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bot.http_server import EVENTS_PATH, JSON, SlackFront, make_asgi_app
from bot.runtime import Runtime
from tests.support.fake_slack import FakeSlack
from tests.support.http_bot import HttpResponse, call_asgi
from tests.support.runtime import ADMIN, BOT_TOKEN, SIGNING_SECRET, runtime_on
from tests.support.slack_requests import (
    CHANNEL,
    interactive_body,
    sign_request,
    slash_command_body,
)


@dataclass
class LocalSlack:
    runtime: Runtime
    front: SlackFront
    fake: FakeSlack

    def post(self, body: str, *, content_type: str = "application/x-www-form-urlencoded"
             ) -> HttpResponse:
        """``body`` to ``/slack/events``, signed now as Slack signs it."""
        return call_asgi(self.front, "POST", EVENTS_PATH, body,
                         sign_request(body, SIGNING_SECRET), content_type=content_type)

    def command(self, text: str, user: str = ADMIN, channel: str = CHANNEL, **fields: str
                ) -> HttpResponse:
        """``/lhl text`` typed by ``user`` in ``channel``."""
        return self.post(slash_command_body(text, user_id=user, channel_id=channel, **fields))

    def interact(self, payload: dict[str, Any]) -> HttpResponse:
        """A button, a submission, a shortcut (``payload=<json>``)."""
        return self.post(interactive_body(payload))

    def event(self, body: str) -> HttpResponse:
        """An Events API delivery (JSON)."""
        return self.post(body, content_type=JSON)

    def settle(self) -> None:
        """Wait until the work after the acknowledgements is done (no more can start)."""
        self.runtime.background.shutdown()


@contextmanager
def local_slack(fake: FakeSlack, database_url: str, **settings: Any) -> Iterator[LocalSlack]:
    """:class:`LocalSlack` on a fresh store at ``database_url``."""
    with runtime_on(database_url, slack_bot_token=BOT_TOKEN,
                    slack_signing_secret=SIGNING_SECRET, lhl_slack_api_url=fake.url,
                    lhl_http_threads=2, **settings) as rt:
        front = make_asgi_app(rt)
        try:
            yield LocalSlack(rt, front, fake)
        finally:
            front.close()
            rt.background.shutdown()
