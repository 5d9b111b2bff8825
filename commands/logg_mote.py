"""``/lhl logg-møte <kommuner> <dato> [type: …] [tema: …] [med: …] [notat: …]``: a held
meeting (a dialogue meeting unless ``type:`` says otherwise)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from commands.access import require_writer
from commands.base import CommandSpec, Context, about
from commands.forms import (
    Form,
    Opening,
    Parsed,
    Submitted,
    areas_field,
    checkbox_field,
    choice_field,
    date_field,
    kommune_list,
    kommuner_field,
    note_field,
    text_field,
)
from commands.meetings import (
    FIELD_LIMITS,
    MEETING_NOUNS,
    TYPE_CHOICES,
    MeetingFields,
    MeetingForm,
    entry_line,
    field_lines,
    kommuner_and_date,
    meeting_fields,
    meeting_noun,
    meeting_type,
    names,
    refuse_future,
    theme_areas,
)
from commands.parse.dates import PAST, dates_in
from commands.parse.fields import refuse_unknown_labels, split_labels
from commands.parse.places import Found, NameNote, kommuner_in, resolve_kommuner
from storage.changes import record_meeting
from storage.models import DIALOGUE, HELD, MEETING_TYPES
from storage.queries import Plan, add_meeting, held_near, open_plans
from storage.reference import KommuneRef
from voice.innsatsomrader import AREAS, areas_in
from voice.innsatsomrader import names as area_names
from voice.reply import Reply, plain_reply
from voice.text import normalize
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
    return parse_meeting(text, ctx, FORM)


def parse_meeting(text: str, ctx: Context, form: MeetingForm) -> Args:
    """A held meeting as ``form`` writes it (``logg-møte`` or ``rediger <nr>``)."""
    head, labels = split_labels(text, LABELS)
    # Not in the note, which is free text where «Avtalt:» is just a word.
    for before_or_short in (head, labels.get("tema", ""), labels.get("med", "")):
        refuse_unknown_labels(before_or_short, LABELS, command=form.command,
                              example=form.example)
    tail = text.strip()[len(head):].strip()
    found, when = kommuner_and_date(head, ctx, form, tail=tail)
    return meeting_args(found, when, labels, ctx)


def meeting_args(found: Found, when: date, labels: Mapping[str, str], ctx: Context) -> Args:
    """A held meeting from its parts, checked as the typed command checks them: what
    :func:`parse` makes once it has split the text, and what the meeting form makes from its
    fields (where a note may hold ``tema:`` without it being a field). ``labels`` are the
    fields by name (``type``, ``tema``, ``med``, ``notat``)."""
    with about("type"):
        kind = meeting_type(labels["type"], TYPE_EXAMPLE) if "type" in labels else DIALOGUE
    refuse_future(when, ctx, "holdt møte", planned=(
        f"planlegg-møte {names(found.kommuner)} {date_in_words(when)}"
        if kind == DIALOGUE else None))
    return Args(found.kommuner, when, meeting_fields(dict(labels)), kind, found.notes)


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
    change_id = record_meeting(meeting_id, by=ctx.user_id, now=ctx.now, session=session)
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
    return plain_reply("\n".join([*lines, entry_line(change_id)]))


def _fulfilled_lines(plans: list[Plan], ctx: Context) -> list[str]:
    """«Det planlagte dialogmøtet med Vennesla 12. mai 2026 regnes nå som holdt.», once per
    plan, naming the kommuner of this meeting that it was planned with."""
    by_plan: dict[tuple[date, int], list[str]] = {}
    for p in plans:
        by_plan.setdefault((p.dato, p.meeting_id), []).append(p.kommune_nummer)
    return [f"Det planlagte dialogmøtet med {names([ctx.geo.kommuner[n] for n in kommuner])} "
            f"{date_in_words(dato)} regnes nå som holdt."
            for (dato, _), kommuner in sorted(by_plan.items())]


# --- the form ---------------------------------------------------------------------------------

PARTNERS = (("KS", "KS"), ("USHT", "USHT"), ("annen", "Andre"))
"""The partners ticked in the form (KS and USHT are equal partners in the regional work)."""
_NAMED_PARTNERS = ("KS", "USHT")
OTHERS_CHARS = 150
LIMITS = dict(FIELD_LIMITS)

TYPE_FIELD = choice_field(
    "type", "Type møte",
    [(t, MEETING_NOUNS[t][:1].upper() + MEETING_NOUNS[t][1:]) for t in MEETING_TYPES],
    hint="Bare dialogmøter teller i tallene for dialogmøter.", default=DIALOGUE)
THEME_FIELDS = (
    areas_field(),
    text_field("tema", "Tema med egne ord", max_chars=LIMITS["tema"],
               hint="Valgfritt: det innsatsområdene ikke sier, for eksempel «måltidsglede».",),
    checkbox_field("med", "Sammen med", PARTNERS),
    text_field("andre", "Hvem andre", max_chars=OTHERS_CHARS,
               hint="Når «Andre» er krysset av, for eksempel eldrerådet."),
    note_field(max_chars=LIMITS["notat"],
               hint="Referat eller stikkord. lhl fører arbeid, ikke personopplysninger."),
)
"""The theme, partners and note of a meeting, held or planned."""
MEETING_FIELDS = (kommuner_field(), date_field(hint="Dagen møtet ble holdt."), TYPE_FIELD,
                  *THEME_FIELDS)
"""The fields of a held meeting, for logging one and for editing one (``rediger``)."""


def meeting_from_form(submitted: Submitted) -> Args:
    """The meeting a filled-in meeting form makes, checked as the typed command is."""
    ctx = submitted.ctx
    with about("kommuner"):
        found = resolve_kommuner(kommune_list(submitted.kommuner()), ctx.geo)
    return meeting_args(found, submitted.date(), form_labels(submitted), ctx)


def form_labels(submitted: Submitted) -> dict[str, str]:
    """A meeting form's fields as the labels of the typed command (``type``, ``tema``,
    ``med``, ``notat``), those filled in."""
    labels = {"type": submitted.chosen("type"), "tema": _form_theme(submitted),
              "med": _form_partners(submitted), "notat": submitted.text("notat")}
    return {k: v for k, v in labels.items() if v is not None}


def _form_theme(submitted: Submitted) -> str | None:
    """The areas ticked (those the own words do not already name), then the own words:
    ``Mat og måltider, Helsehjelp, måltidsglede``."""
    text = submitted.text("tema")
    named = set(areas_in(text)) if text else set()
    ticked = submitted.ticked("omrader")
    extra = [a.name for a in AREAS if a.key in ticked and a not in named]
    return ", ".join([*extra, *([text] if text else [])]) or None


def _form_partners(submitted: Submitted) -> str | None:
    ticked = submitted.ticked("med")
    parts = [p for p in _NAMED_PARTNERS if p in ticked]
    others = submitted.text("andre")
    if others:
        parts.append(others)
    elif "annen" in ticked:
        parts.append("annen")
    return ", ".join(parts) or None


def meeting_values(kommuner: Sequence[str], dato: date, kind: str, tema: str | None,
                   med: str | None, notat: str | None) -> dict[str, Any]:
    """A stored meeting as the meeting form shows it, so that submitting it unchanged
    stores the same meeting."""
    areas = areas_in(tema) if tema else ()
    own_words = None if tema is None or (areas and tema == area_names(areas)) else tema
    parts = [p.strip() for p in (med or "").split(",") if p.strip()]
    others = [p for p in parts if p not in _NAMED_PARTNERS]
    ticked = [p for p in parts if p in _NAMED_PARTNERS] + (["annen"] if others else [])
    return {"kommuner": list(kommuner), "dato": dato, "type": kind,
            "omrader": [a.key for a in areas], "tema": own_words, "med": ticked,
            "andre": ", ".join(others) or None, "notat": notat}


LOGG_FORM = Form("logg-mote", "Logg møte", MEETING_FIELDS,
                 build=lambda submitted: Parsed(meeting_from_form(submitted)),
                 opened_by="logg-møte")
"""``/lhl logg-møte`` alone, and the message shortcut (:func:`from_message`)."""

_SLACK_MARKUP = re.compile(r"<[^>]*>")


def from_message(text: str, permalink: str | None, ctx: Context) -> Opening:
    """The meeting form filled in from a Slack message (the shortcut «Logg møte fra denne
    meldingen»): the kommuner it names, the first date in it that has happened (today when
    none), and the link to the message in the note. A name that could be more than one
    kommune is left for the user to choose, and said above the fields."""
    plain = normalize(_SLACK_MARKUP.sub(" ", text))
    named = kommuner_in(plain, ctx.geo, home=ctx.home_embete)
    today = ctx.now.date()
    dato = next((d for d in dates_in(plain, ctx.now, direction=PAST) if d <= today), today)
    lines = [n.sentence for n in named.notes]
    lines += [f"{name} kan være flere kommuner; velg den riktige selv."
              for name in named.unsettled]
    if not named.kommuner and not named.unsettled:
        lines.append("Jeg fant ingen kommune i meldingen; velg dem under.")
    values: dict[str, Any] = {"kommuner": [k.nummer for k in named.kommuner], "dato": dato}
    if permalink:
        values["notat"] = f"Fra Slack: {permalink}"
    return Opening(LOGG_FORM, values=values, lines=tuple(lines))


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
    forms=(LOGG_FORM,),
    details=("Kommuner skilles med komma eller «og». Datoen kan være «i dag», «i går», "
             "«forrige fredag», «12. mai» eller «12.05.2026», men ikke fram i tid; uten år "
             "er det den siste slike dagen (i januar er «24. desember» i fjor). "
             f"Møtetypen er {TYPE_CHOICES}; bare dialogmøter teller i tallene. "
             "Temaet kan være innsatsområdene (`mat`, `aktivitet`, `helsehjelp`, "
             "`sammenheng`, `aldersvennlig`) eller fri tekst. Et holdt dialogmøte erstatter "
             "et planlagt møte med kommunen."),
)
