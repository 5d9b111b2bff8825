"""Learning networks: ``/lhl nettverk …`` and ``/lhl nettverker``, the figures in ``status``
and the as-of counts behind them, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.runtime import Runtime
from commands.base import Context
from commands.nettverk import parse
from storage.models import (
    Network,
    NetworkGathering,
    NetworkGatheringKommune,
    NetworkInvitation,
    NetworkParticipation,
)
from storage.networks import (
    NetworkCounts,
    add_invitations,
    add_network,
    add_participations,
    counts_by_network,
    end_participations,
    network_counts_by_embete,
    periods_of,
)
from storage.reference import KOMMUNER_CSV, Geography, _read_csv, geography_from_rows
from storage.setup import prepare
from tests.support.clock import NOW, OSLO
from tests.support.runtime import ADMIN
from voice import texts
from voice.reply import escape

KARI = "UKARI01"
OLA = "UOLA0001"
MAT = "Mat og måltider"
TABLES = (Network, NetworkInvitation, NetworkParticipation, NetworkGathering,
          NetworkGatheringKommune)


def say(rt: Runtime, line: str, user: str = ADMIN) -> str:
    return rt.handle(line, user, "C1").text


def grant(rt: Runtime, user: str, where: str, role: str = "koordinator") -> None:
    assert say(rt, f"tilgang gi <@{user}> {where} {role}").startswith(f"<@{user}> er nå")


def stored(rt: Runtime) -> dict[str, int]:
    with rt.db.read() as session:
        return {t.__tablename__: session.exec(  # type: ignore[attr-defined]
            select(func.count()).select_from(t)).one() for t in TABLES}


# --- parsing ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def geo() -> Geography:
    return geography_from_rows(_read_csv(KOMMUNER_CSV))


def ctx_for(geo: Geography) -> Context:
    return Context(user_id=ADMIN, is_admin=True, now=NOW, tz=OSLO, geo=geo)


@pytest.mark.parametrize(("text", "expected"), [
    ('ny "Mat" tema: mat og måltider fra 1. mars til 30. november',
     {"verb": "ny", "navn": "Mat", "tema": "mat og måltider", "fra": date(2026, 3, 1),
      "til": date(2026, 11, 30)}),
    ('ny "Mat" fra 1. mars til 30. november tema: mat fra havet',
     {"tema": "mat fra havet", "fra": date(2026, 3, 1), "til": date(2026, 11, 30)}),
    ('ny "Mat" til 1. mars 2027', {"fra": None, "til": date(2027, 3, 1), "tema": None}),
    ('ny "Mat" embete: Vestland', {"embete": "vestland"}),
    ('ny "Mat" embete: Agder fra 1.1.2026 tema: mat', {"embete": "agder", "tema": "mat",
                                                      "fra": date(2026, 1, 1)}),
    ('inviter "Mat" alle', {"verb": "inviter", "kommuner": None, "dato": date(2026, 11, 24)}),
    ('inviter "Mat" Lillesand og Birkenes 2. mars',
     {"kommuner": ("Lillesand", "Birkenes"), "dato": date(2026, 3, 2)}),
    # A yearless day ahead of today is last year's: invitations have happened.
    ('inviter "Mat" Lillesand 24. desember', {"dato": date(2025, 12, 24)}),
    ('inviter "Mat" Lillesand 24.12', {"dato": date(2025, 12, 24)}),
    ('deltar "Mat" Lillesand i går', {"verb": "deltar", "dato": date(2026, 11, 23)}),
    ('delta "Mat" Evje og Hornnes', {"verb": "deltar", "kommuner": ("Evje og Hornnes",)}),
    ('forlater "Mat" Birkenes 1.6', {"verb": "forlater", "dato": date(2026, 6, 1)}),
    ('samling "Mat" 12. mars tema: måltidsglede deltakere: Lillesand, Birkenes',
     {"verb": "samling", "dato": date(2026, 3, 12), "tema": "måltidsglede",
      "deltakere": ("Lillesand", "Birkenes")}),
    ('samling "Mat" 1. desember', {"dato": date(2025, 12, 1), "deltakere": ()}),
    ("vis Mat og måltider", {"verb": "vis", "navn": "Mat og måltider"}),
    ('vis "Mat" embete: Agder', {"verb": "vis", "navn": "Mat", "embete": "agder"}),
    ("", {"verb": "liste", "embete": None, "landet": False}),
    ("liste landet", {"verb": "liste", "landet": True}),
    ("liste Agder side 2", {"verb": "liste", "embete": "agder", "page": 2}),
])
def test_parse_reads_each_form(geo: Geography, text: str, expected: dict[str, object]
                               ) -> None:
    args = parse(text, ctx_for(geo))
    for name, want in expected.items():
        got = getattr(args, name)
        if name == "embete" and got is not None:
            got = got.id
        if name in ("kommuner", "deltakere") and got is not None:
            got = tuple(k.navn for k in got)
        assert got == want, (name, got)


BAD_INPUT = [
    ('nettverk finn "Mat"',
     "`/lhl nettverk` kan `ny`, `inviter`, `deltar`, `forlater`, `samling`, `vis` og `liste`, "
     'for eksempel `/lhl nettverk ny "Mat og måltider" tema: mat og måltider fra 1. mars til '
     "30. november`."),
    ("nettverk ny Mat embete: Agder",
     'Sett navnet på nettverket i anførselstegn, for eksempel `/lhl nettverk ny "Mat og '
     'måltider" tema: mat og måltider fra 1. mars til 30. november`.'),
    ('nettverk inviter "Mat og måltider alle',
     'Navnet mangler anførselstegn på slutten; skriv for eksempel `/lhl nettverk inviter "Mat '
     'og måltider" alle`.'),
    ('nettverk ny "" embete: Agder',
     'Skriv navnet på nettverket i anførselstegn, for eksempel `/lhl nettverk ny "Mat og '
     'måltider" tema: mat og måltider fra 1. mars til 30. november`.'),
    ('nettverk ny "Mat og måltider" embete: Agder',
     "Statsforvalteren i Agder har allerede et læringsnettverk som heter «Mat og måltider», "
     "så ingenting ble lagret; velg et annet navn, for eksempel med årstall."),
    ('nettverk ny "MAT OG  MALTIDER" embete: Agder',
     "Statsforvalteren i Agder har allerede et læringsnettverk som heter «Mat og måltider», "
     "så ingenting ble lagret; velg et annet navn, for eksempel med årstall."),
    ('nettverk ny "Ny" fra i høst embete: Agder',
     'Jeg forstår ikke «fra i høst» her; skriv for eksempel `/lhl nettverk ny "Mat og '
     'måltider" tema: mat og måltider fra 1. mars til 30. november`.'),
    ('nettverk ny "Ny" fra 1. september 2026 til 1. mars 2026 embete: Agder',
     "Nettverket kan ikke slutte (1. mars 2026) før det begynner (1. september 2026); skriv "
     "året, for eksempel «til 30. november 2026» eller «til 1. mars 2027»."),
    ('nettverk ny "Ny"',
     "Du hører ikke til et embete, så skriv hvilket embete nettverket hører til, for eksempel "
     '`/lhl nettverk ny "Mat og måltider" tema: mat og måltider fra 1. mars til 30. november '
     "embete: Agder`."),
    ('nettverk ny "Ny" tema: ringte 01017012345 embete: Agder',
     "Temaet ser ut til å inneholde et fødselsnummer (11 sifre), så ingenting ble lagret: lhl "
     "fører arbeidet med kommunene, ikke personopplysninger. Skriv det uten nummeret."),
    ('nettverk ny "' + "x" * 201 + '" embete: Agder',
     "Navnet er 201 tegn, men kan være høyst 200; skriv det kortere."),
    ('nettverk inviter "Mat og måltider" Lillesand i morgen',
     '25. november 2026 er fram i tid, og det som føres her må ha skjedd; skriv datoen det '
     'skjedde, for eksempel `/lhl nettverk inviter "Mat og måltider" alle`.'),
    ('nettverk deltar "Mat og måltider" Lillesand 12.12.2026',
     '12. desember 2026 er fram i tid, og det som føres her må ha skjedd; skriv datoen det '
     'skjedde, for eksempel `/lhl nettverk deltar "Mat og måltider" Lillesand og Birkenes '
     '3. mars`.'),
    ('nettverk inviter "Mat og måltider"',
     'Skriv hvilke kommuner det gjelder etter navnet, for eksempel `/lhl nettverk inviter "Mat '
     'og måltider" alle`.'),
    ('nettverk inviter "Mat og måltider" Atlantis',
     "Jeg finner ingen kommune som heter «Atlantis». Skriv navnet eller kommunenummeret, for "
     "eksempel «Kristiansand» eller «4204»."),
    ('nettverk inviter "Mat og målttider" Lillesand',
     "Jeg finner ikke noe læringsnettverk som heter «Mat og målttider»; mente du «Mat og "
     "måltider» (Agder)?"),
    ('nettverk inviter "Sykkel" Lillesand',
     "Jeg finner ikke noe læringsnettverk som heter «Sykkel»; `/lhl nettverker` viser "
     "nettverkene."),
    ('nettverk vis "' + "y" * 120 + '"',
     "Jeg finner ikke noe læringsnettverk som heter «" + "y" * 59 + "…»; `/lhl nettverker` "
     "viser nettverkene."),
    ('nettverk inviter "Mat og måltider" Bergen',
     "Bergen hører ikke til Statsforvalteren i Agder, som «Mat og måltider» hører til, så "
     "ingenting ble lagret."),
    ('nettverk inviter "Gammelt" Lillesand i går',
     "«Gammelt» sluttet 31. desember 2024, så ingenting kan føres 23. november 2026; skriv en "
     "dato i nettverkets periode."),
    ('nettverk samling "Mat og måltider" tema: mat',
     'Samlingen mangler dato; skriv datoen etter navnet, for eksempel `/lhl nettverk samling '
     '"Mat og måltider" 12. mars tema: måltidsglede deltakere: Lillesand, Birkenes`.'),
    ('nettverk samling "Mat og måltider" 31. februar',
     "31. februar finnes ikke: februar har 28 dager (29 i skuddår). Skriv en dato som finnes, "
     "for eksempel «28. februar»."),
    ('nettverk samling "Mat og måltider" 1. februar',
     "«Mat og måltider» begynte 1. mars 2026, så en samling kan ikke ha vært 1. februar 2026; "
     "skriv en dato i nettverkets periode."),
    ('nettverk samling "Mat og måltider" 2. mars deltakere: Bergen',
     "Bergen hører ikke til Statsforvalteren i Agder, som «Mat og måltider» hører til, så "
     "ingenting ble lagret."),
    ('nettverk forlater "Mat og måltider" Lillesand',
     "Lillesand deltar ikke i «Mat og måltider», så ingenting ble lagret."),
    ('nettverk vis "Mat og måltider" vis mer',
     'Jeg forstår ikke «vis mer» her; skriv for eksempel `/lhl nettverk vis "Mat og '
     'måltider"`.'),
]


@pytest.mark.parametrize(("line", "sentence"), BAD_INPUT)
def test_bad_input_gets_one_sentence_and_stores_nothing(runtime: Runtime, line: str,
                                                        sentence: str) -> None:
    say(runtime, f'nettverk ny "{MAT}" embete: Agder fra 1. mars til 30. november')
    say(runtime, 'nettverk ny "Gammelt" embete: Agder fra 1.1.2024 til 31.12.2024')
    before = stored(runtime)
    assert say(runtime, line) == escape(sentence)
    assert stored(runtime) == before


# --- access -----------------------------------------------------------------------------------


def test_writes_need_a_coordinator_of_the_networks_embete(runtime: Runtime) -> None:
    assert say(runtime, f'nettverk ny "{MAT}"', KARI) == escape(texts.NO_ACCESS)
    grant(runtime, OLA, "Agder", "leser")
    assert say(runtime, f'nettverk ny "{MAT}"', OLA) == texts.READER_ONLY.format(
        embete="Statsforvalteren i Agder")
    grant(runtime, KARI, "Agder")
    assert say(runtime, f'nettverk ny "{MAT}" embete: Vestland', KARI) == (
        "Du fører for Statsforvalteren i Agder og kan ikke lage nettverk for Statsforvalteren "
        "i Vestland, så ingenting ble lagret.")
    assert say(runtime, f'nettverk ny "{MAT}"', KARI).startswith(
        f"Lagret: læringsnettverket «{MAT}» for Statsforvalteren i Agder.")
    say(runtime, 'nettverk ny "Vestlandsnettverket" embete: Vestland')
    assert say(runtime, 'nettverk inviter "Vestlandsnettverket" Bergen', KARI) == (
        "Statsforvalteren i Agder har ikke noe læringsnettverk som heter «Vestlandsnettverket», "
        "men Statsforvalteren i Vestland har; skriv `embete: Vestland` til slutt for å mene det.")
    assert say(runtime, 'nettverk inviter "Vestlandsnettverket" Bergen embete: Vestland',
               KARI) == ("«Vestlandsnettverket» hører til Statsforvalteren i Vestland, og du "
                         "fører for Statsforvalteren i Agder, så ingenting ble lagret.")
    assert say(runtime, f'nettverk inviter "{MAT}" alle', OLA) == texts.READER_ONLY.format(
        embete="Statsforvalteren i Agder")
    assert stored(runtime)["network_invitation"] == 0
    # Everyone reads.
    assert f"«{MAT}»" in say(runtime, "nettverker", OLA)
    assert say(runtime, f'nettverk vis "{MAT}"', "UNOBODY1").startswith(
        f"*«{MAT}»* – Statsforvalteren i Agder")


# --- a network's life -------------------------------------------------------------------------


def test_invite_join_leave_and_gather_as_a_coordinator(runtime: Runtime) -> None:
    grant(runtime, KARI, "Agder")
    assert say(runtime, f'nettverk ny "{MAT}" tema: mat og måltider fra 1. mars til 30. '
                        "november", KARI).splitlines() == [
        f"Lagret: læringsnettverket «{MAT}» for Statsforvalteren i Agder, 1. mars 2026–30. "
        "november 2026.",
        "Tema: mat og måltider",
        f'Inviter kommunene med `/lhl nettverk inviter "{MAT}" alle`.',
    ]
    assert say(runtime, f'nettverk inviter "{MAT}" Lillesand 2. mars', KARI) == (
        f"Lagret: Lillesand invitert til «{MAT}» 2. mars 2026.")
    assert say(runtime, 'nettverk inviter "mat og maltider" alle 3. mars', KARI).splitlines(
        ) == [f"Lagret: 24 kommuner invitert til «{MAT}» 3. mars 2026.",
              "Lillesand var allerede invitert og ble ikke ført på nytt."]
    assert say(runtime, f'nettverk inviter "{MAT}" Lillesand', KARI) == (
        f"Lillesand er allerede invitert til «{MAT}» (2. mars 2026), så ingenting nytt ble "
        "lagret.")
    assert say(runtime, f'nettverk deltar "{MAT}" Lillesand og Birkenes 1. april', KARI) == (
        f"Lagret: Lillesand og Birkenes deltar i «{MAT}» fra 1. april 2026.")
    assert say(runtime, f'nettverk deltar "{MAT}" Birkenes i går', KARI) == (
        f"Birkenes deltar allerede (fra 1. april 2026) i «{MAT}», så ingenting nytt ble lagret.")
    assert say(runtime, f'nettverk forlater "{MAT}" Birkenes 1. mars', KARI) == (
        f"Birkenes begynte å delta i «{MAT}» 1. april 2026 og kan ikke ha forlatt det 1. mars "
        "2026, så ingenting ble lagret; skriv en senere dato, for eksempel `/lhl nettverk "
        f'forlater "{MAT}" Birkenes i går`.')
    assert say(runtime, f'nettverk forlater "{MAT}" Birkenes og Vennesla 1. juni', KARI
               ).splitlines() == [
        f"Lagret: Birkenes forlot «{MAT}» 1. juni 2026 (deltok fra 1. april 2026).",
        f"Vennesla deltar ikke i «{MAT}» og ble ikke endret.",
    ]
    # Coming back opens a new period; one that would overlap the old one is refused.
    assert say(runtime, f'nettverk deltar "{MAT}" Birkenes 15. mai', KARI) == (
        f"Birkenes er ført som deltaker fram til 1. juni 2026 i «{MAT}», så ingenting nytt ble "
        "lagret.")
    assert say(runtime, f'nettverk deltar "{MAT}" Birkenes 1. september', KARI) == (
        f"Lagret: Birkenes deltar i «{MAT}» fra 1. september 2026.")
    assert say(runtime, f'nettverk samling "{MAT}" 12. mars tema: måltidsglede deltakere: '
                        "Lillesand, Vennesla", KARI).splitlines() == [
        f"Lagret: samling i «{MAT}» 12. mars 2026 med Lillesand og Vennesla.",
        "Tema: måltidsglede",
        f"Merk: Lillesand og Vennesla er ikke ført som deltaker i «{MAT}» 12. mars 2026; skriv "
        f'`/lhl nettverk deltar "{MAT}" Vennesla 12. mars 2026` om den deltar.',
    ]
    assert say(runtime, f'nettverk samling "{MAT}" 20. april', KARI) == (
        f"Lagret: samling i «{MAT}» 20. april 2026.")
    with runtime.db.read() as session:
        kari = {p.kommune_nummer: (p.fra, p.til, p.created_by, p.ended_by)
                for p in session.exec(select(NetworkParticipation)
                                      .where(NetworkParticipation.til != None))}  # noqa: E711
    assert kari == {"4216": (date(2026, 4, 1), date(2026, 6, 1), KARI, KARI)}
    assert say(runtime, f'nettverk vis "{MAT}"', KARI).splitlines() == [
        f"*«{MAT}»* – Statsforvalteren i Agder",
        "Periode: 1. mars 2026–30. november 2026",
        "Tema: mat og måltider",
        "Invitert: 25 av 25 (100 %)",
        "Deltar: 2 av 25 (8 %)",
        "Invitert:",
        "• 2. mars 2026: Lillesand",
        "• 3. mars 2026: Arendal, Birkenes, Bygland, Bykle, Evje og Hornnes, Farsund, "
        "Flekkefjord, Froland, Gjerstad, Grimstad, Hægebostad, Iveland, Kristiansand, Kvinesdal, "
        "Lindesnes, Lyngdal, Risør, Sirdal, Tvedestrand, Valle, Vegårshei, Vennesla, Åmli og "
        "Åseral",
        "Deltar:",
        "• fra 1. april 2026: Lillesand",
        "• fra 1. september 2026: Birkenes",
        "Har forlatt nettverket:",
        "• Birkenes: deltok fra 1. april 2026, forlot 1. juni 2026",
        "Samlinger (2):",
        "• 20. april 2026",
        "• 12. mars 2026 – tema: måltidsglede (med Lillesand og Vennesla)",
    ]
    assert [line for line in say(runtime, "nettverker", KARI).splitlines() if line] == [
        "*Læringsnettverk – Statsforvalteren i Agder* (1)",
        f"• «{MAT}» (1. mars 2026–30. november 2026, tema: mat og måltider): invitert 25 av 25 "
        "(100 %), deltar 2 av 25 (8 %), 2 samlinger",
    ]
    assert say(runtime, "status Birkenes").splitlines()[-2:] == [
        "Læringsnettverk:",
        f"• «{MAT}»: invitert 3. mars 2026; deltok fra 1. april 2026, forlot 1. juni 2026; "
        "deltar fra 1. september 2026",
    ]


def test_taking_part_without_an_invitation_counts_as_invited_from_that_day(
        runtime: Runtime) -> None:
    say(runtime, f'nettverk ny "{MAT}" embete: Agder')
    say(runtime, f'nettverk inviter "{MAT}" Lillesand 1. mai')
    assert say(runtime, f'nettverk deltar "{MAT}" Lillesand og Iveland 2. april'
               ).splitlines() == [
        f"Lagret: Lillesand og Iveland deltar i «{MAT}» fra 2. april 2026.",
        "Lillesand og Iveland var ikke invitert før 2. april 2026 og regnes som invitert fra "
        "den dagen.",
    ]
    assert stored(runtime)["network_invitation"] == 1, "the invitation is implied, not stored"
    assert "• 2. april 2026: Iveland og Lillesand" in say(runtime, f'nettverk vis "{MAT}"')
    assert say(runtime, f'nettverk inviter "{MAT}" Iveland') == (
        f"Iveland er allerede invitert til «{MAT}» (2. april 2026), så ingenting nytt ble "
        "lagret.")


def test_an_ended_network_keeps_its_figures_as_of_its_last_day(runtime: Runtime) -> None:
    say(runtime, 'nettverk ny "Aktiv 2025" embete: Agder fra 1.1.2025 til 31.12.2025')
    say(runtime, 'nettverk deltar "Aktiv 2025" Lillesand 1.2.2025')
    assert "Deltok da det sluttet 31. desember 2025: 1 av 25 (4 %)" in say(
        runtime, 'nettverk vis "Aktiv 2025"')
    assert "deltok da det sluttet 1 av 25 (4 %)" in say(runtime, "nettverker Agder")
    status = say(runtime, "status Agder")
    assert "Invitert til læringsnettverk: 1 av 25 (4 %)" in status
    assert "Deltar i læringsnettverk: 0 av 25 (0 %)" in status
    assert "Deltar i læringsnettverk per 31. desember 2025: 1 av 25 (4 %)" in say(
        runtime, "status Agder 2025")
    assert "nettverket sluttet 31. desember 2025" in say(runtime, "status Lillesand")


def test_a_network_write_refreshes_cached_status_and_a_read_writes_nothing(
        runtime: Runtime) -> None:
    say(runtime, f'nettverk ny "{MAT}" embete: Agder')
    assert "Deltar i læringsnettverk: 0 av 25 (0 %)" in say(runtime, "status Agder")
    assert "0 samlinger" in say(runtime, "nettverker Agder")
    revision = runtime.db.store_revision()
    say(runtime, f'nettverk vis "{MAT}"')
    say(runtime, "nettverk liste")
    assert runtime.db.store_revision() == revision, "reading a network is no write"
    say(runtime, f'nettverk deltar "{MAT}" Lillesand i går')
    say(runtime, f'nettverk samling "{MAT}" i går')
    assert runtime.db.store_revision() == revision + 2
    status = say(runtime, "status Agder")
    assert "Invitert til læringsnettverk: 1 av 25 (4 %)" in status
    assert "Deltar i læringsnettverk: 1 av 25 (4 %)" in status
    assert "1 samling" in say(runtime, "nettverker Agder")


def test_a_name_is_text_never_markup(runtime: Runtime) -> None:
    made = runtime.handle('nettverk ny "<!channel> & <https://x.no|Mat>" embete: Agder',
                          ADMIN, "C1")
    assert made.text.startswith("Lagret: læringsnettverket «&lt;!channel&gt; &amp; "
                                "&lt;https://x.no|Mat&gt;»")
    shown = runtime.handle('nettverk vis "<!channel> & <https://x.no|Mat>"', ADMIN, "C1")
    assert "<!channel>" not in str(shown.blocks) and "<https" not in str(shown.blocks)
    assert "&lt;!channel&gt; &amp; &lt;https://x.no|Mat&gt;" in shown.blocks[0]["text"]["text"]


def test_help_shows_the_forms(runtime: Runtime) -> None:
    helped = say(runtime, "hjelp nettverk")
    assert helped.startswith('*/lhl nettverk ny|inviter|deltar|forlater|samling|vis|liste '
                             '"&lt;navn&gt;" …*')
    assert '`nettverk samling "&lt;navn&gt;" &lt;dato&gt; [tema: …] [deltakere: ' in helped
    assert "`/lhl nettverk" in helped
    assert "/lhl nettverker [embete|landet] [side &lt;nr&gt;]" in say(runtime, "hjelp")


# --- status figures against a hand-built store ------------------------------------------------


def test_status_figures_with_overlapping_networks_a_leaver_and_another_embete(
        runtime: Runtime) -> None:
    for line in (
        'nettverk ny "A" embete: Agder fra 1.1.2026',
        'nettverk ny "B" embete: Agder fra 1.1.2026 til 30.6.2026',
        'nettverk ny "C" embete: Vestland',
        'nettverk inviter "A" Lillesand, Birkenes og Vennesla 1.2.2026',
        'nettverk deltar "A" Lillesand og Vennesla 1.3.2026',
        'nettverk forlater "A" Vennesla 1.9.2026',
        'nettverk inviter "B" Lillesand 15.2.2026',
        'nettverk deltar "B" Lillesand og Arendal 10.4.2026',
        'nettverk deltar "C" Bergen 1.3.2026',
    ):
        assert say(runtime, line).startswith("Lagret"), line
    # Today (24 November 2026): invited Lillesand, Birkenes, Vennesla, Arendal; only
    # Lillesand still takes part (Vennesla left, B has ended for Arendal).
    agder = say(runtime, "status Agder")
    assert "Invitert til læringsnettverk: 4 av 25 (16 %)" in agder
    assert "Deltar i læringsnettverk: 1 av 25 (4 %)" in agder
    assert "Invitert til læringsnettverk: 1 av 43 (2 %)" in say(runtime, "status Vestland")
    landet = say(runtime, "status landet")
    assert ("• Agder: fått tilbud 0 av 25 (0 %), gjennomført 0 av 25 (0 %), gjennomført eller "
            "planlagt 0 av 25 (0 %), invitert til læringsnettverk 4 av 25 (16 %), deltar i "
            "læringsnettverk 1 av 25 (4 %)") in landet
    assert ("invitert til læringsnettverk 5 av 357 (1 %), deltar i læringsnettverk 2 av 357 "
            "(1 %)") in landet
    assert "Invitert til læringsnettverk per 31. desember 2025: 0 av 25 (0 %)" in say(
        runtime, "status Agder 2025")
    lillesand = say(runtime, "status Lillesand").splitlines()
    assert lillesand[-3:] == [
        "Læringsnettverk:",
        "• «A»: invitert 1. februar 2026; deltar fra 1. mars 2026",
        "• «B»: invitert 15. februar 2026; deltar fra 10. april 2026; nettverket sluttet 30. "
        "juni 2026",
    ]


@pytest.mark.parametrize(("as_of", "agder", "vestland", "a", "b"), [
    (date(2026, 1, 31), (0, 0), (0, 0), (0, 0), (0, 0)),
    (date(2026, 2, 1), (3, 0), (1, 0), (3, 0), (0, 0)),
    (date(2026, 3, 1), (4, 2), (1, 1), (3, 2), (2, 0)),
    (date(2026, 5, 1), (5, 4), (1, 1), (3, 2), (3, 2)),   # Lillesand counted once
    (date(2026, 6, 30), (5, 4), (1, 1), (3, 2), (3, 2)),  # B's last day
    (date(2026, 7, 1), (5, 2), (1, 1), (3, 2), (3, 0)),   # B has ended
    (date(2026, 8, 31), (5, 2), (1, 1), (3, 2), (3, 0)),
    (date(2026, 9, 1), (5, 1), (1, 1), (3, 1), (3, 0)),   # Vennesla left A that day
])
def test_counts_as_of_a_date(store_url: str, as_of: date, agder: tuple[int, int],
                             vestland: tuple[int, int], a: tuple[int, int],
                             b: tuple[int, int]) -> None:
    db, geo = prepare(store_url)
    k = {n: next(x.nummer for x in geo.kommuner.values() if x.navn == n)
         for n in ("Lillesand", "Birkenes", "Vennesla", "Arendal", "Iveland", "Bergen")}
    now = NOW
    with db.write() as session:
        na = add_network("agder", "A", tema=None, fra=date(2026, 1, 1), til=None, by="U1",
                         now=now, session=session)
        nb = add_network("agder", "B", tema=None, fra=date(2026, 1, 1), til=date(2026, 6, 30),
                         by="U1", now=now, session=session)
        nc = add_network("vestland", "C", tema=None, fra=None, til=None, by="U1", now=now,
                         session=session)
        assert na.id and nb.id and nc.id
        add_invitations(na.id, [k["Lillesand"], k["Birkenes"], k["Vennesla"]],
                        date(2026, 2, 1), by="U1", now=now, session=session)
        add_participations(na.id, [k["Lillesand"], k["Vennesla"]], date(2026, 3, 1), by="U1",
                           now=now, session=session)
        vennesla = [p for p in periods_of(na.id, session=session)
                    if p.kommune_nummer == k["Vennesla"]]
        end_participations(vennesla, date(2026, 9, 1), by="U2", now=now, session=session)
        add_invitations(nb.id, [k["Lillesand"], k["Arendal"]], date(2026, 2, 15), by="U1",
                        now=now, session=session)
        add_participations(nb.id, [k["Arendal"]], date(2026, 4, 10), by="U1", now=now,
                           session=session)
        # Iveland takes part without an invitation: invited from that day.
        add_participations(nb.id, [k["Iveland"]], date(2026, 5, 1), by="U1", now=now,
                           session=session)
        add_invitations(nc.id, [k["Bergen"]], date(2026, 2, 1), by="U1", now=now,
                        session=session)
        add_participations(nc.id, [k["Bergen"]], date(2026, 3, 1), by="U1", now=now,
                           session=session)
    with db.read() as session:
        counts = network_counts_by_embete(as_of=as_of, session=session)
        assert counts.get("agder", NetworkCounts(0, 0)) == NetworkCounts(*agder)
        assert counts.get("vestland", NetworkCounts(0, 0)) == NetworkCounts(*vestland)
        assert set(counts) <= {"agder", "vestland"}
        assert network_counts_by_embete(as_of=as_of, session=session, embete_id="vestland"
                                        ).get("agder") is None
        # Lillesand and Bergen alone (as for a fylke): invited 1 February, taking part 1 March.
        one = NetworkCounts(int(as_of >= date(2026, 2, 1)), int(as_of >= date(2026, 3, 1)))
        some = network_counts_by_embete(as_of=as_of, session=session,
                                        kommuner=[k["Lillesand"], k["Bergen"]])
        assert some == ({"agder": one, "vestland": one} if one.invited else {})
        by_network = counts_by_network([na.id, nb.id], as_of=as_of, session=session)
        assert by_network == {na.id: NetworkCounts(*a), nb.id: NetworkCounts(*b)}
    db.dispose()


def test_two_networks_of_one_name_in_one_embete_are_refused_by_the_store(store_url: str
                                                                        ) -> None:
    db, _ = prepare(store_url)
    with db.write() as session:
        add_network("agder", MAT, tema=None, fra=None, til=None, by="U1", now=NOW,
                    session=session)
        add_network("vestland", MAT, tema=None, fra=None, til=None, by="U1", now=NOW,
                    session=session)
    with pytest.raises(IntegrityError), db.write() as session:
        add_network("agder", "MAT OG MÅLTIDER", tema=None, fra=None, til=None, by="U1",
                    now=NOW, session=session)
    with db.read() as session:
        rows = session.exec(select(Network).order_by(Network.embete_id)).all()
        assert [(n.embete_id, n.navn) for n in rows] == [("agder", MAT), ("vestland", MAT)]
        assert rows[0].created_at == NOW and rows[0].created_at.tzinfo is not None
    db.dispose()


# --- the console, end to end ------------------------------------------------------------------


def test_console_records_a_network_and_status_counts_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LHL_"))}
    env.update(LHL_DATA_DIR=str(tmp_path / "data"),
               PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    lines = [
        f'/lhl nettverk ny “{MAT}” embete: Agder tema: mat',
        f'/lhl nettverk inviter «{MAT}» alle',
        f'/lhl nettverk deltar "{MAT}" Lillesand og Birkenes',
        "/lhl status Agder",
        f'/lhl nettverk vis "{MAT}"',
    ]
    result = subprocess.run([sys.executable, "-m", "bot.cli", "console"],
                            input="\n".join(lines) + "\n", capture_output=True, text=True,
                            cwd=tmp_path, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"Lagret: læringsnettverket «{MAT}» for Statsforvalteren i Agder." in out
    assert f"Lagret: alle 25 kommunene i Agder invitert til «{MAT}»" in out
    assert f"Lagret: Lillesand og Birkenes deltar i «{MAT}» fra" in out
    assert "Invitert til læringsnettverk: 25 av 25 (100 %)" in out
    assert "Deltar i læringsnettverk: 2 av 25 (8 %)" in out
    assert "Traceback" not in out + result.stderr


def test_nothing_is_recorded_outside_the_network_s_period(runtime: Runtime) -> None:
    say(runtime, 'nettverk ny "Aktiv hverdag" embete: Agder fra 1. september til 30. november')
    before = stored(runtime)
    assert say(runtime, 'nettverk deltar "Aktiv hverdag" Arendal 24. desember') == (
        "«Aktiv hverdag» begynte 1. september 2026, så ingenting kan føres 24. desember 2025; "
        "skriv en dato i nettverkets periode.")
    assert say(runtime, 'nettverk inviter "Aktiv hverdag" Arendal 5. desember') == (
        "«Aktiv hverdag» begynte 1. september 2026, så ingenting kan føres 5. desember 2025; "
        "skriv en dato i nettverkets periode.")
    assert stored(runtime) == before


def test_an_earlier_year_s_card_shows_the_networks_as_they_stood_then(runtime: Runtime) -> None:
    say(runtime, 'nettverk ny "Aktiv hverdag" embete: Agder fra 1. januar 2025')
    say(runtime, 'nettverk inviter "Aktiv hverdag" Arendal 1. mars 2025')
    say(runtime, 'nettverk deltar "Aktiv hverdag" Arendal 1. februar 2026')
    say(runtime, 'nettverk ny "Mat" embete: Agder fra 1. mars')
    say(runtime, 'nettverk deltar "Mat" Arendal 2. mars')
    card = say(runtime, "status Arendal 2025").splitlines()
    assert card[-2:] == ["Læringsnettverk per 31. desember 2025:",
                         "• «Aktiv hverdag»: invitert 1. mars 2025"]
    assert "Ingen læringsnettverk ført per 31. desember 2024." in say(
        runtime, "status Arendal 2024").splitlines()
