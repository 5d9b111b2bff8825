"""Norwegian dates.  (INTERFACE STUB — to be implemented)"""

from __future__ import annotations

from datetime import date, datetime


def parse_date(text: str, now: datetime) -> date | None:
    """A calendar date from Norwegian text relative to ``now`` (aware, Europe/Oslo), or None."""
    raise NotImplementedError


def warm_up() -> None:
    """Pay dateparser's first-call cost at start rather than on a user's first command."""
