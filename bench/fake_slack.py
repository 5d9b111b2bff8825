"""A minimal fake Slack Web API on loopback, used when ``tests/fake_slack.py`` is not usable.

It answers every ``POST /api/<method>`` with ``{"ok": true}`` (``auth.test`` with a bot identity)
and accepts posts to ``/response/...`` (response URLs), counting the calls by path. Calls of
``chat.*`` methods are also kept with their parameters and arrival time (``time.time()``).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

AUTH_TEST = {
    "ok": True,
    "url": "https://lhl-bench.slack.com/",
    "team": "LHL bench",
    "user": "lhl",
    "team_id": "TBENCH",
    "user_id": "UBOTBENCH",
    "bot_id": "BBOTBENCH",
    "is_enterprise_install": False,
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        at = time.time()
        path = self.path.split("?", 1)[0]
        name = path.rsplit("/", 1)[-1]
        params = _params(raw, self.headers.get("Content-Type") or "") \
            if name.startswith("chat.") else {}
        with self.server.lock:
            self.server.calls[path] += 1
            if name.startswith("chat."):
                self.server.kept.append(KeptCall(name, params, at))
        payload: dict[str, Any] = dict(AUTH_TEST) if name == "auth.test" else {"ok": True}
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


def _params(raw: bytes, content_type: str) -> dict[str, Any]:
    text = raw.decode("utf-8", errors="replace")
    if content_type.startswith("application/json"):
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return dict(parse_qsl(text))


@dataclass(frozen=True)
class KeptCall:
    method: str
    params: dict[str, Any]
    at: float


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        self.kept: list[KeptCall] = []


class MiniFakeSlack:
    """``with MiniFakeSlack() as slack: slack.api_url`` — serves on an ephemeral loopback port."""

    def __init__(self) -> None:
        self._server = _Server()
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-slack",
                                        kwargs={"poll_interval": 0.1}, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        return self.base_url + "/api/"

    def response_url(self, n: int) -> str:
        return f"{self.base_url}/response/{n}"

    def calls(self) -> dict[str, int]:
        with self._server.lock:
            return dict(self._server.calls)

    def kept(self, method: str) -> list[KeptCall]:
        """The ``chat.*`` calls of ``method`` so far, with parameters and arrival time."""
        with self._server.lock:
            return [c for c in self._server.kept if c.method == method]

    def start(self) -> MiniFakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> MiniFakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
