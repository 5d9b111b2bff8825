"""A fresh store per test, on SQLite and (when LHL_TEST_DATABASE_URL is set) on PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from storage.setup import prepare

if TYPE_CHECKING:
    from bot.runtime import Runtime

OSLO = ZoneInfo("Europe/Oslo")
# A Tuesday, the day this suite was written.
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=OSLO)
ADMIN = "UADMIN1"


def reset_postgres(url: str) -> None:
    """Empty the test database so that each test starts from the migrations."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def database_url(kind: str, tmp_path: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'lhl.db'}"
    url = os.environ.get("LHL_TEST_DATABASE_URL")
    if not url:
        pytest.skip("LHL_TEST_DATABASE_URL is not set")
    reset_postgres(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return database_url(request.param, tmp_path)


@pytest.fixture
def runtime(store_url: str) -> Iterator["Runtime"]:
    """The bot's runtime on a fresh store, with the clock fixed at NOW."""
    from bot.runtime import Runtime
    from bot.settings import Settings

    settings = Settings(_env_file=None, lhl_database_url=store_url,  # type: ignore[call-arg]
                        lhl_admins=ADMIN)
    db, geo = prepare(store_url)
    yield Runtime(settings=settings, db=db, geo=geo, clock=lambda: NOW)
    db.dispose()
