"""Server subprocesses: free ports, start-up time to ``/healthz``, peak memory, clean stop."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    """An ephemeral loopback port, found by binding port 0."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _stat_fields(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (the HTTP server's worker processes)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(int(entry))
            if fields is not None:
                children.setdefault(int(fields[1]), []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def proc_status(pid: int) -> dict[str, int]:
    """Memory figures (kB) from ``/proc/<pid>/status`` of ``pid`` and its descendants, summed:
    VmHWM (the sum of each process's own peak), VmRSS, Threads; empty if unavailable."""
    out: dict[str, int] = {}
    for member in process_tree(pid):
        try:
            with open(f"/proc/{member}/status", encoding="ascii") as f:
                for line in f:
                    key, _, rest = line.partition(":")
                    if key in ("VmHWM", "VmRSS", "Threads"):
                        out[key] = out.get(key, 0) + int(rest.split()[0])
        except OSError:
            pass
    return out


def proc_cpu_s(pid: int) -> float | None:
    """User + system CPU seconds so far of ``pid`` and its descendants, from ``/proc``."""
    total, found = 0, False
    for member in process_tree(pid):
        fields = _stat_fields(member)
        if fields is not None:
            found = True
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK") if found else None


def healthz(port: int, timeout: float = 1.0) -> int | None:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", "/healthz")
        resp = conn.getresponse()
        resp.read()
        return resp.status
    except OSError:
        return None
    finally:
        conn.close()


def bot_command(host: str, port: int) -> tuple[list[str], str]:
    """How to start the bot's HTTP mode: the ``lhl`` script, else ``bot.cli``, else a direct
    call of ``serve_http`` (while ``bot/cli.py`` did not exist yet)."""
    python = sys.executable
    script = Path(python).parent / "lhl"
    if (REPO / "bot" / "cli.py").exists():
        if script.exists():
            return [str(script), "http", "--host", host, "--port", str(port)], "lhl http"
        code = (f"import sys; sys.argv = ['lhl', 'http', '--host', {host!r}, '--port', "
                f"{str(port)!r}]; from bot.cli import main; sys.exit(main())")
        return [python, "-c", code], "python -c bot.cli.main http"
    code = ("from bot.http_server import serve_http; from bot.runtime import start_runtime; "
            "from bot.settings import Settings; "
            f"serve_http(start_runtime(Settings()), {host!r}, {port})")
    return [python, "-c", code], "python -c serve_http(start_runtime(Settings()))"


def bare_command(host: str, port: int) -> list[str]:
    """The bare app; it reads ``LHL_HTTP_WORKERS`` and ``LHL_HTTP_THREADS`` as the bot does."""
    return [sys.executable, "-m", "bench.bare_app", "--host", host, "--port", str(port)]


@dataclass
class Server:
    """A server subprocess; use as a context manager so it is always stopped.

    With ``ready_marker`` set, :meth:`start` also waits, after ``/healthz``, for that text in
    the server's log and records when it appeared (``ready_s``) and the line (``ready_line``).
    """

    name: str
    argv: list[str]
    port: int
    env: dict[str, str]
    cwd: Path
    log_path: Path
    how: str = ""
    proc: subprocess.Popen[bytes] | None = None
    startup_s: float | None = None
    rss_after_start_kb: int | None = None
    peak_kb: int | None = None
    exit_code: int | None = None
    ready_marker: str | None = None
    ready_s: float | None = None
    ready_line: str | None = None
    rss_at_ready_kb: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    _log: IO[bytes] | None = None

    @property
    def pid(self) -> int:
        if self.proc is None:
            raise RuntimeError(f"{self.name} is not running")
        return self.proc.pid

    def start(self, timeout_s: float = 90.0) -> Server:
        self._log = self.log_path.open("wb")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd,
                                     stdin=subprocess.DEVNULL, stdout=self._log,
                                     stderr=subprocess.STDOUT)
        deadline = t0 + timeout_s
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode} before "
                                   f"/healthz answered:\n{self.log_tail()}")
            if healthz(self.port, timeout=0.5) == 200:
                self.startup_s = time.perf_counter() - t0
                break
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{self.name} did not answer /healthz within {timeout_s:.0f} s:"
                                   f"\n{self.log_tail()}")
            time.sleep(0.01)
        self.rss_after_start_kb = proc_status(self.pid).get("VmRSS")
        if self.ready_marker is not None:
            self._wait_for_marker(self.ready_marker, t0, deadline, timeout_s)
        return self

    def _wait_for_marker(self, marker: str, t0: float, deadline: float,
                         timeout_s: float) -> None:
        assert self.proc is not None and self._log is not None
        while True:
            self._log.flush()
            try:
                text = self.log_path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            found = next((line for line in text.splitlines() if marker in line), None)
            if found is not None:
                self.ready_s = time.perf_counter() - t0
                self.ready_line = found
                break
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode} before "
                                   f"logging {marker!r}:\n{self.log_tail()}")
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{self.name} did not log {marker!r} within "
                                   f"{timeout_s:.0f} s:\n{self.log_tail()}")
            time.sleep(0.01)
        status = proc_status(self.pid)
        self.rss_at_ready_kb = status.get("VmRSS")
        if "VmHWM" in status:
            self.peak_kb = max(self.peak_kb or 0, status["VmHWM"])

    def sample_memory(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            hwm = proc_status(self.proc.pid).get("VmHWM")
            if hwm is not None:
                self.peak_kb = max(self.peak_kb or 0, hwm)

    def stop(self) -> None:
        if self.proc is None:
            return
        self.sample_memory()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.exit_code = self.proc.returncode
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, lines: int = 30) -> str:
        if self._log is not None:
            self._log.flush()
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def server_env(base: dict[str, str], **extra: str) -> dict[str, str]:
    env = dict(base)
    path = env.get("PYTHONPATH", "")
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + path if path else "")
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env
