"""Each kommune's plan status and reform phase: the one write path for both, and the figures
Hdir asks for, *as of* any date. Functions take the session as a keyword and never commit:
the caller owns the transaction.

Both are histories (``kommune_plan``, ``kommune_fase``): a change is a new row with the day it
took effect, never an update, so a figure can be asked for as of a past day. As of a day:

* a kommune's **plan status** or **phase** is that of its latest row dated on or before the
  day (rows of the same day: the one written last);
* a kommune has **adopted a plan or described a process** (*vedtatt plan eller beskrevet
  prosess*, seed 003) when it has any plan row dated on or before the day: both statuses
  count, whichever came last.

A kommune counts in the embete it belongs to. ``/lhl angre`` deletes the rows of the change it
takes back (:func:`delete_entries`), so an undone change counts nowhere, on no day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, delete, exists, func, insert
from sqlalchemy import select as core_select
from sqlmodel import Session

from storage.models import Kommune, KommuneFase, KommunePlan

PLAN_T: Table = KommunePlan.__table__  # type: ignore[attr-defined]
FASE_T: Table = KommuneFase.__table__  # type: ignore[attr-defined]
_KOMMUNE = Kommune.__table__  # type: ignore[attr-defined]
_VALUE = {"kommune_plan": "status", "kommune_fase": "fase"}


@dataclass(frozen=True)
class Entry:
    """One row of a history: ``value`` is the plan status (``vedtatt``/``prosess``) or the
    phase (1–4)."""

    id: int
    kommune_nummer: str
    value: Any
    dato: date
    created_by: str
    created_at: datetime


def _value(table: Table) -> Any:
    return table.c[_VALUE[table.name]]


def _entries(table: Table, rows: Any) -> list[Entry]:
    return [Entry(r.id, r.kommune_nummer, r._mapping[_VALUE[table.name]], r.dato, r.created_by,
                  r.created_at) for r in rows]


# --- writing ----------------------------------------------------------------------------------


def add_entries(table: Table, kommuner: Sequence[str], value: str | int, dato: date, *, by: str,
                now: datetime, session: Session) -> list[Entry]:
    """Record ``value`` from ``dato`` for each of ``kommuner``; the new rows, in that order."""
    column = _VALUE[table.name]
    ids = session.connection().execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True),
        [{"kommune_nummer": k, column: value, "dato": dato, "created_by": by, "created_at": now}
         for k in kommuner]).scalars().all()
    return [Entry(int(i), k, value, dato, by, now) for i, k in zip(ids, kommuner, strict=True)]


def entries_by_id(table: Table, ids: Sequence[int], *, session: Session) -> list[Entry]:
    """The rows of ``ids`` that still exist, by id."""
    rows = session.connection().execute(
        core_select(table).where(table.c.id.in_(list(ids))).order_by(table.c.id))
    return _entries(table, rows)


def delete_entries(table: Table, ids: Sequence[int], *, session: Session) -> None:
    session.connection().execute(delete(table).where(table.c.id.in_(list(ids))))


# --- one kommune, or a few --------------------------------------------------------------------


def history(table: Table, nummer: str, *, session: Session, as_of: date | None = None
            ) -> list[Entry]:
    """A kommune's rows, oldest first (by date, then as written); up to ``as_of`` when given."""
    q = core_select(table).where(table.c.kommune_nummer == nummer)
    if as_of is not None:
        q = q.where(table.c.dato <= as_of)
    return _entries(table, session.connection().execute(
        q.order_by(table.c.dato, table.c.id)))


def current_as_of(table: Table, kommuner: Sequence[str], as_of: date, *, session: Session
                  ) -> dict[str, Entry]:
    """Each kommune's value on ``as_of``, as the row it began with: of the latest rows on or
    before the day with that value, the first (so its ``dato`` says since when). Kommuner with
    no row by then are left out.

    For the few kommuner of one write: their whole history up to the day is read (a kommune
    has a handful of rows)."""
    rows = session.connection().execute(
        core_select(table).where(table.c.kommune_nummer.in_(list(kommuner)),
                                 table.c.dato <= as_of)
        .order_by(table.c.kommune_nummer, table.c.dato, table.c.id))
    current: dict[str, Entry] = {}
    for e in _entries(table, rows):
        if e.kommune_nummer not in current or current[e.kommune_nummer].value != e.value:
            current[e.kommune_nummer] = e
    return current


# --- figures ----------------------------------------------------------------------------------


def _kommuner_query(q: Any, embete_id: str | None, kommuner: Sequence[str] | None) -> Any:
    if embete_id is not None:
        q = q.where(_KOMMUNE.c.embete_id == embete_id)
    if kommuner is not None:
        q = q.where(_KOMMUNE.c.nummer.in_(list(kommuner)))
    return q


def plan_counts_by_embete(*, as_of: date, session: Session, embete_id: str | None = None,
                          kommuner: Sequence[str] | None = None) -> dict[str, int]:
    """Kommuner that have adopted a plan or described a process as of ``as_of``, per embete
    (the kommune's); optionally for one embete or a set of kommuner. Embeter with none are
    left out."""
    has_plan = exists().where(PLAN_T.c.kommune_nummer == _KOMMUNE.c.nummer,
                              PLAN_T.c.dato <= as_of)
    q = _kommuner_query(core_select(_KOMMUNE.c.embete_id, func.count()).where(has_plan),
                        embete_id, kommuner)
    return {e: int(n) for e, n in session.execute(q.group_by(_KOMMUNE.c.embete_id))}


def phase_counts_by_embete(*, as_of: date, session: Session, embete_id: str | None = None,
                           kommuner: Sequence[str] | None = None) -> dict[str, dict[int, int]]:
    """How many kommuner are in each phase as of ``as_of``, per embete: embete → phase →
    number (phases with none, and kommuner with no phase, are left out); optionally for one
    embete or a set of kommuner.

    Each kommune's phase is its latest row on or before the day, found through the
    (kommune, dato, id) index."""
    latest = (core_select(FASE_T.c.fase)
              .where(FASE_T.c.kommune_nummer == _KOMMUNE.c.nummer, FASE_T.c.dato <= as_of)
              .order_by(FASE_T.c.dato.desc(), FASE_T.c.id.desc()).limit(1)
              .correlate(_KOMMUNE).scalar_subquery())
    per_kommune = _kommuner_query(
        core_select(_KOMMUNE.c.embete_id.label("embete_id"), latest.label("fase")),
        embete_id, kommuner).subquery()
    rows = session.execute(
        core_select(per_kommune.c.embete_id, per_kommune.c.fase, func.count())
        .where(per_kommune.c.fase.is_not(None))
        .group_by(per_kommune.c.embete_id, per_kommune.c.fase))
    counts: dict[str, dict[int, int]] = {}
    for embete, fase, n in rows:
        counts.setdefault(embete, {})[int(fase)] = int(n)
    return counts


def entries_state(table: Table, entries: Sequence[Entry]) -> dict[str, Any]:
    """The rows one write added, as the change log keeps them (all of one value and day)."""
    first = entries[0]
    return {"ids": [e.id for e in entries], "kommuner": [e.kommune_nummer for e in entries],
            _VALUE[table.name]: first.value, "dato": first.dato,
            "created_at": first.created_at}


def runs(entries: Sequence[Entry]) -> list[Entry]:
    """A history (oldest first) with each row that repeats the value before it left out: the
    days the value changed. ``prosess`` 1 March, ``vedtatt`` 1 April, ``vedtatt`` 12 May →
    ``prosess`` 1 March, ``vedtatt`` 1 April."""
    out: list[Entry] = []
    for e in entries:
        if not out or out[-1].value != e.value:
            out.append(e)
    return out
