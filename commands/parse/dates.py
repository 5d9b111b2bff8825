"""Norwegian dates, as people type them when they log or offer a meeting.

The common forms are read by our own patterns (a few microseconds each): dateparser gets
several of them wrong (``neste tirsdag``, ``igår``, ``i forgårs`` give nothing; ``12. mai kl
10`` comes back in 2010; ``12.05`` is read as the time 12:05 and ``kl 14`` as the 14th).
dateparser is only asked about what is left, only when every word is a date word, with the
language fixed to bokmål (about 1 ms instead of 85 ms), and its answer is checked.

Rules:

* A trailing time (``kl 10``, ``kl. 10.30``, ``klokka 10``, ``10:30``) is dropped; a time
  alone (``kl 14``) means today.
* A date without a year is in the current year, also when that is ahead (the caller decides
  whether a future date is allowed); a two-digit year is 20xx.
* Weekdays, for logging what has happened: ``tirsdag`` and ``på tirsdag`` are the most recent
  one, today included; ``sist tirsdag`` / ``tirsdag sist`` the most recent before today;
  ``forrige tirsdag`` the Tuesday of the previous calendar week (Monday to Sunday) and
  ``neste tirsdag`` that of the next; ``kommende tirsdag`` the first one after today.
* A date that does not exist (``31. februar``) is None, never a neighbouring day.
* A date outside the years lhl keeps (:data:`FIRST_YEAR`, the reform's first year, to
  :data:`YEARS_AHEAD` years from now, for planned things) is refused with a sentence: a year
  such as 1 or 9999 is a typing error, never a date to store or compute with.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from dateparser.date import DateDataParser

from commands.base import UsageError
from voice.text import fold
from voice.words import MONTH_NUMBERS, MONTH_PATTERN, WEEKDAY_NUMBERS, WEEKDAY_PATTERN

FIRST_YEAR = 2019
YEARS_AHEAD = 5

_COUNTS = {"en": 1, "ei": 1, "ett": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6,
           "sju": 7, "syv": 7, "atte": 8, "ni": 9, "ti": 10}
_DAYS_FROM_TODAY = {"i dag": 0, "idag": 0, "i morges": 0, "i kveld": 0, "i gar": -1,
                    "igar": -1, "i forgars": -2, "iforgars": -2, "i morgen": 1, "imorgen": 1,
                    "i overmorgen": 2, "iovermorgen": 2}

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
    rf"^(?:(pa|sist|forrige|neste|kommende|forstkommende) )?({_WEEKDAY})( sist)?$"
)
_NUMERIC = re.compile(r"^(\d{1,2})([./])(\d{1,2})(?:\2(\d{4}|\d{2}))?\.?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NAMED_MONTH = re.compile(rf"^(?:den )?(\d{{1,2}})\.? ?({_MONTH})\.?,?(?: (\d{{4}}|\d{{2}}))?$")
_DAY_OF_MONTH = re.compile(r"^den (\d{1,2})\.?$")

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


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(text: str | None, today: date) -> int:
    if text is None:
        return today.year
    return 2000 + int(text) if len(text) == 2 else int(text)


def _relative(m: re.Match[str], today: date) -> date | None:
    return today + timedelta(days=_DAYS_FROM_TODAY[m[1]])


def _ago(m: re.Match[str], today: date) -> date | None:
    count = _COUNTS.get(m[1]) or int(m[1])
    unit = 7 if m[2].startswith("uke") else 1
    return today - timedelta(days=count * unit)


def _weekday(m: re.Match[str], today: date) -> date | None:
    modifier, target = m[1], WEEKDAY_NUMBERS[m[2]]
    back = (today.weekday() - target) % 7
    if modifier == "sist" or m[3]:
        return today - timedelta(days=back or 7)
    if modifier in ("kommende", "forstkommende"):
        return today + timedelta(days=(target - today.weekday()) % 7 or 7)
    monday = today - timedelta(days=today.weekday())
    if modifier == "forrige":
        return monday - timedelta(days=7 - target)
    if modifier == "neste":
        return monday + timedelta(days=7 + target)
    return today - timedelta(days=back)


def _numeric(m: re.Match[str], today: date) -> date | None:
    return _make(_year(m[4], today), int(m[3]), int(m[1]))


def _iso(m: re.Match[str], today: date) -> date | None:
    return _make(int(m[1]), int(m[2]), int(m[3]))


def _named_month(m: re.Match[str], today: date) -> date | None:
    return _make(_year(m[3], today), MONTH_NUMBERS[m[2]], int(m[1]))


def _day_of_month(m: re.Match[str], today: date) -> date | None:
    return _make(today.year, today.month, int(m[1]))


_FORMS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], date], date | None]], ...] = (
    (_RELATIVE, _relative), (_NUMERIC, _numeric), (_NAMED_MONTH, _named_month),
    (_WEEKDAY_FORM, _weekday), (_AGO, _ago), (_ISO, _iso), (_DAY_OF_MONTH, _day_of_month),
)


@lru_cache(maxsize=4)
def _dateparser_for(base: datetime) -> DateDataParser:
    """One parser per day: dateparser fixes RELATIVE_BASE when the parser is built, and only
    the date of ``now`` matters here (no hour-level words reach it)."""
    return DateDataParser(languages=["nb"], settings={
        "DATE_ORDER": "DMY",
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "current_period",
    })


def _fallback(text: str, today: date) -> date | None:
    """dateparser, for date words our patterns do not cover; a bare number, a month or a
    year alone, or an answer more than a few years away, is not taken as a date."""
    words = _WORD.findall(text)
    if not words or any(w not in _DATE_WORDS for w in words):
        return None
    data = _dateparser_for(datetime.combine(today, time(12))).get_date_data(text)
    if data.date_obj is None or data.period != "day":
        return None
    found = data.date_obj.date()
    return found if abs(found.year - today.year) <= _FALLBACK_YEARS else None


def parse_date(text: str, now: datetime) -> date | None:
    """A calendar date from Norwegian text relative to ``now`` (in the bot's time zone), or None.

    See the module docstring for the forms and rules.
    """
    today = _today(now)
    cleaned, had_time = _strip_time(_normalise(text))
    if not cleaned:
        return today if had_time else None
    cleaned = _LEADING_WEEKDAY.sub("", cleaned)
    for pattern, build in _FORMS:
        m = pattern.match(cleaned)
        if m is not None:
            return _plausible(build(m, today), today)
    return _fallback(cleaned, today)


def _plausible(found: date | None, today: date) -> date | None:
    last = today.year + YEARS_AHEAD
    if found is not None and not FIRST_YEAR <= found.year <= last:
        raise UsageError(
            f"Året {found.year} er utenfor årene jeg fører ({FIRST_YEAR}–{last}); skriv "
            f"datoen med riktig år, for eksempel «12.05.{today.year}» eller «12. mai»."
        )
    return found


_MAX_DATE_WORDS = 6


def split_date_suffix(text: str, now: datetime) -> tuple[str, date] | None:
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
        found = parse_date(" ".join(words[-n:]), now)
        if found is not None:
            return head, found
    return None


def warm_up() -> None:
    """Pay dateparser's first-call cost (about 0.2 s) at start rather than on a user's first
    command."""
    _fallback("for en dag siden", datetime.now(UTC).date())
