"""Conferences and seminars: the one write path and the overview's queries. Functions take the
session as a keyword and never commit: the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.models import Event, EventArea


@dataclass(frozen=True)
class StoredEvent:
    """An event with the short forms of the innsatsområder its main theme names."""

    event: Event
    areas: tuple[str, ...]


def add_event(*, embete_id: str, kind: str, tittel: str, dato: date, malgruppe: str,
              hovedtema: str, areas: Sequence[str], onsker_hdir: bool, onsker_hod: bool,
              by: str, now: datetime, session: Session) -> int:
    """Store one event and the areas its theme names; returns its id."""
    event = Event(embete_id=embete_id, kind=kind, tittel=tittel, dato=dato,
                  malgruppe=malgruppe, hovedtema=hovedtema, onsker_hdir=onsker_hdir,
                  onsker_hod=onsker_hod, created_by=by, created_at=now)
    session.add(event)
    session.flush()
    assert event.id is not None
    session.add_all(EventArea(event_id=event.id, omrade=a) for a in dict.fromkeys(areas))
    session.flush()
    return event.id


def get_event(event_id: int, *, session: Session) -> StoredEvent | None:
    event = session.get(Event, event_id)
    if event is None:
        return None
    areas = session.exec(select(EventArea.omrade).where(EventArea.event_id == event_id))
    return StoredEvent(event, tuple(areas))


def delete_event(event_id: int, *, session: Session) -> None:
    session.execute(delete(EventArea).where(col(EventArea.event_id) == event_id))
    session.execute(delete(Event).where(col(Event.id) == event_id))
    session.flush()


def list_events(*, session: Session, embete_id: str | None = None, first: date | None = None,
                last: date | None = None) -> list[StoredEvent]:
    """Events of one embete (or all) dated from ``first`` to ``last`` (each optional), by date
    and then in the order they were written."""
    where = []
    if embete_id is not None:
        where.append(col(Event.embete_id) == embete_id)
    if first is not None:
        where.append(col(Event.dato) >= first)
    if last is not None:
        where.append(col(Event.dato) <= last)
    events = list(session.exec(select(Event).where(*where)
                               .order_by(col(Event.dato), col(Event.id))))
    areas: dict[int, list[str]] = {}
    for event_id, omrade in session.exec(
            select(EventArea.event_id, EventArea.omrade)
            .join(Event, col(Event.id) == col(EventArea.event_id)).where(*where)):
        areas.setdefault(event_id, []).append(omrade)
    return [StoredEvent(e, tuple(areas.get(e.id or 0, ()))) for e in events]
