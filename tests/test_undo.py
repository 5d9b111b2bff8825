"""``/lhl angre`` and the change log: every kind of change, then ``angre``, leaves the store as it
was; a later change shields an earlier one; a deleted reminder comes back with its history.

The clock stands at tirsdag 24. november 2026 kl. 10.00 (``tests.conftest.NOW``) for what is
set up, and an hour later for the change and its undo.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text
from sqlmodel import col

from bot.runtime import Runtime
from commands.base import Press
from commands.paminnelse_knapper import mark_delivered, snooze, undo_delivered
from schedules.delivery import deliver_due
from schedules.messages import GONE
from storage import changes
from storage.db import open_database
from storage.deliveries import deliveries_of, done_deadlines
from storage.migrate import alembic_config, migrate, upgrade
from storage.models import DeadlineDone, Reminder
from storage.setup import prepare
from tests.support.clock import NOW, OSLO
from tests.support.runtime import ADMIN, say
from tests.support.slack_requests import CHANNEL
from tests.support.store import change_log as change_rows
from tests.support.store import set_clock as at
from tests.support.store import store_as_seen
from voice.reply import text_only

KARI = "UKARI01"
OLA = "UOLA0001"
LATER = NOW + timedelta(hours=1)


def press(user: str = ADMIN, now: datetime = LATER, ts: str = "1700000000.000001") -> Press:
    """A press by an administrator."""
    return Press(user_id=user, channel_id=CHANNEL, now=now, is_admin=True, message_ts=ts)


def two_deadlines(rt: Runtime) -> None:
    """Reminder #1: «Rapport til Hdir», deadlines 10 December and 20 January."""
    say(rt, 'påminnelse frist "Rapport til Hdir" 10. desember og 20. januar')
    assert say(rt, "påminnelse lagre").startswith("Påminnelse #1 lagret")


GRANT_KARI = f"tilgang gi <@{KARI}> Agder"
ONE_OFF = 'påminnelse ny "Ring Lillesand" i morgen kl 9'

# (what, set up first, the change, what angre says)
CASES = [
    ("logg-møte", [], "logg-møte Lillesand og Birkenes i går tema: mat med: KS notat: ringte",
     "Angret: dialogmøte holdt med Lillesand og Birkenes 23. november 2026 "
     "(ført 24. november 2026 kl. 11.00)."),
    ("tilby-møte", ["logg-møte Lillesand i går"], "tilby-møte alle Agder",
     "Angret: dialogmøte tilbudt Risør, Grimstad, Arendal, Kristiansand, Lindesnes, Farsund, "
     "Flekkefjord, Gjerstad, Vegårshei, Tvedestrand, Froland, Birkenes, Åmli, Iveland, "
     "Evje og Hornnes, Bygland, Valle, Bykle, Vennesla, Åseral, Lyngdal, Hægebostad, "
     "Kvinesdal og Sirdal 24. november 2026 (ført 24. november 2026 kl. 11.00)."),
    ("påminnelse ny", [], ONE_OFF,
     "Angret: påminnelse #1 «Ring Lillesand» er fjernet (lagret 24. november 2026 kl. 11.00)."),
    ("påminnelse frist", [], 'påminnelse frist "Rapport til Hdir" 10. desember',
     "Angret: påminnelse #1 «Rapport til Hdir» er fjernet (lagret 24. november 2026 "
     "kl. 11.00)."),
    ("påminnelse standard", [], "påminnelse standard",
     "Angret: påminnelse #1 «Rapportering til Helsedirektoratet» er fjernet (lagret "
     "24. november 2026 kl. 11.00)."),
    ("påminnelse lagre", ['påminnelse ny "Statusmøte" hver mandag kl 9'], "påminnelse lagre",
     "Angret: påminnelse #1 «Statusmøte» er fjernet (lagret 24. november 2026 kl. 11.00)."),
    ("påminnelse slett", [ONE_OFF], "påminnelse slett 1",
     "Angret: påminnelse #1 «Ring Lillesand» er tilbake, med historikken. Neste gang: "
     "onsdag 25. november 2026 kl. 09.00."),
    ("påminnelse pause", [ONE_OFF], "påminnelse pause 1",
     "Angret: påminnelse #1 «Ring Lillesand» er ikke lenger satt på pause. Neste gang: "
     "onsdag 25. november 2026 kl. 09.00."),
    ("påminnelse fortsett", [ONE_OFF, "påminnelse pause 1"], "påminnelse fortsett 1",
     "Angret: påminnelse #1 «Ring Lillesand» er satt på pause igjen."),
    ("tilgang gi", [], GRANT_KARI,
     f"Angret: <@{KARI}> er ikke lenger koordinator for Statsforvalteren i Agder og har "
     "ingen tilgang."),
    ("tilgang gi som erstatter", [GRANT_KARI], f"tilgang gi <@{KARI}> Rogaland leser",
     f"Angret: <@{KARI}> er igjen koordinator for Statsforvalteren i Agder (ikke leser for "
     "Statsforvalteren i Rogaland)."),
    ("tilgang fjern", [GRANT_KARI], f"tilgang fjern <@{KARI}>",
     f"Angret: <@{KARI}> er igjen koordinator for Statsforvalteren i Agder."),
]


@pytest.mark.parametrize(("setup", "change", "undone"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_each_kind_of_change_then_angre_leaves_the_store_as_it_was(
        runtime: Runtime, setup: list[str], change: str, undone: str) -> None:
    for line in setup:
        assert not say(runtime, line).startswith(("Skriv", "Jeg", "Du")), line
    before = store_as_seen(runtime)
    at(runtime, LATER)
    said = say(runtime, change)
    assert store_as_seen(runtime) != before, said
    assert say(runtime, "angre") == undone
    assert store_as_seen(runtime) == before


@pytest.mark.parametrize("button", ["Levert", "Angre", "Minn meg på i morgen"])
def test_each_button_then_angre_leaves_the_store_as_it_was(runtime: Runtime,
                                                           button: str) -> None:
    two_deadlines(runtime)
    deadline = date(2026, 12, 10)
    if button == "Angre":
        mark_delivered(runtime.db, 1, deadline, press("U0LEDER", NOW + timedelta(minutes=30)))
    before = store_as_seen(runtime)
    at(runtime, LATER)
    if button == "Levert":
        mark_delivered(runtime.db, 1, deadline, press())
        undone = ("Angret: fristen 10. desember 2026 for «Rapport til Hdir» er ikke lenger "
                  "markert som levert, og varslene for den kommer igjen.")
    elif button == "Angre":
        undo_delivered(runtime.db, 1, deadline, press())
        undone = ("Angret: fristen 10. desember 2026 for «Rapport til Hdir» er markert som "
                  "levert igjen.")
    else:
        snooze(runtime.db, 1, press(), deadline=deadline)
        undone = ("Angret: påminnelse #2 «Rapport til Hdir» er fjernet (lagret "
                  "24. november 2026 kl. 11.00).")
    assert store_as_seen(runtime) != before
    reply = runtime.handle("angre", ADMIN, CHANNEL)
    assert reply.text == undone
    assert reply.in_channel  # said in the reminder's own channel, like the change was
    assert store_as_seen(runtime) == before


def test_the_levert_mark_comes_back_as_it_was(runtime: Runtime) -> None:
    say(runtime, 'påminnelse frist "Rapport til Hdir" 10. desember')
    marked_at = NOW + timedelta(minutes=30)
    mark_delivered(runtime.db, 1, date(2026, 12, 10), press("U0LEDER", marked_at))
    undo_delivered(runtime.db, 1, date(2026, 12, 10), press(ADMIN, LATER))
    at(runtime, LATER)
    say(runtime, "angre")
    with runtime.db.read() as session:
        mark = session.get(DeadlineDone, (1, date(2026, 12, 10)))
    assert mark is not None
    assert (mark.done_by, mark.done_at) == ("U0LEDER", marked_at)


def test_an_undone_snooze_can_be_pressed_again(runtime: Runtime) -> None:
    say(runtime, 'påminnelse ny "Ring Lillesand" om 10 minutter')
    snooze(runtime.db, 1, press())
    say(runtime, "angre")
    assert text_only(snooze(runtime.db, 1, press())).text == (
        "Ok, jeg minner dere på «Ring Lillesand» igjen onsdag 25. november 2026 kl. 09.00.")
    with runtime.db.read() as session:
        live = [r.id for r in session.execute(select(Reminder)).scalars()
                if r.deleted_at is None]
    assert live == [1, 3]


def test_a_later_change_shields_an_earlier_one(runtime: Runtime) -> None:
    say(runtime, 'påminnelse frist "Rapport til Hdir" 10. desember')
    say(runtime, "logg-møte Vennesla i går")
    say(runtime, "påminnelse slett 1")
    assert say(runtime, "angre") == (
        "Angret: påminnelse #1 «Rapport til Hdir» er tilbake, med historikken. Neste gang: "
        "torsdag 26. november 2026 kl. 09.00.")
    assert "#1 «Rapport til Hdir»" in say(runtime, "påminnelser")
    assert "Gjennomført dialogmøte: 1 av 25" in say(runtime, "status Agder")
    # Typed again, angre walks back one change at a time, and never undoes an undo.
    assert say(runtime, "angre") == (
        "Angret: dialogmøte holdt med Vennesla 23. november 2026 "
        "(ført 24. november 2026 kl. 10.00).")
    assert "Gjennomført dialogmøte: 0 av 25" in say(runtime, "status Agder")
    assert say(runtime, "angre").startswith("Angret: påminnelse #1 «Rapport til Hdir» er fjernet")
    assert say(runtime, "angre") == "Du har ingen endringer å angre."
    assert "ingen påminnelser" in say(runtime, "påminnelser")


def test_someone_elses_later_change_blocks_the_undo_and_nothing_older_is_touched(
        runtime: Runtime) -> None:
    say(runtime, GRANT_KARI)
    say(runtime, "logg-møte Lillesand i går", KARI)
    say(runtime, ONE_OFF, KARI)
    say(runtime, "påminnelse pause 1", ADMIN)
    before = store_as_seen(runtime)
    assert say(runtime, "angre", KARI) == (
        f"Jeg angrer ingenting: <@{ADMIN}> har endret påminnelse #1 «Ring Lillesand» etter "
        "din siste endring.")
    assert store_as_seen(runtime) == before
    # Once the admin has taken the pause back, Kari's own change can be undone.
    say(runtime, "angre", ADMIN)
    assert say(runtime, "angre", KARI).startswith("Angret: påminnelse #1 «Ring Lillesand»")
    assert say(runtime, "angre", KARI).startswith("Angret: dialogmøte holdt med Lillesand")


def test_a_deleted_reminder_made_again_by_someone_else_is_not_brought_back_twice(
        runtime: Runtime) -> None:
    say(runtime, "påminnelse standard")
    say(runtime, "påminnelse slett 1")
    runtime.handle("påminnelse standard", OLA, CHANNEL, admin=True)
    assert say(runtime, "angre") == (
        "Jeg angrer ingenting: påminnelse #1 «Rapportering til Helsedirektoratet» er laget på "
        "nytt som påminnelse #2.")
    assert say(runtime, "påminnelser").count("«Rapportering til Helsedirektoratet»") == 1


def test_a_grant_replaced_by_another_admin_is_not_undone(runtime: Runtime) -> None:
    other = "U0ADMIN2"
    say(runtime, GRANT_KARI)
    runtime.handle(f"tilgang gi <@{KARI}> Rogaland", other, CHANNEL, admin=True)
    assert say(runtime, "angre") == (
        f"Jeg angrer ingenting: <@{other}> har endret tilgangen til <@{KARI}> etter din siste "
        "endring.")
    assert say(runtime, "tilgang", KARI) == "Du er koordinator for Statsforvalteren i Rogaland."


def test_a_record_changed_outside_the_log_is_not_undone(runtime: Runtime) -> None:
    say(runtime, "logg-møte Lillesand i går")
    with runtime.db.write() as session:
        session.execute(text("DELETE FROM meeting_kommune"))
        session.execute(text("DELETE FROM dialogue_meeting"))
    assert say(runtime, "angre") == (
        "Jeg angrer ingenting: dialogmøtet med Lillesand 23. november 2026 finnes ikke lenger.")


def test_tilgang_gi_says_which_access_it_replaced(runtime: Runtime) -> None:
    say(runtime, GRANT_KARI)
    assert say(runtime, f"tilgang gi <@{KARI}> Rogaland leser") == (
        f"<@{KARI}> er nå leser for Statsforvalteren i Rogaland og kan lese status for "
        f"embetet. <@{KARI}> hadde koordinator-tilgang for Agder; den er erstattet.")
    assert say(runtime, f"tilgang gi <@{KARI}> Rogaland leser") == (
        f"<@{KARI}> er allerede leser for Statsforvalteren i Rogaland; ingenting er endret.")
    assert [c.kind for c in change_rows(runtime)] == [changes.ACCESS_GRANTED,
                                                       changes.ACCESS_REPLACED]


def test_the_audit_rows_say_who_when_and_the_record_before_and_after(
        runtime: Runtime) -> None:
    say(runtime, GRANT_KARI)
    say(runtime, ONE_OFF, KARI)
    at(runtime, LATER)
    say(runtime, "påminnelse pause 1", KARI)
    say(runtime, "angre", KARI)
    grant, made, paused, undo = change_rows(runtime)
    assert (grant.changed_by, grant.changed_at, grant.kind, grant.record, grant.record_id) == (
        ADMIN, NOW, changes.ACCESS_GRANTED, "access", KARI)
    assert grant.changed_at.tzinfo is not None
    assert grant.before is None
    assert grant.after == {"embete_id": "agder", "rolle": "koordinator", "created_by": ADMIN,
                           "created_at": "2026-11-24T09:00:00+00:00"}
    assert (made.changed_by, made.kind, made.record_id, made.before) == (
        KARI, changes.REMINDER_CREATED, "1", None)
    assert made.after is not None and made.after["text"] == "Ring Lillesand"
    assert made.after["next_due_at"] == "2026-11-25T08:00:00+00:00"
    assert (paused.changed_by, paused.changed_at, paused.kind) == (
        KARI, LATER, changes.REMINDER_PAUSED)
    assert paused.before is not None and paused.after is not None
    assert (paused.before["paused"], paused.after["paused"]) == (False, True)
    assert (undo.changed_by, undo.changed_at, undo.kind, undo.record_id) == (
        KARI, LATER, changes.UNDO, "1")
    assert undo.before == paused.after and undo.after == paused.before
    assert paused.undone_by == undo.id
    assert grant.undone_by is None and made.undone_by is None


def test_the_deleted_reminder_comes_back_with_its_deliveries_and_levert_marks(
        runtime: Runtime) -> None:
    two_deadlines(runtime)

    class Sender:
        def post(self, channel: str, text: str, blocks: list[Any]) -> str | None:
            return "1700000000.000001"

        def dm(self, user_id: str, text: str) -> None:
            pass

    sent_at = datetime(2026, 11, 26, 9, 0, tzinfo=OSLO)
    [outcome] = deliver_due(runtime.db, now=sent_at, sender=Sender(), tz=OSLO,
                            grace=timedelta(hours=6), process_id="test:1", geo=runtime.geo)
    assert outcome.status == "sent"
    mark_delivered(runtime.db, 1, date(2026, 12, 10), press(ADMIN, sent_at))

    def history() -> tuple[list[tuple[str, str]], set[date]]:
        with runtime.db.read() as session:
            return ([(d.occurrence_key, d.status) for d in deliveries_of(1, session=session)],
                    done_deadlines(1, session=session))

    kept = history()
    assert kept == ([("2026-12-10/14", "sent")], {date(2026, 12, 10)})
    at(runtime, datetime(2026, 11, 27, 12, 0, tzinfo=OSLO))
    say(runtime, "påminnelse slett 1")
    before_undo = store_as_seen(runtime)
    assert "#1" not in say(runtime, "påminnelser")
    # Six weeks later: the occurrences that fell while it was deleted are not sent late; it
    # points at its next open one (14 days before 20 January has passed, 7 days before not).
    at(runtime, datetime(2027, 1, 8, 12, 0, tzinfo=OSLO))
    assert say(runtime, "angre") == (
        "Angret: påminnelse #1 «Rapport til Hdir» er tilbake, med historikken. Neste gang: "
        "onsdag 13. januar 2027 kl. 09.00.")
    assert history() == kept
    listing = say(runtime, "påminnelser")
    assert "Sist levert: torsdag 26. november 2026 kl. 09.00" in listing
    assert store_as_seen(runtime) != before_undo
    with runtime.db.read() as session:
        reminder = session.get(Reminder, 1)
    assert reminder is not None and reminder.deleted_at is None
    assert reminder.next_key == "2027-01-20/7"


def test_a_deleted_reminder_is_gone_for_everything_and_its_number_is_never_reused(
        runtime: Runtime) -> None:
    say(runtime, 'påminnelse frist "Rapport til Hdir" 10. desember')
    say(runtime, "påminnelse slett 1")
    assert "ingen påminnelse #1" in say(runtime, "påminnelse slett 1")
    assert "ingen påminnelse #1" in say(runtime, "påminnelse pause 1")
    assert "ingen påminnelser" in say(runtime, "påminnelser")
    with pytest.raises(Exception) as gone:
        mark_delivered(runtime.db, 1, date(2026, 12, 10), press())
    assert getattr(gone.value, "message", "") == GONE
    again = say(runtime, 'påminnelse frist "Rapport til Hdir" 10. desember')
    assert again.startswith("Påminnelse #2 lagret")
    with runtime.db.read() as session:
        due = session.execute(select(Reminder).where(col(Reminder.next_due_at).is_not(None))
                              ).scalars().all()
    assert [r.id for r in due] == [2]


def test_angre_of_an_access_change_needs_an_admin(runtime: Runtime) -> None:
    runtime.handle(GRANT_KARI, OLA, CHANNEL, admin=True)
    reply = runtime.handle("angre", OLA, CHANNEL, admin=False).text
    assert reply == "Bare administratorer kan endre tilganger."
    assert say(runtime, "tilgang", KARI) == "Du er koordinator for Statsforvalteren i Agder."


def test_angre_says_when_there_is_nothing_and_takes_no_words(runtime: Runtime) -> None:
    assert say(runtime, "angre") == "Du har ingen endringer å angre."
    assert say(runtime, "angre alt") == (
        "`/lhl angre` tar ingen flere ord: den angrer din siste endring.")


# --- the migration ----------------------------------------------------------------------------


def test_upgrade_on_a_fresh_store_creates_the_change_log(store_url: str) -> None:
    db, _ = prepare(store_url)
    with db.read() as session:
        tables = inspect(session.connection()).get_table_names()
        columns = {c["name"] for c in inspect(session.connection()).get_columns("reminder")}
        version = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    db.dispose()
    assert "change_log" in tables and "deleted_at" in columns
    head = ScriptDirectory.from_config(alembic_config(store_url)).get_current_head()
    assert version == head


def test_upgrade_from_0003_keeps_the_reminders_and_their_history(store_url: str,
                                                                  tmp_path: Path) -> None:
    db = open_database(store_url)
    migrate(db, "0003")
    stamp = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    with db.writer.begin() as conn:
        conn.execute(text(
            "INSERT INTO reminder (id, channel_id, kind, text, rule, created_by, created_at, "
            "updated_at, paused, next_due_at, next_key) VALUES (7, 'C1', 'melding', 'Gammel', "
            "'{}', 'U1', :t, :t, false, :t, 'k')"), {"t": stamp.replace(tzinfo=None)})
        conn.execute(text(
            "INSERT INTO reminder_delivery (reminder_id, occurrence_key, due_at, status, "
            "claimed_by, claimed_at) VALUES (7, 'k0', :t, 'sent', 'p', :t)"),
            {"t": stamp.replace(tzinfo=None)})
    upgrade(db)
    with db.read() as session:
        reminder = session.get(Reminder, 7)
        assert reminder is not None and reminder.deleted_at is None
        assert [d.occurrence_key for d in deliveries_of(7, session=session)] == ["k0"]
    # And back: the column goes, the reminder and its delivery stay.
    migrate(db, "0003", down=True)
    with db.read() as session:
        assert session.execute(text("SELECT count(*) FROM reminder_delivery")).scalar() == 1
        assert "change_log" not in inspect(session.connection()).get_table_names()
    db.dispose()

