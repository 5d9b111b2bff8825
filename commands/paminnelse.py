"""``/lhl påminnelse ny|frist|standard|lagre|avbryt|slett|pause|fortsett``: reminders in the
channel where they are typed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from sqlmodel import Session

from commands.access import writer_embete
from commands.base import CommandSpec, Context, UsageError, command_button
from commands.paminnelse_knapper import BUTTONS
from commands.parse.fields import number
from commands.parse.when import parse_deadlines, parse_when, split_quoted
from commands.reminder_words import occurrence_line
from schedules import lifecycle
from schedules.rules import Deadlines, Rule, describe, is_recurring, occurrences, rule_to_json
from storage import changes
from storage.models import DEADLINE, DIGEST, MESSAGE, Reminder
from storage.reminders import get_reminder, same_reminder, save_draft, take_draft
from voice.reply import Reply, actions, plain_reply, reply, said
from voice.words import moment_in_words

NEW_EXAMPLE = 'påminnelse ny "Statusmøte med Hdir" hver første tirsdag kl 10'
DEADLINE_EXAMPLE = 'påminnelse frist "Rapport til Hdir" 1. mai og 1. november hvert år'
STANDARD_TEXT = "Rapportering til Helsedirektoratet"
STANDARD_COMMAND = f'frist "{STANDARD_TEXT}" 1. mai og 1. november hvert år'
PREVIEW_COUNT = 3

Verb = Literal["ny", "frist", "standard", "lagre", "avbryt", "slett", "pause", "fortsett"]


@dataclass(frozen=True)
class Args:
    verb: Verb
    text: str = ""
    rule: Rule | None = None
    command: str = ""
    """The text after ``påminnelse``, kept in a draft until the author saves it."""
    reminder_id: int | None = None
    bot_in_channel: bool | None = None
    """Whether Slack says the bot is in the channel, asked only when this may save a reminder."""


def parse(text: str, ctx: Context) -> Args:
    """Parse, and for what may save a reminder ask Slack whether the bot is in the channel:
    here, before ``execute`` runs inside the write transaction, so that no network call is
    made while the store's write lock is held.

    Where a reminder can never arrive it is refused before anything else: a direct message
    (``D…``) or a group message (``mpdm-…``), which the bot is not in and cannot be added to.
    A channel the bot is not in, or a private one it cannot see, gets the warning instead:
    ``/invite @lhl`` makes it arrive.
    """
    args = _parse(text, ctx)
    if args.verb in ("ny", "frist", "standard", "lagre"):
        _require_reachable(ctx)
    if args.verb in ("standard", "lagre") or (
            args.verb in ("ny", "frist") and args.rule is not None
            and not is_recurring(args.rule)):
        return replace(args, bot_in_channel=ctx.bot_in_channel() if ctx.bot_in_channel
                       else None)
    return args


def _parse(text: str, ctx: Context) -> Args:
    verb, _, rest = text.strip().partition(" ")
    verb = verb.lower()
    rest = rest.strip()
    if verb in ("ny", "frist"):
        return _parse_new(verb, rest, text.strip(), ctx)
    if verb in ("standard", "lagre", "avbryt"):
        if rest:
            raise UsageError(f"`/lhl påminnelse {verb}` tar ingen flere ord.")
        return Args(verb)  # type: ignore[arg-type]
    if verb in ("slett", "pause", "fortsett"):
        reminder_id = number(rest, f"Skriv nummeret på påminnelsen, for eksempel `/lhl påminnelse "
                                   f"{verb} 3`; `/lhl påminnelser` viser numrene.")
        return Args(verb, reminder_id=reminder_id)  # type: ignore[arg-type]
    raise UsageError(
        "Skriv `/lhl påminnelse ny …`, `frist …`, `standard`, `slett <nr>`, `pause <nr>` eller "
        f"`fortsett <nr>`, for eksempel `/lhl {NEW_EXAMPLE}`."
    )


def _parse_new(verb: str, rest: str, command: str, ctx: Context) -> Args:
    example = NEW_EXAMPLE if verb == "ny" else DEADLINE_EXAMPLE
    if not rest:
        raise UsageError(f"Skriv teksten i anførselstegn og når, for eksempel `/lhl {example}`.")
    text, when = split_quoted(rest)
    if not text:
        raise UsageError(f"Påminnelsen trenger en tekst, for eksempel `/lhl {example}`.")
    if len(text) > 500:
        raise UsageError(f"Teksten er {len(text)} tegn, men kan være høyst 500; skriv den kortere.")
    rule: Rule = parse_when(when, ctx.now) if verb == "ny" else parse_deadlines(when, ctx.now)
    return Args(verb, text=text, rule=rule, command=command)  # type: ignore[arg-type]


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    channel = ctx.channel
    if args.verb == "avbryt":
        dropped = take_draft(ctx.user_id, channel, session=session)
        return plain_reply("Ok, påminnelsen ble ikke lagret." if dropped
                          else "Du har ingen påminnelse som venter på å bli lagret her.")
    embete_id = writer_embete(ctx, session=session)
    if args.verb == "lagre":
        draft = take_draft(ctx.user_id, channel, session=session)
        if draft is None:
            raise UsageError("Du har ingen påminnelse som venter på å bli lagret her. "
                             f"Lag en med `/lhl {NEW_EXAMPLE}`.")
        saved = replace(_parse(draft.command, ctx), bot_in_channel=args.bot_in_channel)
        return _save(saved, embete_id, channel, session, ctx)
    if args.verb == "standard":
        standard = replace(_parse(STANDARD_COMMAND, ctx), bot_in_channel=args.bot_in_channel)
        return _save(standard, embete_id, channel, session, ctx)
    if args.verb in ("ny", "frist"):
        assert args.rule is not None
        if is_recurring(args.rule):
            replaced = save_draft(ctx.user_id, channel, args.command, now=ctx.now,
                                  session=session)
            return _preview(args, ctx, replaced=replaced)
        return _save(args, embete_id, channel, session, ctx)
    return _change(args, channel, session, ctx)


def _preview(args: Args, ctx: Context, *, replaced: str | None = None) -> Reply:
    """The next occurrences of an unsaved recurrence; ``replaced`` is the command of the
    user's earlier unsaved one in this channel, which this one takes the place of."""
    assert args.rule is not None
    upcoming = occurrences(args.rule, after=ctx.now, tz=ctx.tz, limit=PREVIEW_COUNT)
    lines = [f"Slik blir påminnelsen «{said(args.text)}» ({describe(args.rule)}). "
             "De neste gangene:"]
    lines += [f"• {occurrence_line(o)}" for o in upcoming]
    if replaced is not None and replaced != args.command:
        lines.append(f":warning: {_not_saved(replaced, ctx)} «Lagre» lagrer nå denne.")
    how = ("Trykk «Lagre», eller skriv `/lhl påminnelse lagre`; `/lhl påminnelse avbryt` "
           "dropper den.")
    buttons = actions(command_button("Lagre", "påminnelse lagre", style="primary"),
                      command_button("Avbryt", "påminnelse avbryt"))
    return reply("\n".join(lines), buttons, text="\n".join([*lines, how]))


def _not_saved(command: str, ctx: Context) -> str:
    """The sentence for an earlier preview that a new one replaced."""
    try:
        earlier = _parse(command, ctx)
    except UsageError:
        return "Den forrige påminnelsen du så her, ble ikke lagret."
    assert earlier.rule is not None
    return (f"Den forrige påminnelsen du så her, «{said(earlier.text)}» "
            f"({describe(earlier.rule)}), ble ikke lagret.")


def _save(args: Args, embete_id: str | None, channel: str, session: Session,
          ctx: Context) -> Reply:
    assert args.rule is not None
    existing = same_reminder(channel, args.text, rule_to_json(args.rule), session=session)
    if existing is not None:
        return plain_reply(f"Denne kanalen har allerede påminnelsen #{existing.id} "
                           f"«{said(args.text)}» ({describe(args.rule)}); ingenting nytt ble "
                           "lagret.")
    kind = DEADLINE if isinstance(args.rule, Deadlines) else MESSAGE
    reminder = lifecycle.create(channel, kind, args.text, args.rule, embete_id=embete_id,
                               by=ctx.user_id, now=ctx.now, tz=ctx.tz, session=session)
    assert reminder.id is not None
    changes.record(changes.REMINDER_CREATED, changes.REMINDER, reminder.id, before=None,
                   after=changes.reminder_state(reminder), by=ctx.user_id, now=ctx.now,
                   session=session)
    lines = [f"Påminnelse #{reminder.id} lagret: «{said(args.text)}», {describe(args.rule)}."]
    upcoming = occurrences(args.rule, after=ctx.now, tz=ctx.tz, limit=PREVIEW_COUNT)
    if not upcoming:
        lines.append("Den har ingen flere ganger igjen.")
    elif isinstance(args.rule, Deadlines) or is_recurring(args.rule):
        lines.append("Neste varsler:")
        lines += [f"• {occurrence_line(o)}" for o in upcoming]
    else:
        lines.append(f"Jeg minner dere på {occurrence_line(upcoming[0])}.")
    lines += _membership_warning(args)
    return plain_reply("\n".join(lines), in_channel=True)


def _require_reachable(ctx: Context) -> None:
    name = ctx.channel_name or ""
    if (ctx.channel_id or "").startswith("D") or name == "directmessage":
        raise UsageError(
            "Påminnelser kan ikke lages i en direktemelding, for der kan jeg ikke sende dem; "
            "skriv kommandoen i kanalen påminnelsen hører til, og legg meg til der med "
            "`/invite @lhl`.")
    if name.startswith("mpdm-"):
        raise UsageError(
            "Påminnelser kan ikke lages i en gruppemelding, for der kan jeg ikke være med; "
            "skriv kommandoen i kanalen påminnelsen hører til, og legg meg til der med "
            "`/invite @lhl`.")


def _membership_warning(args: Args) -> list[str]:
    if args.bot_in_channel is not False:
        return []
    return [":warning: Jeg er ikke med i denne kanalen ennå, så påminnelsen kommer ikke fram. "
            "Legg meg til med `/invite @lhl`."]


def _change(args: Args, channel: str, session: Session, ctx: Context) -> Reply:
    assert args.reminder_id is not None
    reminder = get_reminder(args.reminder_id, session=session)
    if reminder is None or reminder.channel_id != channel:
        raise UsageError(f"Denne kanalen har ingen påminnelse #{args.reminder_id}; "
                         "`/lhl påminnelser` viser dem som finnes.")
    if reminder.kind == DIGEST:
        raise UsageError(f"#{reminder.id} er kanalens ukesammendrag: `/lhl ukesammendrag av` "
                         "skrur det av, og `/lhl ukesammendrag på fredag kl 14` flytter det.")
    _require_owner(reminder, ctx)
    label = f"#{reminder.id} «{said(reminder.text)}»"
    before = changes.reminder_state(reminder)
    if args.verb == "slett":
        lifecycle.delete(reminder, now=ctx.now, session=session)
        _record(changes.REMINDER_DELETED, reminder, before, session, ctx)
        return plain_reply(f"Påminnelse {label} er slettet.", in_channel=True)
    if args.verb == "pause":
        if reminder.paused:
            return plain_reply(f"Påminnelse {label} er allerede satt på pause.")
        lifecycle.pause(reminder, now=ctx.now, session=session)
        _record(changes.REMINDER_PAUSED, reminder, before, session, ctx)
        return plain_reply(f"Påminnelse {label} er satt på pause. `/lhl påminnelse fortsett "
                          f"{reminder.id}` starter den igjen.", in_channel=True)
    if not reminder.paused:
        return plain_reply(f"Påminnelse {label} er ikke på pause.")
    lifecycle.resume(reminder, now=ctx.now, tz=ctx.tz, session=session)
    _record(changes.REMINDER_RESUMED, reminder, before, session, ctx)
    nxt = reminder.next_due_at
    when = (f" Neste gang: {moment_in_words(nxt.astimezone(ctx.tz))}." if nxt
            else " Den har ingen flere ganger igjen.")
    return plain_reply(f"Påminnelse {label} går igjen.{when}", in_channel=True)


def _record(kind: str, reminder: Reminder, before: changes.State, session: Session,
            ctx: Context) -> None:
    assert reminder.id is not None
    changes.record(kind, changes.REMINDER, reminder.id, before=before,
                   after=changes.reminder_state(reminder), by=ctx.user_id, now=ctx.now,
                   session=session)


def _require_owner(reminder: Reminder, ctx: Context) -> None:
    """Admins and the reminder's author may change it."""
    if ctx.is_admin or reminder.created_by == ctx.user_id:
        return
    raise UsageError(f"Bare <@{reminder.created_by}> som lagde påminnelsen, eller en "
                     "administrator, kan endre den.")


COMMAND = CommandSpec(
    name="påminnelse",
    summary="lager, pauser og sletter påminnelser i kanalen.",
    usage='påminnelse ny "<tekst>" <når> [varsel <tid> før] | frist "<tekst>" <dato> '
          "[og <dato>] [hvert år] [varsel 14 7 1 0] | standard | slett|pause|fortsett <nr>",
    examples=(NEW_EXAMPLE, DEADLINE_EXAMPLE, "påminnelse standard", "påminnelse slett 3"),
    writes=True,
    parse=parse,
    execute=execute,
    aliases=("paminnelse", "påminn"),
    details=("<når> kan være «om 10 minutter», «i morgen kl 9», «12. mai kl 10», «hver mandag "
             "kl 9», «hver første tirsdag kl 10», «siste fredag i måneden kl 12», «hver måned "
             "den 15. kl 9» eller «annenhver måned …»; en dato uten år er den neste slike "
             "dagen. Gjentakelser vises før de lagres. "
             "`standard` setter opp rapportfristene 1. mai og 1. november. En dag som faller på "
             "helg eller helligdag flyttes til virkedagen før, men ikke en gjentakelse lagt "
             "til lørdag eller søndag, og ikke en engangspåminnelse."),
    changes_reminders=True,
    buttons=BUTTONS,
)
