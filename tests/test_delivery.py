"""Delivering reminders with an injected ``now``: claims, grace, failures, 429s, the buttons and
the scheduler kept in step with the store. Nothing here waits for the clock."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.senders import ConsoleSender, SlackSender
from commands.base import Press, UsageError
from commands.paminnelse_knapper import (
    mark_delivered,
    parse_levert_value,
    parse_snooze_value,
    snooze,
    undo_delivered,
)
from schedules.delivery import CLAIMED_ELSEWHERE, Outcome, deliver_due
from schedules.lifecycle import create as create_reminder
from schedules.lifecycle import pause
from schedules.messages import LEVERT_ACTION, SNOOZE_ACTION, delivered_message
from schedules.rules import Deadlines, Once, Rule, Weekly
from schedules.senders import SendError
from schedules.service import ReminderService, job_id
from storage.db import Database, open_database
from storage.deliveries import deliveries_of, done_deadlines, schedule_row
from storage.models import (
    COORDINATOR,
    DEADLINE,
    FAILED,
    MESSAGE,
    READER,
    SENT,
    SKIPPED,
    Reminder,
)
from storage.queries import add_meeting, grant_access
from storage.reference import Geography
from storage.reminders import delete_reminder
from storage.setup import prepare
from tests.support.clock import NOW, OSLO, Clock
from tests.support.fake_slack import FakeSlack
from tests.support.runtime import BOT_TOKEN
from tests.support.senders import RecordingSender
from tests.support.slack_requests import CHANNEL
from voice.reply import text_only

GRACE = timedelta(hours=6)
CREATOR = "U0KOORD1"


@dataclass
class Store:
    db: Database
    geo: Geography
    url: str

    def add(self, rule: Rule, *, text: str = "Statusmøte med Hdir", kind: str = MESSAGE,
            embete_id: str | None = None, now: datetime = NOW, channel: str = CHANNEL) -> int:
        with self.db.write() as session:
            reminder = create_reminder(channel, kind, text, rule, embete_id=embete_id,
                                       by=CREATOR, now=now, tz=OSLO, session=session)
            assert reminder.id is not None
            return reminder.id

    def reminder(self, rid: int) -> Reminder:
        with self.db.read() as session:
            found = session.get(Reminder, rid)
        assert found is not None
        return found

    def deliveries(self, rid: int) -> list[tuple[str, str, str | None]]:
        with self.db.read() as session:
            return [(d.occurrence_key, d.status, d.reason)
                    for d in deliveries_of(rid, session=session)]


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    db, geo = prepare(store_url)
    yield Store(db, geo, store_url)
    db.dispose()


def deliver(store: Store, now: datetime, sender: Any, *, db: Database | None = None,
            process_id: str = "test:1", reminder_id: int | None = None) -> list[Outcome]:
    return deliver_due(db or store.db, now=now, sender=sender, tz=OSLO, grace=GRACE,
                       process_id=process_id, reminder_id=reminder_id, geo=store.geo)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, clock_time(hour, minute), tzinfo=OSLO)


IN_AN_HOUR = NOW + timedelta(hours=1)


# --- at most once -----------------------------------------------------------------------------


def test_two_runs_at_the_same_moment_post_once(store: Store) -> None:
    rid = store.add(Once(at=IN_AN_HOUR))
    sender = RecordingSender()
    other_process = open_database(store.url)
    try:
        first = deliver(store, IN_AN_HOUR, sender)
        second = deliver(store, IN_AN_HOUR, sender, db=other_process, process_id="test:2")
    finally:
        other_process.dispose()
    assert [o.status for o in first] == [SENT] and second == []
    assert len(sender.posts) == 1
    assert store.deliveries(rid) == [("2026-11-24T11:00", SENT, None)]
    assert store.reminder(rid).next_due_at is None


def test_a_process_that_finds_the_occurrence_claimed_moves_on_without_posting(
        store: Store) -> None:
    """The race itself: while the first process is between its claim and its mark, a second
    one (its own Database, as another process has) delivers the same reminder."""
    rid = store.add(Weekly(weekday=1, at=clock_time(11, 0)))
    other_process = open_database(store.url)
    seen: list[Outcome] = []

    class RacingSender(RecordingSender):
        def post(self, channel: str, text: str, blocks: list[dict[str, Any]]) -> str | None:
            seen.extend(deliver(store, IN_AN_HOUR, RecordingSender(), db=other_process,
                                process_id="test:2"))
            return super().post(channel, text, blocks)

    sender = RacingSender()
    try:
        outcomes = deliver(store, IN_AN_HOUR, sender)
    finally:
        other_process.dispose()
    assert [o.status for o in seen] == [CLAIMED_ELSEWHERE]
    assert [o.status for o in outcomes] == [SENT]
    assert len(sender.posts) == 1
    assert store.deliveries(rid) == [("2026-11-24T11:00", SENT, None)]
    assert store.reminder(rid).next_key == "2026-12-01T11:00", "advanced once, not twice"


def test_a_claim_left_by_a_crash_is_never_sent(store: Store) -> None:
    rid = store.add(Weekly(weekday=1, at=clock_time(11, 0)))

    class CrashingSender(RecordingSender):
        def post(self, channel: str, text: str, blocks: list[dict[str, Any]]) -> str | None:
            raise SystemExit("the process dies mid-send")

    with pytest.raises(SystemExit):
        deliver(store, IN_AN_HOUR, CrashingSender())
    after_restart = RecordingSender()
    outcomes = deliver(store, IN_AN_HOUR + timedelta(minutes=1), after_restart)
    assert [o.status for o in outcomes] == [CLAIMED_ELSEWHERE]
    assert after_restart.posts == []
    assert store.deliveries(rid) == [("2026-11-24T11:00", "claimed", None)]
    assert store.reminder(rid).next_key == "2026-12-01T11:00"


# --- grace ------------------------------------------------------------------------------------


def test_five_hours_late_is_sent_seven_hours_late_is_skipped_and_recorded(store: Store) -> None:
    sent_late = store.add(Once(at=IN_AN_HOUR), text="Fem timer")
    skipped = store.add(Once(at=IN_AN_HOUR - timedelta(hours=2)), text="Sju timer",
                        now=NOW - timedelta(days=1))
    sender = RecordingSender()
    outcomes = deliver(store, IN_AN_HOUR + timedelta(hours=5), sender)
    assert {(o.reminder_id, o.status) for o in outcomes} == {(sent_late, SENT),
                                                             (skipped, SKIPPED)}
    assert [p.text.splitlines()[0] for p in sender.posts] == ["*Påminnelse:* Fem timer"]
    assert store.deliveries(skipped) == [
        ("2026-11-24T09:00", SKIPPED, "boten var nede; 7 timer for sent")]
    assert store.reminder(skipped).next_due_at is None


def test_a_weekly_reminder_after_weeks_down_records_each_miss_and_sends_the_fresh_one(
        store: Store) -> None:
    rid = store.add(Weekly(weekday=1, at=clock_time(11, 0)))
    three_weeks_on = IN_AN_HOUR + timedelta(weeks=3, hours=1)
    sender = RecordingSender()
    outcomes = deliver(store, three_weeks_on, sender)
    assert [(o.key, o.status) for o in outcomes] == [
        ("2026-11-24T11:00", SKIPPED), ("2026-12-01T11:00", SKIPPED),
        ("2026-12-08T11:00", SKIPPED), ("2026-12-15T11:00", SENT)]
    assert len(sender.posts) == 1
    assert store.reminder(rid).next_key == "2026-12-22T11:00"


def test_paused_and_deleted_reminders_are_not_sent(store: Store) -> None:
    paused = store.add(Once(at=IN_AN_HOUR))
    deleted = store.add(Once(at=IN_AN_HOUR), text="Borte")
    with store.db.write() as session:
        pause(session.get(Reminder, paused), now=NOW, session=session)  # type: ignore[arg-type]
        delete_reminder(session.get(Reminder, deleted), now=NOW,  # type: ignore[arg-type]
                        session=session)
    sender = RecordingSender()
    assert deliver(store, IN_AN_HOUR, sender) == []
    assert sender.posts == []


# --- failures and Slack -----------------------------------------------------------------------


def test_a_failed_delivery_is_recorded_and_its_creator_told_by_dm(
        store: Store, fake_slack: FakeSlack) -> None:
    def post_message(p: dict[str, Any]) -> dict[str, Any]:
        if p["channel"] == CHANNEL:
            return {"ok": False, "error": "not_in_channel"}
        return {"ok": True, "channel": p["channel"], "ts": "1700000000.000009"}

    fake_slack.answer("chat.postMessage", post_message)
    rid = store.add(Once(at=IN_AN_HOUR))
    sender = SlackSender(WebClient(token=BOT_TOKEN, base_url=fake_slack.url))
    outcomes = deliver(store, IN_AN_HOUR, sender)
    assert [(o.status, o.reason) for o in outcomes] == [(FAILED, "jeg er ikke med i kanalen")]
    assert store.deliveries(rid) == [("2026-11-24T11:00", FAILED, "jeg er ikke med i kanalen")]
    to_channel, to_creator = fake_slack.calls("chat.postMessage")
    assert to_channel.params["channel"] == CHANNEL
    assert to_creator.params["channel"] == CREATOR
    dm = to_creator.params["text"]
    assert dm.startswith(f"Påminnelsen #{rid} «Statusmøte med Hdir» kom ikke fram i <#C0LHL> "
                         "tirsdag 24. november 2026 kl. 11.00: jeg er ikke med i kanalen.")
    assert "`/invite @lhl`" in dm
    assert store.reminder(rid).next_due_at is None, "a failure is not retried forever"


def test_a_429_is_waited_out_and_the_reminder_arrives_once(
        store: Store, fake_slack: FakeSlack) -> None:
    fake_slack.rate_limit("chat.postMessage", times=1, retry_after=1)
    rid = store.add(Once(at=IN_AN_HOUR))
    sender = SlackSender(WebClient(token=BOT_TOKEN, base_url=fake_slack.url))
    started = time.monotonic()
    outcomes = deliver(store, IN_AN_HOUR, sender)
    waited = time.monotonic() - started
    assert [o.status for o in outcomes] == [SENT]
    calls = fake_slack.calls("chat.postMessage")
    assert [c.status for c in calls] == [429, 200]
    assert waited >= 1.0, "Retry-After: 1 was honoured"
    assert store.deliveries(rid)[0][1] == SENT


def test_rate_limits_that_never_end_fail_after_a_bounded_number_of_tries(
        store: Store, fake_slack: FakeSlack) -> None:
    fake_slack.rate_limit("chat.postMessage", times=100, retry_after=0)
    store.add(Once(at=IN_AN_HOUR))
    sender = SlackSender(WebClient(token=BOT_TOKEN, base_url=fake_slack.url))
    outcomes = deliver(store, IN_AN_HOUR, sender)
    assert [(o.status, o.reason) for o in outcomes] == [
        (FAILED, "Slack ba meg vente, for mange ganger på rad")]
    # One try and three retries for the post; the DM to the creator is limited too.
    assert 4 <= len(fake_slack.calls("chat.postMessage")) <= 8


def test_the_console_prints_reminders(store: Store) -> None:
    import io

    out = io.StringIO()
    store.add(Once(at=IN_AN_HOUR))
    deliver(store, IN_AN_HOUR, ConsoleSender(out))
    assert "[påminnelse] *Påminnelse:* Statusmøte med Hdir\ntirsdag 24. november 2026 kl. 11.00" \
        in out.getvalue()


# --- what a reminder says ---------------------------------------------------------------------


def test_a_deadline_reminder_carries_the_embetes_figures_and_both_buttons(store: Store) -> None:
    with store.db.write() as session:
        add_meeting("holdt", date(2026, 3, 1), [store.geo.kommuner["4204"]], by=CREATOR,
                    now=NOW, session=session)
    rid = store.add(Deadlines(dates=(date(2026, 12, 10),)), text="Rapport til Hdir",
                    kind=DEADLINE, embete_id="agder")
    sender = RecordingSender()
    deliver(store, at(date(2026, 11, 26), 9), sender)
    (post,) = sender.posts
    assert post.text == (
        "*Frist:* Rapport til Hdir\n"
        "Frist 10. desember 2026 (om 14 dager)\n"
        "*Statsforvalteren i Agder* – dialogmøter i 2026\n"
        "Fått tilbud om dialogmøte: 1 av 25 (4 %)\n"
        "Gjennomført dialogmøte: 1 av 25 (4 %)\n"
        "Gjennomført eller planlagt dialogmøte: 1 av 25 (4 %)")
    buttons = post.blocks[-1]["elements"]
    assert [(b["text"]["text"], b["action_id"], b["value"]) for b in buttons] == [
        ("Levert", LEVERT_ACTION, f"{rid}|2026-12-10"),
        ("Minn meg på i morgen", SNOOZE_ACTION, str(rid))]


def test_a_deadline_reminder_without_an_embete_carries_the_national_figures(
        store: Store) -> None:
    with store.db.write() as session:
        add_meeting("holdt", date(2026, 3, 1), [store.geo.kommuner["4204"],
                                                store.geo.kommuner["4601"]],
                    by=CREATOR, now=NOW, session=session)
    store.add(Deadlines(dates=(date(2026, 12, 10),)), text="Rapport til Hdir", kind=DEADLINE,
              embete_id=None)
    sender = RecordingSender()
    deliver(store, at(date(2026, 11, 26), 9), sender)
    (post,) = sender.posts
    assert post.text.endswith("*Hele landet* – dialogmøter i 2026\n"
                              "Fått tilbud om dialogmøte: 2 av 357 (1 %)\n"
                              "Gjennomført dialogmøte: 2 av 357 (1 %)\n"
                              "Gjennomført eller planlagt dialogmøte: 2 av 357 (1 %)")


def test_a_message_reminder_names_the_moment_and_offers_only_the_snooze(store: Store) -> None:
    store.add(Once(at=at(date(2026, 12, 1), 10), lead_minutes=15))
    sender = RecordingSender()
    deliver(store, at(date(2026, 12, 1), 9, 45), sender)
    (post,) = sender.posts
    assert post.text == ("*Påminnelse:* Statusmøte med Hdir\n"
                         "tirsdag 1. desember 2026 kl. 10.00 (om 15 minutter)")
    assert [b["action_id"] for b in post.blocks[-1]["elements"]] == [SNOOZE_ACTION]


def test_on_the_deadline_day_it_says_today(store: Store) -> None:
    store.add(Deadlines(dates=(date(2026, 12, 10),), lead_days=(0,)), kind=DEADLINE,
              text="Rapport")
    sender = RecordingSender()
    deliver(store, at(date(2026, 12, 10), 9), sender)
    assert "Frist 10. desember 2026 (i dag)" in sender.posts[0].text


# --- the buttons ------------------------------------------------------------------------------


def admin(user_id: str, now: datetime, message_ts: str = "1700000000.000001") -> Press:
    """A press in ``CHANNEL`` by an administrator (who may press every button)."""
    return Press(user_id=user_id, channel_id=CHANNEL, now=now, is_admin=True,
                 message_ts=message_ts)


def test_levert_stops_further_reminders_for_that_deadline(store: Store) -> None:
    rid = store.add(Deadlines(dates=(date(2026, 12, 10), date(2027, 1, 11))), kind=DEADLINE,
                    text="Rapport til Hdir")
    sender = RecordingSender()
    deliver(store, at(date(2026, 11, 26), 9), sender)
    value = sender.posts[0].blocks[-1]["elements"][0]["value"]
    marked_at = at(date(2026, 11, 26), 10)
    line = mark_delivered(store.db, *parse_levert_value(value), admin("U0LEDER", marked_at))
    assert line == "Levert – markert av <@U0LEDER> 26. november 2026 kl. 10.00."
    again = mark_delivered(store.db, rid, date(2026, 12, 10),
                           admin("U0ANDRE", marked_at + timedelta(hours=1)))
    assert again == line, "the first marking stands"
    assert store.reminder(rid).next_key == "2027-01-11/14", "on to the next deadline"
    for day in (date(2026, 12, 3), date(2026, 12, 9), date(2026, 12, 10)):
        deliver(store, at(day, 9), sender)
    assert len(sender.posts) == 1
    deliver(store, at(date(2026, 12, 28), 9), sender)
    assert "Frist 11. januar 2027" in sender.posts[-1].text


def test_levert_marked_between_scheduling_and_sending_is_respected(store: Store) -> None:
    rid = store.add(Deadlines(dates=(date(2026, 12, 10),), lead_days=(1, 0)), kind=DEADLINE)
    with store.db.write() as session:
        from storage.deliveries import mark_deadline_done

        mark_deadline_done(rid, date(2026, 12, 10), by="U0LEDER", now=NOW, session=session)
    sender = RecordingSender()
    outcomes = deliver(store, at(date(2026, 12, 9), 9), sender)
    assert [o.status for o in outcomes] == ["done"]
    assert sender.posts == [] and store.reminder(rid).next_due_at is None


def test_the_levert_message_replaces_the_buttons_with_who_and_when() -> None:
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Frist:* X"}},
        {"type": "actions", "block_id": "lhl_reminder_actions", "elements": []}]
    updated = delivered_message(blocks, "Levert – markert av <@U1> i dag.")
    assert [b["type"] for b in updated.blocks] == ["section", "context"]
    assert updated.text.endswith("Levert – markert av <@U1> i dag.")


def test_snooze_makes_a_one_off_for_tomorrow_at_nine(store: Store) -> None:
    rid = store.add(Once(at=IN_AN_HOUR))
    answer = text_only(snooze(store.db, rid, admin("U0LEDER", IN_AN_HOUR))).text
    assert answer == ("Ok, jeg minner dere på «Statusmøte med Hdir» igjen onsdag "
                      "25. november 2026 kl. 09.00.")
    with store.db.read() as session:
        from sqlmodel import select

        newest = session.exec(select(Reminder).order_by(Reminder.id.desc())).first()  # type: ignore[union-attr]
    assert newest is not None and newest.id != rid
    assert (newest.channel_id, newest.text, newest.kind, newest.created_by) == (
        CHANNEL, "Statusmøte med Hdir", MESSAGE, "U0LEDER")
    assert newest.next_due_at == at(date(2026, 11, 25), 9)
    sender = RecordingSender()
    deliver(store, at(date(2026, 11, 25), 9), sender)
    assert len(sender.posts) == 1


def test_a_deadline_snoozed_on_a_friday_comes_back_on_monday_with_its_button(
        store: Store) -> None:
    rid = store.add(Deadlines(dates=(date(2026, 12, 10),)), kind=DEADLINE, text="Rapport",
                    embete_id="agder")
    friday = at(date(2026, 11, 27), 10)
    answer = snooze(store.db, rid, admin("U0LEDER", friday), deadline=date(2026, 12, 10))
    assert answer.endswith("igjen mandag 30. november 2026 kl. 09.00.")
    sender = RecordingSender()
    deliver(store, at(date(2026, 11, 30), 9), sender)
    (post,) = sender.posts
    assert "Frist 10. desember 2026 (om 10 dager)" in post.text
    assert post.blocks[-1]["elements"][0]["action_id"] == LEVERT_ACTION
    # "Levert" on the one-off stops the original's reminders for that deadline too.
    snoozed_id, deadline = parse_levert_value(post.blocks[-1]["elements"][0]["value"])
    mark_delivered(store.db, snoozed_id, deadline, admin("U0LEDER", at(date(2026, 11, 30), 9, 5)))
    assert store.reminder(rid).next_due_at is None


def test_buttons_on_a_deleted_reminder_say_so(store: Store) -> None:
    with pytest.raises(UsageError, match="finnes ikke lenger"):
        snooze(store.db, 999, admin("U1", NOW))
    with pytest.raises(UsageError, match="finnes ikke lenger"):
        mark_delivered(store.db, 999, date(2026, 12, 10), admin("U1", NOW))


def reminder_count(store: Store) -> int:
    with store.db.read() as session:
        from sqlmodel import select

        return len(list(session.exec(select(Reminder))))


def test_levert_asks_first_within_slacks_limits_for_the_dialog(store: Store) -> None:
    store.add(Deadlines(dates=(date(2026, 12, 10),)), kind=DEADLINE, text="R" * 500)
    sender = RecordingSender()
    deliver(store, at(date(2026, 11, 26), 9), sender)
    levert = sender.posts[0].blocks[-1]["elements"][0]
    confirm = levert["confirm"]
    assert confirm["title"]["text"] == "Marker som levert?"
    assert "10. desember 2026" in confirm["text"]["text"]
    assert all(confirm[k]["type"] == "plain_text" for k in ("title", "text", "confirm", "deny"))
    limits = {"title": 100, "text": 300, "confirm": 30, "deny": 30}
    assert all(len(confirm[k]["text"]) <= n for k, n in limits.items())


def test_angre_opens_the_deadline_again_and_its_reminders_come_back(store: Store) -> None:
    rid = store.add(Deadlines(dates=(date(2026, 12, 10),)), kind=DEADLINE,
                    text="Rapport til Hdir")
    sender = RecordingSender()
    deliver(store, at(date(2026, 11, 26), 9), sender)
    friday = at(date(2026, 11, 27), 10)
    snooze(store.db, rid, admin("U0LEDER", friday), deadline=date(2026, 12, 10))
    snoozed = rid + 1
    mark_delivered(store.db, rid, date(2026, 12, 10), admin("U0LEDER", friday))
    assert store.reminder(rid).next_due_at is None
    assert store.reminder(snoozed).next_due_at is None

    line = undo_delivered(store.db, rid, date(2026, 12, 10), admin("U0ANDRE", friday))
    assert line == ("Levert angret av <@U0ANDRE> 27. november 2026 kl. 10.00; varslene for "
                    "fristen kommer igjen.")
    assert store.reminder(rid).next_key == "2026-12-10/7"
    assert store.reminder(rid).next_due_at == at(date(2026, 12, 3), 9)
    assert store.reminder(snoozed).next_due_at == at(date(2026, 11, 30), 9), \
        "the one-off snoozed from it comes back too"
    for day in (date(2026, 11, 30), date(2026, 12, 3), date(2026, 12, 9), date(2026, 12, 10)):
        deliver(store, at(day, 9), sender)
    assert [p.text.splitlines()[1] for p in sender.posts[1:]] == [
        "Frist 10. desember 2026 (om 10 dager)", "Frist 10. desember 2026 (om 7 dager)",
        "Frist 10. desember 2026 (i morgen)", "Frist 10. desember 2026 (i dag)"]
    with pytest.raises(UsageError, match="ikke markert som levert"):
        undo_delivered(store.db, rid, date(2026, 12, 10), admin("U0ANDRE", friday))


def test_angre_does_not_move_a_reminder_that_points_earlier(store: Store) -> None:
    rid = store.add(Deadlines(dates=(date(2026, 12, 10), date(2027, 1, 11))), kind=DEADLINE)
    mark_delivered(store.db, rid, date(2027, 1, 11), admin("U0LEDER", NOW))
    assert store.reminder(rid).next_key == "2026-12-10/14"
    undo_delivered(store.db, rid, date(2027, 1, 11), admin("U0LEDER", NOW))
    assert store.reminder(rid).next_key == "2026-12-10/14"
    mark_delivered(store.db, rid, date(2026, 12, 10), admin("U0LEDER", NOW))
    assert store.reminder(rid).next_key == "2027-01-11/14"
    undo_delivered(store.db, rid, date(2026, 12, 10), admin("U0LEDER", NOW))
    assert store.reminder(rid).next_key == "2026-12-10/14"


def test_a_button_value_that_does_not_fit_is_refused_and_stores_nothing(store: Store) -> None:
    here = store.add(Deadlines(dates=(date(2026, 12, 10),)), kind=DEADLINE, text="Her")
    elsewhere = store.add(Deadlines(dates=(date(2026, 12, 10),)), kind=DEADLINE,
                          text="Der", channel="C0ANNEN")
    message = store.add(Once(at=IN_AN_HOUR))
    before = (store.reminder(here).next_key, store.reminder(elsewhere).next_key)
    for refused in (
        lambda: mark_delivered(store.db, elsewhere, date(2026, 12, 10), admin("U1", NOW)),
        lambda: mark_delivered(store.db, here, date(2026, 12, 11), admin("U1", NOW)),
        lambda: mark_delivered(store.db, message, date(2026, 12, 10), admin("U1", NOW)),
        lambda: undo_delivered(store.db, elsewhere, date(2026, 12, 10), admin("U1", NOW)),
        lambda: snooze(store.db, elsewhere, admin("U1", NOW)),
        lambda: snooze(store.db, here, admin("U1", NOW), deadline=date(2027, 1, 1)),
        lambda: parse_levert_value(f"{here}|2026-13-40"),
        lambda: parse_levert_value(f"{here};DROP|2026-12-10"),
        lambda: parse_snooze_value("1e3"),
    ):
        with pytest.raises(UsageError, match="passer ikke") as caught:
            refused()
        assert caught.value.suspicious
    assert (store.reminder(here).next_key, store.reminder(elsewhere).next_key) == before
    with store.db.read() as session:
        assert done_deadlines(here, session=session) == set()
        assert done_deadlines(elsewhere, session=session) == set()
    assert reminder_count(store) == 3


def test_a_yearly_deadline_is_a_deadline_in_every_year(store: Store) -> None:
    rid = store.add(Deadlines(dates=(date(2026, 5, 1),), yearly=True), kind=DEADLINE)
    mark_delivered(store.db, rid, date(2027, 5, 1), admin("U1", NOW))
    with pytest.raises(UsageError, match="passer ikke"):
        mark_delivered(store.db, rid, date(2025, 5, 1), admin("U1", NOW))


def test_who_may_press_the_buttons(store: Store) -> None:
    """Admins, the reminder's creator and the coordinators of its embete; nobody else."""
    with store.db.write() as session:
        grant_access("U0AGDER", "agder", COORDINATOR, by="U0ADMIN", now=NOW, session=session)
        grant_access("U0ROGALAND", "rogaland", COORDINATOR, by="U0ADMIN", now=NOW,
                     session=session)
        grant_access("U0LESER", "agder", READER, by="U0ADMIN", now=NOW, session=session)
    agder = store.add(Deadlines(dates=(date(2026, 12, 10),)), kind=DEADLINE, text="Agder",
                      embete_id="agder")
    national = store.add(Deadlines(dates=(date(2026, 12, 10),)), kind=DEADLINE, text="Landet")

    def press(user: str) -> Press:
        return Press(user_id=user, channel_id=CHANNEL, now=NOW, message_ts=f"1.{user}")

    for user in ("U0ROGALAND", "U0LESER", "U0FREMMED"):
        with pytest.raises(UsageError, match=re.escape(
                "Bare den som lagde påminnelsen, koordinatorene for Statsforvalteren i Agder "
                "og administratorene kan trykke «Levert»; ingenting ble endret.")) as caught:
            mark_delivered(store.db, agder, date(2026, 12, 10), press(user))
        assert not caught.value.suspicious
        with pytest.raises(UsageError, match="kan trykke «Minn meg på i morgen»"):
            snooze(store.db, agder, press(user))
    with pytest.raises(UsageError, match="koordinatorene og administratorene"):
        mark_delivered(store.db, national, date(2026, 12, 10), press("U0LESER"))
    assert reminder_count(store) == 2
    with store.db.read() as session:
        assert done_deadlines(agder, session=session) == set()

    mark_delivered(store.db, agder, date(2026, 12, 10), press("U0AGDER"))
    undo_delivered(store.db, agder, date(2026, 12, 10), press(CREATOR))
    with pytest.raises(UsageError, match="kan trykke «Angre»"):
        undo_delivered(store.db, agder, date(2026, 12, 10), press("U0ROGALAND"))
    mark_delivered(store.db, national, date(2026, 12, 10), press("U0ROGALAND"))
    snooze(store.db, agder, press("U0AGDER"))


def test_snooze_pressed_again_on_the_same_message_makes_no_second_reminder(
        store: Store) -> None:
    rid = store.add(Once(at=IN_AN_HOUR))
    first = snooze(store.db, rid, admin("U0LEDER", IN_AN_HOUR))
    assert first.startswith("Ok, jeg minner dere på")
    for _ in range(29):
        with pytest.raises(UsageError) as refused:
            snooze(store.db, rid, admin("U0LEDER", IN_AN_HOUR))
        assert text_only(refused.value.message).text == (
            "Du har allerede bedt meg minne dere på «Statusmøte med Hdir» igjen fra denne "
            "meldingen.")
    assert reminder_count(store) == 2
    snooze(store.db, rid, admin("U0ANDRE", IN_AN_HOUR))
    snooze(store.db, rid, admin("U0LEDER", IN_AN_HOUR, message_ts="1700000000.000002"))
    assert reminder_count(store) == 4, "another user, or another message, is another snooze"


# --- the scheduler kept in step with the store ------------------------------------------------


ServiceParts = tuple[ReminderService, RecordingSender, Clock[datetime]]


@pytest.fixture
def service_parts(store: Store) -> Iterator[ServiceParts]:
    sender, clock = RecordingSender(), Clock(NOW)
    service = ReminderService(store.db, sender=sender, tz=OSLO, grace=GRACE,
                              process_id="svc:1", clock=clock, sync_seconds=3600,
                              geo=store.geo)
    yield service, sender, clock
    service.stop()


def test_start_catches_up_then_schedules_one_job_per_active_reminder(
        store: Store, service_parts: ServiceParts) -> None:
    service, sender, _ = service_parts
    recent = store.add(Once(at=NOW - timedelta(hours=2)), now=NOW - timedelta(days=1),
                       text="Nylig")
    old = store.add(Once(at=NOW - timedelta(hours=8)), now=NOW - timedelta(days=1),
                    text="Gammel")
    upcoming = store.add(Weekly(weekday=2, at=clock_time(9, 0)))
    caught_up = service.start()
    assert {(o.reminder_id, o.status) for o in caught_up} == {(recent, SENT), (old, SKIPPED)}
    assert [p.text.splitlines()[0] for p in sender.posts] == ["*Påminnelse:* Nylig"]
    assert service.scheduled() == {upcoming: at(date(2026, 11, 25), 9)}
    job = service._scheduler.get_job(job_id(upcoming))
    assert job is not None and job.misfire_grace_time is None
    assert str(job.trigger.run_date.tzinfo) == "Europe/Oslo"
    assert service._scheduler.timezone == OSLO


def test_a_job_delivers_its_reminder_and_places_the_next_occurrence(
        store: Store, service_parts: ServiceParts) -> None:
    service, sender, clock = service_parts
    rid = store.add(Weekly(weekday=2, at=clock_time(9, 0)))
    service.start()
    clock.now = at(date(2026, 11, 25), 9)
    service._run_reminder(rid)
    assert len(sender.posts) == 1
    assert service.scheduled() == {rid: at(date(2026, 12, 2), 9)}
    service._run_reminder(rid)
    assert len(sender.posts) == 1, "a second run at the same moment sends nothing"


def test_the_sync_picks_up_what_another_process_changed(
        store: Store, service_parts: ServiceParts) -> None:
    service, _, _ = service_parts
    kept = store.add(Weekly(weekday=2, at=clock_time(9, 0)))
    paused = store.add(Weekly(weekday=3, at=clock_time(9, 0)))
    service.start()
    other = open_database(store.url)
    try:
        with other.write() as session:
            pause(session.get(Reminder, paused), now=NOW, session=session)  # type: ignore[arg-type]
            added = create_reminder(CHANNEL, MESSAGE, "Ny", Once(at=IN_AN_HOUR),
                                    embete_id=None, by=CREATOR, now=NOW, tz=OSLO,
                                    session=session).id
    finally:
        other.dispose()
    assert added is not None
    service._sync()
    assert service.scheduled() == {kept: at(date(2026, 11, 25), 9), added: IN_AN_HOUR}
    assert service._scheduler.get_job(job_id(paused)) is None


def test_reminder_changed_reschedules_at_once(
        store: Store, service_parts: ServiceParts) -> None:
    service, _, _ = service_parts
    service.start()
    rid = store.add(Once(at=IN_AN_HOUR))
    service.reminder_changed(rid)
    assert service.scheduled() == {rid: IN_AN_HOUR}
    with store.db.write() as session:
        delete_reminder(session.get(Reminder, rid), now=NOW,  # type: ignore[arg-type]
                        session=session)
    service.reminder_changed(rid)
    assert service.scheduled() == {}
    with store.db.read() as session:
        assert schedule_row(rid, session=session) is None


def test_stop_waits_for_a_delivery_in_progress_without_deadlocking(store: Store) -> None:
    """APScheduler's shutdown holds its job-store lock while it waits for running jobs; a job
    that reschedules itself afterwards must not wait for that lock."""
    entered, release = threading.Event(), threading.Event()

    class SlowSender(RecordingSender):
        def post(self, channel: str, text: str, blocks: list[dict[str, Any]]) -> str | None:
            entered.set()
            release.wait(10)
            return super().post(channel, text, blocks)

    sender = SlowSender()
    service = ReminderService(store.db, sender=sender, tz=OSLO, grace=GRACE, sync_seconds=3600,
                              geo=store.geo)
    service.start()
    now = datetime.now(OSLO)
    rid = store.add(Weekly(weekday=now.weekday(), at=clock_time(now.hour, now.minute)),
                    now=now - timedelta(minutes=1))
    service.reminder_changed(rid)
    assert entered.wait(10), "the job ran"
    stopper = threading.Thread(target=service.stop)
    stopper.start()
    stopper.join(0.3)
    assert stopper.is_alive(), "stop() waits for the delivery in progress"
    release.set()
    stopper.join(10)
    assert not stopper.is_alive(), "stop() deadlocked"
    assert len(sender.posts) == 1
    assert store.deliveries(rid)[0][1] == SENT


def test_a_slack_that_cannot_be_reached_is_retried_then_reported() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    sender = SlackSender(WebClient(token=BOT_TOKEN,
                                   base_url=f"http://127.0.0.1:{closed_port}/api/"))
    started = time.monotonic()
    with pytest.raises(SendError) as failed:
        sender.post(CHANNEL, "hei", [])
    assert failed.value.code == "connection"
    assert time.monotonic() - started >= 0.5, "retried with back-off before giving up"
