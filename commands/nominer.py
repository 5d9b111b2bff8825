"""``/lhl nominer <kommune> "<begrunnelse>" [år] [embete: …] [--endre]``: a kommune nominated
for the *Leve hele livet-prisen* (seed 001: the regional support apparatus nominates; seed 004,
section 6: a kommune that shows planned and completed activities and good results).

* **Year.** Without one, the coming award (``storage.nominations.coming_award_year``: this
  year's until the end of November, then next year's); only that year and the one after are
  taken. Written after the begrunnelse (or after the embete), as ``status`` reads a year
  (``2027``, ``i 2027``, ``i år``), or ``neste år``. ``--endre`` may stand anywhere after the
  begrunnelse.
* **Embete.** A coordinator nominates kommuner of their own embete, for it. An administrator
  names the embete with ``embete: Agder``; without it, the kommune's own.
* **Facts.** The kommune's record on the day (meetings held, learning networks, plan and
  phase) is stored with the nomination (``storage.nominations.kommune_facts``) and shown with
  it from then on.
* **One per kommune, year and embete.** A second says so, shows the first, and offers to put
  the new begrunnelse in its place: ``--endre`` (or the button, which runs that text), for the
  one who nominated or an administrator, as for meetings. The edit goes to the change log, and
  ``/lhl angre`` puts the old begrunnelse back. The advice's ``"<ny begrunnelse>"`` pasted as
  it stands is refused, not stored.

``/lhl nominer vinner <nr>`` is ``/lhl nominasjoner vinner <nr>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import get_close_matches

from sqlmodel import Session

from commands import nominasjoner
from commands.access import writer_embete
from commands.base import CommandSpec, Context, UsageError, about, command_button
from commands.forms import Choice, Field, Form, Parsed, Submitted, embete_field, kommuner_field
from commands.nomination_words import (
    EXAMPLE,
    PRIZE,
    REASON_CHARS,
    USAGE,
    facts_block,
    nomination_in_words,
    short_reason,
    typed_name,
    year_suffix,
)
from commands.parse.fields import refuse_identity_numbers, refuse_unknown_labels, split_labels
from commands.parse.places import resolve_embete, resolve_kommune
from storage import changes
from storage.entries import record_added
from storage.models import Nomination
from storage.nominations import (
    add_nomination,
    coming_award_year,
    find_nomination,
    kommune_facts,
    nomination_state,
    set_begrunnelse,
)
from storage.reference import EmbeteRef, KommuneRef
from voice.reply import Reply, actions, plain_reply, preceded, reply, said
from voice.text import as_written, find_quoted, fold
from voice.words import date_in_words, echo

_EDIT = re.compile(r"(?:^|\s)(?:--|—|–|-)\s?endre(?=\s|$)", re.IGNORECASE)
_FLAG = re.compile(r"(?:^|\s)((?:--|—|–)\s?\w+)(?=\s|$)")
_PLACEHOLDER = re.compile(r"<[^<>]*>")
_YEAR_IN_HEAD = re.compile(
    r"^(?P<first>20\d\d)\s+(?P<after>.+)$|^(?P<before>.+?)\s+(?P<last>20\d\d)$")


@dataclass(frozen=True)
class Nominate:
    kommune: KommuneRef
    begrunnelse: str
    aar: int
    embete: EmbeteRef | None
    """Named with ``embete:``; None: the writer's own (an administrator: the kommune's)."""
    edit: bool = False
    notes: tuple[str, ...] = ()
    """How the kommune's name was read (``Mandal er en del av Lindesnes siden 2020.``)."""


def parse(text: str, ctx: Context) -> Nominate | nominasjoner.Winner:
    rest = text.strip()
    verb, _, after = rest.partition(" ")
    if fold(verb) == "vinner":
        return nominasjoner.parse_winner(after)
    if not rest or _EDIT.fullmatch(rest):
        raise UsageError(f"Skriv kommunen og begrunnelsen i anførselstegn: `/lhl {USAGE}`, for "
                         f"eksempel `/lhl {EXAMPLE}`.")
    # To the last closing quote: a begrunnelse may quote someone.
    quoted = find_quoted(rest, last=True)
    if quoted is None:
        raise UsageError("Begrunnelsen mangler; skriv den i anførselstegn etter kommunen, for "
                         f"eksempel `/lhl {EXAMPLE}`.", field="begrunnelse")
    if not quoted.closed:
        raise UsageError("Begrunnelsen mangler et anførselstegn til slutt; skriv den mellom "
                         f"to, for eksempel `/lhl {EXAMPLE}`.", field="begrunnelse")
    _refuse_year_before(quoted.before, quoted.text)
    tail, edit = _edit_flag(quoted.after)
    tail, labels = split_labels(tail, ("embete",))
    embete = labels.get("embete")
    refuse_unknown_labels(f"{tail} {embete or ''}", ("embete",), command="`/lhl nominer`",
                          example=f"{EXAMPLE} 2027 embete: Agder")
    if embete and not tail:
        # ``embete: Agder 2028``: the year after the embete.
        found = year_suffix(embete, ctx.now)
        if found is not None and found.head:
            embete, tail = found.head, found.written
    return new_nomination(quoted.before, quoted.text, tail, embete, ctx, edit=edit,
                          named_embete="embete" in labels)


def _edit_flag(after: str) -> tuple[str, bool]:
    """``--endre`` anywhere after the begrunnelse, taken out; a near miss (``--endr``)
    refused with the right one."""
    edit = _EDIT.search(after)
    if edit is not None:
        after = f"{after[:edit.start()]} {after[edit.end():]}".strip()
    flag = _FLAG.search(after)
    if flag is not None:
        word = flag[1]
        close = get_close_matches(fold(word.lstrip("-—– ")), ["endre"], n=1, cutoff=0.6)
        hint = (" Mente du `--endre`?" if close
                else f" Etter begrunnelsen kan det stå år, `embete:` og `--endre`, for "
                     f"eksempel `/lhl {EXAMPLE} 2027 --endre`.")
        raise UsageError(f"«{said(word)}» kjenner jeg ikke.{hint}")
    return after.strip(), edit is not None


def _refuse_year_before(head: str, begrunnelse: str) -> None:
    """``nominer 2027 Lillesand "…"``: the year is written after the begrunnelse."""
    m = _YEAR_IN_HEAD.match(head)
    if m is None:
        return
    year = m["first"] or m["last"]
    kommune = m["after"] or m["before"]
    raise UsageError(f"Året skrives etter begrunnelsen, ikke før den: `/lhl nominer "
                     f'{said(echo(kommune))} "{said(echo(begrunnelse, 60))}" {year}`.',
                     field="aar")


def new_nomination(kommune: str, begrunnelse: str, year: str, embete: str | None,
                   ctx: Context, *, edit: bool = False, named_embete: bool = False) -> Nominate:
    """A nomination from its parts, checked as the typed command checks them: what the parser
    makes once it has split the text, and what the form makes from its fields."""
    with about("kommune"):
        if not kommune.strip():
            raise UsageError(f"Skriv kommunen før begrunnelsen, for eksempel `/lhl {EXAMPLE}`.")
        found = resolve_kommune(kommune, ctx.geo, home=ctx.home_embete)
    begrunnelse = as_written(begrunnelse)
    with about("begrunnelse"):
        if not begrunnelse:
            raise UsageError("Begrunnelsen er tom; skriv hvorfor kommunen bør få prisen, for "
                             f"eksempel `/lhl {EXAMPLE}`.")
        if len(begrunnelse) > REASON_CHARS:
            raise UsageError(f"Begrunnelsen er for lang ({len(begrunnelse)} tegn); den kan ha "
                             f"høyst {REASON_CHARS} tegn, for eksempel `/lhl {EXAMPLE}`.")
        refuse_identity_numbers(begrunnelse, "begrunnelse")
        if _PLACEHOLDER.fullmatch(begrunnelse):
            raise UsageError(f"«{said(begrunnelse)}» er bare plassen for begrunnelsen i "
                             "eksempelet; skriv din egen begrunnelse mellom anførselstegnene, "
                             f"for eksempel `/lhl {EXAMPLE}`.")
    with about("aar"):
        aar = _year(year.strip(), ctx)
    with about("embete"):
        if named_embete and not (embete or "").strip():
            raise UsageError("«embete:» står uten noe etter seg; skriv embetet, for eksempel "
                             f"`/lhl {EXAMPLE} embete: Agder`, eller ta feltet bort.")
        named = resolve_embete(embete, ctx.geo) if embete and embete.strip() else None
    return Nominate(found.kommuner[0], begrunnelse, aar, named, edit,
                    tuple(n.sentence for n in found.notes))


def _year(text: str, ctx: Context) -> int:
    coming = coming_award_year(ctx.now.date())
    if not text:
        return coming
    found = year_suffix(text, ctx.now)
    if found is None or found.head:
        raise UsageError(f"«{said(echo(text, 40))}» etter begrunnelsen kan jeg ikke lese som et "
                         f"år; skriv året prisen gjelder, {coming} eller {coming + 1}, for "
                         f"eksempel `/lhl {EXAMPLE} {coming + 1}`.")
    aar = found.year
    if aar < coming:
        raise UsageError(f"{PRIZE} for {aar} er allerede delt ut; nominer til {coming} eller "
                         f"{coming + 1}, for eksempel `/lhl {EXAMPLE} {coming}`.")
    if aar > coming + 1:
        raise UsageError(f"Jeg tar nominasjoner til prisen for {coming} og {coming + 1}, ikke "
                         f"for {aar}; skriv for eksempel `/lhl {EXAMPLE} {coming + 1}`.")
    return aar


def execute(args: Nominate | nominasjoner.Winner, *, session: Session, ctx: Context) -> Reply:
    if isinstance(args, nominasjoner.Winner):
        return nominasjoner.execute(args, session=session, ctx=ctx)
    own = writer_embete(ctx, session=session)
    kommune = args.kommune
    with about("embete"):
        embete_id = _embete_for(args, own, ctx)
    existing = find_nomination(args.aar, kommune.nummer, embete_id, session=session)
    if args.edit:
        if existing is None:
            raise UsageError(
                f"{kommune.navn} er ikke nominert til {PRIZE} {args.aar} fra "
                f"{ctx.geo.embeter[embete_id].navn} ennå, så det er ingen begrunnelse å endre; "
                f"skriv uten `--endre` for å nominere: `/lhl {_without_edit(args, ctx)}`.")
        if not _may_edit(existing, ctx):
            raise UsageError(
                f"<@{existing.created_by}> nominerte {kommune.navn} (nominasjon "
                f"#{existing.id}); bare den som nominerte, eller en administrator, kan endre "
                "begrunnelsen, så ingenting ble endret.")
        return preceded(list(args.notes), _edit(existing, args, ctx, session))
    if existing is not None:
        return preceded(list(args.notes), _already(existing, args, embete_id, ctx))
    fakta = kommune_facts(kommune.nummer, ctx.now.date(), session=session)
    nomination_id = add_nomination(
        aar=args.aar, kommune_nummer=kommune.nummer, embete_id=embete_id,
        begrunnelse=args.begrunnelse, fakta=fakta, by=ctx.user_id, now=ctx.now,
        session=session)
    if nomination_id is None:
        existing = find_nomination(args.aar, kommune.nummer, embete_id, session=session)
        assert existing is not None
        return preceded(list(args.notes), _already(existing, args, embete_id, ctx))
    record_added(changes.NOMINATION_CREATED, nomination_id,
                 nomination_state(nomination_id, session=session), by=ctx.user_id,
                 now=ctx.now, session=session)
    lines = [f"Lagret: {kommune.navn} nominert til {PRIZE} {args.aar} fra "
             f"{ctx.geo.embeter[embete_id].navn} (nominasjon #{nomination_id}).",
             f"Begrunnelse: {said(args.begrunnelse)}", facts_block(fakta),
             "Alle nominasjonene: `/lhl nominasjoner`; `/lhl angre` tar denne tilbake."]
    return preceded(list(args.notes), plain_reply("\n".join(lines)))


def _without_edit(args: Nominate, ctx: Context) -> str:
    """The user's own nomination as a command, without ``--endre``."""
    year = f" {args.aar}" if args.aar != coming_award_year(ctx.now.date()) else ""
    named = f" embete: {args.embete.kortnavn}" if args.embete is not None else ""
    return (f'nominer {typed_name(args.kommune, ctx.geo)} "{said(echo(args.begrunnelse, 60))}"'
            f"{year}{named}")


def _embete_for(args: Nominate, own: str | None, ctx: Context) -> str:
    kommune = args.kommune
    if ctx.is_admin:
        return args.embete.id if args.embete is not None else kommune.embete_id
    assert own is not None  # writer_embete refuses a non-admin without an embete
    if args.embete is not None and args.embete.id != own:
        raise UsageError(f"Du nominerer for {ctx.geo.embeter[own].navn}, ikke for "
                         f"{args.embete.navn}, så ingenting ble lagret; be en administrator om "
                         "tilgang om du skal nominere for et annet embete.")
    if kommune.embete_id != own:
        raise UsageError(f"Du nominerer for {ctx.geo.embeter[own].navn}, og {kommune.navn} "
                         f"hører til {ctx.geo.embeter[kommune.embete_id].navn}, så ingenting "
                         "ble lagret; et embete nominerer sine egne kommuner, for eksempel "
                         f"`/lhl {EXAMPLE}`.", field="kommune")
    return own


def _may_edit(existing: Nomination, ctx: Context) -> bool:
    """As for meetings (``rediger``, ``slett``): the one who nominated, or an administrator."""
    return existing.created_by == ctx.user_id or ctx.is_admin


def edit_command(kommune: KommuneRef, begrunnelse: str, aar: int, embete: EmbeteRef) -> str:
    """The ``/lhl`` text that puts ``begrunnelse`` in place of a nomination's (by number and
    embete, so it reads the same for whoever runs it)."""
    return (f'nominer {kommune.nummer} "{begrunnelse}" {aar} embete: {embete.kortnavn} '
            "--endre")


def _already(existing: Nomination, args: Nominate, embete_id: str, ctx: Context) -> Reply:
    """A second nomination of the same kommune, year and embete: nothing stored; the first
    shown, and the way to put the new begrunnelse in its place."""
    embete = ctx.geo.embeter[embete_id]
    head = (f"{args.kommune.navn} er allerede nominert til {PRIZE} {args.aar} fra "
            f"{embete.navn} (nominasjon #{existing.id}, av <@{existing.created_by}> "
            f"{date_in_words(existing.created_at.astimezone(ctx.tz).date())}), så ingenting "
            "ble lagret.")
    first = (f"Begrunnelse: {short_reason(existing.begrunnelse, existing.id)}\n"
             f"{facts_block(existing.fakta)}")
    if not _may_edit(existing, ctx):
        offer = (f"Begrunnelsen kan endres av <@{existing.created_by}>, som nominerte, eller "
                 "av en administrator.")
        return reply(head, first, offer, text=f"{head}\n{first}\n{offer}")
    command = edit_command(args.kommune, args.begrunnelse, args.aar, embete)
    named = f" embete: {embete.kortnavn}" if embete.id != args.kommune.embete_id else ""
    offer = (f"Vil du bytte begrunnelsen med den nye, trykk knappen eller skriv "
             f'`/lhl nominer {typed_name(args.kommune, ctx.geo)} "<ny begrunnelse>" '
             f"{args.aar}{named} --endre`.")
    return reply(head, first, offer,
                 actions(command_button("Bruk den nye begrunnelsen", command)),
                 text=f"{head}\n{first}\n{offer}")


def _edit(existing: Nomination, args: Nominate, ctx: Context, session: Session) -> Reply:
    assert existing.id is not None
    if existing.begrunnelse == args.begrunnelse:
        return plain_reply(f"Begrunnelsen for nominasjon #{existing.id} er allerede den du "
                           "skrev, så ingenting ble endret.")
    before = nomination_state(existing.id, session=session)
    old = existing.begrunnelse
    set_begrunnelse(existing.id, args.begrunnelse, by=ctx.user_id, now=ctx.now,
                    session=session)
    after = nomination_state(existing.id, session=session)
    assert before is not None and after is not None
    changes.record(changes.NOMINATION_EDITED, changes.NOMINATION, existing.id, before=before,
                   after=after, by=ctx.user_id, now=ctx.now, session=session)
    return plain_reply(
        f"Endret: begrunnelsen for {nomination_in_words(after, ctx.geo)} "
        f"(nominasjon #{existing.id}).\nNå: {said(args.begrunnelse)}\n"
        f"Før: {short_reason(old, existing.id)}\n`/lhl angre` setter den gamle tilbake.")


# --- the form ---------------------------------------------------------------------------------


def _years(ctx: Context) -> tuple[Choice, ...]:
    coming = coming_award_year(ctx.now.date())
    return (Choice(str(coming), str(coming)), Choice(str(coming + 1), str(coming + 1)))


def _from_form(submitted: Submitted) -> Parsed:
    chosen = submitted.kommuner("kommune")
    if len(chosen) != 1:
        raise UsageError("Velg én kommune; hver kommune nomineres for seg.", field="kommune")
    embete = submitted.ctx.geo.embeter.get(submitted.chosen("embete") or "")
    return Parsed(new_nomination(chosen[0], submitted.text("begrunnelse", paragraphs=True) or "",
                                 submitted.chosen("aar") or "",
                                 embete.kortnavn if embete else None, submitted.ctx))


FORM = Form(
    "nominer", "Nominer til prisen",
    (kommuner_field("kommune", "Kommune", hint="Skriv navnet (også tidligere navn) eller "
                                               "kommunenummeret og velg én kommune."),
     Field("begrunnelse", "Begrunnelse", "notat", max_chars=REASON_CHARS,
           hint="Hvorfor kommunen bør få prisen. Fakta om møter, læringsnettverk, plan og fase "
                "legges ved av seg selv."),
     Field("aar", "År", "valg", choices_from=_years,
           default=lambda ctx: str(coming_award_year(ctx.now.date())),
           hint="Prisen deles ut på den nasjonale konferansen i november."),
     embete_field(hint="Embetet som nominerer; tomt: kommunens eget.")),
    build=_from_form, opened_by="nominer")


COMMAND = CommandSpec(
    name="nominer",
    summary=f"nominerer en kommune til {PRIZE}, med kommunens egne fakta lagt ved.",
    usage=USAGE,
    examples=(EXAMPLE, 'nominer Lillesand "Ny begrunnelse" --endre', "nominer vinner 3"),
    writes=True,
    parse=parse,
    execute=execute,
    aliases=("nominere", "nominasjon"),
    forms=(FORM,),
    details=("Uten år gjelder nominasjonen prisen som deles ut neste gang: årets til og med "
             "30. november, deretter neste års; bare de to årene tas. Møter holdt, "
             "læringsnettverk, plan og fase slik de står den dagen, lagres med nominasjonen. "
             "En koordinator nominerer kommuner i sitt embete; en administrator skriver "
             "`embete: Agder` (uten: kommunens embete). Én nominasjon per kommune, år og "
             "embete: `--endre` etter begrunnelsen bytter den (den som nominerte, eller en "
             "administrator). `/lhl angre` tar det tilbake."),
)
