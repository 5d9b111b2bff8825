"""``/lhl nominasjoner [år] [embete|landet] [side <nr>]``: the nominations for the *Leve hele
livet-prisen*; ``/lhl nominasjoner vis <nr>``: one whole; ``/lhl nominasjoner vinner <nr>``:
an administrator marks the winner of its year (one per year: marking another moves it, and
``/lhl angre`` takes it back; not before the year of the prize).

A listing shows, by embete and the newest first, each nomination's kommune, its begrunnelse
(cut short, with the command that shows it whole), who nominated it and when, and the facts
stored with it; ten to a page, so it stays within Slack's limits however many there are.
Without a year: the coming award (``storage.nominations.coming_award_year``); a year is read
as ``status`` reads it (``2026``, ``i fjor``, ``i år``). An empty listing of the coming award in
December says where last year's are. Without a place:
the user's embete (an administrator, or a reader of no embete: the whole country). Everyone with
access (coordinators, readers) and administrators may read them (:func:`may_read`; the kommune
card's prize line too): they are the embeter's working papers, not public figures like
``status``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from sqlmodel import Session

from commands.access import own_embete
from commands.base import CommandSpec, Context, UsageError
from commands.listing import page_reply, refuse_missing_page, split_page
from commands.nomination_words import (
    PRIZE,
    facts_block,
    short_reason,
    winner_in_words,
    winner_line,
    year_suffix,
)
from commands.parse.dates import FIRST_YEAR
from commands.parse.fields import number
from commands.parse.places import Scope, resolve_scope
from storage import changes
from storage.models import COORDINATOR, Nomination
from storage.nominations import (
    coming_award_year,
    count_nominations,
    get_nomination,
    list_nominations,
    mark_winner,
    winner_of,
    winner_state,
)
from storage.queries import grant_of
from voice.reply import Reply, plain_reply, preceded, said
from voice.words import date_in_words

USAGE = "nominasjoner [år] [embete|landet] [side <nr>]"
EXAMPLE = "nominasjoner 2026 Agder"
PER_PAGE = 10
"""Nominations on a page: each is a section of up to about 800 characters."""
NOTE = ("Hele begrunnelsen: `/lhl nominasjoner vis <nr>`. En administrator markerer vinneren "
        "med `/lhl nominasjoner vinner <nr>`.")
ADMINS_ONLY = "Bare administratorer kan markere vinneren av prisen, så ingenting ble endret."



@dataclass(frozen=True)
class Listing:
    aar: int | None
    """None: the coming award."""
    scope: Scope | None
    """None: the user's own embete (the whole country for an administrator)."""
    page: int = 1
    command: str = "nominasjoner"


@dataclass(frozen=True)
class Show:
    nomination_id: int


@dataclass(frozen=True)
class Winner:
    nomination_id: int


def parse_winner(text: str) -> Winner:
    return Winner(number(text, "Skriv nummeret på nominasjonen som vant, for eksempel "
                               "`/lhl nominasjoner vinner 3`; numrene står i "
                               "`/lhl nominasjoner`."))


def parse(text: str, ctx: Context) -> Listing | Show | Winner:
    verb, _, after = text.strip().partition(" ")
    if verb.lower() == "vinner":
        return parse_winner(after)
    if verb.lower() == "vis":
        return Show(number(after, "Skriv nummeret på nominasjonen, for eksempel "
                                  "`/lhl nominasjoner vis 3`; numrene står i "
                                  "`/lhl nominasjoner`."))
    rest, page = split_page(text, command="nominasjoner")
    aar, rest = _year_of(rest, ctx)
    scope = (resolve_scope(rest, ctx.geo, home=ctx.home_embete,
                           form=(f"`/lhl {USAGE}`", f"`/lhl {EXAMPLE}`")) if rest else None)
    if scope is not None and scope.kind == "kommune":
        raise UsageError("Nominasjonene listes for et embete eller hele landet; en kommunes "
                         "nominasjoner står på kortet: skriv for eksempel "
                         f"`/lhl status {scope.kommune.navn if scope.kommune else 'Lillesand'}`"
                         f" eller `/lhl {EXAMPLE}`.")
    listed = " ".join(f"nominasjoner {text.strip()}".split())
    listed = re.sub(r"\s+(?:side|s\.?)\s*\d+$", "", listed, flags=re.IGNORECASE)
    return Listing(aar, scope, page, listed)


def _year_of(text: str, ctx: Context) -> tuple[int | None, str]:
    """The year first or last (``2026 Agder``, ``Agder i fjor``, ``i år``), and the rest."""
    found = year_suffix(text, ctx.now)
    if found is None:
        return None, text
    aar, rest = found.year, found.head
    last = coming_award_year(ctx.now.date()) + 1
    if not FIRST_YEAR <= aar <= last:
        raise UsageError(f"Året må være mellom {FIRST_YEAR} og {last}, for eksempel "
                         f"`/lhl {EXAMPLE}`.")
    return aar, rest


def may_read(ctx: Context, session: Session) -> bool:
    """Whether the user may read the nominations: an administrator, or anyone with access
    (coordinators and readers)."""
    return ctx.is_admin or grant_of(ctx.user_id, session=session) is not None


def _may_write(ctx: Context, session: Session) -> bool:
    grant = grant_of(ctx.user_id, session=session)
    return ctx.is_admin or (grant is not None and grant.rolle == COORDINATOR)


def execute(args: Listing | Show | Winner, *, session: Session, ctx: Context) -> Reply:
    if isinstance(args, Winner):
        return _winner(args, ctx, session)
    if not may_read(ctx, session):
        raise UsageError("Nominasjonene kan leses av dem som har tilgang til lhl; be en "
                         "administrator om tilgang med `/lhl tilgang gi @deg <embete>`.")
    if isinstance(args, Show):
        return _show(args, ctx, session)
    return _listing(args, ctx, session)


def _listing(args: Listing, ctx: Context, session: Session) -> Reply:
    aar = args.aar or coming_award_year(ctx.now.date())
    scope = args.scope
    if scope is None:
        embete = None if ctx.is_admin else own_embete(ctx, session=session)
        scope = Scope(kind="embete", embete=embete) if embete else Scope(kind="landet")
    embete_id = (scope.embete.id if scope.kind == "embete" and scope.embete
                 else scope.fylke.embete_id if scope.kind == "fylke" and scope.fylke else None)
    where = ctx.geo.embeter[embete_id].navn if embete_id else "hele landet"
    notes = [n.sentence for n in scope.notes]
    if scope.kind == "fylke" and scope.fylke is not None:
        notes.append(f"{scope.fylke.navn} nominerer gjennom {where}, så her er embetets.")
    rows, total = list_nominations(aar, session=session, limit=PER_PAGE,
                                   offset=(args.page - 1) * PER_PAGE, embete_id=embete_id)
    winner = winner_state(aar, session=session)
    won = [winner_line(winner, ctx.geo, listed=embete_id)] if winner else []
    if not total:
        return preceded(notes, plain_reply("\n".join([
            _none_yet(args, aar, where, embete_id, ctx, session), *won])))
    pages = math.ceil(total / PER_PAGE)
    refuse_missing_page(args.page, pages, command=args.command)
    winning = winner["nomination_id"] if winner else None
    shown = [entry(n, ctx, with_embete=embete_id is None, winner=n.id == winning)
             for n in rows]
    heading = f"*Nominasjoner til {PRIZE} {aar} – {where}* ({total})"
    return preceded(notes, page_reply(heading, [*won, *shown], args.page, pages,
                                      command=args.command, note=NOTE))


def _none_yet(args: Listing, aar: int, where: str, embete_id: str | None, ctx: Context,
              session: Session) -> str:
    """An empty listing: for the coming award in December, where last year's are; how to
    nominate for those who may (a reader is told how to read)."""
    line = f"Ingen nominasjoner til {PRIZE} {aar} fra {where} ennå."
    if args.aar is None and aar > ctx.now.year:
        given = count_nominations(aar - 1, session=session, embete_id=embete_id)
        if given:
            listed = args.command.replace("nominasjoner", f"nominasjoner {aar - 1}", 1)
            return (f"{line} Nominasjonene til prisen for {aar - 1} ({given}) står under "
                    f"`/lhl {said(listed)}`.")
    if _may_write(ctx, session):
        return f"{line} Nominer med `/lhl nominer <kommune> \"<begrunnelse>\"`."
    return (f"{line} Andre års nominasjoner: `/lhl nominasjoner <år>`, for eksempel "
            f"`/lhl nominasjoner {aar - 1}`.")


def entry(n: Nomination, ctx: Context, *, with_embete: bool, winner: bool,
          whole: bool = False) -> str:
    """One nomination: kommune, who and when, begrunnelse, and the facts stored with it."""
    kommune = ctx.geo.kommuner[n.kommune_nummer]
    head = f"*#{n.id} {kommune.navn}*"
    if with_embete:
        head += f" · {ctx.geo.embeter[n.embete_id].navn}"
    head += (f" · nominert av <@{n.created_by}> "
             f"{date_in_words(n.created_at.astimezone(ctx.tz).date())}")
    if n.endret_at is not None:
        head += (f" (begrunnelsen endret av <@{n.endret_by}> "
                 f"{date_in_words(n.endret_at.astimezone(ctx.tz).date())})")
    if winner:
        head += f" · *vinner {n.aar}*"
    reason = said(n.begrunnelse) if whole else short_reason(n.begrunnelse, n.id)
    return f"{head}\nBegrunnelse: {reason}\n{facts_block(n.fakta, whole=whole)}"


def _show(args: Show, ctx: Context, session: Session) -> Reply:
    n = get_nomination(args.nomination_id, session=session)
    if n is None:
        raise UsageError(f"Jeg finner ingen nominasjon #{args.nomination_id}; numrene står i "
                         "`/lhl nominasjoner`.")
    won = winner_of(n.aar, session=session)
    text = entry(n, ctx, with_embete=True, winner=won is not None and won.nomination_id == n.id,
                 whole=True)
    return plain_reply(f"Nominasjon til {PRIZE} {n.aar}\n{text}")


def _winner(args: Winner, ctx: Context, session: Session) -> Reply:
    if not ctx.is_admin:
        raise UsageError(ADMINS_ONLY)
    n = get_nomination(args.nomination_id, session=session)
    if n is None:
        raise UsageError(f"Jeg finner ingen nominasjon #{args.nomination_id}; numrene står i "
                         "`/lhl nominasjoner`.")
    this_year = ctx.now.date().year
    if n.aar > this_year:
        raise UsageError(f"Nominasjon #{n.id} gjelder prisen for {n.aar}, som ikke er delt ut "
                         "ennå, så ingenting ble endret; vinneren av et år markeres blant årets "
                         f"nominasjoner, for eksempel i `/lhl nominasjoner {this_year}`.")
    before = winner_state(n.aar, session=session)
    if before is not None and before["nomination_id"] == n.id:
        return plain_reply(f"{winner_in_words(before, ctx.geo)} er allerede markert; "
                           "ingenting ble endret.")
    mark_winner(n.aar, args.nomination_id, by=ctx.user_id, now=ctx.now, session=session)
    after = winner_state(n.aar, session=session)
    assert after is not None
    changes.record(changes.WINNER_MARKED, changes.WINNER, n.aar, before=before, after=after,
                   by=ctx.user_id, now=ctx.now, session=session)
    lines = [f"Lagret: {winner_in_words(after, ctx.geo)}."]
    if before is not None:
        lines.append(f"Før var det {winner_in_words(before, ctx.geo)}; den er ikke vinner "
                     "lenger.")
    lines.append("`/lhl angre` tar det tilbake.")
    return plain_reply("\n".join(lines))


COMMAND = CommandSpec(
    name="nominasjoner",
    summary=f"viser nominasjonene til {PRIZE} med begrunnelse og kommunens fakta; en "
            "administrator markerer vinneren.",
    usage=USAGE,
    examples=(EXAMPLE, "nominasjoner landet", "nominasjoner vis 3", "nominasjoner vinner 3"),
    writes=True,
    reads_only=lambda args: not isinstance(args, Winner),
    parse=parse,
    execute=execute,
    aliases=("nominerte",),
    details=(f"Uten år: prisen som deles ut neste gang; uten sted: ditt embete (hele landet for "
             f"administratorer). {PER_PAGE} om gangen, `side 2` for de neste. "
             "`/lhl nominasjoner vis <nr>` viser hele begrunnelsen. "
             "`/lhl nominasjoner vinner <nr>` (administratorer) markerer vinneren av året; "
             "markeres en annen, flyttes den, og `/lhl angre` tar det tilbake."),
)
