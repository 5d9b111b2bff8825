"""Reminder rules and their occurrences.

A rule says when a reminder fires; ``occurrences`` turns it into concrete, timezone-aware
moments, moving recurring and deadline reminders off weekends and Norwegian public holidays
and naming any daylight-saving adjustment.

The rules:

* Recurrences (``Weekly``, ``MonthlyWeekday``, ``MonthlyDay``) and deadline reminders whose
  day is a Saturday, Sunday or public holiday move to the working day before. ``Once`` never
  moves: an explicit one-off time is what the user asked for. Nor does a rule on a Saturday or
  Sunday (``hver søndag``): its author chose a day off on purpose, so it fires on that day,
  holiday or not.
* ``interval`` > 1 counts periods (weeks Monday–Sunday, or calendar months) from the period
  holding ``anchor``; nothing fires before that period. Without an anchor the count starts
  at the week of Monday 3 January 2000 or at January 2000, so it never depends on ``after``
  (the parser sets one whenever the interval is above 1).
* A wall time that does not exist (02.30 on the last Sunday of March) fires at the same
  distance past the change, 03.30 summer time (01.30 UTC); a wall time that occurs twice
  (02.30 on the last Sunday of October) fires once, the first time. Both carry ``dst_note``.
* ``lead_minutes`` is taken off the (moved) moment in absolute time.
* Deadlines: for deadline D and lead L the day D − L, moved to the working day before when
  needed, at ``at``. When several leads of one deadline land on the same day only the one
  closest to the deadline (smallest L) is kept, so nobody gets two reminders for one deadline
  on one day. Yearly deadlines repeat every year from each date's own year on (29 February
  becomes 28 February in other years).
* Keys are nominal (before moves and lead), so they never change for an occurrence.
"""

from __future__ import annotations

import json
from bisect import insort
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import MONTHLY, rrule, weekday

from schedules.workdays import previous_working_day
from voice.words import MONTHS, WEEKDAYS, date_in_words, join_names, moment_in_words

DEFAULT_LEAD_DAYS: tuple[int, ...] = (14, 7, 1, 0)
DEADLINE_TIME = time(9, 0)


@dataclass(frozen=True)
class Once:
    """One moment (aware, local)."""

    at: datetime
    lead_minutes: int = 0


@dataclass(frozen=True)
class Weekly:
    """Every ``interval`` weeks on ``weekday`` (0 = Monday) at ``at``, counted from ``anchor``
    (a date in the first week)."""

    weekday: int
    at: time
    interval: int = 1
    anchor: date | None = None
    lead_minutes: int = 0


@dataclass(frozen=True)
class MonthlyWeekday:
    """The ``nth`` (1–4, or -1 for the last) ``weekday`` of every ``interval`` months."""

    nth: int
    weekday: int
    at: time
    interval: int = 1
    anchor: date | None = None
    lead_minutes: int = 0


@dataclass(frozen=True)
class MonthlyDay:
    """Day ``day`` (1–31; a shorter month uses its last day) of every ``interval`` months."""

    day: int
    at: time
    interval: int = 1
    anchor: date | None = None
    lead_minutes: int = 0


@dataclass(frozen=True)
class Deadlines:
    """Deadlines on ``dates`` (every year when ``yearly``), reminded ``lead_days`` days before
    each (0 = on the day) at ``at``."""

    dates: tuple[date, ...]
    yearly: bool = False
    lead_days: tuple[int, ...] = DEFAULT_LEAD_DAYS
    at: time = DEADLINE_TIME


Rule = Once | Weekly | MonthlyWeekday | MonthlyDay | Deadlines


@dataclass(frozen=True)
class Occurrence:
    """One time a reminder fires.

    ``key`` identifies the occurrence for good (it does not change when the day is moved): the
    nominal local date-time (``2026-12-01T10:00``) or, for a deadline, ``<deadline>/<lead>``
    (``2027-05-01/14``). ``due`` is when to send (aware), after lead time and holiday moves.
    """

    key: str
    due: datetime
    deadline: date | None = None
    lead_days: int | None = None
    moved_from: date | None = None
    moved_because: str | None = None
    """Why the day was moved, in bokmål: ``"lørdag"``, ``"1. mai (offentlig høytidsdag)"``."""
    dst_note: str | None = None
    """A daylight-saving adjustment in bokmål, e.g. ``"02.30 finnes ikke denne natten
    (sommertid); sendes 03.30"``."""


_EPOCH_MONDAY = date(2000, 1, 3)
_EPOCH_MONTH = 2000 * 12
_MINUTES_PER_DAY = 24 * 60
_SATURDAY = 5


def _clock(t: time | datetime) -> str:
    return f"{t.hour:02d}.{t.minute:02d}"


def _at(t: time) -> str:
    return f"kl. {_clock(t)}"


def _key(day: date, t: time | datetime) -> str:
    return f"{day.isoformat()}T{t.hour:02d}:{t.minute:02d}"


@lru_cache(maxsize=256)
def _change_days(tz: ZoneInfo, year: int) -> frozenset[date]:
    """The days of ``year`` on which ``tz`` changes its offset, and the day after for a zone
    that changes at midnight (cached per zone and year)."""
    day = date(year, 1, 1)
    offset = datetime.combine(day, time(), tzinfo=tz).utcoffset()
    changes: set[date] = set()
    while day.year == year:
        following = day + timedelta(days=1)
        next_offset = datetime.combine(following, time(), tzinfo=tz).utcoffset()
        if next_offset != offset:
            changes.update((day, following))
        day, offset = following, next_offset
    return frozenset(changes)


def _place(day: date, at: time, tz: ZoneInfo) -> tuple[datetime, str | None]:
    """The moment of the local wall time ``at`` on ``day`` in ``tz`` (the fold of ``at`` picks
    between the two moments of a repeated hour), and a note when daylight saving changes it."""
    local = datetime.combine(day, at, tz)
    if day not in _change_days(tz, day.year):
        return local, None
    moment = local.astimezone(UTC).astimezone(tz)
    if (moment.date(), moment.hour, moment.minute) != (day, at.hour, at.minute):
        return moment, (f"{_clock(at)} finnes ikke denne natten (sommertid); "
                        f"sendes {_clock(moment)}")
    if local.replace(fold=1 - at.fold).utcoffset() != local.utcoffset():
        which = "første" if at.fold == 0 else "andre"
        return moment, (f"{_clock(at)} finnes to ganger denne natten (vintertid); "
                        f"sendes bare den {which}")
    return moment, None


def _earlier(moment: datetime, minutes: int, tz: ZoneInfo) -> datetime:
    """``minutes`` before ``moment`` in real time (not wall-clock time)."""
    if not minutes:
        return moment
    return (moment.astimezone(UTC) - timedelta(minutes=minutes)).astimezone(tz)


def _order(occ: Occurrence) -> tuple[datetime, str]:
    return occ.due, occ.key


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _weekly_days(rule: Weekly, start: date) -> Iterator[date]:
    """The rule's nominal days from the week holding ``start`` (or its first week) on."""
    first = _monday(rule.anchor) if rule.anchor else _EPOCH_MONDAY
    monday = _monday(start)
    if rule.anchor is not None:
        monday = max(monday, first)
    weeks = _ceil_div((monday - first).days // 7, rule.interval) * rule.interval
    day = first + timedelta(weeks=weeks, days=rule.weekday)
    step = timedelta(weeks=rule.interval)
    while True:
        yield day
        day += step


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


_BATCH = 6


@lru_cache(maxsize=4096)
def _month_batch(nth: int, weekday_: int, day: int, interval: int,
                 index: int) -> tuple[date, ...]:
    """``_BATCH`` nominal days from month ``index`` on, every ``interval`` months: the
    ``nth`` ``weekday_`` when ``nth`` is set, else day ``day`` (or the month's last day).

    Cached because building an rrule costs some 30 µs and many reminders share a shape and
    a start month (at start-up every reminder asks from the same moment)."""
    dtstart = datetime(index // 12, index % 12 + 1, 1)
    if nth:
        days = rrule(MONTHLY, dtstart=dtstart, interval=interval, count=_BATCH,
                     byweekday=weekday(weekday_, nth))
    elif day <= 28:
        days = rrule(MONTHLY, dtstart=dtstart, interval=interval, count=_BATCH, bymonthday=day)
    else:
        # The last of 28..day that the month has: day 31 is 30 April and 28 February.
        days = rrule(MONTHLY, dtstart=dtstart, interval=interval, count=_BATCH,
                     bymonthday=tuple(range(28, day + 1)), bysetpos=-1)
    return tuple(d.date() for d in days)


def _monthly_days(rule: MonthlyWeekday | MonthlyDay, start: date) -> Iterator[date]:
    """The rule's nominal days from the month holding ``start`` (or its first month) on."""
    first = _month_index(rule.anchor) if rule.anchor else _EPOCH_MONTH
    index = _month_index(start)
    if rule.anchor is not None:
        index = max(index, first)
    index = first + _ceil_div(index - first, rule.interval) * rule.interval
    shape = (rule.nth, rule.weekday, 0) if isinstance(rule, MonthlyWeekday) else (0, 0, rule.day)
    while True:
        yield from _month_batch(*shape, rule.interval, index)
        index += _BATCH * rule.interval


def _recurrence_occurrence(rule: Weekly | MonthlyWeekday | MonthlyDay, nominal: date,
                           tz: ZoneInfo) -> list[Occurrence]:
    if isinstance(rule, MonthlyDay) or rule.weekday < _SATURDAY:
        day, why = previous_working_day(nominal)
    else:
        day, why = nominal, None
    moment, note = _place(day, rule.at, tz)
    return [Occurrence(key=_key(nominal, rule.at),
                       due=_earlier(moment, rule.lead_minutes, tz),
                       moved_from=nominal if day != nominal else None,
                       moved_because=why, dst_note=note)]


def _in_year(d: date, year: int) -> date:
    if d.month == 2 and d.day == 29 and not (year % 4 == 0 and (year % 100 or year % 400 == 0)):
        return date(year, 2, 28)
    return d.replace(year=year)


def _deadlines_from(rule: Deadlines, start: date) -> Iterator[date]:
    """The deadlines in order, from about ``start`` on (a yearly rule never ends)."""
    if not rule.yearly:
        yield from sorted(set(rule.dates))
        return
    year = max(min(d.year for d in rule.dates), start.year - 1)
    while True:
        yield from sorted({_in_year(d, year) for d in rule.dates if d.year <= year})
        year += 1


def _deadline_occurrences(rule: Deadlines, deadline: date, tz: ZoneInfo) -> list[Occurrence]:
    """One reminder per lead, except that a day gets only the one closest to the deadline."""
    by_day: dict[date, Occurrence] = {}
    for lead in sorted(set(rule.lead_days)):
        nominal = deadline - timedelta(days=lead)
        day, why = previous_working_day(nominal)
        if day in by_day:
            continue
        moment, note = _place(day, rule.at, tz)
        by_day[day] = Occurrence(key=f"{deadline.isoformat()}/{lead}", due=moment,
                                 deadline=deadline, lead_days=lead,
                                 moved_from=nominal if day != nominal else None,
                                 moved_because=why, dst_note=note)
    return list(by_day.values())


def _once(rule: Once, tz: ZoneInfo) -> Occurrence:
    if rule.at.tzinfo is None:
        raise ValueError("Once.at must be timezone-aware")
    if getattr(rule.at.tzinfo, "key", None) == tz.key:
        wall = rule.at.replace(tzinfo=None)
        moment, note = _place(wall.date(), wall.time(), tz)
    else:
        moment, note = rule.at.astimezone(tz), None
        wall = moment.replace(tzinfo=None)
    return Occurrence(key=_key(wall.date(), wall), due=_earlier(moment, rule.lead_minutes, tz),
                      dst_note=note)


_DST_MARGIN = timedelta(hours=2)


def occurrences(rule: Rule, *, after: datetime, tz: ZoneInfo, limit: int = 3) -> list[Occurrence]:
    """The first ``limit`` occurrences whose ``due`` is strictly after ``after``, in order.

    Nominal days (or deadlines) are walked in order from just before ``after``. Each one's
    occurrences are due no later than its own wall time (moves only go back; the margin
    covers a daylight-saving hour) and no earlier than the working day before its earliest
    day, less the lead; both bounds grow with the day, so the walk stops as soon as a day
    can no longer beat the ``limit``-th found.
    """
    if limit <= 0:
        return []
    if isinstance(rule, Once):
        occ = _once(rule, tz)
        return [occ] if occ.due > after else []
    after_wall = after.astimezone(tz).replace(tzinfo=None)
    if isinstance(rule, Deadlines):
        if not rule.dates or not rule.lead_days:
            return []
        reach = timedelta(days=max(rule.lead_days))
        back = timedelta(0)
        days = _deadlines_from(rule, after_wall.date())
    else:
        reach = timedelta(0)
        back = timedelta(days=_ceil_div(rule.lead_minutes, _MINUTES_PER_DAY))
        start = after_wall.date() - timedelta(days=1)
        days = (_weekly_days(rule, start) if isinstance(rule, Weekly)
                else _monthly_days(rule, start))
    found: list[Occurrence] = []
    for day in days:
        if datetime.combine(day, rule.at) + _DST_MARGIN <= after_wall:
            continue
        if len(found) >= limit:
            earliest = previous_working_day(day - reach)[0] - back
            if earliest > found[-1].due.date():
                break
        built = (_deadline_occurrences(rule, day, tz) if isinstance(rule, Deadlines)
                 else _recurrence_occurrence(rule, day, tz))
        for occ in built:
            if occ.due > after:
                insort(found, occ, key=_order)
        del found[limit:]
    return found


def next_occurrence(rule: Rule, *, after: datetime, tz: ZoneInfo) -> Occurrence | None:
    """The first occurrence due strictly after ``after``, or None when the rule is spent."""
    found = occurrences(rule, after=after, tz=tz, limit=1)
    return found[0] if found else None


def is_deadline_of(rule: Rule, day: date) -> bool:
    """Whether ``day`` is one of the rule's deadlines (in any year from the date's own on, for
    a yearly rule; 29 February falls on the 28th in other years)."""
    if not isinstance(rule, Deadlines):
        return False
    if not rule.yearly:
        return day in rule.dates
    return any(d.year <= day.year and _in_year(d, day.year) == day for d in rule.dates)


def is_recurring(rule: Rule) -> bool:
    return not isinstance(rule, Once) and not (isinstance(rule, Deadlines) and not rule.yearly
                                               and len(rule.dates) <= 1)


_NTH = {1: "første", 2: "andre", 3: "tredje", 4: "fjerde", -1: "siste"}


def _every(interval: int) -> str:
    return {1: "hver", 2: "annenhver"}.get(interval, f"hver {interval}.")


def _amount(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def lead_in_words(minutes: int) -> str:
    """``15 minutter``, ``1 time``, ``2 dager``."""
    if minutes and minutes % _MINUTES_PER_DAY == 0:
        return _amount(minutes // _MINUTES_PER_DAY, "dag", "dager")
    if minutes and minutes % 60 == 0:
        return _amount(minutes // 60, "time", "timer")
    return _amount(minutes, "minutt", "minutter")


def _lead_days_in_words(leads: tuple[int, ...]) -> str:
    ordered = sorted(set(leads), reverse=True)
    if not ordered:
        return "uten varsel"
    if ordered == [0]:
        return "varsel på fristdagen"
    unit = "dag" if ordered == [1] else "dager"
    return f"varsel {join_names([str(n) for n in ordered])} {unit} før"


def describe(rule: Rule) -> str:
    """The rule in bokmål: ``"hver mandag kl. 09.00"``, ``"første tirsdag i måneden kl. 10.00"``,
    ``"frist 1. mai og 1. november hvert år, varsel 14, 7, 1 og 0 dager før"``."""
    if isinstance(rule, Deadlines):
        if rule.yearly:
            days = sorted({(d.month, d.day) for d in rule.dates})
            names = [f"{day}. {MONTHS[month - 1]}" for month, day in days]
        else:
            names = [date_in_words(d) for d in sorted(set(rule.dates))]
        text = f"frist {join_names(names)}{' hvert år' if rule.yearly else ''}, "
        text += _lead_days_in_words(rule.lead_days)
        return text if rule.at == DEADLINE_TIME else f"{text}, {_at(rule.at)}"
    if isinstance(rule, Once):
        text = f"én gang, {moment_in_words(rule.at)}"
    elif isinstance(rule, Weekly):
        name = WEEKDAYS[rule.weekday]
        text = (f"hver {name} {_at(rule.at)}" if rule.interval == 1
                else f"{_every(rule.interval)} uke på {name} {_at(rule.at)}")
    elif isinstance(rule, MonthlyWeekday):
        which = f"{_NTH[rule.nth]} {WEEKDAYS[rule.weekday]}"
        text = (f"{which} i måneden {_at(rule.at)}" if rule.interval == 1
                else f"{which} {_every(rule.interval)} måned {_at(rule.at)}")
    else:
        text = (f"den {rule.day}. hver måned {_at(rule.at)}" if rule.interval == 1
                else f"{_every(rule.interval)} måned den {rule.day}. {_at(rule.at)}")
        if rule.day > 28:
            text += " (eller månedens siste dag)"
    if rule.lead_minutes:
        text += f", varsel {lead_in_words(rule.lead_minutes)} før"
    return text


def _moment_to_json(t: datetime) -> dict[str, Any]:
    key = getattr(t.tzinfo, "key", None)
    if key is not None:
        return {"at": t.replace(tzinfo=None).isoformat(), "tz": key, "fold": t.fold}
    if t.tzinfo is None:
        raise ValueError("Once.at must be timezone-aware")
    return {"at": t.isoformat(), "tz": None, "fold": t.fold}


def _moment_from_json(data: dict[str, Any]) -> datetime:
    t = datetime.fromisoformat(data["at"])
    zone: tzinfo | None = ZoneInfo(data["tz"]) if data["tz"] else t.tzinfo
    if not isinstance(zone, (ZoneInfo, timezone)):
        raise ValueError("Once.at must be timezone-aware")
    return t.replace(tzinfo=zone, fold=data["fold"])


def _anchor(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _rule_dict(rule: Rule) -> dict[str, Any]:
    if isinstance(rule, Once):
        return {"type": "once", **_moment_to_json(rule.at), "lead_minutes": rule.lead_minutes}
    if isinstance(rule, Deadlines):
        return {"type": "deadlines", "dates": [d.isoformat() for d in rule.dates],
                "yearly": rule.yearly, "lead_days": list(rule.lead_days),
                "at": rule.at.isoformat()}
    common = {"at": rule.at.isoformat(), "interval": rule.interval,
              "anchor": _anchor(rule.anchor), "lead_minutes": rule.lead_minutes}
    if isinstance(rule, Weekly):
        return {"type": "weekly", "weekday": rule.weekday, **common}
    if isinstance(rule, MonthlyWeekday):
        return {"type": "monthly_weekday", "nth": rule.nth, "weekday": rule.weekday, **common}
    return {"type": "monthly_day", "day": rule.day, **common}


def rule_to_json(rule: Rule) -> str:
    """Compact JSON with sorted keys and a ``"type"`` field (``once``, ``weekly``,
    ``monthly_weekday``, ``monthly_day``, ``deadlines``); equal rules give equal text."""
    return json.dumps(_rule_dict(rule), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)


def rule_from_json(text: str) -> Rule:
    """The rule :func:`rule_to_json` wrote; ValueError for anything else."""
    data = json.loads(text)
    kind = data.get("type") if isinstance(data, dict) else None
    try:
        if kind == "once":
            return Once(_moment_from_json(data), data["lead_minutes"])
        if kind == "deadlines":
            return Deadlines(tuple(date.fromisoformat(d) for d in data["dates"]),
                             data["yearly"], tuple(data["lead_days"]),
                             time.fromisoformat(data["at"]))
        at = time.fromisoformat(data["at"])
        anchor = date.fromisoformat(data["anchor"]) if data["anchor"] else None
        if kind == "weekly":
            return Weekly(data["weekday"], at, data["interval"], anchor, data["lead_minutes"])
        if kind == "monthly_weekday":
            return MonthlyWeekday(data["nth"], data["weekday"], at, data["interval"], anchor,
                                  data["lead_minutes"])
        if kind == "monthly_day":
            return MonthlyDay(data["day"], at, data["interval"], anchor, data["lead_minutes"])
    except (KeyError, TypeError) as exc:
        raise ValueError(f"not a reminder rule: {text!r}") from exc
    raise ValueError(f"not a reminder rule: {text!r}")
