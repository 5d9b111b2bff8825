"""``/lhl eksempler [område] [kommune|embete|fylke|landet] [side <nr>]``: the collection of
good examples (*eksempelsamling*), newest first, to find how other kommuner did it.

Without a place: the whole country, since the collection is for kommuner to learn from one
another wherever they are. An area (``mat``, ``Aktivitet og fellesskap``) narrows it to the
examples about that area, alone or before a place (``eksempler mat Agder``). Anyone may read
it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from commands.base import CommandSpec, Context
from commands.example_words import EXAMPLE, listing_entry
from commands.listing import paged, split_page
from commands.parse.places import Scope, resolve_scope
from storage.examples import list_examples
from voice.innsatsomrader import Innsatsomrade, area_named
from voice.reply import Reply, plain_reply, preceded

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
    scope = (resolve_scope(place, ctx.geo, home=ctx.home_embete, form=_FORM) if place
             else Scope(kind="landet"))
    return Args(area, scope, page, f"eksempler {rest}".strip())


def _split_area(text: str) -> tuple[Innsatsomrade | None, str]:
    """The area the text begins with (its longest run of words that names one), and the rest:
    ``"mat og måltider Agder"`` → (Mat og måltider, ``"Agder"``)."""
    words = text.split()
    for end in range(len(words), 0, -1):
        found = area_named(" ".join(words[:end]))
        if found is not None:
            return found, " ".join(words[end:])
    return None, text


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
            f"Ingen gode eksempler er ført for {about} ennå. Før et med `/lhl {EXAMPLE}`."))
    entries = [listing_entry(s, ctx.geo, ctx.tz) for s in found]
    heading = f"*Gode eksempler – {about}* ({total}), nyeste først"
    return preceded(said, paged(heading, entries, args.page, command=args.command,
                                per_page=PER_PAGE))


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
             "alene eller før et sted (`/lhl eksempler mat Agder`). Et sted er en kommune, et "
             "fylke, et embete eller `landet`, som i `/lhl status`. Ti om gangen; blar med "
             "`side 2`. Alle kan lese samlingen."),
    cached=True,
)
