"""``/lhl påminnelser``: this channel's reminders, with what comes next and what went wrong."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from commands.base import CommandSpec, Context, UsageError
from commands.listing import page_asked, paged
from commands.reminder_words import occurrence_line
from schedules.rules import Deadlines, Occurrence, describe, occurrences, rule_from_json
from storage.models import FAILED, Reminder
from storage.reminders import History, channel_reminders, delivery_history
from voice.reply import Reply, plain_reply
from voice.words import date_in_words, moment_in_words

DEADLINES_SHOWN = 2
_JUST_BEFORE = timedelta(seconds=1)


def parse(text: str, ctx: Context) -> int:
    """The page asked for: ``""`` → 1, ``side 2`` → 2."""
    if not text.strip():
        return 1
    page = page_asked(text, command="påminnelser")
    if page is None:
        raise UsageError("`/lhl påminnelser` viser kanalens påminnelser; en lang liste blar du "
                         "i med `/lhl påminnelser side 2`.")
    return page


def execute(page: int, *, session: Session, ctx: Context) -> Reply:
    reminders = channel_reminders(ctx.channel, session=session)
    if not reminders:
        text = ("Denne kanalen har ingen påminnelser. Sett opp rapportfristene med "
                "`/lhl påminnelse standard`, eller lag en med "
                '`/lhl påminnelse ny "Statusmøte med Hdir" hver første tirsdag kl 10`.')
        return plain_reply(text)
    tz = ctx.tz
    history = delivery_history([r.id for r in reminders if r.id is not None], session=session)
    entries = [_entry(r, history.get(r.id or 0, History()), ctx, tz) for r in reminders]
    heading = f"*Påminnelser i denne kanalen* ({len(reminders)})"
    return paged(heading, entries, page, command="påminnelser")


def _entry(reminder: Reminder, history: History, ctx: Context, tz: ZoneInfo) -> str:
    rule = rule_from_json(reminder.rule)
    lines = [f"*#{reminder.id} «{reminder.text}»* – {describe(rule)}"
             + (" (på pause)" if reminder.paused else "")]
    if not reminder.paused:
        if isinstance(rule, Deadlines):
            upcoming = occurrences(rule, after=ctx.now, tz=tz,
                                   limit=len(rule.lead_days) * (DEADLINES_SHOWN + 1))
            lines += _deadline_lines(upcoming)
        elif reminder.next_due_at is not None:
            nxt = occurrences(rule, after=reminder.next_due_at - _JUST_BEFORE, tz=tz, limit=1)
            lines.append(f"Neste: {occurrence_line(nxt[0])}" if nxt
                         else f"Neste: {moment_in_words(reminder.next_due_at.astimezone(tz))}")
        else:
            lines.append("Ingen flere ganger igjen.")
    if history.last_sent is not None:
        lines.append(f"Sist levert: {moment_in_words(history.last_sent.astimezone(tz))}")
    for p in history.problems:
        what = "Kom ikke fram" if p.status == FAILED else "Hoppet over"
        why = f" ({p.reason})" if p.reason else ""
        lines.append(f"{what}: {moment_in_words(p.due_at.astimezone(tz))}{why}")
    return "\n".join(lines)


def _deadline_lines(upcoming: list[Occurrence]) -> list[str]:
    by_deadline: dict[date, list[Occurrence]] = {}
    for occ in upcoming:
        if occ.deadline is not None:
            by_deadline.setdefault(occ.deadline, []).append(occ)
    lines = []
    for deadline, occs in list(by_deadline.items())[:DEADLINES_SHOWN]:
        lines.append(f"Frist {date_in_words(deadline)}, varsler:")
        lines += [f"   • {occurrence_line(o)}" for o in occs]
    return lines


COMMAND = CommandSpec(
    name="påminnelser",
    summary="viser kanalens påminnelser med nummer, regel, neste gang og siste levering.",
    usage="påminnelser [side <nr>]",
    examples=("påminnelser", "påminnelser side 2"),
    writes=False,
    parse=parse,
    execute=execute,
    aliases=("paminnelser",),
)
