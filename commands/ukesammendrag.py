"""``/lhl ukesammendrag [på [dag] [kl <tid>] [embete: <embete>] | av]``: a weekly digest of an
embete in the channel where it is typed.

The digest is a reminder of its own kind (``sammendrag``), so the scheduler, the claim before
each send, the catch-up after a restart, the moves for holidays and ``/lhl påminnelser`` are
those of every reminder; what it says is built when it is sent (``schedules.digest``). A
channel has one: ``på`` again changes its day, time or embete in place (another embete replaces
the digest, and the reply names the one replaced and its day and time; a day alone keeps the
time, and the reply says so), ``av`` deletes it, and ``på`` after ``av`` turns the same one on
again. Each is a change in the log, so ``angre`` takes it back.

Whose digest: the coordinator's own embete; an admin names one (``embete: Agder``, or
``embete: landet`` for the whole country) unless the admin has an embete of their own or the
channel's digest already has one. Who may turn it on, move it or off: a coordinator of its
embete, or an admin (only an admin for the whole country's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import time
from typing import Literal

from sqlmodel import Session

from commands.access import writer_embete
from commands.base import CommandSpec, Context, UsageError
from commands.parse.places import resolve_embete
from commands.reminder_words import occurrence_line
from schedules import lifecycle
from schedules.rules import Rule, Weekly, describe, next_occurrence, rule_from_json, rule_to_json
from storage import changes
from storage.models import DIGEST, Reminder
from storage.reminders import channel_digest
from voice.reply import Reply, plain_reply, said
from voice.text import fold
from voice.words import WEEKDAY_NUMBERS, WEEKDAY_PATTERN, WEEKDAYS, echo

DEFAULT = Weekly(weekday=0, at=time(8, 30))
"""Monday 08.30 in the bot's time zone."""
EXAMPLE = "ukesammendrag på fredag kl 14"
ADMIN_EXAMPLE = "ukesammendrag på embete: Agder"
_COUNTRY = ("landet", "hele landet", "norge", "hele norge")
_EMBETE = re.compile(r"(?:^|\s)embete\s*:\s*(?P<name>.*)$", re.IGNORECASE)
_WHEN = re.compile(
    rf"^(?:(?:hver|pa|om)\s+)?(?:(?P<wd>{WEEKDAY_PATTERN})(?:er)?)?,?\s*"
    r"(?:(?:kl\.?|klokka|klokken)\s*)?(?:(?P<h>\d{1,2})(?:[.:](?P<m>\d{2}))?)?$")

Verb = Literal["vis", "på", "av"]


@dataclass(frozen=True)
class Args:
    verb: Verb
    weekday: int | None = None
    at: time | None = None
    embete: str | None = None
    """An embete's id, or :data:`COUNTRY` for the whole country (``embete: landet``)."""
    bot_in_channel: bool | None = None


COUNTRY = "landet"


def parse(text: str, ctx: Context) -> Args:
    words = text.strip()
    verb, _, rest = words.partition(" ")
    folded = fold(verb).replace("aa", "a")
    rest = rest.strip()
    if not words:
        return Args("vis")
    if folded == "av":
        if rest:
            raise UsageError("`/lhl ukesammendrag av` tar ingen flere ord: det skrur av "
                             "kanalens ukesammendrag.")
        return Args("av")
    if folded != "pa":
        raise UsageError(f"Skriv `/lhl ukesammendrag på`, `/lhl ukesammendrag av` eller bare "
                         f"`/lhl ukesammendrag`; for en annen dag og tid: `/lhl {EXAMPLE}`.")
    _require_channel(ctx)
    embete: str | None = None
    named = _EMBETE.search(rest)
    if named is not None:
        embete, after = _embete_then_when(named["name"], ctx)
        rest = f"{rest[: named.start()]} {after}".strip()
    try:
        weekday, at = _when(rest)
    except UsageError:
        if named is None:
            _embete_without_label(rest, ctx)
        raise
    args = Args("på", weekday, at, embete)
    return replace(args, bot_in_channel=ctx.bot_in_channel() if ctx.bot_in_channel else None)


def _embete(name: str, ctx: Context) -> str:
    name = name.strip()
    if not name:
        raise UsageError(f"Skriv embetet etter «embete:», for eksempel `/lhl {ADMIN_EXAMPLE}`.")
    if " ".join(fold(name).split()) in _COUNTRY:
        return COUNTRY
    return resolve_embete(name, ctx.geo).id


def _embete_then_when(text: str, ctx: Context) -> tuple[str, str]:
    """``Rogaland fredag kl 7`` → (Rogaland, ``fredag kl 7``): the day and time may also come
    after the embete. An embete not known is named without them."""
    words = text.split()
    cuts = [cut for cut in range(len(words) - 1, 0, -1)
            if _WHEN.match(_folded_when(" ".join(words[cut:]))) is not None]
    for cut in cuts:
        try:
            return _embete(" ".join(words[:cut]), ctx), " ".join(words[cut:])
        except UsageError:
            continue
    return _embete(" ".join(words[:cuts[-1]]) if cuts else text, ctx), ""


def _embete_without_label(text: str, ctx: Context) -> None:
    """``på Agder`` (or ``på landet``, ``på Agder fredag kl 7``): an embete written without
    «embete:» is shown the form with it."""
    try:
        _, after = _embete_then_when(text, ctx)
    except UsageError:
        return
    _when(after)
    raise UsageError(f"Mente du `/lhl ukesammendrag på embete: {said(echo(text))}`?")


def _folded_when(text: str) -> str:
    return " ".join(fold(text).replace("aa", "a").split()).rstrip(".")


def _when(text: str) -> tuple[int | None, time | None]:
    """``fredag kl 14`` → (4, 14.00); a part not given is None."""
    m = _WHEN.match(_folded_when(text))
    if m is None:
        raise UsageError(f"Jeg forstår ikke «{said(echo(text))}» som dag og tid; skriv for "
                         f"eksempel `/lhl {EXAMPLE}` eller `/lhl ukesammendrag på kl 9`.")
    weekday = WEEKDAY_NUMBERS[m["wd"]] if m["wd"] else None
    if m["h"] is None:
        return weekday, None
    hour, minute = int(m["h"]), int(m["m"] or 0)
    if hour > 23 or minute > 59:
        raise UsageError(f"Klokkeslettet «{said(echo(text))}» finnes ikke; skriv for eksempel "
                         "«kl 9» eller «kl 14.30».")
    return weekday, time(hour, minute)


def _require_channel(ctx: Context) -> None:
    name = ctx.channel_name or ""
    if ((ctx.channel_id or "").startswith("D") or name == "directmessage"
            or name.startswith("mpdm-")):
        raise UsageError("Ukesammendraget kommer i en kanal: skriv kommandoen i kanalen det "
                         "skal komme i, og legg meg til der med `/invite @lhl`.")


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    digest = channel_digest(ctx.channel, session=session)
    active = digest if digest is not None and digest.deleted_at is None else None
    if args.verb == "vis":
        return _shown(active, ctx)
    if args.verb == "av":
        return _off(active, session, ctx)
    return _on(args, digest, active, session, ctx)


def _place(embete_id: str | None, ctx: Context) -> str:
    return ctx.geo.embeter[embete_id].navn if embete_id else "hele landet"


def _shown(active: Reminder | None, ctx: Context) -> Reply:
    if active is None:
        return plain_reply(
            "Denne kanalen har ikke ukesammendrag. `/lhl ukesammendrag på` skrur det på "
            f"({describe(DEFAULT)}); en annen dag og tid: `/lhl {EXAMPLE}`.")
    rule = rule_from_json(active.rule)
    return plain_reply(
        f"Ukesammendraget for {_place(active.embete_id, ctx)} kommer i denne kanalen "
        f"{describe(rule)}. Neste: {_next(active, ctx)}. `/lhl {EXAMPLE}` flytter det, "
        "`/lhl ukesammendrag av` skrur det av.")


def _next(reminder: Reminder, ctx: Context) -> str:
    occ = next_occurrence(rule_from_json(reminder.rule), after=ctx.now, tz=ctx.tz)
    return occurrence_line(occ) if occ else "ingen flere ganger"


def _may_change(embete_id: str | None, ctx: Context, session: Session) -> None:
    """Admins, and coordinators of the digest's embete (raises otherwise)."""
    own = writer_embete(ctx, session=session)
    if ctx.is_admin or (embete_id is not None and own == embete_id):
        return
    raise UsageError(f"Ukesammendraget her er for {_place(embete_id, ctx)}, og det kan bare "
                     "koordinatorene der og administratorene endre; ingenting ble endret.")


def _off(active: Reminder | None, session: Session, ctx: Context) -> Reply:
    if active is None:
        return plain_reply("Denne kanalen har ikke ukesammendrag, så det er ingenting å skru av.")
    _may_change(active.embete_id, ctx, session)
    before = changes.reminder_state(active)
    lifecycle.delete(active, now=ctx.now, session=session)
    _record(changes.REMINDER_DELETED, active, before, session, ctx)
    return plain_reply(f"Ukesammendraget for {_place(active.embete_id, ctx)} er skrudd av i "
                       "denne kanalen. `/lhl angre` skrur det på igjen.", in_channel=True)


def _embete_for(args: Args, active: Reminder | None, ctx: Context, session: Session
                ) -> str | None:
    """Whose digest ``på`` turns on (None: the whole country), access checked."""
    own = writer_embete(ctx, session=session)
    if args.embete is not None:
        wanted = None if args.embete == COUNTRY else args.embete
        if not ctx.is_admin and wanted != own:
            what = "hele landet" if wanted is None else _place(wanted, ctx)
            raise UsageError(f"Du fører for {_place(own, ctx)} og kan ikke skru på "
                             f"ukesammendrag for {what}; ingenting ble endret.")
        return wanted
    if active is not None:
        return active.embete_id
    if own is None:
        raise UsageError("Hvilket embete skal ukesammendraget gjelde? Skriv for eksempel "
                         f"`/lhl {ADMIN_EXAMPLE}`, eller `embete: landet` for hele landet.")
    return own


def _on(args: Args, digest: Reminder | None, active: Reminder | None, session: Session,
        ctx: Context) -> Reply:
    embete_id = _embete_for(args, active, ctx, session)
    if active is not None:
        _may_change(active.embete_id, ctx, session)
    was = rule_from_json(active.rule) if active is not None else None
    base = was if isinstance(was, Weekly) else DEFAULT
    rule = Weekly(args.weekday if args.weekday is not None else base.weekday,
                  args.at if args.at is not None else base.at)
    place = _place(embete_id, ctx)
    text = f"Ukesammendrag for {place}"
    replaced = (_place(active.embete_id, ctx)
                if active is not None and active.embete_id != embete_id else None)
    if (active is not None and active.rule == rule_to_json(rule)
            and active.embete_id == embete_id):
        return plain_reply(f"Ukesammendraget for {place} er allerede på i denne kanalen, "
                           f"{describe(rule)}. Neste: {_next(active, ctx)}.")
    if digest is None:
        made = lifecycle.create(ctx.channel, DIGEST, text, rule, embete_id=embete_id,
                                by=ctx.user_id, now=ctx.now, tz=ctx.tz, session=session)
        assert made.id is not None
        changes.record(changes.REMINDER_CREATED, changes.REMINDER, made.id, before=None,
                       after=changes.reminder_state(made), by=ctx.user_id, now=ctx.now,
                       session=session)
        reminder = made
    else:
        before = changes.reminder_state(digest)
        lifecycle.reset(digest, rule, text=text, embete_id=embete_id, now=ctx.now, tz=ctx.tz,
                        session=session)
        _record(changes.REMINDER_CHANGED, digest, before, session, ctx)
        reminder = digest
    said = [_said(rule, place, digest is None, was, replaced), *_time_used(args, rule, was),
            f"Det første kommer {_next(reminder, ctx)}." if active is None
            else f"Neste: {_next(reminder, ctx)}."]
    if replaced is not None:
        said.append("`/lhl angre` tar det tilbake.")
    warning = ("" if args.bot_in_channel is not False else
               "\n:warning: Jeg er ikke med i denne kanalen ennå, så ukesammendraget kommer "
               "ikke fram. Legg meg til med `/invite @lhl`.")
    return plain_reply(" ".join(said) + warning, in_channel=True)


def _said(rule: Weekly, place: str, new: bool, was: Rule | None, replaced: str | None) -> str:
    """What ``på`` did: turned on, on again, moved, or put in the place of the digest of
    ``replaced`` (the channel has one, so naming another embete replaces it, and says so).
    ``was``: the rule of the digest that was on."""
    if new:
        return f"Ukesammendraget for {place} er skrudd på i denne kanalen: {describe(rule)}."
    if was is None:
        return (f"Ukesammendraget for {place} er skrudd på igjen i denne kanalen: "
                f"{describe(rule)}.")
    if replaced is not None:
        return (f"Ukesammendraget i denne kanalen gjelder nå {place}, {describe(rule)}; det "
                f"erstatter ukesammendraget for {replaced} ({describe(was)}).")
    return f"Ukesammendraget for {place} kommer nå {describe(rule)} (før: {describe(was)})."


def _time_used(args: Args, rule: Weekly, was: Rule | None) -> list[str]:
    """Where the time came from when only a day was given: the digest's own time, or the
    default for a new one."""
    if args.weekday is None or args.at is not None:
        return []
    other = f"en annen tid: `/lhl ukesammendrag på {WEEKDAYS[rule.weekday]} kl 14`."
    if was is not None:
        return [f"Klokkeslettet er som før, siden du ikke skrev noe nytt; {other}"]
    return [f"Uten klokkeslett kommer det kl. {DEFAULT.at:%H.%M}; {other}"]


def _record(kind: str, reminder: Reminder, before: changes.State, session: Session,
            ctx: Context) -> None:
    assert reminder.id is not None
    changes.record(kind, changes.REMINDER, reminder.id, before=before,
                   after=changes.reminder_state(reminder), by=ctx.user_id, now=ctx.now,
                   session=session)


COMMAND = CommandSpec(
    name="ukesammendrag",
    summary="en ukentlig oppsummering av det embetet har ført, med tallene og endringen "
            "siden forrige uke, i kanalen.",
    usage="ukesammendrag [på [dag] [kl <tid>] [embete: <embete>|landet] | av]",
    examples=("ukesammendrag på", EXAMPLE, ADMIN_EXAMPLE, "ukesammendrag av",
              "ukesammendrag"),
    writes=True,
    parse=parse,
    execute=execute,
    reads_only=lambda args: args.verb == "vis",
    aliases=("ukesamandrag", "sammendrag"),
    details=("Kommer hver mandag kl. 08.30 om du ikke velger en annen dag og tid (bare en dag: "
             "klokkeslettet det har, eller kl. 08.30); en mandag som er helligdag (2. påskedag, "
             "2. pinsedag) flyttes til virkedagen før, som alle påminnelser. Sier hva som er ført "
             "siden forrige gang: møter holdt og planlagt etter type, tilbud om dialogmøte, "
             "læringsnettverk (nye, invitasjoner, deltakelse, samlinger), planer og faser, "
             "arrangementer, importer, nominasjoner til Leve hele livet-prisen med år og vinner, "
             "gode eksempler, rettelser og slettinger; så de seks tallene fra `/lhl status` med "
             "endringen siden forrige uke, og kommunene som ennå ikke har gjennomført dialogmøte "
             "i år. En kanal har ett: et annet embete i `embete:` erstatter det, og svaret sier "
             "hvilket. Koordinatorene for embetet og administratorene skrur det på og av; "
             "`/lhl angre` angrer det."),
    changes_reminders=True,
)
