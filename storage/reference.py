"""Reference data: the ten embeter, the fylker and the 357 kommuner (structure from 2024), and
the names people still type for them.

``storage/data/kommuner.csv`` is loaded idempotently at every start: missing rows are added and
changed names updated, so a new register is rolled out by replacing the file. The former
kommuner since 2019 (``kommuner_tidligere.csv``) and today's Sami and Kven parallel names
(``parallellnavn.csv``) are read from the package data as they are: they only name kommuner
the store already has. ``storage/data/README.md`` names the sources.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from pathlib import Path

from sqlmodel import Session, select

from storage.models import Embete, Fylke, Kommune
from voice.text import fold

DATA = Path(__file__).with_name("data")
KOMMUNER_CSV = DATA / "kommuner.csv"
TIDLIGERE_CSV = DATA / "kommuner_tidligere.csv"
PARALLELL_CSV = DATA / "parallellnavn.csv"
MAP_YEAR = 2024
"""The year of the kommunekart in ``kommuner.csv``: figures for earlier years are counted on it."""
_PREFIX = "Statsforvalteren i "


def slug(name: str) -> str:
    """``"Østfold, Buskerud, Oslo og Akershus"`` → ``"ostfold-buskerud-oslo-og-akershus"``."""
    folded = fold(name)
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


@dataclass(frozen=True)
class EmbeteRef:
    id: str
    navn: str
    kortnavn: str


@dataclass(frozen=True)
class FylkeRef:
    nummer: str
    navn: str
    embete_id: str


@dataclass(frozen=True)
class KommuneRef:
    nummer: str
    navn: str
    fylke_nummer: str
    embete_id: str

    @property
    def basenavn(self) -> str:
        """The name without the fylke SSB adds to homonyms: ``Herøy (Nordland)`` → ``Herøy``."""
        return self.navn.split(" (", 1)[0]


@dataclass(frozen=True)
class FormerKommune:
    """A kommunenummer and name in use since 2019 that is not today's pair: ``1002 Mandal``
    (now part of 4205 Lindesnes), ``0616 Nes (Buskerud)`` (now Nesbyen), ``1850 Divtasvuodna``
    (split between Narvik and Hamarøy)."""

    nummer: str
    navn: str
    fylkesnavn: str
    """The fylke it lay in then (``Hordaland``)."""
    gyldig_fra: date | None
    """When the pair came into force; None when older than SSB's change tables (1988)."""
    gyldig_til: date
    etterfolgere: tuple[str, ...]
    """Today's kommunenummer it became; more than one when it was split."""

    @property
    def basenavn(self) -> str:
        """Without the fylke SSB adds to homonyms: ``Os (Hordaland)`` → ``Os``."""
        return self.navn.split(" (", 1)[0]

    @property
    def until(self) -> int:
        """The first year it was no more: ``2020`` for a kommune merged in the 2020 reform."""
        return self.gyldig_til.year + 1


@dataclass(frozen=True)
class ParallelName:
    """An official Sami or Kven name of today's kommune: ``5612 Guovdageaidnu`` (Kautokeino)."""

    nummer: str
    navn: str
    sprak: str


@dataclass(frozen=True)
class Geography:
    """An in-memory copy of the reference tables (they change once a decade)."""

    embeter: dict[str, EmbeteRef]
    fylker: dict[str, FylkeRef]
    kommuner: dict[str, KommuneRef]
    former: tuple[FormerKommune, ...] = ()
    """Every former (number, name) since 2019; see :func:`name_history`."""
    parallel: tuple[ParallelName, ...] = ()

    @cached_property
    def kommuner_by_embete(self) -> dict[str, tuple[KommuneRef, ...]]:
        out: dict[str, list[KommuneRef]] = {e: [] for e in self.embeter}
        for k in sorted(self.kommuner.values(), key=lambda k: k.nummer):
            out[k.embete_id].append(k)
        return {e: tuple(ks) for e, ks in out.items()}

    def kommuner_i(self, embete_id: str) -> tuple[KommuneRef, ...]:
        return self.kommuner_by_embete.get(embete_id, ())

    @cached_property
    def former_numbers(self) -> frozenset[str]:
        """Kommunenummer in use since 2019 that are not today's (``1002``, ``1902``)."""
        return frozenset(f.nummer for f in self.former) - self.kommuner.keys()

    def kommuner_i_fylke(self, fylke_nummer: str) -> tuple[KommuneRef, ...]:
        return tuple(k for k in self.kommuner_i(self.fylker[fylke_nummer].embete_id)
                     if k.fylke_nummer == fylke_nummer)

    def embete_of(self, kommune: KommuneRef) -> EmbeteRef:
        return self.embeter[kommune.embete_id]

    def fylke_of(self, kommune: KommuneRef) -> FylkeRef:
        return self.fylker[kommune.fylke_nummer]


@dataclass(frozen=True)
class _Row:
    nummer: str
    navn: str
    fylkesnummer: str
    fylkesnavn: str
    embete: str


def _read_csv(path: Path) -> list[_Row]:
    with path.open(encoding="utf-8", newline="") as f:
        return [
            _Row(r["kommunenummer"], r["kommunenavn"], r["fylkesnummer"], r["fylkesnavn"],
                 r["embete"])
            for r in csv.DictReader(f)
        ]


@cache
def name_history(tidligere: Path = TIDLIGERE_CSV, parallell: Path = PARALLELL_CSV
                 ) -> tuple[tuple[FormerKommune, ...], tuple[ParallelName, ...]]:
    """The former kommuner since 2019 and today's parallel names, as the package data has them
    (read once per process)."""
    with tidligere.open(encoding="utf-8", newline="") as f:
        former = tuple(
            FormerKommune(r["kommunenummer"], r["kommunenavn"], r["fylkesnavn"],
                          date.fromisoformat(r["gyldig_fra"]) if r["gyldig_fra"] else None,
                          date.fromisoformat(r["gyldig_til"]), tuple(r["etterfolgere"].split()))
            for r in csv.DictReader(f))
    with parallell.open(encoding="utf-8", newline="") as f:
        parallel = tuple(ParallelName(r["kommunenummer"], r["navn"], r["sprak"])
                         for r in csv.DictReader(f))
    return former, parallel


def _with_history(embeter: dict[str, EmbeteRef], fylker: dict[str, FylkeRef],
                  kommuner: dict[str, KommuneRef]) -> Geography:
    """The geography with the names history knows, checked against today's kommuner: a former
    kommune's successor or a parallel name's kommune that is not there stops the start."""
    former, parallel = name_history()
    missing = sorted({n for f in former for n in f.etterfolgere if n not in kommuner}
                     | {p.nummer for p in parallel if p.nummer not in kommuner})
    if missing:
        raise ValueError(f"the name history names kommuner not in the register: {missing}")
    return Geography(embeter, fylker, kommuner, former, parallel)


def geography_from_rows(rows: Iterable[_Row]) -> Geography:
    embeter: dict[str, EmbeteRef] = {}
    fylker: dict[str, FylkeRef] = {}
    kommuner: dict[str, KommuneRef] = {}
    for r in rows:
        kort = r.embete.removeprefix(_PREFIX)
        eid = slug(kort)
        embeter.setdefault(eid, EmbeteRef(eid, r.embete, kort))
        fylker.setdefault(r.fylkesnummer, FylkeRef(r.fylkesnummer, r.fylkesnavn, eid))
        kommuner[r.nummer] = KommuneRef(r.nummer, r.navn, r.fylkesnummer, eid)
    return _with_history(embeter, fylker, kommuner)


def load_reference_data(session: Session, path: Path = KOMMUNER_CSV) -> int:
    """Add or update embeter, fylker and kommuner from the CSV; returns rows changed."""
    geo = geography_from_rows(_read_csv(path))
    return (
        _upsert(session, Embete, "id", [
            {"id": e.id, "navn": e.navn, "kortnavn": e.kortnavn} for e in geo.embeter.values()])
        + _upsert(session, Fylke, "nummer", [
            {"nummer": f.nummer, "navn": f.navn, "embete_id": f.embete_id}
            for f in geo.fylker.values()])
        + _upsert(session, Kommune, "nummer", [
            {"nummer": k.nummer, "navn": k.navn, "fylke_nummer": k.fylke_nummer,
             "embete_id": k.embete_id} for k in geo.kommuner.values()])
    )


def _upsert(session: Session, model: type[Embete] | type[Fylke] | type[Kommune], key: str,
            rows: list[dict[str, str]]) -> int:
    """Add the rows missing from ``model``'s table and update those that differ (matched on
    ``key``); returns how many changed."""
    existing = {getattr(r, key): r for r in session.exec(select(model))}
    changed = 0
    for values in rows:
        row = existing.get(values[key])
        if row is None:
            session.add(model(**values))
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
        else:
            continue
        changed += 1
    session.flush()
    return changed


def read_geography(session: Session) -> Geography:
    """The reference data as stored (after ``load_reference_data``), with the name history."""
    return _with_history(
        embeter={e.id: EmbeteRef(e.id, e.navn, e.kortnavn) for e in session.exec(select(Embete))},
        fylker={f.nummer: FylkeRef(f.nummer, f.navn, f.embete_id)
                for f in session.exec(select(Fylke))},
        kommuner={k.nummer: KommuneRef(k.nummer, k.navn, k.fylke_nummer, k.embete_id)
                  for k in session.exec(select(Kommune))},
    )
