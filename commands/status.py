"""``/lhl status [embete|fylke|kommune|landet] [år]``: where we stand."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from commands.access import own_embete
from commands.base import CommandSpec, Context, UsageError
from commands.nettverk import kommune_network_lines
from commands.parse.dates import FIRST_YEAR
from commands.parse.places import Scope, resolve_scope
from storage.models import HELD
from storage.networks import NetworkCounts, network_counts_by_embete, networks_of_kommune
from storage.queries import (
    Counts,
    KommuneMeeting,
    count_meetings_for_kommune,
    counts_by_embete,
    meetings_for_kommune,
)
from storage.reference import EmbeteRef, KommuneRef
from voice.reply import Reply, reply, shortened
from voice.words import date_in_words, share

USAGE = "status [embete|fylke|kommune|landet] [år]"
CARD_MEETINGS = 200
"""Meetings read for a kommune card; older ones are counted, not listed."""
_YEAR = re.compile(r"(?:^|\s)(?:i\s+)?(\d{4})$")


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
    return Args(resolve_scope(text, ctx.geo) if text else None, year)


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    scope = args.scope
    if scope is None:
        embete = own_embete(ctx, session=session)
        scope = Scope(kind="embete", embete=embete) if embete else Scope(kind="landet")
    if scope.kind == "kommune":
        assert scope.kommune is not None
        return _kommune(scope.kommune, args.year, ctx, session)
    if scope.kind == "landet":
        return _landet(args.year, ctx, session)
    as_of = figures_date(args.year, ctx)
    if scope.kind == "fylke":
        assert scope.fylke is not None
        kommuner = [k.nummer for k in ctx.geo.kommuner_i_fylke(scope.fylke.nummer)]
        counts = counts_by_embete(args.year, session=session, kommuner=kommuner)
        networks = network_counts_by_embete(as_of=as_of, session=session, kommuner=kommuner)
        return _area(f"{scope.fylke.navn} fylke", len(kommuner),
                     counts.get(scope.fylke.embete_id, Counts(0, 0)),
                     networks.get(scope.fylke.embete_id, NO_NETWORKS), args.year, as_of, ctx)
    assert scope.embete is not None
    embete = scope.embete
    counts = counts_by_embete(args.year, session=session, embete_id=embete.id)
    networks = network_counts_by_embete(as_of=as_of, session=session, embete_id=embete.id)
    return _area(embete.navn, len(ctx.geo.kommuner_i(embete.id)),
                 counts.get(embete.id, Counts(0, 0)), networks.get(embete.id, NO_NETWORKS),
                 args.year, as_of, ctx)


NO_NETWORKS = NetworkCounts(0, 0)


def figures_date(year: int, ctx: Context) -> date:
    """The day the network figures of ``year`` are given for: today for this year, the last
    day of an earlier year."""
    today = ctx.now.date()
    return today if year >= today.year else date(year, 12, 31)


def _per(as_of: date, ctx: Context) -> str:
    """`` per 31. desember 2025`` for figures not as of today."""
    return "" if as_of == ctx.now.date() else f" per {date_in_words(as_of)}"


def _area(title: str, total: int, counts: Counts, networks: NetworkCounts, year: int,
          as_of: date, ctx: Context) -> Reply:
    heading = f"*{title}* – dialogmøter i {year}"
    per = _per(as_of, ctx)
    body = (f"Kommuner: {total}\n"
            f"Tilbudt dialogmøte: {share(counts.offered, total)}\n"
            f"Holdt dialogmøte: {share(counts.held, total)}\n"
            f"Invitert til læringsnettverk{per}: {share(networks.invited, total)}\n"
            f"Deltar i læringsnettverk{per}: {share(networks.participating, total)}")
    return reply(heading, body, text=f"{heading}\n{body}")


def _landet(year: int, ctx: Context, session: Session) -> Reply:
    counts = counts_by_embete(year, session=session)
    as_of = figures_date(year, ctx)
    networks = network_counts_by_embete(as_of=as_of, session=session)
    rows: list[str] = []
    offered = held = invited = taking_part = total = 0
    for embete in sorted(ctx.geo.embeter.values(), key=lambda e: e.kortnavn):
        n = len(ctx.geo.kommuner_i(embete.id))
        c = counts.get(embete.id, Counts(0, 0))
        w = networks.get(embete.id, NO_NETWORKS)
        rows.append(_row(embete, n, c, w))
        offered, held, total = offered + c.offered, held + c.held, total + n
        invited, taking_part = invited + w.invited, taking_part + w.participating
    heading = f"*Hele landet* – dialogmøter i {year}"
    national = (f"*Totalt ({total} kommuner):* tilbudt {share(offered, total)}, "
                f"holdt {share(held, total)}, "
                f"invitert til læringsnettverk {share(invited, total)}, "
                f"deltar i læringsnettverk {share(taking_part, total)}")
    lines = [*rows, national]
    per = _per(as_of, ctx)
    if per:
        lines.append(f"Læringsnettverk{per}.")
    return reply(heading, "\n".join(rows), national, *lines[len(rows) + 1:],
                 text="\n".join([heading, *lines]))


def _row(embete: EmbeteRef, n: int, c: Counts, w: NetworkCounts) -> str:
    return (f"• {embete.kortnavn}: tilbudt {share(c.offered, n)}, holdt {share(c.held, n)}, "
            f"invitert til læringsnettverk {share(w.invited, n)}, "
            f"deltar i læringsnettverk {share(w.participating, n)}")


def _kommune(kommune: KommuneRef, year: int, ctx: Context, session: Session) -> Reply:
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
    entries = networks_of_kommune(kommune.nummer, session=session)
    networks = ("Læringsnettverk:\n" + "\n".join(kommune_network_lines(entries, ctx.now.date()))
                if entries else "Ingen læringsnettverk ført.")
    return reply(heading, body, networks, text=f"{heading}\n{body}\n{networks}")


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
    summary=("viser hvor mange kommuner som har fått tilbud om og holdt dialogmøte, og som er "
             "invitert til og deltar i læringsnettverk."),
    usage=USAGE,
    examples=("status Agder", "status landet 2025", "status Lillesand"),
    writes=False,
    parse=parse,
    execute=execute,
    details=("Uten sted viser jeg ditt embete; uten år, i år. Et embete kan skrives med "
             "fylkesnavn eller gammelt navn (Viken, Troms)."),
    cached=True,
)
