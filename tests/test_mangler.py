"""``/lhl mangler``: the kommuner still missing a milestone today, on the store with known
answers (``tests/support/report_store.py``; the clock at 20. april 2027), within Slack's limits
for the whole country."""

from __future__ import annotations

import re

import pytest

from bot.runtime import Runtime
from storage.reference import KOMMUNER_CSV, _read_csv, geography_from_rows
from tests.support.report_store import NOW, build
from tests.support.runtime import grant, reply_to, say
from tests.support.slack_limits import assert_reply_within_limits
from tests.support.store import set_clock
from voice.reply import escape

KARI = "UKARI01"
UNKNOWN = ("Jeg kjenner ikke «{word}» her. Skriv hva som mangler: `dialogmøte` (holdt i år), "
           "`tilbud`, `nettverk` (invitert), `deltar` eller `plan`, for eksempel "
           "`/lhl mangler dialogmøte Agder`.")


@pytest.fixture
def agder(runtime: Runtime) -> Runtime:
    build(runtime)
    return runtime


@pytest.fixture(scope="module")
def kommune_name() -> re.Pattern[str]:
    """Any kommune's name, longest first (``Evje og Hornnes`` before ``Evje``), whole."""
    names = sorted({k.basenavn for k in geography_from_rows(_read_csv(KOMMUNER_CSV))
                    .kommuner.values()}, key=len, reverse=True)
    return re.compile(rf"(?<![\wÆØÅæøå-])(?:{'|'.join(map(re.escape, names))})"
                      r"(?: \(planlagt [^)]+\))?(?![\wÆØÅæøå-])")


def listed(text: str, kommune_name: re.Pattern[str]) -> list[str]:
    """The kommuner named in a reply's list (the entries after the heading), with any
    «(planlagt …)», in the order shown."""
    names: list[str] = []
    for entry in text.split("\n\n")[1:]:
        if entry.startswith(("Neste side", "1 av dem")) or entry[:1].isdigit():
            continue
        names += kommune_name.findall(re.sub(r"^\*[^*]+\* \(\d+\): ", "", entry))
    return names


def test_missing_a_held_meeting_names_the_rest_sorted_with_planned_dates(
        agder: Runtime, kommune_name: re.Pattern[str]) -> None:
    text = say(agder, "mangler dialogmøte Agder")
    assert text.splitlines()[0] == (
        "*23 av 25 kommuner i Agder mangler gjennomført dialogmøte i 2027* per 20. april 2027")
    names = listed(text, kommune_name)
    assert len(names) == 23
    assert "Lillesand" not in names and "Arendal" not in names
    assert "Vennesla" in names  # the held meeting was undone
    assert "Grimstad (planlagt 12. juni 2027)" in names
    assert names[-2:] == ["Åmli", "Åseral"]  # Norwegian order: Å last
    assert text.endswith("1 av dem har et planlagt møte senere i år (datoen i parentes).")
    assert "Bergen" not in text


@pytest.mark.parametrize("word", ["dialogmøte", "holdt", "møte", "gjennomført", "Dialogmote"])
def test_the_words_for_a_held_meeting(agder: Runtime, word: str) -> None:
    assert say(agder, f"mangler {word} Agder").startswith("*23 av 25 kommuner i Agder mangler "
                                                          "gjennomført dialogmøte")


def test_each_milestone_counts_as_status_does(agder: Runtime,
                                              kommune_name: re.Pattern[str]) -> None:
    assert say(agder, "mangler tilbud Agder").splitlines()[0] == (
        "*21 av 25 kommuner i Agder mangler tilbud om dialogmøte i 2027* per 20. april 2027")
    assert "Grimstad" not in say(agder, "mangler tilbud Agder")  # a plan is an offer
    assert say(agder, "mangler nettverk Agder") == (
        "Alle 25 kommunene i Agder er invitert til læringsnettverk per 20. april 2027.")
    taking_part = say(agder, "mangler deltar Agder")
    assert taking_part.splitlines()[0] == (
        "*24 av 25 kommuner i Agder deltar ikke i læringsnettverk* per 20. april 2027")
    assert "Birkenes" in listed(taking_part, kommune_name)  # left on 1 April
    plan = say(agder, "mangler plan Agder")
    assert plan.splitlines()[0] == (
        "*23 av 25 kommuner i Agder mangler vedtatt plan eller beskrevet prosess* per "
        "20. april 2027")
    status = say(agder, "status Agder")
    for word, line in (("tilbud", "Fått tilbud om dialogmøte"),
                       ("dialogmøte", "Gjennomført dialogmøte"),
                       ("deltar", "Deltar i læringsnettverk"),
                       ("plan", "Vedtatt plan eller beskrevet prosess")):
        has = int(re.search(rf"^{line}: (\d+) av 25", status, re.M)[1])  # type: ignore[index]
        missing = int(say(agder, f"mangler {word} Agder").split()[0].strip("*"))
        assert has + missing == 25, word


def test_nettverk_means_not_invited_and_deltar_not_taking_part(agder: Runtime) -> None:
    assert say(agder, "mangler invitasjon Vestland").splitlines()[0] == (
        "*43 av 43 kommuner i Vestland mangler invitasjon til læringsnettverk* per "
        "20. april 2027")
    assert say(agder, "mangler læringsnettverk Vestland") == say(
        agder, "mangler nettverk Vestland")
    assert say(agder, "mangler deltakelse Vestland").splitlines()[0] == (
        "*43 av 43 kommuner i Vestland deltar ikke i læringsnettverk* per 20. april 2027")


def test_an_embete_of_two_fylker_is_listed_by_fylke(agder: Runtime) -> None:
    text = say(agder, "mangler plan Vestfold og Telemark")
    entries = text.split("\n\n")[1:]
    assert [e.split(":")[0] for e in entries] == ["*Telemark* (17)", "*Vestfold* (6)"]
    assert entries[1] == "*Vestfold* (6): Færder, Holmestrand, Horten, Larvik, Sandefjord og " \
                         "Tønsberg"


def test_the_own_embete_is_the_default_and_an_admin_names_one(agder: Runtime) -> None:
    grant(agder, KARI, "Agder")
    assert say(agder, "mangler dialogmøte", KARI) == say(agder, "mangler dialogmøte Agder")
    assert say(agder, "mangler Agder dialogmøte") == say(agder, "mangler dialogmøte Agder")
    assert say(agder, "mangler dialogmøte") == escape(
        "Skriv hvilket embete, for eksempel `/lhl mangler dialogmøte Agder`, eller "
        "`/lhl mangler dialogmøte landet`.")
    assert say(agder, "mangler plan Vestland", "UNOBODY1").startswith("*42 av 43 kommuner")


def test_the_whole_country_within_slacks_limits(runtime: Runtime,
                                                kommune_name: re.Pattern[str]) -> None:
    set_clock(runtime, NOW)
    reply = reply_to(runtime, "mangler dialogmøte landet")
    assert_reply_within_limits(reply)
    assert reply.text.splitlines()[0] == (
        "*357 av 357 kommuner i landet mangler gjennomført dialogmøte i 2027* per "
        "20. april 2027")
    assert len(listed(reply.text, kommune_name)) == 357
    entries = reply.text.split("\n\n")[1:]
    assert entries[0].startswith("*Agder* (25): Arendal, Birkenes, ")
    assert "*Østfold, Buskerud, Oslo og Akershus – Oslo* (1): Oslo" in entries
    assert say(runtime, "mangler dialogmøte landet side 2") == escape(
        "Listen har bare én side; skriv for eksempel `/lhl mangler dialogmøte landet side 1`.")


@pytest.mark.parametrize(("line", "sentence"), [
    ("mangler", UNKNOWN.split(". ", 1)[1]),
    ("mangler kaffe Agder", UNKNOWN.format(word="kaffe")),
    ("mangler dialogmøte Agdr", "Jeg kjenner ikke noe embete, fylke eller kommune som heter "
                                "«Agdr». Mente du Agder? Skriv `/lhl mangler <dialogmøte|tilbud|"
                                "nettverk|deltar|plan> [embete|landet]`, for eksempel "
                                "`/lhl mangler dialogmøte Agder`."),
    ("mangler plan Lillesand", "`mangler` lister kommunene i et embete eller et fylke; for én "
                               "kommune, skriv `/lhl status Lillesand`."),
])
def test_bad_input_gets_one_sentence(runtime: Runtime, line: str, sentence: str) -> None:
    set_clock(runtime, NOW)
    assert say(runtime, line) == escape(sentence)


@pytest.mark.parametrize(("line", "answer"), [
    ("mangler dialogmøte 2025", "`/lhl rapport Agder 2025`"),
    ("mangler plan Agder 2024", "`/lhl rapport Agder 2024`"),
    ("mangler plan Agder i fjor", "`/lhl rapport Agder 2026`"),
    ("mangler tilbud Vestland 2031", "`/lhl rapport Vestland 2026`"),
])
def test_a_year_gone_by_points_to_the_report(agder: Runtime, line: str, answer: str) -> None:
    assert say(agder, line) == ("`mangler` viser hva som mangler i dag; for et år som er gått, "
                                f"se {answer}.")


def test_this_year_is_today_and_a_former_kommunenummer_is_a_kommune(agder: Runtime) -> None:
    today = say(agder, "mangler plan Agder")
    assert say(agder, "mangler plan Agder i år") == today
    assert say(agder, "mangler plan Agder 2027") == today
    assert say(agder, "mangler plan 1902") == (
        "`mangler` lister kommunene i et embete eller et fylke; for én kommune, skriv "
        "`/lhl status Tromsø`.")


def test_a_fylke_that_shares_its_embete_lists_its_own_kommuner(
        agder: Runtime, kommune_name: re.Pattern[str]) -> None:
    troms = say(agder, "mangler plan Troms")
    assert troms.splitlines()[0] == (
        "*21 av 21 kommuner i Troms mangler vedtatt plan eller beskrevet prosess* "
        "per 20. april 2027")
    names = listed(troms, kommune_name)
    assert len(names) == 21 and "Tromsø" in names and "Alta" not in names
    telemark = say(agder, "mangler tilbud Telemark")
    assert telemark.startswith("*17 av 17 kommuner i Telemark mangler tilbud om dialogmøte")
    assert "Skien" in telemark and "Larvik" not in telemark
