"""Reminders in the bench: start-up and memory of ``lhl http`` with 10 000 active reminders in
the store, and the delay from an occurrence's time to its ``chat.postMessage``.

Runs on the bench's SQLite store after the load phase (its HTTP bots stopped), so the HTTP
figures are those of a store without reminders:

1. ``lhl http`` on the store as it is (no reminders): start-up and memory;
2. 10 000 active reminders added with SQLAlchemy Core (a seeded mix of weekly, monthly,
   yearly-deadline and one-off rules; ``next_due_at``/``next_key`` from
   ``schedules.rules.next_occurrence``, as ``schedules.lifecycle.create`` sets them);
3. ``lhl http`` again, now scheduling the 10 000: start-up and memory;
4. with that bot running, N one-off reminders due 2–6 s from now are created through
   ``schedules.lifecycle.create`` from this process (another process, as far as the bot
   is concerned: it finds them with its sync job every ``LHL_REMINDER_SYNC_SECONDS``), and the
   fake Slack's arrival time of each ``chat.postMessage`` is compared with the occurrence time.

Start-up is measured to both the first ``/healthz`` 200 and the service's ``reminders
scheduled: N active`` log line. In ``bot/http_server.serve_http`` the main process schedules
the reminders before Granian spawns the worker that answers ``/healthz``, so the two are close.
"""

from __future__ import annotations

import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, make_url, select
from sqlmodel import col

from bench.procs import HOST, Server, bot_command, free_port, proc_cpu_s, proc_status
from bench.slack import Post, posts_of
from bench.store import BENCH_USER, SEED, coordinator_id
from schedules import lifecycle
from schedules.rules import (
    Deadlines,
    MonthlyDay,
    MonthlyWeekday,
    Once,
    Rule,
    Weekly,
    next_occurrence,
    rule_to_json,
)
from storage.db import open_database
from storage.models import DEADLINE, MESSAGE, Embete, Reminder, ReminderDelivery
from tests.support.fake_slack import FakeSlack

REMINDERS = 10_000
DUE_SOON = 20
SYNC_SECONDS = 1.0
"""``LHL_REMINDER_SYNC_SECONDS`` for the bots of this phase (the default is 5)."""
LEAD_FIRST_S = 2.0
LEAD_LAST_S = 6.0
SETTLE_S = 1.5
"""How long a freshly started bot runs (one sync or more) before its memory is read."""
QUIET_S = 2.5
"""How long to keep watching for a second post after the last reminder arrived."""
ARRIVAL_TIMEOUT_S = 15.0
"""How long after the last due time to wait for posts that have not arrived."""
DELAY_TARGET_S = 2.0
DELAY_CHANNEL = "CBENCHDLY"
READY_MARKER = "reminders scheduled:"
CHANNELS = 500
BATCH = 5_000
DEFAULT_TZ = "Europe/Oslo"

# The mix of the 10 000 (per cent): what a network of coordinators would set up.
MIX: tuple[tuple[str, int], ...] = (
    ("weekly", 35),
    ("monthly weekday", 20),
    ("monthly day", 15),
    ("yearly deadlines", 20),
    ("one-off", 10),
)
_TEXTS = ("Ukemøte i koordinatornettverket", "Statusmøte med Helsedirektoratet",
          "Nettverkssamling: påmelding", "Oppdater møteloggen", "Send referat til kommunene",
          "Planlegg dialogmøter neste kvartal", "Rapportering til Helsedirektoratet",
          "Frist for innspill til handlingsplanen", "Kvartalsvis gjennomgang av status",
          "Ring kommunene som ikke har svart")
_LEADS = (0, 0, 0, 0, 15, 30, 60, 24 * 60)
_SCHEDULED = re.compile(r"reminders scheduled: (\d+) active")


def bot_tz() -> ZoneInfo:
    try:
        from bot.settings import Settings

        default = Settings.model_fields["lhl_timezone"].default
        return ZoneInfo(default if isinstance(default, str) else DEFAULT_TZ)
    except Exception:
        return ZoneInfo(DEFAULT_TZ)


# --- the 10 000 ---------------------------------------------------------------------------------


@dataclass
class ReminderStoreInfo:
    url: str
    reminders: int
    by_type: dict[str, int]
    channels: int
    rules_s: float
    """Building the rules and their next occurrence (``next_occurrence``)."""
    insert_s: float
    earliest_due: str | None
    due_within_10_min: int
    file_bytes: int | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _counts(total: int) -> list[tuple[str, int]]:
    out = [(name, total * share // 100) for name, share in MIX]
    out[0] = (out[0][0], out[0][1] + total - sum(n for _, n in out))
    return out


def _rule(kind: str, rng: random.Random, now: datetime) -> tuple[str, Rule]:
    """One rule of ``kind`` as the parser would build it; its reminder kind with it."""
    today = now.date()
    at = clock(rng.randrange(8, 16), rng.choice((0, 15, 30, 45)))
    lead = rng.choice(_LEADS)
    interval = 1 if rng.random() < 0.8 else rng.choice((2, 3))
    anchor = today if interval > 1 else None
    if kind == "weekly":
        return MESSAGE, Weekly(weekday=rng.randrange(5), at=at, interval=min(interval, 2),
                               anchor=anchor, lead_minutes=lead)
    if kind == "monthly weekday":
        return MESSAGE, MonthlyWeekday(nth=rng.choice((1, 1, 2, 3, 4, -1)),
                                       weekday=rng.randrange(5), at=at, interval=interval,
                                       anchor=anchor, lead_minutes=lead)
    if kind == "monthly day":
        return MESSAGE, MonthlyDay(day=rng.randrange(1, 32), at=at, interval=interval,
                                   anchor=anchor, lead_minutes=lead)
    if kind == "yearly deadlines":
        dates: tuple[date, ...]
        if rng.random() < 0.5:  # `/lhl påminnelse standard`
            dates = (date(today.year, 5, 1), date(today.year, 11, 1))
        else:
            dates = tuple(sorted({date(today.year, rng.randrange(1, 13), rng.randrange(1, 29))
                                  for _ in range(rng.choice((1, 1, 2, 3)))}))
        return DEADLINE, Deadlines(dates=dates, yearly=True)
    minutes = rng.randrange(60, 365 * 24 * 60)
    when = (now + timedelta(minutes=minutes)).replace(second=0, microsecond=0)
    return MESSAGE, Once(at=when, lead_minutes=lead)


def add_reminders(url: str, *, count: int = REMINDERS, seed: int = SEED,
                  tz: ZoneInfo | None = None) -> ReminderStoreInfo:
    """Add ``count`` active reminders to the (migrated) store at ``url``, in one write
    transaction (which bumps the store revision, as any bot write does)."""
    tz = tz or bot_tz()
    rng = random.Random(seed + 2)
    started = time.perf_counter()
    now = datetime.now(tz)
    db = open_database(url)
    try:
        with db.read() as session:
            embeter = sorted(session.connection().execute(select(col(Embete.id))).scalars())
        kinds = [name for name, n in _counts(count) for _ in range(n)]
        rng.shuffle(kinds)
        rows: list[dict[str, Any]] = []
        dues: list[datetime] = []
        for kind in kinds:
            reminder_kind, rule = _rule(kind, rng, now)
            occ = next_occurrence(rule, after=now, tz=tz)
            if occ is None:  # cannot happen for these rules; keep the count honest anyway
                raise RuntimeError(f"no next occurrence for {rule!r}")
            embete = rng.randrange(len(embeter)) if embeter else None
            created = now - timedelta(days=rng.randrange(0, 400))
            rows.append({
                "channel_id": f"CREM{rng.randrange(CHANNELS):05d}",
                "kind": reminder_kind,
                "text": rng.choice(_TEXTS),
                "rule": rule_to_json(rule),
                "embete_id": embeter[embete] if embete is not None and (
                    reminder_kind == DEADLINE or rng.random() < 0.5) else None,
                "created_by": coordinator_id(embete + 1) if embete is not None else BENCH_USER,
                "created_at": created, "updated_at": created, "paused": False,
                "next_due_at": occ.due, "next_key": occ.key,
            })
            dues.append(occ.due)
        built = time.perf_counter()
        table = Reminder.__table__  # type: ignore[attr-defined]
        with db.write() as session:
            for i in range(0, len(rows), BATCH):
                session.execute(insert(table), rows[i:i + BATCH])
        done = time.perf_counter()
    finally:
        db.dispose()
    parsed = make_url(url)
    file_bytes: int | None = None
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        path = Path(parsed.database)
        file_bytes = path.stat().st_size if path.exists() else None
    soon = now + timedelta(minutes=10)
    return ReminderStoreInfo(
        url=parsed.render_as_string(hide_password=True), reminders=len(rows),
        by_type=dict(Counter(kinds)), channels=len({r["channel_id"] for r in rows}),
        rules_s=built - started, insert_s=done - built,
        earliest_due=min(dues).isoformat(timespec="seconds") if dues else None,
        due_within_10_min=sum(d <= soon for d in dues), file_bytes=file_bytes)


def active_reminders(url: str) -> int:
    db = open_database(url)
    try:
        with db.read() as session:
            q = select(func.count()).select_from(Reminder).where(
                col(Reminder.paused).is_(False), col(Reminder.next_due_at).is_not(None))
            return int(session.connection().execute(q).scalar_one())
    finally:
        db.dispose()


# --- delivery delay -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    reminder_id: int
    text: str
    due: datetime


def create_due_soon(url: str, *, count: int = DUE_SOON, tz: ZoneInfo | None = None,
                    first_s: float = LEAD_FIRST_S, last_s: float = LEAD_LAST_S,
                    ) -> tuple[list[Planned], float]:
    """``count`` one-off reminders in :data:`DELAY_CHANNEL`, due ``first_s``…``last_s``
    seconds from now (evenly spread), created through ``schedules.lifecycle.create`` in one write
    transaction; with the ``time.time()`` of the commit."""
    tz = tz or bot_tz()
    db = open_database(url)
    planned: list[Planned] = []
    try:
        now = datetime.now(tz)
        with db.write() as session:
            for i in range(count):
                lead = first_s + (last_s - first_s) * i / max(1, count - 1)
                text = f"bench-forsinkelse {i + 1:02d} av {count}"
                r = lifecycle.create(DELAY_CHANNEL, MESSAGE, text,
                                    Once(at=now + timedelta(seconds=lead)), embete_id=None,
                                    by=BENCH_USER, now=now, tz=tz, session=session)
                if r.id is None or r.next_due_at is None:
                    raise RuntimeError(f"reminder {text!r} was not stored with a due time")
                planned.append(Planned(r.id, text, r.next_due_at))
        committed = time.time()
    finally:
        db.dispose()
    return planned, committed


def _ours(post: Post, text: str) -> bool:
    return (post.channel == DELAY_CHANNEL and post.status == 200
            and post.text.split("\n", 1)[0] == f"*Påminnelse:* {text}")


def wait_for_posts(slack: FakeSlack, planned: list[Planned], *,
                   timeout_s: float = ARRIVAL_TIMEOUT_S, quiet_s: float = QUIET_S) -> list[Post]:
    """Wait until every planned reminder has a post (at most ``timeout_s`` past the last due
    time), then ``quiet_s`` more for any second post; every ``chat.postMessage`` so far."""
    if not planned:
        return posts_of(slack)
    deadline = max(p.due.timestamp() for p in planned) + timeout_s
    while time.time() < deadline:
        posts = [p for p in posts_of(slack) if p.channel == DELAY_CHANNEL]
        if all(any(_ours(post, p.text) for post in posts) for p in planned):
            break
        time.sleep(0.05)
    time.sleep(quiet_s)
    return posts_of(slack)


def store_claims(url: str, ids: list[int]) -> dict[int, dict[str, int]]:
    """Reminder id → {delivery status: rows} in ``reminder_delivery``."""
    db = open_database(url)
    try:
        with db.read() as session:
            rows = session.connection().execute(
                select(col(ReminderDelivery.reminder_id), col(ReminderDelivery.status),
                       func.count())
                .where(col(ReminderDelivery.reminder_id).in_(ids))
                .group_by(col(ReminderDelivery.reminder_id), col(ReminderDelivery.status))
            ).all()
    finally:
        db.dispose()
    out: dict[int, dict[str, int]] = {i: {} for i in ids}
    for rid, status, n in rows:
        out[int(rid)][str(status)] = int(n)
    return out


def _ms(seconds: float | None) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds is not None else "n/a"


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, min(len(sorted_values), int(-(-q * len(sorted_values) // 100))))
    return sorted_values[rank - 1]


def delivery_figures(planned: list[Planned], posts: list[Post], committed: float,
                     claims: dict[int, dict[str, int]]) -> dict[str, Any]:
    per: list[dict[str, Any]] = []
    for p in planned:
        mine = sorted((post for post in posts if _ours(post, p.text)), key=lambda x: x.at)
        due = p.due.timestamp()
        per.append({
            "reminder_id": p.reminder_id, "text": p.text,
            "due": p.due.isoformat(timespec="milliseconds"),
            "lead_s": due - committed, "posts": len(mine),
            "delay_s": (mine[0].at - due) if mine else None,
            "claims": claims.get(p.reminder_id, {}),
        })
    delays = sorted(r["delay_s"] for r in per if r["delay_s"] is not None)
    arrived = sum(1 for r in per if r["posts"] >= 1)
    once = sum(1 for r in per if r["posts"] == 1 and r["claims"] == {"sent": 1})
    return {
        "reminders": len(planned), "arrived": arrived, "exactly_once": once,
        "doubles": sum(1 for r in per if r["posts"] > 1),
        "p50_s": statistics.median(delays) if delays else None,
        "p99_s": percentile(delays, 99) if delays else None,
        "max_s": delays[-1] if delays else None,
        "min_s": delays[0] if delays else None,
        "mean_s": statistics.fmean(delays) if delays else None,
        "lead_min_s": min((r["lead_s"] for r in per), default=None),
        "lead_max_s": max((r["lead_s"] for r in per), default=None),
        "per_reminder": per,
    }


# --- the phase ----------------------------------------------------------------------------------


def _run_figures(bot: Server, settled_hwm: int | None, settled_rss: int | None
                 ) -> dict[str, Any]:
    found = _SCHEDULED.search(bot.ready_line or "")
    return {
        "healthz_s": bot.startup_s, "scheduled_s": bot.ready_s,
        "scheduled": int(found.group(1)) if found else None,
        "rss_at_healthz_kb": bot.rss_after_start_kb, "rss_at_scheduled_kb": bot.rss_at_ready_kb,
        "rss_settled_kb": settled_rss, "peak_settled_kb": settled_hwm,
        "peak_kb": bot.peak_kb, "exit_code": bot.exit_code, "log_problems": _problems(bot),
    }


def _problems(bot: Server) -> list[str]:
    """Warnings, errors and tracebacks in a bot's log (Bolt's "token will be unused" aside)."""
    try:
        text = bot.log_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [line for line in text.splitlines()
            if ("WARNING" in line or "ERROR" in line or "Traceback" in line)
            and "will be unused" not in line]


def _median(values: list[Any]) -> Any:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def _summary(name: str, how: str, runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over the starts of one configuration; the peak is the highest seen."""
    peaks = [r["peak_kb"] for r in runs if r["peak_kb"] is not None]
    return {
        "name": name, "how": how, "starts": len(runs),
        "healthz_s": _median([r["healthz_s"] for r in runs]),
        "scheduled_s": _median([r["scheduled_s"] for r in runs]),
        "scheduled": runs[-1]["scheduled"] if runs else None,
        "rss_settled_kb": _median([r["rss_settled_kb"] for r in runs]),
        "peak_settled_kb": _median([r["peak_settled_kb"] for r in runs]),
        "peak_kb": max(peaks) if peaks else None,
        "exit_codes": [r["exit_code"] for r in runs],
        "log_problems": [line for r in runs for line in r["log_problems"]],
        "runs": runs,
    }


def _settle(bot: Server) -> tuple[int | None, int | None]:
    time.sleep(SETTLE_S)
    status = proc_status(bot.pid)
    bot.sample_memory()
    return status.get("VmHWM"), status.get("VmRSS")


def run_phase(*, url: str, tmp: Path, slack: FakeSlack, env: dict[str, str],
              count: int = REMINDERS, due_soon: int = DUE_SOON, starts: int = 3,
              say: Callable[[str], None] = print) -> dict[str, Any]:
    """The whole reminder phase on the store at ``url`` (SQLite; its HTTP bots stopped).

    ``env`` is the bots' environment (Slack settings, ``LHL_DATABASE_URL``,
    ``LHL_REMINDER_SYNC_SECONDS``). Each configuration is started ``starts`` times, one after
    the other (start, settle, measure, stop); the last bot with the reminders stays up for the
    delivery measurement. Every bot started here is stopped before this returns."""
    tz = bot_tz()
    starts = max(1, starts)
    out: dict[str, Any] = {
        "store": "the bench's SQLite store, after the load phase",
        "sync_seconds": float(env.get("LHL_REMINDER_SYNC_SECONDS", SYNC_SECONDS)),
        "timezone": tz.key, "starts": starts, "bots": [],
    }

    def new_bot(label: str, n: int) -> Server:
        port = free_port()
        argv, how = bot_command(HOST, port)
        return Server(name=label, argv=argv, port=port, env=env, cwd=tmp,
                      log_path=tmp / f"bot-{label.replace(' ', '-').replace(',', '')}-{n}.log",
                      how=how, ready_marker=READY_MARKER)

    def start(bot: Server) -> tuple[int | None, int | None]:
        say(f"starting {bot.name} …")
        bot.start()
        say(f"  /healthz after {bot.startup_s:.2f} s, reminders scheduled after "
            f"{bot.ready_s:.2f} s")
        return _settle(bot)

    label = f"lhl bot, {active_reminders(url)} reminders"
    runs: list[dict[str, Any]] = []
    how = ""
    for n in range(starts):
        bot = new_bot(label, n)
        how = bot.how
        try:
            settled = start(bot)
        finally:
            bot.stop()
        runs.append(_run_figures(bot, *settled))
    out["bots"].append(_summary(label, how, runs))

    say(f"adding {count} active reminders …")
    info = add_reminders(url, count=count, tz=tz)
    out["reminder_store"] = info.as_dict()
    say(f"  rules {info.rules_s:.2f} s, insert {info.insert_s:.2f} s")

    label = f"lhl bot, {active_reminders(url)} reminders"
    runs = []
    for n in range(starts):
        bot = new_bot(label, n)
        how = bot.how
        try:
            settled = start(bot)
            if n == starts - 1:
                out["delivery"] = _delivery(bot, url=url, slack=slack, tz=tz,
                                            due_soon=due_soon, say=say)
        finally:
            bot.stop()
        runs.append(_run_figures(bot, *settled))
    out["bots"].append(_summary(label, how, runs))
    return out


def _delivery(bot: Server, *, url: str, slack: FakeSlack, tz: ZoneInfo, due_soon: int,
              say: Callable[[str], None]) -> dict[str, Any]:
    say(f"delivery: {due_soon} one-off reminders due {LEAD_FIRST_S:.0f}–{LEAD_LAST_S:.0f} s "
        "from now …")
    cpu0, t0 = proc_cpu_s(bot.pid), time.perf_counter()
    seen_before = len(posts_of(slack))
    planned, committed = create_due_soon(url, count=due_soon, tz=tz)
    posts = wait_for_posts(slack, planned)
    cpu1, t1 = proc_cpu_s(bot.pid), time.perf_counter()
    bot.sample_memory()
    claims = store_claims(url, [p.reminder_id for p in planned])
    delivery = delivery_figures(planned, posts, committed, claims)
    delivery["other_posts"] = sum(1 for p in posts[seen_before:] if p.channel != DELAY_CHANNEL)
    delivery["window_s"] = t1 - t0
    delivery["bot_cpu_s"] = (cpu1 - cpu0) if cpu0 is not None and cpu1 is not None else None
    say(f"  {delivery['arrived']}/{due_soon} arrived, p50 {_ms(delivery['p50_s'])}, max "
        f"{_ms(delivery['max_s'])}")
    return delivery
