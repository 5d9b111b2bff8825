"""Queries and the one write path per record. Functions take the session as a keyword and never
commit: the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Date,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
)
from sqlalchemy import select as core_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from storage.models import (
    DIALOGUE,
    HELD,
    PLANNED,
    Access,
    DialogueMeeting,
    Kommune,
    MeetingArea,
    MeetingKommune,
)
from storage.reference import KommuneRef

# --- access -----------------------------------------------------------------------------------


def get_access(user_id: str, *, session: Session) -> Access | None:
    return session.get(Access, user_id)


@dataclass(frozen=True)
class Grant:
    embete_id: str
    rolle: str


_ACCESS_T = Access.__table__  # type: ignore[attr-defined]
_GRANT = select(_ACCESS_T.c.embete_id, _ACCESS_T.c.rolle).where(
    _ACCESS_T.c.slack_user_id == bindparam("user_id"))


def grant_of(user_id: str, *, session: Session) -> Grant | None:
    """A user's embete and role (every write asks this, so it skips the ORM)."""
    row = session.connection().execute(_GRANT, {"user_id": user_id}).first()
    return Grant(row[0], row[1]) if row else None


def grant_access(user_id: str, embete_id: str, rolle: str, *, by: str, now: datetime,
                 session: Session) -> Access:
    """Give ``user_id`` a role for an embete, replacing any earlier grant."""
    row = session.get(Access, user_id)
    if row is None:
        row = Access(slack_user_id=user_id, embete_id=embete_id, rolle=rolle, created_by=by,
                     created_at=now)
        session.add(row)
    else:
        row.embete_id, row.rolle, row.created_by, row.created_at = embete_id, rolle, by, now
    session.flush()
    return row


def revoke_access(user_id: str, *, session: Session) -> Access | None:
    row = session.get(Access, user_id)
    if row is not None:
        session.delete(row)
        session.flush()
    return row


def list_access(*, session: Session) -> list[Access]:
    return list(session.exec(select(Access).order_by(col(Access.embete_id),
                                                     col(Access.slack_user_id))))


# --- dialogue meetings ------------------------------------------------------------------------


_MEETING_T = DialogueMeeting.__table__  # type: ignore[attr-defined]
_LINK_T = MeetingKommune.__table__  # type: ignore[attr-defined]
_INSERT_MEETING = insert(_MEETING_T).returning(_MEETING_T.c.id)
_INSERT_LINK = insert(_LINK_T)
_AREA_T = MeetingArea.__table__  # type: ignore[attr-defined]
_INSERT_AREA = insert(_AREA_T)


def add_meeting(
    status: str,
    dato: date,
    kommuner: Sequence[KommuneRef],
    *,
    by: str,
    now: datetime,
    session: Session,
    tema: str | None = None,
    med: str | None = None,
    notat: str | None = None,
    meeting_type: str = DIALOGUE,
    areas: Sequence[str] = (),
) -> int:
    """Store one meeting (held, offered or planned) of ``meeting_type`` with its kommuner and
    the innsatsområder (short forms) its theme names; returns its id."""
    conn = session.connection()
    meeting_id = int(conn.execute(_INSERT_MEETING, {
        "status": status, "type": meeting_type, "dato": dato, "tema": tema, "med": med,
        "notat": notat, "created_by": by, "created_at": now,
    }).scalar_one())
    conn.execute(_INSERT_LINK, [
        {"meeting_id": meeting_id, "kommune_nummer": k.nummer, "status": status,
         "type": meeting_type, "dato": dato}
        for k in kommuner
    ])
    if areas:
        conn.execute(_INSERT_AREA, [{"meeting_id": meeting_id, "omrade": a}
                                    for a in dict.fromkeys(areas)])
    return meeting_id


@dataclass(frozen=True)
class NearbyMeeting:
    kommune_nummer: str
    dato: date
    created_by: str


# The first rows of the window in index order, then made distinct (see held_near).
_HELD_NEAR_ROWS = (
    select(_LINK_T.c.kommune_nummer, _LINK_T.c.dato, _MEETING_T.c.created_by)
    .join(_MEETING_T, _MEETING_T.c.id == _LINK_T.c.meeting_id)
    .where(_LINK_T.c.kommune_nummer.in_(bindparam("kommuner", expanding=True)))
    .where(_LINK_T.c.type == bindparam("type"))
    .where(_LINK_T.c.status == HELD)
    .where(_LINK_T.c.dato.between(bindparam("first", type_=Date), bindparam("last", type_=Date)))
    .order_by(_LINK_T.c.kommune_nummer, _LINK_T.c.dato)
    .limit(bindparam("rows"))
    .subquery()
)
_HELD_NEAR = (
    _HELD_NEAR_ROWS.select().distinct()
    .order_by(_HELD_NEAR_ROWS.c.kommune_nummer, _HELD_NEAR_ROWS.c.dato,
              _HELD_NEAR_ROWS.c.created_by)
    .limit(bindparam("limit"))
)
HELD_NEAR_ROWS = 100
"""At most this many rows are read to find the possible doubles of one write."""


def held_near(kommuner: Iterable[str], dato: date, *, days: int, session: Session,
              limit: int = 10, meeting_type: str = DIALOGUE) -> list[NearbyMeeting]:
    """Held meetings of ``meeting_type`` with any of ``kommuner`` within ``days`` of ``dato``
    (possible doubles): up to ``limit`` distinct (kommune, date, author), by kommune and date.

    Only the first ``HELD_NEAR_ROWS`` rows in the order of the (kommune, status, date) index
    are made distinct: ``DISTINCT`` over the whole window would read and sort every held row
    in it, so a kommune logged thousands of times would slow every write. Past that many rows,
    later (kommune, date, author) may go unlisted; the warning itself still shows.
    """
    rows = session.connection().execute(_HELD_NEAR, {
        "kommuner": list(kommuner), "type": meeting_type, "first": dato - timedelta(days=days),
        "last": dato + timedelta(days=days), "rows": max(limit, HELD_NEAR_ROWS), "limit": limit,
    })
    return [NearbyMeeting(*row) for row in rows]


def kommuner_with_meeting(kommuner: Iterable[str], year: int, *, session: Session) -> set[str]:
    """Which of ``kommuner`` already have a dialogue meeting (offered, held or planned) dated
    in ``year``."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return set(session.exec(
        select(MeetingKommune.kommune_nummer).distinct()
        .where(col(MeetingKommune.kommune_nummer).in_(list(kommuner)))
        .where(col(MeetingKommune.type) == DIALOGUE)
        .where(col(MeetingKommune.dato).between(start, end))
    ))


def latest_meeting_by(user_id: str, *, session: Session) -> DialogueMeeting | None:
    return session.exec(
        select(DialogueMeeting).where(DialogueMeeting.created_by == user_id)
        .order_by(col(DialogueMeeting.id).desc()).limit(1)
    ).first()


def meeting_kommuner(meeting_id: int, *, session: Session) -> list[str]:
    return list(session.exec(
        select(MeetingKommune.kommune_nummer).where(MeetingKommune.meeting_id == meeting_id)
        .order_by(col(MeetingKommune.kommune_nummer))
    ))


def delete_meeting(meeting_id: int, *, session: Session) -> None:
    session.execute(delete(MeetingArea).where(col(MeetingArea.meeting_id) == meeting_id))
    session.execute(delete(MeetingKommune).where(col(MeetingKommune.meeting_id) == meeting_id))
    session.execute(delete(DialogueMeeting).where(col(DialogueMeeting.id) == meeting_id))
    session.flush()


@dataclass(frozen=True)
class KommuneMeeting:
    meeting: DialogueMeeting
    kommuner: tuple[str, ...]


def _on_card(year: int | None, later_plans: bool) -> ColumnElement[bool] | None:
    """The rows of a kommune card: dated in ``year`` (all when None), and with
    ``later_plans`` also the plans dated after it."""
    if year is None:
        return None
    start, end = date(year, 1, 1), date(year, 12, 31)
    in_year = col(MeetingKommune.dato).between(start, end)
    if not later_plans:
        return in_year
    return or_(in_year, and_(col(MeetingKommune.type) == DIALOGUE,
                             col(MeetingKommune.status) == PLANNED,
                             col(MeetingKommune.dato) > end))


def meetings_for_kommune(nummer: str, *, session: Session, year: int | None = None,
                         limit: int = 20, later_plans: bool = False) -> list[KommuneMeeting]:
    """A kommune's meetings of every type, newest first, each with every kommune that took
    part; with ``later_plans`` also the meetings planned after ``year``."""
    q = (select(DialogueMeeting)
         .join(MeetingKommune, col(MeetingKommune.meeting_id) == col(DialogueMeeting.id))
         .where(MeetingKommune.kommune_nummer == nummer))
    when = _on_card(year, later_plans)
    if when is not None:
        q = q.where(when)
    meetings = list(session.exec(
        q.order_by(col(DialogueMeeting.dato).desc(), col(DialogueMeeting.id).desc()).limit(limit)
    ))
    ids = [m.id for m in meetings]
    others: dict[int, list[str]] = {}
    for mid, kn in session.exec(
        select(MeetingKommune.meeting_id, MeetingKommune.kommune_nummer)
        .where(col(MeetingKommune.meeting_id).in_(ids))
        .order_by(col(MeetingKommune.kommune_nummer))
    ):
        others.setdefault(mid, []).append(kn)
    return [KommuneMeeting(m, tuple(others.get(m.id or 0, ()))) for m in meetings]


def get_meeting(meeting_id: int, *, session: Session) -> KommuneMeeting | None:
    """One meeting with every kommune that took part (None: no such meeting, or undone)."""
    meeting = session.get(DialogueMeeting, meeting_id)
    if meeting is None:
        return None
    return KommuneMeeting(meeting, tuple(meeting_kommuner(meeting_id, session=session)))


def meeting_areas(meeting_id: int, *, session: Session) -> list[str]:
    """The short forms of the innsatsområder a meeting's theme names, in the store's order."""
    return list(session.exec(
        select(MeetingArea.omrade).where(MeetingArea.meeting_id == meeting_id)
        .order_by(col(MeetingArea.omrade))))


def count_meetings_for_kommune(nummer: str, *, session: Session, year: int,
                               later_plans: bool = False) -> int:
    """How many meetings (of any type and status) a kommune has in ``year``, and with
    ``later_plans`` planned after it: what :func:`meetings_for_kommune` would list unbounded."""
    when = _on_card(year, later_plans)
    assert when is not None
    q = (select(func.count()).select_from(MeetingKommune)
         .where(MeetingKommune.kommune_nummer == nummer, when))
    return int(session.exec(q).one())


# --- planned meetings -------------------------------------------------------------------------
#
# A plan (status ``planlagt``) is an agreed dialogue meeting. It is *fulfilled* once a held
# dialogue meeting with the kommune is stored dated on or after the day the plan was recorded:
# the meeting took place (perhaps on another day than planned), and from then on the held
# meeting is what counts and what the card shows. Each kommune of a plan is fulfilled on its
# own. Nothing is written when that happens, so undoing the held meeting opens the plan again.


@dataclass(frozen=True)
class Plan:
    """One kommune's part in a planned dialogue meeting that no held meeting has fulfilled."""

    meeting_id: int
    kommune_nummer: str
    embete_id: str
    dato: date
    planned_on: date
    """The day the plan was recorded, in the bot's time zone."""
    created_by: str


def planned_on(meeting: DialogueMeeting, tz: tzinfo) -> date:
    """The day ``meeting`` was recorded, where the bot is."""
    return meeting.created_at.astimezone(tz).date()


def fulfilled(planned: date, latest_held: date | None) -> bool:
    """Whether a plan recorded on ``planned`` is fulfilled by a kommune whose latest held
    dialogue meeting is dated ``latest_held``."""
    return latest_held is not None and latest_held >= planned


_LATEST_HELD = (
    core_select(_LINK_T.c.kommune_nummer, func.max(_LINK_T.c.dato))
    .where(_LINK_T.c.kommune_nummer.in_(bindparam("kommuner", expanding=True)),
           _LINK_T.c.type == DIALOGUE, _LINK_T.c.status == HELD)
    .group_by(_LINK_T.c.kommune_nummer))
_LATEST_HELD_BY = _LATEST_HELD.where(_LINK_T.c.dato <= bindparam("by", type_=Date))


def latest_held(kommuner: Iterable[str], *, session: Session, by: date | None = None
                ) -> dict[str, date]:
    """The date of each kommune's latest held dialogue meeting (those with none left out);
    with ``by``, of those held on or before that day."""
    wanted = list(dict.fromkeys(kommuner))
    if not wanted:
        return {}
    if by is None:
        return {k: d for k, d in session.connection().execute(_LATEST_HELD,
                                                              {"kommuner": wanted})}
    return {k: d for k, d in session.connection().execute(_LATEST_HELD_BY,
                                                          {"kommuner": wanted, "by": by})}


def open_plans(*, tz: tzinfo, session: Session, first: date | None = None,
               last: date | None = None, embete_id: str | None = None,
               kommuner: Sequence[str] | None = None, unless_held_from: date | None = None,
               held_by: date | None = None) -> list[Plan]:
    """The plans dated from ``first`` to ``last`` (each optional) that no held meeting has
    fulfilled, per kommune, by date; optionally of one embete or some kommuner, and without the
    kommuner that have a held dialogue meeting dated from ``unless_held_from`` to ``last``
    (they count already). With ``held_by``, a plan is fulfilled only by a meeting held on or
    before that day (a report as of a past day: the plan was still open then).

    Asked per kommune, like the figures: each kommune's plans are one range of the
    (kommune, type, status, dato) index.
    """
    params: dict[str, Any] = {"first": first, "last": last, "embete_id": embete_id,
                              "kommuner": list(kommuner) if kommuner is not None else None,
                              "unless_held_from": unless_held_from}
    q = _open_plans_query(*(params[k] is not None for k in _OPEN_PLANS_FILTERS))
    rows = session.connection().execute(
        q, {k: v for k, v in params.items() if v is not None}).all()
    held_last = latest_held((r[1] for r in rows), session=session, by=held_by)
    plans = (Plan(int(mid), kn, embete, dato, made.astimezone(tz).date(), by)
             for mid, kn, embete, dato, made, by in rows)
    return [p for p in plans if not fulfilled(p.planned_on, held_last.get(p.kommune_nummer))]


_OPEN_PLANS_FILTERS = ("first", "last", "embete_id", "kommuner", "unless_held_from")


@lru_cache(maxsize=2 ** len(_OPEN_PLANS_FILTERS))
def _open_plans_query(first: bool, last: bool, embete_id: bool, kommuner: bool,
                      unless_held_from: bool) -> Any:
    """The statement of :func:`open_plans` with the filters it is given, built once per
    combination with bound parameters: a write (``logg-møte``) asks it on every call, and
    building and compiling the statement cost more than running it."""
    link = MeetingKommune
    q = (core_select(col(link.meeting_id), col(link.kommune_nummer), col(Kommune.embete_id),
                     col(link.dato), col(DialogueMeeting.created_at),
                     col(DialogueMeeting.created_by))
         .join(Kommune, col(Kommune.nummer) == col(link.kommune_nummer))
         .join(DialogueMeeting, col(DialogueMeeting.id) == col(link.meeting_id))
         .where(col(link.type) == DIALOGUE, col(link.status) == PLANNED,
                col(DialogueMeeting.status) == PLANNED))
    # Each bound on both copies of the date: the planner may start from the meetings' date
    # index (plans ahead of today are few) or from each kommune's range of its own index.
    if first:
        q = q.where(col(link.dato) >= bindparam("first", type_=Date),
                    col(DialogueMeeting.dato) >= bindparam("first", type_=Date))
    if last:
        q = q.where(col(link.dato) <= bindparam("last", type_=Date),
                    col(DialogueMeeting.dato) <= bindparam("last", type_=Date))
    if embete_id:
        q = q.where(col(Kommune.embete_id) == bindparam("embete_id"))
    if kommuner:
        q = q.where(col(link.kommune_nummer).in_(bindparam("kommuner", expanding=True)))
    if unless_held_from:
        held = _held_between(bindparam("unless_held_from", type_=Date),
                             bindparam("last", type_=Date) if last else None)
        q = q.where(~held.exists())
    return q.order_by(col(link.dato), col(link.meeting_id), col(link.kommune_nummer))


def _held_between(first: date | BindParameter[date], last: date | BindParameter[date] | None
                  ) -> Any:
    """A held dialogue meeting of the kommune (``Kommune``, correlated) dated from ``first``
    to ``last``: ``.exists()`` of it."""
    mk = aliased(MeetingKommune)
    held = select(mk.meeting_id).where(
        col(mk.kommune_nummer) == col(Kommune.nummer),
        col(mk.type) == DIALOGUE, col(mk.status) == HELD, col(mk.dato) >= first)
    if last is not None:
        held = held.where(col(mk.dato) <= last)
    return held.correlate(Kommune)


# --- the figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    offered: int
    held: int
    held_or_planned: int
    """Held, or with a plan dated in the year, today or later, that is not fulfilled."""


def counts_by_embete(year: int, *, today: date, tz: tzinfo, session: Session,
                     embete_id: str | None = None, kommuner: Sequence[str] | None = None
                     ) -> dict[str, Counts]:
    """Kommuner offered (a held or planned meeting counts as offered), held, and held or
    planned a dialogue meeting dated in ``year``, per embete; optionally for one embete or a
    set of kommuner. Meetings of other types (``ordfører`` …) count in none of them.

    A plan counts while its date has not passed (today included: the meeting may be later
    today) and no held meeting has fulfilled it; a kommune counts once, whatever it has. For
    a year gone by, then, "held or planned" is "held".

    Asked per kommune (``EXISTS`` on the kommune's own index range), so the cost follows the
    357 kommuner and not the number of meetings stored; so are the plans (:func:`open_plans`).
    """
    start, end = date(year, 1, 1), date(year, 12, 31)

    def count(met: Any) -> dict[str, int]:
        q = select(Kommune.embete_id, func.count()).where(met.exists())
        if embete_id is not None:
            q = q.where(Kommune.embete_id == embete_id)
        if kommuner is not None:
            q = q.where(col(Kommune.nummer).in_(list(kommuner)))
        return {e: n for e, n in session.execute(q.group_by(col(Kommune.embete_id)))}

    offered = count(select(MeetingKommune.meeting_id).where(
        col(MeetingKommune.kommune_nummer) == col(Kommune.nummer),
        col(MeetingKommune.type) == DIALOGUE, col(MeetingKommune.dato).between(start, end)))
    held = count(_held_between(start, end))
    planned: dict[str, set[str]] = {}
    if today <= end:
        for plan in open_plans(first=max(start, today), last=end, tz=tz, session=session,
                               embete_id=embete_id, kommuner=kommuner, unless_held_from=start):
            planned.setdefault(plan.embete_id, set()).add(plan.kommune_nummer)
    return {e: Counts(offered.get(e, 0), held.get(e, 0),
                      held.get(e, 0) + len(planned.get(e, ())))
            for e in offered.keys() | held.keys() | planned.keys()}
