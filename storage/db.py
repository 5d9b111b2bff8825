"""Engines and transactions.

One user action is one transaction. On SQLite a write transaction starts with
``BEGIN IMMEDIATE`` so that it takes the write lock up front: two commands that read and then
write at the same time wait for each other (``busy_timeout``) instead of failing with
"database is locked" when the second one tries to upgrade its lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 30_000
# At least as many connections as the HTTP server has threads, so no command waits for one.
POOL_SIZE = 20
_REVISION_SQL = "SELECT n FROM store_revision WHERE id = 1"
_BUMP_REVISION = text("UPDATE store_revision SET n = n + 1 WHERE id = 1")


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    parsed = make_url(url)
    memory = parsed.database in (None, "", ":memory:")
    if not memory and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    kwargs: dict[str, Any] = {
        "connect_args": {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    }
    if memory:
        kwargs["poolclass"] = StaticPool
    else:
        kwargs.update(pool_size=POOL_SIZE, max_overflow=POOL_SIZE)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@dataclass
class Database:
    """The store: a URL, an engine for reads and one for writes (the same one off SQLite)."""

    url: str
    reader: Engine
    writer: Engine
    _write_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def is_sqlite(self) -> bool:
        return self.reader.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; nothing it does is committed."""
        with Session(self.reader, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error.

        Every commit bumps the store revision, which tells every process that what it cached
        may be stale. On SQLite, writers of this process queue on a lock rather than in
        SQLite's busy handler, which sleeps and polls (up to 100 ms a round).
        """
        with self._sqlite_writer_turn(), Session(self.writer, expire_on_commit=False) as session:
            try:
                yield session
                session.execute(_BUMP_REVISION)
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def _sqlite_writer_turn(self) -> AbstractContextManager[object]:
        return self._write_lock if self.is_sqlite else nullcontext()

    def revision(self) -> int:
        """How many write transactions the store has committed, from any process.

        A bare driver query on a pooled connection: this runs before every cached reply, and a
        full ORM session would cost it four times as much.
        """
        conn = self.reader.raw_connection()
        try:
            cur = conn.cursor()
            cur.execute(_REVISION_SQL)
            row = cur.fetchone()
            cur.close()
        finally:
            conn.close()
        return int(row[0]) if row else 0

    def ping(self) -> bool:
        try:
            with self.reader.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def dispose(self) -> None:
        self.reader.dispose()
        if self.writer is not self.reader:
            self.writer.dispose()


def open_database(url: str) -> Database:
    """Open (but do not migrate) the database at ``url``."""
    if make_url(url).get_backend_name() == "sqlite":
        if make_url(url).database in (None, "", ":memory:"):
            # One shared in-memory connection: reads and writes must see the same data.
            engine = _sqlite_engine(url, immediate=True)
            return Database(url=url, reader=engine, writer=engine)
        return Database(
            url=url,
            reader=_sqlite_engine(url, immediate=False),
            writer=_sqlite_engine(url, immediate=True),
        )
    engine = create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_SIZE)
    return Database(url=url, reader=engine, writer=engine)
