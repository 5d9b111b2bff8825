"""``/lhl påminnelser [alle]``: this channel's reminders, with what comes next and what went
wrong. A reminder that has no more occurrences (a one-off that has been sent) is finished: it
is left out unless ``alle`` asks for the history too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from commands.base import CommandSpec, Context, UsageError
from commands.listing import page_asked, paged
from commands.reminder_words import occurrence_line
from schedules.rules import Deadlines, Occurrence, describe, occurrences, rule_from_json
from storage.models import DIGEST, FAILED, Reminder
from storage.reminders import History, channel_reminders, delivery_history
from voice.reply import Reply, plain_reply, said
from voice.words import date_in_words, moment_in_words

DEADLINES_SHOWN = 2
_JUST_BEFORE = timedelta(seconds=1)


@dataclass(frozen=True)
class Args:
    page: int = 1
    everything: bool = False
    """``alle``: finished reminders too."""


def parse(text: str, ctx: Context) -> Args:
    """``""`` → page 1 of the current ones, ``side 2``, ``alle``, ``alle side 2``."""
    words = text.strip()
    everything = words.lower() == "alle" or words.lower().startswith("alle ")
    if everything:
        words = words[4:].strip()
    if not words:
        return Args(1, everything)
    page = page_asked(words, command=_command(everything))
    if page is None:
        raise UsageError("`/lhl påminnelser` viser kanalens påminnelser og `/lhl påminnelser "
                         "alle` også de ferdige; en lang liste blar du i med "
                         "`/lhl påminnelser side 2`.")
    return Args(page, everything)


def _command(everything: bool) -> str:
    return "påminnelser alle" if everything else "påminnelser"


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    stored = channel_reminders(ctx.channel, session=session)
    reminders = stored if args.everything else [r for r in stored if not _finished(r)]
    finished = len(stored) - len(reminders)
    if not reminders:
        if finished:
            return plain_reply(f"Denne kanalen har ingen påminnelser som skal komme. "
                               f"{_finished_count(finished)} viser du med "
                               "`/lhl påminnelser alle`.")
        text = ("Denne kanalen har ingen påminnelser. Sett opp rapportfristene med "
                "`/lhl påminnelse standard`, eller lag en med "
                '`/lhl påminnelse ny "Statusmøte med Hdir" hver første tirsdag kl 10`.')
        return plain_reply(text)
    tz = ctx.tz
    history = delivery_history([r.id for r in reminders if r.id is not None], session=session)
    entries = [_entry(r, history.get(r.id or 0, History()), ctx, tz) for r in reminders]
    if args.everything:
        heading = f"*Alle påminnelser i denne kanalen*, også de ferdige ({len(reminders)})"
    else:
        heading = f"*Påminnelser i denne kanalen* ({len(reminders)})"
    note = (f"{_finished_count(finished)} vises ikke her; `/lhl påminnelser alle` viser "
            "dem også." if finished else None)
    return paged(heading, entries, args.page, command=_command(args.everything), note=note)


def _finished(reminder: Reminder) -> bool:
    """No more occurrences: a one-off that has been sent (or skipped), or deadlines that are
    all past or marked "Levert". A paused reminder is not finished: it can be resumed."""
    return not reminder.paused and reminder.next_due_at is None


def _finished_count(n: int) -> str:
    return "Én ferdig påminnelse" if n == 1 else f"{n} ferdige påminnelser"


def _entry(reminder: Reminder, history: History, ctx: Context, tz: ZoneInfo) -> str:
    rule = rule_from_json(reminder.rule)
    lines = [f"*#{reminder.id} «{said(reminder.text)}»* – {describe(rule)}"
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
    if reminder.kind == DIGEST:
        lines.append("`/lhl ukesammendrag` flytter det eller skrur det av.")
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
        lines += [f"   • {occurrence_line(o, name_deadline=False)}" for o in occs]
    return lines


COMMAND = CommandSpec(
    name="påminnelser",
    summary="viser kanalens påminnelser med nummer, regel, neste gang og siste levering.",
    details=("En påminnelse som er ferdig (en engangspåminnelse som er sendt, frister som er "
             "passert) vises bare med `alle`."),
    usage="påminnelser [alle] [side <nr>]",
    examples=("påminnelser", "påminnelser alle", "påminnelser side 2"),
    writes=False,
    parse=parse,
    execute=execute,
    aliases=("paminnelser",),
)
