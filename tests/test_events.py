"""Conferences and seminars (``/lhl arrangement``, ``/lhl arrangementer``): what is read from what
people type, what is stored on SQLite and PostgreSQL, the overview within Slack's limits, and
the console end to end."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.runtime import Runtime
from commands.arrangement import Delete, New, parse
from commands.base import Context, UsageError
from storage.events import add_event, delete_event, get_event, list_events
from storage.models import Event, EventArea
from storage.reference import KOMMUNER_CSV, Geography, _read_csv, geography_from_rows
from storage.setup import prepare
from tests.support.clock import NOW, OSLO
from tests.support.processes import REPO
from tests.support.runtime import ADMIN
from tests.support.slack_limits import assert_reply_within_limits, live_markup
from voice.innsatsomrader import AREAS, KEYS, area_named, areas_in, theme_in_words
from voice.reply import escape, plain_text

KARI = "UKARI01"
OLA = "UOLA0001"
EXAMPLE = ('`/lhl arrangement ny konferanse "Leve hele livet i Agder" 12. mai målgruppe: ledere '
           'og politikere i kommunene hovedtema: mat og måltider ønsker: hdir, hod`')
FORM = ('`/lhl arrangement ny <konferanse|seminar|webinar|samling> "<tittel>" <dato> '
        'målgruppe: … hovedtema: … [ønsker: hdir, hod]`')
GOOD = 'ny seminar "Mat i Agder" 12. mai målgruppe: kjøkkenledere hovedtema: mat'


@pytest.fixture(scope="module")
def geo() -> Geography:
    return geography_from_rows(_read_csv(KOMMUNER_CSV))


def ctx_at(geo: Geography, now: datetime = NOW) -> Context:
    return Context(user_id=KARI, is_admin=False, now=now, tz=OSLO, geo=geo)


def refusal(text: str, ctx: Context) -> str:
    """The sentence a refusal shows (what the user typed in it as typed)."""
    with pytest.raises(UsageError) as raised:
        parse(text, ctx)
    return plain_text(raised.value.message)


# --- the five areas ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "keys", "shown"), [
    ("mat", ["mat"], "Mat og måltider"),
    ("Mat og måltider", ["mat"], "Mat og måltider"),
    ("et aldersvennlig Norge", ["aldersvennlig"], "Et aldersvennlig Norge"),
    ("aktivitet, helsehjelp", ["aktivitet", "helsehjelp"], "Aktivitet og fellesskap, Helsehjelp"),
    ("Sammenheng og overgang i tjenestene", ["sammenheng"], "Sammenheng i tjenestene"),
    ("mat og ernæring på sykehjem", ["mat"], "mat og ernæring på sykehjem (Mat og måltider)"),
    ("matematikk for ledere", [], "matematikk for ledere"),
    ("Demens", [], "Demens"),
])
def test_areas_are_recognised_in_free_text(text: str, keys: list[str], shown: str) -> None:
    found = areas_in(text)
    assert [a.key for a in found] == keys
    assert theme_in_words(text, found) == shown


def test_the_five_areas_and_their_short_forms() -> None:
    assert [a.name for a in AREAS] == ["Et aldersvennlig Norge", "Aktivitet og fellesskap",
                                       "Mat og måltider", "Helsehjelp",
                                       "Sammenheng i tjenestene"]
    assert KEYS == ("aldersvennlig", "aktivitet", "mat", "helsehjelp", "sammenheng")
    assert [area_named(k) for k in KEYS] == list(AREAS)
    assert area_named("mat på sykehjem") is None


# --- parsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ('ny konferanse "Leve hele livet i Agder" 12. mai målgruppe: ledere og politikere '
     "hovedtema: mat ønsker: hdir, hod",
     New("konferanse", "Leve hele livet i Agder", date(2027, 5, 12), "ledere og politikere",
         "mat", True, True, None)),
    ('ny Webinar «Matvennlige kommuner» 12.05 malgruppe: kjøkkenledere tema: mat på sykehjem '
     "onsker: politisk ledelse",
     New("webinar", "Matvennlige kommuner", date(2027, 5, 12), "kjøkkenledere",
         "mat på sykehjem", False, True, None)),
    ('ny samling "Nettverkssamling" 1. desember målgruppe: kommunene hovedtema: helsehjelp '
     "ønsker: Helsedirektoratet og Helse- og omsorgsdepartementet",
     New("samling", "Nettverkssamling", date(2026, 12, 1), "kommunene", "helsehjelp", True,
         True, None)),
    (GOOD + " ønsker: begge", New("seminar", "Mat i Agder", date(2027, 5, 12), "kjøkkenledere",
                                  "mat", True, True, None)),
    (GOOD + " ønsker: ingen", New("seminar", "Mat i Agder", date(2027, 5, 12), "kjøkkenledere",
                                  "mat", False, False, None)),
    ('ny seminar "Holdt" i går målgruppe: a hovedtema: b',
     New("seminar", "Holdt", date(2026, 11, 23), "a", "b", False, False, None)),
    ('ny seminar "Holdt" 12.05.2026 målgruppe: a hovedtema: b',
     New("seminar", "Holdt", date(2026, 5, 12), "a", "b", False, False, None)),
    ('ny seminar "Tema: demens" 12. mai målgruppe: a hovedtema: b',
     New("seminar", "Tema: demens", date(2027, 5, 12), "a", "b", False, False, None)),
    ('ny SEMINAR "Store bokstaver" 12. mai MÅLGRUPPE: a HOVEDTEMA: b ØNSKER: HOD',
     New("seminar", "Store bokstaver", date(2027, 5, 12), "a", "b", False, True, None)),
    ('ny seminar "I dag" i dag kl 10 målgruppe: a hovedtema: b ønsker: hdir',
     New("seminar", "I dag", date(2026, 11, 24), "a", "b", True, False, None)),
    ('ny seminar "Neste uke" neste tirsdag målgruppe: a hovedtema: b',
     New("seminar", "Neste uke", date(2026, 12, 1), "a", "b", False, False, None)),
    ('ny seminar "Denne måneden" den 15. målgruppe: a hovedtema: b',
     New("seminar", "Denne måneden", date(2026, 12, 15), "a", "b", False, False, None)),
])
def test_new_event_is_read(geo: Geography, text: str, expected: New) -> None:
    assert parse(text, ctx_at(geo)) == expected


@pytest.mark.parametrize(("now", "written", "dato"), [
    (datetime(2026, 12, 31, 12, tzinfo=OSLO), "12. mai", date(2027, 5, 12)),
    (datetime(2027, 1, 1, 12, tzinfo=OSLO), "31. desember", date(2027, 12, 31)),
    (datetime(2027, 1, 1, 12, tzinfo=OSLO), "i går", date(2026, 12, 31)),
    (datetime(2026, 12, 20, 12, tzinfo=OSLO), "den 15.", date(2027, 1, 15)),
    (datetime(2026, 12, 20, 12, tzinfo=OSLO), "15.12", date(2027, 12, 15)),
    (datetime(2026, 12, 20, 12, tzinfo=OSLO), "15.12.26", date(2026, 12, 15)),
    (datetime(2026, 12, 20, 12, tzinfo=OSLO), "forrige tirsdag", date(2026, 12, 8)),
])
def test_a_yearless_date_is_the_next_such_day_and_others_stay(
        geo: Geography, now: datetime, written: str, dato: date) -> None:
    found = parse(f'ny seminar "X" {written} målgruppe: a hovedtema: b', ctx_at(geo, now))
    assert isinstance(found, New) and found.dato == dato


def test_an_admin_names_the_embete(geo: Geography) -> None:
    found = parse(GOOD + " embete: Vestland", ctx_at(geo))
    assert isinstance(found, New) and found.embete == geo.embeter["vestland"]


@pytest.mark.parametrize(("text", "expected"), [
    ("slett 3", Delete(3)), ("slett #12", Delete(12)), ("Slett 7", Delete(7)),
])
def test_delete_is_read(geo: Geography, text: str, expected: Delete) -> None:
    assert parse(text, ctx_at(geo)) == expected


BAD: list[tuple[str, str]] = [
    ("", f"Før et arrangement med {FORM}, for eksempel {EXAMPLE}."),
    ("endre 3", f"Før et arrangement med {FORM}, for eksempel {EXAMPLE}."),
    ("ny", "Typen mangler; skriv konferanse, seminar, webinar eller samling først, for "
           f"eksempel {EXAMPLE}."),
    ('ny festival "X" 12. mai målgruppe: a hovedtema: b',
     "«festival» er ikke en type jeg kjenner; skriv konferanse, seminar, webinar eller "
     f"samling først, for eksempel {EXAMPLE}."),
    ("ny seminar Mat i Agder 12. mai målgruppe: a hovedtema: b",
     f"Skriv tittelen i anførselstegn etter typen, for eksempel {EXAMPLE}."),
    ('ny seminar "  " 12. mai målgruppe: a hovedtema: b',
     f"Skriv tittelen i anførselstegn etter typen, for eksempel {EXAMPLE}."),
    ('ny seminar "X" målgruppe: a hovedtema: b',
     f"Datoen mangler; skriv den etter tittelen, for eksempel «12. mai» eller «12.05.2027»: "
     f"{EXAMPLE}."),
    ('ny seminar "X" snart målgruppe: a hovedtema: b',
     "«snart» kan jeg ikke lese som en dato; skriv den etter tittelen, for eksempel «12. mai» "
     f"eller «12.05.2027»: {EXAMPLE}."),
    ('ny seminar "X" 31. februar målgruppe: a hovedtema: b',
     "31. februar finnes ikke: februar har 28 dager (29 i skuddår). Skriv en dato som finnes, "
     "for eksempel «28. februar»."),
    ('ny seminar "X" 12. mai hovedtema: b',
     "Skriv målgruppen etter «målgruppe:», for eksempel `målgruppe: ledere og politikere i "
     f"kommunene`; hele formen er {FORM}."),
    ('ny seminar "X" 12. mai målgruppe: hovedtema: b',
     "Skriv målgruppen etter «målgruppe:», for eksempel `målgruppe: ledere og politikere i "
     f"kommunene`; hele formen er {FORM}."),
    ('ny seminar "X" 12. mai målgruppe: a',
     "Skriv hovedtemaet etter «hovedtema:», for eksempel `hovedtema: mat og måltider`; hele "
     f"formen er {FORM}."),
    ('ny seminar "X" 12. mai målgruppe: a tema: b hovedtema: c',
     f"Du har skrevet «hovedtema:» to ganger; skriv det én gang, for eksempel {EXAMPLE}."),
    (f'ny seminar "{"T" * 151}" 12. mai målgruppe: a hovedtema: b',
     "Tittelen er 151 tegn, men kan være høyst 150; skriv den kortere, så lagrer jeg "
     "arrangementet."),
    (f'ny seminar "X" 12. mai målgruppe: {"m" * 301} hovedtema: b',
     "Målgruppen er 301 tegn, men kan være høyst 300; skriv den kortere, så lagrer jeg "
     "arrangementet."),
    (f'ny seminar "X" 12. mai målgruppe: a hovedtema: {"h" * 301}',
     "Hovedtemaet er 301 tegn, men kan være høyst 300; skriv det kortere, så lagrer jeg "
     "arrangementet."),
    ('ny seminar "X" 12. mai målgruppe: a hovedtema: b ønsker: kongen',
     "Jeg forstår ikke «ønsker: kongen»; skriv hdir, hod (eller politisk ledelse), begge eller "
     "ingen, for eksempel `ønsker: hdir, hod`."),
    ('ny seminar "X" 12. mai målgruppe: a hovedtema: b ønsker: ingen, hdir',
     "Jeg forstår ikke «ønsker: ingen, hdir»; skriv hdir, hod (eller politisk ledelse), begge "
     "eller ingen, for eksempel `ønsker: hdir, hod`."),
    ('ny seminar "X" 12. mai målgruppe: a hovedtema: b ønsker:',
     "Jeg forstår ikke «ønsker: »; skriv hdir, hod (eller politisk ledelse), begge eller "
     "ingen, for eksempel `ønsker: hdir, hod`."),
    ("slett", "Skriv nummeret på arrangementet du vil slette, for eksempel "
              "`/lhl arrangement slett 3`; numrene står i `/lhl arrangementer`."),
    ("slett tre", "Skriv nummeret på arrangementet du vil slette, for eksempel "
                  "`/lhl arrangement slett 3`; numrene står i `/lhl arrangementer`."),
]


@pytest.mark.parametrize(("text", "sentence"), BAD)
def test_bad_input_gets_one_sentence_with_the_form(
        geo: Geography, text: str, sentence: str) -> None:
    assert refusal(text, ctx_at(geo)) == sentence


@pytest.mark.parametrize(("text", "needle"), [
    ('ny seminar "X" 12.05.2040 målgruppe: a hovedtema: b', "2040"),
    ('ny seminar "X" 12. mai målgruppe: a hovedtema: b embete: Atlantis',
     "Jeg kjenner ikke noe embete som heter «Atlantis»"),
    ('ny seminar "X" 12. mai målgruppe: a målgruppe: b hovedtema: c', "«målgruppe:» to ganger"),
])
def test_what_the_shared_readers_refuse_is_refused_here(
        geo: Geography, text: str, needle: str) -> None:
    assert needle in refusal(text, ctx_at(geo))


# --- storage (SQLite and PostgreSQL) ----------------------------------------------------------


def add(session: Session, embete_id: str, tittel: str, dato: date, hovedtema: str,
        areas: list[str], *, kind: str = "seminar", now: datetime = NOW) -> int:
    return add_event(embete_id=embete_id, kind=kind, tittel=tittel, dato=dato, malgruppe="a",
                     hovedtema=hovedtema, areas=areas, onsker_hdir=False, onsker_hod=True,
                     by="U1", now=now, session=session)


def test_events_are_stored_listed_and_deleted_with_their_areas(store_url: str) -> None:
    db, _ = prepare(store_url)
    written = datetime(2026, 3, 29, 2, 30, tzinfo=OSLO)
    with db.write() as session:
        later = add(session, "agder", "Senere", date(2026, 6, 1), "mat og helsehjelp",
                    ["mat", "helsehjelp", "mat"], now=written)
        first = add(session, "agder", "Først", date(2026, 5, 1), "demens", [])
        other = add(session, "vestland", "Vestland", date(2027, 1, 1), "mat", ["mat"])
    with db.read() as session:
        agder = list_events(embete_id="agder", session=session)
        assert [(e.event.id, sorted(e.areas)) for e in agder] == [
            (first, []), (later, ["helsehjelp", "mat"])]
        assert [e.event.id for e in list_events(first=date(2026, 5, 2), session=session)] == [
            later, other]
        assert [e.event.id for e in list_events(last=date(2026, 5, 1), session=session)] == [
            first]
        stored = get_event(later, session=session)
        assert stored is not None and stored.event.created_at == written.astimezone(UTC)
        assert stored.event.created_at.tzinfo is not None
        assert (stored.event.onsker_hdir, stored.event.onsker_hod) == (False, True)
    with db.write() as session:
        delete_event(later, session=session)
    with db.read() as session:
        assert get_event(later, session=session) is None
        assert session.exec(select(func.count()).select_from(EventArea)).one() == 1
    db.dispose()


@pytest.mark.parametrize(("kind", "areas"), [("festival", []), ("seminar", ["demens"])])
def test_the_store_refuses_an_unknown_kind_or_area(
        store_url: str, kind: str, areas: list[str]) -> None:
    db, _ = prepare(store_url)
    with pytest.raises(IntegrityError), db.write() as session:
        add(session, "agder", "X", date(2026, 5, 1), "b", areas, kind=kind)
    with db.read() as session:
        assert session.exec(select(func.count()).select_from(Event)).one() == 0
    db.dispose()


# --- the commands on a store ------------------------------------------------------------------


def say(rt: Runtime, line: str, user: str = ADMIN) -> str:
    return rt.handle(line, user, "C1").text


def grant(rt: Runtime, user: str, where: str, role: str = "koordinator") -> None:
    assert say(rt, f"tilgang gi <@{user}> {where} {role}").startswith(f"<@{user}> er nå {role}")


def stored_events(rt: Runtime) -> int:
    with rt.db.read() as session:
        return int(session.exec(select(func.count()).select_from(Event)).one())


def test_a_coordinator_records_a_planned_event_and_sees_it_in_the_overview(
        runtime: Runtime) -> None:
    grant(runtime, KARI, "Agder")
    before = runtime.db.store_revision()
    assert say(runtime, 'arrangement ny konferanse "Leve hele livet i Agder" 12. mai '
                        "målgruppe: ledere og politikere hovedtema: mat og ernæring "
                        "ønsker: hdir, hod", KARI).splitlines() == [
        "Lagret: konferanse «Leve hele livet i Agder» 12. mai 2027 for Statsforvalteren i "
        "Agder (#1).",
        "Målgruppe: ledere og politikere",
        "Hovedtema: mat og ernæring (Mat og måltider)",
        "Ønsker deltakelse fra: Hdir og HOD/politisk ledelse",
    ]
    assert runtime.db.store_revision() > before, "the reply cache must see the write"
    assert say(runtime, "arrangementer", KARI).split("\n\n") == [
        "*Arrangementer for Statsforvalteren i Agder i 2026 og framover* (1)",
        "*12. mai 2027* · konferanse «Leve hele livet i Agder» · målgruppe: ledere og "
        "politikere · hovedtema: mat og ernæring (Mat og måltider) · ønsker: Hdir og "
        "HOD/politisk ledelse · #1",
    ]


def test_a_past_date_is_recorded_as_held(runtime: Runtime) -> None:
    grant(runtime, KARI, "Agder")
    assert say(runtime, 'arrangement ny seminar "Matvennlig" i går målgruppe: kjøkkenledere '
                        "hovedtema: mat", KARI).splitlines() == [
        "Lagret: seminar «Matvennlig» 23. november 2026 for Statsforvalteren i Agder (#1).",
        "Datoen er passert, så arrangementet er ført som holdt.",
        "Målgruppe: kjøkkenledere",
        "Hovedtema: Mat og måltider",
        "Ønsker deltakelse fra: ingen",
    ]


def test_bad_input_stores_nothing(runtime: Runtime) -> None:
    grant(runtime, KARI, "Agder")
    for text, sentence in BAD:
        assert say(runtime, f"arrangement {text}", KARI) == escape(sentence)
    assert stored_events(runtime) == 0


def test_who_may_write_where(runtime: Runtime) -> None:
    new = 'arrangement ny seminar "X" 12. mai målgruppe: a hovedtema: b'
    assert "ikke skrivetilgang" in say(runtime, new, KARI)
    grant(runtime, OLA, "Agder", "leser")
    assert "lesetilgang" in say(runtime, new, OLA)
    grant(runtime, KARI, "Agder")
    assert say(runtime, new + " embete: Vestland", KARI) == (
        "Du fører for Statsforvalteren i Agder, ikke for Statsforvalteren i Vestland, så "
        "ingenting ble lagret; be en administrator om tilgang om du skal føre for et annet "
        "embete.")
    assert say(runtime, new).startswith("Du fører ikke for et embete, så skriv hvilket embete")
    assert stored_events(runtime) == 0
    assert say(runtime, new + " embete: Agder", KARI).startswith("Lagret:")
    assert say(runtime, new + " embete: sfvl").startswith(
        "Lagret: seminar «X» 12. mai 2027 for Statsforvalteren i Vestland (#2).")
    # Readers and people without access may read the overview.
    assert "#1" in say(runtime, "arrangementer", OLA)
    assert "#2" in say(runtime, "arrangementer Vestland", "UNOBODY1")


def test_delete_own_event_and_admins_any(runtime: Runtime) -> None:
    grant(runtime, KARI, "Agder")
    grant(runtime, OLA, "Agder")
    for user in (KARI, KARI, OLA):
        say(runtime, 'arrangement ny seminar "X" 12. mai målgruppe: a hovedtema: b', user)
    assert say(runtime, "arrangement slett 3", KARI) == (
        f"Arrangement #3 ble ført av <@{OLA}>, og bare den som førte det eller en "
        "administrator kan slette det.")
    assert say(runtime, "arrangement slett 1", KARI) == (
        "Slettet: seminar «X» 12. mai 2027 for Statsforvalteren i Agder (#1).")
    assert say(runtime, "arrangement slett 3").startswith("Slettet:")
    assert say(runtime, "arrangement slett 1", KARI) == (
        "Jeg finner ikke noe arrangement #1; numrene står i `/lhl arrangementer`.")
    assert stored_events(runtime) == 1


def test_overview_order_periods_and_places(runtime: Runtime) -> None:
    for dato, embete in (("1.3.2026", "Agder"), ("1.9.2026", "Agder"), ("1.12.2026", "Agder"),
                         ("1.2.2027", "Agder"), ("1.10.2025", "Agder"), ("1.6.2027", "Vestland")):
        reply = say(runtime, f'arrangement ny seminar "S {dato}" {dato} målgruppe: a '
                             f"hovedtema: b embete: {embete}")
        assert reply.startswith("Lagret"), reply

    def titles(line: str) -> list[str]:
        return re.findall(r"«S ([\d.]+)»", say(runtime, line))

    assert titles("arrangementer Agder") == ["1.12.2026", "1.2.2027", "1.9.2026", "1.3.2026"]
    assert titles("arrangementer Agder kommende") == ["1.12.2026", "1.2.2027"]
    assert titles("arrangementer Agder 2025") == ["1.10.2025"]
    assert titles("arrangementer landet 2027") == ["1.2.2027", "1.6.2027"]
    assert titles("arrangementer") == [  # an admin with no embete of their own: the country
        "1.12.2026", "1.2.2027", "1.6.2027", "1.9.2026", "1.3.2026"]
    everywhere = say(runtime, "arrangementer landet kommende")
    assert "*1. juni 2027* · Vestland · seminar «S 1.6.2027»" in everywhere
    assert "*1. september 2026* (holdt) · seminar" in say(runtime, "arrangementer Agder")
    assert say(runtime, "arrangementer Agder 2024") == (
        "Ingen arrangementer er ført for Statsforvalteren i Agder i 2024. Før et med "
        f"{EXAMPLE}.")
    assert say(runtime, "arrangementer Lillesand") == (
        "Jeg forstår ikke «Lillesand» her; skriv `/lhl arrangementer [embete|landet] "
        "[kommende|&lt;år&gt;]`, for eksempel `/lhl arrangementer kommende` eller "
        "`/lhl arrangementer Agder 2026`.")
    assert say(runtime, "arrangementer 2050") == (
        "Jeg fører arrangementer fra 2019 til 2031; skriv et år mellom dem, for eksempel "
        "`/lhl arrangementer 2026`.")


def test_user_text_is_shown_as_typed(runtime: Runtime) -> None:
    reply = runtime.handle('arrangement ny seminar "<!channel> & venner" 12. mai målgruppe: '
                           "<!here> hovedtema: <https://evil.example|mat> embete: Agder",
                           ADMIN, "C1")
    listing = runtime.handle("arrangementer Agder", ADMIN, "C1")
    for shown in (reply, listing):
        assert_reply_within_limits(shown)
        assert live_markup(shown.text) == []
        assert "«&lt;!channel&gt; &amp; venner»" in shown.text


def test_many_events_are_listed_in_pages_within_slacks_limits(runtime: Runtime) -> None:
    long = "lang tekst & <mer> " * 14
    with runtime.db.write() as session:
        for i in range(240):
            add_event(embete_id="agder", kind="konferanse", tittel=f"{i:03d} {long}"[:150],
                      dato=date(2026, 1 + i % 12, 1 + i % 28), malgruppe=long[:300],
                      hovedtema=long[:300], areas=["mat"], onsker_hdir=True, onsker_hod=True,
                      by=ADMIN, now=NOW, session=session)
    first = runtime.handle("arrangementer Agder 2026", ADMIN, "C1")
    assert_reply_within_limits(first)
    heading = first.blocks[0]["text"]["text"]
    assert heading.startswith("*Arrangementer for Statsforvalteren i Agder i 2026* (240), "
                              "side 1 av ")
    pages = int(heading.rsplit(" ", 1)[1])
    assert "`/lhl arrangementer Agder 2026 side 2`" in first.blocks[-1]["elements"][0]["text"]
    seen: list[str] = []
    for page in range(1, pages + 1):
        shown = runtime.handle(f"arrangementer Agder 2026 side {page}", ADMIN, "C1")
        assert_reply_within_limits(shown)
        seen += re.findall(r"· #(\d+)$", shown.text, re.MULTILINE)
    assert sorted(map(int, seen)) == list(range(1, 241)), "every event on exactly one page"
    assert "bare" in say(runtime, f"arrangementer Agder 2026 side {pages + 1}")


def test_the_cached_overview_shows_a_new_event_at_once(runtime: Runtime) -> None:
    assert say(runtime, "arrangementer Agder").startswith("Ingen arrangementer")
    assert say(runtime, "arrangementer Agder").startswith("Ingen arrangementer")
    say(runtime, f"arrangement {GOOD} embete: Agder")
    assert "«Mat i Agder»" in say(runtime, "arrangementer Agder")


def test_help_for_arrangement(runtime: Runtime) -> None:
    one = say(runtime, "hjelp arrangement")
    assert one.startswith('*/lhl arrangement ny &lt;konferanse|seminar|webinar|samling&gt; '
                          '"&lt;tittel&gt;" &lt;dato&gt; målgruppe: … hovedtema: …')
    assert "`aldersvennlig`, `aktivitet`, `mat`, `helsehjelp`, `sammenheng`" in one
    assert "`/lhl arrangementer" in say(runtime, "hjelp")


# --- the console end to end -------------------------------------------------------------------


def test_console_records_and_lists_an_event(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LHL_"))}
    env.update(LHL_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPO))
    lines = ('/lhl arrangement ny webinar "Mat & helse" 12.05.2026 målgruppe: kommunene '
             "hovedtema: mat ønsker: hdir embete: Agder\n/lhl arrangementer Agder 2026\n")
    result = subprocess.run([sys.executable, "-m", "bot.cli", "console"], input=lines,
                            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert ("Lagret: webinar «Mat & helse» 12. mai 2026 for Statsforvalteren i Agder (#1)."
            in result.stdout)
    assert ("12. mai 2026 (holdt) · webinar «Mat & helse» · målgruppe: kommunene · "
            "hovedtema: Mat og måltider · ønsker: Hdir · #1") in result.stdout
