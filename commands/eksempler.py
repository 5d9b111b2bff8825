"""``/lhl eksempler [område] [kommune|embete|fylke|landet] [side <nr>]``: the collection of
good examples (*eksempelsamling*), newest first, to find how other kommuner did it.

Without a place: the whole country, since the collection is for kommuner to learn from one
another wherever they are. An area (``mat``, ``Aktivitet og fellesskap``) narrows it to the
examples about that area, alone or with a place before or after it (``eksempler mat Agder``,
``eksempler Agder mat``). Anyone may read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from commands.base import CommandSpec, Context, UsageError
from commands.example_words import EXAMPLE, FIVE_AREAS, listing_entry
from commands.listing import paged, split_page
from commands.parse.places import UNKNOWN_PLACE, Scope, resolve_scope
from storage.examples import list_examples
from storage.models import COORDINATOR
from storage.queries import grant_of
from voice.innsatsomrader import Innsatsomrade, area_named
from voice.reply import Reply, plain_reply, preceded, said
from voice.words import echo

USAGE = "eksempler [område] [kommune|embete|fylke|landet]"
PER_PAGE = 10
_FORM = (f"`/lhl {USAGE}`", "`/lhl eksempler mat Agder`")


@dataclass(frozen=True)
class Args:
    area: Innsatsomrade | None
    scope: Scope
    page: int
    command: str
    """The command as typed without its page, for «Neste side»."""


def parse(text: str, ctx: Context) -> Args:
    rest, page = split_page(text.strip(), command="eksempler")
    area, place = _split_area(rest)
    return Args(area, _scope(place, area, ctx), page, f"eksempler {rest}".strip())


def _split_area(text: str) -> tuple[Innsatsomrade | None, str]:
    """The area the text begins or ends with (its longest run of words that names one), and
    the rest: ``"mat og måltider Agder"`` and ``"Agder mat og måltider"`` → (Mat og måltider,
    ``"Agder"``)."""
    words = text.split()
    for size in range(len(words), 0, -1):
        for area_words, rest in ((words[:size], words[size:]), (words[-size:], words[:-size])):
            found = area_named(" ".join(area_words))
            if found is not None:
                return found, " ".join(rest)
    return None, text


def _scope(place: str, area: Innsatsomrade | None, ctx: Context) -> Scope:
    """Where the examples are from. A word that is neither an area nor a place, nor close to
    a place's name, is answered with the five areas: a theme is what it most likely was
    meant as (``demens``)."""
    if not place:
        return Scope(kind="landet")
    try:
        return resolve_scope(place, ctx.geo, home=ctx.home_embete, form=_FORM)
    except UsageError as refused:
        # A place it is close to (``Kristiansandd``) is the better answer.
        if area is not None or refused.reason != UNKNOWN_PLACE:
            raise
    raise UsageError(f"«{said(echo(_not_a_place(place, ctx)))}» er ikke et innsatsområde, en "
                     "kommune eller et embete jeg kjenner; skriv ett av innsatsområdene "
                     f"{FIVE_AREAS}, en kommune eller et embete, eller begge, for eksempel "
                     "`/lhl eksempler mat Agder`.")


def _not_a_place(text: str, ctx: Context) -> str:
    """The words before or after a place (``demens`` in ``demens Agder``); all when none of
    them is one."""
    words = text.split()
    for size in range(len(words) - 1, 0, -1):
        for place, rest in ((words[-size:], words[:-size]), (words[:size], words[size:])):
            try:
                resolve_scope(" ".join(place), ctx.geo, home=ctx.home_embete, form=_FORM)
            except UsageError:
                continue
            return " ".join(rest)
    return text


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    scope = args.scope
    kommuner: list[str] | None = None
    embete_id: str | None = None
    if scope.kind == "kommune" and scope.kommune is not None:
        kommuner, where = [scope.kommune.nummer], scope.kommune.navn
    elif scope.kind == "fylke" and scope.fylke is not None:
        kommuner = [k.nummer for k in ctx.geo.kommuner_i_fylke(scope.fylke.nummer)]
        where = scope.fylke.navn
    elif scope.kind == "embete" and scope.embete is not None:
        embete_id, where = scope.embete.id, scope.embete.navn
    else:
        where = "hele landet"
    found, total = list_examples(session=session, area=args.area.key if args.area else None,
                                 kommuner=kommuner, embete_id=embete_id)
    about = f"{args.area.name}, {where}" if args.area else where
    said = [n.sentence for n in scope.notes]
    if not found:
        return preceded(said, plain_reply(
            f"Ingen gode eksempler er ført for {about} ennå. {_add_one(ctx, session)}"))
    entries = [listing_entry(s, ctx.geo, ctx.tz) for s in found]
    heading = f"*Gode eksempler – {about}* ({total}), nyeste først"
    return preceded(said, paged(heading, entries, args.page, command=args.command,
                                per_page=PER_PAGE))


def _add_one(ctx: Context, session: Session) -> str:
    """How to add an example, to one who may; to a reader or one without access, that adding
    one takes a coordinator's access."""
    grant = grant_of(ctx.user_id, session=session)
    if ctx.is_admin or (grant is not None and grant.rolle == COORDINATOR):
        return f"Før et med `/lhl {EXAMPLE}`."
    return ("Du kan lese samlingen med `/lhl eksempler`, men for å føre et eksempel trenger du "
            "koordinatortilgang; be en administrator om den.")


COMMAND = CommandSpec(
    name="eksempler",
    summary="viser gode eksempler på hvordan kommuner har planlagt reformen lokalt, nyeste "
            "først: kommune, tittel, innsatsområder, hvem som førte det, når og lenken.",
    usage=USAGE,
    examples=("eksempler", "eksempler mat", "eksempler Agder", "eksempler aktivitet Bodø",
              "eksempler landet side 2"),
    writes=False,
    parse=parse,
    execute=execute,
    aliases=("eksemplene", "gode-eksempler"),
    details=("Uten sted: hele landet. Et innsatsområde (`mat`, `aktivitet`, `helsehjelp`, "
             "`sammenheng`, `aldersvennlig` eller hele navnet) viser bare eksemplene om det, "
             "alene eller med et sted før eller etter (`/lhl eksempler mat Agder`). Et sted "
             "er en kommune, et fylke, et embete eller `landet`, som i `/lhl status`. Ti om "
             "gangen; blar med `side 2`. Alle kan lese samlingen."),
    cached=True,
)
