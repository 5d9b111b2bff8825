"""The facts of the report to Hdir (1 May and 1 November), for one embete or the whole country
as of a day: the figures the seeds ask for, the phases, the meetings held by type and the
conferences and seminars. ``rapport`` writes them as a message, a draft and a workbook;
``mangler`` lists the kommuner without one of the milestones.

**The period.** A report *per* a day counts the dialogue meetings of that day's calendar year
up to the day (1 January to *per*), and open plans for the rest of that year as *planned*;
learning networks, plans and phases are their state on the day. Each kommune's milestones come
from ``storage.milestones`` with the figures' own rules, so the report as of today agrees with
``status`` for this year.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from commands.base import Context
from storage.events import StoredEvent, list_events
from storage.milestones import Milestones, held_meetings_by_type, milestones
from storage.reference import EmbeteRef, Geography, KommuneRef

DEADLINES = ((5, 1), (11, 1))
"""The reporting deadlines, 1 May and 1 November (seeds 000, 001)."""


@dataclass(frozen=True)
class Figure:
    """One figure the report gives as ``N av M (P %)``: ``key``, its words in ``status``,
    and whether a kommune's milestones reach it."""

    key: str
    words: str
    short: str
    """In a row of several figures (``status landet``'s words)."""
    reached: Callable[[Milestones], bool]


FIGURES = (
    Figure("offered", "Fått tilbud om dialogmøte", "fått tilbud",
           lambda m: m.offered is not None),
    Figure("held", "Gjennomført dialogmøte", "gjennomført", lambda m: m.held is not None),
    Figure("held_or_planned", "Gjennomført eller planlagt dialogmøte",
           "gjennomført eller planlagt", lambda m: m.held_or_planned),
    Figure("invited", "Invitert til læringsnettverk", "invitert til læringsnettverk",
           lambda m: m.invited is not None),
    Figure("taking_part", "Deltar i læringsnettverk", "deltar i læringsnettverk",
           lambda m: m.taking_part is not None),
    Figure("plan", "Vedtatt plan eller beskrevet prosess", "plan eller prosess",
           lambda m: m.plan is not None),
)
"""The figures of the seeds (000, 003, 004), in the order ``status`` gives them."""
FIGURE = {f.key: f for f in FIGURES}


def next_deadline(today: date) -> date:
    """The first reporting deadline on or after ``today``."""
    for year in (today.year, today.year + 1):
        for month, day in DEADLINES:
            if date(year, month, day) >= today:
                return date(year, month, day)
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Period:
    """What a report per ``per`` counts: meetings from ``first`` (1 January) to ``per``, open
    plans to ``until`` (31 December)."""

    per: date

    @property
    def first(self) -> date:
        return date(self.per.year, 1, 1)

    @property
    def until(self) -> date:
        return date(self.per.year, 12, 31)


@dataclass(frozen=True)
class Area:
    """The facts of one embete, or of the whole country (``embete`` None)."""

    embete: EmbeteRef | None
    kommuner: tuple[KommuneRef, ...]
    """By kommunenummer (for the country: by embete, then number)."""
    milestones: dict[str, Milestones]
    meetings: dict[str, int]
    """Meetings held in the period, by type."""
    events: tuple[StoredEvent, ...]
    """The conferences and seminars dated in the per day's year."""

    @property
    def total(self) -> int:
        return len(self.kommuner)

    def count(self, key: str) -> int:
        reached = FIGURE[key].reached
        return sum(1 for m in self.milestones.values() if reached(m))

    def missing(self, key: str) -> list[KommuneRef]:
        """The kommuner that have not reached figure ``key``, in the area's order."""
        reached = FIGURE[key].reached
        return [k for k in self.kommuner if not reached(self.milestones[k.nummer])]

    def phases(self) -> dict[int, int]:
        """Kommuner in each phase (phases with none left out)."""
        return dict(Counter(m.fase.value for m in self.milestones.values()
                            if m.fase is not None))

    def plans(self) -> dict[str, int]:
        """Kommuner by plan status (``vedtatt``, ``prosess``)."""
        return dict(Counter(m.plan.value for m in self.milestones.values()
                            if m.plan is not None))

    def held_events(self, per: date) -> list[StoredEvent]:
        return [e for e in self.events if e.event.dato <= per]

    def planned_events(self, per: date) -> list[StoredEvent]:
        return [e for e in self.events if e.event.dato > per]


@dataclass(frozen=True)
class Report:
    """A report per ``period.per``, written on ``today``: ``whole`` is the embete (or the
    country), ``parts`` the ten embeter of the country's report (empty for one embete)."""

    period: Period
    today: date
    whole: Area
    parts: tuple[Area, ...] = ()

    @property
    def national(self) -> bool:
        return self.whole.embete is None

    @property
    def ahead(self) -> bool:
        """The day is after today: later entries may still change the figures."""
        return self.period.per > self.today


def build_report(embete: EmbeteRef | None, per: date, *, ctx: Context, session: Session,
                 activity: bool = True) -> Report:
    """The report for ``embete`` (None: the whole country) per ``per``; without ``activity``
    only the milestones (no meetings by type, no events)."""
    period = Period(per)
    geo = ctx.geo
    embeter = [embete] if embete is not None else sorted(geo.embeter.values(),
                                                         key=lambda e: e.kortnavn)
    kommuner = tuple(k for e in embeter for k in geo.kommuner_i(e.id))
    numbers = [k.nummer for k in kommuner]
    found = milestones(numbers, first=period.first, last=per, tz=ctx.tz, session=session,
                       plans_until=period.until, plans_from=min(per, ctx.now.date()))
    events = list_events(session=session, embete_id=embete.id if embete else None,
                         first=period.first, last=period.until) if activity else []
    whole = Area(embete, kommuner, found,
                 _meetings(numbers, period, session) if activity else {}, tuple(events))
    if embete is not None:
        return Report(period, ctx.now.date(), whole)
    parts = tuple(_part(e, found, events, period, geo, session, activity=activity)
                  for e in embeter)
    return Report(period, ctx.now.date(), whole, parts)


def _part(embete: EmbeteRef, found: dict[str, Milestones], events: Sequence[StoredEvent],
          period: Period, geo: Geography, session: Session, *, activity: bool) -> Area:
    kommuner = geo.kommuner_i(embete.id)
    numbers = [k.nummer for k in kommuner]
    return Area(embete, kommuner, {n: found[n] for n in numbers},
                _meetings(numbers, period, session) if activity else {},
                tuple(e for e in events if e.event.embete_id == embete.id))


def _meetings(kommuner: Sequence[str], period: Period, session: Session) -> dict[str, int]:
    return held_meetings_by_type(kommuner, first=period.first, last=period.per,
                                 session=session)

