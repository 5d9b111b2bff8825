"""The import in the bench: a workbook of one row per kommune (357 rows, every column filled)
read, checked and imported with ``/lhl import`` on the bench's national-scale store, then taken
back with ``/lhl angre``; target: the import itself (``--lagre``) under 2 s.

It runs the command path in this process, as the console runs it (``Runtime.handle`` with the
file on disk), as an administrator, so every row is one the user may write. Each round times:

* ``read``: the file read into rows (``commands.import_file`` and ``commands.import_rows``);
* ``dry run``: ``/lhl import <fil>`` (read, checked against the store, the answer built);
* ``import``: ``/lhl import <fil> --lagre`` (read and checked again, stored in one transaction);
* ``angre``: the whole import taken back.

``python -m bench import [--records N] [--rounds R]`` builds a store of its own (as the bench
does, ``bench.store.populate``); ``python -m bench`` runs it on its SQLite store after the
reminder phase.
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from bench.store import ADMIN_USER, SEED, populate
from bot.file_source import LocalFiles
from bot.runtime import Runtime
from bot.settings import Settings
from commands.base import Context
from commands.import_file import read_table
from commands.import_rows import Reading, read_rows
from storage.reference import Geography
from storage.setup import prepare

ROUNDS = 3
TARGET_S = 2.0
HEADER = ("Kommune", "Kommunenr", "Tilbud om dialogmøte", "Dialogmøte holdt", "Notat",
          "Invitert til læringsnettverk", "Deltar i læringsnettverk", "Plan", "Plandato", "Fase",
          "Fasedato")
_FIRST = date(2019, 1, 1)
_DAYS = (date(2025, 6, 30) - _FIRST).days
_NOTES = (None, None, "God dialog om handlingsplanen.", "Eldrerådet deltok.")


def workbook(geo: Geography, seed: int = SEED) -> bytes:
    """One row per kommune with every column filled (seeded dates 2019–2025)."""
    from openpyxl import Workbook

    rng = random.Random(seed + 7)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(HEADER))
    for k in sorted(geo.kommuner.values(), key=lambda k: k.nummer):
        offered = _FIRST + timedelta(days=rng.randrange(_DAYS))
        held = offered + timedelta(days=rng.randrange(10, 90))
        invited = _FIRST + timedelta(days=rng.randrange(_DAYS))
        joined = invited + timedelta(days=rng.randrange(5, 60))
        planned = _FIRST + timedelta(days=rng.randrange(_DAYS))
        phased = _FIRST + timedelta(days=rng.randrange(_DAYS))
        sheet.append([k.navn, k.nummer, offered, held.strftime("%d.%m.%Y"),
                      rng.choice(_NOTES), invited, joined.isoformat(),
                      rng.choice(("vedtatt", "prosess")), planned, rng.randint(1, 4), phased])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _read(files: LocalFiles, path: Path, ctx: Context) -> Reading:
    return read_rows(read_table(files.find(str(path))), ctx)


def _timed(what: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = what()
    return time.perf_counter() - started, result


def run_phase(url: str, tmp: Path, *, rounds: int = ROUNDS,
              say: Callable[[str], None] = print) -> dict[str, Any]:
    """Time the rounds on the store at ``url`` (left as it was: each import is undone)."""
    db, geo = prepare(url)
    runtime = Runtime(settings=Settings(_env_file=None, lhl_database_url=url,  # type: ignore[call-arg]
                                        lhl_admins=ADMIN_USER), db=db, geo=geo)
    path = tmp / "import-357.xlsx"
    path.write_bytes(workbook(geo))
    files = LocalFiles()
    times: dict[str, list[float]] = {"read": [], "dry run": [], "import": [], "angre": []}
    first_lines: dict[str, str] = {}
    try:
        for n in range(rounds):
            ctx = runtime.context(ADMIN_USER, "CBENCH", files=files)
            took, _ = _timed(partial(_read, files, path, ctx))
            times["read"].append(took)
            for name, line in (("dry run", f"import {path}"),
                               ("import", f"import {path} --lagre"), ("angre", "angre")):
                took, answer = _timed(partial(runtime.handle, line, ADMIN_USER, "CBENCH",
                                              files=files))
                times[name].append(took)
                first_lines[name] = answer.text.splitlines()[0]
            say(f"  round {n + 1}: " + ", ".join(f"{k} {v[-1] * 1000:.0f} ms"
                                                 for k, v in times.items()))
    finally:
        db.dispose()
    if not first_lines["import"].startswith("Importert"):
        raise RuntimeError(f"the import did not import: {first_lines['import']}")
    if not first_lines["angre"].startswith("Angret: importen"):
        raise RuntimeError(f"angre did not take the import back: {first_lines['angre']}")
    return {
        "rows": len(geo.kommuner), "file_bytes": path.stat().st_size, "rounds": rounds,
        "ms": {k: {"median": statistics.median(v) * 1000, "max": max(v) * 1000}
               for k, v in times.items()},
        "answers": first_lines, "target_s": TARGET_S,
        "met": max(times["import"]) < TARGET_S,
    }


def target(phase: dict[str, Any]) -> dict[str, Any]:
    """The bench's target line for the import (``bench.report``'s form)."""
    return {"target": f"/lhl import of {phase['rows']} rows (--lagre) < {TARGET_S:.0f} s, "
                      "slowest round",
            "value": phase["ms"]["import"]["max"] / 1000, "unit": "s", "pass": phase["met"]}


def render(phase: dict[str, Any]) -> list[str]:
    lines = [f"Import of {phase['rows']} rows ({phase['file_bytes'] // 1024} kB .xlsx), "
             f"{phase['rounds']} rounds, median / max ms:"]
    for name, ms in phase["ms"].items():
        lines.append(f"  {name:<8} {ms['median']:8.0f} {ms['max']:8.0f}")
    lines.append(f"  import < {phase['target_s']:.0f} s: {'met' if phase['met'] else 'MISSED'}")
    lines.append(f"  {phase['answers']['import']}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench import",
                                     description="Time /lhl import of 357 rows on a bench store.")
    parser.add_argument("--records", type=int, default=100_000,
                        help="dialogue meetings in the store (default 100000)")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="lhl-bench-import-"))
    try:
        url = f"sqlite:///{tmp / 'lhl.db'}"
        print(f"building the SQLite store with {args.records} meetings …", file=sys.stderr)
        populate(url, meetings=args.records)
        phase = run_phase(url, tmp, rounds=max(1, args.rounds),
                          say=lambda m: print(m, file=sys.stderr))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("\n".join(render(phase)))
    return 0 if phase["met"] else 1
