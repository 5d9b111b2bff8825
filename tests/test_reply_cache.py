"""Cached replies and ``Database.cache_marker``: a write in this process shows at once, one by
another process once ``revision_ttl`` has passed, and a cache hit touches no database.

The time-to-live is tested on an injected monotonic clock, never by sleeping.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from bot.runtime import Runtime
from commands.base import Reply
from commands.cache import ReplyCache
from tests.support.clock import Clock
from tests.support.runtime import runtime_on, say

KARI = "UKARI01"
HOUR = 3600.0


@pytest.fixture
def clock(runtime: Runtime) -> Clock[float]:
    """The runtime's store on a hand-moved clock, trusting a revision it read for an hour."""
    clock = Clock(1000.0)
    runtime.db.clock = clock
    runtime.db.revision_ttl = HOUR
    return clock


@pytest.fixture
def other(runtime: Runtime) -> Iterator[Runtime]:
    """A second runtime on the same store: another process, as far as the first can tell."""
    with runtime_on(runtime.db.url, clock=runtime.clock) as rt:
        yield rt


def test_a_write_in_this_process_shows_at_once_however_long_the_ttl(
        runtime: Runtime, clock: Clock[float]) -> None:
    assert "Gjennomført dialogmøte: 0 av 25" in say(runtime, "status Agder")
    assert "Gjennomført dialogmøte: 0 av 25" in say(runtime, "status Agder")
    say(runtime, "logg-møte Lillesand i går")
    assert "Gjennomført dialogmøte: 1 av 25" in say(runtime, "status Agder")
    # A bare "status" is the asker's own embete, which comes from a grant in the store.
    assert "*Hele landet*" in say(runtime, "status", KARI)
    say(runtime, f"tilgang gi <@{KARI}|kari> Agder koordinator")
    assert "*Statsforvalteren i Agder*" in say(runtime, "status", KARI)


def test_a_write_by_another_process_shows_once_the_ttl_has_passed(
        runtime: Runtime, other: Runtime, clock: Clock[float]) -> None:
    assert "Gjennomført dialogmøte: 0 av 25" in say(runtime, "status Agder")
    say(other, "logg-møte Lillesand i går")
    clock.now += HOUR - 1
    # Within the hour the revision read at first is trusted, and the cached reply given.
    assert "Gjennomført dialogmøte: 0 av 25" in say(runtime, "status Agder")
    clock.now += 1
    assert "Gjennomført dialogmøte: 1 av 25" in say(runtime, "status Agder")


def test_with_no_ttl_a_write_by_another_process_shows_at_once(
        runtime: Runtime, other: Runtime) -> None:
    runtime.db.revision_ttl = 0
    assert "Gjennomført dialogmøte: 0 av 25" in say(runtime, "status Agder")
    assert "Gjennomført dialogmøte: 0 av 25" in say(runtime, "status Agder")
    say(other, "logg-møte Lillesand i går")
    assert "Gjennomført dialogmøte: 1 av 25" in say(runtime, "status Agder")
    say(other, f"tilgang gi <@{KARI}|kari> Agder koordinator")
    assert "Gjennomført dialogmøte: 1 av 25" in say(runtime, "status", KARI)


def test_a_cache_hit_makes_no_database_call(runtime: Runtime, clock: Clock[float]) -> None:
    checkouts: list[Any] = []

    def count(*_: Any) -> None:
        checkouts.append(None)

    engines = {runtime.db.reader, runtime.db.writer}
    for engine in engines:
        event.listen(engine.pool, "checkout", count)
    try:
        say(runtime, "status landet")
        assert checkouts, "the first status should have read the store"
        checkouts.clear()
        assert "*Hele landet*" in say(runtime, "status landet")
        assert checkouts == []
    finally:
        for engine in engines:
            event.remove(engine.pool, "checkout", count)


def test_a_bad_status_is_answered_every_time(runtime: Runtime, clock: Clock[float]) -> None:
    for _ in range(2):
        assert "Året må være mellom 2019 og 2026" in say(runtime, "status Agder 2018")
        assert "Atlantis" in say(runtime, "status Atlantis")


def test_each_channel_lists_its_own_reminders(runtime: Runtime, clock: Clock[float]) -> None:
    say(runtime, 'påminnelse ny "Ring Lillesand" om 10 minutter', channel="C1")
    assert "«Ring Lillesand»" in say(runtime, "påminnelser", channel="C1")
    assert "ingen påminnelser" in say(runtime, "påminnelser", channel="C2")


def test_the_cache_keeps_the_replies_used_last() -> None:
    cache = ReplyCache(size=2)
    a, b, c = Reply(text="a"), Reply(text="b"), Reply(text="c")
    cache.put("a", a)
    cache.put("b", b)
    assert cache.get("a") is a
    cache.put("c", c)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (a, None, c)
