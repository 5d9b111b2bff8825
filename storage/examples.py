"""Good examples (*eksempelsamling*): the one write path and the queries of the listing and the
kommune card. Functions take the session as a keyword and never commit: the caller owns the
transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from storage.models import Example, ExampleArea, Kommune
from voice.innsatsomrader import KEYS


@dataclass(frozen=True)
class StoredExample:
    """An example with the short forms of its innsatsområder, in the reform's order."""

    example: Example
    areas: tuple[str, ...]


def add_example(*, kommune_nummer: str, tittel: str, areas: Sequence[str], lenke: str | None,
                notat: str | None, by: str, now: datetime, session: Session) -> int:
    """Store one example and its areas; returns its id."""
    example = Example(kommune_nummer=kommune_nummer, tittel=tittel, lenke=lenke, notat=notat,
                      created_by=by, created_at=now)
    session.add(example)
    session.flush()
    assert example.id is not None
    session.add_all(ExampleArea(example_id=example.id, omrade=a) for a in dict.fromkeys(areas))
    session.flush()
    return example.id


def same_example(kommune_nummer: str, tittel: str, *, session: Session) -> int | None:
    """The number of the kommune's example with this title, case and spaces aside (the lowest
    when there are more), or None."""
    wanted = _title_key(tittel)
    found = session.exec(select(Example.id, Example.tittel)
                         .where(col(Example.kommune_nummer) == kommune_nummer)
                         .order_by(col(Example.id)))
    return next((i for i, t in found if _title_key(t) == wanted), None)


def _title_key(tittel: str) -> str:
    return " ".join(tittel.split()).casefold()


def get_example(example_id: int, *, session: Session) -> StoredExample | None:
    example = session.get(Example, example_id)
    if example is None:
        return None
    return StoredExample(example, _areas_of([example_id], session)[example_id])


def delete_example(example_id: int, *, session: Session) -> None:
    session.execute(delete(ExampleArea).where(col(ExampleArea.example_id) == example_id))
    session.execute(delete(Example).where(col(Example.id) == example_id))
    session.flush()


def list_examples(*, session: Session, area: str | None = None,
                  kommuner: Sequence[str] | None = None, embete_id: str | None = None,
                  limit: int | None = None) -> tuple[list[StoredExample], int]:
    """Examples newest first (by when they were written, then by number), of some kommuner,
    one embete's kommuner and/or one area (each optional): ``limit`` of them (all when None),
    and how many there are in all."""
    where = []
    if area is not None:
        where.append(col(Example.id).in_(
            select(col(ExampleArea.example_id)).where(col(ExampleArea.omrade) == area)))
    if kommuner is not None:
        where.append(col(Example.kommune_nummer).in_(list(kommuner)))
    if embete_id is not None:
        where.append(col(Example.kommune_nummer).in_(
            select(col(Kommune.nummer)).where(col(Kommune.embete_id) == embete_id)))
    total = int(session.exec(select(func.count()).select_from(Example).where(*where)).one())
    query = (select(Example).where(*where)
             .order_by(col(Example.created_at).desc(), col(Example.id).desc()))
    if limit is not None:
        query = query.limit(limit)
    found = list(session.exec(query))
    areas = _areas_of([e.id for e in found if e.id is not None], session)
    return [StoredExample(e, areas.get(e.id or 0, ())) for e in found], total


def _areas_of(ids: Sequence[int], session: Session) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        for example_id, omrade in session.exec(
                select(ExampleArea.example_id, ExampleArea.omrade)
                .where(col(ExampleArea.example_id).in_(list(ids[start:start + 500])))):
            found[example_id].append(omrade)
    return {i: tuple(sorted(a, key=KEYS.index)) for i, a in found.items()}
