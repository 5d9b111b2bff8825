"""Engines and transactions.

One user action is one transaction. On SQLite a write transaction starts with
``BEGIN IMMEDIATE`` so that it takes the write lock up front: two commands that read and then
write at the same time wait for each other (``busy_timeout``) instead of failing with
"database is locked" when the second one tries to upgrade its lock.

Cached replies are checked against :meth:`Database.cache_marker`, which costs no database call
most of the time: under contention every driver call releases the GIL, and winning it back
behind the other threads costs more than the call itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
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
PG_CONNECT_TIMEOUT_S = 2
"""PostgreSQL's own connect deadline (whole seconds, at least 2): inside Slack's 3 s."""
_REVISION_SQL = "SELECT n FROM store_revision WHERE id = 1"
_BUMP_REVISION = text("UPDATE store_revision SET n = n + 1 WHERE id = 1")
REVISION_TTL_S = 0.25
"""How long :meth:`Database.cache_marker` trusts the store revision it last read."""


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
    """The store: a URL, an engine for reads and one for writes (the same one off SQLite).

    ``revision_ttl`` is how many seconds :meth:`cache_marker` may answer from the store
    revision it last read (0: read it every time); ``clock`` is monotonic seconds.
    """

    url: str
    reader: Engine
    writer: Engine
    revision_ttl: float = REVISION_TTL_S
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    _write_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _state_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _local_writes: int = field(default=0, repr=False)
    # (when it was read, by ``clock``; the store revision read then). Replaced as one tuple, so
    # that a reader never pairs one read's time with another read's revision.
    _seen: tuple[float, int] = field(default=(float("-inf"), 0), repr=False)

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
        may be stale, and then this process's write count (see :meth:`cache_marker`). On
        SQLite, writers of this process queue on a lock rather than in SQLite's busy handler,
        which sleeps and polls (up to 100 ms a round).
        """
        with self._sqlite_writer_turn(), Session(self.writer, expire_on_commit=False) as session:
            try:
                yield session
                session.execute(_BUMP_REVISION)
                session.commit()
            except BaseException:
                session.rollback()
                raise
        # Only after the commit: a reader that sees the new count must also see the new data.
        with self._state_lock:
            self._local_writes += 1

    def _sqlite_writer_turn(self) -> AbstractContextManager[object]:
        return self._write_lock if self.is_sqlite else nullcontext()

    def cache_marker(self) -> tuple[int, int]:
        """A value that changes when a cached reply may have gone stale: this process's write
        count and the store revision as last read, read again only when older than
        ``revision_ttl``.

        So a write by this process shows at once, one by another process (another worker,
        the console, the reminder scheduler) within ``revision_ttl``, and most calls make no
        database call: under contention each driver call hands the GIL to the other threads
        and waits to get it back, which costs a cached reply several times its own work.
        """
        seen_at, revision = self._seen
        now = self.clock()
        if now - seen_at >= self.revision_ttl:
            revision = self.store_revision()
            with self._state_lock:
                # Of two reads at once, keep the one that began last.
                if now > self._seen[0]:
                    self._seen = (now, revision)
        return self._local_writes, revision

    def store_revision(self) -> int:
        """How many write transactions the store has committed, from any process: exact, and
        a database read every time (use :meth:`cache_marker` where a moment old will do).

        A bare driver query on a pooled connection, as a full ORM session would cost four
        times as much.
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


def open_database(url: str, *, revision_ttl: float = REVISION_TTL_S) -> Database:
    """Open (but do not migrate) the database at ``url``."""
    if make_url(url).get_backend_name() == "sqlite":
        if make_url(url).database in (None, "", ":memory:"):
            # One shared in-memory connection: reads and writes must see the same data.
            engine = _sqlite_engine(url, immediate=True)
            return Database(url=url, reader=engine, writer=engine, revision_ttl=revision_ttl)
        return Database(
            url=url,
            reader=_sqlite_engine(url, immediate=False),
            writer=_sqlite_engine(url, immediate=True),
            revision_ttl=revision_ttl,
        )
    parsed = make_url(url)
    # A host that takes the connection and never answers would otherwise hold a command
    # thread for as long as the kernel lets it; a URL's own ``connect_timeout`` wins.
    connect = ({} if "connect_timeout" in parsed.query
               else {"connect_timeout": PG_CONNECT_TIMEOUT_S})
    engine = create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_SIZE,
                           connect_args=connect)
    return Database(url=url, reader=engine, writer=engine, revision_ttl=revision_ttl)
