"""Norwegian working days: Monday to Friday, except public holidays.

The holidays come from the maintained ``holidays`` library (Norwegian names). Its Norway
calendar can count every Sunday as a holiday (``include_sundays``); that is turned off here and
weekends are handled on their own, so a Sunday reads as "søndag" and not as a holiday.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

from voice.words import WEEKDAYS, join_names

_SATURDAY = 5

_OFFICIAL_DAYS = {(5, 1): "1. mai (offentlig høytidsdag)",
                  (5, 17): "17. mai (offentlig høytidsdag)"}
"""The two days the law calls "offentlige høytidsdager", named by date rather than by the
library's wording ("Arbeidernes dag", "Grunnlovsdag")."""

_KEEP_CAPITAL = ("Kristi ",)


def _lower(name: str) -> str:
    """``Første påskedag`` → ``første påskedag``; ``Kristi himmelfartsdag`` stays as it is."""
    if name.startswith(_KEEP_CAPITAL):
        return name
    return name[:1].lower() + name[1:]


@lru_cache(maxsize=64)
def holidays_in(year: int) -> dict[date, str]:
    """The public holidays of ``year`` with their bokmål names (cached per year)."""
    calendar = holidays.country_holidays("NO", years=year, language="no", include_sundays=False)
    named: dict[date, str] = {}
    for day, names in calendar.items():
        official = _OFFICIAL_DAYS.get((day.month, day.day))
        parts = [_lower(n.strip()) for n in names.split(";")]
        if official is not None:
            parts = [official, *(p for p in parts if p.lower() not in ("arbeidernes dag",
                                                                         "grunnlovsdag"))]
        named[day] = join_names(parts)
    return named


def holiday_name(d: date) -> str | None:
    """The bokmål name of the public holiday on ``d``, or None."""
    return holidays_in(d.year).get(d)


def is_working_day(d: date) -> bool:
    return d.weekday() < _SATURDAY and d not in holidays_in(d.year)


def non_working_reason(d: date) -> str | None:
    """Why ``d`` is not a working day: the holiday's name, else ``"lørdag"``/``"søndag"``;
    None on a working day."""
    name = holidays_in(d.year).get(d)
    if name is not None:
        return name
    if d.weekday() >= _SATURDAY:
        return WEEKDAYS[d.weekday()]
    return None


def previous_working_day(d: date) -> tuple[date, str | None]:
    """``d`` itself when it is a working day; otherwise the last working day before it and why
    ``d`` was not one (``"lørdag"``, ``"første påskedag"``, ``"1. mai (offentlig
    høytidsdag)"``)."""
    reason = non_working_reason(d)
    if reason is None:
        return d, None
    day = d - timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day, reason
