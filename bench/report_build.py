"""How long the report takes to build on the national-scale store: ``/lhl rapport landet``
(all 357 kommuner, the message and the workbook), the same as CSV, one embete's report and
``mangler dialogmøte landet``, each through the one code path (``commands.dispatch``, no reply
cache) in this process. Target: the national report with its workbook under 1 s, so that it can
be answered inside Slack's 3 s or sent right after the acknowledgement.

The bench store has no conferences or seminars, so the phase first adds a seeded few per embete
and year (about 400) to the store it is given.

Run as part of ``python -m bench`` (after the load, on the SQLite store), or alone:
``python -m bench.report_build [--records 100000] [--runs 5]`` on a store of its own.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.store import ADMIN_USER, SEED, populate
from commands.dispatch import run_command
from storage.events import add_event
from storage.models import EVENT_KINDS
from tests.support.runtime import runtime_on

COMMANDS = ("rapport landet per i dag", "rapport landet", "rapport landet per i dag --csv",
            "rapport Agder per i dag", "mangler deltar landet")
"""The first is the target: this year's meetings up to today (the next deadline may fall in a
year the store has few meetings for)."""
TARGET_S = 1.0
RUNS = 5
EVENTS_PER_EMBETE_YEAR = 5
FIRST_EVENT_YEAR = 2019


def add_events(url: str, *, seed: int = SEED) -> int:
    """A seeded handful of events per embete and year, from 2019 to next year."""
    rng = random.Random(seed + 2)
    added = 0
    with runtime_on(url, clock=None) as rt, rt.db.write() as session:
        now = datetime.now(UTC)
        for embete in sorted(rt.geo.embeter):
            for year in range(FIRST_EVENT_YEAR, date.today().year + 2):
                for n in range(EVENTS_PER_EMBETE_YEAR):
                    dato = date(year, rng.randrange(1, 13), rng.randrange(1, 29))
                    add_event(embete_id=embete, kind=rng.choice(EVENT_KINDS),
                              tittel=f"Samling {n + 1} i {year}", dato=dato,
                              malgruppe="ledere og ansatte i kommunene", hovedtema="mat",
                              areas=["mat"], onsker_hdir=rng.random() < 0.3,
                              onsker_hod=rng.random() < 0.1, by=ADMIN_USER, now=now,
                              session=session)
                    added += 1
    return added


def measure(url: str, *, runs: int = RUNS, say: Callable[[str], None] | None = None
            ) -> dict[str, Any]:
    """Time each of :data:`COMMANDS` ``runs`` times (after one warm-up) on the store at
    ``url``, as an administrator, today."""
    events = add_events(url)
    out: dict[str, Any] = {"events_added": events, "runs": runs, "commands": []}
    with runtime_on(url, clock=None, lhl_admins=ADMIN_USER) as rt:
        for text in COMMANDS:
            ctx = rt.context(ADMIN_USER, "CBENCH")
            reply = run_command(text, ctx=ctx, db=rt.db)  # warm-up: imports, caches
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                reply = run_command(text, ctx=ctx, db=rt.db)
                times.append(time.perf_counter() - started)
            row: dict[str, Any] = {
                "command": text, "median_s": statistics.median(times), "max_s": max(times),
                "min_s": min(times), "reply_chars": len(reply.text), "blocks": len(reply.blocks),
                "files": [{"name": f.filename, "bytes": len(f.content)} for f in reply.files]}
            out["commands"].append(row)
            if say:
                say(f"  {text}: median {row['median_s'] * 1000:.0f} ms, "
                    f"max {row['max_s'] * 1000:.0f} ms")
    national = out["commands"][0]
    out["target"] = {"target": f"{national['command']} (message and workbook): max < "
                               f"{TARGET_S * 1000:.0f} ms",
                     "value": national["max_s"] * 1000, "unit": "ms",
                     "pass": national["max_s"] < TARGET_S}
    return out


def render(result: dict[str, Any]) -> str:
    lines = [f"report build ({result['runs']} runs each, {result['events_added']} events "
             "added to the store):"]
    for row in result["commands"]:
        files = ", ".join(f"{f['name']} {f['bytes'] / 1000:.0f} kB" for f in row["files"])
        lines.append(f"  {row['command']:<32} median {row['median_s'] * 1000:7.1f} ms  "
                     f"max {row['max_s'] * 1000:7.1f} ms  {row['reply_chars']} chars, "
                     f"{row['blocks']} blocks" + (f"; {files}" if files else ""))
    t = result["target"]
    lines.append(f"  [{'PASS' if t['pass'] else 'FAIL'}] {t['target']}: {t['value']:.0f} ms")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report_build",
                                     description="Time the national report on a bench store.")
    parser.add_argument("--records", type=int, default=100_000,
                        help="dialogue meetings in the store (default 100000)")
    parser.add_argument("--runs", type=int, default=RUNS, help="timed runs per command")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="lhl-report-bench-"))
    try:
        url = f"sqlite:///{tmp / 'lhl.db'}"
        print(f"building the store with {args.records} meetings …", file=sys.stderr)
        populate(url, meetings=args.records)
        result = measure(url, runs=max(1, args.runs))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(render(result))
    return 0 if result["target"]["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
