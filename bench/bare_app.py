"""The baseline: a Bolt app on the bot's server stack whose ``/lhl`` only acknowledges.

Same stack as ``bot/http_server.py``: Granian built by the same function with the same workers,
the same asynchronous front (``bot.granian_server.PooledFront``: the body read on the event loop
with the same deadline and cap, then Bolt in a pool of as many threads) on
``POST /slack/events``, ``GET /healthz``, ``process_before_response=True`` and Bolt's
signing-secret verification on the raw body, as Bolt's own adapters hand it over. (The bot
checks the signature before Bolt and hands it the parsed body; that is part of what the
comparison measures.) It reads the same environment as the bot: ``SLACK_BOT_TOKEN``,
``SLACK_SIGNING_SECRET``, ``LHL_SLACK_API_URL`` (Bolt calls ``auth.test`` there at start),
``LHL_HTTP_WORKERS`` and ``LHL_HTTP_THREADS``.

Run: ``python -m bench.bare_app --host 127.0.0.1 --port 8099``.
"""

from __future__ import annotations

import argparse
import logging
import os

from slack_bolt import Ack, App, BoltRequest
from slack_sdk import WebClient

from bot.granian_server import (
    Answer,
    PooledFront,
    Receive,
    Request,
    granian_server,
    run_granian,
    text_answer,
)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
DEFAULT_THREADS = 4
DEFAULT_WORKERS = 1


def build_bare_app(token: str, signing_secret: str, api_url: str | None) -> App:
    """As ``bot.slack_app.build_app`` builds it, minus the runtime: a client on the (fake) Web
    API, ``auth.test`` at start, Bolt's own request verification."""
    client = WebClient(token=token, base_url=api_url or WebClient.BASE_URL,
                       logger=logging.getLogger("bare.web"))
    app = App(
        name="lhl-bare",
        client=client,
        signing_secret=signing_secret,
        request_verification_enabled=True,
        process_before_response=True,
        token_verification_enabled=True,
        logger=logging.getLogger("bare.bolt"),
    )

    @app.command("/lhl")
    def _lhl(ack: Ack) -> None:
        ack()

    return app


class BareFront(PooledFront):
    def __init__(self, app: App, *, threads: int) -> None:
        super().__init__(threads=threads)
        self.app = app

    async def answer(self, request: Request, receive: Receive) -> Answer:
        if request.path == HEALTH_PATH and request.method == "GET":
            return text_answer(200, "ok\n")
        if request.path == EVENTS_PATH and request.method == "POST":
            return await self.in_pool(self._dispatch, await self.body(request, receive))
        return text_answer(404, "Not Found")

    def _dispatch(self, request: Request) -> Answer:
        response = self.app.dispatch(BoltRequest(
            body=request.body.decode("utf-8"), query=request.query,
            headers=dict(request.headers)))
        return Answer(response.status, response.body.encode("utf-8"),
                      [(k, v) for k, vs in response.headers.items() for v in vs
                       if k.lower() != "content-length"])


def _from_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


def bare_application() -> BareFront:
    """Built in each worker process, from the environment."""
    logging.basicConfig(level=logging.WARNING)
    app = build_bare_app(os.environ["SLACK_BOT_TOKEN"], os.environ["SLACK_SIGNING_SECRET"],
                         os.environ.get("LHL_SLACK_API_URL") or None)
    return BareFront(app, threads=_from_env("LHL_HTTP_THREADS", DEFAULT_THREADS))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bare_app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    server = granian_server(args.host, args.port,
                            workers=_from_env("LHL_HTTP_WORKERS", DEFAULT_WORKERS),
                            log_level="warning")
    run_granian(server, bare_application)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
