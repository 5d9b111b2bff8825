"""``/lhl plan <kommuner> vedtatt|prosess <dato>``: a kommune has adopted its plan for Leve
hele livet (*vedtatt plan*), or described the process for how and when it will (*beskrevet
prosess*), on that day (seed 003).

Each change is a new row with its date (``storage.plans``), so ``status`` can give the figure
*vedtatt plan eller beskrevet prosess* as of any day. The date has happened: a yearless date is
the most recent such day, and a day ahead is refused. What ``plan`` and ``fase`` share (the
write, the change log, the card line) is here too.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Table
from sqlmodel import Session

from commands.access import require_writer
from commands.base import CommandSpec, Context, UsageError
from commands.forms import Form, choice_field, date_field, date_text, kommune_list, kommuner_field
from commands.parse.dates import PAST, parse_date, split_date_suffix
from commands.parse.places import NameNote, resolve_kommuner
from storage import changes
from storage.models import PLAN_ADOPTED, PLAN_PROCESS
from storage.plans import (
    PLAN_T,
    Entry,
    add_entries,
    current_as_of,
    entries_state,
    runs,
)
from storage.reference import KommuneRef
from voice.reply import Reply, plain_reply, said
from voice.text import fold
from voice.words import date_in_words, echo, join_names

USAGE = "plan <kommuner> vedtatt|prosess <dato>"
EXAMPLE = "plan Lillesand vedtatt 12. mai"
_WORDS = {"vedtatt": PLAN_ADOPTED, "vedtatt plan": PLAN_ADOPTED, "vedtak": PLAN_ADOPTED,
          "vedtok": PLAN_ADOPTED, "prosess": PLAN_PROCESS, "beskrevet prosess": PLAN_PROCESS,
          "beskrevet": PLAN_PROCESS}
"""What may be written for the status, folded."""
DONE = {PLAN_ADOPTED: "plan vedtatt", PLAN_PROCESS: "prosess beskrevet"}
"""What happened, in a confirmation: «Lagret: plan vedtatt for Lillesand 12. mai 2026.»"""
STATE = {PLAN_ADOPTED: "vedtatt plan", PLAN_PROCESS: "beskrevet prosess"}
"""What a kommune has, in the words of seed 003."""
EARLIER_SHOWN = 5
"""Earlier changes on a kommune card; older ones are counted."""


@dataclass(frozen=True)
class Args:
    kommuner: list[KommuneRef]
    status: str
    dato: date
    notes: tuple[NameNote, ...] = ()
    """How former or shared kommune names were read (said before the answer)."""


def parse(text: str, ctx: Context) -> Args:
    words = text.split()
    if not words:
        raise UsageError(f"Skriv kommunene, `vedtatt` eller `prosess` og datoen, for eksempel "
                         f"`/lhl {EXAMPLE}`.")
    found = _status_word(words)
    if found is None:
        raise UsageError(_no_status(words, ctx))
    at, length, status = found
    if at == 0:  # ``plan vedtatt Lillesand 12. mai``
        kommune_text, when = _kommuner_then_date(" ".join(words[length:]), ctx)
        date_text = ""
    else:
        kommune_text, date_text = " ".join(words[:at]), " ".join(words[at + length:])
        when = parse_date(date_text, ctx.now, direction=PAST) if date_text else None
    if not kommune_text:
        raise UsageError(f"Skriv hvilke kommuner det gjelder, for eksempel `/lhl {EXAMPLE}`.")
    if when is None:
        raise UsageError(
            f"«{said(echo(date_text))}» er ingen dato jeg kan lese; skriv for eksempel "
            f"`/lhl {EXAMPLE}`."
            if date_text else
            "Skriv datoen planen ble vedtatt eller prosessen beskrevet, for eksempel "
            f"`/lhl {EXAMPLE}`.")
    refuse_future(when, ctx, "planen ble vedtatt eller prosessen beskrevet", EXAMPLE)
    read = resolve_kommuner(kommune_text, ctx.geo, home=ctx.home_embete)
    return Args(read.kommuner, status, when, read.notes)


def _kommuner_then_date(text: str, ctx: Context) -> tuple[str, date | None]:
    """``"Lillesand 12. mai"`` → the kommune text and the date (None when there is none; no
    kommune text when there is nothing but a date)."""
    split = split_date_suffix(text, ctx.now, direction=PAST)
    if split is not None:
        return split
    if text and parse_date(text, ctx.now, direction=PAST) is not None:
        return "", None
    return text, None


def _status_word(words: list[str]) -> tuple[int, int, str] | None:
    """Where the status is written (index, number of words) and which it is."""
    folded = [fold(w) for w in words]
    for i in range(len(words)):
        for n in (2, 1):
            status = _WORDS.get(" ".join(folded[i:i + n]))
            if status is not None and i + n <= len(words):
                return i, n, status
    return None


def status_of(text: str) -> tuple[str, str] | None:
    """The plan status ``text`` names (the words ``plan`` reads: ``vedtatt``, ``beskrevet
    prosess`` …) and the rest of it once the status is taken out (a date, perhaps); None when
    it names none. For the «Plan» column of ``/lhl import``."""
    words = text.split()
    found = _status_word(words)
    if found is None:
        return None
    at, length, status = found
    return status, " ".join(words[:at] + words[at + length:])


def _no_status(words: list[str], ctx: Context) -> str:
    """No ``vedtatt`` or ``prosess``: name a word that looks like a misspelling of one."""
    split = split_date_suffix(" ".join(words), ctx.now, direction=PAST)
    last = (split[0].split() if split else words)[-1]
    close = difflib.get_close_matches(fold(last), ["vedtatt", "prosess"], n=1, cutoff=0.7)
    head = f"Mente du `{close[0]}`? " if close else ""
    return (f"{head}Skriv `vedtatt` (planen er vedtatt) eller `prosess` (prosessen er "
            f"beskrevet) etter kommunene, for eksempel `/lhl {EXAMPLE}`.")


def refuse_future(when: date, ctx: Context, what: str, example: str) -> None:
    """Refuse a day ahead: ``what`` says what the date is of («planen ble vedtatt …»)."""
    if when > ctx.now.date():
        raise UsageError(f"{date_in_words(when)} er fram i tid: skriv datoen {what}, for "
                         f"eksempel `/lhl {example}`.", field="dato")


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    written = record_history(PLAN_T, args.kommuner, args.status, args.dato,
                             kind=changes.PLAN_RECORDED, record=changes.PLAN,
                             session=session, ctx=ctx)
    state = STATE[args.status]
    lines = [n.sentence for n in args.notes]
    if not written.new:
        verb = "har" if len(written.old) == 1 else "har alle"
        lines.append(f"{names(written.old)} {verb} allerede {state} per "
                     f"{date_in_words(args.dato)}{written.since(args.dato)}, så ingenting nytt "
                     "ble lagret.")
    else:
        lines.append(f"Lagret: {DONE[args.status]} for {names(written.new)} "
                     f"{date_in_words(args.dato)}.")
        if written.old:
            lines.append(f"{names(written.old)} hadde allerede {state} og ble ikke ført på nytt.")
    return plain_reply("\n".join(lines))


# --- shared with ``fase`` -----------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    new: list[KommuneRef]
    """The kommuner a row was added for."""
    old: list[KommuneRef]
    """Those that already had the value on that day (nothing added)."""
    current: dict[str, Entry]
    """Each kommune's value on that day before the write, as the row it began with."""

    def since(self, dato: date) -> str:
        """`` (siden 12. mai 2026)``: since when one kommune already had it, when that was
        before ``dato``."""
        if len(self.old) != 1:
            return ""
        began = self.current[self.old[0].nummer].dato
        return f" (siden {date_in_words(began)})" if began < dato else ""


def record_history(table: Table, kommuner: Sequence[KommuneRef], value: str | int, dato: date,
                   *, kind: str, record: str, session: Session, ctx: Context) -> Written:
    """Add ``value`` from ``dato`` for the kommuner that did not have it on that day, and log
    the change; the user must be a writer for every one of them."""
    require_writer(ctx, kommuner, session=session)
    current = current_as_of(table, [k.nummer for k in kommuner], dato, session=session)
    old = [k for k in kommuner if k.nummer in current and current[k.nummer].value == value]
    new = [k for k in kommuner if k not in old]
    if new:
        entries = add_entries(table, [k.nummer for k in new], value, dato, by=ctx.user_id,
                              now=ctx.now, session=session)
        changes.record(kind, record, entries[0].id, before=None,
                       after=entries_state(table, entries), by=ctx.user_id, now=ctx.now,
                       session=session)
    return Written(new, old, current)


def names(kommuner: Sequence[KommuneRef]) -> str:
    return join_names([k.navn for k in kommuner])


def history_line(label: str, entries: Sequence[Entry], words: Callable[[Entry], str],
                 earlier_words: Callable[[Entry], str] | None = None) -> str:
    """``Plan: vedtatt plan 12. mai 2026 (før: beskrevet prosess 1. mars 2026)``: the value in
    force and when it began, then the earlier ones, newest first (in ``earlier_words`` when
    given)."""
    changed = runs(entries)
    if not changed:
        return f"{label}: ikke ført"
    *earlier, current = changed
    line = f"{label}: {words(current)}"
    if earlier:
        shown = [(earlier_words or words)(e) for e in reversed(earlier[-EARLIER_SHOWN:])]
        if len(earlier) > EARLIER_SHOWN:
            shown.append(f"og {len(earlier) - EARLIER_SHOWN} eldre")
        line += f" (før: {'; '.join(shown)})"
    return line


def plan_card_line(entries: Sequence[Entry], per: str = "") -> str:
    """The kommune card's plan line, from its history up to the day shown."""
    return history_line(f"Plan{per}", entries,
                        lambda e: f"{STATE[e.value]} {date_in_words(e.dato)}")


FORM = Form(
    "plan", "Plan eller prosess",
    (kommuner_field(),
     choice_field("status", "Status", [("vedtatt", "Vedtatt plan"),
                                       ("prosess", "Beskrevet prosess")]),
     date_field(hint="Dagen planen ble vedtatt eller prosessen beskrevet.")),
    build=lambda s: (f"plan {kommune_list(s.kommuner())} {s.chosen('status') or ''} "
                     f"{date_text(s.date())}"),
    opened_by="plan")


COMMAND = CommandSpec(
    name="plan",
    summary="fører at en kommune har vedtatt plan eller beskrevet prosess, med datoen.",
    usage=USAGE,
    examples=(EXAMPLE, "plan Birkenes og Iveland prosess 1. mars"),
    writes=True,
    parse=parse,
    execute=execute,
    forms=(FORM,),
    details=("`vedtatt`: kommunen har vedtatt plan for Leve hele livet; `prosess`: den har "
             "beskrevet en prosess for hvordan og når den skal vedta en. Datoen er den dagen det "
             "skjedde (uten år: den siste slike dagen), og den tidligere statusen beholdes med "
             "sin dato, så `status` kan vise tallene for et tidligere år."),
)
