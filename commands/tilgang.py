"""``/lhl tilgang [side <nr> | gi @bruker <embete|fylke> [koordinator|leser] | fjern @bruker]``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from sqlmodel import Session

from commands.base import CommandSpec, Context, UsageError
from commands.listing import page_asked, paged
from commands.parse.places import resolve_embete
from storage.models import COORDINATOR, READER
from storage.queries import get_access, grant_access, list_access, revoke_access
from storage.reference import EmbeteRef
from voice import texts
from voice.reply import Reply, plain_reply
from voice.words import echo

USAGE = "tilgang [side <nr> | gi @bruker <embete|fylke> [koordinator|leser] | fjern @bruker]"
GIVE_EXAMPLE = "tilgang gi @kari Agder koordinator"
_USER = re.compile(r"^(?:<@([UW][A-Z0-9]+)>|@?([UW][A-Z0-9]{2,}))$")
PER_PAGE = 40
_ROLE = re.compile(r"\s+(koordinator|leser)$", re.I)


@dataclass(frozen=True)
class Args:
    action: Literal["list", "give", "remove"]
    user_id: str | None = None
    embete: EmbeteRef | None = None
    rolle: str = COORDINATOR
    page: int = 1


def _user(token: str) -> str:
    m = _USER.match(token)
    if not m:
        raise UsageError(
            f"«{echo(token)}» er ikke en Slack-bruker. Nevn personen med @, for eksempel "
            f"`/lhl {GIVE_EXAMPLE}`."
        )
    return m.group(1) or m.group(2)


def parse(text: str, ctx: Context) -> Args:
    verb, _, rest = text.strip().partition(" ")
    verb = verb.lower()
    if not verb:
        return Args("list")
    page = page_asked(text, command="tilgang")
    if page is not None:
        return Args("list", page=page)
    if verb == "fjern":
        if not rest.strip() or " " in rest.strip():
            raise UsageError("Skriv hvem som skal miste tilgangen, for eksempel "
                             "`/lhl tilgang fjern @kari`.")
        return Args("remove", _user(rest.strip()))
    if verb != "gi":
        raise UsageError(f"Skriv `/lhl tilgang`, `/lhl {GIVE_EXAMPLE}` eller "
                         "`/lhl tilgang fjern @kari`.")
    who, _, where = rest.strip().partition(" ")
    if not who or not where.strip():
        raise UsageError(f"Skriv hvem og hvilket embete, for eksempel `/lhl {GIVE_EXAMPLE}`.")
    rolle = COORDINATOR
    m = _ROLE.search(where)
    if m:
        rolle = m.group(1).lower()
        where = where[: m.start()]
    return Args("give", _user(who), resolve_embete(where.strip(), ctx.geo), rolle)


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    if args.action == "list":
        return _list(args.page, session, ctx)
    if not ctx.is_admin:
        raise UsageError(texts.ADMIN_ONLY)
    assert args.user_id is not None
    if args.action == "remove":
        removed = revoke_access(args.user_id, session=session)
        if removed is None:
            return plain_reply(f"<@{args.user_id}> hadde ingen tilgang.")
        return plain_reply(f"<@{args.user_id}> har ikke lenger tilgang "
                          f"(var {removed.rolle} for {ctx.geo.embeter[removed.embete_id].navn}).")
    assert args.embete is not None
    grant_access(args.user_id, args.embete.id, args.rolle, by=ctx.user_id, now=ctx.now,
                 session=session)
    can = ("kan føre for kommunene der" if args.rolle == COORDINATOR
           else "kan lese status for embetet")
    return plain_reply(f"<@{args.user_id}> er nå {args.rolle} for {args.embete.navn} og {can}.")


def _list(page: int, session: Session, ctx: Context) -> Reply:
    if not ctx.is_admin:
        mine = get_access(ctx.user_id, session=session)
        if mine is None:
            return plain_reply(texts.NO_ACCESS_YET)
        return plain_reply(f"Du er {mine.rolle} for {ctx.geo.embeter[mine.embete_id].navn}.")
    rows = list_access(session=session)
    if not rows:
        return plain_reply(f"Ingen har fått tilgang ennå. Gi tilgang med `/lhl {GIVE_EXAMPLE}`.")
    lines = [f"• <@{a.slack_user_id}>: {a.rolle} for {ctx.geo.embeter[a.embete_id].kortnavn}"
             for a in rows]
    return paged(f"*Tilganger* ({len(rows)})", lines, page, command="tilgang",
                 per_page=PER_PAGE)


COMMAND = CommandSpec(
    name="tilgang",
    summary="viser tilganger; administratorer gir og fjerner dem.",
    usage=USAGE,
    examples=(GIVE_EXAMPLE, "tilgang fjern @kari", "tilgang"),
    writes=True,
    parse=parse,
    execute=execute,
    details=(f"En {COORDINATOR} fører for kommunene i sitt embete; en {READER} kan lese. "
             "Alle kan lese status."),
)
