"""``/lhl rediger <nr> [<kommuner> <dato> [type: …] [tema: …] [med: …] [notat: …]]``: change
a meeting that is stored.

The number is the one ``/lhl logg`` shows, as ``/lhl slett`` takes it: an entry of the change
log, which points at the meeting it is about (the entry that logged it, an earlier edit of it,
or an undo of a deletion that brought it back). One number per line of ``logg``, for both
commands: the meeting's own id (``/lhl notat <nr>``) is not asked for here.

With the number alone it shows the meeting as the command that would store it again, to copy
and change; in Slack the same text opens the meeting's form filled in. With the rest, what is
written *replaces* the meeting: its kommuner, date, type, theme, partners and note (a field
left out becomes empty), read and checked as the command that logged it reads and checks them:
a held meeting as ``logg-møte``, a planned one as ``planlegg-møte`` (its date ahead), an offer
as ``tilby-møte`` (kommuner and a date only). Only the one who logged a meeting, or an
administrator, may change it, and only for kommuner they write for. The edit goes through
:func:`storage.entries.edit_meeting`, the one write path for changing a meeting, which logs it
with the meeting before and after (kind ``meeting_edited``): ``logg`` lists it, ``slett`` takes
its number as the meeting's, and ``angre`` puts the meeting back as it was.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlmodel import Session

from commands import logg_mote, planlegg_mote
from commands.access import require_writer
from commands.base import CommandSpec, Context, UsageError, about
from commands.entry_words import item_in_words, meeting_in_words
from commands.forms import (
    Form,
    Opening,
    Parsed,
    Submitted,
    date_field,
    date_text,
    kommune_list,
    kommuner_field,
)
from commands.logg_mote import LABELS, MEETING_FIELDS, meeting_values
from commands.meetings import (
    MeetingFields,
    MeetingForm,
    meeting_noun,
    names,
    refuse_future,
    what_happened,
)
from commands.parse.places import NameNote, resolve_kommuner
from storage import changes, entries
from storage.entries import edit_meeting
from storage.models import DIALOGUE, HELD, OFFERED, PLANNED
from storage.queries import KommuneMeeting, get_meeting
from storage.reference import KommuneRef
from voice.reply import Reply, plain_reply, said
from voice.words import date_in_words

USAGE = "rediger <nr> [<kommuner> <dato> [type: …] [tema: …] [med: …] [notat: …]]"
EXAMPLE = "rediger 12 Vennesla, Lillesand 3. mars tema: mat og måltider med: KS"
_ID = re.compile(r"^#?\s*(\d{1,9})(?:\s+(.*))?$", re.S)
_ID_ONLY = re.compile(r"^#?\s*\d{1,9}$")
WHERE_NUMBERS = "numrene står i `/lhl logg`"


class New(NamedTuple):
    """A meeting as an edit leaves it."""

    kommuner: list[KommuneRef]
    dato: date
    meeting_type: str
    fields: MeetingFields
    notes: tuple[NameNote, ...] = ()


@dataclass(frozen=True)
class Show:
    entry: int
    """The number ``/lhl logg`` shows."""


@dataclass(frozen=True)
class Edit:
    entry: int
    text: str = ""
    """As typed: read once the meeting's status says how (a planned date lies ahead)."""
    made: New | None = None
    """As the meeting's form made it."""


def parse(text: str, ctx: Context) -> Show | Edit:
    m = _ID.match(text.strip())
    if m is None:
        raise UsageError(f"Skriv nummeret på føringen av møtet du vil endre, for eksempel "
                         f"`/lhl rediger 12`; {WHERE_NUMBERS}.")
    entry, rest = int(m[1]), (m[2] or "").strip()
    return Edit(entry, rest) if rest else Show(entry)


def reads_only(args: Show | Edit) -> bool:
    return isinstance(args, Show)


def execute(args: Show | Edit, *, session: Session, ctx: Context) -> Reply:
    found = own_meeting(args.entry, ctx, session)
    if isinstance(args, Show):
        return _show(args.entry, found, ctx)
    new = args.made or _read(args.entry, found, args.text, ctx)
    return _edit(args.entry, found, new, ctx, session)


def own_meeting(entry: int, ctx: Context, session: Session) -> KommuneMeeting:
    """The meeting entry ``entry`` of the change log is about (``/lhl logg`` shows the
    numbers), if it is still there and the user may change it (they logged it, or are an
    administrator)."""
    change = changes.get_change(entry, session=session)
    if change is None or change.record not in changes.ENTRY_RECORDS:
        raise UsageError(f"Jeg finner ingen føring #{entry}; {WHERE_NUMBERS}.")
    # A deletion holds the item in ``before``; an undo of the meeting's logging, too.
    state = (change.before if change.kind in entries.DELETED else
             change.after or change.before)
    if change.record != changes.MEETING:
        item = entries.item_of(change.kind)
        what = (f"{item_in_words(item, change.record_id, state, ctx.geo)}, "
                if item is not None and state else "")
        raise UsageError(f"#{entry} gjelder {what}ikke et møte, og `/lhl rediger` endrer bare "
                         f"møter; {WHERE_NUMBERS}.")
    current = entries.MEETING.read(change.record_id, state or {}, session)
    found = get_meeting(int(change.record_id), session=session) if current else None
    if found is None:
        what = f"{meeting_in_words(state, ctx.geo)}, som" if state else "et møte som"
        raise UsageError(f"#{entry} gjelder {what} ikke finnes lenger, så det er ingenting å "
                         f"endre; {WHERE_NUMBERS}.")
    by = found.meeting.created_by
    if by != ctx.user_id and not ctx.is_admin:
        raise UsageError(f"#{entry} gjelder {_what(found, ctx)}, som <@{by}> førte; bare den som "
                         "førte det, eller en administrator, kan endre det.")
    return found


def _read(entry: int, found: KommuneMeeting, text: str, ctx: Context) -> New:
    """The typed rest, read as the command that logs a meeting of this status reads it."""
    m = found.meeting
    example = f"rediger {entry} Vennesla i går tema: mat"
    if m.status == PLANNED:
        form = MeetingForm(f"rediger {entry}", f"rediger {entry} Vennesla 12. mai tema: mat",
                           "hvilke kommuner møtet skal være med", planlegg_mote.LABELS)
        planned = planlegg_mote.parse_planned(text, ctx, form)
        return New(planned.kommuner, planned.dato, DIALOGUE, planned.fields, planned.notes)
    held = logg_mote.parse_meeting(
        text, ctx, MeetingForm(f"rediger {entry}", example, "hvilke kommuner møtet var med",
                               LABELS))
    return New(held.kommuner, held.dato, held.meeting_type, held.fields, held.notes)


def _what(found: KommuneMeeting, ctx: Context) -> str:
    """``dialogmøte holdt med Vennesla 3. mars 2026``, as ``/lhl logg`` says it."""
    m = found.meeting
    return _described(m.status, m.type, [ctx.geo.kommuner[n] for n in found.kommuner], m.dato)


def _described(status: str, kind: str, kommuner: Sequence[KommuneRef], dato: date) -> str:
    return f"{meeting_noun(kind)} {what_happened(status, names(kommuner))} {date_in_words(dato)}"


def _show(entry: int, found: KommuneMeeting, ctx: Context) -> Reply:
    m = found.meeting
    typed = [f"rediger {entry}", ", ".join(ctx.geo.kommuner[n].navn for n in found.kommuner),
             date_text(m.dato)]
    typed += [f"{label}: {said(value)}" for label, value in
              (("type", None if m.type == DIALOGUE else m.type), ("tema", m.tema),
               ("med", m.med), ("notat", m.notat)) if value]
    return plain_reply("\n".join([
        f"{_capital(_what(found, ctx))} (ført av <@{m.created_by}>).",
        f"Skriv møtet slik det skal være etter nummeret; det erstatter det som står: "
        f"`/lhl {' '.join(typed)}`",
        f"I Slack åpner `/lhl rediger {entry}` et skjema med møtet fylt ut."]))


def _edit(entry: int, found: KommuneMeeting, new: New, ctx: Context,
          session: Session) -> Reply:
    m = found.meeting
    assert m.id is not None
    f = new.fields
    if m.status == OFFERED and (f.tema or f.med or f.notat or new.meeting_type != DIALOGUE):
        raise UsageError(f"#{entry} er et tilbud om dialogmøte, og et tilbud har ikke type, "
                         "tema, «med:» eller notat; skriv bare kommunene og datoen, for "
                         f"eksempel `/lhl rediger {entry} Vennesla 3. mars`.")
    with about("kommuner"):
        require_writer(ctx, new.kommuner, session=session,
                       said=[n.sentence for n in new.notes])
    notes = [n.sentence for n in new.notes]
    changed = _changes(found, new, ctx)
    change_id = edit_meeting(m.id, by=ctx.user_id, now=ctx.now, session=session,
                             kommuner=[k.nummer for k in new.kommuner], dato=new.dato,
                             meeting_type=new.meeting_type, tema=f.tema, med=f.med,
                             notat=f.notat)
    if change_id is None:
        return plain_reply("\n".join([*notes, f"Ingenting å endre: {_what(found, ctx)} er "
                                             "allerede slik."]))
    edited = _described(m.status, new.meeting_type,
                        sorted(new.kommuner, key=lambda k: k.nummer), new.dato)
    return plain_reply("\n".join([*notes, f"Endret: {edited} (#{change_id} i `/lhl logg`).",
                                  *changed, "Angre endringen med `/lhl angre`."]))


def _changes(found: KommuneMeeting, new: New, ctx: Context) -> list[str]:
    """What the edit changes, a line each: ``Dato: 3. mars 2026 → 4. mars 2026``."""
    m = found.meeting
    f = new.fields
    out: list[str] = []
    if m.dato != new.dato:
        out.append(f"Dato: {date_in_words(m.dato)} → {date_in_words(new.dato)}")
    if sorted(found.kommuner) != sorted(k.nummer for k in new.kommuner):
        old = names([ctx.geo.kommuner[n] for n in found.kommuner])
        out.append(f"Kommuner: {old} → {names(new.kommuner)}")
    if m.type != new.meeting_type:
        out.append(f"Type: {meeting_noun(m.type)} → {meeting_noun(new.meeting_type)}")
    for label, old_value, new_value in (("Tema", m.tema, f.tema), ("Sammen med", m.med, f.med)):
        if old_value != new_value:
            out.append(f"{label}: {said(old_value) if old_value else '–'} → "
                       f"{said(new_value) if new_value else '–'}")
    if m.notat != f.notat:
        out.append("Notatet er fjernet." if not f.notat else
                   "Notatet er nytt." if not m.notat else "Notatet er endret.")
    return out


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- the forms --------------------------------------------------------------------------------


def _prepare(rest: str, ctx: Context, session: Session) -> Opening:
    """The meeting's own form (held, planned or offered) filled in as stored, if the user may
    change it."""
    entry = int(rest.strip().lstrip("#").strip())
    found = own_meeting(entry, ctx, session)
    m = found.meeting
    values: dict[str, Any] = meeting_values(found.kommuner, m.dato, m.type, m.tema, m.med,
                                            m.notat)
    form = {HELD: EDIT_FORM, PLANNED: EDIT_PLAN_FORM}.get(m.status, EDIT_OFFER_FORM)
    logged = m.created_at.astimezone(ctx.tz)
    line = (f"{_capital(_what(found, ctx))}, ført av <@{m.created_by}> "
            f"{date_in_words(logged.date())}. Det du lagrer, erstatter det som står.")
    return Opening(form, values=values, meta={"nr": entry}, lines=(line,))


def _found(submitted: Submitted) -> list[KommuneRef]:
    with about("kommuner"):
        return resolve_kommuner(kommune_list(submitted.kommuner()), submitted.ctx.geo).kommuner


def _held_from_form(submitted: Submitted) -> Parsed:
    held = logg_mote.meeting_from_form(submitted)
    return Parsed(Edit(int(submitted.meta["nr"]), made=New(
        held.kommuner, held.dato, held.meeting_type, held.fields, held.notes)))


def _planned_from_form(submitted: Submitted) -> Parsed:
    ctx = submitted.ctx
    with about("kommuner"):
        found = resolve_kommuner(kommune_list(submitted.kommuner()), ctx.geo)
    planned = planlegg_mote.planned_args(found, submitted.date(),
                                         logg_mote.form_labels(submitted), ctx)
    return Parsed(Edit(int(submitted.meta["nr"]), made=New(
        planned.kommuner, planned.dato, DIALOGUE, planned.fields, planned.notes)))


def _offer_from_form(submitted: Submitted) -> Parsed:
    when = submitted.date()
    refuse_future(when, submitted.ctx, "tilbud som er gitt")
    return Parsed(Edit(int(submitted.meta["nr"]), made=New(
        _found(submitted), when, DIALOGUE, MeetingFields(None, None, None))))


EDIT_FORM = Form("rediger", "Endre møte", MEETING_FIELDS, build=_held_from_form,
                 opens=lambda rest: _ID_ONLY.match(rest.strip()) is not None,
                 prepare=_prepare, opened_by="rediger <nr>")
EDIT_PLAN_FORM = Form("rediger-planlagt", "Endre planlagt møte", planlegg_mote.PLANNED_FIELDS,
                      build=_planned_from_form, opens=lambda _rest: False)
EDIT_OFFER_FORM = Form("rediger-tilbud", "Endre tilbud",
                       (kommuner_field(), date_field(hint="Dagen tilbudet ble gitt.")),
                       build=_offer_from_form, opens=lambda _rest: False)
"""The planned and offered meetings' forms are opened by :data:`EDIT_FORM`'s ``prepare``."""


COMMAND = CommandSpec(
    name="rediger",
    summary="endrer et møte som er ført, med nummeret fra `/lhl logg` (ditt eget; en "
            "administrator alle).",
    usage=USAGE,
    examples=("rediger 12", EXAMPLE),
    writes=True,
    parse=parse,
    execute=execute,
    reads_only=reads_only,
    forms=(EDIT_FORM, EDIT_PLAN_FORM, EDIT_OFFER_FORM),
    details=("Med nummeret alene viser jeg møtet som en kommando du kan kopiere og endre; i "
             "Slack åpnes et skjema med møtet fylt ut. Nummeret er det `/lhl logg` viser ved "
             "møtet (det samme som `/lhl slett` tar), ikke møtets eget nummer. Det du skriver "
             "etter nummeret, erstatter "
             "møtet: kommunene, datoen og feltene (et felt du ikke skriver, blir tomt), lest "
             "som `logg-møte` leser dem (et planlagt møte som `planlegg-møte`). `/lhl angre` "
             "tar endringen tilbake."),
)
