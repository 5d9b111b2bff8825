"""Shared fixtures. Grouped by what they stand in for; add new groups below the last one.

The helpers they are built from, and that tests import, live once in ``tests/support/``:
``clock`` (``OSLO``, ``NOW``, ``at``, ``Clock``), ``runtime`` (the test settings and tokens,
``runtime_on``, ``started``, ``say``/``reply_to``, ``grant``), ``slack_requests`` (requests as
Slack signs and sends them), ``fake_slack`` (the fake Web API and Socket Mode endpoint, also used
by ``bench/``), ``slack_limits``, ``senders`` (``RecordingSender``), ``http_bot`` (``lhl http``
in a subprocess, ``call_asgi``, ``assert_reply``) and ``processes`` (``REPO``, ``clean_env``).

Slack end to end:
    ``fake_slack``        a running :class:`FakeSlack` (Web API) per test
    ``sign``              ``sign(body, secret, timestamp=None) -> headers``
    ``slash_command``     ``slash_command(text, *, user_id=..., channel_id=..., **fields) -> body``
    ``database_url``      a fresh SQLite file under ``tmp_path``
    ``make_settings``     ``make_settings(**overrides) -> Settings`` aimed at the fake and the file
    ``http_bot``          ``lhl http`` running on an ephemeral port (:class:`HttpBot`)

Store (SQLite, and PostgreSQL when ``LHL_TEST_DATABASE_URL`` is set; emptied per test):
    ``store_url``         parametrised over both back ends
    ``runtime``           a :class:`Runtime` on ``store_url`` with the clock fixed at ``NOW``
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from bot.runtime import Runtime
from bot.settings import Settings
from tests.support.fake_slack import FakeSlack
from tests.support.http_bot import HttpBot, start_http_bot
from tests.support.runtime import (
    APP_TOKEN,
    BOT_TOKEN,
    HTTP_THREADS,
    SIGNING_SECRET,
    runtime_on,
    settings_for,
)
from tests.support.slack_requests import sign_request, slash_command_body

# --- Slack end to end -------------------------------------------------------------------------


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A fake Web API; every message the bot sends it must keep Slack's rules."""
    with FakeSlack() as fake:
        yield fake
    assert fake.broken == [], "messages Slack would reject or that ping/link by user text"


@pytest.fixture
def sign() -> Callable[..., dict[str, str]]:
    """``sign(body, secret, timestamp=None)``: the signature headers Slack would send."""
    return sign_request


@pytest.fixture
def slash_command() -> Callable[..., str]:
    """``slash_command(text, *, user_id=..., channel_id=..., **fields)``: a form-encoded body."""
    return slash_command_body


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'lhl.db'}"


@pytest.fixture
def make_settings(fake_slack: FakeSlack, database_url: str) -> Callable[..., Settings]:
    """``make_settings(**overrides)``: Settings for a bot talking to ``fake_slack``, storing in
    ``database_url``, with ``ADMIN`` as administrator; never reads ``.env``."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "slack_bot_token": BOT_TOKEN,
            "slack_signing_secret": SIGNING_SECRET,
            "slack_app_token": APP_TOKEN,
            "lhl_slack_api_url": fake_slack.url,
            "lhl_http_threads": HTTP_THREADS,
        }
        values.update(overrides)
        return settings_for(values.pop("lhl_database_url", database_url), **values)

    return make


@pytest.fixture
def http_bot(make_settings: Callable[..., Settings], fake_slack: FakeSlack, tmp_path: Path,
             ) -> Iterator[HttpBot]:
    """``/lhl`` over HTTP: ``lhl http`` on an ephemeral port, on a fresh SQLite file."""
    bot = start_http_bot(make_settings(), fake_slack, tmp_path)
    try:
        yield bot
    finally:
        bot.stop()
        bot.runtime.db.dispose()


# --- Store ------------------------------------------------------------------------------------


def reset_postgres(url: str) -> None:
    """Empty the test database so that each test starts from the migrations."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def url_for_store(kind: str, tmp_path: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'lhl.db'}"
    url = os.environ.get("LHL_TEST_DATABASE_URL")
    if not url:
        pytest.skip("LHL_TEST_DATABASE_URL is not set")
    reset_postgres(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return url_for_store(request.param, tmp_path)


@pytest.fixture
def runtime(store_url: str) -> Iterator[Runtime]:
    """The bot's runtime on a fresh store, with the clock fixed at NOW."""
    with runtime_on(store_url) as rt:
        yield rt
