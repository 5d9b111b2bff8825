"""How conferences and seminars are written, for ``arrangement`` and ``arrangementer`` alike:
the wanted participation and one line of the overview."""

from __future__ import annotations

from datetime import date

from storage.events import StoredEvent
from storage.reference import Geography
from voice.innsatsomrader import AREAS, theme_in_words
from voice.reply import said
from voice.words import date_in_words

HDIR = "Hdir"
HOD = "HOD/politisk ledelse"
NOBODY = "ingen"

EXAMPLE = ('arrangement ny konferanse "Leve hele livet i Agder" 12. mai målgruppe: ledere og '
           "politikere i kommunene hovedtema: mat og måltider ønsker: hdir, hod")
"""The one example every sentence about recording an event gives."""


def wanted_in_words(hdir: bool, hod: bool) -> str:
    """``Hdir og HOD/politisk ledelse``, ``Hdir``, ``HOD/politisk ledelse`` or ``ingen``."""
    named = [who for who, wanted in ((HDIR, hdir), (HOD, hod)) if wanted]
    return " og ".join(named) or NOBODY


def theme(stored: StoredEvent) -> str:
    """The main theme as typed, with the innsatsområder it names (see
    :func:`voice.innsatsomrader.theme_in_words`), marked as what a user wrote."""
    return said(theme_in_words(stored.event.hovedtema,
                               (a for a in AREAS if a.key in stored.areas)))


def what(stored: StoredEvent) -> str:
    """``konferanse «Leve hele livet i Agder» 12. mai 2027``."""
    e = stored.event
    return f"{e.kind} «{said(e.tittel)}» {date_in_words(e.dato)}"


def overview_line(stored: StoredEvent, *, today: date, geo: Geography | None = None) -> str:
    """One event in the overview; ``geo`` names its embete (for a listing of several)."""
    e = stored.event
    parts = [f"*{date_in_words(e.dato)}*" + (" (holdt)" if e.dato < today else "")]
    if geo is not None:
        parts.append(geo.embeter[e.embete_id].kortnavn)
    parts += [f"{e.kind} «{said(e.tittel)}»", f"målgruppe: {said(e.malgruppe)}",
              f"hovedtema: {theme(stored)}",
              f"ønsker: {wanted_in_words(e.onsker_hdir, e.onsker_hod)}", f"#{e.id}"]
    return " · ".join(parts)
