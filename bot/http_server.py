"""HTTP mode: a WSGI application served by waitress.

``POST /slack/events`` goes to Bolt's WSGI adapter, but only after this layer has checked the
request signature itself. Bolt verifies again; the early check is there because Bolt 1.30 parses
the body before it verifies, and turns a malformed ``X-Slack-Request-Timestamp`` (``abc``) or an
unsigned non-JSON ``{`` body into a 500. Here every request that is not provably from Slack gets
a plain 401 and touches neither Bolt nor the database.
"""

from __future__ import annotations

import io
import json
import logging
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier
from waitress.adjustments import Adjustments
from waitress.server import TcpWSGIServer

from bot.runtime import Runtime
from bot.settings import SettingsError
from bot.slack_app import build_app, stop_signals
from schedules.senders import SlackSender

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger("lhl.http")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Slack's payloads are a few kilobytes; a large body is not from Slack.
MAX_BODY_BYTES = 1 << 20
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
        inner = dict(environ)
        inner["wsgi.input"] = io.BytesIO(raw)
        inner["CONTENT_LENGTH"] = str(len(raw))
        try:
            return self.bolt(inner, start_response)
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
    """The WSGI application for ``runtime`` (``app`` defaults to :func:`build_app`)."""
    secret = runtime.settings.slack_signing_secret
    return SlackWsgiApp(
        runtime,
        app if app is not None else build_app(runtime),
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


@dataclass(frozen=True)
class ServerOptions:
    """Waitress tuning. ``threads`` bounds concurrent commands; queued requests wait for a
    thread, which is fine because a command takes milliseconds, not seconds."""

    threads: int = 16
    connection_limit: int = 200
    channel_timeout: int = 30
    cleanup_interval: int = 10


class HttpServer:
    """A waitress server that can run in a background thread and stop cleanly.

    ``port=0`` binds an ephemeral port (for tests); :attr:`url` tells which one.
    """

    def __init__(self, application: WSGIApplication, host: str, port: int,
                 options: ServerOptions | None = None) -> None:
        opts = options or ServerOptions()
        adj = Adjustments(
            host=host,
            port=port,
            threads=opts.threads,
            connection_limit=opts.connection_limit,
            channel_timeout=opts.channel_timeout,
            cleanup_interval=opts.cleanup_interval,
            max_request_body_size=MAX_BODY_BYTES,
            ident="",
            expose_tracebacks=False,
        )
        self._map: dict[int, Any] = {}
        # Any: types-waitress leaves out ``trigger``, ``effective_port`` and friends.
        self._server: Any = TcpWSGIServer(application, map=self._map, adj=adj)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._server.effective_host)

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def serve_forever(self) -> None:
        """Serve until :meth:`stop` is called (from another thread)."""
        try:
            self._server.run()
        finally:
            self._server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)

    def start(self) -> HttpServer:
        """Serve in a background thread; returns self once the socket is listening."""
        self._thread = threading.Thread(target=self.serve_forever, name="lhl-http", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop accepting, let requests already being handled finish, then close everything."""
        if self._thread is None:
            if self._map:
                self._server.close()
                self._server.task_dispatcher.shutdown(cancel_pending=True, timeout=timeout)
                self._map.clear()
            return
        finished = threading.Event()

        def close_listener() -> None:
            self._server.accepting = False
            self._server.del_channel()
            self._server.socket.close()

        def close_channels() -> None:
            for dispatcher in list(self._map.values()):
                dispatcher.handle_close()
            finished.set()

        trigger = self._server.trigger
        trigger.pull_trigger(close_listener)
        self._wait_idle(timeout)
        trigger.pull_trigger(close_channels)
        finished.wait(timeout)
        self._thread.join(timeout)
        self._thread = None

    def _wait_idle(self, timeout: float) -> None:
        tasks = self._server.task_dispatcher
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with tasks.lock:
                if not tasks.queue and tasks.active_count == 0:
                    return
            time.sleep(0.02)
        log.warning("stopping with requests still running")


def make_server(runtime: Runtime, host: str = "127.0.0.1", port: int = 0, *,
                app: App | None = None, threads: int | None = None) -> HttpServer:
    """An :class:`HttpServer` for ``runtime``, not yet started (call ``.start()``)."""
    return HttpServer(
        make_wsgi_app(runtime, app=app),
        host,
        port,
        ServerOptions(threads=threads or runtime.settings.lhl_http_threads),
    )


def serve_http(runtime: Runtime, host: str, port: int) -> None:
    """Serve HTTP mode on ``host:port`` and deliver reminders until SIGINT or SIGTERM, then
    stop cleanly."""
    app = build_app(runtime)
    server = make_server(runtime, host, port, app=app)
    with stop_signals() as stop:
        server.start()
        log.info("lhl http listening on %s%s (%d threads)", server.url, EVENTS_PATH,
                 runtime.settings.lhl_http_threads)
        try:
            runtime.start_reminders(SlackSender(app.client))
            stop.wait()
        finally:
            log.info("lhl http stopping")
            runtime.stop_reminders()
            server.stop()
