"""Reminders end to end: real ``lhl http`` processes against the fake Slack, on a SQLite file and
on PostgreSQL.

A reminder is created with ``/lhl påminnelse ny "…" om 1 minutt`` through the command path of a
runtime whose clock runs ``LEAD_IN`` short of a minute behind real time, so it falls due a few
real seconds later; the bots that deliver it run on the real clock. Each test then checks that
exactly one ``chat.postMessage`` went out, however many bots or restarts there were.
"""

from __future__ import annotations

import io
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from bot.console import LOCAL_CHANNEL, run_console
from bot.runtime import Runtime
from bot.senders import ConsoleSender
from bot.settings import Settings
from schedules.messages import LEVERT_ACTION, SNOOZE_ACTION, UNDO_ACTION
from storage.models import Reminder
from tests.support.clock import OSLO
from tests.support.fake_slack import RESPOND, FakeSlack
from tests.support.http_bot import HttpBot, start_http_bot
from tests.support.runtime import ADMIN, grant, runtime_on, settings_for, started
from tests.support.slack_requests import CHANNEL, block_actions_body, slash_command_body

SYNC_SECONDS = 0.5
LEAD_IN = 5.0
"""Real seconds between creating the reminder and its due time."""
QUIET = 2.0
"""How long to keep watching for a second post after the first (four sync rounds)."""


@pytest.fixture
def start_bot(make_settings: Callable[..., Settings], store_url: str, fake_slack: FakeSlack,
              tmp_path: Path) -> Iterator[Callable[[], HttpBot]]:
    """``start_bot()``: one more ``lhl http`` on ``store_url``, ready once its reminders are
    scheduled; whatever is left running is stopped."""
    bots: list[HttpBot] = []
    settings = make_settings(lhl_database_url=store_url, lhl_log_level="INFO",
                             lhl_reminder_sync_seconds=SYNC_SECONDS, lhl_http_threads=2)

    def start() -> HttpBot:
        bot = start_http_bot(settings, fake_slack, tmp_path)
        bots.append(bot)
        bot.wait_for_log("reminders scheduled", timeout=30)
        return bot

    yield start
    for bot in bots:
        bot.stop()
        bot.runtime.db.dispose()


@pytest.fixture
def creator(store_url: str) -> Iterator[Runtime]:
    """A runtime on the same store whose clock is ``LEAD_IN`` short of a minute behind."""
    behind = timedelta(seconds=60 - LEAD_IN)
    with runtime_on(store_url, clock=lambda: datetime.now(OSLO) - behind) as rt:
        yield rt


def create_in_a_minute(creator: Runtime, text: str = "Ukemøte", channel: str = CHANNEL
                       ) -> Reminder:
    reply = creator.handle(f'påminnelse ny "{text}" om 1 minutt', ADMIN, channel)
    found = re.search(r"Påminnelse #(\d+) lagret", reply.text)
    assert found, reply.text
    with creator.db.read() as session:
        reminder = session.get(Reminder, int(found.group(1)))
    assert reminder is not None and reminder.next_due_at is not None
    return reminder


def posts_to_channel(fake: FakeSlack) -> list[Any]:
    return [c for c in fake.calls("chat.postMessage")
            if c.status == 200 and c.params.get("channel") == CHANNEL]


def wait_for_one_post(fake: FakeSlack, reminder: Reminder) -> float:
    """Wait for the reminder's post, then watch a while for a second; the delay from its due
    time to the post, in seconds."""
    assert reminder.next_due_at is not None
    due = reminder.next_due_at.timestamp()
    deadline = time.time() + (due - time.time()) + 15
    while not posts_to_channel(fake) and time.time() < deadline:
        time.sleep(0.05)
    first = posts_to_channel(fake)
    assert first, f"no chat.postMessage by {deadline - due:.0f} s after the due time"
    time.sleep(QUIET)
    posts = posts_to_channel(fake)
    assert len(posts) == 1, f"{len(posts)} posts: {[p.params.get('text') for p in posts]}"
    assert f"*Påminnelse:* {reminder.text}" in posts[0].params["text"]
    return float(posts[0].at - due)


def test_a_running_bot_delivers_a_one_minute_reminder_once_and_on_time(
        start_bot: Callable[[], HttpBot], fake_slack: FakeSlack, creator: Runtime) -> None:
    bot = start_bot()
    reminder = create_in_a_minute(creator)
    delay = wait_for_one_post(fake_slack, reminder)
    assert 0 <= delay < 2.0, f"posted {delay:.2f} s after its time"
    bot.stop_cleanly()


def test_a_restart_before_the_due_time_still_delivers_once(
        start_bot: Callable[[], HttpBot], fake_slack: FakeSlack, creator: Runtime) -> None:
    first = start_bot()
    reminder = create_in_a_minute(creator)
    time.sleep(SYNC_SECONDS * 2)
    first.stop_cleanly()
    start_bot()
    wait_for_one_post(fake_slack, reminder)


def test_a_bot_down_over_the_due_time_sends_once_when_it_comes_back(
        start_bot: Callable[[], HttpBot], fake_slack: FakeSlack, creator: Runtime) -> None:
    first = start_bot()
    reminder = create_in_a_minute(creator)
    first.stop_cleanly()
    assert reminder.next_due_at is not None
    time.sleep(max(0.0, reminder.next_due_at.timestamp() - time.time()) + 0.5)
    assert posts_to_channel(fake_slack) == []
    second = start_bot()
    wait_for_one_post(fake_slack, reminder)
    assert "caught up on 1 overdue occurrence" in second.log


def test_two_bot_processes_on_one_store_post_once(
        start_bot: Callable[[], HttpBot], fake_slack: FakeSlack, creator: Runtime) -> None:
    one = start_bot()
    two = start_bot()
    reminders = [create_in_a_minute(creator, f"Møte {n}") for n in range(3)]
    assert reminders[0].next_due_at is not None
    time.sleep(max(0.0, reminders[0].next_due_at.timestamp() - time.time()) + 1 + QUIET)
    posts = posts_to_channel(fake_slack)
    assert sorted(p.params["text"].splitlines()[0] for p in posts) == [
        "*Påminnelse:* Møte 0", "*Påminnelse:* Møte 1", "*Påminnelse:* Møte 2"]
    one.stop_cleanly()
    two.stop_cleanly()
    senders = [line for line in one.log.splitlines() + two.log.splitlines()
               if re.search(r"reminder \d+: sent ", line)]
    assert len(senders) == 3, "\n".join(senders)


# --- the buttons through Slack's interactivity endpoint ----------------------------------------


LEDER = "U0LEDER"


def press(bot: HttpBot, action_id: str, value: str, message: dict[str, Any], *,
          user_id: str = LEDER, channel_id: str = CHANNEL, body: str | None = None
          ) -> tuple[str, float]:
    """Press a button as Slack sends it (or send ``body`` again); the body and how long the
    acknowledgement took, in seconds."""
    body = body or block_actions_body(action_id, value, user_id=user_id, channel_id=channel_id,
                                      message=message, response_url=bot.fake_slack.response_url)
    started = time.perf_counter()
    resp = bot.post_signed(body)
    took = time.perf_counter() - started
    assert resp.status == 200, resp.text
    assert resp.body == b"", "a button's acknowledgement carries nothing"
    return body, took


def deadline_message(rid: int, deadline: str = "2026-12-10",
                     ts: str = "1700000000.000042") -> dict[str, Any]:
    """The message a deadline reminder was posted as, with its buttons."""
    value = f"{rid}|{deadline}"
    return {"type": "message", "ts": ts, "text": "*Frist:* Rapport til Hdir",
            "blocks": [
                {"type": "section", "text": {"type": "mrkdwn",
                                             "text": "*Frist:* Rapport til Hdir"}},
                {"type": "actions", "block_id": "lhl_reminder_actions", "elements": [
                    {"type": "button", "action_id": LEVERT_ACTION, "value": value,
                     "text": {"type": "plain_text", "text": "Levert"}},
                    {"type": "button", "action_id": SNOOZE_ACTION, "value": str(rid),
                     "text": {"type": "plain_text", "text": "Minn meg på i morgen"}}]}]}


def new_deadline(runtime: Runtime, channel: str = CHANNEL) -> int:
    reply = runtime.handle('påminnelse frist "Rapport til Hdir" 10. desember', ADMIN, channel)
    found = re.search(r"#(\d+)", reply.text)
    assert found, reply.text
    return int(found.group(1))


def all_reminders(runtime: Runtime) -> list[Reminder]:
    with runtime.db.read() as session:
        return list(session.exec(select(Reminder).order_by(Reminder.id)))  # type: ignore[arg-type]


def test_levert_updates_the_message_and_snooze_answers_the_one_who_pressed(
        http_bot: HttpBot) -> None:
    runtime = http_bot.runtime
    rid = new_deadline(runtime)
    grant(runtime, LEDER, "Agder")
    message = deadline_message(rid)

    press(http_bot, SNOOZE_ACTION, str(rid), message)
    (answer,) = http_bot.fake_slack.wait_for("respond")
    assert answer.params["response_type"] == "ephemeral"
    assert answer.params["text"].startswith("Ok, jeg minner dere på «Rapport til Hdir» igjen ")

    press(http_bot, LEVERT_ACTION, f"{rid}|2026-12-10", message)
    (update,) = http_bot.fake_slack.wait_for("chat.update")
    assert update.params["channel"] == CHANNEL and update.params["ts"] == message["ts"]
    assert re.search(r"Levert – markert av <@U0LEDER> \d+\. \w+ \d{4} kl\. \d\d\.\d\d\.$",
                     update.params["text"])
    assert [b["type"] for b in update.params["blocks"]] == ["section", "context", "actions"]
    (angre,) = update.params["blocks"][-1]["elements"]
    assert (angre["text"]["text"], angre["action_id"], angre["value"]) == (
        "Angre", UNDO_ACTION, f"{rid}|2026-12-10")
    assert [r.next_due_at for r in all_reminders(runtime)] == [None, None], \
        "Levert stops the reminder and the one-off snoozed from it"

    press(http_bot, UNDO_ACTION, angre["value"], {**message, "blocks": update.params["blocks"],
                                                  "text": update.params["text"]})
    undone = http_bot.fake_slack.wait_for("chat.update", 2)[-1]
    assert undone.params["text"].startswith("*Frist:* Rapport til Hdir\nLevert angret av "
                                            "<@U0LEDER> ")
    assert "markert av" not in undone.params["text"]
    assert [b["type"] for b in undone.params["blocks"]] == ["section", "context", "actions"]
    assert [b["action_id"] for b in undone.params["blocks"][-1]["elements"]] == [
        LEVERT_ACTION, SNOOZE_ACTION]
    assert all(r.next_due_at is not None for r in all_reminders(runtime)), \
        "Angre brings the reminders back"

    press(http_bot, SNOOZE_ACTION, "999", message)
    answers = http_bot.fake_slack.wait_for("respond", 2)
    assert "finnes ikke lenger" in answers[-1].params["text"]


def test_a_button_acks_at_once_while_slack_answers_late(http_bot: HttpBot) -> None:
    runtime, fake = http_bot.runtime, http_bot.fake_slack
    rid = new_deadline(runtime)
    grant(runtime, LEDER, "Agder")
    message = deadline_message(rid)
    fake.delay(RESPOND, 5)
    fake.delay("chat.update", 5)

    acks = [press(http_bot, SNOOZE_ACTION, str(rid), message)[1] for _ in range(2)]
    answers = fake.wait_for("respond", 2, timeout=15)
    texts = sorted(a.params["text"] for a in answers)
    assert texts[0].startswith("Du har allerede bedt meg minne dere på «Rapport til Hdir»")
    assert texts[1].startswith("Ok, jeg minner dere på «Rapport til Hdir» igjen ")
    assert len(all_reminders(runtime)) == 2, "two presses of snooze, one new reminder"

    acks.append(press(http_bot, LEVERT_ACTION, f"{rid}|2026-12-10", message)[1])
    fake.wait_for("chat.update", timeout=15)
    assert max(acks) < 0.3, f"acknowledged after {[round(a * 1000) for a in acks]} ms"


def test_a_press_that_does_not_fit_is_refused_logged_and_stores_nothing(
        http_bot: HttpBot) -> None:
    runtime, fake = http_bot.runtime, http_bot.fake_slack
    elsewhere = new_deadline(runtime, channel="C0ANNEN")
    here = new_deadline(runtime)
    grant(runtime, LEDER, "Agder")
    before = [(r.id, r.next_key) for r in all_reminders(runtime)]
    for action, value in ((LEVERT_ACTION, f"{elsewhere}|2026-12-10"),
                          (LEVERT_ACTION, f"{here}|2026-12-24"),
                          (LEVERT_ACTION, "x|y"),
                          (SNOOZE_ACTION, str(elsewhere)),
                          (UNDO_ACTION, f"{elsewhere}|2026-12-10")):
        press(http_bot, action, value, deadline_message(here))
    answers = fake.wait_for("respond", 5)
    assert all(a.params["text"].startswith("Knappen passer ikke til en påminnelse i denne "
                                           "kanalen") for a in answers), answers
    assert [(r.id, r.next_key) for r in all_reminders(runtime)] == before
    assert fake.calls("chat.update") == []
    assert "x|y" not in http_bot.log
    for reason in ("other_channel", "not_a_deadline_of_it", "malformed"):
        assert re.search(rf"WARNING.*button refused: {reason} action=lhl_\w+ "
                         rf"user={LEDER} channel={CHANNEL}", http_bot.log), http_bot.log

    press(http_bot, LEVERT_ACTION, f"{here}|2026-12-10", deadline_message(here),
          user_id="U0FREMMED")
    refused = fake.wait_for("respond", 6)[-1]
    assert refused.params["text"].startswith("Bare den som lagde påminnelsen, koordinatorene "
                                             "og administratorene kan trykke «Levert»")
    assert [(r.id, r.next_key) for r in all_reminders(runtime)] == before


def test_the_same_press_delivered_twice_is_done_once(http_bot: HttpBot) -> None:
    runtime, fake = http_bot.runtime, http_bot.fake_slack
    rid = new_deadline(runtime)
    grant(runtime, LEDER, "Agder")
    message = deadline_message(rid)
    value = f"{rid}|2026-12-10"
    press(http_bot, LEVERT_ACTION, value, message)
    fake.wait_for("chat.update")
    undo, _ = press(http_bot, UNDO_ACTION, value, message)
    fake.wait_for("chat.update", 2)
    press(http_bot, LEVERT_ACTION, value, message)
    fake.wait_for("chat.update", 3)

    press(http_bot, UNDO_ACTION, value, message, body=undo)
    http_bot.wait_for_log("same trigger_id")
    assert len(fake.calls("chat.update")) == 3
    assert all_reminders(runtime)[0].next_due_at is None, "still marked as delivered"


def test_reminders_are_refused_in_direct_and_group_messages(http_bot: HttpBot) -> None:
    runtime, fake = http_bot.runtime, http_bot.fake_slack
    dm = http_bot.post_command("påminnelse standard", ADMIN, "D0DIREKTE")
    assert dm.json["response_type"] == "ephemeral"
    assert dm.json["text"].startswith("Påminnelser kan ikke lages i en direktemelding")
    body = slash_command_body('påminnelse ny "Kaffe" i morgen kl 9', user_id=ADMIN,
                              channel_id="G0GRUPPE", channel_name="mpdm-kari--ola--lhl-1")
    group = http_bot.post_signed(body)
    assert group.json["text"].startswith("Påminnelser kan ikke lages i en gruppemelding")
    assert fake.calls("conversations.info") == []
    assert all_reminders(runtime) == []

    fake.answer("conversations.info", {"ok": False, "error": "channel_not_found"})
    private = http_bot.post_command('påminnelse ny "Kaffe" i morgen kl 9', ADMIN, "C0PRIVAT")
    assert "lagret" in private.json["text"] and "/invite @lhl" in private.json["text"]
    assert [r.channel_id for r in all_reminders(runtime)] == ["C0PRIVAT"]


# --- the console ------------------------------------------------------------------------------


def test_the_console_prints_a_reminder_when_it_falls_due(database_url: str) -> None:
    settings = settings_for(database_url, lhl_reminder_sync_seconds=60)
    behind = timedelta(seconds=60 - 2)
    with started(settings, clock=lambda: datetime.now(OSLO) - behind) as creator:
        create_in_a_minute(creator, "Kaffe med KS", LOCAL_CHANNEL)
    read_end, write_end = os.pipe()
    out = io.StringIO()
    with started(settings) as runtime, os.fdopen(read_end, "r", encoding="utf-8") as stdin:
        console = threading.Thread(target=run_console, args=(runtime, stdin, out))
        console.start()
        with os.fdopen(write_end, "w", encoding="utf-8") as feed:
            feed.write("/lhl påminnelser\n")
            feed.flush()
            deadline = time.time() + 10
            while "[påminnelse]" not in out.getvalue() and time.time() < deadline:
                time.sleep(0.05)
        console.join(10)
    assert not console.is_alive()
    text = out.getvalue()
    assert "#1 «Kaffe med KS»" in text
    assert text.count("[påminnelse] Påminnelse: Kaffe med KS\n") == 1, text


def test_a_reminder_command_reschedules_at_once_without_waiting_for_the_sync(
        database_url: str) -> None:
    with started(settings_for(database_url, lhl_reminder_sync_seconds=3600)) as runtime:
        service = runtime.start_reminders(ConsoleSender(io.StringIO()))

        def scheduled_soon(count: int) -> bool:
            deadline = time.time() + 5
            while len(service.scheduled()) != count and time.time() < deadline:
                time.sleep(0.01)
            return len(service.scheduled()) == count

        try:
            runtime.handle('påminnelse ny "Ukemøte" i morgen kl 9', ADMIN, CHANNEL)
            assert scheduled_soon(1)
            runtime.handle("påminnelse pause 1", ADMIN, CHANNEL)
            assert scheduled_soon(0)
        finally:
            runtime.stop_reminders()


def test_a_previewed_recurrence_is_saved_by_its_button(http_bot: HttpBot) -> None:
    preview = http_bot.post_command('påminnelse ny "Statusmøte med Hdir" hver første tirsdag '
                                    "kl 10", ADMIN, CHANNEL)
    assert preview.status == 200 and preview.json["response_type"] == "ephemeral"
    buttons = {b["text"]["text"]: b for block in preview.json["blocks"]
               if block["type"] == "actions" for b in block["elements"]}
    assert set(buttons) == {"Lagre", "Avbryt"}
    assert "ingen påminnelser" in http_bot.runtime.handle("påminnelser", ADMIN, CHANNEL).text

    lagre = buttons["Lagre"]
    body = block_actions_body(lagre["action_id"], lagre["value"], user_id=ADMIN,
                              channel_id=CHANNEL, response_url=http_bot.fake_slack.response_url)
    assert http_bot.post_signed(body).status == 200
    removed, saved = http_bot.fake_slack.wait_for("respond", 2)
    assert removed.params.get("delete_original") is True
    assert saved.params["response_type"] == "in_channel"
    assert saved.params["text"].startswith("Påminnelse #1 lagret: «Statusmøte med Hdir»")
    assert "#1 «Statusmøte med Hdir»" in http_bot.runtime.handle("påminnelser", ADMIN,
                                                                  CHANNEL).text


def test_creating_a_reminder_where_the_bot_is_not_says_so(http_bot: HttpBot) -> None:
    http_bot.fake_slack.answer("conversations.info", lambda p: {
        "ok": True, "channel": {"id": p.get("channel"), "is_channel": True,
                                "is_member": False}})
    reply = http_bot.post_command('påminnelse ny "Ring Lillesand" i morgen kl 9', ADMIN, CHANNEL)
    assert "Jeg er ikke med i denne kanalen" in reply.json["text"]
    assert [c.params["channel"] for c in http_bot.fake_slack.calls("conversations.info")] == [
        CHANNEL]
    status = http_bot.post_command("status Agder", ADMIN, CHANNEL)
    assert status.status == 200
    assert len(http_bot.fake_slack.calls("conversations.info")) == 1, \
        "only reminder commands ask Slack about the channel"


def test_button_answers_show_the_reminder_text_as_typed(http_bot: HttpBot) -> None:
    """A reminder whose text pings and links (as Slack delivers a typed @channel and link):
    the snooze confirmation, the refusal of a second snooze and the message after «Levert»
    show it as text. The fake Slack also checks every message for live markup."""
    runtime, fake = http_bot.runtime, http_bot.fake_slack
    hostile = "<!channel> fyll ut <https://evil.example|Hdir-skjema> & <!here>"
    reply = runtime.handle(f'påminnelse frist "{hostile}" 10. desember', ADMIN, CHANNEL)
    found = re.search(r"#(\d+)", reply.text)
    assert found, reply.text
    rid = int(found.group(1))
    grant(runtime, LEDER, "Agder")
    shown = ("&lt;!channel&gt; fyll ut &lt;https://evil.example|Hdir-skjema&gt; &amp; "
             "&lt;!here&gt;")
    message = deadline_message(rid)
    message["blocks"][0]["text"]["text"] = f"*Frist:* {shown}"

    press(http_bot, SNOOZE_ACTION, str(rid), message)
    press(http_bot, SNOOZE_ACTION, str(rid), message)
    answers = sorted(a.params["text"] for a in fake.wait_for(RESPOND, 2))
    assert answers[0] == (f"Du har allerede bedt meg minne dere på «{shown}» igjen fra denne "
                          "meldingen.")
    assert answers[1].startswith(f"Ok, jeg minner dere på «{shown}» igjen ")

    press(http_bot, LEVERT_ACTION, f"{rid}|2026-12-10", message)
    (update,) = fake.wait_for("chat.update")
    assert update.params["blocks"][0]["text"]["text"] == f"*Frist:* {shown}", \
        "what Slack sent back is already escaped and is not escaped twice"
    assert fake.broken == []
