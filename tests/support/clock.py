"""The suite's fixed moment and a clock a test moves by hand."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Protocol, Self, TypeVar
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=OSLO)
"""Tuesday 24 November 2026, 10.00: the day this suite was written."""


def at(y: int, mo: int, d: int, h: int = 9, mi: int = 0, s: int = 0) -> datetime:
    """A wall-clock moment in Oslo (09.00 unless told)."""
    return datetime(y, mo, d, h, mi, s, tzinfo=OSLO)


class _Moving(Protocol):
    def __add__(self, other: Any, /) -> Self: ...


T = TypeVar("T", bound=_Moving)


class Clock(Generic[T]):
    """A clock that stands still until the test moves it: ``clock()`` is ``clock.now``.

    ``Clock(NOW)`` for the wall clock (moved by a ``timedelta``), ``Clock(1000.0)`` for a
    monotonic one (moved by seconds).
    """

    def __init__(self, now: T) -> None:
        self.now = now

    def __call__(self) -> T:
        return self.now

    def advance(self, by: Any) -> None:
        self.now = self.now + by
