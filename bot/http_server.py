"""HTTP mode: Granian serves :class:`SlackFront`, which checks and parses every request before
Bolt sees it.

The main process migrates the store, checks the bot token, owns the listening socket and runs
the reminder scheduler; the workers (``LHL_HTTP_WORKERS``, ``LHL_HTTP_THREADS`` command threads
each) are started with ``spawn`` and each opens its own runtime on the same store.

A request to ``POST /slack/events`` goes through these steps, the first three on the event loop
(see ``bot.granian_server``), so nothing that is not provably from Slack takes a command thread:

1. The body is read with a deadline and a size cap (408, 413).
2. Slack's unsigned ``ssl_check=1`` (fields ``ssl_check`` and ``token`` only) is answered 200.
3. The signature is checked with slack_sdk's ``SignatureVerifier``, the check Bolt's own
   middleware makes, which is therefore switched off rather than repeated. Every request that
   is not signed by Slack within five minutes gets a plain 401 and touches neither Bolt nor the
   database. (Bolt 1.30 parses the body before it verifies, and turned a malformed
   ``X-Slack-Request-Timestamp`` or an unsigned ``{`` body into a 500.)
4. The body is parsed by what its Content-Type says it is (:func:`slack_body`); a signed body
   that is not what it says gets 400. Bolt is handed the parsed dict, not the raw text: Bolt
   1.30 takes any form body containing the word ``payload`` for an interactivity payload, so
   ``/lhl logg-møte … notat: ny payload-løsning`` was lost with a 404.
5. Bolt's ``dispatch`` runs in one of the command threads, and its response is the answer.
   (An event Slack retries is claimed once by ``bot.slack_app``'s middleware, for Socket Mode
   as much as for HTTP.)
"""

from __future__ import annotations

import asyncio
import atexit
import gc
import json
import logging
import os
import re
import signal
import threading
import time
from typing import Any
from urllib.parse import parse_qs, parse_qsl

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk.signature import SignatureVerifier

from bot.granian_server import (
    Answer,
    BodyRefused,
    PooledFront,
    Receive,
    Request,
    Threads,
    free_port,
    granian_server,
    json_answer,
    reason,
    run_granian,
    text_answer,
)
from bot.logs import setup_logging
from bot.runtime import Runtime, start_runtime
from bot.senders import SlackSender
from bot.settings import NEEDS_SIGNING_SECRET, Settings, SettingsError, load_settings
from bot.slack_app import build_app

log = logging.getLogger("lhl.http")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
PARENT_CHECK_S = 0.5
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SSL_CHECK_FIELDS = frozenset({"ssl_check", "token"})
_PASSED_HEADERS = frozenset({"content-type", "x-slack-request-timestamp", "x-slack-signature",
                             "x-slack-retry-num", "x-slack-retry-reason"})


class BadBody(ValueError):
    """A signed body that is not what its Content-Type says (answered 400)."""


def slack_body(content_type: str, text: str) -> dict[str, Any]:
    """What Slack sent, parsed by its Content-Type, never by guessing from the text.

    A form with ``command`` is a slash command (its fields); a form with ``payload`` is an
    interactivity payload (the JSON in it, which must be an object); any other form is its
    fields. JSON must be an object (the Events API). Anything else is :class:`BadBody`.
    """
    if content_type == JSON:
        return _json_object(text, "the JSON body")
    if content_type != FORM:
        raise BadBody(f"unsupported content type {content_type or '(none)'}")
    if text.lstrip().startswith(("{", "[")):
        raise BadBody("JSON sent as a form")
    try:
        fields = dict(parse_qsl(text, keep_blank_values=True, strict_parsing=True,
                                errors="strict"))
    except ValueError:
        raise BadBody("not a form") from None
    if "command" in fields:
        return fields
    if "payload" in fields:
        return _json_object(fields["payload"], "payload")
    return fields


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        raise BadBody(f"{what} is not JSON") from None
    if not isinstance(data, dict):
        raise BadBody(f"{what} is not a JSON object")
    return data


def is_ssl_check(fields: dict[str, list[str]]) -> bool:
    """Slack's certificate check: ``ssl_check=1`` and at most the (deprecated) verification
    token, nothing else. Slack does not sign it, so it may carry nothing to act on."""
    return (fields.get("ssl_check") == ["1"] and set(fields) <= _SSL_CHECK_FIELDS
            and all(len(v) == 1 for v in fields.values()))


class SlackFront(PooledFront):
    """``POST /slack/events`` (signed requests only, see the module) and ``GET /healthz``."""

    def __init__(self, runtime: Runtime, app: App, *, signing_secret: str,
                 threads: int) -> None:
        if not signing_secret:
            raise SettingsError(NEEDS_SIGNING_SECRET)
        super().__init__(threads=threads)
        self.runtime = runtime
        self.app = app
        self.verifier = SignatureVerifier(signing_secret)
        # The health check asks the database, which may hang until its connect timeout: on its
        # own thread, so that it holds neither the event loop nor a command thread.
        self.health = Threads(1, "lhl-health")
        self._health_ping: asyncio.Future[bool] | None = None

    async def answer(self, request: Request, receive: Receive) -> Answer:
        if request.path == EVENTS_PATH:
            if request.method == "POST":
                return await self._slack(await self.body(request, receive))
            # Slack's certificate check was once documented as a GET.
            if request.method == "GET" and is_ssl_check(parse_qs(request.query)):
                return text_answer(200, "")
            return text_answer(405, reason(405), ("allow", "POST"))
        if request.path == HEALTH_PATH and request.method in ("GET", "HEAD"):
            if await self._healthy():
                return text_answer(200, "ok")
            return text_answer(503, "database unavailable")
        return text_answer(404, reason(404))

    async def _healthy(self) -> bool:
        """Whether the database answers. Probes are unauthenticated, so however many arrive
        at once, one ping is in flight and its answer serves them all: during an outage they
        cannot pile up behind a hanging ping."""
        if self._health_ping is None or self._health_ping.done():
            self._health_ping = asyncio.ensure_future(self._ping())
        return await asyncio.shield(self._health_ping)

    async def _ping(self) -> bool:
        ok = bool(await self.health.run(self.runtime.db.ping))
        if not ok:
            log.warning("health check failed: the database does not answer")
        return ok

    def refused(self, request: Request, exc: BodyRefused) -> None:
        log.info("refused request to %s: %s (from %s)", request.path, exc.reason,
                 request.client)

    async def _slack(self, request: Request) -> Answer:
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if (text is not None and request.content_type == FORM and "ssl_check=" in text
                and is_ssl_check(parse_qs(text, keep_blank_values=True))):
            log.debug("ssl_check answered (from %s)", request.client)
            return text_answer(200, "")
        # slack_sdk's verifier reads the body as UTF-8 (as Slack sends it): one that is not
        # cannot be shown to come from Slack, so it is refused like an unsigned one.
        why = "body is not UTF-8" if text is None else self._reject_reason(request, text)
        if why is not None or text is None:
            log.info("rejected request to %s: %s (from %s)", EVENTS_PATH, why, request.client)
            return json_answer(401, {"error": "invalid request"})
        try:
            body = slack_body(request.content_type, text)
        except BadBody as exc:
            log.info("refused a signed request to %s: %s", EVENTS_PATH, exc)
            return json_answer(400, {"error": "bad request"})
        return await self.in_pool(self._dispatch, request, body)

    def _reject_reason(self, request: Request, body: str) -> str | None:
        timestamp = request.headers.get("x-slack-request-timestamp")
        signature = request.headers.get("x-slack-signature")
        if not timestamp or not signature:
            return "unsigned"
        if not _TIMESTAMP.fullmatch(timestamp):
            return "malformed timestamp"
        if abs(self.verifier.clock.now() - int(timestamp)) > 5 * 60:
            return "stale timestamp"
        if not self.verifier.is_valid(body, timestamp, signature):
            return "bad signature"
        return None

    def _dispatch(self, request: Request, body: dict[str, Any]) -> Answer:
        """In a command thread: let Bolt route the parsed body."""
        try:
            # ``socket_mode`` is Bolt's name for "the body is already parsed": it keeps the dict
            # as it is (also when a lazy listener copies the request). Bolt's signature check,
            # the only other thing the mode changes, is off: it was made above. Only the
            # headers Slack's signature vouches for the request with reach Bolt: it reads
            # others (``x-slack-bolt-lazy-only``) to change what it runs.
            response = self.app.dispatch(BoltRequest(
                body=body, query=request.query, mode="socket_mode",
                headers={k: v for k, v in request.headers.items() if k in _PASSED_HEADERS}))
        except Exception:
            log.exception("failed on a signed request")
            return text_answer(500, reason(500))
        return _answer_of(response)

    def close(self) -> None:
        super().close()
        self.health.close()


def _answer_of(response: BoltResponse) -> Answer:
    headers = [(name, value) for name, values in response.headers.items() for value in values
               if name.lower() != "content-length"]
    body = response.body
    return Answer(response.status, body.encode("utf-8") if isinstance(body, str) else body,
                  headers)


def make_asgi_app(runtime: Runtime, *, app: App | None = None) -> SlackFront:
    """The application for ``runtime`` (``app`` defaults to :func:`build_app`, without Bolt's
    second signature check: this application checks every request first)."""
    secret = runtime.settings.slack_signing_secret
    return SlackFront(
        runtime,
        app if app is not None else build_app(runtime, verified_upstream=True),
        signing_secret=secret.get_secret_value() if secret else "",
        threads=runtime.settings.lhl_http_threads,
    )


def _exit_with_parent() -> None:
    """Stop this worker when the main process is gone (killed, out of memory): Granian does
    not tie a worker's life to its main process, and a worker left behind would go on
    answering on the shared port with no one to stop it or to send reminders."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        log.warning("main process %d is gone; worker %d stops", parent, os.getpid())
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="lhl-parent-watch", daemon=True).start()


def worker_application() -> SlackFront:
    """Build the application in a worker process: settings and store as the main process has
    them (it has already migrated the store and checked the token)."""
    settings = load_settings()
    setup_logging(settings, "http")
    _exit_with_parent()
    runtime = start_runtime(settings, migrate=False)
    atexit.register(runtime.db.dispose)
    application = make_asgi_app(runtime)
    # What was built at start (geography, the date parser's tables, Bolt) lives as long as the
    # worker: frozen, the collector no longer walks it. Unfrozen, a full collection under load
    # took tens of milliseconds (status p99 at 50 concurrent 155 ms → 60 ms, the bare app 55).
    gc.collect()
    gc.freeze()
    log.info("worker %d ready", os.getpid())
    return application


def serve_http(runtime: Runtime, host: str, port: int) -> None:
    """Serve HTTP mode on ``host:port`` and deliver reminders until SIGINT or SIGTERM, then
    stop cleanly."""
    settings: Settings = runtime.settings
    # Checks the token (auth.test) before any worker starts; its client sends the reminders.
    app = build_app(runtime)
    port = port or free_port(host)
    server = granian_server(host, port, workers=settings.lhl_http_workers,
                            log_level=settings.lhl_log_level)
    shown = f"[{host}]" if ":" in host else host

    @server.on_startup
    def started() -> None:
        log.info("lhl http listening on http://%s:%d%s (workers: %d, threads each: %d)", shown,
                 port, EVENTS_PATH, settings.lhl_http_workers, settings.lhl_http_threads)
        runtime.start_reminders(SlackSender(app.client))

    @server.on_shutdown
    def stopped() -> None:
        log.info("lhl http stopping")
        runtime.stop_reminders()

    run_granian(server, worker_application)
