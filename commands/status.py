"""``/lhl status [embete|fylke|kommune|landet] [år]``: where we stand."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session

from commands.access import own_embete
from commands.base import CommandSpec, Context, UsageError
from commands.parse.dates import FIRST_YEAR
from commands.parse.places import Scope, resolve_scope
from storage.models import HELD
from storage.queries import (
    Counts,
    KommuneMeeting,
    count_meetings_for_kommune,
    counts_by_embete,
    meetings_for_kommune,
)
from storage.reference import MAP_YEAR, EmbeteRef, KommuneRef
from voice.reply import Reply, reply, shortened
from voice.words import date_in_words, share

USAGE = "status [embete|fylke|kommune|landet] [år]"
CARD_MEETINGS = 200
"""Meetings read for a kommune card; older ones are counted, not listed."""
_YEAR = re.compile(r"(?:^|\s)(?:i\s+)?(\d{4})$")
TODAYS_MAP = "Tallene er regnet på dagens kommunekart."
"""Said under figures for a year before the kommunekart of the register (:data:`MAP_YEAR`)."""


@dataclass(frozen=True)
class Args:
    scope: Scope | None
    """None: the user's own embete (or the whole country for users without one)."""
    year: int


def parse(text: str, ctx: Context) -> Args:
    text = text.strip()
    year = ctx.now.year
    m = _YEAR.search(text)
    # A trailing four-digit number that is no kommunenummer is a year, right or wrong.
    if m and m.group(1) not in ctx.geo.kommuner:
        year = int(m.group(1))
        if not FIRST_YEAR <= year <= ctx.now.year:
            raise UsageError(
                f"Året må være mellom {FIRST_YEAR} og {ctx.now.year}, for eksempel "
                f"`/lhl status Agder {ctx.now.year - 1}`."
            )
        text = text[: m.start()].strip()
    return Args(resolve_scope(text, ctx.geo, home=ctx.home_embete) if text else None, year)


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    scope = args.scope
    if scope is None:
        embete = own_embete(ctx, session=session)
        scope = Scope(kind="embete", embete=embete) if embete else Scope(kind="landet")
    if scope.kind == "kommune":
        assert scope.kommune is not None
        return _kommune(scope.kommune, args.year, ctx, session,
                        notes=[n.sentence for n in scope.notes])
    if scope.kind == "landet":
        return _landet(args.year, ctx, session)
    if scope.kind == "fylke":
        assert scope.fylke is not None
        kommuner = ctx.geo.kommuner_i_fylke(scope.fylke.nummer)
        counts = counts_by_embete(args.year, session=session,
                                  kommuner=[k.nummer for k in kommuner])
        return _area(f"{scope.fylke.navn} fylke", len(kommuner),
                     counts.get(scope.fylke.embete_id, Counts(0, 0)), args.year)
    assert scope.embete is not None
    embete = scope.embete
    counts = counts_by_embete(args.year, session=session, embete_id=embete.id)
    return _area(embete.navn, len(ctx.geo.kommuner_i(embete.id)),
                 counts.get(embete.id, Counts(0, 0)), args.year)


def _area(title: str, total: int, counts: Counts, year: int) -> Reply:
    heading = f"*{title}* – dialogmøter i {year}"
    body = (f"Kommuner: {total}\n"
            f"Tilbudt dialogmøte: {share(counts.offered, total)}\n"
            f"Holdt dialogmøte: {share(counts.held, total)}")
    if year < MAP_YEAR:
        body += f"\n{TODAYS_MAP}"
    return reply(heading, body, text=f"{heading}\n{body}")


def _landet(year: int, ctx: Context, session: Session) -> Reply:
    counts = counts_by_embete(year, session=session)
    rows: list[str] = []
    offered = held = total = 0
    for embete in sorted(ctx.geo.embeter.values(), key=lambda e: e.kortnavn):
        n = len(ctx.geo.kommuner_i(embete.id))
        c = counts.get(embete.id, Counts(0, 0))
        rows.append(_row(embete, n, c))
        offered, held, total = offered + c.offered, held + c.held, total + n
    heading = f"*Hele landet* – dialogmøter i {year}"
    national = (f"*Totalt ({total} kommuner):* tilbudt {share(offered, total)}, "
                f"holdt {share(held, total)}")
    if year < MAP_YEAR:
        national += f"\n{TODAYS_MAP}"
    return reply(heading, "\n".join(rows), national, text="\n".join([heading, *rows, national]))


def _row(embete: EmbeteRef, n: int, c: Counts) -> str:
    return f"• {embete.kortnavn}: tilbudt {share(c.offered, n)}, holdt {share(c.held, n)}"


def _kommune(kommune: KommuneRef, year: int, ctx: Context, session: Session, *,
             notes: list[str]) -> Reply:
    embete = ctx.geo.embete_of(kommune)
    fylke = ctx.geo.fylke_of(kommune)
    heading = f"*{kommune.navn}* ({kommune.nummer}, {fylke.navn}) – {embete.navn}"
    meetings = meetings_for_kommune(kommune.nummer, session=session, year=year,
                                    limit=CARD_MEETINGS)
    if not meetings:
        body = f"Ingen dialogmøter ført i {year}."
    else:
        total = (len(meetings) if len(meetings) < CARD_MEETINGS
                 else count_meetings_for_kommune(kommune.nummer, session=session, year=year))
        full = [_meeting_line(km, kommune, ctx, detail=True) for km in meetings]
        short = [_meeting_line(km, kommune, ctx, detail=False) for km in meetings]
        lines = shortened(full, short)
        if total > len(lines):
            lines.append(f"… og {total - len(lines)} eldre")
        body = f"Dialogmøter i {year}:\n" + "\n".join(lines)
    if year < MAP_YEAR:
        body += f"\n{TODAYS_MAP}"
    body = "\n".join([*notes, body])
    return reply(heading, body, text=f"{heading}\n{body}")


def _meeting_line(km: KommuneMeeting, kommune: KommuneRef, ctx: Context, *, detail: bool
                  ) -> str:
    """One meeting on the card; without ``detail`` only what, when and with whom."""
    m = km.meeting
    what = "Holdt" if m.status == HELD else "Tilbudt"
    line = f"• {what} {date_in_words(m.dato)}"
    others = [ctx.geo.kommuner[n].navn for n in km.kommuner if n != kommune.nummer]
    if others:
        line += f", sammen med {', '.join(others)}" if detail or len(others) < 4 else (
            f", sammen med {len(others)} andre kommuner")
    if detail and m.tema:
        line += f" – tema: {m.tema}"
    if detail and m.med:
        line += f" (med {m.med})"
    return line

COMMAND = CommandSpec(
    name="status",
    summary="viser hvor mange kommuner som har fått tilbud om og holdt dialogmøte.",
    usage=USAGE,
    examples=("status Agder", "status landet 2025", "status Lillesand"),
    writes=False,
    parse=parse,
    execute=execute,
    details=("Uten sted viser jeg ditt embete; uten år, i år. Et embete kan skrives med "
             "fylkesnavn eller gammelt navn (Viken, Troms)."),
    cached=True,
)
