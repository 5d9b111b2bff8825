"""HTTP mode under Slack's own rules and under abuse: ssl_check, slow and incomplete bodies,
routing by what a request is, bad bodies, the same request delivered twice, retried events.

Most tests talk to ``lhl http`` in a subprocess (``http_bot``, ``start_http_bot``); the retried
event is sent straight into the ASGI application, with a listener the test registers.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt import Ack
from sqlalchemy import func, select

from bot.http_server import EVENTS_PATH, make_asgi_app
from bot.settings import Settings
from commands.dispatch import ALREADY_DONE
from storage.models import DialogueMeeting
from tests.support.fake_slack import FakeSlack
from tests.support.http_bot import (
    HttpBot,
    assert_reply,
    call_asgi,
    held_in_agder,
    start_http_bot,
)
from tests.support.runtime import ADMIN, SIGNING_SECRET, started
from tests.support.slack_requests import (
    block_actions_body,
    event_callback_body,
    sign_request,
    slash_command_body,
)

# Slack drops an acknowledgement that takes longer.
SLACK_BUDGET_S = 3.0


def meetings(bot: HttpBot) -> int:
    with bot.runtime.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(DialogueMeeting)) or 0)


# --- ssl_check --------------------------------------------------------------------------------


def test_slacks_unsigned_ssl_check_is_answered_200(http_bot: HttpBot) -> None:
    resp = http_bot.post_events("ssl_check=1&token=verification-token-not-used", {})
    assert resp.status == 200
    assert http_bot.request("GET", "/slack/events?ssl_check=1").status == 200


@pytest.mark.parametrize("body", [
    "ssl_check=1&token=t&command=%2Flhl&text=logg-m%C3%B8te+Kristiansand+i+g%C3%A5r"
    f"&user_id={ADMIN}",
    "ssl_check=1&token=t&payload=%7B%7D",
    "ssl_check=1&user_id=U1",
    "ssl_check=1&ssl_check=1",
    "ssl_check=0&token=t",
])
def test_anything_more_than_an_ssl_check_unsigned_is_401(http_bot: HttpBot, body: str) -> None:
    assert http_bot.post_events(body, {}).status == 401
    assert held_in_agder(http_bot) == "0"


# --- no unauthenticated stall -----------------------------------------------------------------


@dataclass
class Trickler:
    """A client that sends the headers of a POST to ``/slack/events`` and then its body a few
    bytes at a time, never finishing it on its own (stopped by :meth:`stop` or after
    ``max_s``)."""

    host: str
    port: int
    declared: int = 2_000
    every_s: float = 0.2
    max_s: float = 15.0
    status: int | None = None
    answered_at: float | None = None
    sent: int = 0
    started: threading.Event = field(default_factory=threading.Event)
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> Trickler:
        threading.Thread(target=self._run, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        head = (f"POST {EVENTS_PATH} HTTP/1.1\r\nHost: {self.host}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {self.declared}\r\n\r\n")
        with socket.create_connection((self.host, self.port), timeout=self.every_s) as sock:
            sock.sendall(head.encode() + b"token=x&text=")
            self.started.set()
            deadline = time.monotonic() + self.max_s
            reply = b""
            while not self._stop.is_set() and time.monotonic() < deadline:
                try:
                    chunk = sock.recv(4096)
                    if not chunk:
                        break
                    reply += chunk
                    if b"\r\n\r\n" in reply:
                        self.answered_at = time.monotonic()
                        self.status = int(reply.split(b" ", 2)[1])
                        break
                except TimeoutError:
                    pass
                try:
                    if self.sent < self.declared - 20:
                        sock.sendall(b"a")
                        self.sent += 1
                except OSError:
                    break


@pytest.fixture
def tricklers() -> Iterator[list[Trickler]]:
    started: list[Trickler] = []
    yield started
    for t in started:
        t.stop()


@pytest.mark.parametrize("count", [2, 20])
def test_sockets_trickling_a_body_hold_no_command_thread(
    make_settings: Callable[..., Settings], fake_slack: FakeSlack, tmp_path: Path,
    tricklers: list[Trickler], count: int,
) -> None:
    # Two command threads, as in production: two tricklers used to take both.
    bot = start_http_bot(make_settings(lhl_http_threads=2), fake_slack, tmp_path)
    try:
        tricklers.extend(Trickler(bot.host, bot.port).start() for _ in range(count))
        for t in tricklers:
            assert t.started.wait(5)
        time.sleep(0.3)  # the bodies are under way

        began = time.monotonic()
        data = assert_reply(bot.post_command("status Agder"), "Gjennomført dialogmøte")
        answered = time.monotonic()
        assert answered - began < SLACK_BUDGET_S, data
        assert bot.request("GET", "/healthz").status == 200
        # The command was answered while every trickler was still sending its body.
        assert all(t.answered_at is None or t.answered_at > answered for t in tricklers)

        # Each incomplete body is cut off at the deadline, not left open.
        deadline = time.monotonic() + 10
        while any(t.status is None for t in tricklers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [t.status for t in tricklers] == [408] * count
        assert all(t.sent < t.declared - 20 for t in tricklers)
        assert_reply(bot.post_command("status Agder"), "Gjennomført dialogmøte: 0 av 25")
    finally:
        for t in tricklers:
            t.stop()
        assert bot.stop() == 0
        bot.runtime.db.dispose()
    assert "body not complete after 2 s" in bot.log
    assert "Traceback" not in bot.log


def test_a_body_declared_over_the_cap_is_413_before_it_is_read(http_bot: HttpBot) -> None:
    with socket.create_connection((http_bot.host, http_bot.port), timeout=10) as sock:
        sock.sendall((f"POST {EVENTS_PATH} HTTP/1.1\r\nHost: x\r\n"
                      "Content-Type: application/x-www-form-urlencoded\r\n"
                      f"Content-Length: {2 << 20}\r\n\r\n").encode())
        reply = sock.recv(4096)
    assert reply.startswith(b"HTTP/1.1 413")


# --- routing by what the request is -----------------------------------------------------------


def test_a_command_with_the_word_payload_in_it_is_a_command(http_bot: HttpBot) -> None:
    assert_reply(http_bot.post_command("logg-møte Lillesand i går notat: ny payload-løsning"),
                 "Lagret: dialogmøte holdt med Lillesand")
    body = slash_command_body("logg-møte Arendal i går", user_id=ADMIN,
                              channel_name="payload-gruppa")
    assert_reply(http_bot.post_signed(body), "Lagret: dialogmøte holdt med Arendal")
    assert held_in_agder(http_bot) == "2"


def test_a_button_press_is_still_an_interaction(http_bot: HttpBot) -> None:
    # «Avbryt» on a preview: a ``/lhl`` text as the button's value, run for the presser.
    body = block_actions_body("lhl_command:avbryt", "hjelp", user_id=ADMIN,
                              response_url=http_bot.fake_slack.response_url)
    resp = http_bot.post_signed(body)
    assert resp.status == 200
    (answer,) = http_bot.fake_slack.wait_for("respond")
    assert "Jeg er lhl" in answer.params["text"]


# --- bad bodies are 400 -----------------------------------------------------------------------

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

BAD_BODIES = [
    ("malformed JSON", JSON, '{"type": "event_callback", '),
    ("JSON that is not an object", JSON, "[1, 2]"),
    ("a payload that is not JSON", FORM, urlencode({"payload": "{not json"})),
    ("a payload that is not an object", FORM, urlencode({"payload": '"text"'})),
    ("JSON sent as a form", FORM, json.dumps({"type": "event_callback", "event_id": "Ev1"})),
    ("a form that is not one", FORM, "command=/lhl&text"),
    ("bytes that are not UTF-8 once decoded", FORM, "command=%2Flhl&text=%FF"),
    ("an unknown content type", "text/plain", slash_command_body("hjelp", user_id=ADMIN)),
    ("no content type", "", slash_command_body("hjelp", user_id=ADMIN)),
]


def test_signed_bodies_that_are_not_what_they_say_are_400_and_unsigned_401(
        http_bot: HttpBot) -> None:
    for what, content_type, body in BAD_BODIES:
        headers = {"Content-Type": content_type} if content_type else {}
        unsigned = http_bot.request("POST", EVENTS_PATH, body, headers)
        assert unsigned.status == 401, what
        signed = http_bot.request("POST", EVENTS_PATH, body,
                                  {**headers, **sign_request(body, SIGNING_SECRET)})
        assert (signed.status, signed.json) == (400, {"error": "bad request"}), what
    assert http_bot.stop() == 0
    assert "Traceback" not in http_bot.log
    assert meetings(http_bot) == 0


def test_headers_slack_does_not_sign_change_nothing(http_bot: HttpBot) -> None:
    """Bolt reads ``x-slack-bolt-lazy-only`` to skip the acknowledgement and run a named
    function; Slack's signature does not cover headers, so such a header is never passed on."""
    body = slash_command_body("logg-møte Kristiansand i går", user_id=ADMIN)
    headers = {**sign_request(body, SIGNING_SECRET), "X-Slack-Bolt-Lazy-Only": "true",
               "X-Slack-Bolt-Lazy-Function-Name": "lhl"}
    assert_reply(http_bot.post_events(body, headers), "Lagret: dialogmøte holdt med Kristiansand")
    assert meetings(http_bot) == 1


# --- done once --------------------------------------------------------------------------------


def test_the_same_signed_command_delivered_twice_is_done_once(http_bot: HttpBot) -> None:
    body = slash_command_body("logg-møte Kristiansand i går", user_id=ADMIN)
    headers = sign_request(body, SIGNING_SECRET)
    assert_reply(http_bot.post_events(body, headers), "Lagret: dialogmøte holdt med Kristiansand")
    again = assert_reply(http_bot.post_events(body, headers))
    assert again["text"] == ALREADY_DONE
    assert meetings(http_bot) == 1
    # A new invocation (a new trigger_id) of the same text is a new command.
    assert_reply(http_bot.post_command("logg-møte Kristiansand i går"), "Lagret")
    assert meetings(http_bot) == 2


def test_read_only_commands_are_answered_every_time(http_bot: HttpBot) -> None:
    body = slash_command_body("status Agder", user_id=ADMIN)
    headers = sign_request(body, SIGNING_SECRET)
    for _ in range(2):
        assert_reply(http_bot.post_events(body, headers), "Statsforvalteren i Agder")


def test_a_failed_command_leaves_no_key_behind(http_bot: HttpBot) -> None:
    # A coordinator without access is refused; once given access, the same delivery would
    # not be "already done". (Slack would not resend it, but the key must follow the work.)
    body = slash_command_body("logg-møte Kristiansand i går", user_id="U0NOBODY")
    headers = sign_request(body, SIGNING_SECRET)
    first = assert_reply(http_bot.post_events(body, headers))
    second = assert_reply(http_bot.post_events(body, headers))
    assert first["text"] == second["text"] != ALREADY_DONE
    assert meetings(http_bot) == 0


# --- retried events ---------------------------------------------------------------------------


def test_a_retried_event_is_acknowledged_without_running_the_listener_again(
        make_settings: Callable[..., Settings], fake_slack: FakeSlack) -> None:
    from bot.slack_app import build_app

    seen: list[str] = []
    # An event lhl has no listener of its own for (it handles app_home_opened itself).
    event = {"type": "app_mention", "user": "U0KOORD1", "channel": "C0LHL", "text": "hei",
             "ts": f"{time.time():.6f}", "event_ts": f"{time.time():.6f}"}
    body = event_callback_body(event, event_id="Ev0RETRY1")
    with started(make_settings()) as runtime:
        app = build_app(runtime)

        @app.event("app_mention")
        def home(ack: Ack, event: dict[str, Any]) -> None:
            seen.append(event["user"])

        front = make_asgi_app(runtime, app=app)
        try:
            first = call_asgi(front, "POST", EVENTS_PATH, body,
                              sign_request(body, SIGNING_SECRET), content_type=JSON)
            retries = [call_asgi(front, "POST", EVENTS_PATH, body,
                                 {**sign_request(body, SIGNING_SECRET),
                                  "X-Slack-Retry-Num": str(n),
                                  "X-Slack-Retry-Reason": "http_timeout"}, content_type=JSON)
                       for n in (1, 2)]
            other = event_callback_body(event, event_id="Ev0OTHER1")
            second = call_asgi(front, "POST", EVENTS_PATH, other,
                               sign_request(other, SIGNING_SECRET), content_type=JSON)
        finally:
            front.close()
    assert [r.status for r in (first, *retries, second)] == [200, 200, 200, 200]
    assert seen == ["U0KOORD1", "U0KOORD1"]


def test_an_url_verification_is_answered_with_its_challenge(
        make_settings: Callable[..., Settings], fake_slack: FakeSlack) -> None:
    body = json.dumps({"token": "t", "challenge": "c0ffee", "type": "url_verification"})
    with started(make_settings()) as runtime:
        front = make_asgi_app(runtime)
        try:
            resp = call_asgi(front, "POST", EVENTS_PATH, body,
                             sign_request(body, SIGNING_SECRET), content_type=JSON)
        finally:
            front.close()
    assert resp.status == 200 and "c0ffee" in resp.text
