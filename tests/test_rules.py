"""Reminder rules turned into moments: working-day moves, lead times, daylight saving, text, JSON.

Everything runs against fixed ``after`` moments; nothing waits.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from itertools import pairwise

import pytest

from schedules.rules import (
    Deadlines,
    MonthlyDay,
    MonthlyWeekday,
    Occurrence,
    Once,
    Rule,
    Weekly,
    describe,
    is_recurring,
    next_occurrence,
    occurrences,
    rule_from_json,
    rule_to_json,
)
from schedules.workdays import holiday_name, is_working_day, previous_working_day
from tests.support.clock import NOW, OSLO, at

MAY_DAY = "1. mai (offentlig høytidsdag)"


def dues(rule: Rule, after: datetime = NOW, limit: int = 3) -> list[datetime]:
    return [o.due for o in occurrences(rule, after=after, tz=OSLO, limit=limit)]


# --- Working days ---------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "working"), [
    (date(2027, 4, 30), True),     # Friday
    (date(2027, 5, 1), False),     # Saturday and 1 May
    (date(2027, 5, 2), False),     # Sunday
    (date(2027, 3, 25), False),    # Maundy Thursday
    (date(2027, 3, 26), False),    # Good Friday
    (date(2027, 3, 29), False),    # Easter Monday
    (date(2027, 5, 6), False),     # Ascension Day
    (date(2027, 5, 17), False),    # Constitution Day and Whit Monday
    (date(2027, 12, 24), True),    # Christmas Eve is a working day
    (date(2027, 12, 31), True),
    (date(2026, 12, 25), False),
    (date(2026, 12, 28), True),
])
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(("day", "expected", "reason"), [
    (date(2027, 4, 30), date(2027, 4, 30), None),
    (date(2027, 5, 1), date(2027, 4, 30), MAY_DAY),
    (date(2027, 5, 2), date(2027, 4, 30), "søndag"),
    (date(2026, 11, 28), date(2026, 11, 27), "lørdag"),
    (date(2027, 3, 28), date(2027, 3, 24), "første påskedag"),
    (date(2027, 3, 29), date(2027, 3, 24), "andre påskedag"),
    (date(2027, 3, 26), date(2027, 3, 24), "langfredag"),
    (date(2027, 3, 25), date(2027, 3, 24), "skjærtorsdag"),
    (date(2027, 5, 6), date(2027, 5, 5), "Kristi himmelfartsdag"),
    (date(2027, 5, 17), date(2027, 5, 14),
     "17. mai (offentlig høytidsdag) og andre pinsedag"),
    (date(2026, 5, 17), date(2026, 5, 15), "17. mai (offentlig høytidsdag)"),
    (date(2026, 12, 26), date(2026, 12, 24), "andre juledag"),
    (date(2028, 1, 1), date(2027, 12, 31), "første nyttårsdag"),
])
def test_previous_working_day(day: date, expected: date, reason: str | None) -> None:
    assert previous_working_day(day) == (expected, reason)


def test_an_ordinary_sunday_is_a_weekend_not_a_holiday() -> None:
    assert holiday_name(date(2027, 5, 2)) is None
    assert holiday_name(date(2027, 3, 28)) == "første påskedag"


# --- Recurrences ----------------------------------------------------------------------------

@pytest.mark.parametrize(("rule", "after", "expected"), [
    (Weekly(0, time(9)), NOW, [at(2026, 11, 30), at(2026, 12, 7), at(2026, 12, 14)]),
    # Strictly after: a reminder due at this very moment is not "next".
    (Weekly(1, time(10)), NOW, [at(2026, 12, 1, 10), at(2026, 12, 8, 10), at(2026, 12, 15, 10)]),
    (MonthlyWeekday(1, 1, time(10)), NOW,
     [at(2026, 12, 1, 10), at(2027, 1, 5, 10), at(2027, 2, 2, 10)]),
    (MonthlyWeekday(2, 1, time(10)), NOW,
     [at(2026, 12, 8, 10), at(2027, 1, 12, 10), at(2027, 2, 9, 10)]),
    # 25 December 2026 is Friday and Christmas Day: Thursday 24 December.
    (MonthlyWeekday(-1, 4, time(12)), NOW,
     [at(2026, 11, 27, 12), at(2026, 12, 24, 12), at(2027, 1, 29, 12)]),
    (MonthlyDay(15, time(9)), NOW, [at(2026, 12, 15), at(2027, 1, 15), at(2027, 2, 15)]),
    # Day 31 in shorter months is their last day; 31 January and 28 February 2027 are Sundays.
    (MonthlyDay(31, time(9)), NOW,
     [at(2026, 11, 30), at(2026, 12, 31), at(2027, 1, 29), at(2027, 2, 26)]),
    (MonthlyDay(1, time(9)), at(2027, 4, 2), [at(2027, 4, 30), at(2027, 6, 1), at(2027, 7, 1)]),
    # Easter 2027: Thursday 25 and Friday 26 March, Monday 29 March all go to Wednesday 24.
    (Weekly(3, time(9)), at(2027, 3, 20), [at(2027, 3, 24), at(2027, 4, 1), at(2027, 4, 8)]),
    (Weekly(4, time(9)), at(2027, 3, 20), [at(2027, 3, 24), at(2027, 4, 2), at(2027, 4, 9)]),
    (Weekly(0, time(9)), at(2027, 3, 23), [at(2027, 3, 24), at(2027, 4, 5), at(2027, 4, 12)]),
    # 17 May 2027 is a Monday (and Whit Monday): Friday 14 May.
    (Weekly(0, time(9)), at(2027, 5, 11), [at(2027, 5, 14), at(2027, 5, 24), at(2027, 5, 31)]),
    # Ascension Day, Thursday 6 May 2027: Wednesday 5 May.
    (Weekly(3, time(9)), at(2027, 5, 1), [at(2027, 5, 5), at(2027, 5, 13), at(2027, 5, 20)]),
    # A Saturday rule keeps its day, even on 1 May.
    (Weekly(5, time(11)), at(2027, 4, 26), [at(2027, 5, 1, 11), at(2027, 5, 8, 11)]),
])
def test_recurrence_dues(rule: Rule, after: datetime, expected: list[datetime]) -> None:
    assert dues(rule, after, limit=len(expected)) == expected


def test_a_moved_occurrence_keeps_its_nominal_key_and_says_why() -> None:
    found = occurrences(MonthlyDay(1, time(9)), after=at(2027, 4, 2), tz=OSLO, limit=1)
    assert found == [Occurrence(key="2027-05-01T09:00", due=at(2027, 4, 30),
                                moved_from=date(2027, 5, 1), moved_because=MAY_DAY)]
    easter = next_occurrence(Weekly(0, time(9)), after=at(2027, 3, 23), tz=OSLO)
    assert easter is not None
    assert (easter.key, easter.moved_from, easter.moved_because) == (
        "2027-03-29T09:00", date(2027, 3, 29), "andre påskedag")


def test_an_unmoved_occurrence_has_no_move() -> None:
    assert occurrences(Weekly(0, time(9)), after=NOW, tz=OSLO, limit=1) == [
        Occurrence(key="2026-11-30T09:00", due=at(2026, 11, 30))]


@pytest.mark.parametrize(("rule", "after", "expected"), [
    # Every other week, counted from the anchor's week.
    (Weekly(0, time(9), 2, date(2026, 11, 30)), NOW,
     [at(2026, 11, 30), at(2026, 12, 14), at(2026, 12, 28)]),
    # The anchor may be any day of its week.
    (Weekly(0, time(9), 2, date(2026, 12, 3)), NOW,
     [at(2026, 11, 30), at(2026, 12, 14), at(2026, 12, 28)]),
    (Weekly(0, time(9), 2, date(2026, 11, 30)), at(2027, 6, 1),
     [at(2027, 6, 14), at(2027, 6, 28), at(2027, 7, 12)]),
    (Weekly(4, time(8), 3, date(2026, 11, 27)), NOW,
     [at(2026, 11, 27, 8), at(2026, 12, 18, 8), at(2027, 1, 8, 8)]),
    # Nothing before the anchor's period.
    (Weekly(0, time(9), 2, date(2027, 1, 4)), NOW, [at(2027, 1, 4), at(2027, 1, 18)]),
    (Weekly(0, time(9), 1, date(2027, 1, 4)), NOW, [at(2027, 1, 4), at(2027, 1, 11)]),
    (MonthlyDay(15, time(9), 2, date(2026, 12, 15)), NOW,
     [at(2026, 12, 15), at(2027, 2, 15), at(2027, 4, 15)]),
    (MonthlyWeekday(1, 1, time(10), 2, date(2026, 12, 1)), NOW,
     [at(2026, 12, 1, 10), at(2027, 2, 2, 10), at(2027, 4, 6, 10)]),
    # An anchor years back costs nothing and keeps the phase.
    (MonthlyWeekday(1, 1, time(10), 2, date(2019, 2, 5)), NOW,
     [at(2026, 12, 1, 10), at(2027, 2, 2, 10), at(2027, 4, 6, 10)]),
    (MonthlyDay(15, time(9), 3, date(2027, 3, 1)), NOW,
     [at(2027, 3, 15), at(2027, 6, 15), at(2027, 9, 15)]),
])
def test_intervals(rule: Rule, after: datetime, expected: list[datetime]) -> None:
    assert dues(rule, after, limit=len(expected)) == expected


def test_an_interval_without_anchor_does_not_depend_on_after() -> None:
    rule = Weekly(0, time(9), 2)
    early = dues(rule, NOW, limit=10)
    later = dues(rule, early[3] - timedelta(minutes=1), limit=3)
    assert later == early[3:6]
    assert all(b - a == timedelta(weeks=2) for a, b in pairwise(early))


@pytest.mark.parametrize(("rule", "expected"), [
    (Weekly(0, time(9), lead_minutes=15), [at(2026, 11, 30, 8, 45), at(2026, 12, 7, 8, 45)]),
    (MonthlyWeekday(1, 1, time(10), lead_minutes=60 * 24 * 2),
     [at(2026, 11, 29, 10), at(2027, 1, 3, 10)]),
])
def test_lead_minutes(rule: Rule, expected: list[datetime]) -> None:
    assert dues(rule, limit=2) == expected


def test_lead_minutes_count_real_time_across_daylight_saving() -> None:
    # 04.00 summer time on 28 March 2027 is 02.00 UTC; two hours earlier is 01.00 winter time.
    rule = Once(at(2027, 3, 28, 4), lead_minutes=120)
    [occ] = occurrences(rule, after=NOW, tz=OSLO)
    assert occ.due == datetime(2027, 3, 28, 0, 0, tzinfo=UTC)
    assert occ.due.astimezone(OSLO).hour == 1


def test_limit_and_order() -> None:
    rule = Weekly(0, time(9))
    assert len(occurrences(rule, after=NOW, tz=OSLO, limit=50)) == 50
    found = occurrences(rule, after=NOW, tz=OSLO, limit=50)
    assert [o.due for o in found] == sorted(o.due for o in found)
    assert occurrences(rule, after=NOW, tz=OSLO, limit=0) == []


# --- Daylight saving --------------------------------------------------------------------------

def test_a_wall_time_that_does_not_exist_fires_an_hour_later() -> None:
    rule = Weekly(6, time(2, 30))
    found = occurrences(rule, after=at(2027, 3, 20), tz=OSLO, limit=3)
    assert [o.due.astimezone(UTC) for o in found] == [
        datetime(2027, 3, 21, 1, 30, tzinfo=UTC),
        datetime(2027, 3, 28, 1, 30, tzinfo=UTC),
        datetime(2027, 4, 4, 0, 30, tzinfo=UTC),
    ]
    assert found[1].due.replace(tzinfo=None) == datetime(2027, 3, 28, 3, 30)
    assert found[1].key == "2027-03-28T02:30"
    assert found[1].dst_note == "02.30 finnes ikke denne natten (sommertid); sendes 03.30"
    assert found[0].dst_note is None and found[2].dst_note is None


def test_a_wall_time_that_occurs_twice_fires_once_the_first_time() -> None:
    rule = Weekly(6, time(2, 30))
    found = occurrences(rule, after=at(2027, 10, 25), tz=OSLO, limit=2)
    assert [o.due.astimezone(UTC) for o in found] == [
        datetime(2027, 10, 31, 0, 30, tzinfo=UTC),
        datetime(2027, 11, 7, 1, 30, tzinfo=UTC),
    ]
    assert found[0].dst_note == ("02.30 finnes to ganger denne natten (vintertid); "
                                 "sendes bare den første")
    # Right after the first 02.30 the next is a week on, not the second 02.30.
    following = next_occurrence(rule, after=found[0].due, tz=OSLO)
    assert following is not None and following.due == found[1].due


def test_once_on_a_missing_wall_time() -> None:
    [occ] = occurrences(Once(at(2027, 3, 28, 2, 30)), after=NOW, tz=OSLO)
    assert occ.due == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert occ.key == "2027-03-28T02:30"
    assert occ.dst_note is not None


def test_monthly_times_keep_the_wall_clock_across_daylight_saving() -> None:
    assert [d.utcoffset() for d in dues(MonthlyDay(15, time(9)), at(2027, 2, 1), 3)] == [
        timedelta(hours=1), timedelta(hours=1), timedelta(hours=2)]


# --- Once -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("rule", "expected"), [
    (Once(at(2026, 12, 1, 10)), [Occurrence("2026-12-01T10:00", at(2026, 12, 1, 10))]),
    (Once(at(2026, 12, 1, 10), 15), [Occurrence("2026-12-01T10:00", at(2026, 12, 1, 9, 45))]),
    # Never moved, even on 1 May.
    (Once(at(2027, 5, 1, 10)), [Occurrence("2027-05-01T10:00", at(2027, 5, 1, 10))]),
    (Once(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),
     [Occurrence("2026-12-01T10:00", at(2026, 12, 1, 10))]),
    (Once(at(2026, 11, 24, 10)), []),
    (Once(at(2026, 11, 24, 10, 15), 30), []),
    (Once(at(2020, 1, 1)), []),
])
def test_once(rule: Once, expected: list[Occurrence]) -> None:
    assert occurrences(rule, after=NOW, tz=OSLO, limit=3) == expected


# --- Deadlines ------------------------------------------------------------------------------

REPORTING = Deadlines((date(2027, 5, 1), date(2026, 11, 1)), yearly=True)


def test_reporting_deadlines_every_year() -> None:
    found = occurrences(REPORTING, after=at(2026, 10, 1, 0), tz=OSLO, limit=14)
    assert [(o.key, o.due) for o in found] == [
        # 1 November 2026 is a Sunday; 31 October a Saturday: lead 1 and 0 both land on
        # Friday 30 October, and only the one closest to the deadline is kept.
        ("2026-11-01/14", at(2026, 10, 16)),
        ("2026-11-01/7", at(2026, 10, 23)),
        ("2026-11-01/0", at(2026, 10, 30)),
        # 1 May 2027 is a Saturday and a holiday.
        ("2027-05-01/14", at(2027, 4, 16)),
        ("2027-05-01/7", at(2027, 4, 23)),
        ("2027-05-01/0", at(2027, 4, 30)),
        ("2027-11-01/14", at(2027, 10, 18)),
        ("2027-11-01/7", at(2027, 10, 25)),
        ("2027-11-01/1", at(2027, 10, 29)),
        ("2027-11-01/0", at(2027, 11, 1)),
        # 17 April 2028 is Easter Monday; 1 May 2028 a Monday holiday.
        ("2028-05-01/14", at(2028, 4, 12)),
        ("2028-05-01/7", at(2028, 4, 24)),
        ("2028-05-01/0", at(2028, 4, 28)),
        ("2028-11-01/14", at(2028, 10, 18)),
    ]
    may = found[5]
    assert (may.deadline, may.lead_days, may.moved_from, may.moved_because) == (
        date(2027, 5, 1), 0, date(2027, 5, 1), MAY_DAY)


def test_reminder_days_already_past_are_not_produced() -> None:
    found = occurrences(REPORTING, after=at(2027, 4, 20), tz=OSLO, limit=2)
    assert [o.key for o in found] == ["2027-05-01/7", "2027-05-01/0"]


def test_deadline_lead_and_time() -> None:
    rule = Deadlines((date(2027, 6, 15),), lead_days=(3, 0), at=time(8, 0))
    assert [(o.key, o.due) for o in occurrences(rule, after=NOW, tz=OSLO)] == [
        ("2027-06-15/3", at(2027, 6, 11, 8)), ("2027-06-15/0", at(2027, 6, 15, 8))]


def test_a_29_february_deadline_is_28_february_in_other_years() -> None:
    rule = Deadlines((date(2028, 2, 29),), yearly=True, lead_days=(0,))
    assert [o.key for o in occurrences(rule, after=NOW, tz=OSLO)] == [
        "2028-02-29/0", "2029-02-28/0", "2030-02-28/0"]


@pytest.mark.parametrize("rule", [
    Once(at(2020, 5, 1)),
    Deadlines((date(2020, 5, 1), date(2026, 11, 1))),
    Deadlines((date(2026, 11, 24),)),          # lead 0 was at 09.00 today
    Deadlines(()),
    Deadlines((date(2027, 5, 1),), yearly=True, lead_days=()),
])
def test_spent_rules_terminate(rule: Rule) -> None:
    assert occurrences(rule, after=NOW, tz=OSLO, limit=3) == []
    assert next_occurrence(rule, after=NOW, tz=OSLO) is None


def test_is_recurring() -> None:
    assert is_recurring(Weekly(0, time(9)))
    assert is_recurring(REPORTING)
    assert not is_recurring(Once(NOW))
    assert not is_recurring(Deadlines((date(2027, 5, 1),)))


# --- Words ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("rule", "text"), [
    (Weekly(0, time(9)), "hver mandag kl. 09.00"),
    (Weekly(0, time(9), 2, date(2026, 11, 30)), "annenhver uke på mandag kl. 09.00"),
    (Weekly(4, time(8), 3), "hver 3. uke på fredag kl. 08.00"),
    (MonthlyWeekday(1, 1, time(10)), "første tirsdag i måneden kl. 10.00"),
    (MonthlyWeekday(-1, 4, time(12)), "siste fredag i måneden kl. 12.00"),
    (MonthlyWeekday(1, 1, time(10), 2), "første tirsdag annenhver måned kl. 10.00"),
    (MonthlyDay(15, time(9)), "den 15. hver måned kl. 09.00"),
    (MonthlyDay(15, time(9), 2), "annenhver måned den 15. kl. 09.00"),
    (MonthlyDay(31, time(9)), "den 31. hver måned kl. 09.00 (eller månedens siste dag)"),
    (Once(at(2026, 12, 1, 10)), "én gang, tirsdag 1. desember 2026 kl. 10.00"),
    (Weekly(0, time(9), lead_minutes=15), "hver mandag kl. 09.00, varsel 15 minutter før"),
    (Weekly(0, time(9), lead_minutes=60), "hver mandag kl. 09.00, varsel 1 time før"),
    (Once(at(2026, 12, 1, 10), 2880),
     "én gang, tirsdag 1. desember 2026 kl. 10.00, varsel 2 dager før"),
    (REPORTING, "frist 1. mai og 1. november hvert år, varsel 14, 7, 1 og 0 dager før"),
    (Deadlines((date(2027, 5, 1),), lead_days=(7,)), "frist 1. mai 2027, varsel 7 dager før"),
    (Deadlines((date(2027, 5, 1),), lead_days=(1,)), "frist 1. mai 2027, varsel 1 dag før"),
    (Deadlines((date(2027, 5, 1),), lead_days=(0,)), "frist 1. mai 2027, varsel på fristdagen"),
    (Deadlines((date(2027, 5, 1),), at=time(8)),
     "frist 1. mai 2027, varsel 14, 7, 1 og 0 dager før, kl. 08.00"),
])
def test_describe(rule: Rule, text: str) -> None:
    assert describe(rule) == text


# --- JSON -----------------------------------------------------------------------------------

@pytest.mark.parametrize("rule", [
    Once(at(2026, 12, 1, 10), 15),
    Once(datetime(2027, 10, 31, 2, 30, tzinfo=OSLO, fold=1)),
    Once(datetime(2026, 12, 1, 9, 0, 0, 123, tzinfo=UTC)),
    Once(datetime(2026, 12, 1, 9, 0, tzinfo=timezone(timedelta(hours=-3)))),
    Weekly(0, time(9)),
    Weekly(6, time(2, 30), 2, date(2026, 11, 29), 15),
    MonthlyWeekday(-1, 4, time(12), 2, date(2026, 11, 1)),
    MonthlyDay(31, time(9), 3, None, 2880),
    REPORTING,
    Deadlines((date(2027, 6, 15),), False, (3, 0), time(8)),
])
def test_json_round_trip(rule: Rule) -> None:
    text = rule_to_json(rule)
    back = rule_from_json(text)
    assert back == rule
    assert type(back) is type(rule)
    assert rule_to_json(back) == text
    if isinstance(rule, Once) and isinstance(back, Once):
        assert (back.at.tzinfo, back.at.fold, back.at.replace(tzinfo=None)) == (
            rule.at.tzinfo, rule.at.fold, rule.at.replace(tzinfo=None))


def test_json_is_stable_and_typed() -> None:
    assert rule_to_json(Weekly(0, time(9))) == (
        '{"anchor":null,"at":"09:00:00","interval":1,"lead_minutes":0,"type":"weekly",'
        '"weekday":0}')
    assert rule_to_json(Once(at(2026, 12, 1, 10))) == (
        '{"at":"2026-12-01T10:00:00","fold":0,"lead_minutes":0,"type":"once",'
        '"tz":"Europe/Oslo"}')


@pytest.mark.parametrize("text", ['{"type":"daily"}', "[]", '{"type":"weekly"}'])
def test_json_rejects_what_it_did_not_write(text: str) -> None:
    with pytest.raises(ValueError):
        rule_from_json(text)
