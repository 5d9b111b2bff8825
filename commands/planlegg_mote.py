"""``/lhl planlegg-møte <kommuner> <dato> [tema: …] [med: …] [notat: …]``: a dialogue meeting
agreed with one or several kommuner, ahead of time.

Seed 003 asks how many kommuner "har deltatt eller planlegger å delta på dialogmøter": a plan
counts in ``status`` as *holdt eller planlagt* while its date has not passed, until a held
dialogue meeting with the kommune replaces it (see ``storage.queries`` for the rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from commands.access import require_writer
from commands.base import CommandSpec, Context, UsageError
from commands.meetings import (
    MeetingFields,
    MeetingForm,
    field_lines,
    kommuner_and_date,
    meeting_fields,
    names,
    theme_areas,
)
from commands.parse.dates import FUTURE
from commands.parse.fields import refuse_unknown_labels, split_labels
from commands.parse.places import NameNote
from storage.changes import record_meeting
from storage.models import PLANNED
from storage.queries import add_meeting, open_plans
from storage.reference import KommuneRef
from voice.reply import Reply, plain_reply
from voice.words import date_in_words, join_names

USAGE = "planlegg-møte <kommuner> <dato> [tema: …] [med: KS, USHT] [notat: …]"
EXAMPLE = "planlegg-møte Vennesla, Lillesand 12. mai tema: mat med: KS"
LABELS = ("tema", "med", "notat")
FORM = MeetingForm("planlegg-møte", EXAMPLE, "hvilke kommuner møtet skal være med", LABELS)


@dataclass(frozen=True)
class Args:
    kommuner: list[KommuneRef]
    dato: date
    fields: MeetingFields
    notes: tuple[NameNote, ...] = ()
    """How former or shared kommune names were read (said before the confirmation)."""


def parse(text: str, ctx: Context) -> Args:
    head, labels = split_labels(text, LABELS)
    refuse_unknown_labels(head, LABELS, command=FORM.command, example=EXAMPLE)
    tail = text.strip()[len(head):].strip()
    found, when = kommuner_and_date(head, ctx, FORM, tail=tail, direction=FUTURE)
    if when < ctx.now.date():
        raise UsageError(
            f"{date_in_words(when)} er passert, og et planlagt møte ligger fram i tid; et møte "
            f"som er holdt, føres med `/lhl logg-møte {names(found.kommuner)} "
            f"{date_in_words(when)}`.")
    return Args(found.kommuner, when, meeting_fields(labels), found.notes)


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    require_writer(ctx, args.kommuner, session=session)
    already = open_plans(first=ctx.now.date(), kommuner=[k.nummer for k in args.kommuner],
                         tz=ctx.tz, session=session)
    f = args.fields
    meeting_id = add_meeting(PLANNED, args.dato, args.kommuner, by=ctx.user_id, now=ctx.now,
                             session=session, tema=f.tema, med=f.med, notat=f.notat,
                             areas=theme_areas(f.tema))
    record_meeting(meeting_id, by=ctx.user_id, now=ctx.now, session=session)
    lines = [*(n.sentence for n in args.notes),
             f"Lagret: dialogmøte planlagt med {names(args.kommuner)} "
             f"{date_in_words(args.dato)}.",
             *field_lines(f, meeting_id)]
    if already:
        listed = join_names([
            f"{ctx.geo.kommuner[p.kommune_nummer].navn} {date_in_words(p.dato)} "
            f"(ført av <@{p.created_by}>)" for p in already])
        lines.append(f":warning: Det er allerede planlagt dialogmøte med {listed}. Er det "
                     "samme møte, skriv `/lhl angre`.")
    return plain_reply("\n".join(lines))


COMMAND = CommandSpec(
    name="planlegg-møte",
    summary="fører et dialogmøte som er avtalt med én eller flere kommuner, fram i tid.",
    usage=USAGE,
    examples=(EXAMPLE, "planlegg-møte Kristiansand neste tirsdag"),
    writes=True,
    parse=parse,
    execute=execute,
    aliases=("planlegg-mote", "planlegg"),
    details=("Datoen kan være «i dag», «neste fredag», «12. mai» eller «12.05.2027», men ikke "
             "passert; uten år er det den neste slike dagen (i desember er «12. mai» neste "
             "år). Et planlagt møte teller som «holdt eller planlagt» i `status` til datoen "
             "har passert; når møtet er holdt, før det med `logg-møte`, som erstatter planen."),
)
