"""Importing a spreadsheet (``/lhl import``): what the store already holds for the kommuner of a
file, read in a few queries so that a file of every kommune is checked at once, and the one
write of an import.

The import writes through the write paths of the records it adds (``queries.add_meeting``,
``networks.add_network``/``add_invitations``/``add_participations``, ``plans.add_entries``) and
logs them as one change (``changes.IMPORTED``), so that ``/lhl angre`` and ``/lhl slett`` take
the whole import back at once (``storage.entries``, "imports"). Functions take the session as
a keyword and never commit: the caller owns the transaction, so an import is all or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, select
from sqlmodel import Session

from storage import changes
from storage.changes import State, as_json, meeting_state
from storage.entries import invitations_state, network_state, periods_state
from storage.models import (
    DIALOGUE,
    HELD,
    MeetingKommune,
    Network,
    NetworkInvitation,
    NetworkParticipation,
)
from storage.networks import (
    add_invitations,
    add_network,
    add_participations,
    list_networks,
    name_key,
)
from storage.plans import FASE_T, PLAN_T, Entry, add_entries, entries_state
from storage.queries import add_meeting
from storage.reference import KommuneRef

_LINK: Table = MeetingKommune.__table__  # type: ignore[attr-defined]
_NETWORK: Table = Network.__table__  # type: ignore[attr-defined]
_INVITATION: Table = NetworkInvitation.__table__  # type: ignore[attr-defined]
_PERIOD: Table = NetworkParticipation.__table__  # type: ignore[attr-defined]
_CHUNK = 500
"""Values per ``IN (…)``: well inside what SQLite and PostgreSQL take in one statement."""


# --- what is there ----------------------------------------------------------------------------


def _chunks(values: Sequence[Any]) -> list[list[Any]]:
    return [list(values[i:i + _CHUNK]) for i in range(0, len(values), _CHUNK)]


def dialogue_meetings_on(kommuner: Sequence[str], dates: Sequence[date], *, session: Session
                         ) -> set[tuple[str, str, date]]:
    """(kommune, status, date) of the dialogue meetings of ``kommuner`` dated on one of
    ``dates``."""
    found: set[tuple[str, str, date]] = set()
    days = sorted(set(dates))
    for some in _chunks(sorted(set(kommuner))):
        for on in _chunks(days):
            found |= {(k, s, d) for k, s, d in session.connection().execute(
                select(_LINK.c.kommune_nummer, _LINK.c.status, _LINK.c.dato)
                .where(_LINK.c.kommune_nummer.in_(some), _LINK.c.dato.in_(on),
                       _LINK.c.type == DIALOGUE))}
    return found


@dataclass(frozen=True)
class Membership:
    """A kommune's invitation to a network (``til`` None), or one period it took part."""

    network_id: int
    kommune: str
    invited: bool
    """An invitation; else a participation period."""
    dato: date
    """The invitation's date, or the day the period began."""
    til: date | None
    """The day the kommune left (a period)."""
    network_til: date | None


def memberships(kommuner: Sequence[str], *, session: Session) -> list[Membership]:
    """Every invitation and participation period of ``kommuner``, in any network."""
    out: list[Membership] = []
    conn = session.connection()
    for some in _chunks(sorted(set(kommuner))):
        for nid, k, d, ntil in conn.execute(
                select(_INVITATION.c.network_id, _INVITATION.c.kommune_nummer,
                       _INVITATION.c.dato, _NETWORK.c.til)
                .join(_NETWORK, _NETWORK.c.id == _INVITATION.c.network_id)
                .where(_INVITATION.c.kommune_nummer.in_(some))):
            out.append(Membership(int(nid), k, True, d, None, ntil))
        for nid, k, fra, til, ntil in conn.execute(
                select(_PERIOD.c.network_id, _PERIOD.c.kommune_nummer, _PERIOD.c.fra,
                       _PERIOD.c.til, _NETWORK.c.til)
                .join(_NETWORK, _NETWORK.c.id == _PERIOD.c.network_id)
                .where(_PERIOD.c.kommune_nummer.in_(some))):
            out.append(Membership(int(nid), k, False, fra, til, ntil))
    return out


def histories(table: Table, kommuner: Sequence[str], *, session: Session
              ) -> dict[str, list[tuple[date, Any]]]:
    """Each kommune's plan statuses or phases (``table``) as (date, value), oldest first (by
    date, then as written)."""
    value = table.c["status" if table is PLAN_T else "fase"]
    out: dict[str, list[tuple[date, Any]]] = {}
    for some in _chunks(sorted(set(kommuner))):
        for k, d, v in session.connection().execute(
                select(table.c.kommune_nummer, table.c.dato, value)
                .where(table.c.kommune_nummer.in_(some))
                .order_by(table.c.kommune_nummer, table.c.dato, table.c.id)):
            out.setdefault(k, []).append((d, v))
    return out


def networks_by_name(*, session: Session) -> dict[tuple[str, str], Network]:
    """Every network by (embete, folded name)."""
    return {(n.embete_id, n.navn_key): n for n in list_networks(session=session)}


# --- the write --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewMeeting:
    status: str
    dato: date
    kommune: KommuneRef
    tema: str | None = None
    med: str | None = None
    notat: str | None = None
    areas: tuple[str, ...] = ()


@dataclass(frozen=True)
class NetworkName:
    """A network by its embete and name: one that is there, or one the import makes."""

    embete_id: str
    navn: str

    @property
    def key(self) -> tuple[str, str]:
        return self.embete_id, name_key(self.navn)


@dataclass(frozen=True)
class NewMembership:
    network: NetworkName
    kommune: str
    dato: date


@dataclass(frozen=True)
class NewEntry:
    """A plan status or a phase from a day."""

    value: str | int
    kommune: str
    dato: date


@dataclass(frozen=True)
class Import:
    """What one import adds, already checked (no duplicates, access, networks)."""

    file: str
    ref: str
    rows: int
    """The rows of the file it was read from."""
    counts: dict[str, int]
    """What it adds, by kind, for the log to say."""
    embete_id: str | None
    """The embete of every kommune it concerns, when they are all of one."""
    meetings: tuple[NewMeeting, ...] = ()
    invitations: tuple[NewMembership, ...] = ()
    participations: tuple[NewMembership, ...] = ()
    plans: tuple[NewEntry, ...] = ()
    phases: tuple[NewEntry, ...] = ()


def _grouped(items: Sequence[Any], by: Any) -> dict[Any, list[Any]]:
    groups: dict[Any, list[Any]] = {}
    for item in items:
        groups.setdefault(by(item), []).append(item)
    return groups


def store_import(done: Import, *, by: str, now: datetime, session: Session) -> int:
    """Store everything ``done`` adds, making the networks it names that are not there, and
    log it as one change; the change's id."""
    ids = {k: n.id for k, n in networks_by_name(session=session).items() if n.id is not None}
    created: set[int] = set()
    for m in (*done.invitations, *done.participations):
        if m.network.key not in ids:
            made = add_network(m.network.embete_id, m.network.navn, tema=None, fra=None,
                               til=None, by=by, now=now, session=session)
            assert made.id is not None
            ids[m.network.key] = made.id
            created.add(made.id)
    meetings = [add_meeting(m.status, m.dato, [m.kommune], by=by, now=now, session=session,
                            tema=m.tema, med=m.med, notat=m.notat, areas=m.areas)
                for m in done.meetings]
    invited: dict[int, list[str]] = {}
    for (key, dato), group in _grouped(done.invitations, lambda m: (m.network.key, m.dato)
                                       ).items():
        add_invitations(ids[key], [m.kommune for m in group], dato, by=by, now=now,
                        session=session)
        invited.setdefault(ids[key], []).extend(m.kommune for m in group)
    periods: dict[int, list[int]] = {}
    for (key, dato), group in _grouped(done.participations, lambda m: (m.network.key, m.dato)
                                       ).items():
        periods.setdefault(ids[key], []).extend(add_participations(
            ids[key], [m.kommune for m in group], dato, by=by, now=now, session=session))
    histories = [(changes.PLAN_RECORDED, PLAN_T, e) for e in _entries(PLAN_T, done.plans, by,
                                                                       now, session)]
    histories += [(changes.PHASE_RECORDED, FASE_T, e) for e in _entries(FASE_T, done.phases,
                                                                        by, now, session)]
    parts: list[State] = []
    for network_id in sorted(created):
        parts.append(_part(changes.NETWORK_CREATED, network_id,
                           network_state(network_id, session=session)))
    for meeting_id in meetings:
        state = meeting_state(meeting_id, session=session)
        kind = changes.MEETING_HELD if state and state["status"] == HELD else (
            changes.MEETING_OFFERED)
        parts.append(_part(kind, meeting_id, state))
    for network_id, kommuner in invited.items():
        if network_id not in created:
            parts.append(_part(changes.NETWORK_INVITED, network_id,
                               invitations_state(network_id, kommuner, session=session)))
    for network_id, period_ids in periods.items():
        if network_id not in created:
            parts.append(_part(changes.NETWORK_JOINED, network_id,
                               periods_state(network_id, period_ids, session=session)))
    for kind, table, entries in histories:
        # With its author, as ``entries`` reads it back: a deletion puts it back from that.
        parts.append(_part(kind, entries[0].id, {**entries_state(table, entries),
                                                 "created_by": by}))
    kommuner = sorted({str(k) for p in parts for k in _kommuner_of(p)})
    after = {"file": done.file, "ref": done.ref, "rows": done.rows, "counts": done.counts,
             "created_by": by, "created_at": now, "kommuner": kommuner,
             "embete_id": done.embete_id, "parts": parts}
    return changes.record_entry(changes.IMPORTED, changes.IMPORT, after=as_json(after), by=by,
                                now=now, session=session)


def _entries(table: Table, new: Sequence[NewEntry], by: str, now: datetime,
             session: Session) -> list[list[Entry]]:
    """Add plan statuses or phases, one write per (value, day) as ``/lhl plan`` makes them."""
    return [add_entries(table, [e.kommune for e in group], value, dato, by=by, now=now,
                        session=session)
            for (value, dato), group in _grouped(new, lambda e: (e.value, e.dato)).items()]


def _part(kind: str, record_id: int, state: State | None) -> State:
    assert state is not None
    return {"kind": kind, "id": str(record_id), "state": as_json(state)}


def _kommuner_of(part: State) -> list[str]:
    state = part["state"]
    if "kommuner" in state:
        return list(state["kommuner"])
    return [r["kommune_nummer"] for rows in ("invitations", "periods")
            for r in state.get(rows, [])]
