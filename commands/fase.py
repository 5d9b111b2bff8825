"""``/lhl fase <kommuner> <1-4> [dato]``: the phase of the reform a kommune is in, from that
day (today when no date is written).

The reform's four phases, as the implementation plan of Oslo og Viken names them (seed 002):
1 forberedelse og oppstart, 2 kartlegging, planlegging og beslutning, 3 implementering og
gjennomføring, 4 evaluering og forbedring. Each change is kept with its date
(``storage.plans``), so ``status`` can count the kommuner in each phase as of any day.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from commands.base import CommandSpec, Context, UsageError
from commands.forms import Form, choice_field, date_field, date_text, kommune_list, kommuner_field
from commands.parse.dates import PAST, parse_date
from commands.parse.places import NameNote, resolve_kommuner
from commands.plan import history_line, names, record_history, refuse_future
from storage import changes
from storage.models import PHASES
from storage.plans import FASE_T, Entry
from storage.reference import KommuneRef
from voice.reply import Reply, plain_reply, said
from voice.text import fold
from voice.words import date_in_words, echo

USAGE = "fase <kommuner> <1-4> [dato]"
EXAMPLE = "fase Lillesand 3"
PHASE_NAMES = {
    1: "forberedelse og oppstart",
    2: "kartlegging, planlegging og beslutning",
    3: "implementering og gjennomføring",
    4: "evaluering og forbedring",
}
"""The reform's phases in the words of seed 002."""
_NUMBER = re.compile(r"\d{1,2}")
_ALL_PHASES = ", ".join(f"{n} {PHASE_NAMES[n]}" for n in PHASES[:-1]) + (
    f" og {PHASES[-1]} {PHASE_NAMES[PHASES[-1]]}")


@dataclass(frozen=True)
class Args:
    kommuner: list[KommuneRef]
    fase: int
    dato: date
    notes: tuple[NameNote, ...] = ()
    """How former or shared kommune names were read (said before the answer)."""


def parse(text: str, ctx: Context) -> Args:
    words = text.split()
    if not words:
        raise UsageError(f"Skriv kommunene og fasen (1–4), for eksempel `/lhl {EXAMPLE}`.")
    at = next((i for i, w in enumerate(words) if _NUMBER.fullmatch(w)), None)
    if at is None:
        raise UsageError(f"Skriv fasen som et tall fra 1 til 4 etter kommunene, for eksempel "
                         f"`/lhl {EXAMPLE}` ({_ALL_PHASES}).")
    fase = int(words[at])
    if fase not in PHASES:
        raise UsageError(f"Fase {fase} finnes ikke: reformen har fire faser, {_ALL_PHASES}; "
                         f"skriv for eksempel `/lhl {EXAMPLE}`.")
    head = words[:at]
    if head and fold(head[-1]) == "fase":  # ``fase Lillesand fase 3``
        head = head[:-1]
    if not head:
        raise UsageError(f"Skriv hvilke kommuner det gjelder før fasen, for eksempel "
                         f"`/lhl {EXAMPLE}`.")
    date_text = " ".join(words[at + 1:])
    when = parse_date(date_text, ctx.now, direction=PAST) if date_text else ctx.now.date()
    if when is None:
        raise UsageError(f"«{said(echo(date_text))}» er ingen dato jeg kan lese; skriv for "
                         "eksempel "
                         f"`/lhl {EXAMPLE} 1. mars`, eller ingen dato for i dag.")
    refuse_future(when, ctx, "kommunen gikk over i fasen, eller ingen dato for i dag", EXAMPLE)
    read = resolve_kommuner(" ".join(head), ctx.geo, home=ctx.home_embete)
    return Args(read.kommuner, fase, when, read.notes)


def phase_words(fase: int) -> str:
    """``fase 3 (implementering og gjennomføring)``."""
    return f"fase {fase} ({PHASE_NAMES[fase]})"


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    written = record_history(FASE_T, args.kommuner, args.fase, args.dato,
                             kind=changes.PHASE_RECORDED, record=changes.PHASE,
                             session=session, ctx=ctx)
    lines = [n.sentence for n in args.notes]
    day = date_in_words(args.dato)
    if not written.new:
        verb = "er" if len(written.old) == 1 else "er alle"
        lines.append(f"{names(written.old)} {verb} allerede i fase {args.fase} per {day}"
                     f"{written.since(args.dato)}, så ingenting nytt ble lagret.")
    else:
        lines.append(f"Lagret: {names(written.new)} i {phase_words(args.fase)} fra {day}.")
        if written.old:
            lines.append(f"{names(written.old)} var allerede i fase {args.fase} og ble ikke "
                         "ført på nytt.")
    return plain_reply("\n".join(lines))


# --- status and the kommune card --------------------------------------------------------------


def phase_counts_text(counts: Mapping[int, int], total: int) -> str:
    """``1: 3 · 2: 10 · 3: 5 · 4: 2 · ikke ført: 5`` (of ``total`` kommuner)."""
    parts = [f"{n}: {counts.get(n, 0)}" for n in PHASES]
    return " · ".join([*parts, f"ikke ført: {total - sum(counts.values())}"])


def phase_card_line(entries: Sequence[Entry], per: str = "") -> str:
    """``Fase: 3 – implementering og gjennomføring, fra 1. mars 2026 (før: 2 fra 1. mai
    2025)``."""
    return history_line(
        f"Fase{per}", entries,
        lambda e: f"{e.value} – {PHASE_NAMES[e.value]}, fra {date_in_words(e.dato)}",
        lambda e: f"{e.value} fra {date_in_words(e.dato)}")


FORM = Form(
    "fase", "Fase i reformen",
    (kommuner_field(),
     choice_field("fase", "Fase", [(str(n), f"{n} {PHASE_NAMES[n]}") for n in PHASES]),
     date_field(hint="Dagen kommunen gikk inn i fasen.")),
    build=lambda s: (f"fase {kommune_list(s.kommuner())} {s.chosen('fase') or ''} "
                     f"{date_text(s.date())}"),
    opened_by="fase")


COMMAND = CommandSpec(
    name="fase",
    summary="fører hvilken fase i reformen en kommune er i, fra en dato.",
    usage=USAGE,
    examples=(EXAMPLE, "fase Birkenes og Iveland 2 1. mars"),
    writes=True,
    parse=parse,
    execute=execute,
    forms=(FORM,),
    details=(f"Fasene: {_ALL_PHASES}. Uten dato gjelder fasen fra i dag; en dato uten år er "
             "den siste slike dagen. Den tidligere fasen beholdes med sin dato, så `status` kan "
             "vise tallene for et tidligere år."),
)
