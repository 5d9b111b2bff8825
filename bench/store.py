"""Build a national-scale store: ten years of dialogue meetings over the 357 kommuner, and
part 3's records on top: learning networks with their invitations and participation, each
kommune's plan status and phase (histories) and planned dialogue meetings."""

from __future__ import annotations

import random
import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, make_url, select, text

from storage.models import (
    COORDINATOR,
    HELD,
    OFFERED,
    PLAN_ADOPTED,
    PLAN_PROCESS,
    PLANNED,
    READER,
    Access,
    DialogueMeeting,
    KommuneFase,
    KommunePlan,
    MeetingKommune,
    Network,
    NetworkInvitation,
    NetworkParticipation,
)
from storage.networks import name_key
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
# Part 3. Learning networks: 2–4 per embete, most kommuner invited to each, and about half of
# the kommuner taking part in at least one.
_NETWORK_NAMES = ("Læringsnettverk mat og måltider", "Læringsnettverk aktivitet og fellesskap",
                  "Læringsnettverk helsehjelp", "Læringsnettverk sammenheng i tjenestene",
                  "Aldersvennlig samfunn-nettverket", "Nettverk for Leve hele livet-koordinatorer")
_NETWORK_TEMA = (None, "Mat og måltider", "Aktivitet og fellesskap", "Helsehjelp",
                 "Sammenheng i tjenestene", "Aldersvennlig samfunn")
NETWORK_FIRST = date(2019, 1, 1)
INVITED_SHARE = 0.85
"""Of an embete's kommuner, the share invited to each of its networks."""
PARTICIPATING_SHARE = 0.35
"""Of the invited, the share that take part in that network (about half of all kommuner then
take part in one or more of their embete's networks)."""
LEFT_SHARE = 0.08
"""Of those taking part, the share that have left again."""
PLAN_SHARE = 0.85
"""Kommuner with a plan history (one or two changes); the same share have a phase history."""
PLANNED_PER_MEETINGS = 100
"""One planned dialogue meeting per this many meetings (1 000 in the default store)."""
LAPSED_SHARE = 0.2
"""Of the planned meetings, those whose day has passed (shown as not logged as held)."""


@dataclass
class StoreInfo:
    url: str
    backend: str
    meetings: int
    meeting_kommuner: int
    access_rows: int
    held: int
    offered: int
    networks: int
    invitations: int
    participations: int
    left: int
    plan_rows: int
    phase_rows: int
    planned: int
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


def _day_between(rng: random.Random, first: date, last: date) -> date:
    """A day from ``first`` to ``last`` (both included; ``first`` when ``last`` is before it)."""
    return first + timedelta(days=rng.randrange(max(0, (last - first).days) + 1))


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


@dataclass
class Part3Counts:
    networks: int = 0
    invitations: int = 0
    participations: int = 0
    left: int = 0
    plan_rows: int = 0
    phase_rows: int = 0
    planned: int = 0
    planned_links: int = 0


def _add_networks(conn: Connection, rng: random.Random, by_embete: dict[str, list[str]],
                  coordinators: dict[str, str], today: date, counts: Part3Counts) -> None:
    """2–4 networks per embete, each inviting most of its kommuner; a third of those take
    part (about half of the kommuner in one network or more), a few have left again, and about
    one network in six has ended."""
    net = Network.__table__  # type: ignore[attr-defined]
    inv = NetworkInvitation.__table__  # type: ignore[attr-defined]
    part = NetworkParticipation.__table__  # type: ignore[attr-defined]
    taken = {(e, k) for e, k in conn.execute(select(net.c.embete_id, net.c.navn_key))}
    next_id = (conn.execute(select(func.max(net.c.id))).scalar() or 0) + 1
    n_rows: list[dict[str, Any]] = []
    i_rows: list[dict[str, Any]] = []
    p_rows: list[dict[str, Any]] = []
    latest_start = today - timedelta(days=120)
    for embete_id in sorted(by_embete):
        by = coordinators[embete_id]
        for navn in rng.sample(_NETWORK_NAMES, rng.randint(2, 4)):
            n, base = 1, navn
            while (embete_id, name_key(navn)) in taken:  # a PostgreSQL store filled before
                n += 1
                navn = f"{base} {n}"
            taken.add((embete_id, name_key(navn)))
            fra = _day_between(rng, NETWORK_FIRST, latest_start)
            til = fra + timedelta(days=rng.randrange(365, 3 * 365)) if rng.random() < 1 / 6 \
                else None
            if til is not None and til >= today:
                til = None
            n_rows.append({"id": next_id, "embete_id": embete_id, "navn": navn,
                           "navn_key": name_key(navn), "tema": rng.choice(_NETWORK_TEMA),
                           "fra": fra, "til": til, "created_by": by, "created_at": _noon(fra)})
            for k in by_embete[embete_id]:
                if rng.random() >= INVITED_SHARE:
                    continue
                invited = _day_between(rng, fra, min(fra + timedelta(days=30), today))
                i_rows.append({"network_id": next_id, "kommune_nummer": k, "dato": invited,
                               "created_by": by, "created_at": _noon(invited)})
                if rng.random() >= PARTICIPATING_SHARE:
                    continue
                start = _day_between(rng, invited, min(invited + timedelta(days=90), today))
                left = start + timedelta(days=rng.randrange(30, 720)) \
                    if rng.random() < LEFT_SHARE else None
                if left is not None and left > today:
                    left = None
                p_rows.append({"network_id": next_id, "kommune_nummer": k, "fra": start,
                               "til": left, "created_by": by, "created_at": _noon(start),
                               "ended_by": by if left else None,
                               "ended_at": _noon(left) if left else None})
                counts.left += left is not None
            next_id += 1
    conn.execute(insert(net), n_rows)
    for i in range(0, len(i_rows), BATCH):
        conn.execute(insert(inv), i_rows[i:i + BATCH])
    for i in range(0, len(p_rows), BATCH):
        conn.execute(insert(part), p_rows[i:i + BATCH])
    counts.networks += len(n_rows)
    counts.invitations += len(i_rows)
    counts.participations += len(p_rows)


def _add_plans_and_phases(conn: Connection, rng: random.Random, kommuner: list[Any],
                          coordinators: dict[str, str], today: date,
                          counts: Part3Counts) -> None:
    """For most kommuner a plan history (a described process, or an adopted plan, and for
    about half a second change: the plan adopted later) and a phase history (phase 1–3, and
    for about half a move one phase on)."""
    plan = KommunePlan.__table__  # type: ignore[attr-defined]
    fase = KommuneFase.__table__  # type: ignore[attr-defined]
    pl_rows: list[dict[str, Any]] = []
    fa_rows: list[dict[str, Any]] = []
    first = date(2018, 6, 1)
    for k in kommuner:
        by = coordinators[k.embete_id]
        if rng.random() < PLAN_SHARE:
            day = _day_between(rng, first, today)
            status = PLAN_PROCESS if rng.random() < 0.7 else PLAN_ADOPTED
            pl_rows.append({"kommune_nummer": k.nummer, "status": status, "dato": day,
                            "created_by": by, "created_at": _noon(day)})
            if status == PLAN_PROCESS and day < today and rng.random() < 0.5:
                later = _day_between(rng, day + timedelta(days=1), today)
                pl_rows.append({"kommune_nummer": k.nummer, "status": PLAN_ADOPTED,
                                "dato": later, "created_by": by, "created_at": _noon(later)})
        if rng.random() < PLAN_SHARE:
            day = _day_between(rng, first, today)
            phase = rng.randint(1, 3)
            fa_rows.append({"kommune_nummer": k.nummer, "fase": phase, "dato": day,
                            "created_by": by, "created_at": _noon(day)})
            if day < today and rng.random() < 0.5:
                later = _day_between(rng, day + timedelta(days=1), today)
                fa_rows.append({"kommune_nummer": k.nummer, "fase": phase + 1, "dato": later,
                                "created_by": by, "created_at": _noon(later)})
    conn.execute(insert(plan), pl_rows)
    conn.execute(insert(fase), fa_rows)
    counts.plan_rows += len(pl_rows)
    counts.phase_rows += len(fa_rows)


def _add_planned(conn: Connection, rng: random.Random, kommuner: list[Any],
                 by_embete: dict[str, list[str]], coordinators: dict[str, str], today: date,
                 now: datetime, first_id: int, n: int, counts: Part3Counts) -> int:
    """``n`` planned dialogue meetings with one or two kommuner of one embete, recorded in the
    past three months: most ahead of today, ``LAPSED_SHARE`` of them on a day that has
    passed. Returns the next free meeting id."""
    dm = DialogueMeeting.__table__  # type: ignore[attr-defined]
    mk = MeetingKommune.__table__  # type: ignore[attr-defined]
    m_rows: list[dict[str, Any]] = []
    k_rows: list[dict[str, Any]] = []
    next_id = first_id
    for _ in range(n):
        first = rng.choice(kommuner)
        others = [k for k in by_embete[first.embete_id] if k != first.nummer]
        chosen = [first.nummer, *rng.sample(others, min(rng.choice((0, 0, 0, 1)), len(others)))]
        if rng.random() < LAPSED_SHARE:
            dato = today - timedelta(days=rng.randrange(1, 90))
            created = _noon(dato - timedelta(days=rng.randrange(7, 120)))
        else:
            dato = today + timedelta(days=rng.randrange(1, 240))
            created = min(now - timedelta(days=rng.randrange(0, 90)), now)
        m_rows.append({"id": next_id, "status": PLANNED, "dato": dato,
                       "tema": rng.choice(_TEMA), "med": None, "notat": None,
                       "created_by": coordinators[first.embete_id], "created_at": created})
        k_rows.extend({"meeting_id": next_id, "kommune_nummer": k, "status": PLANNED,
                       "dato": dato} for k in chosen)
        next_id += 1
    if m_rows:
        conn.execute(insert(dm), m_rows)
        conn.execute(insert(mk), k_rows)
    counts.planned += len(m_rows)
    counts.planned_links += len(k_rows)
    return next_id


def populate(url: str, *, meetings: int, seed: int = SEED,
             today: date | None = None) -> StoreInfo:
    """Migrate the store at ``url`` and add ``meetings`` dialogue meetings (2017–2026) with
    their kommuner, plus a coordinator and a reader per embete and ``U_BENCH`` for Agder; then
    part 3's records: learning networks, plan and phase histories and planned meetings (one
    per ``PLANNED_PER_MEETINGS`` meetings), all from the same seeded RNG."""
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
    part3 = Part3Counts()
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
            next_id = _add_planned(conn, rng, kommuner, by_embete, coordinators, today, now,
                                   next_id, meetings // PLANNED_PER_MEETINGS, part3)
            _add_networks(conn, rng, by_embete, coordinators, today, part3)
            _add_plans_and_phases(conn, rng, kommuner, coordinators, today, part3)
            links += part3.planned_links
            if conn.dialect.name == "postgresql":
                # Explicit ids do not move the sequence; the bot's own inserts must not collide.
                for table in ("dialogue_meeting", "network"):
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"))
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
        held=held, offered=offered, networks=part3.networks,
        invitations=part3.invitations, participations=part3.participations, left=part3.left,
        plan_rows=part3.plan_rows, phase_rows=part3.phase_rows, planned=part3.planned,
        prepare_s=prepared - started, insert_s=done - prepared, total_s=done - started,
        file_bytes=file_bytes,
    )
