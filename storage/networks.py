"""Learning networks: the one write path for networks, invitations, participation and
gatherings, and the figures Hdir asks for. Functions take the session as a keyword and never
commit: the caller owns the transaction.

The figures can be asked for *as of* any date, because every row keeps its own dates:

* a kommune is **invited** as of a day when it was invited to a network on or before that
  day, or took part in one from that day or earlier (taking part implies the invitation);
* a kommune **takes part** as of a day when one of its participation periods has begun
  (``fra`` ≤ day) and not ended (no ``til``, or ``til`` after the day: ``til`` is the day it
  left), in a network that has not ended (no ``til``, or ``til`` on or after the day).

A kommune counts once however many networks it is in, and in the embete it belongs to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, union
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from storage.models import (
    Kommune,
    Network,
    NetworkGathering,
    NetworkGatheringKommune,
    NetworkInvitation,
    NetworkParticipation,
)
from voice.text import fold

_N = Network.__table__  # type: ignore[attr-defined]
_INV = NetworkInvitation.__table__  # type: ignore[attr-defined]
_PART = NetworkParticipation.__table__  # type: ignore[attr-defined]
_KOMMUNE = Kommune.__table__  # type: ignore[attr-defined]


def name_key(navn: str) -> str:
    """How network names are compared: ``"Mat og  Måltider"`` → ``"mat og maltider"``."""
    return " ".join(fold(navn).split())


# --- networks ---------------------------------------------------------------------------------


def add_network(embete_id: str, navn: str, *, tema: str | None, fra: date | None,
                til: date | None, by: str, now: datetime, session: Session) -> Network:
    """Store a new network; the unique (embete, folded name) refuses a second of the same
    name in one embete (callers check first, with :func:`networks_named`)."""
    row = Network(embete_id=embete_id, navn=navn, navn_key=name_key(navn), tema=tema, fra=fra,
                  til=til, created_by=by, created_at=now)
    session.add(row)
    session.flush()
    return row


def networks_named(navn: str, *, session: Session,
                   embete_id: str | None = None) -> list[Network]:
    """The networks called ``navn`` (compared folded): in one embete, or in every embete."""
    q = select(Network).where(col(Network.navn_key) == name_key(navn))
    if embete_id is not None:
        q = q.where(col(Network.embete_id) == embete_id)
    return list(session.exec(q.order_by(col(Network.embete_id))))


def list_networks(*, session: Session, embete_id: str | None = None) -> list[Network]:
    """An embete's networks (or all), by embete and name."""
    q = select(Network)
    if embete_id is not None:
        q = q.where(col(Network.embete_id) == embete_id)
    return list(session.exec(q.order_by(col(Network.embete_id), col(Network.navn_key))))


# --- invitations and participation ------------------------------------------------------------


def invitations_of(network_id: int, *, session: Session) -> dict[str, date]:
    """When each kommune was invited to a network (explicit invitations only)."""
    return dict(session.exec(
        select(col(NetworkInvitation.kommune_nummer), col(NetworkInvitation.dato))
        .where(col(NetworkInvitation.network_id) == network_id)).all())


def add_invitations(network_id: int, kommuner: Sequence[str], dato: date, *, by: str,
                    now: datetime, session: Session) -> None:
    """Invite ``kommuner`` (none of them invited to this network before) from ``dato``."""
    session.add_all([NetworkInvitation(network_id=network_id, kommune_nummer=k, dato=dato,
                                       created_by=by, created_at=now) for k in kommuner])
    session.flush()


def periods_of(network_id: int, *, session: Session) -> list[NetworkParticipation]:
    """Every participation period of a network, by kommune and start."""
    return list(session.exec(
        select(NetworkParticipation).where(col(NetworkParticipation.network_id) == network_id)
        .order_by(col(NetworkParticipation.kommune_nummer), col(NetworkParticipation.fra))))


def add_participations(network_id: int, kommuner: Sequence[str], fra: date, *, by: str,
                       now: datetime, session: Session) -> list[int]:
    """Open a participation period from ``fra`` for each of ``kommuner``; their ids."""
    rows = [NetworkParticipation(network_id=network_id, kommune_nummer=k, fra=fra,
                                 created_by=by, created_at=now) for k in kommuner]
    session.add_all(rows)
    session.flush()
    return [r.id for r in rows if r.id is not None]


def end_participations(periods: Sequence[NetworkParticipation], til: date, *, by: str,
                       now: datetime, session: Session) -> None:
    """Close open periods: the kommuner left on ``til`` (the first day they no longer take
    part)."""
    for period in periods:
        period.til, period.ended_by, period.ended_at = til, by, now
        session.add(period)
    session.flush()


# --- gatherings -------------------------------------------------------------------------------


def add_gathering(network_id: int, dato: date, *, tema: str | None, kommuner: Sequence[str],
                  by: str, now: datetime, session: Session) -> int:
    """Store a gathering with the kommuner that took part; returns its id."""
    row = NetworkGathering(network_id=network_id, dato=dato, tema=tema, created_by=by,
                           created_at=now)
    session.add(row)
    session.flush()
    assert row.id is not None
    session.add_all([NetworkGatheringKommune(gathering_id=row.id, kommune_nummer=k)
                     for k in kommuner])
    session.flush()
    return row.id


@dataclass(frozen=True)
class Gathering:
    gathering: NetworkGathering
    kommuner: tuple[str, ...]


def gatherings_of(network_id: int, *, session: Session, limit: int = 50) -> list[Gathering]:
    """A network's latest gatherings, newest first, each with its kommuner."""
    rows = list(session.exec(
        select(NetworkGathering).where(col(NetworkGathering.network_id) == network_id)
        .order_by(col(NetworkGathering.dato).desc(), col(NetworkGathering.id).desc())
        .limit(limit)))
    who: dict[int, list[str]] = {}
    for gid, nummer in session.exec(
            select(col(NetworkGatheringKommune.gathering_id),
                   col(NetworkGatheringKommune.kommune_nummer))
            .where(col(NetworkGatheringKommune.gathering_id).in_([g.id for g in rows]))
            .order_by(col(NetworkGatheringKommune.kommune_nummer))):
        who.setdefault(gid, []).append(nummer)
    return [Gathering(g, tuple(who.get(g.id or 0, ()))) for g in rows]


def count_gatherings(network_ids: Sequence[int], *, session: Session) -> dict[int, int]:
    return dict(session.exec(
        select(col(NetworkGathering.network_id), func.count())
        .where(col(NetworkGathering.network_id).in_(list(network_ids)))
        .group_by(col(NetworkGathering.network_id))).all())


# --- figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkCounts:
    invited: int
    participating: int


def _taking_part(as_of: date) -> ColumnElement[bool]:
    """A participation row (joined with its network) that is running on ``as_of``."""
    return and_(_PART.c.fra <= as_of,
                or_(_PART.c.til.is_(None), _PART.c.til > as_of),
                or_(_N.c.til.is_(None), _N.c.til >= as_of))


def network_counts_by_embete(*, as_of: date, session: Session, embete_id: str | None = None,
                             kommuner: Sequence[str] | None = None) -> dict[str, NetworkCounts]:
    """Kommuner invited to and taking part in a learning network as of ``as_of``, per embete
    (the kommune's); optionally for one embete or a set of kommuner. Each kommune is counted
    once however many networks it is in (see the module docstring for the rules).

    Asked per kommune (``EXISTS`` on the kommune's own index range), like the meeting figures.
    """
    nummer = _KOMMUNE.c.nummer
    invited = or_(
        exists().where(_INV.c.kommune_nummer == nummer, _INV.c.dato <= as_of),
        exists().where(_PART.c.kommune_nummer == nummer, _PART.c.fra <= as_of),
    )
    taking_part = exists(
        core_select(1).select_from(_PART.join(_N, _N.c.id == _PART.c.network_id))
        .where(_PART.c.kommune_nummer == nummer, _taking_part(as_of)))
    q = core_select(_KOMMUNE.c.embete_id,
               func.sum(case((invited, 1), else_=0)),
               func.sum(case((taking_part, 1), else_=0)))
    if embete_id is not None:
        q = q.where(_KOMMUNE.c.embete_id == embete_id)
    if kommuner is not None:
        q = q.where(nummer.in_(list(kommuner)))
    rows = session.execute(q.group_by(_KOMMUNE.c.embete_id))
    return {e: NetworkCounts(int(i or 0), int(p or 0)) for e, i, p in rows if i or p}


@dataclass(frozen=True)
class Period:
    """A span a kommune took part in a learning network: from ``fra`` up to, not including,
    ``until`` (None: it still does), with the network's own end already taken in."""

    kommune_nummer: str
    fra: date
    until: date | None


def participation_periods(kommuner: Sequence[str], *, last: date, session: Session
                          ) -> list[Period]:
    """Every participation period of ``kommuner`` that began on or before ``last``, so that
    *taking part* (see the module docstring) can be told for any day up to ``last`` from one
    query: on day ``d`` a kommune takes part when one of its periods has ``fra`` ≤ ``d`` and
    no ``until`` or ``until`` > ``d``. ``until`` is the day it left or the day after its
    network ended, whichever comes first."""
    wanted = list(dict.fromkeys(kommuner))
    if not wanted:
        return []
    rows = session.execute(
        core_select(_PART.c.kommune_nummer, _PART.c.fra, _PART.c.til, _N.c.til)
        .select_from(_PART.join(_N, _N.c.id == _PART.c.network_id))
        .where(_PART.c.kommune_nummer.in_(wanted), _PART.c.fra <= last)
        .order_by(_PART.c.kommune_nummer, _PART.c.fra))
    periods: list[Period] = []
    for nummer, fra, left, ended in rows:
        ends = [d for d in (left, ended + timedelta(days=1) if ended else None) if d]
        periods.append(Period(nummer, fra, min(ends) if ends else None))
    return periods


def counts_by_network(network_ids: Sequence[int], *, as_of: date, session: Session
                      ) -> dict[int, NetworkCounts]:
    """For each network, its kommuner invited and taking part as of ``as_of`` (same rules as
    :func:`network_counts_by_embete`, within the one network)."""
    ids = list(network_ids)
    members = union(
        core_select(_INV.c.network_id, _INV.c.kommune_nummer)
        .where(_INV.c.network_id.in_(ids), _INV.c.dato <= as_of),
        core_select(_PART.c.network_id, _PART.c.kommune_nummer)
        .where(_PART.c.network_id.in_(ids), _PART.c.fra <= as_of),
    ).subquery()
    invited = dict(session.execute(
        core_select(members.c.network_id, func.count()).group_by(members.c.network_id)).all())
    taking_part = dict(session.execute(
        core_select(_PART.c.network_id, func.count(_PART.c.kommune_nummer.distinct()))
        .select_from(_PART.join(_N, _N.c.id == _PART.c.network_id))
        .where(_PART.c.network_id.in_(ids), _taking_part(as_of))
        .group_by(_PART.c.network_id)).all())
    return {i: NetworkCounts(int(invited.get(i, 0)), int(taking_part.get(i, 0))) for i in ids}


# --- one kommune ------------------------------------------------------------------------------


@dataclass(frozen=True)
class KommuneNetwork:
    """One network a kommune has been invited to or taken part in."""

    network: Network
    invited: date | None
    """The explicit invitation's date (None when it only took part)."""
    periods: tuple[NetworkParticipation, ...]


def networks_of_kommune(nummer: str, *, session: Session) -> list[KommuneNetwork]:
    """Every network a kommune has been invited to or taken part in, by name."""
    invited = dict(session.exec(
        select(col(NetworkInvitation.network_id), col(NetworkInvitation.dato))
        .where(col(NetworkInvitation.kommune_nummer) == nummer)).all())
    periods: dict[int, list[NetworkParticipation]] = {}
    for p in session.exec(
            select(NetworkParticipation).where(col(NetworkParticipation.kommune_nummer) == nummer)
            .order_by(col(NetworkParticipation.fra))):
        periods.setdefault(p.network_id, []).append(p)
    ids = set(invited) | set(periods)
    if not ids:
        return []
    networks = session.exec(select(Network).where(col(Network.id).in_(ids))
                               .order_by(col(Network.navn_key)))
    return [KommuneNetwork(n, invited.get(n.id or 0), tuple(periods.get(n.id or 0, ())))
            for n in networks]
