"""``/lhl angre``: undo the user's own latest entry."""

from __future__ import annotations

from sqlmodel import Session

from commands.base import CommandSpec, Context, UsageError
from storage.models import HELD
from storage.queries import delete_meeting, latest_meeting_by, meeting_kommuner
from voice.reply import Reply, plain_reply
from voice.words import date_in_words, join_names, time_in_words


def parse(text: str, ctx: Context) -> None:
    if text.strip():
        raise UsageError("`/lhl angre` tar ingen flere ord: den angrer din siste føring.")


def execute(_: None, *, session: Session, ctx: Context) -> Reply:
    meeting = latest_meeting_by(ctx.user_id, session=session)
    if meeting is None or meeting.id is None:
        return plain_reply("Du har ingen føringer å angre.")
    kommuner = join_names([ctx.geo.kommuner[n].navn
                           for n in meeting_kommuner(meeting.id, session=session)])
    delete_meeting(meeting.id, session=session)
    what = "holdt med" if meeting.status == HELD else "tilbudt"
    logged = meeting.created_at.astimezone(ctx.tz)
    return plain_reply(
        f"Angret: dialogmøte {what} {kommuner} {date_in_words(meeting.dato)} "
        f"(ført {date_in_words(logged.date())} {time_in_words(logged)})."
    )


COMMAND = CommandSpec(
    name="angre",
    summary="angrer din siste føring og sier hva som ble angret.",
    usage="angre",
    examples=("angre",),
    writes=True,
    parse=parse,
    execute=execute,
    aliases=("angr", "undo"),
    destructive=True,
)
