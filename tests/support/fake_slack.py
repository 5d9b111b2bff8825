"""A fake Slack for end-to-end tests and the benchmark: the Web API and a Socket Mode
WebSocket endpoint.

Both servers are real sockets on 127.0.0.1 with an ephemeral port, so the bot's own HTTP
clients (slack_sdk's ``WebClient`` and the built-in Socket Mode client) are exercised as they
are in production; only ``base_url`` differs (``LHL_SLACK_API_URL``). The requests Slack sends
the bot are built in :mod:`tests.support.slack_requests`.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import itertools
import json
import socket
import socketserver
import struct
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl

from tests.support.slack_limits import (
    all_text,
    assert_home_within_limits,
    assert_view_within_limits,
    assert_within_slack_limits,
    live_markup,
    unfurls_off,
)
from tests.support.slack_requests import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID, dm_of


class _Served:
    """A socket server answering from a daemon thread between :meth:`start` and :meth:`stop`
    (or as a context manager)."""

    def __init__(self, server: socketserver.TCPServer, name: str) -> None:
        self._server = server
        self._name = name
        self._thread: threading.Thread | None = None

    @property
    def _port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> Self:
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name=self._name, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


# ---------------------------------------------------------------------------------------------
# The Web API

RESPOND = "respond"
DOWNLOAD = "files.download"
"""What a GET of a shared file's ``url_private_download`` is recorded as."""


@dataclass(frozen=True)
class SharedFile:
    """A file a user shared, as the fake's ``files.list``, ``files.info`` and download serve
    it (see :meth:`FakeSlack.add_file`)."""

    id: str
    name: str
    content: bytes
    user: str
    channel: str
    created: int
    token: str
    """The bot token the download must carry; any other gets Slack's login page."""

    def info(self, url: str) -> dict[str, Any]:
        kind = self.name.rsplit(".", 1)[-1].lower()
        where = "ims" if self.channel.startswith("D") else (
            "groups" if self.channel.startswith("G") else "channels")
        return {"id": self.id, "name": self.name, "title": self.name, "filetype": kind,
                "size": len(self.content), "user": self.user, "created": self.created,
                "timestamp": self.created, "is_external": False,
                "url_private": url, "url_private_download": f"{url}?download=1",
                "channels": [], "groups": [], "ims": [], where: [self.channel]}


@dataclass(frozen=True)
class Call:
    """One request the fake Web API received."""

    method: str
    params: dict[str, Any]
    is_json: bool
    has_auth: bool
    token_prefix: str | None
    status: int
    at: float = 0.0
    """When it arrived (``time.time()``)."""


def _default_answers() -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
    ts = itertools.count(1)

    def next_ts() -> str:
        return f"1700000000.{next(ts):06d}"

    def post_message(p: dict[str, Any]) -> dict[str, Any]:
        stamp = next_ts()
        return {"ok": True, "channel": p.get("channel"), "ts": stamp,
                "message": {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID,
                            "text": p.get("text", ""), "ts": stamp}}

    views = itertools.count(1)

    def opened(p: dict[str, Any]) -> dict[str, Any]:
        view = p.get("view")
        view = json.loads(view) if isinstance(view, str) else dict(view or {})
        view_id = p.get("view_id") or f"V0LHL{next(views):05d}"
        return {"ok": True, "view": {**view, "id": view_id, "team_id": TEAM_ID,
                                     "app_id": APP_ID, "bot_id": BOT_ID,
                                     "hash": f"{time.time():.6f}.abcd",
                                     "state": {"values": {}}}}

    def permalink(p: dict[str, Any]) -> dict[str, Any]:
        channel, ts = p.get("channel"), str(p.get("message_ts", ""))
        return {"ok": True, "channel": channel, "permalink":
                f"https://lhl-test.slack.com/archives/{channel}/p{ts.replace('.', '')}"}

    def published(p: dict[str, Any]) -> dict[str, Any]:
        view = p.get("view")
        view = json.loads(view) if isinstance(view, str) else dict(view or {})
        return {"ok": True, "view": {**view, "id": f"V0HOME{next(views):05d}",
                                     "team_id": TEAM_ID, "app_id": APP_ID, "bot_id": BOT_ID,
                                     "hash": f"{time.time():.6f}.home", "state": {"values": {}}}}

    return {
        "views.open": opened,
        "views.update": opened,
        "views.publish": published,
        "conversations.open": lambda p: {
            "ok": True, "no_op": True, "already_open": True,
            "channel": {"id": dm_of(str(p.get("users", "")))},
        },
        "chat.getPermalink": permalink,
        "auth.test": lambda p: {
            "ok": True, "url": "https://lhl-test.slack.com/", "team": "LHL test",
            "user": "lhl", "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID,
            "is_enterprise_install": False,
        },
        "chat.postMessage": post_message,
        "chat.postEphemeral": lambda p: {"ok": True, "message_ts": next_ts()},
        "chat.update": lambda p: {"ok": True, "channel": p.get("channel"), "ts": p.get("ts"),
                                  "text": p.get("text", "")},
        "conversations.info": lambda p: {
            "ok": True,
            "channel": {"id": p.get("channel"), "name": "koordinatorer", "is_channel": True,
                        "is_private": False, "is_member": True, "is_im": False},
        },
        "users.info": lambda p: {
            "ok": True,
            "user": {"id": p.get("user"), "team_id": TEAM_ID, "name": "kari",
                     "real_name": "Kari Nordmann", "tz": "Europe/Oslo", "is_bot": False,
                     "deleted": False,
                     "profile": {"real_name": "Kari Nordmann", "display_name": "kari"}},
        },
    }


_MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.update", "chat.postEphemeral", RESPOND})


_VIEW_METHODS = frozenset({"views.open", "views.update", "views.publish"})
UPLOAD = "upload"
"""The POST of a file's bytes to the ``upload_url`` that ``files.getUploadURLExternal`` gave
(recorded as ``calls(UPLOAD)``, with the ``file_id`` and the ``length`` received);
``rate_limit(UPLOAD, n)`` makes the next ``n`` of them fail with HTTP 500."""


@dataclass(frozen=True)
class UploadedFile:
    """A file the bot uploaded (files upload v2) and shared (``files.completeUploadExternal``)."""

    file_id: str
    filename: str
    title: str | None
    channel: str | None
    initial_comment: str | None
    content: bytes


def _view_problems(method: str, params: dict[str, Any]) -> list[str]:
    """What would make Slack refuse a view the bot opened (see ``slack_limits``)."""
    try:
        if method == "views.open":
            assert params.get("trigger_id"), "views.open without a trigger_id"
        if method == "views.publish":
            assert params.get("user_id"), "views.publish without a user_id"
            assert_home_within_limits(params.get("view"))
        else:
            assert_view_within_limits(params.get("view"))
    except (AssertionError, KeyError, TypeError, ValueError) as exc:
        return [f"{method}: {type(exc).__name__} {exc}"]
    return []


def _message_problems(method: str, params: dict[str, Any]) -> list[str]:
    """What would make Slack reject, or turn into a ping or a hidden link, a message the bot
    sent: Slack's limits (:mod:`tests.support.slack_limits`) and markup other than a user
    mention, or a link the bot checked in a message sent without unfurling."""
    text, blocks = str(params.get("text") or ""), params.get("blocks")
    if not text and not blocks:
        return []  # respond(delete_original=True)
    problems: list[str] = []
    try:
        assert_within_slack_limits(text, blocks)
    except AssertionError as exc:
        problems.append(f"{method}: {exc}")
    live = live_markup(all_text(text, blocks), checked_links=unfurls_off(params))
    if live:
        problems.append(f"{method}: live markup {live}")
    return problems


class FakeSlack(_Served):
    """A fake Slack Web API on ``127.0.0.1`` (a real ``ThreadingHTTPServer`` in a thread).

    ``views.open`` and ``views.update`` answer with the view and an id (``V0LHL00001``…) and
    check it against Slack's limits for a modal; ``chat.getPermalink`` answers with a link.
    Every call is recorded (method, params, whether it was authorised); ``rate_limit`` makes a
    method answer HTTP 429 with ``Retry-After`` a number of times; ``answer`` replaces a
    method's answer; ``delay`` makes a method (``RESPOND``: the response_url) answer late.
    ``apps.connections.open`` hands out :attr:`socket_mode`'s URL once one is
    attached with :meth:`attach_socket_mode`.

    Files a user shared, added with :meth:`add_file`, are served by ``files.list``,
    ``files.info`` and a GET of their private URL (recorded as :data:`DOWNLOAD`).

    Files upload v2: ``files.getUploadURLExternal`` hands out an ``upload_url`` on this server
    and a ``file_id``; the bytes POSTed there are kept (:data:`UPLOAD`); and
    ``files.completeUploadExternal`` shares them (:meth:`shared_files`, :meth:`uploaded`).
    ``conversations.open`` answers with the direct message :func:`dm_of` the user;
    ``views.publish`` checks the Home tab against Slack's limits.
    """

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._calls: list[Call] = []
        self.broken: list[str] = []
        """Every message the bot sent that breaks Slack's rules (see ``_message_problems``);
        the ``fake_slack`` fixture fails a test that leaves any."""
        self._answers = _default_answers()
        self._limits: dict[str, tuple[int, int]] = {}
        self._delays: dict[str, float] = {}
        self._files: dict[str, SharedFile] = {}
        self._answers["files.list"] = self._files_list
        self._answers["files.info"] = self._files_info
        self.socket_mode: FakeSocketMode | None = None
        self._upload_ids = itertools.count(1)
        self._pending_files: dict[str, dict[str, Any]] = {}
        self._uploads: dict[str, bytes] = {}
        self._shared: list[UploadedFile] = []
        self._answers["files.getUploadURLExternal"] = self._upload_url
        self._answers["files.completeUploadExternal"] = self._complete_upload
        server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        server.daemon_threads = True
        super().__init__(server, "fake-slack")

    @property
    def url(self) -> str:
        """The Web API base URL (ends in ``/``, as ``WebClient(base_url=...)`` wants)."""
        return f"http://127.0.0.1:{self._port}/api/"

    @property
    def response_url(self) -> str:
        """A ``response_url`` for payloads; what the bot posts there is recorded as
        ``calls("respond")``."""
        return f"http://127.0.0.1:{self._port}/respond/{TEAM_ID}/1/abcd"

    def stop(self) -> None:
        super().stop()
        if self.socket_mode is not None:
            self.socket_mode.stop()

    # --- what happened

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until ``method`` was called ``count`` times; raise AssertionError otherwise."""
        with self._lock:
            if not self._lock.wait_for(lambda: len(self.calls(method)) >= count, timeout):
                raise AssertionError(
                    f"{method} called {len(self.calls(method))} times, expected {count}"
                )
            return self.calls(method)

    def uploaded(self, file_id: str) -> bytes:
        """The bytes the bot POSTed for ``file_id``."""
        with self._lock:
            return self._uploads[file_id]

    def shared_files(self, count: int = 0, timeout: float = 5.0) -> list[UploadedFile]:
        """The files shared so far, in order; with ``count``, wait until there are as many."""
        with self._lock:
            if count and not self._lock.wait_for(lambda: len(self._shared) >= count, timeout):
                raise AssertionError(f"{len(self._shared)} files shared, expected {count}")
            return list(self._shared)

    # --- how to answer

    def answer(self, method: str, body: dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]
               ) -> None:
        """Answer ``method`` with ``body`` (or ``body(params)``) from now on."""
        with self._lock:
            self._answers[method] = body if callable(body) else (lambda _p: body)

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with HTTP 429 and ``Retry-After``."""
        with self._lock:
            self._limits[method] = (times, retry_after)

    def delay(self, method: str, seconds: float) -> None:
        """Answer ``method`` only ``seconds`` after it arrives (a slow Slack); the call is
        recorded when it arrives."""
        with self._lock:
            self._delays[method] = seconds

    def add_file(self, name: str, content: bytes, *, user: str, channel: str, token: str,
                 created: float | None = None) -> str:
        """Share a file as ``user`` in ``channel`` (its id, ``F0LHL…``): listed by
        ``files.list``, described by ``files.info``, and downloaded from its
        ``url_private_download`` only with the bearer ``token``."""
        with self._lock:
            file_id = f"F0LHL{len(self._files) + 1:05d}"
            self._files[file_id] = SharedFile(file_id, name, content, user, channel,
                                              int(created or time.time()), token)
        return file_id

    def _file_url(self, shared: SharedFile) -> str:
        return f"http://127.0.0.1:{self._port}/files-pri/{TEAM_ID}-{shared.id}/{shared.name}"

    def _files_list(self, p: dict[str, Any]) -> dict[str, Any]:
        since = int(float(p.get("ts_from") or 0))
        found = sorted((f for f in self._files.values()
                        if f.user == p.get("user", f.user)
                        and f.channel == p.get("channel", f.channel) and f.created >= since),
                       key=lambda f: f.created, reverse=True)
        return {"ok": True, "files": [f.info(self._file_url(f)) for f in found],
                "paging": {"count": 100, "total": len(found), "page": 1, "pages": 1}}

    def _files_info(self, p: dict[str, Any]) -> dict[str, Any]:
        shared = self._files.get(str(p.get("file")))
        if shared is None:
            return {"ok": False, "error": "file_not_found"}
        return {"ok": True, "file": shared.info(self._file_url(shared))}

    def _download(self, path: str, token: str | None) -> tuple[int, str, bytes]:
        """A GET of a file's private URL: the file for its own token, the login page (as
        Slack answers, with 200) for anything else."""
        file_id = path.split("/")[2].rsplit("-", 1)[-1] if path.count("/") >= 3 else ""
        with self._lock:
            shared = self._files.get(file_id)
            ok = shared is not None and token == shared.token
            self._calls.append(Call(DOWNLOAD, {"file": file_id}, False, bool(token),
                                    token.split("-", 1)[0] if token and "-" in token else None,
                                    200 if ok else 404, time.time()))
            self._lock.notify_all()
        if shared is None:
            return 404, "text/plain", b"not found"
        if not ok:
            return 200, "text/html; charset=utf-8", b"<!DOCTYPE html><title>Slack</title>"
        return 200, "application/octet-stream", shared.content

    def attach_socket_mode(self) -> FakeSocketMode:
        """Start a fake Socket Mode endpoint that ``apps.connections.open`` hands out."""
        self.socket_mode = FakeSocketMode().start()
        return self.socket_mode

    # --- the server side

    def _handle(self, method: str, params: dict[str, Any], is_json: bool, auth: str | None
                ) -> tuple[int, dict[str, str], dict[str, Any]]:
        token = auth or params.get("token")
        prefix = token.split("-", 1)[0] if isinstance(token, str) and "-" in token else None
        with self._lock:
            status, headers = 200, {}
            times, retry_after = self._limits.get(method, (0, 0))
            if times > 0:
                self._limits[method] = (times - 1, retry_after)
                status, headers = 429, {"Retry-After": str(retry_after)}
                body: dict[str, Any] = {"ok": False, "error": "ratelimited"}
            elif method == RESPOND:
                body = {"ok": True}
            elif method == "apps.connections.open":
                body = self._connections_open(prefix)
            elif not token:
                body = {"ok": False, "error": "not_authed"}
            elif method in self._answers:
                body = self._answers[method](params)
            else:
                body = {"ok": False, "error": "unknown_method"}
            if method in _MESSAGE_METHODS:
                self.broken += _message_problems(method, params)
            if method in _VIEW_METHODS:
                self.broken += _view_problems(method, params)
            self._calls.append(Call(method, params, is_json, bool(token), prefix, status,
                                    time.time()))
            self._lock.notify_all()
            late = self._delays.get(method, 0.0)
        if late:
            time.sleep(late)
        return status, headers, body

    def _upload_url(self, params: dict[str, Any]) -> dict[str, Any]:
        """Called with the lock held."""
        if not params.get("filename") or not str(params.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F0UPL{next(self._upload_ids):05d}"
        self._pending_files[file_id] = {"filename": params["filename"],
                                        "length": int(params["length"])}
        return {"ok": True, "file_id": file_id,
                "upload_url": f"http://127.0.0.1:{self._port}/upload/v1/{file_id}"}

    def _complete_upload(self, params: dict[str, Any]) -> dict[str, Any]:
        """Called with the lock held: share the uploaded files (each one once)."""
        try:
            wanted = json.loads(params.get("files") or "[]")
        except ValueError:
            return {"ok": False, "error": "invalid_arguments"}
        if not wanted or any(f.get("id") not in self._uploads or f.get("id") not in
                             self._pending_files for f in wanted):
            return {"ok": False, "error": "file_not_found"}
        done = []
        channel = params.get("channel_id") or params.get("channels")
        for f in wanted:
            pending = self._pending_files.pop(f["id"])
            shared = UploadedFile(f["id"], pending["filename"], f.get("title"), channel,
                                params.get("initial_comment"), self._uploads[f["id"]])
            self._shared.append(shared)
            done.append({"id": shared.file_id, "name": shared.filename, "title": shared.title,
                         "size": len(shared.content), "channels": [channel] if channel else []})
        return {"ok": True, "files": done}

    def _receive_upload(self, file_id: str, data: bytes) -> tuple[int, str]:
        """The bytes of a file POSTed to its ``upload_url`` (answered as Slack does, in text)."""
        with self._lock:
            times, retry_after = self._limits.get(UPLOAD, (0, 0))
            if times > 0:
                self._limits[UPLOAD] = (times - 1, retry_after)
                status, body = 500, "upload failed"
            elif file_id not in self._pending_files:
                status, body = 404, "not found"
            elif len(data) != self._pending_files[file_id]["length"]:
                status, body = 400, "length mismatch"
            else:
                self._uploads[file_id] = data
                status, body = 200, f"OK - {len(data)}"
            self._calls.append(Call(UPLOAD, {"file_id": file_id, "length": len(data)}, False,
                                    False, None, status, time.time()))
            self._lock.notify_all()
        return status, body

    def _connections_open(self, prefix: str | None) -> dict[str, Any]:
        if prefix != "xapp":
            return {"ok": False, "error": "not_allowed_token_type"}
        if self.socket_mode is None:
            return {"ok": False, "error": "socket_mode_not_attached"}
        return {"ok": True, "url": self.socket_mode.new_url()}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length)
                path = self.path.split("?", 1)[0]
                if path.startswith("/upload/v1/"):
                    status, text = fake._receive_upload(path.rsplit("/", 1)[-1], data)
                    out = text.encode("utf-8")
                    self.send_response(status)
                    self.send_header("Content-Type", "text/plain; charset=utf-8")
                    self.send_header("Content-Length", str(len(out)))
                    self.end_headers()
                    self.wfile.write(out)
                    return
                raw = data.decode("utf-8")
                is_json = (self.headers.get("Content-Type") or "").startswith("application/json")
                params: dict[str, Any] = (
                    json.loads(raw) if is_json and raw else dict(parse_qsl(raw))
                )
                if "?" in self.path:  # a GET method (files.info) sends its parameters here
                    params = {**dict(parse_qsl(self.path.split("?", 1)[1])), **params}
                auth = self.headers.get("Authorization")
                token = auth.removeprefix("Bearer ").strip() if auth else None
                method = RESPOND if path.startswith("/respond/") else path.rsplit("/", 1)[-1]
                status, headers, body = fake._handle(method, params, is_json, token)
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if not self.path.startswith("/files-pri/"):
                    self.do_POST()
                    return
                auth = self.headers.get("Authorization")
                token = auth.removeprefix("Bearer ").strip() if auth else None
                status, kind, data = fake._download(self.path.split("?", 1)[0], token)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


# ---------------------------------------------------------------------------------------------
# Socket Mode

_WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_TEXT, _CLOSE, _PING, _PONG = 0x1, 0x8, 0x9, 0xA


@dataclass
class _Link:
    """One WebSocket connection from the bot."""

    sock: socket.socket
    number: int
    zombie: bool
    send_lock: threading.Lock = field(default_factory=threading.Lock)
    open: bool = True

    def send(self, opcode: int, payload: bytes) -> None:
        size = len(payload)
        if size < 126:
            header = struct.pack("!BB", 0x80 | opcode, size)
        elif size < 1 << 16:
            header = struct.pack("!BBH", 0x80 | opcode, 126, size)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 127, size)
        with self.send_lock:
            self.sock.sendall(header + payload)

    def send_json(self, data: dict[str, Any]) -> None:
        self.send(_TEXT, json.dumps(data).encode("utf-8"))


class FakeSocketMode(_Served):
    """A fake Socket Mode endpoint: a WebSocket server that greets each connection with
    ``hello``, delivers envelopes to the newest live connection and records the bot's answers.

    ``zombie_next(n)`` makes the next ``n`` connections complete the handshake and answer pings
    but never say hello or deliver anything: the "connected but silent" session that bolt-python
    issues 945 and 1529 describe. ``drop()`` cuts every connection without a close frame.
    """

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._links: list[_Link] = []
        self._responses: dict[str, dict[str, Any]] = {}
        self._zombies = 0
        self.urls_issued = 0
        fake = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                fake._serve(self.request)

        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        super().__init__(server, "fake-socket-mode")

    def stop(self) -> None:
        self.drop()
        super().stop()

    def new_url(self) -> str:
        with self._lock:
            self.urls_issued += 1
            n = self.urls_issued
        return f"ws://127.0.0.1:{self._port}/link/?ticket={n}"

    # --- test controls

    def zombie_next(self, count: int = 1) -> None:
        with self._lock:
            self._zombies = count

    def drop(self) -> None:
        """Cut every open connection at the TCP level (no close frame)."""
        with self._lock:
            links = [link for link in self._links if link.open]
            for link in links:
                link.open = False
        for link in links:
            with contextlib.suppress(OSError):
                link.sock.shutdown(socket.SHUT_RDWR)
            link.sock.close()

    def connections(self) -> int:
        with self._lock:
            return len(self._links)

    def wait_for_live(self, count: int = 1, timeout: float = 10.0) -> None:
        """Block until ``count`` greeted (non-zombie) connections have been made in total."""
        with self._lock:
            ok = self._lock.wait_for(
                lambda: sum(not link.zombie for link in self._links) >= count, timeout
            )
        if not ok:
            raise AssertionError(f"expected {count} live Socket Mode connections")

    def send_command(self, fields: dict[str, str]) -> str:
        """Deliver a slash command envelope on the newest live connection; its envelope id."""
        return self.send_envelope("slash_commands", dict(fields))

    def send_envelope(self, kind: str, payload: dict[str, Any]) -> str:
        with self._lock:
            live = [link for link in self._links if link.open and not link.zombie]
        if not live:
            raise AssertionError("no live Socket Mode connection to deliver to")
        envelope_id = str(uuid.uuid4())
        live[-1].send_json({"envelope_id": envelope_id, "type": kind, "payload": payload,
                            "accepts_response_payload": True, "retry_attempt": 0,
                            "retry_reason": ""})
        return envelope_id

    def wait_for_response(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        """The bot's acknowledgement of ``envelope_id`` (``{"envelope_id", "payload"?}``)."""
        with self._lock:
            if not self._lock.wait_for(lambda: envelope_id in self._responses, timeout):
                raise AssertionError(f"no acknowledgement for envelope {envelope_id}")
            return self._responses[envelope_id]

    # --- the server side

    def _serve(self, sock: socket.socket) -> None:
        key = _read_handshake(sock)
        if key is None:
            return
        accept = base64.b64encode(hashlib.sha1(key.encode() + _WS_GUID).digest()).decode()
        sock.sendall(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + f"Sec-WebSocket-Accept: {accept}\r\n\r\n".encode()
        )
        with self._lock:
            zombie = self._zombies > 0
            if zombie:
                self._zombies -= 1
            link = _Link(sock, len(self._links) + 1, zombie)
            self._links.append(link)
            live = sum(other.open and not other.zombie for other in self._links)
            self._lock.notify_all()
        if not zombie:
            link.send_json({"type": "hello", "num_connections": live,
                            "debug_info": {"host": "fake-applink", "approximate_connection_time":
                                           18060},
                            "connection_info": {"app_id": APP_ID}})
        try:
            for opcode, payload in _read_frames(sock):
                if opcode == _PING:
                    link.send(_PONG, payload)
                elif opcode == _TEXT:
                    message = json.loads(payload)
                    with self._lock:
                        self._responses[message["envelope_id"]] = message
                        self._lock.notify_all()
                elif opcode == _CLOSE:
                    link.send(_CLOSE, payload[:2])
                    break
        except OSError:
            pass
        finally:
            link.open = False
            with contextlib.suppress(OSError):
                sock.close()


def _read_handshake(sock: socket.socket) -> str | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(1024)
        if not chunk:
            return None
        data += chunk
    for line in data.decode("latin-1").split("\r\n"):
        name, _, value = line.partition(":")
        if name.strip().lower() == "sec-websocket-key":
            return value.strip()
    return None


def _read_frames(sock: socket.socket) -> Iterator[tuple[int, bytes]]:
    """Frames from a client (always masked); ends when the socket closes."""

    def exactly(n: int) -> bytes:
        buf = b""
        while len(buf) < n:
            chunk = sock.recv(n - len(buf))
            if not chunk:
                raise EOFError
            buf += chunk
        return buf

    try:
        while True:
            first, second = exactly(2)
            opcode, size = first & 0x0F, second & 0x7F
            if size == 126:
                (size,) = struct.unpack("!H", exactly(2))
            elif size == 127:
                (size,) = struct.unpack("!Q", exactly(8))
            mask = exactly(4) if second & 0x80 else b"\0\0\0\0"
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(exactly(size)))
            yield opcode, payload
    except EOFError:
        return
