"""When a reminder fires, as people type it: ``i morgen kl 9``, ``hver første tirsdag kl 10``,
``1. mai og 1. november hvert år``.

Rules:

* A one-off without a time of day (``12. mai``, ``i morgen``) is at 09.00. A recurrence must
  have a time (``hver mandag`` alone is refused).
* Dates are read by :func:`commands.parse.dates.parse_date` looking forward, as every command
  reads them: a date without a year is the next such day (``12. mai`` typed in June is next
  year's); a moment that has passed today, or a past date with a year, is refused.
* A weekday alone (``fredag kl 14``, ``på fredag``) is the next one whose time is still
  ahead, today included; ``neste fredag`` is the Friday of next week and ``kommende fredag``
  the first after today (as in logging).
* ``hver første``/``hver siste <ukedag>`` and ``hver 1. <ukedag>`` are a day of the month;
  ``hver andre``/``tredje``/``fjerde``/``2.`` ``<ukedag>`` count weeks (``hver andre tirsdag``
  is every other Tuesday); ``andre tirsdag i måneden`` is the second Tuesday of the month.
* Every other week or month (``annenhver …``) is counted from the first occurrence after
  the reminder is made, which becomes the rule's ``anchor``.
* ``om 2 timer`` is two real hours from now; ``om 2 dager`` is the same clock time two days
  on (or at the given time: ``om 2 dager kl 9``).
* Daily reminders are not supported: a rule is one weekday or one day of the month.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from commands.base import UsageError
from commands.parse.dates import FUTURE, parse_date
from schedules.rules import (
    Deadlines,
    MonthlyDay,
    MonthlyWeekday,
    Once,
    Rule,
    Weekly,
    lead_in_words,
    next_occurrence,
    occurrences,
)
from voice.reply import said
from voice.text import find_quoted, fold
from voice.words import (
    WEEKDAY_NUMBERS,
    WEEKDAY_PATTERN,
    WEEKDAYS,
    date_in_words,
    echo,
    moment_in_words,
)

DEFAULT_TIME = time(9, 0)
MAX_LEAD_DAYS = 365
_MAX_AHEAD = timedelta(days=366)

_NEW_EXAMPLE = '`/lhl påminnelse ny "Statusmøte med Hdir" hver første tirsdag kl 10`'
_WHEN_EXAMPLES = ("«om 10 minutter», «i morgen kl 9», «12. mai kl 10», «hver mandag kl 9» "
                  "eller «hver første tirsdag kl 10»")
_LEAD_EXAMPLES = "«varsel 15 minutter før», «varsel 1 time før» eller «varsel 2 dager før»"
_DEADLINE_EXAMPLES = "«1. mai», «1.11», «1. mai 2027» eller «1. mai og 1. november hvert år»"

_NUMBERS = {"en": 1, "ei": 1, "ett": 1, "et": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5,
            "seks": 6, "sju": 7, "syv": 7, "atte": 8, "ni": 9, "ti": 10, "femten": 15,
            "tjue": 20, "tretti": 30, "forti": 40, "femti": 50}
_UNIT_MINUTES = {"minutt": 1, "minutter": 1, "min": 1, "time": 60, "timer": 60,
                 "dag": 1440, "dager": 1440, "uke": 10080, "uker": 10080}
_NTH = {"forste": 1, "1.": 1, "andre": 2, "2.": 2, "tredje": 3, "3.": 3, "fjerde": 4,
        "4.": 4, "siste": -1}
_WD = rf"(?P<wd>{WEEKDAY_PATTERN})"
_NTH_RE = r"(?P<nth>forste|1\.|andre|2\.|tredje|3\.|fjerde|4\.|siste)"
_EVERY = (r"(?P<every>hver|annenhver|annen hver|hver annen"
          r"|hver (?:andre|tredje|fjerde|(?:[2-9]|[1-4]\d|5[0-2])\.))")
_MONTH_WORD = r"(?:maned|mnd\.?)"
_IN_MONTH = r"(?:i maneden|i mnd\.?)"
_PER_MONTH = rf"(?:{_IN_MONTH}|(?:i )?{_EVERY} {_MONTH_WORD})"
_COUNT = rf"(?P<n>\d{{1,4}}|{'|'.join(_NUMBERS)})"
_UNIT = r"(?P<unit>minutter|minutt|min|timer|time|dager|dag|uker|uke)"

_WEEKLY = (re.compile(rf"^{_EVERY} (?:uke )?(?:pa )?{_WD}$"),
           re.compile(rf"^(?:pa )?{_WD} {_EVERY} uke$"))
_MONTHLY_WEEKDAY = (
    re.compile(rf"^{_EVERY} (?:{_MONTH_WORD} )?(?:den )?{_NTH_RE} {_WD}(?: {_IN_MONTH})?$"),
    re.compile(rf"^(?:den )?{_NTH_RE} {_WD} {_PER_MONTH}$"),
)
_MONTHLY_DAY = (
    re.compile(rf"^{_EVERY} {_MONTH_WORD} (?:pa )?(?:den )?(?P<day>\d{{1,2}})\.?$"),
    re.compile(rf"^(?:den )?(?P<day>\d{{1,2}})\.? {_PER_MONTH}$"),
)
_DAILY = re.compile(r"^(?:(?:hver|alle) (?:dag|dager|virkedag|virkedager|hverdag|hverdager"
                    r"|morgen)|daglig)$")
# A weekday alone, whose day the direction decides; read here to the minute (today while its
# time is still ahead). ``kommende``, ``neste`` … mean what they mean in every command.
_ONE_WEEKDAY = re.compile(rf"^(?:pa )?{_WD}$")
_IN = re.compile(rf"^om {_COUNT} {_UNIT}$")
_IN_WORDS = {"om et kvarter": 15, "om ett kvarter": 15, "om en halvtime": 30,
             "om halvannen time": 90}
_TIME = (re.compile(r"(?:^| )(?:kl\.?|klokka|klokken) ?(?P<h>\d{1,2})(?:[.:](?P<m>\d{2}))?"
                    r"(?= |$)"),
         re.compile(r"(?:^| )(?P<h>\d{1,2}):(?P<m>\d{2})(?= |$)"))
_LEAD = re.compile(r"(?:^| )(?:med )?varsel\b ?(?P<body>.*)$")
_LEAD_BODY = re.compile(rf"^(?:om )?{_COUNT} {_UNIT}(?: for)?$")
_LEAD_WORDS = {"et kvarter": 15, "ett kvarter": 15, "en halvtime": 30, "halvannen time": 90}
_YEARLY = re.compile(r"(?:^| )(?:hvert ar|hvert eneste ar|arlig|arlige)(?= |$)")
_LEAD_DAY_NUMBER = re.compile(r"\d+")
_LEAD_DAY_FILLER = re.compile(r"^(?:og|dag|dager|for|,)$")


def _normalise(text: str, *, commas: bool = False) -> str:
    """Folded (``før`` → ``for``), single spaces, no closing full stop or exclamation mark;
    commas become spaces unless ``commas``."""
    folded = fold(text).replace("aa", "a")
    if not commas:
        folded = re.sub(r",(?=\s|$)", " ", folded)
    folded = " ".join(folded.split())
    return re.sub(r"(?<=[a-z])\.$", "", folded.strip(" ;!"))


def _zone(now: datetime) -> ZoneInfo:
    """The bot's time zone, which ``now`` carries (``Context.now`` is in ``Context.tz``)."""
    if not isinstance(now.tzinfo, ZoneInfo):
        raise ValueError("now must carry the bot's ZoneInfo time zone")
    return now.tzinfo


def _count(word: str) -> int:
    return _NUMBERS[word] if word in _NUMBERS else int(word)


def _split_lead(text: str) -> tuple[str, int]:
    """``… varsel 15 minutter før`` → (``…``, 15)."""
    m = _LEAD.search(text)
    if m is None:
        return text, 0
    body = m["body"]
    if body in _LEAD_WORDS or body.removesuffix(" for") in _LEAD_WORDS:
        minutes = _LEAD_WORDS[body.removesuffix(" for")]
    else:
        lead = _LEAD_BODY.match(body)
        if lead is None:
            raise UsageError(f"Jeg forstår ikke varselet «{said(echo('varsel ' + body))}»; skriv "
                             f"for eksempel {_LEAD_EXAMPLES}.")
        minutes = _count(lead["n"]) * _UNIT_MINUTES[lead["unit"]]
    if minutes > MAX_LEAD_DAYS * 1440:
        raise UsageError(f"Varsel {lead_in_words(minutes)} før er for lenge; skriv høyst "
                         f"{MAX_LEAD_DAYS} dager, for eksempel «varsel 2 dager før».")
    return text[: m.start()].strip(), minutes


def _split_time(text: str) -> tuple[str, time | None]:
    """``i morgen kl 9.30`` → (``i morgen``, 09:30)."""
    for pattern in _TIME:
        m = pattern.search(text)
        if m is None:
            continue
        hour, minute = int(m["h"]), int(m["m"] or 0)
        if hour > 23 or minute > 59:
            raise UsageError(f"Klokkeslettet «{m[0].strip()}» finnes ikke; skriv for eksempel "
                             "«kl 9» eller «kl 14.30».")
        rest = (text[: m.start()] + " " + text[m.end():]).strip()
        return " ".join(rest.split()), time(hour, minute)
    return text, None


def _interval(every: str | None) -> int:
    """``hver`` 1, ``annenhver`` 2, ``hver tredje`` 3, ``hver 6.`` 6."""
    if every is None or every == "hver":
        return 1
    last = every.split()[-1]
    if last in ("andre", "tredje", "fjerde"):
        return _NTH[last]
    if last.endswith("."):
        return int(last[:-1])
    return 2


_Build = Callable[[re.Match[str], time, int], Rule]


def _weekly(m: re.Match[str], at: time, lead: int) -> Rule:
    return Weekly(WEEKDAY_NUMBERS[m["wd"]], at, _interval(m["every"]), lead_minutes=lead)


def _monthly_weekday(m: re.Match[str], at: time, lead: int) -> Rule:
    return MonthlyWeekday(_NTH[m["nth"]], WEEKDAY_NUMBERS[m["wd"]], at, _interval(m["every"]),
                          lead_minutes=lead)


def _monthly_day(m: re.Match[str], at: time, lead: int) -> Rule:
    day = int(m["day"])
    if not 1 <= day <= 31:
        raise UsageError(f"Dag {day} finnes ikke i noen måned; skriv en dag fra 1 til 31, for "
                         "eksempel «hver måned den 15. kl 9».")
    return MonthlyDay(day, at, _interval(m["every"]), lead_minutes=lead)


_RECURRENCES: tuple[tuple[tuple[re.Pattern[str], ...], _Build, str], ...] = (
    (_WEEKLY, _weekly, "hver mandag kl 9"),
    (_MONTHLY_WEEKDAY, _monthly_weekday, "hver første tirsdag kl 10"),
    (_MONTHLY_DAY, _monthly_day, "hver måned den 15. kl 9"),
)


def _anchored(rule: Rule, now: datetime, tz: ZoneInfo) -> Rule:
    """An every-other rule counted from its first occurrence after ``now``."""
    if not isinstance(rule, Weekly | MonthlyWeekday | MonthlyDay) or rule.interval == 1:
        return rule
    first = next_occurrence(replace(rule, interval=1), after=now, tz=tz)
    assert first is not None
    return replace(rule, anchor=date.fromisoformat(first.key[:10]))


def _recurrence(text: str, at: time | None, lead: int, now: datetime,
                tz: ZoneInfo) -> Rule | None:
    for patterns, build, example in _RECURRENCES:
        for pattern in patterns:
            m = pattern.match(text)
            if m is None:
                continue
            if at is None:
                raise UsageError("En påminnelse som gjentas trenger et klokkeslett, for "
                                 f"eksempel «{example}».")
            return _anchored(build(m, at, lead), now, tz)
    return None


def _in(text: str, at: time | None, now: datetime, tz: ZoneInfo) -> datetime | None:
    """``om 10 minutter``: real minutes and hours; days and weeks keep the clock time."""
    minutes = _IN_WORDS.get(text)
    if minutes is None:
        m = _IN.match(text)
        if m is None:
            return None
        minutes = _count(m["n"]) * _UNIT_MINUTES[m["unit"]]
    if timedelta(minutes=minutes) > _MAX_AHEAD:
        raise UsageError(f"«{text}» er for langt fram; skriv en dato, for eksempel "
                         "«12. mai kl 10».")
    if minutes % 1440:
        if at is not None:
            raise UsageError(f"Skriv enten «{text}» eller et klokkeslett, ikke begge; for "
                             "eksempel «om 2 timer» eller «i morgen kl 9».")
        moment = now.astimezone(UTC).replace(microsecond=0) + timedelta(minutes=minutes)
        return moment.astimezone(tz)
    local = now.astimezone(tz)
    day = local.date() + timedelta(minutes=minutes)
    clock = at or local.time().replace(microsecond=0)
    return datetime.combine(day, clock, tzinfo=tz)


def _next_weekday(text: str, at: time, now: datetime, tz: ZoneInfo) -> datetime | None:
    m = _ONE_WEEKDAY.match(text)
    if m is None:
        return None
    today = now.astimezone(tz).date()
    day = today + timedelta(days=(WEEKDAY_NUMBERS[m["wd"]] - today.weekday()) % 7)
    moment = datetime.combine(day, at, tzinfo=tz)
    return moment if moment > now else moment + timedelta(days=7)


def _on_date(text: str, at: time, now: datetime, tz: ZoneInfo) -> datetime | None:
    day = parse_date(text, now, direction=FUTURE) if text else now.astimezone(tz).date()
    return None if day is None else datetime.combine(day, at, tzinfo=tz)


def _check_ahead(rule: Once, now: datetime, tz: ZoneInfo) -> Once:
    if rule.at <= now:
        raise UsageError(f"Tidspunktet {moment_in_words(rule.at)} har allerede vært; skriv et "
                         "tidspunkt fram i tid, for eksempel «i morgen kl 9».")
    if not occurrences(rule, after=now, tz=tz, limit=1):
        raise UsageError(f"Med varsel {lead_in_words(rule.lead_minutes)} før skulle "
                         "påminnelsen ha kommet allerede; velg et kortere varsel eller et "
                         "senere tidspunkt.")
    if rule.at - now > _MAX_AHEAD:
        raise UsageError(f"Tidspunktet {moment_in_words(rule.at)} er mer enn et år fram; "
                         "skriv et tidspunkt innen et år.")
    return rule


def parse_when(text: str, now: datetime) -> Rule:
    """``<når> [varsel <tid> før]``: a one-off (:class:`Once`) or a recurrence, relative to
    ``now`` (aware; its zone, the bot's, is the rule's). See the module docstring."""
    tz = _zone(now)
    cleaned = _normalise(text)
    if not cleaned:
        raise UsageError(f"Skriv når påminnelsen skal komme, for eksempel {_WHEN_EXAMPLES}.")
    cleaned, lead = _split_lead(cleaned)
    cleaned, at = _split_time(cleaned)
    if _DAILY.match(cleaned):
        raise UsageError("Daglige påminnelser har jeg ikke; velg en ukedag eller en dag i "
                         "måneden, for eksempel «hver mandag kl 9».")
    rule = _recurrence(cleaned, at, lead, now, tz)
    if rule is not None:
        return rule
    moment = _in(cleaned, at, now, tz)
    if moment is None:
        moment = _next_weekday(cleaned, at or DEFAULT_TIME, now, tz)
    if moment is None and (cleaned or at is not None):
        moment = _on_date(cleaned, at or DEFAULT_TIME, now, tz)
    if moment is None:
        raise UsageError(f"Jeg forstår ikke når «{said(echo(text))}» er; skriv for "
                         f"eksempel {_WHEN_EXAMPLES}.")
    return _check_ahead(Once(moment, lead), now, tz)


def _lead_days(body: str) -> tuple[int, ...]:
    """``14 7 1 0``, ``14, 7, 1 og 0 dager før`` → (14, 7, 1, 0)."""
    days: set[int] = set()
    for word in body.replace(",", " ").split():
        if _LEAD_DAY_NUMBER.fullmatch(word):
            n = int(word)
            if n > MAX_LEAD_DAYS:
                raise UsageError(f"Varsel {n} dager før går ikke; bruk tall fra 0 til "
                                 f"{MAX_LEAD_DAYS}, for eksempel «varsel 14 7 1 0».")
            days.add(n)
        elif not _LEAD_DAY_FILLER.match(word):
            days = set()
            break
    if not days:
        raise UsageError("Skriv varslene som antall dager før fristen, for eksempel "
                         "«varsel 14 7 1 0».")
    return tuple(sorted(days, reverse=True))


def _deadline(piece: str, now: datetime, today: date, yearly: bool) -> date:
    found = parse_date(piece, now, direction=FUTURE)
    if found is None:
        raise UsageError(f"Jeg forstår ikke datoen «{said(echo(piece))}»; skriv for eksempel "
                         f"{_DEADLINE_EXAMPLES}.")
    if found < today and not yearly:
        raise UsageError(f"Fristen {date_in_words(found)} har allerede vært; skriv en dato fram "
                         "i tid, for eksempel «1. mai».")
    return found


def parse_deadlines(text: str, now: datetime) -> Deadlines:
    """``<dato> [og <dato> ...] [hvert år] [varsel 14 7 1 0]``, relative to ``now`` (aware).

    A date without a year is the next such date, today included; ``varsel`` takes day
    numbers 0–365 (duplicates dropped, largest first) and defaults to 14, 7, 1 and 0.
    """
    tz = _zone(now)
    today = now.astimezone(tz).date()
    cleaned = _normalise(text, commas=True)
    yearly = _YEARLY.search(cleaned) is not None
    cleaned = " ".join(_YEARLY.sub(" ", cleaned).split())
    lead_days: tuple[int, ...] | None = None
    m = _LEAD.search(cleaned)
    if m is not None:
        lead_days = _lead_days(m["body"])
        cleaned = cleaned[: m.start()].strip(" ,")
    pieces = [p.strip() for p in re.split(r" og |,| & ", cleaned) if p.strip()]
    if not pieces:
        raise UsageError(f"Skriv fristen som en dato, for eksempel {_DEADLINE_EXAMPLES}.")
    dates = tuple(sorted({_deadline(p, now, today, yearly) for p in pieces}))
    rule = Deadlines(dates, yearly) if lead_days is None else Deadlines(dates, yearly, lead_days)
    if not occurrences(rule, after=now, tz=tz, limit=1):
        raise UsageError(f"Alle varslene for fristen {date_in_words(dates[-1])} ville kommet "
                         f"før nå{_last_notice(rule, now, tz)}; skriv en senere frist, for "
                         "eksempel «1. mai».")
    return rule


def _last_notice(rule: Deadlines, now: datetime, tz: ZoneInfo) -> str:
    """`` (det siste fredag 4. desember 2026 kl. 09.00, flyttet fra lørdag …)``: when the last
    notice would have come, so that a deadline tomorrow on a weekend makes sense."""
    passed = occurrences(rule, after=now - timedelta(days=max(rule.lead_days) + 7), tz=tz,
                         limit=len(rule.lead_days) * len(rule.dates))
    if not passed:
        return " (de sendes kl. 09.00)"
    last = passed[-1]
    moved = ""
    if last.moved_from is not None:
        moved = (f", flyttet fra {WEEKDAYS[last.moved_from.weekday()]} "
                 f"{date_in_words(last.moved_from)}")
    return f" (det siste {moment_in_words(last.due)}{moved})"


def split_quoted(text: str) -> tuple[str, str]:
    """The leading quoted text, on one line, and the rest: ``"Statusmøte" hver mandag kl 9``
    → (``Statusmøte``, ``hver mandag kl 9``). Straight and typographic quotes (“ ” « » „ “)
    are accepted (:data:`voice.text.QUOTE_CLOSERS`). The quoted text may be empty; the
    caller decides."""
    found = find_quoted(text)
    if found is None or found.before:
        raise UsageError(f"Sett teksten i anførselstegn først, for eksempel {_NEW_EXAMPLE}.")
    if not found.closed:
        raise UsageError("Teksten mangler anførselstegn på slutten; skriv for eksempel "
                         f"{_NEW_EXAMPLE}.")
    return found.line, found.after
