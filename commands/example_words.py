"""How good examples are written, for ``eksempel``, ``eksempler``, the kommune card and the
change log alike: one line of the listing, the card's line, the link."""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from sqlmodel import Session

from commands.parse.links import shown_address
from storage.examples import StoredExample, list_examples
from storage.reference import Geography
from voice.innsatsomrader import AREAS, BY_KEY, names
from voice.reply import link, safe_url, said
from voice.words import date_in_words, echo

EXAMPLE = ('eksempel ny Kristiansand "Kjøkkenet tilbake på sykehjemmet" område: mat '
           "lenke: https://www.kristiansand.kommune.no/leve-hele-livet")
"""The one example every sentence about recording a good example gives."""
FIVE_AREAS = ", ".join(f"{a.name} (`{a.key}`)" for a in AREAS)
"""The five areas with their short forms, for a sentence that asks for one."""
CARD_EXAMPLES = 3
"""How many examples a kommune's card names; the rest are counted."""
CARD_TITLE_CHARS = 60


def areas_in_words(keys: Iterable[str]) -> str:
    """``Mat og måltider, Helsehjelp``: the areas' full names, in the reform's order."""
    return names(BY_KEY[k] for k in keys if k in BY_KEY)


def kommune_name(nummer: str, geo: Geography) -> str:
    """The kommune's name, with its fylke when another kommune has the same name."""
    found = geo.kommuner.get(nummer)
    return found.navn if found else nummer


def link_shown(url: str | None) -> str | None:
    """The link, shown as a link with its address (never another text); None without one
    (or one stored before the check it now fails, which is then left out)."""
    if not url or not safe_url(url):
        return None
    return link(url, shown_address(url))


def what(stored: StoredExample, geo: Geography) -> str:
    """``«Kjøkkenet tilbake på sykehjemmet» fra Kristiansand``."""
    e = stored.example
    return f"«{said(e.tittel)}» fra {kommune_name(e.kommune_nummer, geo)}"


def listing_entry(stored: StoredExample, geo: Geography, tz: ZoneInfo) -> str:
    """One example in ``/lhl eksempler``: kommune, title, areas, who added it and when, the
    link, its number; the note on a line of its own."""
    e = stored.example
    parts = [f"*{kommune_name(e.kommune_nummer, geo)}*", f"«{said(e.tittel)}»",
             areas_in_words(stored.areas), f"<@{e.created_by}>",
             date_in_words(e.created_at.astimezone(tz).date())]
    shown = link_shown(e.lenke)
    if shown:
        parts.append(shown)
    parts.append(f"#{e.id}")
    line = " · ".join(parts)
    return f"{line}\nNotat: {said(e.notat)}" if e.notat else line


def examples_on_card(nummer: str, geo: Geography, *, session: Session) -> list[str]:
    """The kommune card's line: ``Gode eksempler: «…» (Mat og måltider), …`` with the
    :data:`CARD_EXAMPLES` newest and a count of the rest; no line without examples."""
    found, total = list_examples(session=session, kommuner=[nummer], limit=CARD_EXAMPLES)
    if not found:
        return []
    shown = [f"«{said(echo(s.example.tittel, CARD_TITLE_CHARS))}» ({areas_in_words(s.areas)})"
             for s in found[:CARD_EXAMPLES]]
    rest = total - len(shown)
    more = f" og {rest} til (`/lhl eksempler {kommune_name(nummer, geo)}`)" if rest else ""
    return [f"Gode eksempler: {', '.join(shown)}{more}"]
