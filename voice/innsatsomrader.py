"""The reform's five areas (*innsatsområder*, Meld. St. 15 (2017–2018)), in one place: their
names, the short forms people type, and how free text that names them is read and shown.

Every command that speaks of a theme uses this module: an event's main theme
(``/lhl arrangement``), a meeting's themes, the examples collection. ``key`` is what the store
keeps (``event_area.omrade``); ``name`` is what the bot writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from voice.text import fold


@dataclass(frozen=True)
class Innsatsomrade:
    number: int
    """1–5, the order of the reform."""
    key: str
    """The short form, stored as it is: ``aldersvennlig``, ``aktivitet``, ``mat``,
    ``helsehjelp``, ``sammenheng``."""
    name: str
    """The name as the reform writes it: ``Mat og måltider``."""
    aliases: tuple[str, ...]
    """Other ways of naming it, folded (see :func:`voice.text.fold`); the key and the folded
    name are always included."""


AREAS: tuple[Innsatsomrade, ...] = (
    Innsatsomrade(1, "aldersvennlig", "Et aldersvennlig Norge",
                  ("aldersvennlig norge", "aldersvennlige", "aldersvennlig samfunn")),
    Innsatsomrade(2, "aktivitet", "Aktivitet og fellesskap",
                  ("aktiviteter", "fellesskap")),
    Innsatsomrade(3, "mat", "Mat og måltider", ("maltider", "maltid")),
    Innsatsomrade(4, "helsehjelp", "Helsehjelp", ()),
    Innsatsomrade(5, "sammenheng", "Sammenheng i tjenestene",
                  ("sammenheng og overgang i tjenestene", "sammenheng og overganger i tjenestene",
                   "sammenheng og overganger", "sammenhengende tjenester")),
)
BY_KEY: dict[str, Innsatsomrade] = {a.key: a for a in AREAS}
KEYS: tuple[str, ...] = tuple(a.key for a in AREAS)
"""The short forms, in the reform's order (the values the store accepts)."""
SHORT_FORMS = ", ".join(f"`{k}`" for k in KEYS)
"""``\\`aldersvennlig\\`, \\`aktivitet\\`, …``: for a sentence that lists them."""

_LEFT_OVER = re.compile(r"[\s,;.&+/()\-–]|\bog\b|\bi\b")


def _phrases(area: Innsatsomrade) -> tuple[str, ...]:
    return (area.key, fold(area.name), *area.aliases)


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], dict[str, Innsatsomrade]]:
    by_phrase = {p: a for a in AREAS for p in _phrases(a)}
    alternatives = "|".join(re.escape(p).replace(r"\ ", r"\s+")
                            for p in sorted(by_phrase, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b"), by_phrase


def area_named(text: str) -> Innsatsomrade | None:
    """The area ``text`` names and nothing else (``Mat``, ``mat og måltider``, ``helsehjelp``),
    or None: for a field whose every item must be an area."""
    wanted = " ".join(fold(text).split())
    return _pattern()[1].get(wanted)


def areas_in(text: str) -> tuple[Innsatsomrade, ...]:
    """Every area named anywhere in free text, in the reform's order: ``"Mat og ernæring på
    sykehjem"`` → (Mat og måltider,). A short form counts as a whole word (``mat``, not
    ``matematikk``)."""
    pattern, by_phrase = _pattern()
    found = {by_phrase[" ".join(m.group(0).split())] for m in pattern.finditer(fold(text))}
    return tuple(a for a in AREAS if a in found)


def only_areas(text: str) -> bool:
    """Whether ``text`` is nothing but area names (``mat, helsehjelp``, ``mat og aktivitet``)."""
    pattern, _ = _pattern()
    folded = fold(text)
    return pattern.search(folded) is not None and not _LEFT_OVER.sub(
        "", pattern.sub("", folded))


def names(areas: Iterable[Innsatsomrade]) -> str:
    """``Mat og måltider, Helsehjelp``: with commas, as the names hold «og» themselves."""
    return ", ".join(a.name for a in areas)


def theme_in_words(text: str, areas: Iterable[Innsatsomrade]) -> str:
    """A theme as the bot shows it: the areas' names when the text is nothing but areas
    (``mat`` → ``Mat og måltider``); otherwise the text as typed, with the areas it names
    after it (``mat på sykehjem (Mat og måltider)``)."""
    found = tuple(areas)
    if not found:
        return text
    if only_areas(text):
        return names(found)
    return f"{text} ({names(found)})"
