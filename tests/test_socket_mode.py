"""Socket Mode: the watchdog as a pure unit with a fake clock, then the real client end to end
against the fake Socket Mode endpoint."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from itertools import pairwise

import pytest

from bot.settings import Settings, SettingsError
from bot.socket_mode import SocketBot, Verdict, Vitals, Watchdog, WatchdogTimings, start_socket
from commands.dispatch import ALREADY_DONE
from tests.support.clock import Clock
from tests.support.fake_slack import RESPOND, FakeSlack, FakeSocketMode
from tests.support.runtime import ADMIN, BOT_TOKEN, started
from tests.support.slack_requests import (
    block_actions_payload,
    block_suggestion_payload,
    event_callback_body,
    slash_command_fields,
    view_submission_payload,
)

TIMINGS = WatchdogTimings(every=10, grace=30, hello_timeout=30, stale_after=60, max_backoff=80)


@dataclass
class FakeConnection:
    """What the watchdog sees, and what a reconnect does to it."""

    clock: Clock[float]
    vitals: Vitals = field(default_factory=lambda: Vitals(True, "s1", True, None))
    reconnect_results: list[bool | Exception] = field(default_factory=list)
    reconnects: int = 0
    probes: int = 0

    def probe(self) -> Vitals:
        self.probes += 1
        return self.vitals

    def reconnect(self) -> bool:
        self.reconnects += 1
        result = self.reconnect_results.pop(0) if self.reconnect_results else True
        if isinstance(result, Exception):
            raise result
        if result:
            self.vitals = Vitals(True, f"s{self.reconnects + 1}", False, None)
        return result

    def alive(self) -> None:
        """A pong or a message arrives now."""
        self.vitals = replace(self.vitals, last_sign_of_life=self.clock())


@pytest.fixture
def clock() -> Clock[float]:
    return Clock(1_000_000.0)


@pytest.fixture
def conn(clock: Clock[float]) -> FakeConnection:
    return FakeConnection(clock)


@pytest.fixture
def watchdog(conn: FakeConnection, clock: Clock[float]) -> Watchdog:
    return Watchdog(conn.probe, conn.reconnect, TIMINGS, clock=clock)


def test_a_live_connection_is_left_alone(
    watchdog: Watchdog, conn: FakeConnection, clock: Clock[float]
) -> None:
    for _ in range(20):
        clock.advance(10)
        conn.alive()
        assert watchdog.check() is Verdict.HEALTHY
    assert conn.reconnects == 0


def test_a_short_disconnect_is_left_to_the_client_then_forced(
    watchdog: Watchdog, conn: FakeConnection, clock: Clock[float]
) -> None:
    conn.vitals = Vitals(False, None, False, None)
    assert watchdog.check() is Verdict.WAITING
    clock.advance(29)
    assert watchdog.check() is Verdict.WAITING
    assert conn.reconnects == 0
    clock.advance(1)
    assert watchdog.check() is Verdict.RECONNECTED
    assert conn.reconnects == 1


def test_a_connection_slack_never_greets_is_replaced(
    watchdog: Watchdog, conn: FakeConnection, clock: Clock[float]
) -> None:
    conn.vitals = Vitals(True, "zombie", False, None)
    assert watchdog.check() is Verdict.HEALTHY
    clock.advance(29)
    conn.alive()
    assert watchdog.check() is Verdict.HEALTHY
    clock.advance(1)
    assert watchdog.check() is Verdict.RECONNECTED


def test_a_silent_connection_is_replaced_and_a_pong_keeps_it(
    watchdog: Watchdog, conn: FakeConnection, clock: Clock[float]
) -> None:
    conn.alive()
    watchdog.check()
    clock.advance(59)
    assert watchdog.check() is Verdict.HEALTHY
    conn.alive()
    clock.advance(59)
    assert watchdog.check() is Verdict.HEALTHY
    clock.advance(1)
    assert watchdog.check() is Verdict.RECONNECTED
    assert conn.reconnects == 1


def test_a_new_session_gets_a_full_window(
    watchdog: Watchdog, conn: FakeConnection, clock: Clock[float]
) -> None:
    watchdog.check()
    clock.advance(50)
    conn.vitals = Vitals(True, "s2", True, None)  # the client reconnected by itself
    assert watchdog.check() is Verdict.HEALTHY
    clock.advance(59)
    assert watchdog.check() is Verdict.HEALTHY
    clock.advance(1)
    assert watchdog.check() is Verdict.RECONNECTED


def test_after_a_forced_reconnect_the_new_session_must_say_hello(
    watchdog: Watchdog, conn: FakeConnection, clock: Clock[float]
) -> None:
    watchdog.check()
    clock.advance(60)
    assert watchdog.check() is Verdict.RECONNECTED
    clock.advance(10)
    assert watchdog.check() is Verdict.HEALTHY
    conn.vitals = replace(conn.vitals, greeted=True)
    clock.advance(20)
    assert watchdog.check() is Verdict.HEALTHY
    assert conn.reconnects == 1


def test_failed_reconnects_back_off_exponentially_up_to_the_cap(
    watchdog: Watchdog, conn: FakeConnection, clock: Clock[float], caplog: pytest.LogCaptureFixture
) -> None:
    conn.vitals = Vitals(False, None, False, None)
    conn.reconnect_results = [False, RuntimeError("dns"), False, False, False]
    watchdog.check()
    clock.advance(30)
    attempts: list[float] = []
    start = clock.now
    while conn.reconnects < 5:
        if watchdog.check() in (Verdict.FAILED, Verdict.RECONNECTED):
            attempts.append(clock.now - start)
        clock.advance(1)
    gaps = [b - a for a, b in pairwise(attempts)]
    assert gaps == [10, 20, 40, 80]
    probes = conn.probes
    assert watchdog.check() is Verdict.BACKING_OFF
    assert conn.probes == probes
    assert "socket mode reconnect failed" in caplog.text  # the exception was logged, not raised


def test_a_successful_reconnect_resets_the_backoff(
    watchdog: Watchdog, conn: FakeConnection, clock: Clock[float]
) -> None:
    conn.vitals = Vitals(False, None, False, None)
    conn.reconnect_results = [False, True]
    watchdog.check()
    clock.advance(30)
    assert watchdog.check() is Verdict.FAILED
    clock.advance(10)
    assert watchdog.check() is Verdict.RECONNECTED
    conn.vitals = Vitals(False, None, False, None)
    clock.advance(1)
    assert watchdog.check() is Verdict.WAITING


def test_run_survives_a_failing_check_and_stops_on_the_event(clock: Clock[float]) -> None:
    stop = threading.Event()
    calls = 0

    def probe() -> Vitals:
        nonlocal calls
        calls += 1
        if calls == 3:
            stop.set()
        raise OSError("probe failed")

    dog = Watchdog(probe, lambda: True, replace(TIMINGS, every=0), clock=clock)
    dog.run(stop)
    assert calls == 3


# --- end to end: the built-in Socket Mode client against the fake endpoint -------------------

PING = 0.2


@pytest.fixture
def socket_mode(fake_slack: FakeSlack) -> FakeSocketMode:
    return fake_slack.attach_socket_mode()


@pytest.fixture
def socket_bot(
    make_settings: Callable[..., Settings], socket_mode: FakeSocketMode
) -> Iterator[SocketBot]:
    with started(make_settings(slack_signing_secret=None)) as runtime:
        bot = start_socket(runtime, ping_interval=PING)
        try:
            yield bot
        finally:
            bot.stop()


def ask(socket_mode: FakeSocketMode, text: str) -> dict[str, object]:
    envelope = socket_mode.send_command(slash_command_fields(text, user_id=ADMIN))
    response = socket_mode.wait_for_response(envelope)
    payload: dict[str, object] = response["payload"]
    return payload


def test_hjelp_over_socket_mode(
    socket_bot: SocketBot, socket_mode: FakeSocketMode, fake_slack: FakeSlack
) -> None:
    socket_mode.wait_for_live(1)
    payload = ask(socket_mode, "hjelp")
    assert "Jeg er lhl" in str(payload["text"])
    assert payload["response_type"] == "ephemeral"
    assert isinstance(payload["blocks"], list) and payload["blocks"]
    opened = fake_slack.calls("apps.connections.open")
    assert [c.token_prefix for c in opened] == ["xapp"]


def test_a_button_is_acknowledged_at_once_over_socket_mode_while_slack_answers_late(
    socket_bot: SocketBot, socket_mode: FakeSocketMode, fake_slack: FakeSlack
) -> None:
    socket_mode.wait_for_live(1)
    fake_slack.delay(RESPOND, 5)
    payload = block_actions_payload("lhl_snooze", "999", user_id=ADMIN,
                                    response_url=fake_slack.response_url)
    started = time.perf_counter()
    envelope = socket_mode.send_envelope("interactive", payload)
    socket_mode.wait_for_response(envelope)
    took = time.perf_counter() - started
    assert took < 0.3, f"acknowledged after {took * 1000:.0f} ms"
    (answer,) = fake_slack.wait_for(RESPOND, timeout=15)
    assert "finnes ikke lenger" in answer.params["text"]


def test_a_form_over_socket_mode_gets_its_options_and_its_errors_in_the_ack(
    socket_bot: SocketBot, socket_mode: FakeSocketMode, fake_slack: FakeSlack
) -> None:
    socket_mode.wait_for_live(1)
    envelope = socket_mode.send_envelope(
        "interactive", block_suggestion_payload("lhl_kommuner", "Mandal", user_id=ADMIN))
    (found,) = socket_mode.wait_for_response(envelope)["payload"]["options"]
    assert found["value"] == "4205"
    fields = slash_command_fields("logg-møte", user_id=ADMIN)
    socket_mode.wait_for_response(socket_mode.send_command(fields))
    (opened,) = fake_slack.wait_for("views.open")
    envelope = socket_mode.send_envelope("interactive", view_submission_payload(
        opened.params["view"], {"kommuner": ["4205"], "dato": "2999-01-01"}, user_id=ADMIN))
    answer = socket_mode.wait_for_response(envelope)["payload"]
    assert answer["response_action"] == "errors"
    assert answer["errors"]["dato"].startswith("Året 2999 er utenfor årene jeg fører")


def test_a_session_slack_never_greets_is_replaced_and_commands_flow_again(
    socket_bot: SocketBot, socket_mode: FakeSocketMode, caplog: pytest.LogCaptureFixture
) -> None:
    socket_mode.wait_for_live(1)
    socket_mode.zombie_next(1)
    socket_mode.drop()
    socket_mode.wait_for_live(2, timeout=15)
    assert socket_mode.connections() >= 3  # first, the zombie, the replacement
    assert "socket mode looks dead (no hello from Slack" in caplog.text
    assert "Gjennomført dialogmøte" in str(ask(socket_mode, "status Agder")["text"])


def test_the_watchdog_reconnects_when_the_client_gives_up(
    socket_bot: SocketBot, socket_mode: FakeSocketMode, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="lhl.socket")
    socket_mode.wait_for_live(1)
    client = socket_bot.handler.client
    client.default_auto_reconnect_enabled = False
    client.auto_reconnect_enabled = False
    socket_mode.drop()
    socket_mode.wait_for_live(2, timeout=15)
    assert "socket mode looks dead" in caplog.text
    assert "Jeg er lhl" in str(ask(socket_mode, "hjelp")["text"])
    assert BOT_TOKEN not in caplog.text


def test_a_refused_app_token_is_one_sentence(
    make_settings: Callable[..., Settings], fake_slack: FakeSlack
) -> None:
    with (started(make_settings()) as runtime,
          pytest.raises(SettingsError, match="SLACK_APP_TOKEN")):
        start_socket(runtime, ping_interval=PING)  # no endpoint attached: Slack says no


def test_the_same_command_delivered_twice_over_socket_mode_is_done_once(
    socket_bot: SocketBot, socket_mode: FakeSocketMode
) -> None:
    socket_mode.wait_for_live(1)
    fields = slash_command_fields("logg-møte Kristiansand i går", user_id=ADMIN)
    replies = [socket_mode.wait_for_response(socket_mode.send_command(fields))["payload"]
               for _ in range(2)]
    assert str(replies[0]["text"]).startswith("Lagret: dialogmøte holdt med Kristiansand")
    assert replies[1]["text"] == ALREADY_DONE
    assert "Gjennomført dialogmøte: 1 av 25" in str(ask(socket_mode, "status Agder")["text"])


def test_an_event_slack_delivers_again_over_socket_mode_is_handled_once(
    socket_bot: SocketBot, socket_mode: FakeSocketMode
) -> None:
    socket_mode.wait_for_live(1)
    seen: list[str] = []
    socket_bot.handler.app.event("app_mention")(
        lambda event: seen.append(str(event["user"])))
    # An event lhl has no listener of its own for (it handles app_home_opened itself).
    event = {"type": "app_mention", "user": "U0KOORD1", "channel": "C0LHL", "text": "hei",
             "ts": f"{time.time():.6f}", "event_ts": f"{time.time():.6f}"}
    payload = json.loads(event_callback_body(event, event_id="Ev0SOCKET1"))
    for _ in range(3):
        socket_mode.wait_for_response(socket_mode.send_envelope("events_api", payload))
    other = json.loads(event_callback_body(event, event_id="Ev0SOCKET2"))
    socket_mode.wait_for_response(socket_mode.send_envelope("events_api", other))
    assert seen == ["U0KOORD1", "U0KOORD1"], "each event once, however often it comes"
