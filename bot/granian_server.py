"""How Granian is set up to serve a WSGI application; shared with the benchmark's bare app.

Kept apart from ``bot.http_server`` so that the bare app's main process does not import the bot.
"""

from __future__ import annotations

import multiprocessing
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from granian.constants import Interfaces
from granian.log import LogLevels
from granian.server.mp import MPServer as Granian

if TYPE_CHECKING:
    from wsgiref.types import WSGIApplication

# Granian's own log lines go through the root logger, in the bot's format, on stderr.
_GRANIAN_LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {},
    "loggers": {
        "_granian": {"handlers": [], "propagate": True},
        "granian.access": {"handlers": [], "propagate": False, "level": "CRITICAL"},
    },
}


def granian_server(host: str, port: int, *, workers: int, threads: int, log_level: str,
                   ) -> Granian:
    """The server both the bot and the benchmark's bare app run on (same options)."""
    level = log_level.lower()
    return Granian(
        "lhl",  # a name only: workers get their application from ``serve(target_loader=...)``
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        websockets=False,
        log_level=LogLevels(level) if level in LogLevels.__members__ else LogLevels.info,
        log_dictconfig=_GRANIAN_LOGGING,
        respawn_failed_workers=True,
        workers_kill_timeout=10,
    )


def run_granian(server: Granian, loader: Callable[[], WSGIApplication]) -> None:
    """Serve until SIGINT or SIGTERM. Workers are *spawned*, not forked: the main process has
    threads (the reminder scheduler) and open database connections that a fork would copy."""
    multiprocessing.set_start_method("spawn", force=True)
    server.serve(target_loader=loader, wrap_loader=False)


def free_port(host: str) -> int:
    """A free port on ``host`` (for ``--port 0``): every worker must bind the same one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])
