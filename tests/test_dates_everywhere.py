"""The same date words through every command that takes a date, on a real store.

Looking back (a held meeting, an offer) a date without a year is the most recent such day;
looking forward (a planned meeting, a reminder, a deadline) it is the next. The clock stands at
tirsdag 5. januar 2027 kl. 08.00 unless a test moves it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import NamedTuple

import pytest
from sqlalchemy import text

from bot.runtime import Runtime
from tests.support.clock import OSLO
from tests.support.runtime import ADMIN, logged
from voice.words import date_in_words, moment_in_words

JAN_5 = datetime(2027, 1, 5, 8, 0, tzinfo=OSLO)


def say(rt: Runtime, line: str) -> str:
    return rt.handle(line, ADMIN, "C0LHL").text


def stored(rt: Runtime) -> tuple[int, int]:
    """Meetings and reminders in the store."""
    with rt.db.read() as session:
        meetings = session.execute(text("SELECT count(*) FROM dialogue_meeting")).scalar_one()
        reminders = session.execute(text("SELECT count(*) FROM reminder")).scalar_one()
    return meetings, reminders


def _nine(d: date) -> str:
    return moment_in_words(datetime.combine(d, time(9), OSLO))


class Command(NamedTuple):
    """One command that takes a date: how to write it, which way it looks, and its answers."""

    line: str
    looks_back: bool
    saved: Callable[[date], str]
    refused: Callable[[date], str]
    store: tuple[int, int]


COMMANDS = {
    "logg-møte": Command(
        "logg-møte Kristiansand {}", True,
        lambda d: f"Lagret: dialogmøte holdt med Kristiansand {date_in_words(d)}.",
        lambda d: (f"{date_in_words(d)} er fram i tid, og et holdt møte kan ikke ligge i "
                   "framtiden. Skriv datoen det skjedde, for eksempel «i går» eller «12. mai»; "
                   "et avtalt møte føres med `/lhl planlegg-møte Kristiansand "
                   f"{date_in_words(d)}`."),
        (1, 0)),
    "planlegg-møte": Command(
        "planlegg-møte Kristiansand {}", False,
        lambda d: f"Lagret: dialogmøte planlagt med Kristiansand {date_in_words(d)}.",
        lambda d: (f"{date_in_words(d)} er passert, og et planlagt møte ligger fram i tid; et "
                   "møte som er holdt, føres med `/lhl logg-møte Kristiansand "
                   f"{date_in_words(d)}`."),
        (1, 0)),
    "tilby-møte": Command(
        "tilby-møte Kristiansand {}", True,
        lambda d: f"Lagret: dialogmøte tilbudt Kristiansand {date_in_words(d)}.",
        lambda d: (f"{date_in_words(d)} er fram i tid, og et tilbud som er gitt kan ikke ligge "
                   "i framtiden. Skriv datoen det skjedde, for eksempel «i går» eller «12. mai»."),
        (1, 0)),
    "påminnelse ny": Command(
        'påminnelse ny "Ring Lillesand" {}', False,
        lambda d: f"Påminnelse #1 lagret: «Ring Lillesand», én gang, {_nine(d)}.",
        lambda d: (f"Tidspunktet {_nine(d)} har allerede vært; skriv et tidspunkt fram i tid, "
                   "for eksempel «i morgen kl 9»."),
        (0, 1)),
    "påminnelse frist": Command(
        'påminnelse frist "Rapport" {}', False,
        lambda d: (f"Påminnelse #1 lagret: «Rapport», frist {date_in_words(d)}, varsel 14, 7, "
                   "1 og 0 dager før."),
        lambda d: (f"Fristen {date_in_words(d)} har allerede vært; skriv en dato fram i tid, "
                   "for eksempel «1. mai»."),
        (0, 1)),
}

# What the words mean on tirsdag 5. januar 2027, looking back and looking forward.
EXPRESSIONS = [
    ("24. desember", date(2026, 12, 24), date(2027, 12, 24)),
    ("24.12", date(2026, 12, 24), date(2027, 12, 24)),
    ("fredag 24.12.", date(2026, 12, 24), date(2027, 12, 24)),
    ("1. mai", date(2026, 5, 1), date(2027, 5, 1)),
    ("den 30.", date(2026, 12, 30), date(2027, 1, 30)),
    ("fredag", date(2027, 1, 1), date(2027, 1, 8)),
    ("i dag", date(2027, 1, 5), date(2027, 1, 5)),
    ("5. januar", date(2027, 1, 5), date(2027, 1, 5)),
    ("i går", date(2027, 1, 4), date(2027, 1, 4)),
    ("for 3 dager siden", date(2027, 1, 2), date(2027, 1, 2)),
    ("forrige fredag", date(2027, 1, 1), date(2027, 1, 1)),
    ("i morgen", date(2027, 1, 6), date(2027, 1, 6)),
    ("neste fredag", date(2027, 1, 15), date(2027, 1, 15)),
    ("12.05.2026", date(2026, 5, 12), date(2026, 5, 12)),
    ("2027-03-01", date(2027, 3, 1), date(2027, 3, 1)),
]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("words", "back", "forward"), EXPRESSIONS)
def test_the_same_date_words_in_every_command(runtime: Runtime, command: str, words: str,
                                              back: date, forward: date) -> None:
    runtime.clock = lambda: JAN_5
    spec = COMMANDS[command]
    day = back if spec.looks_back else forward
    reply = say(runtime, spec.line.format(words))
    allowed = day <= JAN_5.date() if spec.looks_back else day >= JAN_5.date()
    if allowed:
        assert reply.splitlines()[0] == spec.saved(day)
        assert stored(runtime) == spec.store
    else:
        assert reply == spec.refused(day)
        assert stored(runtime) == (0, 0)


@pytest.mark.parametrize("command", COMMANDS)
def test_an_impossible_date_is_named_by_every_command(runtime: Runtime, command: str) -> None:
    runtime.clock = lambda: JAN_5
    assert say(runtime, COMMANDS[command].line.format("31. februar")) == (
        "31. februar finnes ikke: februar har 28 dager (29 i skuddår). Skriv en dato som "
        "finnes, for eksempel «28. februar»."
    )
    assert stored(runtime) == (0, 0)


def test_a_held_meeting_on_christmas_eve_logged_in_january_is_last_years(
        runtime: Runtime) -> None:
    runtime.clock = lambda: JAN_5
    assert logged(runtime, "logg-møte Kristiansand 24. desember") == (
        "Lagret: dialogmøte holdt med Kristiansand 24. desember 2026."
    )
    assert "Holdt 24. desember 2026" in say(runtime, "status Kristiansand 2026")


def test_a_deadline_on_1_may_set_in_december_is_next_may(runtime: Runtime) -> None:
    runtime.clock = lambda: datetime(2026, 12, 20, 10, 0, tzinfo=OSLO)
    assert say(runtime, 'påminnelse frist "Rapport" 1. mai').splitlines()[0] == (
        "Påminnelse #1 lagret: «Rapport», frist 1. mai 2027, varsel 14, 7, 1 og 0 dager før."
    )
    assert say(runtime, 'påminnelse ny "Ring" 1. mai kl 10').splitlines()[0] == (
        "Påminnelse #2 lagret: «Ring», én gang, lørdag 1. mai 2027 kl. 10.00."
    )


def test_status_reads_last_year(runtime: Runtime) -> None:
    runtime.clock = lambda: JAN_5
    say(runtime, "logg-møte Kristiansand 24. desember")
    assert say(runtime, "status Kristiansand i fjor") == say(runtime, "status Kristiansand 2026")
    assert "Gjennomført dialogmøte: 1 av 25 (4 %)" in say(runtime, "status Agder i fjor")
    assert "Gjennomført dialogmøte: 0 av 25 (0 %)" in say(runtime, "status Agder i år")
