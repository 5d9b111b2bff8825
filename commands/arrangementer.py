"""``/lhl arrangementer [embete|landet] [kommende|<år>] [side <nr>] [--xlsx|--csv]``: the
overview of conferences and seminars that Hdir asks each embete to keep (seed 001), and the
same as a workbook or CSV file to send on (:mod:`commands.event_sheet`).

Coming events first, the next one first; then those held, the newest first. Without a period:
this year and all that is planned after it. Without a place: the asker's own embete, or the
whole country for someone who works for none (Hdir). Anyone may read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from commands.access import own_embete
from commands.base import CommandSpec, Context, UsageError
from commands.event_sheet import event_file
from commands.event_words import EXAMPLE, overview_line
from commands.listing import paged, split_page
from commands.parse.dates import FIRST_YEAR, YEARS_AHEAD
from commands.parse.places import resolve_scope
from commands.workbooks import CSV, file_kind_asked
from storage.events import StoredEvent, list_events
from storage.reference import EmbeteRef
from voice.reply import Reply, plain_reply, reply, said
from voice.text import fold

USAGE = "arrangementer [embete|landet] [kommende|<år>]"
_COMING = frozenset({"kommende", "framover", "fremover", "planlagte"})
_YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Args:
    place: EmbeteRef | None
    everywhere: bool
    """``landet``: every embete (``place`` is None)."""
    coming: bool
    year: int | None
    page: int
    command: str
    """The command as typed without its page, for «Neste side»."""
    export: str | None = None
    """A file of every event listed (``xlsx`` or ``csv``) instead of a page."""


def parse(text: str, ctx: Context) -> Args:
    rest, export = file_kind_asked(text.strip())
    rest, page = split_page(rest, command="arrangementer")
    words = rest.split()
    coming, year = False, None
    if words and fold(words[-1]) in _COMING:
        coming = True
        words.pop()
    elif words and _YEAR.match(words[-1]):
        year = _year(int(words.pop()), ctx)
    place, everywhere = _place(" ".join(words), ctx) if words else (None, False)
    return Args(place, everywhere, coming, year, page, f"arrangementer {rest}".strip(), export)


def _year(year: int, ctx: Context) -> int:
    last = ctx.now.year + YEARS_AHEAD
    if not FIRST_YEAR <= year <= last:
        raise UsageError(f"Jeg fører arrangementer fra {FIRST_YEAR} til {last}; skriv et år "
                         f"mellom dem, for eksempel `/lhl arrangementer {ctx.now.year}`.")
    return year


def _place(text: str, ctx: Context) -> tuple[EmbeteRef | None, bool]:
    try:
        scope = resolve_scope(text, ctx.geo)
    except UsageError:
        scope = None
    if scope is None or scope.kind == "kommune":
        raise UsageError(f"Jeg forstår ikke «{said(text)}» her; skriv `/lhl {USAGE}`, for eksempel "
                         "`/lhl arrangementer kommende` eller `/lhl arrangementer Agder 2026`.")
    return scope.embete, scope.kind == "landet"


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    today = ctx.now.date()
    embete = None if args.everywhere else args.place or own_embete(ctx, session=session)
    if args.coming:
        first, last, when = today, None, "fra i dag"
    elif args.year is not None:
        first, last = date(args.year, 1, 1), date(args.year, 12, 31)
        when = f"i {args.year}"
    else:
        first, last, when = date(today.year, 1, 1), None, f"i {today.year} og framover"
    found = list_events(session=session, embete_id=embete.id if embete else None, first=first,
                        last=last)
    who = embete.navn if embete else "hele landet"
    if not found:
        return plain_reply(f"Ingen arrangementer er ført for {who} {when}. Før et med "
                           f"`/lhl {EXAMPLE}`.")
    if args.export is not None:
        return _exported(found, args, ctx, who=who, when=when,
                         named=embete.kortnavn if embete else "landet")
    coming = [e for e in found if e.event.dato >= today]
    held = [e for e in reversed(found) if e.event.dato < today]
    entries = [overview_line(e, today=today, geo=None if embete else ctx.geo)
               for e in coming + held]
    heading = f"*Arrangementer for {who} {when}* ({len(entries)})"
    return paged(heading, entries, args.page, command=args.command)


def _exported(found: list[StoredEvent], args: Args, ctx: Context, *, who: str, when: str,
              named: str) -> Reply:
    """Every event found, a row each by date, in a workbook or CSV file."""
    assert args.export is not None
    period = "kommende" if args.coming else str(args.year) if args.year else (
        f"{ctx.now.year}-og-framover")
    title = f"Arrangementer for {who} {when}"
    file = event_file(found, who=named, when=period, kind=args.export, today=ctx.now.date(),
                      tz=ctx.tz, geo=ctx.geo, title=title)
    what = "CSV-filen" if args.export == CSV else "arbeidsboken"
    return reply(f"*{title}* ({len(found)})\nÉn rad per arrangement med dato, type, tittel, "
                 f"målgruppe, hovedtema, innsatsområder, embete og ønsket deltakelse står i "
                 f"{what} {file.filename}.", files=[file])


COMMAND = CommandSpec(
    name="arrangementer",
    summary="viser konferanser og seminarer med dato, type, tittel, målgruppe, hovedtema og "
            "om Hdir eller HOD/politisk ledelse ønskes.",
    usage=f"{USAGE} [--xlsx|--csv]",
    examples=("arrangementer", "arrangementer kommende", "arrangementer landet 2026",
              "arrangementer Agder 2026 --xlsx"),
    writes=False,
    parse=parse,
    execute=execute,
    aliases=("arrangementene",),
    details=("Kommende først (den neste først), så de holdte (den nyeste først). Uten år: i år "
             "og alt som er planlagt senere; `kommende`: fra i dag. Uten embete: ditt eget, "
             "eller hele landet om du ikke hører til et embete. En lang liste blar du i med "
             "`/lhl arrangementer side 2`. Med `--xlsx` (eller `xlsx`) får du alle "
             "arrangementene i listen som en arbeidsbok, med `--csv` som CSV (UTF-8, "
             "semikolon): én rad per arrangement, etter dato."),
    cached=True,
)
