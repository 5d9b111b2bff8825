"""``lhl http`` as Slack meets it: the production server in a subprocess on an ephemeral port,
or one request straight into its ASGI application; and what a reply must look like."""

from __future__ import annotations

import asyncio
import http.client
import json
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.runtime import Runtime, start_runtime
from bot.settings import Settings
from tests.support.fake_slack import FakeSlack
from tests.support.processes import settings_env
from tests.support.runtime import ADMIN, BOT_TOKEN, SIGNING_SECRET
from tests.support.slack_requests import CHANNEL, sign_request, slash_command_body


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class HttpBot:
    """``lhl http`` (Granian, the production server) in a subprocess on an ephemeral port;
    requests go over a real socket. ``runtime`` is the test's own view of the same store, as a
    second process (the console, another bot) would have it."""

    runtime: Runtime
    proc: subprocess.Popen[str]
    host: str
    port: int
    fake_slack: FakeSlack
    lines: list[str] = field(default_factory=list)
    secret: str = SIGNING_SECRET
    reader: threading.Thread | None = None
    """The thread that reads the server's stderr into ``lines``."""

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def log(self) -> str:
        """What the server has written to stderr so far."""
        return "".join(self.lines)

    def wait_for_log(self, text: str, timeout: float = 5) -> None:
        """Block until the server has written ``text`` to stderr; raise AssertionError with the
        log otherwise."""
        deadline = time.monotonic() + timeout
        while text not in self.log:
            if time.monotonic() > deadline:
                raise AssertionError(f"no {text!r} in the log after {timeout:g} s:\n{self.log}")
            time.sleep(0.01)

    def request(self, method: str, path: str, body: str | bytes = b"",
                headers: dict[str, str] | None = None) -> HttpResponse:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return HttpResponse(resp.status, dict(resp.getheaders()), resp.read())
        finally:
            conn.close()

    def post_events(self, body: str, headers: dict[str, str]) -> HttpResponse:
        """POST ``body`` to ``/slack/events`` with exactly ``headers`` (plus the content type)."""
        return self.request("POST", "/slack/events", body, {
            "Content-Type": "application/x-www-form-urlencoded", **headers})

    def post_signed(self, body: str) -> HttpResponse:
        """POST ``body`` to ``/slack/events``, signed now as Slack signs it."""
        return self.post_events(body, sign_request(body, self.secret))

    def post_command(self, text: str, user_id: str = ADMIN, channel_id: str = CHANNEL, *,
                     timestamp: int | str | None = None) -> HttpResponse:
        """``/lhl text`` as ``user_id``, signed as Slack signs it."""
        body = slash_command_body(text, user_id=user_id, channel_id=channel_id)
        return self.post_events(body, sign_request(body, self.secret, timestamp))

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM, as a process manager stops the bot; returns the exit code once all it
        wrote is in :attr:`log`."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        if self.reader is not None:
            self.reader.join(5)
        return code

    def stop_cleanly(self) -> None:
        """:meth:`stop`, and the bot exited 0 without a traceback or its token in the log."""
        assert self.stop() == 0, self.log
        assert "Traceback" not in self.log, self.log
        assert BOT_TOKEN not in self.log


def start_http_bot(settings: Settings, fake_slack: FakeSlack, workdir: Path,
                   timeout: float = 60) -> HttpBot:
    """Start ``lhl http --port 0`` on ``settings`` and wait until ``/healthz`` answers 200."""
    runtime = start_runtime(settings)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "http", "--host", "127.0.0.1", "--port", "0"],
        cwd=workdir, env=settings_env(settings), stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    listening = threading.Event()
    found: list[str] = []

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            match = re.search(r"listening on http://([^:/]+):(\d+)/", line)
            if match and not found:
                found.extend(match.groups())
                listening.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    bot: HttpBot | None = None
    try:
        if not listening.wait(timeout):
            raise AssertionError("lhl http did not start:\n" + "".join(lines))
        bot = HttpBot(runtime, proc, found[0], int(found[1]), fake_slack, lines, reader=reader)
        while True:
            try:
                if bot.request("GET", "/healthz").status == 200:
                    return bot
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("lhl http never became healthy:\n" + "".join(lines))
            time.sleep(0.05)
    except BaseException:
        proc.kill()
        proc.wait()
        runtime.db.dispose()
        raise


def call_asgi(app: Callable[..., Any], method: str, path: str, body: str | bytes = b"",
              headers: dict[str, str] | None = None, *,
              content_type: str = "application/x-www-form-urlencoded",
              query: str = "") -> HttpResponse:
    """One request straight into the ASGI application (``bot.http_server.SlackFront``), as
    Granian makes it: the whole body in one message."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    names = {"content-type": content_type, "content-length": str(len(raw)), **(headers or {})}
    scope = {"type": "http", "method": method, "path": path,
             "query_string": query.encode("latin-1"), "client": ("127.0.0.1", 50000),
             "headers": [(k.lower().encode("latin-1"), v.encode("latin-1"))
                         for k, v in names.items()]}
    pending = [{"type": "http.request", "body": raw, "more_body": False}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if pending:
            return pending.pop()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start, *rest = sent
    out = b"".join(m.get("body", b"") for m in rest)
    return HttpResponse(start["status"], {k.decode(): v.decode() for k, v in start["headers"]},
                        out)


def assert_reply(resp: HttpResponse, *expected: str) -> dict[str, Any]:
    """The response is a 200 with a reply whose text holds every one of ``expected`` and is
    no internal error; its JSON."""
    assert resp.status == 200, resp.text
    data: dict[str, Any] = resp.json
    for part in expected:
        assert part in data["text"], data["text"]
    assert "referansen" not in data["text"], data["text"]
    return data


def held_in_agder(bot: HttpBot) -> str:
    """``N`` of ``Gjennomført dialogmøte: N av 25`` in ``/lhl status Agder``."""
    text: str = assert_reply(bot.post_command("status Agder"))["text"]
    match = re.search(r"Gjennomført dialogmøte: (\d+) av 25", text)
    assert match, text
    return match.group(1)
