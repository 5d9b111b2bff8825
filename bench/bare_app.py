"""The baseline: a Bolt app on the bot's server stack whose ``/lhl`` only acknowledges.

Same stack as ``bot/http_server.py``: Granian built by the same function with the same workers
and threads, Bolt's WSGI adapter on ``POST /slack/events``, ``GET /healthz``,
``process_before_response=True`` and Bolt's signing-secret verification. (The bot also checks
the signature once before Bolt does; that costs microseconds and is part of what the comparison
measures.) It reads the same environment as the bot: ``SLACK_BOT_TOKEN``,
``SLACK_SIGNING_SECRET``, ``LHL_SLACK_API_URL`` (Bolt calls ``auth.test`` there at start),
``LHL_HTTP_WORKERS`` and ``LHL_HTTP_THREADS``.

Run: ``python -m bench.bare_app --host 127.0.0.1 --port 8099``.
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.granian_server import granian_server, run_granian

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
DEFAULT_THREADS = 4
DEFAULT_WORKERS = 1

StartResponse = Callable[..., Any]


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


def make_wsgi(app: App) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    handler = SlackRequestHandler(app, path=EVENTS_PATH)

    def wsgi(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") == "GET":
            body = b"ok\n"
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        return handler(environ, start_response)

    return wsgi


def _from_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


def bare_application() -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """Built in each worker process, from the environment."""
    logging.basicConfig(level=logging.WARNING)
    app = build_bare_app(os.environ["SLACK_BOT_TOKEN"], os.environ["SLACK_SIGNING_SECRET"],
                         os.environ.get("LHL_SLACK_API_URL") or None)
    return make_wsgi(app)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bare_app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    server = granian_server(args.host, args.port,
                            workers=_from_env("LHL_HTTP_WORKERS", DEFAULT_WORKERS),
                            threads=_from_env("LHL_HTTP_THREADS", DEFAULT_THREADS),
                            log_level="warning")
    run_granian(server, bare_application)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
