"""Plans and phases: ``/lhl plan`` and ``/lhl fase``, the figures in ``status`` as of any day,
the kommune card, ``angre``, and migration 0007, on SQLite and PostgreSQL.

The clock stands at tirsdag 24. november 2026 kl. 10.00 (``tests.support.clock.NOW``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.runtime import Runtime
from commands.base import Context
from commands.fase import parse as parse_fase
from commands.plan import parse as parse_plan
from storage import changes
from storage.db import open_database
from storage.migrate import alembic_config, migrate, upgrade
from storage.models import Change, KommuneFase, KommunePlan
from storage.plans import (
    FASE_T,
    PLAN_T,
    add_entries,
    current_as_of,
    delete_entries,
    phase_counts_by_embete,
    plan_counts_by_embete,
)
from storage.reference import KOMMUNER_CSV, Geography, _read_csv, geography_from_rows
from storage.setup import prepare
from tests.support.clock import NOW, OSLO
from tests.support.runtime import ADMIN, grant, reply_to, say
from tests.support.slack_limits import assert_reply_within_limits
from voice import texts
from voice.reply import escape

KARI = "UKARI01"
OLA = "UOLA0001"
LATER = NOW + timedelta(hours=1)


def stored(rt: Runtime) -> dict[str, int]:
    with rt.db.read() as session:
        return {t.__tablename__: session.exec(  # type: ignore[attr-defined]
            select(func.count()).select_from(t)).one() for t in (KommunePlan, KommuneFase,
                                                                 Change)}


def rows_of(rt: Runtime) -> dict[str, list[tuple[Any, ...]]]:
    """The two histories as stored."""
    with rt.db.read() as session:
        conn = session.connection()
        return {t.name: sorted(tuple(r) for r in conn.execute(t.select()))
                for t in (PLAN_T, FASE_T)}


def lines(rt: Runtime, line: str, user: str = ADMIN) -> list[str]:
    return say(rt, line, user).splitlines()


# --- parsing ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def geo() -> Geography:
    return geography_from_rows(_read_csv(KOMMUNER_CSV))


def ctx_for(geo: Geography) -> Context:
    return Context(user_id=ADMIN, is_admin=True, now=NOW, tz=OSLO, geo=geo)


@pytest.mark.parametrize(("line", "kommuner", "status", "dato"), [
    ("Lillesand vedtatt 12. mai", ("Lillesand",), "vedtatt", date(2026, 5, 12)),
    ("Lillesand og Birkenes prosess 1.3.2025", ("Lillesand", "Birkenes"), "prosess",
     date(2025, 3, 1)),
    ("vedtatt Lillesand i går", ("Lillesand",), "vedtatt", date(2026, 11, 23)),
    # Yearless: the most recent such day, so last year's 24 December.
    ("Lillesand vedtatt plan 24. desember", ("Lillesand",), "vedtatt", date(2025, 12, 24)),
    ("Lillesand, Iveland beskrevet prosess 1. mars", ("Lillesand", "Iveland"), "prosess",
     date(2026, 3, 1)),
    ("4215 VEDTATT 12.05", ("Lillesand",), "vedtatt", date(2026, 5, 12)),
])
def test_plan_reads_each_form(geo: Geography, line: str, kommuner: tuple[str, ...],
                              status: str, dato: date) -> None:
    args = parse_plan(line, ctx_for(geo))
    assert (tuple(k.navn for k in args.kommuner), args.status, args.dato) == (
        kommuner, status, dato)


@pytest.mark.parametrize(("line", "kommuner", "fase", "dato"), [
    ("Lillesand 3", ("Lillesand",), 3, date(2026, 11, 24)),
    ("Lillesand og Birkenes 2 1. mars", ("Lillesand", "Birkenes"), 2, date(2026, 3, 1)),
    ("Lillesand fase 4 24.12", ("Lillesand",), 4, date(2025, 12, 24)),
    ("4215 1 i går", ("Lillesand",), 1, date(2026, 11, 23)),
])
def test_fase_reads_each_form(geo: Geography, line: str, kommuner: tuple[str, ...],
                              fase: int, dato: date) -> None:
    args = parse_fase(line, ctx_for(geo))
    assert (tuple(k.navn for k in args.kommuner), args.fase, args.dato) == (
        kommuner, fase, dato)


PLAN_EXAMPLE = "`/lhl plan Lillesand vedtatt 12. mai`"
FASE_EXAMPLE = "`/lhl fase Lillesand 3`"
PHASES = ("1 forberedelse og oppstart, 2 kartlegging, planlegging og beslutning, "
          "3 implementering og gjennomføring og 4 evaluering og forbedring")
NO_FEBRUARY_31 = ("31. februar finnes ikke: februar har 28 dager (29 i skuddår). Skriv en dato "
                  "som finnes, for eksempel «28. februar».")
ATLANTIS = ("Jeg finner ingen kommune som heter «Atlantis». Skriv navnet eller kommunenummeret, "
            "for eksempel «Kristiansand» eller «4204».")

BAD_INPUT = [
    ("plan", f"Skriv kommunene, `vedtatt` eller `prosess` og datoen, for eksempel "
             f"{PLAN_EXAMPLE}."),
    ("plan Lillesand 12. mai",
     "Skriv `vedtatt` (planen er vedtatt) eller `prosess` (prosessen er beskrevet) etter "
     f"kommunene, for eksempel {PLAN_EXAMPLE}."),
    ("plan Lillesand vedtat 12. mai",
     "Mente du `vedtatt`? Skriv `vedtatt` (planen er vedtatt) eller `prosess` (prosessen er "
     f"beskrevet) etter kommunene, for eksempel {PLAN_EXAMPLE}."),
    ("plan Lillesand vedtatt",
     f"Skriv datoen planen ble vedtatt eller prosessen beskrevet, for eksempel {PLAN_EXAMPLE}."),
    ("plan vedtatt 12. mai", f"Skriv hvilke kommuner det gjelder, for eksempel {PLAN_EXAMPLE}."),
    ("plan Lillesand vedtatt i høst",
     f"«i høst» er ingen dato jeg kan lese; skriv for eksempel {PLAN_EXAMPLE}."),
    ("plan Lillesand vedtatt 31. februar", NO_FEBRUARY_31),
    ("plan Lillesand vedtatt i morgen",
     "25. november 2026 er fram i tid: skriv datoen planen ble vedtatt eller prosessen "
     f"beskrevet, for eksempel {PLAN_EXAMPLE}."),
    ("plan Lillesand prosess 12.12.2026",
     "12. desember 2026 er fram i tid: skriv datoen planen ble vedtatt eller prosessen "
     f"beskrevet, for eksempel {PLAN_EXAMPLE}."),
    ("plan Atlantis vedtatt 12. mai", ATLANTIS),
    ("fase", f"Skriv kommunene og fasen (1–4), for eksempel {FASE_EXAMPLE}."),
    ("fase Lillesand",
     f"Skriv fasen som et tall fra 1 til 4 etter kommunene, for eksempel {FASE_EXAMPLE} "
     f"({PHASES})."),
    ("fase Lillesand 7",
     f"Fase 7 finnes ikke: reformen har fire faser, {PHASES}; skriv for eksempel "
     f"{FASE_EXAMPLE}."),
    ("fase Lillesand 0 i går",
     f"Fase 0 finnes ikke: reformen har fire faser, {PHASES}; skriv for eksempel "
     f"{FASE_EXAMPLE}."),
    ("fase 3", f"Skriv hvilke kommuner det gjelder før fasen, for eksempel {FASE_EXAMPLE}."),
    ("fase Lillesand 3 i høst",
     "«i høst» er ingen dato jeg kan lese; skriv for eksempel `/lhl fase Lillesand 3 1. mars`, "
     "eller ingen dato for i dag."),
    ("fase Lillesand 3 31. februar", NO_FEBRUARY_31),
    ("fase Lillesand 3 i morgen",
     "25. november 2026 er fram i tid: skriv datoen kommunen gikk over i fasen, eller ingen "
     f"dato for i dag, for eksempel {FASE_EXAMPLE}."),
    ("fase Atlantis 2", ATLANTIS),
]


@pytest.mark.parametrize(("line", "sentence"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_bad_input_gets_one_sentence_and_stores_nothing(runtime: Runtime, line: str,
                                                        sentence: str) -> None:
    before = stored(runtime)
    assert say(runtime, line) == escape(sentence)
    assert stored(runtime) == before


def test_writes_need_a_coordinator_of_the_kommunens_embete(runtime: Runtime) -> None:
    for line in ("plan Lillesand vedtatt 12. mai", "fase Lillesand 3"):
        assert say(runtime, line, KARI) == escape(texts.NO_ACCESS)
    grant(runtime, OLA, "Agder", "leser")
    grant(runtime, KARI, "Agder")
    for line in ("plan Lillesand vedtatt 12. mai", "fase Lillesand 3"):
        assert say(runtime, line, OLA) == texts.READER_ONLY.format(
            embete="Statsforvalteren i Agder")
    outside = texts.OUTSIDE_EMBETE.format(embete="Statsforvalteren i Agder", kommuner="Bergen")
    assert say(runtime, "plan Lillesand og Bergen vedtatt 12. mai", KARI) == outside
    assert say(runtime, "fase Bergen 3", KARI) == outside
    assert stored(runtime) == {"kommune_plan": 0, "kommune_fase": 0, "change_log": 2}, (
        "only the two grants")


# --- writing, and what status says ------------------------------------------------------------


def test_a_coordinator_records_plans_and_phases_and_status_shows_them(runtime: Runtime
                                                                      ) -> None:
    grant(runtime, KARI, "Agder")
    for line, said in [
        ("plan Lillesand og Birkenes prosess 1. mars",
         ["Lagret: prosess beskrevet for Lillesand og Birkenes 1. mars 2026."]),
        ("plan Lillesand vedtatt 12. mai", ["Lagret: plan vedtatt for Lillesand 12. mai 2026."]),
        ("plan Lillesand vedtatt 20. mai",
         ["Lillesand har allerede vedtatt plan per 20. mai 2026 (siden 12. mai 2026), så "
          "ingenting nytt ble lagret."]),
        ("plan Lillesand og Birkenes prosess 2. mars",
         ["Lillesand og Birkenes har alle allerede beskrevet prosess per 2. mars 2026, så "
          "ingenting nytt ble lagret."]),
        ("plan Birkenes og Iveland vedtatt 1. juni",
         ["Lagret: plan vedtatt for Birkenes og Iveland 1. juni 2026."]),
        ("plan Iveland og Vennesla vedtatt 2. juni",
         ["Lagret: plan vedtatt for Vennesla 2. juni 2026.",
          "Iveland hadde allerede vedtatt plan og ble ikke ført på nytt."]),
        ("fase Lillesand 2 1.5.2025",
         ["Lagret: Lillesand i fase 2 (kartlegging, planlegging og beslutning) fra 1. mai "
          "2025."]),
        ("fase Lillesand og Mandal 3",
         ["Mandal er en del av Lindesnes siden 2020.",
          "Lagret: Lillesand og Lindesnes i fase 3 (implementering og gjennomføring) fra "
          "24. november 2026."]),
        # Back-dated: on 23 November Lillesand was still in phase 2.
        ("fase Lillesand 3 i går",
         ["Lagret: Lillesand i fase 3 (implementering og gjennomføring) fra 23. november "
          "2026."]),
        ("fase Lindesnes 3",
         ["Lindesnes er allerede i fase 3 per 24. november 2026, så ingenting nytt ble "
          "lagret."]),
        ("fase Lillesand 3 i dag",
         ["Lillesand er allerede i fase 3 per 24. november 2026 (siden 23. november 2026), så "
          "ingenting nytt ble lagret."]),
        ("fase Lillesand og Lindesnes 3",
         ["Lillesand og Lindesnes er alle allerede i fase 3 per 24. november 2026, så ingenting "
          "nytt ble lagret."]),
    ]:
        assert lines(runtime, line, KARI) == said, line
    with runtime.db.read() as session:
        plans = session.exec(select(KommunePlan).order_by(col(KommunePlan.id))).all()
    assert [(p.kommune_nummer, p.status, p.dato, p.created_by) for p in plans] == [
        ("4215", "prosess", date(2026, 3, 1), KARI), ("4216", "prosess", date(2026, 3, 1), KARI),
        ("4215", "vedtatt", date(2026, 5, 12), KARI), ("4216", "vedtatt", date(2026, 6, 1), KARI),
        ("4218", "vedtatt", date(2026, 6, 1), KARI), ("4223", "vedtatt", date(2026, 6, 2), KARI),
    ]
    assert plans[0].created_at == NOW

    agder = lines(runtime, "status Agder")
    assert agder[-2:] == ["Vedtatt plan eller beskrevet prosess: 4 av 25 (16 %)",
                          "Fase: 1: 0 · 2: 0 · 3: 2 · 4: 0 · ikke ført: 23"]
    assert lines(runtime, "status Agder 2025")[-2:] == [
        "Vedtatt plan eller beskrevet prosess per 31. desember 2025: 0 av 25 (0 %)",
        "Fase per 31. desember 2025: 1: 0 · 2: 1 · 3: 0 · 4: 0 · ikke ført: 24",
    ]
    assert lines(runtime, "status Lillesand")[2:4] == [
        "Plan: vedtatt plan 12. mai 2026 (før: beskrevet prosess 1. mars 2026)",
        "Fase: 3 – implementering og gjennomføring, fra 23. november 2026 (før: 2 fra 1. mai "
        "2025)",
    ]
    assert lines(runtime, "status Lillesand 2025")[1:4] == [
        "Ingen dialogmøter ført i 2025.",
        "Plan per 31. desember 2025: ikke ført",
        "Fase per 31. desember 2025: 2 – kartlegging, planlegging og beslutning, fra 1. mai 2025",
    ]
    assert lines(runtime, "status Vennesla")[2:4] == ["Plan: vedtatt plan 2. juni 2026",
                                                      "Fase: ikke ført"]


def test_status_of_a_fylke_counts_its_own_kommuner(runtime: Runtime) -> None:
    # Skien is in Telemark, Larvik in Vestfold: one embete, two fylker.
    say(runtime, "plan Skien og Larvik vedtatt 1. mars")
    say(runtime, "fase Skien 4")
    telemark = lines(runtime, "status Telemark")
    n = int(telemark[1].removeprefix("Kommuner: "))
    assert telemark[-2:] == [f"Vedtatt plan eller beskrevet prosess: 1 av {n} ({round(100 / n)} %)",
                             f"Fase: 1: 0 · 2: 0 · 3: 0 · 4: 1 · ikke ført: {n - 1}"]
    assert "Vedtatt plan eller beskrevet prosess: 2 av 23 (9 %)" in say(
        runtime, "status Vestfold og Telemark")


def test_landet_shows_plan_and_phase_per_embete_in_a_section_of_their_own(
        runtime: Runtime) -> None:
    say(runtime, "plan Lillesand og Bergen vedtatt 1. mars")
    say(runtime, "fase Lillesand og Birkenes 3")
    say(runtime, "fase Bergen 2 1. mars")
    shown = reply_to(runtime, "status landet")
    assert_reply_within_limits(shown)
    section = shown.blocks[-1]["text"]["text"].splitlines()
    assert section[0] == "*Plan og fase*"
    assert section[1] == ("• Agder: vedtatt plan eller beskrevet prosess 1 av 25 (4 %); fase "
                          "1: 0 · 2: 0 · 3: 2 · 4: 0 · ikke ført: 23")
    assert ("• Vestland: vedtatt plan eller beskrevet prosess 1 av 43 (2 %); fase 1: 0 · 2: 1 · "
            "3: 0 · 4: 0 · ikke ført: 42") in section
    assert len(section) == 12, "a heading, ten embeter and the total"
    assert section[-1] == ("*Totalt:* vedtatt plan eller beskrevet prosess 2 av 357 (1 %); fase "
                           "1: 0 · 2: 1 · 3: 2 · 4: 0 · ikke ført: 354")
    assert "*Plan og fase per 31. desember 2025*" in say(runtime, "status landet 2025")


def test_landet_with_every_kommune_recorded_stays_within_slacks_limits(runtime: Runtime
                                                                        ) -> None:
    every = list(runtime.geo.kommuner)
    with runtime.db.write() as session:
        for i, fase in enumerate((1, 2, 3, 4)):
            add_entries(FASE_T, every, fase, date(2019 + i, 1, 1), by="U1", now=NOW,
                        session=session)
        add_entries(PLAN_T, every, "prosess", date(2020, 1, 1), by="U1", now=NOW,
                    session=session)
        add_entries(PLAN_T, every, "vedtatt", date(2021, 1, 1), by="U1", now=NOW,
                    session=session)
    shown = reply_to(runtime, "status landet")
    assert_reply_within_limits(shown)
    assert shown.text.splitlines()[-1] == (
        "*Totalt:* vedtatt plan eller beskrevet prosess 357 av 357 (100 %); fase 1: 0 · 2: 0 · "
        "3: 0 · 4: 357 · ikke ført: 0")
    assert "Fase per 31. desember 2020: 1: 0 · 2: 25 · 3: 0 · 4: 0 · ikke ført: 0" in say(
        runtime, "status Agder 2020")


def test_a_write_refreshes_the_cached_status(runtime: Runtime) -> None:
    assert "Vedtatt plan eller beskrevet prosess: 0 av 25 (0 %)" in say(runtime, "status Agder")
    revision = runtime.db.store_revision()
    say(runtime, "plan Lillesand vedtatt 12. mai")
    say(runtime, "fase Lillesand 3")
    assert runtime.db.store_revision() == revision + 2
    status = say(runtime, "status Agder")
    assert "Vedtatt plan eller beskrevet prosess: 1 av 25 (4 %)" in status
    assert "Fase: 1: 0 · 2: 0 · 3: 1 · 4: 0 · ikke ført: 24" in status


def test_help_names_both_commands(runtime: Runtime) -> None:
    helped = say(runtime, "hjelp")
    assert "/lhl plan &lt;kommuner&gt; vedtatt|prosess &lt;dato&gt;" in helped
    assert "/lhl fase &lt;kommuner&gt; &lt;1-4&gt; [dato]" in helped
    assert "1 forberedelse og oppstart" in say(runtime, "hjelp fase")


# --- as of a day, against a hand-built store --------------------------------------------------


def build_history(rt: Runtime) -> None:
    """Agder: Lillesand, Vennesla (and Birkenes and Iveland, undone); Vestland: Bergen."""
    for line in (
        "plan Vennesla vedtatt 1.12.2025",
        "plan Lillesand prosess 1.3.2026",
        "plan Lillesand vedtatt 12.5.2026",
        "plan Bergen prosess 1.2.2026",
        "fase Lillesand 1 1.3.2019",
        "fase Lillesand 2 1.1.2026",
        "fase Lillesand 3 1.6.2026",
        "fase Lillesand 2 1.9.2026",   # moved back a phase
        "fase Vennesla 2 1.6.2026",
        "fase Vennesla 3 1.6.2026",    # the same day, written later: this one
        "fase Bergen 4 1.4.2026",
        "plan Birkenes vedtatt 1.6.2026",
        "fase Iveland 1 1.2.2026",
    ):
        assert say(rt, line).startswith("Lagret"), line
    assert say(rt, "angre").startswith("Angret: fase 1 (forberedelse og oppstart) for Iveland")
    assert say(rt, "angre").startswith("Angret: plan vedtatt for Birkenes")


AS_OF = [
    # as of, plans (Agder, Vestland), phases in Agder, phases in Vestland
    (date(2019, 2, 28), (0, 0), {}, {}),
    (date(2019, 3, 1), (0, 0), {1: 1}, {}),
    (date(2025, 12, 31), (1, 0), {1: 1}, {}),
    (date(2026, 2, 1), (1, 1), {2: 1}, {}),           # Iveland's phase 1 was undone
    (date(2026, 3, 1), (2, 1), {2: 1}, {}),
    (date(2026, 4, 1), (2, 1), {2: 1}, {4: 1}),
    (date(2026, 6, 1), (2, 1), {3: 2}, {4: 1}),       # Birkenes's plan was undone
    (date(2026, 8, 31), (2, 1), {3: 2}, {4: 1}),
    (date(2026, 9, 1), (2, 1), {2: 1, 3: 1}, {4: 1}),
]


def test_counts_as_of_a_day(runtime: Runtime) -> None:
    build_history(runtime)
    k = {n: next(x.nummer for x in runtime.geo.kommuner.values() if x.navn == n)
         for n in ("Lillesand", "Bergen", "Vennesla")}
    with runtime.db.read() as session:
        for as_of, plans, agder, vestland in AS_OF:
            got = plan_counts_by_embete(as_of=as_of, session=session)
            assert (got.get("agder", 0), got.get("vestland", 0)) == plans, as_of
            assert set(got) <= {"agder", "vestland"}
            phases = phase_counts_by_embete(as_of=as_of, session=session)
            assert (phases.get("agder", {}), phases.get("vestland", {})) == (agder, vestland), (
                as_of)
            assert set(phases) <= {"agder", "vestland"}
            # One embete, and a set of kommuner (as for a fylke).
            assert plan_counts_by_embete(as_of=as_of, session=session,
                                         embete_id="vestland").get("agder") is None
            assert phase_counts_by_embete(as_of=as_of, session=session, embete_id="agder",
                                          kommuner=[k["Vennesla"], k["Bergen"]]).get(
                "agder", {}) == ({3: 1} if as_of >= date(2026, 6, 1) else {})
        status = {k["Lillesand"]: "prosess"}
        assert {n: e.value for n, e in current_as_of(
            PLAN_T, list(k.values()), date(2026, 4, 1), session=session).items()} == {
            **status, k["Bergen"]: "prosess", k["Vennesla"]: "vedtatt"}
    # The same figures through status, for an earlier year.
    assert lines(runtime, "status Agder 2025")[-2:] == [
        "Vedtatt plan eller beskrevet prosess per 31. desember 2025: 1 av 25 (4 %)",
        "Fase per 31. desember 2025: 1: 1 · 2: 0 · 3: 0 · 4: 0 · ikke ført: 24",
    ]


def test_a_plan_changed_reads_differently_before_and_after(runtime: Runtime) -> None:
    say(runtime, "plan Lillesand prosess 1. mars")
    say(runtime, "plan Lillesand vedtatt 12. mai")
    with runtime.db.read() as session:
        def status_on(day: date) -> str | None:
            found = current_as_of(PLAN_T, ["4215"], day, session=session).get("4215")
            return found.value if found else None
        assert [status_on(date(2026, m, d)) for m, d in ((2, 28), (3, 1), (5, 11), (5, 12))] == [
            None, "prosess", "prosess", "vedtatt"]
    assert lines(runtime, "status Lillesand")[2] == (
        "Plan: vedtatt plan 12. mai 2026 (før: beskrevet prosess 1. mars 2026)")


# --- angre and the change log -----------------------------------------------------------------


@pytest.mark.parametrize(("setup", "change", "undone"), [
    ([], "plan Lillesand og Birkenes vedtatt 12. mai",
     "Angret: plan vedtatt for Lillesand og Birkenes 12. mai 2026 (ført 24. november 2026 "
     "kl. 11.00)."),
    (["plan Lillesand prosess 1. mars"], "plan Lillesand og Iveland vedtatt 12. mai",
     "Angret: plan vedtatt for Lillesand og Iveland 12. mai 2026 (ført 24. november 2026 "
     "kl. 11.00)."),
    (["plan Lillesand prosess 1. mars"], "plan Lillesand og Iveland prosess 12. mai",
     "Angret: prosess beskrevet for Iveland 12. mai 2026 (ført 24. november 2026 kl. 11.00)."),
    (["fase Lillesand 2 1. mars"], "fase Lillesand 3",
     "Angret: fase 3 (implementering og gjennomføring) for Lillesand fra 24. november 2026 "
     "(ført 24. november 2026 kl. 11.00)."),
])
def test_angre_takes_back_a_plan_or_a_phase(runtime: Runtime, setup: list[str], change: str,
                                            undone: str) -> None:
    for line in setup:
        assert say(runtime, line).startswith("Lagret"), line
    before = rows_of(runtime)
    runtime.clock = lambda: LATER
    assert say(runtime, change).startswith("Lagret")
    assert rows_of(runtime) != before
    assert say(runtime, "angre") == undone
    assert rows_of(runtime) == before


def test_the_change_log_holds_the_rows_before_and_after(runtime: Runtime) -> None:
    grant(runtime, KARI, "Agder")
    say(runtime, "plan Lillesand og Birkenes vedtatt 12. mai", KARI)
    with runtime.db.read() as session:
        ids = list(session.exec(select(KommunePlan.id).order_by(col(KommunePlan.id))))
    state = {"ids": ids, "kommuner": ["4215", "4216"], "status": "vedtatt",
             "dato": "2026-05-12", "created_at": "2026-11-24T09:00:00+00:00"}
    runtime.clock = lambda: LATER
    say(runtime, "angre", KARI)
    with runtime.db.read() as session:
        made, undo = session.exec(select(Change).where(Change.changed_by == KARI)
                                  .order_by(col(Change.id))).all()
    assert (made.kind, made.record, made.record_id, made.before, made.after) == (
        changes.PLAN_RECORDED, "kommune_plan", str(ids[0]), None, state)
    assert made.undone_by == undo.id
    assert (undo.kind, undo.record, undo.record_id, undo.before, undo.after) == (
        changes.UNDO, "kommune_plan", str(ids[0]), state, None)
    assert stored(runtime)["kommune_plan"] == 0


def test_angre_says_so_when_the_rows_are_gone(runtime: Runtime) -> None:
    say(runtime, "fase Lillesand 3 1. mars")
    with runtime.db.write() as session:
        delete_entries(FASE_T, list(session.exec(select(KommuneFase.id))), session=session)
    assert say(runtime, "angre") == (
        "Jeg angrer ingenting: fasen for Lillesand fra 1. mars 2026 finnes ikke lenger.")


# --- the migration ----------------------------------------------------------------------------


def test_migration_adds_and_removes_the_two_histories(store_url: str) -> None:
    db = open_database(store_url)
    cfg = alembic_config(db.url)

    def to(revision: str, *, down: bool = False) -> None:
        migrate(db, revision, down=down)

    def tables() -> set[str]:
        with db.read() as session:
            return set(inspect(session.connection()).get_table_names())

    to("0006")
    assert not tables() & {"kommune_plan", "kommune_fase"}
    upgrade(db)
    assert {"kommune_plan", "kommune_fase"} <= tables()
    with db.read() as session:
        version = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version == ScriptDirectory.from_config(cfg).get_current_head()
    to("0006", down=True)
    assert not tables() & {"kommune_plan", "kommune_fase"}
    assert "event" in tables(), "the tables before it stay"
    db.dispose()
    # And up again, as the bot does at start, with the reference data it needs.
    db, _ = prepare(store_url)
    with db.write() as session:
        add_entries(FASE_T, ["4215"], 3, date(2026, 3, 1), by="U1", now=NOW, session=session)
    with db.read() as session:
        assert phase_counts_by_embete(as_of=date(2026, 3, 1), session=session) == {
            "agder": {3: 1}}
    db.dispose()


def test_the_store_refuses_a_phase_of_seven_and_an_unknown_status(store_url: str) -> None:
    db, _ = prepare(store_url)
    for table, value in ((FASE_T, 7), (PLAN_T, "kanskje")):
        with pytest.raises(IntegrityError, match=r"(?i)check"), db.write() as session:
            add_entries(table, ["4215"], value, date(2026, 3, 1), by="U1", now=NOW,
                        session=session)
    db.dispose()
