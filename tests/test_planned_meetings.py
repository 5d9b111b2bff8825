"""Planned dialogue meetings (``/lhl planlegg-møte``), the type of a held meeting
(``logg-møte … type:``) and the innsatsområder of a theme: what is stored, what ``status``
counts as *holdt eller planlagt*, what the kommune card and ``angre`` say, and the migration.

The clock stands at tirsdag 24. november 2026 kl. 10.00 unless a test moves it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from bot.runtime import Runtime
from schedules.messages import Figures, figures_for
from storage.changes import changes_of
from storage.db import Database, open_database
from storage.migrate import migrate, upgrade
from storage.models import DIALOGUE, HELD, MAYORS, OFFERED, PLANNED
from storage.queries import Counts, add_meeting, counts_by_embete, delete_meeting, open_plans
from storage.reference import Geography, load_reference_data, read_geography
from storage.setup import prepare
from tests.support.clock import OSLO, at
from tests.support.runtime import ADMIN, grant, logged, say

KARI = "UKARI01"
OLA = "UOLA0001"


def _rows(db: Database, sql: str) -> list[tuple[Any, ...]]:
    with db.read() as session:
        return [tuple(r) for r in session.execute(text(sql))]


def meetings(rt: Runtime) -> list[tuple[Any, ...]]:
    """Every meeting stored: status, type, date (ISO) and its kommuner, in the order written."""
    found = []
    for mid, status, kind, dato in _rows(
            rt.db, "SELECT id, status, type, dato FROM dialogue_meeting ORDER BY id"):
        links = _rows(rt.db, "SELECT kommune_nummer, status, type, dato FROM meeting_kommune "
                             f"WHERE meeting_id = {mid} ORDER BY kommune_nummer")
        # The kommune rows repeat the meeting's status, type and date.
        assert {row[1:] for row in links} == {(status, kind, dato)}
        found.append((status, kind, str(dato), [row[0] for row in links]))
    return found


def areas(rt: Runtime) -> list[tuple[Any, ...]]:
    return _rows(rt.db, "SELECT meeting_id, omrade FROM meeting_area ORDER BY meeting_id, omrade")


# --- what is typed, and what is stored ---------------------------------------------------------

REFUSED = [
    ("planlegg-møte Vennesla i går",
     "23. november 2026 er passert, og et planlagt møte ligger fram i tid; et møte som er "
     "holdt, føres med `/lhl logg-møte Vennesla 23. november 2026`."),
    ("planlegg-møte Vennesla, Lillesand 12.05.2026",
     "12. mai 2026 er passert, og et planlagt møte ligger fram i tid; et møte som er holdt, "
     "føres med `/lhl logg-møte Vennesla og Lillesand 12. mai 2026`."),
    ("planlegg-møte Vennesla",
     "Jeg fant ingen dato for møtet. Skriv datoen etter kommunene, for eksempel "
     "`/lhl planlegg-møte Vennesla, Lillesand 12. mai tema: mat med: KS`."),
    ("planlegg-møte 12. mai",
     "Kommunen mangler: skriv hvilke kommuner møtet skal være med, og så datoen, for eksempel "
     "`/lhl planlegg-møte Kristiansand 12. mai`."),
    ("planlegg-møte 12. mai Vennesla",
     "Datoen skal stå etter kommunene: skriv `/lhl planlegg-møte Vennesla 12. mai`."),
    ("planlegg-møte Vennesla 12. mai tema mat",
     "Mente du `tema: mat`? Et felt skrives med kolon: "
     "`/lhl planlegg-møte Vennesla 12. mai tema: mat`."),
    ("planlegg-møte Vennesla 12. mai type: ordfører",
     "Feltet «type:» kjenner jeg ikke; planlegg-møte har feltene `tema:`, `med:` og `notat:`, "
     "for eksempel `/lhl planlegg-møte Vennesla, Lillesand 12. mai tema: mat med: KS`."),
    ("planlegg-møte Atlantis 12. mai",
     "Jeg finner ingen kommune som heter «Atlantis». Skriv navnet eller kommunenummeret, for "
     "eksempel «Kristiansand» eller «4204»."),
    ("planlegg-møte Vennesla 12. mai notat: ring 01017012345",
     "Notatet ser ut til å inneholde et fødselsnummer (11 sifre), så ingenting ble lagret: lhl "
     "fører arbeidet med kommunene, ikke personopplysninger. Skriv det uten nummeret."),
    ("logg-møte Vennesla i går type: styremøte",
     "Møtetypen «styremøte» kjenner jeg ikke; skriv `type: dialogmøte`, `type: ordfører`, "
     "`type: eldreråd` eller `type: annet`, for eksempel "
     "`/lhl logg-møte Vennesla i går type: ordfører`."),
    ("logg-møte Vennesla i går type:",
     "Møtetypen mangler etter «type:»; skriv `type: dialogmøte`, `type: ordfører`, "
     "`type: eldreråd` eller `type: annet`, for eksempel "
     "`/lhl logg-møte Vennesla i går type: ordfører`."),
    ("logg-møte Vennesla og Lillesand i morgen",
     "25. november 2026 er fram i tid, og et holdt møte kan ikke ligge i framtiden. Skriv "
     "datoen det skjedde, for eksempel «i går» eller «12. mai»; et avtalt møte føres med "
     "`/lhl planlegg-møte Vennesla og Lillesand 25. november 2026`."),
    # Only dialogue meetings are planned: no such hint for a meeting with the eldreråd.
    ("logg-møte Vennesla i morgen type: eldreråd",
     "25. november 2026 er fram i tid, og et holdt møte kan ikke ligge i framtiden. Skriv "
     "datoen det skjedde, for eksempel «i går» eller «12. mai»."),
]


@pytest.mark.parametrize(("line", "answer"), REFUSED)
def test_a_refusal_names_the_problem_and_stores_nothing(runtime: Runtime, line: str,
                                                        answer: str) -> None:
    assert say(runtime, line) == answer
    assert meetings(runtime) == []
    assert _rows(runtime.db, "SELECT count(*) FROM change_log") == [(0,)]


SAVED = [
    # A date without a year ahead is the next such day: 12 May 2027 on 24 November 2026.
    ("planlegg-møte Vennesla, Lillesand 12. mai tema: mat med: ks",
     ["Lagret: dialogmøte planlagt med Vennesla og Lillesand 12. mai 2027.",
      "Tema: Mat og måltider", "Sammen med: KS"],
     (PLANNED, DIALOGUE, "2027-05-12", ["4215", "4223"]), ["mat"]),
    ("planlegg-mote Vennesla i dag",
     ["Lagret: dialogmøte planlagt med Vennesla 24. november 2026."],
     (PLANNED, DIALOGUE, "2026-11-24", ["4223"]), []),
    ("planlegg Vennesla neste fredag",
     ["Lagret: dialogmøte planlagt med Vennesla 4. desember 2026."],
     (PLANNED, DIALOGUE, "2026-12-04", ["4223"]), []),
    ("planlegg-møte Mandal 1. mars",
     ["Mandal er en del av Lindesnes siden 2020.",
      "Lagret: dialogmøte planlagt med Lindesnes 1. mars 2027."],
     (PLANNED, DIALOGUE, "2027-03-01", ["4205"]), []),
    ("logg-møte Vennesla i går type: Ordfører",
     ["Lagret: møte med ordfører eller kommunedirektør holdt med Vennesla 23. november 2026."],
     (HELD, MAYORS, "2026-11-23", ["4223"]), []),
    ("logg-møte Vennesla i går type: eldrerådet tema: helsehjelp",
     ["Lagret: møte med eldreråd eller eldreorganisasjon holdt med Vennesla 23. november 2026.",
      "Tema: Helsehjelp"],
     (HELD, "eldreråd", "2026-11-23", ["4223"]), ["helsehjelp"]),
    ("logg-møte Vennesla i går type: annet tema: velferdsteknologi",
     ["Lagret: annet møte holdt med Vennesla 23. november 2026.", "Tema: velferdsteknologi"],
     (HELD, "annet", "2026-11-23", ["4223"]), []),
    # Free text beside the areas is kept as written; the areas it names are stored.
    ("logg-møte Vennesla i går type: dialogmøte tema: mat og aktivitet på sykehjem",
     ["Lagret: dialogmøte holdt med Vennesla 23. november 2026.",
      "Tema: mat og aktivitet på sykehjem (Aktivitet og fellesskap, Mat og måltider)"],
     (HELD, DIALOGUE, "2026-11-23", ["4223"]), ["aktivitet", "mat"]),
]


@pytest.mark.parametrize(("line", "answer", "stored", "omrader"), SAVED)
def test_what_is_typed_is_stored_with_its_type_and_areas(
        runtime: Runtime, line: str, answer: list[str], stored: tuple[Any, ...],
        omrader: list[str]) -> None:
    assert logged(runtime, line).splitlines() == answer
    assert meetings(runtime) == [stored]
    assert areas(runtime) == [(1, a) for a in omrader]


def test_planning_needs_write_access_for_the_kommune(runtime: Runtime) -> None:
    assert "ikke skrivetilgang" in say(runtime, "planlegg-møte Vennesla 12. mai", KARI)
    grant(runtime, OLA, "Agder", "leser")
    assert "lesetilgang" in say(runtime, "planlegg-møte Vennesla 12. mai", OLA)
    grant(runtime, KARI, "Agder")
    assert "Bergen hører ikke til der" in say(runtime, "planlegg-møte Bergen 12. mai", KARI)
    assert meetings(runtime) == []
    assert logged(runtime, "planlegg-møte Vennesla 12. mai", KARI) == (
        "Lagret: dialogmøte planlagt med Vennesla 12. mai 2027.")


def test_a_second_plan_for_the_same_kommune_is_flagged(runtime: Runtime) -> None:
    say(runtime, "planlegg-møte Vennesla og Lillesand 12. mai")
    assert logged(runtime, "planlegg-møte Lillesand og Birkenes 14. mai").splitlines() == [
        "Lagret: dialogmøte planlagt med Lillesand og Birkenes 14. mai 2027.",
        f":warning: Det er allerede planlagt dialogmøte med Lillesand 12. mai 2027 (ført av "
        f"<@{ADMIN}>). Er det samme møte, skriv `/lhl angre`."]


# --- the figures, on a store built by hand -----------------------------------------------------


def _add(db: Database, geo: Geography, status: str, dato: date, kommuner: list[str],
         made: datetime, meeting_type: str = DIALOGUE) -> int:
    with db.write() as session:
        return add_meeting(status, dato, [geo.kommuner[k] for k in kommuner], by="U1",
                           now=made, session=session, meeting_type=meeting_type)


def _counts(db: Database, year: int, today: date) -> dict[str, Counts]:
    with db.read() as session:
        return counts_by_embete(year, today=today, tz=OSLO, session=session)


VENNESLA, LILLESAND, BIRKENES, KRISTIANSAND, FLEKKEFJORD, BERGEN = (
    "4223", "4215", "4216", "4204", "4207", "4601")


def test_held_or_planned_counts_each_kommune_once_and_only_dialogue_meetings(
        store_url: str) -> None:
    db, geo = prepare(store_url)
    march = at(2026, 3, 1)
    _add(db, geo, HELD, date(2026, 2, 1), [BIRKENES], at(2026, 2, 1))
    _add(db, geo, HELD, date(2026, 2, 2), [KRISTIANSAND], at(2026, 2, 2), meeting_type=MAYORS)
    _add(db, geo, PLANNED, date(2026, 5, 12), [VENNESLA, LILLESAND], march)
    _add(db, geo, PLANNED, date(2026, 6, 1), [BIRKENES], march)  # held already: counted once
    _add(db, geo, PLANNED, date(2027, 1, 15), [FLEKKEFJORD], march)  # next year's
    _add(db, geo, PLANNED, date(2026, 9, 1), [BERGEN], march)  # another embete

    # 1 March: Birkenes held; Vennesla and Lillesand planned; the mayors of Kristiansand count
    # nowhere; Flekkefjord's plan is for 2027.
    assert _counts(db, 2026, date(2026, 3, 1)) == {
        "agder": Counts(offered=3, held=1, held_or_planned=3),
        "vestland": Counts(offered=1, held=0, held_or_planned=1)}
    # On the planned day the plan still counts (the meeting may be later that day) …
    assert _counts(db, 2026, date(2026, 5, 12))["agder"] == Counts(3, 1, 3)
    # … the day after, a plan not logged as held no longer does.
    assert _counts(db, 2026, date(2026, 5, 13))["agder"] == Counts(3, 1, 1)
    # Logging the held meeting replaces Vennesla's plan: held, and counted once.
    _add(db, geo, HELD, date(2026, 5, 12), [VENNESLA], at(2026, 5, 13))
    assert _counts(db, 2026, date(2026, 5, 13))["agder"] == Counts(3, 2, 2)
    # A year gone by: "held or planned" is "held".
    assert _counts(db, 2026, date(2027, 1, 2))["agder"] == Counts(3, 2, 2)

    # Next year's plan counts in 2027 while ahead …
    assert _counts(db, 2027, date(2026, 12, 1)) == {"agder": Counts(1, 0, 1)}
    # … until a held meeting after it was made fulfils it, even one held in 2026.
    _add(db, geo, HELD, date(2026, 12, 10), [FLEKKEFJORD], at(2026, 12, 10))
    assert _counts(db, 2027, date(2027, 1, 2)) == {"agder": Counts(1, 0, 0)}
    db.dispose()


def test_a_meeting_held_before_the_plan_was_made_does_not_fulfil_it(store_url: str) -> None:
    db, geo = prepare(store_url)
    _add(db, geo, HELD, date(2026, 2, 1), [BIRKENES], at(2026, 2, 1))
    plan = _add(db, geo, PLANNED, date(2026, 6, 1), [BIRKENES, VENNESLA], at(2026, 3, 1))
    with db.read() as session:
        open_ = open_plans(tz=OSLO, session=session)
    assert [(p.meeting_id, p.kommune_nummer, p.planned_on) for p in open_] == [
        (plan, BIRKENES, date(2026, 3, 1)), (plan, VENNESLA, date(2026, 3, 1))]
    # Each kommune of a plan is fulfilled on its own; undoing the held meeting opens it again.
    held = _add(db, geo, HELD, date(2026, 3, 1), [VENNESLA], at(2026, 3, 1, 12))
    with db.read() as session:
        assert [p.kommune_nummer for p in open_plans(tz=OSLO, session=session)] == [BIRKENES]
    with db.write() as session:
        delete_meeting(held, session=session)
    with db.read() as session:
        assert len(open_plans(tz=OSLO, session=session)) == 2
    db.dispose()


def test_the_reminder_figures_count_dialogue_meetings_and_plans(store_url: str) -> None:
    db, geo = prepare(store_url)
    _add(db, geo, HELD, date(2026, 3, 1), [VENNESLA], at(2026, 3, 1))
    _add(db, geo, HELD, date(2026, 3, 2), [LILLESAND], at(2026, 3, 2), meeting_type=MAYORS)
    _add(db, geo, PLANNED, date(2026, 12, 1), [BIRKENES], at(2026, 3, 2))
    _add(db, geo, OFFERED, date(2026, 3, 3), [KRISTIANSAND], at(2026, 3, 3))
    with db.read() as session:
        figures = figures_for("agder", date(2026, 11, 24), tz=OSLO, geo=geo, session=session)
    assert figures == Figures("Statsforvalteren i Agder", 2026, 25, offered=3, held=1,
                              held_or_planned=2)
    db.dispose()


# --- through the commands: status, the card, angre ---------------------------------------------


def test_status_says_held_or_planned_and_the_card_tells_each_plan(runtime: Runtime) -> None:
    runtime.clock = lambda: at(2026, 3, 1)
    say(runtime, "planlegg-møte Vennesla og Lillesand 12. mai tema: mat")
    say(runtime, "planlegg-møte Bergen 12. mai")
    agder = say(runtime, "status Agder")
    assert "Fått tilbud om dialogmøte: 2 av 25 (8 %)" in agder
    assert ("Gjennomført dialogmøte: 0 av 25 (0 %)\n"
            "Gjennomført eller planlagt dialogmøte: 2 av 25 (8 %)") in agder
    assert "Gjennomført eller planlagt dialogmøte: 1 av 43 (2 %)" in say(runtime, "status Vestland")

    runtime.clock = lambda: at(2026, 5, 20)
    assert logged(runtime, "logg-møte Vennesla 12. mai").splitlines() == [
        "Lagret: dialogmøte holdt med Vennesla 12. mai 2026.",
        "Det planlagte dialogmøtet med Vennesla 12. mai 2026 regnes nå som holdt."]
    say(runtime, "logg-møte Lillesand i går type: ordfører")
    say(runtime, "planlegg-møte Lillesand 1. juni")
    assert say(runtime, "status Vennesla").splitlines()[1:] == [
        "Dialogmøter i 2026:",
        "• Holdt 12. mai 2026",
        "Plan: ikke ført",
        "Fase: ikke ført",
        "Ingen læringsnettverk ført."]
    assert say(runtime, "status Lillesand").splitlines()[1:] == [
        "Møter i 2026:",
        "• Planlagt 1. juni 2026",
        "• Møte med ordfører eller kommunedirektør holdt 19. mai 2026",
        "• Planlagt 12. mai 2026, ikke ført som holdt, sammen med Vennesla – tema: Mat og "
        "måltider",
        "Plan: ikke ført",
        "Fase: ikke ført",
        "Ingen læringsnettverk ført."]
    agder = say(runtime, "status Agder")
    assert "Gjennomført dialogmøte: 1 av 25 (4 %)" in agder
    assert "Gjennomført eller planlagt dialogmøte: 2 av 25 (8 %)" in agder
    landet = say(runtime, "status landet")
    assert ("• Agder: fått tilbud 2 av 25 (8 %), gjennomført 1 av 25 (4 %), gjennomført eller "
            "planlagt 2 av 25 (8 %), ") in landet
    assert ("*Totalt (357 kommuner):* fått tilbud 3 av 357 (1 %), gjennomført 1 av 357 "
            "(under 1 %), gjennomført eller planlagt 2 av 357 (1 %), ") in landet

    # Undoing the held meeting puts the plan back on Vennesla's card.
    say(runtime, "angre")  # the plan for Lillesand 1 June
    say(runtime, "angre")  # the meeting with the mayor
    assert say(runtime, "angre") == (
        "Angret: dialogmøte holdt med Vennesla 12. mai 2026 (ført 20. mai 2026 kl. 09.00).")
    assert say(runtime, "status Vennesla").splitlines()[1:3] == [
        "Dialogmøter i 2026:",
        "• Planlagt 12. mai 2026, ikke ført som holdt, sammen med Lillesand – tema: Mat og "
        "måltider"]


def test_a_plan_for_next_year_is_on_this_years_card(runtime: Runtime) -> None:
    say(runtime, "planlegg-møte Vennesla 12. mai")
    assert say(runtime, "status Vennesla").splitlines()[1:3] == [
        "Dialogmøter i 2026 og planlagt senere:", "• Planlagt 12. mai 2027"]
    assert "Ingen dialogmøter ført i 2025." in say(runtime, "status Vennesla 2025")


def test_angre_takes_back_a_plan_like_a_held_meeting(runtime: Runtime) -> None:
    assert "Gjennomført eller planlagt dialogmøte: 0 av 25 (0 %)" in say(runtime, "status Agder")
    say(runtime, "planlegg-møte Vennesla og Lillesand 15. desember tema: mat")
    # The cached answer is not reused once the store has changed.
    assert "Gjennomført eller planlagt dialogmøte: 2 av 25 (8 %)" in say(runtime, "status Agder")
    assert say(runtime, "angre") == (
        "Angret: dialogmøte planlagt med Lillesand og Vennesla 15. desember 2026 "
        "(ført 24. november 2026 kl. 10.00).")
    assert "Gjennomført eller planlagt dialogmøte: 0 av 25 (0 %)" in say(runtime, "status Agder")
    assert meetings(runtime) == [] and areas(runtime) == []
    with runtime.db.read() as session:
        logged = changes_of("dialogue_meeting", 1, session=session)
    assert [c.kind for c in logged] == ["meeting_planned", "undo"]
    assert logged[0].after is not None
    assert {k: logged[0].after[k] for k in ("status", "type", "dato", "kommuner", "areas")} == {
        "status": "planlagt", "type": "dialogmøte", "dato": "2026-12-15",
        "kommuner": ["4215", "4223"], "areas": ["mat"]}
    assert logged[1].before == logged[0].after and logged[1].after is None
    assert say(runtime, "angre") == "Du har ingen endringer å angre."


def test_the_note_of_a_plan_and_of_a_meeting_with_the_mayor(runtime: Runtime) -> None:
    say(runtime, "planlegg-møte Vennesla 12. mai")
    say(runtime, "logg-møte Vennesla i går type: ordfører notat: Ordføreren vil ha nytt møte.")
    assert say(runtime, "notat 1") == (
        "Dialogmøte #1, planlagt med Vennesla 12. mai 2027, har ikke noe notat.")
    assert say(runtime, "notat 2") == (
        "*Notat til møte med ordfører eller kommunedirektør #2*\nHoldt med Vennesla "
        f"23. november 2026; ført av <@{ADMIN}> 24. november 2026.\n"
        "Ordføreren vil ha nytt møte.")


def test_a_meeting_of_another_type_is_no_double_of_a_dialogue_meeting(runtime: Runtime) -> None:
    say(runtime, "logg-møte Vennesla i går")
    assert "dobbeltføring" not in say(runtime, "logg-møte Vennesla i går type: eldreråd")
    assert logged(runtime, "logg-møte Vennesla i dag type: eldreråd").splitlines()[-1] == (
        ":warning: Mulig dobbeltføring: det er allerede ført møte med eldreråd eller "
        f"eldreorganisasjon med Vennesla 23. november 2026 (ført av <@{ADMIN}>). Er det samme "
        "møte, skriv `/lhl angre`.")


# --- the migration -----------------------------------------------------------------------------


def _migrate(db: Database, to: str, *, down: bool = False) -> None:
    migrate(db, to, down=down)


def test_upgrade_from_0007_keeps_every_meeting_as_a_dialogue_meeting(store_url: str) -> None:
    db = open_database(store_url)
    _migrate(db, "0007")
    with db.write() as session:
        load_reference_data(session)
    stamp = datetime(2026, 11, 24, 9, 0)
    with db.writer.begin() as conn:
        conn.execute(text(
            "INSERT INTO dialogue_meeting (id, status, dato, tema, created_by, created_at) "
            "VALUES (1, 'holdt', '2026-11-01', 'Mat på sykehjem', 'U1', :t), "
            "(2, 'tilbudt', '2026-11-02', NULL, 'U1', :t)"), {"t": stamp})
        conn.execute(text(
            "INSERT INTO meeting_kommune (meeting_id, kommune_nummer, status, dato) VALUES "
            "(1, '4223', 'holdt', '2026-11-01'), (1, '4215', 'holdt', '2026-11-01'), "
            "(2, '4216', 'tilbudt', '2026-11-02')"))
    upgrade(db)

    assert _rows(db, "SELECT id, status, type FROM dialogue_meeting ORDER BY id") == [
        (1, "holdt", "dialogmøte"), (2, "tilbudt", "dialogmøte")]
    assert _rows(db, "SELECT meeting_id, kommune_nummer, type FROM meeting_kommune "
                     "ORDER BY meeting_id, kommune_nummer") == [
        (1, "4215", "dialogmøte"), (1, "4223", "dialogmøte"), (2, "4216", "dialogmøte")]
    assert _rows(db, "SELECT meeting_id, omrade FROM meeting_area") == [(1, "mat")]
    with db.writer.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
    # The rebuilt tables keep their rules: a type must be one of the four, and deleting a
    # meeting deletes its kommune rows.
    with pytest.raises(IntegrityError), db.writer.begin() as conn:
        conn.execute(text("INSERT INTO dialogue_meeting (status, type, dato, created_by, "
                          "created_at) VALUES ('holdt', 'styremøte', '2026-11-03', 'U1', :t)"),
                     {"t": stamp})
    with db.writer.begin() as conn:
        conn.execute(text("DELETE FROM dialogue_meeting WHERE id = 2"))
    assert _rows(db, "SELECT count(*) FROM meeting_kommune") == [(2,)]

    # And back: plans and meetings of other types go, dialogue meetings stay.
    with db.read() as session:
        vennesla = read_geography(session).kommuner[VENNESLA]
    with db.write() as session:
        add_meeting(PLANNED, date(2027, 5, 12), [vennesla], by="U1", now=at(2026, 11, 24),
                    session=session)
        add_meeting(HELD, date(2026, 11, 20), [vennesla], by="U1",
                    now=at(2026, 11, 24), session=session, meeting_type=MAYORS,
                    areas=["helsehjelp"])
    _migrate(db, "0007", down=True)
    assert _rows(db, "SELECT id, status FROM dialogue_meeting") == [(1, "holdt")]
    assert _rows(db, "SELECT count(*) FROM meeting_kommune") == [(2,)]
    with db.read() as session:
        inspector = inspect(session.connection())
        assert "type" not in {c["name"] for c in inspector.get_columns("dialogue_meeting")}
        assert "meeting_area" not in inspector.get_table_names()
    upgrade(db)
    assert _rows(db, "SELECT id, type FROM dialogue_meeting") == [(1, "dialogmøte")]
    db.dispose()

