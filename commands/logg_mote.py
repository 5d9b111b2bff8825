"""``/lhl logg-møte <kommuner> <dato> [tema: …] [med: …] [notat: …]``: a held dialogue meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from commands.access import require_writer
from commands.base import CommandSpec, Context
from commands.meetings import MeetingForm, kommuner_and_date, names, partners, refuse_future
from commands.parse.fields import (
    check_length,
    refuse_identity_numbers,
    refuse_unknown_labels,
    split_labels,
)
from commands.parse.places import NameNote
from storage.changes import record_meeting
from storage.models import HELD
from storage.queries import add_meeting, held_near
from storage.reference import KommuneRef
from voice.reply import Reply, plain_reply
from voice.words import date_in_words

USAGE = "logg-møte <kommuner> <dato> [tema: …] [med: KS, USHT] [notat: …]"
EXAMPLE = "logg-møte Vennesla, Lillesand i går tema: mat og måltider med: KS"
LABELS = ("tema", "med", "notat")
FORM = MeetingForm("logg-møte", EXAMPLE, "hvilke kommuner møtet var med", LABELS)
DOUBLE_WINDOW_DAYS = 3
DOUBLES_SHOWN = 10


@dataclass(frozen=True)
class Args:
    kommuner: list[KommuneRef]
    dato: date
    tema: str | None
    med: str | None
    notat: str | None
    notes: tuple[NameNote, ...] = ()
    """How former or shared kommune names were read (said before the confirmation)."""


def parse(text: str, ctx: Context) -> Args:
    head, labels = split_labels(text, LABELS)
    # Not in the note, which is free text where «Avtalt:» is just a word.
    for before_or_short in (head, labels.get("tema", ""), labels.get("med", "")):
        refuse_unknown_labels(before_or_short, LABELS, command=FORM.command, example=EXAMPLE)
    tail = text.strip()[len(head):].strip()
    found, when = kommuner_and_date(head, ctx, FORM, tail=tail)
    refuse_future(when, ctx, "holdt møte")
    for field, limit in (("tema", 500), ("med", 200), ("notat", 2000)):
        value = labels.get(field)
        if value:
            check_length(value, field, limit)
            refuse_identity_numbers(value, field)
    med = partners(labels["med"]) if labels.get("med") else None
    return Args(found.kommuner, when, labels.get("tema") or None, med,
                labels.get("notat") or None, found.notes)


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    require_writer(ctx, args.kommuner, session=session,
                   said=[n.sentence for n in args.notes])
    doubles = held_near([k.nummer for k in args.kommuner], args.dato, days=DOUBLE_WINDOW_DAYS,
                        session=session, limit=DOUBLES_SHOWN)
    meeting_id = add_meeting(HELD, args.dato, args.kommuner, by=ctx.user_id, now=ctx.now,
                             session=session, tema=args.tema, med=args.med, notat=args.notat)
    record_meeting(meeting_id, by=ctx.user_id, now=ctx.now, session=session)
    lines = [*(n.sentence for n in args.notes),
             f"Lagret: dialogmøte holdt med {names(args.kommuner)} {date_in_words(args.dato)}."]
    if args.tema:
        lines.append(f"Tema: {args.tema}")
    if args.med:
        lines.append(f"Sammen med: {args.med}")
    if args.notat:
        lines.append(f"Notat lagret; kommunekortet viser starten og `/lhl notat {meeting_id}` "
                     "hele.")
    if doubles:
        listed = "; ".join(
            f"{ctx.geo.kommuner[d.kommune_nummer].navn} {date_in_words(d.dato)} "
            f"(ført av <@{d.created_by}>)" for d in doubles)
        if len(doubles) >= DOUBLES_SHOWN:
            listed += " og flere"
        lines.append(
            f":warning: Mulig dobbeltføring: det er allerede ført dialogmøte med {listed}. "
            "Er det samme møte, skriv `/lhl angre`."
        )
    text = "\n".join(lines)
    return plain_reply(text)


COMMAND = CommandSpec(
    name="logg-møte",
    summary="fører et dialogmøte som er holdt, med én eller flere kommuner.",
    usage=USAGE,
    examples=(EXAMPLE, "logg-møte Kristiansand i går"),
    writes=True,
    parse=parse,
    execute=execute,
    aliases=("logg-mote", "loggmøte"),
    details=("Kommuner skilles med komma eller «og». Datoen kan være «i dag», «i går», "
             "«forrige fredag», «12. mai» eller «12.05.2026», men ikke fram i tid; uten år "
             "er det den siste slike dagen (i januar er «24. desember» i fjor)."),
)
