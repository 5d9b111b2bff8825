"""``/lhl nettverk ny|inviter|deltar|forlater|samling|vis|liste`` and ``/lhl nettverker``:
learning networks (læringsnettverk), the kommuner invited to and taking part in them, and
their gatherings.

A network belongs to one embete and holds kommuner of that embete only. Coordinators write for
the networks of their own embete, admins for any (an admin names the embete with
``embete: <embete>`` when creating a network, unless they have an embete of their own).
Everyone may read. Names are looked up folded (case and accents ignored) in the user's own
embete, in the one named with ``embete:``, or, for a user with no embete, in all of them.

Dates of invitations, participation, leaving and gatherings are days that have happened: a date
without a year that would lie ahead means the same day last year; a date ahead with a year
(or ``i morgen``) is refused. A network's own ``fra``/``til`` may lie ahead.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from sqlmodel import Session

from commands.access import own_embete, require_writer, writer_embete
from commands.base import CommandSpec, Context, UsageError, about
from commands.forms import (
    Choice,
    Form,
    Opening,
    Submitted,
    checkbox_field,
    choice_field,
    date_field,
    date_text,
    kommune_list,
    kommuner_field,
)
from commands.listing import page_asked, paged
from commands.parse.dates import FUTURE, PAST, parse_date, split_date_suffix
from commands.parse.fields import (
    check_length,
    refuse_empty_labels,
    refuse_identity_numbers,
    split_labels,
)
from commands.parse.places import NameNote, resolve_embete, resolve_kommuner
from storage import changes
from storage.entries import (
    gathering_state,
    invitations_state,
    network_state,
    periods_state,
    record_added,
)
from storage.models import Network, NetworkParticipation
from storage.networks import (
    KommuneNetwork,
    NetworkCounts,
    add_gathering,
    add_invitations,
    add_network,
    add_participations,
    count_gatherings,
    counts_by_network,
    end_participations,
    gatherings_of,
    invitations_of,
    list_networks,
    name_key,
    networks_named,
    periods_of,
)
from storage.reference import EmbeteRef, KommuneRef
from voice.modal import MENU_OPTIONS
from voice.reply import Reply, plain_reply, preceded, reply, said
from voice.text import QUOTE_CLOSERS, find_quoted, fold, quoted
from voice.words import date_in_words, echo, join_names, share

NEW_EXAMPLE = 'nettverk ny "Mat og måltider" tema: mat og måltider fra 1. mars til 30. november'
INVITE_EXAMPLE = 'nettverk inviter "Mat og måltider" alle'
JOIN_EXAMPLE = 'nettverk deltar "Mat og måltider" Lillesand og Birkenes 3. mars'
LEAVE_EXAMPLE = 'nettverk forlater "Mat og måltider" Birkenes i går'
GATHERING_EXAMPLE = ('nettverk samling "Mat og måltider" 12. mars tema: måltidsglede '
                     'deltakere: Lillesand, Birkenes')
SHOW_EXAMPLE = 'nettverk vis "Mat og måltider"'
USAGE = 'nettverk ny|inviter|deltar|forlater|samling|vis|liste "<navn>" …'
LIST_USAGE = "nettverker [embete|landet] [side <nr>]"
NAME_CHARS = 200
TEMA_CHARS = 500
GATHERINGS_SHOWN = 20
"""An unknown name is echoed at most this long."""
NAMES_LISTED = 8
"""Above this many kommuner a confirmation counts them instead of naming them."""

Verb = Literal["ny", "inviter", "deltar", "forlater", "samling", "vis", "liste"]
_VERBS: dict[str, Verb] = {
    "ny": "ny", "nytt": "ny", "opprett": "ny",
    "inviter": "inviter", "inviterer": "inviter", "invitert": "inviter",
    "deltar": "deltar", "delta": "deltar", "deltaker": "deltar", "deltakere": "deltar",
    "forlater": "forlater", "forlat": "forlater", "forlot": "forlater", "slutter": "forlater",
    "samling": "samling",
    "vis": "vis", "se": "vis",
    "liste": "liste", "list": "liste", "alle": "liste",
}
_EXAMPLES: dict[Verb, str] = {
    "ny": NEW_EXAMPLE, "inviter": INVITE_EXAMPLE, "deltar": JOIN_EXAMPLE,
    "forlater": LEAVE_EXAMPLE, "samling": GATHERING_EXAMPLE, "vis": SHOW_EXAMPLE,
    "liste": "nettverker",
}
_LABELS: dict[Verb, tuple[str, ...]] = {
    "ny": ("tema", "embete"), "inviter": ("embete",), "deltar": ("embete",),
    "forlater": ("embete",), "samling": ("tema", "deltakere", "embete"), "vis": ("embete",),
}
_LANDET = frozenset({"landet", "hele landet", "norge", "alle"})
# A day and month without a year (``12. mai``, ``12.05``, ``fredag 12. mai``), folded.

@dataclass(frozen=True)
class Args:
    verb: Verb
    navn: str = ""
    embete: EmbeteRef | None = None
    """Named with ``embete:`` (or, for ``liste``, after it)."""
    landet: bool = False
    """``liste landet``: every embete's networks."""
    tema: str | None = None
    fra: date | None = None
    til: date | None = None
    kommuner: tuple[KommuneRef, ...] | None = None
    """None for ``inviter … alle``: every kommune of the network's embete."""
    dato: date | None = None
    deltakere: tuple[KommuneRef, ...] = field(default=())
    page: int = 1
    notes: tuple[NameNote, ...] = ()
    """How former or shared kommune names were read, said before the answer."""


# --- parsing ----------------------------------------------------------------------------------


def parse(text: str, ctx: Context) -> Args:
    word, _, rest = text.strip().partition(" ")
    if not word:
        return Args("liste")
    verb = _VERBS.get(fold(word))
    if verb is None:
        raise UsageError(
            f"`/lhl nettverk` kan `ny`, `inviter`, `deltar`, `forlater`, `samling`, `vis` og "
            f"`liste`, for eksempel `/lhl {NEW_EXAMPLE}`.")
    if verb == "liste":
        return _parse_list(rest, ctx)
    example = _EXAMPLES[verb]
    if verb == "vis" and rest.strip() and not rest.strip().startswith(tuple(QUOTE_CLOSERS)):
        # A bare name is clear enough when nothing follows it.
        navn, labels = split_labels(rest, _LABELS[verb])
        tail = ""
    else:
        navn, tail = _quoted(rest, example)
        fra = til = None
        if verb == "ny":
            # ``fra``/``til`` may stand anywhere, also after ``tema:`` or ``embete:``.
            tail, fra, til = _period(tail, ctx)
        tail, labels = split_labels(tail, _LABELS[verb])
    embete = resolve_embete(labels["embete"], ctx.geo) if labels.get("embete") else None
    navn = navn.strip()
    if not navn:
        raise UsageError(f"Skriv navnet på nettverket i anførselstegn, for eksempel "
                         f"`/lhl {example}`.")
    check_length(navn, "navn", NAME_CHARS)
    refuse_empty_labels(labels, ("tema", "deltakere"))
    tema = labels.get("tema") or None
    if verb == "ny":
        return _parse_new(navn, tail, tema, embete, fra, til)
    if verb == "vis":
        if tail:
            raise _not_understood(tail, example)
        return Args("vis", navn, embete)
    if verb == "samling":
        return _parse_gathering(navn, tail, tema, labels.get("deltakere"), embete, ctx)
    return _parse_kommuner(verb, navn, tail, embete, ctx)


def parse_list(text: str, ctx: Context) -> Args:
    """``nettverker [embete|landet] [side <nr>]``."""
    return _parse_list(text, ctx)


def _parse_list(text: str, ctx: Context) -> Args:
    text = text.strip()
    page = 1
    m = re.search(r"(?:^|\s)(side\s*\d+)$", text, re.I)
    if m:
        page = page_asked(m.group(1), command="nettverker") or 1
        text = text[: m.start()].strip()
    if not text:
        return Args("liste", page=page)
    if " ".join(fold(text).split()) in _LANDET:
        return Args("liste", landet=True, page=page)
    return Args("liste", embete=resolve_embete(text, ctx.geo), page=page)


def _quoted(text: str, example: str) -> tuple[str, str]:
    """The leading ``"name"``, on one line, and what follows."""
    found = find_quoted(text)
    if found is None or found.before:
        raise UsageError(f"Sett navnet på nettverket i anførselstegn, for eksempel "
                         f"`/lhl {example}`.")
    if not found.closed:
        raise UsageError(f"Navnet mangler anførselstegn på slutten; skriv for eksempel "
                         f"`/lhl {example}`.")
    return found.line, found.after


def _not_understood(text: str, example: str) -> UsageError:
    return UsageError(f"Jeg forstår ikke «{said(echo(text))}» her; skriv for eksempel "
                      f"`/lhl {example}`.")


def _parse_new(navn: str, head: str, tema: str | None, embete: EmbeteRef | None,
               fra: date | None, til: date | None) -> Args:
    if head:
        raise _not_understood(head, NEW_EXAMPLE)
    if tema is not None:
        check_length(tema, "tema", TEMA_CHARS)
        refuse_identity_numbers(tema, "tema")
    if fra is not None and til is not None and til < fra:
        raise UsageError(
            f"Nettverket kan ikke slutte ({date_in_words(til)}) før det begynner "
            f"({date_in_words(fra)}); skriv året, for eksempel «til 30. november "
            f"{fra.year}» eller «til 1. mars {fra.year + 1}».")
    return Args("ny", navn, embete, tema=tema, fra=fra, til=til)


def _period(text: str, ctx: Context) -> tuple[str, date | None, date | None]:
    """Take ``fra <dato>`` and ``til <dato>`` out of ``text`` wherever they stand; a ``fra``
    or ``til`` not followed by a date stays text (``tema: mat fra havet``).

    A ``fra`` without a year is the most recent such day; a ``til`` without a year the first
    such day from the start (``fra 1. september til 1. mars`` runs into next year), or from
    today when there is no ``fra``."""
    found: dict[str, str] = {}
    words = text.split()
    kept: list[str] = []
    i = 0
    while i < len(words):
        which = fold(words[i])
        if which in ("fra", "til"):
            for n in range(min(6, len(words) - i - 1), 0, -1):
                candidate = " ".join(words[i + 1:i + 1 + n])
                if parse_date(candidate, ctx.now, direction=PAST) is not None:
                    if which in found:
                        raise UsageError(f"Du har skrevet «{which}» med en dato to ganger; "
                                         f"skriv det én gang, for eksempel `/lhl {NEW_EXAMPLE}`.")
                    found[which] = candidate
                    i += 1 + n
                    break
            else:
                kept.append(words[i])
                i += 1
            continue
        kept.append(words[i])
        i += 1
    fra = parse_date(found["fra"], ctx.now, direction=PAST) if "fra" in found else None
    start = (datetime.combine(fra, ctx.now.timetz()) if fra is not None else ctx.now)
    til = parse_date(found["til"], start, direction=FUTURE) if "til" in found else None
    return " ".join(kept), fra, til


def _parse_kommuner(verb: Verb, navn: str, head: str, embete: EmbeteRef | None,
                    ctx: Context) -> Args:
    example = _EXAMPLES[verb]
    found = split_date_suffix(head, ctx.now, direction=PAST)
    if found is None:
        kommune_text, when = head, ctx.now.date()
    else:
        kommune_text, when = found
        with about("dato"):
            when = _happened(when, head[len(kommune_text):], ctx, example)
    if not kommune_text:
        raise UsageError(f"Skriv hvilke kommuner det gjelder etter navnet, for eksempel "
                         f"`/lhl {example}`.")
    if verb == "inviter" and fold(kommune_text) == "alle":
        return Args(verb, navn, embete, kommuner=None, dato=when)
    read = resolve_kommuner(kommune_text, ctx.geo, home=ctx.home_embete)
    return Args(verb, navn, embete, kommuner=tuple(read.kommuner), dato=when, notes=read.notes)


def _parse_gathering(navn: str, head: str, tema: str | None, deltakere: str | None,
                     embete: EmbeteRef | None, ctx: Context) -> Args:
    when = parse_date(head, ctx.now, direction=PAST) if head else None
    if when is None:
        what = (f"«{said(echo(head))}» er ingen dato jeg kan lese" if head
                else "Samlingen mangler dato")
        raise UsageError(f"{what}; skriv datoen etter navnet, for eksempel "
                         f"`/lhl {GATHERING_EXAMPLE}`.")
    when = _happened(when, head, ctx, GATHERING_EXAMPLE)
    if tema is not None:
        check_length(tema, "tema", TEMA_CHARS)
        refuse_identity_numbers(tema, "tema")
    found = resolve_kommuner(deltakere, ctx.geo, home=ctx.home_embete) if deltakere else None
    return Args("samling", navn, embete, tema=tema, dato=when,
                deltakere=tuple(found.kommuner) if found else (),
                notes=found.notes if found else ())


def _happened(when: date, date_text: str, ctx: Context, example: str) -> date:
    """A day that has happened (a date without a year is read looking back already)."""
    if when <= ctx.now.date():
        return when
    raise UsageError(f"{date_in_words(when)} er fram i tid, og det som føres her må ha "
                     f"skjedd; skriv datoen det skjedde, for eksempel `/lhl {example}`.")


# --- running ----------------------------------------------------------------------------------


def reads_only(args: Args) -> bool:
    return args.verb in ("vis", "liste")


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    return preceded([n.sentence for n in args.notes], _execute(args, session, ctx))


def _execute(args: Args, session: Session, ctx: Context) -> Reply:
    if args.verb == "liste":
        return _list(args, session, ctx)
    if args.verb == "vis":
        scope = args.embete or own_embete(ctx, session=session)
        return _show(_find(args.navn, scope, ctx, session), session, ctx)
    writer = writer_embete(ctx, session=session)
    if args.verb == "ny":
        return _new(args, writer, session, ctx)
    scope = args.embete or (ctx.geo.embeter[writer] if writer else None)
    network = _find(args.navn, scope, ctx, session)
    if not ctx.is_admin and network.embete_id != writer:
        assert writer is not None
        raise UsageError(
            f"«{said(network.navn)}» hører til {_embete(network, ctx).navn}, og du fører for "
            f"{ctx.geo.embeter[writer].navn}, så ingenting ble lagret.")
    if args.verb == "samling":
        return _gathering(args, network, session, ctx)
    kommuner = (list(args.kommuner) if args.kommuner is not None
                else list(ctx.geo.kommuner_i(network.embete_id)))
    _require_members(kommuner, network, ctx, session)
    assert args.dato is not None
    _refuse_after_end(network, args.dato, args.verb)
    if args.verb == "inviter":
        return _invite(network, kommuner, args.dato, args.kommuner is None, session, ctx)
    if args.verb == "deltar":
        return _join(network, kommuner, args.dato, session, ctx)
    return _leave(network, kommuner, args.dato, session, ctx)


def _embete(network: Network, ctx: Context) -> EmbeteRef:
    return ctx.geo.embeter[network.embete_id]


def _require_members(kommuner: Sequence[KommuneRef], network: Network, ctx: Context,
                     session: Session) -> None:
    require_writer(ctx, kommuner, session=session)
    outside = [k.navn for k in kommuner if k.embete_id != network.embete_id]
    if outside:
        raise UsageError(
            f"{join_names(outside)} hører ikke til {_embete(network, ctx).navn}, som "
            f"«{said(network.navn)}» hører til, så ingenting ble lagret.")


def _refuse_after_end(network: Network, when: date, verb: str) -> None:
    """Nothing is recorded outside the network's period: no invitation, participation or
    gathering before it began, none of them or a leaving after it ended (a kommune that took
    part to the end did not leave)."""
    if network.fra is not None and when < network.fra and verb != "forlater":
        raise UsageError(
            f"«{said(network.navn)}» begynte {date_in_words(network.fra)}, så ingenting kan føres "
            f"{date_in_words(when)}; skriv en dato i nettverkets periode.")
    if network.til is not None and when > network.til:
        raise UsageError(
            f"«{said(network.navn)}» sluttet {date_in_words(network.til)}, så ingenting kan føres "
            f"{date_in_words(when)}; skriv en dato i nettverkets periode.", field="dato")


def _new(args: Args, writer: str | None, session: Session, ctx: Context) -> Reply:
    embete = args.embete
    if embete is None:
        if writer is None:
            raise UsageError(
                "Du hører ikke til et embete, så skriv hvilket embete nettverket hører til, "
                f"for eksempel `/lhl {NEW_EXAMPLE} embete: Agder`.")
        embete = ctx.geo.embeter[writer]
    elif not ctx.is_admin and embete.id != writer:
        assert writer is not None
        raise UsageError(
            f"Du fører for {ctx.geo.embeter[writer].navn} og kan ikke lage nettverk for "
            f"{embete.navn}, så ingenting ble lagret.")
    same = networks_named(args.navn, embete_id=embete.id, session=session)
    if same:
        raise UsageError(
            f"{embete.navn} har allerede et læringsnettverk som heter «{said(same[0].navn)}», så "
            "ingenting ble lagret; velg et annet navn, for eksempel med årstall.")
    network = add_network(embete.id, args.navn, tema=args.tema, fra=args.fra, til=args.til,
                          by=ctx.user_id, now=ctx.now, session=session)
    assert network.id is not None
    record_added(changes.NETWORK_CREATED, network.id,
                 network_state(network.id, session=session), by=ctx.user_id, now=ctx.now,
                 session=session)
    period = _period_words(network)
    lines = [f"Lagret: læringsnettverket «{said(network.navn)}» for {embete.navn}"
             + (f", {period}." if period else ".")]
    if network.tema:
        lines.append(f"Tema: {said(network.tema)}")
    lines.append("Inviter kommunene med "
                 f"`/lhl nettverk inviter {quoted(said(network.navn))} alle`.")
    return plain_reply("\n".join(lines))


def _invite(network: Network, kommuner: list[KommuneRef], when: date, everyone: bool,
            session: Session, ctx: Context) -> Reply:
    assert network.id is not None
    invited = _invited_dates(network.id, session)
    old = [k for k in kommuner if k.nummer in invited]
    new = [k for k in kommuner if k.nummer not in invited]
    if not new:
        since = (f" ({date_in_words(invited[old[0].nummer])})" if len(old) == 1 else "")
        verb = "er" if len(old) == 1 else "er alle"
        return plain_reply(f"{_who(old)} {verb} allerede invitert til "
                           f"«{said(network.navn)}»{since}, så ingenting nytt ble lagret.")
    add_invitations(network.id, [k.nummer for k in new], when, by=ctx.user_id, now=ctx.now,
                    session=session)
    record_added(changes.NETWORK_INVITED, network.id,
                 invitations_state(network.id, [k.nummer for k in new], session=session),
                 by=ctx.user_id, now=ctx.now, session=session)
    who = (f"alle {len(new)} kommunene i {_embete(network, ctx).kortnavn}"
           if everyone and not old else _who(new))
    lines = [f"Lagret: {who} invitert til «{said(network.navn)}» {date_in_words(when)}."]
    if old:
        lines.append(f"{_who(old)} var allerede invitert og ble ikke ført på nytt.")
    return plain_reply("\n".join(lines))


def _invited_dates(network_id: int, session: Session) -> dict[str, date]:
    """When each kommune counts as invited to a network: its invitation, or the first day it
    took part if that was earlier (taking part implies the invitation)."""
    invited = invitations_of(network_id, session=session)
    for p in periods_of(network_id, session=session):
        if p.kommune_nummer not in invited or p.fra < invited[p.kommune_nummer]:
            invited[p.kommune_nummer] = p.fra
    return invited


def _join(network: Network, kommuner: list[KommuneRef], when: date, session: Session,
          ctx: Context) -> Reply:
    assert network.id is not None
    invited = _invited_dates(network.id, session)
    periods = _by_kommune(periods_of(network.id, session=session))
    new: list[KommuneRef] = []
    refused: list[str] = []
    for k in kommuner:
        mine = periods.get(k.nummer, [])
        running = next((p for p in mine if p.til is None), None)
        later = [p.til for p in mine if p.til is not None and p.til > when]
        if running is not None:
            refused.append(f"{k.navn} deltar allerede (fra {date_in_words(running.fra)})")
        elif later or any(p.fra == when for p in mine):
            end = max(later) if later else when
            refused.append(f"{k.navn} er ført som deltaker fram til {date_in_words(end)}")
        else:
            new.append(k)
    if not new:
        return plain_reply("; ".join(refused) + f" i «{said(network.navn)}», så ingenting nytt ble "
                           "lagret.")
    opened = add_participations(network.id, [k.nummer for k in new], when, by=ctx.user_id,
                                now=ctx.now, session=session)
    record_added(changes.NETWORK_JOINED, network.id,
                 periods_state(network.id, opened, session=session), by=ctx.user_id,
                 now=ctx.now, session=session)
    lines = [f"Lagret: {_who(new)} deltar i «{said(network.navn)}» fra {date_in_words(when)}."]
    implied = [k for k in new if k.nummer not in invited or invited[k.nummer] > when]
    if implied:
        lines.append(f"{_who(implied)} var ikke invitert før {date_in_words(when)} og regnes "
                     "som invitert fra den dagen.")
    lines += [f"{r} og ble ikke ført på nytt." for r in refused]
    return plain_reply("\n".join(lines))


def _leave(network: Network, kommuner: list[KommuneRef], when: date, session: Session,
           ctx: Context) -> Reply:
    assert network.id is not None
    periods = _by_kommune(periods_of(network.id, session=session))
    ending: list[NetworkParticipation] = []
    left: list[KommuneRef] = []
    absent: list[KommuneRef] = []
    for k in kommuner:
        running = next((p for p in periods.get(k.nummer, []) if p.til is None), None)
        if running is None:
            absent.append(k)
            continue
        if when < running.fra:
            raise UsageError(
                f"{k.navn} begynte å delta i «{said(network.navn)}» {date_in_words(running.fra)} "
                f"og kan ikke ha forlatt det {date_in_words(when)}, så ingenting ble lagret; "
                f"skriv en senere dato, for eksempel `/lhl {LEAVE_EXAMPLE}`.")
        ending.append(running)
        left.append(k)
    if not ending:
        return plain_reply(f"{_who(absent)} deltar ikke i «{said(network.navn)}», så ingenting ble "
                           "lagret.")
    ids = [p.id for p in ending if p.id is not None]
    before = periods_state(network.id, ids, session=session)
    end_participations(ending, when, by=ctx.user_id, now=ctx.now, session=session)
    changes.record(changes.NETWORK_LEFT, changes.NETWORK, network.id, before=before,
                   after=periods_state(network.id, ids, session=session), by=ctx.user_id,
                   now=ctx.now, session=session)
    since = f" (deltok fra {date_in_words(ending[0].fra)})" if len(ending) == 1 else ""
    lines = [f"Lagret: {_who(left)} forlot «{said(network.navn)}» {date_in_words(when)}{since}."]
    if absent:
        lines.append(f"{_who(absent)} deltar ikke i «{said(network.navn)}» og ble ikke endret.")
    return plain_reply("\n".join(lines))


def _gathering(args: Args, network: Network, session: Session, ctx: Context) -> Reply:
    assert network.id is not None and args.dato is not None
    when = args.dato
    if network.fra is not None and when < network.fra:
        raise UsageError(
            f"«{said(network.navn)}» begynte {date_in_words(network.fra)}, så en samling kan ikke "
            f"ha vært {date_in_words(when)}; skriv en dato i nettverkets periode.")
    _refuse_after_end(network, when, "samling")
    _require_members(args.deltakere, network, ctx, session)
    gathering_id = add_gathering(network.id, when, tema=args.tema,
                                 kommuner=[k.nummer for k in args.deltakere], by=ctx.user_id,
                                 now=ctx.now, session=session)
    record_added(changes.GATHERING_ADDED, network.id,
                 gathering_state(gathering_id, session=session), by=ctx.user_id, now=ctx.now,
                 session=session)
    lines = [f"Lagret: samling i «{said(network.navn)}» {date_in_words(when)}"
             + (f" med {_who(list(args.deltakere))}." if args.deltakere else ".")]
    if args.tema:
        lines.append(f"Tema: {said(args.tema)}")
    periods = _by_kommune(periods_of(network.id, session=session))
    outside = [k for k in args.deltakere
               if not any(p.fra <= when and (p.til is None or p.til > when)
                          for p in periods.get(k.nummer, []))]
    never = [k for k in outside if k.nummer not in periods]
    if outside:
        note = (f"Merk: {_who(outside)} er ikke ført som deltaker i «{said(network.navn)}» "
                f"{date_in_words(when)}")
        if never:
            # Only those never recorded: a new period for the others could overlap theirs.
            note += (f"; skriv `/lhl nettverk deltar {quoted(said(network.navn))} "
                     f"{', '.join(k.navn for k in never)} {date_in_words(when)}` om "
                     f"{'den' if len(never) == 1 else 'de'} deltar")
        lines.append(note + ".")
    return plain_reply("\n".join(lines))


def _by_kommune(periods: Sequence[NetworkParticipation]
                ) -> dict[str, list[NetworkParticipation]]:
    out: dict[str, list[NetworkParticipation]] = {}
    for p in periods:
        out.setdefault(p.kommune_nummer, []).append(p)
    return out


def _who(kommuner: Sequence[KommuneRef]) -> str:
    if len(kommuner) > NAMES_LISTED:
        return f"{len(kommuner)} kommuner"
    return join_names([k.navn for k in kommuner])


# --- finding a network by name ----------------------------------------------------------------


def _find(navn: str, scope: EmbeteRef | None, ctx: Context, session: Session) -> Network:
    """The network called ``navn`` in ``scope`` (every embete when None), or UsageError with
    the closest names."""
    found = networks_named(navn, embete_id=scope.id if scope else None, session=session)
    if len(found) == 1:
        return found[0]
    if found:
        where = join_names([_embete(n, ctx).kortnavn for n in found])
        raise UsageError(
            f"Flere embeter har et læringsnettverk som heter «{said(found[0].navn)}» ({where}); "
            "skriv embetet til slutt, for eksempel "
            f"`/lhl nettverk vis {quoted(said(found[0].navn))} "
            f"embete: {_embete(found[0], ctx).kortnavn}`.")
    shown = said(echo(navn))
    if scope is not None:
        elsewhere = networks_named(navn, session=session)
        if elsewhere:
            other = _embete(elsewhere[0], ctx)
            raise UsageError(
                f"{scope.navn} har ikke noe læringsnettverk som heter «{shown}», men "
                f"{other.navn} har; skriv `embete: {other.kortnavn}` til slutt for å mene det.")
    candidates = list_networks(embete_id=scope.id if scope else None, session=session)
    close = _close_names(navn, candidates, ctx, qualify=scope is None)
    where = f"{scope.navn} har ikke noe" if scope else "Jeg finner ikke noe"
    if close:
        raise UsageError(f"{where} læringsnettverk som heter «{shown}»; mente du "
                         f"{_or(close)}?")
    raise UsageError(f"{where} læringsnettverk som heter «{shown}»; `/lhl nettverker` viser "
                     "nettverkene.")


def _close_names(navn: str, candidates: Sequence[Network], ctx: Context, *, qualify: bool
                 ) -> list[str]:
    """Up to three names like ``navn``: close in spelling, or containing what was typed."""
    wanted = name_key(navn)
    keys = {n.navn_key: n for n in candidates}
    close = difflib.get_close_matches(wanted, list(keys), n=3, cutoff=0.6)
    close += [k for k in keys if wanted and wanted in k and k not in close]

    def label(n: Network) -> str:
        return (f"«{said(n.navn)}» ({_embete(n, ctx).kortnavn})" if qualify
                else f"«{said(n.navn)}»")

    return [label(keys[k]) for k in close[:3]]


def _or(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " eller " + names[-1]


# --- reading ----------------------------------------------------------------------------------


def _period_words(network: Network) -> str:
    if network.fra and network.til:
        return f"{date_in_words(network.fra)}–{date_in_words(network.til)}"
    if network.fra:
        return f"fra {date_in_words(network.fra)}"
    if network.til:
        return f"til {date_in_words(network.til)}"
    return ""


def _as_of(network: Network, today: date) -> date:
    """The day a network's figures are given for: today, or its last day once it has ended."""
    return min(today, network.til) if network.til else today


def _figures(network: Network, counts: NetworkCounts, total: int, today: date) -> str:
    ended = network.til is not None and network.til < today
    taking_part = "deltok da det sluttet" if ended else "deltar"
    return (f"invitert {share(counts.invited, total)}, "
            f"{taking_part} {share(counts.participating, total)}")


def _list(args: Args, session: Session, ctx: Context) -> Reply:
    embete = None if args.landet else args.embete or own_embete(ctx, session=session)
    networks = list_networks(embete_id=embete.id if embete else None, session=session)
    title = embete.navn if embete else "hele landet"
    if not networks:
        who = f"{embete.navn} har" if embete else "Det er"
        return plain_reply(f"{who} ingen læringsnettverk ennå. Lag et med `/lhl {NEW_EXAMPLE}`.")
    today = ctx.now.date()
    ids = [n.id for n in networks if n.id is not None]
    gatherings = count_gatherings(ids, session=session)
    counts: dict[int, NetworkCounts] = {}
    for day in {_as_of(n, today) for n in networks}:
        counts.update(counts_by_network([n.id for n in networks if n.id is not None
                                         and _as_of(n, today) == day],
                                        as_of=day, session=session))
    lines = []
    for n in networks:
        assert n.id is not None
        total = len(ctx.geo.kommuner_i(n.embete_id))
        where = "" if embete else f"{_embete(n, ctx).kortnavn}: "
        period = _period_words(n)
        about = ", ".join(p for p in (period, f"tema: {said(n.tema)}" if n.tema else "") if p)
        g = gatherings.get(n.id, 0)
        lines.append(f"• {where}«{said(n.navn)}»" + (f" ({about})" if about else "")
                     + f": {_figures(n, counts[n.id], total, today)}, "
                     + ("1 samling" if g == 1 else f"{g} samlinger"))
    command = "nettverker" + (f" {args.embete.kortnavn}" if args.embete else "") + (
        " landet" if args.landet else "")
    return paged(f"*Læringsnettverk – {title}* ({len(networks)})", lines, args.page,
                 command=command)


def _show(network: Network, session: Session, ctx: Context) -> Reply:
    assert network.id is not None
    today = ctx.now.date()
    embete = _embete(network, ctx)
    total = len(ctx.geo.kommuner_i(network.embete_id))
    counts = counts_by_network([network.id], as_of=_as_of(network, today),
                               session=session)[network.id]
    heading = f"*«{said(network.navn)}»* – {embete.navn}"
    facts = [f"Periode: {_period_words(network) or 'ikke ført'}"]
    if network.tema:
        facts.append(f"Tema: {said(network.tema)}")
    ended = network.til is not None and network.til < today
    facts.append(f"Invitert: {share(counts.invited, total)}")
    facts.append((f"Deltok da det sluttet {date_in_words(network.til)}" if ended and network.til
                  else "Deltar") + f": {share(counts.participating, total)}")
    name = {k.nummer: k.navn for k in ctx.geo.kommuner_i(network.embete_id)}
    invited = _invited_dates(network.id, session)
    periods = periods_of(network.id, session=session)
    sections = ["\n".join(facts)]
    if invited:
        sections.append("Invitert:\n" + "\n".join(
            f"• {date_in_words(d)}: {join_names(ks)}"
            for d, ks in _grouped((d, name.get(k, k)) for k, d in invited.items())))
    running = [(p.fra, name.get(p.kommune_nummer, p.kommune_nummer)) for p in periods
               if p.til is None]
    if running:
        sections.append("Deltar:\n" + "\n".join(
            f"• fra {date_in_words(d)}: {join_names(ks)}" for d, ks in _grouped(running)))
    closed = sorted((p for p in periods if p.til is not None), key=lambda p: (p.til, p.fra))
    if closed:
        sections.append("Har forlatt nettverket:\n" + "\n".join(
            f"• {name.get(p.kommune_nummer, p.kommune_nummer)}: deltok fra "
            f"{date_in_words(p.fra)}, forlot {date_in_words(p.til)}" for p in closed
            if p.til is not None))
    gatherings = gatherings_of(network.id, session=session, limit=GATHERINGS_SHOWN)
    if gatherings:
        total_g = count_gatherings([network.id], session=session).get(network.id, 0)
        lines = []
        for g in gatherings:
            line = f"• {date_in_words(g.gathering.dato)}"
            if g.gathering.tema:
                line += f" – tema: {said(g.gathering.tema)}"
            if g.kommuner:
                line += f" (med {join_names([name.get(k, k) for k in g.kommuner])})"
            lines.append(line)
        if total_g > len(lines):
            lines.append(f"… og {total_g - len(lines)} eldre")
        sections.append(f"Samlinger ({total_g}):\n" + "\n".join(lines))
    else:
        sections.append("Ingen samlinger ført.")
    return reply(heading, *sections, text="\n".join([heading, *sections]))


def _grouped(pairs: Iterable[tuple[date, str]]) -> list[tuple[date, list[str]]]:
    """(date, name) pairs as dates in order, each with its names in alphabetical order."""
    out: dict[date, list[str]] = {}
    for d, n in sorted(pairs):
        out.setdefault(d, []).append(n)
    return list(out.items())


# --- for status -------------------------------------------------------------------------------


def kommune_network_lines(entries: Sequence[KommuneNetwork], today: date) -> list[str]:
    """One line per network on a kommune's card: invitation, participation and leaving, as
    they stood on ``today`` (the last day of an earlier year's card)."""
    lines = []
    for e in entries:
        parts = []
        first = e.periods[0].fra if e.periods else None
        invited = min(d for d in (e.invited, first) if d is not None)
        if invited > today:
            continue
        parts.append(f"invitert {date_in_words(invited)}")
        for p in e.periods:
            if p.fra > today:
                continue
            if p.til is None or p.til > today:
                parts.append(f"deltar fra {date_in_words(p.fra)}")
            else:
                parts.append(f"deltok fra {date_in_words(p.fra)}, forlot "
                             f"{date_in_words(p.til)}")
        n = e.network
        if n.til is not None and n.til < today:
            parts.append(f"nettverket sluttet {date_in_words(n.til)}")
        lines.append(f"• «{said(n.navn)}»: " + "; ".join(parts))
    return lines


# --- the forms --------------------------------------------------------------------------------


def _prepare(verb: Verb) -> Callable[[str, Context, Session], Opening]:
    def prepare(_rest: str, ctx: Context, session: Session) -> Opening:
        form = INVITE_FORM if verb == "inviter" else JOIN_FORM
        return Opening(form, choices={"nettverk": _network_choices(ctx, session)})
    return prepare


def _network_choices(ctx: Context, session: Session) -> tuple[Choice, ...]:
    """The networks the user writes for that have not ended, to choose from."""
    writer = writer_embete(ctx, session=session)
    today = ctx.now.date()
    networks = [n for n in list_networks(embete_id=writer, session=session)
                if n.til is None or n.til >= today]
    if not networks:
        where = ctx.geo.embeter[writer].navn if writer else "Ingen embeter"
        raise UsageError(f"{where} har ingen læringsnettverk som pågår; lag et med "
                         f"`/lhl {NEW_EXAMPLE}`.")
    return tuple(
        Choice(str(n.id), n.navn if writer else f"{n.navn} ({_embete(n, ctx).kortnavn})")
        for n in networks[:MENU_OPTIONS])


def _from_form(verb: Verb) -> Callable[[Submitted], str]:
    def build(submitted: Submitted) -> str:
        """``nettverk inviter "Mat og måltider" 4204, 4215 12.05.2026 embete: Agder``."""
        chosen = submitted.chosen("nettverk")
        network = submitted.session.get(Network, int(chosen)) if chosen else None
        if network is None:
            raise UsageError("Velg et læringsnettverk.", field="nettverk")
        if verb == "inviter" and "alle" in submitted.ticked("alle"):
            if submitted.values.get("kommuner"):
                raise UsageError("Velg kommuner eller «alle», ikke begge.", field="alle")
            who = "alle"
        else:
            who = kommune_list(submitted.kommuner())
        return (f'nettverk {verb} {quoted(network.navn)} {who} {date_text(submitted.date())} '
                f"embete: {_embete(network, submitted.ctx).kortnavn}")
    return build


_NETWORK = choice_field("nettverk", "Læringsnettverk", placeholder="Velg nettverk")
INVITE_FORM = Form(
    "nettverk-inviter", "Inviter til nettverk",
    (_NETWORK, kommuner_field(optional=True),
     checkbox_field("alle", "Eller alle", [("alle", "Alle kommunene i nettverkets embete")],
                    hint="De som alt er invitert, føres ikke på nytt."),
     date_field(hint="Dagen de ble invitert.")),
    build=_from_form("inviter"), prepare=_prepare("inviter"), errors_on="kommuner",
    opened_by="nettverk inviter",
    opens=lambda rest: _VERBS.get(fold(rest.strip())) == "inviter")
JOIN_FORM = Form(
    "nettverk-deltar", "Deltar i nettverk",
    (_NETWORK, kommuner_field(), date_field(hint="Dagen de begynte å delta.")),
    build=_from_form("deltar"), prepare=_prepare("deltar"), errors_on="kommuner",
    opened_by="nettverk deltar",
    opens=lambda rest: _VERBS.get(fold(rest.strip())) == "deltar")


COMMAND = CommandSpec(
    name="nettverk",
    summary="fører læringsnettverk: nye nettverk, invitasjoner, deltakelse, samlinger.",
    usage=USAGE,
    examples=(NEW_EXAMPLE, INVITE_EXAMPLE, JOIN_EXAMPLE, LEAVE_EXAMPLE, GATHERING_EXAMPLE,
              SHOW_EXAMPLE),
    writes=True,
    reads_only=reads_only,
    parse=parse,
    execute=execute,
    aliases=("læringsnettverk", "laringsnettverk", "laeringsnettverk"),
    forms=(INVITE_FORM, JOIN_FORM),
    details=(
        '`nettverk ny "<navn>" [tema: …] [fra <dato>] [til <dato>]` lager et nettverk for '
        "ditt embete (en administrator uten embete skriver `embete: Agder`).\n"
        '`nettverk inviter "<navn>" <kommuner|alle> [dato]`: «alle» er alle kommunene i '
        "nettverkets embete.\n"
        '`nettverk deltar "<navn>" <kommuner> [dato]`: en kommune som deltar, regnes som '
        "invitert fra samme dag.\n"
        '`nettverk forlater "<navn>" <kommuner> [dato]`: historikken beholdes med datoer.\n'
        '`nettverk samling "<navn>" <dato> [tema: …] [deltakere: <kommuner>]` fører en '
        "samling.\n"
        '`nettverk vis "<navn>"` viser ett nettverk; `nettverker` (eller `nettverk liste`) '
        "viser alle i embetet.\n"
        "Uten dato gjelder det i dag; en dato uten år er den siste slike dagen som har vært. "
        "Et navn i et annet embete nås med `embete: <embete>` til slutt."),
)

LIST_COMMAND = CommandSpec(
    name="nettverker",
    summary="viser læringsnettverkene i embetet med antall invitert og deltakende.",
    usage=LIST_USAGE,
    examples=("nettverker", "nettverker Vestland", "nettverker landet"),
    writes=False,
    parse=parse_list,
    execute=execute,
    aliases=("læringsnettverkene", "laringsnettverkene"),
    details="Uten embete viser jeg ditt embete (hele landet for brukere uten embete).",
    cached=True,
)
