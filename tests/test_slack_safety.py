"""What users type comes back as the characters they typed, never as a ping or a disguised link,
and every message stays inside Slack's limits however much data there is.

Text reaches the commands as Slack sends it with ``should_escape`` on: a real @channel typed in
the command as ``<!channel>``, a literal ``<`` as ``&lt;``; both must be shown, not obeyed.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from bot.console import as_terminal_text
from bot.runtime import Runtime
from schedules.delivery import deliver_due
from schedules.lifecycle import create as create_reminder
from schedules.rules import Deadlines, Once
from storage.models import DEADLINE, HELD, MESSAGE
from storage.queries import add_meeting
from tests.support.clock import NOW, OSLO
from tests.support.runtime import ADMIN, reply_to, runtime_on
from tests.support.senders import RecordingSender
from tests.support.slack_limits import all_text, assert_reply_within_limits, live_markup
from tests.support.slack_requests import CHANNEL
from voice.reply import Reply

HOSTILE = "<!channel> se <https://evil.example|Hdir-skjema> & <!here>"
"""As Slack delivers it: a channel ping, a disguised link, an ampersand, a here-ping."""
SHOWN = "&lt;!channel&gt; se &lt;https://evil.example|Hdir-skjema&gt; &amp; &lt;!here&gt;"
"""What the bot must send back for either: the characters, as entities."""
AS_TYPED_LITERALLY = SHOWN
"""The same characters typed literally arrive escaped by Slack exactly as they must go back."""


def assert_safe(reply: Reply) -> str:
    """The reply is within Slack's limits and carries no live markup; its visible text."""
    assert_reply_within_limits(reply)
    seen = all_text(reply.text, reply.blocks)
    assert live_markup(seen) == [], seen
    return seen


@pytest.mark.parametrize("typed", [HOSTILE, AS_TYPED_LITERALLY])
def test_a_meeting_confirmation_and_the_kommune_card_show_the_theme_as_typed(
        runtime: Runtime, typed: str) -> None:
    saved = assert_safe(reply_to(runtime,
                                 f"logg-møte Lillesand i går tema: {typed} med: KS & USHT"))
    assert f"Tema: {SHOWN}" in saved
    card = assert_safe(reply_to(runtime, "status Lillesand"))
    assert f"tema: {SHOWN}" in card


def test_a_user_mention_in_a_theme_stays_a_mention(runtime: Runtime) -> None:
    saved = reply_to(runtime, "logg-møte Lillesand i går tema: oppfølging med <@U0KARI|kari>")
    assert "Tema: oppfølging med <@U0KARI>" in saved.text
    assert "<@U0KARI>" in saved.blocks[0]["text"]["text"]


@pytest.mark.parametrize("typed", [HOSTILE, AS_TYPED_LITERALLY])
def test_reminder_confirmation_preview_and_listing_show_the_text_as_typed(
        runtime: Runtime, typed: str) -> None:
    saved = assert_safe(reply_to(runtime, f'påminnelse ny "{typed}" om 10 minutter'))
    assert f"«{SHOWN}»" in saved
    preview = reply_to(runtime, f'påminnelse ny "{typed} igjen" hver mandag kl 9')
    assert f"«{SHOWN} igjen»" in assert_safe(preview)
    assert preview.blocks[-1]["type"] == "actions"
    listing = assert_safe(reply_to(runtime, "påminnelser"))
    assert f"«{SHOWN}»" in listing
    paused = assert_safe(reply_to(runtime, "påminnelse pause 1"))
    assert f"«{SHOWN}»" in paused


def test_names_echoed_in_errors_are_escaped(runtime: Runtime) -> None:
    for line in (f"logg-møte {HOSTILE} i går", f"status {HOSTILE}", f"{HOSTILE}",
                 f"hjelp {HOSTILE}", f"tilgang gi {HOSTILE} Agder",
                 f'påminnelse ny "x" {HOSTILE}'):
        reply = reply_to(runtime, line)
        assert_safe(reply)
        assert "&lt;!channel&gt;" in reply.text, line


def test_help_shows_its_own_angle_brackets_as_text(runtime: Runtime) -> None:
    shown = assert_safe(reply_to(runtime, "hjelp"))
    assert "`/lhl logg-møte &lt;kommuner&gt; &lt;dato&gt;" in shown


def test_the_posted_reminder_and_the_failure_dm_show_the_text_as_typed(runtime: Runtime) -> None:
    db = runtime.db
    due = NOW + timedelta(hours=1)
    with db.write() as session:
        for kind, rule in ((MESSAGE, Once(at=due)),
                           (DEADLINE, Deadlines(dates=(date(2026, 11, 25),), lead_days=(0,)))):
            create_reminder(CHANNEL, kind, HOSTILE, rule, embete_id="agder", by="U0KOORD1",
                            now=NOW, tz=OSLO, session=session)
    sender = RecordingSender()
    deliver_due(db, now=due, sender=sender, tz=OSLO, grace=timedelta(hours=6),
                process_id="test", geo=runtime.geo)
    failing = RecordingSender(fail_with="not_in_channel")
    deliver_due(db, now=NOW + timedelta(days=1), sender=failing, tz=OSLO,
                grace=timedelta(days=2), process_id="test", geo=runtime.geo)
    assert len(sender.posts) == 1 and len(failing.dms) == 1
    post = sender.posts[0]
    assert_safe(Reply(post.text, post.blocks))
    assert SHOWN in post.blocks[0]["text"]["text"]
    dm = failing.dms[0][1]
    assert live_markup(dm) == []
    assert f"«{SHOWN}»" in dm and "<#C0LHL>" in dm



# --- what a user typed is never formatting ----------------------------------------------------

TYPED = "*viktig* og _mat_"
"""Stars and underscores as a user types them: Slack would show bold and italics."""
AS_TYPED = ("<!date^00000000^{_}|*>viktig<!date^00000000^{_}|*> og "
            "<!date^00000000^{_}|_>mat<!date^00000000^{_}|_>")
"""What the bot sends instead: each character through a date token's fallback, which Slack
always shows as the character itself."""
NETWORK = f'nettverk ny "{TYPED}" embete: Agder'
EVENT = (f'arrangement ny konferanse "{TYPED}" 12. mai målgruppe: ledere hovedtema: mat '
         "embete: Agder")
NOTE = f"logg-møte Lillesand i går notat: {TYPED}"


def assert_shown_as_typed(reply: Reply) -> None:
    """Slack gets the characters, never the formatting (inside a command to copy, where Slack
    formats nothing, they stay as typed), and the console shows what was typed."""
    seen = assert_safe(reply)
    assert AS_TYPED in (all_text("", reply.blocks) if reply.blocks else reply.text), seen
    assert TYPED not in re.sub(r"`[^`]*`", "", seen), seen
    assert "\ue002" not in seen and "\ue003" not in seen
    assert TYPED in as_terminal_text(reply.text)


@pytest.mark.parametrize(("before", "line"), [
    pytest.param([NOTE], "status Lillesand", id="note on the card"),
    pytest.param([NOTE], "notat 1", id="note in full"),
    pytest.param([], f"logg-møte Lillesand i går tema: {TYPED} med: {TYPED}", id="theme"),
    pytest.param([NOTE], f"rediger 1 Lillesand i går tema: {TYPED}", id="meeting edited"),
    pytest.param([], NETWORK, id="network saved"),
    pytest.param([NETWORK], "nettverker", id="network listed"),
    pytest.param([NETWORK], f'nettverk vis "{TYPED}"', id="network shown"),
    pytest.param([NETWORK], "logg", id="network in the log"),
    pytest.param([NETWORK], "slett 1", id="network deleted"),
    pytest.param([], EVENT, id="event saved"),
    pytest.param([EVENT], "arrangementer", id="event listed"),
    pytest.param([EVENT], "angre", id="event undone"),
    pytest.param([], f'påminnelse ny "{TYPED}" om 10 minutter', id="reminder saved"),
    pytest.param([f'påminnelse ny "{TYPED}" om 10 minutter'], "påminnelser",
                 id="reminder listed"),
    pytest.param([], f'nettverk vis "{TYPED}"', id="refused: no such network"),
    pytest.param([], f"logg-møte Lillesand i går type: {TYPED}", id="refused: meeting type"),
    pytest.param([], f"arrangementer {TYPED}", id="refused: not a place"),
])
def test_what_a_user_typed_is_shown_as_typed_never_as_formatting(
        runtime: Runtime, before: list[str], line: str) -> None:
    for earlier in before:
        assert_safe(reply_to(runtime, earlier))
    assert_shown_as_typed(reply_to(runtime, line))


def test_the_posted_reminder_shows_its_text_as_typed(runtime: Runtime) -> None:
    due = NOW + timedelta(hours=1)
    with runtime.db.write() as session:
        create_reminder(CHANNEL, MESSAGE, TYPED, Once(at=due), embete_id="agder",
                        by="U0KOORD1", now=NOW, tz=OSLO, session=session)
    sender = RecordingSender()
    deliver_due(runtime.db, now=due, sender=sender, tz=OSLO, grace=timedelta(hours=6),
                process_id="test", geo=runtime.geo)
    post = sender.posts[0]
    assert_shown_as_typed(Reply(post.text, post.blocks))
    assert post.blocks[0]["text"]["text"].startswith(f"*Påminnelse:* {AS_TYPED}\n")


# --- limits however much data ---------------------------------------------------------------


def test_two_hundred_reminders_are_listed_in_pages_within_slacks_limits(
        runtime: Runtime) -> None:
    long_text = "Frist for rapport & oppfølging <" + "x" * 460
    with runtime.db.write() as session:
        for i in range(200):
            create_reminder(CHANNEL, MESSAGE, f"{i:03d} {long_text}",
                            Once(at=NOW + timedelta(days=1, minutes=i)), embete_id=None,
                            by=ADMIN, now=NOW, tz=OSLO, session=session)
    first = reply_to(runtime, "påminnelser")
    assert_safe(first)
    heading = first.blocks[0]["text"]["text"]
    assert heading.startswith("*Påminnelser i denne kanalen* (200), side 1 av ")
    last_page = int(heading.rsplit(" ", 1)[1])
    assert "`/lhl påminnelser side 2`" in first.blocks[-1]["elements"][0]["text"]
    seen: list[int] = []
    for page in range(1, last_page + 1):
        reply = reply_to(runtime, f"påminnelser side {page}")
        assert_safe(reply)
        seen += [int(m[1]) for b in reply.blocks[1:] if b["type"] == "section"
                 and (m := re.match(r"\*#(\d+) «", b["text"]["text"]))]
    assert seen == list(range(1, 201)), "every reminder on exactly one page, in order"
    beyond = reply_to(runtime, f"påminnelser side {last_page + 1}")
    assert f"bare {last_page} sider" in beyond.text


def test_a_kommune_with_fifty_long_meetings_gets_a_card_within_slacks_limits(
        runtime: Runtime) -> None:
    lillesand = runtime.geo.kommuner["4215"]
    theme = "Mat og måltider & aktivitet: <" + "t" * 460
    with runtime.db.write() as session:
        for i in range(50):
            add_meeting(HELD, date(2026, 1, 1) + timedelta(days=i * 6), [lillesand], by=ADMIN,
                        now=NOW, session=session, tema=f"{i:02d} {theme}", med="KS")
    card = reply_to(runtime, "status Lillesand")
    seen = assert_safe(card)
    assert len(card.blocks) == 4, (
        "the card is a heading, the meetings, plan and phase, and the networks")
    assert card.blocks[3]["text"]["text"] == "Ingen læringsnettverk ført."
    lines = card.blocks[1]["text"]["text"].split("\n")
    assert lines[0] == "Dialogmøter i 2026:"
    assert lines[1].startswith("• Holdt 22. oktober 2026 – tema: 49 Mat og måltider &amp;")
    assert lines[-1].startswith("… og ") and lines[-1].endswith(" eldre")
    listed = len(lines) - 2
    assert int(lines[-1].split()[2]) == 50 - listed
    assert "• Holdt 1. januar 2026" not in seen


def test_a_kommune_with_two_hundred_long_notes_gets_a_card_within_slacks_limits(
        runtime: Runtime) -> None:
    lillesand = runtime.geo.kommuner["4215"]
    note = "Oppfølging & plan <" + "n " * 980
    with runtime.db.write() as session:
        for i in range(200):
            add_meeting(HELD, date(2026, 1, 1) + timedelta(days=i), [lillesand], by=ADMIN,
                        now=NOW, session=session, notat=f"{i:03d} {note}")
    card = reply_to(runtime, "status Lillesand")
    seen = assert_safe(card)
    lines = card.blocks[1]["text"]["text"].split("\n")
    assert lines[1:3] == [
        "• Holdt 19. juli 2026",
        "   Notat: 199 Oppfølging &amp; plan &lt;" + " ".join("n" * 28) + "… (hele notatet: "
        "`/lhl notat 200`)"]
    short = [i for i, line in enumerate(lines)
             if re.fullmatch(r"• Holdt \d+\. \w+ 2026 – notat: `/lhl notat \d+`", line)]
    assert short and short == list(range(short[0], len(lines) - 1)), "older ones say less"
    assert lines[-1].startswith("… og ") and lines[-1].endswith(" eldre")
    listed = (short[0] - 1) // 2 + len(short)
    assert int(lines[-1].split()[2]) == 200 - listed
    assert "n n n n n n n n n n n n n n n n n n n n n n n n n n n n n n" not in seen
    whole = reply_to(runtime, "notat 200")
    assert "199 Oppfølging &amp; plan &lt;" in assert_safe(whole)


@pytest.mark.parametrize("typed", [HOSTILE, AS_TYPED_LITERALLY])
def test_a_note_on_the_card_and_in_full_shows_what_was_typed(runtime: Runtime,
                                                              typed: str) -> None:
    reply_to(runtime, f"logg-møte Lillesand i går notat: {typed}")
    assert f"Notat: {SHOWN}" in assert_safe(reply_to(runtime, "status Lillesand"))
    assert SHOWN in assert_safe(reply_to(runtime, "notat 1"))


# --- odd dates ------------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "logg-møte Lillesand 01.01.0001",
    "logg-møte Lillesand 04.01.0001",
    "logg-møte Lillesand 1. januar 9999",
    "logg-møte Lillesand 0001-01-04",
    "tilby-møte Lillesand 31.12.9999",
    "tilby-møte Lillesand 1.1.2001",
    'påminnelse ny "Rapport" 1. januar 9999 kl 10',
    'påminnelse ny "Rapport" 01.01.0001 kl 10',
    'påminnelse frist "Rapport" 01.01.0001',
    'påminnelse frist "Rapport" 31.12.9999',
    "status Lillesand 9999",
])
def test_a_year_far_off_is_a_sentence_and_nothing_is_stored(runtime: Runtime, line: str) -> None:
    reply = reply_to(runtime, line)
    assert "Året" in reply.text and "Beklager" not in reply.text, reply.text
    assert reply.blocks == []
    assert "Ingen dialogmøter ført" in reply_to(runtime, "status Lillesand").text
    assert "ingen påminnelser" in reply_to(runtime, "påminnelser").text


# --- LHL_TIMEZONE -----------------------------------------------------------------------------


def test_lhl_timezone_decides_what_today_and_nine_oclock_mean(store_url: str) -> None:
    """At 23.30 UTC on 24 November it is already the 25th in Oslo, still the 24th in New
    York: with ``LHL_TIMEZONE=America/New_York`` every date and time follows New York."""
    from datetime import datetime

    from storage.models import Reminder

    utc_now = datetime.fromisoformat("2026-11-24T23:30:00+00:00")
    with runtime_on(store_url, clock=lambda: utc_now, lhl_timezone="America/New_York") as rt:
        saved = rt.handle("logg-møte Lillesand i dag", ADMIN, CHANNEL).text
        assert "24. november 2026" in saved, saved
        made = rt.handle('påminnelse ny "Ring Lillesand" i morgen kl 9', ADMIN, CHANNEL).text
        assert "onsdag 25. november 2026 kl. 09.00" in made, made
        with rt.db.read() as session:
            reminder = session.get(Reminder, 1)
            assert reminder is not None and reminder.next_due_at is not None
            assert reminder.next_due_at.astimezone(rt.settings.tz).hour == 9
            assert reminder.next_due_at == datetime.fromisoformat("2026-11-25T14:00:00+00:00")


def test_three_hundred_grants_are_listed_in_pages_and_nobody_is_left_out(
        runtime: Runtime) -> None:
    from storage.models import COORDINATOR
    from storage.queries import grant_access

    with runtime.db.write() as session:
        for i in range(300):
            grant_access(f"U{i:05d}X", "agder", COORDINATOR, by=ADMIN, now=NOW, session=session)
    first = reply_to(runtime, "tilgang")
    assert_safe(first)
    heading = first.blocks[0]["text"]["text"]
    assert heading.startswith("*Tilganger* (300), side 1 av ")
    last = int(heading.rsplit(" ", 1)[1])
    seen: list[str] = []
    for page in range(1, last + 1):
        listing = reply_to(runtime, f"tilgang side {page}")
        assert_safe(listing)
        seen += re.findall(r"<@(U\d{5}X)>", listing.text)
    assert seen == [f"U{i:05d}X" for i in range(300)]
    assert f"Listen har bare {last} sider" in reply_to(runtime, f"tilgang side {last + 1}").text
    reply_to(runtime, 'påminnelse ny "Ring Lillesand" om 10 minutter')
    assert "Listen har bare én side" in reply_to(runtime, "påminnelser side 2").text
    assert "bare én side" in reply_to(runtime, "påminnelser side 99999999999999999999").text
    assert "nummerert fra 1" in reply_to(runtime, "påminnelser side 0").text


def test_a_long_list_of_possible_doubles_says_there_are_more(runtime: Runtime) -> None:
    names = ", ".join(k.navn for k in runtime.geo.kommuner_i("agder"))
    reply_to(runtime, f"logg-møte {names} i går")
    again = reply_to(runtime, f"logg-møte {names} i går").text
    assert "Mulig dobbeltføring" in again and " og flere." in again
