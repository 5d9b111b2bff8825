"""``/lhl logg-møte <kommuner> <dato> [type: …] [tema: …] [med: …] [notat: …]``: a held
meeting (a dialogue meeting unless ``type:`` says otherwise)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from commands.access import require_writer
from commands.base import CommandSpec, Context
from commands.meetings import (
    TYPE_CHOICES,
    MeetingFields,
    MeetingForm,
    field_lines,
    kommuner_and_date,
    meeting_fields,
    meeting_noun,
    meeting_type,
    names,
    refuse_future,
    theme_areas,
)
from commands.parse.fields import refuse_unknown_labels, split_labels
from commands.parse.places import NameNote
from storage.changes import record_meeting
from storage.models import DIALOGUE, HELD
from storage.queries import Plan, add_meeting, held_near, open_plans
from storage.reference import KommuneRef
from voice.reply import Reply, plain_reply
from voice.words import date_in_words

USAGE = "logg-møte <kommuner> <dato> [type: …] [tema: …] [med: KS, USHT] [notat: …]"
EXAMPLE = "logg-møte Vennesla, Lillesand i går tema: mat og måltider med: KS"
TYPE_EXAMPLE = "logg-møte Vennesla i går type: ordfører"
LABELS = ("type", "tema", "med", "notat")
FORM = MeetingForm("logg-møte", EXAMPLE, "hvilke kommuner møtet var med", LABELS)
DOUBLE_WINDOW_DAYS = 3
DOUBLES_SHOWN = 10


@dataclass(frozen=True)
class Args:
    kommuner: list[KommuneRef]
    dato: date
    fields: MeetingFields
    meeting_type: str = DIALOGUE
    notes: tuple[NameNote, ...] = ()
    """How former or shared kommune names were read (said before the confirmation)."""


def parse(text: str, ctx: Context) -> Args:
    head, labels = split_labels(text, LABELS)
    # Not in the note, which is free text where «Avtalt:» is just a word.
    for before_or_short in (head, labels.get("tema", ""), labels.get("med", "")):
        refuse_unknown_labels(before_or_short, LABELS, command=FORM.command, example=EXAMPLE)
    tail = text.strip()[len(head):].strip()
    found, when = kommuner_and_date(head, ctx, FORM, tail=tail)
    kind = meeting_type(labels["type"], TYPE_EXAMPLE) if "type" in labels else DIALOGUE
    refuse_future(when, ctx, "holdt møte", planned=(
        f"planlegg-møte {names(found.kommuner)} {date_in_words(when)}"
        if kind == DIALOGUE else None))
    return Args(found.kommuner, when, meeting_fields(labels), kind, found.notes)


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    require_writer(ctx, args.kommuner, session=session,
                   said=[n.sentence for n in args.notes])
    numbers = [k.nummer for k in args.kommuner]
    doubles = held_near(numbers, args.dato, days=DOUBLE_WINDOW_DAYS, session=session,
                        limit=DOUBLES_SHOWN, meeting_type=args.meeting_type)
    fulfils = [] if args.meeting_type != DIALOGUE else [
        p for p in open_plans(kommuner=numbers, tz=ctx.tz, session=session)
        if p.planned_on <= args.dato]
    f = args.fields
    meeting_id = add_meeting(HELD, args.dato, args.kommuner, by=ctx.user_id, now=ctx.now,
                             session=session, tema=f.tema, med=f.med, notat=f.notat,
                             meeting_type=args.meeting_type, areas=theme_areas(f.tema))
    record_meeting(meeting_id, by=ctx.user_id, now=ctx.now, session=session)
    noun = meeting_noun(args.meeting_type)
    lines = [*(n.sentence for n in args.notes),
             f"Lagret: {noun} holdt med {names(args.kommuner)} {date_in_words(args.dato)}.",
             *field_lines(f, meeting_id), *_fulfilled_lines(fulfils, ctx)]
    if doubles:
        listed = "; ".join(
            f"{ctx.geo.kommuner[d.kommune_nummer].navn} {date_in_words(d.dato)} "
            f"(ført av <@{d.created_by}>)" for d in doubles)
        if len(doubles) >= DOUBLES_SHOWN:
            listed += " og flere"
        lines.append(
            f":warning: Mulig dobbeltføring: det er allerede ført {noun} med {listed}. "
            "Er det samme møte, skriv `/lhl angre`."
        )
    return plain_reply("\n".join(lines))


def _fulfilled_lines(plans: list[Plan], ctx: Context) -> list[str]:
    """«Det planlagte dialogmøtet med Vennesla 12. mai 2026 regnes nå som holdt.», once per
    plan, naming the kommuner of this meeting that it was planned with."""
    by_plan: dict[tuple[date, int], list[str]] = {}
    for p in plans:
        by_plan.setdefault((p.dato, p.meeting_id), []).append(p.kommune_nummer)
    return [f"Det planlagte dialogmøtet med {names([ctx.geo.kommuner[n] for n in kommuner])} "
            f"{date_in_words(dato)} regnes nå som holdt."
            for (dato, _), kommuner in sorted(by_plan.items())]


COMMAND = CommandSpec(
    name="logg-møte",
    summary="fører et møte som er holdt, med én eller flere kommuner (dialogmøte om ikke "
            "`type:` sier annet).",
    usage=USAGE,
    examples=(EXAMPLE, "logg-møte Kristiansand i går", TYPE_EXAMPLE),
    writes=True,
    parse=parse,
    execute=execute,
    aliases=("logg-mote", "loggmøte"),
    details=("Kommuner skilles med komma eller «og». Datoen kan være «i dag», «i går», "
             "«forrige fredag», «12. mai» eller «12.05.2026», men ikke fram i tid; uten år "
             "er det den siste slike dagen (i januar er «24. desember» i fjor). "
             f"Møtetypen er {TYPE_CHOICES}; bare dialogmøter teller i tallene. "
             "Temaet kan være innsatsområdene (`mat`, `aktivitet`, `helsehjelp`, "
             "`sammenheng`, `aldersvennlig`) eller fri tekst. Et holdt dialogmøte erstatter "
             "et planlagt møte med kommunen."),
)
