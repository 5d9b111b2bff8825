"""The load client: closed-loop, keep-alive HTTP/1.1 over asyncio streams, signed like Slack.

Run in its own process by ``bench.run``: ``python -m bench.load < spec.json > results.json``.
The spec is ``{"secret": ..., "timeout_s": ..., "phases": [Phase, ...]}``; each phase sends one
``/lhl`` text (or an interactivity payload: a ``block_suggestion``) from ``concurrency``
connections, back to back, for a warm-up and then until
``duration_s`` has passed or ``max_requests`` have been sent, whichever is first.

Request bytes are built before the clock starts (one per request the phase can send, each with
its own ``trigger_id`` as Slack gives every invocation, signed with the phase's timestamp), so
the client does little per request: write, read the status line and headers, read the body by
``Content-Length`` (or chunks). A ``trigger_id`` sent twice is a duplicate delivery, which the
bot answers without doing the write again; such a reply counts as an application error.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from bench.procs import proc_cpu_s
from tests.support.slack_requests import interactive_body, sign_request, slash_command_fields

EVENTS_PATH = "/slack/events"
VARIANTS = 64
MAX_RATE = 5_000
"""Requests per second no server here reaches: room enough for the warm-up's requests."""
# A reply that says the command crashed (commands/texts.py INTERNAL_ERROR).
APP_ERROR_MARKERS = ("noe gikk galt", "Noe gikk galt", "er allerede utført")


@dataclass
class Phase:
    name: str
    target: str
    port: int
    text: str
    concurrency: int
    duration_s: float
    max_requests: int
    warmup_s: float
    user_id: str = "U_BENCH"
    channel_id: str = "CBENCH01"
    team_id: str = "TBENCH"
    response_url_base: str = "http://127.0.0.1:9/response"
    server_pid: int | None = None
    texts: list[str] | None = None
    """Several texts to cycle through instead of ``text`` (one per pre-built request)."""
    payloads: list[dict[str, Any]] | None = None
    """Interactivity payloads (``block_suggestion`` …) to send instead of a slash command,
    form-encoded as ``payload=<json>`` as Slack sends them, cycled like ``texts``."""


@dataclass
class PhaseResult:
    name: str
    target: str
    text: str
    concurrency: int
    requests: int = 0
    ok: int = 0
    non_200: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    app_errors: int = 0
    p50_ms: float | None = None
    p90_ms: float | None = None
    p99_ms: float | None = None
    max_ms: float | None = None
    mean_ms: float | None = None
    throughput_rps: float = 0.0
    elapsed_s: float = 0.0
    warmup_requests: int = 0
    server_cpu_s: float | None = None
    server_cpu_ms_per_req: float | None = None
    client_cpu_s: float = 0.0
    sample_body: str = ""


_PROCESS_RUN = uuid.uuid4().hex[:8]


def slash_body(phase: Phase, n: int, run: str = "") -> bytes:
    """A form-encoded slash-command payload as Slack sends it (the tests' own,
    :func:`tests.support.slack_requests.slash_command_fields`); ``run`` keeps the
    ``trigger_id``s of one phase apart from every other phase's."""
    fields = slash_command_fields(
        phase.texts[n % len(phase.texts)] if phase.texts else phase.text,
        user_id=phase.user_id, channel_id=phase.channel_id, team_id=phase.team_id,
        response_url=f"{phase.response_url_base}/{n}",
        trigger_id=f"{1000000 + n}.{424242}.{run}{hashlib.md5(str(n).encode()).hexdigest()}")
    return urlencode(fields).encode()


def signed_request(phase: Phase, secret: str, n: int, ts: str | None = None, *,
                   run: str = _PROCESS_RUN) -> bytes:
    """The whole HTTP request for variant ``n`` of ``phase``'s command, signed as Slack signs
    it, with ``ts`` (default now) as ``X-Slack-Request-Timestamp``; ``run`` is part of its
    ``trigger_id`` (default: one per process, so no two bench runs share one)."""
    body = (interactive_body(phase.payloads[n % len(phase.payloads)]).encode()
            if phase.payloads else slash_body(phase, n, run))
    signature = "".join(f"{name}: {value}\r\n"
                        for name, value in sign_request(body, secret, ts).items())
    head = (
        f"POST {EVENTS_PATH} HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{phase.port}\r\n"
        "User-Agent: Slackbot 1.0 (+https://api.slack.com/robots)\r\n"
        "Accept: application/json,*/*\r\n"
        "Accept-Encoding: identity\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"{signature}"
        "\r\n"
    )
    return head.encode("ascii") + body


def build_requests(phase: Phase, secret: str, count: int = VARIANTS) -> list[bytes]:
    ts = str(int(time.time()))
    run = uuid.uuid4().hex[:8]
    return [signed_request(phase, secret, n, ts, run=run)
            for n in range(max(count, len(phase.texts or ()), len(phase.payloads or ())))]


class HttpError(Exception):
    pass


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Read one response: (status, body, server wants the connection closed)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise HttpError(f"bad status line {lines[0]!r}")
    status = int(parts[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    close = headers.get("connection", "").lower() == "close" or parts[0] == "HTTP/1.0"
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif "chunked" in headers.get("transfer-encoding", "").lower():
        chunks: list[bytes] = []
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                await reader.readuntil(b"\r\n")  # no trailers are expected
                break
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        body = b"".join(chunks)
    else:
        body = await reader.read()
        close = True
    return status, body, close


def reply_text(body: str) -> str:
    """The ``text`` of a JSON reply (Bolt's ack), else the body as it is."""
    try:
        data = json.loads(body)
    except ValueError:
        return body
    return str(data.get("text", body)) if isinstance(data, dict) else body


def _cpu_of(pid: int | None) -> float | None:
    """CPU seconds of the server: its main process and its workers."""
    return None if pid is None else proc_cpu_s(pid)


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        raise ValueError("no values")
    rank = max(1, min(len(sorted_values), int(-(-q * len(sorted_values) // 100))))
    return sorted_values[rank - 1]


async def run_phase(phase: Phase, secret: str, timeout_s: float) -> PhaseResult:
    warmup_room = int(phase.warmup_s * MAX_RATE)
    requests = build_requests(phase, secret, count=phase.max_requests + warmup_room)
    result = PhaseResult(phase.name, phase.target, phase.text, phase.concurrency)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    loop = asyncio.get_running_loop()
    t_start = loop.time()
    measure_from = t_start + phase.warmup_s
    measure_until = measure_from + phase.duration_s
    issued = 0
    last_done = measure_from
    warm = 0
    cpu_at_start: float | None = None
    client_cpu_start = 0.0
    started_measuring = False

    def note_error(msg: str) -> None:
        result.errors += 1
        if len(result.error_samples) < 5:
            result.error_samples.append(msg)

    async def worker(index: int) -> None:
        nonlocal issued, last_done, warm, cpu_at_start, client_cpu_start, started_measuring
        reader: asyncio.StreamReader | None = None
        writer: asyncio.StreamWriter | None = None
        k = index
        try:
            while True:
                now = loop.time()
                measuring = now >= measure_from
                if measuring:
                    if not started_measuring:
                        started_measuring = True
                        cpu_at_start = _cpu_of(phase.server_pid)
                        client_cpu_start = time.process_time()
                    if now >= measure_until or issued >= phase.max_requests:
                        return
                    issued += 1
                if writer is None or reader is None:
                    try:
                        reader, writer = await asyncio.wait_for(
                            asyncio.open_connection("127.0.0.1", phase.port), timeout_s)
                    except (OSError, TimeoutError) as exc:
                        if measuring:
                            note_error(f"connect: {exc!r}")
                        await asyncio.sleep(0.05)
                        continue
                assert reader is not None and writer is not None
                req = requests[k % len(requests)]
                k += phase.concurrency
                t0 = time.perf_counter()
                try:
                    writer.write(req)
                    status, body, close = await asyncio.wait_for(read_response(reader),
                                                                 timeout_s)
                except (OSError, TimeoutError, asyncio.IncompleteReadError, HttpError,
                        ValueError) as exc:
                    if measuring:
                        note_error(f"{type(exc).__name__}: {exc}")
                    writer.close()
                    reader = writer = None
                    continue
                t1 = time.perf_counter()
                if close:
                    writer.close()
                    reader = writer = None
                if not measuring:
                    warm += 1
                    continue
                latencies.append(t1 - t0)
                last_done = loop.time()
                statuses[status] += 1
                text = body.decode("utf-8", "replace")
                if not result.sample_body and status == 200:
                    result.sample_body = reply_text(text)[:400]
                if status != 200 and len(result.error_samples) < 5:
                    result.error_samples.append(f"HTTP {status}: {text[:200]}")
                if any(m in text for m in APP_ERROR_MARKERS):
                    result.app_errors += 1
        finally:
            if writer is not None:
                writer.close()

    await asyncio.gather(*(worker(i) for i in range(phase.concurrency)))
    cpu_at_end = _cpu_of(phase.server_pid)
    result.client_cpu_s = time.process_time() - client_cpu_start
    result.requests = len(latencies)
    result.warmup_requests = warm
    result.ok = statuses.get(200, 0)
    result.non_200 = {str(s): c for s, c in sorted(statuses.items()) if s != 200}
    result.elapsed_s = max(last_done - measure_from, 1e-9)
    if latencies:
        ms = sorted(x * 1000 for x in latencies)
        result.p50_ms = percentile(ms, 50)
        result.p90_ms = percentile(ms, 90)
        result.p99_ms = percentile(ms, 99)
        result.max_ms = ms[-1]
        result.mean_ms = sum(ms) / len(ms)
        result.throughput_rps = len(ms) / result.elapsed_s
    if cpu_at_start is not None and cpu_at_end is not None:
        result.server_cpu_s = cpu_at_end - cpu_at_start
        if result.requests:
            result.server_cpu_ms_per_req = result.server_cpu_s * 1000 / result.requests
    return result


async def run_all(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for raw in spec["phases"]:
        phase = Phase(**raw)
        res = await run_phase(phase, spec["secret"], float(spec.get("timeout_s", 10.0)))
        out.append(res.__dict__)
        print(f"  {phase.name:<14} c={phase.concurrency:<3} n={res.requests:<5} "
              f"p50={res.p50_ms or 0:7.1f} ms  p99={res.p99_ms or 0:7.1f} ms  "
              f"{res.throughput_rps:7.1f} req/s  errors={res.errors + sum(res.non_200.values())}",
              file=sys.stderr, flush=True)
    return out


def main() -> int:
    spec = json.load(sys.stdin)
    results = asyncio.run(run_all(spec))
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
