"""``/lhl rediger <nr> [<kommuner> <dato> [tema: …] [med: …] [notat: …]]``: change a dialogue
meeting that is stored.

With the number alone it shows the meeting as the command that would store it again, to copy
and change; in Slack the same text opens the meeting form filled in. With the rest, what is
written *replaces* the meeting: its kommuner, date, theme, partners and note (a field left out
becomes empty), read and checked as ``logg-møte`` reads and checks them. An offered meeting has
only kommuner and a date. Only the one who logged a meeting, or an administrator, may change
it, and only for kommuner they write for. The edit is logged with the meeting before and after
(kind ``meeting_edited``), and ``/lhl angre`` takes it back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from commands.access import require_writer
from commands.base import CommandSpec, Context, UsageError, about
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
from commands.logg_mote import (
    LABELS,
    MEETING_FIELDS,
    meeting_args,
    meeting_from_form,
    meeting_values,
    parse_meeting,
)
from commands.logg_mote import Args as Meeting
from commands.meetings import MeetingForm, names
from commands.parse.places import resolve_kommuner
from storage.changes import meeting_state, record_meeting_edit
from storage.meeting_edit import edit_meeting
from storage.models import HELD
from storage.queries import KommuneMeeting, get_meeting
from storage.reference import KommuneRef
from voice.reply import Reply, plain_reply
from voice.words import date_in_words

USAGE = "rediger <nr> [<kommuner> <dato> [tema: …] [med: …] [notat: …]]"
EXAMPLE = "rediger 12 Vennesla, Lillesand 3. mars tema: mat og måltider med: KS"
_ID = re.compile(r"^#?\s*(\d{1,9})(?:\s+(.*))?$", re.S)
_ID_ONLY = re.compile(r"^#?\s*\d{1,9}$")
WHERE_NUMBERS = "numrene står ved notatene på kommunekortet (`/lhl status <kommune>`)"


@dataclass(frozen=True)
class Show:
    meeting_id: int


@dataclass(frozen=True)
class Edit:
    meeting_id: int
    meeting: Meeting


def parse(text: str, ctx: Context) -> Show | Edit:
    m = _ID.match(text.strip())
    if m is None:
        raise UsageError(f"Skriv nummeret på møtet du vil endre, for eksempel `/lhl rediger 12`; "
                         f"{WHERE_NUMBERS}.")
    meeting_id, rest = int(m[1]), (m[2] or "").strip()
    if not rest:
        return Show(meeting_id)
    form = MeetingForm(f"rediger {meeting_id}", f"rediger {meeting_id} Vennesla i går tema: mat",
                       "hvilke kommuner møtet var med", LABELS)
    return Edit(meeting_id, parse_meeting(rest, ctx, form))


def reads_only(args: Show | Edit) -> bool:
    return isinstance(args, Show)


def execute(args: Show | Edit, *, session: Session, ctx: Context) -> Reply:
    found = own_meeting(args.meeting_id, ctx, session)
    if isinstance(args, Show):
        return _show(found, ctx)
    return _edit(found, args.meeting, ctx, session)


def own_meeting(meeting_id: int, ctx: Context, session: Session) -> KommuneMeeting:
    """The meeting, if the user may change it (they logged it, or are an administrator)."""
    found = get_meeting(meeting_id, session=session)
    if found is None:
        raise UsageError(f"Jeg finner ikke noe dialogmøte #{meeting_id}; {WHERE_NUMBERS}.")
    by = found.meeting.created_by
    if by != ctx.user_id and not ctx.is_admin:
        raise UsageError(f"Dialogmøte #{meeting_id} ble ført av <@{by}>, og bare den som førte "
                         "det eller en administrator kan endre det.")
    return found


def _what(found: KommuneMeeting, ctx: Context) -> str:
    """``dialogmøte #12, holdt med Vennesla 3. mars 2026``."""
    m = found.meeting
    return _described(m.id, m.status, [ctx.geo.kommuner[n] for n in found.kommuner], m.dato)


def _described(meeting_id: int | None, status: str, kommuner: Sequence[KommuneRef],
               dato: date) -> str:
    how = "holdt med" if status == HELD else "tilbudt"
    return f"dialogmøte #{meeting_id}, {how} {names(kommuner)} {date_in_words(dato)}"


def _show(found: KommuneMeeting, ctx: Context) -> Reply:
    m = found.meeting
    typed = [f"rediger {m.id}", ", ".join(ctx.geo.kommuner[n].navn for n in found.kommuner),
             date_text(m.dato)]
    typed += [f"{label}: {value}" for label, value in
              (("tema", m.tema), ("med", m.med), ("notat", m.notat)) if value]
    return plain_reply("\n".join([
        f"{_capital(_what(found, ctx))} (ført av <@{m.created_by}>).",
        f"Skriv møtet slik det skal være etter nummeret; det erstatter det som står: "
        f"`/lhl {' '.join(typed)}`",
        f"I Slack åpner `/lhl rediger {m.id}` et skjema med møtet fylt ut."]))


def _edit(found: KommuneMeeting, new: Meeting, ctx: Context, session: Session) -> Reply:
    m = found.meeting
    assert m.id is not None
    if m.status != HELD and (new.tema or new.med or new.notat):
        raise UsageError(f"Dialogmøte #{m.id} er et tilbud, og et tilbud har ikke tema, «med:» "
                         "eller notat; skriv bare kommunene og datoen, for eksempel "
                         f"`/lhl rediger {m.id} Vennesla 3. mars`.")
    with about("kommuner"):
        require_writer(ctx, new.kommuner, session=session)
    before = meeting_state(m.id, session=session)
    assert before is not None
    kommuner = [k.nummer for k in new.kommuner]
    said = [n.sentence for n in new.notes]
    changed = _changes(found, new, ctx)
    if not changed:
        return plain_reply("\n".join([*said, f"Ingenting å endre: {_what(found, ctx)} er "
                                             "allerede slik."]))
    edit_meeting(m.id, dato=new.dato, kommuner=kommuner, tema=new.tema, med=new.med,
                 notat=new.notat, session=session)
    record_meeting_edit(m.id, before=before, by=ctx.user_id, now=ctx.now, session=session)
    edited = _described(m.id, m.status, sorted(new.kommuner, key=lambda k: k.nummer), new.dato)
    return plain_reply("\n".join([*said, f"Endret: {edited}.", *changed,
                                  "Angre endringen med `/lhl angre`."]))


def _changes(found: KommuneMeeting, new: Meeting, ctx: Context) -> list[str]:
    """What the edit changes, a line each: ``Dato: 3. mars 2026 → 4. mars 2026``."""
    m = found.meeting
    out: list[str] = []
    if m.dato != new.dato:
        out.append(f"Dato: {date_in_words(m.dato)} → {date_in_words(new.dato)}")
    if sorted(found.kommuner) != sorted(k.nummer for k in new.kommuner):
        old = names([ctx.geo.kommuner[n] for n in found.kommuner])
        out.append(f"Kommuner: {old} → {names(new.kommuner)}")
    for label, old_value, new_value in (("Tema", m.tema, new.tema),
                                         ("Sammen med", m.med, new.med)):
        if old_value != new_value:
            out.append(f"{label}: {old_value or '–'} → {new_value or '–'}")
    if m.notat != new.notat:
        out.append("Notatet er fjernet." if not new.notat else
                   "Notatet er nytt." if not m.notat else "Notatet er endret.")
    return out


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- the forms --------------------------------------------------------------------------------


def _prepare(rest: str, ctx: Context, session: Session) -> Opening:
    """The meeting form filled in with meeting ``rest`` as stored (the form of an offer when
    it is one), if the user may change it."""
    found = own_meeting(int(rest.strip().lstrip("#")), ctx, session)
    m = found.meeting
    values: dict[str, Any] = meeting_values(found.kommuner, m.dato, m.tema, m.med, m.notat)
    form = EDIT_FORM if m.status == HELD else EDIT_OFFER_FORM
    logged = m.created_at.astimezone(ctx.tz)
    line = (f"{_capital(_what(found, ctx))}, ført av <@{m.created_by}> "
            f"{date_in_words(logged.date())}. Det du lagrer, erstatter det som står.")
    return Opening(form, values=values, meta={"id": m.id}, lines=(line,))


def _edit_from_form(submitted: Submitted) -> Parsed:
    return Parsed(Edit(int(submitted.meta["id"]), meeting_from_form(submitted)))


def _offer_from_form(submitted: Submitted) -> Parsed:
    ctx = submitted.ctx
    with about("kommuner"):
        found = resolve_kommuner(kommune_list(submitted.kommuner()), ctx.geo)
    return Parsed(Edit(int(submitted.meta["id"]),
                       meeting_args(found, submitted.date(), None, None, None, ctx)))


EDIT_FORM = Form("rediger", "Endre dialogmøte", MEETING_FIELDS, build=_edit_from_form,
                 opens=lambda rest: _ID_ONLY.match(rest.strip()) is not None,
                 prepare=_prepare, opened_by="rediger <nr>")
EDIT_OFFER_FORM = Form("rediger-tilbud", "Endre tilbud",
                       (kommuner_field(), date_field(hint="Dagen tilbudet ble gitt.")),
                       build=_offer_from_form, opens=lambda _rest: False)
"""Opened by :data:`EDIT_FORM`'s ``prepare`` when the meeting is an offer."""


COMMAND = CommandSpec(
    name="rediger",
    summary="endrer et dialogmøte som er ført (ditt eget; en administrator alle).",
    usage=USAGE,
    examples=("rediger 12", EXAMPLE),
    writes=True,
    parse=parse,
    execute=execute,
    reads_only=reads_only,
    forms=(EDIT_FORM, EDIT_OFFER_FORM),
    details=("Med nummeret alene viser jeg møtet som en kommando du kan kopiere og endre; i "
             "Slack åpnes et skjema med møtet fylt ut. Det du skriver etter nummeret, erstatter "
             "møtet: kommunene, datoen og feltene (et felt du ikke skriver, blir tomt). "
             "`/lhl angre` tar endringen tilbake."),
)
