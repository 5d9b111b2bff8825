"""``/lhl import`` and ``/lhl import mal``: an embete's own spreadsheet read row by row by the
same rules as the typed commands, a dry run that names every row it cannot read, one import in
one transaction that ``angre`` and ``slett`` take back whole, on SQLite and PostgreSQL; and the
same end to end in Slack (``files.list``, ``files.info``, the download, the button).

The clock stands at tirsdag 24. november 2026 kl. 10.00 (``tests.support.clock.NOW``). Files are
written here with openpyxl (or as CSV text) and read from disk as the console reads them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from sqlalchemy import select, text

from bot.console import run_console
from bot.file_source import LocalFiles
from bot.runtime import Runtime
from commands.base import UsageError
from commands.import_file import HEADERS, field_of
from commands.import_template import COLUMNS, FILENAME
from storage.models import Change
from tests.support.fake_slack import DOWNLOAD, RESPOND, FakeSlack
from tests.support.http_bot import HttpBot
from tests.support.runtime import ADMIN, BOT_TOKEN, grant
from tests.support.slack_limits import assert_reply_within_limits
from tests.support.slack_requests import CHANNEL, block_actions_body
from tests.support.store import store_as_seen
from voice.reply import Reply

KARI = "UKARI01"
"""Coordinator for Agder."""
NORA = "UNORA01"
"""Coordinator for Nordland."""
LESER = "ULESER01"
HEADER = ["Kommune", "Kommunenr", "Tilbud om dialogmøte", "Dialogmøte holdt", "Notat",
          "Invitert til læringsnettverk", "Deltar i læringsnettverk", "Plan", "Plandato", "Fase",
          "Fasedato"]
AGDER_ROWS: list[list[Any]] = [
    # row 4
    ["Lillesand", None, date(2020, 1, 15), datetime(2020, 3, 2), "Godt oppmøte",
     "01.09.2020", "2020-10-01", "vedtatt", "12. mai 2021", 3, date(2022, 1, 1)],
    ["Heroy", None, None, "12.05.2021"],  # row 5: two Herøy, neither in Agder
    ["Vennesla", None, None, "våren 2020"],  # row 6
    ["Bergen", None, None, "01.02.2021"],  # row 7: Vestland
    ["Mandal", None, "10.01.2020", "12.02.2020"],  # row 8: now Lindesnes
    ["Birkenes", None, None, "3. desember 2025"],  # row 9: logged already
    [None, 4203, "01.11.2019", None, None, None, None, "prosess", "01.06.2020"],  # row 10
    ["Iveland", None, None, None, None, None, None, "prosess"],  # row 11: no date
    [],  # row 12: empty, not counted
    ["Froland"],  # row 13: only the kommune
]
"""A sheet of Agder: a title in row 1, an empty row 2, the header in row 3, data from row 4."""
DRY_RUN = """\
Gjennomgang av «agder.xlsx» (arket «Dialogmøter»): 5 rader kan leses, 4 kan ikke:
• rad 5 «Heroy»: Det finnes to kommuner som heter Herøy: Herøy (Møre og Romsdal) og Herøy \
(Nordland). Skriv for eksempel «Herøy (Nordland)» eller kommunenummeret 1818.
• rad 6 «Vennesla»: datoen «våren 2020» i «Dialogmøte holdt» kan ikke leses; skriv den som \
12.05.2025 eller 12. mai 2025
• rad 7 «Bergen»: Bergen hører til Statsforvalteren i Vestland, og du fører for \
Statsforvalteren i Agder
• rad 11 «Iveland»: planstatus «prosess» mangler dato; skriv den i en kolonne «Plandato», for \
eksempel 12.05.2021
Slik leste jeg navnene:
• rad 8: Mandal er en del av Lindesnes siden 2020.
Blir lagret: 2 dialogmøter holdt, 3 tilbud om dialogmøte, 1 invitasjon til læringsnettverk, \
1 deltakelse i læringsnettverk, 2 planer eller prosesser og 1 fase.
Nytt læringsnettverk: «Læringsnettverk (importert)» for Statsforvalteren i Agder.
Finnes allerede og hoppes over (1):
• rad 9: dialogmøte holdt med Birkenes 3. desember 2025
1 rad har bare kommunen og ingenting å lagre.
Bare de 5 radene som kan leses, blir importert. Rett de andre i fila og importer den på nytt om \
du vil ha dem med; det som alt er lagret, hoppes over. `/lhl import {ref} \
--alt-eller-ingenting` importerer bare om alle rader kan leses."""


# --- helpers ----------------------------------------------------------------------------------


def workbook(path: Path, rows: Sequence[Sequence[Any]], *, header: Sequence[str] = HEADER,
             title: str | None = "Dialogmøter i Agder 2019–2025", sheet: str = "Dialogmøter"
             ) -> Path:
    """An .xlsx at ``path``: a title row and an empty row (when ``title``), the header, the
    rows (dates as real date cells where given as dates)."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    if title:
        ws.append([title])
        ws.append([])
    ws.append(list(header))
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
    book.save(path)
    return path


def agder(tmp_path: Path) -> Path:
    return workbook(tmp_path / "agder.xlsx", AGDER_ROWS)


def handle(rt: Runtime, line: str, user: str = KARI, base: Path | None = None) -> Reply:
    return rt.handle(line, user, CHANNEL, files=LocalFiles(base))


def said(rt: Runtime, line: str, user: str = KARI, base: Path | None = None) -> str:
    return handle(rt, line, user, base).text


def button(reply: Reply, label_start: str) -> dict[str, Any]:
    found = [e for b in reply.blocks if b["type"] == "actions" for e in b["elements"]
             if e["text"]["text"].startswith(label_start)]
    assert len(found) == 1, reply.blocks
    return found[0]


def press(rt: Runtime, reply: Reply, label_start: str = "Importer", user: str = KARI) -> str:
    """Press a button of ``reply`` as the bot does: its value is a ``/lhl`` text."""
    return said(rt, str(button(reply, label_start)["value"]), user)


def entry_of(answer: str) -> int:
    """The import's number in ``/lhl logg``, from its answer."""
    found = re.search(r"Importen er #(\d+) i", answer)
    assert found, answer
    return int(found[1])


def say_admin_slett(rt: Runtime, number: int) -> str:
    return said(rt, f"slett {number}", ADMIN)


def with_kari(rt: Runtime) -> None:
    grant(rt, KARI, "Agder")


def facts(rt: Runtime) -> set[tuple[str, ...]]:
    """What the figures are made of, one tuple per fact: meetings by kommune, status and date;
    invitations and participation by network, kommune and date; plan statuses and phases."""
    with rt.db.read() as session:
        conn = session.connection()
        rows = [("møte", k, s, str(d)) for k, s, d in conn.execute(text(
            "SELECT kommune_nummer, status, dato FROM meeting_kommune"))]
        rows += [("invitert", n, k, str(d)) for n, k, d in conn.execute(text(
            "SELECT n.navn, i.kommune_nummer, i.dato FROM network_invitation i "
            "JOIN network n ON n.id = i.network_id"))]
        rows += [("deltar", n, k, str(d)) for n, k, d in conn.execute(text(
            "SELECT n.navn, p.kommune_nummer, p.fra FROM network_participation p "
            "JOIN network n ON n.id = p.network_id"))]
        rows += [("plan", k, s, str(d)) for k, s, d in conn.execute(text(
            "SELECT kommune_nummer, status, dato FROM kommune_plan"))]
        rows += [("fase", k, str(f), str(d)) for k, f, d in conn.execute(text(
            "SELECT kommune_nummer, fase, dato FROM kommune_fase"))]
    return {tuple(str(x) for x in r) for r in rows}


AGDER_STORED = {
    ("møte", "4215", "tilbudt", "2020-01-15"), ("møte", "4215", "holdt", "2020-03-02"),
    ("møte", "4205", "tilbudt", "2020-01-10"), ("møte", "4205", "holdt", "2020-02-12"),
    ("møte", "4203", "tilbudt", "2019-11-01"),
    ("invitert", "Læringsnettverk (importert)", "4215", "2020-09-01"),
    ("deltar", "Læringsnettverk (importert)", "4215", "2020-10-01"),
    ("plan", "4215", "vedtatt", "2021-05-12"), ("plan", "4203", "prosess", "2020-06-01"),
    ("fase", "4215", "3", "2022-01-01"),
}
"""What the good rows of :data:`AGDER_ROWS` add (Lillesand 4215, Lindesnes 4205, Arendal 4203)."""


# --- the dry run ------------------------------------------------------------------------------


def test_the_dry_run_names_each_row_it_cannot_read_and_stores_nothing(
        runtime: Runtime, tmp_path: Path) -> None:
    with_kari(runtime)
    said(runtime, "logg-møte Birkenes 3. desember 2025")
    path = agder(tmp_path)
    before = store_as_seen(runtime)
    reply = handle(runtime, f"import {path}")
    shown = reply.blocks[0]["text"]["text"]
    assert shown == DRY_RUN.format(ref=path).replace("<", "&lt;").replace(">", "&gt;")
    assert [e["text"]["text"] for e in reply.blocks[-1]["elements"]] == [
        "Importer de 5 radene som kan leses", "Avbryt"]
    assert store_as_seen(runtime) == before
    assert_reply_within_limits(reply)


def test_the_import_stores_exactly_the_good_rows_and_angre_takes_them_all_back(
        runtime: Runtime, tmp_path: Path) -> None:
    with_kari(runtime)
    said(runtime, "logg-møte Birkenes 3. desember 2025")
    before, stored_before = store_as_seen(runtime), facts(runtime)
    dry = handle(runtime, f"import {agder(tmp_path)}")
    answer = press(runtime, dry)
    assert answer.splitlines() == [
        "Importert fra «agder.xlsx»: 2 dialogmøter holdt, 3 tilbud om dialogmøte, 1 invitasjon "
        "til læringsnettverk, 1 deltakelse i læringsnettverk, 2 planer eller prosesser og 1 fase "
        "(5 rader).",
        "Nytt læringsnettverk: «Læringsnettverk (importert)» for Statsforvalteren i Agder.",
        "1 fantes allerede og ble ikke lagret på nytt.",
        "4 rader kunne ikke leses og ble ikke importert: rad 5 «Heroy», rad 6 «Vennesla», "
        "rad 7 «Bergen» og rad 11 «Iveland».",
        "Importen er #3 i `/lhl logg`; `/lhl angre` tar hele importen tilbake."]
    assert facts(runtime) - stored_before == AGDER_STORED
    assert stored_before <= facts(runtime)
    with runtime.db.read() as session:
        notat = session.connection().execute(text(
            "SELECT notat FROM dialogue_meeting WHERE dato = '2020-03-02'")).scalar_one()
    assert notat == "Godt oppmøte"
    assert said(runtime, "angre") == (
        "Angret: importen av «agder.xlsx» er tatt tilbake, og alt den lagret er fjernet: "
        "2 dialogmøter holdt, 3 tilbud om dialogmøte, 1 invitasjon til læringsnettverk, "
        "1 deltakelse i læringsnettverk, 2 planer eller prosesser og 1 fase "
        "(ført 24. november 2026 kl. 10.00).")
    assert store_as_seen(runtime) == before
    assert said(runtime, "angre").startswith("Angret: dialogmøte holdt med Birkenes")


def test_the_import_is_one_entry_in_the_log_that_slett_removes_and_angre_puts_back(
        runtime: Runtime, tmp_path: Path) -> None:
    with_kari(runtime)
    press(runtime, handle(runtime, f"import {agder(tmp_path)}"))
    imported = store_as_seen(runtime)
    log = said(runtime, "logg")
    assert "#2 · 24. november 2026 kl. 10.00 · <@UKARI01> · import av «agder.xlsx»: 5 rader " \
           "(3 dialogmøter holdt, 3 tilbud om dialogmøte" in log
    assert log.count("· <@UKARI01> ·") == 1
    assert said(runtime, "logg Lillesand").count("import av «agder.xlsx»") == 1
    assert said(runtime, "slett 2") == (
        "Slettet #2: import av «agder.xlsx»: 5 rader (3 dialogmøter holdt, 3 tilbud om "
        "dialogmøte, 1 invitasjon til læringsnettverk, 1 deltakelse i læringsnettverk, 2 planer "
        "eller prosesser og 1 fase). Alt importen lagret, er slettet med den. `/lhl angre` "
        "henter det tilbake.")
    assert facts(runtime) == set()
    assert said(runtime, "angre").startswith("Angret: import av «agder.xlsx»: 5 rader")
    assert store_as_seen(runtime) == imported
    assert "#3 · 24. november 2026 kl. 10.00 · <@UKARI01> · slettet: import av" in said(
        runtime, "logg")


def test_someone_elses_later_change_in_the_imported_network_keeps_angre_from_it(
        runtime: Runtime, tmp_path: Path) -> None:
    with_kari(runtime)
    grant(runtime, "UOLA0001", "Agder")
    number = entry_of(press(runtime, handle(runtime, f"import {agder(tmp_path)}")))
    assert said(runtime, 'nettverk inviter "Læringsnettverk (importert)" Iveland 1. mars 2021',
                "UOLA0001").startswith("Lagret")
    assert said(runtime, "angre") == (
        "Jeg angrer ingenting: importen av «agder.xlsx» er endret av <@UOLA0001> etter din "
        "siste endring.")
    assert said(runtime, f"slett {number}").startswith(
        "I læringsnettverk som import av «agder.xlsx»: 5 rader (3 dialogmøter holdt, 3 tilbud "
        "om dialogmøte, 1 invitasjon til læringsnettverk, 1 deltakelse i læringsnettverk, "
        "2 planer eller prosesser og 1 fase) laget, har også <@UOLA0001> ført noe, så bare en "
        "administrator kan slette hele importen; ingenting ble slettet.")
    assert say_admin_slett(runtime, number).startswith(f"Slettet #{number}: import av")
    assert facts(runtime) == set()


def test_all_or_nothing_stores_nothing_when_a_row_cannot_be_read(
        runtime: Runtime, tmp_path: Path) -> None:
    with_kari(runtime)
    before = store_as_seen(runtime)
    answer = said(runtime, f"import {agder(tmp_path)} --alt-eller-ingenting")
    assert answer.startswith("4 rader i «agder.xlsx» kan ikke leses, så ingenting ble "
                             "importert: rad 5 «Heroy»: Det finnes to kommuner")
    assert store_as_seen(runtime) == before


def test_all_or_nothing_typed_imports_a_clean_file_at_once(runtime: Runtime,
                                                           tmp_path: Path) -> None:
    with_kari(runtime)
    path = workbook(tmp_path / "ren.xlsx", [["Lillesand", None, "01.02.2021"]])
    assert said(runtime, f"import {path} --alt-eller-ingenting").startswith(
        "Importert fra «ren.xlsx»: 1 tilbud om dialogmøte (1 rad).")
    assert facts(runtime) == {("møte", "4215", "tilbudt", "2021-02-01")}


def test_a_clean_file_is_imported_all_or_nothing_and_a_second_time_adds_nothing(
        runtime: Runtime, tmp_path: Path) -> None:
    with_kari(runtime)
    path = workbook(tmp_path / "ren.xlsx", [["Lillesand", None, "01.02.2021", "01.03.2021"],
                                            ["Birkenes", None, "01.02.2021"]])
    dry = handle(runtime, f"import {path}")
    assert "Alt lagres på én gang, og `/lhl angre` tar hele importen tilbake." in dry.text
    value = button(dry, "Importer de 2 radene")["value"]
    assert "--alt-eller-ingenting" in value and "--lagre" in value
    # Access taken away between the dry run and the press: nothing, and why.
    grant(runtime, KARI, "Rogaland")
    refused = said(runtime, value)
    assert refused.startswith("2 rader i «ren.xlsx» kan ikke leses, så ingenting ble importert: "
                              "rad 4 «Lillesand»: Lillesand hører til Statsforvalteren i Agder")
    assert facts(runtime) == set()
    with_kari(runtime)
    assert said(runtime, value).startswith("Importert fra «ren.xlsx»: 1 dialogmøte holdt og "
                                           "2 tilbud om dialogmøte (2 rader).")
    again = handle(runtime, f"import {path}")
    assert "Ingenting nytt blir lagret." in again.text
    assert "Finnes allerede og hoppes over (3):" in again.text
    assert not [b for b in again.blocks if b["type"] == "actions"]
    assert said(runtime, value) == ("Alt i «ren.xlsx» er allerede lagret; ingenting nytt ble "
                                    "importert.")


def test_a_file_changed_since_the_dry_run_is_not_imported(runtime: Runtime,
                                                          tmp_path: Path) -> None:
    with_kari(runtime)
    path = workbook(tmp_path / "endres.xlsx", [["Lillesand", None, "01.02.2021"]])
    dry = handle(runtime, f"import {path}")
    workbook(path, [["Lillesand", None, "01.02.2021"], ["Birkenes", None, "01.02.2021"]])
    assert press(runtime, dry) == (
        f"«endres.xlsx» er endret siden du så gjennomgangen, så ingenting ble importert; se hva "
        f"som blir lagret nå med `/lhl import {path}`.")
    assert facts(runtime) == set()
    assert press(runtime, dry, "Avbryt") == "Ok, ingenting ble importert."


# --- the rules of the typed commands ----------------------------------------------------------


def test_readers_and_users_without_access_import_nothing(runtime: Runtime,
                                                         tmp_path: Path) -> None:
    grant(runtime, LESER, "Agder", "leser")
    path = agder(tmp_path)
    assert said(runtime, f"import {path}", LESER).startswith("Du har lesetilgang")
    assert said(runtime, f"import {path} --lagre", LESER).startswith("Du har lesetilgang")
    assert said(runtime, f"import {path}", "UNOBODY").startswith("Du har ikke skrivetilgang")
    assert facts(runtime) == set()


def test_an_administrator_imports_any_kommune(runtime: Runtime, tmp_path: Path) -> None:
    path = workbook(tmp_path / "land.xlsx", [["Bergen", None, None, "01.02.2021"],
                                             ["Herøy (Nordland)", None, None, "01.03.2021"],
                                             ["Lillesand", None, None, "01.04.2021"]])
    dry = handle(runtime, f"import {path}", ADMIN)
    assert dry.text.startswith("Gjennomgang av «land.xlsx» (arket «Dialogmøter»): 3 rader kan "
                               "leses.")
    assert press(runtime, dry, user=ADMIN).startswith(
        "Importert fra «land.xlsx»: 3 dialogmøter holdt (3 rader).")
    with runtime.db.read() as session:
        change = session.execute(select(Change)).scalars().one()
    assert change.embete_id is None  # three embeter
    assert "import av «land.xlsx»" in said(runtime, "logg Vestland", ADMIN)


def test_a_shared_name_is_settled_by_the_users_embete_or_the_number(runtime: Runtime,
                                                                    tmp_path: Path) -> None:
    grant(runtime, NORA, "Nordland")
    path = workbook(tmp_path / "heroy.xlsx", [["Herøy", None, None, "01.02.2021"],
                                              ["Heroy", "1515", None, "01.03.2021"],
                                              ["Bø", None, None, "01.04.2021"],
                                              ["Lillesand", "4216", None, "01.04.2021"]])
    reply = said(runtime, f"import {path}", NORA)
    assert "• rad 4: Jeg leste Herøy som Herøy (Nordland), som ligger i ditt embete." in reply
    assert "• rad 6: Jeg leste Bø som Bø (Nordland), som ligger i ditt embete." in reply
    # 1515 is Herøy in Møre og Romsdal: the number settles the name, then access refuses it.
    assert ("• rad 5 «Heroy»: Herøy (Møre og Romsdal) hører til Statsforvalteren i Møre og "
            "Romsdal, og du fører for Statsforvalteren i Nordland") in reply
    assert ("• rad 7 «Lillesand»: kommunenummer 4216 er Birkenes, ikke «Lillesand»; rett ett "
            "av dem") in reply


@pytest.mark.parametrize(("written", "why"), [
    (date(2021, 5, 12), None),
    (datetime(2021, 5, 12, 14, 30), None),
    ("2021-05-12", None),
    ("12.05.2021", None),
    ("12.05.21", None),
    ("12. mai 2021", None),
    ("våren 2020", "datoen «våren 2020» i «Dialogmøte holdt» kan ikke leses; skriv den som "
                   "12.05.2025 eller 12. mai 2025"),
    ("12. mai", "datoen «12. mai» i «Dialogmøte holdt» mangler år; skriv for eksempel "
                "12.05.2026"),
    ("31.02.2021", "datoen «31.02.2021» i «Dialogmøte holdt»: 31. februar 2021 finnes ikke: "
                   "februar 2021 har 28 dager. Skriv en dato som finnes, for eksempel «28. "
                   "februar 2021»."),
    (date(2018, 5, 12), "datoen 12. mai 2018 i «Dialogmøte holdt» er før 2019, da reformen "
                        "begynte"),
    ("12.05.2027", "datoen 12. mai 2027 i «Dialogmøte holdt» er fram i tid"),
    ("01.05.2018", "datoen «01.05.2018» i «Dialogmøte holdt» er utenfor årene lhl fører "
                   "(2019–2026)"),
    (44328, "«44328» i «Dialogmøte holdt» er ingen dato; skriv den som 12.05.2025 eller 12. "
            "mai 2025, eller gjør cellen til en dato i Excel"),
])
def test_dates_are_read_as_the_commands_read_them_and_never_guessed(
        runtime: Runtime, tmp_path: Path, written: Any, why: str | None) -> None:
    with_kari(runtime)
    path = workbook(tmp_path / "datoer.xlsx", [["Lillesand", None, None, written]])
    reply = said(runtime, f"import {path}")
    if why is None:
        assert "1 rad kan leses." in reply and "Blir lagret: 1 dialogmøte holdt." in reply
    else:
        assert f"• rad 4 «Lillesand»: {why}\n" in reply


def test_plan_and_phase_words_and_what_is_stored_already(runtime: Runtime,
                                                         tmp_path: Path) -> None:
    with_kari(runtime)
    said(runtime, "plan Lillesand vedtatt 1. mars 2021")
    said(runtime, "fase Birkenes 2 1. mars 2021")
    path = workbook(tmp_path / "plan.xlsx", [
        ["Lillesand", "Vedtatt plan 12.05.2021"],  # vedtatt already since 1 March: stored
        ["Birkenes", "beskrevet prosess", "01.02.2021", "2", "01.04.2021"],  # phase 2 already
        ["Iveland", "prosess", "01.02.2021", "fase 3", None],  # phase from today
        ["Froland", "ja", "01.02.2021"],
        ["Åmli", None, None, "5"],
        ["Evje og Hornnes", None, "01.02.2021"],
    ], header=["Kommune", "Plan", "Plandato", "Fase", "Fasedato"], title=None)
    reply = said(runtime, f"import {path}")
    assert reply.splitlines()[:4] == [
        "Gjennomgang av «plan.xlsx» (arket «Dialogmøter»): 3 rader kan leses, 3 kan ikke:",
        "• rad 5 «Froland»: planstatus «ja» i «Plan» kjenner jeg ikke; skriv «vedtatt» "
        "(planen er vedtatt) eller «prosess» (prosessen er beskrevet)",
        "• rad 6 «Åmli»: fasen «5» finnes ikke; reformen har fasene 1–4",
        "• rad 7 «Evje og Hornnes»: «Plandato» er fylt ut, men ikke planstatus; skriv "
        "«vedtatt» eller «prosess» i «Plan»"]
    assert "Blir lagret: 2 planer eller prosesser og 1 fase." in reply
    assert ("• rad 2: plan vedtatt for Lillesand 12. mai 2021\n"
            "• rad 3: Birkenes i fase 2 fra 1. april 2021") in reply
    press(runtime, handle(runtime, f"import {path}"))
    assert {f for f in facts(runtime) if f[1] in ("4218", "4216")} == {
        ("plan", "4216", "prosess", "2021-02-01"), ("fase", "4216", "2", "2021-03-01"),
        ("plan", "4218", "prosess", "2021-02-01"), ("fase", "4218", "3", "2026-11-24")}


def test_a_named_network_is_used_or_made_and_its_period_holds(runtime: Runtime,
                                                              tmp_path: Path) -> None:
    with_kari(runtime)
    said(runtime, 'nettverk ny "Mat og måltider" fra 1. mars 2021')
    said(runtime, 'nettverk inviter "Mat og måltider" Birkenes 1. mars 2021')
    path = workbook(tmp_path / "nettverk.xlsx", [
        ["Lillesand", "mat og MÅLTIDER", "01.04.2021", "01.05.2021"],
        ["Birkenes", "Mat og måltider", "01.04.2021"],  # invited already
        ["Iveland", "Mat og måltider", "01.02.2021"],  # before the network began
        ["Froland", "Aktivitet 2022", "01.02.2022"],  # a new network
        ["Åmli", None, "01.02.2022", "01.03.2022"],  # the default one
    ], header=["Kommune", "Læringsnettverk", "Invitert", "Deltar"], title=None)
    reply = said(runtime, f"import {path}")
    assert ("• rad 4 «Iveland»: «Mat og måltider» begynte 1. mars 2021, så ingen kan være "
            "invitert eller delta 1. februar 2021") in reply
    assert ("Nye læringsnettverk: «Aktivitet 2022» for Statsforvalteren i Agder og "
            "«Læringsnettverk (importert)» for Statsforvalteren i Agder.") in reply
    assert "• rad 3: Birkenes invitert til «Mat og måltider» 1. april 2021" in reply
    press(runtime, handle(runtime, f"import {path}"))
    networked = {f for f in facts(runtime) if f[0] in ("invitert", "deltar")}
    assert networked == {
        ("invitert", "Mat og måltider", "4216", "2021-03-01"),
        ("invitert", "Mat og måltider", "4215", "2021-04-01"),
        ("deltar", "Mat og måltider", "4215", "2021-05-01"),
        ("invitert", "Aktivitet 2022", "4214", "2022-02-01"),
        ("invitert", "Læringsnettverk (importert)", "4217", "2022-02-01"),
        ("deltar", "Læringsnettverk (importert)", "4217", "2022-03-01")}
    # Without a network named, a kommune that counts as invited already is not invited again.
    again = workbook(tmp_path / "igjen.xlsx", [["Lillesand", "01.06.2021", "01.06.2021"]],
                     header=["Kommune", "Invitert", "Deltar"], title=None)
    assert "Ingenting nytt blir lagret." in said(runtime, f"import {again}")


def test_notes_go_with_a_meeting_and_keep_the_rules_of_logg_mote(runtime: Runtime,
                                                                 tmp_path: Path) -> None:
    with_kari(runtime)
    path = workbook(tmp_path / "notat.xlsx", [
        ["Lillesand", None, "Bare et notat"],
        ["Birkenes", "01.02.2021", "Ring 01017012345 i morgen"],
        ["Iveland", "01.02.2021", "x" * 2001],
        ["Froland", "01.02.2021", "Referat: fint"],
    ], header=["Kommune", "Dialogmøte holdt", "Notat"], title=None)
    reply = said(runtime, f"import {path}")
    assert ("• rad 2 «Lillesand»: «Notat» hører til et dialogmøte, men raden har ingen dato for "
            "møtet; skriv den i «Dialogmøte holdt»") in reply
    assert ("• rad 3 «Birkenes»: notatet ser ut til å inneholde et fødselsnummer (11 sifre); "
            "lhl fører arbeidet med kommunene, ikke personopplysninger, så skriv det uten "
            "nummeret") in reply
    assert "ingenting ble lagret" not in reply
    assert "• rad 4 «Iveland»: Notatet er 2001 tegn, men kan være høyst 2000" in reply
    assert "Blir lagret: 1 dialogmøte holdt." in reply


def test_many_unreadable_rows_are_named_first_then_counted(runtime: Runtime,
                                                           tmp_path: Path) -> None:
    rows = [[f"Ukjent kommune nummer {n}", None, None, "01.02.2021"] for n in range(357)]
    reply = handle(runtime, f"import {workbook(tmp_path / 'stor.xlsx', rows)}", ADMIN)
    assert_reply_within_limits(reply)
    assert reply.text.startswith("Gjennomgang av «stor.xlsx» (arket «Dialogmøter»): 0 rader kan "
                                 "leses, 357 kan ikke:\n• rad 4 «Ukjent kommune nummer 0»: Jeg "
                                 "finner ingen kommune")
    shown = re.findall(r"• rad (\d+)", reply.text)
    assert shown == [str(n) for n in range(4, 4 + len(shown))]
    assert f"… og {357 - len(shown)} rader til som ikke kan leses." in reply.text
    assert "Ingenting nytt blir lagret." in reply.text


# --- files ------------------------------------------------------------------------------------


CSV_ROWS = [["Kommune", "Dialogmøte holdt", "Notat"],
            ["Lillesand", "01.02.2021", "Møte om «mat», ærlig talt"],
            ["Mandal", "2021-03-01", ""]]


@pytest.mark.parametrize(("delimiter", "encoding"), [
    (";", "utf-8"), (",", "utf-8"), (";", "utf-8-sig"), (",", "utf-8-sig"), (";", "cp1252"),
    ("\t", "utf-8")])
def test_csv_files_are_read_whatever_excel_wrote(runtime: Runtime, tmp_path: Path,
                                                 delimiter: str, encoding: str) -> None:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(CSV_ROWS)
    path = tmp_path / "møter.csv"
    path.write_bytes(out.getvalue().encode(encoding))
    with_kari(runtime)
    reply = handle(runtime, f"import {path}")
    assert reply.text.startswith("Gjennomgang av «møter.csv»: 2 rader kan leses.\nSlik leste "
                                 "jeg navnene:\n• rad 3: Mandal er en del av Lindesnes")
    press(runtime, reply)
    with runtime.db.read() as session:
        notes = session.connection().execute(text(
            "SELECT notat FROM dialogue_meeting ORDER BY dato")).scalars().all()
    assert notes == ["Møte om «mat», ærlig talt", None]


def test_files_that_cannot_be_read_are_refused_in_one_sentence(runtime: Runtime,
                                                               tmp_path: Path) -> None:
    with_kari(runtime)
    (tmp_path / "gammel.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "ødelagt.xlsx").write_bytes(b"ikke en zip")
    (tmp_path / "uten.csv").write_text("Navn;Dato\nLillesand;01.02.2021\n", encoding="utf-8")
    (tmp_path / "bare.csv").write_text("Kommune;Merknad\nLillesand;x\n", encoding="utf-8")
    assert said(runtime, f"import {tmp_path / 'gammel.xls'}") == (
        "«gammel.xls» er verken en Excel-arbeidsbok (.xlsx) eller en CSV-fil (.csv); lagre den "
        "som en av dem og prøv igjen.")
    assert said(runtime, f"import {tmp_path / 'ødelagt.xlsx'}").startswith(
        "«ødelagt.xlsx» kan ikke leses som en Excel-arbeidsbok")
    assert said(runtime, f"import {tmp_path / 'uten.csv'}").startswith(
        "Jeg fant ingen kolonne for kommunen i «uten.csv»")
    assert said(runtime, f"import {tmp_path / 'bare.csv'}").startswith(
        "«bare.csv» har ingen kolonner jeg kan importere, bare kommunen")
    assert said(runtime, "import finnes-ikke.xlsx", base=tmp_path).startswith(
        "Jeg finner ingen fil «finnes-ikke.xlsx»")
    assert said(runtime, "import").startswith("Skriv stien til fila")
    assert runtime.handle("import", KARI, CHANNEL).text.startswith("Import virker i Slack og i "
                                                                    "konsollen")
    assert said(runtime, f"import {tmp_path / 'bare.csv'} --fort").startswith(
        "`/lhl import` kjenner bare `--alt-eller-ingenting`")


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "stor.csv"
    big.write_bytes(b"x" * (5 * 1024 * 1024 + 1))
    with pytest.raises(UsageError, match=r"er 5\.0 MB, og jeg leser filer på høyst 5 MB"):
        LocalFiles().find(str(big))


@pytest.mark.parametrize(("header", "field"), [
    ("Kommune", "kommune"), ("KOMMUNENAVN", "kommune"), ("Kommunenr.", "kommunenr"),
    ("Dialogmøte holdt (dato)", "holdt"), ("Dialogmote hold", "holdt"),
    ("Gjennomført dialogmøte", "holdt"), ("Tilbud om dialogmøte", "tilbud"),
    ("Invitert til læringsnettverk", "invitert"), ("Deltar i læringsnettverk", "deltar"),
    ("Planstatus", "plan"), ("Plan vedtatt", "vedtatt"), ("Fase", "fase"),
    ("Notat", "notat"), ("Merknad", None), ("Nr", None), ("", None)])
def test_headers_are_matched_loosely_and_never_guessed(header: str, field: str | None) -> None:
    assert field_of(header) == field


# --- the template -----------------------------------------------------------------------------


def test_the_template_has_the_columns_and_reads_back(runtime: Runtime, tmp_path: Path) -> None:
    with_kari(runtime)
    reply = handle(runtime, "import mal")
    assert reply.text.startswith("Her er malen for `/lhl import` med de 25 kommunene i "
                                 "Statsforvalteren i Agder fylt inn: lhl-import-mal.xlsx.")
    (attachment,) = reply.files
    assert attachment.filename == FILENAME
    book = load_workbook(io.BytesIO(attachment.content))
    sheet, explained = book.worksheets
    assert [c.value for c in sheet[1]] == [HEADERS[c][0] for c in COLUMNS]
    assert all(field_of(str(c.value)) == f for c, f in zip(sheet[1], COLUMNS, strict=True))
    assert (sheet["A2"].value, sheet["B2"].value) == ("Risør", "4201")
    assert [c.value for c in sheet["A"] if c.value][-1] == "Sirdal"
    assert len([c for c in sheet["A"] if c.value]) == 26
    assert explained.title == "Slik fyller du ut"
    assert [r[0].value for r in explained.iter_rows(min_row=2, max_row=len(COLUMNS) + 1)] == [
        HEADERS[c][0] for c in COLUMNS]
    assert "«våren 2020»" in " ".join(str(r[0].value) for r in explained.iter_rows())
    # Filled in and shared again, it imports what was filled in (the explanations are not read).
    sheet["D2"] = date(2021, 5, 12)
    sheet["J3"], sheet["K3"] = "vedtatt", "20.06.2021"
    path = tmp_path / FILENAME
    book.save(path)
    dry = handle(runtime, f"import {path}")
    assert dry.text.startswith("Gjennomgang av «lhl-import-mal.xlsx» (arket «Kommuner»): 25 rader "
                               "kan leses.\nBlir lagret: 1 dialogmøte holdt og 1 plan eller "
                               "prosess.\n")
    assert "23 rader har bare kommunen og ingenting å lagre." in dry.text
    press(runtime, dry)
    assert facts(runtime) == {("møte", "4201", "holdt", "2021-05-12"),
                              ("plan", "4202", "vedtatt", "2021-06-20")}


def test_an_administrator_without_embete_gets_an_empty_template(runtime: Runtime) -> None:
    reply = handle(runtime, "import mal", ADMIN)
    sheet = load_workbook(io.BytesIO(reply.files[0].content)).worksheets[0]
    assert [c.value for c in sheet["A"] if c.value] == ["Kommune"]


def test_the_console_reads_a_path(runtime: Runtime, tmp_path: Path) -> None:
    path = workbook(tmp_path / "konsoll.xlsx", [["Lillesand", None, None, "01.02.2021"]])
    out = io.StringIO()
    run_console(runtime, io.StringIO(f"/lhl import {path}\n"), out, reminders=False)
    assert out.getvalue().startswith("Gjennomgang av «konsoll.xlsx» (arket «Dialogmøter»): 1 rad "
                                     "kan leses.\nBlir lagret: 1 dialogmøte holdt.")
    assert f"Skriv `/lhl import {path} --lagre --alt-eller-ingenting --sjekk " in out.getvalue()


# --- Slack end to end -------------------------------------------------------------------------


def slack_file(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER) -> bytes:
    out = io.BytesIO()
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    book.save(out)
    return out.getvalue()


def test_slack_import_reads_the_shared_file_and_its_button_imports(http_bot: HttpBot) -> None:
    fake: FakeSlack = http_bot.fake_slack
    grant(http_bot.runtime, KARI, "Agder")
    content = slack_file([["Lillesand", None, "01.02.2021", "01.03.2021"],
                          ["Heroy", None, None, "01.03.2021"]])
    fake.add_file("gammel.xlsx", slack_file([["Birkenes", None, "01.02.2021"]]), user=KARI,
                  channel=CHANNEL, token=BOT_TOKEN, created=1_700_000_000)
    file_id = fake.add_file("agder.xlsx", content, user=KARI, channel=CHANNEL, token=BOT_TOKEN)
    fake.add_file("annen.xlsx", content, user="UANNEN1", channel="C0ANNEN", token=BOT_TOKEN)
    answer = http_bot.post_command("import", KARI, CHANNEL)
    assert answer.status == 200, answer.text
    dry = answer.json
    assert dry["response_type"] == "ephemeral"
    assert dry["text"].startswith("Gjennomgang av «agder.xlsx» (arket «Sheet»): 1 rad kan leses, "
                                  "1 kan ikke:\n• rad 3 «Heroy»: Det finnes to kommuner")
    (listed,) = fake.calls("files.list")
    assert (listed.params["user"], listed.params["channel"]) == (KARI, CHANNEL)
    assert [c.params["file"] for c in fake.calls("files.info")] == [file_id]
    (download,) = fake.calls(DOWNLOAD)
    assert download.status == 200 and download.token_prefix == "xoxb"
    importer = next(e for b in dry["blocks"] if b["type"] == "actions" for e in b["elements"]
                    if e["text"]["text"].startswith("Importer"))
    assert importer["value"].startswith(f"import {file_id} --lagre --sjekk ")
    assert facts(http_bot.runtime) == set()

    body = block_actions_body(importer["action_id"], importer["value"], user_id=KARI,
                              channel_id=CHANNEL, response_url=fake.response_url)
    assert http_bot.post_signed(body).status == 200
    (done,) = fake.wait_for(RESPOND, 1, timeout=10)
    assert done.params["replace_original"] is True
    assert done.params["text"].startswith("Importert fra «agder.xlsx»: 1 dialogmøte holdt og "
                                          "1 tilbud om dialogmøte (1 rad).")
    assert facts(http_bot.runtime) == {("møte", "4215", "tilbudt", "2021-02-01"),
                                       ("møte", "4215", "holdt", "2021-03-01")}
    assert len(fake.calls(DOWNLOAD)) == 2, "the press reads the file again"
    http_bot.stop_cleanly()
    assert "files-pri" not in http_bot.log


def test_slack_import_names_a_file_by_link_and_refuses_one_shared_elsewhere(
        http_bot: HttpBot) -> None:
    fake = http_bot.fake_slack
    grant(http_bot.runtime, KARI, "Agder")
    theirs = fake.add_file("annen.xlsx", slack_file([["Lillesand", None, "01.02.2021"]]),
                           user="UANNEN1", channel="C0ANNEN", token=BOT_TOKEN)
    mine = fake.add_file("min.csv", "Kommune;Dialogmøte holdt\nLillesand;01.02.2021\n".encode(),
                         user=KARI, channel="C0ANNEN", token=BOT_TOKEN)
    wrong = fake.add_file("feil.xlsx", b"x", user=KARI, channel=CHANNEL, token="xoxb-annen")
    assert http_bot.post_command(f"import <https://lhl-test.slack.com/files/UANNEN1/{theirs}/"
                                 "annen.xlsx>", KARI, CHANNEL).json["text"] == (
        "«annen.xlsx» er ikke delt i denne kanalen, og du har ikke delt den selv; del fila her "
        "og skriv `/lhl import` igjen.")
    assert http_bot.post_command(f"import {mine}", KARI, CHANNEL).json["text"].startswith(
        "Gjennomgang av «min.csv»: 1 rad kan leses.")
    assert http_bot.post_command(f"import {wrong}", KARI, CHANNEL).json["text"] == (
        "Jeg fikk ikke hentet fila fra Slack (Slack svarte ikke som ventet); prøv igjen om litt.")
    assert http_bot.post_command("import F0NOSUCH99", KARI, CHANNEL).json["text"].startswith(
        "Jeg finner ingen fil F0NOSUCH99 i Slack")
    assert http_bot.post_command("import", KARI, "C0TOM").json["text"].startswith(
        "Jeg finner ingen .xlsx- eller .csv-fil som du har delt her det siste døgnet.")
    http_bot.stop_cleanly()



def test_a_column_written_twice_is_read_once_and_said(runtime: Runtime, tmp_path: Path
                                                      ) -> None:
    with_kari(runtime)
    path = workbook(tmp_path / "to.xlsx", [["Lillesand", "12.05.2021", "13.05.2021"]],
                    header=["Kommune", "Dialogmote holdt", "Dialogmøte holdt"], title=None)
    reply = said(runtime, f"import {path}")
    assert ("Kolonnen «Dialogmøte holdt» står to ganger (som «Dialogmote holdt»); bare den "
            "første er lest.") in reply
    assert "kjenner jeg ikke" not in reply
    assert "Blir lagret: 1 dialogmøte holdt." in reply
