"""A TCP proxy on loopback that can make a database unreachable without stopping it.

The bot connects to the proxy instead of PostgreSQL; :meth:`TcpProxy.cut` aborts every open
connection through it (the bot's pooled connections see a reset) and, in ``refuse`` mode,
closes the listening socket so that new connections are refused, or in ``hang`` mode accepts
them and never answers (a database host that is gone without a word). :meth:`TcpProxy.restore`
listens and forwards again on the same port. PostgreSQL itself, shared with others on the
machine, keeps running.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Literal

OutageMode = Literal["refuse", "hang"]
CHUNK = 65536


class TcpProxy:
    def __init__(self, listen_host: str, listen_port: int, target_host: str,
                 target_port: int) -> None:
        self.listen = (listen_host, listen_port)
        self.target = (target_host, target_port)
        self.mode: OutageMode | None = None
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.connections = 0
        self.refused_while_cut = 0

    async def start(self) -> TcpProxy:
        self._server = await asyncio.start_server(self._accept, *self.listen,
                                                  reuse_address=True)
        return self

    async def cut(self, mode: OutageMode = "refuse") -> None:
        """Drop every connection; refuse (or swallow) new ones until :meth:`restore`."""
        self.mode = mode
        if mode == "refuse" and self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            _abort(writer)
        self._writers.clear()

    async def restore(self) -> None:
        if self.mode == "hang":
            for writer in list(self._writers):
                _abort(writer)
            self._writers.clear()
        self.mode = None
        if self._server is None:
            await self.start()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            _abort(writer)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        if self.mode is not None:
            # Cut in hang mode: the connection is accepted and nothing ever comes back.
            self.refused_while_cut += 1
            return
        self.connections += 1
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            _abort(writer)
            self._writers.discard(writer)
            return
        self._writers.add(up_writer)
        for src, dst in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.create_task(self._pipe(src, dst, writer, up_writer))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _pipe(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter,
                    *pair: asyncio.StreamWriter) -> None:
        try:
            while data := await src.read(CHUNK):
                dst.write(data)
                await dst.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            for w in pair:
                with contextlib.suppress(OSError, RuntimeError):
                    w.close()
                self._writers.discard(w)


def _abort(writer: asyncio.StreamWriter) -> None:
    """Close with a reset, as a vanished peer or a dropped route looks to the other side."""
    transport = writer.transport
    if not transport.is_closing():
        transport.abort()
