"""Norwegian dates as coordinators type them, relative to a fixed Tuesday."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest

from commands.parse.dates import parse_date, split_date_suffix, warm_up
from tests.support.clock import NOW, OSLO, at


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
    ("1. des", date(2026, 12, 1)),
    ("3. sept.", date(2026, 9, 3)),
    ("den 12. mai", date(2026, 5, 12)),
    ("tirsdag 12. mai", date(2026, 5, 12)),
    ("tirsdag den 12.5.", date(2026, 5, 12)),
    ("den 12.", date(2026, 11, 12)),
    ("31. desember", date(2026, 12, 31)),
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
    assert parse_date(text, NOW) == expected


@pytest.mark.parametrize("text", [
    "31. februar", "31.02", "30.02.2026", "12.13", "2026-02-30",
    "", "   ", "12", "2026", "4204", "mai", "mai 2026", "desember",
    "forrige uke", "neste uke", "for en måned siden",
    "Lillesand", "Lillesand i går", "Sel 12.05", "i går Lillesand",
])
def test_not_a_date(text: str) -> None:
    assert parse_date(text, NOW) is None


@pytest.mark.parametrize(("now", "text", "expected"), [
    (at(2027, 1, 1, 9), "i går", date(2026, 12, 31)),
    (at(2027, 1, 1, 9), "forrige fredag", date(2026, 12, 25)),
    (at(2027, 1, 1, 9), "mandag", date(2026, 12, 28)),
    (at(2027, 1, 1, 9), "12. mai", date(2027, 5, 12)),
    (at(2026, 11, 30, 9), "forrige fredag", date(2026, 11, 27)),
    (at(2026, 11, 29, 9), "forrige fredag", date(2026, 11, 20)),
    (at(2026, 11, 29, 9), "fredag", date(2026, 11, 27)),
    # 23:30 UTC is already the next day in Oslo; the day is that of now's own zone (the bot's).
    (datetime(2026, 11, 23, 23, 30, tzinfo=UTC).astimezone(OSLO), "i dag", date(2026, 11, 24)),
    (datetime(2026, 11, 23, 23, 30, tzinfo=UTC).astimezone(OSLO), "i går", date(2026, 11, 23)),
    (datetime(2026, 11, 23, 23, 30, tzinfo=UTC), "i dag", date(2026, 11, 23)),
])
def test_relative_to_now(now: datetime, text: str, expected: date) -> None:
    assert parse_date(text, now) == expected


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
    assert split_date_suffix(text, NOW) == expected


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
    assert split_date_suffix(text, NOW) is None


def test_common_forms_take_well_under_a_millisecond() -> None:
    warm_up()
    forms = ["i går", "12. mai 2026 kl 10", "12.05", "neste tirsdag", "for 3 dager siden"]
    start = time.perf_counter()
    for _ in range(200):
        for text in forms:
            parse_date(text, NOW)
    per_call = (time.perf_counter() - start) / (200 * len(forms))
    assert per_call < 0.0002
