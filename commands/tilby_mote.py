"""``/lhl tilby-møte <kommuner|alle> [dato]``: a dialogue meeting offered."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from commands.access import own_embete, require_writer
from commands.base import CommandSpec, Context, UsageError
from commands.forms import (
    Form,
    Submitted,
    checkbox_field,
    date_field,
    date_text,
    embete_field,
    kommune_list,
    kommuner_field,
)
from commands.meetings import MeetingForm, kommune_text_and_date, refuse_future
from commands.parse.places import NameNote, resolve_embete, resolve_kommuner
from storage.changes import record_meeting
from storage.models import OFFERED
from storage.queries import add_meeting, kommuner_with_meeting
from storage.reference import EmbeteRef, KommuneRef
from voice.reply import Reply, plain_reply
from voice.words import date_in_words, join_names

USAGE = "tilby-møte <kommuner|alle> [dato]"
EXAMPLE = "tilby-møte Lillesand og Birkenes"
FORM = MeetingForm("tilby-møte", EXAMPLE, "hvilke kommuner som har fått tilbud")
_ALL = re.compile(r"^alle(?:\s+(?:i\s+|embete\s*:\s*)?(?P<embete>.+))?$", re.I)


@dataclass(frozen=True)
class Args:
    kommuner: list[KommuneRef] | None
    """None for ``alle``: every kommune of ``embete`` (or of the user's own embete)."""
    embete: EmbeteRef | None
    dato: date
    notes: tuple[NameNote, ...] = ()
    """How former or shared kommune names were read (said before the confirmation)."""


def parse(text: str, ctx: Context) -> Args:
    head, written = kommune_text_and_date(text.strip(), ctx, FORM)
    when = written or ctx.now.date()
    refuse_future(when, ctx, "tilbud som er gitt")
    everyone = _ALL.match(head)
    if everyone:
        embete = resolve_embete(everyone["embete"], ctx.geo) if everyone["embete"] else None
        return Args(None, embete, when)
    if not head:
        raise UsageError(f"Skriv hvilke kommuner som har fått tilbud, for eksempel "
                         f"`/lhl {EXAMPLE}` eller `/lhl tilby-møte alle`.")
    kommuner = resolve_kommuner(head, ctx.geo, home=ctx.home_embete)
    return Args(kommuner.kommuner, None, when, kommuner.notes)


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    kommuner = args.kommuner
    embete = args.embete
    if kommuner is None:
        embete = embete or own_embete(ctx, session=session)
        if embete is None:
            raise UsageError("Du hører ikke til et embete, så jeg vet ikke hvem «alle» er. "
                             "Skriv embetet, for eksempel `/lhl tilby-møte alle Agder`.",
                             field="alle")
        kommuner = list(ctx.geo.kommuner_i(embete.id))
    notes = [n.sentence for n in args.notes]
    require_writer(ctx, kommuner, session=session, said=notes)
    already = kommuner_with_meeting([k.nummer for k in kommuner], args.dato.year,
                                    session=session)
    new = [k for k in kommuner if k.nummer not in already]
    old = [k for k in kommuner if k.nummer in already]
    year = args.dato.year
    if not new:
        who = (f"Alle de {len(old)} kommunene i {embete.kortnavn}" if embete is not None
               else _count_or_names(old))
        return plain_reply("\n".join([*notes, f"{who} har allerede fått tilbud om "
                                      f"dialogmøte i {year}, så ingenting nytt ble lagret."]))
    meeting_id = add_meeting(OFFERED, args.dato, new, by=ctx.user_id, now=ctx.now,
                             session=session)
    record_meeting(meeting_id, by=ctx.user_id, now=ctx.now, session=session)
    if embete is not None and not old:
        who = f"alle de {len(new)} kommunene i {embete.kortnavn}"
    else:
        who = _count_or_names(new)
    lines = [*notes, f"Lagret: dialogmøte tilbudt {who} {date_in_words(args.dato)}."]
    if old:
        lines.append(f"{_count_or_names(old)} hadde allerede fått tilbud i {year} og ble "
                     "ikke ført på nytt.")
    return plain_reply("\n".join(lines))


def _count_or_names(kommuner: list[KommuneRef]) -> str:
    if len(kommuner) > 8:
        return f"{len(kommuner)} kommuner"
    return join_names([k.navn for k in kommuner])


def _from_form(submitted: Submitted) -> str:
    """``tilby-møte 4204, 4215 12.05.2026`` or ``tilby-møte alle [embete] 12.05.2026``."""
    if "alle" not in submitted.ticked("alle"):
        who = kommune_list(submitted.kommuner())
    elif submitted.values.get("kommuner"):
        raise UsageError("Velg kommuner eller «alle», ikke begge.", field="alle")
    else:
        embete = submitted.ctx.geo.embeter.get(submitted.chosen("embete") or "")
        who = f"alle {embete.kortnavn}" if embete else "alle"
    return f"tilby-møte {who} {date_text(submitted.date())}"


TILBY_FORM = Form(
    "tilby-mote", "Tilbud om dialogmøte",
    (kommuner_field(optional=True),
     checkbox_field("alle", "Eller alle", [("alle", "Alle kommunene i embetet")],
                    hint="De som alt har fått tilbud i år, føres ikke på nytt."),
     embete_field(hint="Embetet «alle» gjelder; tomt: ditt eget."),
     date_field(hint="Dagen tilbudet ble gitt.")),
    build=_from_form, opened_by="tilby-møte")


COMMAND = CommandSpec(
    name="tilby-møte",
    summary="fører at kommuner har fått tilbud om dialogmøte (et holdt møte teller også).",
    usage=USAGE,
    examples=(EXAMPLE, "tilby-møte alle 1. september"),
    writes=True,
    parse=parse,
    execute=execute,
    aliases=("tilby-mote", "tilby"),
    forms=(TILBY_FORM,),
    details=("Uten dato gjelder tilbudet i dag; en dato uten år er den siste slike dagen. "
             "«alle» betyr alle kommunene i ditt embete; en administrator skriver embetet etter "
             "(«alle Agder» eller «alle embete: Agder»)."),
)
