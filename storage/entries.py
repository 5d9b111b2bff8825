"""What an entry of the change log is about, as the log holds it, and how ``/lhl angre`` and
``/lhl slett`` take it away and put it back.

An *entry* is a change to one of :data:`storage.changes.ENTRY_RECORDS`: a meeting held,
offered or planned, edited or deleted; a network created, kommuner invited to it, taking part
in it or leaving it, a gathering; an event; a good example; a plan status or a phase recorded;
an import of a spreadsheet; a nomination for the Leve hele livet-prisen (and an edit of its
begrunnelse), or the mark of a year's winner. Each kind of entry is about one :class:`Item` (a
meeting, the invitations one command made, the participation periods it opened, what an import
added …), held in the log as JSON (:func:`storage.changes.as_json`):

* ``read`` gives the item as it is now, as far as it is still the same one: the rows with the
  ids, kommuner, author and ``created_at`` the log names (SQLite gives the id of a deleted last
  row to the next one, and that is another record), or None when none of it is left;
* ``remove`` takes it away (an undo of an addition, ``/lhl slett``) and gives the state after
  (None: gone; a leaving taken away leaves the periods running);
* ``put_back`` puts it back as the state says, with the same ids (an undo of a deletion), or
  raises :class:`Taken` when something now stands in its place and :class:`Gone` when what
  it belongs to is gone.

A deletion is logged as the item's own kind (:attr:`Item.deletion`) with the state before, so
that ``angre`` can put it back. :func:`edit_meeting` is the one write path for changing a
meeting, logged with the meeting before and after.

Functions take the session as a keyword and never commit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Date, RowMapping, Table, delete, insert, select, update
from sqlmodel import Session

from storage import changes
from storage.changes import State, as_json, meeting_state
from storage.events import delete_event
from storage.examples import delete_example
from storage.models import (
    DIALOGUE,
    HELD,
    MEETING_TYPES,
    DialogueMeeting,
    Event,
    EventArea,
    Example,
    ExampleArea,
    MeetingArea,
    MeetingKommune,
    Network,
    NetworkGathering,
    NetworkGatheringKommune,
    NetworkInvitation,
    NetworkParticipation,
    Nomination,
    PrizeWinner,
)
from storage.nominations import (
    delete_nomination,
    nomination_state,
    unmark_winner,
    winner_state,
)
from storage.plans import FASE_T, PLAN_T, delete_entries
from storage.queries import delete_meeting
from storage.types import UTCDateTime
from voice.innsatsomrader import areas_in


class Gone(Exception):
    """What the item belongs to (its network) is gone, or the item itself is."""


class Taken(Exception):
    """Something stands where the item stood: its number is used again, or the same kommune
    is invited or taking part again."""


_MEETING: Table = DialogueMeeting.__table__  # type: ignore[attr-defined]
_MEETING_KOMMUNE: Table = MeetingKommune.__table__  # type: ignore[attr-defined]
_MEETING_AREA: Table = MeetingArea.__table__  # type: ignore[attr-defined]
_NETWORK: Table = Network.__table__  # type: ignore[attr-defined]
_INVITATION: Table = NetworkInvitation.__table__  # type: ignore[attr-defined]
_PERIOD: Table = NetworkParticipation.__table__  # type: ignore[attr-defined]
_GATHERING: Table = NetworkGathering.__table__  # type: ignore[attr-defined]
_GATHERING_KOMMUNE: Table = NetworkGatheringKommune.__table__  # type: ignore[attr-defined]
_EVENT: Table = Event.__table__  # type: ignore[attr-defined]
_EVENT_AREA: Table = EventArea.__table__  # type: ignore[attr-defined]
_EXAMPLE: Table = Example.__table__  # type: ignore[attr-defined]
_EXAMPLE_AREA: Table = ExampleArea.__table__  # type: ignore[attr-defined]
_NOMINATION: Table = Nomination.__table__  # type: ignore[attr-defined]
_WINNER: Table = PrizeWinner.__table__  # type: ignore[attr-defined]


def _row_state(table: Table, row: RowMapping, *, skip: Sequence[str] = ()) -> State:
    """A row as the log holds it: every column but ``skip``."""
    return dict(as_json({c.name: row[c.name] for c in table.c if c.name not in skip}))


def _row_values(table: Table, state: Mapping[str, Any]) -> dict[str, Any]:
    """The columns of ``table`` in ``state``, read back from JSON into dates and times."""
    values: dict[str, Any] = {}
    for c in table.c:
        if c.name not in state:
            continue
        value = state[c.name]
        if isinstance(value, str) and isinstance(c.type, UTCDateTime):
            value = datetime.fromisoformat(value)
        elif isinstance(value, str) and isinstance(c.type, Date):
            value = date.fromisoformat(value)
        values[c.name] = value
    return values


def _same_one(current: Mapping[str, Any], recorded: Mapping[str, Any]) -> bool:
    return (current.get("created_by"), current.get("created_at")) == (
        recorded.get("created_by"), recorded.get("created_at"))


def same(current: Mapping[str, Any] | None, recorded: Mapping[str, Any] | None) -> bool:
    """Whether ``current`` is as ``recorded`` says: every key the log holds has the same
    value now (a column added since is not compared)."""
    if current is None or recorded is None:
        return current is recorded
    return all(current.get(k) == v for k, v in recorded.items())


def _exists(table: Table, session: Session, **where: Any) -> bool:
    q = select(table.c[next(iter(where))]).where(*(table.c[k] == v for k, v in where.items()))
    return session.connection().execute(q.limit(1)).first() is not None


# --- meetings ---------------------------------------------------------------------------------


def _read_meeting(record_id: str, recorded: State, session: Session) -> State | None:
    current = meeting_state(int(record_id), session=session)
    if current is None:
        return None
    state = dict(as_json(current))
    return state if _same_one(state, recorded) else None


def _remove_meeting(record_id: str, _: State, session: Session) -> State | None:
    delete_meeting(int(record_id), session=session)
    return None


def _put_back_meeting(record_id: str, state: State, session: Session) -> None:
    meeting_id = int(record_id)
    if _exists(_MEETING, session, id=meeting_id):
        raise Taken
    values = _row_values(_MEETING, state)
    session.connection().execute(insert(_MEETING), {**values, "id": meeting_id})
    _link_meeting(meeting_id, values, state["kommuner"], session)
    _set_areas(meeting_id, state, session)


def _link_meeting(meeting_id: int, values: Mapping[str, Any] | RowMapping,
                  kommuner: Sequence[str],
                  session: Session) -> None:
    """The meeting's kommuner, each row with the meeting's own copies (status, type, date …;
    one a state logged before it existed lacks takes the column's default)."""
    copied = [c.name for c in _MEETING_KOMMUNE.c
              if c.name not in ("meeting_id", "kommune_nummer") and c.name in values]
    session.connection().execute(insert(_MEETING_KOMMUNE), [
        {"meeting_id": meeting_id, "kommune_nummer": k, **{n: values[n] for n in copied}}
        for k in kommuner])


def _theme_areas(tema: str | None) -> list[str]:
    """The innsatsområder a theme names, by short form, as ``logg-møte`` stores them."""
    return sorted({a.key for a in areas_in(tema)}) if tema else []


def _set_areas(meeting_id: int, state: State, session: Session) -> None:
    """The meeting's ``meeting_area`` rows as ``state`` says; a state logged before meetings
    had areas gets those its theme names (as migration 0008 filled them in)."""
    areas = state["areas"] if "areas" in state else _theme_areas(state.get("tema"))
    conn = session.connection()
    conn.execute(delete(_MEETING_AREA).where(_MEETING_AREA.c.meeting_id == meeting_id))
    if areas:
        conn.execute(insert(_MEETING_AREA),
                     [{"meeting_id": meeting_id, "omrade": a} for a in areas])


def put_meeting(meeting_id: int, state: State, *, session: Session) -> None:
    """Make a stored meeting what ``state`` says (its fields, kommuner and areas)."""
    conn = session.connection()
    values = _row_values(_MEETING, state)
    conn.execute(update(_MEETING).where(_MEETING.c.id == meeting_id).values(**values))
    current = conn.execute(select(*[c for c in _MEETING.c if c.name != "id"])
                           .where(_MEETING.c.id == meeting_id)).mappings().one()
    conn.execute(delete(_MEETING_KOMMUNE).where(_MEETING_KOMMUNE.c.meeting_id == meeting_id))
    _link_meeting(meeting_id, current, state["kommuner"], session)
    _set_areas(meeting_id, state, session)


class Keep(Enum):
    """A field :func:`edit_meeting` leaves as it is."""

    KEEP = "keep"


KEEP = Keep.KEEP


def edit_meeting(meeting_id: int, *, by: str, now: datetime, session: Session,
                 kommuner: Sequence[str] | Keep = KEEP, dato: date | Keep = KEEP,
                 meeting_type: str | Keep = KEEP, tema: str | Keep | None = KEEP,
                 med: str | Keep | None = KEEP, notat: str | Keep | None = KEEP) -> int | None:
    """Change a meeting's kommuner (numbers), date, type, theme, partners or note (None
    empties a field; :data:`KEEP` leaves it) and log it (``meeting_edited``, the meeting
    before and after), so that ``/lhl angre`` puts the before back. The type is copied to the
    kommune rows, and a new theme gives the meeting the innsatsområder it names. The change's
    id, or None when nothing changed (and nothing is logged). Raises :class:`Gone` when there
    is no such meeting, ValueError for what no command can store (no kommune, an unknown
    type, an offered or planned meeting of another type than a dialogue meeting). The caller
    checks who may edit it."""
    before = meeting_state(meeting_id, session=session)
    if before is None:
        raise Gone
    wanted = dict(before)
    if kommuner is not KEEP:
        if not kommuner:
            raise ValueError("a meeting needs at least one kommune")
        wanted["kommuner"] = sorted(set(kommuner))
    if meeting_type is not KEEP:
        if meeting_type not in MEETING_TYPES:
            raise ValueError(f"no meeting type {meeting_type!r}")
        if meeting_type != DIALOGUE and before["status"] != HELD:
            raise ValueError("only a held meeting can be of another type than a dialogue "
                             "meeting")
        wanted["type"] = meeting_type
    for name, value in (("dato", dato), ("tema", tema), ("med", med), ("notat", notat)):
        if value is not KEEP:
            wanted[name] = value
    if tema is not KEEP:
        wanted["areas"] = _theme_areas(tema)
    if as_json(wanted) == as_json(before):
        return None
    put_meeting(meeting_id, as_json(wanted), session=session)
    after = meeting_state(meeting_id, session=session)
    return changes.record(changes.MEETING_EDITED, changes.MEETING, meeting_id, before=before,
                          after=after, by=by, now=now, session=session)


# --- networks ---------------------------------------------------------------------------------


def _network_row(network_id: int, session: Session) -> RowMapping | None:
    return session.connection().execute(
        select(_NETWORK).where(_NETWORK.c.id == network_id)).mappings().first()


def _about(network: RowMapping) -> State:
    """What every network entry says of its network: its name and embete."""
    return {"network": network["navn"], "embete_id": network["embete_id"]}


def network_state(network_id: int, *, session: Session) -> State | None:
    """A network with everything in it: invitations, participation periods, gatherings."""
    conn = session.connection()
    row = _network_row(network_id, session)
    if row is None:
        return None
    state = {**_row_state(_NETWORK, row, skip=("id",)), "network": row["navn"]}
    state["invitations"] = [_row_state(_INVITATION, r, skip=("network_id",)) for r in conn.execute(
        select(_INVITATION).where(_INVITATION.c.network_id == network_id)
        .order_by(_INVITATION.c.kommune_nummer)).mappings()]
    state["periods"] = [_row_state(_PERIOD, r, skip=("network_id",)) for r in conn.execute(
        select(_PERIOD).where(_PERIOD.c.network_id == network_id).order_by(_PERIOD.c.id)
    ).mappings()]
    gatherings = []
    for g in conn.execute(select(_GATHERING).where(_GATHERING.c.network_id == network_id)
                          .order_by(_GATHERING.c.id)).mappings():
        gatherings.append({**_row_state(_GATHERING, g, skip=("network_id",)),
                           "kommuner": _gathering_kommuner(g["id"], session)})
    state["gatherings"] = gatherings
    return state


def _gathering_kommuner(gathering_id: int, session: Session) -> list[str]:
    return list(session.connection().execute(
        select(_GATHERING_KOMMUNE.c.kommune_nummer)
        .where(_GATHERING_KOMMUNE.c.gathering_id == gathering_id)
        .order_by(_GATHERING_KOMMUNE.c.kommune_nummer)).scalars())


def network_authors(state: State) -> set[str]:
    """Everyone who wrote something in a network (:func:`network_state`)."""
    found = {state["created_by"]}
    for rows in (state.get("invitations", []), state.get("periods", []),
                 state.get("gatherings", [])):
        found |= {r["created_by"] for r in rows}
    found |= {p["ended_by"] for p in state.get("periods", []) if p.get("ended_by")}
    return found


def _read_network(record_id: str, recorded: State, session: Session) -> State | None:
    state = network_state(int(record_id), session=session)
    return state if state is not None and _same_one(state, recorded) else None


def _remove_network(record_id: str, _: State, session: Session) -> State | None:
    conn = session.connection()
    network_id = int(record_id)
    gatherings = select(_GATHERING.c.id).where(_GATHERING.c.network_id == network_id)
    conn.execute(delete(_GATHERING_KOMMUNE)
                 .where(_GATHERING_KOMMUNE.c.gathering_id.in_(gatherings)))
    for table in (_GATHERING, _PERIOD, _INVITATION):
        conn.execute(delete(table).where(table.c.network_id == network_id))
    conn.execute(delete(_NETWORK).where(_NETWORK.c.id == network_id))
    return None


def _put_back_network(record_id: str, state: State, session: Session) -> None:
    network_id = int(record_id)
    if (_exists(_NETWORK, session, id=network_id)
            or _exists(_NETWORK, session, embete_id=state["embete_id"],
                       navn_key=state["navn_key"])
            or any(_exists(_PERIOD, session, id=p["id"]) for p in state["periods"])
            or any(_exists(_GATHERING, session, id=g["id"]) for g in state["gatherings"])):
        raise Taken
    conn = session.connection()
    conn.execute(insert(_NETWORK), {**_row_values(_NETWORK, state), "id": network_id})
    _insert_rows(_INVITATION, network_id, state["invitations"], session)
    _insert_rows(_PERIOD, network_id, state["periods"], session)
    for g in state["gatherings"]:
        _put_gathering(network_id, g, session)


def _insert_rows(table: Table, network_id: int, rows: Sequence[State],
                 session: Session) -> None:
    if rows:
        session.connection().execute(insert(table), [
            {**_row_values(table, r), "network_id": network_id} for r in rows])


def _put_gathering(network_id: int, state: State, session: Session) -> None:
    conn = session.connection()
    conn.execute(insert(_GATHERING), {**_row_values(_GATHERING, state), "network_id": network_id})
    if state["kommuner"]:
        conn.execute(insert(_GATHERING_KOMMUNE), [
            {"gathering_id": state["id"], "kommune_nummer": k} for k in state["kommuner"]])


# invitations


def invitations_state(network_id: int, kommuner: Sequence[str], *, session: Session
                      ) -> State:
    """The invitations of ``kommuner`` to a network, as they are now."""
    row = _network_row(network_id, session)
    assert row is not None
    rows = [_row_state(_INVITATION, r, skip=("network_id",))
            for r in session.connection().execute(
                select(_INVITATION).where(_INVITATION.c.network_id == network_id,
                                          _INVITATION.c.kommune_nummer.in_(list(kommuner)))
                .order_by(_INVITATION.c.kommune_nummer)).mappings()]
    return {**_about(row), "kommuner": [r["kommune_nummer"] for r in rows], "invitations": rows}


def _read_invitations(record_id: str, recorded: State, session: Session) -> State | None:
    if _network_row(int(record_id), session) is None:
        return None
    now = invitations_state(int(record_id), recorded["kommuner"], session=session)
    was = {r["kommune_nummer"]: r for r in recorded["invitations"]}
    kept = [r for r in now["invitations"] if _same_one(r, was[r["kommune_nummer"]])]
    if not kept:
        return None
    return {**now, "kommuner": [r["kommune_nummer"] for r in kept], "invitations": kept}


def _remove_invitations(record_id: str, state: State, session: Session) -> State | None:
    session.connection().execute(delete(_INVITATION).where(
        _INVITATION.c.network_id == int(record_id),
        _INVITATION.c.kommune_nummer.in_(state["kommuner"])))
    return None


def _put_back_invitations(record_id: str, state: State, session: Session) -> None:
    network_id = int(record_id)
    if _network_row(network_id, session) is None:
        raise Gone
    if any(_exists(_INVITATION, session, network_id=network_id, kommune_nummer=k)
           for k in state["kommuner"]):
        raise Taken
    _insert_rows(_INVITATION, network_id, state["invitations"], session)


# participation periods (taking part, and leaving)


def periods_state(network_id: int, period_ids: Sequence[int], *, session: Session) -> State:
    """Participation periods of a network, as they are now."""
    row = _network_row(network_id, session)
    assert row is not None
    rows = [_row_state(_PERIOD, r, skip=("network_id",)) for r in session.connection().execute(
        select(_PERIOD).where(_PERIOD.c.network_id == network_id,
                              _PERIOD.c.id.in_(list(period_ids)))
        .order_by(_PERIOD.c.kommune_nummer, _PERIOD.c.id)).mappings()]
    return {**_about(row), "kommuner": sorted({r["kommune_nummer"] for r in rows}),
            "periods": rows}


def _read_periods(record_id: str, recorded: State, session: Session) -> State | None:
    if _network_row(int(record_id), session) is None:
        return None
    now = periods_state(int(record_id), [p["id"] for p in recorded["periods"]],
                        session=session)
    was = {p["id"]: p for p in recorded["periods"]}
    kept = [p for p in now["periods"] if _same_one(p, was[p["id"]])]
    if not kept:
        return None
    return {**now, "kommuner": sorted({p["kommune_nummer"] for p in kept}), "periods": kept}


def _remove_periods(record_id: str, state: State, session: Session) -> State | None:
    session.connection().execute(
        delete(_PERIOD).where(_PERIOD.c.id.in_([p["id"] for p in state["periods"]])))
    return None


def _put_back_periods(record_id: str, state: State, session: Session) -> None:
    network_id = int(record_id)
    if _network_row(network_id, session) is None:
        raise Gone
    for p in state["periods"]:
        if (_exists(_PERIOD, session, id=p["id"])
                or _exists(_PERIOD, session, network_id=network_id,
                           kommune_nummer=p["kommune_nummer"], fra=date.fromisoformat(p["fra"]))
                or (p["til"] is None and _exists(_PERIOD, session, network_id=network_id,
                                                 kommune_nummer=p["kommune_nummer"], til=None))):
            raise Taken
    _insert_rows(_PERIOD, network_id, state["periods"], session)


def _read_leaving(record_id: str, recorded: State, session: Session) -> State | None:
    found = _read_periods(record_id, recorded, session)
    if found is None:
        return None
    closed = [p for p in found["periods"] if p["til"] is not None]
    if not closed:
        return None
    return {**found, "kommuner": sorted({p["kommune_nummer"] for p in closed}),
            "periods": closed}


def _reopen(record_id: str, state: State, session: Session) -> State | None:
    """Take a leaving away: the periods it closed run again."""
    ids = [p["id"] for p in state["periods"]]
    session.connection().execute(update(_PERIOD).where(_PERIOD.c.id.in_(ids))
                                 .values(til=None, ended_by=None, ended_at=None))
    return periods_state(int(record_id), ids, session=session)


def _close(record_id: str, state: State, session: Session) -> None:
    """Put a leaving back: close the periods as it did."""
    now = _read_periods(record_id, state, session)
    if now is None or len(now["periods"]) != len(state["periods"]):
        raise Gone
    if any(p["til"] is not None for p in now["periods"]):
        raise Taken
    conn = session.connection()
    for p in state["periods"]:
        values = _row_values(_PERIOD, p)
        conn.execute(update(_PERIOD).where(_PERIOD.c.id == p["id"]).values(
            til=values["til"], ended_by=values["ended_by"], ended_at=values["ended_at"]))


# gatherings


def gathering_state(gathering_id: int, *, session: Session) -> State | None:
    row = session.connection().execute(
        select(_GATHERING).where(_GATHERING.c.id == gathering_id)).mappings().first()
    if row is None:
        return None
    network = _network_row(row["network_id"], session)
    assert network is not None
    return {**_about(network), **_row_state(_GATHERING, row, skip=("network_id",)),
            "kommuner": _gathering_kommuner(gathering_id, session)}


def _read_gathering(record_id: str, recorded: State, session: Session) -> State | None:
    state = gathering_state(int(recorded["id"]), session=session)
    return state if state is not None and _same_one(state, recorded) else None


def _remove_gathering(record_id: str, state: State, session: Session) -> State | None:
    conn = session.connection()
    conn.execute(delete(_GATHERING_KOMMUNE)
                 .where(_GATHERING_KOMMUNE.c.gathering_id == state["id"]))
    conn.execute(delete(_GATHERING).where(_GATHERING.c.id == state["id"]))
    return None


def _put_back_gathering(record_id: str, state: State, session: Session) -> None:
    network_id = int(record_id)
    if _network_row(network_id, session) is None:
        raise Gone
    if _exists(_GATHERING, session, id=state["id"]):
        raise Taken
    _put_gathering(network_id, state, session)


# --- events -----------------------------------------------------------------------------------


def event_state(event_id: int, *, session: Session) -> State | None:
    """An event and the innsatsområder its main theme names."""
    conn = session.connection()
    row = conn.execute(select(_EVENT).where(_EVENT.c.id == event_id)).mappings().first()
    if row is None:
        return None
    areas = sorted(conn.execute(select(_EVENT_AREA.c.omrade)
                                .where(_EVENT_AREA.c.event_id == event_id)).scalars())
    return {**_row_state(_EVENT, row, skip=("id",)), "areas": areas}


def _read_event(record_id: str, recorded: State, session: Session) -> State | None:
    state = event_state(int(record_id), session=session)
    return state if state is not None and _same_one(state, recorded) else None


def _remove_event(record_id: str, _: State, session: Session) -> State | None:
    delete_event(int(record_id), session=session)
    return None


def _put_back_event(record_id: str, state: State, session: Session) -> None:
    event_id = int(record_id)
    if _exists(_EVENT, session, id=event_id):
        raise Taken
    conn = session.connection()
    conn.execute(insert(_EVENT), {**_row_values(_EVENT, state), "id": event_id})
    if state["areas"]:
        conn.execute(insert(_EVENT_AREA),
                     [{"event_id": event_id, "omrade": a} for a in state["areas"]])


# --- good examples ----------------------------------------------------------------------------


def example_state(example_id: int, *, session: Session) -> State | None:
    """A good example, its innsatsområder, and its kommune as ``kommuner`` (so that the log
    finds it under the kommune and its embete)."""
    conn = session.connection()
    row = conn.execute(select(_EXAMPLE).where(_EXAMPLE.c.id == example_id)).mappings().first()
    if row is None:
        return None
    areas = sorted(conn.execute(select(_EXAMPLE_AREA.c.omrade)
                                .where(_EXAMPLE_AREA.c.example_id == example_id)).scalars())
    return {**_row_state(_EXAMPLE, row, skip=("id",)), "areas": areas,
            "kommuner": [row["kommune_nummer"]]}


def _read_example(record_id: str, recorded: State, session: Session) -> State | None:
    state = example_state(int(record_id), session=session)
    return state if state is not None and _same_one(state, recorded) else None


def _remove_example(record_id: str, _: State, session: Session) -> State | None:
    delete_example(int(record_id), session=session)
    return None


def _put_back_example(record_id: str, state: State, session: Session) -> None:
    example_id = int(record_id)
    if _exists(_EXAMPLE, session, id=example_id):
        raise Taken
    conn = session.connection()
    conn.execute(insert(_EXAMPLE), {**_row_values(_EXAMPLE, state), "id": example_id})
    if state["areas"]:
        conn.execute(insert(_EXAMPLE_AREA),
                     [{"example_id": example_id, "omrade": a} for a in state["areas"]])


# --- plans and phases -------------------------------------------------------------------------


def _history_reader(table: Table) -> Callable[[str, State, Session], State | None]:
    """The rows one ``plan`` or ``fase`` added (``storage.plans.entries_state``), as they are
    now, with their author."""
    value = _history_value(table)

    def read(record_id: str, recorded: State, session: Session) -> State | None:
        rows = [r for r in session.connection().execute(
            select(table).where(table.c.id.in_(list(recorded["ids"]))).order_by(table.c.id)
        ).mappings() if as_json(r["created_at"]) == recorded["created_at"]]
        if not rows:
            return None
        first = rows[0]
        return dict(as_json({
            "ids": [r["id"] for r in rows], "kommuner": [r["kommune_nummer"] for r in rows],
            value: first[value], "dato": first["dato"], "created_at": first["created_at"],
            "created_by": first["created_by"]}))

    return read


def _history_value(table: Table) -> str:
    return "status" if table.name == changes.PLAN else "fase"


def _history_remover(table: Table) -> Callable[[str, State, Session], State | None]:
    def remove(record_id: str, state: State, session: Session) -> State | None:
        delete_entries(table, state["ids"], session=session)
        return None

    return remove


def _history_putter(table: Table) -> Callable[[str, State, Session], None]:
    value = _history_value(table)

    def put_back(record_id: str, state: State, session: Session) -> None:
        if any(_exists(table, session, id=i) for i in state["ids"]):
            raise Taken
        session.connection().execute(insert(table), [
            _row_values(table, {"id": i, "kommune_nummer": k, value: state[value],
                                "dato": state["dato"], "created_by": state["created_by"],
                                "created_at": state["created_at"]})
            for i, k in zip(state["ids"], state["kommuner"], strict=True)])

    return put_back


# --- imports ----------------------------------------------------------------------------------
#
# An import (``storage.imports``) adds records of several kinds in one change. Its state names
# the file and holds ``parts``: each record it added as the change of its own kind would hold it
# (``{"kind": "meeting_held", "id": "12", "state": {…}}``), networks it created first (with what
# was put in them), then meetings, invitations and participation in networks that were there
# before, plans and phases. Each part is read, taken away and put back by its own item, so an
# import is as much "still as it was" as all its parts are.


def _read_import(record_id: str, recorded: State, session: Session) -> State | None:
    parts = []
    for part in recorded["parts"]:
        now = ADDED[part["kind"]].read(part["id"], part["state"], session)
        if now is not None:
            parts.append(part if same(now, part["state"]) else {**part, "state": now})
    return {**recorded, "parts": parts} if parts else None


def _remove_import(record_id: str, state: State, session: Session) -> State | None:
    for part in reversed(state["parts"]):
        ADDED[part["kind"]].remove(part["id"], part["state"], session)
    return None


def _put_back_import(record_id: str, state: State, session: Session) -> None:
    for part in state["parts"]:
        ADDED[part["kind"]].put_back(part["id"], part["state"], session)


def import_authors(state: State) -> set[str]:
    """Everyone who wrote something an import holds: its author, and whoever wrote in a
    network it created."""
    found = {str(state["created_by"])}
    for part in state["parts"]:
        if part["kind"] == changes.NETWORK_CREATED:
            found |= network_authors(part["state"])
    return found


# --- nominations and the winner ---------------------------------------------------------------
#
# A nomination's state (``storage.nominations.nomination_state``) says whether it is the winner,
# so a nomination marked since is no longer as its logging left it. The winner of a year is a
# record of its own (``prize_winner``, numbered by the year): marking another moves it.


def _read_nomination(record_id: str, recorded: State, session: Session) -> State | None:
    state = nomination_state(int(record_id), session=session)
    return state if state is not None and _same_one(state, recorded) else None


def _remove_nomination(record_id: str, _: State, session: Session) -> State | None:
    delete_nomination(int(record_id), session=session)
    return None


def _put_back_nomination(record_id: str, state: State, session: Session) -> None:
    nomination_id = int(record_id)
    mark = state.get("vinner")
    if (_exists(_NOMINATION, session, id=nomination_id)
            or _exists(_NOMINATION, session, aar=state["aar"],
                       kommune_nummer=state["kommune_nummer"], embete_id=state["embete_id"])
            or (mark and _exists(_WINNER, session, aar=state["aar"]))):
        raise Taken
    conn = session.connection()
    conn.execute(insert(_NOMINATION), {**_row_values(_NOMINATION, state), "id": nomination_id})
    if mark:
        conn.execute(insert(_WINNER), {
            "aar": state["aar"], "nomination_id": nomination_id,
            "marked_by": mark["marked_by"],
            "marked_at": datetime.fromisoformat(mark["marked_at"])})


def put_nomination_text(nomination_id: int, state: State, *, session: Session) -> None:
    """Make a nomination's begrunnelse (and who changed it, when) what ``state`` says: an edit
    taken back."""
    values = _row_values(_NOMINATION, state)
    session.connection().execute(
        update(_NOMINATION).where(_NOMINATION.c.id == nomination_id).values(
            begrunnelse=values["begrunnelse"], endret_by=values.get("endret_by"),
            endret_at=values.get("endret_at")))


def _read_winner(record_id: str, recorded: State, session: Session) -> State | None:
    state = winner_state(int(record_id), session=session)
    if state is None or (state["nomination_id"], state["marked_at"]) != (
            recorded.get("nomination_id"), recorded.get("marked_at")):
        return None
    return state


def _remove_winner(record_id: str, _: State, session: Session) -> State | None:
    unmark_winner(int(record_id), session=session)
    return None


def put_winner(record_id: str, state: State, session: Session) -> None:
    """Mark the winner of a year as ``state`` says; :class:`Taken` when the year has one,
    :class:`Gone` when the nomination is gone."""
    if _exists(_WINNER, session, aar=int(record_id)):
        raise Taken
    if not _exists(_NOMINATION, session, id=state["nomination_id"]):
        raise Gone
    session.connection().execute(insert(_WINNER), {
        "aar": int(record_id), "nomination_id": state["nomination_id"],
        "marked_by": state["marked_by"],
        "marked_at": datetime.fromisoformat(state["marked_at"])})


# --- the items --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """What one kind of entry is about; see the module docstring."""

    name: str
    record: str
    deletion: str
    """The kind a deletion of it is logged as."""
    read: Callable[[str, State, Session], State | None]
    remove: Callable[[str, State, Session], State | None]
    put_back: Callable[[str, State, Session], None]
    author: Callable[[State], str]
    """Who wrote it, from its state now: whose entry it is for ``/lhl slett``."""


def _first(key: str, rows: str) -> Callable[[State], str]:
    return lambda state: str(state[rows][0][key])


MEETING = Item("meeting", changes.MEETING, changes.MEETING_DELETED, _read_meeting,
               _remove_meeting, _put_back_meeting, lambda s: str(s["created_by"]))
NETWORK = Item("network", changes.NETWORK, changes.NETWORK_DELETED, _read_network,
               _remove_network, _put_back_network, lambda s: str(s["created_by"]))
INVITATIONS = Item("invitations", changes.NETWORK, changes.INVITATIONS_DELETED,
                   _read_invitations, _remove_invitations, _put_back_invitations,
                   _first("created_by", "invitations"))
PARTICIPATION = Item("participation", changes.NETWORK, changes.PARTICIPATION_DELETED,
                     _read_periods, _remove_periods, _put_back_periods,
                     _first("created_by", "periods"))
LEAVING = Item("leaving", changes.NETWORK, changes.LEAVING_DELETED, _read_leaving, _reopen,
               _close, _first("ended_by", "periods"))
GATHERING = Item("gathering", changes.NETWORK, changes.GATHERING_DELETED, _read_gathering,
                 _remove_gathering, _put_back_gathering, lambda s: str(s["created_by"]))
EVENT = Item("event", changes.EVENT, changes.EVENT_DELETED, _read_event, _remove_event,
             _put_back_event, lambda s: str(s["created_by"]))
EXAMPLE = Item("example", changes.EXAMPLE, changes.EXAMPLE_DELETED, _read_example,
               _remove_example, _put_back_example, lambda s: str(s["created_by"]))
PLAN = Item("plan", changes.PLAN, changes.PLAN_DELETED, _history_reader(PLAN_T),
            _history_remover(PLAN_T), _history_putter(PLAN_T), lambda s: str(s["created_by"]))
PHASE = Item("phase", changes.PHASE, changes.PHASE_DELETED, _history_reader(FASE_T),
             _history_remover(FASE_T), _history_putter(FASE_T), lambda s: str(s["created_by"]))
IMPORT = Item("import", changes.IMPORT, changes.IMPORT_DELETED, _read_import, _remove_import,
              _put_back_import, lambda s: str(s["created_by"]))
NOMINATION = Item("nomination", changes.NOMINATION, changes.NOMINATION_DELETED,
                  _read_nomination, _remove_nomination, _put_back_nomination,
                  lambda s: str(s["created_by"]))
WINNER = Item("winner", changes.WINNER, changes.WINNER_DELETED, _read_winner, _remove_winner,
              put_winner, lambda s: str(s["marked_by"]))

ADDED: dict[str, Item] = {
    changes.MEETING_HELD: MEETING, changes.MEETING_OFFERED: MEETING,
    changes.MEETING_PLANNED: MEETING,
    changes.NETWORK_CREATED: NETWORK, changes.NETWORK_INVITED: INVITATIONS,
    changes.NETWORK_JOINED: PARTICIPATION, changes.NETWORK_LEFT: LEAVING,
    changes.GATHERING_ADDED: GATHERING, changes.EVENT_CREATED: EVENT,
    changes.PLAN_RECORDED: PLAN, changes.PHASE_RECORDED: PHASE,
    changes.IMPORTED: IMPORT, changes.EXAMPLE_CREATED: EXAMPLE,
    changes.NOMINATION_CREATED: NOMINATION, changes.WINNER_MARKED: WINNER,
}
"""The kinds that add an item (its state is the change's ``after``)."""
DELETED: dict[str, Item] = {item.deletion: item for item in dict.fromkeys(ADDED.values())}
"""The kinds that take one away (its state is the change's ``before``)."""
EDITED: dict[str, Item] = {changes.MEETING_EDITED: MEETING,
                           changes.NOMINATION_EDITED: NOMINATION}
"""The kinds that change one (its state now is the change's ``after``)."""


def item_of(kind: str) -> Item | None:
    return ADDED.get(kind) or DELETED.get(kind) or EDITED.get(kind)


def record_added(kind: str, record_id: int, after: State | None, *, by: str, now: datetime,
                 session: Session) -> int:
    """Log an item just added (``kind`` in :data:`ADDED`), as stored."""
    assert after is not None
    return changes.record(kind, ADDED[kind].record, record_id, before=None, after=after, by=by,
                          now=now, session=session)


def delete_item(item: Item, record_id: int | str, before: State, *, by: str, now: datetime,
                session: Session) -> int:
    """Take ``item`` (as it is now: ``before``) away and log its deletion; the change's id."""
    after = item.remove(str(record_id), before, session)
    return changes.record(item.deletion, item.record, record_id, before=before, after=after,
                          by=by, now=now, session=session)
