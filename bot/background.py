"""A few threads for work that follows an answer and must not delay it: uploading the files
that go with a reply, publishing a user's Home tab (``bot.followup``, ``bot.home``)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger("lhl.background")

WORKERS = 2
"""Threads per process. The work mostly waits on Slack; two keep a slow upload from holding up
everyone's Home tab without letting background work crowd out the commands."""


class Background:
    """A few threads (:data:`WORKERS`) for work that follows an acknowledgement. A failure is
    logged; the work itself tells the user what they need to know."""

    def __init__(self, workers: int = WORKERS) -> None:
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="lhl-after")
        self._lock = threading.Lock()
        self._waiting: set[str] = set()

    def run(self, what: str, work: Callable[[], None], *, key: str | None = None) -> None:
        """Run ``work`` in one of the threads. With ``key``, not when work with the same key is
        still waiting to start: that work will see everything this one would (publishing a
        user's Home tab after several quick writes is done once)."""
        if key is not None:
            with self._lock:
                if key in self._waiting:
                    return
                self._waiting.add(key)

        def job() -> None:
            if key is not None:
                with self._lock:
                    self._waiting.discard(key)
            try:
                work()
            except Exception:
                log.exception("%s failed after the acknowledgement", what)

        try:
            self._pool.submit(job)
        except RuntimeError:  # shut down: the process is stopping
            log.info("%s not run: stopping", what)

    def shutdown(self) -> None:
        """Finish what has been started and stop the threads."""
        self._pool.shutdown(wait=True)
