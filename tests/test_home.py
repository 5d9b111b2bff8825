"""The App Home tab: what it shows (``commands.home``, against a hand-built store with known
figures) and how Slack gets it (``bot.home``: ``views.publish`` on ``app_home_opened`` and after
each write; its buttons open the forms and run the report).

The Slack tests send signed requests into the bot's HTTP application in this process, against
the fake Web API, which checks every published view against Slack's limits for the Home tab.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.background import Background
from bot.runtime import Runtime
from commands.base import COMMAND_ACTION_PREFIX
from commands.dispatch import form_for, read
from commands.home import FORM_BUTTONS, home_view, progress_bar
from schedules.messages import LEVERT_ACTION
from storage.models import Reminder
from tests.support.fake_slack import FakeSlack
from tests.support.http_bot import HttpBot, assert_reply
from tests.support.local_slack import LocalSlack, local_slack
from tests.support.runtime import ADMIN, grant, say
from tests.support.slack_limits import assert_home_within_limits
from tests.support.slack_requests import (
    CHANNEL,
    app_home_opened_body,
    block_actions_payload,
    dm_of,
    home_button_payload,
    sign_request,
    view_submission_payload,
)

KARI = "U0KARI01"
"""Coordinator for Agder."""
LESER = "U0LESER1"
"""Reader for Agder."""
NOBODY = "U0NOBODY"

AGDER = [
    "logg-møte Kristiansand i går",
    "logg-møte Grimstad, Arendal 3. mars tema: <!here> mat & <b>drikke</b>",
    "tilby-møte Lillesand",
    "planlegg-møte Vennesla 10. desember",
    'nettverk ny "Mat" tema: mat og måltider fra 1. mars til 30. november',
    'nettverk inviter "Mat" Birkenes og Iveland',
    'nettverk deltar "Mat" Iveland 1. mars',
    "plan Lillesand vedtatt 12. mai",
    "fase Birkenes 2",
    "påminnelse standard",
]
"""Kari's year in Agder (25 kommuner): offered Kristiansand, Grimstad, Arendal, Lillesand and
Vennesla (5); held the first three (3); held or planned four (Vennesla's plan is ahead);
invited Birkenes and Iveland (2), Iveland taking part (1); Lillesand's plan adopted (1);
Birkenes in phase 2."""


def build_agder(rt: Runtime) -> None:
    grant(rt, KARI, "Agder")
    grant(rt, LESER, "Agder", "leser")
    for line in AGDER:
        assert "ble ikke" not in say(rt, line, KARI), line
    # Another embete's meeting counts in none of Agder's figures.
    say(rt, "logg-møte Bergen i går", ADMIN)


def sections(view: dict[str, Any]) -> str:
    """The text of every section and context of a view, as Slack gets it."""
    parts = []
    for block in view["blocks"]:
        if block["type"] == "section":
            parts.append(block["text"]["text"])
        elif block["type"] == "context":
            parts += [e["text"] for e in block["elements"]]
    return "\n".join(parts)


def buttons(view: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["text"]["text"], e["value"]) for b in view["blocks"] if b["type"] == "actions"
            for e in b["elements"]]


def home_of(rt: Runtime, user: str) -> dict[str, Any]:
    with rt.db.read() as session:
        return home_view(rt.context(user), session=session)


# --- what it shows ----------------------------------------------------------------------------


def test_the_home_tab_shows_the_embetes_figures_as_status_does_with_bars(runtime: Runtime
                                                                          ) -> None:
    build_agder(runtime)
    view = home_of(runtime, KARI)
    assert_home_within_limits(view)
    text = sections(view)
    assert text.startswith("*Statsforvalteren i Agder* – dialogmøter i 2026 · 25 kommuner\n")
    expected = [
        ("Fått tilbud om dialogmøte", "▓▓░░░░░░░░ 5 av 25 (20 %)"),
        ("Gjennomført dialogmøte", "▓░░░░░░░░░ 3 av 25 (12 %)"),
        ("Gjennomført eller planlagt dialogmøte", "▓▓░░░░░░░░ 4 av 25 (16 %)"),
        ("Invitert til læringsnettverk", "▓░░░░░░░░░ 2 av 25 (8 %)"),
        ("Deltar i læringsnettverk", "▓░░░░░░░░░ 1 av 25 (4 %)"),
        ("Vedtatt plan eller beskrevet prosess", "▓░░░░░░░░░ 1 av 25 (4 %)"),
    ]
    assert "\n".join(f"*{label}*\n{bar}" for label, bar in expected) in text
    assert "Fase: 1: 0 · 2: 1 · 3: 0 · 4: 0 · ikke ført: 24" in text
    # The same words and numbers as /lhl status, line for line.
    status = say(runtime, "status", KARI)
    for label, bar in expected:
        assert f"{label}: {bar.split(' ', 1)[1]}" in status


def test_the_home_tab_shows_the_next_deadline_the_embetes_reminders_and_the_latest_entries(
        runtime: Runtime) -> None:
    build_agder(runtime)
    text = sections(home_of(runtime, KARI))
    assert ("*Frister og påminnelser*\nNeste rapport til Helsedirektoratet: 1. mai 2027 "
            "(om 158 dager)\n• fredag 16. april 2027 kl. 09.00 – 14 dager før fristen 1. mai "
            "2027 (flyttet fra lørdag 17. april 2027): «Rapportering til Helsedirektoratet» "
            f"i <#{CHANNEL}>") in text
    entries = re.findall(r"^#(\d+) · .* · <@(\w+)> · (.*)$", text, re.MULTILINE)
    # The five latest of Agder's, newest first, as /lhl logg shows them; Bergen is not Agder's.
    logg = say(runtime, "logg 5", KARI)
    assert [f"#{n} · " in logg for n, _, _ in entries] == [True] * 5
    assert [who for _, who, _ in entries] == [KARI] * 5
    assert entries[0][2].startswith("Birkenes i fase 2")
    assert "*Siste føringer* (9)" in text  # each line of AGDER but the reminder


def test_what_users_wrote_is_shown_as_written_never_as_markup(runtime: Runtime) -> None:
    grant(runtime, KARI, "Agder")
    say(runtime, 'nettverk ny "<!here> mat & <b>drikke</b>" fra 1. mars', KARI)
    say(runtime, 'påminnelse ny "<!channel> & frokost" i morgen kl 9', KARI, channel="C0ANNEN")
    say(runtime, "påminnelse lagre", KARI, channel="C0ANNEN")
    view = home_of(runtime, KARI)
    assert_home_within_limits(view)
    text = sections(view)
    assert "læringsnettverket «&lt;!here&gt; mat &amp; &lt;b&gt;drikke&lt;/b&gt;»" in text
    assert "«&lt;!channel&gt; &amp; frokost» i <#C0ANNEN>" in text


def test_a_coordinator_gets_the_forms_and_the_report_a_reader_only_the_report(
        runtime: Runtime) -> None:
    build_agder(runtime)
    shown = buttons(home_of(runtime, KARI))
    assert shown == [*FORM_BUTTONS, ("Send rapport", "rapport")]
    assert buttons(home_of(runtime, LESER)) == [("Send rapport", "rapport")]
    assert "*Statsforvalteren i Agder*" in sections(home_of(runtime, LESER))
    for _label, text in FORM_BUTTONS:
        assert form_for(read(text)) is not None, f"{text} opens no form"


def test_someone_without_access_is_welcomed_and_told_how_to_get_it(runtime: Runtime) -> None:
    view = home_of(runtime, NOBODY)
    assert_home_within_limits(view)
    text = sections(view)
    assert text.startswith("*Velkommen til lhl*")
    assert "Be en administrator om tilgang" in text
    assert buttons(view) == []
    assert "Gjennomført" not in text


def test_an_administrator_of_no_embete_sees_the_whole_country(runtime: Runtime) -> None:
    build_agder(runtime)
    text = sections(home_of(runtime, ADMIN))
    assert text.startswith("*Hele landet* – dialogmøter i 2026 · 357 kommuner\n")
    assert "*Gjennomført dialogmøte*\n▓░░░░░░░░░ 4 av 357 (1 %)" in text
    assert "*Siste føringer* (10)" in text  # Bergen's too
    # Kari's reminder is Agder's, not one of the country's.
    assert "Ingen påminnelser for embetet." in text


def test_lots_of_data_stays_within_the_home_tabs_limits(runtime: Runtime) -> None:
    grant(runtime, KARI, "Agder")
    long = "x" * 450
    for i in range(30):
        say(runtime, f'påminnelse frist "{long} {i} <b>" 1. desember', KARI,
            channel=f"C0K{i:04d}")
    for i in range(40):
        say(runtime, f"logg-møte Grimstad, Arendal, Lillesand, Birkenes {i % 28 + 1}. mars "
                     f"tema: {'ø' * 200} & {i}", KARI)
    view = home_of(runtime, KARI)
    assert_home_within_limits(view)
    text = sections(view)
    assert text.count(f"«{long}") == 5
    assert len(re.findall(r"^#\d+ · ", text, re.MULTILINE)) == 5


def test_the_bar() -> None:
    assert progress_bar(15, 25) == "▓▓▓▓▓▓░░░░"
    assert progress_bar(0, 25) == "░" * 10
    assert progress_bar(1, 357) == "▓" + "░" * 9, "a start shows"
    assert progress_bar(356, 357) == "▓" * 9 + "░", "only all of them fills the bar"
    assert progress_bar(25, 25) == "▓" * 10
    assert progress_bar(0, 0) == "░" * 10


# --- Slack ------------------------------------------------------------------------------------


@pytest.fixture
def slack(fake_slack: FakeSlack, tmp_path: Path) -> Iterator[LocalSlack]:
    with local_slack(fake_slack, f"sqlite:///{tmp_path / 'lhl.db'}") as found:
        grant(found.runtime, KARI, "Agder")
        yield found


def published(fake: FakeSlack, count: int = 1) -> dict[str, Any]:
    """The view of the ``count``-th ``views.publish`` (waiting for it)."""
    call = fake.wait_for("views.publish", count)[count - 1]
    view = call.params["view"]
    found: dict[str, Any] = json.loads(view) if isinstance(view, str) else view
    return {**found, "user_id": call.params["user_id"]}


def test_opening_the_home_tab_publishes_it(slack: LocalSlack) -> None:
    resp = slack.event(app_home_opened_body(KARI))
    assert (resp.status, resp.body) == (200, b"")
    view = published(slack.fake)
    assert view["user_id"] == KARI and view["type"] == "home"
    assert "*Statsforvalteren i Agder*" in sections(view)
    assert "*Gjennomført dialogmøte*\n░░░░░░░░░░ 0 av 25 (0 %)" in sections(view)


def test_the_messages_tab_publishes_nothing(slack: LocalSlack) -> None:
    slack.event(app_home_opened_body(KARI, tab="messages"))
    slack.settle()
    assert slack.fake.calls("views.publish") == []


def test_a_typed_write_publishes_the_home_tab_again_and_a_read_does_not(
        slack: LocalSlack) -> None:
    slack.command("status Agder", KARI)
    slack.command('nettverk vis "Mat"', KARI)  # a write command that only reads here
    resp = slack.command("logg-møte Kristiansand i går", KARI)
    assert resp.json["text"].startswith("Lagret: dialogmøte holdt med Kristiansand")
    view = published(slack.fake)
    assert view["user_id"] == KARI
    assert "*Gjennomført dialogmøte*\n▓░░░░░░░░░ 1 av 25 (4 %)" in sections(view)
    slack.settle()
    assert len(slack.fake.calls("views.publish")) == 1


def test_a_submitted_form_publishes_the_home_tab_again(slack: LocalSlack) -> None:
    slack.command("logg-møte", KARI)
    form = slack.fake.wait_for("views.open")[0].params["view"]
    resp = slack.interact(view_submission_payload(form, {"kommuner": ["4204"]}, user_id=KARI))
    assert resp.status == 200
    view = published(slack.fake)
    assert view["user_id"] == KARI
    assert "*Gjennomført dialogmøte*\n▓░░░░░░░░░ 1 av 25 (4 %)" in sections(view)


def test_a_home_button_opens_its_form_and_the_answer_comes_as_a_direct_message(
        slack: LocalSlack) -> None:
    payload = home_button_payload(f"{COMMAND_ACTION_PREFIX}logg-møte", "logg-møte",
                                  user_id=KARI)
    assert slack.interact(payload).status == 200
    (opened,) = slack.fake.wait_for("views.open")
    assert opened.params["trigger_id"] == payload["trigger_id"]
    form = opened.params["view"]
    assert form["callback_id"] == "lhl_form:logg-mote"
    slack.interact(view_submission_payload(form, {"kommuner": ["4204"]}, user_id=KARI))
    (answer,) = slack.fake.wait_for("chat.postMessage")
    assert answer.params["channel"] == KARI
    assert answer.params["text"].startswith("Lagret: dialogmøte holdt med Kristiansand")
    published(slack.fake)


def test_a_reader_pressing_a_form_button_is_told_why_in_a_direct_message(
        slack: LocalSlack) -> None:
    grant(slack.runtime, LESER, "Agder", "leser")
    slack.interact(home_button_payload(f"{COMMAND_ACTION_PREFIX}plan", "plan", user_id=LESER))
    (answer,) = slack.fake.wait_for("chat.postMessage")
    assert answer.params["channel"] == dm_of(LESER)
    assert answer.params["text"].startswith("Du har lesetilgang for Statsforvalteren i Agder")
    assert slack.fake.calls("views.open") == []


def test_the_report_button_sends_the_report_and_its_workbook_in_the_direct_message(
        slack: LocalSlack) -> None:
    slack.interact(home_button_payload(f"{COMMAND_ACTION_PREFIX}rapport", "rapport",
                                       user_id=KARI))
    (answer,) = slack.fake.wait_for("chat.postMessage")
    dm = dm_of(KARI)
    assert answer.params["channel"] == dm
    assert answer.params["text"].startswith(
        "Arbeidsboka kommer som fil i direktemeldingen din fra lhl.\n"
        "*Rapport for Statsforvalteren i Agder per 1. mai 2027*")
    (shared,) = slack.fake.shared_files(1)
    assert shared.channel == dm and shared.filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(shared.content)).worksheets[0]
    assert any("Agder" in str(c.value) for row in sheet.iter_rows() for c in row)


def test_a_home_tab_slack_refuses_is_logged_and_shown_to_no_one(
        slack: LocalSlack, caplog: pytest.LogCaptureFixture) -> None:
    slack.fake.answer("views.publish", {"ok": False, "error": "invalid_blocks"})
    resp = slack.command("logg-møte Kristiansand i går", KARI)
    assert resp.json["text"].startswith("Lagret: dialogmøte holdt med Kristiansand")
    slack.settle()
    assert "home tab not published (invalid_blocks) user=U0KARI01" in caplog.text
    assert slack.fake.calls("chat.postMessage") == []
    assert slack.fake.calls("chat.postEphemeral") == []


def test_a_write_button_publishes_the_home_tab_again(slack: LocalSlack) -> None:
    say(slack.runtime, "påminnelse standard", KARI)
    with slack.runtime.db.read() as session:
        reminder = session.get(Reminder, 1)
        assert reminder is not None and reminder.channel_id == CHANNEL
    message = {"type": "message", "ts": "1700000000.000001", "text": "Frist", "blocks": []}
    slack.interact(block_actions_payload(LEVERT_ACTION, "1|2027-05-01", user_id=KARI,
                                         message=message, response_url=slack.fake.response_url))
    slack.fake.wait_for("chat.update")  # «Levert» was pressed, and the message says so
    assert published(slack.fake)["user_id"] == KARI


def test_lhl_http_publishes_the_home_tab_from_its_worker(http_bot: HttpBot) -> None:
    grant(http_bot.runtime, KARI, "Agder")
    body = app_home_opened_body(KARI)
    resp = http_bot.request("POST", "/slack/events", body, {
        "Content-Type": "application/json", **sign_request(body, http_bot.secret)})
    assert (resp.status, resp.body) == (200, b"")
    view = published(http_bot.fake_slack)
    assert view["user_id"] == KARI
    assert "*Statsforvalteren i Agder*" in sections(view)
    assert_reply(http_bot.post_command("logg-møte Kristiansand i går", KARI), "Lagret")
    assert "▓░░░░░░░░░ 1 av 25 (4 %)" in sections(published(http_bot.fake_slack, 2))
    http_bot.stop_cleanly()


def test_a_burst_of_refreshes_is_published_once_with_all_of_it() -> None:
    runs: list[str] = []
    work = Background()
    for user in ("U1", "U1", "U2", "U1"):
        work.run("home", partial(runs.append, user), key=f"home:{user}", delay=60)
    work.shutdown()  # starts what waits for its delay at once
    assert sorted(runs) == ["U1", "U2"], "one run per user while it waits"
