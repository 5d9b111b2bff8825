"""The store on SQLite and PostgreSQL: migrations, reference data, timestamps, locking."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func
from sqlmodel import SQLModel, select

from storage.db import open_database
from storage.models import HELD, OFFERED, DialogueMeeting, Embete, Fylke, Kommune, MeetingKommune
from storage.queries import (
    HELD_NEAR_ROWS,
    NearbyMeeting,
    add_meeting,
    counts_by_embete,
    delete_meeting,
    held_near,
)
from storage.reference import load_reference_data
from storage.setup import prepare
from tests.support.clock import NOW, at


def test_migrations_match_the_models(store_url: str) -> None:
    db, _ = prepare(store_url)
    with db.writer.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    db.dispose()
    assert diffs == []


def test_reference_data_loads_once(store_url: str) -> None:
    db, geo = prepare(store_url)
    with db.write() as session:
        assert load_reference_data(session) == 0
    with db.read() as session:
        assert session.exec(select(func.count()).select_from(Kommune)).one() == 357
        assert session.exec(select(func.count()).select_from(Fylke)).one() == 15
        assert session.exec(select(func.count()).select_from(Embete)).one() == 10
    assert len(geo.kommuner_i("agder")) == 25
    assert geo.kommuner["3201"].navn == "Bærum"
    db.dispose()
    prepare(store_url)[0].dispose()  # a second start migrates nothing and loads nothing new


def test_timestamps_come_back_aware_and_equal(store_url: str) -> None:
    db, geo = prepare(store_url)
    written = at(2026, 3, 29, 2, 30)
    with db.write() as session:
        mid = add_meeting(HELD, date(2026, 3, 28), [geo.kommuner["4204"]], by="U1",
                          now=written, session=session)
    with db.read() as session:
        stored = session.get(DialogueMeeting, mid)
        assert stored is not None
        assert stored.created_at.tzinfo is not None
        assert stored.created_at == written.astimezone(UTC)
    db.dispose()


def test_deleting_a_meeting_removes_its_kommuner(store_url: str) -> None:
    db, geo = prepare(store_url)
    now = datetime(2026, 11, 24, tzinfo=UTC)
    with db.write() as session:
        mid = add_meeting(HELD, date(2026, 11, 1), [geo.kommuner["4204"], geo.kommuner["4201"]],
                          by="U1", now=now, session=session)
        delete_meeting(mid, session=session)
    with db.read() as session:
        assert session.exec(select(func.count()).select_from(MeetingKommune)).one() == 0
        assert counts_by_embete(2026, today=date(2026, 11, 24), tz=UTC, session=session) == {}
    db.dispose()


def test_a_failed_write_stores_nothing(store_url: str) -> None:
    db, geo = prepare(store_url)
    now = datetime(2026, 11, 24, tzinfo=UTC)
    try:
        with db.write() as session:
            add_meeting(HELD, date(2026, 11, 1), [geo.kommuner["4204"]], by="U1", now=now,
                        session=session)
            raise RuntimeError("stop")
    except RuntimeError:
        pass
    with db.read() as session:
        assert session.exec(select(func.count()).select_from(DialogueMeeting)).one() == 0
    db.dispose()


def test_two_connections_writing_at_once_never_see_database_locked(store_url: str) -> None:
    """Each writer reads, then writes: the classic SQLite lock-upgrade deadlock."""
    prepare(store_url)[0].dispose()
    dbs = [open_database(store_url) for _ in range(2)]
    geo = prepare(store_url)[1]
    errors: list[BaseException] = []
    now = datetime(2026, 11, 24, tzinfo=UTC)

    def work(i: int) -> None:
        db = dbs[i % 2]
        try:
            for j in range(10):
                with db.write() as session:
                    counts_by_embete(2026, today=date(2026, 11, 24), tz=UTC, session=session)
                    add_meeting(HELD, date(2026, 1, 1 + j), [geo.kommuner["4204"]],
                                by=f"U{i}", now=now, session=session)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with dbs[0].read() as session:
        assert session.exec(select(func.count()).select_from(DialogueMeeting)).one() == 60
    for db in dbs:
        db.dispose()


def test_store_revision_is_exact_while_the_cache_marker_trusts_its_last_read(
        store_url: str) -> None:
    db, geo = prepare(store_url)
    other = open_database(store_url)
    now = datetime(2026, 11, 24, tzinfo=UTC)
    db.clock, db.revision_ttl = (lambda: 0.0), 3600.0
    try:
        marker, revision = db.cache_marker(), db.store_revision()
        with other.write() as session:
            add_meeting(HELD, date(2026, 11, 1), [geo.kommuner["4204"]], by="U1", now=now,
                        session=session)
        assert db.store_revision() == revision + 1
        assert db.cache_marker() == marker
        with db.write() as session:
            add_meeting(HELD, date(2026, 11, 2), [geo.kommuner["4204"]], by="U1", now=now,
                        session=session)
        assert db.cache_marker() != marker
    finally:
        other.dispose()
        db.dispose()


def test_held_near_lists_each_possible_double_once(store_url: str) -> None:
    db, geo = prepare(store_url)
    kristiansand, lillesand = geo.kommuner["4204"], geo.kommuner["4215"]
    day, now = date(2026, 11, 20), datetime(2026, 11, 24, tzinfo=UTC)
    with db.write() as session:
        for status, dato, kommuner, by in [
            (HELD, day - timedelta(days=1), [kristiansand], "UA"),
            (HELD, day - timedelta(days=1), [kristiansand, lillesand], "UA"),
            (HELD, day - timedelta(days=1), [kristiansand], "UB"),
            (HELD, day + timedelta(days=3), [lillesand], "UA"),
            (HELD, day - timedelta(days=4), [kristiansand], "UA"),  # outside the window
            (OFFERED, day, [kristiansand], "UA"),  # offered, not held
            (HELD, day, [geo.kommuner["4201"]], "UA"),  # another kommune
        ]:
            add_meeting(status, dato, kommuner, by=by, now=now, session=session)
    with db.read() as session:
        found = held_near(["4204", "4215"], day, days=3, session=session)
        assert found == [
            NearbyMeeting("4204", day - timedelta(days=1), "UA"),
            NearbyMeeting("4204", day - timedelta(days=1), "UB"),
            NearbyMeeting("4215", day - timedelta(days=1), "UA"),
            NearbyMeeting("4215", day + timedelta(days=3), "UA"),
        ]
        assert held_near(["4204", "4215"], day, days=3, session=session, limit=2) == found[:2]
        assert held_near(["4201"], day + timedelta(days=10), days=3, session=session) == []
    db.dispose()


def test_held_near_reads_a_bounded_number_of_rows(store_url: str) -> None:
    """Thousands of copies of one meeting must not make every later write read them all: past
    ``HELD_NEAR_ROWS`` rows in (kommune, date) order nothing more is looked at."""
    db, geo = prepare(store_url)
    day, now = date(2026, 11, 20), datetime(2026, 11, 24, tzinfo=UTC)
    with db.write() as session:
        for _ in range(HELD_NEAR_ROWS):
            add_meeting(HELD, day, [geo.kommuner["4204"]], by="UA", now=now, session=session)
        add_meeting(HELD, day + timedelta(days=1), [geo.kommuner["4204"]], by="UB", now=now,
                    session=session)
    with db.read() as session:
        assert held_near(["4204"], day, days=3, session=session) == [
            NearbyMeeting("4204", day, "UA")]
        assert held_near(["4204"], day + timedelta(days=1), days=0, session=session) == [
            NearbyMeeting("4204", day + timedelta(days=1), "UB")]
    db.dispose()


def test_a_once_key_is_taken_once_and_rolls_back_with_its_work(store_url: str) -> None:
    """On both back ends: the first ``first_time`` is True, a repeat False, and a key whose
    transaction rolled back can be taken again (the work was not done)."""
    from storage.once import first_time

    db, _ = prepare(store_url)
    try:
        with db.write() as session:
            assert first_time("slash:1", now=NOW, session=session) is True
            assert first_time("slash:1", now=NOW, session=session) is False
        with db.write() as session:
            assert first_time("slash:1", now=NOW, session=session) is False
            assert first_time("slash:2", now=NOW, session=session) is True
        try:
            with db.write() as session:
                assert first_time("slash:3", now=NOW, session=session) is True
                raise RuntimeError("the work failed")
        except RuntimeError:
            pass
        with db.write() as session:
            assert first_time("slash:3", now=NOW, session=session) is True
    finally:
        db.dispose()
