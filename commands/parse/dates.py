"""Norwegian dates, as people type them: the one date grammar of every command that takes a
date (``logg-møte``, ``tilby-møte``, ``påminnelse ny`` and ``frist``, and the year of
``status``).

The common forms are read by our own patterns (a few microseconds each): dateparser gets
several of them wrong (``neste tirsdag``, ``igår``, ``i forgårs`` give nothing; ``12. mai kl
10`` comes back in 2010; ``12.05`` is read as the time 12:05 and ``kl 14`` as the 14th).
dateparser is only asked about what is left, only when every word is a date word, with the
language fixed to bokmål (about 1 ms instead of 85 ms), and its answer is checked.

Every reading has a :data:`Direction`, given by the caller, never guessed: :data:`PAST` for
what has happened (a held meeting, an offer made), :data:`FUTURE` for what is planned (a
reminder, a deadline). It decides only the words that leave the direction open.

Rules:

* A trailing time (``kl 10``, ``kl. 10.30``, ``klokka 10``, ``10:30``) is dropped; a time
  alone (``kl 14``) means today.
* A date without a year (``24. desember``, ``24.12``) is the most recent such day, today
  included, looking back, and the next such day, today included, looking forward: on
  5 January 2027 ``24. desember`` is 24 December 2026 for a held meeting and 24 December
  2027 for a reminder. ``29. februar`` is the most recent (next) one there was (will be).
  ``den 12.`` is the 12th of this month or the one before (after). A two-digit year is 20xx.
* Weekdays: ``tirsdag`` and ``på tirsdag`` are the most recent Tuesday (looking back) or the
  next one (looking forward), today included; ``sist tirsdag`` / ``tirsdag sist`` the most
  recent before today; ``forrige tirsdag`` the Tuesday of the previous calendar week (Monday
  to Sunday) and ``neste tirsdag`` that of the next; ``kommende tirsdag`` the first one after
  today. These, and ``i går``, ``i morgen``, ``for 3 dager siden``, ``om 3 dager``, mean the
  same whichever the direction.
* A date that does not exist (``31. februar``, ``30.02``, ``29. februar 2027``) is refused
  with a sentence that says so, never read as a neighbouring day or as "no date".
* A date outside the years lhl keeps (:data:`FIRST_YEAR`, the reform's first year, to
  :data:`YEARS_AHEAD` years from now, for planned things) is refused with a sentence: a year
  such as 1 or 9999 is a typing error, never a date to store or compute with.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Final, Literal, NamedTuple

from dateparser.date import DateDataParser

from commands.base import UsageError
from voice.text import fold
from voice.words import (
    MONTH_NUMBERS,
    MONTH_PATTERN,
    MONTHS,
    WEEKDAY_NUMBERS,
    WEEKDAY_PATTERN,
)

Direction = Literal["past", "future"]
"""Which way a date without a year (or a bare weekday) is read: see the module docstring."""
PAST: Final[Direction] = "past"
FUTURE: Final[Direction] = "future"

FIRST_YEAR = 2019
YEARS_AHEAD = 5

_COUNTS = {"en": 1, "ei": 1, "ett": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6,
           "sju": 7, "syv": 7, "atte": 8, "ni": 9, "ti": 10}
_DAYS_FROM_TODAY = {"i dag": 0, "idag": 0, "i morges": 0, "i kveld": 0, "i gar": -1,
                    "igar": -1, "i forgars": -2, "iforgars": -2, "i morgen": 1, "imorgen": 1,
                    "i overmorgen": 2, "iovermorgen": 2}
_LONGEST_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

_MONTH = MONTH_PATTERN
_WEEKDAY = WEEKDAY_PATTERN
_HOUR = r"(?:[01]?\d|2[0-4])(?:[.:][0-5]\d)?"

_TIME = re.compile(
    rf"(?:^|,? )(?:kl\.?|klokka|klokken) ?{_HOUR}(?: ?- ?{_HOUR})?$"
    r"|(?:^|,? )(?:[01]?\d|2[0-3]):[0-5]\d$"
)
_LEADING_WEEKDAY = re.compile(rf"^(?:{_WEEKDAY}),? (?:den )?(?=\d)")
_RELATIVE = re.compile(
    r"^(i ?dag|i morges|i kveld|i ?gar|i ?forgars|i ?morgen|i ?overmorgen)"
    r"(?: (?:morges|tidlig|formiddag|ettermiddag|kveld))?$"
)
_AGO = re.compile(rf"^(?:for )?(\d{{1,3}}|{'|'.join(_COUNTS)}) (dag|dager|uke|uker) siden$")
_WEEKDAY_FORM = re.compile(
    rf"^(?:(pa|sist|forrige|neste|kommende|forstkommende|forst kommende) )?({_WEEKDAY})"
    r"( sist)?$"
)
_NUMERIC = re.compile(r"^(\d{1,2})([./])(\d{1,2})(?:\2(\d{4}|\d{2}))?\.?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NAMED_MONTH = re.compile(rf"^(?:den )?(\d{{1,2}})\.? ?({_MONTH})\.?,?(?: (\d{{4}}|\d{{2}}))?$")
_DAY_OF_MONTH = re.compile(r"^den (\d{1,2})\.?$")
_YEAR = re.compile(r"(?:^|\s)(?:i\s+)?(\d{4})$|(?:^|\s)(i\s+(?:år|aar|fjor))$", re.I)

_DATE_WORDS = frozenset(
    set(MONTH_NUMBERS) | set(WEEKDAY_NUMBERS) | set(_COUNTS)
    | {"i", "pa", "for", "om", "den", "siden", "sist", "siste", "forrige", "neste",
       "kommende", "dag", "dager", "dagen", "uke", "uker", "uka", "gar", "morgen",
       "forgars", "overmorgen", "idag", "igar", "imorgen"}
)
_WORD = re.compile(r"[a-z]+")
_FALLBACK_YEARS = 5


def _today(now: datetime) -> date:
    """Today where ``now`` is: its own time zone, the bot's (``LHL_TIMEZONE``)."""
    return now.date()


def _normalise(text: str) -> str:
    """Folded (``går``→``gar``, ``aa``→``a``), single spaces, no trailing comma or full stop
    after a word (``i går.``)."""
    folded = " ".join(fold(text).replace("aa", "a").split())
    return re.sub(r"(?<=[a-z])\.$", "", folded.strip(" ,;!"))


def _strip_time(text: str) -> tuple[str, bool]:
    m = _TIME.search(text)
    if m is None:
        return text, False
    return text[: m.start()].strip(" ,"), True


def _impossible(day: int, month: int, year: int | None) -> UsageError:
    """``31. februar finnes ikke: februar har 28 dager (29 i skuddår). …``, with the month's
    last day as the example."""
    name = MONTHS[month - 1]
    in_year = f" {year}" if year is not None else ""
    last = _LONGEST_MONTH[month - 1]
    if month != 2:
        why = f"{name} har {last} dager"
    elif year is None:
        last, why = 28, "februar har 28 dager (29 i skuddår)"
    elif not calendar.isleap(year):
        last = 28
        why = f"{year} er ikke et skuddår" if day == 29 else f"februar {year} har 28 dager"
    else:
        why = f"februar {year} har 29 dager"
    return UsageError(f"{day}. {name}{in_year} finnes ikke: {why}. Skriv en dato som finnes, "
                      f"for eksempel «{last}. {name}{in_year}».", reason="impossible date")


def _calendar(day: int, month: int) -> bool:
    """Whether ``day``/``month`` has the shape of a calendar date (a day of some month); a
    shape that fits no month at all (``12.13``, ``45.05``) is no date, not an impossible one."""
    return 1 <= month <= 12 and 1 <= day <= 31


def _dated(year: int, month: int, day: int, today: date) -> date:
    _check_year(year, today)
    try:
        return date(year, month, day)
    except ValueError:
        raise _impossible(day, month, year) from None


def _yearless(month: int, day: int, today: date, direction: Direction) -> date:
    """The most recent (PAST) or next (FUTURE) ``day``/``month``, today included.

    29 February in a year that has none is named as impossible rather than taken from a leap
    year up to four years off (``29. februar`` typed in 2026 is a slip, not 2024)."""
    if not 1 <= day <= _LONGEST_MONTH[month - 1]:
        raise _impossible(day, month, None)
    if direction == PAST:
        year = today.year if (month, day) <= (today.month, today.day) else today.year - 1
    else:
        year = today.year if (month, day) >= (today.month, today.day) else today.year + 1
    try:
        return date(year, month, day)
    except ValueError:
        raise _impossible(day, month, year) from None


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _relative(m: re.Match[str], today: date, direction: Direction) -> date | None:
    return today + timedelta(days=_DAYS_FROM_TODAY[m[1]])


def _ago(m: re.Match[str], today: date, direction: Direction) -> date | None:
    count = _COUNTS.get(m[1]) or int(m[1])
    unit = 7 if m[2].startswith("uke") else 1
    return today - timedelta(days=count * unit)


def _weekday(m: re.Match[str], today: date, direction: Direction) -> date | None:
    modifier, target = m[1], WEEKDAY_NUMBERS[m[2]]
    back = (today.weekday() - target) % 7
    if modifier == "sist" or m[3]:
        return today - timedelta(days=back or 7)
    if modifier in ("kommende", "forstkommende", "forst kommende"):
        return today + timedelta(days=(target - today.weekday()) % 7 or 7)
    monday = today - timedelta(days=today.weekday())
    if modifier == "forrige":
        return monday - timedelta(days=7 - target)
    if modifier == "neste":
        return monday + timedelta(days=7 + target)
    if direction == FUTURE:
        return today + timedelta(days=(target - today.weekday()) % 7)
    return today - timedelta(days=back)


def _day_month(day: int, month: int, year: str | None, today: date,
               direction: Direction) -> date | None:
    if not _calendar(day, month):
        return None
    if year is None:
        return _yearless(month, day, today, direction)
    return _dated(_year(year), month, day, today)


def _numeric(m: re.Match[str], today: date, direction: Direction) -> date | None:
    return _day_month(int(m[1]), int(m[3]), m[4], today, direction)


def _iso(m: re.Match[str], today: date, direction: Direction) -> date | None:
    return _day_month(int(m[3]), int(m[2]), m[1], today, direction)


def _named_month(m: re.Match[str], today: date, direction: Direction) -> date | None:
    """A day with a month's name is a date however wrong the day (``32. mai``, ``0. mai`` are
    impossible dates, not words)."""
    day, month = int(m[1]), MONTH_NUMBERS[m[2]]
    if not 1 <= day <= 31:
        raise _impossible(day, month, _year(m[3]) if m[3] else None)
    return _day_month(day, month, m[3], today, direction)


def _day_of_month(m: re.Match[str], today: date, direction: Direction) -> date | None:
    """``den 12.``: the 12th of this month if it fits the direction, else of the month
    before (after), skipping months too short for it."""
    day = int(m[1])
    if not 1 <= day <= 31:
        return None
    step = -1 if direction == PAST else 1
    index = today.year * 12 + today.month - 1
    while True:  # a month with the day in it comes within two months
        year, month = divmod(index, 12)
        index += step
        try:
            found = date(year, month + 1, day)
        except ValueError:
            continue
        if (found <= today) if direction == PAST else (found >= today):
            return found


_Form = Callable[[re.Match[str], date, Direction], date | None]
_FORMS: tuple[tuple[re.Pattern[str], _Form], ...] = (
    (_RELATIVE, _relative), (_NUMERIC, _numeric), (_NAMED_MONTH, _named_month),
    (_WEEKDAY_FORM, _weekday), (_AGO, _ago), (_ISO, _iso), (_DAY_OF_MONTH, _day_of_month),
)


@lru_cache(maxsize=4)
def _dateparser_for(base: datetime, direction: Direction) -> DateDataParser:
    """One parser per day and direction: dateparser fixes RELATIVE_BASE when the parser is
    built, and only the date of ``now`` matters here (no hour-level words reach it)."""
    return DateDataParser(languages=["nb"], settings={
        "DATE_ORDER": "DMY",
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": direction,
    })


def _fallback(text: str, today: date, direction: Direction) -> date | None:
    """dateparser, for date words our patterns do not cover; a bare number, a month or a
    year alone, or an answer more than a few years away, is not taken as a date."""
    words = _WORD.findall(text)
    if not words or any(w not in _DATE_WORDS for w in words):
        return None
    data = _dateparser_for(datetime.combine(today, time(12)), direction).get_date_data(text)
    if data.date_obj is None or data.period != "day":
        return None
    found = data.date_obj.date()
    return found if abs(found.year - today.year) <= _FALLBACK_YEARS else None


def parse_date(text: str, now: datetime, *, direction: Direction) -> date | None:
    """A calendar date from Norwegian text relative to ``now`` (in the bot's time zone), or
    None when the text is not a date.

    ``direction`` is :data:`PAST` for what has happened and :data:`FUTURE` for what is
    planned (see the module docstring). Raises UsageError for a date that does not exist or
    lies outside the years lhl keeps.
    """
    today = _today(now)
    cleaned, had_time = _strip_time(_normalise(text))
    if not cleaned:
        return today if had_time else None
    cleaned = _LEADING_WEEKDAY.sub("", cleaned)
    for pattern, build in _FORMS:
        m = pattern.match(cleaned)
        if m is not None:
            found = build(m, today, direction)
            if found is not None:
                _check_year(found.year, today)
            return found
    return _fallback(cleaned, today, direction)


YEAR_OUTSIDE = "year_outside"
"""The ``reason`` of the refusal of a year lhl does not keep (before 2019, too far ahead)."""


def _check_year(year: int, today: date) -> None:
    last = today.year + YEARS_AHEAD
    if not FIRST_YEAR <= year <= last:
        raise UsageError(
            f"Året {year} er utenfor årene jeg fører ({FIRST_YEAR}–{last}); skriv "
            f"datoen med riktig år, for eksempel «12.05.{today.year}» eller «12. mai».",
            reason=YEAR_OUTSIDE,
        )


_MAX_DATE_WORDS = 6


def split_date_suffix(text: str, now: datetime, *, direction: Direction
                      ) -> tuple[str, date] | None:
    """Split a trailing date off a command: ``"Vennesla, Lillesand i går"`` →
    ``("Vennesla, Lillesand", <yesterday>)``.

    The rule: of the last 1 to 6 words, take the *longest* run that :func:`parse_date`
    reads as a date, as long as at least one word is left before it (so ``12. mai 2026`` is
    taken whole, not just ``2026``). The head is returned stripped of spaces and a trailing
    comma. None when no trailing run is a date, or when the text is nothing but a date. A
    bare number or year (``Vennesla 2026``) is never a date.
    """
    words = text.split()
    for n in range(min(_MAX_DATE_WORDS, len(words) - 1), 0, -1):
        head = " ".join(words[:-n]).strip().rstrip(",;").strip()
        if not head:
            continue
        found = parse_date(" ".join(words[-n:]), now, direction=direction)
        if found is not None:
            return head, found
    return None


def split_date_prefix(text: str, now: datetime, *, direction: Direction
                      ) -> tuple[str, str] | None:
    """A date written *first*: ``"i går Bygland"`` → ``("i går", "Bygland")``, the date as
    typed and the rest, by the rule of :func:`split_date_suffix` mirrored; None when the text
    does not start with a date or is nothing but one. For saying where the date belongs."""
    words = text.split()
    for n in range(min(_MAX_DATE_WORDS, len(words) - 1), 0, -1):
        rest = " ".join(words[n:]).strip().lstrip(",;").strip()
        written = " ".join(words[:n]).rstrip(",;")
        if rest and parse_date(written, now, direction=direction) is not None:
            return written, rest
    return None


_MARKUP = re.compile(r"<[^>]*>")
_TEXT_SCANNED = 4000
"""Characters of a message searched for dates (a long message's dates are near its start)."""


def dates_in(text: str, now: datetime, *, direction: Direction) -> list[date]:
    """The dates written in free text (a Slack message), in the order written: at each word,
    the longest run of up to six words that :func:`parse_date` reads, so ``møttes 12. mai
    2026 i Bygland`` gives 12 May 2026. A time alone (``kl 10``, ``10:30``) is not taken for
    today, a date that does not exist is passed over, and Slack's markup (links, mentions)
    is not read."""
    words = _MARKUP.sub(" ", text[:_TEXT_SCANNED]).split()
    found: list[date] = []
    i = 0
    while i < len(words):
        for n in range(min(_MAX_DATE_WORDS, len(words) - i), 0, -1):
            written = " ".join(words[i:i + n]).rstrip(",;:!?)")
            if not _strip_time(_normalise(written))[0]:
                continue
            try:
                day = parse_date(written, now, direction=direction)
            except UsageError:
                day = None
            if day is not None:
                found.append(day)
                i += n
                break
        else:
            i += 1
    return found


class YearSuffix(NamedTuple):
    head: str
    year: int
    written: str
    """The year as typed: a four-digit number may be a kommunenummer instead."""


def split_year_suffix(text: str, now: datetime) -> YearSuffix | None:
    """A trailing year: ``"Agder 2025"``, ``"Agder i 2025"``, ``"Agder i fjor"``, ``"i år"``.

    Any four-digit number counts; the caller checks the range (and whether it is rather a
    kommunenummer)."""
    m = _YEAR.search(text)
    if m is None:
        return None
    written = m[1] or m[2]
    last_year = fold(written).endswith("fjor")
    year = int(written) if m[1] else now.year - (1 if last_year else 0)
    return YearSuffix(text[: m.start()].strip(), year, written)


_LEADING_YEAR = re.compile(r"^(\d{4})(?:\s+|$)")


def split_year(text: str, now: datetime) -> YearSuffix | None:
    """A year first or last: ``2025 Agder`` as ``Agder 2025`` (see :func:`split_year_suffix`)."""
    first = _LEADING_YEAR.match(text)
    if first is not None:
        return YearSuffix(text[first.end():].strip(), int(first[1]), first[1])
    return split_year_suffix(text, now)


def warm_up() -> None:
    """Pay dateparser's first-call cost (about 0.2 s) at start rather than on a user's first
    command."""
    _fallback("for en dag siden", datetime.now(UTC).date(), PAST)
