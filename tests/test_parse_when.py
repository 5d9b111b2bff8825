"""When a reminder fires, as coordinators type it, relative to a fixed Tuesday."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

import pytest

from commands.base import UsageError
from commands.parse.when import parse_deadlines, parse_when, split_quoted
from schedules.rules import (
    Deadlines,
    MonthlyDay,
    MonthlyWeekday,
    Once,
    Rule,
    Weekly,
    describe,
    next_occurrence,
)
from tests.support.clock import NOW, OSLO, at


@pytest.mark.parametrize(("text", "expected"), [
    ("om 10 minutter", Once(at(2026, 11, 24, 10, 10))),
    ("om 1 minutt", Once(at(2026, 11, 24, 10, 1))),
    ("om 2 timer", Once(at(2026, 11, 24, 12))),
    ("om en time", Once(at(2026, 11, 24, 11))),
    ("om et kvarter", Once(at(2026, 11, 24, 10, 15))),
    ("om 2 dager", Once(at(2026, 11, 26, 10))),
    ("om 2 dager kl 9", Once(at(2026, 11, 26, 9))),
    ("om en uke", Once(at(2026, 12, 1, 10))),
    ("i morgen kl 9", Once(at(2026, 11, 25, 9))),
    ("I morgen kl. 09.00", Once(at(2026, 11, 25, 9))),
    ("kl 9 i morgen", Once(at(2026, 11, 25, 9))),
    ("i dag kl 15.30", Once(at(2026, 11, 24, 15, 30))),
    ("i dag 15:30", Once(at(2026, 11, 24, 15, 30))),
    ("kl 14", Once(at(2026, 11, 24, 14))),
    ("12. mai kl 10", Once(at(2027, 5, 12, 10))),     # passed this year: next year
    ("12.05 kl 10", Once(at(2027, 5, 12, 10))),
    ("12. mai", Once(at(2027, 5, 12, 9))),            # no time: 09.00
    ("i morgen", Once(at(2026, 11, 25, 9))),
    ("1. desember kl 10", Once(at(2026, 12, 1, 10))),
    ("tirsdag 1. desember kl 10", Once(at(2026, 12, 1, 10))),
    ("1.12.2026 kl 10", Once(at(2026, 12, 1, 10))),
    ("2026-12-01 kl 10", Once(at(2026, 12, 1, 10))),
    ("12. mai 2027 kl 10", Once(at(2027, 5, 12, 10))),
    ("fredag kl 14", Once(at(2026, 11, 27, 14))),
    ("på fredag kl 14", Once(at(2026, 11, 27, 14))),
    ("tirsdag kl 11", Once(at(2026, 11, 24, 11))),    # today, still ahead
    ("tirsdag kl 9", Once(at(2026, 12, 1, 9))),       # today has passed: next week
    ("neste fredag kl 9", Once(at(2026, 12, 4, 9))),
    ("kommende fredag kl 14", Once(at(2026, 11, 27, 14))),
    ("først kommende tirsdag kl 11", Once(at(2026, 12, 1, 11))),  # after today, as in logging
    ("den 30. kl 10", Once(at(2026, 11, 30, 10))),
    ("24. november kl 11", Once(at(2026, 11, 24, 11))),           # today, still ahead
    ("lørdag 1. mai 2027 kl 10", Once(at(2027, 5, 1, 10))),  # one-offs never move
    ("i morgen kl 9 varsel 15 minutter før", Once(at(2026, 11, 25, 9), 15)),
    ("i morgen kl 9, varsel 1 time før", Once(at(2026, 11, 25, 9), 60)),
    ("12. mai kl 10 varsel 2 dager før", Once(at(2027, 5, 12, 10), 2880)),
    ("i morgen kl 9 varsel et kvarter før", Once(at(2026, 11, 25, 9), 15)),
])
def test_one_offs(text: str, expected: Once) -> None:
    rule = parse_when(text, NOW)
    assert rule == expected
    assert isinstance(rule, Once) and rule.at.tzinfo is OSLO


def test_om_keeps_the_seconds_of_now() -> None:
    now = at(2026, 11, 24, 10, 0, 37).replace(microsecond=500)
    assert parse_when("om 1 minutt", now) == Once(at(2026, 11, 24, 10, 1, 37))


def test_om_hours_count_real_time_across_daylight_saving() -> None:
    now = at(2027, 3, 28, 1, 30)
    rule = parse_when("om 1 time", now)
    assert isinstance(rule, Once)
    assert rule.at == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert rule.at.replace(tzinfo=None) == datetime(2027, 3, 28, 3, 30)


@pytest.mark.parametrize(("text", "expected", "first"), [
    ("hver mandag kl 9", Weekly(0, time(9)), at(2026, 11, 30)),
    ("hver mandag kl 9 varsel 15 minutter før", Weekly(0, time(9), lead_minutes=15),
     at(2026, 11, 30, 8, 45)),
    ("mandag hver uke kl 9", Weekly(0, time(9)), at(2026, 11, 30)),
    ("hver søndag kl 2.30", Weekly(6, time(2, 30)), at(2026, 11, 29, 2, 30)),
    ("hver første tirsdag kl 10", MonthlyWeekday(1, 1, time(10)), at(2026, 12, 1, 10)),
    ("hver 1. tirsdag kl 10", MonthlyWeekday(1, 1, time(10)), at(2026, 12, 1, 10)),
    ("første tirsdag i måneden kl 10", MonthlyWeekday(1, 1, time(10)), at(2026, 12, 1, 10)),
    ("første tirsdag hver måned kl 10", MonthlyWeekday(1, 1, time(10)), at(2026, 12, 1, 10)),
    ("hver måned første tirsdag kl 10", MonthlyWeekday(1, 1, time(10)), at(2026, 12, 1, 10)),
    ("andre tirsdag i måneden kl 10", MonthlyWeekday(2, 1, time(10)), at(2026, 12, 8, 10)),
    ("siste fredag i måneden kl 12", MonthlyWeekday(-1, 4, time(12)), at(2026, 11, 27, 12)),
    ("hver siste fredag kl 12", MonthlyWeekday(-1, 4, time(12)), at(2026, 11, 27, 12)),
    ("hver måned den 15. kl 9", MonthlyDay(15, time(9)), at(2026, 12, 15)),
    ("den 15. hver måned kl 9", MonthlyDay(15, time(9)), at(2026, 12, 15)),
    ("den 15. i måneden kl 9", MonthlyDay(15, time(9)), at(2026, 12, 15)),
    ("den 31. hver måned kl 9", MonthlyDay(31, time(9)), at(2026, 11, 30)),
    # Every other: counted from the first occurrence, which becomes the anchor.
    ("annenhver måned den 15. kl 9", MonthlyDay(15, time(9), 2, date(2026, 12, 15)),
     at(2026, 12, 15)),
    ("den 15. annenhver måned kl 9", MonthlyDay(15, time(9), 2, date(2026, 12, 15)),
     at(2026, 12, 15)),
    ("annenhver uke på mandag kl 9", Weekly(0, time(9), 2, date(2026, 11, 30)),
     at(2026, 11, 30)),
    ("annenhver mandag kl 9", Weekly(0, time(9), 2, date(2026, 11, 30)), at(2026, 11, 30)),
    ("hver annen mandag kl 9", Weekly(0, time(9), 2, date(2026, 11, 30)), at(2026, 11, 30)),
    ("hver andre tirsdag kl 9", Weekly(1, time(9), 2, date(2026, 12, 1)), at(2026, 12, 1)),
    ("annenhver tirsdag kl 11", Weekly(1, time(11), 2, date(2026, 11, 24)),
     at(2026, 11, 24, 11)),
    ("hver 3. uke på fredag kl 8", Weekly(4, time(8), 3, date(2026, 11, 27)),
     at(2026, 11, 27, 8)),
    ("annenhver måned første tirsdag kl 10",
     MonthlyWeekday(1, 1, time(10), 2, date(2026, 12, 1)), at(2026, 12, 1, 10)),
    ("første tirsdag annenhver måned kl 10",
     MonthlyWeekday(1, 1, time(10), 2, date(2026, 12, 1)), at(2026, 12, 1, 10)),
    # The first Tuesday of November has passed: the count starts in December.
    ("annenhver måned siste fredag kl 12",
     MonthlyWeekday(-1, 4, time(12), 2, date(2026, 11, 27)), at(2026, 11, 27, 12)),
])
def test_recurrences(text: str, expected: Rule, first: datetime) -> None:
    rule = parse_when(text, NOW)
    assert rule == expected
    occ = next_occurrence(rule, after=NOW, tz=OSLO)
    assert occ is not None and occ.due == first


def test_the_first_of_an_every_other_rule_is_the_next_one_not_the_week_after() -> None:
    rule = parse_when("annenhver mandag kl 9", at(2026, 12, 1, 10))
    occ = next_occurrence(rule, after=at(2026, 12, 1, 10), tz=OSLO)
    assert occ is not None and occ.due == at(2026, 12, 7)


@pytest.mark.parametrize(("text", "words"), [
    ("hver første tirsdag kl 10", "første tirsdag i måneden kl. 10.00"),
    ("annenhver måned den 15. kl 9", "annenhver måned den 15. kl. 09.00"),
    ("annenhver uke på mandag kl 9", "annenhver uke på mandag kl. 09.00"),
    ("i morgen kl 9 varsel 15 minutter før",
     "én gang, onsdag 25. november 2026 kl. 09.00, varsel 15 minutter før"),
])
def test_parsed_rules_in_words(text: str, words: str) -> None:
    assert describe(parse_when(text, NOW)) == words


@pytest.mark.parametrize(("text", "message"), [
    ("", "Skriv når påminnelsen skal komme"),
    ("blah", "Jeg forstår ikke når «blah» er; skriv for eksempel «om 10 minutter»"),
    ("hver mandag", "En påminnelse som gjentas trenger et klokkeslett, for eksempel "
                    "«hver mandag kl 9»."),
    ("hver første tirsdag", "for eksempel «hver første tirsdag kl 10»."),
    ("hver måned den 15.", "for eksempel «hver måned den 15. kl 9»."),
    ("hver måned den 32. kl 9", "Dag 32 finnes ikke i noen måned"),
    ("hver dag kl 8", "Daglige påminnelser har jeg ikke"),
    ("i dag kl 8", "Tidspunktet tirsdag 24. november 2026 kl. 08.00 har allerede vært"),
    ("i går", "har allerede vært"),
    ("12. mai 2020 kl 10", "Tidspunktet tirsdag 12. mai 2020 kl. 10.00 har allerede vært"),
    ("31. februar kl 10", "31. februar finnes ikke: februar har 28 dager (29 i skuddår)."),
    ("i morgen kl 25", "Klokkeslettet «kl 25» finnes ikke"),
    ("i morgen kl 9.75", "Klokkeslettet «kl 9.75» finnes ikke"),
    ("i morgen varsel 15", "Jeg forstår ikke varselet «varsel 15»; skriv for eksempel "
                           "«varsel 15 minutter før»"),
    ("om 10 minutter varsel 15 minutter før", "Med varsel 15 minutter før skulle"),
    ("om 2 timer kl 9", "Skriv enten «om 2 timer» eller et klokkeslett"),
    ("om 500 dager", "er for langt fram"),
    ("1. mai 2029 kl 10", "er mer enn et år fram"),
    ("hver mandag kl 9 varsel 400 dager før", "høyst 365 dager"),
])
def test_when_errors(text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_when(text, NOW)
    assert message in caught.value.message


# --- Deadlines ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("1. mai", Deadlines((date(2027, 5, 1),))),
    ("1.11", Deadlines((date(2027, 11, 1),))),
    ("1. desember", Deadlines((date(2026, 12, 1),))),
    ("24.11 varsel 0 hvert år", Deadlines((date(2026, 11, 24),), True, (0,))),
    ("1. mai 2027", Deadlines((date(2027, 5, 1),))),
    ("1. mai og 1. november", Deadlines((date(2027, 5, 1), date(2027, 11, 1)))),
    ("1. mai og 1. november hvert år",
     Deadlines((date(2027, 5, 1), date(2027, 11, 1)), yearly=True)),
    ("1. november og 1. mai hvert år",
     Deadlines((date(2027, 5, 1), date(2027, 11, 1)), yearly=True)),
    ("1. mai, 1. november hvert år varsel 14 7 1 0",
     Deadlines((date(2027, 5, 1), date(2027, 11, 1)), yearly=True)),
    ("1. mai og 1. mai", Deadlines((date(2027, 5, 1),))),
    ("1. mai varsel 3", Deadlines((date(2027, 5, 1),), lead_days=(3,))),
    ("1. mai varsel 0 7 7 30", Deadlines((date(2027, 5, 1),), lead_days=(30, 7, 0))),
    ("1. mai varsel 14, 7, 1 og 0 dager før", Deadlines((date(2027, 5, 1),))),
    ("1. mai 2020 hvert år", Deadlines((date(2020, 5, 1),), yearly=True)),
    # The same date words as everywhere, looking forward.
    ("fredag", Deadlines((date(2026, 11, 27),))),
    ("i morgen", Deadlines((date(2026, 11, 25),))),
    ("neste fredag og 1. mai", Deadlines((date(2026, 12, 4), date(2027, 5, 1)))),
    ("den 1.", Deadlines((date(2026, 12, 1),))),
])
def test_deadlines(text: str, expected: Deadlines) -> None:
    assert parse_deadlines(text, NOW) == expected


def test_a_deadline_date_without_year_in_august_is_this_years_november() -> None:
    august = at(2026, 8, 10)
    assert parse_deadlines("1. mai og 1. november hvert år", august) == Deadlines(
        (date(2026, 11, 1), date(2027, 5, 1)), yearly=True)


@pytest.mark.parametrize(("text", "message"), [
    ("", "Skriv fristen som en dato, for eksempel «1. mai»"),
    ("hvert år", "Skriv fristen som en dato"),
    ("1. mai og snart", "Jeg forstår ikke datoen «snart»"),
    ("31. februar", "31. februar finnes ikke: februar har 28 dager (29 i skuddår)."),
    ("fredag 30.02", "30. februar finnes ikke"),
    ("29. februar", "29. februar 2027 finnes ikke: 2027 er ikke et skuddår."),
    ("1. mai 2020", "Fristen 1. mai 2020 har allerede vært"),
    ("24.11", "Alle varslene for fristen 24. november 2026 ville kommet før nå"),
    ("1. mai varsel", "Skriv varslene som antall dager før fristen, for eksempel "
                      "«varsel 14 7 1 0»."),
    ("1. mai varsel 14 x", "Skriv varslene som antall dager før fristen"),
    ("1. mai varsel 400", "Varsel 400 dager før går ikke; bruk tall fra 0 til 365"),
])
def test_deadline_errors(text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_deadlines(text, NOW)
    assert message in caught.value.message


# --- Quotes ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ('"Statusmøte med Hdir" hver første tirsdag kl 10',
     ("Statusmøte med Hdir", "hver første tirsdag kl 10")),
    ("“Statusmøte” i morgen kl 9", ("Statusmøte", "i morgen kl 9")),
    ("”Statusmøte” i morgen", ("Statusmøte", "i morgen")),
    ("«Statusmøte» om 1 minutt", ("Statusmøte", "om 1 minutt")),
    ("„Statusmøte“ om 1 minutt", ("Statusmøte", "om 1 minutt")),
    ("»Statusmøte« om 1 minutt", ("Statusmøte", "om 1 minutt")),
    ('“Mixed" om 1 minutt', ("Mixed", "om 1 minutt")),
    ('  " Rapport «utkast» "  1. mai ', ("Rapport «utkast»", "1. mai")),
    ('"" i morgen', ("", "i morgen")),
    ('"Bare tekst"', ("Bare tekst", "")),
])
def test_split_quoted(text: str, expected: tuple[str, str]) -> None:
    assert split_quoted(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("Statusmøte i morgen", "Sett teksten i anførselstegn først, for eksempel `/lhl påminnelse "
                            'ny "Statusmøte med Hdir" hver første tirsdag kl 10`.'),
    ("", "Sett teksten i anførselstegn først"),
    ('"Statusmøte i morgen', "Teksten mangler anførselstegn på slutten"),
    ("«Statusmøte i morgen", "Teksten mangler anførselstegn på slutten"),
])
def test_split_quoted_errors(text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        split_quoted(text)
    assert message in caught.value.message


def test_a_deadline_tomorrow_on_a_saturday_says_where_its_last_notice_went() -> None:
    friday_afternoon = at(2026, 12, 4, 15, 44)
    with pytest.raises(UsageError, match=re.escape(
            "Alle varslene for fristen 5. desember 2026 ville kommet før nå (det siste fredag "
            "4. desember 2026 kl. 09.00, flyttet fra lørdag 5. desember 2026); skriv en senere "
            "frist")):
        parse_deadlines("i morgen", friday_afternoon)
