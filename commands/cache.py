"""Replies to read-only commands, kept until the store changes.

A cached reply is keyed by ``Database.cache_marker()``, which moves at once with a write by
this process and within ``Database.revision_ttl`` (a quarter of a second) with one by any
other, so a hit is what the command would answer now: "where do we stand?" is answered from
memory, without a database call, until someone logs something.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from commands.base import Reply


class ReplyCache:
    """A small thread-safe LRU of replies."""

    def __init__(self, size: int = 1024) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, Reply] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Reply | None:
        # No lock: each OrderedDict call is atomic under the GIL, and a lock that several
        # threads want costs a GIL hand-off each time one of them has to wait for it.
        reply = self._items.get(key)
        if reply is not None:
            try:  # noqa: SIM105 (a bare try costs nothing on a hit; suppress() does)
                self._items.move_to_end(key)
            except KeyError:  # evicted by a put in between
                pass
        return reply

    def put(self, key: Hashable, reply: Reply) -> None:
        with self._lock:
            self._items[key] = reply
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
