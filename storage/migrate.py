"""Apply Alembic migrations at start."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text

from storage.db import Database

MIGRATIONS = Path(__file__).with_name("migrations")

# Any constant will do: it only has to be the same in every lhl process.
_PG_MIGRATION_LOCK = 0x1E7E_4E1E


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(db: Database) -> None:
    """Bring the schema to the newest revision (see :func:`migrate`)."""
    migrate(db, "head")


def migrate(db: Database, to: str, *, down: bool = False) -> None:
    """Bring the schema up (or ``down``) to revision ``to``.

    Runs in one write transaction (and, on PostgreSQL, under an advisory lock) so that two bot
    processes starting together do not both try to create the tables.

    On SQLite, foreign keys are off while it runs, as SQLite's manual asks of a change that
    builds a table anew (with them on, dropping the old table deletes the rows that point to
    it), and checked before the commit: a row left pointing nowhere undoes the migration.
    """
    cfg = alembic_config(db.url)
    with db.writer.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # Outside any transaction, or SQLite ignores it.
            _foreign_keys(conn, on=False)
        try:
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"),
                                 {"k": _PG_MIGRATION_LOCK})
                cfg.attributes["connection"] = conn
                (command.downgrade if down else command.upgrade)(cfg, to)
                if sqlite:
                    _refuse_dangling_rows(conn)
        finally:
            if sqlite:
                _foreign_keys(conn, on=True)


def _foreign_keys(conn: Connection, *, on: bool) -> None:
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def _refuse_dangling_rows(conn: Connection) -> None:
    dangling = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if dangling:
        raise RuntimeError(f"migration left {len(dangling)} rows pointing nowhere, first in "
                           f"table {dangling[0][0]}; nothing was changed")
