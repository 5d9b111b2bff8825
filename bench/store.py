"""Build a national-scale store: ten years of dialogue meetings over the 357 kommuner."""

from __future__ import annotations

import random
import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, make_url, select, text

from storage.models import (
    COORDINATOR,
    HELD,
    OFFERED,
    READER,
    Access,
    DialogueMeeting,
    MeetingKommune,
)
from storage.reference import Geography
from storage.setup import prepare

SEED = 20_170_101
FIRST_DAY = date(2017, 1, 1)
LAST_DAY = date(2026, 12, 31)
BENCH_USER = "U_BENCH"
BENCH_EMBETE = "agder"
ADMIN_USER = "UBENCHADM"
BATCH = 10_000

_TEMA = (None, None, "Leve hele livet", "Mat og måltider", "Aktivitet og fellesskap",
         "Helsehjelp", "Sammenheng i tjenestene", "Aldersvennlig samfunn", "Reformstøtte")
_MED = (None, None, "kommunalsjef", "helse- og omsorgssjef", "folkehelsekoordinator",
        "rådmann", "eldreråd", "KS")
_NOTAT = (None, None, None, "Oppfølging til høsten.", "God dialog om handlingsplanen.",
          "Ønsker nytt møte neste år.")
# How many kommuner take part in one meeting: mostly one, sometimes a region of up to four.
_SIZES = (1, 2, 3, 4)
_SIZE_WEIGHTS = (60, 20, 12, 8)


@dataclass
class StoreInfo:
    url: str
    backend: str
    meetings: int
    meeting_kommuner: int
    access_rows: int
    held: int
    offered: int
    prepare_s: float
    insert_s: float
    total_s: float
    file_bytes: int | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def coordinator_id(n: int) -> str:
    return f"UKOORD{n:02d}"


def _access_rows(geo: Geography, now: datetime) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for n, embete_id in enumerate(sorted(geo.embeter), start=1):
        rows.append({"slack_user_id": coordinator_id(n), "embete_id": embete_id,
                     "rolle": COORDINATOR, "created_by": ADMIN_USER, "created_at": now})
        rows.append({"slack_user_id": f"ULESER{n:02d}", "embete_id": embete_id,
                     "rolle": READER, "created_by": ADMIN_USER, "created_at": now})
    rows.append({"slack_user_id": BENCH_USER, "embete_id": BENCH_EMBETE, "rolle": COORDINATOR,
                 "created_by": ADMIN_USER, "created_at": now})
    return rows


def populate(url: str, *, meetings: int, seed: int = SEED,
             today: date | None = None) -> StoreInfo:
    """Migrate the store at ``url`` and add ``meetings`` dialogue meetings (2017–2026) with
    their kommuner, plus a coordinator and a reader per embete and ``U_BENCH`` for Agder."""
    started = time.perf_counter()
    db, geo = prepare(url)
    prepared = time.perf_counter()
    if BENCH_EMBETE not in geo.embeter:
        raise RuntimeError(f"embete {BENCH_EMBETE!r} missing from the reference data")
    rng = random.Random(seed)
    today = today or date.today()
    now = datetime.now(UTC)
    kommuner = sorted(geo.kommuner.values(), key=lambda k: k.nummer)
    by_embete = {e: [k.nummer for k in geo.kommuner_i(e)] for e in geo.embeter}
    coordinators = {e: coordinator_id(n) for n, e in enumerate(sorted(geo.embeter), start=1)}
    days = (LAST_DAY - FIRST_DAY).days + 1

    dm = DialogueMeeting.__table__  # type: ignore[attr-defined]
    mk = MeetingKommune.__table__  # type: ignore[attr-defined]
    acc = Access.__table__  # type: ignore[attr-defined]
    held = offered = links = 0
    try:
        with db.writer.begin() as conn:
            existing = set(conn.execute(select(acc.c.slack_user_id)).scalars())
            access = [r for r in _access_rows(geo, now) if r["slack_user_id"] not in existing]
            if access:
                conn.execute(insert(acc), access)
            first_id = (conn.execute(select(func.max(dm.c.id))).scalar() or 0) + 1
            next_id = first_id
            remaining = meetings
            while remaining > 0:
                n = min(BATCH, remaining)
                m_rows: list[dict[str, Any]] = []
                k_rows: list[dict[str, Any]] = []
                for _ in range(n):
                    first = rng.choice(kommuner)
                    size = rng.choices(_SIZES, _SIZE_WEIGHTS)[0]
                    same = by_embete[first.embete_id]
                    others = [k for k in same if k != first.nummer]
                    chosen = [first.nummer, *rng.sample(others, min(size - 1, len(others)))]
                    dato = FIRST_DAY + timedelta(days=rng.randrange(days))
                    status = HELD if dato <= today and rng.random() < 0.75 else OFFERED
                    when = datetime(dato.year, dato.month, dato.day, 12, tzinfo=UTC)
                    created = when + timedelta(days=1) if status == HELD else when - timedelta(
                        days=rng.randrange(3, 60))
                    m_rows.append({
                        "id": next_id, "status": status, "dato": dato,
                        "tema": rng.choice(_TEMA), "med": rng.choice(_MED),
                        "notat": rng.choice(_NOTAT),
                        "created_by": coordinators[first.embete_id],
                        "created_at": min(created, now),
                    })
                    k_rows.extend({"meeting_id": next_id, "kommune_nummer": k,
                                   "status": status, "dato": dato}
                                  for k in chosen)
                    if status == HELD:
                        held += 1
                    else:
                        offered += 1
                    next_id += 1
                conn.execute(insert(dm), m_rows)
                conn.execute(insert(mk), k_rows)
                links += len(k_rows)
                remaining -= n
            if conn.dialect.name == "postgresql":
                # Explicit ids do not move the sequence; the bot's own inserts must not collide.
                conn.execute(text(
                    "SELECT setval(pg_get_serial_sequence('dialogue_meeting', 'id'), "
                    "(SELECT max(id) FROM dialogue_meeting))"))
    finally:
        db.dispose()  # on SQLite the last close checkpoints the WAL into the file
    done = time.perf_counter()
    file_bytes: int | None = None
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        path = Path(parsed.database)
        file_bytes = path.stat().st_size if path.exists() else None
    return StoreInfo(
        url=parsed.render_as_string(hide_password=True),
        backend=parsed.get_backend_name(),
        meetings=meetings, meeting_kommuner=links, access_rows=len(access),
        held=held, offered=offered,
        prepare_s=prepared - started, insert_s=done - prepared, total_s=done - started,
        file_bytes=file_bytes,
    )
