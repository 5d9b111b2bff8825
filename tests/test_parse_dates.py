"""Norwegian dates as coordinators type them, relative to a fixed Tuesday, looking back (what
has happened) unless a test says it looks forward (what is planned)."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime

import pytest

from commands.base import UsageError
from commands.parse.dates import (
    FUTURE,
    PAST,
    Direction,
    parse_date,
    split_date_prefix,
    split_date_suffix,
    split_year_suffix,
    warm_up,
)
from tests.support.clock import NOW, OSLO


@pytest.mark.parametrize(("text", "expected"), [
    # Forms dateparser gets wrong or misses.
    ("neste tirsdag", date(2026, 12, 1)),
    ("forrige fredag", date(2026, 11, 20)),
    ("igår", date(2026, 11, 23)),
    ("i forgårs", date(2026, 11, 22)),
    ("iforgårs", date(2026, 11, 22)),
    ("12. mai kl 10", date(2026, 5, 12)),
    ("12. mai 2026 kl 10", date(2026, 5, 12)),
    ("12.05", date(2026, 5, 12)),
    ("kl 14", date(2026, 11, 24)),
    # Days around today.
    ("i dag", date(2026, 11, 24)),
    ("idag", date(2026, 11, 24)),
    ("I DAG", date(2026, 11, 24)),
    ("i går", date(2026, 11, 23)),
    ("i gaar", date(2026, 11, 23)),
    ("i går.", date(2026, 11, 23)),
    ("i går kveld", date(2026, 11, 23)),
    ("i morges", date(2026, 11, 24)),
    ("i morgen", date(2026, 11, 25)),
    ("imorgen", date(2026, 11, 25)),
    ("i overmorgen", date(2026, 11, 26)),
    # Bare weekdays: the most recent one, today included.
    ("mandag", date(2026, 11, 23)),
    ("tirsdag", date(2026, 11, 24)),
    ("onsdag", date(2026, 11, 18)),
    ("fredag", date(2026, 11, 20)),
    ("lørdag", date(2026, 11, 21)),
    ("søndag", date(2026, 11, 22)),
    ("Mandag", date(2026, 11, 23)),
    ("på fredag", date(2026, 11, 20)),
    ("på tirsdag", date(2026, 11, 24)),
    # sist: before today; forrige/neste: previous/next calendar week; kommende: after today.
    ("sist tirsdag", date(2026, 11, 17)),
    ("tirsdag sist", date(2026, 11, 17)),
    ("på fredag sist", date(2026, 11, 20)),
    ("forrige mandag", date(2026, 11, 16)),
    ("forrige tirsdag", date(2026, 11, 17)),
    ("forrige søndag", date(2026, 11, 22)),
    ("neste mandag", date(2026, 11, 30)),
    ("neste fredag", date(2026, 12, 4)),
    ("kommende tirsdag", date(2026, 12, 1)),
    ("kommende fredag", date(2026, 11, 27)),
    # Numeric dates, day first.
    ("12.5.", date(2026, 5, 12)),
    ("12.5", date(2026, 5, 12)),
    ("12.05.2026", date(2026, 5, 12)),
    ("12.5.26", date(2026, 5, 12)),
    ("1.12.2025", date(2025, 12, 1)),
    ("12/5", date(2026, 5, 12)),
    ("2026-05-12", date(2026, 5, 12)),
    ("12.05 kl 10", date(2026, 5, 12)),
    ("12.05.2026 10:30", date(2026, 5, 12)),
    # Month names.
    ("12. mai", date(2026, 5, 12)),
    ("12 mai", date(2026, 5, 12)),
    ("12.mai", date(2026, 5, 12)),
    ("12. Mai 2026", date(2026, 5, 12)),
    ("12. mai 2025", date(2025, 5, 12)),
    ("12. mai kl. 10.30", date(2026, 5, 12)),
    ("12. mai klokka 10", date(2026, 5, 12)),
    ("12. mai, kl. 10-12", date(2026, 5, 12)),
    ("1. des", date(2025, 12, 1)),          # the most recent 1 December
    ("3. sept.", date(2026, 9, 3)),
    ("den 12. mai", date(2026, 5, 12)),
    ("tirsdag 12. mai", date(2026, 5, 12)),
    ("tirsdag den 12.5.", date(2026, 5, 12)),
    ("den 12.", date(2026, 11, 12)),
    ("31. desember", date(2025, 12, 31)),
    ("24. november", date(2026, 11, 24)),    # today is the most recent one
    # Counting back.
    ("for 3 dager siden", date(2026, 11, 21)),
    ("3 dager siden", date(2026, 11, 21)),
    ("for en dag siden", date(2026, 11, 23)),
    ("for to uker siden", date(2026, 11, 10)),
    ("1 uke siden", date(2026, 11, 17)),
    # A time alone is today.
    ("kl. 10.30", date(2026, 11, 24)),
    ("klokka 10", date(2026, 11, 24)),
    ("i går kl. 14.30", date(2026, 11, 23)),
    # Left to dateparser.
    ("om 3 dager", date(2026, 11, 27)),
])
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text, NOW, direction=PAST) == expected


@pytest.mark.parametrize("text", [
    "12.13", "45.05", "0.5", "den 32.",
    "", "   ", "12", "2026", "4204", "mai", "mai 2026", "desember",
    "forrige uke", "neste uke", "for en måned siden",
    "Lillesand", "Lillesand i går", "Sel 12.05", "i går Lillesand",
])
def test_not_a_date(text: str) -> None:
    assert parse_date(text, NOW, direction=PAST) is None
    assert parse_date(text, NOW, direction=FUTURE) is None


@pytest.mark.parametrize(("now", "text", "expected"), [
    (datetime(2027, 1, 1, 9, tzinfo=OSLO), "i går", date(2026, 12, 31)),
    (datetime(2027, 1, 1, 9, tzinfo=OSLO), "forrige fredag", date(2026, 12, 25)),
    (datetime(2027, 1, 1, 9, tzinfo=OSLO), "mandag", date(2026, 12, 28)),
    (datetime(2027, 1, 1, 9, tzinfo=OSLO), "12. mai", date(2026, 5, 12)),
    (datetime(2026, 11, 30, 9, tzinfo=OSLO), "forrige fredag", date(2026, 11, 27)),
    (datetime(2026, 11, 29, 9, tzinfo=OSLO), "forrige fredag", date(2026, 11, 20)),
    (datetime(2026, 11, 29, 9, tzinfo=OSLO), "fredag", date(2026, 11, 27)),
    # 23:30 UTC is already the next day in Oslo; the day is that of now's own zone (the bot's).
    (datetime(2026, 11, 23, 23, 30, tzinfo=UTC).astimezone(OSLO), "i dag", date(2026, 11, 24)),
    (datetime(2026, 11, 23, 23, 30, tzinfo=UTC).astimezone(OSLO), "i går", date(2026, 11, 23)),
    (datetime(2026, 11, 23, 23, 30, tzinfo=UTC), "i dag", date(2026, 11, 23)),
])
def test_relative_to_now(now: datetime, text: str, expected: date) -> None:
    assert parse_date(text, now, direction=PAST) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Vennesla, Lillesand i går", ("Vennesla, Lillesand", date(2026, 11, 23))),
    ("Kristiansand 12. mai 2026", ("Kristiansand", date(2026, 5, 12))),
    ("Kristiansand 12. mai 2026 kl 10", ("Kristiansand", date(2026, 5, 12))),
    ("Nord-Fron og Sel 12.05", ("Nord-Fron og Sel", date(2026, 5, 12))),
    ("Lillesand, i går", ("Lillesand", date(2026, 11, 23))),
    ("Herøy i Nordland i går", ("Herøy i Nordland", date(2026, 11, 23))),
    ("Evje og Hornnes for 3 dager siden", ("Evje og Hornnes", date(2026, 11, 21))),
    ("Lillesand den 12. mai", ("Lillesand", date(2026, 5, 12))),
    ("Lillesand tirsdag 12. mai", ("Lillesand", date(2026, 5, 12))),
    ("Bærum forrige fredag", ("Bærum", date(2026, 11, 20))),
    ("Bærum på fredag", ("Bærum", date(2026, 11, 20))),
    ("Bærum kl 14", ("Bærum", date(2026, 11, 24))),
    ("alle 1. september", ("alle", date(2026, 9, 1))),
    ("alle Agder igår", ("alle Agder", date(2026, 11, 23))),
    ("4204 12.5.26", ("4204", date(2026, 5, 12))),
])
def test_split_date_suffix(text: str, expected: tuple[str, date]) -> None:
    assert split_date_suffix(text, NOW, direction=PAST) == expected


@pytest.mark.parametrize("text", [
    "Vennesla, Lillesand",
    "Evje og Hornnes",
    "Vennesla 2026",
    "Kristiansand 12",
    "Kristiansand 4204",
    "Sel mai",
    "i går",
    "12. mai 2026",
    "",
])
def test_no_date_suffix(text: str) -> None:
    assert split_date_suffix(text, NOW, direction=PAST) is None


def test_common_forms_take_well_under_a_millisecond() -> None:
    warm_up()
    forms = ["i går", "12. mai 2026 kl 10", "12.05", "neste tirsdag", "for 3 dager siden"]
    start = time.perf_counter()
    for _ in range(200):
        for text in forms:
            parse_date(text, NOW, direction=PAST)
    per_call = (time.perf_counter() - start) / (200 * len(forms))
    assert per_call < 0.0002


# --- Looking back and looking forward ----------------------------------------------------------

# Tuesday 5 January 2027 and Sunday 20 December 2026: around the turn of the year.
JAN_5 = datetime(2027, 1, 5, 10, 0, tzinfo=OSLO)
DEC_20 = datetime(2026, 12, 20, 10, 0, tzinfo=OSLO)


@pytest.mark.parametrize(("now", "text", "past", "future"), [
    # A date without a year: the most recent such day, or the next, today included.
    (JAN_5, "24. desember", date(2026, 12, 24), date(2027, 12, 24)),
    (JAN_5, "24.12", date(2026, 12, 24), date(2027, 12, 24)),
    (JAN_5, "tirsdag 24.12.", date(2026, 12, 24), date(2027, 12, 24)),
    (JAN_5, "5. januar", date(2027, 1, 5), date(2027, 1, 5)),
    (JAN_5, "4. januar", date(2027, 1, 4), date(2028, 1, 4)),
    (JAN_5, "6. januar", date(2026, 1, 6), date(2027, 1, 6)),
    (DEC_20, "1. mai", date(2026, 5, 1), date(2027, 5, 1)),
    (DEC_20, "1.5", date(2026, 5, 1), date(2027, 5, 1)),
    (DEC_20, "1. januar", date(2026, 1, 1), date(2027, 1, 1)),
    (DEC_20, "31. desember kl 10", date(2025, 12, 31), date(2026, 12, 31)),
    # den 30.: this month's, or the month before (after) that has the day.
    (JAN_5, "den 30.", date(2026, 12, 30), date(2027, 1, 30)),
    (JAN_5, "den 5.", date(2027, 1, 5), date(2027, 1, 5)),
    (datetime(2027, 3, 5, 9, tzinfo=OSLO), "den 30.", date(2027, 1, 30), date(2027, 3, 30)),
    # A weekday alone: the most recent, or the next, today included.
    (JAN_5, "fredag", date(2027, 1, 1), date(2027, 1, 8)),
    (JAN_5, "på mandag", date(2027, 1, 4), date(2027, 1, 11)),
    (JAN_5, "tirsdag", date(2027, 1, 5), date(2027, 1, 5)),
    # Words that say their own direction mean the same either way.
    (JAN_5, "i går", date(2027, 1, 4), date(2027, 1, 4)),
    (JAN_5, "i morgen", date(2027, 1, 6), date(2027, 1, 6)),
    (JAN_5, "sist tirsdag", date(2026, 12, 29), date(2026, 12, 29)),
    (JAN_5, "forrige fredag", date(2027, 1, 1), date(2027, 1, 1)),
    (JAN_5, "neste fredag", date(2027, 1, 15), date(2027, 1, 15)),
    (JAN_5, "kommende tirsdag", date(2027, 1, 12), date(2027, 1, 12)),
    (JAN_5, "først kommende fredag", date(2027, 1, 8), date(2027, 1, 8)),
    (JAN_5, "for 2 uker siden", date(2026, 12, 22), date(2026, 12, 22)),
    (JAN_5, "24. desember 2026", date(2026, 12, 24), date(2026, 12, 24)),
    (JAN_5, "24.12.27", date(2027, 12, 24), date(2027, 12, 24)),
])
def test_direction_decides_what_the_words_leave_open(now: datetime, text: str, past: date,
                                                     future: date) -> None:
    assert parse_date(text, now, direction=PAST) == past
    assert parse_date(text, now, direction=FUTURE) == future


@pytest.mark.parametrize(("text", "message"), [
    ("31. februar", "31. februar finnes ikke: februar har 28 dager (29 i skuddår). Skriv en "
                    "dato som finnes, for eksempel «28. februar»."),
    ("30.02", "30. februar finnes ikke: februar har 28 dager (29 i skuddår). Skriv en dato "
              "som finnes, for eksempel «28. februar»."),
    ("29. februar 2027", "29. februar 2027 finnes ikke: 2027 er ikke et skuddår. Skriv en "
                         "dato som finnes, for eksempel «28. februar 2027»."),
    ("29.02.27", "29. februar 2027 finnes ikke: 2027 er ikke et skuddår. Skriv en dato som "
                 "finnes, for eksempel «28. februar 2027»."),
    ("2026-02-30", "30. februar 2026 finnes ikke: februar 2026 har 28 dager. Skriv en dato "
                   "som finnes, for eksempel «28. februar 2026»."),
    ("30. februar 2028", "30. februar 2028 finnes ikke: februar 2028 har 29 dager. Skriv en "
                         "dato som finnes, for eksempel «29. februar 2028»."),
    ("31. april kl 10", "31. april finnes ikke: april har 30 dager. Skriv en dato som finnes, "
                        "for eksempel «30. april»."),
    ("31.11.2026", "31. november 2026 finnes ikke: november har 30 dager. Skriv en dato som "
                   "finnes, for eksempel «30. november 2026»."),
])
@pytest.mark.parametrize("direction", [PAST, FUTURE])
def test_a_date_that_does_not_exist_is_named(text: str, message: str,
                                             direction: Direction) -> None:
    with pytest.raises(UsageError) as caught:
        parse_date(text, NOW, direction=direction)
    assert caught.value.message == message


def test_an_impossible_date_at_the_end_of_a_command_is_named_not_skipped() -> None:
    with pytest.raises(UsageError, match=r"^31\. februar finnes ikke"):
        split_date_suffix("Lillesand og Birkenes 31. februar", NOW, direction=PAST)


@pytest.mark.parametrize(("text", "expected"), [
    ("i går Bygland", ("i går", "Bygland")),
    ("12. mai 2026 Vennesla, Lillesand", ("12. mai 2026", "Vennesla, Lillesand")),
    ("forrige fredag, Bærum", ("forrige fredag", "Bærum")),
    ("Bygland i går", None),
    ("i går", None),
    ("Bygland", None),
])
def test_split_date_prefix(text: str, expected: tuple[str, str] | None) -> None:
    assert split_date_prefix(text, NOW, direction=PAST) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Agder 2025", ("Agder", 2025, "2025")),
    ("Agder i 2025", ("Agder", 2025, "2025")),
    ("Agder i fjor", ("Agder", 2025, "i fjor")),
    ("i år", ("", 2026, "i år")),
    ("4204", ("", 4204, "4204")),
    ("Agder", None),
    ("Agder 25", None),
])
def test_split_year_suffix(text: str, expected: tuple[str, int, str] | None) -> None:
    assert split_year_suffix(text, NOW) == expected


@pytest.mark.parametrize(("now", "direction", "sentence"), [
    (JAN_5, PAST, "29. februar 2026 finnes ikke: 2026 er ikke et skuddår."),
    (JAN_5, FUTURE, "29. februar 2027 finnes ikke: 2027 er ikke et skuddår."),
    (datetime(2028, 3, 1, 9, tzinfo=OSLO), FUTURE, "29. februar 2029 finnes ikke"),
])
def test_29_february_without_a_year_is_not_taken_from_a_leap_year_years_off(
        now: datetime, direction: Direction, sentence: str) -> None:
    with pytest.raises(UsageError, match=re.escape(sentence)):
        parse_date("29. februar", now, direction=direction)


def test_29_february_without_a_year_in_a_leap_year() -> None:
    leap = datetime(2028, 3, 1, 9, tzinfo=OSLO)
    assert parse_date("29. februar", leap, direction=PAST) == date(2028, 2, 29)


@pytest.mark.parametrize(("text", "sentence"), [
    ("32. mai", "32. mai finnes ikke: mai har 31 dager."),
    ("0. mai", "0. mai finnes ikke: mai har 31 dager."),
    ("40. februar 2026", "40. februar 2026 finnes ikke"),
])
def test_a_day_with_a_month_name_that_no_month_has_is_named_impossible(text: str,
                                                                       sentence: str) -> None:
    with pytest.raises(UsageError, match=re.escape(sentence)):
        parse_date(text, NOW, direction=PAST)
