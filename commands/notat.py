"""``/lhl notat <nr>``: a meeting's note in full (the kommune card shows it cut short)."""

from __future__ import annotations

from sqlmodel import Session

from commands.base import CommandSpec, Context, UsageError
from commands.meetings import meeting_noun, names, what_happened
from commands.parse.fields import number
from storage.queries import get_meeting
from voice.reply import Reply, plain_reply, reply, said
from voice.words import date_in_words

USAGE = "notat <møtenummer>"


def parse(text: str, ctx: Context) -> int:
    return number(text, "Skriv nummeret på møtet, for eksempel `/lhl notat 12`; "
                        "`/lhl status <kommune>` viser numrene ved notatene.")


def execute(meeting_id: int, *, session: Session, ctx: Context) -> Reply:
    found = get_meeting(meeting_id, session=session)
    if found is None:
        raise UsageError(f"Jeg finner ikke noe dialogmøte #{meeting_id}; "
                         "`/lhl status <kommune>` viser møtene og numrene ved notatene.")
    m = found.meeting
    kommuner = names([ctx.geo.kommuner[n] for n in found.kommuner])
    what = what_happened(m.status, kommuner)
    noun = meeting_noun(m.type)
    about = f"{noun[:1].upper()}{noun[1:]} #{meeting_id}, {what} {date_in_words(m.dato)}"
    if not m.notat:
        return plain_reply(f"{about}, har ikke noe notat.")
    heading = f"*Notat til {noun} #{meeting_id}*"
    written = m.created_at.astimezone(ctx.tz)
    byline = (f"{what[:1].upper()}{what[1:]} {date_in_words(m.dato)}; ført av "
              f"<@{m.created_by}> {date_in_words(written.date())}.")
    note = said(m.notat)
    return reply(heading, byline, note, text=f"{heading}\n{byline}\n{note}")


COMMAND = CommandSpec(
    name="notat",
    summary="viser hele notatet til et dialogmøte (kommunekortet viser starten).",
    usage=USAGE,
    examples=("notat 12",),
    writes=False,
    parse=parse,
    execute=execute,
    details="Nummeret står ved notatet på kommunekortet, `/lhl status <kommune>`.",
    cached=True,
)
