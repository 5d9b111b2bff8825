"""Apply Alembic migrations at start."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

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
    """Bring the schema to the newest revision.

    Runs in one write transaction (and, on PostgreSQL, under an advisory lock) so that two bot
    processes starting together do not both try to create the tables.
    """
    cfg = alembic_config(db.url)
    with db.writer.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
