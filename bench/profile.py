"""Where a command spends its time: cProfile of ``Runtime.handle`` in-process, no HTTP.

``python -m bench.profile [--records N] [--repeat R] [--command TEXT ...] [--database-url URL]``

Builds the same store as ``python -m bench`` (or uses ``--database-url`` as it is, when
``--no-populate``), starts the runtime on it and runs each command ``R`` times as ``U_BENCH``
under cProfile, printing the per-call wall time and the top functions by cumulative and own
time. Writes commands are run too (``logg-møte`` adds a meeting per call).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.store import ADMIN_USER, BENCH_USER, populate

DEFAULT_COMMANDS = ("status", "status landet", "logg-møte Kristiansand i går")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--command", action="append", default=None,
                        help="command text (repeatable); default: status, status landet, "
                             "logg-møte Kristiansand i går")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--no-populate", action="store_true",
                        help="use --database-url as it is (it must already hold data)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"))
    args = parser.parse_args(argv)
    repeat = max(1, min(args.repeat, 10_000))

    tmp = Path(tempfile.mkdtemp(prefix="lhl-profile-"))
    try:
        url = args.database_url or f"sqlite:///{tmp / 'lhl.db'}"
        if not args.no_populate:
            info = populate(url, meetings=args.records)
            print(f"store: {info.meetings} meetings, {info.meeting_kommuner} meeting-kommune "
                  f"rows in {info.total_s:.1f} s", file=sys.stderr)
        os.environ.update({"LHL_DATABASE_URL": url, "LHL_ADMINS": ADMIN_USER,
                           "LHL_DATA_DIR": str(tmp / "data")})
        from bot.runtime import start_runtime
        from bot.settings import Settings

        runtime = start_runtime(Settings(_env_file=None))  # type: ignore[call-arg]
        try:
            for text in args.command or DEFAULT_COMMANDS:
                for _ in range(5):  # warm caches, compiled statements, the date parser
                    runtime.handle(text, BENCH_USER, "CBENCH01")
                times: list[float] = []
                prof = cProfile.Profile()
                for _ in range(repeat):
                    t0 = time.perf_counter()
                    prof.enable()
                    reply = runtime.handle(text, BENCH_USER, "CBENCH01")
                    prof.disable()
                    times.append(time.perf_counter() - t0)
                times.sort()
                print(f"\n=== {text!r}: {repeat} calls, median "
                      f"{statistics.median(times) * 1000:.2f} ms, p99 "
                      f"{times[int(0.99 * (len(times) - 1))] * 1000:.2f} ms (under cProfile; "
                      f"reply starts {reply.text[:70]!r})")
                out = io.StringIO()
                stats = pstats.Stats(prof, stream=out)
                stats.strip_dirs().sort_stats(args.sort).print_stats(args.top)
                print(out.getvalue())
        finally:
            runtime.db.dispose()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
