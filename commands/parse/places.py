"""Kommuner, fylker and embeter from what people type.

Every lookup compares *keys*: the text folded by :func:`voice.text.fold` (case and
diacritics dropped, ``ø``→``o``, and the Sami ``ŋ``, ``đ``, ``ŧ`` as ``n``, ``d``, ``t``),
``aa`` read as ``å``, punctuation and hyphens made spaces. So ``baerum``, ``BÆRUM``,
``aalesund``, ``Nord Fron``, ``Porsangu`` and ``Herøy (Nordland)`` all match.

A kommune is found by today's name, its official Sami or Kven parallel name
(``Guovdageaidnu``), or a name or number it had since 2019 (``Mandal``, ``1002``). A former
name leads to today's kommune and a :class:`NameNote` says so; a split kommune (Snillfjord) is
never guessed. A name that several kommuner have or had (Herøy, Os, Bø) is settled by the user's
own embete when exactly one of them lies there, and asked about otherwise.

The keys are built once per :class:`Geography` and kept in a small cache, so a lookup is a
dictionary hit; only the error path (suggestions via difflib) does real work.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, NamedTuple

from commands.base import UsageError
from storage.reference import EmbeteRef, FormerKommune, FylkeRef, Geography, KommuneRef
from voice.reply import said
from voice.text import fold
from voice.words import echo, join_names

Home = Callable[[], str | None]
"""Asks for the id of the user's own embete (None: they have none); asked only when a name
several kommuner have or had must be told apart."""


@dataclass(frozen=True)
class NameNote:
    """How a name that is not a kommune's own today was read, said in the reply so the user sees
    which kommune was acted on: ``Mandal er en del av Lindesnes siden 2020.``"""

    written: str
    """The name or number as the register has it, with today's fylke when the name is shared:
    ``Mandal``, ``Os (Vestland)``, ``1002 Mandal``, ``1001``; for ``home``, the name typed."""
    kommune: KommuneRef
    """Today's kommune it was read as."""
    how: Literal["merged", "renamed", "renumbered", "home"]
    """Merged into ``kommune``, renamed to it, its former number, or the one of a shared name
    that lies in the user's embete."""
    since: int | None = None
    fylke: str | None = None
    """For ``home``: the fylke ``kommune`` lies in."""

    @property
    def sentence(self) -> str:
        k = self.kommune
        if self.how == "merged":
            return f"{self.written} er en del av {k.navn} siden {self.since}."
        if self.how == "renamed":
            return f"{self.written} heter {k.navn} siden {self.since}."
        if self.how == "renumbered":
            return (f"{self.written} er et tidligere kommunenummer for {k.navn}, som nå har "
                    f"{k.nummer}.")
        return (f"Jeg leste {self.written} som {k.basenavn} ({self.fylke}), som ligger i ditt "
                "embete.")


class Found(NamedTuple):
    """Kommuner read from a text, in the order written, and a note for each name that is not
    the kommune's own today."""

    kommuner: list[KommuneRef]
    notes: tuple[NameNote, ...] = ()

    @property
    def kommune(self) -> KommuneRef:
        """The first (for :func:`resolve_kommune`, the only) kommune."""
        return self.kommuner[0]


@dataclass(frozen=True)
class Scope:
    """What a status question is about.

    ``kind="fylke"`` and ``kind="kommune"`` also carry the embete (and a kommune its fylke),
    so a caller can check access without another lookup; ``notes`` says how a former or
    shared kommune name was read.
    """

    kind: Literal["embete", "fylke", "kommune", "landet"]
    embete: EmbeteRef | None = None
    fylke: FylkeRef | None = None
    kommune: KommuneRef | None = None
    notes: tuple[NameNote, ...] = ()


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
# Sami letters that Unicode does not decompose into a letter and an accent.
_SAMI_LETTERS = str.maketrans({"ŋ": "n", "Ŋ": "n", "đ": "d", "Đ": "d", "ŧ": "t", "Ŧ": "t"})


def key(text: str) -> str:
    """The form names are compared in: ``"Nord-Fron"`` → ``"nord fron"``,
    ``"Herøy (Nordland)"`` → ``"heroy nordland"``, ``"Aalesund"`` → ``"alesund"``,
    ``"Porsáŋgu"`` → ``"porsangu"``."""
    folded = fold(text.translate(_SAMI_LETTERS)).replace("aa", "a")
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


@dataclass(frozen=True)
class _Hit:
    """One kommune a name (or number) can mean: today's ``kommune``, reached through
    ``former`` when the name is not that kommune's own today. A split former kommune has no
    single ``kommune``."""

    kommune: KommuneRef | None
    former: FormerKommune | None
    how: Literal["same", "merged", "renamed", "renumbered", "split"]
    embeter: frozenset[str]
    """The embeter it lies in today."""
    fylker: frozenset[str]
    """Keys of the fylker it lies in today, and lay in then."""


@dataclass(frozen=True)
class _Index:
    names: dict[str, tuple[_Hit, ...]]
    """By the key of every name: today's (base and full SSB name), parallel and former ones.
    Shared names have several hits, today's kommuner first."""
    numbers: dict[str, _Hit]
    """Former kommunenummer that are not today's."""
    suggestions: dict[str, tuple[str, ...]]
    """Key of a name → what to suggest for it (``Mandal (nå Lindesnes)``)."""
    written: dict[str, str]
    """Key of a name → the name as the register writes it (``Mandal``, ``Guovdageaidnu``)."""
    embeter: dict[str, EmbeteRef]
    """Every alias: names, fylker in it, old names, bare short codes."""
    codes: dict[str, EmbeteRef]
    fylker: dict[str, FylkeRef]
    embete_labels: tuple[str, ...]
    scope_names: dict[str, tuple[str, ...]]
    """Key → display names of every embete, fylke and kommune name, for suggestions."""
    parts: dict[str, frozenset[str]]
    """Key of the first word(s) of a kommune's name today, or of a part of a hyphenated or
    «og» name (``evje``, ``hornnes``, ``aurskog``) → the names of the kommuner it begins or is
    part of, suggested first for a name not found (never read as one of them)."""


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
    names, numbers, suggestions, written = _kommune_names(geo)
    fylker = {key(f.navn): f for f in geo.fylker.values()}
    embeter, codes = _embete_aliases(geo, fylker)
    labels = tuple(sorted((_label(e) for e in geo.embeter.values()), key=key))
    scope_names = dict(suggestions)
    scope_names |= {key(f.navn): (f.navn,) for f in geo.fylker.values()}
    scope_names |= {key(_label(e)): (_label(e),) for e in geo.embeter.values()}
    return _Index(names=names, numbers=numbers, suggestions=suggestions, written=written,
                  embeter=embeter,
                  codes=codes, fylker=fylker, embete_labels=labels, scope_names=scope_names,
                  parts=_name_parts(geo))


_PARTS = re.compile(r"\s*-\s*|\s+og\s+", re.I)


def _name_parts(geo: Geography) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for k in geo.kommuner.values():
        words = key(k.basenavn).split()
        starts = {" ".join(words[:n]) for n in range(1, len(words))}
        parts = {key(p) for p in _PARTS.split(k.basenavn)} if _PARTS.search(k.basenavn) else set()
        for part in (starts | parts) - {""}:
            found.setdefault(part, set()).add(k.navn)
    return {part: frozenset(navn) for part, navn in found.items()}


def _kommune_names(geo: Geography) -> tuple[
        dict[str, tuple[_Hit, ...]], dict[str, _Hit], dict[str, tuple[str, ...]], dict[str, str]]:
    """Every name and former number of a kommune, and what to suggest for each name."""
    keyed = functools.cache(key)  # the same few hundred names come back often
    own: dict[str, set[str]] = {n: {keyed(k.basenavn)} for n, k in geo.kommuner.items()}
    for p in geo.parallel:
        own[p.nummer].add(keyed(p.navn))
    hits_today = {n: _Hit(k, None, "same", frozenset({k.embete_id}),
                          frozenset({keyed(geo.fylke_of(k).navn)}))
                  for n, k in geo.kommuner.items()}

    def today(k: KommuneRef) -> _Hit:
        return hits_today[k.nummer]

    # A kommune renamed (Nes → Nesbyen in 2020) went alone into a kommune that appears, under
    # its new name, from the next day; a kommune merged into one that kept its name and number
    # (Klæbu into Trondheim) has no such row.
    joined = Counter((f.etterfolgere, f.gyldig_til) for f in {(f.nummer, f.etterfolgere,
                     f.gyldig_til): f for f in geo.former}.values())
    next_names = {(f.etterfolgere, f.gyldig_fra, keyed(f.basenavn)) for f in geo.former}

    def renamed(f: FormerKommune, after: KommuneRef) -> bool:
        next_day = f.gyldig_til + timedelta(days=1)
        return (joined[(f.etterfolgere, f.gyldig_til)] == 1
                and (f.etterfolgere, next_day, keyed(after.basenavn)) in next_names)

    def through(f: FormerKommune, names: set[str]) -> _Hit:
        after = [geo.kommuner[n] for n in f.etterfolgere]
        if len(after) == 1 and names & own[after[0].nummer]:
            return today(after[0])
        how: Literal["merged", "renamed", "split"] = (
            "split" if len(after) > 1 else "renamed" if renamed(f, after[0]) else "merged")
        return _Hit(after[0] if len(after) == 1 else None, f, how,
                    frozenset(k.embete_id for k in after),
                    frozenset({keyed(f.fylkesnavn)} | {keyed(geo.fylke_of(k).navn) for k in after}))

    found: dict[str, list[_Hit]] = {}
    shown: dict[str, str] = {}
    """Key → the name as written, for suggestions."""

    def add(name: str, hit: _Hit, *, base: bool = True) -> None:
        hits = found.setdefault(keyed(name), [])
        if hit not in hits:
            hits.append(hit)
        if base:
            shown.setdefault(keyed(name), name)

    for k in sorted(geo.kommuner.values(), key=lambda k: k.nummer):
        add(k.basenavn, today(k))
        add(k.navn, today(k), base=k.navn == k.basenavn)
    for p in geo.parallel:
        add(p.navn, today(geo.kommuner[p.nummer]))
    latest_first = sorted(geo.former, key=lambda f: f.gyldig_til, reverse=True)
    for f in latest_first:
        hit = through(f, {keyed(f.basenavn)})
        add(f.basenavn, hit)
        add(f.navn, hit, base=f.navn == f.basenavn)
    names = {k: _without_repeats(hits) for k, hits in found.items()}

    numbers: dict[str, _Hit] = {}
    by_number: dict[str, list[FormerKommune]] = {}
    for f in latest_first:
        if f.nummer not in geo.kommuner:
            by_number.setdefault(f.nummer, []).append(f)
    for nummer, rows in by_number.items():
        # The name it had longest (Tysfjord rather than Divtasvuodna) stands for the number.
        last = [f for f in rows if f.gyldig_til == rows[0].gyldig_til]
        row = min(last, key=lambda f: f.gyldig_fra or date.min)
        hit = through(row, {keyed(f.basenavn) for f in last})
        numbers[nummer] = (hit if hit.former is not None else
                           _Hit(hit.kommune, row, "renumbered", hit.embeter, hit.fylker))

    suggestions = {k: tuple(_suggestion(shown[k], h) for h in names[k]) for k in shown}
    return names, numbers, suggestions, shown


def _without_repeats(hits: list[_Hit]) -> tuple[_Hit, ...]:
    """Today's kommuner first; a former kommune only when it leads somewhere else than they do
    (``Ålesund`` is today's Ålesund, not the Ålesund of 2020–2023 that was split), and once
    per successor (the latest name)."""
    today = [h for h in hits if h.former is None]
    reached = {h.kommune.nummer for h in today if h.kommune}
    out = list(today)
    seen: set[tuple[str, ...]] = set()
    for h in hits:
        f = h.former
        if f is None or reached & set(f.etterfolgere) or f.etterfolgere in seen:
            continue
        seen.add(f.etterfolgere)
        out.append(h)
    return tuple(out)


def _suggestion(name: str, hit: _Hit) -> str:
    """``Lindesnes``, ``Guovdageaidnu (Kautokeino)``, ``Mandal (nå Lindesnes)``."""
    if hit.former is None and hit.kommune is not None:
        k = hit.kommune
        return k.navn if key(k.basenavn) == key(name) else f"{name} ({k.navn})"
    if hit.kommune is not None:
        return f"{name} (nå {hit.kommune.navn})"
    return f"{name} (nå delt)"


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


def _suggest(text: str, choices: dict[str, tuple[str, ...]], limit: int = 3,
             parts: dict[str, frozenset[str]] | None = None) -> list[str]:
    """The names closest to ``text``, best first; near-ties are all kept. With ``parts``, the
    one kommune whose name ``text`` begins or is part of (``Evje``: Evje og Hornnes) comes
    first."""
    wanted = key(text)
    close = difflib.get_close_matches(wanted, list(choices), n=limit, cutoff=0.7)
    scored = sorted((-difflib.SequenceMatcher(None, wanted, k).ratio(), k) for k in close)
    whole = (parts or {}).get(wanted, frozenset())
    out: list[str] = list(whole) if len(whole) == 1 else []
    for score, k in scored:
        if -score >= -scored[0][0] - 0.08:
            out.extend(n for n in choices[k] if n not in out)
    return out[:limit]


# --- kommuner ------------------------------------------------------------------------


def _hits(text: str, idx: _Index) -> tuple[_Hit, ...]:
    """Every kommune ``text`` could mean (several for a shared name), or none."""
    wanted = _KOMMUNE_SUFFIX.sub("", key(text))
    found = idx.names.get(wanted)
    if found:
        return found
    return _qualified(wanted, idx)


def _qualified(wanted: str, idx: _Index) -> tuple[_Hit, ...]:
    """``herøy nordland`` / ``os i hordaland``: a name followed by a fylke (of today or of
    then) or an embete.

    Returns the name's kommuner in that place. When the place matches none of a shared
    name's kommuner, all of them, so the caller reports the choice instead of guessing.
    """
    words = wanted.split()
    for cut in range(len(words) - 1, 0, -1):
        found = idx.names.get(" ".join(words[:cut]))
        if not found:
            continue
        place = words[cut:]
        if place[0] == "i" and len(place) > 1:
            place = place[1:]
        in_fylke = tuple(h for h in found if " ".join(place) in h.fylker)
        if in_fylke:
            return in_fylke
        embete = _embete_from_key(" ".join(place), idx)
        if embete is None:
            continue
        inside = tuple(h for h in found if embete.id in h.embeter)
        return inside or (found if len(found) > 1 else ())
    return ()


def _describe(k: KommuneRef, geo: Geography) -> str:
    return k.navn if k.navn != k.basenavn else f"{k.navn} ({geo.fylke_of(k).navn})"


def _base_of(hit: _Hit) -> str:
    """The name the hit was found by, without a fylke: ``Os``, ``Mandal``, ``Herøy``."""
    if hit.former is not None:
        return hit.former.basenavn
    assert hit.kommune is not None
    return hit.kommune.basenavn


def _with_fylke(hit: _Hit, geo: Geography) -> str:
    """A shared name told apart by today's fylke: ``Os (Innlandet)``, ``Os (Vestland)``; a
    split kommune by the name it had (``Nes (Buskerud)``)."""
    if hit.kommune is None:
        assert hit.former is not None
        return hit.former.navn
    return f"{_base_of(hit)} ({geo.fylke_of(hit.kommune).navn})"


def _ambiguous(hits: tuple[_Hit, ...], geo: Geography) -> UsageError:
    count = _NUMBER_WORDS.get(len(hits), str(len(hits)))
    today = [h.kommune for h in hits if h.former is None and h.kommune is not None]
    if len(today) == len(hits):
        base, last = today[0].basenavn, today[-1]
        return UsageError(
            f"Det finnes {count} kommuner som heter {base}: "
            f"{join_names([_describe(k, geo) for k in today])}. "
            f"Skriv for eksempel «{_describe(last, geo)}» eller kommunenummeret {last.nummer}."
        )
    described: list[str] = []
    examples: list[str] = []
    for h in hits:
        name = _with_fylke(h, geo)
        if h.former is None or h.kommune is None:
            described.append(name if h.kommune else f"{name}, nå delt")
            examples.append(name)
        else:
            now = "en del av " if h.how == "merged" else ""
            described.append(f"{name}, nå {now}{h.kommune.navn}")
            examples.append(h.kommune.navn)
    return UsageError(f"{_base_of(hits[0])} kan være {count} kommuner: "
                      f"{join_names(described)}. Skriv for eksempel «{examples[0]}» eller "
                      f"«{examples[-1]}».")


def _split(written: str, former: FormerKommune, geo: Geography) -> UsageError:
    after = [geo.kommuner[n].navn for n in former.etterfolgere]
    return UsageError(f"{written} ble delt mellom {join_names(after)} i {former.until}: skriv "
                      f"hvilken av dem det gjelder, for eksempel «{after[-1]}».")


def _unknown_kommune(text: str, idx: _Index) -> UsageError:
    shown = text.strip()
    if _NUMBER.fullmatch(shown):
        return UsageError(f"Jeg finner ingen kommune med kommunenummer «{shown}». Skriv "
                          "navnet eller et gyldig nummer, for eksempel «Kristiansand» eller "
                          "«4204».")
    close = _suggest(_KOMMUNE_SUFFIX.sub("", key(shown)), idx.suggestions, parts=idx.parts)
    if close:
        return UsageError(f"Jeg finner ingen kommune som heter «{said(echo(shown))}». "
                          f"Mente du {_or(close)}?")
    return UsageError(f"Jeg finner ingen kommune som heter «{said(echo(shown))}». Skriv navnet "
                      "eller kommunenummeret, for eksempel «Kristiansand» eller «4204».")


def _one_kommune(text: str, geo: Geography, idx: _Index, home: Home
                 ) -> tuple[KommuneRef, NameNote | None]:
    stripped = text.strip()
    if _NUMBER.fullmatch(stripped):
        by_number = geo.kommuner.get(stripped)
        if by_number is not None:
            return by_number, None
        former = idx.numbers.get(stripped)
        if former is None or former.former is None:
            raise _unknown_kommune(stripped, idx)
        written = (stripped if former.how == "renumbered"
                   else f"{stripped} {former.former.navn}")
        return _read(former, written, geo, by_home=False)
    wanted = _KOMMUNE_SUFFIX.sub("", key(stripped))
    hits = idx.names.get(wanted) or _qualified(wanted, idx)
    if not hits:
        raise _unknown_kommune(stripped, idx)
    if len(hits) == 1:
        hit = hits[0]
        shared = len(idx.names.get(key(_base_of(hit)), ())) > 1
        return _read(hit, _with_fylke(hit, geo) if shared else _base_of(hit), geo,
                     by_home=False)
    # A place the user named (``Herøy i Agder``) that fits none is asked about, not overruled.
    own = home() if wanted in idx.names else None
    inside = [h for h in hits if own in h.embeter] if own else []
    if len(inside) != 1:
        raise _ambiguous(hits, geo)
    hit = inside[0]
    return _read(hit, _with_fylke(hit, geo) if hit.former else _base_of(hit), geo,
                 by_home=True)


def _read(hit: _Hit, written: str, geo: Geography, *, by_home: bool
          ) -> tuple[KommuneRef, NameNote | None]:
    """The kommune ``hit`` leads to, with a note unless it is plainly today's."""
    k, former = hit.kommune, hit.former
    if former is None or hit.how == "same":
        assert k is not None
        note = (NameNote(written, k, "home", fylke=geo.fylke_of(k).navn) if by_home else None)
        return k, note
    if k is None or hit.how == "split":
        raise _split(written, former, geo)
    return k, NameNote(written, k, hit.how, since=None if hit.how == "renumbered"
                       else former.until)


def _asker(home: Home | None) -> Home:
    """``home`` asked at most once per text."""
    return functools.cache(home) if home is not None else (lambda: None)


def resolve_kommune(text: str, geo: Geography, *, home: Home | None = None) -> Found:
    """One kommune by name, parallel name, former name or four-digit kommunenummer (today's
    or a former one).

    Case, diacritics, ``aa``/``å``, hyphens and a trailing ``kommune`` do not matter. A name
    several kommuner have or had (Herøy, Våler, Os) is settled by ``home``, the user's own
    embete, when exactly one of them lies there; otherwise it must be told apart: ``Herøy
    (Nordland)``, ``Herøy Nordland``, ``Herøy i Nordland``, ``Os i Hordaland`` or ``1818``.
    Raises UsageError for an unknown name (with the closest names), a shared one (naming each
    with its fylke) or a split one (naming its successors).
    """
    if not text.strip():
        raise UsageError("Skriv hvilken kommune det gjelder, for eksempel «Kristiansand».")
    k, note = _one_kommune(text, geo, _index(geo), _asker(home))
    return Found([k], (note,) if note else ())


def resolve_kommuner(text: str, geo: Geography, *, home: Home | None = None) -> Found:
    """Several kommuner separated by ``,``, ``;`` or ``og`` (also ``, og``), in the order
    written and without repeats, each read as :func:`resolve_kommune` reads it.

    Within each comma-separated piece the whole piece is tried first, then the longest run
    of ``og``-joined parts that names a kommune, so Evje og Hornnes and Nore og Uvdal
    survive. The first unknown, shared or split name raises UsageError.
    """
    idx = _index(geo)
    ask = _asker(home)
    out: list[KommuneRef] = []
    notes: list[NameNote] = []
    for piece in _LIST_SEPARATOR.split(text.strip()):
        piece = _DANGLING_AND.sub("", piece).strip()
        if piece:
            for k, note in _piece_kommuner(piece, geo, idx, ask):
                if k not in out:
                    out.append(k)
                if note is not None and note not in notes:
                    notes.append(note)
    if not out:
        raise UsageError("Skriv minst én kommune, for eksempel «Vennesla, Lillesand og "
                         "Birkenes».")
    return Found(out, tuple(notes))


def _piece_kommuner(piece: str, geo: Geography, idx: _Index, home: Home
                    ) -> list[tuple[KommuneRef, NameNote | None]]:
    parts = _AND.split(piece)
    out: list[tuple[KommuneRef, NameNote | None]] = []
    start = 0
    while start < len(parts):
        for end in range(len(parts), start, -1):
            joined = " og ".join(parts[start:end])
            if end - start == 1 or _NUMBER.fullmatch(joined) or _hits(joined, idx):
                out.append(_one_kommune(joined, geo, idx, home))
                start = end
                break
    return out


# --- type-ahead and free text ------------------------------------------------------------


class Suggestion(NamedTuple):
    """A kommune a type-ahead offers: ``label`` says how the typed name leads to it
    (``Lindesnes (tidligere Mandal)``), ``kommune`` is what is chosen."""

    label: str
    kommune: KommuneRef


def suggest_kommuner(query: str, geo: Geography, *, limit: int = 100) -> list[Suggestion]:
    """The kommuner a type-ahead offers for what has been typed so far, read by the same keys
    as :func:`resolve_kommune`: today's name, a Sami or Kven name, a name or number it had
    since 2019 (``Mandal`` offers Lindesnes, ``Snillfjord`` each kommune it was split
    between), or the start of a kommunenummer. The whole name first, then names that start
    with it, then names with a word that starts with it (``fron``: Nord-Fron, Sør-Fron); each
    kommune once, at most ``limit``."""
    idx = _index(geo)
    wanted = _KOMMUNE_SUFFIX.sub("", key(query))
    if not wanted:
        return []
    ranked: list[tuple[int, bool, Suggestion]] = []
    if wanted.isdigit():
        for nummer, k in geo.kommuner.items():
            if nummer.startswith(wanted):
                ranked.append((0 if nummer == wanted else 1, False,
                               Suggestion(f"{nummer} {k.navn}", k)))
        for nummer, hit in idx.numbers.items():
            if nummer.startswith(wanted) and hit.former is not None:
                for k, how in _reached(hit, geo):
                    ranked.append((0 if nummer == wanted else 1, True, Suggestion(
                        f"{k.nummer} {k.navn} ({how} {nummer} {hit.former.basenavn})", k)))
    else:
        for name_key, hits in idx.names.items():
            if name_key == wanted:
                rank = 0
            elif name_key.startswith(wanted):
                rank = 1
            elif any(w.startswith(wanted) for w in name_key.split()[1:]):
                rank = 2
            else:
                continue
            written = idx.written.get(name_key)
            for hit in hits:
                for k, how in _reached(hit, geo):
                    ranked.append((rank, bool(how), Suggestion(_offered(written, k, how), k)))
    out: list[Suggestion] = []
    seen: set[str] = set()
    # Today's own names before the ones that lead elsewhere, each rank in alphabetical order.
    for _rank, _former, found in sorted(ranked, key=lambda r: (r[0], r[1], key(r[2].label))):
        if found.kommune.nummer not in seen:
            seen.add(found.kommune.nummer)
            out.append(found)
            if len(out) >= limit:
                break
    return out


def _reached(hit: _Hit, geo: Geography) -> list[tuple[KommuneRef, str]]:
    """Today's kommuner a hit leads to, and how (``""``: it is that kommune's own name)."""
    if hit.former is None and hit.kommune is not None:
        return [(hit.kommune, "")]
    if hit.former is None:
        return []
    if hit.kommune is None or hit.how == "split":
        return [(geo.kommuner[n], "del av tidligere") for n in hit.former.etterfolgere
                if n in geo.kommuner]
    return [(hit.kommune, "tidligere")]


def _offered(written: str | None, k: KommuneRef, how: str) -> str:
    """``Lindesnes``, ``Guovdageaidnu (Kautokeino)``, ``Lindesnes (tidligere Mandal)``."""
    if written is None or key(written) in (key(k.basenavn), key(k.navn)):
        return k.navn
    if not how:
        return f"{written} ({k.navn})"
    return f"{k.navn} ({how} {written})"


class InText(NamedTuple):
    """Kommuner named in free text (a Slack message), each once in the order named; notes on
    former or shared names; and the names that could be more than one kommune, which are
    left for the user to choose."""

    kommuner: list[KommuneRef]
    notes: tuple[NameNote, ...]
    unsettled: tuple[str, ...]


_MARKUP = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[^\W\d_][\w'-]*")
_LONGEST_NAME_WORDS = 4


def kommuner_in(text: str, geo: Geography, *, home: Home | None = None) -> InText:
    """The kommuner a message names, read as :func:`resolve_kommune` reads a name: a name
    must start with a capital letter (``Time`` the kommune, not «en time»), and may be several
    words (``Evje og Hornnes``, ``Herøy i Nordland``). A name several kommuner have or had is
    settled by ``home`` as there, and otherwise left out and listed in ``unsettled``; so is a
    kommune that was split. Numbers are not read: in a message they are more often years,
    postcodes or phone numbers than kommunenummer."""
    idx = _index(geo)
    ask = _asker(home)
    words = _WORD.findall(_MARKUP.sub(" ", text))
    found: list[KommuneRef] = []
    notes: list[NameNote] = []
    unsettled: list[str] = []
    i = 0
    while i < len(words):
        if not words[i][0].isupper():
            i += 1
            continue
        for n in range(min(_LONGEST_NAME_WORDS, len(words) - i), 0, -1):
            candidate = " ".join(words[i:i + n])
            if not _hits(candidate, idx):
                continue
            try:
                k, note = _one_kommune(candidate, geo, idx, ask)
            except UsageError:
                if candidate not in unsettled:
                    unsettled.append(candidate)
            else:
                if k not in found:
                    found.append(k)
                if note is not None and note not in notes:
                    notes.append(note)
            i += n
            break
        else:
            i += 1
    return InText(found, tuple(notes), tuple(unsettled))


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
        kommune = geo.kommuner.get(text.strip()) or next(
            (k for k in geo.kommuner.values() if key(k.navn) == key(text)), None)
        if kommune is not None:
            embete = geo.embete_of(kommune)
            raise UsageError(
                f"{kommune.navn} er en kommune, og her trengs et embete eller fylke: "
                f"{kommune.navn} hører til {embete.navn}, så skriv for eksempel "
                f"«{embete.kortnavn}».")
        raise UsageError(
            f"Jeg kjenner ikke noe embete som heter «{said(echo(text))}». Skriv et fylke eller "
            f"et av embetene {_or(list(idx.embete_labels))}, for eksempel «Agder»."
        )
    return found


def resolve_scope(text: str, geo: Geography, *, home: Home | None = None,
                  form: tuple[str, str] = (STATUS_USAGE, STATUS_EXAMPLE)) -> Scope:
    """What ``/lhl status`` is about, tried in this order:

    1. ``landet``, ``norge``, ``alle``, ``nasjonalt`` → the whole country;
    2. a current fylke that shares its embete with others (Østfold, Akershus, Buskerud,
       Oslo, Vestfold, Telemark, Troms, Finnmark) → that fylke (``Oslo`` is the fylke, which
       holds only the kommune Oslo);
    3. an embete in any form :func:`resolve_embete` accepts, including the fylker that are a
       whole embete on their own (Agder, Rogaland, Vestland …) → the embete;
    4. a kommune in any form :func:`resolve_kommune` accepts (``home`` as there) → the
       kommune, with the note on a former or shared name.

    Raises UsageError with the closest names and the command's form (``form``: its usage and
    an example, both in backticks; ``status`` unless told) when nothing matches, and the
    kommune error when a shared kommune name is not told apart.
    """
    idx = _index(geo)
    wanted = key(text)
    usage, example = form
    if not wanted:
        raise UsageError(f"Skriv hva du vil se: {usage}, for eksempel {example}.")
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
    if _NUMBER.fullmatch(text.strip()) or _hits(text, idx):
        k, note = _one_kommune(text, geo, idx, _asker(home))
        return Scope(kind="kommune", kommune=k, fylke=geo.fylke_of(k), embete=geo.embete_of(k),
                     notes=(note,) if note else ())
    raise _unknown_scope(text, idx, form)


def _shares_embete(fylke: FylkeRef, geo: Geography) -> bool:
    return any(f.embete_id == fylke.embete_id and f.nummer != fylke.nummer
               for f in geo.fylker.values())


UNKNOWN_PLACE = "unknown_place"
"""The :attr:`UsageError.reason` of a place that is no embete, fylke or kommune, nor close to
the name of one (a close one is suggested instead)."""


def _unknown_scope(text: str, idx: _Index, form: tuple[str, str]) -> UsageError:
    close = _suggest(text, idx.scope_names, parts=idx.parts)
    hint = f" Mente du {_or(close)}?" if close else ""
    return UsageError(
        f"Jeg kjenner ikke noe embete, fylke eller kommune som heter «{said(echo(text))}».{hint} "
        f"Skriv {form[0]}, for eksempel {form[1]}.",
        reason="refused" if close else UNKNOWN_PLACE)


def is_kommunenummer(written: str, geo: Geography) -> bool:
    """Whether a trailing four-digit number names a kommune rather than a year: today's
    numbers always, a former one (``1002`` Mandal, ``1902`` Tromsø) unless it reads as a year
    of this century (Finnmark's former ``2002``–``2030`` are years here). Anything else is a
    year, right or wrong."""
    if written in geo.kommuner:
        return True
    return written in geo.former_numbers and not written.startswith("20")
