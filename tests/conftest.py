"""Shared fixtures. Grouped by what they stand in for; add new groups below the last one.

Slack end to end:
    ``fake_slack``        a running :class:`FakeSlack` (Web API) per test
    ``sign``              ``sign(body, secret, timestamp=None) -> headers``
    ``slash_command``     ``slash_command(text, *, user_id=..., channel_id=..., **fields) -> body``
    ``database_url``      a fresh SQLite file under ``tmp_path``
    ``make_settings``     ``make_settings(**overrides) -> Settings`` aimed at the fake and the file
    ``http_bot``          ``lhl http`` running on an ephemeral port (:class:`HttpBot`)
    ``call_asgi``         (a function) one request straight into the ASGI application

Store (SQLite, and PostgreSQL when ``LHL_TEST_DATABASE_URL`` is set; emptied per test):
    ``store_url``         parametrised over both back ends
    ``runtime``           a :class:`Runtime` on ``store_url`` with the clock fixed at ``NOW``
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr
from sqlalchemy import create_engine, text

from bot.runtime import Runtime, start_runtime
from bot.settings import Settings
from storage.setup import prepare
from tests.fake_slack import FakeSlack, sign_request, slash_command_body

BOT_TOKEN = "xoxb-test-0000-lhl"
APP_TOKEN = "xapp-1-test-0000-lhl"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
ADMIN = "U0ADMIN"
HTTP_THREADS = 4
REPO = Path(__file__).resolve().parent.parent


# --- Slack end to end -------------------------------------------------------------------------


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A fake Web API; every message the bot sends it must keep Slack's rules."""
    with FakeSlack() as fake:
        yield fake
    assert fake.broken == [], "messages Slack would reject or that ping/link by user text"


@pytest.fixture
def sign() -> Callable[..., dict[str, str]]:
    """``sign(body, secret, timestamp=None)``: the signature headers Slack would send."""
    return sign_request


@pytest.fixture
def slash_command() -> Callable[..., str]:
    """``slash_command(text, *, user_id=..., channel_id=..., **fields)``: a form-encoded body."""
    return slash_command_body


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'lhl.db'}"


@pytest.fixture
def make_settings(fake_slack: FakeSlack, database_url: str) -> Callable[..., Settings]:
    """``make_settings(**overrides)``: Settings for a bot talking to ``fake_slack``, storing in
    ``database_url``, with ``ADMIN`` as administrator; never reads ``.env``."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "slack_bot_token": BOT_TOKEN,
            "slack_signing_secret": SIGNING_SECRET,
            "slack_app_token": APP_TOKEN,
            "lhl_slack_api_url": fake_slack.url,
            "lhl_admins": ADMIN,
            "lhl_database_url": database_url,
            "lhl_http_threads": HTTP_THREADS,
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    return make


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

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def log(self) -> str:
        """What the server has written to stderr so far."""
        return "".join(self.lines)

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

    def post_command(self, text: str, user_id: str = ADMIN, channel_id: str = "C0LHL", *,
                     timestamp: int | str | None = None) -> HttpResponse:
        """``/lhl text`` as ``user_id``, signed as Slack signs it."""
        body = slash_command_body(text, user_id=user_id, channel_id=channel_id)
        return self.post_events(body, sign_request(body, self.secret, timestamp))

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM, as a process manager stops the bot; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


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


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that makes ``lhl`` read ``settings`` (nothing of the caller's Slack or
    lhl settings leaks in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LHL_"))}
    env["PYTHONPATH"] = str(REPO)
    for name, value in settings.model_dump().items():
        if value is None:
            continue
        env[name.upper()] = (value.get_secret_value() if isinstance(value, SecretStr)
                             else str(value))
    return env


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

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + timeout
    bot: HttpBot | None = None
    try:
        if not listening.wait(timeout):
            raise AssertionError("lhl http did not start:\n" + "".join(lines))
        bot = HttpBot(runtime, proc, found[0], int(found[1]), fake_slack, lines)
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


@pytest.fixture
def http_bot(make_settings: Callable[..., Settings], fake_slack: FakeSlack, tmp_path: Path,
             ) -> Iterator[HttpBot]:
    """``/lhl`` over HTTP: ``lhl http`` on an ephemeral port, on a fresh SQLite file."""
    bot = start_http_bot(make_settings(), fake_slack, tmp_path)
    try:
        yield bot
    finally:
        bot.stop()
        bot.runtime.db.dispose()


# --- Store ------------------------------------------------------------------------------------

OSLO = ZoneInfo("Europe/Oslo")
# A Tuesday, the day this suite was written.
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=OSLO)


def reset_postgres(url: str) -> None:
    """Empty the test database so that each test starts from the migrations."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def url_for_store(kind: str, tmp_path: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'lhl.db'}"
    url = os.environ.get("LHL_TEST_DATABASE_URL")
    if not url:
        pytest.skip("LHL_TEST_DATABASE_URL is not set")
    reset_postgres(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return url_for_store(request.param, tmp_path)


@pytest.fixture
def runtime(store_url: str) -> Iterator[Runtime]:
    """The bot's runtime on a fresh store, with the clock fixed at NOW."""
    settings = Settings(_env_file=None, lhl_database_url=store_url,  # type: ignore[call-arg]
                        lhl_admins=ADMIN)
    db, geo = prepare(store_url)
    yield Runtime(settings=settings, db=db, geo=geo, clock=lambda: NOW)
    db.dispose()
