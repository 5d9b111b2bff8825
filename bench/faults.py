"""Fault scenarios (``python -m bench faults``): what a crash, a database outage and slow
clients do to ``lhl http``, measured again after every change to the write path.

1. **kill -9.** ``lhl http`` on SQLite with N writers sending signed ``logg-møte`` commands
   (each with a unique ``notat: fault-<n>``); at a random moment the whole process tree gets
   SIGKILL, and the bot is started again, cycle after cycle. Afterwards the store must hold
   every write that was acknowledged (HTTP 200 with a «Lagret» reply): the count of those
   missing is the figure, and it must be 0.
2. **PostgreSQL outage.** The bot on a PostgreSQL database of its own, through a TCP proxy in
   this process (:mod:`bench.proxy`), so the database can be made unreachable without stopping
   the machine's shared server. During the outage: the replies users get and their latency,
   and ``/healthz``; after it: the time until ``/healthz`` is 200 and a write is stored again,
   with the same processes (no restart).
3. **Trickle.** Two, then twenty, unsigned sockets that send headers and only part of a body
   to ``/slack/events``, a byte a second, while a client measures ``status`` and ``/healthz``.
   Reported as measured; it does not decide the exit code.

The exit code is 1 when scenario 1 or 2 misses its target, else 0.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import itertools
import os
import random
import re
import shutil
import signal
import socket
import statistics
import tempfile
import time
from collections import Counter
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, select, text
from sqlmodel import col

from bench import report
from bench.load import EVENTS_PATH, HttpError, Phase, percentile, read_response, reply_text
from bench.load import signed_request as build_signed
from bench.procs import HOST, REPO, Server, bot_command, free_port, process_tree, server_env
from bench.proxy import OutageMode, TcpProxy
from bench.run import BOT_TOKEN, SIGNING_SECRET, base_env, say
from bench.store import ADMIN_USER, BENCH_EMBETE, BENCH_USER, populate
from storage.db import open_database
from storage.models import DialogueMeeting
from storage.reference import read_geography
from tests.support.fake_slack import FakeSlack

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/lhl_faults"
SLACK_DEADLINE_S = 3.0
NOTE_PREFIX = "fault-"
_REF = re.compile(r"`[0-9a-f]{6}`")
_DB_NAME = re.compile(r"[a-z_][a-z0-9_]*")

@dataclass(frozen=True)
class Config:
    cycles: int = 25
    writers: int = 20
    kill_after_s: tuple[float, float] = (0.3, 2.0)
    outage_s: float = 30.0
    outage_mode: OutageMode = "refuse"
    probe_every_s: float = 0.25
    recovery_limit_s: float = 60.0
    trickle_sockets: tuple[int, ...] = (2, 20)
    trickle_hold_s: float = 10.0
    timeout_s: float = 10.0
    seed: int = 9


@dataclass
class Outcome:
    """One request: when it was sent (monotonic), what came back and how long it took."""

    kind: str
    sent: float
    latency_s: float
    status: int | None = None
    text: str = ""
    error: str | None = None

    @property
    def done(self) -> float:
        return self.sent + self.latency_s


class Client:
    """Signed ``/lhl`` commands and ``/healthz`` over a fresh connection each, with a deadline."""

    def __init__(self, port: int, response_base: str, *, timeout_s: float,
                 first_n: int = 1) -> None:
        self.port = port
        self.timeout_s = timeout_s
        self.phase = Phase(name="faults", target="lhl bot", port=port, text="", concurrency=1,
                           duration_s=0.0, max_requests=0, warmup_s=0.0, user_id=BENCH_USER,
                           response_url_base=response_base)
        self._numbers = itertools.count(first_n)

    def next_n(self) -> int:
        return next(self._numbers)

    async def command(self, command: str, n: int | None = None, kind: str = "") -> Outcome:
        n = self.next_n() if n is None else n
        data = build_signed(dataclasses.replace(self.phase, text=command), SIGNING_SECRET, n)
        out = await self._exchange(kind or command.split(" ", 1)[0], data)
        out.text = reply_text(out.text)
        return out

    async def healthz(self) -> Outcome:
        data = (f"GET /healthz HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
                "Connection: close\r\n\r\n").encode("ascii")
        return await self._exchange("healthz", data)

    async def _exchange(self, kind: str, data: bytes) -> Outcome:
        t0 = time.perf_counter()
        out = Outcome(kind=kind, sent=t0, latency_s=0.0)
        writer: asyncio.StreamWriter | None = None
        try:
            async with asyncio.timeout(self.timeout_s):
                reader, writer = await asyncio.open_connection(HOST, self.port)
                writer.write(data)
                status, body, _ = await read_response(reader)
            out.status, out.text = status, body.decode("utf-8", "replace")
        except (OSError, TimeoutError, asyncio.IncompleteReadError, HttpError,
                ValueError) as exc:
            out.error = type(exc).__name__
        finally:
            out.latency_s = time.perf_counter() - t0
            if writer is not None:
                writer.close()
        return out


def _ms(values: list[float]) -> dict[str, float | None]:
    ms = sorted(v * 1000 for v in values)
    if not ms:
        return {"p50_ms": None, "max_ms": None}
    return {"p50_ms": round(percentile(ms, 50), 1), "max_ms": round(ms[-1], 1)}


def _normalised(reply: str) -> str:
    return _REF.sub("`<ref>`", reply.strip())[:300]


def _is_sentence(out: Outcome) -> bool:
    """A reply a user can read: HTTP 200, some text, no traceback, within Slack's 3 s."""
    return (out.status == 200 and bool(out.text.strip()) and "Traceback" not in out.text
            and out.latency_s < SLACK_DEADLINE_S)


def _summary(outs: list[Outcome]) -> dict[str, Any]:
    return {
        "requests": len(outs),
        "statuses": dict(Counter(str(o.status or o.error) for o in outs)),
        **_ms([o.latency_s for o in outs]),
    }


def _kill_tree(pid: int) -> list[int]:
    """SIGKILL ``pid`` and its descendants, all at once, and wait until none of them runs."""
    tree = process_tree(pid)
    for member in tree:
        with suppress(ProcessLookupError):
            os.kill(member, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in tree if p != pid):
        time.sleep(0.01)
    return tree


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _bot_env(url: str, slack: FakeSlack, tmp: Path) -> dict[str, str]:
    return server_env(base_env(), LHL_DATABASE_URL=url, SLACK_BOT_TOKEN=BOT_TOKEN,
                      SLACK_SIGNING_SECRET=SIGNING_SECRET, LHL_SLACK_API_URL=slack.url,
                      LHL_ADMINS=ADMIN_USER, LHL_DATA_DIR=str(tmp / "data"))


def _bot(name: str, port: int, env: dict[str, str], tmp: Path, log: str) -> Server:
    argv, how = bot_command(HOST, port)
    return Server(name=name, argv=argv, port=port, env=env, cwd=tmp, log_path=tmp / log, how=how)


def _kommuner(url: str) -> list[str]:
    db = open_database(url)
    try:
        with db.read() as session:
            return [k.basenavn for k in read_geography(session).kommuner_i(BENCH_EMBETE)]
    finally:
        db.dispose()


def _write_text(kommuner: list[str], n: int, today: date) -> str:
    """A held meeting in the past year, told apart from every other by its note."""
    day = today - timedelta(days=1 + n % 360)
    return f"logg-møte {kommuner[n % len(kommuner)]} {day:%d.%m.%Y} notat: {NOTE_PREFIX}{n}"


def _stored_notes(url: str) -> Counter[int]:
    db = open_database(url)
    try:
        with db.read() as session:
            notat = col(DialogueMeeting.notat)
            notes = session.execute(
                select(notat).where(notat.like(f"{NOTE_PREFIX}%"))).scalars()
            return Counter(int(n[len(NOTE_PREFIX):]) for n in notes
                           if n[len(NOTE_PREFIX):].isdigit())
    finally:
        db.dispose()


def _integrity(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("PRAGMA integrity_check")).scalar())
    finally:
        engine.dispose()


# --- 1. kill -9 ----------------------------------------------------------------------------

async def kill_cycles(cfg: Config, tmp: Path, slack: FakeSlack) -> dict[str, Any]:
    url = f"sqlite:///{tmp / 'kill.db'}"
    populate(url, meetings=0)
    kommuner = _kommuner(url)
    today = date.today()
    port = free_port()
    env = _bot_env(url, slack, tmp)
    client = Client(port, slack.response_url, timeout_s=cfg.timeout_s)
    rng = random.Random(cfg.seed)
    acked: set[int] = set()
    sent: set[int] = set()
    refused: Counter[str] = Counter()
    transport: Counter[str] = Counter()
    stop = asyncio.Event()

    async def writer() -> None:
        while not stop.is_set():
            n = client.next_n()
            sent.add(n)
            out = await client.command(_write_text(kommuner, n, today), n, kind="logg-møte")
            if out.status == 200 and out.text.startswith("Lagret"):
                acked.add(n)
            elif out.status is None:
                transport[out.error or "?"] += 1
                await asyncio.sleep(0.05)
            else:
                refused[f"{out.status}: {_normalised(out.text)[:120]}"] += 1

    cycles: list[dict[str, Any]] = []
    tasks = [asyncio.create_task(writer()) for _ in range(cfg.writers)]
    try:
        for cycle in range(cfg.cycles):
            bot = _bot(f"lhl bot [kill {cycle}]", port, env, tmp, f"kill-{cycle:02d}.log")
            await asyncio.to_thread(bot.start)
            before = len(acked)
            alive_for = rng.uniform(*cfg.kill_after_s)
            await asyncio.sleep(alive_for)
            tree = await asyncio.to_thread(_kill_tree, bot.pid)
            await asyncio.to_thread(bot.stop)
            cycles.append({"cycle": cycle, "startup_s": round(bot.startup_s or 0, 3),
                           "killed_after_s": round(alive_for, 3), "processes": len(tree),
                           "acked": len(acked) - before, "exit_code": bot.exit_code})
            say(f"  cycle {cycle + 1:2}/{cfg.cycles}: up {bot.startup_s or 0:.2f} s, killed "
                f"{len(tree)} processes after {alive_for:.2f} s, {len(acked) - before} acked")
    finally:
        stop.set()
        await asyncio.gather(*tasks)
    # The bot opens the store the last kill left behind, and takes one more write.
    last = _bot("lhl bot [after kills]", port, env, tmp, "kill-after.log")
    await asyncio.to_thread(last.start)
    n = client.next_n()
    after = await client.command(_write_text(kommuner, n, today), n, kind="logg-møte")
    if after.status == 200 and after.text.startswith("Lagret"):
        acked.add(n)
    await asyncio.to_thread(last.stop)
    stored = _stored_notes(url)
    missing = sorted(acked - set(stored))
    return {
        "store": "sqlite",
        "cycles": cfg.cycles,
        "writers": cfg.writers,
        "sent": len(sent),
        "acked": len(acked),
        "stored": sum(stored.values()),
        "acked_missing": len(missing),
        "missing_sample": missing[:20],
        "stored_not_acked": len(set(stored) - acked),
        "stored_twice": sum(1 for c in stored.values() if c > 1),
        "refused_replies": dict(refused.most_common(5)),
        "transport_errors": dict(transport),
        "integrity_check": _integrity(url),
        "write_after_restart": _normalised(after.text).splitlines()[0] if after.status == 200
        else f"{after.status or after.error}",
        "startup_s_median": round(statistics.median(c["startup_s"] for c in cycles), 3)
        if cycles else None,
        "per_cycle": cycles,
    }


# --- 2. PostgreSQL outage ------------------------------------------------------------------

def pg_answers(url: str) -> bool:
    u = make_url(url)
    try:
        socket.create_connection((u.host or HOST, u.port or 5432), timeout=2).close()
        return True
    except OSError:
        return False


def ensure_database(url: str) -> None:
    """Create the bench's own database on the shared server if it is not there yet."""
    u = make_url(url)
    name = u.database or ""
    if not _DB_NAME.fullmatch(name):
        raise SystemExit(f"--pg-url: a plain database name is needed, not {name!r}")
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                 {"n": name}).first()
            if found is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
                say(f"  created database {name}")
    finally:
        admin.dispose()


async def pg_outage(cfg: Config, tmp: Path, slack: FakeSlack, pg_url: str) -> dict[str, Any]:
    ensure_database(pg_url)
    populate(pg_url, meetings=0)
    kommuner = _kommuner(pg_url)
    today = date.today()
    real = make_url(pg_url)
    proxy = await TcpProxy(HOST, free_port(), real.host or HOST, real.port or 5432).start()
    via_proxy = real.set(host=HOST, port=proxy.listen[1]).render_as_string(hide_password=False)
    port = free_port()
    bot = _bot("lhl bot [pg outage]", port, _bot_env(via_proxy, slack, tmp), tmp, "outage.log")
    # Numbers above those of earlier runs on the same database, so that notes stay unique.
    client = Client(port, slack.response_url, timeout_s=cfg.timeout_s,
                    first_n=int(time.time() * 1000))
    outs: list[Outcome] = []
    pending: set[asyncio.Task[None]] = set()

    def probe(*kinds: str) -> None:
        for kind in kinds:
            task = asyncio.create_task(_probe(kind))
            pending.add(task)
            task.add_done_callback(pending.discard)

    async def _probe(kind: str) -> None:
        if kind == "healthz":
            outs.append(await client.healthz())
        elif kind == "status":
            outs.append(await client.command("status"))
        else:
            n = client.next_n()
            outs.append(await client.command(_write_text(kommuner, n, today), n, "logg-møte"))

    try:
        await asyncio.to_thread(bot.start)
        tree_before = sorted(process_tree(bot.pid))
        n = client.next_n()
        warm = [await client.command("status"),
                await client.command(_write_text(kommuner, n, today), n, "logg-møte")]
        say(f"  cutting the database off for {cfg.outage_s:.0f} s ({cfg.outage_mode}) …")
        t_cut = time.perf_counter()
        await proxy.cut(cfg.outage_mode)
        while time.perf_counter() - t_cut < cfg.outage_s:
            probe("logg-møte", "status", "healthz")
            await asyncio.sleep(cfg.probe_every_s)
        t_restore = time.perf_counter()
        await proxy.restore()
        say("  database reachable again; waiting for the bot to recover …")
        healthy_at = stored_at = None
        while time.perf_counter() - t_restore < cfg.recovery_limit_s:
            probe("logg-møte", "healthz")
            await asyncio.sleep(0.1)
            done = [o for o in outs if o.sent >= t_restore]
            healthy_at = min((o.done for o in done if o.kind == "healthz" and o.status == 200),
                             default=None)
            stored_at = min((o.done for o in done if o.kind == "logg-møte"
                             and o.status == 200 and o.text.startswith("Lagret")), default=None)
            if healthy_at is not None and stored_at is not None:
                break
        await asyncio.gather(*pending)
        alive = bot.proc is not None and bot.proc.poll() is None
        tree_after = sorted(process_tree(bot.pid)) if alive else []
    finally:
        await asyncio.to_thread(bot.stop)
        await proxy.close()

    during = [o for o in outs if t_cut <= o.sent < t_restore]
    commands = [o for o in during if o.kind != "healthz"]
    health = [o for o in during if o.kind == "healthz"]
    sentences = [o for o in commands if _is_sentence(o)]
    return {
        "store": "postgresql via TCP proxy",
        "database": real.render_as_string(hide_password=True),
        "mode": cfg.outage_mode,
        "outage_s": round(t_restore - t_cut, 1),
        "before": [{"kind": o.kind, "status": o.status, "reply": _normalised(o.text)[:120],
                    "ms": round(o.latency_s * 1000, 1)} for o in warm],
        "commands": _summary(commands),
        "commands_by_kind": {k: _summary([o for o in commands if o.kind == k])
                             for k in ("logg-møte", "status")},
        "sentences": len(sentences),
        "not_sentences": len(commands) - len(sentences),
        "replies": dict(Counter(_normalised(o.text) or f"({o.status or o.error})"
                                for o in commands).most_common(5)),
        "healthz": _summary(health),
        "recovered_healthz_s": None if healthy_at is None else round(healthy_at - t_restore, 3),
        "recovered_write_s": None if stored_at is None else round(stored_at - t_restore, 3),
        "restarted": not alive or tree_after != tree_before,
        "processes": len(tree_before),
    }


# --- 3. trickle ----------------------------------------------------------------------------

async def _trickler(port: int, stop: asyncio.Event, opened: list[int]) -> None:
    """Headers promising 4 096 bytes, then part of a body, a byte a second, until ``stop``."""
    body = b"token=x&team_id=T&command=%2Flhl&text=status"
    head = (f"POST {EVENTS_PATH} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 4096\r\n"
            "\r\n").encode("ascii")
    writer: asyncio.StreamWriter | None = None
    try:
        _, writer = await asyncio.open_connection(HOST, port)
        writer.write(head + body[:16])
        await writer.drain()
        opened.append(1)
        for byte in itertools.cycle(body[16:]):
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)
            if stop.is_set():
                return
            writer.write(bytes([byte]))
            await writer.drain()
    except OSError:
        return
    finally:
        if writer is not None:
            writer.close()


async def trickle(cfg: Config, tmp: Path, slack: FakeSlack) -> dict[str, Any]:
    url = f"sqlite:///{tmp / 'trickle.db'}"
    populate(url, meetings=0)
    port = free_port()
    bot = _bot("lhl bot [trickle]", port, _bot_env(url, slack, tmp), tmp, "trickle.log")
    client = Client(port, slack.response_url, timeout_s=cfg.trickle_hold_s + 10)
    runs: list[dict[str, Any]] = []
    try:
        await asyncio.to_thread(bot.start)
        for count in cfg.trickle_sockets:
            await client.command("status")  # a warm cache, as in normal use
            stop = asyncio.Event()
            opened: list[int] = []
            socks = [asyncio.create_task(_trickler(port, stop, opened)) for _ in range(count)]
            await asyncio.sleep(0.5)
            t0 = time.perf_counter()
            probes: list[asyncio.Task[Outcome]] = []
            while time.perf_counter() - t0 < cfg.trickle_hold_s:
                probes += [asyncio.create_task(client.command("status")),
                           asyncio.create_task(client.healthz())]
                await asyncio.sleep(0.5)
            stop.set()
            await asyncio.gather(*socks)
            outs = await asyncio.gather(*probes)
            status = [o for o in outs if o.kind == "status"]
            health = [o for o in outs if o.kind == "healthz"]
            runs.append({
                "sockets": count, "opened": len(opened), "hold_s": cfg.trickle_hold_s,
                "status": _summary(status),
                "status_within_3s": sum(1 for o in status if _is_sentence(o)),
                "healthz": _summary(health),
                "healthz_200": sum(1 for o in health if o.status == 200),
                "healthz_200_within_3s": sum(1 for o in health if o.status == 200
                                             and o.latency_s < SLACK_DEADLINE_S),
            })
            say(f"  {count} trickling sockets: status within 3 s "
                f"{runs[-1]['status_within_3s']}/{len(status)}, max "
                f"{runs[-1]['status']['max_ms']} ms; /healthz 200 "
                f"{runs[-1]['healthz_200']}/{len(health)}")
            recovered = await client.healthz()
            if recovered.status != 200:
                say(f"  /healthz after the sockets closed: {recovered.status or recovered.error}")
    finally:
        await asyncio.to_thread(bot.stop)
    return {"runs": runs}


# --- report --------------------------------------------------------------------------------

def targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    kill = result.get("kill")
    if kill:
        out.append({"target": "kill -9: acknowledged writes missing = 0",
                    "value": kill["acked_missing"], "ok": kill["acked_missing"] == 0
                    and kill["acked"] > 0 and kill["integrity_check"] == "ok"})
    outage = result.get("outage")
    if outage and "error" not in outage:
        out.append({"target": "outage: every reply a sentence within 3 s",
                    "value": f"{outage['sentences']} of {outage['commands']['requests']}",
                    "ok": outage["not_sentences"] == 0 and outage["sentences"] > 0})
        out.append({"target": "outage: /healthz 503 while the database is away",
                    "value": outage["healthz"]["statuses"],
                    "ok": set(outage["healthz"]["statuses"]) == {"503"}})
        out.append({"target": "outage: recovered without a restart",
                    "value": f"healthz {outage['recovered_healthz_s']} s, write "
                             f"{outage['recovered_write_s']} s",
                    "ok": not outage["restarted"] and outage["recovered_write_s"] is not None
                    and outage["recovered_healthz_s"] is not None})
    elif outage:
        out.append({"target": "outage", "value": outage["error"], "ok": False})
    return out


def render(result: dict[str, Any]) -> str:
    lines = [f"lhl fault scenarios, {result['timestamp']}"]
    kill = result.get("kill")
    if kill:
        lines += [
            "",
            f"kill -9 (SQLite): {kill['cycles']} cycles, {kill['writers']} writers",
            f"  sent {kill['sent']}, acknowledged {kill['acked']}, stored {kill['stored']}",
            f"  acknowledged but missing: {kill['acked_missing']}; stored but not acknowledged "
            f"(killed before the ack): {kill['stored_not_acked']}; stored twice: "
            f"{kill['stored_twice']}",
            f"  integrity_check: {kill['integrity_check']}; start-up median "
            f"{kill['startup_s_median']} s; write after the last restart: "
            f"{kill['write_after_restart']}",
            f"  transport errors while down: {kill['transport_errors']}",
        ]
        if kill["refused_replies"]:
            lines.append(f"  other replies: {kill['refused_replies']}")
    outage = result.get("outage")
    if outage and "error" not in outage:
        c, h = outage["commands"], outage["healthz"]
        lines += [
            "",
            f"PostgreSQL outage: {outage['outage_s']} s ({outage['mode']}), "
            f"{outage['database']}",
            f"  commands during it: {c['requests']}, {outage['sentences']} sentences within "
            f"3 s, p50 {c['p50_ms']} ms, max {c['max_ms']} ms, statuses {c['statuses']}",
            *(f"    {k}: p50 {v['p50_ms']} ms, max {v['max_ms']} ms"
              for k, v in outage["commands_by_kind"].items()),
            *(f"  reply ×{n}: {t.splitlines()[0]}" for t, n in outage["replies"].items()),
            f"  /healthz during it: {h['statuses']}, p50 {h['p50_ms']} ms, max {h['max_ms']} ms",
            f"  after it: /healthz 200 in {outage['recovered_healthz_s']} s, a write stored in "
            f"{outage['recovered_write_s']} s; restarted: {outage['restarted']}",
        ]
    elif outage:
        lines += ["", f"PostgreSQL outage: {outage['error']}"]
    runs = (result.get("trickle") or {}).get("runs", [])
    if runs:
        lines += ["", "trickle (unsigned sockets with a partial body, a byte a second)"]
        for r in runs:
            s, h = r["status"], r["healthz"]
            lines.append(
                f"  {r['sockets']:>2} sockets, {r['hold_s']:.0f} s: status within 3 s "
                f"{r['status_within_3s']}/{s['requests']} (p50 {s['p50_ms']} ms, max "
                f"{s['max_ms']} ms); /healthz 200 {r['healthz_200']}/{h['requests']}, within 3 s "
                f"{r['healthz_200_within_3s']} (max {h['max_ms']} ms)")
        lines.append("  (reported as measured; not a target of this scenario)")
    lines += ["", "targets:"]
    lines += [f"  [{'ok' if t['ok'] else 'MISSED'}] {t['target']}: {t['value']}"
              for t in result["targets"]]
    return "\n".join(lines)


# --- command line --------------------------------------------------------------------------

SCENARIOS = ("kill", "outage", "trickle")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench faults", description=__doc__.split(
        "\n\n")[0] if __doc__ else None)
    p.add_argument("--only", default=",".join(SCENARIOS),
                   help="comma-separated scenarios to run (default kill,outage,trickle)")
    p.add_argument("--quick", action="store_true",
                   help="5 cycles, a 5 s outage and 3 s of trickle (a smoke run)")
    p.add_argument("--cycles", type=int, help="kill -9 cycles (default 25)")
    p.add_argument("--writers", type=int, help="concurrent writers (default 20)")
    p.add_argument("--outage", type=float, help="seconds without the database (default 30)")
    p.add_argument("--outage-mode", choices=("refuse", "hang"), default="refuse",
                   help="refuse new connections (default) or accept them and never answer")
    p.add_argument("--trickle-hold", type=float, help="seconds the sockets trickle (default 10)")
    p.add_argument("--pg-url", default=DEFAULT_PG_URL,
                   help=f"the bench's own PostgreSQL database, created if missing "
                        f"(default {DEFAULT_PG_URL})")
    p.add_argument("--seed", type=int, default=Config.seed)
    p.add_argument("--out", type=Path, default=REPO / "bench" / "results-faults.json")
    p.add_argument("--keep", action="store_true", help="keep the temp dir (stores and logs)")
    return p.parse_args(argv)


def make_config(args: argparse.Namespace) -> Config:
    quick = args.quick
    return Config(
        cycles=max(1, min(args.cycles or (5 if quick else 25), 500)),
        writers=max(1, min(args.writers or (5 if quick else 20), 200)),
        outage_s=max(1.0, min(args.outage or (5.0 if quick else 30.0), 600.0)),
        outage_mode=args.outage_mode,
        trickle_hold_s=max(1.0, min(args.trickle_hold or (3.0 if quick else 10.0), 120.0)),
        seed=args.seed,
    )


@dataclass
class _Run:
    cfg: Config
    only: set[str]
    pg_url: str
    tmp: Path
    result: dict[str, Any] = field(default_factory=dict)


async def _run(run: _Run) -> None:
    with ExitStack() as stack:
        slack = stack.enter_context(FakeSlack())
        if "kill" in run.only:
            say(f"kill -9: {run.cfg.cycles} cycles, {run.cfg.writers} writers, SQLite …")
            run.result["kill"] = await kill_cycles(run.cfg, run.tmp, slack)
        if "outage" in run.only:
            if pg_answers(run.pg_url):
                say(f"PostgreSQL outage on {make_url(run.pg_url).database} …")
                run.result["outage"] = await pg_outage(run.cfg, run.tmp, slack, run.pg_url)
            else:
                say("PostgreSQL does not answer: the outage scenario is skipped")
                run.result["outage_skipped"] = "PostgreSQL does not answer"
        if "trickle" in run.only:
            say(f"trickle: {', '.join(map(str, run.cfg.trickle_sockets))} sockets …")
            run.result["trickle"] = await trickle(run.cfg, run.tmp, slack)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    if not only <= set(SCENARIOS):
        raise SystemExit(f"--only: choose from {', '.join(SCENARIOS)}")
    cfg = make_config(args)
    started = time.perf_counter()
    run = _Run(cfg, only, args.pg_url, Path(tempfile.mkdtemp(prefix="lhl-faults-")))
    try:
        asyncio.run(_run(run))
    finally:
        if args.keep:
            say(f"kept {run.tmp}")
        else:
            shutil.rmtree(run.tmp, ignore_errors=True)
    result = {"timestamp": report.now_iso(), "machine": report.machine_info(),
              "config": dataclasses.asdict(cfg), **run.result}
    result["targets"] = targets(result)
    result["wall_s"] = round(time.perf_counter() - started, 1)
    report.write_json(result, args.out)
    print(render(result))
    print(f"\nresults written to {args.out} ({result['wall_s']:.0f} s in all)")
    return 0 if all(t["ok"] for t in result["targets"]) else 1
