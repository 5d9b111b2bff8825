"""Nominations for the *Leve hele livet-prisen*: the one write path, the kommune's facts a
nomination carries, the listings and the winner of each year. Functions take the session as a
keyword and never commit: the caller owns the transaction.

**Which year.** The prize is given at the national conference in November (seeds 001, 004;
on 16 November 2022). Until the end of November a nomination is for this year's prize; from
1 December, when this year's has been given, for next year's (:func:`coming_award_year`).

**The facts** (:func:`kommune_facts`) are a snapshot: the kommune's own record on the day it
was nominated, stored as JSON with the nomination, so that it says what the nominators saw
even after more is recorded (or something is undone). They are read with the same rules as
everywhere: held meetings of every type by ``meeting_kommune``, the learning networks it has
taken part in (``storage.networks.networks_of_kommune``), and its plan status and phase as of
the day (``storage.plans.current_as_of``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, update
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.changes import State, as_json
from storage.models import HELD, MeetingKommune, Nomination, PrizeWinner
from storage.networks import networks_of_kommune
from storage.plans import FASE_T, PLAN_T, current_as_of

AWARD_MONTH = 11
"""The prize is given in November; from 1 December a nomination is for next year's."""

_NOMINATION = Nomination.__table__  # type: ignore[attr-defined]
_WINNER = PrizeWinner.__table__  # type: ignore[attr-defined]
_LINK = MeetingKommune.__table__  # type: ignore[attr-defined]


def coming_award_year(today: date) -> int:
    """The year of the next prize to be given: this year's until the end of November."""
    return today.year if today.month <= AWARD_MONTH else today.year + 1


def awarded(aar: int, today: date) -> bool:
    """Whether the prize of ``aar`` has been given: its nominations are then the record of
    it, which only an administrator takes away."""
    return aar < coming_award_year(today)


# --- the facts --------------------------------------------------------------------------------


def kommune_facts(nummer: str, as_of: date, *, session: Session) -> dict[str, Any]:
    """A kommune's own record on ``as_of``, as JSON (dates as ISO text):

    ``moter``: held meetings of every type dated up to the day (``holdt``, ``siste``, and
    ``typer``: the count by meeting type); ``nettverk``: the learning networks it has taken
    part in, each with the first day and, when it no longer takes part, the last (``til``);
    ``invitert``: how many networks it has been invited to or taken part in; ``plan``
    (``status``, ``dato``) and ``fase`` (``fase``, ``dato``): as of the day, since when
    (None: not recorded)."""
    by_type = session.connection().execute(
        core_select(_LINK.c.type, func.count(), func.max(_LINK.c.dato))
        .where(_LINK.c.kommune_nummer == nummer, _LINK.c.status == HELD,
               _LINK.c.dato <= as_of)
        .group_by(_LINK.c.type).order_by(_LINK.c.type)).all()
    held = sum(int(n) for _, n, _ in by_type)
    latest = max((d for _, _, d in by_type), default=None)
    networks = []
    invited = 0
    for kn in networks_of_kommune(nummer, session=session):
        periods = [p for p in kn.periods if p.fra <= as_of]
        if (kn.invited is not None and kn.invited <= as_of) or periods:
            invited += 1
        if not periods:
            continue
        network_end = kn.network.til if kn.network.til and kn.network.til < as_of else None
        running = any(p.til is None or p.til > as_of for p in periods) and network_end is None
        last_til = max((p.til for p in periods if p.til is not None), default=None)
        networks.append({"navn": kn.network.navn, "fra": min(p.fra for p in periods),
                         "til": None if running else (network_end or last_til)})
    plan = current_as_of(PLAN_T, [nummer], as_of, session=session).get(nummer)
    fase = current_as_of(FASE_T, [nummer], as_of, session=session).get(nummer)
    return dict(as_json({
        "per": as_of,
        "moter": {"holdt": held, "siste": latest,
                  "typer": {t: int(n) for t, n, _ in by_type}},
        "nettverk": networks,
        "invitert": invited,
        "plan": {"status": plan.value, "dato": plan.dato} if plan else None,
        "fase": {"fase": fase.value, "dato": fase.dato} if fase else None,
    }))


# --- nominations ------------------------------------------------------------------------------


def add_nomination(*, aar: int, kommune_nummer: str, embete_id: str, begrunnelse: str,
                   fakta: dict[str, Any], by: str, now: datetime, session: Session) -> int | None:
    """Store one nomination; its id, or None when the embete's nomination of the kommune for
    that year was stored meanwhile (by a second press, or a colleague at the same moment)."""
    nomination = Nomination(aar=aar, kommune_nummer=kommune_nummer, embete_id=embete_id,
                            begrunnelse=begrunnelse, fakta=fakta, created_by=by,
                            created_at=now)
    try:
        with session.begin_nested():
            session.add(nomination)
            session.flush()
    except IntegrityError:
        return None
    assert nomination.id is not None
    return nomination.id


def get_nomination(nomination_id: int, *, session: Session) -> Nomination | None:
    return session.get(Nomination, nomination_id)


def find_nomination(aar: int, kommune_nummer: str, embete_id: str, *, session: Session
                    ) -> Nomination | None:
    """The one nomination of a kommune by an embete for a year, if there is one."""
    return session.exec(select(Nomination).where(
        Nomination.aar == aar, Nomination.kommune_nummer == kommune_nummer,
        Nomination.embete_id == embete_id)).first()


def set_begrunnelse(nomination_id: int, begrunnelse: str, *, by: str, now: datetime,
                    session: Session) -> None:
    session.execute(update(_NOMINATION).where(_NOMINATION.c.id == nomination_id)
                    .values(begrunnelse=begrunnelse, endret_by=by, endret_at=now))


def list_nominations(aar: int, *, session: Session, limit: int, offset: int = 0,
                     embete_id: str | None = None) -> tuple[list[Nomination], int]:
    """The nominations for the prize of ``aar`` (of one embete, or all), ``limit`` of them
    from ``offset``, and how many there are: by embete, and the newest first within each."""
    where = [col(Nomination.aar) == aar]
    if embete_id is not None:
        where.append(col(Nomination.embete_id) == embete_id)
    total = int(session.exec(select(func.count()).select_from(Nomination).where(*where)).one())
    rows = list(session.exec(select(Nomination).where(*where)
                             .order_by(col(Nomination.embete_id), col(Nomination.id).desc())
                             .offset(offset).limit(limit)))
    return rows, total


def count_nominations(aar: int, *, session: Session, embete_id: str | None = None) -> int:
    """How many nominations there are for the prize of ``aar`` (from one embete, or all)."""
    q = select(func.count()).select_from(Nomination).where(col(Nomination.aar) == aar)
    if embete_id is not None:
        q = q.where(col(Nomination.embete_id) == embete_id)
    return int(session.exec(q).one())


def nominations_of_kommune(nummer: str, *, session: Session) -> list[Nomination]:
    """A kommune's nominations, newest year first."""
    return list(session.exec(select(Nomination).where(Nomination.kommune_nummer == nummer)
                             .order_by(col(Nomination.aar).desc(), col(Nomination.id))))


def delete_nomination(nomination_id: int, *, session: Session) -> None:
    """Take a nomination away, and its mark as the winner with it."""
    conn = session.connection()
    conn.execute(delete(_WINNER).where(_WINNER.c.nomination_id == nomination_id))
    conn.execute(delete(_NOMINATION).where(_NOMINATION.c.id == nomination_id))


# --- the winner -------------------------------------------------------------------------------


def winner_of(aar: int, *, session: Session) -> PrizeWinner | None:
    return session.get(PrizeWinner, aar)


def winners(years: Sequence[int], *, session: Session) -> dict[int, int]:
    """The winning nomination's id of each of ``years`` that has one."""
    if not years:
        return {}
    return dict(session.connection().execute(
        core_select(_WINNER.c.aar, _WINNER.c.nomination_id)
        .where(_WINNER.c.aar.in_(list(years)))).all())


def mark_winner(aar: int, nomination_id: int, *, by: str, now: datetime,
                session: Session) -> None:
    """Make ``nomination_id`` the winner of ``aar``, in place of any other."""
    conn = session.connection()
    conn.execute(delete(_WINNER).where(_WINNER.c.aar == aar))
    conn.execute(insert(_WINNER), {"aar": aar, "nomination_id": nomination_id,
                                   "marked_by": by, "marked_at": now})


def unmark_winner(aar: int, *, session: Session) -> None:
    session.connection().execute(delete(_WINNER).where(_WINNER.c.aar == aar))


# --- what the change log holds -----------------------------------------------------------------


def nomination_state(nomination_id: int, *, session: Session) -> State | None:
    """A nomination as the log holds it: its columns, its kommune (``kommuner``, so the log
    of the kommune finds it) and whether it is the winner (``vinner``: who marked it and
    when, or None)."""
    conn = session.connection()
    row = conn.execute(core_select(_NOMINATION).where(_NOMINATION.c.id == nomination_id)
                       ).mappings().first()
    if row is None:
        return None
    mark = conn.execute(core_select(_WINNER.c.marked_by, _WINNER.c.marked_at)
                        .where(_WINNER.c.nomination_id == nomination_id)).mappings().first()
    state = {c.name: row[c.name] for c in _NOMINATION.c if c.name != "id"}
    state["kommuner"] = [row["kommune_nummer"]]
    state["vinner"] = dict(mark) if mark else None
    return dict(as_json(state))


def winner_state(aar: int, *, session: Session) -> State | None:
    """The winner of ``aar`` as the log holds it: the nomination it is, and the kommune and
    embete of it (so the log of either finds the change)."""
    row = session.connection().execute(
        core_select(_WINNER, _NOMINATION.c.kommune_nummer, _NOMINATION.c.embete_id)
        .join(_NOMINATION, _NOMINATION.c.id == _WINNER.c.nomination_id)
        .where(_WINNER.c.aar == aar)).mappings().first()
    if row is None:
        return None
    return dict(as_json({"aar": row["aar"], "nomination_id": row["nomination_id"],
                         "marked_by": row["marked_by"], "marked_at": row["marked_at"],
                         "kommuner": [row["kommune_nummer"]], "embete_id": row["embete_id"]}))
