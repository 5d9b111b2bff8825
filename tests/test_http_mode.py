"""HTTP mode end to end: signed requests, as Slack sends them, through Granian and Bolt.

Most tests talk to ``lhl http`` in a subprocess (the ``http_bot`` fixture). The two that need to
reach inside the running application (an unreachable database, a listener that raises) call
the same ASGI application directly, without a server.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

import pytest
from slack_bolt import Ack
from slack_sdk import WebClient

from bot.http_server import EVENTS_PATH, make_asgi_app
from bot.settings import Settings
from bot.slack_app import build_app, handle_error, lhl_listener
from storage.db import open_database
from tests.support.fake_slack import FakeSlack
from tests.support.http_bot import (
    HttpBot,
    HttpResponse,
    assert_reply,
    call_asgi,
    held_in_agder,
    start_http_bot,
)
from tests.support.processes import REPO
from tests.support.runtime import ADMIN, BOT_TOKEN, HTTP_THREADS, SIGNING_SECRET, started
from tests.support.slack_requests import sign_request, slash_command_body, slash_command_fields


def test_hjelp_is_an_ephemeral_bokmal_reply_with_blocks(http_bot: HttpBot) -> None:
    data = assert_reply(http_bot.post_command("hjelp"), "Jeg er lhl", "`/lhl status")
    assert data["response_type"] == "ephemeral"
    assert data["blocks"][0]["type"] == "section"
    assert "Leve hele livet" in data["blocks"][0]["text"]["text"]
    # The reply rides on the acknowledgement: nothing but the start-up token checks (the main
    # process and the worker) reached Slack.
    assert {c.method for c in http_bot.fake_slack.calls()} == {"auth.test"}


def test_the_ack_carries_the_command_reply(http_bot: HttpBot) -> None:
    data = assert_reply(http_bot.post_command("status Agder"), "Statsforvalteren i Agder")
    assert data["response_type"] == "ephemeral"


def _forged(body: str) -> dict[str, str]:
    return sign_request(body, "not-the-signing-secret")


def _stale(body: str) -> dict[str, str]:
    return sign_request(body, SIGNING_SECRET, int(time.time()) - 10 * 60)


def _unsigned(body: str) -> dict[str, str]:
    return {}


def _timestamp_abc(body: str) -> dict[str, str]:
    return sign_request(body, SIGNING_SECRET, "abc")


def _no_signature(body: str) -> dict[str, str]:
    return {"X-Slack-Request-Timestamp": str(int(time.time()))}


def _future(body: str) -> dict[str, str]:
    return sign_request(body, SIGNING_SECRET, int(time.time()) + 10 * 60)


@pytest.mark.parametrize(
    "headers",
    [_forged, _stale, _unsigned, _timestamp_abc, _no_signature, _future],
    ids=["forged", "stale", "unsigned", "timestamp-abc", "no-signature", "future"],
)
def test_requests_not_signed_by_slack_are_refused_with_401(
    http_bot: HttpBot, headers: Callable[[str], dict[str, str]]
) -> None:
    body = slash_command_body("hjelp", user_id=ADMIN)
    resp = http_bot.post_events(body, headers(body))
    assert resp.status == 401
    assert resp.json == {"error": "invalid request"}
    assert "Traceback" not in resp.text
    assert http_bot.stop() == 0
    assert "rejected request to /slack/events" in http_bot.log
    assert "Traceback" not in http_bot.log


def test_unsigned_malformed_json_is_401_not_a_bolt_crash(http_bot: HttpBot) -> None:
    resp = http_bot.request("POST", "/slack/events", "{not json",
                            {"Content-Type": "application/json"})
    assert resp.status == 401


def test_a_forged_logg_mote_stores_nothing_and_a_signed_one_is_counted(http_bot: HttpBot) -> None:
    body = slash_command_body("logg-møte Kristiansand i går", user_id=ADMIN)
    assert http_bot.post_events(body, _forged(body)).status == 401
    assert http_bot.post_events(body, _stale(body)).status == 401
    assert held_in_agder(http_bot) == "0"

    assert_reply(http_bot.post_command("logg-møte Kristiansand i går"),
                 "Lagret: dialogmøte holdt med Kristiansand")
    assert held_in_agder(http_bot) == "1"


def test_a_replayed_body_with_a_new_timestamp_is_refused(http_bot: HttpBot) -> None:
    body = slash_command_body("logg-møte Kristiansand i går", user_id=ADMIN)
    old = sign_request(body, SIGNING_SECRET, int(time.time()) - 60)
    replay = {**old, "X-Slack-Request-Timestamp": str(int(time.time()))}
    assert http_bot.post_events(body, replay).status == 401
    assert held_in_agder(http_bot) == "0"


def test_healthz_answers_ok_while_the_database_answers(http_bot: HttpBot) -> None:
    resp = http_bot.request("GET", "/healthz")
    assert (resp.status, resp.text) == (200, "ok")


def test_healthz_is_503_when_the_database_does_not_answer(
    make_settings: Callable[..., Settings], fake_slack: FakeSlack
) -> None:
    with started(make_settings()) as runtime:
        app = make_asgi_app(runtime)
        assert call_asgi(app, "GET", "/healthz").status == 200
        # A real database URL nothing listens on (port 1), not a mock.
        unreachable = open_database("postgresql+psycopg://lhl@127.0.0.1:1/lhl?connect_timeout=2")
        working, runtime.db = runtime.db, unreachable
        try:
            assert call_asgi(app, "GET", "/healthz").status == 503
        finally:
            runtime.db = working
            unreachable.dispose()
        assert call_asgi(app, "GET", "/healthz").status == 200


def test_other_paths_and_methods(http_bot: HttpBot) -> None:
    assert http_bot.request("GET", "/").status == 404
    assert http_bot.request("GET", "/slack/events").status == 405
    assert http_bot.request("POST", "/healthz").status == 404


def test_more_concurrent_commands_than_threads_all_get_a_real_reply(http_bot: HttpBot) -> None:
    clients = 10 * HTTP_THREADS
    start = threading.Barrier(clients)

    def one(i: int) -> HttpResponse:
        start.wait()
        return http_bot.post_command("status Agder" if i % 2 else "hjelp")

    with ThreadPoolExecutor(max_workers=clients) as pool:
        replies = list(pool.map(one, range(clients)))

    for i, resp in enumerate(replies):
        assert_reply(resp, "Gjennomført dialogmøte" if i % 2 else "Jeg er lhl")


def test_tokens_and_secrets_never_reach_logs_or_replies(
    make_settings: Callable[..., Settings], fake_slack: FakeSlack, tmp_path: Path
) -> None:
    http_bot = start_http_bot(make_settings(lhl_log_level="DEBUG"), fake_slack, tmp_path)
    body = slash_command_body("hjelp", user_id=ADMIN)
    replies = [
        http_bot.post_command("hjelp"),
        http_bot.post_command("status Agder"),
        http_bot.post_command("logg-møte Kristiansand i går"),
        http_bot.post_command("finnes-ikke"),
        http_bot.post_events(body, _forged(body)),
        http_bot.post_events(body, _timestamp_abc(body)),
    ]
    assert http_bot.stop() == 0
    http_bot.runtime.db.dispose()
    seen = http_bot.log + "".join(r.text for r in replies)
    for secret in (BOT_TOKEN, SIGNING_SECRET):
        assert secret not in seen
    assert "DEBUG" in http_bot.log, "the check is only meaningful if everything was logged"


def test_an_unexpected_failure_answers_one_sentence_without_the_exception(
    make_settings: Callable[..., Settings], fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with started(make_settings()) as runtime:
        app = build_app(runtime)

        @app.command("/boom")
        def boom(ack: Ack) -> None:
            raise RuntimeError("secret internals: SELECT * FROM meeting")

        body = slash_command_body("", user_id=ADMIN, command="/boom")
        resp = call_asgi(make_asgi_app(runtime, app=app), "POST", EVENTS_PATH, body,
                         sign_request(body, SIGNING_SECRET))
    assert resp.status == 200
    data = resp.json
    assert data["response_type"] == "ephemeral"
    assert data["text"].startswith("Beklager, noe gikk galt hos meg.")
    assert "secret internals" not in resp.text and "Traceback" not in resp.text
    ref = re.search(r"referansen `([0-9a-f]{6})`", data["text"])
    assert ref is not None
    logged = [r for r in caplog.records if r.name == "lhl.slack"]
    assert logged and ref.group(1) in logged[0].getMessage() and logged[0].exc_info


def test_error_handler_is_a_plain_function() -> None:
    resp = handle_error(ValueError("boom"), {"user_id": "U1", "command": "/lhl"})
    assert resp.status == 200
    assert "boom" not in str(resp.body)


def test_several_workers_share_the_port_and_the_store_and_stop_on_sigterm(
    make_settings: Callable[..., Settings], fake_slack: FakeSlack, tmp_path: Path
) -> None:
    bot = start_http_bot(make_settings(lhl_http_workers=2), fake_slack, tmp_path)
    try:
        deadline = time.monotonic() + 30
        while len(re.findall(r"worker \d+ ready", bot.log)) < 2:
            assert time.monotonic() < deadline, bot.log
            time.sleep(0.05)
        kommuner = ["Kristiansand", "Arendal", "Grimstad", "Lillesand", "Vennesla", "Lindesnes"]
        for name in kommuner:
            assert_reply(bot.post_command(f"logg-møte {name} i går"), f"holdt med {name}")
        # Each write is one transaction in whichever worker took it; every one is counted.
        assert held_in_agder(bot) == str(len(kommuner))
    finally:
        code = bot.stop()
        bot.runtime.db.dispose()
    assert code == 0, bot.log
    assert "lhl http stopping" in bot.log
    assert "Traceback" not in bot.log and BOT_TOKEN not in bot.log
    # A clean start and stop leave nothing for whoever runs the bot to worry about.
    assert " WARNING " not in bot.log and " ERROR " not in bot.log, bot.log


def test_the_manifest_points_slack_at_what_the_server_serves() -> None:
    text = (REPO / "manifest.yml").read_text(encoding="utf-8")
    urls = re.findall(r"(?:url|request_url|message_menu_options_url): (\S+)", text)
    assert len(urls) == 4 and all(u.endswith(EVENTS_PATH) for u in urls)
    command = re.search(r"- command: /lhl\n((?:\s{6}\w+: .*\n)+)", text)
    assert command and "should_escape: true" in command.group(1)
    scopes = re.search(r"    bot:\n((?:\s+- \S+\n)+)", text)
    assert scopes and scopes.group(1).split()[1::2] == ["commands", "chat:write", "channels:read",
                                                         "groups:read", "files:read",
                                                         "files:write", "im:write"]


def test_the_listener_is_a_plain_function(
    make_settings: Callable[..., Settings], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="lhl.slack")
    acked: dict[str, Any] = {}

    def ack(**kwargs: Any) -> None:
        acked.update(kwargs)

    with started(make_settings()) as runtime:
        command = slash_command_fields("hjelp status", user_id=ADMIN)
        # hjelp never asks Slack anything, so the client is never called.
        lhl_listener(runtime)(ack=cast(Ack, ack), command=command, client=WebClient())
    assert acked["response_type"] == "ephemeral"
    assert acked["text"].startswith("*/lhl status")
    assert acked["blocks"]
    assert f"/lhl hjelp user={ADMIN} ms=" in caplog.text


def test_asking_slack_whether_the_bot_is_in_the_channel_warns_when_it_is_not(
        http_bot: HttpBot) -> None:
    http_bot.fake_slack.answer("conversations.info", lambda p: {
        "ok": True, "channel": {"id": p.get("channel"), "is_member": False}})
    data = assert_reply(http_bot.post_command('påminnelse ny "Ukemøte" i morgen kl 9'),
                        "Ukemøte")
    assert "/invite @lhl" in data["text"]
    (asked,) = http_bot.fake_slack.calls("conversations.info")
    assert asked.params["channel"] == "C0LHL"


def test_a_slow_slack_api_does_not_hold_the_acknowledgement_past_slacks_3_seconds(
        http_bot: HttpBot) -> None:
    def slow(params: dict[str, Any]) -> dict[str, Any]:
        time.sleep(4)
        return {"ok": True, "channel": {"id": params.get("channel"), "is_member": False}}

    http_bot.fake_slack.answer("conversations.info", slow)
    started = time.monotonic()
    resp = http_bot.post_command('påminnelse ny "Ukemøte" i morgen kl 9')
    # Slack drops an acknowledgement that takes more than 3 s; the reply must beat that.
    assert time.monotonic() - started < 3
    data = assert_reply(resp, "Ukemøte")
    # Slack did not answer in time, so the bot cannot tell and does not warn.
    assert "/invite @lhl" not in data["text"]
    assert http_bot.fake_slack.calls("conversations.info")


def _stat(pid: int) -> list[str] | None:
    """State, parent, … of a live process; None once it is gone or a zombie."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] == "Z" else fields


def _children(pid: int) -> list[int]:
    return [int(e) for e in os.listdir("/proc")
            if e.isdigit() and (stat := _stat(int(e))) is not None and int(stat[1]) == pid]


def test_workers_stop_when_the_main_process_is_killed(http_bot: HttpBot) -> None:
    workers = _children(http_bot.proc.pid)
    assert workers, "lhl http should run its commands in worker processes"
    http_bot.proc.kill()
    http_bot.proc.wait()
    deadline = time.monotonic() + 15
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [pid for pid in workers if _stat(pid) is not None]
    assert not alive, f"workers {alive} outlived their main process"
    with pytest.raises(OSError):
        http_bot.request("GET", "/healthz")
