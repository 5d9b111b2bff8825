"""How Granian serves the bot, shared with the benchmark's bare app: the server's settings and
the thin asynchronous front every request passes first.

Granian's WSGI interface streams the body into the Python thread that runs the application, and
has no deadline for it (only for the headers): two sockets that sent headers and part of a body
held both command threads, and every command and ``/healthz`` waited behind them. So the
application is served through Granian's ASGI interface (without lifespan) instead. The front
(:class:`PooledFront`) reads each body on the event loop, with a deadline and a size cap, and
only a complete request is handed to one of a fixed number of threads (``LHL_HTTP_THREADS``).
A slow body costs a pending coroutine, not a thread. What needs no thread (refusals,
``/healthz``) is answered on the loop or beside the pool.

Kept apart from ``bot.http_server`` so that the bare app's main process does not import the bot.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import queue
import socket
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from granian.constants import Interfaces
from granian.http import HTTP1Settings
from granian.log import LogLevels
from granian.server.mp import MPServer as Granian

# Slack's payloads are a few kilobytes; a large body is not from Slack.
MAX_BODY_BYTES = 1 << 20
BODY_TIMEOUT_S = 2.0
"""The whole body must be in by then. Slack sends it with the headers and wants its answer
within 3 s, so a body still arriving after 2 s cannot be a request worth answering."""
HEADER_READ_TIMEOUT_MS = 5_000
"""Granian's own deadline for the request head (its default is 30 s). Headers are read in
Granian, outside Python; this only frees a trickling connection sooner."""

T = TypeVar("T")
Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
AsgiApp = Callable[[Scope, Receive, Send], Awaitable[None]]

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


def granian_server(host: str, port: int, *, workers: int, log_level: str) -> Granian:
    """The server both the bot and the benchmark's bare app run on (same options). Its one
    Python thread per worker runs the event loop; the application brings its own pool."""
    level = log_level.lower()
    return Granian(
        "lhl",  # a name only: workers get their application from ``serve(target_loader=...)``
        address=host,
        port=port,
        interface=Interfaces.ASGINL,
        workers=workers,
        websockets=False,
        http1_settings=HTTP1Settings(header_read_timeout=HEADER_READ_TIMEOUT_MS),
        log_level=LogLevels(level) if level in LogLevels.__members__ else LogLevels.info,
        log_dictconfig=_GRANIAN_LOGGING,
        respawn_failed_workers=True,
        workers_kill_timeout=10,
    )


def run_granian(server: Granian, loader: Callable[[], AsgiApp]) -> None:
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


@dataclass(frozen=True)
class Request:
    """One HTTP request as the front saw it; ``headers`` have lower-case names (a repeated
    header keeps its last value) and ``body`` is complete."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    client: str
    body: bytes = b""

    @property
    def content_type(self) -> str:
        """The media type alone, lower-case (``application/json``), or ``""``."""
        return self.headers.get("content-type", "").partition(";")[0].strip().lower()


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)


def text_answer(status: int, text: str, *headers: tuple[str, str]) -> Answer:
    return Answer(status, text.encode("utf-8"),
                  [("content-type", "text/plain; charset=utf-8"), *headers])


def json_answer(status: int, data: Any) -> Answer:
    return Answer(status, json.dumps(data).encode("utf-8"),
                  [("content-type", "application/json")])


class BodyRefused(Exception):
    """The body was not read: too large, too slow, or the client went away."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


async def read_body(request: Request, receive: Receive, *, limit: int = MAX_BODY_BYTES,
                    timeout: float = BODY_TIMEOUT_S) -> bytes:
    """The whole body, within ``timeout`` seconds and ``limit`` bytes, or :class:`BodyRefused`.

    A declared ``Content-Length`` over the limit is refused before anything is read."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise BodyRefused(400, "bad Content-Length")
        if int(declared) > limit:
            raise BodyRefused(413, "body too large")
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise BodyRefused(400, "client went away")
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    raise BodyRefused(413, "body too large")
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
    except TimeoutError:
        raise BodyRefused(408, f"body not complete after {timeout:g} s") from None
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def request_of(scope: Scope) -> Request:
    headers = {name.decode("latin-1").lower(): value.decode("latin-1")
               for name, value in scope.get("headers", ())}
    client = scope.get("client") or ("?", 0)
    return Request(method=scope.get("method", "GET"), path=scope.get("path", ""),
                   query=scope.get("query_string", b"").decode("latin-1"), headers=headers,
                   client=str(client[0]))


async def send_answer(send: Send, answer: Answer, *, close: bool = False) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers]
    headers.append((b"content-length", str(len(answer.body)).encode()))
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})


class Threads:
    """A fixed number of threads fed from one queue, each result handed straight back to the
    waiting coroutine's loop. Per hand-off this is about a third cheaper than
    ``loop.run_in_executor`` (no ``concurrent.futures.Future`` chained in between), and the
    hand-off is on every command's path.

    The threads are daemons: a worker that is stopped while a command runs ends it with the
    process, and its transaction, never committed, is rolled back by the database.
    """

    def __init__(self, count: int, name: str) -> None:
        self._queue: queue.SimpleQueue[tuple[Callable[..., Any], tuple[Any, ...],
                                             asyncio.Future[Any],
                                             asyncio.AbstractEventLoop] | None] = (
            queue.SimpleQueue())
        self.count = max(1, count)
        for i in range(self.count):
            threading.Thread(target=self._work, name=f"{name}-{i + 1}", daemon=True).start()

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.put((fn, args, future, loop))
        return await future

    def close(self) -> None:
        for _ in range(self.count):
            self._queue.put(None)

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            fn, args, future, loop = item
            try:
                result = fn(*args)
            except BaseException as exc:  # handed to the waiting coroutine, which raises it
                loop.call_soon_threadsafe(_settle, future, None, exc)
            else:
                loop.call_soon_threadsafe(_settle, future, result, None)


def _settle(future: asyncio.Future[Any], result: Any, exc: BaseException | None) -> None:
    if future.done():  # the request was cancelled (the client went away) meanwhile
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(result)


class PooledFront:
    """An ASGI application whose blocking work runs in a pool of ``threads`` threads.

    Subclasses implement :meth:`answer`, which runs on the event loop: it reads the body with
    :meth:`body` (deadline and size cap) and hands the complete request to :meth:`in_pool`.
    A refused body is answered with its status and the connection closed (the rest of the body
    may still be on its way).
    """

    def __init__(self, *, threads: int, body_limit: int = MAX_BODY_BYTES,
                 body_timeout: float = BODY_TIMEOUT_S) -> None:
        self.pool = Threads(threads, "lhl-command")
        self.body_limit = body_limit
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = request_of(scope)
        try:
            answer = await self.answer(request, receive)
        except BodyRefused as exc:
            self.refused(request, exc)
            await send_answer(send, text_answer(exc.status, reason(exc.status)),
                              close=True)
            return
        await send_answer(send, answer)

    async def answer(self, request: Request, receive: Receive) -> Answer:
        raise NotImplementedError

    def refused(self, request: Request, exc: BodyRefused) -> None:
        """Called for each refused body (to log it)."""

    async def body(self, request: Request, receive: Receive) -> Request:
        """``request`` with its complete body."""
        raw = await read_body(request, receive, limit=self.body_limit,
                              timeout=self.body_timeout)
        return Request(request.method, request.path, request.query, request.headers,
                       request.client, raw)

    async def in_pool(self, fn: Callable[..., T], *args: Any) -> T:
        return await self.pool.run(fn, *args)

    def close(self) -> None:
        self.pool.close()


_REASONS = {
    400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed",
    408: "Request Timeout", 413: "Payload Too Large", 500: "Internal Server Error",
    503: "Service Unavailable",
}


def reason(status: int) -> str:
    """The standard reason phrase, as plain-text bodies of refusals say it."""
    return _REASONS.get(status, "")
