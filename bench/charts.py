"""What the charts of ``status … graf`` cost, on the national-scale store.

``python -m bench.charts [--records N] [--repeat R] [--out DIR] [--database-url URL
--no-populate]``

Builds the same store as ``python -m bench`` (100 000 meetings unless told) and reports, for
``status landet graf`` and ``status Agder graf``:

* the first chart in a fresh process (matplotlib's import and font set-up included), and
  whether importing the bot (``bot.cli``, the HTTP server, the Bolt app, the runtime, every
  command) imports matplotlib
  (it must not: the charts import it when drawn);
* warm, the median of ``R`` runs: counting the figures from the store, drawing the PNG, and
  the whole command as ``runtime.handle`` runs it without the reply cache, and the PNG's size.

``--out DIR`` saves one PNG of each there (``graf-landet.png``, ``graf-agder.png``): the README's
pictures are made so, from a store of 1 500 meetings (``--records 1500``), whose lines rise over
the years as a real embete's do (the 100 000 of the load test reach every kommune in weeks).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.store import ADMIN_USER, populate

OSLO = ZoneInfo("Europe/Oslo")
REPO = Path(__file__).resolve().parents[1]
COMMANDS = {"landet": "status landet graf", "agder": "status Agder graf"}

_FRESH = """
import json, sys, time
t0 = time.perf_counter()
import bot.cli, bot.http_server, bot.slack_app, bot.runtime, commands.registry
imported = time.perf_counter() - t0
loaded = 'matplotlib' in sys.modules
from datetime import datetime
from zoneinfo import ZoneInfo
from commands.base import Context
from commands.dispatch import run_command
from storage.setup import prepare
db, geo = prepare(sys.argv[1])
ctx = Context(user_id=sys.argv[2], is_admin=True, now=datetime.now(ZoneInfo('Europe/Oslo')),
              tz=ZoneInfo('Europe/Oslo'), geo=geo)
t1 = time.perf_counter()
reply = run_command(sys.argv[3], ctx=ctx, db=db)
first = time.perf_counter() - t1
assert reply.files, reply.text
print(json.dumps({'import_bot_s': imported, 'matplotlib_at_import': loaded,
                  'first_chart_s': first}))
"""


def _median_s(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # the first call pays for imports and fonts; the fresh process measures that
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.charts")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--out", type=Path, default=None, help="save one PNG of each here")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--no-populate", action="store_true")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="lhl-charts-"))
    url = args.database_url or f"sqlite:///{tmp / 'lhl.db'}"
    if not args.no_populate:
        info = populate(url, meetings=args.records)
        print(f"store: {info.meetings} meetings in {info.total_s:.1f} s", file=sys.stderr)

    report: dict[str, Any] = {}
    for name, text in COMMANDS.items():
        done = subprocess.run([sys.executable, "-c", _FRESH, url, ADMIN_USER, text],
                              cwd=REPO, capture_output=True, text=True, check=True)
        report[f"fresh_{name}"] = json.loads(done.stdout)

    from commands import status_graf
    from commands.base import Context
    from commands.charts import coverage_png, over_time_png
    from commands.dispatch import run_command
    from storage.setup import prepare

    db, geo = prepare(url)
    try:
        now = datetime.now(OSLO)
        ctx = Context(user_id=ADMIN_USER, is_admin=True, now=now, tz=OSLO, geo=geo)
        today = now.date()
        agder = [k.nummer for k in geo.kommuner_i("agder")]
        with db.read() as session:
            rows, total = status_graf.coverage(today.year, as_of=today, ctx=ctx,
                                               session=session)
            series = status_graf.over_time(agder, last=today, ctx=ctx, session=session)

            def landet_data() -> object:
                return status_graf.coverage(today.year, as_of=today, ctx=ctx, session=session)

            def agder_data() -> object:
                return status_graf.over_time(agder, last=today, ctx=ctx, session=session)

            report["landet_data_ms"] = 1000 * _median_s(landet_data, args.repeat)
            report["agder_data_ms"] = 1000 * _median_s(agder_data, args.repeat)

        def landet_png() -> bytes:
            return coverage_png(rows, status_graf.MEASURES, title="Hele landet", total=total)

        def agder_png() -> bytes:
            return over_time_png(series.days, series.lines, total=series.total, title="Agder")

        report["landet_draw_ms"] = 1000 * _median_s(landet_png, args.repeat)
        report["agder_draw_ms"] = 1000 * _median_s(agder_png, args.repeat)
        for name, text in COMMANDS.items():
            def command(text: str = text) -> object:
                return run_command(text, ctx=ctx, db=db)

            report[f"{name}_command_ms"] = 1000 * _median_s(command, args.repeat)
            png = run_command(text, ctx=ctx, db=db).files[0].content
            report[f"{name}_png_bytes"] = len(png)
            if args.out:
                args.out.mkdir(parents=True, exist_ok=True)
                (args.out / f"graf-{name}.png").write_bytes(png)
    finally:
        db.dispose()
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
