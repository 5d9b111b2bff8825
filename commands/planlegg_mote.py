"""``/lhl planlegg-møte <kommuner> <dato> [tema: …] [med: …] [notat: …]``: a dialogue meeting
agreed with one or several kommuner, ahead of time.

Seed 003 asks how many kommuner "har deltatt eller planlegger å delta på dialogmøter": a plan
counts in ``status`` as *holdt eller planlagt* while its date has not passed, until a held
dialogue meeting with the kommune replaces it (see ``storage.queries`` for the rule).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from commands.access import require_writer
from commands.base import CommandSpec, Context, UsageError, about
from commands.forms import Form, Parsed, Submitted, date_field, kommune_list, kommuner_field
from commands.logg_mote import THEME_FIELDS, form_labels
from commands.meetings import (
    MeetingFields,
    MeetingForm,
    entry_line,
    field_lines,
    kommuner_and_date,
    meeting_fields,
    names,
    theme_areas,
)
from commands.parse.dates import FUTURE
from commands.parse.fields import refuse_unknown_labels, split_labels
from commands.parse.places import Found, NameNote, resolve_kommuner
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
    return parse_planned(text, ctx, FORM)


def parse_planned(text: str, ctx: Context, form: MeetingForm) -> Args:
    """A planned meeting as ``form`` writes it (``planlegg-møte`` or ``rediger <nr>``)."""
    head, labels = split_labels(text, LABELS)
    refuse_unknown_labels(head, LABELS, command=form.command, example=form.example)
    tail = text.strip()[len(head):].strip()
    found, when = kommuner_and_date(head, ctx, form, tail=tail, direction=FUTURE)
    return planned_args(found, when, labels, ctx)


def planned_args(found: Found, when: date, labels: Mapping[str, str], ctx: Context) -> Args:
    """A planned meeting from its parts, checked as the typed command checks them (what
    :func:`parse` makes once it has split the text, and what the form makes of its fields)."""
    if when < ctx.now.date():
        raise UsageError(
            f"{date_in_words(when)} er passert, og et planlagt møte ligger fram i tid; et møte "
            f"som er holdt, føres med `/lhl logg-møte {names(found.kommuner)} "
            f"{date_in_words(when)}`.", field="dato")
    return Args(found.kommuner, when, meeting_fields(dict(labels)), found.notes)


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    require_writer(ctx, args.kommuner, session=session)
    already = open_plans(first=ctx.now.date(), kommuner=[k.nummer for k in args.kommuner],
                         tz=ctx.tz, session=session)
    f = args.fields
    meeting_id = add_meeting(PLANNED, args.dato, args.kommuner, by=ctx.user_id, now=ctx.now,
                             session=session, tema=f.tema, med=f.med, notat=f.notat,
                             areas=theme_areas(f.tema))
    change_id = record_meeting(meeting_id, by=ctx.user_id, now=ctx.now, session=session)
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
    return plain_reply("\n".join([*lines, entry_line(change_id)]))


def _from_form(submitted: Submitted) -> Parsed:
    ctx = submitted.ctx
    with about("kommuner"):
        found = resolve_kommuner(kommune_list(submitted.kommuner()), ctx.geo)
    return Parsed(planned_args(found, submitted.date(), form_labels(submitted), ctx))


PLANNED_FIELDS = (kommuner_field(), date_field(hint="Dagen møtet er avtalt."), *THEME_FIELDS)
PLAN_FORM = Form("planlegg-mote", "Planlegg dialogmøte", PLANNED_FIELDS, build=_from_form,
                 opened_by="planlegg-møte")


COMMAND = CommandSpec(
    name="planlegg-møte",
    summary="fører et dialogmøte som er avtalt med én eller flere kommuner, fram i tid.",
    usage=USAGE,
    examples=(EXAMPLE, "planlegg-møte Kristiansand neste tirsdag"),
    writes=True,
    parse=parse,
    execute=execute,
    aliases=("planlegg-mote", "planlegg"),
    forms=(PLAN_FORM,),
    details=("Datoen kan være «i dag», «neste fredag», «12. mai» eller «12.05.2027», men ikke "
             "passert; uten år er det den neste slike dagen (i desember er «12. mai» neste "
             "år). Et planlagt møte teller som «holdt eller planlagt» i `status` til datoen "
             "har passert; når møtet er holdt, før det med `logg-møte`, som erstatter planen."),
)
