"""Reminder rules and their occurrences.  (INTERFACE — functions to be implemented)

A rule says when a reminder fires; ``occurrences`` turns it into concrete, timezone-aware
moments, moving recurring and deadline reminders off weekends and Norwegian public holidays
and naming any daylight-saving adjustment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

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


def occurrences(rule: Rule, *, after: datetime, tz: ZoneInfo, limit: int = 3) -> list[Occurrence]:
    """The first ``limit`` occurrences whose ``due`` is strictly after ``after``, in order."""
    raise NotImplementedError


def next_occurrence(rule: Rule, *, after: datetime, tz: ZoneInfo) -> Occurrence | None:
    """The first occurrence due strictly after ``after``, or None when the rule is spent."""
    found = occurrences(rule, after=after, tz=tz, limit=1)
    return found[0] if found else None


def is_recurring(rule: Rule) -> bool:
    return not isinstance(rule, Once) and not (isinstance(rule, Deadlines) and not rule.yearly
                                               and len(rule.dates) <= 1)


def describe(rule: Rule) -> str:
    """The rule in bokmål: ``"hver mandag kl. 09.00"``, ``"første tirsdag i måneden kl. 10.00"``,
    ``"frist 1. mai og 1. november hvert år, varsel 14, 7, 1 og 0 dager før"``."""
    raise NotImplementedError


def rule_to_json(rule: Rule) -> str:
    raise NotImplementedError


def rule_from_json(text: str) -> Rule:
    raise NotImplementedError
