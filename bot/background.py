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

Work = Callable[[], None]


class Background:
    """A few threads (:data:`WORKERS`) for work that follows an acknowledgement. A failure is
    logged; the work itself tells the user what they need to know."""

    def __init__(self, workers: int = WORKERS) -> None:
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="lhl-after")
        self._lock = threading.Lock()
        self._waiting: set[str] = set()
        self._timers: dict[threading.Timer, tuple[str, Work]] = {}

    def run(self, what: str, work: Work, *, key: str | None = None, delay: float = 0.0
            ) -> None:
        """Run ``work`` in one of the threads, ``delay`` seconds from now. With ``key``, not
        when work with the same key is still waiting to start: that work will see everything
        this one would (several quick writes publish a user's Home tab once)."""
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

        if delay <= 0:
            self._submit(what, job)
            return
        timer = threading.Timer(delay, lambda: self._due(timer))
        timer.daemon = True
        with self._lock:
            self._timers[timer] = (what, job)
        timer.start()

    def _due(self, timer: threading.Timer) -> None:
        with self._lock:
            found = self._timers.pop(timer, None)
        if found is not None:  # else shutdown() has already started it
            self._submit(*found)

    def _submit(self, what: str, job: Work) -> None:
        try:
            self._pool.submit(job)
        except RuntimeError:  # shut down: the process is stopping
            log.info("%s not run: stopping", what)

    def shutdown(self) -> None:
        """Start what is waiting for its delay now, finish everything, stop the threads."""
        with self._lock:
            waiting = list(self._timers.items())
            self._timers.clear()
        for timer, (what, job) in waiting:
            timer.cancel()
            self._submit(what, job)
        self._pool.shutdown(wait=True)
