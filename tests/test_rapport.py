"""``/lhl rapport``: the report's figures per a day against a store with known answers
(``tests/support/report_store.py``), the workbook and CSV read back, who may have which report,
bad input, Slack's limits, and that the report as of today agrees with ``status``.

The clock stands at tirsdag 20. april 2027 kl. 10.00 once the store is built.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import text

from bench.store import populate
from bot.runtime import Runtime
from commands.base import Context
from commands.rapport import LANDET_ONLY, NO_EMBETE, NO_GRANT, nearest_day, parse
from commands.report_facts import FIGURES, build_report, next_deadline
from storage.milestones import milestones
from storage.models import PLANNED
from storage.networks import network_counts_by_embete
from storage.plans import phase_counts_by_embete, plan_counts_by_embete
from storage.queries import counts_by_embete
from storage.reference import KOMMUNER_CSV, Geography, _read_csv, geography_from_rows
from tests.support.clock import OSLO, at
from tests.support.report_store import NOW, TODAY, build
from tests.support.runtime import ADMIN, grant, reply_to, runtime_on, say
from tests.support.slack_limits import assert_reply_within_limits
from tests.support.store import set_clock
from voice.reply import Reply, escape

KARI = "UKARI01"
"""Koordinator for Agder."""
LISE = "ULISE01"
"""Leser for Agder."""
NOBODY = "UNOBODY1"


@pytest.fixture
def agder(runtime: Runtime) -> Runtime:
    build(runtime)
    return runtime


def figures(text: str) -> dict[str, tuple[int, int]]:
    """``{"Fått tilbud om dialogmøte": (4, 25), …}`` from a reply's lines."""
    found = {}
    for f in FIGURES:
        m = re.search(rf"^{re.escape(f.words)}[^:\n]*: (\d+) av (\d+) \(", text, re.M)
        if m:
            found[f.words] = (int(m[1]), int(m[2]))
    return found


def expect(offered: int, held: int, held_or_planned: int, invited: int, taking_part: int,
           plan: int, total: int = 25) -> dict[str, tuple[int, int]]:
    values = (offered, held, held_or_planned, invited, taking_part, plan)
    return {f.words: (n, total) for f, n in zip(FIGURES, values, strict=True)}


def line_of(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


# --- the figures, per a day -------------------------------------------------------------------


def test_the_default_day_is_the_next_deadline_and_counts_this_years_meetings(
        agder: Runtime) -> None:
    text = say(agder, "rapport Agder")
    assert text.splitlines()[:3] == [
        "*Rapport for Statsforvalteren i Agder per 1. mai 2027*",
        "Dialogmøter fra 1. januar til 1. mai 2027, planlagte til 31. desember 2027; "
        "læringsnettverk, plan og fase per 1. mai 2027.",
        "1. mai 2027 er fram i tid: det som føres før den dagen, kan endre tallene.",
    ]
    # Offered: Lillesand, Arendal, Froland and Grimstad (planned); held: Lillesand and
    # Arendal, not last year's meeting, Birkenes's meeting with the mayors, undone Vennesla
    # or Bergen; Birkenes left «Mat» on 1 April; plans: Lillesand and Arendal.
    assert figures(text) == expect(4, 2, 3, 25, 1, 2)
    assert "Kommuner: 25" in text
    assert line_of(text, "Fase:") == "Fase: 1: 0 · 2: 1 · 3: 1 · 4: 0 · ikke ført: 23"
    assert line_of(text, "*Møter holdt") == (
        "*Møter holdt fra 1. januar til 1. mai 2027:* 2 dialogmøter og 1 møte med ordfører "
        "eller kommunedirektør")
    assert line_of(text, "*Konferanser") == (
        "*Konferanser og seminarer i 2027:* holdt 1 (1 seminar), planlagt resten av året 1 "
        "(1 konferanse)")
    assert "• seminar «Matvennlig» 19. april 2027" in text
    assert "• konferanse «Leve hele livet i Agder» 12. mai 2027 (planlagt)" in text
    assert "Vestlandskonferansen" not in text


def test_per_a_day_before_the_changes(agder: Runtime) -> None:
    text = say(agder, "rapport Agder per 1. april")
    assert text.splitlines()[0] == "*Rapport for Statsforvalteren i Agder per 1. april 2027*"
    assert "fram i tid" not in text
    # Arendal's process (10 April) is after the day; Birkenes left that day; the plan for
    # Grimstad was only made on 20 April, so it is neither offered nor planned on 1 April;
    # both phases were 2 on 1 April.
    assert figures(text) == expect(3, 2, 2, 25, 1, 1)
    assert line_of(text, "Fase:") == "Fase: 1: 0 · 2: 2 · 3: 0 · 4: 0 · ikke ført: 23"
    # The seminar of 19 April lies after the day.
    assert line_of(text, "*Konferanser") == (
        "*Konferanser og seminarer i 2027:* holdt 0, planlagt resten av året 2 (1 konferanse og "
        "1 seminar)")
    day_before = say(agder, "rapport Agder per 31.03.2027")
    assert figures(day_before)["Deltar i læringsnettverk"] == (2, 25)


def test_a_plan_dated_between_today_and_a_day_ahead_counts_as_planned(agder: Runtime) -> None:
    # Grimstad's meeting on 12 June lies between today (20 April) and 1 July: booked before
    # the day, it counts as planned as much as a meeting booked after it would.
    text = say(agder, "rapport Agder per 1. juli")
    assert "fram i tid" in text
    assert figures(text) == expect(4, 2, 3, 25, 1, 2)
    assert figures(say(agder, "rapport Agder per 1. november 2027")) == figures(text)


def test_a_day_before_anything_and_a_year_gone_by(agder: Runtime) -> None:
    january = say(agder, "rapport Agder per 1. januar 2027")
    # Nothing of 2027 was recorded by 1 January (Grimstad's plan was made on 20 April).
    assert figures(january) == expect(0, 0, 0, 0, 0, 0)
    last_year = say(agder, "rapport Agder 2026")
    assert last_year.splitlines()[0] == (
        "*Rapport for Statsforvalteren i Agder per 31. desember 2026*")
    assert figures(last_year) == expect(1, 1, 1, 0, 0, 0)
    assert line_of(last_year, "*Møter holdt") == (
        "*Møter holdt fra 1. januar til 31. desember 2026:* 1 dialogmøte")
    assert line_of(last_year, "*Konferanser") == (
        "*Konferanser og seminarer i 2026:* holdt 0, planlagt resten av året 0")
    assert say(agder, "rapport 2026 Agder") == last_year, "the year may come first"


def test_the_next_year_points_to_this_years_report(agder: Runtime) -> None:
    agder.clock = lambda: at(2027, 11, 24, 10)
    text = say(agder, "rapport Agder")
    assert text.splitlines()[0] == "*Rapport for Statsforvalteren i Agder per 1. mai 2028*"
    assert "Møtene i 2027 ser du med `/lhl rapport Agder 2027`." in text
    assert figures(text)["Gjennomført dialogmøte"] == (0, 25)
    assert figures(text)["Deltar i læringsnettverk"] == (1, 25)


def test_the_other_embete_counts_only_its_own(agder: Runtime) -> None:
    text = say(agder, "rapport Vestland per i dag")
    assert figures(text) == expect(1, 1, 1, 0, 0, 1, total=43)
    assert line_of(text, "*Konferanser") == (
        "*Konferanser og seminarer i 2027:* holdt 0, planlagt resten av året 1 (1 konferanse)")


def test_the_draft_says_the_facts_and_is_marked_as_a_draft(agder: Runtime) -> None:
    text = say(agder, "rapport Agder")
    draft = text.split("*Utkast – rediger før du sender*\n", 1)[1].split("\n\n")
    assert draft[0] == (
        "Per 1. mai 2027 har 4 av 25 (16 %) kommuner i Agder fått tilbud om dialogmøte i "
        "2027, og 2 av 25 (8 %) har gjennomført dialogmøte. Regnet med møtene som er planlagt "
        "resten av året, har 3 av 25 (12 %) gjennomført eller planlagt dialogmøte. 23 "
        "kommuner mangler gjennomført dialogmøte: Birkenes, Bygland, Bykle, Evje og Hornnes, "
        "Farsund og 18 andre. 1 av dem har et planlagt møte.")
    assert draft[1] == ("25 av 25 (100 %) er invitert til læringsnettverk, og 1 av 25 (4 %) "
                        "deltar.")
    assert draft[2] == (
        "2 av 25 (8 %) har vedtatt plan eller beskrevet prosess (1 vedtatt plan og 1 beskrevet "
        "prosess). 1 kommune er i fase 2 og 1 i fase 3; for 23 er fasen ikke ført.")
    assert draft[3].startswith(
        "Fra 1. januar til 1. mai 2027 er det holdt 2 dialogmøter og 1 møte med ordfører eller "
        "kommunedirektør. Embetet har holdt 1 seminar i 2027, og 1 konferanse er planlagt "
        "resten av året.")


def test_landet_has_a_row_per_embete_and_the_total(agder: Runtime) -> None:
    reply = reply_to(agder, "rapport landet per i dag")
    assert_reply_within_limits(reply)
    text = reply.text
    assert text.splitlines()[0] == "*Rapport for hele landet per 20. april 2027*"
    rows = [line for line in text.splitlines() if line.startswith("• ")]
    assert len(rows) == 10
    assert rows[0] == (
        "• Agder (25): fått tilbud 4 av 25 (16 %), gjennomført 2 av 25 (8 %), gjennomført "
        "eller planlagt 3 av 25 (12 %), invitert til læringsnettverk 25 av 25 (100 %), deltar "
        "i læringsnettverk 1 av 25 (4 %), plan eller prosess 2 av 25 (8 %)")
    assert figures(text) == expect(5, 3, 4, 25, 1, 3, total=357)
    assert line_of(text, "*Møter holdt") == (
        "*Møter holdt fra 1. januar til 20. april 2027:* 3 dialogmøter og 1 møte med ordfører "
        "eller kommunedirektør")
    assert ("354 kommuner mangler gjennomført dialogmøte, flest i Østfold, Buskerud, Oslo og "
            "Akershus (52), Innlandet (46) og Vestland (42).") in text


def test_the_report_says_which_embete_a_fylke_belongs_to(agder: Runtime) -> None:
    text = say(agder, "rapport Telemark per i dag")
    assert text.splitlines()[:2] == [
        "Rapporten gjelder hele embetet: Telemark hører til Statsforvalteren i Vestfold og "
        "Telemark.",
        "*Rapport for Statsforvalteren i Vestfold og Telemark per 20. april 2027*"]


# --- the report agrees with status ------------------------------------------------------------


def test_the_report_as_of_today_says_what_status_says(agder: Runtime) -> None:
    for place in ("Agder", "Vestland", "Nordland"):
        report = say(agder, f"rapport {place} per i dag")
        status = say(agder, f"status {place}")
        assert figures(report) == figures(status), place
        assert line_of(report, "Fase:") == line_of(status, "Fase:")


def agree_with_status(rt: Runtime, today: date) -> None:
    """For every embete, the report's counts as of ``today`` are the figures' counts."""
    ctx = Context(user_id=ADMIN, is_admin=True, now=datetime.combine(today, NOW.timetz()),
                  tz=OSLO, geo=rt.geo)
    with rt.db.read() as session:
        report = build_report(None, today, ctx=ctx, session=session)
        counts = counts_by_embete(today.year, today=today, tz=OSLO, session=session)
        networks = network_counts_by_embete(as_of=today, session=session)
        plans = plan_counts_by_embete(as_of=today, session=session)
        phases = phase_counts_by_embete(as_of=today, session=session)
    for part in report.parts:
        assert part.embete is not None
        e = part.embete.id
        c, w = counts.get(e), networks.get(e)
        assert (part.count("offered"), part.count("held"), part.count("held_or_planned")) == (
            (c.offered, c.held, c.held_or_planned) if c else (0, 0, 0)), e
        assert (part.count("invited"), part.count("taking_part")) == (
            (w.invited, w.participating) if w else (0, 0)), e
        assert part.count("plan") == plans.get(e, 0), e
        assert part.phases() == phases.get(e, {}), e


def test_the_report_agrees_with_the_figures_on_the_hand_built_store(agder: Runtime) -> None:
    # Only as of the day the store was written: ``status`` has no "as of" for plans, and
    # counts Grimstad's plan (recorded 20 April) on any day, which a report per 1 April must
    # not (see test_per_a_day_before_the_changes).
    agree_with_status(agder, TODAY)


def test_the_report_agrees_with_the_figures_on_a_bench_store(tmp_path: Path) -> None:
    """A seeded store of every kind of record (``bench/store.py``): meetings of every status
    over years, plans ahead and passed, networks ended and left, plan and phase histories.

    The bench dates held meetings and offers up to 31 December whatever the day; the bot
    refuses both ahead of today (``logg-møte``, ``tilby-møte``), and ``status`` would count
    them for the year while the report per today does not, so they are taken out first."""
    today = date(2026, 11, 24)
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    populate(url, meetings=3000, today=today)
    with runtime_on(url) as rt:
        with rt.db.write() as session:
            ahead = {"today": today, "planned": PLANNED}
            session.execute(text("DELETE FROM meeting_kommune WHERE dato > :today "
                                 "AND status != :planned"), ahead)
            session.execute(text("DELETE FROM dialogue_meeting WHERE dato > :today "
                                 "AND status != :planned"), ahead)
        agree_with_status(rt, today)


# --- the files --------------------------------------------------------------------------------


def workbook_of(reply: Reply) -> dict[str, Worksheet]:
    (file,) = reply.files
    book = load_workbook(io.BytesIO(file.content))
    return {name: book[name] for name in book.sheetnames}


def rows_of(ws: Worksheet) -> list[tuple[object, ...]]:
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def test_the_workbook_holds_the_figures_and_a_row_per_kommune(agder: Runtime) -> None:
    reply = reply_to(agder, "rapport Agder")
    (file,) = reply.files
    assert file.filename == "lhl-rapport-agder-2027-05-01.xlsx"
    assert file.title == "Rapport Agder per 1. mai 2027"
    assert "arbeidsboken lhl-rapport-agder-2027-05-01.xlsx" in reply.text
    sheets = workbook_of(reply)
    assert list(sheets) == ["Sammendrag", "Kommuner"]
    summary = sheets["Sammendrag"]
    by_label = {r[0].value: r for r in summary.iter_rows() if r and r[0].value}
    per = by_label["Per"][1]
    assert per.is_date and per.value == datetime(2027, 5, 1) and per.number_format == (
        "dd.mm.yyyy")
    offered = by_label["Fått tilbud om dialogmøte"]
    assert [c.value for c in offered[1:4]] == [4, 25, 0.16]
    assert offered[1].data_type == "n" and offered[3].number_format == "0 %"
    assert [c.value for c in by_label["Deltar i læringsnettverk"][1:4]] == [1, 25, 0.04]
    assert by_label["Fase 3 – implementering og gjennomføring"][1].value == 1
    assert by_label["Fase ikke ført"][1].value == 23
    assert by_label["Dialogmøter"][1].value == 2
    assert by_label["Møter med ordfører eller kommunedirektør"][1].value == 1
    assert [c.value for c in by_label["Seminarer"][1:3]] == [1, 0]
    assert [c.value for c in by_label["Konferanser"][1:3]] == [0, 1]
    assert by_label["Utkast – rediger før du sender"][0].font.b
    texts = [r[0] for r in rows_of(summary) if r and isinstance(r[0], str)]
    assert any(t.startswith("Per 1. mai 2027 har 4 av 25 (16 %) kommuner") for t in texts)

    kommuner = sheets["Kommuner"]
    header, *rows = rows_of(kommuner)
    assert header == (
        "Kommunenummer", "Kommune", "Fylke", "Første tilbud om dialogmøte",
        "Første gjennomførte dialogmøte", "Planlagt dialogmøte",
        "Første invitasjon til læringsnettverk", "Deltar i læringsnettverk fra", "Plan",
        "Plan fra", "Fase", "Fase fra")
    assert all(c.font.b for c in kommuner[1])
    assert kommuner.freeze_panes == "A2"
    assert kommuner.auto_filter.ref == "A1:L26"
    assert len(rows) == 25 and [r[0] for r in rows] == sorted(r[0] for r in rows)
    by_name = {r[1]: r for r in rows}
    assert by_name["Lillesand"] == (
        "4215", "Lillesand", "Agder", datetime(2027, 2, 10), datetime(2027, 2, 10), None,
        datetime(2027, 1, 2), datetime(2027, 2, 1), "vedtatt plan", datetime(2027, 3, 1), 3,
        datetime(2027, 4, 15))
    assert by_name["Grimstad"][3:6] == (datetime(2027, 6, 12), None, datetime(2027, 6, 12))
    assert by_name["Birkenes"][6:8] == (datetime(2027, 1, 2), None)  # left on 1 April
    assert by_name["Vennesla"][3:5] == (None, None)  # undone
    lillesand = next(r for r in kommuner.iter_rows(min_row=2) if r[1].value == "Lillesand")
    assert lillesand[3].is_date and lillesand[3].number_format == "dd.mm.yyyy"
    assert lillesand[0].data_type == "s" and lillesand[10].data_type == "n"
    assert kommuner.column_dimensions["B"].width >= len("Evje og Hornnes")


def test_the_national_workbook_has_every_kommune_and_a_sheet_of_embeter(
        agder: Runtime) -> None:
    reply = reply_to(agder, "rapport landet per 20.04.2027")
    assert reply.files[0].filename == "lhl-rapport-landet-2027-04-20.xlsx"
    sheets = workbook_of(reply)
    assert list(sheets) == ["Sammendrag", "Embeter", "Kommuner"]
    header, *rows = rows_of(sheets["Kommuner"])
    assert header[3] == "Embete" and len(rows) == 357
    assert len({r[0] for r in rows}) == 357
    assert next(r for r in rows if r[1] == "Bergen")[3] == "Statsforvalteren i Vestland"
    header, *embeter = rows_of(sheets["Embeter"])
    assert header[:4] == ("Embete", "Kommuner", "Fått tilbud om dialogmøte",
                          "Fått tilbud om dialogmøte (andel)")
    assert embeter[0][:4] == ("Statsforvalteren i Agder", 25, 4, 0.16)
    assert embeter[-1][:4] == ("Hele landet", 357, 5, pytest.approx(5 / 357))
    assert sum(r[1] for r in embeter[:-1]) == 357


def test_csv_gives_the_kommune_rows_for_norwegian_excel(agder: Runtime) -> None:
    for line in ("rapport Agder --csv", "rapport Agder csv", "rapport Agder —csv"):
        reply = reply_to(agder, line)
        (file,) = reply.files
        assert file.filename == "lhl-rapport-agder-2027-05-01.csv", line
    assert file.content.startswith(b"\xef\xbb\xbf")
    assert "Én rad per kommune med datoene står i filen lhl-rapport-agder-2027-05-01.csv." in (
        reply.text)
    header, *rows = list(csv.reader(io.StringIO(file.content.decode("utf-8-sig")),
                                    delimiter=";"))
    assert header[:4] == ["Kommunenummer", "Kommune", "Fylke", "Første tilbud om dialogmøte"]
    assert len(rows) == 25
    lillesand = next(r for r in rows if r[1] == "Lillesand")
    assert lillesand == ["4215", "Lillesand", "Agder", "2027-02-10", "2027-02-10", "",
                         "2027-01-02", "2027-02-01", "vedtatt plan", "2027-03-01", "3",
                         "2027-04-15"]


# --- who may have which report ----------------------------------------------------------------


def test_who_may_have_which_report(agder: Runtime) -> None:
    grant(agder, KARI, "Agder")
    grant(agder, LISE, "Agder", "leser")
    assert say(agder, "rapport Agder", NOBODY) == escape(NO_GRANT)
    assert say(agder, "rapport landet", NOBODY) == escape(NO_GRANT)
    assert say(agder, "rapport", KARI).startswith("*Rapport for Statsforvalteren i Agder")
    assert say(agder, "rapport Vestland", KARI).startswith(
        "*Rapport for Statsforvalteren i Vestland")
    assert say(agder, "rapport landet", KARI) == escape(LANDET_ONLY)
    assert say(agder, "rapport", LISE).startswith("*Rapport for Statsforvalteren i Agder")
    assert say(agder, "rapport landet", LISE).startswith("*Rapport for hele landet")
    assert say(agder, "rapport") == escape(NO_EMBETE)
    assert say(agder, "rapport landet").startswith("*Rapport for hele landet")


@pytest.mark.parametrize(("line", "sentence"), [
    ("rapport Agdr", "Jeg kjenner ikke noe embete, fylke eller kommune som heter «Agdr». Mente "
                     "du Agder? Skriv `/lhl rapport [embete|landet] [per <dato>|<år>] [--csv]`, "
                     "for eksempel `/lhl rapport Agder per 1. mai 2027`."),
    ("rapport Agder per blå mandag", "«blå mandag» er ingen dato jeg kan lese; skriv for "
                                     "eksempel `/lhl rapport Agder per 1. mai 2027` eller "
                                     "`/lhl rapport Agder 2026`."),
    ("rapport Agder per", "Datoen mangler etter «per»; skriv for eksempel `/lhl rapport Agder "
                          "per 1. mai 2027` eller `/lhl rapport Agder 2026`."),
    ("rapport Agder per 31. februar", "31. februar finnes ikke: februar har 28 dager (29 i "
                                      "skuddår). Skriv en dato som finnes, for eksempel "
                                      "«28. februar»."),
    ("rapport Agder 2017", "Året må være mellom 2019 og 2028, for eksempel `/lhl rapport Agder "
                           "2026`."),
    ("rapport Agder per 1. mai 2031", "Rapporten kan gjelde en dag fra 2019 til og med 2028, "
                                      "for eksempel `/lhl rapport Agder per 1. mai 2027`."),
    ("rapport Lillesand", "Rapporten gjelder et embete eller hele landet; for én kommune, "
                          "skriv `/lhl status Lillesand`."),
])
def test_bad_input_gets_one_sentence_and_no_file(runtime: Runtime, line: str,
                                                 sentence: str) -> None:
    set_clock(runtime, NOW)
    reply = reply_to(runtime, line)
    assert reply.text == escape(sentence)
    assert reply.files == ()


# --- reading the day --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def geo() -> Geography:
    return geography_from_rows(_read_csv(KOMMUNER_CSV))


@pytest.mark.parametrize(("today", "deadline"), [
    (date(2027, 1, 5), date(2027, 5, 1)),
    (date(2027, 5, 1), date(2027, 5, 1)),
    (date(2027, 5, 2), date(2027, 11, 1)),
    (date(2027, 11, 1), date(2027, 11, 1)),
    (date(2027, 11, 2), date(2028, 5, 1)),
])
def test_the_next_deadline(today: date, deadline: date) -> None:
    assert next_deadline(today) == deadline


@pytest.mark.parametrize(("now", "written", "day"), [
    (at(2026, 12, 4), "1. mai", date(2027, 5, 1)),
    (at(2026, 12, 4), "1. november", date(2026, 11, 1)),
    (at(2027, 6, 10), "1. mai", date(2027, 5, 1)),
    (at(2027, 6, 10), "1. mai 2026", date(2026, 5, 1)),
    (at(2027, 6, 10), "i dag", date(2027, 6, 10)),
    (at(2027, 6, 10), "noe", None),
])
def test_a_day_without_a_year_is_the_nearest(now: datetime, written: str,
                                             day: date | None) -> None:
    assert nearest_day(written, now) == day


@pytest.mark.parametrize(("text", "per", "kind"), [
    ("", None, "xlsx"),
    ("Agder", None, "xlsx"),
    ("Agder per 1. mai", date(2027, 5, 1), "xlsx"),
    ("Agder 1. mai 2027", date(2027, 5, 1), "xlsx"),
    ("Agder 2025", date(2025, 12, 31), "xlsx"),
    ("Agder i fjor --csv", date(2026, 12, 31), "csv"),
    ("csv per 2025", date(2025, 12, 31), "csv"),
    ("landet per i går", date(2027, 4, 19), "xlsx"),
])
def test_the_grammar(geo: Geography, text: str, per: date | None, kind: str) -> None:
    args = parse(text, Context(user_id=ADMIN, is_admin=True, now=NOW, tz=OSLO, geo=geo))
    assert (args.per, args.kind) == (per, kind)


def test_milestones_of_no_kommuner_is_nothing(agder: Runtime) -> None:
    with agder.db.read() as session:
        assert milestones([], first=TODAY, last=TODAY, tz=OSLO, session=session) == {}
