"""HTTP mode: a WSGI application served by Granian.

Granian (a Rust HTTP server) parses HTTP and holds the keep-alive connections outside Python,
and calls the WSGI application from a small pool of threads in each worker process. The pool is
small on purpose: commands are CPU-bound Python, so more threads only add hand-offs of the GIL
(measured at 50 concurrent requests: `status` p50 7.8 ms on 2 threads, 9.3 ms on 4). Two, not
one, so that a command waiting on Slack does not hold up every other.
Waitress, used before, walked every open connection in Python on each event; with 50 Slack
requests in flight that loop took more CPU than the commands themselves.

The main process migrates the store, checks the bot token, owns the listening socket and runs
the reminder scheduler; the workers (``LHL_HTTP_WORKERS``, ``LHL_HTTP_THREADS`` threads each)
are started with ``spawn`` and each opens its own runtime on the same store.

``POST /slack/events`` goes to Bolt's WSGI adapter, but only after this layer has checked the
request signature with slack_sdk's ``SignatureVerifier`` (the check Bolt's own middleware makes,
which is therefore switched off rather than repeated). It is done here, before Bolt, because
Bolt 1.30 parses the body before it verifies, and turns a malformed
``X-Slack-Request-Timestamp`` (``abc``) or an unsigned non-JSON ``{`` body into a 500. Here
every request that is not provably from Slack gets a plain 401 and touches neither Bolt nor the
database.
"""

from __future__ import annotations

import atexit
import io
import json
import logging
import os
import re
import signal
import threading
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier

from bot.granian_server import free_port, granian_server, run_granian
from bot.logs import setup_logging
from bot.runtime import Runtime, start_runtime
from bot.settings import Settings, SettingsError, load_settings
from bot.slack_app import build_app
from schedules.senders import SlackSender

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger("lhl.http")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Slack's payloads are a few kilobytes; a large body is not from Slack.
MAX_BODY_BYTES = 1 << 20
PARENT_CHECK_S = 0.5
_TIMESTAMP = re.compile(r"[0-9]{1,12}")

Headers = list[tuple[str, str]]


class SlackWsgiApp:
    """Routes ``/slack/events`` (signed requests only) to Bolt and answers ``/healthz``."""

    def __init__(self, runtime: Runtime, app: App, *, signing_secret: str) -> None:
        if not signing_secret:
            raise SettingsError(
                "HTTP-modus trenger SLACK_SIGNING_SECRET for å kunne sjekke at forespørsler "
                "kommer fra Slack."
            )
        self.runtime = runtime
        self.bolt = SlackRequestHandler(app, path=EVENTS_PATH)
        self.verifier = SignatureVerifier(signing_secret)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == EVENTS_PATH:
            if method != "POST":
                return _respond(start_response, 405, "Method Not Allowed", [("Allow", "POST")])
            return self._slack(environ, start_response)
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            if self.runtime.db.ping():
                return _respond(start_response, 200, "ok")
            log.warning("health check failed: the database does not answer")
            return _respond(start_response, 503, "database unavailable")
        return _respond(start_response, 404, "Not Found")

    def _slack(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _respond(start_response, 400, "Bad Request")
        if length > MAX_BODY_BYTES:
            return _respond(start_response, 413, "Payload Too Large")
        raw = environ["wsgi.input"].read(length) if length > 0 else b""
        reason = self._reject_reason(environ, raw)
        if reason:
            log.info("rejected request to %s: %s (from %s)",
                     EVENTS_PATH, reason, environ.get("REMOTE_ADDR", "?"))
            return _respond_json(start_response, 401, {"error": "invalid request"})
        # Bolt reads the body again from wsgi.input.
        environ["wsgi.input"] = io.BytesIO(raw)
        environ["CONTENT_LENGTH"] = str(len(raw))
        try:
            return self.bolt(environ, start_response)
        except Exception:
            log.exception("Bolt failed on a signed request")
            return _respond(start_response, 500, "Internal Server Error")

    def _reject_reason(self, environ: WSGIEnvironment, raw: bytes) -> str | None:
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE")
        if not timestamp or not signature:
            return "unsigned"
        if not _TIMESTAMP.fullmatch(timestamp):
            return "malformed timestamp"
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return "body is not UTF-8"
        if abs(self.verifier.clock.now() - int(timestamp)) > 5 * 60:
            return "stale timestamp"
        if not self.verifier.is_valid(body, timestamp, signature):
            return "bad signature"
        return None


def make_wsgi_app(runtime: Runtime, *, app: App | None = None) -> SlackWsgiApp:
    """The WSGI application for ``runtime`` (``app`` defaults to :func:`build_app`, without
    Bolt's second signature check: this application checks every request first)."""
    secret = runtime.settings.slack_signing_secret
    return SlackWsgiApp(
        runtime,
        app if app is not None else build_app(runtime, verified_upstream=True),
        signing_secret=secret.get_secret_value() if secret else "",
    )


def _respond(
    start_response: StartResponse, status: int, text: str, extra: Headers | None = None
) -> Iterable[bytes]:
    body = text.encode("utf-8")
    start_response(
        f"{status} {_REASONS.get(status, '')}".strip(),
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body))),
         *(extra or [])],
    )
    return [body]


def _respond_json(start_response: StartResponse, status: int, data: Any) -> Iterable[bytes]:
    body = json.dumps(data).encode("utf-8")
    start_response(
        f"{status} {_REASONS[status]}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]


_REASONS = {
    200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found",
    405: "Method Not Allowed", 413: "Payload Too Large", 500: "Internal Server Error",
    503: "Service Unavailable",
}



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


def worker_application() -> WSGIApplication:
    """Build the application in a worker process: settings and store as the main process has
    them (it has already migrated the store and checked the token)."""
    settings = load_settings()
    setup_logging(settings, "http")
    _exit_with_parent()
    runtime = start_runtime(settings, migrate=False)
    atexit.register(runtime.db.dispose)
    application = make_wsgi_app(runtime)
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
                            threads=settings.lhl_http_threads, log_level=settings.lhl_log_level)
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
