"""Kommuner, fylker and embeter from what people type.

Every lookup compares *keys*: the text folded by :func:`storage.reference.fold` (case and
diacritics dropped, ``ø``→``o``), ``aa`` read as ``å``, punctuation and hyphens made spaces.
So ``baerum``, ``BÆRUM``, ``aalesund``, ``Nord Fron`` and ``Herøy (Nordland)`` all match.
The keys are built once per :class:`Geography` and kept in a small cache, so a lookup is a
dictionary hit; only the error path (suggestions via difflib) does real work.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

from commands.base import UsageError
from storage.reference import EmbeteRef, FylkeRef, Geography, KommuneRef
from voice.text import fold
from voice.words import echo


@dataclass(frozen=True)
class Scope:
    """What a status question is about.

    ``kind="fylke"`` and ``kind="kommune"`` also carry the embete (and a kommune its fylke),
    so a caller can check access without another lookup.
    """

    kind: Literal["embete", "fylke", "kommune", "landet"]
    embete: EmbeteRef | None = None
    fylke: FylkeRef | None = None
    kommune: KommuneRef | None = None


STATUS_USAGE = "`/lhl status [embete|fylke|kommune|landet] [år]`"
STATUS_EXAMPLE = "`/lhl status Agder 2025`"

_LANDET = frozenset({"landet", "hele landet", "norge", "hele norge", "alle", "nasjonalt",
                     "nasjonal", "nasjonale"})

# Names no longer in the register, and the usual short forms, mapped to the *current fylke*
# they now belong to; the embete follows from the fylke, so the table survives a new CSV.
_OLD_NAMES = {
    "viken": "Akershus", "oslo og viken": "Oslo", "oslo og akershus": "Oslo",
    "ostfold buskerud oslo akershus": "Oslo", "ostfold og buskerud": "Oslo",
    "hordaland": "Vestland", "sogn og fjordane": "Vestland", "sogn": "Vestland",
    "hedmark": "Innlandet", "oppland": "Innlandet",
    "aust agder": "Agder", "vest agder": "Agder",
    "sor trondelag": "Trøndelag", "nord trondelag": "Trøndelag", "trondelag": "Trøndelag",
    "more": "Møre og Romsdal", "more romsdal": "Møre og Romsdal",
    "vestfold telemark": "Vestfold", "troms finnmark": "Troms",
}
# Statsforvalteren's own codes (``sfag``, ``fmov``), allowed after ``sf``/``fm``.
_CODES = {
    "ag": "Agder", "in": "Innlandet", "mr": "Møre og Romsdal", "no": "Nordland",
    "ov": "Oslo", "ob": "Oslo", "oboa": "Oslo", "ro": "Rogaland", "tf": "Troms",
    "tl": "Trøndelag", "vt": "Vestfold", "vl": "Vestland",
}
# Codes safe on their own: ``ag``, ``in``, ``no`` are ordinary words.
_BARE_CODES = ("oboa", "ov", "mr", "tf", "tl", "vt", "vl")
_PREFIXES = ("statsforvalteren i ", "statsforvaltaren i ", "statsforvalteren ",
             "fylkesmannen i ", "fylkesmannen ", "sf ", "fm ")
_KOMMUNE_SUFFIX = re.compile(r" kommunen?$")
_FYLKE_SUFFIX = re.compile(r" fylke$")
_NUMBER = re.compile(r"\d{4}")
_LIST_SEPARATOR = re.compile(r"\s*[,;]\s*")
_AND = re.compile(r"\s+og\s+", re.I)
_DANGLING_AND = re.compile(r"^og(?:\s+|$)|\s+og$", re.I)
_NUMBER_WORDS = {2: "to", 3: "tre", 4: "fire"}


def key(text: str) -> str:
    """The form names are compared in: ``"Nord-Fron"`` → ``"nord fron"``,
    ``"Herøy (Nordland)"`` → ``"heroy nordland"``, ``"Aalesund"`` → ``"alesund"``."""
    folded = fold(text).replace("aa", "a")
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


@dataclass(frozen=True)
class _Index:
    kommuner: dict[str, tuple[KommuneRef, ...]]
    """By the key of the base name (homonyms share one) and of the full SSB name."""
    kommune_names: dict[str, tuple[str, ...]]
    """Base-name key → the names to suggest (both homonyms for ``heroy``)."""
    embeter: dict[str, EmbeteRef]
    """Every alias: names, fylker in it, old names, bare short codes."""
    codes: dict[str, EmbeteRef]
    fylker: dict[str, FylkeRef]
    embete_labels: tuple[str, ...]
    scope_names: dict[str, str]
    """Key → display name of every embete, fylke and kommune, for suggestions."""


_CACHE: dict[int, tuple[Geography, _Index]] = {}


def _index(geo: Geography) -> _Index:
    """The lookup tables of ``geo``, built on first use.

    Geography is a frozen dataclass holding dicts, so it cannot be hashed or weakly
    referenced by value; the cache is keyed by ``id`` and keeps the object alive so the id
    cannot be reused while the entry exists.
    """
    hit = _CACHE.get(id(geo))
    if hit is not None and hit[0] is geo:
        return hit[1]
    if len(_CACHE) > 8:
        _CACHE.clear()
    built = _build_index(geo)
    _CACHE[id(geo)] = (geo, built)
    return built


def _build_index(geo: Geography) -> _Index:
    kommuner: dict[str, list[KommuneRef]] = {}
    names: dict[str, list[str]] = {}
    for k in sorted(geo.kommuner.values(), key=lambda k: k.nummer):
        base = key(k.basenavn)
        kommuner.setdefault(base, []).append(k)
        names.setdefault(base, []).append(k.navn)
        if k.navn != k.basenavn:
            kommuner.setdefault(key(k.navn), []).append(k)
    fylker = {key(f.navn): f for f in geo.fylker.values()}
    embeter, codes = _embete_aliases(geo, fylker)
    labels = tuple(sorted((_label(e) for e in geo.embeter.values()), key=key))
    scope_names = {key(k.navn): k.navn for k in geo.kommuner.values()}
    scope_names |= {key(k.basenavn): k.basenavn for k in geo.kommuner.values()}
    scope_names |= {key(f.navn): f.navn for f in geo.fylker.values()}
    scope_names |= {key(_label(e)): _label(e) for e in geo.embeter.values()}
    return _Index(
        kommuner={k: tuple(v) for k, v in kommuner.items()},
        kommune_names={k: tuple(v) for k, v in names.items()},
        embeter=embeter, codes=codes, fylker=fylker, embete_labels=labels,
        scope_names=scope_names,
    )


def _embete_aliases(
    geo: Geography, fylker: dict[str, FylkeRef]
) -> tuple[dict[str, EmbeteRef], dict[str, EmbeteRef]]:
    aliases: dict[str, EmbeteRef] = {}
    for e in geo.embeter.values():
        aliases[key(e.kortnavn)] = e
        aliases[key(e.navn)] = e
        aliases[key(_without_og(e.kortnavn))] = e
        if len(key(_without_og(e.kortnavn)).split()) > 1:
            aliases[_initials(e.kortnavn)] = e
    for fkey, f in fylker.items():
        aliases.setdefault(fkey, geo.embeter[f.embete_id])

    def via_fylke(table: dict[str, str]) -> dict[str, EmbeteRef]:
        out = {}
        for alias, fylke_navn in table.items():
            f = fylker.get(key(fylke_navn))
            if f is not None:
                out[alias] = geo.embeter[f.embete_id]
        return out

    codes = via_fylke(_CODES)
    for alias, e in via_fylke(_OLD_NAMES).items():
        aliases.setdefault(alias, e)
    for code in _BARE_CODES:
        if code in codes:
            aliases.setdefault(code, codes[code])
    return aliases, codes


def _without_og(name: str) -> str:
    return " ".join(w for w in key(name).split() if w != "og")


def _initials(name: str) -> str:
    """``"Østfold, Buskerud, Oslo og Akershus"`` → ``"oboa"``."""
    return "".join(w[0] for w in _without_og(name).split())


def _label(e: EmbeteRef) -> str:
    """The short name people use in a list: the kortnavn, or its initials when it is itself
    a list (``OBOA``)."""
    return _initials(e.kortnavn).upper() if "," in e.kortnavn else e.kortnavn


def _or(names: list[str]) -> str:
    """``A``, ``A eller B``, ``A, B eller C``."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " eller " + names[-1]


def _suggest(text: str, choices: dict[str, tuple[str, ...]], limit: int = 3) -> list[str]:
    """The names closest to ``text``, best first; near-ties are all kept."""
    wanted = key(text)
    close = difflib.get_close_matches(wanted, list(choices), n=limit, cutoff=0.7)
    scored = sorted((-difflib.SequenceMatcher(None, wanted, k).ratio(), k) for k in close)
    out: list[str] = []
    for score, k in scored:
        if -score >= -scored[0][0] - 0.08:
            out.extend(n for n in choices[k] if n not in out)
    return out[:limit]


# --- kommuner ------------------------------------------------------------------------


def _kommune_candidates(text: str, idx: _Index) -> tuple[KommuneRef, ...]:
    """Every kommune ``text`` could mean (several for a bare homonym), or none."""
    wanted = _KOMMUNE_SUFFIX.sub("", key(text))
    found = idx.kommuner.get(wanted)
    if found:
        return found
    return _qualified(wanted, idx)


def _qualified(wanted: str, idx: _Index) -> tuple[KommuneRef, ...]:
    """``herøy nordland`` / ``herøy i møre``: a name followed by a fylke or embete.

    Returns the name's kommuner in that place. When the place matches none of a shared
    name's kommuner, all of them, so the caller reports the choice instead of guessing.
    """
    words = wanted.split()
    for cut in range(len(words) - 1, 0, -1):
        found = idx.kommuner.get(" ".join(words[:cut]))
        if not found:
            continue
        place = words[cut:]
        if place[0] == "i" and len(place) > 1:
            place = place[1:]
        embete = _embete_from_key(" ".join(place), idx)
        if embete is None:
            continue
        inside = tuple(k for k in found if k.embete_id == embete.id)
        return inside or (found if len(found) > 1 else ())
    return ()


def _describe(k: KommuneRef, geo: Geography) -> str:
    return k.navn if k.navn != k.basenavn else f"{k.navn} ({geo.fylke_of(k).navn})"


def _ambiguous(found: tuple[KommuneRef, ...], geo: Geography) -> UsageError:
    base = found[0].basenavn
    count = _NUMBER_WORDS.get(len(found), str(len(found)))
    last = found[-1]
    return UsageError(
        f"Det finnes {count} kommuner som heter {base}: "
        f"{_join_and([_describe(k, geo) for k in found])}. "
        f"Skriv for eksempel «{_describe(last, geo)}» eller kommunenummeret {last.nummer}."
    )


def _join_and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def _unknown_kommune(text: str, idx: _Index) -> UsageError:
    shown = text.strip()
    if _NUMBER.fullmatch(shown):
        return UsageError(f"Jeg finner ingen kommune med kommunenummer «{shown}». Skriv "
                          "navnet eller et gyldig nummer, for eksempel «Kristiansand» eller "
                          "«4204».")
    close = _suggest(shown, idx.kommune_names)
    if close:
        return UsageError(f"Jeg finner ingen kommune som heter «{echo(shown)}». "
                          f"Mente du {_or(close)}?")
    return UsageError(f"Jeg finner ingen kommune som heter «{echo(shown)}». Skriv navnet eller "
                      "kommunenummeret, for eksempel «Kristiansand» eller «4204».")


def _one_kommune(text: str, geo: Geography, idx: _Index) -> KommuneRef:
    stripped = text.strip()
    if _NUMBER.fullmatch(stripped):
        by_number = geo.kommuner.get(stripped)
        if by_number is None:
            raise _unknown_kommune(stripped, idx)
        return by_number
    found = _kommune_candidates(stripped, idx)
    if not found:
        raise _unknown_kommune(stripped, idx)
    if len(found) > 1:
        raise _ambiguous(found, geo)
    return found[0]


def resolve_kommune(text: str, geo: Geography) -> KommuneRef:
    """One kommune by name or four-digit kommunenummer.

    Case, diacritics, ``aa``/``å``, hyphens and a trailing ``kommune`` do not matter. A name
    two kommuner share (Herøy, Våler) must be told apart: ``Herøy (Nordland)``, ``Herøy
    Nordland``, ``Herøy i Nordland`` or ``1818``. Raises UsageError for an unknown name
    (with the closest names) or a shared one (naming both with their fylke).
    """
    if not text.strip():
        raise UsageError("Skriv hvilken kommune det gjelder, for eksempel «Kristiansand».")
    return _one_kommune(text, geo, _index(geo))


def resolve_kommuner(text: str, geo: Geography) -> list[KommuneRef]:
    """Several kommuner separated by ``,``, ``;`` or ``og`` (also ``, og``), in the order
    written and without repeats.

    Within each comma-separated piece the whole piece is tried first, then the longest run
    of ``og``-joined parts that names a kommune, so Evje og Hornnes and Nore og Uvdal
    survive. The first unknown or shared name raises UsageError.
    """
    idx = _index(geo)
    out: list[KommuneRef] = []
    for piece in _LIST_SEPARATOR.split(text.strip()):
        piece = _DANGLING_AND.sub("", piece).strip()
        if piece:
            for k in _piece_kommuner(piece, geo, idx):
                if k not in out:
                    out.append(k)
    if not out:
        raise UsageError("Skriv minst én kommune, for eksempel «Vennesla, Lillesand og "
                         "Birkenes».")
    return out


def _piece_kommuner(piece: str, geo: Geography, idx: _Index) -> list[KommuneRef]:
    parts = _AND.split(piece)
    out: list[KommuneRef] = []
    start = 0
    while start < len(parts):
        for end in range(len(parts), start, -1):
            joined = " og ".join(parts[start:end])
            if end - start == 1 or _NUMBER.fullmatch(joined) or _kommune_candidates(joined,
                                                                                      idx):
                out.append(_one_kommune(joined, geo, idx))
                start = end
                break
    return out


# --- embeter and scope -----------------------------------------------------------------


def _embete_from_key(wanted: str, idx: _Index) -> EmbeteRef | None:
    found = idx.embeter.get(wanted)
    if found is not None:
        return found
    for prefix in _PREFIXES:
        if wanted.startswith(prefix):
            rest = wanted.removeprefix(prefix)
            return idx.embeter.get(rest) or (
                idx.codes.get(rest) if prefix in ("sf ", "fm ") else None)
    if wanted[:2] in ("sf", "fm"):
        return idx.codes.get(wanted[2:])
    return None


def resolve_embete(text: str, geo: Geography) -> EmbeteRef:
    """An embete by its name (with or without ``Statsforvalteren i``/``Fylkesmannen i``), a
    fylke in it (``Troms``), an old name (``Viken``, ``Hordaland``, ``Aust-Agder``) or a short
    form (``OBOA``, ``VT``, ``TF``, ``MR``, ``SF Agder``, ``sfag``).

    Raises UsageError listing the ten embeter when nothing matches.
    """
    idx = _index(geo)
    found = _embete_from_key(key(text), idx)
    if found is None:
        raise UsageError(
            f"Jeg kjenner ikke noe embete som heter «{echo(text)}». Skriv et fylke eller "
            f"et av embetene {_or(list(idx.embete_labels))}, for eksempel «Agder»."
        )
    return found


def resolve_scope(text: str, geo: Geography) -> Scope:
    """What ``/lhl status`` is about, tried in this order:

    1. ``landet``, ``norge``, ``alle``, ``nasjonalt`` → the whole country;
    2. a current fylke that shares its embete with others (Østfold, Akershus, Buskerud,
       Oslo, Vestfold, Telemark, Troms, Finnmark) → that fylke (``Oslo`` is the fylke, which
       holds only the kommune Oslo);
    3. an embete in any form :func:`resolve_embete` accepts, including the fylker that are a
       whole embete on their own (Agder, Rogaland, Vestland …) → the embete;
    4. a kommune in any form :func:`resolve_kommune` accepts → the kommune.

    Raises UsageError with the closest names and the command's form when nothing matches,
    and the kommune error when a shared kommune name is not told apart.
    """
    idx = _index(geo)
    wanted = key(text)
    if not wanted:
        raise UsageError(f"Skriv hva du vil se status for: {STATUS_USAGE}, for eksempel "
                         f"{STATUS_EXAMPLE}.")
    if wanted in _LANDET:
        return Scope(kind="landet")
    fylke = idx.fylker.get(_FYLKE_SUFFIX.sub("", wanted))
    if fylke is not None and _shares_embete(fylke, geo):
        return Scope(kind="fylke", fylke=fylke, embete=geo.embeter[fylke.embete_id])
    embete = _embete_from_key(wanted, idx)
    if embete is None and fylke is not None:
        embete = geo.embeter[fylke.embete_id]
    if embete is not None:
        return Scope(kind="embete", embete=embete)
    if _NUMBER.fullmatch(text.strip()) or _kommune_candidates(text, idx):
        k = _one_kommune(text, geo, idx)
        return Scope(kind="kommune", kommune=k, fylke=geo.fylke_of(k), embete=geo.embete_of(k))
    raise _unknown_scope(text, idx)


def _shares_embete(fylke: FylkeRef, geo: Geography) -> bool:
    return any(f.embete_id == fylke.embete_id and f.nummer != fylke.nummer
               for f in geo.fylker.values())


def _unknown_scope(text: str, idx: _Index) -> UsageError:
    close = _suggest(text, {k: (v,) for k, v in idx.scope_names.items()})
    hint = f" Mente du {_or(close)}?" if close else ""
    return UsageError(
        f"Jeg kjenner ikke noe embete, fylke eller kommune som heter «{echo(text)}».{hint} "
        f"Skriv {STATUS_USAGE}, for eksempel {STATUS_EXAMPLE}."
    )
