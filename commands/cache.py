"""Replies to read-only commands, kept until the store changes.

A cached reply is keyed by the store revision (bumped by every committed write, in any
process), so a hit is always what the command would answer now: "where do we stand?" is
answered from memory until someone logs something.
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
        with self._lock:
            reply = self._items.get(key)
            if reply is not None:
                self._items.move_to_end(key)
            return reply

    def put(self, key: Hashable, reply: Reply) -> None:
        with self._lock:
            self._items[key] = reply
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
