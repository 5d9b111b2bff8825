"""``/lhl logg [kommune|embete|fylke|landet] [antall] [side <nr>]``: the latest entries of the
change log (meetings, learning networks, events: ``storage.changes.ENTRY_RECORDS``), newest
first, each with its number, when, who and what:

    #12 · 4. desember 2026 kl. 10.12 · <@U…> · dialogmøte holdt med Vennesla 3. desember 2026

The number is the entry's row in the change log; ``/lhl slett <nr>`` removes what it is about,
and for a meeting ``/lhl rediger <nr>`` changes it.
Deletions and undos are entries too (``slettet: …``, ``angret #12: …``), and an entry that was
undone says so (``· angret i #14``). Without a place: the user's embete (an administrator, or a
user with no embete: the whole country). Everyone may read, as ``status``.

``logg`` used to be a short form of ``logg-møte``: a text that reads like a meeting (a date, a
``tema:``) is answered with the ``logg-møte`` command it meant, never with a listing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from commands.access import own_embete
from commands.base import CommandSpec, Context, UsageError
from commands.entry_words import edit_in_words, item_in_words, written_at
from commands.listing import page_asked, page_reply, refuse_missing_page
from commands.parse.dates import PAST, parse_date, split_date_suffix
from commands.parse.places import Scope, resolve_scope
from storage import changes, entries
from storage.models import Change
from voice.reply import Reply, plain_reply, preceded, said
from voice.words import echo

USAGE = "logg [kommune|embete] [antall] [side <nr>]"
EXAMPLE = "logg Agder 20"
DEFAULT_COUNT = 10
MOST = 50
WHAT_CHARS = 150
"""What one entry says is cut to this, so that 50 of them stay inside Slack's limits."""
NOTE = ("Endre et møte med `/lhl rediger <nr>`, slett en føring med `/lhl slett <nr>`; "
        "`/lhl angre` tar tilbake din siste endring.")

_PAGE = re.compile(r"(?:^|\s)((?:side|s\.?)\s*\d+)$", re.IGNORECASE)
_COUNT = re.compile(r"(?:^|\s)(\d{1,3})$")
_MEETING_FIELD = re.compile(r"(?:^|\s)(?:tema|med|notat|type)\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class Args:
    scope: Scope | None
    """None: the user's own embete (everything for an administrator)."""
    count: int = DEFAULT_COUNT
    page: int = 1
    command: str = "logg"
    """The listing as typed, without the page: what the next page's command repeats."""


def parse(text: str, ctx: Context) -> Args:
    rest = text.strip()
    page = 1
    found = _PAGE.search(rest)
    if found:
        page = page_asked(found[1], command="logg") or 1
        rest = rest[:found.start()].strip()
    _refuse_a_meeting(rest, ctx)
    count = DEFAULT_COUNT
    written = _COUNT.search(rest)
    if written:
        count = int(written[1])
        if not 1 <= count <= MOST:
            raise UsageError(f"Jeg viser fra 1 til {MOST} føringer om gangen; skriv for "
                             f"eksempel `/lhl logg {MOST}`, og `side 2` for de neste.")
        rest = rest[:written.start()].strip()
    scope = (resolve_scope(rest, ctx.geo, home=ctx.home_embete,
                           form=(f"`/lhl {USAGE}`", f"`/lhl {EXAMPLE}`")) if rest else None)
    listing = text.strip()[:found.start()] if found else text
    return Args(scope, count, page, " ".join(f"logg {listing}".split()))


def _refuse_a_meeting(text: str, ctx: Context) -> None:
    """``logg Kristiansand i går`` meant ``logg-møte``: say so, and list nothing."""
    if not text:
        return
    try:
        dated = (_MEETING_FIELD.search(text) is not None
                 or split_date_suffix(text, ctx.now, direction=PAST) is not None
                 or parse_date(text, ctx.now, direction=PAST) is not None)
    except UsageError:
        dated = True  # a date that does not exist is still a date: logg-møte will say so
    if dated:
        raise UsageError(f"`/lhl logg` viser de siste føringene; et holdt møte føres med "
                         f"`/lhl logg-møte`, for eksempel `/lhl logg-møte {said(echo(text))}`.")


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    scope = args.scope
    if scope is None:
        embete = None if ctx.is_admin else own_embete(ctx, session=session)
        scope = Scope(kind="embete", embete=embete) if embete else Scope(kind="landet")
    title, embete_id, kommuner = _where(scope, ctx)
    rows, total = changes.entries(session=session, limit=args.count,
                                  offset=(args.page - 1) * args.count, embete_id=embete_id,
                                  kommuner=kommuner)
    notes = [n.sentence for n in scope.notes]
    if not total:
        return preceded(notes, plain_reply(f"Ingen føringer for {title} ennå."))
    pages = math.ceil(total / args.count)
    refuse_missing_page(args.page, pages, command=args.command)
    lines = entry_lines(rows, ctx, session=session)
    heading = f"*Siste føringer – {title}* ({total})"
    return preceded(notes, page_reply(heading, ["\n".join(lines)], args.page, pages,
                                      command=args.command, note=NOTE))


def _where(scope: Scope, ctx: Context) -> tuple[str, str | None, list[str] | None]:
    """The listing's title, and the embete or kommuner :func:`storage.changes.entries`
    filters by."""
    if scope.kind == "kommune" and scope.kommune is not None:
        return scope.kommune.navn, None, [scope.kommune.nummer]
    if scope.kind == "fylke" and scope.fylke is not None:
        return (f"{scope.fylke.navn} fylke", None,
                [k.nummer for k in ctx.geo.kommuner_i_fylke(scope.fylke.nummer)])
    if scope.kind == "embete" and scope.embete is not None:
        return scope.embete.navn, scope.embete.id, None
    return "hele landet", None, None


def entry_lines(rows: Sequence[Change], ctx: Context, *, session: Session) -> list[str]:
    """``rows`` of the change log as the listing shows them (``#12 · when · who · what``; an
    undo names what it took back)."""
    undone = changes.undone_by_these([r.id for r in rows if r.kind == changes.UNDO and r.id],
                                     session=session)
    return [_line(r, undone, ctx) for r in rows]


def _line(change: Change, undone: dict[int, Change], ctx: Context) -> str:
    # Marked whole: the cut may fall inside a name a user wrote.
    line = (f"#{change.id} · {written_at(change.changed_at, ctx.tz)} · <@{change.changed_by}> · "
            f"{said(echo(what_changed(change, undone, ctx), WHAT_CHARS))}")
    if change.undone_by:
        line += f" · angret i #{change.undone_by}"
    return line


def what_changed(change: Change, undone: dict[int, Change], ctx: Context) -> str:
    """What an entry did, in words: ``slettet: dialogmøte holdt med …``."""
    if change.kind == changes.UNDO:
        taken = undone.get(change.id or 0)
        return (f"angret #{taken.id}: {what_changed(taken, undone, ctx)}" if taken
                else "angret en endring")
    item = entries.item_of(change.kind)
    before, after = change.before or {}, change.after or {}
    if item is None:
        return f"endring av slaget «{change.kind}»"
    if change.kind in entries.DELETED:
        return f"slettet: {item_in_words(item, change.record_id, before, ctx.geo)}"
    if change.kind in entries.EDITED:
        return edit_in_words(item, before, after, ctx.geo)
    return item_in_words(item, change.record_id, after, ctx.geo)


COMMAND = CommandSpec(
    name="logg",
    summary="viser de siste føringene (møter, læringsnettverk, arrangementer) med nummer, "
            "hvem og når.",
    usage=USAGE,
    examples=(EXAMPLE, "logg Lillesand", "logg landet 50 side 2"),
    writes=False,
    parse=parse,
    execute=execute,
    aliases=("føringer", "foringer"),
    details=(f"Nyeste først, {DEFAULT_COUNT} om gangen (høyst {MOST}: `/lhl logg Agder 50`), "
             "og `side 2` for de neste. Uten sted viser jeg ditt embete (hele landet for "
             "administratorer). Nummeret (#12) er det `/lhl slett 12` tar, og for et møte "
             "`/lhl rediger 12`. Et møte føres med `/lhl logg-møte`."),
    cached=True,
)
