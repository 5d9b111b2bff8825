"""Nominations for the Leve hele livet-prisen (``/lhl nominer``, ``/lhl nominasjoner``): what is
read from what people type, the kommune's facts stored with a nomination (checked against a
hand-built store), one per kommune, year and embete, the edit, the winner, the listing within
Slack's limits with 357 nominations, ``angre``/``slett``/``logg``, the form, the kommune card,
the deadline reminder's count, access, and migration 0010 — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import col, select

from bot.http_server import make_asgi_app
from bot.runtime import Runtime
from commands.base import COMMAND_ACTION_PREFIX, Context, UsageError
from commands.nominasjoner import Listing
from commands.nominasjoner import parse as parse_listing
from commands.nominer import Nominate, parse
from schedules.delivery import deliver_due
from schedules.lifecycle import create as create_reminder
from schedules.rules import Deadlines
from storage import entries
from storage.db import open_database
from storage.entries import delete_item
from storage.migrate import alembic_config, migrate, upgrade
from storage.models import DEADLINE, Change, Nomination, PrizeWinner
from storage.nominations import (
    add_nomination,
    coming_award_year,
    kommune_facts,
    nomination_state,
)
from storage.reference import KOMMUNER_CSV, Geography, _read_csv, geography_from_rows
from storage.setup import prepare
from tests.support.clock import NOW, OSLO, at
from tests.support.fake_slack import FakeSlack
from tests.support.runtime import (
    ADMIN,
    BOT_TOKEN,
    SIGNING_SECRET,
    grant,
    reply_to,
    runtime_on,
    say,
)
from tests.support.senders import RecordingSender
from tests.support.slack_limits import assert_reply_within_limits, live_markup
from tests.support.slack_requests import CHANNEL
from tests.test_forms import Slack
from voice.reply import unescape

KARI = "U0KARI01"
"""A coordinator in Agder."""
OLA = "U0OLA001"
"""Another coordinator in Agder."""
VIGDIS = "U0VIGDIS"
"""A coordinator in Vestland."""
LESE = "U0LESER1"
"""A reader in Agder."""
EXAMPLE = '`/lhl nominer Lillesand "Lang og god innsats for mat og måltider på sykehjemmene"'


@pytest.fixture(scope="module")
def geo() -> Geography:
    return geography_from_rows(_read_csv(KOMMUNER_CSV))


def ctx_at(geo: Geography, now: datetime = NOW) -> Context:
    return Context(user_id=KARI, is_admin=False, now=now, tz=OSLO, geo=geo)


def nominations(rt: Runtime) -> list[Nomination]:
    with rt.db.read() as session:
        return list(session.exec(select(Nomination).order_by(col(Nomination.id))))


def change_kinds(rt: Runtime) -> list[str]:
    with rt.db.read() as session:
        return list(session.exec(select(Change.kind).order_by(col(Change.id))))


def with_users(rt: Runtime) -> Runtime:
    grant(rt, KARI, "Agder")
    grant(rt, OLA, "Agder")
    grant(rt, VIGDIS, "Vestland")
    grant(rt, LESE, "Agder", "leser")
    return rt


# --- the year ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("today", "year"), [
    (date(2026, 1, 1), 2026),
    (date(2026, 11, 16), 2026),
    (date(2026, 11, 30), 2026),
    (date(2026, 12, 1), 2027),
    (date(2026, 12, 31), 2027),
])
def test_the_coming_award_is_this_years_until_the_end_of_november(today: date, year: int
                                                                  ) -> None:
    assert coming_award_year(today) == year


# --- what is read -----------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "kommune", "reason", "year", "edit"), [
    ('Lillesand "God innsats"', "4215", "God innsats", 2026, False),
    ('lillesand «God innsats» 2027', "4215", "God innsats", 2027, False),
    ('4215 "Sa «ja» til alt" 2026', "4215", "Sa «ja» til alt", 2026, False),
    ('Mandal "Fin plan"', "4205", "Fin plan", 2026, False),
    ('Lillesand "Ny tekst" --endre', "4215", "Ny tekst", 2026, True),
    ('Lillesand "Ny tekst" 2027 embete: Agder --endre', "4215", "Ny tekst", 2027, True),
    ('Lillesand "x" embete: Agder 2027', "4215", "x", 2027, False),
    ('Lillesand "x" 2027 --endre embete: Agder', "4215", "x", 2027, True),
    ('Lillesand "x" --endre 2027', "4215", "x", 2027, True),
    ('Lillesand "x" embete: Agder neste år --endre', "4215", "x", 2027, True),
    ('Lillesand "x" i 2027', "4215", "x", 2027, False),
    ('Lillesand "x" neste år', "4215", "x", 2027, False),
    ('Lillesand "x" i år', "4215", "x", 2026, False),
])
def test_a_nomination_is_read(geo: Geography, typed: str, kommune: str, reason: str, year: int,
                              edit: bool) -> None:
    found = parse(typed, ctx_at(geo))
    assert isinstance(found, Nominate)
    assert (found.kommune.nummer, found.begrunnelse, found.aar, found.edit) == (
        kommune, reason, year, edit)


def test_a_former_name_is_noted(geo: Geography) -> None:
    found = parse('Mandal "Fin plan"', ctx_at(geo))
    assert isinstance(found, Nominate)
    assert found.notes == ("Mandal er en del av Lindesnes siden 2020.",)


BAD = [
    ('Lillesnd "God innsats"', "Lillesnd"),
    ('Herøy "God innsats"', "Herøy (Nordland)"),
    ('Lillesand "God innsats" 2030', "ikke for 2030"),
    ('Lillesand "God innsats" 2025', "2025 er allerede delt ut"),
    ('Lillesand "God innsats" til neste', "kan jeg ikke lese som et år"),
    ('Lillesand "God innsats" i fjor', "2025 er allerede delt ut"),
    ('Lillesand "God innsats" sted: Oslo', "Feltet «sted:» kjenner jeg ikke; `/lhl nominer` har "
     "feltene `embete:`"),
    ('Lillesand "God innsats" embete: Agder sted: Oslo', "Feltet «sted:» kjenner jeg ikke"),
    ('Lillesand "God innsats" --endr', "«--endr» kjenner jeg ikke. Mente du `--endre`?"),
    ('Lillesand "God innsats" --slett', "«--slett» kjenner jeg ikke. Etter begrunnelsen kan"),
    ('Lillesand "<ny begrunnelse>" 2027 --endre',
     "«<ny begrunnelse>» er bare plassen for begrunnelsen i eksempelet; skriv din egen "
     "begrunnelse mellom anførselstegnene"),
    ("Lillesand", "Begrunnelsen mangler"),
    ("Lillesand God innsats", "Begrunnelsen mangler"),
    ('Lillesand ""', "Begrunnelsen er tom"),
    ('Lillesand "   "', "Begrunnelsen er tom"),
    ('Lillesand "God innsats', "anførselstegn til slutt"),
    ('"God innsats"', "Skriv kommunen før begrunnelsen"),
    ("", "Skriv kommunen og begrunnelsen"),
    ('Lillesand "God innsats" embete:', "«embete:» står uten noe"),
    ('Lillesand "God innsats" embete: Narnia', "Narnia"),
    ('Lillesand "' + "x" * 1501 + '"',
     "Begrunnelsen er for lang (1501 tegn); den kan ha høyst 1500 tegn, for eksempel"),
    ('2027 Lillesand "God innsats"',
     'Året skrives etter begrunnelsen, ikke før den: `/lhl nominer Lillesand "God innsats" '
     '2027`.'),
    ('Lillesand 2027 "God innsats"',
     'Året skrives etter begrunnelsen, ikke før den: `/lhl nominer Lillesand "God innsats" '
     '2027`.'),
    ('Lillesand "Ring 01017012345"', "Begrunnelsen ser ut til å inneholde et fødselsnummer"),
]


@pytest.mark.parametrize(("typed", "said"), BAD)
def test_bad_input_is_one_sentence(geo: Geography, typed: str, said: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse(typed, ctx_at(geo))
    assert said in raised.value.message
    assert "\n" not in raised.value.message


def test_bad_input_stores_nothing_and_names_the_right_form(runtime: Runtime) -> None:
    with_users(runtime)
    before = change_kinds(runtime)
    for typed, said in BAD:
        answer = unescape(say(runtime, f"nominer {typed}", KARI))
        assert said in answer, answer
    assert "`/lhl nominer" in say(runtime, 'nominer Lillesand "x" 2030', KARI)
    assert say(runtime, "nominer Lillesand", KARI).endswith(f"for eksempel {EXAMPLE}`.")
    assert nominations(runtime) == []
    assert change_kinds(runtime) == before


# --- access -----------------------------------------------------------------------------------


def test_who_may_nominate(runtime: Runtime) -> None:
    with_users(runtime)
    assert "Bergen hører til Statsforvalteren i Vestland" in say(
        runtime, 'nominer Bergen "God innsats"', KARI)
    assert "ikke for Statsforvalteren i Vestland" in say(
        runtime, 'nominer Lillesand "God innsats" embete: Vestland', KARI)
    assert "lesetilgang" in say(runtime, 'nominer Lillesand "God innsats"', LESE)
    assert "ikke skrivetilgang" in say(runtime, 'nominer Lillesand "God innsats"', "U0NOBODY")
    assert nominations(runtime) == []
    # An administrator nominates for the kommune's embete, or the one named.
    assert say(runtime, 'nominer Bergen "God innsats"').startswith(
        "Lagret: Bergen nominert til Leve hele livet-prisen 2026 fra Statsforvalteren i "
        "Vestland (nominasjon #1).")
    assert say(runtime, 'nominer Bergen "Hdir ser det også" embete: Agder').startswith(
        "Lagret: Bergen nominert til Leve hele livet-prisen 2026 fra Statsforvalteren i Agder")
    assert [(n.kommune_nummer, n.embete_id) for n in nominations(runtime)] == [
        ("4601", "vestland"), ("4601", "agder")]
    # Reading: those with access and administrators.
    assert "Bergen" in say(runtime, "nominasjoner landet", LESE)
    assert "tilgang" in say(runtime, "nominasjoner", "U0NOBODY")


# --- the facts --------------------------------------------------------------------------------


def build_lillesand(rt: Runtime) -> None:
    """Lillesand's record by 24 November 2026: two dialogue meetings held (the latest
    1 October), one with the mayor, one planned and one only offered (neither held); a learning
    network it takes part in, one it left, one it was only invited to; a process, then an
    adopted plan; phase 2, then 3. Birkenes (beside it) has a meeting that is not Lillesand's."""
    for line in [
        "logg-møte Lillesand 12. februar",
        "logg-møte Lillesand og Birkenes 1. oktober",
        "logg-møte Lillesand 3. mars type: ordfører",
        "logg-møte Birkenes 2. november",
        "planlegg-møte Lillesand 10. desember",
        'nettverk ny "Mat og måltider" fra 1. januar embete: Agder',
        'nettverk deltar "Mat og måltider" Lillesand 1. april',
        'nettverk ny "Aktivitet" fra 1. januar embete: Agder',
        'nettverk deltar "Aktivitet" Lillesand 1. februar',
        'nettverk forlater "Aktivitet" Lillesand 1. juni',
        'nettverk ny "Sammenheng" fra 1. januar embete: Agder',
        'nettverk inviter "Sammenheng" Lillesand 1. mars',
        "plan Lillesand prosess 1. mars",
        "plan Lillesand vedtatt 12. mai",
        "fase Lillesand 2 1. februar",
        "fase Lillesand 3 1. september",
    ]:
        assert say(rt, line).startswith("Lagret"), line


FACTS_2026_11_24 = {
    "per": "2026-11-24",
    "moter": {"holdt": 3, "siste": "2026-10-01",
              "typer": {"dialogmøte": 2, "ordfører": 1}},
    "nettverk": [{"navn": "Aktivitet", "fra": "2026-02-01", "til": "2026-06-01"},
                 {"navn": "Mat og måltider", "fra": "2026-04-01", "til": None}],
    "invitert": 3,
    "plan": {"status": "vedtatt", "dato": "2026-05-12"},
    "fase": {"fase": 3, "dato": "2026-09-01"},
}
FACTS_SHOWN = (
    "Fakta per 24. november 2026:\n"
    "• Møter holdt: 3, sist 1. oktober 2026 (2 dialogmøter og 1 møte med ordfører eller "
    "kommunedirektør)\n"
    "• Læringsnettverk: deltok i «Aktivitet» 1. februar 2026–1. juni 2026 og deltar i «Mat og "
    "måltider» fra 1. april 2026\n"
    "• Plan: vedtatt plan fra 12. mai 2026\n"
    "• Fase: 3 – implementering og gjennomføring, fra 1. september 2026")


def test_the_facts_are_the_kommunes_record_on_the_day(runtime: Runtime) -> None:
    build_lillesand(runtime)
    with runtime.db.read() as session:
        assert kommune_facts("4215", date(2026, 11, 24), session=session) == FACTS_2026_11_24
        # As of an earlier day: what stood then.
        assert kommune_facts("4215", date(2026, 3, 15), session=session) == {
            "per": "2026-03-15",
            "moter": {"holdt": 2, "siste": "2026-03-03",
                      "typer": {"dialogmøte": 1, "ordfører": 1}},
            "nettverk": [{"navn": "Aktivitet", "fra": "2026-02-01", "til": None}],
            "invitert": 2,
            "plan": {"status": "prosess", "dato": "2026-03-01"},
            "fase": {"fase": 2, "dato": "2026-02-01"},
        }
        assert kommune_facts("4213", date(2026, 11, 24), session=session) == {
            "per": "2026-11-24", "moter": {"holdt": 0, "siste": None, "typer": {}},
            "nettverk": [], "invitert": 0, "plan": None, "fase": None}


def test_a_nomination_keeps_the_facts_as_they_stood_when_it_was_made(runtime: Runtime) -> None:
    build_lillesand(runtime)
    answer = say(runtime, 'nominer Lillesand "Lang og god innsats for mat"')
    assert answer == (
        "Lagret: Lillesand nominert til Leve hele livet-prisen 2026 fra Statsforvalteren i "
        "Agder (nominasjon #1).\n"
        "Begrunnelse: Lang og god innsats for mat\n"
        f"{FACTS_SHOWN}\n"
        "Alle nominasjonene: `/lhl nominasjoner`; `/lhl angre` tar denne tilbake.")
    (stored,) = nominations(runtime)
    assert stored.fakta == FACTS_2026_11_24
    # More is recorded, and something undone: the nomination says what the nominators saw.
    say(runtime, "logg-møte Lillesand i går")
    say(runtime, "fase Lillesand 4")
    listed = say(runtime, "nominasjoner Agder")
    assert FACTS_SHOWN in listed
    assert nominations(runtime)[0].fakta == FACTS_2026_11_24


# --- one per kommune, year and embete, and the edit -------------------------------------------


def test_a_second_nomination_shows_the_first_and_offers_the_edit(runtime: Runtime) -> None:
    with_users(runtime)
    say(runtime, 'nominer Lillesand "Først <!channel>"', KARI)
    second = reply_to(runtime, 'nominer Lillesand "Bedre begrunnelse"', KARI)
    assert second.text.startswith(
        "Lillesand er allerede nominert til Leve hele livet-prisen 2026 fra Statsforvalteren "
        f"i Agder (nominasjon #1, av <@{KARI}> 24. november 2026), så ingenting ble lagret.")
    assert "Begrunnelse: Først &lt;!channel&gt;" in second.text
    assert live_markup(second.text) == []
    assert len(nominations(runtime)) == 1
    (button,) = [e for b in second.blocks if b["type"] == "actions" for e in b["elements"]]
    assert button["action_id"].startswith(COMMAND_ACTION_PREFIX)
    assert button["value"] == 'nominer 4215 "Bedre begrunnelse" 2026 embete: Agder --endre'
    # Another coordinator of the embete is told who may change it, and offered no button.
    by_ola = reply_to(runtime, 'nominer Lillesand "Bedre begrunnelse"', OLA)
    assert by_ola.text.endswith(
        f"Begrunnelsen kan endres av <@{KARI}>, som nominerte, eller av en administrator.")
    assert [b for b in by_ola.blocks if b["type"] == "actions"] == []
    # Another year, or another embete (an administrator's), is another nomination.
    assert say(runtime, 'nominer Lillesand "Neste år" 2027', KARI).startswith("Lagret")
    assert say(runtime, 'nominer Lillesand "Fra Vestland" embete: Vestland').startswith(
        "Lagret")
    # The button runs the text it carries, as whoever presses it.
    edited = say(runtime, button["value"], KARI)
    assert edited == (
        "Endret: begrunnelsen for nominasjon av Lillesand til Leve hele livet-prisen 2026 fra "
        "Statsforvalteren i Agder (nominasjon #1).\nNå: Bedre begrunnelse\n"
        "Før: Først &lt;!channel&gt;\n`/lhl angre` setter den gamle tilbake.")
    first = nominations(runtime)[0]
    assert (first.begrunnelse, first.endret_by) == ("Bedre begrunnelse", KARI)
    assert change_kinds(runtime)[-1] == "nomination_edited"
    assert "endret begrunnelse: nominasjon av Lillesand" in say(runtime, "logg Lillesand", OLA)
    assert say(runtime, button["value"], KARI).endswith("så ingenting ble endret.")
    assert say(runtime, "angre", KARI).startswith(
        "Angret: endringen av begrunnelsen for nominasjon av Lillesand")
    assert nominations(runtime)[0].begrunnelse == "Først <!channel>"
    assert nominations(runtime)[0].endret_by is None


INNLANDET = "U0INNL01"
"""A coordinator in Innlandet, where Os lies (Os in Hordaland is now part of Bjørnafjorden)."""


@pytest.mark.parametrize(("user", "before", "typed", "advice", "target"), [
    # Year and embete: without them, the advice would edit the 2026 one from Agder.
    (ADMIN, ['nominer Lillesand "A"', 'nominer Lillesand "A" 2027',
             'nominer Lillesand "A" 2027 embete: Vestland'],
     'nominer Lillesand "B" 2027 embete: Vestland',
     'nominer Lillesand "<ny begrunnelse>" 2027 embete: Vestland --endre', 3),
    (KARI, ['nominer Lillesand "A"', 'nominer Lillesand "A" 2027'],
     'nominer Lillesand "B" 2027',
     'nominer Lillesand "<ny begrunnelse>" 2027 --endre', 2),
    # «Os» is two kommuner to one outside Innlandet (and to the button's reader).
    (INNLANDET, ['nominer Os "A"'], 'nominer Os "B"',
     'nominer Os (Innlandet) "<ny begrunnelse>" 2026 --endre', 1),
    (ADMIN, ['nominer Os (Innlandet) "A"'], 'nominer 3430 "B"',
     'nominer Os (Innlandet) "<ny begrunnelse>" 2026 --endre', 1),
    (ADMIN, ['nominer 1818 "A"'], 'nominer Herøy (Nordland) "B"',
     'nominer Herøy (Nordland) "<ny begrunnelse>" 2026 --endre', 1),
])
def test_the_typed_edit_advice_edits_that_very_nomination(
        runtime: Runtime, user: str, before: list[str], typed: str, advice: str, target: int
) -> None:
    with_users(runtime)
    grant(runtime, INNLANDET, "Innlandet")
    for line in before:
        assert "Lagret: " in say(runtime, line, user), line
    answer = say(runtime, typed, user).replace("&lt;", "<").replace("&gt;", ">")
    assert answer.endswith(f"trykk knappen eller skriv `/lhl {advice}`."), answer
    say(runtime, advice.replace("<ny begrunnelse>", "Ny tekst"), user)
    assert [n.begrunnelse for n in nominations(runtime)] == [
        "Ny tekst" if n.id == target else "A" for n in nominations(runtime)]


def test_only_the_one_who_nominated_or_an_administrator_edits_the_begrunnelse(
        runtime: Runtime) -> None:
    with_users(runtime)
    say(runtime, 'nominer Lillesand "Først"', KARI)
    before = change_kinds(runtime)
    assert say(runtime, 'nominer Lillesand "Annen" --endre', OLA) == (
        f"<@{KARI}> nominerte Lillesand (nominasjon #1); bare den som nominerte, eller en "
        "administrator, kan endre begrunnelsen, så ingenting ble endret.")
    assert nominations(runtime)[0].begrunnelse == "Først"
    assert change_kinds(runtime) == before
    assert say(runtime, 'nominer Lillesand "Fra Hdir" --endre').startswith("Endret")
    assert say(runtime, 'nominer Lillesand "Egen" --endre', KARI).startswith("Endret")
    assert nominations(runtime)[0].begrunnelse == "Egen"


@pytest.mark.parametrize("then", [[], ['nominer Lillesand "Ny" --endre']])
def test_angre_blocked_by_a_winner_mark_names_who_marked_it(runtime: Runtime, then: list[str]
                                                           ) -> None:
    with_users(runtime)
    say(runtime, 'nominer Birkenes "B"', KARI)
    say(runtime, 'nominer Lillesand "A"', KARI)
    for line in then:
        assert say(runtime, line, KARI).startswith("Endret")
    say(runtime, "nominasjoner vinner 2")
    assert say(runtime, "angre", KARI) == (
        f"Jeg angrer ingenting: nominasjon #2 er endret av <@{ADMIN}> etter din siste endring.")
    assert len(nominations(runtime)) == 2


def test_an_edit_of_what_is_not_nominated_says_so(runtime: Runtime) -> None:
    assert "er ikke nominert til Leve hele livet-prisen 2026" in say(
        runtime, 'nominer Lillesand "Ny" --endre')
    assert nominations(runtime) == []


# --- the winner -------------------------------------------------------------------------------


def test_an_administrator_marks_one_winner_a_year(runtime: Runtime) -> None:
    with_users(runtime)
    say(runtime, 'nominer Lillesand "A"', KARI)
    say(runtime, 'nominer Bergen "B"', VIGDIS)
    say(runtime, 'nominer Birkenes "C" 2027', KARI)
    assert say(runtime, "nominasjoner vinner 1", KARI) == (
        "Bare administratorer kan markere vinneren av prisen, så ingenting ble endret.")
    assert say(runtime, "nominasjoner vinner 1") == (
        "Lagret: Lillesand vinner av Leve hele livet-prisen 2026 (nominasjon #1).\n"
        "`/lhl angre` tar det tilbake.")
    assert say(runtime, "nominer vinner 2") == (
        "Lagret: Bergen vinner av Leve hele livet-prisen 2026 (nominasjon #2).\n"
        "Før var det Lillesand vinner av Leve hele livet-prisen 2026 (nominasjon #1); den er "
        "ikke vinner lenger.\n`/lhl angre` tar det tilbake.")
    # The prize for 2027 is given in November 2027: its winner is not known on 24 November 2026.
    assert say(runtime, "nominasjoner vinner 3") == (
        "Nominasjon #3 gjelder prisen for 2027, som ikke er delt ut ennå, så ingenting ble "
        "endret; vinneren av et år markeres blant årets nominasjoner, for eksempel i "
        "`/lhl nominasjoner 2026`.")
    with runtime.db.read() as session:
        assert {(w.aar, w.nomination_id) for w in session.exec(select(PrizeWinner))} == {
            (2026, 2)}
    assert "*#2 Bergen* · Statsforvalteren i Vestland" in say(runtime, "nominasjoner landet")
    assert "· *vinner 2026*" in say(runtime, "nominasjoner vis 2")
    assert "Nominert til Leve hele livet-prisen 2026 av Statsforvalteren i Vestland – vinner " \
           "2026" in say(runtime, "status Bergen")
    assert say(runtime, "nominasjoner vinner 2").endswith("er allerede markert; ingenting ble "
                                                          "endret.")
    # angre takes the move back: the first winner is back.
    assert say(runtime, "angre") == (
        "Angret: Bergen vinner av Leve hele livet-prisen 2026 (nominasjon #2) er ikke markert "
        "lenger; Lillesand vinner av Leve hele livet-prisen 2026 (nominasjon #1) er vinner "
        "igjen (ført 24. november 2026 kl. 10.00).")
    with runtime.db.read() as session:
        assert {(w.aar, w.nomination_id) for w in session.exec(select(PrizeWinner))} == {
            (2026, 1)}
    assert say(runtime, "angre").startswith("Angret: Lillesand vinner av Leve hele livet-prisen "
                                            "2026 (nominasjon #1) er ikke markert lenger")
    with runtime.db.read() as session:
        assert list(session.exec(select(PrizeWinner))) == []


# --- angre, slett, logg -----------------------------------------------------------------------


def test_angre_slett_and_logg(runtime: Runtime) -> None:
    with_users(runtime)
    say(runtime, 'nominer Lillesand "A"', KARI)
    entry = max(c for c in [len(change_kinds(runtime))])
    logged = say(runtime, "logg Agder", OLA)
    assert (f"#{entry} · 24. november 2026 kl. 10.00 · <@{KARI}> · nominasjon av Lillesand til "
            "Leve hele livet-prisen 2026 fra Statsforvalteren i Agder (#1)") in logged
    assert f"<@{KARI}> førte" in say(runtime, f"slett {entry}", OLA)
    assert say(runtime, f"slett {entry}", KARI) == (
        f"Slettet #{entry}: nominasjon av Lillesand til Leve hele livet-prisen 2026 fra "
        "Statsforvalteren i Agder (#1). `/lhl angre` henter det tilbake.")
    assert nominations(runtime) == []
    assert "slettet: nominasjon av Lillesand" in say(runtime, "logg Lillesand", KARI)
    assert say(runtime, "angre", KARI).startswith(
        "Angret: nominasjon av Lillesand til Leve hele livet-prisen 2026 fra Statsforvalteren i "
        "Agder (#1) er tilbake (slettet")
    assert [n.id for n in nominations(runtime)] == [1]
    assert say(runtime, "angre", KARI).startswith(
        "Angret: nominasjon av Lillesand til Leve hele livet-prisen 2026 fra Statsforvalteren i "
        "Agder (#1) er fjernet (ført")
    assert nominations(runtime) == []


def delete_as_before(rt: Runtime, nomination_id: int, by: str = ADMIN) -> None:
    """A winner deleted with its mark, as ``slett`` did before a winner was kept."""
    with rt.db.write() as session:
        state = nomination_state(nomination_id, session=session)
        assert state is not None
        delete_item(entries.NOMINATION, nomination_id, state, by=by, now=NOW, session=session)


def test_a_winning_nomination_deleted_and_put_back_is_the_winner_again(runtime: Runtime
                                                                       ) -> None:
    say(runtime, 'nominer Lillesand "A"')
    say(runtime, "nominasjoner vinner 1")
    delete_as_before(runtime, 1)
    with runtime.db.read() as session:
        assert list(session.exec(select(PrizeWinner))) == []
    say(runtime, "angre")
    with runtime.db.read() as session:
        assert [(w.aar, w.nomination_id) for w in session.exec(select(PrizeWinner))] == [
            (2026, 1)]


def test_angre_of_a_deleted_winner_names_who_marked_another_since(runtime: Runtime) -> None:
    with_users(runtime)
    say(runtime, 'nominer Lillesand "A"', KARI)
    say(runtime, 'nominer Birkenes "B"', OLA)
    say(runtime, "nominasjoner vinner 1")
    delete_as_before(runtime, 1, KARI)
    say(runtime, "nominasjoner vinner 2")
    assert say(runtime, "angre", KARI) == (
        f"Jeg angrer ingenting: <@{ADMIN}> har markert Birkenes vinner av Leve hele "
        "livet-prisen 2026 (nominasjon #2) etter at nominasjon #1 ble slettet, så slettingen "
        "kan ikke angres.")


def test_angre_of_a_deletion_names_the_nomination_made_since(runtime: Runtime) -> None:
    with_users(runtime)
    say(runtime, 'nominer Lillesand "A"', KARI)
    assert say(runtime, f"slett {entry_of(runtime, 'nomination_created')}", KARI).startswith(
        "Slettet")
    assert say(runtime, 'nominer Lillesand "B"', OLA).startswith("Lagret")
    assert say(runtime, "angre", KARI) == (
        "Jeg angrer ingenting: Lillesand er nominert på nytt til Leve hele livet-prisen 2026 "
        f"(nominasjon #2, av <@{OLA}>), så slettingen av nominasjon #1 kan ikke angres.")
    assert [n.id for n in nominations(runtime)] == [2]


def test_angre_of_an_edit_says_which_begrunnelse_is_back(runtime: Runtime) -> None:
    with_users(runtime)
    say(runtime, 'nominer Lillesand "Først"', KARI)
    say(runtime, 'nominer Lillesand "Andre" --endre', KARI)
    say(runtime, 'nominer Lillesand "Tredje" --endre', KARI)
    assert say(runtime, "angre", KARI).endswith("den er igjen som før: Andre")
    assert say(runtime, "angre", KARI).endswith("den er igjen som før: Først")
    assert nominations(runtime)[0].begrunnelse == "Først"


# --- the listing ------------------------------------------------------------------------------


def test_357_nominations_are_listed_a_page_at_a_time_within_slacks_limits(runtime: Runtime
                                                                         ) -> None:
    long = ("Kommunen har <!channel> arbeidet godt & lenge med mat og måltider. " * 30)[:1500]
    facts = {**FACTS_2026_11_24, "nettverk": [
        {"navn": f"Nettverk {'x' * 190} {i}", "fra": "2026-04-01", "til": None}
        for i in range(12)]}
    with runtime.db.write() as session:
        for k in runtime.geo.kommuner.values():
            add_nomination(aar=2026, kommune_nummer=k.nummer, embete_id=k.embete_id,
                           begrunnelse=long, fakta=facts, by=KARI, now=NOW, session=session)
    first = reply_to(runtime, "nominasjoner landet")
    assert first.text.startswith(
        "*Nominasjoner til Leve hele livet-prisen 2026 – hele landet* (357), side 1 av 36")
    assert "Neste side: `/lhl nominasjoner landet side 2`" in first.text
    assert first.text.count("Begrunnelse: ") == 10
    assert "… (hele: `/lhl nominasjoner vis " in first.text
    assert live_markup(first.text) == []
    assert first.text.count(f"<@{KARI}>") == 10
    for page in (1, 2, 18, 36):
        assert_reply_within_limits(reply_to(runtime, f"nominasjoner landet side {page}"))
    last = say(runtime, "nominasjoner landet side 36")
    assert last.count("Begrunnelse: ") == 7 and "Neste side" not in last
    assert "bare 36 sider" in say(runtime, "nominasjoner landet side 37")
    agder = say(runtime, "nominasjoner 2026 Agder")
    assert agder.startswith("*Nominasjoner til Leve hele livet-prisen 2026 – Statsforvalteren "
                            "i Agder* (25), side 1 av 3")
    whole = reply_to(runtime, "nominasjoner vis 1")
    assert long.strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
        in whole.text
    assert_reply_within_limits(whole)


def test_the_winner_has_its_own_line_under_the_heading(runtime: Runtime) -> None:
    agder = sorted(k.nummer for k in runtime.geo.kommuner.values() if k.embete_id == "agder")
    with runtime.db.write() as session:
        for nummer in agder[:11]:
            add_nomination(aar=2026, kommune_nummer=nummer, embete_id="agder",
                           begrunnelse="God innsats", fakta={}, by=KARI, now=NOW,
                           session=session)
    say(runtime, "nominasjoner vinner 4")
    winner = runtime.geo.kommuner[agder[3]].navn
    heading, line, *_ = say(runtime, "nominasjoner Agder").split("\n\n")
    assert heading == ("*Nominasjoner til Leve hele livet-prisen 2026 – Statsforvalteren i "
                       "Agder* (11), side 1 av 2")
    assert line == f"Vinner: {winner} (nominasjon #4)"
    assert say(runtime, "nominasjoner landet side 2").split("\n\n")[1] == line
    # Listed for another embete, the winner says whose it is.
    assert say(runtime, "nominasjoner Vestland") == (
        "Ingen nominasjoner til Leve hele livet-prisen 2026 fra Statsforvalteren i Vestland "
        "ennå. Nominer med `/lhl nominer &lt;kommune&gt; \"&lt;begrunnelse&gt;\"`.\n"
        f"Vinner: {winner} (nominasjon #4 fra Statsforvalteren i Agder)")
    # Another year has no winner of its own.
    assert "Vinner" not in say(runtime, "nominasjoner 2025 Agder")


def test_an_empty_listing_and_bad_listings(runtime: Runtime) -> None:
    assert say(runtime, "nominasjoner 2027 Agder") == (
        "Ingen nominasjoner til Leve hele livet-prisen 2027 fra Statsforvalteren i Agder ennå. "
        "Nominer med `/lhl nominer &lt;kommune&gt; \"&lt;begrunnelse&gt;\"`.")
    assert "mellom 2019 og 2027" in say(runtime, "nominasjoner 2031")
    assert "`/lhl status Lillesand`" in say(runtime, "nominasjoner Lillesand")
    assert "Jeg finner ingen nominasjon #9" in say(runtime, "nominasjoner vis 9")


# --- the kommune card -------------------------------------------------------------------------


def test_the_kommune_card_names_its_nominations(runtime: Runtime) -> None:
    assert "Nominert" not in say(runtime, "status Lillesand")
    say(runtime, 'nominer Lillesand "A"')
    say(runtime, 'nominer Lillesand "B" 2027')
    say(runtime, 'nominer Lillesand "C" 2027 embete: Vestland')
    say(runtime, "nominasjoner vinner 1")
    card = say(runtime, "status Lillesand")
    assert card.endswith(
        "Nominert til Leve hele livet-prisen 2027 av Statsforvalteren i Agder og "
        "Statsforvalteren i Vestland; 2026 av Statsforvalteren i Agder – vinner 2026")


# --- the deadline reminder ------------------------------------------------------------------


def test_a_nomination_deadline_carries_the_count_so_far(runtime: Runtime) -> None:
    with_users(runtime)
    say(runtime, 'nominer Lillesand "A"', KARI)
    say(runtime, 'nominer Birkenes "B"', KARI)
    say(runtime, 'nominer Grimstad "C" 2027', KARI)
    say(runtime, 'nominer Bergen "D"', VIGDIS)
    with runtime.db.write() as session:
        for text in ("Nominasjon til Leve hele livet-prisen", "Rapport til Hdir"):
            create_reminder(CHANNEL, DEADLINE, text, Deadlines(dates=(date(2026, 11, 27),)),
                            embete_id="agder", by=KARI, now=NOW, tz=OSLO, session=session)
        create_reminder("C0OTHER", DEADLINE, "Frist for å nominere til prisen",
                        Deadlines(dates=(date(2026, 11, 27),)), embete_id=None, by=ADMIN,
                        now=NOW, tz=OSLO, session=session)
    sender = RecordingSender()
    deliver_due(runtime.db, now=at(2026, 11, 26, 9), sender=sender, tz=OSLO,
                grace=timedelta(hours=6), process_id="test:1", geo=runtime.geo)
    nomination, report, national = sender.posts
    assert nomination.text == (
        "*Frist:* Nominasjon til Leve hele livet-prisen\n"
        "Frist 27. november 2026 (i morgen)\n"
        "*2 nominasjoner så langt fra Statsforvalteren i Agder* til Leve hele livet-prisen "
        "2026 (`/lhl nominasjoner`).\n\n"
        "*Statsforvalteren i Agder* – dialogmøter i 2026\n"
        "Fått tilbud om dialogmøte: 0 av 25 (0 %)\n"
        "Gjennomført dialogmøte: 0 av 25 (0 %)\n"
        "Gjennomført eller planlagt dialogmøte: 0 av 25 (0 %)")
    assert "nominasjon" not in report.text
    assert "*3 nominasjoner så langt fra hele landet* til Leve hele livet-prisen 2026" \
        in national.text


# --- the form ---------------------------------------------------------------------------------


@pytest.fixture
def slack(fake_slack: FakeSlack, tmp_path: Path) -> Iterator[Slack]:
    with runtime_on(f"sqlite:///{tmp_path / 'lhl.db'}", slack_bot_token=BOT_TOKEN,
                    slack_signing_secret=SIGNING_SECRET,
                    lhl_slack_api_url=fake_slack.url, lhl_http_threads=2) as rt:
        front = make_asgi_app(rt)
        try:
            yield Slack(rt, front, fake_slack)
        finally:
            front.close()


def test_the_form_stores_what_the_typed_command_stores(slack: Slack) -> None:
    form_view = slack.open_form("nominer")
    assert form_view["callback_id"] == "lhl_form:nominer"
    assert [b["block_id"] for b in form_view["blocks"]] == [
        "kommune", "begrunnelse", "aar", "embete"]
    begrunnelse = next(b for b in form_view["blocks"] if b["block_id"] == "begrunnelse")
    assert begrunnelse["element"]["multiline"] is True
    refused = slack.submit(form_view, {"kommune": ["4215", "4213"], "begrunnelse": "God",
                                       "aar": "2026"})
    assert json.loads(refused.body)["errors"] == {
        "kommune": "Velg én kommune; hver kommune nomineres for seg."}
    empty = slack.submit(form_view, {"kommune": ["4215"], "begrunnelse": "  ", "aar": "2026"},
                         view_id="V0LHL00002")
    assert "begrunnelse" in json.loads(empty.body)["errors"]
    assert nominations(slack.runtime) == []
    ok = slack.submit(form_view, {"kommune": ["4215"],
                                  "begrunnelse": 'Satte «mat» først.\nTema: "sykehjem"',
                                  "aar": "2027", "embete": None}, view_id="V0LHL00003")
    assert (ok.status, ok.body) == (200, b"")
    (answer,) = slack.answers()
    assert answer.startswith(
        "Lagret: Lillesand nominert til Leve hele livet-prisen 2027 fra Statsforvalteren i "
        "Agder (nominasjon #1).\nBegrunnelse: Satte «mat» først.\nTema: \"sykehjem\"\n")
    (stored,) = nominations(slack.runtime)
    assert (stored.aar, stored.kommune_nummer, stored.embete_id) == (2027, "4215", "agder")
    assert change_kinds(slack.runtime) == ["nomination_created"]


# --- the migration ----------------------------------------------------------------------------


def test_migration_0010_adds_and_removes_the_tables(store_url: str) -> None:
    db = open_database(store_url)
    cfg = alembic_config(db.url)

    def to(revision: str, *, down: bool = False) -> None:
        migrate(db, revision, down=down)

    def tables() -> set[str]:
        with db.read() as session:
            return set(inspect(session.connection()).get_table_names())

    previous = ScriptDirectory.from_config(cfg).get_revision("0010").down_revision
    assert isinstance(previous, str)
    to(previous)
    assert not tables() & {"nomination", "prize_winner"}
    upgrade(db)
    assert {"nomination", "prize_winner"} <= tables()
    with db.read() as session:
        version = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version == ScriptDirectory.from_config(cfg).get_current_head()
    to(previous, down=True)
    assert not tables() & {"nomination", "prize_winner"}
    assert "event" in tables()
    db.dispose()
    db, _ = prepare(store_url)
    with db.write() as session:
        add_nomination(aar=2026, kommune_nummer="4215", embete_id="agder", begrunnelse="A",
                       fakta={"per": "2026-11-24"}, by="U1", now=NOW, session=session)
    db.dispose()


def test_a_nomination_stored_meanwhile_is_found_not_a_failure(runtime: Runtime) -> None:
    """Two presses at the same moment: the second insert meets the first one's row (the
    unique key of year, kommune and embete), gives way to it and keeps its transaction."""
    def add(begrunnelse: str) -> int | None:
        return add_nomination(aar=2026, kommune_nummer="4215", embete_id="agder",
                              begrunnelse=begrunnelse, fakta={}, by=KARI, now=NOW,
                              session=session)

    with runtime.db.write() as session:
        first = add("Først")
        assert first is not None
        assert add("Samtidig") is None
        session.add(Nomination(aar=2026, kommune_nummer="4202", embete_id="agder",
                               begrunnelse="Etterpå", fakta={}, created_by=KARI,
                               created_at=NOW))
    assert [(n.kommune_nummer, n.begrunnelse) for n in nominations(runtime)] == [
        ("4215", "Først"), ("4202", "Etterpå")]


def test_a_begrunnelse_shows_as_typed_never_as_formatting(runtime: Runtime) -> None:
    made = reply_to(runtime, 'nominer Grimstad "*Best* på _mat_" embete: Agder')
    token = "<!date^00000000^{{_}}|{}>".format
    assert (f"Begrunnelse: {token('*')}Best{token('*')} på {token('_')}mat{token('_')}"
            in made.blocks[0]["text"]["text"])
    listed = reply_to(runtime, "nominasjoner Agder")
    assert "Begrunnelse: *Best* på _mat_" in unescape(listed.text)
    assert "*Best*" not in listed.text


# --- a prize given stays on record --------------------------------------------------------


DECEMBER = at(2026, 12, 10, 10)
"""The prize for 2026 was given in November; nominations are now for 2027."""


def entry_of(rt: Runtime, kind: str) -> int:
    return change_kinds(rt).index(kind) + 1


def test_a_nomination_for_a_prize_given_is_taken_away_only_by_an_administrator(
        runtime: Runtime) -> None:
    with_users(runtime)
    say(runtime, 'nominer Lillesand "A"', KARI)
    say(runtime, 'nominer Birkenes "B"', KARI)
    runtime.clock = lambda: DECEMBER
    created = entry_of(runtime, "nomination_created")
    assert say(runtime, f"slett {created}", KARI) == (
        "Nominasjon #1 gjelder Leve hele livet-prisen 2026, som er delt ut, så bare en "
        "administrator kan slette den; ingenting ble slettet.")
    assert say(runtime, "angre", KARI) == (
        "Jeg angrer ingenting: nominasjon #2 gjelder Leve hele livet-prisen 2026, som er delt "
        "ut, så bare en administrator kan ta den bort.")
    assert [n.id for n in nominations(runtime)] == [1, 2]
    assert say(runtime, f"slett {created}").startswith("Slettet")
    assert [n.id for n in nominations(runtime)] == [2]


def test_an_edit_for_a_prize_given_is_undone_only_by_an_administrator(runtime: Runtime
                                                                       ) -> None:
    with_users(runtime)
    say(runtime, 'nominer Lillesand "A"', KARI)
    say(runtime, 'nominer Lillesand "B" --endre', KARI)
    runtime.clock = lambda: DECEMBER
    assert say(runtime, "angre", KARI) == (
        "Jeg angrer ingenting: nominasjon #1 gjelder Leve hele livet-prisen 2026, som er delt "
        "ut, så bare en administrator kan endre den.")
    assert nominations(runtime)[0].begrunnelse == "B"


def test_the_winner_is_not_deleted_while_it_is_the_winner(runtime: Runtime) -> None:
    with_users(runtime)
    say(runtime, 'nominer Lillesand "A"', KARI)
    say(runtime, "nominasjoner vinner 1")
    runtime.clock = lambda: DECEMBER
    created = entry_of(runtime, "nomination_created")
    marked = entry_of(runtime, "winner_marked")
    refusal = (
        "Nominasjon #1 er vinner av Leve hele livet-prisen 2026 og kan ikke slettes så lenge "
        "den er det, så ingenting ble slettet; en administrator flytter først vinneren med "
        "`/lhl nominasjoner vinner <nr>` eller tar markeringen bort med "
        f"`/lhl slett {marked}`.")
    assert unescape(say(runtime, f"slett {created}", KARI)) == refusal
    assert unescape(say(runtime, f"slett {created}")) == refusal
    with runtime.db.read() as session:
        assert [(w.aar, w.nomination_id) for w in session.exec(select(PrizeWinner))] == [
            (2026, 1)]
    assert say(runtime, f"slett {marked}").startswith("Slettet")
    assert say(runtime, f"slett {created}").startswith("Slettet")
    assert nominations(runtime) == []


# --- year words, who sees what, an empty listing ----------------------------------------------


@pytest.mark.parametrize(("typed", "year"), [
    ("nominasjoner i fjor", 2025),
    ("nominasjoner i 2026", 2026),
    ("nominasjoner i år", 2026),
    ("nominasjoner Agder i fjor", 2025),
    ("nominasjoner 2027 Agder", 2027),
    ("nominasjoner neste år", 2027),
])
def test_a_listing_reads_the_year_words_status_reads(geo: Geography, typed: str, year: int
                                                     ) -> None:
    found = parse_listing(typed.removeprefix("nominasjoner").strip(), ctx_at(geo, DECEMBER))
    assert isinstance(found, Listing) and found.aar == year


def test_the_kommune_card_shows_the_prize_only_to_those_who_may_read_nominations(
        runtime: Runtime) -> None:
    with_users(runtime)
    say(runtime, 'nominer Lillesand "A"', KARI)
    line = "Nominert til Leve hele livet-prisen 2026 av Statsforvalteren i Agder"
    for user in (KARI, LESE, ADMIN):
        assert line in say(runtime, "status Lillesand", user)
    assert "Lillesand" in say(runtime, "status Lillesand", "U0NOBODY")
    assert "Nominert" not in say(runtime, "status Lillesand", "U0NOBODY")
    assert "kan leses av dem som har tilgang" in say(runtime, "nominasjoner", "U0NOBODY")


def test_an_empty_listing_tells_a_reader_how_to_read_and_points_to_last_years_in_december(
        runtime: Runtime) -> None:
    with_users(runtime)
    assert unescape(say(runtime, "nominasjoner", LESE)) == (
        "Ingen nominasjoner til Leve hele livet-prisen 2026 fra Statsforvalteren i Agder ennå. "
        "Andre års nominasjoner: `/lhl nominasjoner <år>`, for eksempel "
        "`/lhl nominasjoner 2025`.")
    say(runtime, 'nominer Lillesand "A"', KARI)
    say(runtime, 'nominer Birkenes "B"', KARI)
    runtime.clock = lambda: DECEMBER
    for user in (KARI, LESE):
        assert say(runtime, "nominasjoner", user) == (
            "Ingen nominasjoner til Leve hele livet-prisen 2027 fra Statsforvalteren i Agder "
            "ennå. Nominasjonene til prisen for 2026 (2) står under `/lhl nominasjoner 2026`.")
    assert "`/lhl nominasjoner 2026 Vestland`" not in say(runtime, "nominasjoner Vestland")
    assert say(runtime, "nominasjoner landet").endswith(
        "Nominasjonene til prisen for 2026 (2) står under `/lhl nominasjoner 2026 landet`.")
    assert "Nominer med" in say(runtime, "nominasjoner 2027", KARI)


def test_help_names_every_part_and_an_edit_of_nothing_shows_the_users_own_command(
        runtime: Runtime) -> None:
    assert unescape(say(runtime, "hjelp nominer")).startswith(
        '*/lhl nominer <kommune> "<begrunnelse>" [år] [embete: …] [--endre]*')
    assert say(runtime, 'nominer Bergen "Ny" --endre').endswith(
        'skriv uten `--endre` for å nominere: `/lhl nominer Bergen "Ny"`.')
    assert say(runtime, 'nominer Bergen "Ny" 2027 embete: Agder --endre').endswith(
        '`/lhl nominer Bergen "Ny" 2027 embete: Agder`.')
    assert nominations(runtime) == []
