"""The weekly digest (``/lhl ukesammendrag``): its parser, what it says for a hand-built week,
its figures against ``status``, Slack's limits, the empty week, delivery once through a restart
and two processes, holidays, ``av``, ``angre``, access, and migration 0012, on SQLite and
PostgreSQL.

The week: the digest for Statsforvalteren i Agder is due mandag 30. november 2026 kl. 08.30
and covers from mandag 23. november 2026 kl. 08.30.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from bot.runtime import Runtime
from commands.base import Context, UsageError
from commands.report_facts import FIGURES as REPORT_FIGURES
from commands.report_facts import build_report
from commands.status import area_figures
from commands.ukesammendrag import COUNTRY, Args, parse
from schedules.delivery import CLAIMED_ELSEWHERE, Outcome, deliver_due
from schedules.digest import build_digest, digest_reply, week_of
from schedules.digest_words import KIND_WORDS
from schedules.lifecycle import current_occurrence
from schedules.messages import figures_for
from schedules.rules import Weekly, occurrences, rule_from_json
from schedules.service import ReminderService
from storage.db import Database, open_database
from storage.deliveries import deliveries_of
from storage.migrate import migrate, upgrade
from storage.models import DIGEST, SENT, Change, Reminder
from storage.nominations import find_nomination
from storage.reference import KOMMUNER_CSV, Geography, _read_csv, geography_from_rows
from tests.support.clock import NOW, OSLO, Clock, at
from tests.support.runtime import ADMIN, grant, runtime_on, say
from tests.support.senders import RecordingSender
from tests.support.slack_limits import assert_reply_within_limits
from tests.support.slack_requests import CHANNEL

KARI = "UKARI001"
"""Koordinator for Agder."""
OLA = "UOLA0001"
"""Koordinator for Rogaland."""
LESER = "ULESER01"
"""Leser for Agder."""
GRACE = timedelta(hours=6)
DUE = at(2026, 11, 30, 8, 30)
WEEK_BEGAN = at(2026, 11, 23, 8, 30)
OTHER_CHANNEL = "C0OTHER00"


# --- the parser --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def geo() -> Geography:
    return geography_from_rows(_read_csv(KOMMUNER_CSV))


def ctx_for(geo: Geography, channel: str = CHANNEL, channel_name: str | None = None) -> Context:
    return Context(user_id=ADMIN, is_admin=True, now=NOW, tz=OSLO, geo=geo, channel_id=channel,
                   channel_name=channel_name)


@pytest.mark.parametrize(("typed", "parsed"), [
    ("", Args("vis")),
    ("av", Args("av")),
    ("AV", Args("av")),
    ("på", Args("på")),
    ("pa", Args("på")),
    ("paa", Args("på")),
    ("PAA fredag kl 7", Args("på", 4, clock_time(7, 0))),
    ("pa embete: Agder", Args("på", embete="agder")),
    ("på fredag kl 14", Args("på", 4, clock_time(14, 0))),
    ("på fredag kl. 14.30", Args("på", 4, clock_time(14, 30))),
    ("på tirsdager klokka 7:05", Args("på", 1, clock_time(7, 5))),
    ("på hver onsdag kl 9", Args("på", 2, clock_time(9, 0))),
    ("på kl 9", Args("på", None, clock_time(9, 0))),
    ("på søndag", Args("på", 6, None)),
    ("på embete: Agder", Args("på", embete="agder")),
    ("på fredag kl 14 embete: SF Agder", Args("på", 4, clock_time(14, 0), "agder")),
    ("på embete: landet", Args("på", embete=COUNTRY)),
    ("på embete: hele landet", Args("på", embete=COUNTRY)),
])
def test_the_parser_reads_on_off_day_time_and_embete(typed: str, parsed: Args,
                                                     geo: Geography) -> None:
    assert parse(typed, ctx_for(geo)) == parsed


@pytest.mark.parametrize(("typed", "said"), [
    ("kanskje", "Skriv `/lhl ukesammendrag på`, `/lhl ukesammendrag av` eller bare "
                "`/lhl ukesammendrag`; for en annen dag og tid: "
                "`/lhl ukesammendrag på fredag kl 14`."),
    ("av nå", "`/lhl ukesammendrag av` tar ingen flere ord: det skrur av kanalens "
              "ukesammendrag."),
    ("på hver dag", "Jeg forstår ikke «hver dag» som dag og tid; skriv for eksempel "
                    "`/lhl ukesammendrag på fredag kl 14` eller `/lhl ukesammendrag på kl 9`."),
    ("på fredag kl 25", "Klokkeslettet «fredag kl 25» finnes ikke; skriv for eksempel «kl 9» "
                        "eller «kl 14.30»."),
    ("på 12. mai", "Jeg forstår ikke «12. mai» som dag og tid; skriv for eksempel "
                   "`/lhl ukesammendrag på fredag kl 14` eller `/lhl ukesammendrag på kl 9`."),
    ("på embete:", "Skriv embetet etter «embete:», for eksempel "
                   "`/lhl ukesammendrag på embete: Agder`."),
    ("på Agder", "Mente du `/lhl ukesammendrag på embete: Agder`?"),
    ("på sf agder", "Mente du `/lhl ukesammendrag på embete: sf agder`?"),
    ("pa Rogaland fredag kl 7", "Mente du `/lhl ukesammendrag på embete: Rogaland fredag kl 7`?"),
    ("på landet", "Mente du `/lhl ukesammendrag på embete: landet`?"),
    ("på hele landet", "Mente du `/lhl ukesammendrag på embete: hele landet`?"),
    ("på Agder kl 25", "Klokkeslettet «kl 25» finnes ikke; skriv for eksempel «kl 9» eller "
                       "«kl 14.30»."),
    ("på Vennesla", "Jeg forstår ikke «Vennesla» som dag og tid; skriv for eksempel "
                    "`/lhl ukesammendrag på fredag kl 14` eller `/lhl ukesammendrag på kl 9`."),
    ("på embete: Vennesla", "Vennesla er en kommune, og her trengs et embete eller fylke: "
                            "Vennesla hører til Statsforvalteren i Agder, så skriv for "
                            "eksempel «Agder»."),
])
def test_bad_input_gets_one_sentence(typed: str, said: str, geo: Geography) -> None:
    with pytest.raises(UsageError) as refused:
        parse(typed, ctx_for(geo))
    assert str(refused.value) == said


@pytest.mark.parametrize(("typed", "embete", "weekday", "at"), [
    ("på embete: Rogaland kl 7", "rogaland", None, clock_time(7)),
    ("på fredag embete: Møre og Romsdal kl 7.30", "more-og-romsdal", 4, clock_time(7, 30)),
    ("på embete: landet fredag kl 14", "landet", 4, clock_time(14)),
    ("på embete: Agder", "agder", None, None),
])
def test_the_day_and_time_may_follow_the_embete(typed: str, embete: str, weekday: int | None,
                                                at: clock_time | None, geo: Geography) -> None:
    args = parse(typed, ctx_for(geo))
    assert (args.embete, args.weekday, args.at) == (embete, weekday, at)


def test_an_unknown_embete_is_named_back(geo: Geography) -> None:
    with pytest.raises(UsageError, match="Jeg kjenner ikke noe embete som heter «Atlantis»"):
        parse("på embete: Atlantis", ctx_for(geo))
    with pytest.raises(UsageError, match="Jeg kjenner ikke noe embete som heter «Atlantis»"):
        parse("på embete: Atlantis fredag kl 7", ctx_for(geo))


@pytest.mark.parametrize(("channel", "name"), [("D0DIRECT1", "directmessage"),
                                               ("G0GROUP01", "mpdm-kari--ola-1")])
def test_a_digest_cannot_be_turned_on_in_a_direct_or_group_message(
        channel: str, name: str, geo: Geography) -> None:
    with pytest.raises(UsageError, match=r"^Ukesammendraget kommer i en kanal"):
        parse("på", ctx_for(geo, channel, name))


# --- the hand-built week -----------------------------------------------------------------------


@dataclass
class Week:
    rt: Runtime
    clock: Clock[datetime]

    def do(self, line: str, who: str = KARI, channel: str = CHANNEL) -> str:
        return say(self.rt, line, who, channel)

    def deliver(self, now: datetime, sender: RecordingSender | None = None, *,
                db: Database | None = None, process: str = "test:1") -> list[Outcome]:
        return deliver_due(db or self.rt.db, now=now, sender=sender or RecordingSender(),
                           tz=OSLO, grace=GRACE, process_id=process, geo=self.rt.geo)

    def digest(self, channel: str = CHANNEL) -> Reminder:
        with self.rt.db.read() as session:
            found = session.exec(select(Reminder).where(Reminder.channel_id == channel,
                                                        Reminder.kind == DIGEST)).first()
        assert found is not None
        return found


@pytest.fixture
def week(store_url: str) -> Iterator[Week]:
    clock = Clock(NOW)
    with runtime_on(store_url, clock=clock) as rt:
        grant(rt, KARI, "Agder")
        grant(rt, OLA, "Rogaland")
        grant(rt, LESER, "Agder", "leser")
        yield Week(rt, clock)


def record_the_week(w: Week) -> None:
    """Known changes around the week 23.–30. november 2026."""
    w.clock.now = at(2026, 11, 20, 12)
    w.do("logg-møte Arendal 19. november")  # older than the week
    w.clock.now = at(2026, 11, 23, 8, 29)
    w.do("tilby-møte Froland")  # a minute before the week began
    w.clock.now = WEEK_BEGAN
    w.do("logg-møte Vennesla 23. november")
    w.clock.now = at(2026, 11, 24, 10)
    w.do("logg-møte Vennesla, Lillesand 24. november type: ordfører")
    w.do("tilby-møte Birkenes og Iveland")
    w.do("logg-møte Stavanger 24. november", OLA)  # another embete
    w.clock.now = at(2026, 11, 25, 10)
    w.do("logg-møte Grimstad 25. november")
    assert w.do("angre").startswith("Angret: dialogmøte holdt med Grimstad")
    w.do("planlegg-møte Evje og Hornnes 10. desember")
    w.clock.now = at(2026, 11, 26, 10)
    w.do('nettverk ny "Mat i Agder" fra 1. november')
    w.do('nettverk inviter "Mat i Agder" Lillesand, Birkenes og Froland')
    w.do('nettverk deltar "Mat i Agder" Lillesand 26. november')
    w.do('nettverk ny "Rogaland spiser" fra 1. november', OLA)
    w.clock.now = at(2026, 11, 27, 10)
    w.do("plan Lillesand vedtatt 27. november")
    w.do("fase Lillesand og Birkenes 2")
    w.do('arrangement ny webinar "Matvennlige kommuner" 3. mars målgruppe: kjøkkenledere '
         "hovedtema: mat")


THE_WEEK = "\n".join([
    "*Ukesammendrag for Statsforvalteren i Agder* – ført siden 23. november 2026",
    "• Møter holdt: 1 dialogmøte og 1 møte med ordfører eller kommunedirektør",
    "• Tilbud om dialogmøte: 2 kommuner",
    "• Møter planlagt: 1 dialogmøte",
    "• Læringsnettverk: 1 nytt nettverk, 3 kommuner invitert og 1 kommune ble med",
    "• Planer og faser: plan eller prosess ført for 1 kommune og fase ført for 2 kommuner",
    "• Arrangementer: 1 nytt arrangement",
    "*Tallene for 2026* (endring siden forrige uke)",
    "Fått tilbud om dialogmøte: 6 av 25 (24 %) +5",
    "Gjennomført dialogmøte: 2 av 25 (8 %) +1",
    "Gjennomført eller planlagt dialogmøte: 3 av 25 (12 %) +2",
    "Invitert til læringsnettverk: 3 av 25 (12 %) +3",
    "Deltar i læringsnettverk: 1 av 25 (4 %) +1",
    "Vedtatt plan eller beskrevet prosess: 1 av 25 (4 %) +1",
    "*Mangler gjennomført dialogmøte i 2026* (23): Birkenes, Bygland, Bykle, Evje og Hornnes, "
    "Farsund, Flekkefjord, Froland, Gjerstad, Grimstad, Hægebostad og 13 til.",
    "Hver mandag kl. 08.30 · `/lhl ukesammendrag av` skrur det av",
])


def test_the_digest_of_a_hand_built_week_word_for_word(week: Week) -> None:
    """Counted: the changes of the week in Agder that stand. Not counted: Froland's offer a
    minute before the week, Stavanger's meeting and Rogaland's network (another embete),
    Arendal's meeting (older), Grimstad's meeting (undone)."""
    record_the_week(week)
    week.clock.now = at(2026, 11, 27, 11)
    turned_on = week.do("ukesammendrag på")
    assert turned_on == ("Ukesammendraget for Statsforvalteren i Agder er skrudd på i denne "
                         "kanalen: hver mandag kl. 08.30. Det første kommer mandag "
                         "30. november 2026 kl. 08.30.")
    sender = RecordingSender()
    outcomes = week.deliver(DUE + timedelta(minutes=2), sender)
    assert [o.status for o in outcomes] == [SENT]
    [post] = sender.posts
    assert post.channel == CHANNEL
    assert post.text == THE_WEEK
    assert_reply_within_limits(digest_reply(_digest(week, "agder")))
    assert not any(b.get("type") == "actions" for b in post.blocks), "a digest has no buttons"


def _digest(week: Week, embete_id: str | None, since: datetime = WEEK_BEGAN,
            until: datetime = DUE) -> Any:
    with week.rt.db.read() as session:
        return build_digest(embete_id, since, until, tz=OSLO, geo=week.rt.geo, session=session)


def test_a_change_logged_after_the_digests_moment_is_next_weeks(week: Week) -> None:
    """Sent late (after a restart), the digest still covers the week up to its moment."""
    record_the_week(week)
    week.clock.now = at(2026, 11, 30, 8, 31)
    week.do("logg-møte Farsund 30. november")
    lines = digest_reply(_digest(week, "agder")).text.splitlines()
    assert lines[:7] == THE_WEEK.splitlines()[:7]
    assert _digest(week, "agder", DUE, DUE + timedelta(days=7)).groups == (
        ("Møter holdt", ("1 dialogmøte",)),)


def test_the_figures_are_the_status_figures_and_their_change_since_the_day_before_the_week(
        week: Week) -> None:
    record_the_week(week)
    digest = _digest(week, "agder")
    assert [f.label for f in digest.figures] == [f.words for f in REPORT_FIGURES]
    week.clock.now = DUE
    ctx = week.rt.context(KARI, CHANNEL)
    with week.rt.db.read() as session:
        shown = area_figures(2026, ctx, session, embete_id="agder")
        report = build_report(week.rt.geo.embeter["agder"], DUE.date(), ctx=ctx,
                              session=session)
        then = build_report(week.rt.geo.embeter["agder"], date(2026, 11, 22), ctx=ctx,
                            session=session)
    assert [f.count for f in digest.figures] == [f.count for f in shown.figures]
    assert [f.count for f in digest.figures] == [report.whole.count(f.key)
                                                 for f in REPORT_FIGURES]
    assert [f.count - f.before for f in digest.figures] == [
        report.whole.count(f.key) - then.whole.count(f.key) for f in REPORT_FIGURES]
    assert [(f.count, f.before) for f in digest.figures] == [
        (6, 1), (2, 1), (3, 1), (3, 0), (1, 0), (1, 0)]
    assert [k.navn for k in digest.missing] == sorted(
        (k.navn for k in report.whole.missing("held")),
        key=lambda n: n.replace("Æ", "{").replace("Ø", "|").replace("Å", "}"))


def test_a_figure_that_fell_says_minus_and_one_that_stood_says_plus_minus_zero(
        week: Week) -> None:
    week.clock.now = at(2026, 11, 10)
    week.do('nettverk ny "Mat i Agder" fra 1. november til 25. november')
    week.do('nettverk deltar "Mat i Agder" Lillesand og Birkenes 2. november')
    week.clock.now = at(2026, 11, 24)
    week.do("logg-møte Vennesla 24. november")
    lines = digest_reply(_digest(week, "agder")).text.splitlines()
    assert "Deltar i læringsnettverk: 0 av 25 (0 %) −2" in lines
    assert "Invitert til læringsnettverk: 2 av 25 (8 %) ±0" in lines
    assert "Gjennomført dialogmøte: 1 av 25 (4 %) +1" in lines


def test_the_week_of_another_embete_and_of_the_whole_country(week: Week) -> None:
    record_the_week(week)
    rogaland = digest_reply(_digest(week, "rogaland")).text.splitlines()
    assert rogaland[:3] == [
        "*Ukesammendrag for Statsforvalteren i Rogaland* – ført siden 23. november 2026",
        "• Møter holdt: 1 dialogmøte",
        "• Læringsnettverk: 1 nytt nettverk"]
    country = digest_reply(_digest(week, None)).text.splitlines()
    assert country[:3] == [
        "*Ukesammendrag for hele landet* – ført siden 23. november 2026",
        "• Møter holdt: 2 dialogmøter og 1 møte med ordfører eller kommunedirektør",
        "• Tilbud om dialogmøte: 2 kommuner"]
    assert "Gjennomført dialogmøte: 3 av 357 (1 %) +2" in country


def test_an_empty_week_is_one_line(week: Week) -> None:
    week.clock.now = at(2026, 11, 20, 12)
    week.do("logg-møte Arendal 19. november")
    week.clock.now = at(2026, 11, 25)
    week.do("logg-møte Grimstad 25. november")
    week.do("angre")
    week.do("logg-møte Stavanger 25. november", OLA)
    made = digest_reply(_digest(week, "agder"))
    assert made.text == "Ingen nye føringer for Statsforvalteren i Agder siden 23. november 2026."
    assert len(made.blocks) == 1
    assert digest_reply(_digest(week, "vestland")).text == (
        "Ingen nye føringer for Statsforvalteren i Vestland siden 23. november 2026.")
    assert digest_reply(_digest(week, None)).text.startswith(
        "*Ukesammendrag for hele landet* – ført siden 23. november 2026\n"
        "• Møter holdt: 1 dialogmøte\n")


def test_within_slacks_limits_with_every_kommune_missing(week: Week) -> None:
    week.clock.now = at(2026, 11, 24)
    week.do("tilby-møte Vennesla", ADMIN)
    country = digest_reply(_digest(week, None), how="Hver mandag kl. 08.30")
    assert_reply_within_limits(country)
    assert country.text.splitlines()[-2] == (
        "*Mangler gjennomført dialogmøte i 2026* (357): Alstahaug, Alta, Alvdal, Alver, Andøy, "
        "Aremark, Arendal, Asker, Askvoll, Askøy og 347 til.")
    agder = digest_reply(_digest(week, "agder"))
    assert_reply_within_limits(agder)
    assert agder.text.splitlines()[-1] == (
        "*Mangler gjennomført dialogmøte i 2026* (25): Arendal, Birkenes, Bygland, Bykle, "
        "Evje og Hornnes, Farsund, Flekkefjord, Froland, Gjerstad, Grimstad og 15 til.")


def test_every_kommune_with_a_held_meeting_says_so(week: Week) -> None:
    week.clock.now = at(2026, 11, 24)
    names = ", ".join(k.navn for k in week.rt.geo.kommuner_i("agder"))
    week.do(f"logg-møte {names} 24. november")
    assert digest_reply(_digest(week, "agder")).text.splitlines()[-1] == (
        "Alle 25 kommunene har gjennomført dialogmøte i 2026.")


# --- delivery: once, through restarts and two processes ----------------------------------------


def test_delivered_once_through_a_restart(week: Week, store_url: str) -> None:
    """The bot is down at 08.30 and comes back at 09.15: the catch-up at start sends the
    digest once, for the week up to 08.30; a second start sends nothing."""
    week.clock.now = at(2026, 11, 24, 10)
    week.do("logg-møte Vennesla 24. november")
    week.do("ukesammendrag på")
    sender = RecordingSender()
    for _ in range(2):
        clock = Clock(at(2026, 11, 30, 9, 15))
        db, _geo = open_database(store_url), week.rt.geo
        service = ReminderService(db, sender=sender, tz=OSLO, grace=GRACE,
                                  process_id="restart", clock=clock, sync_seconds=3600,
                                  geo=week.rt.geo)
        try:
            service.start()
        finally:
            service.stop()
            db.dispose()
    assert len(sender.posts) == 1
    assert sender.posts[0].text.startswith(
        "*Ukesammendrag for Statsforvalteren i Agder* – ført siden 23. november 2026\n"
        "• Møter holdt: 1 dialogmøte\n")
    digest = week.digest()
    with week.rt.db.read() as session:
        assert [(d.occurrence_key, d.status) for d in deliveries_of(digest.id or 0,
                                                                     session=session)] == [
            ("2026-11-30T08:30", SENT)]
    assert digest.next_key == "2026-12-07T08:30"


def test_a_claim_left_by_a_crash_is_not_sent_again_after_the_restart(week: Week) -> None:
    week.do("ukesammendrag på")

    class Crashing(RecordingSender):
        def post(self, channel: str, text: str, blocks: list[dict[str, Any]]) -> str | None:
            raise SystemExit("the process dies mid-send")

    with pytest.raises(SystemExit):
        week.deliver(DUE, Crashing())
    again = RecordingSender()
    assert [o.status for o in week.deliver(DUE + timedelta(minutes=5), again)] == [
        CLAIMED_ELSEWHERE]
    assert again.posts == []
    assert week.digest().next_key == "2026-12-07T08:30"


def test_two_processes_at_the_same_moment_post_once(week: Week, store_url: str) -> None:
    week.do("ukesammendrag på")
    sender = RecordingSender()
    other = open_database(store_url)

    class Racing(RecordingSender):
        def post(self, channel: str, text: str, blocks: list[dict[str, Any]]) -> str | None:
            seen.extend(week.deliver(DUE, sender, db=other, process="test:2"))
            return sender.post(channel, text, blocks)

    seen: list[Outcome] = []
    try:
        first = week.deliver(DUE, Racing())
        second = week.deliver(DUE, sender, db=other, process="test:2")
    finally:
        other.dispose()
    assert [o.status for o in first] == [SENT]
    assert [o.status for o in seen] == [CLAIMED_ELSEWHERE] and second == []
    assert len(sender.posts) == 1


def test_one_digest_a_week_each_channel(week: Week) -> None:
    week.do("ukesammendrag på")
    week.do("ukesammendrag på fredag kl 14", KARI, OTHER_CHANNEL)
    week.do("ukesammendrag på embete: landet", ADMIN, "C0LANDET0")
    sender = RecordingSender()
    for day in range(14):
        for hour in (9, 15):
            week.deliver(at(2026, 11, 24 + day, hour) if day < 7
                         else at(2026, 12, day - 6, hour), sender)
    by_channel = sorted((p.channel, p.text.splitlines()[0]) for p in sender.posts)
    assert by_channel == [
        ("C0LANDET0", "Ingen nye føringer for hele landet siden 23. november 2026."),
        ("C0LANDET0", "Ingen nye føringer for hele landet siden 30. november 2026."),
        (CHANNEL, "Ingen nye føringer for Statsforvalteren i Agder siden 23. november 2026."),
        (CHANNEL, "Ingen nye føringer for Statsforvalteren i Agder siden 30. november 2026."),
        (OTHER_CHANNEL, "Ingen nye føringer for Statsforvalteren i Agder siden "
                        "20. november 2026."),
        (OTHER_CHANNEL, "Ingen nye føringer for Statsforvalteren i Agder siden "
                        "27. november 2026."),
    ]


# --- holidays ----------------------------------------------------------------------------------


def test_a_monday_that_is_a_holiday_moves_the_digest_to_the_working_day_before(
        week: Week) -> None:
    """2. påskedag 2027 is mandag 29. mars: the digest comes onsdag 24. mars (skjærtorsdag and
    langfredag are holidays too); the next Monday's counts from there. 2. pinsedag 2026 is
    mandag 25. mai: it comes fredag 22. mai."""
    week.do("ukesammendrag på")
    rule = rule_from_json(week.digest().rule)
    easter = occurrences(rule, after=at(2027, 3, 16), tz=OSLO, limit=3)
    assert [o.due for o in easter] == [at(2027, 3, 22, 8, 30), at(2027, 3, 24, 8, 30),
                                       at(2027, 4, 5, 8, 30)]
    assert easter[1].moved_because == "andre påskedag"
    assert week_of(rule, easter[1], OSLO) == at(2027, 3, 22, 8, 30)
    assert week_of(rule, easter[2], OSLO) == at(2027, 3, 24, 8, 30)
    week.clock.now = at(2027, 3, 23)
    assert week.do("ukesammendrag").split("Neste: ")[1].startswith(
        "onsdag 24. mars 2027 kl. 08.30 (flyttet fra mandag 29. mars 2027: andre påskedag)")
    [pinse] = occurrences(rule, after=at(2026, 5, 19), tz=OSLO, limit=1)
    assert pinse.due == at(2026, 5, 22, 8, 30) and pinse.moved_because == "andre pinsedag"


def test_the_moved_digest_is_delivered_on_the_day_before(week: Week) -> None:
    week.clock.now = at(2027, 3, 20)
    week.do("ukesammendrag på")
    week.clock.now = at(2027, 3, 23, 12)
    week.do("logg-møte Vennesla 23. mars")
    sender = RecordingSender()
    assert [o.status for o in week.deliver(at(2027, 3, 22, 8, 30))] == [SENT]
    assert [o.status for o in week.deliver(at(2027, 3, 24, 8, 30), sender)] == [SENT]
    assert sender.posts[0].text.splitlines()[:2] == [
        "*Ukesammendrag for Statsforvalteren i Agder* – ført siden 22. mars 2027",
        "• Møter holdt: 1 dialogmøte"]
    assert week.deliver(at(2027, 3, 29, 8, 30), sender) == []
    assert week.digest().next_key == "2027-04-05T08:30"


# --- on, off, moved, undone, listed ------------------------------------------------------------


def test_av_stops_it_and_ukesammendrag_says_whether_it_is_on(week: Week) -> None:
    assert week.do("ukesammendrag") == (
        "Denne kanalen har ikke ukesammendrag. `/lhl ukesammendrag på` skrur det på (hver "
        "mandag kl. 08.30); en annen dag og tid: `/lhl ukesammendrag på fredag kl 14`.")
    week.do("ukesammendrag på")
    assert week.do("ukesammendrag") == (
        "Ukesammendraget for Statsforvalteren i Agder kommer i denne kanalen hver mandag "
        "kl. 08.30. Neste: mandag 30. november 2026 kl. 08.30. `/lhl ukesammendrag på "
        "fredag kl 14` flytter det, `/lhl ukesammendrag av` skrur det av.")
    assert week.do("ukesammendrag av") == (
        "Ukesammendraget for Statsforvalteren i Agder er skrudd av i denne kanalen. "
        "`/lhl angre` skrur det på igjen.")
    sender = RecordingSender()
    assert week.deliver(DUE, sender) == [] and sender.posts == []
    assert week.do("ukesammendrag av") == (
        "Denne kanalen har ikke ukesammendrag, så det er ingenting å skru av.")


def test_pa_again_moves_it_in_place_and_pa_after_av_turns_the_same_one_on(week: Week) -> None:
    week.do("ukesammendrag på")
    first = week.digest().id
    assert week.do("ukesammendrag på") == (
        "Ukesammendraget for Statsforvalteren i Agder er allerede på i denne kanalen, hver "
        "mandag kl. 08.30. Neste: mandag 30. november 2026 kl. 08.30.")
    assert week.do("ukesammendrag på fredag kl 14") == (
        "Ukesammendraget for Statsforvalteren i Agder kommer nå hver fredag kl. 14.00 (før: "
        "hver mandag kl. 08.30). Neste: fredag 27. november 2026 kl. 14.00.")
    assert week.do("ukesammendrag på kl 9").startswith(
        "Ukesammendraget for Statsforvalteren i Agder kommer nå hver fredag kl. 09.00")
    week.do("ukesammendrag av")
    assert week.do("ukesammendrag på").startswith(
        "Ukesammendraget for Statsforvalteren i Agder er skrudd på igjen i denne kanalen: "
        "hver mandag kl. 08.30.")
    assert week.digest().id == first
    with week.rt.db.read() as session:
        assert len(session.exec(select(Reminder).where(Reminder.kind == DIGEST)).all()) == 1


def test_angre_takes_back_pa_av_and_a_move(week: Week) -> None:
    week.do("ukesammendrag på")
    digest = week.digest()
    assert week.do("angre").startswith(
        f"Angret: påminnelse #{digest.id} «Ukesammendrag for Statsforvalteren i Agder» er "
        "fjernet")
    assert week.do("ukesammendrag").startswith("Denne kanalen har ikke ukesammendrag.")
    assert week.deliver(DUE) == []

    week.do("ukesammendrag på")
    assert week.do("angre") == (
        f"Angret: påminnelse #{digest.id} «Ukesammendrag for Statsforvalteren i Agder» er av "
        "igjen.")
    assert week.do("ukesammendrag").startswith("Denne kanalen har ikke ukesammendrag.")

    week.do("ukesammendrag på")
    week.do("ukesammendrag på fredag kl 14")
    assert week.do("angre") == (
        f"Angret: påminnelse #{digest.id} «Ukesammendrag for Statsforvalteren i Agder» er "
        "igjen som før: hver mandag kl. 08.30.")
    assert week.digest().next_key == "2026-11-30T08:30"
    week.do("ukesammendrag av")
    assert week.do("angre").startswith(
        f"Angret: påminnelse #{digest.id} «Ukesammendrag for Statsforvalteren i Agder» er "
        "tilbake")
    assert [o.status for o in week.deliver(DUE)] == [SENT]


def test_paminnelser_lists_it_and_paminnelse_slett_points_to_av(week: Week) -> None:
    week.do("ukesammendrag på")
    rid = week.digest().id
    listed = week.do("påminnelser")
    assert (f"*#{rid} «Ukesammendrag for Statsforvalteren i Agder»* – hver mandag kl. 08.30\n"
            "Neste: mandag 30. november 2026 kl. 08.30\n"
            "`/lhl ukesammendrag` flytter det eller skrur det av.") in listed
    for verb in ("slett", "pause", "fortsett"):
        assert week.do(f"påminnelse {verb} {rid}") == (
            f"#{rid} er kanalens ukesammendrag: `/lhl ukesammendrag av` skrur det av, og "
            "`/lhl ukesammendrag på fredag kl 14` flytter det.")
    assert week.digest().deleted_at is None


# --- access --------------------------------------------------------------------------------------


def test_who_may_turn_it_on_and_off(week: Week) -> None:
    assert week.do("ukesammendrag på", LESER).startswith(
        "Du har lesetilgang for Statsforvalteren i Agder, men ikke skrivetilgang")
    assert week.do("ukesammendrag på embete: Rogaland") == (
        "Du fører for Statsforvalteren i Agder og kan ikke skru på ukesammendrag for "
        "Statsforvalteren i Rogaland; ingenting ble endret.")
    assert week.do("ukesammendrag på", ADMIN) == (
        "Hvilket embete skal ukesammendraget gjelde? Skriv for eksempel "
        "`/lhl ukesammendrag på embete: Agder`, eller `embete: landet` for hele landet.")
    week.do("ukesammendrag på")
    refused = ("Ukesammendraget her er for Statsforvalteren i Agder, og det kan bare "
               "koordinatorene der og administratorene endre; ingenting ble endret.")
    assert week.do("ukesammendrag av", OLA) == refused
    assert week.do("ukesammendrag på fredag kl 14", OLA) == refused
    assert week.do("ukesammendrag av", LESER).startswith("Du har lesetilgang")
    assert week.do("ukesammendrag på fredag kl 14", ADMIN).startswith(
        "Ukesammendraget for Statsforvalteren i Agder kommer nå hver fredag kl. 14.00")
    assert week.do("ukesammendrag på embete: landet", ADMIN, OTHER_CHANNEL).startswith(
        "Ukesammendraget for hele landet er skrudd på i denne kanalen")
    assert week.do("ukesammendrag av", KARI, OTHER_CHANNEL) == refused.replace(
        "Statsforvalteren i Agder", "hele landet")
    assert week.digest(OTHER_CHANNEL).embete_id is None


# --- the migration -------------------------------------------------------------------------------


def _migrate(db: Database, to: str, *, down: bool = False) -> None:
    migrate(db, to, down=down)


def test_migration_0012_allows_digests_and_keeps_every_delivery_both_ways(week: Week) -> None:
    week.do('påminnelse frist "Rapport til Hdir" 1. desember')
    week.do("ukesammendrag på")
    week.deliver(at(2026, 11, 30, 9))
    db = week.rt.db

    def rows(sql: str) -> list[tuple[Any, ...]]:
        with db.writer.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]

    assert rows("SELECT kind, status FROM reminder_delivery JOIN reminder "
                "ON reminder.id = reminder_delivery.reminder_id ORDER BY kind") == [
        ("frist", SENT), ("sammendrag", SENT)]
    _migrate(db, "0009", down=True)
    assert rows("SELECT kind FROM reminder") == [("frist",)]
    assert rows("SELECT count(*) FROM reminder_delivery") == [(1,)]
    upgrade(db)
    assert rows("SELECT kind FROM reminder") == [("frist",)]
    assert rows("SELECT count(*) FROM reminder_delivery") == [(1,)]
    week.do("ukesammendrag på")
    assert rows("SELECT kind FROM reminder ORDER BY id") == [("frist",), ("sammendrag",)]
    with db.writer.connect() as conn:
        rid = conn.execute(text("SELECT id FROM reminder WHERE kind = 'frist'")).scalar_one()
    with db.writer.begin() as conn:
        conn.execute(text("DELETE FROM reminder WHERE id = :i"), {"i": rid})
    assert rows("SELECT count(*) FROM reminder_delivery") == [(0,)], "the cascade still holds"


def test_the_digest_of_a_stored_occurrence(week: Week) -> None:
    """The store's occurrence and the rule give the week: seven days before."""
    week.do("ukesammendrag på")
    digest = week.digest()
    rule = rule_from_json(digest.rule)
    assert isinstance(rule, Weekly)
    assert digest.next_key is not None and digest.next_due_at is not None
    occ = current_occurrence(rule, digest.next_key, digest.next_due_at, OSLO)
    assert week_of(rule, occ, OSLO) == WEEK_BEGAN


def test_the_weeks_nominations_and_good_examples_are_counted(week: Week) -> None:
    week.clock.now = at(2026, 11, 24, 10)
    assert week.do('nominer Lillesand "Kjøkkenet er tilbake på sykehjemmet"').startswith(
        "Lagret")
    assert week.do('eksempel ny Lillesand "Kjøkkenet tilbake" område: mat').startswith("Lagret")
    week.do('eksempel ny Vennesla "Turvenner" område: aktivitet')
    text = digest_reply(_digest(week, "agder")).text
    assert "1 kommune nominert" in text and "Leve hele livet-prisen" in text
    assert "2 nye eksempler" in text and "Gode eksempler" in text


def _nomination_id(week: Week, kommune: str, embete_id: str, aar: int = 2026) -> int:
    with week.rt.db.read() as session:
        found = find_nomination(aar, kommune, embete_id, session=session)
    assert found is not None and found.id is not None
    return found.id


def test_the_prize_line_names_the_year_and_the_winner(week: Week) -> None:
    """Grimstad's nomination was made the week before; Lillesand's this week, Vennesla's for
    next year's prize, and Grimstad marked as the winner."""
    week.clock.now = at(2026, 11, 20)
    week.do('nominer Grimstad "Seniorsenter i hver bydel"')
    week.clock.now = at(2026, 11, 24, 10)
    week.do('nominer Lillesand "Kjøkkenet er tilbake på sykehjemmet"')
    week.do('nominer Vennesla "Turvenner" 2027')
    assert week.do(f"nominasjoner vinner {_nomination_id(week, '4202', 'agder')}",
                   ADMIN).startswith("Lagret")
    lines = digest_reply(_digest(week, "agder")).text.splitlines()
    assert lines[1:3] == ["• Leve hele livet-prisen 2026: 1 kommune nominert og vinneren er "
                          "Grimstad",
                          "• Leve hele livet-prisen 2027: 1 kommune nominert"]
    country = digest_reply(_digest(week, None))
    assert country.text.splitlines()[1:3] == lines[1:3]
    assert_reply_within_limits(country)


def test_a_nomination_counts_for_the_embete_that_nominated_like_the_deadline_reminder(
        week: Week) -> None:
    """An administrator nominates Bergen (in Vestland) for Agder: Agder's digest counts it, as
    Agder's reminder of the nomination deadline does; Vestland's does not."""
    week.clock.now = at(2026, 11, 24, 10)
    assert week.do('nominer Bergen "Hdir ser det også" embete: Agder', ADMIN).startswith(
        "Lagret")
    assert week.do(f"nominasjoner vinner {_nomination_id(week, '4601', 'agder')}",
                   ADMIN).startswith("Lagret")
    assert digest_reply(_digest(week, "agder")).text.splitlines()[1] == (
        "• Leve hele livet-prisen 2026: 1 kommune nominert og vinneren er Bergen")
    assert digest_reply(_digest(week, "vestland")).text == (
        "Ingen nye føringer for Statsforvalteren i Vestland siden 23. november 2026.")
    with week.rt.db.read() as session:
        agder = figures_for("agder", DUE.date(), tz=OSLO, geo=week.rt.geo, session=session)
        vestland = figures_for("vestland", DUE.date(), tz=OSLO, geo=week.rt.geo,
                               session=session)
    assert agder is not None and vestland is not None
    assert (agder.nominations, vestland.nominations) == (1, 0)


def test_naming_another_embete_replaces_the_channels_digest_and_says_which(week: Week) -> None:
    week.do("ukesammendrag på fredag kl 7")
    assert week.do("ukesammendrag på embete: landet", ADMIN) == (
        "Ukesammendraget i denne kanalen gjelder nå hele landet, hver fredag kl. 07.00; det "
        "erstatter ukesammendraget for Statsforvalteren i Agder (hver fredag kl. 07.00). "
        "Neste: fredag 27. november 2026 kl. 07.00. `/lhl angre` tar det tilbake.")
    assert week.do("ukesammendrag på mandag kl 9 embete: Rogaland", ADMIN) == (
        "Ukesammendraget i denne kanalen gjelder nå Statsforvalteren i Rogaland, hver mandag "
        "kl. 09.00; det erstatter ukesammendraget for hele landet (hver fredag kl. 07.00). "
        "Neste: mandag 30. november 2026 kl. 09.00. `/lhl angre` tar det tilbake.")
    assert week.digest().embete_id == "rogaland"
    week.do("angre", ADMIN)
    assert week.digest().embete_id is None
    assert week.do("ukesammendrag").startswith(
        "Ukesammendraget for hele landet kommer i denne kanalen hver fredag kl. 07.00.")


@pytest.mark.parametrize(("before", "typed", "said"), [
    ([], "på lørdag",
     "Ukesammendraget for Statsforvalteren i Agder er skrudd på i denne kanalen: hver lørdag "
     "kl. 08.30. Uten klokkeslett kommer det kl. 08.30; en annen tid: "
     "`/lhl ukesammendrag på lørdag kl 14`. Det første kommer lørdag 28. november 2026 "
     "kl. 08.30."),
    (["på fredag kl 7"], "på lørdag",
     "Ukesammendraget for Statsforvalteren i Agder kommer nå hver lørdag kl. 07.00 (før: hver "
     "fredag kl. 07.00). Klokkeslettet er som før, siden du ikke skrev noe nytt; en annen "
     "tid: `/lhl ukesammendrag på lørdag kl 14`. Neste: lørdag 28. november 2026 kl. 07.00."),
    (["på fredag kl 7"], "på kl 9",
     "Ukesammendraget for Statsforvalteren i Agder kommer nå hver fredag kl. 09.00 (før: hver "
     "fredag kl. 07.00). Neste: fredag 27. november 2026 kl. 09.00."),
    (["på fredag kl 7", "av"], "på lørdag",
     "Ukesammendraget for Statsforvalteren i Agder er skrudd på igjen i denne kanalen: hver "
     "lørdag kl. 08.30. Uten klokkeslett kommer det kl. 08.30; en annen tid: "
     "`/lhl ukesammendrag på lørdag kl 14`. Det første kommer lørdag 28. november 2026 "
     "kl. 08.30."),
])
def test_a_day_without_a_time_says_which_time_it_kept_and_why(
        week: Week, before: list[str], typed: str, said: str) -> None:
    for line in before:
        week.do(f"ukesammendrag {line}")
    assert week.do(f"ukesammendrag {typed}") == said


HJELP_NAMES = {
    "Møter holdt": "møter holdt og planlagt etter type",
    "Møter planlagt": "møter holdt og planlagt etter type",
    "Tilbud om dialogmøte": "tilbud om dialogmøte",
    "Læringsnettverk": "læringsnettverk",
    "Planer og faser": "planer og faser",
    "Arrangementer": "arrangementer",
    "Importer": "importer",
    "Leve hele livet-prisen": "nominasjoner til Leve hele livet-prisen med år og vinner",
    "Gode eksempler": "gode eksempler",
    "Rettet og slettet": "rettelser og slettinger",
}
"""Each line of the digest and how ``hjelp ukesammendrag`` names it."""


def test_hjelp_names_every_line_the_digest_has(week: Week) -> None:
    assert {w.group for w in KIND_WORDS.values()} == HJELP_NAMES.keys()
    helped = week.do("hjelp ukesammendrag")
    for named in [*HJELP_NAMES.values(), "tallene fra `/lhl status` med endringen siden "
                  "forrige uke", "kommunene som ennå ikke har gjennomført dialogmøte i år"]:
        assert named in helped


# --- what a deletion in the week takes away --------------------------------------------------


def _latest(week: Week, kind: str | None = None) -> int:
    """The id of the latest change (of ``kind``)."""
    with week.rt.db.read() as session:
        change = session.exec(select(Change).where(*([Change.kind == kind] if kind else []))
                              .order_by(col(Change.id).desc())).first()
    assert change is not None and change.id is not None
    return change.id


def _slett_latest(week: Week, kind: str, who: str = KARI) -> None:
    """``/lhl slett`` of the latest change of ``kind``."""
    assert week.do(f"slett {_latest(week, kind)}", who).startswith("Slettet"), kind


def _record(week: Week, lines: list[str]) -> None:
    """Each line as Kari, ``{siste}`` the number of the change before it; each is stored."""
    for line in lines:
        said = week.do(line.replace("{siste}", str(_latest(week))))
        assert said.startswith(("Lagret", "Endret")), said


MAT_NY = 'nettverk ny "Mat i Agder" fra 1. november'
MAT_DELTAR = 'nettverk deltar "Mat i Agder" Lillesand 2. november'
ARR = ('arrangement ny webinar "Matvennlige kommuner" 3. mars målgruppe: kjøkkenledere '
       "hovedtema: mat")
NOMINER = 'nominer Lillesand "Kjøkkenet er tilbake på sykehjemmet"'

# (what, recorded before the week, recorded in the week, the kind deleted in the week)
DELETED_IN_THE_WEEK = [
    ("dialogmøte", [], ["logg-møte Vennesla 24. november"], "meeting_held"),
    ("rettet møte", [], ["logg-møte Vennesla 24. november",
                         "rediger {siste} Vennesla 24. november type: ordfører"], "meeting_held"),
    ("tilbud", [], ["tilby-møte Froland og Birkenes"], "meeting_offered"),
    ("planlagt møte", [], ["planlegg-møte Evje og Hornnes 10. desember"], "meeting_planned"),
    ("nettverk med alt i det", [],
     [MAT_NY, 'nettverk inviter "Mat i Agder" Lillesand og Birkenes', MAT_DELTAR,
      'nettverk samling "Mat i Agder" 20. november deltakere: Lillesand'], "network_created"),
    ("invitasjon", [MAT_NY], ['nettverk inviter "Mat i Agder" Lillesand og Birkenes'],
     "network_invited"),
    ("deltakelse", [MAT_NY], [MAT_DELTAR], "network_joined"),
    ("forlot", [MAT_NY, MAT_DELTAR], ['nettverk forlater "Mat i Agder" Lillesand 19. november'],
     "network_left"),
    ("samling", [MAT_NY, MAT_DELTAR],
     ['nettverk samling "Mat i Agder" 20. november deltakere: Lillesand'], "gathering_added"),
    ("arrangement", [], [ARR], "event_created"),
    ("plan", [], ["plan Lillesand og Birkenes vedtatt 20. november"], "plan_recorded"),
    ("fase", [], ["fase Lillesand 2"], "phase_recorded"),
    ("nominasjon", [], [NOMINER], "nomination_created"),
    ("rettet nominasjon", [], [NOMINER, 'nominer Lillesand "Ny begrunnelse" --endre'],
     "nomination_created"),
    ("eksempel", [], ['eksempel ny Lillesand "Kjøkkenet tilbake" område: mat'],
     "example_created"),
]


@pytest.mark.parametrize(("before", "during", "kind"), [c[1:] for c in DELETED_IN_THE_WEEK],
                         ids=[c[0] for c in DELETED_IN_THE_WEEK])
def test_an_entry_recorded_and_deleted_in_the_week_counts_neither_as_new_nor_as_deleted(
        week: Week, before: list[str], during: list[str], kind: str) -> None:
    """Like an undone one: the week's digest counts what stands."""
    week.clock.now = at(2026, 11, 20, 12)
    _record(week, before)
    week.clock.now = at(2026, 11, 24, 10)
    _record(week, during)
    assert _digest(week, "agder").groups, "counted before it is deleted"
    _slett_latest(week, kind)
    assert digest_reply(_digest(week, "agder")).text == (
        "Ingen nye føringer for Statsforvalteren i Agder siden 23. november 2026.")


@pytest.mark.parametrize(("before", "during", "kind"), [c[1:] for c in DELETED_IN_THE_WEEK],
                         ids=[c[0] for c in DELETED_IN_THE_WEEK])
def test_a_deletion_of_what_was_recorded_before_the_week_counts(
        week: Week, before: list[str], during: list[str], kind: str) -> None:
    week.clock.now = at(2026, 11, 20, 12)
    _record(week, [*before, *during])
    week.clock.now = at(2026, 11, 24, 10)
    _slett_latest(week, kind)
    assert _digest(week, "agder").groups == (("Rettet og slettet", ("1 føring slettet",)),)


def test_a_winner_marked_and_deleted_in_the_week_is_neither_named_nor_counted(
        week: Week) -> None:
    week.clock.now = at(2026, 11, 20, 12)
    week.do(NOMINER)
    week.clock.now = at(2026, 11, 24, 10)
    assert week.do(f"nominasjoner vinner {_nomination_id(week, '4215', 'agder')}",
                   ADMIN).startswith("Lagret")
    _slett_latest(week, "winner_marked", ADMIN)
    assert _digest(week, "agder").groups == ()


def test_the_weeks_deleted_nominations_and_examples_are_not_counted(week: Week) -> None:
    """Kari nominates Lillesand and Arendal and deletes Arendal, an administrator nominates
    Bergen for Agder; of Kari's two good examples one is deleted. Each is deleted the same
    week, so nothing is «slettet» either."""
    week.clock.now = at(2026, 11, 24, 10)
    week.do(NOMINER)
    week.do('nominer Arendal "Matglede"')
    week.do('nominer Bergen "Hdir ser det også" embete: Agder', ADMIN)
    week.do('eksempel ny Lillesand "Kjøkkenet tilbake" område: mat')
    week.do('eksempel ny Vennesla "Turvenner" område: aktivitet')
    with week.rt.db.read() as session:
        arendal = session.exec(select(Change).where(Change.kind == "nomination_created")
                               .order_by(col(Change.id))).all()[1]
    assert week.do(f"slett {arendal.id}").startswith("Slettet")
    _slett_latest(week, "example_created")
    groups = dict(_digest(week, "agder").groups)
    assert [g for g in groups if g.startswith("Leve hele livet-prisen")] == [
        "Leve hele livet-prisen 2026"]
    assert groups["Leve hele livet-prisen 2026"] == ("2 kommuner nominert",)
    assert groups["Gode eksempler"] == ("1 nytt eksempel",)
    assert "Rettet og slettet" not in groups


def test_a_deletion_taken_back_with_angre_leaves_the_entry_counted(week: Week) -> None:
    week.clock.now = at(2026, 11, 24, 10)
    week.do("logg-møte Vennesla 24. november")
    _slett_latest(week, "meeting_held")
    assert week.do("angre").startswith("Angret")
    assert _digest(week, "agder").groups == (("Møter holdt", ("1 dialogmøte",)),)


def test_a_deletion_takes_away_only_the_invitations_it_deleted(week: Week) -> None:
    """Two invitations to one network: the one deleted goes, the other is counted."""
    week.clock.now = at(2026, 11, 24, 10)
    _record(week, [MAT_NY, 'nettverk inviter "Mat i Agder" Lillesand'])
    first = _latest(week, "network_invited")
    _record(week, ['nettverk inviter "Mat i Agder" Birkenes og Froland'])
    assert week.do(f"slett {first}").startswith("Slettet")
    assert _digest(week, "agder").groups == (
        ("Læringsnettverk", ("1 nytt nettverk", "2 kommuner invitert")),)
