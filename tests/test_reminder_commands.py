"""``/lhl påminnelse …`` and ``/lhl påminnelser`` through the one code path, on a real store.

The clock stands at tirsdag 24. november 2026 kl. 10.00 (``tests.support.clock.NOW``).
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from bot.runtime import Runtime
from bot.senders import ConsoleSender
from schedules.delivery import deliver_due
from tests.support.clock import NOW, OSLO, at
from tests.support.runtime import ADMIN, say
from tests.support.slack_requests import CHANNEL

KARI = "UKARI01"

def test_standard_sets_up_both_reporting_deadlines_moved_off_holidays(runtime: Runtime) -> None:
    saved = say(runtime, "påminnelse standard")
    assert saved.startswith(
        "Påminnelse #1 lagret: «Rapportering til Helsedirektoratet», frist 1. mai og "
        "1. november hvert år, varsel 14, 7, 1 og 0 dager før."
    )
    listing = say(runtime, "påminnelser")
    assert "*#1 «Rapportering til Helsedirektoratet»*" in listing
    assert "Frist 1. mai 2027, varsler:" in listing
    assert "Frist 1. november 2027, varsler:" in listing
    # 1 May 2027 is a Saturday and a public holiday: the reminder comes on Friday 30 April.
    assert ("fredag 30. april 2027 kl. 09.00 – på fristdagen (flyttet fra "
            "lørdag 1. mai 2027: 1. mai (offentlig høytidsdag))") in listing
    # 17 April 2027 (14 days before) is a Saturday too.
    assert ("fredag 16. april 2027 kl. 09.00 – 14 dager før fristen (flyttet fra "
            "lørdag 17. april 2027)") in listing
    assert "mandag 1. november 2027 kl. 09.00 – på fristdagen\n" in listing + "\n"
    again = say(runtime, "påminnelse standard")
    assert "allerede påminnelsen #1" in again
    assert listing.count("«Rapportering til Helsedirektoratet»") == 1
    assert say(runtime, "påminnelser").count("*#") == 1


def test_one_off_is_saved_at_once_and_shown_in_words(runtime: Runtime) -> None:
    reply = say(runtime, 'påminnelse ny "Ring Lillesand" om 10 minutter')
    assert reply.splitlines()[1] == (
        "Jeg minner dere på tirsdag 24. november 2026 kl. 10.10."
    )
    assert "Neste: tirsdag 24. november 2026 kl. 10.10" in say(runtime, "påminnelser")


def test_recurrence_is_previewed_and_saved_only_when_asked(runtime: Runtime) -> None:
    preview = say(runtime, 'påminnelse ny «Statusmøte med Hdir» hver første tirsdag kl 10')
    lines = preview.splitlines()
    assert lines[0].startswith("Slik blir påminnelsen «Statusmøte med Hdir»")
    assert lines[1:4] == [
        "• tirsdag 1. desember 2026 kl. 10.00",
        "• tirsdag 5. januar 2027 kl. 10.00",
        "• tirsdag 2. februar 2027 kl. 10.00",
    ]
    assert "ingen påminnelser" in say(runtime, "påminnelser")
    saved = say(runtime, "påminnelse lagre")
    assert saved.startswith("Påminnelse #1 lagret: «Statusmøte med Hdir»")
    assert "Neste: tirsdag 1. desember 2026 kl. 10.00" in say(runtime, "påminnelser")
    assert "ingen påminnelse som venter" in say(runtime, "påminnelse lagre")


def test_a_draft_can_be_dropped(runtime: Runtime) -> None:
    say(runtime, 'påminnelse ny "Nettverksmøte" hver mandag kl 9')
    assert say(runtime, "påminnelse avbryt") == "Ok, påminnelsen ble ikke lagret."
    assert "ingen påminnelse som venter" in say(runtime, "påminnelse lagre")


def test_pause_resume_and_delete_by_number(runtime: Runtime) -> None:
    say(runtime, 'påminnelse ny "Ring Lillesand" i morgen kl 9')
    assert say(runtime, "påminnelse pause 1").startswith(
        "Påminnelse #1 «Ring Lillesand» er satt på pause.")
    assert "(på pause)" in say(runtime, "påminnelser")
    assert say(runtime, "påminnelse fortsett 1") == (
        "Påminnelse #1 «Ring Lillesand» går igjen. Neste gang: onsdag 25. november 2026 "
        "kl. 09.00."
    )
    assert "ingen påminnelse #7" in say(runtime, "påminnelse slett 7")
    assert "ingen påminnelse #1" in say(runtime, "påminnelse slett 1", channel="CANNEN")
    assert say(runtime, "påminnelse slett 1") == "Påminnelse #1 «Ring Lillesand» er slettet."
    assert "ingen påminnelser" in say(runtime, "påminnelser")


def test_reminders_need_write_access_and_only_the_author_changes_them(runtime: Runtime) -> None:
    assert "ikke skrivetilgang" in say(runtime, "påminnelse standard", KARI)
    assert "ingen påminnelser" in say(runtime, "påminnelser")
    say(runtime, f"tilgang gi <@{KARI}> Agder")
    assert say(runtime, "påminnelse standard", KARI).startswith("Påminnelse #1 lagret")
    say(runtime, 'påminnelse ny "Ring Lillesand" i morgen kl 9')
    other = say(runtime, "påminnelse slett 2", KARI)
    assert other.startswith(f"Bare <@{ADMIN}> som lagde påminnelsen")
    assert "#2" in say(runtime, "påminnelser")


def test_bad_input_says_the_right_form_and_stores_nothing(runtime: Runtime) -> None:
    assert "anførselstegn" in say(runtime, "påminnelse ny Ring Lillesand i morgen kl 9") \
        or "`/lhl påminnelse ny" in say(runtime, "påminnelse ny Ring Lillesand i morgen kl 9")
    assert "`/lhl påminnelse pause 3`" in say(runtime, "påminnelse pause x")
    assert "ingen påminnelser" in say(runtime, "påminnelser")


def test_slack_is_asked_about_the_channel_only_outside_the_write_transaction(
        runtime: Runtime) -> None:
    asked: list[bool] = []

    def probe() -> bool:
        # A network call must never run while this process holds the store's write lock.
        asked.append(runtime.db._write_lock.locked())
        return False

    replies = [runtime.handle(text, ADMIN, CHANNEL, bot_in_channel=probe).text for text in (
        'påminnelse ny "Ring Lillesand" i morgen kl 9',
        'påminnelse ny "Nettverksmøte" siste fredag i måneden kl 12',  # a preview: not asked
        "påminnelse lagre", "påminnelse standard")]
    assert asked == [False, False, False]
    saved = [replies[0], replies[2], replies[3]]
    assert all("lagret" in r and "/invite @lhl" in r for r in saved), saved
    assert "/invite @lhl" not in replies[1]


def test_creation_warns_when_the_bot_is_not_in_the_channel(runtime: Runtime) -> None:
    reply = runtime.handle('påminnelse ny "Ring Lillesand" i morgen kl 9', ADMIN, CHANNEL,
                           bot_in_channel=lambda: False)
    assert "Jeg er ikke med i denne kanalen" in reply.text and "/invite @lhl" in reply.text
    fine = runtime.handle('påminnelse ny "Ring Birkenes" i morgen kl 9', ADMIN, CHANNEL,
                          bot_in_channel=lambda: True)
    assert "ikke med i denne kanalen" not in fine.text


def test_preview_names_holiday_moves_and_daylight_saving(runtime: Runtime) -> None:
    preview = say(runtime, 'påminnelse ny "Nettverksmøte" siste fredag i måneden kl 12')
    assert ("• torsdag 24. desember 2026 kl. 12.00 (flyttet fra fredag 25. desember 2026: "
            "første juledag)") in preview
    march = Runtime(settings=runtime.settings, db=runtime.db, geo=runtime.geo,
                    clock=lambda: at(2027, 3, 22, 10))
    night = march.handle('påminnelse ny "Sjekk" hver søndag kl 2.30', ADMIN, CHANNEL).text
    assert ("• søndag 28. mars 2027 kl. 03.30 (02.30 finnes ikke denne natten (sommertid); "
            "sendes 03.30)") in night
    assert "• søndag 4. april 2027 kl. 02.30" in night


def test_no_reminder_where_it_could_never_arrive(runtime: Runtime) -> None:
    """A direct message or a group message: the bot is not in it and cannot be added."""
    asked: list[str] = []

    def probe() -> bool:
        asked.append("asked")
        return True

    for channel, name in (("D0DIREKTE", "directmessage"), ("D0DIREKTE", None),
                          ("G0GRUPPE", "mpdm-kari--ola--lhl-1")):
        for line in ('påminnelse ny "Ring Lillesand" i morgen kl 9',
                     'påminnelse ny "Nettverksmøte" siste fredag i måneden kl 12',
                     "påminnelse standard", "påminnelse lagre"):
            reply = runtime.handle(line, ADMIN, channel, bot_in_channel=probe,
                                   channel_name=name).text
            assert reply.startswith("Påminnelser kan ikke lages i en "), reply
            assert "`/invite @lhl`" in reply
        assert "ingen påminnelser" in say(runtime, "påminnelser", channel=channel)
    assert asked == []
    console = runtime.handle('påminnelse ny "Kaffe" i morgen kl 9', ADMIN, "CONSOLE")
    assert "lagret" in console.text


def test_a_second_preview_says_the_first_was_not_saved(runtime: Runtime) -> None:
    first = 'påminnelse ny "Statusmøte med Hdir" hver første tirsdag kl 10'
    assert ":warning:" not in say(runtime, first)
    assert ":warning:" not in say(runtime, first), "the same preview again replaces nothing"
    second = say(runtime, 'påminnelse ny "Nettverksmøte" hver mandag kl 9')
    assert second.splitlines()[0].startswith("Slik blir påminnelsen «Nettverksmøte»")
    assert second.splitlines()[4] == (
        ":warning: Den forrige påminnelsen du så her, «Statusmøte med Hdir» (første "
        "tirsdag i måneden kl. 10.00), ble ikke lagret. «Lagre» lagrer nå denne.")
    # Another user, or another channel, has drafts of their own.
    say(runtime, f"tilgang gi <@{KARI}> Agder")
    assert ":warning:" not in say(runtime, 'påminnelse ny "Kaffe" hver fredag kl 9', KARI)
    assert ":warning:" not in say(runtime, first, channel="C0ANNEN")
    assert say(runtime, "påminnelse lagre").startswith("Påminnelse #1 lagret: «Nettverksmøte»")
    listing = say(runtime, "påminnelser")
    assert "«Nettverksmøte»" in listing and "Statusmøte" not in listing


def test_finished_one_offs_leave_the_listing_but_not_the_history(runtime: Runtime) -> None:
    say(runtime, 'påminnelse ny "Ring Lillesand" om 10 minutter')
    say(runtime, 'påminnelse ny "Ukemøte" hver mandag kl 9')
    say(runtime, "påminnelse lagre")
    out = io.StringIO()
    sent = deliver_due(runtime.db, now=NOW + timedelta(minutes=15), sender=ConsoleSender(out),
                       tz=OSLO, grace=timedelta(hours=6), process_id="test")
    assert [o.status for o in sent] == ["sent"]
    listing = say(runtime, "påminnelser")
    assert listing.startswith("*Påminnelser i denne kanalen* (1)")
    assert "«Ukemøte»" in listing and "Ring Lillesand" not in listing
    assert listing.endswith(
        "Én ferdig påminnelse vises ikke her; `/lhl påminnelser alle` viser dem også.")
    history = say(runtime, "påminnelser alle")
    assert history.startswith("*Alle påminnelser i denne kanalen*, også de ferdige (2)")
    assert ("*#1 «Ring Lillesand»* – én gang, tirsdag 24. november 2026 kl. 10.10\n"
            "Ingen flere ganger igjen.\n"
            "Sist levert: tirsdag 24. november 2026 kl. 10.15") in history
    assert "vises ikke her" not in history
    say(runtime, "påminnelse slett 2")
    assert say(runtime, "påminnelser") == (
        "Denne kanalen har ingen påminnelser som skal komme. Én ferdig påminnelse viser du "
        "med `/lhl påminnelser alle`.")
    assert "«Ring Lillesand»" in say(runtime, "påminnelser alle side 1")
    assert say(runtime, "påminnelser alle side 0") == (
        "Sidene er nummerert fra 1, for eksempel `/lhl påminnelser alle side 2`.")


def test_what_moves_off_a_holiday_is_what_the_readme_says(runtime: Runtime) -> None:
    """1 May 2027 is a Saturday and a public holiday; 29 March 2027 is Easter Monday."""
    april = Runtime(settings=runtime.settings, db=runtime.db, geo=runtime.geo,
                    clock=lambda: datetime(2027, 4, 26, 10, 0, tzinfo=OSLO))

    def first(rt: Runtime, when: str) -> str:
        return rt.handle(f'påminnelse ny "X" {when}', ADMIN, CHANNEL).text.splitlines()[1]

    assert first(april, "hver lørdag kl 10") == "• lørdag 1. mai 2027 kl. 10.00"
    assert first(april, "hver måned den 1. kl 9") == (
        "• fredag 30. april 2027 kl. 09.00 (flyttet fra lørdag 1. mai 2027: "
        "1. mai (offentlig høytidsdag))")
    assert first(april, "siste søndag i måneden kl 18") == "• søndag 30. mai 2027 kl. 18.00"
    easter = Runtime(settings=runtime.settings, db=runtime.db, geo=runtime.geo,
                     clock=lambda: datetime(2027, 3, 23, 10, 0, tzinfo=OSLO))
    assert first(easter, "hver mandag kl 9") == (
        "• onsdag 24. mars 2027 kl. 09.00 (flyttet fra mandag 29. mars 2027: andre påskedag)")
