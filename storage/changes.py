"""The change log: one row per change a user makes to the store, and one per undo.

Every write a user makes (a command, a button) records its change here, in the same
transaction as the write, through :func:`record`: who, when, what kind, which record, and the
record before and after as JSON (``None`` where it did not exist). What the JSON holds is what
an undo and an audit need, built by the ``*_state`` functions below; never a token.

``/lhl angre`` undoes the user's latest change not yet undone (:func:`latest_undoable`),
unless someone changed the same record after it (:func:`later_change`); the undo is a row of
its own (kind :data:`UNDO`, with the record before and after the undo), and the change it took
back points at it (``undone_by``). An undo is never undone: there is no redo.

Every change also says where it belongs, for ``/lhl logg``: ``change_log.embete_id`` (the
``embete_id`` of the record before or after) and a ``change_kommune`` row per kommune in its
``kommuner``, both taken from the JSON by :func:`record`. What the records of the listed kinds
(meetings, networks, events) look like in the log, and how an undo or ``/lhl slett`` takes them
away and puts them back, is in ``storage.entries``.

Functions take the session as a keyword and never commit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, func, insert, or_, update
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from storage.models import (
    HELD,
    PLANNED,
    Access,
    Change,
    ChangeKommune,
    DialogueMeeting,
    Kommune,
    MeetingArea,
    MeetingKommune,
    Reminder,
)

# What kind of change (``change_log.kind``).
MEETING_HELD = "meeting_held"
MEETING_OFFERED = "meeting_offered"
MEETING_PLANNED = "meeting_planned"
REMINDER_CREATED = "reminder_created"
REMINDER_DELETED = "reminder_deleted"
REMINDER_PAUSED = "reminder_paused"
REMINDER_RESUMED = "reminder_resumed"
REMINDER_CHANGED = "reminder_changed"
"""A reminder's rule, text or embete changed in place (a channel's weekly digest turned on
again or moved to another time): the reminder before and after."""
DEADLINE_DELIVERED = "deadline_delivered"
"""«Levert»: the JSON says which deadline and which reminders' marks it added."""
DEADLINE_REOPENED = "deadline_reopened"
"""«Angre» on a delivered deadline: the marks it removed, as they were."""
ACCESS_GRANTED = "access_granted"
ACCESS_REPLACED = "access_replaced"
ACCESS_REVOKED = "access_revoked"
MEETING_EDITED = "meeting_edited"
"""Kommuner, date, theme, partners or note of a meeting changed: the meeting before and after."""
MEETING_DELETED = "meeting_deleted"
NETWORK_CREATED = "network_created"
NETWORK_DELETED = "network_deleted"
"""A whole network with its invitations, participation and gatherings (``/lhl slett``)."""
NETWORK_INVITED = "network_invited"
INVITATIONS_DELETED = "network_invitations_deleted"
NETWORK_JOINED = "network_joined"
PARTICIPATION_DELETED = "network_participation_deleted"
NETWORK_LEFT = "network_left"
LEAVING_DELETED = "network_leaving_deleted"
"""A leaving taken away: the periods it closed run again."""
GATHERING_ADDED = "gathering_added"
GATHERING_DELETED = "gathering_deleted"
EVENT_CREATED = "event_created"
EVENT_DELETED = "event_deleted"
EXAMPLE_CREATED = "example_created"
EXAMPLE_DELETED = "example_deleted"
PLAN_RECORDED = "plan_recorded"
"""A plan status recorded for some kommuner: the JSON holds the rows it added
(``storage.plans.entries_state``)."""
PHASE_RECORDED = "phase_recorded"
"""A phase recorded for some kommuner, likewise."""
PLAN_DELETED = "plan_deleted"
"""The rows of a plan status one write added, taken away by ``/lhl slett``."""
PHASE_DELETED = "phase_deleted"
IMPORTED = "import"
"""A spreadsheet imported (``/lhl import``): many records in one change, so that ``angre`` and
``slett`` take the whole import back at once. The JSON names the file and holds each record it
added as the change of its own kind would (``storage.entries``, "imports")."""
IMPORT_DELETED = "import_deleted"
"""What an import added that was still there, taken away by ``/lhl slett``."""
NOMINATION_CREATED = "nomination_created"
NOMINATION_EDITED = "nomination_edited"
"""A nomination's begrunnelse changed (``nominer … --endre``): the nomination before and after."""
NOMINATION_DELETED = "nomination_deleted"
WINNER_MARKED = "winner_marked"
"""A nomination marked as the winner of its year's prize: the winner before (None: none) and
after (``storage.nominations.winner_state``)."""
WINNER_DELETED = "winner_deleted"
"""The mark taken away by ``/lhl slett``: the year has no winner."""
UNDO = "undo"

# Which table the record is in (``change_log.record``).
MEETING = "dialogue_meeting"
REMINDER = "reminder"
ACCESS = "access"
NETWORK = "network"
"""Everything in a learning network (invitations, participation, leaving, gatherings) is a
change to the network, so a later change to any of it shields an earlier one from an undo."""
EVENT = "event"
EXAMPLE = "example"
PLAN = "kommune_plan"
PHASE = "kommune_fase"
IMPORT = "import"
"""An import is a record of its own, numbered by its change (see :func:`record_entry`)."""

NOMINATION = "nomination"
WINNER = "prize_winner"
"""The winner of one year's prize, numbered by the year: marking another moves it, a change to
the same record."""

ENTRY_RECORDS = (MEETING, NETWORK, EVENT, PLAN, PHASE, IMPORT, EXAMPLE, NOMINATION, WINNER)
"""The records ``/lhl logg`` lists and ``/lhl slett`` removes: the work an embete reports on.
(Reminders and access have their own listings.)"""

State = dict[str, Any]
_CHANGE_T = Change.__table__  # type: ignore[attr-defined]
_INSERT_CHANGE = insert(_CHANGE_T).returning(_CHANGE_T.c.id)
_INSERT_LINK = insert(ChangeKommune.__table__)  # type: ignore[attr-defined]
_MEETING_T = DialogueMeeting.__table__  # type: ignore[attr-defined]
_LINK_T = MeetingKommune.__table__  # type: ignore[attr-defined]
_AREA_T = MeetingArea.__table__  # type: ignore[attr-defined]
# Every column but the id: a column added later (``type``) is in the state (and put back by an
# undo).
_MEETING = core_select(*[c for c in _MEETING_T.c if c.name != "id"]
                       ).where(_MEETING_T.c.id == bindparam("id"))
_MEETING_KOMMUNER = (select(_LINK_T.c.kommune_nummer)
                     .where(_LINK_T.c.meeting_id == bindparam("id"))
                     .order_by(_LINK_T.c.kommune_nummer))
_MEETING_AREAS = (select(_AREA_T.c.omrade).where(_AREA_T.c.meeting_id == bindparam("id"))
                  .order_by(_AREA_T.c.omrade))


def record(kind: str, record: str, record_id: int | str, *, before: State | None,
           after: State | None, by: str, now: datetime, session: Session) -> int:
    """Log one change by ``by`` at ``now`` (aware) to ``record`` ``record_id``; its id.

    Where it belongs is read from the states: ``embete_id`` (after, else before) and every
    kommune in their ``kommuner``. Prebuilt Core INSERTs: every write makes them, so they cost
    what their rows cost."""
    states = [s for s in (after, before) if s is not None]
    embete_id = next((s["embete_id"] for s in states if s.get("embete_id")), None)
    conn = session.connection()
    change_id = int(conn.execute(_INSERT_CHANGE, {
        "changed_by": by, "changed_at": now, "kind": kind, "record": record,
        "record_id": str(record_id), "before": as_json(before), "after": as_json(after),
        "embete_id": embete_id,
    }).scalar_one())
    kommuner = sorted({str(k) for s in states for k in s.get("kommuner") or ()})
    if kommuner:
        conn.execute(_INSERT_LINK, [{"change_id": change_id, "kommune_nummer": k}
                                    for k in kommuner])
    return change_id


def record_entry(kind: str, record_name: str, *, after: State, by: str, now: datetime,
                 session: Session) -> int:
    """Log a change that is its own record (an import, which adds many records of several
    kinds): its ``record_id`` is the change's own id, so that a later change to it (its
    deletion) is a change to the same record. The change's id."""
    change_id = record(kind, record_name, "", before=None, after=after, by=by, now=now,
                       session=session)
    session.execute(update(_CHANGE_T).where(_CHANGE_T.c.id == change_id)
                    .values(record_id=str(change_id)))
    return change_id


def get_change(change_id: int, *, session: Session) -> Change | None:
    return session.get(Change, change_id)


def entries(*, session: Session, limit: int, offset: int = 0, embete_id: str | None = None,
            kommuner: Sequence[str] | None = None) -> tuple[list[Change], int]:
    """The changes to :data:`ENTRY_RECORDS` (undos of them included), newest first: ``limit``
    of them from ``offset``, and how many there are in all. Only those of one embete (the
    record's, or one of its kommuner's) or of some kommuner, when asked."""
    where: list[ColumnElement[bool]] = [col(Change.record).in_(ENTRY_RECORDS)]
    if kommuner is not None:
        where.append(col(Change.id).in_(
            select(col(ChangeKommune.change_id))
            .where(col(ChangeKommune.kommune_nummer).in_(list(kommuner)))))
    if embete_id is not None:
        where.append(or_(col(Change.embete_id) == embete_id, col(Change.id).in_(
            select(col(ChangeKommune.change_id))
            .join(Kommune, col(Kommune.nummer) == col(ChangeKommune.kommune_nummer))
            .where(col(Kommune.embete_id) == embete_id))))
    total = int(session.exec(select(func.count()).select_from(Change).where(*where)).one())
    rows = list(session.exec(select(Change).where(*where).order_by(col(Change.id).desc())
                             .offset(offset).limit(limit)))
    return rows, total


@dataclass(frozen=True)
class Recorded:
    """A change that still stands, with the kommuner it concerns (those asked for only)."""

    change: Change
    kommuner: tuple[str, ...]


def recorded_between(first: datetime, last: datetime, *, session: Session,
                     kommuner: Sequence[str] | None = None, embete_id: str | None = None
                     ) -> list[Recorded]:
    """The changes to :data:`ENTRY_RECORDS` made from ``first`` (included) to ``last`` (not
    included) that still stand: no undo, nothing undone. Only those of ``embete_id`` (the
    record's embete, or one of ``kommuner``, its kommuner) when given; oldest first."""
    where: list[ColumnElement[bool]] = [
        col(Change.record).in_(ENTRY_RECORDS), col(Change.kind) != UNDO,
        col(Change.undone_by).is_(None), col(Change.changed_at) >= first,
        col(Change.changed_at) < last]
    if embete_id is not None:
        where.append(or_(col(Change.embete_id) == embete_id, col(Change.id).in_(
            select(col(ChangeKommune.change_id))
            .where(col(ChangeKommune.kommune_nummer).in_(list(kommuner or ()))))))
    rows = list(session.exec(select(Change).where(*where).order_by(col(Change.id))))
    links: dict[int, list[str]] = {}
    wanted = set(kommuner) if kommuner is not None else None
    ids = [c.id for c in rows if c.id is not None]
    for start in range(0, len(ids), _CHUNK):
        for change_id, nummer in session.execute(
                select(col(ChangeKommune.change_id), col(ChangeKommune.kommune_nummer))
                .where(col(ChangeKommune.change_id).in_(ids[start:start + _CHUNK]))
                .order_by(col(ChangeKommune.kommune_nummer))):
            if wanted is None or nummer in wanted:
                links.setdefault(change_id, []).append(nummer)
    return [Recorded(c, tuple(links.get(c.id or 0, ()))) for c in rows]


_CHUNK = 500
"""Change ids per query for their kommuner (SQLite takes some 32 000 parameters at most)."""


def undone_by_these(undo_ids: Sequence[int], *, session: Session) -> dict[int, Change]:
    """The change each of ``undo_ids`` took back, by the undo's id."""
    if not undo_ids:
        return {}
    return {c.undone_by: c for c in session.exec(
        select(Change).where(col(Change.undone_by).in_(list(undo_ids)))) if c.undone_by}


def latest_undoable(user_id: str, *, session: Session) -> Change | None:
    """The user's own latest change that is not undone (an undo itself is never undone)."""
    return session.exec(
        select(Change).where(Change.changed_by == user_id, col(Change.undone_by).is_(None),
                             Change.kind != UNDO)
        .order_by(col(Change.id).desc()).limit(1)
    ).first()


def later_change(change: Change, *, session: Session) -> Change | None:
    """The first change to the same record made after ``change`` that still stands (not
    undone, and not an undo, which only puts back what stood before it), by anyone: while
    there is one, undoing ``change`` would overwrite it."""
    return session.exec(
        select(Change).where(Change.record == change.record,
                             Change.record_id == change.record_id,
                             col(Change.id) > change.id, col(Change.undone_by).is_(None),
                             Change.kind != UNDO)
        .order_by(col(Change.id)).limit(1)
    ).first()


def later_change_to(records: Sequence[tuple[str, str]], change: Change, *, session: Session
                    ) -> Change | None:
    """Like :func:`later_change`, for the records an entry holds besides its own (the
    networks, meetings and plans an import made)."""
    return next(iter(later_changes_to(records, change, session=session, limit=1)), None)


def later_changes_to(records: Sequence[tuple[str, str]], change: Change, *, session: Session,
                     limit: int | None = None) -> list[Change]:
    """The changes :func:`later_change_to` looks among, the first first."""
    if not records:
        return []
    return list(session.exec(
        select(Change).where(or_(*(and_(col(Change.record) == r, col(Change.record_id) == i)
                                   for r, i in records)),
                             col(Change.id) > change.id, col(Change.undone_by).is_(None),
                             Change.kind != UNDO)
        .order_by(col(Change.id)).limit(limit)
    ))


def record_undo(change: Change, *, before: State | None, after: State | None, by: str,
                now: datetime, session: Session) -> int | None:
    """Log the undoing of ``change`` and mark it undone; the undo's id, or None (and nothing
    marked) when it was undone already by a transaction that committed first: the caller must
    then roll back."""
    undo_id = record(UNDO, change.record, change.record_id, before=before, after=after, by=by,
                     now=now, session=session)
    marked = session.execute(
        update(_CHANGE_T).where(_CHANGE_T.c.id == change.id, _CHANGE_T.c.undone_by.is_(None))
        .values(undone_by=undo_id))
    if not marked.rowcount:  # type: ignore[attr-defined]
        return None
    return undo_id


def record_meeting(meeting_id: int, *, by: str, now: datetime, session: Session) -> int:
    """Log a meeting just stored (held, offered or planned), as stored."""
    after = meeting_state(meeting_id, session=session)
    assert after is not None
    kind = {HELD: MEETING_HELD, PLANNED: MEETING_PLANNED}.get(after["status"], MEETING_OFFERED)
    return record(kind, MEETING, meeting_id, before=None, after=after, by=by, now=now,
                  session=session)


def changes_of(record: str, record_id: int | str, *, session: Session) -> list[Change]:
    """Every logged change to one record, oldest first."""
    return list(session.exec(
        select(Change).where(Change.record == record, Change.record_id == str(record_id))
        .order_by(col(Change.id))))


# --- what a record looks like in the log ------------------------------------------------------


def meeting_state(meeting_id: int, *, session: Session) -> State | None:
    """A meeting, its kommuner and the innsatsområder of its theme as stored (None when there
    is no such meeting)."""
    conn = session.connection()
    row = conn.execute(_MEETING, {"id": meeting_id}).first()
    if row is None:
        return None
    state = dict(row._mapping)
    state["kommuner"] = list(conn.execute(_MEETING_KOMMUNER, {"id": meeting_id}).scalars())
    state["areas"] = list(conn.execute(_MEETING_AREAS, {"id": meeting_id}).scalars())
    return state


def reminder_state(reminder: Reminder) -> State:
    return {"channel_id": reminder.channel_id, "kind": reminder.kind, "text": reminder.text,
            "rule": reminder.rule, "embete_id": reminder.embete_id, "paused": reminder.paused,
            "deleted_at": reminder.deleted_at, "next_due_at": reminder.next_due_at,
            "next_key": reminder.next_key}


def access_state(access: Access | None) -> State | None:
    if access is None:
        return None
    return {"embete_id": access.embete_id, "rolle": access.rolle,
            "created_by": access.created_by, "created_at": access.created_at}


def deadline_state(deadline: date, text: str, marks: Mapping[int, tuple[str, datetime]]
                   ) -> State:
    """A deadline of the reminders with ``text`` and the "Levert" marks a change concerns:
    reminder id → (by, when)."""
    return {"deadline": deadline, "text": text,
            "marks": [{"reminder_id": rid, "done_by": by, "done_at": at}
                      for rid, (by, at) in sorted(marks.items())]}


def deadline_marks(state: State) -> dict[int, tuple[str, datetime]]:
    """The marks of a :func:`deadline_state`, read back."""
    return {int(m["reminder_id"]): (str(m["done_by"]), datetime.fromisoformat(m["done_at"]))
            for m in state.get("marks", [])}


def as_json(value: Any) -> Any:
    """Dates and times as ISO text (times aware, as stored), so the JSON reads the same on
    every back end: a state as the log holds it."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime in a change")
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    return value
