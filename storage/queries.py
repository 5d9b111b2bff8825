"""Queries and the one write path per record. Functions take the session as a keyword and never
commit: the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Date, bindparam, delete, func, insert
from sqlmodel import Session, col, select

from storage.models import HELD, Access, DialogueMeeting, Kommune, MeetingKommune
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
) -> int:
    """Store one meeting (held or offered) with its kommuner; returns its id."""
    conn = session.connection()
    meeting_id = int(conn.execute(_INSERT_MEETING, {
        "status": status, "dato": dato, "tema": tema, "med": med, "notat": notat,
        "created_by": by, "created_at": now,
    }).scalar_one())
    conn.execute(_INSERT_LINK, [
        {"meeting_id": meeting_id, "kommune_nummer": k.nummer, "status": status, "dato": dato}
        for k in kommuner
    ])
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
              limit: int = 10) -> list[NearbyMeeting]:
    """Held meetings with any of ``kommuner`` within ``days`` of ``dato`` (possible doubles):
    up to ``limit`` distinct (kommune, date, author), by kommune and date.

    Only the first ``HELD_NEAR_ROWS`` rows in the order of the (kommune, status, date) index
    are made distinct: ``DISTINCT`` over the whole window would read and sort every held row
    in it, so a kommune logged thousands of times would slow every write. Past that many rows,
    later (kommune, date, author) may go unlisted; the warning itself still shows.
    """
    rows = session.connection().execute(_HELD_NEAR, {
        "kommuner": list(kommuner), "first": dato - timedelta(days=days),
        "last": dato + timedelta(days=days), "rows": max(limit, HELD_NEAR_ROWS), "limit": limit,
    })
    return [NearbyMeeting(*row) for row in rows]


def kommuner_with_meeting(kommuner: Iterable[str], year: int, *, session: Session) -> set[str]:
    """Which of ``kommuner`` already have a meeting (offered or held) dated in ``year``."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return set(session.exec(
        select(MeetingKommune.kommune_nummer).distinct()
        .where(col(MeetingKommune.kommune_nummer).in_(list(kommuner)))
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
    session.execute(delete(MeetingKommune).where(col(MeetingKommune.meeting_id) == meeting_id))
    session.execute(delete(DialogueMeeting).where(col(DialogueMeeting.id) == meeting_id))
    session.flush()


@dataclass(frozen=True)
class KommuneMeeting:
    meeting: DialogueMeeting
    kommuner: tuple[str, ...]


def meetings_for_kommune(nummer: str, *, session: Session, year: int | None = None,
                         limit: int = 20) -> list[KommuneMeeting]:
    """A kommune's meetings, newest first, each with every kommune that took part."""
    q = (select(DialogueMeeting)
         .join(MeetingKommune, col(MeetingKommune.meeting_id) == col(DialogueMeeting.id))
         .where(MeetingKommune.kommune_nummer == nummer))
    if year is not None:
        q = q.where(col(MeetingKommune.dato).between(date(year, 1, 1), date(year, 12, 31)))
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


def count_meetings_for_kommune(nummer: str, *, session: Session, year: int) -> int:
    """How many meetings (held or offered) a kommune has in ``year``."""
    q = (select(func.count()).select_from(MeetingKommune)
         .where(MeetingKommune.kommune_nummer == nummer,
                col(MeetingKommune.dato).between(date(year, 1, 1), date(year, 12, 31))))
    return int(session.exec(q).one())


@dataclass(frozen=True)
class Counts:
    offered: int
    held: int


def counts_by_embete(year: int, *, session: Session, embete_id: str | None = None,
                     kommuner: Sequence[str] | None = None) -> dict[str, Counts]:
    """Kommuner offered (a held meeting counts as offered) and held a dialogue meeting dated in
    ``year``, per embete; optionally for one embete or a set of kommuner.

    Asked per kommune (``EXISTS`` on the kommune's own index range), so the cost follows the
    357 kommuner and not the number of meetings stored.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)

    def count(held_only: bool) -> dict[str, int]:
        met = select(MeetingKommune.meeting_id).where(
            col(MeetingKommune.kommune_nummer) == col(Kommune.nummer),
            col(MeetingKommune.dato).between(start, end),
        )
        if held_only:
            met = met.where(MeetingKommune.status == HELD)
        q = select(Kommune.embete_id, func.count()).where(met.exists())
        if embete_id is not None:
            q = q.where(Kommune.embete_id == embete_id)
        if kommuner is not None:
            q = q.where(col(Kommune.nummer).in_(list(kommuner)))
        return {e: n for e, n in session.execute(q.group_by(col(Kommune.embete_id)))}

    offered, held = count(False), count(True)
    return {e: Counts(offered.get(e, 0), held.get(e, 0)) for e in offered.keys() | held.keys()}
