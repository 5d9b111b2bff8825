"""Each kommune's milestones as of a day: when it was first offered and first held a dialogue
meeting in a period, its next open plan, when it was first invited to a learning network, since
when it takes part, and its plan status and phase. The report (one row per kommune), the list of
kommuner missing a milestone and the charts over time all read them here.

The rules are those of the figures (``storage.queries.counts_by_embete``,
``storage.networks``, ``storage.plans``): a kommune has a milestone as of ``last`` exactly when
it counts in that figure as of ``last``. Meetings count within the period ``first``–``last``;
networks, plans and phases are a state, so everything up to ``last`` counts.

One grouped query per milestone over the kommuner asked for (at most the 357), so the cost
follows the kommuner, not the meetings stored. Functions take the session as a keyword and
never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, tzinfo

from sqlalchemy import and_, func, or_
from sqlalchemy import select as core_select
from sqlmodel import Session

from storage.models import (
    DIALOGUE,
    HELD,
    MeetingKommune,
    Network,
    NetworkInvitation,
    NetworkParticipation,
)
from storage.plans import FASE_T, PLAN_T, Entry, current_as_of
from storage.queries import open_plans

_LINK = MeetingKommune.__table__  # type: ignore[attr-defined]
_N = Network.__table__  # type: ignore[attr-defined]
_INV = NetworkInvitation.__table__  # type: ignore[attr-defined]
_PART = NetworkParticipation.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Milestones:
    """One kommune's milestones (None: not reached)."""

    kommune_nummer: str
    offered: date | None = None
    """The first dialogue meeting of the period, of any status (held, offered or planned: a
    held or planned meeting was offered first)."""
    held: date | None = None
    """The first held dialogue meeting of the period."""
    planned: date | None = None
    """The first plan open on ``last`` (see :func:`milestones`), when no meeting was held in
    the period."""
    invited: date | None = None
    """The first invitation to a learning network, or the first day it took part in one."""
    taking_part: date | None = None
    """Since when it takes part in a learning network on ``last`` (None: it does not)."""
    plan: Entry | None = None
    """Its plan status on ``last`` and since when (``vedtatt``/``prosess``)."""
    plan_first: date | None = None
    """The first day it had a plan status: from then on it counts as *vedtatt plan eller
    beskrevet prosess*."""
    fase: Entry | None = None
    """Its phase on ``last`` and since when."""

    @property
    def held_or_planned(self) -> bool:
        return self.held is not None or self.planned is not None


def milestones(kommuner: Sequence[str], *, first: date, last: date, tz: tzinfo,
               session: Session, plans_until: date | None = None,
               plans_from: date | None = None) -> dict[str, Milestones]:
    """The milestones of each of ``kommuner`` as of ``last``, with meetings counted from
    ``first`` to ``last``; every kommune asked for is in the answer.

    A plan is open on ``last`` when it was recorded by then, is dated from ``plans_from``
    (default ``last``) to ``plans_until`` (default ``last``), and no meeting held by ``last``
    has fulfilled it. A report as of 1 May counts plans for the rest of the year, as *held or
    planned this year* (``plans_until``), and, written before 1 May, the plans from today on
    (``plans_from``): a meeting booked for February counts as much as one booked for June."""
    wanted = list(dict.fromkeys(kommuner))
    if not wanted:
        return {}
    conn = session.connection()
    in_period = and_(_LINK.c.kommune_nummer.in_(wanted), _LINK.c.type == DIALOGUE,
                     _LINK.c.dato >= first, _LINK.c.dato <= last)
    offered: dict[str, date] = dict(conn.execute(
        core_select(_LINK.c.kommune_nummer, func.min(_LINK.c.dato)).where(in_period)
        .group_by(_LINK.c.kommune_nummer)).all())
    held: dict[str, date] = dict(conn.execute(
        core_select(_LINK.c.kommune_nummer, func.min(_LINK.c.dato))
        .where(in_period, _LINK.c.status == HELD).group_by(_LINK.c.kommune_nummer)).all())
    planned: dict[str, date] = {}
    until = plans_until or last
    for plan in open_plans(first=plans_from or last, last=until, tz=tz, session=session,
                           kommuner=wanted, held_by=last):
        if plan.planned_on <= last and plan.kommune_nummer not in held:
            planned.setdefault(plan.kommune_nummer, plan.dato)
    for nummer, dato in planned.items():
        if nummer not in offered or dato < offered[nummer]:
            offered[nummer] = dato
    invited = _first_invited(wanted, last, session)
    running: dict[str, date] = dict(conn.execute(
        core_select(_PART.c.kommune_nummer, func.min(_PART.c.fra))
        .select_from(_PART.join(_N, _N.c.id == _PART.c.network_id))
        .where(_PART.c.kommune_nummer.in_(wanted), _PART.c.fra <= last,
               or_(_PART.c.til.is_(None), _PART.c.til > last),
               or_(_N.c.til.is_(None), _N.c.til >= last))
        .group_by(_PART.c.kommune_nummer)).all())
    plans = current_as_of(PLAN_T, wanted, last, session=session)
    plan_first: dict[str, date] = dict(conn.execute(
        core_select(PLAN_T.c.kommune_nummer, func.min(PLAN_T.c.dato))
        .where(PLAN_T.c.kommune_nummer.in_(wanted), PLAN_T.c.dato <= last)
        .group_by(PLAN_T.c.kommune_nummer)).all())
    phases = current_as_of(FASE_T, wanted, last, session=session)
    return {k: Milestones(k, offered=offered.get(k), held=held.get(k),
                          planned=None if k in held else planned.get(k),
                          invited=invited.get(k), taking_part=running.get(k),
                          plan=plans.get(k), plan_first=plan_first.get(k), fase=phases.get(k))
            for k in wanted}


def _first_invited(kommuner: list[str], last: date, session: Session) -> dict[str, date]:
    conn = session.connection()
    out: dict[str, date] = {}
    for table, column in ((_INV, _INV.c.dato), (_PART, _PART.c.fra)):
        for nummer, dato in conn.execute(
                core_select(table.c.kommune_nummer, func.min(column))
                .where(table.c.kommune_nummer.in_(kommuner), column <= last)
                .group_by(table.c.kommune_nummer)):
            if nummer not in out or dato < out[nummer]:
                out[nummer] = dato
    return out


def held_meetings_by_type(kommuner: Sequence[str], *, first: date, last: date,
                          session: Session) -> dict[str, int]:
    """Meetings held from ``first`` to ``last`` with any of ``kommuner``, by type
    (``dialogmøte``, ``ordfører`` …; types with none left out). A meeting with several of the
    kommuner counts once."""
    wanted = list(dict.fromkeys(kommuner))
    if not wanted:
        return {}
    rows = session.connection().execute(
        core_select(_LINK.c.type, func.count(_LINK.c.meeting_id.distinct()))
        .where(_LINK.c.kommune_nummer.in_(wanted), _LINK.c.status == HELD,
               _LINK.c.dato >= first, _LINK.c.dato <= last)
        .group_by(_LINK.c.type))
    return {t: int(n) for t, n in rows}
