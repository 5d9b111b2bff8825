"""The whole benchmark in one run: store, servers, load, reminders, report (``python -m bench``)."""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench import reminders as rem
from bench import report, report_build
from bench.procs import HOST, REPO, Server, bare_command, bot_command, free_port, server_env
from bench.slack import SOURCE, call_counts
from bench.store import ADMIN_USER, BENCH_EMBETE, BENCH_USER, SEED, StoreInfo, populate
from commands.forms import KOMMUNE_ACTION
from storage.db import open_database
from storage.reference import read_geography
from tests.support.fake_slack import FakeSlack
from tests.support.slack_requests import block_suggestion_payload

SIGNING_SECRET = "bench-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-bench"
LEVELS = (1, 20, 50)
BOT_COMMANDS: tuple[tuple[str, str], ...] = (
    ("status", "status"),
    ("status landet", "status landet"),
    ("logg-møte", "logg-møte Kristiansand i går"),
)
# The same write spread over Agder's kommuner and the past two years, so that it is not also
# a "possible double" of every meeting the run logged before it.
VARIED_WRITE = "logg-møte (varied)"
VARIED_COUNT = 512
# The forms' hot paths, at 1 and 20 concurrent: the kommune type-ahead (a signed
# ``block_suggestion`` for a two-letter prefix) and a bare command, which opens its form with
# ``views.open`` on the fake Slack before the acknowledgement.
TYPE_AHEAD = "type-ahead (Bø, Kr, Os)"
TYPE_AHEAD_PREFIXES = ("Bø", "Kr", "Os")
VIEWS_OPEN = "views.open (logg-møte)"
VIEWS_OPEN_TEXT = "logg-møte"
FORM_LEVELS = (1, 20)


@dataclass(frozen=True)
class Plan:
    records: int
    levels: tuple[int, ...]
    warmup_s: float
    duration_s: float
    max_requests: int
    timeout_s: float
    reminders: int = rem.REMINDERS
    due_soon: int = rem.DUE_SOON
    reminder_sync_s: float = rem.SYNC_SECONDS
    reminder_starts: int = 3


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Build a national-scale store, start the bot's HTTP mode and a bare Bolt "
                    "app, load both and report latency, throughput, start-up and memory.")
    parser.add_argument("--quick", action="store_true",
                        help="smaller store and shorter runs (a smoke run, ~30 s)")
    parser.add_argument("--records", type=int, default=None,
                        help="dialogue meetings to create (default 100000, 10000 with --quick)")
    parser.add_argument("--database-url", default=None,
                        help="also benchmark this PostgreSQL store (it is migrated and filled)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.json",
                        help="where to write the JSON results (default bench/results.json)")
    parser.add_argument("--levels", default=None,
                        help="comma-separated concurrency levels (default 1,20,50)")
    parser.add_argument("--duration", type=float, default=None,
                        help="measured seconds per command and level (default 3, 1 with --quick)")
    parser.add_argument("--max-requests", type=int, default=None,
                        help="cap on measured requests per command and level (default 3000)")
    parser.add_argument("--reminders", type=int, default=rem.REMINDERS,
                        help="active reminders for the reminder phase (default 10000; 0 skips "
                             "the phase)")
    parser.add_argument("--due-soon", type=int, default=rem.DUE_SOON,
                        help="one-off reminders whose delivery delay is measured (default 20)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary directory (store and server logs)")
    return parser.parse_args(argv)


def make_plan(args: argparse.Namespace) -> Plan:
    levels = tuple(int(x) for x in args.levels.split(",")) if args.levels else LEVELS
    if any(c < 1 or c > 200 for c in levels):
        raise SystemExit("--levels: each level must be between 1 and 200")
    records = args.records if args.records is not None else (10_000 if args.quick else 100_000)
    return Plan(
        records=max(0, records),
        levels=levels,
        warmup_s=0.3 if args.quick else 0.7,
        duration_s=min(args.duration or (1.0 if args.quick else 3.0), 30.0),
        max_requests=min(args.max_requests or (600 if args.quick else 3000), 20_000),
        timeout_s=10.0,
        reminders=min(max(0, args.reminders), 200_000),
        due_soon=min(max(1, args.due_soon), 200),
        reminder_starts=1 if args.quick else 3,
    )


def base_env() -> dict[str, str]:
    """The environment without any Slack or lhl settings of whoever runs the bench."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("SLACK_", "LHL_"))}


def http_pool() -> tuple[int, int]:
    """(workers, threads per worker): from the environment, else the bot's defaults."""
    from bot.settings import Settings

    fields = Settings.model_fields

    def pick(env: str, field: str) -> int:
        raw = os.environ.get(env, "").strip()
        return int(raw) if raw else int(fields[field].default)

    return (pick("LHL_HTTP_WORKERS", "lhl_http_workers"),
            pick("LHL_HTTP_THREADS", "lhl_http_threads"))


def run_load(spec: dict[str, Any], budget_s: float) -> list[dict[str, Any]]:
    """Run the load client in its own process; its progress goes to our stderr."""
    proc = subprocess.run(
        [sys.executable, "-m", "bench.load"], input=json.dumps(spec), capture_output=False,
        stdout=subprocess.PIPE, text=True, cwd=REPO, env=server_env(base_env()),
        timeout=budget_s, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"load client exited with {proc.returncode}")
    results: list[dict[str, Any]] = json.loads(proc.stdout)
    return results


def varied_writes(url: str, count: int = VARIED_COUNT) -> list[str]:
    """``logg-møte <Agder kommune> <dd.mm.yyyy>`` over the past two years (seeded)."""
    db = open_database(url)
    try:
        with db.read() as session:
            kommuner = read_geography(session).kommuner_i(BENCH_EMBETE)
    finally:
        db.dispose()
    rng = random.Random(SEED + 1)
    today = date.today()
    return [f"logg-møte {rng.choice(kommuner).basenavn} "
            f"{today - timedelta(days=rng.randrange(2, 730)):%d.%m.%Y}" for _ in range(count)]


def type_ahead_payloads() -> list[dict[str, Any]]:
    """``block_suggestion`` requests from ``U_BENCH``'s meeting form, one per prefix (the
    tests' own payload builder)."""
    return [block_suggestion_payload(KOMMUNE_ACTION, prefix, user_id=BENCH_USER)
            for prefix in TYPE_AHEAD_PREFIXES]


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    plan = make_plan(args)
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="lhl-bench-"))
    try:
        result = run(plan, tmp, args.database_url)
    finally:
        if args.keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    result["wall_s"] = time.perf_counter() - started
    report.write_json(result, args.out)
    print(report.render(result))
    print()
    print(report_build.render(result["report_build"]))
    print(f"\nresults written to {args.out} ({result['wall_s']:.0f} s in all)")
    return 0


def run(plan: Plan, tmp: Path, database_url: str | None) -> dict[str, Any]:
    stores: list[tuple[str, str, StoreInfo]] = []
    sqlite_url = f"sqlite:///{tmp / 'lhl.db'}"
    say(f"building the SQLite store with {plan.records} meetings …")
    stores.append(("sqlite", sqlite_url, populate(sqlite_url, meetings=plan.records)))
    say(f"  done in {stores[-1][2].total_s:.1f} s")
    if database_url:
        say(f"filling the PostgreSQL store with {plan.records} meetings …")
        stores.append(("pg", database_url, populate(database_url, meetings=plan.records)))
        say(f"  done in {stores[-1][2].total_s:.1f} s")

    workers, threads = http_pool()
    phases: list[dict[str, Any]] = []
    servers: list[Server] = []
    with ExitStack() as stack:
        slack = stack.enter_context(FakeSlack())
        common = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "LHL_SLACK_API_URL": slack.url,
            "LHL_ADMINS": ADMIN_USER,
            "LHL_DATA_DIR": str(tmp / "data"),
            "LHL_HTTP_WORKERS": str(workers),
            "LHL_HTTP_THREADS": str(threads),
        }
        port = free_port()
        bare = Server(name="bare Bolt app", argv=bare_command(HOST, port), port=port,
                      env=server_env(base_env(), **common), cwd=tmp,
                      log_path=tmp / "bare.log", how="python -m bench.bare_app")
        stack.callback(bare.stop)
        servers.append(bare)
        say("starting the bare Bolt app …")
        bare.start()
        say(f"  /healthz after {bare.startup_s:.2f} s")
        bots: list[tuple[str, Server]] = []
        for label, url, _info in stores:
            port = free_port()
            argv, how = bot_command(HOST, port)
            bot = Server(name=f"lhl bot [{label}]", argv=argv, port=port,
                         env=server_env(base_env(), LHL_DATABASE_URL=url, **common),
                         cwd=tmp, log_path=tmp / f"bot-{label}.log", how=how)
            stack.callback(bot.stop)
            servers.append(bot)
            say(f"starting {bot.name} ({how}) …")
            bot.start()
            say(f"  /healthz after {bot.startup_s:.2f} s")
            bots.append((label, bot))

        def phase(name: str, server: Server, text: str, c: int,
                  texts: list[str] | None = None) -> dict[str, Any]:
            return {
                "name": name, "target": server.name, "port": server.port, "text": text,
                "texts": texts, "concurrency": c, "duration_s": plan.duration_s,
                "max_requests": plan.max_requests, "warmup_s": plan.warmup_s,
                "user_id": BENCH_USER, "response_url_base": slack.response_url,
                "server_pid": server.pid,
            }

        specs = [phase("bare", bare, "status", c) for c in plan.levels]
        for (label, url, _info), (_, bot) in zip(stores, bots, strict=True):
            suffix = "" if label == "sqlite" else f" [{label}]"
            for name, text in BOT_COMMANDS:
                specs.extend(phase(name + suffix, bot, text, c) for c in plan.levels)
            varied = varied_writes(url)
            specs.extend(phase(VARIED_WRITE + suffix, bot, varied[0], c, varied)
                         for c in plan.levels)
            for c in FORM_LEVELS:
                specs.append({**phase(TYPE_AHEAD + suffix, bot, "", c),
                              "payloads": type_ahead_payloads()})
                specs.append(phase(VIEWS_OPEN + suffix, bot, VIEWS_OPEN_TEXT, c))
        budget = len(specs) * (plan.warmup_s + plan.duration_s + 2 * plan.timeout_s) + 60
        say(f"load: {len(specs)} runs of {plan.duration_s:.0f} s (cap {plan.max_requests} "
            f"requests) after {plan.warmup_s:.1f} s warm-up each …")
        phases = run_load({"secret": SIGNING_SECRET, "timeout_s": plan.timeout_s,
                           "phases": specs}, budget)
        for s in servers:
            s.sample_memory()
            if s.proc is not None and s.proc.poll() is not None:
                say(f"warning: {s.name} exited during the run:\n{s.log_tail()}")
        # The reminder phase runs on the SQLite store once its HTTP bots are stopped.
        for s in servers:
            s.stop()
        reminder_phase: dict[str, Any] | None = None
        if plan.reminders:
            env = server_env(base_env(), LHL_DATABASE_URL=sqlite_url,
                             LHL_REMINDER_SYNC_SECONDS=f"{plan.reminder_sync_s:g}", **common)
            try:
                reminder_phase = rem.run_phase(
                    url=sqlite_url, tmp=tmp, slack=slack, env=env, count=plan.reminders,
                    due_soon=plan.due_soon, starts=plan.reminder_starts, say=say)
            except Exception as exc:
                say(f"reminder phase failed: {exc}")
                reminder_phase = {"error": f"{type(exc).__name__}: {exc}"}
        slack_calls = call_counts(slack)
    # The report to Hdir, built in this process on the SQLite store once the servers are gone.
    say("building the national report …")
    report_phase = report_build.measure(sqlite_url, say=say)

    names = list(dict.fromkeys(p["name"] for p in phases))
    status_names = [n for n in names if n == "status" or n.startswith("status [")]
    levels = list(plan.levels)
    form_names = tuple(n for n in names if n.startswith((TYPE_AHEAD, VIEWS_OPEN)))
    goals = report.targets(phases, levels, names, status_names, form_names)
    if reminder_phase is not None:
        goals += report.reminder_targets(reminder_phase)
    goals.append(report_phase["target"])
    return {
        "timestamp": report.now_iso(),
        "machine": report.machine_info(),
        "plan": asdict(plan),
        "http_workers": workers,
        "http_threads": threads,
        "levels": levels,
        "stores": [info.as_dict() for _, _, info in stores],
        "servers": [{
            "name": s.name, "how": s.how, "startup_s": s.startup_s,
            "rss_after_start_kb": s.rss_after_start_kb, "peak_kb": s.peak_kb,
            "exit_code": s.exit_code,
        } for s in servers],
        "phases": phases,
        "ratios": report.ratios(phases, levels, names),
        "targets": goals,
        "reminders": reminder_phase,
        "report_build": report_phase,
        "fake_slack": SOURCE,
        "fake_slack_calls": slack_calls,
    }
