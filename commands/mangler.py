"""``/lhl mangler <dialogmøte|tilbud|nettverk|deltar|plan> [embete|landet] [side <nr>]``: the
kommuner still missing a milestone today, for follow-up.

The milestones are the report's figures (:mod:`commands.report_facts`), as of today and for
this year's meetings, so the count agrees with ``status``:

* ``dialogmøte`` (``holdt``, ``møte``, ``gjennomført``): no dialogue meeting held this year; a
  kommune with a meeting planned later this year is listed with its date;
* ``tilbud`` (``tilbudt``): not offered a dialogue meeting this year (a held or planned one
  counts as offered);
* ``nettverk`` (``læringsnettverk``, ``invitasjon``, ``invitert``): never invited to a learning
  network: the embete is to invite every kommune (seed 004), so this is the one to follow up;
* ``deltar`` (``deltakelse``): not taking part in a learning network today;
* ``plan`` (``vedtatt``, ``prosess``): no plan adopted or process described.

Without a place: the user's own embete (an admin or a user without one names it). Anyone may
read it, as ``status``. Names are sorted; an embete of several fylker is listed by fylke.
``landet`` lists every embete, a page at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlmodel import Session

from commands.access import own_embete
from commands.base import CommandSpec, Context, UsageError
from commands.listing import paged, split_page
from commands.parse.dates import FIRST_YEAR, split_year_suffix
from commands.parse.places import is_kommunenummer, resolve_scope
from commands.report_facts import Area, build_report
from storage.reference import EmbeteRef, FylkeRef, Geography, KommuneRef
from voice.reply import Reply, plain_reply
from voice.text import fold
from voice.words import date_in_words, echo, join_names, name_order

USAGE = "mangler <dialogmøte|tilbud|nettverk|deltar|plan> [embete|landet]"
EXAMPLE = "mangler dialogmøte Agder"


@dataclass(frozen=True)
class Milestone:
    key: str
    """The figure (:data:`commands.report_facts.FIGURE`)."""
    missing: str
    """``mangler gjennomført dialogmøte``: what the count line says."""
    everyone: str
    """``har gjennomført dialogmøte``: what is said when none is missing."""
    this_year: bool
    """Counted for this year's meetings (said with the year)."""


MILESTONES = {
    "dialogmøte": Milestone("held", "mangler gjennomført dialogmøte",
                            "har gjennomført dialogmøte", True),
    "tilbud": Milestone("offered", "mangler tilbud om dialogmøte",
                        "har fått tilbud om dialogmøte", True),
    "nettverk": Milestone("invited", "mangler invitasjon til læringsnettverk",
                          "er invitert til læringsnettverk", False),
    "deltar": Milestone("taking_part", "deltar ikke i læringsnettverk",
                        "deltar i læringsnettverk", False),
    "plan": Milestone("plan", "mangler vedtatt plan eller beskrevet prosess",
                      "har vedtatt plan eller beskrevet prosess", False),
}
_WORDS = {
    "dialogmote": "dialogmøte", "dialogmoter": "dialogmøte", "mote": "dialogmøte",
    "moter": "dialogmøte", "holdt": "dialogmøte", "gjennomfort": "dialogmøte",
    "tilbud": "tilbud", "tilbudt": "tilbud", "tilby": "tilbud",
    "nettverk": "nettverk", "laeringsnettverk": "nettverk", "invitasjon": "nettverk",
    "invitert": "nettverk", "inviter": "nettverk", "invitere": "nettverk",
    "deltar": "deltar", "deltakelse": "deltar", "deltagelse": "deltar", "deltatt": "deltar",
    "plan": "plan", "planer": "plan", "vedtatt": "plan", "prosess": "plan",
}
"""What each milestone may be called (folded)."""
_UNKNOWN = ("Skriv hva som mangler: `dialogmøte` (holdt i år), `tilbud`, `nettverk` (invitert), "
            "`deltar` eller `plan`, for eksempel `/lhl {example}`.")


@dataclass(frozen=True)
class Args:
    milestone: str
    embete: EmbeteRef | None
    landet: bool
    page: int
    command: str
    """As typed without its page, for «Neste side»."""
    fylke: FylkeRef | None = None
    """A fylke that shares its embete with others (``Troms``): its own kommuner only."""


def parse(text: str, ctx: Context) -> Args:
    rest = text.strip()
    rest, page = split_page(rest, command="mangler")
    words = rest.split()
    if not words:
        raise UsageError(_UNKNOWN.format(example=EXAMPLE))
    if fold(words[0]) in _WORDS:
        milestone, place = _WORDS[fold(words[0])], words[1:]
    elif fold(words[-1]) in _WORDS:
        milestone, place = _WORDS[fold(words[-1])], words[:-1]
    else:
        raise UsageError(f"Jeg kjenner ikke «{echo(words[0])}» her. "
                         + _UNKNOWN.format(example=EXAMPLE))
    embete, fylke, landet = None, None, False
    year = split_year_suffix(" ".join(place), ctx.now)
    if year is not None and is_kommunenummer(year.written, ctx.geo):
        year = None
    if year is not None and year.year == ctx.now.year:
        place, year = year.head.split(), None  # «i år», «2026»: today, which it is anyway
    if year is not None:
        where = year.head or "Agder"
        gone = year.year if FIRST_YEAR <= year.year < ctx.now.year else ctx.now.year - 1
        raise UsageError(f"`mangler` viser hva som mangler i dag; for et år som er gått, se "
                         f"`/lhl rapport {echo(where)} {gone}`.")
    if place:
        scope = resolve_scope(" ".join(place), ctx.geo, home=ctx.home_embete,
                              form=(f"`/lhl {USAGE}`", f"`/lhl {EXAMPLE}`"))
        if scope.kind == "kommune":
            assert scope.kommune is not None
            raise UsageError(f"`mangler` lister kommunene i et embete eller et fylke; for én "
                             f"kommune, skriv `/lhl status {scope.kommune.basenavn}`.")
        landet, embete, fylke = scope.kind == "landet", scope.embete, scope.fylke
    return Args(milestone, embete, landet, page, f"mangler {rest}", fylke)


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    embete = args.embete
    if embete is None and not args.landet:
        embete = own_embete(ctx, session=session)
        if embete is None:
            raise UsageError(f"Skriv hvilket embete, for eksempel `/lhl {EXAMPLE}`, eller "
                             f"`/lhl mangler {args.milestone} landet`.")
    today = ctx.now.date()
    report = build_report(embete, today, ctx=ctx, session=session, activity=False)
    milestone = MILESTONES[args.milestone]
    area = report.whole if args.fylke is None else _in_fylke(report.whole, args.fylke, ctx.geo)
    missing = area.missing(milestone.key)
    year = f" i {today.year}" if milestone.this_year else ""
    who = (args.fylke.navn if args.fylke else area.embete.kortnavn if area.embete
           else "landet")
    if not missing:
        return plain_reply(f"Alle {area.total} kommunene i {who} {milestone.everyone}{year} "
                           f"per {date_in_words(today)}.")
    heading = (f"*{len(missing)} av {area.total} kommuner i {who} {milestone.missing}{year}* "
               f"per {date_in_words(today)}")
    parts = report.parts if report.national else (area,)
    entries = [entry for part in parts
               for entry in _entries(part, milestone, ctx.geo, national=report.national)]
    note = None
    if milestone.key == "held":
        planned = sum(1 for k in missing if area.milestones[k.nummer].planned)
        if planned:
            note = f"{planned} av dem har et planlagt møte senere i år (datoen i parentes)."
    return paged(heading, entries, args.page, command=args.command, note=note)


def _in_fylke(area: Area, fylke: FylkeRef, geo: Geography) -> Area:
    """``area`` (an embete) narrowed to the kommuner of one of its fylker."""
    kommuner = tuple(k for k in area.kommuner if geo.fylke_of(k).nummer == fylke.nummer)
    return replace(area, kommuner=kommuner,
                   milestones={k.nummer: area.milestones[k.nummer] for k in kommuner})


def _entries(area: Area, milestone: Milestone, geo: Geography, *, national: bool
             ) -> list[str]:
    """One entry per fylke of ``area`` with kommuner missing the milestone: ``Agder: A, B og
    C``; the fylke is named only when the embete has several, the embete when ``national``."""
    missing = area.missing(milestone.key)
    by_fylke: dict[str, list[KommuneRef]] = {}
    for k in area.kommuner:
        by_fylke.setdefault(geo.fylke_of(k).navn, [])
    for k in missing:
        by_fylke[geo.fylke_of(k).navn].append(k)
    several = len(by_fylke) > 1
    embete = area.embete.kortnavn if area.embete else ""
    out = []
    for fylke, kommuner in sorted(by_fylke.items(), key=lambda item: name_order(item[0])):
        if not kommuner:
            continue
        names = sorted((_name(k, area, milestone) for k in kommuner), key=name_order)
        label = " – ".join(p for p in (embete if national else "", fylke if several else "")
                           if p)
        head = f"*{label}* ({len(kommuner)}): " if label else ""
        out.append(head + join_names(names))
    return out


def _name(k: KommuneRef, area: Area, milestone: Milestone) -> str:
    planned: date | None = area.milestones[k.nummer].planned
    if milestone.key == "held" and planned is not None:
        return f"{k.basenavn} (planlagt {date_in_words(planned)})"
    return k.basenavn


COMMAND = CommandSpec(
    name="mangler",
    summary="lister kommunene som ennå mangler dialogmøte, tilbud, invitasjon til eller "
            "deltakelse i læringsnettverk, eller plan, til oppfølging.",
    usage=USAGE,
    examples=(EXAMPLE, "mangler tilbud", "mangler nettverk Vestland", "mangler plan landet"),
    writes=False,
    parse=parse,
    execute=execute,
    details=("`dialogmøte` (eller `holdt`, `møte`): ikke holdt dialogmøte i år, med datoen for et "
             "planlagt møte; `tilbud`: ikke fått tilbud om dialogmøte i år; `nettverk` (eller "
             "`invitasjon`, `læringsnettverk`): aldri invitert til et læringsnettverk (embetet "
             "skal invitere alle); `deltar`: deltar ikke i et læringsnettverk i dag; `plan`: "
             "verken vedtatt plan eller beskrevet prosess. Tallene er de samme som i `status`. "
             "Uten embete: ditt eget; `landet` lister alle embetene side for side."),
    cached=True,
)
