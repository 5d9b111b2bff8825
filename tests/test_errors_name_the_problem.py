"""A refused command says which part was wrong, with the corrected command, and stores nothing.

Through the one code path on a real store; the clock stands at tirsdag 24. november 2026.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.runtime import Runtime
from commands.dispatch import unknown_command
from commands.registry import COMMANDS
from tests.support.runtime import ADMIN, logged

LONG = "x" * 15_000


def say(rt: Runtime, line: str) -> str:
    return rt.handle(line, ADMIN, "C0LHL").text


def nothing_stored(rt: Runtime) -> bool:
    with rt.db.read() as session:
        return all(
            session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0
            for table in ("dialogue_meeting", "meeting_kommune", "reminder", "reminder_draft"))


@pytest.mark.parametrize(("line", "answer"), [
    # A missing kommune.
    ("logg-møte i går",
     "Kommunen mangler: skriv hvilke kommuner møtet var med, og så datoen, for eksempel "
     "`/lhl logg-møte Kristiansand i går`."),
    ("logg-møte 12. mai tema: mat",
     "Kommunen mangler: skriv hvilke kommuner møtet var med, og så datoen, for eksempel "
     "`/lhl logg-møte Kristiansand 12. mai tema: mat`."),
    ("logg-møte i går med KS",
     "Kommunen mangler: skriv hvilke kommuner møtet var med, og så datoen, for eksempel "
     "`/lhl logg-møte Kristiansand i går med: KS`."),
    ("tilby-møte i går",
     "Kommunen mangler: skriv hvilke kommuner som har fått tilbud, og så datoen, for "
     "eksempel `/lhl tilby-møte Kristiansand i går`."),
    # A date before the kommuner.
    ("logg-møte i går Bygland",
     "Datoen skal stå etter kommunene: skriv `/lhl logg-møte Bygland i går`."),
    ("logg-møte forrige fredag Vennesla og Lillesand med: KS",
     "Datoen skal stå etter kommunene: skriv "
     "`/lhl logg-møte Vennesla og Lillesand forrige fredag med: KS`."),
    ("tilby-møte 1. september Froland",
     "Datoen skal stå etter kommunene: skriv `/lhl tilby-møte Froland 1. september`."),
    # A field word without its colon.
    ("logg-møte Bygland i går tema mat",
     "Mente du `tema: mat`? Et felt skrives med kolon: `/lhl logg-møte Bygland i går tema: mat`."),
    ("logg-møte Bygland i går Med KS notat: ringte",
     "Mente du `med: KS`? Et felt skrives med kolon: "
     "`/lhl logg-møte Bygland i går med: KS notat: ringte`."),
    ("logg-møte i går Bygland tema mat",
     "Mente du `tema: mat`? Et felt skrives med kolon: `/lhl logg-møte Bygland i går tema: mat`."),
    # An unknown field.
    ("logg-møte Bygland i går sted: Oslo",
     "Feltet «sted:» kjenner jeg ikke; logg-møte har feltene `type:`, `tema:`, `med:` og "
     "`notat:`, for eksempel `/lhl logg-møte Vennesla, Lillesand i går tema: mat og måltider "
     "med: KS`."),
    ("logg-møte Bygland i går sted:Oslo tema: mat",
     "Feltet «sted:» kjenner jeg ikke; logg-møte har feltene `type:`, `tema:`, `med:` og "
     "`notat:`, for eksempel `/lhl logg-møte Vennesla, Lillesand i går tema: mat og måltider "
     "med: KS`."),
    # An impossible date, never the kommune blamed.
    ("logg-møte Bygland 31. februar",
     "31. februar finnes ikke: februar har 28 dager (29 i skuddår). Skriv en dato som finnes, "
     "for eksempel «28. februar»."),
    ("logg-møte Bygland 30.02 tema: mat",
     "30. februar finnes ikke: februar har 28 dager (29 i skuddår). Skriv en dato som finnes, "
     "for eksempel «28. februar»."),
    ("tilby-møte Froland 29.02.2027",
     "29. februar 2027 finnes ikke: 2027 er ikke et skuddår. Skriv en dato som finnes, for "
     "eksempel «28. februar 2027»."),
    ('påminnelse ny "Ring" 31. april kl 10',
     "31. april finnes ikke: april har 30 dager. Skriv en dato som finnes, for eksempel "
     "«30. april»."),
    # A field with nothing after its colon is not read as "no field".
    ("logg-møte Bygland i går tema:",
     "«tema:» står uten noe etter seg; skriv det etter kolon, for eksempel "
     "`tema: mat og måltider`, eller ta feltet bort."),
    ("planlegg-møte Bygland 12. mai med: notat: ringer",
     "«med:» står uten noe etter seg; skriv det etter kolon, for eksempel `med: KS og USHT`, "
     "eller ta feltet bort."),
    # Still: a kommune and no date at all.
    ("logg-møte Bygland",
     "Jeg fant ingen dato for møtet. Skriv datoen etter kommunene, for eksempel "
     "`/lhl logg-møte Vennesla, Lillesand i går tema: mat og måltider med: KS`."),
])
def test_the_error_names_the_part_that_is_wrong(runtime: Runtime, line: str,
                                                answer: str) -> None:
    assert say(runtime, line) == answer
    assert nothing_stored(runtime)


def test_the_corrected_command_does_what_was_meant(runtime: Runtime) -> None:
    assert logged(runtime, "logg-møte Bygland i går tema: mat") == (
        "Lagret: dialogmøte holdt med Bygland 23. november 2026.\nTema: Mat og måltider")


def test_a_long_unknown_name_is_cut_in_the_echo(runtime: Runtime) -> None:
    reply = say(runtime, f"logg-møte {LONG} i går")
    assert f"«{'x' * 59}…»" in reply
    assert len(reply) < 300
    assert nothing_stored(runtime)
    assert say(runtime, LONG) == (
        f"Jeg kjenner ikke kommandoen «{'x' * 59}…». Skriv `/lhl hjelp` for å se hva jeg kan.")
    assert len(say(runtime, f"status {LONG}")) < 600


def test_an_unknown_command_never_suggests_undo(runtime: Runtime) -> None:
    assert say(runtime, "endre") == (
        "Jeg kjenner ikke kommandoen «endre». Skriv `/lhl hjelp` for å se hva jeg kan.")
    assert nothing_stored(runtime)


def test_no_mistyped_command_is_answered_with_a_destructive_one() -> None:
    destructive = [spec for spec in COMMANDS if spec.destructive]
    assert [spec.name for spec in destructive] == ["slett", "angre"]
    for spec in destructive:
        for name in (spec.name, *spec.aliases):
            typos = {name[:i] + name[i + 1:] for i in range(len(name))}
            typos |= {name[:i] + "e" + name[i + 1:] for i in range(len(name))}
            typos |= {name + "n", "endre", "angri", "andre"}
            for typo in typos - {n for s in COMMANDS for n in (s.name, *s.aliases)}:
                assert f"`/lhl {name}`" not in unknown_command(typo), typo


def test_one_commands_aliases_are_suggested_once(runtime: Runtime) -> None:
    assert say(runtime, "paminelse") == (
        "Jeg kjenner ikke kommandoen «paminelse». Mente du `/lhl påminnelse` eller "
        "`/lhl påminnelser`?")
    assert say(runtime, "loggmote") == (
        "Jeg kjenner ikke kommandoen «loggmote». Mente du `/lhl logg-møte` eller "
        "`/lhl planlegg-møte`?")
    assert say(runtime, "logge") == (
        "Jeg kjenner ikke kommandoen «logge». Mente du `/lhl logg` eller `/lhl logg-møte`?")
    assert say(runtime, "tilbymøte") == (
        "Jeg kjenner ikke kommandoen «tilbymøte». Mente du `/lhl tilby-møte`?")
