"""How nominations for the *Leve hele livet-prisen* are written, for ``nominer``,
``nominasjoner``, the change log and the kommune card alike: the facts a nomination carries,
one nomination, and the card's line. Read from what is stored (the facts are JSON with dates
as ISO text), so a deleted nomination is described as well as a stored one."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from commands.base import UsageError
from commands.fase import PHASE_NAMES
from commands.parse.dates import YearSuffix, split_year
from commands.parse.places import resolve_kommune
from commands.plan import STATE as PLAN_WORDS
from commands.report_draft import meetings_in_words
from storage import changes
from storage.nominations import nominations_of_kommune, winners
from storage.reference import Geography, KommuneRef
from voice.reply import said
from voice.words import date_in_words, echo, join_names

PRIZE = "Leve hele livet-prisen"
EXAMPLE = 'nominer Lillesand "Lang og god innsats for mat og måltider på sykehjemmene"'
"""The one example every sentence about nominating gives."""
USAGE = 'nominer <kommune> "<begrunnelse>" [år] [embete: …] [--endre]'
REASON_CHARS = 1500
"""The longest begrunnelse: a button that runs ``nominer … --endre`` carries it (Slack takes
2 000 characters in a button's value)."""
REASON_SHOWN = 280
"""A begrunnelse in a listing is cut to this; ``nominasjoner vis <nr>`` shows it whole."""


_NEXT_YEAR = re.compile(r"(?:^|\s)neste\s+(?:år|aar)$", re.IGNORECASE)


def year_suffix(text: str, now: datetime) -> YearSuffix | None:
    """A year as ``status`` reads it (``2027``, ``i 2027``, ``i år``, ``i fjor``), or ``neste
    år``: a prize is often nominated for ahead. A number of four digits may also come first."""
    m = _NEXT_YEAR.search(text)
    if m is not None:
        return YearSuffix(text[:m.start()].strip(), now.year + 1, m[0].strip())
    return split_year(text, now)


def _day(value: str) -> str:
    return date_in_words(date.fromisoformat(value))


def facts_lines(fakta: Mapping[str, Any], *, networks_shown: int | None = None) -> list[str]:
    """The kommune's facts as they stood when it was nominated, one line each; the first
    ``networks_shown`` learning networks named (None: all), the rest counted."""
    moter = fakta.get("moter") or {}
    held = int(moter.get("holdt") or 0)
    if held:
        meetings = (f"Møter holdt: {held}, sist {_day(moter['siste'])} "
                    f"({meetings_in_words(moter.get('typer') or {})})")
    else:
        meetings = "Møter holdt: ingen"
    networks = []
    for n in fakta.get("nettverk") or []:
        name = f"«{said(echo(str(n['navn']), 60))}»"
        networks.append(f"deltar i {name} fra {_day(n['fra'])}" if n.get("til") is None
                        else f"deltok i {name} {_day(n['fra'])}–{_day(n['til'])}")
    invited = int(fakta.get("invitert") or 0)
    if networks_shown is not None and len(networks) > networks_shown:
        networks = [*networks[:networks_shown], f"{len(networks) - networks_shown} til"]
    if networks:
        network_line = f"Læringsnettverk: {join_names(networks)}"
    elif invited:
        network_line = (f"Læringsnettverk: invitert til {invited}, "
                        "har ikke deltatt")
    else:
        network_line = "Læringsnettverk: ingen"
    plan = fakta.get("plan")
    fase = fakta.get("fase")
    return [
        meetings,
        network_line,
        (f"Plan: {PLAN_WORDS[plan['status']]} fra {_day(plan['dato'])}" if plan
         else "Plan: ikke ført"),
        (f"Fase: {fase['fase']} – {PHASE_NAMES[int(fase['fase'])]}, fra {_day(fase['dato'])}"
         if fase
         else "Fase: ikke ført"),
    ]


NETWORKS_LISTED = 3
"""Learning networks a listing names for each nomination; ``nominasjoner vis`` names all."""


def facts_block(fakta: Mapping[str, Any], *, whole: bool = True) -> str:
    """``Fakta per 24. november 2026:`` and the facts, one bullet each (not ``whole``: as a
    listing shows them, the networks beyond the first few counted)."""
    per = fakta.get("per")
    head = f"Fakta per {_day(per)}:" if per else "Fakta:"
    lines = facts_lines(fakta, networks_shown=None if whole else NETWORKS_LISTED)
    return "\n".join([head, *(f"• {line}" for line in lines)])


def nomination_in_words(state: Mapping[str, Any], geo: Geography) -> str:
    """``nominasjon av Lillesand til Leve hele livet-prisen 2026 fra Statsforvalteren i
    Agder``, from a nomination's state in the log (or a stored one's columns)."""
    kommune = geo.kommuner.get(str(state["kommune_nummer"]))
    embete = geo.embeter.get(str(state["embete_id"]))
    return (f"nominasjon av {kommune.navn if kommune else state['kommune_nummer']} til "
            f"{PRIZE} {state['aar']}" + (f" fra {embete.navn}" if embete else ""))


def winner_in_words(state: Mapping[str, Any], geo: Geography) -> str:
    """``Lillesand vinner av Leve hele livet-prisen 2026 (nominasjon #3)``."""
    kommuner = [geo.kommuner[n].navn if n in geo.kommuner else n
                for n in state.get("kommuner") or []]
    return (f"{join_names(kommuner)} vinner av {PRIZE} {state['aar']} "
            f"(nominasjon #{state['nomination_id']})")


def winner_line(state: Mapping[str, Any], geo: Geography, *, listed: str | None = None
                ) -> str:
    """``Vinner: Lillesand (nominasjon #3)``, for a listing of ``listed`` (an embete's id;
    None: the whole country), which names the embete when the winner is another's."""
    kommuner = [geo.kommuner[n].navn if n in geo.kommuner else n
                for n in state.get("kommuner") or []]
    embete = geo.embeter.get(str(state.get("embete_id")))
    elsewhere = f" fra {embete.navn}" if listed and embete and embete.id != listed else ""
    return f"Vinner: {join_names(kommuner)} (nominasjon #{state['nomination_id']}{elsewhere})"


def awarded_why(aar: int, to: str) -> str:
    """Why a nomination for a prize already given stays (after its number): ``gjelder
    Leve hele livet-prisen 2026, som er delt ut, så bare en administrator kan ta den bort``."""
    return f"gjelder {PRIZE} {aar}, som er delt ut, så bare en administrator kan {to}"


def winner_refusal(state: Mapping[str, Any], nomination_id: int | str, *,
                   session: Session) -> str:
    """The one sentence refusing to delete the winner of its year: what to do first, with the
    number of the mark in the log when it stands there."""
    aar = int(state["aar"])
    mark = next((c.id for c in reversed(changes.changes_of(changes.WINNER, aar,
                                                           session=session))
                 if c.kind == changes.WINNER_MARKED and c.undone_by is None), None)
    unmark = (f"`/lhl slett {mark}`" if mark is not None
              else "`/lhl slett <nr>` (nummeret i `/lhl logg`)")
    return (f"Nominasjon #{nomination_id} er vinner av {PRIZE} {aar} og kan ikke slettes så "
            "lenge den er det, så ingenting ble slettet; en administrator flytter først "
            f"vinneren med `/lhl nominasjoner vinner <nr>` eller tar markeringen bort med "
            f"{unmark}.")


def typed_name(kommune: KommuneRef, geo: Geography) -> str:
    """The kommune as a command names it to be read as this one and no other: its name, told
    apart by its fylke when another kommune has or had it (``Os (Innlandet)``), else its
    number."""
    for name in (kommune.navn, f"{kommune.basenavn} ({geo.fylke_of(kommune).navn})"):
        try:
            found = resolve_kommune(name, geo)
        except UsageError:
            continue
        if [k.nummer for k in found.kommuner] == [kommune.nummer] and not found.notes:
            return name
    return kommune.nummer


def short_reason(text: str, nomination_id: int | None) -> str:
    """The begrunnelse whole when it is short, else its first words and the command that shows
    it all."""
    if len(text) <= REASON_SHOWN:
        return said(text)
    head = text[:REASON_SHOWN - 1]
    space = head.rfind(" ")
    if space > REASON_SHOWN // 2:
        head = head[:space]
    return f"{said(head.rstrip(' ,.;:'))}… (hele: `/lhl nominasjoner vis {nomination_id}`)"


def card_line(nummer: str, geo: Geography, *, session: Session) -> str | None:
    """The kommune card's line about the prize: ``Nominert til Leve hele livet-prisen 2026 av
    Statsforvalteren i Agder; vinner 2025`` (None: never nominated)."""
    found = nominations_of_kommune(nummer, session=session)
    if not found:
        return None
    won = winners(sorted({n.aar for n in found}), session=session)
    parts = []
    for aar in sorted({n.aar for n in found}, reverse=True):
        of_year = [n for n in found if n.aar == aar]
        by = join_names([geo.embeter[n.embete_id].navn for n in of_year])
        line = f"{aar} av {by}"
        if any(won.get(aar) == n.id for n in of_year):
            line += f" – vinner {aar}"
        parts.append(line)
    return f"Nominert til {PRIZE} {'; '.join(parts)}"
